"""Output that arrives while the user types: drawn above the prompt, never through it.

A thread's print, a timer, another client's execution, the kernel dying: the
writer hands each burst to :class:`AbovePrompt`, which has prompt_toolkit put
the terminal back for a moment (``run_in_terminal``), writes whole lines, and
redraws the prompt with what was typed intact.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from prompt_toolkit.application import get_app_or_none, run_in_terminal

from ick.render.writer import TerminalWriter


class AbovePrompt:
    """The writer's flush hook while a prompt may be on screen."""

    def __init__(self, *, output: TerminalWriter) -> None:
        self._output = output
        self._drawing: set[asyncio.Future[None]] = set()

    def __call__(self, write: Callable[[], None]) -> None:
        app = get_app_or_none()
        if app is None or not app.is_running:
            write()
            return

        def write_whole_lines() -> None:
            write()
            self._output.ensure_newline()

        drawing = asyncio.ensure_future(run_in_terminal(write_whole_lines))
        self._drawing.add(drawing)
        drawing.add_done_callback(self._drawing.discard)
