"""Tab completion from the kernel's ``complete_request``, never blocking the keyboard.

prompt_toolkit runs :meth:`KernelCompleter.get_completions_async` as a
background task and drops its answer if the text changed meanwhile, so a slow
kernel (jedi on a large module) delays suggestions, never typing; a kernel
that does not answer at all is given up on after a timeout.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from typing import Any

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from ick.kernel.client import KernelClient
from ick.kernel.errors import KernelError
from ick.render.sanitize import plain_text


def _clean(text: str) -> str:
    # Completions are inserted into the user's code: no escapes, no control characters.
    return "".join(ch for ch in plain_text(text) if ch.isprintable() or ch == "\t")


def _types_by_text(metadata: Any) -> dict[str, str]:
    """``_jupyter_types_experimental`` (ipykernel) as ``{match: type}``."""
    types: dict[str, str] = {}
    entries = metadata.get("_jupyter_types_experimental") if isinstance(metadata, dict) else None
    if isinstance(entries, list):
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("text"), str):
                types[entry["text"]] = str(entry.get("type") or "")
    return types


class KernelCompleter(Completer):
    def __init__(self, kernel: KernelClient, timeout: float = 3.0) -> None:
        self.kernel = kernel
        self.timeout = timeout

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterable[Completion]:
        return []  # the kernel is only ever asked asynchronously

    async def get_completions_async(
        self, document: Document, complete_event: CompleteEvent
    ) -> AsyncGenerator[Completion, None]:
        if self.kernel.is_dead:
            return
        cursor = document.cursor_position
        try:
            reply = await self.kernel.request(
                "complete_request",
                {"code": document.text, "cursor_pos": cursor},
                timeout=self.timeout,
            )
        except KernelError:  # timed out or died: no completions, no noise
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
