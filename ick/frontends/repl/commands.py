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

This module holds the table (shared by ``--help``, ``)help`` and the key
bindings) and the parser; it is imported by the command line, so it loads
nothing heavy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

PREFIX = ")"

_COMMAND = re.compile(r"\)([A-Za-z][\w-]*)(?:[ \t]+(.*?))?[ \t]*")


@dataclass(frozen=True)
class Command:
    name: str
    argument: str
    """How the argument is shown in help ("" when there is none)."""
    keys: str
    """The key binding that does the same, as help shows it."""
    help: str


COMMANDS: tuple[Command, ...] = (
    Command("restart", "", "C-x C-r", "restart the kernel: its state goes, the session stays"),
    Command("interrupt", "", "C-x i", "interrupt the kernel (also what other clients run on it)"),
    Command("kernel", "[NAME]", "C-x k", "switch to another kernel in place (no NAME: list them)"),
    Command(
        "save", "[FILE.ipynb]", "C-x s", "save this session's inputs and outputs as a notebook"
    ),
    Command("clear", "", "C-l", "clear the screen"),
    Command("help", "", "F1", "show these keys and commands"),
    Command("quit", "", "C-x C-c", "end ick (a kernel attached with --existing keeps running)"),
)

COMMAND_NAMES = tuple(command.name for command in COMMANDS)


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


def is_command(text: str) -> bool:
    return parse_command(text) is not None


def commands_help(indent: int = 0) -> str:
    """The command table, one line each: ``)name ARG  keys  what it does``."""
    pad = " " * indent
    usages = [f"{PREFIX}{c.name} {c.argument}".rstrip() for c in COMMANDS]
    width = max(len(usage) for usage in usages)
    key_width = max(len(c.keys) for c in COMMANDS)
    return "\n".join(
        f"{pad}{usage:<{width}}  {c.keys:<{key_width}}  {c.help}"
        for usage, c in zip(usages, COMMANDS, strict=True)
    )


KEYS_HELP = """\
Enter           run the input when the kernel says it is complete
Esc Enter       run the input now (Alt-Enter in most terminals)
Ctrl-C          clear the input; while code runs, interrupt the kernel
Ctrl-D          exit (on an empty line)
Ctrl-Z          suspend ick (fg brings it back)
Tab             complete, asking the kernel
Up / Down       history, matching what is typed before the cursor
Ctrl-R          search the history
Right / End     accept the grey suggestion from history (also Ctrl-F, Ctrl-E)
F2 / C-x C-e    edit the input in $VISUAL or $EDITOR; what you save is run"""


def full_help() -> str:
    """What ``)help`` and F1 show."""
    return (
        f"Keys:\n{KEYS_HELP}\n\n"
        f"Commands (typed alone on a line, never sent to the kernel; a prefix will do):\n"
        f"{commands_help()}"
    )


class CommandTarget(Protocol):
    """What a session offers the commands (the REPL implements it)."""

    async def restart_kernel(self) -> bool: ...

    async def interrupt_kernel(self) -> None: ...

    async def switch_kernel(self, name: str) -> None: ...

    def save_notebook(self, path: str) -> None: ...

    def clear_screen(self) -> None: ...

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
    return False
