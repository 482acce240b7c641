"""The kernel's questions at the real prompt (``input()``, ``ipdb>``) against ipykernel in a
pty: end-of-input, a history of answers, and a terminal that never answers CPR."""

from __future__ import annotations

from pathlib import Path

from tests.support.repl import history

from .test_repl import PROMPT, start

CTRL_D = "\x04"
UP = "\x1b[A"
CPR_WARNING = "WARNING: your terminal doesn't support cursor position requests"


def test_ctrl_d_at_input_is_end_of_input(spawn_ick):
    term = start(spawn_ick)
    term.enter("while True: print('blank' if not input('say: ') else 'said')")
    term.expect(r"(?m)^say:")
    term.send(CTRL_D)
    term.expect(r"EOFError")
    term.expect(PROMPT.format(2))


def test_ctrl_d_at_the_debugger_quits_it(spawn_ick):
    term = start(spawn_ick)
    term.enter("def fails(): local_x = 41; 1 / 0")
    term.expect(PROMPT.format(2))
    term.enter("fails()")
    term.expect(r"ZeroDivisionError: division by zero")
    term.expect(PROMPT.format(3))
    term.enter("%debug")
    term.expect(r"ipdb>")
    term.send(CTRL_D)
    term.expect(PROMPT.format(4))


def test_the_debugger_prompt_has_a_history_with_up_and_ctrl_r(spawn_ick):
    term = start(spawn_ick)
    term.enter("def fails(): local_x = 41; 1 / 0")
    term.expect(PROMPT.format(2))
    term.enter("fails()")
    term.expect(PROMPT.format(3))
    term.enter("%debug")
    term.expect(r"ipdb>")
    term.enter("p local_x + 1")
    term.expect(r"\n42\n")
    term.expect(r"ipdb>")
    term.send(UP)
    term.read_until(lambda raw: "local_x + 1" in raw)
    term.send("\r")
    term.expect(r"\n42\n")
    term.expect(r"ipdb>")
    term.enter("p local_x * 2")
    term.expect(r"\n82\n")
    term.expect(r"ipdb>")
    term.send("\x12")  # Ctrl-R: search the answers
    term.send("+ 1")
    term.read_until(lambda raw: "`+ 1': p local_x" in raw)  # found, the match highlighted
    term.send("\r")  # takes the line found
    term.send("\r")  # and runs it
    term.expect(r"\n42\n")
    term.expect(r"ipdb>")
    term.enter("q")
    term.expect(PROMPT.format(4))


def test_answers_are_remembered_across_executions_but_passwords_never(spawn_ick, ick_env):
    term = start(spawn_ick)
    term.enter("first = input('first: ')")
    term.expect(r"(?m)^first:")
    term.enter("kept answer")
    term.expect(PROMPT.format(2))
    term.enter("import getpass; secret = getpass.getpass('password: ')")
    term.expect(r"(?m)^password:")
    term.enter("hunter2")
    term.expect(PROMPT.format(3))
    term.enter("again = input('again: ')")
    term.expect(r"(?m)^again:")
    term.send(UP)  # the last answer that was not a password
    term.read_until(lambda raw: "kept answer" in raw)
    term.send("\r")
    term.expect(PROMPT.format(4))
    term.enter("again")
    term.expect(r"Out\[4\]: 'kept answer'")
    assert "hunter2" not in term.text
    term.expect(PROMPT.format(5))
    term.send(CTRL_D)
    assert term.wait_exit() == 0
    # Answers are the session's: the code's history on disk has the code, and no file
    # ick keeps has an answer, let alone the password.
    assert "first = input('first: ')" in history(ick_env)
    data = Path(ick_env["XDG_DATA_HOME"])
    kept = b"".join(path.read_bytes() for path in data.rglob("*") if path.is_file())
    assert b"kept answer" not in kept and b"hunter2" not in kept


def test_a_terminal_that_never_answers_cpr_is_warned_once(spawn_ick, ick_env):
    env = {key: value for key, value in ick_env.items() if key != "PROMPT_TOOLKIT_NO_CPR"}
    term = spawn_ick(env=env)
    term.expect(PROMPT.format(1))
    term.expect(CPR_WARNING)  # the first prompt asked, and nothing answered
    asked_after = len(term.raw)
    term.enter("a = input('a: '); b = input('b: ')")
    term.expect(r"(?m)^a:")
    term.enter("1")
    term.expect(r"(?m)^b:")
    term.enter("2")
    term.expect(PROMPT.format(2))
    term.enter("a + b")
    term.expect(r"Out\[2\]: '12'")
    term.expect(PROMPT.format(3))
    # Later prompts no longer ask (so can neither wait for an answer nor warn again).
    assert "\x1b[6n" not in term.raw[asked_after:]
    assert term.text.count(CPR_WARNING) == 1
