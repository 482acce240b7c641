"""``--existing``: attaching to a kernel that someone else started, and leaving it running."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_client import BlockingKernelClient, KernelManager

from tests.support.terminal import ICK, PROJECT_KERNELS, PROMPT, WAITING_PROMPT, run_ick

from .conformance_kernels import KERNELS, KernelCase

OutsideKernel = tuple[KernelManager, BlockingKernelClient, Path]


@contextlib.contextmanager
def started_outside(
    kernel_name: str, folder: Path, cwd: Path | None = None
) -> Iterator[OutsideKernel]:
    """A kernel started by a plain jupyter_client script, as a notebook server would."""
    runtime = folder / "runtime"
    runtime.mkdir()
    with pytest.MonkeyPatch.context() as patch:  # the project's kernels, as ick sees them
        paths = (str(PROJECT_KERNELS), os.environ.get("JUPYTER_PATH"))
        patch.setenv("JUPYTER_PATH", os.pathsep.join(path for path in paths if path))
        manager = KernelManager(kernel_name=kernel_name)
        manager.connection_file = str(runtime / "kernel-outside.json")
        manager.start_kernel(stderr=subprocess.DEVNULL, cwd=str(cwd) if cwd else None)
    client = manager.client()
    try:
        client.start_channels()
        client.wait_for_ready(60)
        yield manager, client, Path(manager.connection_file)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_attach_sees_the_kernels_state_and_leaves_it_running(spawn_ick, outside_kernel):
    manager, client, connection_file = outside_kernel
    term = spawn_ick("--existing", str(connection_file))
    term.expect(r"kernel python3")
    # The other client ran In [1]: prompts go on from the kernel's own count.
    term.expect(PROMPT.format(2))
    term.enter("shared")
    term.expect(r"Out\[2\]: 'set by another client'")
    term.expect(PROMPT.format(3))
    term.enter("added = 'by ick'")
    term.expect(PROMPT.format(4))
    term.send("\x04")
    assert term.wait_exit() == 0
    assert manager.is_alive()
    reply = client.execute_interactive("assert added == 'by ick'", timeout=30)
    assert reply["content"]["status"] == "ok"


def test_the_prompt_follows_what_other_clients_run(spawn_ick, outside_kernel):
    _, client, connection_file = outside_kernel
    term = spawn_ick("--existing", str(connection_file))
    term.expect(PROMPT.format(2))
    for _ in range(2):  # another client runs In [2] and In [3] while ick waits at its prompt
        assert client.execute_interactive("6 * 7", timeout=30)["content"]["status"] == "ok"
    term.expect(PROMPT.format(4))  # redrawn at once, not only after the next input
    term.enter("'mine'")
    term.expect(r"Out\[4\]: 'mine'")
    term.expect(PROMPT.format(5))


def test_interrupt_reaches_an_attached_kernel_over_the_control_channel(spawn_ick, outside_kernel):
    _, _, connection_file = outside_kernel
    term = spawn_ick("--existing", str(connection_file))
    term.expect(PROMPT.format(r"\d+"))
    term.enter("print('looping', flush=True); exec('while True: pass')")
    term.expect(r"\nlooping\n")
    term.child.sendintr()
    term.expect(r"KeyboardInterrupt")
    term.expect(PROMPT.format(r"\d+"))


def test_no_argument_means_the_newest_kernel_in_the_runtime_dir(spawn_ick, ick_env, outside_kernel):
    _, _, connection_file = outside_kernel
    env = {**ick_env, "JUPYTER_RUNTIME_DIR": str(connection_file.parent)}
    term = spawn_ick("--existing", env=env)
    term.expect(PROMPT.format(r"\d+"))
    term.enter("shared")
    term.expect(r"'set by another client'")


def test_a_bare_name_is_looked_up_in_the_runtime_dir(ick_env, outside_kernel):
    _, _, connection_file = outside_kernel
    env = {**ick_env, "JUPYTER_RUNTIME_DIR": str(connection_file.parent)}
    result = run_ick("--existing", "kernel-outside", "-c", "print(shared)", env=env)
    assert (result.stdout, result.returncode) == ("set by another client\n", 0), result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("not json", "not a connection file (not JSON)"),
        ('{"shell_port": 1}', "not a connection file (missing iopub_port"),
    ],
)
def test_a_bad_connection_file_is_one_line_and_status_2(tmp_path: Path, content, message):
    path = tmp_path / "kernel-bad.json"
    if content is not None:
        path.write_text(content)
    result = subprocess.run(
        [*ICK, "--existing", str(path), "-c", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_other_clients_work_shows_up_labelled_while_idle(spawn_ick, outside_kernel):
    _, client, connection_file = outside_kernel
    term = spawn_ick("--existing", str(connection_file))
    term.expect(PROMPT.format(2))
    client.execute_interactive("print('printed elsewhere'); 40 + 2", timeout=30)
    # Nothing typed in ick: the other client's input and output appear above its prompt.
    term.expect(r"\[other\] In \[2\]: print\('printed elsewhere'\); 40 \+ 2")
    term.expect(r"printed elsewhere\n")
    term.expect(r"\[other\] Out\[2\]: 42")


def test_other_output_can_be_switched_off(spawn_ick, outside_kernel):
    _, client, connection_file = outside_kernel
    term = spawn_ick("--existing", str(connection_file), "--no-other-output")
    term.expect(PROMPT.format(2))
    client.execute_interactive("print('should stay hidden')", timeout=30)
    term.enter("'ick still works'")
    term.expect(r"Out\[\d+\]: 'ick still works'")
    assert "should stay hidden" not in term.text


def test_watch_shows_every_clients_work_and_survives_a_restart(spawn_ick, outside_kernel):
    manager, client, connection_file = outside_kernel
    term = spawn_ick("--watch", "--existing", str(connection_file))
    term.expect(r"watching the python3 kernel")
    client.execute_interactive("print('hello from the notebook'); 6 * 7", timeout=30)
    term.expect(r"In \[2\]: print\('hello from the notebook'\); 6 \* 7")
    term.expect(r"hello from the notebook\n")
    term.expect(r"Out\[2\]: 42")

    manager.restart_kernel(now=True)
    # (The kernel's "starting" status may be published before the watcher's subscription is
    # back, so the "(re)started" line is best effort; what must hold is that watching goes on.)
    client.wait_for_ready(60)
    client.execute_interactive("print('after the restart')", timeout=30)
    term.expect(r"In \[1\]: print\('after the restart'\)")
    term.expect(r"after the restart\n")

    term.child.sendintr()
    assert term.wait_exit() == 0
    assert manager.is_alive()


def test_watch_sends_the_kernel_nothing(spawn_ick, outside_kernel):
    _, client, connection_file = outside_kernel
    while client.iopub_channel.msg_ready():  # forget what came before
        client.get_iopub_msg(timeout=1)
    term = spawn_ick("--watch", "--existing", str(connection_file))
    term.expect(r"watching the python3 kernel")
    # Any request from the watcher would have reached the kernel before this one, and the
    # kernel publishes busy/idle for every request, parented to the session that sent it.
    msg_id = client.execute("1 + 1")
    sessions = set()
    while True:
        msg = client.get_iopub_msg(timeout=30)
        if msg["parent_header"]:
            sessions.add(msg["parent_header"]["session"])
        done = msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle"
        if done and msg["parent_header"].get("msg_id") == msg_id:
            break
    assert sessions == {client.session.session}
    term.child.sendintr()
    assert term.wait_exit() == 0


def test_watch_needs_an_existing_kernel(tmp_path):
    result = subprocess.run(
        [*ICK, "--watch"], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 2
    assert "--watch needs a running kernel" in result.stderr


def test_death_of_an_attached_kernel_is_reported_without_offering_a_restart(
    spawn_ick, outside_kernel
):
    manager, _, connection_file = outside_kernel
    term = spawn_ick("--existing", str(connection_file))
    term.expect(PROMPT.format(2))
    os.kill(manager.provisioner.pid, signal.SIGKILL)  # type: ignore[union-attr]
    term.expect(r"kernel died \(it missed \d+ heartbeats and nothing listens on its port", 15)
    term.expect(r"started elsewhere, so ick cannot restart it")
    assert term.wait_exit() == 3
    assert "Restart the kernel?" not in term.text


# Kernels that leave heartbeats unanswered while they compute: the ones a heartbeat alone
# would call dead.  Those that answer (the rest of the table) are told apart by the pings.
_SILENT_WHILE_BUSY = [case for case in KERNELS if not case.heartbeat_while_busy]


@pytest.mark.parametrize("case", _SILENT_WHILE_BUSY, ids=[c.name for c in _SILENT_WHILE_BUSY])
def test_an_attached_kernel_that_computes_is_busy_not_dead(
    spawn_ick, tmp_path: Path, case: KernelCase
):
    cwd = PROJECT_KERNELS.parent.parent / case.cwd if case.cwd else None
    with started_outside(case.name, tmp_path, cwd) as (_, _, connection_file):
        repl = spawn_ick("--existing", str(connection_file))
        watcher = spawn_ick("--watch", "--existing", str(connection_file))
        repl.expect(WAITING_PROMPT, timeout=60)
        watcher.expect(rf"watching the {case.name} kernel")
        repl.enter(case.computation)
        # Twenty seconds without a heartbeat answered; then the output, and the prompt back.
        repl.expect(r"(?m)^computed\b", timeout=60)
        repl.expect(WAITING_PROMPT)
        watcher.expect(r"(?m)^computed\b")
        for term in (repl, watcher):
            assert "died" not in term.text and "not answering" not in term.text, term.text
        repl.send("\x04")
        assert repl.wait_exit() == 0


def test_an_attached_kernel_killed_while_it_computes_is_reported(spawn_ick, tmp_path: Path):
    with started_outside("ir", tmp_path) as (manager, _, connection_file):
        repl = spawn_ick("--existing", str(connection_file))
        watcher = spawn_ick("--watch", "--existing", str(connection_file))
        repl.expect(WAITING_PROMPT, timeout=60)
        watcher.expect(r"watching the ir kernel")
        repl.enter('cat(paste0("sleep", "ing"), "\\n"); Sys.sleep(60)')
        repl.expect(r"(?m)^sleeping")
        os.kill(manager.provisioner.pid, signal.SIGKILL)  # type: ignore[union-attr]
        repl.expect(r"the ir kernel died \(it missed \d+ heartbeats and nothing listens", 15)
        assert repl.wait_exit() == 3
        watcher.expect(r"the kernel is not answering \(it missed \d+ heartbeats and nothing")


def test_a_connection_file_left_by_a_kernel_long_gone_is_one_line(tmp_path: Path, ick_env):
    """Nothing listens on its ports: said within seconds, not after the start-up timeout."""
    with started_outside("python3", tmp_path) as (manager, _, connection_file):
        os.kill(manager.provisioner.pid, signal.SIGKILL)  # type: ignore[union-attr]
        result = run_ick(
            "--existing", str(connection_file), "--startup-timeout", "600", "-c", "1",
            env=ick_env, timeout=60,
        )  # fmt: skip
        assert result.returncode == 3, result.stderr
        assert result.stderr.splitlines() == [
            "ick: cannot attach to the python3 kernel: "
            "nothing listens on its heartbeat port; is it still running?"
        ]


def test_attaching_to_a_kernel_busy_with_other_work_says_so_when_it_gives_up(
    ick_env, outside_kernel
):
    _, client, connection_file = outside_kernel
    client.execute("import time; time.sleep(60)")  # another client's long computation
    result = run_ick(
        "--existing", str(connection_file), "--startup-timeout", "3", "-c", "1", env=ick_env
    )
    assert result.returncode == 3, result.stderr
    assert result.stderr.splitlines() == [
        "ick: the python3 kernel did not answer kernel_info in time "
        "(it is running: busy with other work?)"
    ]


def test_a_kernel_kept_running_is_found_again_by_a_bare_existing(spawn_ick, ick_env):
    """exit(keep_kernel=True) leaves ick's kernel running, its connection file in the runtime
    folder: the command ick prints comes back to it, and so does a bare --existing."""
    term = spawn_ick()
    term.expect(PROMPT.format(1))
    term.enter("import os; kept = 6 * 7; os.getpid()")
    pid = int(term.expect(r"Out\[1\]: (\d+)").group(1))
    try:
        term.expect(PROMPT.format(2))
        term.enter("exit(keep_kernel=True)")
        connection_file = Path(term.expect(r"ick --existing (\S+\.json)").group(1))
        assert term.wait_exit() == 0
        os.kill(pid, 0)  # still running
        assert connection_file.name.startswith("kernel-")
        again = spawn_ick("--existing")
        again.expect(WAITING_PROMPT)
        again.enter("kept, os.getpid()")
        again.expect(rf"\(42, {pid}\)")
        again.expect(WAITING_PROMPT)
        again.child.sendeof()
        assert again.wait_exit() == 0
        os.kill(pid, 0)  # a kernel ick attached to is left running
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
