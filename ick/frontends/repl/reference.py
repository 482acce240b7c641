"""The REPL's keys and commands, each defined once.

``--help``'s epilog, ``)help`` / F1, README's tables (checked by a test) and
the key bindings themselves all read these tables, so that a key added or
changed cannot leave one of them behind.  Loading this module costs nothing:
``--help`` imports it without prompt_toolkit.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

PREFIX = ")"
"""What starts one of ick's commands (see :mod:`ick.frontends.repl.commands` for why)."""


@dataclass(frozen=True, kw_only=True)
class KeyHelp:
    keys: str
    """The keys as help shows them."""
    does: str


@dataclass(frozen=True, kw_only=True)
class Command:
    name: str
    argument: str = ""
    """How the argument is shown in help ("" when there is none)."""
    key_sequence: tuple[str, ...]
    """The keys that do the same, in prompt_toolkit's notation."""
    bound_by_ick: bool = True
    """False where prompt_toolkit already binds the key to the same action (Ctrl-L)."""
    does: str

    @property
    def keys(self) -> str:
        return " ".join(key_name(key) for key in self.key_sequence)

    @property
    def usage(self) -> str:
        return f"{PREFIX}{self.name} {self.argument}".rstrip()


def key_name(key: str) -> str:
    """prompt_toolkit's ``c-x`` as help writes it, in Emacs's notation (``C-x``, as the
    keys' sequences are Emacs's); ``f1`` as ``F1``, ``s-tab`` as ``Shift-Tab``."""
    if key.startswith("c-"):
        return "C-" + key[2:]
    if key.startswith("s-"):
        return "Shift-" + key[2:].capitalize()
    if key.startswith("f") and key[1:].isdigit():
        return key.upper()
    return key


INSPECT_KEY = "s-tab"
"""The documentation key: Shift-Tab, as in the Jupyter notebook."""

COMMANDS: tuple[Command, ...] = (
    Command(
        name="restart",
        key_sequence=("c-x", "c-r"),
        does="restart the kernel: its state goes, ick and what you were typing stay",
    ),
    Command(
        name="interrupt",
        key_sequence=("c-x", "i"),
        does="interrupt the kernel, also what another client runs on it",
    ),
    Command(
        name="kernel",
        argument="[NAME]",
        key_sequence=("c-x", "k"),
        does="switch to another kernel in place (no NAME: list them); the old one is shut down "
        "once the new one answers, or left running if ick attached to it",
    ),
    Command(
        name="save",
        argument="[FILE.ipynb]",
        key_sequence=("c-x", "s"),
        does="save the session's inputs and outputs as a notebook (no FILE: the --save file, "
        "else ick-DATE.ipynb here)",
    ),
    Command(
        name="widgets",
        key_sequence=("c-x", "w"),
        does="operate the latest widgets from the keyboard: Tab / Shift-Tab between controls, "
        "arrows change, Enter or Space presses, typing edits, Esc back to the prompt",
    ),
    Command(
        name="vars",
        argument="[NAME]",
        key_sequence=("c-x", "v"),
        does="the kernel's variables with their types and short values; NAME (dotted too) shows "
        "one with its items (kernels with a debugger: ipykernel, xeus-python)",
    ),
    Command(
        name="break",
        argument="[WHERE]",
        key_sequence=(),
        does="stop the code at WHERE: LINE of the last input that defines code, In[N]:LINE, "
        "or raise (where exceptions are raised); clear removes them, alone lists them. Stopped, "
        "a debug prompt takes pdb's n, s, r, c, w, u, d, l, p EXPR, vars, q (h lists them)",
    ),
    Command(name="clear", key_sequence=("c-l",), bound_by_ick=False, does="clear the screen"),
    Command(name="help", key_sequence=("f1",), does="show these keys and commands"),
    Command(
        name="quit",
        key_sequence=("c-x", "c-c"),
        does="end ick; a kernel attached with --existing keeps running",
    ),
)

COMMAND_NAMES = tuple(command.name for command in COMMANDS)

COMMAND_KEYS: dict[str, tuple[str, ...]] = {
    command.name: command.key_sequence
    for command in COMMANDS
    if command.bound_by_ick and command.key_sequence
}
"""The key sequences ick binds to a command, by the command's name."""

KEYS: tuple[KeyHelp, ...] = (
    KeyHelp(
        keys="Enter",
        does="run the input if the kernel says it is complete, else open a "
        "continuation line indented as the kernel asks",
    ),
    KeyHelp(keys="Enter on a blank last line", does="run the input whatever the kernel says"),
    KeyHelp(keys="Esc Enter", does="run the input now (Alt-Enter in most terminals)"),
    KeyHelp(
        keys="Ctrl-C",
        does="clear the input; while code runs, interrupt the kernel (a "
        "second Ctrl-C a second later stops waiting for a kernel that ignores it)",
    ),
    KeyHelp(
        keys="Ctrl-D",
        does=(
            "exit on an empty line, also when typed while code runs (at the next prompt); "
            "a kernel ick started is shut down"
        ),
    ),
    KeyHelp(keys="Tab", does="complete, asking the kernel (typing never waits for it)"),
    KeyHelp(
        keys=key_name(INSPECT_KEY),
        does="the kernel's documentation for the name before "
        "the cursor, shown above the prompt; the input stays as it is",
    ),
    KeyHelp(keys="Up / Down", does="history, matching what is typed before the cursor"),
    KeyHelp(keys="Ctrl-R", does="search the history"),
    KeyHelp(
        keys="Right / End", does="accept the grey suggestion from history (also Ctrl-F, Ctrl-E)"
    ),
    KeyHelp(keys="F2 / C-x C-e", does="edit the input in $VISUAL or $EDITOR; what you save is run"),
    KeyHelp(keys="Ctrl-Z", does="suspend ick (fg resumes it)"),
)
"""The keys of the prompt itself; each command's key is in :data:`COMMANDS`."""


def _table(rows: list[tuple[str, str]], indent: int, width: int) -> str:
    left = max(len(first) for first, _ in rows) + 2
    pad = " " * indent
    lines: list[str] = []
    for first, second in rows:
        wrapped = textwrap.wrap(second, max(width - indent - left, 20)) or [""]
        lines.append(f"{pad}{first:<{left}}{wrapped[0]}")
        lines.extend(f"{pad}{'':<{left}}{more}" for more in wrapped[1:])
    return "\n".join(lines)


def keys_help(*, indent: int = 0, width: int = 100) -> str:
    return _table([(key.keys, key.does) for key in KEYS], indent, width)


def commands_help(*, indent: int = 0, width: int = 100) -> str:
    """One line (or more, wrapped) per command: ``)name ARG  keys  what it does``."""
    usage_width = max(len(command.usage) for command in COMMANDS)
    return _table(
        [(f"{c.usage:<{usage_width}}  {c.keys}", c.does) for c in COMMANDS], indent, width
    )


def full_help(width: int = 100) -> str:
    """What ``)help`` and F1 show."""
    return (
        f"Keys:\n{keys_help(width=width)}\n\n"
        "Commands (typed alone on a line, never sent to the kernel; a prefix will do):\n"
        f"{commands_help(width=width)}"
    )


def markdown_keys_table() -> str:
    """README's table of keys."""
    rows = [f"| {key.keys} | {key.does} |" for key in KEYS]
    return "\n".join(["| key | what it does |", "|---|---|", *rows])


def markdown_commands_table() -> str:
    """README's table of commands."""
    rows = [f"| `{c.usage}` | {c.keys} | {c.does} |" for c in COMMANDS]
    return "\n".join(["| command | key | what it does |", "|---|---|---|", *rows])
