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
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TextIO

from rich.cells import cell_len

from ick.render.environment import Environment

StreamName = Literal["stdout", "stderr"]
FlushHook = Callable[[Callable[[], None]], None]

# A flood is written in pieces of this size so that memory stays flat.
FLUSH_THRESHOLD = 1 << 16

# Sequences that take no cells: SGR from the sanitiser and rich, OSC 8 from rich.
_ZERO_WIDTH = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
# Graphics (sixel DCS, kitty APC, iTerm2 OSC 1337) take rows that text cannot tell.
_GRAPHICS = re.compile(r"\x1bP|\x1b_|\x1b\]1337;")


@dataclass(frozen=True)
class ScreenMark:
    """A place in the output: the start of a row, in a given era of the screen."""

    generation: int
    row: int


class ScreenRows:
    """How many terminal rows ick's output has taken, and where the cursor is on its row.

    It is exact for text (wide characters and wrapping at the terminal's
    width included) and gives up, by starting a new generation, whenever the
    screen changes in a way it cannot follow: another program drew on it
    (prompt_toolkit's prompt left on screen), or an image was drawn.  A mark
    from an earlier generation is never used to erase anything.
    """

    def __init__(self, size: Callable[[], tuple[int, int]] | None = None) -> None:
        self._size = size or _terminal_size
        # Asked once per burst of output (see forget_size), not once per message.
        self._known_size: tuple[int, int] | None = None
        self.generation = 0
        self.row = 0  # rows completed (ended by a newline) so far
        self.column = 0
        self.extent = 0  # the widest the open row has been: it decides how many rows it wraps to

    def feed(self, text: str) -> None:
        if "\x1b" in text:
            if _GRAPHICS.search(text):
                self.moved_on()
                return
            text = _ZERO_WIDTH.sub("", text)
        width = self.width()
        lines = text.split("\n")
        if len(lines) > 2 and "\r" not in text and text.isascii():
            # A flood of whole plain lines: count them without looking at each character.
            self._advance(lines[0])
            self._end_row(width)
            whole = lines[1:-1]
            if max(map(len, whole)) <= width:
                self.row += len(whole)
            else:
                self.row += sum(max(1, -(-len(line) // width)) for line in whole)
            self._advance(lines[-1])
            return
        for line in lines[:-1]:
            self._advance(line)
            self._end_row(width)
        self._advance(lines[-1])

    def _end_row(self, width: int) -> None:
        self.row += max(1, -(-self.extent // width))
        self.column = self.extent = 0

    def _current_size(self) -> tuple[int, int]:
        if self._known_size is None:
            self._known_size = self._size()
        return self._known_size

    def forget_size(self) -> None:
        """The window may have been resized since: ask again next time."""
        self._known_size = None

    def width(self) -> int:
        return max(self._current_size()[0], 1)

    def height(self) -> int:
        return max(self._current_size()[1], 1)

    def _advance(self, text: str) -> None:
        for index, piece in enumerate(text.split("\r")):
            if index:
                self.column = 0
            if piece:
                self.column += len(piece) if piece.isascii() else cell_len(piece)
                self.extent = max(self.extent, self.column)

    def moved_on(self) -> None:
        """Something else drew on the screen and left the cursor at the start of a row."""
        self.generation += 1
        self.column = self.extent = 0

    def mark(self) -> ScreenMark | None:
        """Here, if here is the start of a row (only whole rows can be erased)."""
        if self.extent:
            return None
        return ScreenMark(self.generation, self.row)

    def rows_since(self, mark: ScreenMark) -> int | None:
        """Rows from ``mark`` up to the cursor's, or None when the screen has changed since."""
        if mark.generation != self.generation or mark.row > self.row:
            return None
        width = self.width()
        open_rows = -(-self.extent // width)
        return self.row - mark.row + max(open_rows - 1, 0)

    def erased_to(self, mark: ScreenMark) -> None:
        self.row = mark.row
        self.column = self.extent = 0


@dataclass(frozen=True)
class _ClosedLine:
    """A line :meth:`TerminalWriter.ensure_newline` ended, to go back onto if nothing else came."""

    generation: int
    state: tuple[int, int, int]  # ScreenRows' row, column and extent before the newline

    @property
    def column(self) -> int:
        return self.state[1]


class CarriageReturnLines:
    """For a stream that is not a terminal: a line rewritten with ``\\r`` is written once.

    Text without ``\\r`` passes straight through.  From a line's first
    ``\\r`` on, the rest of that line is held until its newline (or
    :meth:`finish`), and then written as a terminal would finally show it.
    """

    def __init__(self) -> None:
        self._written = ""  # the part of the open line already passed through
        self._held: str | None = None

    def feed(self, text: str) -> str:
        out: list[str] = []
        while text:
            newline = text.find("\n")
            if self._held is None:
                cr = text.find("\r")
                if cr == -1 or (newline != -1 and newline < cr):
                    end = len(text) if newline == -1 else newline + 1
                    out.append(text[:end])
                    self._written = "" if newline != -1 else self._written + text[:end]
                    text = text[end:]
                    continue
                out.append(text[:cr])
                self._written += text[:cr]
                self._held, text = "", text[cr:]
            elif newline == -1:
                self._held += text
                text = ""
            elif (self._held, text[:2]) == ("", "\r\n") or (self._held, newline) == ("\r", 0):
                # A CRLF line end, not a rewrite: written as it came.
                out.append("\r\n")
                self._written, self._held = "", None
                text = text[newline + 1 :]
            else:
                self._held += text[:newline]
                out.append(self.finish() + "\n")
                text = text[newline + 1 :]
        return "".join(out)

    def finish(self) -> str:
        """What is left of an open line, in its final state (``""`` when nothing is held)."""
        if self._held is None:
            return ""
        line = self._written
        last = ""
        for piece in self._held.split("\r"):
            line = piece + line[len(piece) :]
            last = piece or last
        remainder = line[len(self._written) :] if line.startswith(self._written) else last
        self._written, self._held = "", None
        return remainder


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
            ScreenRows(lambda: _terminal_size(window_fd)) if ttys["stdout"] else None
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


def _terminal_size(fd: int | None = None) -> tuple[int, int]:
    """Columns and rows now: the window can be resized at any time, so never cached."""
    if fd is not None:
        try:
            size = os.get_terminal_size(fd)
            if size.columns and size.lines:
                return size.columns, size.lines
        except OSError:
            pass
    fallback = shutil.get_terminal_size()
    return fallback.columns, fallback.lines
