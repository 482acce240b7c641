"""The single path by which rendered kernel output reaches stdout and stderr.

Output is buffered and written once per burst: every write schedules one
flush on the event loop, so the hundreds of stream messages a reader handles
back-to-back become a single terminal write.  A front end that owns the
screen (a prompt being edited) installs a ``flush_hook`` so that output is
drawn above its prompt rather than through it.

Two things depend on where the output goes:

- On a terminal, :class:`ScreenRows` follows how many rows the output took,
  so that ``clear_output`` and ``update_display_data`` can erase and redraw
  what is still on screen.
- Into a file or pipe, a line rewritten with ``\\r`` (a progress bar) is
  written once, in its final state (:class:`CarriageReturnLines`): a log
  gets ``100%|██████████|``, not a hundred overwritten frames.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TextIO

from ick.render.carriage_returns import CarriageReturnLines
from ick.render.environment import Environment
from ick.render.screen_rows import ScreenMark, ScreenRows, terminal_size

StreamName = Literal["stdout", "stderr"]
FlushHook = Callable[[Callable[[], None]], None]

# A flood is written in pieces of this size so that memory stays flat.
FLUSH_THRESHOLD = 1 << 16


@dataclass(frozen=True)
class _ClosedLine:
    """A line :meth:`TerminalWriter.ensure_newline` ended, to go back onto if nothing else came."""

    generation: int
    state: tuple[int, int, int]  # ScreenRows' row, column and extent before the newline

    @property
    def column(self) -> int:
        return self.state[1]


class TerminalWriter:
    """Ordered, buffered writes to the two output streams."""

    def __init__(self, *, environment: Environment) -> None:
        self._streams: dict[str, TextIO] = {
            "stdout": environment.stdout,
            "stderr": environment.stderr,
        }
        self._pending: list[tuple[str, str]] = []
        self._pending_size = 0
        self._flush_scheduled = False
        #: Whether the cursor is at the start of a line, as far as what we wrote tells.
        self.at_line_start = True
        #: Set by a front end while it draws on the screen; receives the write to perform.
        self.flush_hook: FlushHook | None = None
        #: Called once when a reader closed one of our streams (``ick job.py | head -1``).
        self.on_broken_pipe: Callable[[], None] | None = None
        self.broken = False
        ttys = {"stdout": environment.stdout_is_tty, "stderr": environment.stderr_is_tty}
        window_fd = environment.capabilities.window_fd
        #: Rows on the terminal, when stdout is one (what stderr shows there counts too).
        self.screen: ScreenRows | None = (
            ScreenRows(lambda: terminal_size(window_fd)) if ttys["stdout"] else None
        )
        self._on_screen = {name for name, tty in ttys.items() if tty}
        self._collapsers = {name: CarriageReturnLines() for name, tty in ttys.items() if not tty}
        self._reopen: _ClosedLine | None = None

    def write(self, stream: StreamName, text: str, continues_line: bool = False) -> None:
        """Queue already-sanitised ``text`` for ``stream``.

        ``continues_line`` is for kernel stream text: it goes on the line that
        :meth:`ensure_newline` closed for a prompt, when that prompt has gone
        again (a progress bar printed by a thread while the user is at the
        prompt stays one line).
        """
        if not text or self.broken:
            return
        reopen, self._reopen = self._reopen, None
        collapser = self._collapsers.get(stream)
        if collapser is not None:
            text = collapser.feed(text)
            if not text:
                return
        elif self.screen is not None and stream in self._on_screen:
            if (
                continues_line
                and reopen is not None
                and reopen.generation == self.screen.generation
            ):
                column = reopen.column % self.screen.width()
                self._queue("stdout", f"\x1b[1F\x1b[{column + 1}G")
                self.screen.row, self.screen.column, self.screen.extent = reopen.state
            self.screen.feed(text)
        self._queue(stream, text)

    def _queue(self, stream: StreamName, text: str) -> None:
        self.at_line_start = text.endswith(("\n", "\r"))
        self._pending.append((stream, text))
        self._pending_size += len(text)
        if self._pending_size >= FLUSH_THRESHOLD and self.flush_hook is None:
            self.flush()
        elif not self._flush_scheduled:
            self._flush_scheduled = True
            try:
                asyncio.get_running_loop().call_soon(self._scheduled_flush)
            except RuntimeError:  # no loop (tests, shutdown): write at once
                self.flush()

    def ensure_newline(self) -> None:
        """End a line left open by the kernel so that what follows starts at column 0."""
        self.finish_lines()
        self.flush()
        if self.line_open:
            screen = self.screen
            closed = (
                _ClosedLine(screen.generation, (screen.row, screen.column, screen.extent))
                if screen is not None
                else None
            )
            self.write("stdout", "\n")
            self._reopen = closed
            self.flush()

    @property
    def line_open(self) -> bool:
        """Whether the last line written has text on it and no newline yet.

        On a terminal a line that ends in ``\r`` (a progress bar) is open too:
        what comes next would overwrite it.
        """
        if self.screen is not None:
            return self.screen.extent > 0
        return not self.at_line_start

    def start_line(self) -> None:
        """Queue a newline if the last output left its line open (before a rich output)."""
        if self.line_open:
            self.write("stdout", "\n")

    def finish_lines(self) -> None:
        """Write the final state of ``\\r`` lines held back for files and pipes."""
        for stream, collapser in self._collapsers.items():
            rest = collapser.finish()
            if rest:
                self._queue(stream, rest)  # type: ignore[arg-type]

    # -- redrawing on a terminal ---------------------------------------------------
    def screen_mark(self) -> ScreenMark | None:
        return self.screen.mark() if self.screen is not None else None

    def screen_moved_on(self) -> None:
        """Another part of ick drew on the terminal: earlier marks no longer hold."""
        if self.screen is not None:
            self.screen.moved_on()

    def is_at(self, mark: ScreenMark | None) -> bool:
        """Whether nothing has been written since ``mark``."""
        return mark is not None and self.screen is not None and self.screen_mark() == mark

    def erase_since(self, mark: ScreenMark | None, scrolled_off_too: bool = False) -> bool:
        """Erase what was written since ``mark``, if it is all still on screen.

        With ``scrolled_off_too``, what has scrolled off the top is given up on
        and the whole screen above the cursor is erased (clear_output: all of it
        is this output's); without, nothing is done then (a display that is no
        longer whole on screen cannot be redrawn in place).
        """
        if mark is None or self.screen is None:
            return False
        rows = self.screen.rows_since(mark)
        if rows is None:
            return False
        if rows >= self.screen.height():
            if not scrolled_off_too:
                return False
            rows = self.screen.height() - 1
        # ick's own cursor movement: start of the row, up to the mark's row, erase below.
        self._queue("stdout", "\r" + (f"\x1b[{rows}F" if rows else "") + "\x1b[J")
        self.at_line_start = True
        self.screen.erased_to(mark)
        return True

    # -- writing ----------------------------------------------------------------------
    def _scheduled_flush(self) -> None:
        self._flush_scheduled = False
        if not self._pending:
            return
        if self.flush_hook is not None:
            self.flush_hook(self.flush)
        else:
            self.flush()

    def flush(self) -> None:
        """Write everything queued, in order, switching streams as needed."""
        pending, self._pending, self._pending_size = self._pending, [], 0
        if self.screen is not None:
            self.screen.forget_size()
        if not pending:
            return
        current: str | None = None
        chunk: list[str] = []
        for stream, text in pending:
            if stream != current:
                self._emit(current, chunk)
                current, chunk = stream, []
            chunk.append(text)
        self._emit(current, chunk)

    def _emit(self, stream: str | None, chunk: list[str]) -> None:
        if stream is None or not chunk or self.broken:
            return
        target = self._streams[stream]
        try:
            target.write("".join(chunk))
            target.flush()
        except BrokenPipeError:
            self.broken = True
            if self.on_broken_pipe is not None:
                self.on_broken_pipe()
