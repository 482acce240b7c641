"""The debugger at ick's REPL: ``)vars``, ``)break`` and the debug prompt, driven in a pty
against the real ipykernel and xeus-python (and bash, which has no debugger).

The same checks run on a kernel from ``--server`` (tests/kernel/remote/) and here on one
attached with ``--existing``; the parsing of what is typed is also checked in-process.
"""

from __future__ import annotations

import os
import re
import signal

import pytest

from ick.frontends.repl.debug_vocabulary import DebugInput, parse_debug_input
from ick.frontends.repl.debugging import input_for_line
from tests.support.debugger_at_the_prompt import (
    DEBUG_PROMPT,
    DEFINES_F,
    WAIT,
    ReplAtTerminal,
    check_breakpoint_and_steps,
    check_exception_breakpoint,
    check_variables,
)
from tests.support.repl import accept_restart, kernel_pid

#: ick's own ipykernel, and xeus-python from the project's kernels (scripts/setup-dev).
DEBUGGING_KERNELS = ["python3", "xpython"]

# Prints now and then, so that a test knows it runs on; Ctrl-C then lands in its own loop.
SPIN = """def spin():
    n = 0
    while True:
        n += 1
        if n % 2_000_000 == 0:
            print('spin' + 'ning', flush=True)"""


def repl_on(spawn_ick, *args: str) -> ReplAtTerminal:
    return ReplAtTerminal(spawn_ick(*args))


@pytest.mark.parametrize("kernel", DEBUGGING_KERNELS)
def test_vars_shows_the_kernels_variables_with_their_types(spawn_ick, kernel):
    repl = repl_on(spawn_ick, "-k", kernel)
    check_variables(repl)
    # Starting the kernel's debugger printed nothing of its own (debugpy's warnings).
    assert "Debugger warning" not in repl.term.text


@pytest.mark.parametrize("kernel", DEBUGGING_KERNELS)
def test_a_breakpoint_stops_f_and_the_debug_prompt_steps_through_it(spawn_ick, kernel):
    check_breakpoint_and_steps(repl_on(spawn_ick, "-k", kernel))


@pytest.mark.parametrize("kernel", DEBUGGING_KERNELS)
def test_a_raised_exception_stops_inside_the_function(spawn_ick, kernel):
    check_exception_breakpoint(repl_on(spawn_ick, "-k", kernel))


def test_a_kernel_without_a_debugger_answers_in_one_line(spawn_ick):
    repl = repl_on(spawn_ick, "-k", "bash")
    for command in (")vars", ")break 1", ")break raise", ")break"):
        shown = repl.command(command).strip().splitlines()
        assert shown[-1:] == ["*** the bash kernel has no debugger"], shown
    repl.run("echo still here")  # bash_kernel's is_complete answers "unknown": Esc-Enter
    assert re.search(r"(?m)^still here$", repl.term.text)


def test_the_vars_key_shows_the_variables_and_keeps_what_was_typed(spawn_ick):
    repl = repl_on(spawn_ick)
    repl.run("seen = 'by the key'")
    repl.term.send("seen.upper(")
    repl.term.expect(r"seen\.upper\(")
    repl.term.send("\x18v")  # Ctrl-X v
    shown = repl.term.expect(rf"In \[{repl.count}\]: seen\.upper\(\s*\Z", WAIT)
    assert re.search(r"\bseen\s+str\s+'by the key'", repl.term.text[: shown.start()])
    repl.term.send(")\r")
    assert f"Out[{repl.count}]: 'BY THE KEY'" in repl.prompt()


def test_the_debug_prompt_takes_ctrl_c_and_ctrl_d_and_interrupts_running_code(spawn_ick):
    """Ctrl-C clears the debug prompt's line; once the code runs on (``c``), Ctrl-C
    interrupts it as any execution; Ctrl-D stops debugging as ``q`` does."""
    repl = repl_on(spawn_ick)
    defined = repl.run(SPIN)
    shown = repl.command(f")break In[{defined}]:2")
    assert f"Breakpoint at In [{defined}], line 2" in shown
    repl.start("spin()")
    repl.term.send("not this")
    repl.term.expect("not this")
    repl.term.send("\x03")
    repl.term.expect(DEBUG_PROMPT, WAIT)
    assert "n / next" in repl.debug("h")
    repl.term.enter("c")
    repl.term.expect(r"(?m)^spinning$", WAIT)  # running on: not stopped in the debugger
    repl.term.child.sendintr()
    shown = repl.prompt()
    assert re.search(r"(?m)^KeyboardInterrupt", shown), shown
    assert "not this" not in shown  # the cleared line was never run
    # The debug prompt's history is its own: Up brings back "c", not the code run before.
    repl.start("spin()")
    repl.term.send("\x1b[A")
    recalled = repl.term.expect(r"\S+\s*\Z", WAIT)  # drawn after the prompt just seen
    assert recalled.group(0).strip() == "c"
    repl.term.send("\x03")
    repl.term.expect(DEBUG_PROMPT, WAIT)
    # Ctrl-D: ick's breakpoints go and the code runs on, to be interrupted as usual.
    repl.term.send("\x04")
    repl.term.expect(r"(?m)^spinning$", WAIT)
    repl.term.child.sendintr()
    assert re.search(r"(?m)^KeyboardInterrupt", repl.prompt())
    assert "no breakpoints" in repl.command(")break")
    repl.term.enter("spin.__name__")
    assert "'spin'" in repl.prompt()


def test_a_kernel_dying_while_stopped_is_reported_like_any_death(spawn_ick):
    repl = repl_on(spawn_ick)
    repl.run(DEFINES_F)
    repl.command(")break 2")
    repl.start("f(1)")
    repl.term.enter("p __import__('os')._exit(1)")
    repl.term.expect(r"ick: the python3 kernel died", WAIT)
    accept_restart(repl.term)
    repl.term.expect(r"In \[1\]:\s*\Z", WAIT)
    repl.count = 1
    # The new kernel's debugger knows nothing of the old one's breakpoints, and neither does ick.
    assert "no breakpoints" in repl.command(")break")
    repl.run(DEFINES_F)
    repl.term.enter("f(1)")
    assert "Out[2]: 4" in repl.prompt()


def test_restart_and_kernel_switch_start_a_new_debug_session(spawn_ick):
    """xeus-python dies of a variables request before the debugger is initialised: each
    kernel ick moves to (and each restart) gets a session of its own."""
    repl = repl_on(spawn_ick)
    repl.run(DEFINES_F)
    repl.command(")break 2")
    repl.term.enter(")kernel xpython")
    repl.term.expect(r"kernel xpython", WAIT)
    repl.term.expect(r"In \[1\]:\s*\Z", WAIT)
    repl.count = 1
    assert "no breakpoints" in repl.command(")break")
    repl.run("on_xeus = 1")
    assert re.search(r"\bon_xeus\s+int\s+1\b", repl.command(")vars"))
    repl.term.enter(")restart")
    repl.term.expect(r"Kernel restarted\.")
    repl.term.expect(r"In \[1\]:\s*\Z", WAIT)
    repl.count = 1
    repl.run("after = 2")
    shown = repl.command(")vars")
    assert re.search(r"\bafter\s+int\s+2\b", shown) and "on_xeus" not in shown, shown
    # The inputs before the restart are gone too: none has a second line to break on.
    assert "*** no input has a line 2" in repl.command(")break 2")
    assert "died" not in repl.term.text


def test_debugging_a_kernel_attached_with_existing(spawn_ick, outside_kernel):
    _, client, connection_file = outside_kernel
    repl = repl_on(spawn_ick, "--existing", str(connection_file))
    assert re.search(r"\bshared\s+str\s+'set by another client'", repl.command(")vars"))
    check_exception_breakpoint(repl)
    check_breakpoint_and_steps(repl)  # leaves its breakpoint in f
    repl.term.send("\x04")
    assert repl.term.wait_exit() == 0
    # ick took its breakpoint with it: the other client's f(1) runs to its end, not to a stop
    # no one would ever let go.
    reply = client.execute_interactive("f(1)", timeout=30)
    assert reply["content"]["status"] == "ok"


def test_code_let_go_from_elsewhere_ends_the_debug_prompt(spawn_ick, outside_kernel):
    """Another client interrupts the kernel while ick's code is stopped: the code runs on,
    into a KeyboardInterrupt raised inside debugpy; the debug prompt goes, and ick says that
    the kernel's debugger may no longer stop its code."""
    manager, _, connection_file = outside_kernel
    repl = repl_on(spawn_ick, "--existing", str(connection_file))
    repl.run(DEFINES_F)
    repl.command(")break 2")
    repl.start("f(1)")
    manager.interrupt_kernel()
    shown = repl.prompt()
    assert re.search(r"(?m)^KeyboardInterrupt", shown), shown
    assert "*** the interrupt stopped the kernel inside its debugger" in shown, shown


def test_a_kernel_dying_at_the_debug_prompt_is_reported_like_any_death(spawn_ick):
    repl = repl_on(spawn_ick)
    repl.run(DEFINES_F)
    repl.command(")break 2")
    repl.start("f(1)")
    os.kill(kernel_pid(repl.term), signal.SIGKILL)
    repl.term.expect(r"ick: the python3 kernel died", WAIT)
    accept_restart(repl.term)
    repl.term.expect(r"In \[1\]:\s*\Z", WAIT)
    assert "Traceback" not in repl.term.text


# -- what is typed, in-process ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("n", DebugInput("next")),
        ("  next ", DebugInput("next")),
        ("s", DebugInput("step")),
        ("r", DebugInput("return")),
        ("cont", DebugInput("continue")),
        ("bt", DebugInput("where")),
        ("u 2", DebugInput("up", "2")),
        ("d", DebugInput("down")),
        ("l", DebugInput("list")),
        ("p x + 1", DebugInput("print", "x + 1")),
        ("p", DebugInput("print")),
        ("vars a.b", DebugInput("vars", "a.b")),
        ("q", DebugInput("quit")),
        ("h", DebugInput("help")),
        # Anything else, and a command word followed by what is not its argument, is code.
        ("x * 2", DebugInput("evaluate", "x * 2")),
        ("n + 1", DebugInput("evaluate", "n + 1")),
        ("c = 3", DebugInput("evaluate", "c = 3")),
        ("u x", DebugInput("evaluate", "u x")),
        ("l[0]", DebugInput("evaluate", "l[0]")),
        ("!n", DebugInput("evaluate", "n")),
    ],
)
def test_what_the_debug_prompt_reads_a_line_as(typed, meant):
    assert parse_debug_input(typed) == meant


def test_break_line_means_the_last_input_that_defines_code_with_that_line():
    inputs = [(1, DEFINES_F), (2, "f(21)"), (3, "x = 1\ny = 2\nz = 3"), (4, "g = 1")]
    assert input_for_line(inputs, 2) == 1  # In [3] has a line 2, but defines nothing
    assert input_for_line(inputs, 5) is None
    assert input_for_line([*inputs, (5, "class A:\n    pass")], 2) == 5
    # With no definition that long, the last input that has the line.
    assert input_for_line([(1, "def f():\n    pass"), (2, "a = 1\nb = 2\nc = 3")], 3) == 2
    assert input_for_line([(1, "a = 1\nb = 2"), (2, "c = 3")], 2) == 1
