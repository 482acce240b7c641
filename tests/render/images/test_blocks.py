"""Half-block character art, through a rich Console as the renderer prints it."""

from __future__ import annotations

import io

from PIL import Image

from ick.render.images.blocks import HalfBlockImage
from ick.render.images.geometry import CellSize
from tests.render.images.helpers import terminal_console

CELL = CellSize(10, 20)


def test_top_and_bottom_pixels_become_foreground_and_background():
    image = Image.new("RGB", (20, 40), (0, 0, 255))
    for x in range(20):
        for y in range(10):
            image.putpixel((x, y), (255, 0, 0))
    console, buffer = terminal_console()
    console.print(HalfBlockImage(image, {}, CELL))
    # 2x2 cells; the top cell row is red over blue, the bottom blue over blue; one SGR per run.
    assert buffer.getvalue() == (
        "\x1b[38;2;255;0;0;48;2;0;0;255m▀▀\x1b[0m\n\x1b[38;2;0;0;255;48;2;0;0;255m▀▀\x1b[0m\n"
    )


def test_colours_are_reduced_to_what_the_terminal_takes():
    console, buffer = terminal_console(color_system="256")
    console.print(HalfBlockImage(Image.new("RGB", (10, 20), (255, 0, 0)), {}, CELL))
    assert buffer.getvalue() == "\x1b[38;5;196;48;5;196m▀\x1b[0m\n"


def test_transparent_pixels_show_the_terminal_background():
    image = Image.new("RGBA", (10, 20), (0, 0, 0, 0))
    console, buffer = terminal_console()
    console.print(HalfBlockImage(image, {}, CELL))
    assert buffer.getvalue() == " \n"
    half = Image.new("RGBA", (10, 20), (0, 0, 0, 0))
    half.paste((0, 255, 0, 255), (0, 10, 10, 20))
    console, buffer = terminal_console()
    console.print(HalfBlockImage(half, {}, CELL))
    assert buffer.getvalue() == "\x1b[38;2;0;255;0m▄\x1b[0m\n"


def test_art_never_exceeds_the_screen():
    console, buffer = terminal_console(width=30, height=10)
    console.print(HalfBlockImage(Image.new("RGB", (4000, 4000), (9, 9, 9)), {}, CELL))
    lines = buffer.getvalue().splitlines()
    assert len(lines) <= 9  # one row kept for the prompt
    plain = [
        line.replace("\x1b[38;2;9;9;9;48;2;9;9;9m", "").replace("\x1b[0m", "") for line in lines
    ]
    assert all(len(line) <= 30 for line in plain)


def test_nothing_but_art_reaches_a_non_terminal():
    buffer = io.StringIO()
    from rich.console import Console

    Console(file=buffer, width=80, color_system=None).print(
        HalfBlockImage(Image.new("RGB", (10, 20), (255, 0, 0)), {}, CELL)
    )
    assert buffer.getvalue() == "▀\n"


def test_art_is_never_coarser_than_at_a_typical_cell():
    plot = Image.new("RGB", (556, 413), (255, 255, 255))
    # A high-density screen's 16x32 cells would make it 35 columns wide: it takes 56, as at
    # a typical 10x20 cell, its rows in the proportion of the cell's shape.
    assert HalfBlockImage(plot, {}, CellSize(16, 32)).cells(120, 39) == (56, 21)
    assert HalfBlockImage(plot, {}, CellSize(20, 50)).cells(120, 39) == (56, 17)
    # Smaller cells than typical keep their size: more columns, more dots.
    assert HalfBlockImage(plot, {}, CellSize(6, 13)).cells(120, 39) == (93, 32)
    # Up to the width: on 40 columns it is fitted, not cut.
    assert HalfBlockImage(plot, {}, CellSize(16, 32)).cells(40, 39) == (40, 15)


def test_art_too_small_to_make_out_says_so():
    formula = Image.new("RGB", (200, 20), (128, 128, 128))
    assert not HalfBlockImage(formula, {}, CELL).legible(120, 39)  # 20 columns, 1 row
    assert HalfBlockImage(Image.new("RGB", (556, 413)), {}, CELL).legible(120, 39)
