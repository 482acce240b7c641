"""Documentation for the code under the cursor, from the kernel's ``inspect_request``.

Shift-Tab asks, as it does in the Jupyter notebook (readline, emacs and vi
editing leave it unbound; prompt_toolkit uses it only to step back through an
open completion menu, which it still does).  The kernel is asked in the
background, so typing never waits; the answer is printed above the prompt and
the input being edited stays as it was.  A kernel that knows nothing (Deno and
bash answer ``found: false``) or does not answer gets one line saying so.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Sequence

from prompt_toolkit.document import Document
from rich.console import RenderableType
from rich.text import Text

from ick.kernel.client import KernelClient
from ick.kernel.errors import KernelError
from ick.render.mime import render_bundle
from ick.render.sanitize import plain_text

# What "the name under the cursor" is, only for the message when nothing is found.
_NAME = re.compile(r"[\w.$]+$")


def name_before_cursor(document: Document) -> str:
    match = _NAME.search(document.text_before_cursor)
    return match.group(0) if match else ""


class Inspector:
    """Asks the kernel about the code at the cursor and shows the answer with ``show``
    (the pager's: long documentation is paged)."""

    def __init__(
        self,
        *,
        kernel: KernelClient,
        show: Callable[[RenderableType], Awaitable[None]],
        mime_order: Sequence[str],
        timeout: float = 5.0,
    ) -> None:
        self.kernel = kernel
        self.show = show
        self.mime_order = tuple(mime_order)
        self.timeout = timeout
        self._task: asyncio.Task[None] | None = None

    def ask(self, document: Document) -> None:
        """Ask about ``document`` at its cursor; a question still unanswered is dropped."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = asyncio.get_running_loop().create_task(self._answer(document))

    async def _answer(self, document: Document) -> None:
        await self.show(await self.documentation(document))

    async def documentation(self, document: Document) -> RenderableType:
        """What the kernel says about the code at the cursor, or one line saying why not."""
        name = plain_text(name_before_cursor(document)) or "the code at the cursor"
        try:
            reply = await self.kernel.request(
                "inspect_request",
                {"code": document.text, "cursor_pos": document.cursor_position, "detail_level": 0},
                timeout=self.timeout,
            )
        except KernelError as exc:
            return Text(f"ick: no documentation for {name}: {exc}", style="dim")
        data = reply.get("data")
        found = reply.get("status", "ok") == "ok" and reply.get("found", True)
        if found and isinstance(data, dict):
            metadata = reply.get("metadata")
            rendered = render_bundle(
                data, metadata if isinstance(metadata, dict) else None, priority=self.mime_order
            )
            if rendered is not None:
                return rendered
        kernel = self.kernel.name
        return Text(f"ick: the {kernel} kernel has no documentation for {name}", style="dim")
