"""The interactive REPL, driven through a real pty against the real ipykernel."""

from __future__ import annotations

import os
import re
import signal

import psutil

from tests.support.kernels import write_kernelspec
from tests.support.repl import accept_restart, assert_gone, kernel_pid, start
from tests.support.terminal import PROMPT
from tests.support.waiting import wait_until


def test_state_persists_and_results_use_the_kernels_count(spawn_ick):
    term = start(spawn_ick)
    term.enter("a = 5")
    term.expect(PROMPT.format(2))
    term.enter("a")
    term.expect(r"Out\[2\]: 5\n")
    term.expect(PROMPT.format(3))


def test_stdout_and_stderr_are_shown(spawn_ick):
    term = start(spawn_ick)
    term.enter("import sys; print('to-stdout'); print('to-stderr', file=sys.stderr)")
    term.expect(r"\nto-stdout\n")
    term.expect(r"to-stderr\n")
    term.expect(PROMPT.format(2))


def test_error_shows_the_kernels_traceback(spawn_ick):
    term = start(spawn_ick)
    term.enter("1/0")
    term.expect(r"ZeroDivisionError\s+Traceback")
    term.expect(r"ZeroDivisionError: division by zero")
    term.expect(PROMPT.format(2))


def test_multiline_input_is_decided_by_is_complete(spawn_ick):
    term = start(spawn_ick)
    term.enter("for i in range(3):")
    term.expect(r"\.\.\.: ")
    term.enter("print(i * 10)")  # indented by the kernel's is_complete indent
    term.expect(r"\.\.\.: ")
    term.enter("")
    term.expect(r"\n0\n10\n20\n")
    term.expect(PROMPT.format(2))


def test_lines_typed_ahead_of_an_enter_that_asks_the_kernel_stay_lines(spawn_ick):
    # Faster than the is_complete round trip: the keys after each Enter must wait for it,
    # or "return" would join "def" on one line and that line would run.
    term = start(spawn_ick)
    term.send("def double(x):\rreturn 2 * x\r\rdouble(21)\r")
    term.expect(r"Out\[2\]: 42")
    term.expect(PROMPT.format(3))
    assert "def double(x):return" not in term.text


def test_force_submit_runs_incomplete_input(spawn_ick):
    term = start(spawn_ick)
    term.send("x = (1,")
    term.send("\x1b\r")  # Esc-Enter
    term.expect(r"SyntaxError")
    term.expect(PROMPT.format(2))


def test_input_is_answered_at_the_prompt_the_kernel_sends(spawn_ick):
    term = start(spawn_ick)
    term.enter("name = input('your name: ')")
    term.expect(r"(?m)^your name:")
    term.enter("Ada")
    term.expect(PROMPT.format(2))
    term.enter("name.upper()")
    term.expect(r"Out\[2\]: 'ADA'")


def test_password_prompt_does_not_echo(spawn_ick):
    term = start(spawn_ick)
    term.enter("import getpass; secret = getpass.getpass('password: ')")
    term.expect(r"(?m)^password:")
    term.enter("hunter2")
    term.expect(PROMPT.format(2))
    assert "hunter2" not in term.text
    term.enter("len(secret)")
    term.expect(r"Out\[2\]: 7")


def test_ctrl_c_interrupts_execution_and_keeps_state(spawn_ick):
    term = start(spawn_ick)
    term.enter("a = 5")
    term.expect(PROMPT.format(2))
    term.enter("print('looping', flush=True); exec('while True: pass')")
    term.expect(r"\nlooping\n")  # the kernel is inside the loop now
    term.child.sendintr()
    term.expect(r"KeyboardInterrupt")
    term.expect(PROMPT.format(3))
    term.enter("a")
    term.expect(r"Out\[3\]: 5")


def test_ctrl_c_at_the_prompt_clears_the_line(spawn_ick):
    term = start(spawn_ick)
    term.send("this is not python")
    term.send("\x03")
    term.enter("6 * 7")
    term.expect(r"Out\[1\]: 42")


def test_output_from_a_background_thread_appears_while_idle(spawn_ick):
    term = start(spawn_ick)
    term.enter("import threading; threading.Timer(0.5, lambda: print('from the timer')).start()")
    term.expect(PROMPT.format(2))
    # Nothing is typed: the output must show up on its own, above the prompt.
    term.expect(r"from the timer\n")
    term.expect(PROMPT.format(2))
    term.enter("1 + 1")
    term.expect(r"Out\[2\]: 2")


def test_ctrl_d_exits_zero_and_shuts_the_kernel_down(spawn_ick):
    term = start(spawn_ick)
    pid = kernel_pid(term)
    term.send("\x04")
    assert term.wait_exit() == 0
    assert_gone(pid)


def test_ctrl_d_typed_while_code_runs_ends_the_session_at_the_next_prompt(spawn_ick, tmp_path):
    """Cooked mode's end-of-file is no key: the line discipline left a NUL in its place and
    the Ctrl-D was lost, as it is in CPython's and IPython's REPLs."""
    go_on = tmp_path / "go-on"
    term = start(spawn_ick)
    term.enter(
        "import os, time; print('running', flush=True); "
        f"[time.sleep(0.02) for _ in iter(lambda: os.path.exists({str(go_on)!r}), True)]"
    )
    term.expect(r"\nrunning\n")
    term.send("\x04")  # while the code still runs
    term.read_until(lambda raw: "^D" in raw)  # the terminal echoes it as a typed key
    go_on.touch()
    assert term.wait_exit() == 0


def test_sigkill_during_an_execution_is_reported(spawn_ick):
    term = start(spawn_ick)
    term.enter("import time; time.sleep(60)")
    term.expect(r"time\.sleep\(60\)\n")
    os.kill(kernel_pid(term), signal.SIGKILL)
    term.expect(r"kernel died", timeout=10)
    term.expect(r"Restart the kernel\? \[Y/n\]")
    term.enter("n")
    assert term.wait_exit() == 3


def test_history_is_written_at_once_and_survives_a_restart_of_ick(spawn_ick, ick_env):
    term = start(spawn_ick)
    term.enter("40 + 2  # remembered")
    term.expect(r"Out\[1\]: 42")
    term.expect(PROMPT.format(2))
    history_file = os.path.join(ick_env["XDG_DATA_HOME"], "ick", "history", "python")
    with open(history_file, encoding="utf-8") as handle:
        assert "+40 + 2  # remembered\n" in handle.read()
    term.send("\x04")
    assert term.wait_exit() == 0

    again = start(spawn_ick)
    again.send("\x1b[A")  # Up
    again.expect(r"40 \+ 2  # remembered")
    again.send("\r")
    again.expect(r"Out\[1\]: 42")


def test_ctrl_r_searches_history_from_an_earlier_session(spawn_ick):
    term = start(spawn_ick)
    term.enter("unusual_name = 'found it'")
    term.expect(PROMPT.format(2))
    term.enter("1")
    term.expect(PROMPT.format(3))
    term.send("\x04")
    assert term.wait_exit() == 0

    again = start(spawn_ick)
    again.send("\x12")  # Ctrl-R
    again.send("unusual")
    again.expect(r"unusual_name = 'found it'")
    again.send("\r")  # accept the search result into the buffer
    again.send("\r")  # run it
    again.expect(PROMPT.format(2))
    again.enter("unusual_name")
    again.expect(r"Out\[2\]: 'found it'")


def test_ctrl_c_while_answering_input_interrupts_the_kernel(spawn_ick):
    term = start(spawn_ick)
    term.enter("a = 5")
    term.expect(PROMPT.format(2))
    term.enter("answer = input('question: ')")
    term.expect(r"(?m)^question:")
    term.send("\x03")
    term.expect(r"KeyboardInterrupt")
    term.expect(PROMPT.format(3))
    term.enter("a")
    term.expect(r"Out\[3\]: 5")


def test_kernel_death_while_answering_input_is_reported(spawn_ick):
    term = start(spawn_ick)
    term.enter("answer = input('question: ')")
    term.expect(r"(?m)^question:")
    os.kill(kernel_pid(term), signal.SIGKILL)
    term.expect(r"kernel died", timeout=10)
    accept_restart(term)
    term.expect(PROMPT.format(1))
    term.enter("1 + 2")
    term.expect(r"Out\[1\]: 3")


def test_sigterm_ends_ick_and_shuts_the_kernel_down(spawn_ick):
    term = start(spawn_ick)
    pid = kernel_pid(term)
    term.child.kill(signal.SIGTERM)
    assert term.wait_exit() == 128 + signal.SIGTERM
    assert_gone(pid)


def test_a_kernel_that_ignores_the_interrupt_is_given_up_on_and_restarted(spawn_ick):
    term = start(spawn_ick)
    # system() ignores SIGINT in the caller while it waits, and the shell ignores it too:
    # the interrupt arrives and changes nothing, like a C extension deaf to signals.
    term.enter("import os; print('waiting', flush=True); os.system(\"trap '' INT; sleep 20\")")
    term.expect(r"\nwaiting\n")
    # The interrupt must find the kernel inside system(): its shell's sleep is running.
    kernel = psutil.Process(kernel_pid(term))
    wait_until(
        lambda: any(p.name() == "sleep" for p in kernel.children(recursive=True)),
        what="the kernel's shell running sleep",
    )
    term.child.sendintr()
    # A moment later ick says what a second Ctrl-C does, and from then on it does it.
    term.expect(r"has not stopped; press Ctrl-C again to stop waiting for it")
    term.child.sendintr()
    term.expect(r"kernel did not respond to the interrupt")
    accept_restart(term)
    term.enter("'alive'")
    term.expect(r"Out\[1\]: 'alive'")


def test_save_records_the_interactive_session_as_it_goes(spawn_ick, tmp_path):
    import nbformat

    saved = tmp_path / "session.ipynb"
    term = spawn_ick("--save", str(saved))
    term.expect(PROMPT.format(1))
    term.enter("a = 5")
    term.expect(PROMPT.format(2))
    term.enter("print(a); a * 2")
    term.expect(PROMPT.format(3))
    # Written after each execution: a SIGTERM now loses nothing that finished.
    term.child.kill(signal.SIGTERM)
    assert term.wait_exit() == 128 + signal.SIGTERM
    notebook = nbformat.read(saved, as_version=4)
    nbformat.validate(notebook)
    assert [cell.source for cell in notebook.cells] == ["a = 5", "print(a); a * 2"]
    outputs = notebook.cells[1].outputs
    assert outputs[0].text == "5\n"
    assert outputs[1].data["text/plain"] == "10" and outputs[1].execution_count == 2


def test_tab_completes_from_the_kernel(spawn_ick):
    term = start(spawn_ick)
    term.enter("import collections")
    term.expect(PROMPT.format(2))
    term.send("collections.OrderedDi")
    term.expect(r"OrderedDi")
    term.send("\t")
    # The completion's missing "ct", drawn after the Tab (not the "ct" of "collections", which
    # prompt_toolkit 3.0.53 redraws when the Tab reserves room for a menu).
    term.read_until(lambda raw: re.search(r"(?<!colle)ct", raw) is not None)
    term.send("\r")
    term.expect(r"Out\[2\]: collections\.OrderedDict")


def test_help_with_a_question_mark_is_shown(spawn_ick):
    term = start(spawn_ick)
    term.enter("len?")
    term.expect(r"Signature:\s+len\(obj, /\)")
    term.expect(r"Return the number of items in a container")
    term.expect(PROMPT.format(2))


def test_set_next_input_prefills_the_next_prompt(spawn_ick):
    term = start(spawn_ick)
    term.enter("get_ipython().set_next_input('answer = 6 * 7')")
    term.expect(PROMPT.format(2) + r"answer = 6 \* 7")
    term.send("\r")
    term.expect(PROMPT.format(3))
    term.enter("answer")
    term.expect(r"Out\[3\]: 42")


def test_exit_typed_at_the_prompt_ends_ick_and_the_kernel(spawn_ick):
    term = start(spawn_ick)
    pid = kernel_pid(term)
    term.enter("exit")
    assert term.wait_exit() == 0
    assert_gone(pid)


def test_a_pasted_block_runs_as_one_input(spawn_ick):
    term = start(spawn_ick)
    term.send("\x1b[200~def double(x):\n    return 2 * x\n\nprint(double(21))\x1b[201~")
    term.send("\r")
    term.expect(r"\n42\n")
    term.expect(PROMPT.format(2))


def test_input_is_highlighted_with_the_kernels_lexer(spawn_ick):
    term = start(spawn_ick, "--theme", "light")
    mark = len(term.raw)
    term.send("import os")
    term.expect(r"import os")
    # Pygments' keyword colour (bold green in the default style) around "import".
    assert re.search(r"\x1b\[[0-9;]*38;5;28;1mimport", term.raw[mark:]), term.raw[mark:]


def test_interrupt_by_message_for_kernels_that_ask_for_it(spawn_ick, ick_env, tmp_path):
    """A kernelspec with interrupt_mode "message" is interrupted over the control channel."""
    from jupyter_client.kernelspec import KernelSpecManager

    python3 = KernelSpecManager().get_kernel_spec("python3")
    spec = {
        "argv": python3.argv,
        "display_name": "Python 3 (interrupt by message)",
        "language": "python",
        "interrupt_mode": "message",
    }
    write_kernelspec(tmp_path, "python3-message", spec)
    term = spawn_ick("-k", "python3-message", env={**ick_env, "JUPYTER_PATH": str(tmp_path)})
    term.expect(PROMPT.format(1))
    term.enter("print('looping', flush=True); exec('while True: pass')")
    term.expect(r"\nlooping\n")
    term.child.sendintr()
    term.expect(r"KeyboardInterrupt")
    term.expect(PROMPT.format(2))
