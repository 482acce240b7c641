"""What a user does with the debugger at ick's prompt, as checks any kernel with one must pass.

Each check drives the real ``ick`` in a pty (:class:`tests.support.terminal.Terminal`),
whatever started its kernel: ick itself, ``--existing`` or ``--server``.  Input
numbers are read from the prompts, since an attached kernel counts on from
where it was.
"""

from __future__ import annotations

import re

from .terminal import Terminal

#: A prompt waiting for input: the last thing on screen (prompt_toolkit redraws the prompt
#: it accepts, so "In [n]: " alone would also match the input just run).
PROMPT = r"In \[{}\]:\s*\Z"
DEBUG_PROMPT = r"\(ick-debug\)\s*\Z"
#: How long a stop, a step or a debugger's start may take on a loaded machine.
WAIT = 60.0

DEFINES_F = "def f(x):\n    y = x + 1\n    print('in f', y)\n    return y * 2"
DEFINES_G = "def g(a):\n    b = a - 1\n    return a / b"


class ReplAtTerminal:
    """The REPL in ``term``, with the number of the input its prompt waits for."""

    def __init__(self, term: Terminal) -> None:
        self.term = term
        match = term.expect(PROMPT.format(r"(\d+)"), WAIT)
        self.count = int(match.group(1))

    def prompt(self) -> str:
        """Wait for the next prompt; what was shown since the last one."""
        start = self.term._pos
        match = self.term.expect(PROMPT.format(self.count + 1), WAIT)
        self.count += 1
        return self.term.text[start : match.start()]

    def same_prompt(self) -> str:
        """Wait for the prompt of the same number (after a command); what came before it."""
        start = self.term._pos
        match = self.term.expect(PROMPT.format(self.count), WAIT)
        return self.term.text[start : match.start()]

    def run(self, code: str) -> int:
        """Paste ``code`` and run it (Esc-Enter); the number it ran as."""
        number = self.count
        self.term.send(f"\x1b[200~{code}\x1b[201~\x1b\r")
        self.prompt()
        return number

    def command(self, line: str) -> str:
        """Type one of ick's commands; what it showed."""
        self.term.enter(line)
        return self.same_prompt()

    def debug(self, line: str) -> str:
        """Type ``line`` at the debug prompt; what was shown until the next one."""
        start = self.term._pos
        self.term.enter(line)
        match = self.term.expect(DEBUG_PROMPT, WAIT)
        return self.term.text[start : match.start()]

    def start(self, code: str) -> tuple[int, str]:
        """Run ``code``, which stops in the debugger; its input number, and what was shown
        until the debug prompt."""
        number = self.count
        return number, self.debug(code)


def check_variables(repl: ReplAtTerminal) -> None:
    """``)vars`` after assignments: the names with their types and short values; ``)vars
    NAME`` (dotted too) shows one with its items."""
    repl.run("answer = 42\nname = 'ick'\nitems = [10, 20, 30]\nbig = 'x' * 100_000")
    shown = repl.command(")vars")
    assert re.search(r"\banswer\s+int\s+42\b", shown), shown
    assert re.search(r"\bname\s+str\s+'ick'", shown), shown
    assert re.search(r"\bitems\s+list\s+\[10, 20, 30\]", shown), shown
    # A large value is cut to a line, never pulled whole onto the screen.
    row = re.search(r"\bbig\s+str\s+'x+…", shown)
    assert row is not None and len(row.group(0)) < 200, shown
    shown = repl.command(")vars items")
    assert re.search(r"items: list = \[10, 20, 30\]", shown), shown
    assert re.search(r"\b1\s+int\s+20\b", shown), shown
    repl.run("class Point:\n    pass\n\np = Point()\np.x = 3")
    assert re.search(r"x: int = 3", repl.command(")vars p.x"))
    assert "*** no variable named p.y" in repl.command(")vars p.y")


def check_breakpoint_and_steps(repl: ReplAtTerminal) -> None:
    """``)break 2`` stops ``f(21)`` there; ``p x`` prints 21, ``n`` moves a line and shows
    what the program prints, ``where`` names the frames, ``c`` finishes with the result."""
    defined = repl.run(DEFINES_F)
    assert f"Breakpoint at In [{defined}], line 2" in repl.command(")break 2")
    caller, stop = repl.start("f(21)")
    assert f"Breakpoint in f, In [{defined}], line 2" in stop, stop
    assert re.search(r"2 B->\s+y = x \+ 1", stop), stop
    assert re.search(r"(?m)^21$", repl.debug("p x"))
    shown = repl.debug("n")
    assert f"Step in f, In [{defined}], line 3" in shown, shown
    assert re.search(r"3  ->\s+print\('in f', y\)", shown), shown
    shown = repl.debug("n")
    assert re.search(r"(?m)^in f 22$", shown), shown  # the program's output, above the prompt
    assert f"Step in f, In [{defined}], line 4" in shown, shown
    shown = repl.debug("where")
    assert re.search(
        rf"In \[{caller}\], line 1, in <module>\s*\n> In \[{defined}\], line 4, in f", shown
    ), shown
    assert re.search(r"\by\s+int\s+22\b", repl.debug("vars"))
    assert re.search(r"(?m)^44$", repl.debug("y * 2"))  # a bare expression is evaluated
    repl.term.enter("c")
    shown = repl.prompt()
    assert f"Out[{caller}]: 44" in shown, shown
    # It ran to its end: no other stop, no complaint.
    assert not re.search(r"\*\*\* |(Breakpoint|Step) in ", shown), shown


def check_exception_breakpoint(repl: ReplAtTerminal) -> None:
    """``)break raise`` stops ``g(1)`` at ``1/0`` inside ``g`` with the exception; ``q`` lets
    the error end the execution as it would have, and the kernel stays usable."""
    assert "Raised exceptions stop the code" in repl.command(")break raise")
    defined = repl.run(DEFINES_G)
    _, stop = repl.start("g(1)")
    where = f"in g, In [{defined}], line 3"
    assert f"Exception ZeroDivisionError: division by zero {where}" in stop, stop
    assert re.search(r"3  ->\s+return a / b", stop), stop
    repl.term.enter("q")
    shown = repl.prompt()
    assert re.search(r"(?m)^ZeroDivisionError: division by zero", shown), shown
    repl.term.enter("g(3)")
    assert f"Out[{repl.count}]: 1.5" in repl.prompt()
    assert "no breakpoints" in repl.command(")break")
