"""When Enter submits the input and when it opens a continuation line.

The kernel decides through ``is_complete_request``: only it knows its
language.  Where it cannot tell (bash answers ``unknown`` to everything) or
does not answer in time, ick reads the input with the language's lexer
(``completeness_fallback.py``).  Kernels also answer wrongly (several
JavaScript kernels call invalid code ``incomplete``), so a blank last line
always submits, and Esc-Enter / Alt-Enter submits whatever the kernel says.
A slow or silent kernel never blocks typing: when the kernel must be asked,
Enter waits in a task of its own.  Keys typed after that Enter are held
until it has acted (:class:`KeysAfterEnter`), as a terminal's line
discipline would: ``def f(x):⏎return x`` typed ahead must give two lines,
never ``def f(x):return x``.  When no kernel could disagree (the local
verdict), Enter acts at once, in the key handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from prompt_toolkit.application import Application
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.input.typeahead import store_typeahead
from prompt_toolkit.keys import Keys

IsComplete = Callable[[str], Awaitable[dict[str, Any] | None]]
"""Asks the kernel whether ``text`` is complete; ``None`` when it did not answer."""

FallbackVerdict = Callable[[str], dict[str, Any]]
"""ick's own verdict on ``text`` when the kernel cannot tell; ``unknown`` when ick cannot either."""

#: The verdicts that say something: any other (``unknown``, none at all) is no verdict.
TELLING = frozenset(("complete", "incomplete", "invalid"))


def _ask_the_kernel(text: str) -> dict[str, Any] | None:
    return None


def _cannot_tell_either(text: str) -> dict[str, Any]:
    return {"status": "unknown"}


@dataclass(frozen=True, kw_only=True)
class LocalVerdict:
    """What ick can say about an input's completeness itself, for one kernel's language.

    Called, it gives the verdict that spares asking the kernel, where no kernel
    could differ; ``None`` means "ask".
    """

    instead_of_asking: Callable[[str], dict[str, Any] | None] = _ask_the_kernel
    #: For when the kernel answers ``unknown`` or nothing in time.
    when_kernel_cannot_tell: FallbackVerdict = _cannot_tell_either

    def __call__(self, text: str) -> dict[str, Any] | None:
        return self.instead_of_asking(text)


@dataclass(frozen=True)
class EnterDecision:
    submit: bool
    indent: str = ""


def decide(
    text: str, verdict: dict[str, Any] | None, fallback: FallbackVerdict = _cannot_tell_either
) -> EnterDecision:
    """What Enter at the end of ``text`` does, given the kernel's is_complete reply, and
    ``fallback`` where that reply tells nothing."""
    lines = text.split("\n")
    ends_with_blank_line = len(lines) > 1 and not lines[-1].strip()
    status = verdict.get("status") if verdict else None
    if status not in TELLING:
        verdict = fallback(text)
        status = verdict.get("status")
    if status in ("complete", "invalid"):
        # Invalid input is submitted so that the kernel can explain the error.
        return EnterDecision(submit=True)
    if ends_with_blank_line:
        return EnterDecision(submit=True)
    indent = verdict.get("indent", "") if verdict and status == "incomplete" else ""
    return EnterDecision(submit=False, indent=indent if isinstance(indent, str) else "")


def strip_trailing_blank_lines(text: str) -> str:
    lines = text.split("\n")
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines)


def submit(buffer: Buffer) -> None:
    """Accept the input, without the blank lines that only served to end it."""
    stripped = strip_trailing_blank_lines(buffer.text)
    if stripped != buffer.text:
        buffer.text = stripped
    buffer.validate_and_handle()


class KeysAfterEnter:
    """The keys typed after an Enter that waits for the kernel, kept until it has acted.

    Taking them stops the key processor at the Enter (the rest of the chunk it
    was reading stays here), and the terminal is not read meanwhile: what is
    typed later waits in the tty.  Cursor position reports are left to the
    renderer, which waits for them.
    """

    def __init__(self, app: Application[Any]) -> None:
        self._app = app
        queue = app.key_processor.input_queue
        self._keys = [key for key in queue if key.key != Keys.CPRResponse]
        kept = [key for key in queue if key.key == Keys.CPRResponse]
        queue.clear()
        queue.extend(kept)
        self._detached: AbstractContextManager[None] = app.input.detach()
        self._detached.__enter__()

    def release(self, submitted: bool) -> None:
        """Read the terminal again, and give the held keys to where they were typed.

        After an Enter that submitted they belong to the next prompt; otherwise
        they are processed now, on the line the Enter opened.
        """
        self._detached.__exit__(None, None, None)
        if submitted or self._app.is_done:
            store_typeahead(self._app.input, self._keys)
        elif self._keys:
            self._app.key_processor.feed_multiple(self._keys)
            self._app.key_processor.process_keys()


def cursor_on_last_line(buffer: Buffer) -> bool:
    # As in IPython: Enter on an earlier line edits; on the last line it asks the kernel.
    return "\n" not in buffer.text[buffer.cursor_position :].rstrip()
