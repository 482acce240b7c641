"""When Enter submits the input and when it opens a continuation line.

The kernel decides through ``is_complete_request``: only it knows its
language.  But kernels answer ``unknown`` (bash), time out, or answer wrongly
(several JavaScript kernels call invalid code ``incomplete``), so a blank
last line always submits, and Esc-Enter / Alt-Enter submits whatever the
kernel says.  A slow or silent kernel never blocks typing: when the kernel
must be asked, Enter waits in a task of its own, and nothing typed or
completed while it waits is lost.  When no kernel could disagree (the local
verdict), Enter acts at once, in the key handler.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from prompt_toolkit.buffer import Buffer
from prompt_toolkit.enums import DEFAULT_BUFFER
from prompt_toolkit.filters import has_completions, has_focus, is_done
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

IsComplete = Callable[[str], Awaitable[dict[str, Any] | None]]
"""Asks the kernel whether ``text`` is complete; ``None`` when it did not answer."""

LocalVerdict = Callable[[str], dict[str, Any] | None]
"""A verdict given without the kernel, where none could differ; ``None`` means "ask"."""


@dataclass(frozen=True)
class EnterDecision:
    submit: bool
    indent: str = ""


def decide(text: str, verdict: dict[str, Any] | None) -> EnterDecision:
    """What Enter at the end of ``text`` does, given the kernel's is_complete reply."""
    lines = text.split("\n")
    ends_with_blank_line = len(lines) > 1 and not lines[-1].strip()
    status = verdict.get("status") if verdict else None
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


def _cursor_on_last_line(buffer: Buffer) -> bool:
    # As in IPython: Enter on an earlier line edits; on the last line it asks the kernel.
    return "\n" not in buffer.text[buffer.cursor_position :].rstrip()


def enter_key_bindings(
    is_complete: IsComplete, local_verdict: LocalVerdict = lambda text: None
) -> KeyBindings:
    """Enter asks the kernel (or ``local_verdict`` first); Esc-Enter always submits."""
    bindings = KeyBindings()
    # Only in the code buffer: Enter in the Ctrl-R search bar must keep its own meaning.
    editing_code = has_focus(DEFAULT_BUFFER) & ~is_done
    # One decision at a time, in keystroke order, even if the kernel is slow to answer.
    lock = asyncio.Lock()

    async def verdict_of(text: str) -> dict[str, Any] | None:
        return local_verdict(text) or await is_complete(text)

    def act(buffer: Buffer, decision: EnterDecision) -> None:
        if decision.submit:
            submit(buffer)
            return
        buffer.cursor_position = len(buffer.text)
        buffer.insert_text("\n" + decision.indent)

    def decided_at_once(buffer: Buffer) -> bool:
        """Act on Enter in the key handler itself when the kernel need not be asked.

        The common case, a line the local verdict calls complete, then submits
        at once instead of after every task the other keys woke (about 1 ms).
        """
        if not _cursor_on_last_line(buffer):
            buffer.newline(copy_margin=True)
            return True
        if not buffer.text.strip():
            submit(buffer)
            return True
        verdict = local_verdict(buffer.text)
        if verdict is None:
            return False
        act(buffer, decide(buffer.text, verdict))
        return True

    async def ask_and_decide(buffer: Buffer) -> None:
        async with lock:
            if decided_at_once(buffer):
                return
            text = buffer.text
            verdict = await verdict_of(text)
            # The text can change while the kernel thinks (a completion lands, keys arrive):
            # ask again about what is there now rather than act on a verdict about old text.
            # A kernel that did not answer is not asked again: the blank-line rule decides.
            for _ in range(3):
                if buffer.text == text or verdict is None:
                    break
                text = buffer.text
                verdict = await verdict_of(text)
            act(buffer, decide(buffer.text, verdict))

    @bindings.add("enter", filter=editing_code & ~has_completions)
    def _enter(event: KeyPressEvent) -> None:
        # An earlier Enter still waiting for the kernel goes first: decisions keep key order.
        if lock.locked() or not decided_at_once(event.current_buffer):
            event.app.create_background_task(ask_and_decide(event.current_buffer))

    @bindings.add("escape", "enter", filter=editing_code)
    def _force_submit(event: KeyPressEvent) -> None:
        submit(event.current_buffer)

    return bindings
