"""What the debug prompt understands: pdb's words, and any other line as an expression.

The table is the one source for the parser and for ``h``'s help, so that a word
added cannot be left out of either.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text


@dataclass(frozen=True, kw_only=True)
class DebugWord:
    """One command of the debug prompt: the words that say it, and what it does."""

    names: tuple[str, ...]
    action: str
    argument: str = ""
    does: str


VOCABULARY: tuple[DebugWord, ...] = (
    DebugWord(names=("n", "next"), action="next", does="run to the next line of this function"),
    DebugWord(names=("s", "step"), action="step", does="run into the function called here"),
    DebugWord(names=("r", "return"), action="return", does="run until this function returns"),
    DebugWord(
        names=("c", "cont", "continue"),
        action="continue",
        does="run until the next breakpoint or the end",
    ),
    DebugWord(names=("w", "where", "bt"), action="where", does="the stack; > marks this frame"),
    DebugWord(names=("u", "up"), action="up", argument="[N]", does="to the calling frame"),
    DebugWord(names=("d", "down"), action="down", argument="[N]", does="to the called frame"),
    DebugWord(names=("l", "list"), action="list", does="the source around the current line"),
    DebugWord(
        names=("p",),
        action="print",
        argument="EXPR",
        does="EXPR's value in this frame (any other input is evaluated too; !EXPR always is)",
    ),
    DebugWord(
        names=("vars",),
        action="vars",
        argument="[NAME]",
        does="this frame's local variables, or one variable with its items (dotted names too)",
    ),
    DebugWord(
        names=("q", "quit"),
        action="quit",
        does="stop debugging: ick's breakpoints go, the code runs on (also Ctrl-D)",
    ),
    DebugWord(names=("h", "help"), action="help", does="show these commands"),
)

_ACTIONS = {name: word.action for word in VOCABULARY for name in word.names}
#: The actions whose argument is free text; the others take none, or a count.
_FREE_ARGUMENT = frozenset({"print", "vars"})
COUNTED = frozenset({"up", "down"})


@dataclass(frozen=True)
class DebugInput:
    """A line typed at the debug prompt: one of :data:`VOCABULARY`'s actions, or ``evaluate``."""

    action: str
    argument: str = ""


def parse_debug_input(text: str) -> DebugInput:
    """What a line typed at the debug prompt asks for.

    A command word followed by what cannot be its argument (``n + 1``, ``c = 3``)
    is an expression, as in pdb: names the commands take stay usable.
    """
    line = text.strip()
    if line.startswith("!"):
        return DebugInput("evaluate", line[1:].strip())
    word, _, rest = line.partition(" ")
    word, rest = word.strip(), rest.strip()
    action = _ACTIONS.get(word)
    if action is None:
        return DebugInput("evaluate", line)
    if action in _FREE_ARGUMENT or not rest or (action in COUNTED and rest.isdigit()):
        return DebugInput(action, rest)
    return DebugInput("evaluate", line)


def vocabulary_help() -> Text:
    """What ``h`` shows."""
    rows = [
        (" / ".join(word.names) + f" {word.argument}".rstrip(), word.does) for word in VOCABULARY
    ]
    width = max(len(usage) for usage, _ in rows) + 2
    return Text("\n".join(f"{usage:<{width}}{does}" for usage, does in rows))
