"""The fault matrix (issue 7): what ick survives, driven through the real command.

Every row starts the real ``ick`` in a pty (or in script mode) and checks the
same three promises: ick is responsive again within 10 s (back at a prompt,
or exited with the documented status), it says what happened in one line
rather than a Python traceback, and nothing the user typed is lost from the
history.  Real ipykernel where a real kernel can produce the fault; the
scripted kernel of ``tests/support`` where only a hostile or broken one can.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from ick.errors import ExitStatus
from tests.support.escapes import FORBIDDEN, after_start_up
from tests.support.repl import accept_restart, assert_gone, history, kernel_pid, start
from tests.support.scripted_kernel import ScriptedKernel, WireMessage, write_scripted_kernelspec
from tests.support.terminal import ANY_PROMPT, ICK, PROMPT, Terminal
from tests.support.waiting import wait_until


def assert_one_clear_line(text: str, pattern: str) -> None:
    """``pattern`` is said on exactly one line, and no Python traceback is shown."""
    assert "Traceback" not in text, text[-3000:]
    lines = [line for line in text.splitlines() if re.search(pattern, line)]
    assert len(lines) == 1, f"{pattern!r} on {len(lines)} lines:\n{text[-3000:]}"


class PeakRss:
    """Samples a process's resident memory in a thread; ``peak`` is the highest seen."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.process = psutil.Process(pid)
        self.baseline = self.process.memory_info().rss
        self.peak = self.baseline
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth_mb(self) -> float:
        return (self.peak - self.baseline) / 2**20

    def report(self, what: str, baseline: str = "at the prompt") -> str:
        line = (
            f"{what}: ick peak RSS {self.peak / 2**20:.0f} MB "
            f"({baseline} {self.baseline / 2**20:.0f} MB, +{self.growth_mb:.0f} MB)"
        )
        print(line)
        return line


def wait_for_executions(kernel: ScriptedKernel, count: int, timeout: float = 10) -> list[str]:
    """The code of the kernel's first ``count`` visible executions, once it has them."""

    def codes() -> list[str]:
        return [r["code"] for r in kernel.requests_of("execute_request") if not r["silent"]]

    wait_until(lambda: len(codes()) >= count, timeout=timeout, what=f"{count} executions")
    return codes()


def attach(spawn_ick, kernel: ScriptedKernel, *args: str) -> Terminal:
    term = spawn_ick("--existing", str(kernel.connection_file), *args)
    term.expect(r"kernel scripted")
    return term


# -- row: the kernel is SIGKILLed -------------------------------------------------------------


def kill_kernel(term: Terminal) -> float:
    """SIGKILL the kernel ick started; check ick says so within 3 s; return when it was killed."""
    os.kill(kernel_pid(term), signal.SIGKILL)
    killed = time.monotonic()
    term.expect(r"kernel died", timeout=10)
    assert time.monotonic() - killed < 3
    return killed


def test_sigkill_mid_execution_is_reported_within_3_s_and_restart_works(spawn_ick, ick_env):
    term = start(spawn_ick)
    term.enter("kept = 'before the death'")
    term.expect(PROMPT.format(2))
    term.enter("import time; print('running', flush=True); time.sleep(60)")
    term.expect(r"\nrunning\n")
    killed = kill_kernel(term)
    # The execution that was waiting is failed: ick offers the restart, not a hung prompt.
    accept_restart(term)
    assert time.monotonic() - killed < 10
    term.expect(PROMPT.format(1))
    term.enter("'restarted'")
    term.expect(r"Out\[1\]: 'restarted'")
    assert_one_clear_line(term.text, r"kernel died")
    assert history(ick_env)[-3:] == [
        "kept = 'before the death'",
        "import time; print('running', flush=True); time.sleep(60)",
        "'restarted'",
    ]


def test_sigkill_at_the_idle_prompt_is_reported_within_3_s_keeping_the_typed_line(
    spawn_ick, ick_env
):
    term = start(spawn_ick)
    term.enter("kept = 1")
    term.expect(PROMPT.format(2))
    term.send("half typed")
    term.expect(r"half typed")
    kill_kernel(term)
    accept_restart(term)
    # What the user was typing is kept, and the new kernel has none of the old one's state.
    term.expect(r"In \[1\]: half typed")
    assert_one_clear_line(term.text, r"kernel died")
    term.send("\x15kept\r")  # Ctrl-U clears the line
    term.expect(r"NameError")
    assert history(ick_env)[-2:] == ["kept = 1", "kept"]


def test_sigkill_mid_execution_in_a_script_exits_3_with_one_line(tmp_path: Path):
    job = tmp_path / "job.py"
    job.write_text("import os, time\nprint(os.getpid(), flush=True)\ntime.sleep(60)\n")
    proc = subprocess.Popen(
        [*ICK, str(job)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert proc.stdout is not None
        pid = int(proc.stdout.readline())
        os.kill(pid, signal.SIGKILL)
        killed = time.monotonic()
        _, stderr = proc.communicate(timeout=10)
        assert time.monotonic() - killed < 3
    finally:
        proc.kill()
    assert proc.returncode == ExitStatus.KERNEL
    assert stderr.strip().splitlines() == [
        "ick: the python3 kernel died (the kernel process exited)"
    ]


# -- row: a kernel that never answers --------------------------------------------------------


@pytest.mark.timeout(60)
def test_a_kernel_silent_from_the_start_times_out_with_status_3(spawn_ick, scripted):
    kernel = scripted(silent_to={"kernel_info_request"})
    term = spawn_ick("--existing", str(kernel.connection_file), "--startup-timeout", "2", "-c", "1")
    term.expect(r"did not answer kernel_info in time", timeout=10)
    assert term.wait_exit(10) == ExitStatus.KERNEL
    assert_one_clear_line(term.text, r"ick: ")
    assert kernel.requests_of("kernel_info_request")


SILENT_AFTER_START = {
    "execute_request",
    "complete_request",
    "is_complete_request",
    "inspect_request",
    "history_request",
    "interrupt_request",
}


def test_typing_never_waits_for_a_silent_kernel_and_enter_falls_back_to_a_blank_line(
    spawn_ick, scripted, ick_env
):
    kernel = scripted(silent_to=SILENT_AFTER_START)
    term = attach(spawn_ick, kernel)
    term.expect(ANY_PROMPT, timeout=15)  # after the silent execution_count sync gives up
    # Tab asks complete_request; typing goes on while the kernel says nothing.
    term.send("abc\t")
    sent = time.monotonic()
    term.send("def")
    term.expect(r"abcdef")
    assert time.monotonic() - sent < 1
    # Enter asks is_complete_request: no verdict in 1 s, so it opens a new line ...
    term.send("\r")
    term.expect(r"\.\.\.:", timeout=3)
    term.send("ghi")
    term.expect(r"ghi")
    term.send("\r")
    term.expect(r"\.\.\.:", timeout=3)
    # ... and a blank last line submits (the blank-line rule).
    term.send("\r")
    assert wait_for_executions(kernel, 1) == ["abcdef\nghi"]
    assert {"complete_request", "is_complete_request"} <= {kind for kind, _ in kernel.received}
    # The execution is never answered: Ctrl-C, then Ctrl-C again gives up on it.
    term.wait_until_prompt_gone()
    term.child.sendintr()
    term.expect(r"press Ctrl-C again to stop waiting for it")
    term.child.sendintr()
    term.expect(r"did not respond to the interrupt", timeout=10)
    term.expect(ANY_PROMPT, timeout=10)
    assert "Traceback" not in term.text
    assert history(ick_env, "scripted") == ["abcdef\nghi"]
    term.send("\x04")
    assert term.wait_exit(10) == ExitStatus.OK


def test_a_script_on_a_silent_kernel_ick_started_times_out_and_shuts_it_down(
    tmp_path: Path, ick_env
):
    write_scripted_kernelspec(tmp_path / "jupyter", "scripted-silent", "silent")
    env = {**ick_env, "JUPYTER_PATH": str(tmp_path / "jupyter")}
    proc = subprocess.Popen(
        [*ICK, "-k", "scripted-silent", "--timeout", "2", "-c", "never answered"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        # The kernel's process, once ick has started it (waited for, not slept on).
        deadline = time.monotonic() + 20
        kernels: list[psutil.Process] = []
        while not kernels and proc.poll() is None and time.monotonic() < deadline:
            kernels = psutil.Process(proc.pid).children(recursive=True)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(0.05)  # returns at once if ick ends meanwhile
        _, stderr = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == ExitStatus.TIMEOUT
    assert stderr.strip().splitlines() == [
        "ick: the execution took longer than 2 s and was interrupted"
    ]
    assert kernels, "the scripted kernel was not started"
    for process in kernels:
        assert_gone(process.pid)


# -- row: output floods ---------------------------------------------------------------------


@pytest.mark.timeout(180)
def test_a_million_lines_in_one_execution_keeps_up_with_flat_memory(spawn_ick, ick_env):
    term = start(spawn_ick)
    term.enter("import sys")
    term.expect(PROMPT.format(2))
    with PeakRss(term.child.pid) as rss:
        started = time.monotonic()
        term.enter("for i in range(10**6): print(i)")
        read = term.drain(r"\n999999\n\s*" + PROMPT.format(3), timeout=150)
        elapsed = time.monotonic() - started
    rss.report(f"10^6 lines ({read / 2**20:.1f} MB of terminal output in {elapsed:.1f} s)")
    assert rss.growth_mb < 64
    term.enter("'still here'")
    term.expect(r"Out\[3\]: 'still here'")
    assert "for i in range(10**6): print(i)" in history(ick_env)


def test_ctrl_c_interrupts_during_a_flood(spawn_ick):
    term = start(spawn_ick)
    term.enter("import itertools")
    term.expect(PROMPT.format(2))
    term.send("for i in itertools.count(): print(i)\x1b\r")
    term.drain(r"\n\d{5,}\n", timeout=30)  # mid-flood, well past the 1000 checked below
    term.child.sendintr()
    interrupted = time.monotonic()
    term.drain(r"KeyboardInterrupt[\s\S]*" + PROMPT.format(3), timeout=10)
    assert time.monotonic() - interrupted < 10
    term.enter("i > 1000")
    term.expect(r"Out\[3\]: True")


FIFTY_MB_PNG = """
import io, os
from PIL import Image as _PIL
from IPython.display import Image, display
_buffer = io.BytesIO()
_PIL.frombytes('RGB', (4200, 4200), os.urandom(4200 * 4200 * 3)).save(
    _buffer, 'PNG', compress_level=0)
png = _buffer.getvalue()
print(f'{len(png) // 2**20} MB png', flush=True)
display(Image(data=png))
"""


@pytest.mark.timeout(180)
def test_a_50_mb_image_in_the_repl(spawn_ick):
    term = start(spawn_ick)
    with PeakRss(term.child.pid) as rss:
        term.send(f"\x1b[200~{FIFTY_MB_PNG.strip()}\x1b[201~\x1b\r")  # paste, Esc-Enter
        term.expect(r"(5\d) MB png", timeout=60)
        term.drain(PROMPT.format(2), timeout=60)
    rss.report("a 50 MB PNG in the REPL")
    assert rss.growth_mb < 600
    term.enter("len(png) > 50 * 2**20")
    term.expect(r"Out\[2\]: True")


@pytest.mark.timeout(180)
def test_a_50_mb_image_in_a_script_becomes_a_file(tmp_path: Path):
    job = tmp_path / "job.py"
    job.write_text(FIFTY_MB_PNG)
    proc = subprocess.Popen(
        [*ICK, str(job), "--image-dir", str(tmp_path / "images")],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    with PeakRss(proc.pid) as rss:
        stdout, stderr = proc.communicate(timeout=150)
    rss.report("a 50 MB PNG in a script", baseline="at exec")
    assert proc.returncode == 0, stderr
    saved = sorted((tmp_path / "images").iterdir())
    assert len(saved) == 1 and saved[0].stat().st_size > 50 * 2**20
    assert f"[image/png saved to {saved[0]}]" in stderr and "saved to" not in stdout
    assert rss.peak < 600 * 2**20


@pytest.mark.timeout(120)
def test_a_single_10_mb_line(spawn_ick):
    term = start(spawn_ick)
    with PeakRss(term.child.pid) as rss:
        term.enter("print('x' * 10**7 + 'END')")
        read = term.drain(r"xEND\n\s*" + PROMPT.format(2), timeout=60)
    rss.report("one 10 MB line")
    assert read > 10**7
    assert rss.growth_mb < 200
    term.enter("'after'")
    term.expect(r"Out\[2\]: 'after'")


# -- row: escape-sequence injection in every text path -------------------------------------

INJECTION = (
    "\x1b]52;c;cHduZWQ=\x07"  # OSC 52: write the clipboard
    "\x1b]0;owned\x07\x1b]2;owned\x1b\\"  # OSC 0/2: retitle the window
    "\x1b[6n\x1b[c\x1b[0c\x1b[>c\x1b[>q\x1b[>0q"  # CPR, DA, DA2, XTVERSION queries
    "\x1bP1$r0m\x1b\\\x1bPq#0;2;0;0;0#0~~\x1b\\"  # DCS: DECRQSS, sixel
    "\x1b]8;;https://evil.example/\x1b\\https://bank.example\x1b]8;;\x1b\\"  # spoofed link
    "\x9b6n\x9d52;c;eA==\x9c\x90q\x9c"  # the same in C1 form
)


def hostile(path: str) -> str:
    """Injection between two markers, so that the test also sees the text did arrive."""
    return f"<{path}>{INJECTION}</{path}>"


def test_escape_sequences_reach_the_terminal_through_no_text_path(spawn_ick, scripted):
    paths = [
        "banner",
        "stdout",
        "stderr",
        "traceback",
        "plain",
        "markdown",
        "markdown-only",
        "prompt",
        "other-input",
    ]

    def on_execute(kernel: ScriptedKernel, request: dict[str, Any]) -> None:
        kernel.stream(hostile("stdout") + "\n")
        kernel.stream(hostile("stderr") + "\n", name="stderr")
        kernel.publish(
            "error",
            {"ename": "Err", "evalue": "v", "traceback": [hostile("traceback"), INJECTION]},
        )
        kernel.publish("execute_result", {"data": {"text/plain": hostile("plain")}, "metadata": {}})
        kernel.publish(
            "display_data",
            {"data": {"text/markdown": hostile("markdown"), "text/plain": hostile("markdown")}},
        )
        kernel.publish("display_data", {"data": {"text/markdown": hostile("markdown-only")}})
        kernel.send(
            WireMessage("iopub", "execute_input", {"code": hostile("other-input")}, "stranger")
        )
        kernel.stream(f"answered {kernel.ask(hostile('prompt'))}\n")

    info = {
        "status": "ok",
        "protocol_version": "5.3",
        "implementation": hostile("banner"),
        "implementation_version": INJECTION,
        "language_info": {"name": "scripted", "version": INJECTION},
        "banner": INJECTION,
    }
    kernel = scripted(on_execute=on_execute, kernel_info=info)
    term = spawn_ick("--existing", str(kernel.connection_file))
    term.expect(ANY_PROMPT)
    term.enter("show me")
    term.expect(r"</prompt>")
    term.enter("yes")
    term.expect(r"answered yes")
    term.expect(ANY_PROMPT)
    for path in paths:
        if path != "markdown-only":  # shown as a placeholder until markdown is rendered
            assert f"<{path}>" in term.text and f"</{path}>" in term.text, path
    for name, sequence in FORBIDDEN.items():
        assert sequence not in after_start_up(term.raw), f"{name} reached the terminal"
    assert "https://evil.example" not in term.raw


def test_a_question_from_nobody_at_the_prompt_does_not_take_what_the_user_types(
    spawn_ick, scripted, ick_env
):
    kernel = scripted()
    term = attach(spawn_ick, kernel)
    term.expect(ANY_PROMPT)
    term.send("typed = 1")
    term.expect(r"typed = 1")
    for parent in ("stranger", "none"):
        question = WireMessage("stdin", "input_request", {"prompt": "steal? "}, parent)
        kernel.call_soon(lambda k, question=question: k.send(question))
    time.sleep(1)
    term.send("\r")
    assert wait_for_executions(kernel, 1) == ["typed = 1"]
    assert not kernel.requests_of("input_reply")
    assert "steal?" not in term.text
    assert history(ick_env, "scripted") == ["typed = 1"]


# -- row: signatures and connection files ---------------------------------------------------


def test_messages_signed_with_a_wrong_key_are_dropped(spawn_ick, scripted):
    def on_execute(kernel: ScriptedKernel, request: dict[str, Any]) -> None:
        for n in range(5):
            forged = {"name": "stdout", "text": f"FORGED {n}\n"}
            kernel.send(WireMessage("iopub", "stream", forged, wrong_key=True))
        kernel.stream("GENUINE\n")

    kernel = scripted(on_execute=on_execute)
    term = attach(spawn_ick, kernel)
    term.expect(ANY_PROMPT)
    term.enter("run")
    term.expect(r"GENUINE")
    term.expect(ANY_PROMPT)
    assert "FORGED" not in term.text
    assert len(re.findall(r"ick: warning", term.text)) == 1
    assert kernel.bad_signatures == 0


def test_the_connection_file_of_a_kernel_ick_starts_is_private(spawn_ick):
    term = start(spawn_ick)
    cmdline = psutil.Process(kernel_pid(term)).cmdline()
    connection_file = Path(cmdline[cmdline.index("-f") + 1])
    assert connection_file.stat().st_mode & 0o777 == 0o600
    assert json.loads(connection_file.read_text())["key"]


# -- row: two ick processes write one history file at once -----------------------------------


@pytest.mark.timeout(120)
def test_two_ick_processes_typing_at_once_lose_no_history(spawn_ick, scripted, ick_env):
    kernel = scripted()
    first, second = (attach(spawn_ick, kernel, "--no-other-output") for _ in range(2))
    first.expect(ANY_PROMPT)
    second.expect(ANY_PROMPT)
    entries = 25
    for n in range(entries):
        # Both press Enter at once; each waits for its next prompt before typing again.
        first.enter(f"first {n}")
        second.enter(f"second {n}")
        first.expect(rf"first {n}\n[\s\S]*?{ANY_PROMPT}")
        second.expect(rf"second {n}\n[\s\S]*?{ANY_PROMPT}")
    for term in (first, second):
        term.send("\x04")
        assert term.wait_exit(10) == ExitStatus.OK
    path = Path(ick_env["XDG_DATA_HOME"]) / "ick" / "history" / "scripted"
    for line in path.read_text().splitlines():
        assert line == "" or line.startswith(("# ", "+")), f"corrupted line {line!r}"
    typed = history(ick_env, "scripted")
    assert [entry for entry in typed if entry.startswith("first")] == [
        f"first {n}" for n in range(entries)
    ]
    assert [entry for entry in typed if entry.startswith("second")] == [
        f"second {n}" for n in range(entries)
    ]
    assert len(typed) == 2 * entries


# -- row: closed pipes, resizes and SIGTERM leave no kernel behind and a complete notebook ----


def saved_cells(path: Path) -> list[tuple[str, str]]:
    """(source, stdout text) of each code cell of a valid saved notebook."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    return [
        (
            cell.source,
            "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream"),
        )
        for cell in notebook.cells
    ]


def test_a_closed_pipe_leaves_no_kernel_and_a_notebook_up_to_the_last_finished_cell(
    tmp_path: Path,
):
    job = tmp_path / "job.py"
    job.write_text(
        "# %%\nimport os\nprint(os.getpid())\n"
        "# %%\nprint('second')\n"
        "# %%\nfor i in range(10**6): print(i)\n"
    )
    saved = tmp_path / "run.ipynb"
    command = " ".join(f"'{part}'" for part in [*ICK, "--save", str(saved), str(job)])
    result = subprocess.run(
        ["bash", "-c", f"{command} | head -1; echo status=${{PIPESTATUS[0]}} >&2"],
        capture_output=True,
        text=True,
        timeout=60,
        start_new_session=True,
    )
    assert result.stderr.strip() == f"status={ExitStatus.BROKEN_PIPE}", result.stderr
    kernel = int(result.stdout)
    assert_gone(kernel)
    cells = saved_cells(saved)
    assert cells[:2] == [
        ("import os\nprint(os.getpid())", f"{kernel}\n"),
        ("print('second')", "second\n"),
    ]


@pytest.mark.timeout(120)
def test_resizing_the_terminal_during_a_flood_then_sigterm(spawn_ick, tmp_path: Path):
    saved = tmp_path / "session.ipynb"
    term = start(spawn_ick, "--save", str(saved))
    kernels = term.kernel_processes()
    term.enter("for i in range(200000): print(i)")
    term.drain(r"\n\d+\n\d+\n", timeout=30)
    resizing = threading.Event()

    def resize() -> None:
        sizes = [(24, 80), (50, 200), (10, 30), (40, 120)]
        n = 0
        while not resizing.wait(0.02):
            term.child.setwinsize(*sizes[n % len(sizes)])
            n += 1

    resizer = threading.Thread(target=resize)
    resizer.start()
    try:
        term.drain(r"\n199999\n[\s\S]*?" + PROMPT.format(2), timeout=60)
    finally:
        resizing.set()
        resizer.join()
    term.enter("'still drawing'")
    term.expect(r"Out\[2\]: 'still drawing'")
    term.expect(PROMPT.format(3))
    term.child.kill(signal.SIGTERM)
    assert term.wait_exit(10) == 128 + signal.SIGTERM
    assert "Traceback" not in term.text
    for kernel in kernels:
        assert_gone(kernel.pid)
    cells = saved_cells(saved)
    assert [source for source, _ in cells] == [
        "for i in range(200000): print(i)",
        "'still drawing'",
    ]
    assert cells[0][1].endswith("199998\n199999\n")


def test_sigterm_during_an_execution_leaves_no_kernel_and_the_finished_cells(
    spawn_ick, tmp_path: Path
):
    saved = tmp_path / "session.ipynb"
    term = start(spawn_ick, "--save", str(saved))
    kernels = term.kernel_processes()
    term.enter("print('finished')")
    term.expect(PROMPT.format(2))
    term.enter("import time; print('running', flush=True); time.sleep(60)")
    term.expect(r"\nrunning\n")
    term.child.kill(signal.SIGTERM)
    terminated = time.monotonic()
    assert term.wait_exit(10) == 128 + signal.SIGTERM
    assert time.monotonic() - terminated < 10
    assert "Traceback" not in term.text
    for kernel in kernels:
        assert_gone(kernel.pid)
    assert saved_cells(saved)[0] == ("print('finished')", "finished\n")
