"""Long documentation through a pager, as IPython and jupyter_console do.

``pd.DataFrame?`` (a ``page`` payload) or Shift-Tab on a large object gives
hundreds of lines, whose top would scroll away.  On a terminal, documentation
taller than the window goes through ``$PAGER`` (``less -R`` when unset);
``--no-pager`` (``pager = false``) prints it.  The pager is given what ick
would have printed: rendered by rich from the sanitised bundle, colours as
SGR sequences and nothing else, so ``less -R`` shows it as the terminal would.
A pager that cannot be started (``less`` not installed) leaves the text printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator

from prompt_toolkit.application import get_app_or_none, in_terminal
from rich.console import RenderableType

from ick.frontends.shared.signals import SigintActions
from ick.render.environment import Environment
from ick.render.renderer import OutputRenderer
from ick.render.screen_rows import ScreenRows, terminal_size

DEFAULT_PAGER = "less -R"

#: The shell's status for a command it could not find or run.
_NOT_STARTED = (126, 127)


class Pager:
    """Shows documentation: paged when it is taller than the terminal, else printed."""

    def __init__(
        self,
        *,
        renderer: OutputRenderer,
        environment: Environment,
        sigint: SigintActions,
        enabled: bool,
    ) -> None:
        self._renderer = renderer
        self._environment = environment
        self._sigint = sigint
        self._enabled = enabled and environment.stdin_is_tty and environment.stdout_is_tty

    async def show(self, renderable: RenderableType) -> None:
        if self._enabled:
            text = self._renderer.render_to_text(renderable)
            if self._taller_than_the_window(text) and await self._page(text):
                return
        # Flushed as all output is: above the prompt when one is on screen.
        self._renderer.print(renderable)

    def _taller_than_the_window(self, text: str) -> bool:
        try:
            fd: int | None = self._environment.stdout.fileno()
        except (OSError, ValueError):
            fd = None
        rows = ScreenRows(size=lambda: terminal_size(fd))
        rows.feed(text)
        # The prompt takes a row under what was printed: a text that fills it already scrolls.
        return rows.row + (1 if rows.column else 0) >= rows.height()

    async def _page(self, text: str) -> bool:
        """Run the pager on ``text`` in the terminal; whether it showed it."""
        command = self._environment.variables.get("PAGER") or DEFAULT_PAGER
        app = get_app_or_none()
        # The prompt on screen (Shift-Tab) steps aside while the pager has the terminal.
        suspended = in_terminal() if app is not None and app.is_running else _nothing_to_suspend()
        async with suspended:
            self._renderer.output.flush()  # what came before, above the pager's screen
            # Ctrl-C is the pager's (less stays; others end): neither ick nor the kernel's.
            with self._sigint.action(lambda: None):
                status = await _run(command, text)
        self._renderer.output.screen_moved_on()
        return status not in _NOT_STARTED


@contextlib.asynccontextmanager
async def _nothing_to_suspend() -> AsyncIterator[None]:
    yield


async def _run(command: str, text: str) -> int:
    try:
        # exec: the pager itself is the child, so that its Ctrl-C cannot end a shell around
        # it and hand the terminal back to the prompt while the pager still draws on it.
        process = await asyncio.create_subprocess_shell(
            f"exec {command}", stdin=asyncio.subprocess.PIPE
        )
    except OSError:
        return _NOT_STARTED[0]
    assert process.stdin is not None
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # quit before the end
        process.stdin.write(text.encode("utf-8", "replace"))
        await process.stdin.drain()
        process.stdin.close()
    try:
        return await process.wait()
    except asyncio.CancelledError:
        process.send_signal(signal.SIGTERM)
        raise
