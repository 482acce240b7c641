"""ick on kernels of a real Jupyter Server on 127.0.0.1: REPL, scripts, stdin, lifecycle, errors."""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import subprocess
from typing import Any

import pytest
from websockets.asyncio.client import connect

from ick.errors import ExitStatus
from ick.kernel.remote.wire import V1_SUBPROTOCOL
from tests.support.kernels import ipykernel_after
from tests.support.servers import (
    CuttableProxy,
    Server,
    assert_one_line_error,
    free_port,
    interrupt_a_sleep,
)
from tests.support.terminal import ICK, PROMPT, run_ick
from tests.support.waiting import wait_until

from ...frontends.test_notebook_runner import code, write_notebook
from ...frontends.test_repl import accept_restart


def repl_on_new_kernel(spawn_ick, server: Server) -> tuple[Any, str]:
    """ick's REPL on a kernel it starts on ``server``, and that kernel's id."""
    before = server.kernel_ids()
    term = spawn_ick("--server", server.url, "--token", server.token)
    term.expect(PROMPT.format(1))
    (kernel_id,) = server.kernel_ids() - before
    return term, kernel_id


def test_repl_round_trip_with_the_token_from_the_environment(spawn_ick, ick_env, server: Server):
    before = server.kernel_ids()
    term = spawn_ick("--server", server.url, env={**ick_env, "JUPYTER_TOKEN": server.token})
    term.expect(r"kernel python3")
    term.expect(PROMPT.format(1))
    (created,) = server.kernel_ids() - before
    term.enter("print('hello over the websocket'); 6 * 7")
    term.expect(r"hello over the websocket\n")
    term.expect(r"Out\[1\]: 42")
    term.expect(PROMPT.format(2))
    term.send("\x04")
    assert term.wait_exit() == 0
    # ick created that kernel, so it deleted it on the way out.
    assert created not in server.kernel_ids()


def test_a_script_runs_on_the_servers_kernel_for_its_extension(server: Server, tmp_path):
    script = tmp_path / "job.R"
    script.write_text('cat("from R on the server\\n")\n')
    result = run_ick("--server", server.url, "--token", server.token, str(script))
    assert (result.stdout, result.returncode) == ("from R on the server\n", 0), result.stderr


def test_a_notebook_runs_on_the_servers_kernel_its_metadata_names(server: Server, tmp_path):
    # The same cell means something in R and in Python: which kernel ran it shows.
    notebook = write_notebook(tmp_path / "analysis.ipynb", "ir", "R", code("print(1 + 1)"))
    result = run_ick("--server", server.url, "--token", server.token, str(notebook))
    assert (result.stdout, result.returncode) == ("[1] 2\n", 0), result.stderr
    unknown = write_notebook(tmp_path / "other.ipynb", "no-such-kernel", "python", code("1"))
    result = run_ick("--server", server.url, "--token", server.token, str(unknown))
    assert_one_line_error(result, ExitStatus.USAGE, "no kernel named 'no-such-kernel'")


def test_script_exit_statuses_with_the_token_in_the_url(server: Server):
    url = f"{server.url}lab?token={server.token}"
    ok = run_ick("--server", url, "-c", "print('fine')")
    assert (ok.stdout, ok.stderr, ok.returncode) == ("fine\n", "", 0)
    failed = run_ick("--server", url, "-c", "print('before'); 1 / 0")
    assert failed.returncode == 1
    assert failed.stdout == "before\n"
    assert "ZeroDivisionError" in failed.stderr


def test_stdin_reaches_the_right_client_in_scripts_and_the_repl(spawn_ick, server: Server):
    result = run_ick(
        "--server", server.url, "--token", server.token,
        "-c", "print('got', input('who? '))",
        stdin="remote answer\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "got remote answer" in result.stdout

    term = spawn_ick("--server", server.url, "--token", server.token)
    term.expect(PROMPT.format(1))
    term.enter("name = input('your name: '); name.upper()")
    term.expect(r"(?m)^your name:")
    term.enter("ada")
    term.expect(r"Out\[1\]: 'ADA'")


def test_interrupt_goes_through_rest(spawn_ick, server: Server):
    term, _ = repl_on_new_kernel(spawn_ick, server)
    interrupt_a_sleep(term, prompt_after=2)
    term.enter("'still here'")
    term.expect(r"Out\[2\]: 'still here'")


def test_a_killed_kernel_fails_the_running_cell_and_is_restarted(spawn_ick, server: Server):
    term, kernel_id = repl_on_new_kernel(spawn_ick, server)
    term.enter("import os; pid = os.getpid(); pid")
    pid = int(term.expect(r"Out\[1\]: (\d+)").group(1))
    term.enter("import time; print('working', flush=True); time.sleep(60)")
    term.expect(r"\nworking\n")
    os.kill(pid, signal.SIGKILL)
    # The server notices (its restarter polls), says "restarting"; the cell can never finish.
    term.expect(r"kernel died \(it stopped; the server is restarting it\)", timeout=30)
    accept_restart(term)
    term.expect(PROMPT.format(1))
    term.enter("'pid' in dir()")
    term.expect(r"Out\[1\]: False")
    assert kernel_id in server.kernel_ids()  # the same kernel, restarted through REST


def test_a_kernel_deleted_under_ick_ends_a_script_with_one_line(server: Server):
    before = server.kernel_ids()
    process = subprocess.Popen(
        [*ICK, "--server", server.url, "--token", server.token,
         "-c", "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN);"
         " print('started', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "started\n"
        (kernel_id,) = server.kernel_ids() - before
        server.call("DELETE", f"kernels/{kernel_id}")
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 3, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "shut down on the server" in lines[0], stderr


def test_a_kernel_deleted_under_the_repl_is_replaced_on_restart(spawn_ick, server: Server):
    term, kernel_id = repl_on_new_kernel(spawn_ick, server)
    other_kernels = server.kernel_ids() - {kernel_id}
    server.call("DELETE", f"kernels/{kernel_id}")
    term.expect(r"kernel died \(it was shut down on the server\)", timeout=30)
    accept_restart(term)
    term.expect(PROMPT.format(1))
    term.enter("'new kernel'")
    term.expect(r"Out\[1\]: 'new kernel'")
    term.expect(PROMPT.format(2))
    (replacement,) = server.kernel_ids() - {kernel_id} - other_kernels
    assert replacement != kernel_id
    term.send("\x04")
    assert term.wait_exit() == 0
    assert replacement not in server.kernel_ids()


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (("--token", "wrong"), 2, "refused the token (HTTP 403)"),
        (("--token", "{token}", "-k", "nosuch"), 2, "has no kernel named 'nosuch' (it has: "),
        ((), 2, "wants a token (HTTP 403): give --token or set JUPYTER_TOKEN"),
        (
            ("--token", "{token}", "--attach", "0c6b5e0e-0000-4000-8000-000000000000"),
            3,
            "has no kernel 0c6b5e0e",
        ),
    ],
)
def test_refusals_are_one_line(server: Server, args, status, words):
    args = tuple(arg.format(token=server.token) for arg in args)
    assert_one_line_error(run_ick("--server", server.url, *args, "-c", "1"), status, words)


def test_an_unreachable_server_and_a_bad_url_are_one_line():

    unreachable = f"http://127.0.0.1:{free_port()}/"
    assert_one_line_error(run_ick("--server", unreachable, "-c", "1"), 3, "connection refused")
    assert_one_line_error(run_ick("--server", "ftp://example", "-c", "1"), 2, "http:// or https://")
    assert_one_line_error(run_ick("--attach", "x", "-c", "1"), 2, "--attach needs --server URL")


def test_list_kernels_shows_kernelspecs_and_running_kernels(server: Server):
    kernel_id = server.start_kernel()
    try:
        result = run_ick("--server", server.url, "--token", server.token, "--list-kernels")
    finally:
        server.call("DELETE", f"kernels/{kernel_id}")
    assert result.returncode == 0, result.stderr
    assert f"kernelspecs on {server.url} (default: python3):" in result.stdout
    assert any(line.split()[:2] == ["python3", "python"] for line in result.stdout.splitlines())
    assert "running kernels:" in result.stdout
    assert any(line.split()[:2] == [kernel_id, "python3"] for line in result.stdout.splitlines())


def test_an_attached_kernel_is_left_running_and_a_created_one_deleted(server: Server):
    kernel_id = server.start_kernel()
    try:
        base = ("--server", server.url, "--token", server.token)
        first = run_ick(*base, "--attach", kernel_id, "-c", "kept = 'state'")
        assert first.returncode == 0, first.stderr
        assert kernel_id in server.kernel_ids()
        second = run_ick(*base, "--attach", kernel_id, "-c", "print(kept)")
        assert (second.stdout, second.returncode) == ("state\n", 0), second.stderr
    finally:
        server.call("DELETE", f"kernels/{kernel_id}")
    before = server.kernel_ids()
    created = run_ick(*base, "-c", "print('made and dropped')")
    assert created.returncode == 0, created.stderr
    assert server.kernel_ids() == before


def test_legacy_json_frames_when_the_server_does_not_take_v1(spawn_ick, legacy_server: Server):
    async def chosen_subprotocol() -> str | None:
        kernel_id = legacy_server.start_kernel()
        url = legacy_server.url.replace("http:", "ws:")
        async with connect(
            f"{url}api/kernels/{kernel_id}/channels?session_id=probe",
            additional_headers={"Authorization": f"token {legacy_server.token}"},
            subprotocols=[V1_SUBPROTOCOL],  # type: ignore[list-item]
        ) as websocket:
            chosen = websocket.subprotocol
        legacy_server.call("DELETE", f"kernels/{kernel_id}")
        return chosen

    # The server really refuses v1, so what follows runs on legacy frames.
    assert asyncio.run(chosen_subprotocol()) is None
    base = ("--server", legacy_server.url, "--token", legacy_server.token)
    result = run_ick(*base, "-c", "print('legacy', input())", stdin="frames\n")
    assert (result.stdout, result.returncode) == ("legacy frames\n", 0), result.stderr
    term = spawn_ick(*base)
    term.expect(PROMPT.format(1))
    interrupt_a_sleep(term, prompt_after=2)


def test_a_dropped_websocket_reconnects_and_gets_the_missed_output(spawn_ick, server: Server):
    proxy = CuttableProxy(int(server.url.rsplit(":", 1)[1].strip("/")))
    try:
        term = spawn_ick("--server", f"http://127.0.0.1:{proxy.port}/", "--token", server.token)
        term.expect(PROMPT.format(1))
        term.enter("import time; print('before', flush=True); time.sleep(1); print('after')")
        term.expect(r"\nbefore\n")
        connections = proxy.connections
        proxy.cut(down_for=3)
        # 'after' is printed while ick is cut off: the server keeps it and replays it.
        term.expect(r"(?m)^after$", timeout=30)
        term.expect(PROMPT.format(2))
        assert proxy.connections > connections
        term.enter("'working again'")
        term.expect(r"Out\[2\]: 'working again'")
    finally:
        proxy.close()


def test_watch_shows_another_clients_work_on_a_server_kernel(spawn_ick, server: Server):
    kernel_id = server.start_kernel()
    try:
        base = ("--server", server.url, "--token", server.token, "--attach", kernel_id)
        term = spawn_ick(*base, "--watch")
        term.expect(r"watching the python3 kernel")
        # The watcher says so before the server has wired its websocket to the kernel's output:
        # another client's runs count once the watcher shows one.
        wait_until(
            lambda: (
                run_ick(*base, "-c", "'connected'").returncode == 0
                and "Out[" in term.read_available()
            ),
            interval=0,
            timeout=60,
            what="the watcher showing another client's run",
        )
        term.forget()
        other = run_ick(*base, "-c", "print('from the other client'); 6 * 7")
        assert other.returncode == 0, other.stderr
        term.expect(PROMPT.format(r"\d+") + r"print\('from the other client'\); 6 \* 7")
        term.expect(r"from the other client\n")
        term.expect(r"Out\[\d+\]: 42")

        # The kernel dies; the server restarts it; the watcher says so and keeps watching.
        pid = run_ick(*base, "-c", "import os; print(os.getpid())").stdout
        os.kill(int(pid), signal.SIGKILL)
        term.expect(r"not answering \(it stopped; the server is restarting it\)", timeout=30)
        # The server restarts it in its own time: a run succeeds once it has.
        wait_until(
            lambda: run_ick(*base, "-c", "print('after the restart')").returncode == 0,
            interval=0.5,
            timeout=60,
            what="a run on the restarted kernel",
        )
        term.expect(r"In \[1\]: print\('after the restart'\)")
        term.expect(r"after the restart\n")

        term.child.sendintr()
        assert term.wait_exit() == 0
        assert kernel_id in server.kernel_ids()
    finally:
        server.call("DELETE", f"kernels/{kernel_id}")


def test_watch_gives_up_after_the_startup_timeout_on_a_kernel_still_starting(
    spawn_ick, server: Server, tmp_path
):
    """Issue 19: --watch waited 60 s to attach whatever --startup-timeout said.

    The server holds a websocket until its kernel answers; this real ipykernel's kernelspec
    starts it only once a gate file is gone.
    """
    gate = tmp_path / "gate"
    gate.touch()
    spec = {
        "argv": ipykernel_after(f"while [ -e {shlex.quote(str(gate))} ]; do sleep 0.1; done"),
        "display_name": "Python 3 (gated)",
        "language": "python",
    }
    server.install_kernelspec("gated", spec)
    kernel_id = server.start_kernel("gated")
    try:
        base = ("--server", server.url, "--token", server.token, "--attach", kernel_id)
        term = spawn_ick(*base, "--watch", "--startup-timeout", "5")
        # Well before the 60 s that used to be the watcher's own limit.
        assert term.wait_exit(timeout=40) == ExitStatus.KERNEL
        lines = term.text.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("ick: "), term.text
        assert "kernel" in lines[0] and "did not answer (timed out" in lines[0], term.text
        # Once the kernel is up, the watcher attaches to it.
        gate.unlink()
        term = spawn_ick(*base, "--watch")
        term.expect(r"watching the gated kernel", timeout=60)
        term.child.sendintr()
        assert term.wait_exit() == 0
    finally:
        server.call("DELETE", f"kernels/{kernel_id}")


def test_tls_certificates_are_verified(tls_server, ick_env):
    server, certificate = tls_server
    base = ("--server", server.url, "--token", server.token)
    # A self-signed certificate nobody vouched for: refused, in one line.
    assert_one_line_error(run_ick(*base, "-c", "1"), 3, "TLS certificate of https://127.0.0.1:")
    # Trusted (as a company CA would be, through OpenSSL's SSL_CERT_FILE): REST and wss work.
    trusted = {**ick_env, "SSL_CERT_FILE": str(certificate)}
    result = run_ick(*base, "-c", "print(input('over TLS? '))", env=trusted, stdin="yes\n")
    assert result.returncode == 0, result.stderr
    assert "yes" in result.stdout
