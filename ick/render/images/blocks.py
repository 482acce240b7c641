"""Character art for terminals that draw no pixels: one ``▀`` per two pixels.

Each cell shows two image pixels stacked: the upper half block in the top
pixel's colour (foreground) over the bottom pixel's colour (background).
Colours are given as truecolor; rich reduces them to the 256 or 16 colours
the terminal takes (``TerminalCapabilities.color_system``).  Transparent
pixels show the terminal's own background.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from PIL import Image
from rich.color import Color
from rich.console import Console, ConsoleOptions
from rich.segment import Segment
from rich.style import Style

from ick.render.images.decode import to_rgba
from ick.render.images.geometry import CellSize, character_art_cell, fit, legible_size

UPPER_HALF = "▀"
LOWER_HALF = "▄"


RGBA = tuple[int, int, int, int]


def _colour(pixel: RGBA) -> Color | None:
    red, green, blue, alpha = pixel
    return None if alpha < 128 else Color.from_rgb(red, green, blue)


class HalfBlockImage:
    """A rich renderable drawing an image in coloured half blocks, fitted when printed.

    It takes the cells the image would cover if drawn with pixels, on cells no wider than
    typical ones (see :func:`~ick.render.images.geometry.character_art_cell`), up to the
    screen's width.
    """

    def __init__(
        self,
        image: Image.Image,
        metadata: Mapping[str, Any],
        cell_size: CellSize,
        reserved_rows: int = 1,
    ) -> None:
        self.image = image
        self.metadata = metadata
        self.cell_size = cell_size
        self.reserved_rows = reserved_rows

    def cells(self, max_columns: int, max_rows: int) -> tuple[int, int]:
        """Columns and rows drawn within ``max_columns`` × ``max_rows``."""
        cell = character_art_cell(self.cell_size)
        placement = fit(
            self.image.width, self.image.height, self.metadata, cell, max_columns, max_rows
        )
        columns = max(1, round(placement.pixel_width / cell.width))
        rows = max(1, round(placement.pixel_height / cell.height))
        return min(columns, max_columns), min(rows, max_rows)

    def legible(self, max_columns: int, max_rows: int) -> bool:
        """Whether the art drawn within ``max_columns`` × ``max_rows`` shows anything: each
        cell is one dot across and two down."""
        columns, rows = self.cells(max_columns, max_rows)
        return legible_size(columns, 2 * rows)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        max_rows = max(1, options.size.height - self.reserved_rows)
        columns, rows = self.cells(options.max_width, max_rows)
        small = to_rgba(self.image).resize((columns, rows * 2), Image.Resampling.BOX)
        pixels = small.load()
        assert pixels is not None
        styles: dict[tuple[Color | None, Color | None], Style | None] = {}
        for row in range(rows):
            # Neighbouring cells of one colour pair become one segment: one SGR, not one per cell.
            run_style: Style | None = None
            run = ""
            for column in range(columns):
                # An RGBA image's pixels are 4-tuples; Pillow types them for every mode.
                top = _colour(cast(RGBA, pixels[column, 2 * row]))
                bottom = _colour(cast(RGBA, pixels[column, 2 * row + 1]))
                key = (top, bottom)
                if key not in styles:
                    if top is None:
                        styles[key] = None if bottom is None else Style(color=bottom)
                    else:
                        styles[key] = Style(color=top, bgcolor=bottom)
                style = styles[key]
                character = " " if style is None else LOWER_HALF if top is None else UPPER_HALF
                if style != run_style and run:
                    yield Segment(run, run_style)
                    run = ""
                run_style = style
                run += character
            if run:
                yield Segment(run, run_style)
            yield Segment.line()
