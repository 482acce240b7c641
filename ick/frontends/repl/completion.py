"""Tab completion from the kernel's ``complete_request``, never blocking the keyboard.

prompt_toolkit runs :meth:`KernelCompleter.get_completions_async` as a
background task, so a slow kernel (jedi on a large module) delays
suggestions, never typing.  The question is abandoned as soon as the user
types on (prompt_toolkit would drop the answer anyway, but would also ignore
every Tab until the kernel answered), and after a timeout when the kernel
never answers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Iterable
from typing import Any

from prompt_toolkit.application import get_app_or_none
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from ick.kernel.client import KernelClient
from ick.kernel.errors import KernelError
from ick.render.sanitize import plain_text


def _clean(text: str) -> str:
    # Completions are inserted into the user's code: no escapes, no control characters.
    return "".join(ch for ch in plain_text(text) if ch.isprintable() or ch == "\t")


#: What ipykernel calls a match whose type jedi has not worked out (the first completion of a
#: session, before jedi has inferred anything): saying nothing says the same, more quietly.
_NO_TYPE = "<unknown>"


def _types_by_text(metadata: Any) -> dict[str, str]:
    """``_jupyter_types_experimental`` (ipykernel) as ``{match: type}``; unknown types are ""."""
    types: dict[str, str] = {}
    entries = metadata.get("_jupyter_types_experimental") if isinstance(metadata, dict) else None
    if isinstance(entries, list):
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("text"), str):
                kind = str(entry.get("type") or "")
                types[entry["text"]] = "" if kind == _NO_TYPE else kind
    return types


def _edited_buffer() -> Buffer | None:
    app = get_app_or_none()
    return app.current_buffer if app is not None and app.is_running else None


class KernelCompleter(Completer):
    def __init__(
        self,
        kernel: KernelClient,
        timeout: float = 3.0,
        edited_buffer: Callable[[], Buffer | None] = _edited_buffer,
    ) -> None:
        self.kernel = kernel
        self.timeout = timeout
        self._edited_buffer = edited_buffer

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        return []  # the kernel is only ever asked asynchronously

    async def _ask(self, document: Document) -> dict[str, Any] | None:
        """The kernel's complete_reply, or ``None`` if the user typed on or it was too slow."""
        request = asyncio.ensure_future(
            self.kernel.request(
                "complete_request",
                {"code": document.text, "cursor_pos": document.cursor_position},
                timeout=self.timeout,
            )
        )
        typed_on = asyncio.Event()
        buffer = self._edited_buffer()

        def on_text_changed(_: Buffer) -> None:
            typed_on.set()

        if buffer is not None:
            buffer.on_text_changed += on_text_changed
        waiting = asyncio.ensure_future(typed_on.wait())
        try:
            await asyncio.wait({request, waiting}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiting.cancel()
            if buffer is not None:
                buffer.on_text_changed -= on_text_changed
            if not request.done():
                # The user typed on, or the prompt ended and cancelled us: the router
                # forgets the request, and its late reply (or timeout) goes nowhere.
                request.cancel()
        if not request.done() or request.cancelled():
            return None  # cancelled just now, or earlier
        try:
            return request.result()
        except KernelError:  # timed out or died: no completions, no noise
            return None

    async def get_completions_async(
        self, document: Document, complete_event: CompleteEvent
    ) -> AsyncGenerator[Completion, None]:
        if self.kernel.is_dead:
            return
        cursor = document.cursor_position
        reply = await self._ask(document)
        if reply is None:
            return
        matches = reply.get("matches")
        if reply.get("status", "ok") != "ok" or not isinstance(matches, list):
            return
        start = reply.get("cursor_start", cursor)
        if not isinstance(start, int) or not 0 <= start <= cursor:
            return
        types = _types_by_text(reply.get("metadata"))
        seen: set[str] = set()
        for match in matches:
            if not isinstance(match, str):
                continue
            text = _clean(match)
            if not text or text in seen:
                continue
            seen.add(text)
            yield Completion(text, start_position=start - cursor, display_meta=types.get(match, ""))
