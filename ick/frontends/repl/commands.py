"""ick's own commands at the prompt: they act on the session and never reach the kernel.

A command is typed alone on a line after a closing parenthesis: ``)restart``,
``)kernel ir``, ``)save run.ipynb``.  The form is APL's, whose system commands
(``)save``, ``)clear``, ``)off``) solved the same problem, and it was chosen
because an unmatched ``)`` at the start of an input is a syntax error in
every language ick runs: Python (IPython's ``%``, ``!`` and ``?`` prefixes
are all taken), R (where ``?`` is help and ``.x`` a name), JavaScript and
TypeScript (``;;x`` and ``#!x`` are valid there), bash (where ``)`` is an
operator, unlike ``:x``, ``\\x`` or ``,x``, which are command names) and
Octave.  So ick takes nothing away from any of them: no code that means
anything can look like a command.  Only ``)`` directly followed by a letter,
on a one-line input, is a command; an unknown one is reported, not sent.

The table of commands and their keys is :mod:`ick.frontends.repl.reference`'s;
this module parses what was typed and carries a command out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from ick.frontends.repl.reference import COMMAND_NAMES, PREFIX, full_help

_COMMAND = re.compile(r"\)([A-Za-z][\w-]*)(?:[ \t]+(.*?))?[ \t]*")


@dataclass(frozen=True)
class Invocation:
    """A typed command: ``name`` is resolved when it is known (prefixes allowed), else as typed."""

    name: str
    argument: str
    known: bool


def parse_command(text: str) -> Invocation | None:
    """The command in ``text``, or ``None`` when it is code for the kernel."""
    stripped = text.strip()
    match = _COMMAND.fullmatch(stripped)
    if match is None:
        return None
    typed = match.group(1).lower()
    argument = match.group(2) or ""
    candidates = [name for name in COMMAND_NAMES if name.startswith(typed)]
    if typed in COMMAND_NAMES:
        return Invocation(typed, argument, True)
    if len(candidates) == 1:
        return Invocation(candidates[0], argument, True)
    return Invocation(typed, argument, False)


class CommandKeyPressed(Exception):
    """Ends the prompt when a command's key is pressed; the typed text is kept for later."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def is_command(text: str) -> bool:
    return parse_command(text) is not None


class DebugCommandTarget(Protocol):
    """What the debugger offers the commands (:mod:`ick.frontends.repl.debugging`)."""

    async def show_variables(self, name: str) -> None: ...

    async def breakpoints(self, argument: str) -> None: ...


class CommandTarget(Protocol):
    """What a session offers the commands (the REPL implements it)."""

    @property
    def debugging(self) -> DebugCommandTarget: ...

    async def restart_kernel(self) -> bool: ...

    async def interrupt_kernel(self) -> None: ...

    async def switch_kernel(self, name: str) -> None: ...

    def save_notebook(self, path: str) -> None: ...

    def clear_screen(self) -> None: ...

    async def operate_widgets(self) -> None: ...

    def show(self, text: str) -> None: ...

    def show_error(self, text: str) -> None: ...


async def run_command(target: CommandTarget, invocation: Invocation) -> bool:
    """Carry out a command; ``True`` when it ends the session."""
    if not invocation.known:
        target.show_error(
            f"ick: unknown command {PREFIX}{invocation.name}; {PREFIX}help lists the commands"
        )
        return False
    name, argument = invocation.name, invocation.argument
    if name == "quit":
        return True
    if name == "help":
        target.show(full_help())
    elif name == "clear":
        target.clear_screen()
    elif name == "interrupt":
        await target.interrupt_kernel()
    elif name == "restart":
        await target.restart_kernel()
    elif name == "kernel":
        await target.switch_kernel(argument)
    elif name == "save":
        target.save_notebook(argument)
    elif name == "widgets":
        await target.operate_widgets()
    elif name == "vars":
        await target.debugging.show_variables(argument)
    elif name == "break":
        await target.debugging.breakpoints(argument)
    return False
