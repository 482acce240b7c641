"""How big an image is drawn: requested size, fitted to the screen, in pixels and cells.

A kernel's image has a natural pixel size; ``width``/``height`` metadata
(IPython's ``Image(width=...)``, IRkernel's plot size) asks for another.  The
result must fit the terminal's width and height, which are known in cells,
so the cell's pixel size converts between the two.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CellSize:
    """One character cell, in screen pixels."""

    width: int
    height: int


#: Used when neither the tty nor the terminal tells (a common cell of 10x20 pixels).
DEFAULT_CELL_SIZE = CellSize(10, 20)

#: An image drawn fewer dots than this across or down shows nothing one can make out (a
#: dot is a screen pixel, or half a cell in character art): a line of a formula rendered as
#: a 20-pixel-high PNG is two half blocks of grey in character art.
MIN_LEGIBLE_DOTS = 8


def character_art_cell(cell: CellSize) -> CellSize:
    """The cell character art is sized with: the terminal's own, but never wider than a
    typical cell (keeping the real cell's shape, so that proportions hold).

    Character art draws no pixels: on a high-density screen the real cell (16x32, say)
    would give a picture fewer columns, so fewer dots, than the same image drawn at a
    typical cell, and its labels would be lost.  Where cells are smaller than typical
    (xterm's 6x13) the art keeps the real size, which gives it more dots.
    """
    if cell.width <= DEFAULT_CELL_SIZE.width:
        return cell
    width = DEFAULT_CELL_SIZE.width
    return CellSize(width, max(1, round(width * cell.height / cell.width)))


def legible_size(width_dots: int, height_dots: int) -> bool:
    """Whether an image drawn this many dots wide and high can be made out at all."""
    return width_dots >= MIN_LEGIBLE_DOTS and height_dots >= MIN_LEGIBLE_DOTS


@dataclass(frozen=True)
class Placement:
    """The size to draw at, in pixels, and the cells that covers."""

    pixel_width: int
    pixel_height: int
    columns: int
    rows: int


def _dimension(value: Any) -> float | None:
    """A positive pixel count from metadata (numbers, or numeric text such as ``"400"``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().removesuffix("px")
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, (int, float)) and math.isfinite(value) and value > 0:
        return float(value)
    return None


def requested_size(width: int, height: int, metadata: Mapping[str, Any]) -> tuple[float, float]:
    """The size the kernel asks for: metadata ``width``/``height``, keeping the aspect
    ratio when only one is given, else the image's own size."""
    wanted_width = _dimension(metadata.get("width"))
    wanted_height = _dimension(metadata.get("height"))
    if wanted_width and wanted_height:
        return wanted_width, wanted_height
    if wanted_width:
        return wanted_width, height * wanted_width / width
    if wanted_height:
        return width * wanted_height / height, wanted_height
    return float(width), float(height)


def fit(
    width: int,
    height: int,
    metadata: Mapping[str, Any],
    cell: CellSize,
    max_columns: int,
    max_rows: int,
) -> Placement:
    """The requested size, shrunk (never enlarged beyond the request) to fit the screen."""
    wanted_width, wanted_height = requested_size(width, height, metadata)
    max_width = max(1, max_columns) * cell.width
    max_height = max(1, max_rows) * cell.height
    scale = min(1.0, max_width / wanted_width, max_height / wanted_height)
    pixel_width = max(1, min(max_width, round(wanted_width * scale)))
    pixel_height = max(1, min(max_height, round(wanted_height * scale)))
    return Placement(
        pixel_width,
        pixel_height,
        columns=math.ceil(pixel_width / cell.width),
        rows=math.ceil(pixel_height / cell.height),
    )
