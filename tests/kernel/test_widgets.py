"""Widgets through ick's kernel client against a real ipykernel with ipywidgets 8 and tqdm:
the store follows the kernel, and what it sends the kernel acts on."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from ick.kernel.client import KernelClient
from ick.kernel.local import LocalKernel
from ick.kernel.widgets import WidgetStore
from ick.messages import Message, content, msg_type
from ick.render.widgets import WidgetView, view_model_id, widget_text

from ..support.widget_kernel import models_named


def with_kernel(scenario: Callable[[KernelClient, WidgetStore], Awaitable[None]]) -> None:
    async def run() -> None:
        kernel = await LocalKernel.launch("python3")
        try:
            await kernel.wait_ready(60)
            await scenario(kernel, WidgetStore(client=kernel))
        finally:
            await kernel.shutdown()

    asyncio.run(run())


async def printed(kernel: KernelClient, code: str) -> str:
    text: list[str] = []

    def collect(msg: Message) -> None:
        if msg_type(msg) == "stream":
            text.append(str(content(msg).get("text")))

    reply = await kernel.execute(code, collect)
    assert reply["status"] == "ok", reply
    return "".join(text)


def displayed(shown: list[str]) -> Callable[[Message], None]:
    def collect(msg: Message) -> None:
        data = content(msg).get("data")
        if msg_type(msg) in ("display_data", "execute_result") and isinstance(data, dict):
            model_id = view_model_id(data)
            if model_id is not None:
                shown.append(model_id)

    return collect


def test_a_tqdm_auto_loop_to_100_ends_at_100_and_reads_like_tqdm():
    async def scenario(kernel: KernelClient, store: WidgetStore) -> None:
        shown: list[str] = []
        code = "from tqdm.auto import tqdm\nfor i in tqdm(range(100)): pass"
        reply = await kernel.execute(code, displayed(shown))
        assert reply["status"] == "ok"
        (bar,) = models_named(store, "FloatProgressModel")
        assert store.state_of(bar)["value"] == 100
        (root,) = shown
        line = widget_text(root, WidgetView(models=store))
        assert line is not None and "\n" not in line
        assert line.startswith("100%|██████") and "| 100/100 [" in line
        assert "HBox(" not in line

    with_kernel(scenario)


def test_a_change_sent_by_the_store_reaches_the_kernels_widget():
    async def scenario(kernel: KernelClient, store: WidgetStore) -> None:
        await printed(kernel, "import ipywidgets as w\ns = w.IntSlider(value=5)\ndisplay(s)")
        (slider,) = models_named(store, "IntSliderModel")
        for value in (6, 7, 8):
            assert store.send_update(slider, {"value": value}) is not None
        assert await printed(kernel, "print(s.value)") == "8\n"
        assert store.state_of(slider)["value"] == 8

    with_kernel(scenario)


def test_a_click_runs_the_buttons_callback_and_its_output_is_ours():
    async def scenario(kernel: KernelClient, store: WidgetStore) -> None:
        code = (
            "import ipywidgets as w\nb = w.Button(description='go')\n"
            "b.on_click(lambda _: print('clicked!', flush=True))\ndisplay(b)"
        )
        await printed(kernel, code)
        (button,) = models_named(store, "ButtonModel")
        answer: asyncio.Future[tuple[str, bool]] = asyncio.get_running_loop().create_future()

        def listen(msg: Message, own: bool) -> None:
            if msg_type(msg) == "stream" and not answer.done():
                answer.set_result((str(content(msg).get("text")), own))

        kernel.add_listener(listen)
        store.send_click(button)
        assert await asyncio.wait_for(answer, 30) == ("clicked!\n", True)

    with_kernel(scenario)


def test_a_second_store_learns_the_widgets_that_exist():
    async def scenario(kernel: KernelClient, store: WidgetStore) -> None:
        code = (
            "import ipywidgets as w\ns = w.IntSlider(value=3)\n"
            "img = w.Image(value=b'abc', format='png')\nbox = w.VBox([s, img])"
        )
        await printed(kernel, code)
        late = WidgetStore(client=kernel)
        learnt = await late.learn_existing(timeout=30)
        assert learnt == len(store) > 0
        assert sorted(late.model_ids()) == sorted(store.model_ids())
        (slider,) = models_named(late, "IntSliderModel")
        assert late.state_of(slider)["value"] == 3
        (image,) = models_named(late, "ImageModel")
        assert late.state_of(image)["value"] == b"abc"  # a buffer, at its path

    with_kernel(scenario)


def test_what_the_output_widget_captured_is_synced_back_to_the_kernel():
    async def scenario(kernel: KernelClient, store: WidgetStore) -> None:
        code = "import ipywidgets as w\no = w.Output()\ndisplay(o)\nwith o:\n    print('kept')"
        await printed(kernel, code)
        (output,) = models_named(store, "OutputModel")
        assert store.state_of(output)["outputs"][0]["text"] == "kept\n"
        # The update goes out shortly after the capture; ask until the kernel has it.
        seen: dict[str, Any] = {}
        for _ in range(200):
            seen["text"] = await printed(
                kernel, "print(''.join(x['text'] for x in o.outputs), end='')"
            )
            if seen["text"] == "kept\n":
                break
        assert seen["text"] == "kept\n"
        await printed(kernel, "o.append_stdout('appended\\n')")
        assert store.state_of(output)["outputs"][-1]["text"].endswith("appended\n")
        assert store.state_of(output)["outputs"][0]["text"] == "kept\n"

    with_kernel(scenario)
