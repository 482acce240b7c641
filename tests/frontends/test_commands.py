"""ick's own )commands and their keys: restart, switch kernels, save, interrupt, help, quit."""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
import sys
import time

import nbformat
import psutil
import pytest
from jupyter_client import BlockingKernelClient

from ick.frontends.repl.commands import Invocation, parse_command
from ick.frontends.repl.reference import COMMANDS
from tests.support.kernels import ipykernel_after, write_kernelspec
from tests.support.repl import assert_gone, kernel_pid, start
from tests.support.terminal import PROMPT

# Each is a whole input as a user would type it.
COMMAND_LINES = [f"){command.name}" for command in COMMANDS] + [")kernel ir", ")save a.ipynb"]


def _syntax_checkers(tmp_path) -> dict[str, list[str]]:
    """For each language, a command that exits non-zero when the file in it does not parse."""
    return {
        "python": [
            sys.executable,
            "-c",
            "import sys; compile(open(sys.argv[1]).read(), 'f', 'exec')",
        ],
        "bash": ["bash", "-n"],
        "javascript": ["node", "--check"],
        "r": ["Rscript", "-e", "invisible(parse(commandArgs(TRUE)[1]))"],
        "octave": ["octave", "--no-gui", "--no-window-system", "--norc", "--quiet"],
    }


@pytest.mark.parametrize("language", ["python", "bash", "javascript", "r", "octave"])
def test_the_command_form_is_a_syntax_error_in_every_supported_language(tmp_path, language):
    """So no code that means anything can be taken for a command."""
    checker = _syntax_checkers(tmp_path)[language]
    suffix = {"javascript": ".js", "octave": ".m", "r": ".R"}.get(language, ".txt")

    def parses(line: str) -> bool:
        source = tmp_path / f"line{suffix}"
        source.write_text(line + "\n")
        try:
            result = subprocess.run(
                [*checker, str(source)], capture_output=True, text=True, timeout=60
            )
        except FileNotFoundError:
            pytest.fail(f"{checker[0]} is needed to check {language} (install it: see README)")
        return result.returncode == 0

    # The checker itself works: valid code passes it.
    assert parses("x = 1"), f"the {language} check rejects valid code"
    for line in COMMAND_LINES:
        assert not parses(line), f"{line!r} parses as {language}"


def test_parsing_commands():
    assert parse_command(")restart") == Invocation("restart", "", True)
    assert parse_command("  )kernel   ir  ") == Invocation("kernel", "ir", True)
    assert parse_command(")res") == Invocation("restart", "", True)  # a unique prefix
    assert parse_command(")sa my file.ipynb") == Invocation("save", "my file.ipynb", True)
    assert parse_command(")frobnicate") == Invocation("frobnicate", "", False)
    for code in (") + 1", ")", "x)restart", ")restart\n)quit", "print(')restart')", ";;restart"):
        assert parse_command(code) is None, code


def test_restart_keeps_ick_running_and_clears_the_kernels_state(spawn_ick):
    term = start(spawn_ick)
    old_kernel = kernel_pid(term)
    term.enter("a = 5")
    term.expect(PROMPT.format(2))
    term.enter(")restart")
    term.expect(r"Kernel restarted\.")
    term.expect(PROMPT.format(1))
    assert term.child.isalive()
    assert_gone(old_kernel)
    term.enter("a")
    term.expect(r"NameError: name 'a' is not defined")
    term.expect(PROMPT.format(2))
    # The new kernel's start-up chatter (debugpy's warnings on stderr) is not shown.
    assert "Debugger warning" not in term.text


def test_restart_gives_up_after_the_startup_timeout_and_the_session_goes_on(
    spawn_ick, ick_env, tmp_path
):
    """Issue 19: a restart waited 60 s for the kernel whatever --startup-timeout said.

    A real ipykernel whose kernelspec starts it at once the first time and, while a marker
    file exists, sleeps instead of starting it again.
    """
    started_once = shlex.quote(str(tmp_path / "started-once"))
    spec = {
        "argv": ipykernel_after(
            f"if [ -e {started_once} ]; then exec sleep 120; fi; touch {started_once}"
        ),
        "display_name": "Python 3 (slow to restart)",
        "language": "python",
    }
    write_kernelspec(tmp_path / "jupyter", "slowrestart", spec)
    jupyter_path = os.pathsep.join([str(tmp_path / "jupyter"), ick_env["JUPYTER_PATH"]])
    env = {**ick_env, "JUPYTER_PATH": jupyter_path}
    term = spawn_ick("-k", "slowrestart", "--startup-timeout", "10", env=env)
    term.expect(PROMPT.format(1), timeout=30)
    term.enter(")restart")
    # Well before the 60 s that used to be the restart's own limit.
    failure = term.expect(r"ick: could not restart the kernel: [^\n]*\n", timeout=40).group()
    assert "Traceback" not in term.text
    # Explained by the new process, not by what the first one wrote when it started.
    assert "--existing" not in failure, failure
    # Once the kernel can start again, the session carries on with it.
    (tmp_path / "started-once").unlink()
    term.expect(PROMPT.format(r"\d+"))
    term.enter(")restart")
    term.expect(r"Kernel restarted\.")
    term.expect(PROMPT.format(1))
    term.enter("6 * 7")
    term.expect(r"Out\[1\]: 42")
    assert "Traceback" not in term.text


def test_the_restart_key_keeps_what_was_typed(spawn_ick):
    term = start(spawn_ick)
    term.enter("a = 5")
    term.expect(PROMPT.format(2))
    term.send("b = 2")
    term.expect("b = 2")
    term.send("\x18\x12")  # Ctrl-X Ctrl-R
    term.expect(r"Kernel restarted\.")
    term.expect(PROMPT.format(1) + "b = 2")
    term.send("\r")
    term.expect(PROMPT.format(2))
    term.enter("b")
    term.expect(r"Out\[2\]: 2")


def test_switching_from_python_to_r_in_place(spawn_ick):
    term = start(spawn_ick)
    python_kernel = kernel_pid(term)
    term.enter(")kernel ir")
    term.expect(r"R \d+\.\d+.*kernel ir", timeout=60)
    term.expect(PROMPT.format(1))
    assert_gone(python_kernel)
    term.enter("paste('from', R.version$language)")
    term.expect(r'\[1\] "from R"')
    term.expect(PROMPT.format(2))
    r_kernel = kernel_pid(term)
    term.send("\x04")
    assert term.wait_exit() == 0
    assert_gone(r_kernel)


def test_switching_to_an_unknown_kernel_stays_on_the_current_one(spawn_ick):
    term = start(spawn_ick)
    term.enter("a = 5")
    term.expect(PROMPT.format(2))
    term.enter(")kernel no-such-kernel")
    term.expect(r"no kernel named 'no-such-kernel'; installed kernels: .*python3")
    term.enter("a")
    term.expect(r"Out\[2\]: 5")


def test_kernel_alone_lists_the_installed_kernels_in_aligned_columns(spawn_ick):
    """Issue 19: the listing was ``name  (language)``, its second column ragged."""
    term = start(spawn_ick)
    term.enter(")kernel")
    term.expect(r"Kernels \(switch with \)kernel NAME\):\n")
    listing = term.expect(r"((?:[* ] \S+ +\S.*\n)+)" + PROMPT.format(1)).group(1)
    # (current mark, name and the spaces after it, language) of each row
    rows = re.findall(r"^([* ]) (\S+ +)(\S.*?) *$", listing, re.MULTILINE)
    assert len(rows) == len(listing.splitlines()), listing
    # The language column starts at the same screen column on every row.
    assert len({len(mark) + 1 + len(name) for mark, name, _ in rows}) == 1, listing
    languages = {name.strip(): language for _, name, language in rows}
    assert {"python3": "python", "ir": "R", "bash": "bash"}.items() <= languages.items(), listing
    assert [name.strip() for mark, name, _ in rows if mark == "*"] == ["python3"], listing


def test_save_writes_the_session_as_a_valid_notebook(spawn_ick, tmp_path):
    saved = tmp_path / "session.ipynb"
    term = start(spawn_ick)
    term.enter("x = 6")
    term.expect(PROMPT.format(2))
    term.enter("print(x); x * 7")
    term.expect(r"Out\[2\]: 42")
    term.enter(f")save {saved}")
    term.expect(r"Saved 2 cells to .*session\.ipynb")
    notebook = nbformat.read(saved, as_version=4)
    nbformat.validate(notebook)
    assert [cell.source for cell in notebook.cells] == ["x = 6", "print(x); x * 7"]
    assert notebook.metadata.kernelspec.name == "python3"
    assert notebook.cells[1].outputs[1].data["text/plain"] == "42"
    # The command itself never reached the kernel or the notebook.
    term.expect(PROMPT.format(3))
    again = tmp_path / "by-key.ipynb"
    term.send("\x18s")  # Ctrl-X s asks for the file
    term.expect(r"Save the session as \[ick-[-\d]+\.ipynb\]:")
    term.enter(str(again))
    term.expect(r"Saved 2 cells to .*by-key\.ipynb")
    assert nbformat.read(again, as_version=4).cells[0].source == "x = 6"


def test_save_makes_an_ordinary_file_with_a_notebooks_name(spawn_ick, tmp_path):
    old_umask = os.umask(0o002)  # ick inherits it; 0002 is not what mkstemp's 0600 would give
    try:
        term = spawn_ick(cwd=tmp_path)
        term.expect(PROMPT.format(1))
    finally:
        os.umask(old_umask)
    term.enter("x = 6")
    term.expect(PROMPT.format(2))
    term.enter(")save sess")  # no suffix: a notebook's
    term.expect(r"Saved 1 cell to sess\.ipynb")
    assert stat.S_IMODE((tmp_path / "sess.ipynb").stat().st_mode) == 0o664
    term.enter(")save")  # no --save file: a dated name, here
    term.expect(r"Saved 1 cell to (ick-\d{4}-\d\d-\d\d-\d{6}\.ipynb)")
    dated = [path.name for path in tmp_path.glob("ick-*.ipynb")]
    assert len(dated) == 1
    assert nbformat.read(tmp_path / dated[0], as_version=4).cells[0].source == "x = 6"


def test_save_alone_writes_the_save_file(spawn_ick, tmp_path):
    recorded = tmp_path / "recorded.ipynb"
    term = spawn_ick("--save", str(recorded))
    term.expect(PROMPT.format(1))
    term.enter("y = 7")
    term.expect(PROMPT.format(2))
    recorded.unlink()
    term.enter(")save")
    term.expect(r"Saved 1 cell to .*recorded\.ipynb")
    assert nbformat.read(recorded, as_version=4).cells[0].source == "y = 7"
    term.send("\x18s")  # Ctrl-X s offers the same file; Enter takes it
    term.expect(r"Save the session as \[.*recorded\.ipynb\]:")
    term.enter("")
    term.expect(r"Saved 1 cell to .*recorded\.ipynb")


def test_an_unknown_command_is_reported_and_never_sent(spawn_ick):
    term = start(spawn_ick)
    term.enter(")frobnicate")
    term.expect(r"unknown command \)frobnicate; \)help lists the commands")
    term.expect(PROMPT.format(1))  # the kernel ran nothing


def test_f1_shows_keys_and_commands(spawn_ick):
    term = start(spawn_ick)
    term.send("\x1bOP")  # F1
    term.expect(r"Keys:")
    term.expect(r"\)kernel \[NAME\]\s+C-x k\s+switch to another kernel")
    term.expect(PROMPT.format(1))


def test_quit_leaves_an_attached_kernel_running(spawn_ick, outside_kernel):
    manager, client, connection_file = outside_kernel
    term = spawn_ick("--existing", str(connection_file))
    term.expect(PROMPT.format(r"\d+"))
    term.enter(")quit")
    term.expect(r"keeps running")
    assert term.wait_exit() == 0
    assert manager.is_alive()
    reply = client.execute_interactive("shared", timeout=30)
    assert reply["content"]["status"] == "ok"


def test_quit_shuts_down_a_kernel_ick_started(spawn_ick):
    term = start(spawn_ick)
    pid = kernel_pid(term)
    term.enter(")quit")
    assert term.wait_exit() == 0
    assert_gone(pid)


def test_interrupt_stops_what_another_client_runs(spawn_ick, outside_kernel):
    _, client, connection_file = outside_kernel
    term = spawn_ick("--existing", str(connection_file), "--no-other-output")
    term.expect(PROMPT.format(r"\d+"))
    msg_id = client.execute("import time; print('sleep' + 'ing', flush=True); time.sleep(60)")
    wait_for_stream(client, msg_id, "sleeping")  # the kernel is running it
    term.send("\x18i")  # Ctrl-X i
    term.expect(r"Interrupt sent")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        reply = client.get_shell_msg(timeout=20)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"


def wait_for_stream(
    client: BlockingKernelClient, msg_id: str, text: str, timeout: float = 20
) -> None:
    """Read the client's iopub until the execution ``msg_id`` has printed ``text``."""
    deadline = time.monotonic() + timeout
    while True:
        assert time.monotonic() < deadline, f"{text!r} not printed in {timeout:g} s"
        message = client.get_iopub_msg(timeout=timeout)
        if (
            message["parent_header"].get("msg_id") == msg_id
            and message["msg_type"] == "stream"
            and text in message["content"]["text"]
        ):
            return


def test_confirm_exit_asks_before_ctrl_d_ends_the_session(spawn_ick):
    term = spawn_ick("--confirm-exit")
    term.expect(PROMPT.format(1))
    term.send("\x04")
    term.expect(r"Exit ick\? \[y/N\]")
    term.enter("n")
    term.expect(PROMPT.format(1))
    term.enter("1 + 1")
    term.expect(r"Out\[1\]: 2")
    term.expect(PROMPT.format(2))
    term.send("\x04")
    term.expect(r"Exit ick\? \[y/N\]")
    term.enter("y")
    assert term.wait_exit() == 0


def test_no_kernel_is_left_behind_after_switching_twice(spawn_ick):
    term = start(spawn_ick)
    term.enter(")kernel ir")
    term.expect(r"kernel ir", timeout=60)
    term.expect(PROMPT.format(1))
    term.send("\x18k")  # Ctrl-X k asks for the name
    term.expect(r"Switch to kernel:")
    term.enter("python3")
    term.expect(r"kernel python3", timeout=60)
    term.expect(PROMPT.format(1))
    children = psutil.Process(term.child.pid).children()
    assert len(children) == 1, children
    term.enter("import sys; sys.version_info[0]")
    term.expect(r"Out\[1\]: 3")
