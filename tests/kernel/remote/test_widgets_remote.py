"""Widgets over a real Jupyter Server on 127.0.0.1: the websocket carries comms, their binary
buffers and the control comm's metadata like any other message."""

from __future__ import annotations

import asyncio

from ick.kernel.connect import KernelTarget, open_kernel
from ick.kernel.remote.address import RemoteTarget, ServerAddress
from ick.kernel.widgets import WidgetStore
from tests.support.servers import Server
from tests.support.terminal import run_ick
from tests.support.widget_kernel import models_named

PROMPT = r"In \[{}\]: "
TQDM = "from tqdm.auto import tqdm\nfor i in tqdm(range(100)): pass\nprint('done')"


def test_a_script_on_a_server_kernel_prints_the_tqdm_bar_final_state(server: Server):
    result = run_ick("--server", server.url, "--token", server.token, "-c", TQDM)
    assert result.returncode == 0, result.stderr
    bar, done, end = result.stdout.split("\n")
    assert bar.startswith("100%|███") and "| 100/100 [" in bar and (done, end) == ("done", "")
    assert "HBox(" not in result.stdout


def test_a_store_attached_later_learns_the_servers_widgets_with_their_buffers(server: Server):
    async def scenario() -> None:
        address = ServerAddress.parse(server.url, server.token)
        target = KernelTarget("python3", remote=RemoteTarget(address, kernel_name="python3"))
        kernel = await open_kernel(target)
        try:
            await kernel.wait_ready(60)
            code = "import ipywidgets as w\nimg = w.Image(value=b'\\x00\\xffbytes', format='png')"
            reply = await kernel.execute(code, lambda msg: None)
            assert reply["status"] == "ok"
            store = WidgetStore(client=kernel)
            assert await store.learn_existing(timeout=30) >= 1
            (image,) = models_named(store, "ImageModel")
            assert store.state_of(image)["value"] == b"\x00\xffbytes"
        finally:
            await kernel.shutdown()

    asyncio.run(scenario())


def test_the_repl_on_a_server_kernel_shows_the_tqdm_bar(spawn_ick, server: Server):
    term = spawn_ick("--server", server.url, "--token", server.token)
    term.expect(PROMPT.format(1))
    term.enter("from tqdm.auto import tqdm")
    term.expect(PROMPT.format(2))
    term.enter("for i in tqdm(range(100), desc='remote'): pass")
    term.expect(r"remote: 100%\|█+\| 100/100 \[")
    term.expect(PROMPT.format(3))
    assert "HBox(" not in term.text


def test_the_repl_attached_to_a_server_kernel_draws_widgets_another_client_made(
    spawn_ick, server: Server
):
    kernel_id = server.start_kernel()
    try:
        base = ("--server", server.url, "--token", server.token, "--attach", kernel_id)
        made = run_ick(
            *base, "-c", "import ipywidgets as w; s = w.IntSlider(3, description='made')"
        )
        assert made.returncode == 0, made.stderr
        term = spawn_ick(*base)
        term.expect(PROMPT.format(r"\d+"))
        # ick asks for the kernel's widgets when it attaches, before anything typed is sent
        # once the kernel has answered a first input.
        term.enter("'first'")
        term.expect(r"Out\[\d+\]: 'first'")
        # The slider's comm was opened for the other client: ick learns it when attaching.
        term.enter("display(s)")
        term.expect(r"made .*━.* 3\n")
        term.expect(PROMPT.format(r"\d+"))
        assert "IntSlider(" not in term.text
    finally:
        server.call("DELETE", f"kernels/{kernel_id}")
