"""How many terminal rows ick's output has taken, so that what is still on screen can be
erased and redrawn (``clear_output``, ``update_display_data``, widgets)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len

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
        self._size = size or terminal_size
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


def terminal_size(fd: int | None = None) -> tuple[int, int]:
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
