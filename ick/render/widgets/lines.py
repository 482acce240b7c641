"""What most controls are drawn as: one line of text parts and flexible parts.

A flexible part (a bar, a slider's track) takes the room the text leaves, so
that a row of controls (an ``HBox``) stays one line and its bars share the
width.  An image is kept out of lines and table cells, where its escape
sequences would be cut.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text


@dataclass(frozen=True)
class Flex:
    """A part of a line that takes the room left over, between two widths: a bar, a track."""

    least: int
    most: int
    draw: Callable[[int], Text]


class Line:
    """One line of text parts and flexible parts: what most controls are drawn as."""

    def __init__(self, parts: Sequence[Text | Flex] = ()) -> None:
        self.parts: list[Text | Flex] = [part for part in parts if not _is_blank(part)]

    def then(self, other: Line, gap: str) -> Line:
        if not self.parts:
            return other
        if not other.parts:
            return self
        joint: list[Text | Flex] = [Text(gap)] if gap else []
        return Line([*self.parts, *joint, *other.parts])

    def _widths(self) -> tuple[int, int, int]:
        fixed = sum(part.cell_len for part in self.parts if isinstance(part, Text))
        flexes = [part for part in self.parts if isinstance(part, Flex)]
        return fixed, sum(flex.least for flex in flexes), sum(flex.most for flex in flexes)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        fixed, least, most = self._widths()
        return Measurement(fixed + least, fixed + most).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text(options.max_width)

    def text(self, width: int) -> Text:
        """The line at ``width`` cells: the flexible parts share what the text leaves."""
        fixed, least, _ = self._widths()
        flexes = [part for part in self.parts if isinstance(part, Flex)]
        sizes = {id(flex): flex.least for flex in flexes}
        spare = max(width - fixed - least, 0)
        growing = [flex for flex in flexes if flex.most > flex.least]
        while spare > 0 and growing:
            share = max(spare // len(growing), 1)
            for flex in list(growing):
                grow = min(share, flex.most - sizes[id(flex)], spare)
                sizes[id(flex)] += grow
                spare -= grow
                if sizes[id(flex)] >= flex.most:
                    growing.remove(flex)
                if spare <= 0:
                    break
        line = Text()
        for part in self.parts:
            line.append_text(part if isinstance(part, Text) else part.draw(sizes[id(part)]))
        return line


def _is_blank(part: Text | Flex) -> bool:
    return isinstance(part, Text) and not part.plain


class Picture:
    """An image among widgets: never put in a table cell, where its escape sequences would
    be cut; a row holding one is drawn as a column instead."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.renderable
