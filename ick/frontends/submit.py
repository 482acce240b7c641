"""When Enter submits the input and when it opens a continuation line.

The kernel decides through ``is_complete_request``: only it knows its
language.  But kernels answer ``unknown`` (bash), time out, or answer wrongly
(several JavaScript kernels call invalid code ``incomplete``), so a blank
last line always submits, and Esc-Enter / Alt-Enter submits whatever the
kernel says.  A slow or silent kernel never blocks typing: the key handler
is asynchronous, and nothing typed or completed while it waits is lost.
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


def enter_key_bindings(is_complete: IsComplete) -> KeyBindings:
    """Enter asks the kernel; Esc-Enter (Alt-Enter) always submits."""
    bindings = KeyBindings()
    # Only in the code buffer: Enter in the Ctrl-R search bar must keep its own meaning.
    editing_code = has_focus(DEFAULT_BUFFER) & ~is_done
    # One decision at a time, in keystroke order, even if the kernel is slow to answer.
    lock = asyncio.Lock()

    @bindings.add("enter", filter=editing_code & ~has_completions)
    async def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        async with lock:
            if not _cursor_on_last_line(buffer):
                buffer.newline(copy_margin=True)
                return
            text = buffer.text
            if not text.strip():
                submit(buffer)
                return
            verdict = await is_complete(text)
            # The text can change while the kernel thinks (a completion lands, keys arrive):
            # ask again about what is there now rather than act on a verdict about old text.
            # A kernel that did not answer is not asked again: the blank-line rule decides.
            for _ in range(3):
                if buffer.text == text or verdict is None:
                    break
                text = buffer.text
                verdict = await is_complete(text)
            decision = decide(buffer.text, verdict)
            if decision.submit:
                submit(buffer)
                return
            buffer.cursor_position = len(buffer.text)
            buffer.insert_text("\n" + decision.indent)

    @bindings.add("escape", "enter", filter=editing_code)
    def _force_submit(event: KeyPressEvent) -> None:
        submit(event.current_buffer)

    return bindings
