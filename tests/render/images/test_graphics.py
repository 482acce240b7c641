"""Pixel images as rich renderables: sized when printed, written raw, wrapped for tmux."""

from __future__ import annotations

import base64
import io
import re

from PIL import Image
from rich.console import Console

from ick.render.images.decode import open_image
from ick.render.images.geometry import CellSize
from ick.render.images.graphics import PixelImage, wrap_for_screen, wrap_for_tmux
from tests.render.images.helpers import png_bytes, terminal_console

CELL = CellSize(10, 20)


def pixel_image(png: bytes, protocol: str, **keywords) -> PixelImage:
    return PixelImage(open_image(png), png, "image/png", {}, protocol, CELL, **keywords)  # type: ignore[arg-type]


def kitty_payload(output: str) -> bytes:
    return base64.b64decode("".join(re.findall(r"\x1b_G[^;]*;([^\x1b]*)\x1b\\", output)))


def test_a_png_that_fits_is_sent_as_it_is_then_a_new_line():
    png = png_bytes((64, 64))
    console, buffer = terminal_console()
    console.print(pixel_image(png, "kitty"))
    output = buffer.getvalue()
    assert output.startswith("\x1b_Ga=T,f=100,q=2,m=0;") and output.endswith("\x1b\\\n")
    assert kitty_payload(output) == png


def test_an_image_wider_than_the_terminal_is_scaled_down_to_it():
    console, buffer = terminal_console(width=40, height=30)
    console.print(pixel_image(png_bytes((2000, 100)), "kitty"))
    shown = Image.open(io.BytesIO(kitty_payload(buffer.getvalue())))
    assert shown.size == (400, 20)


def test_an_image_taller_than_the_screen_is_scaled_to_it_less_the_prompt_row():
    console, buffer = terminal_console(width=80, height=10)
    console.print(pixel_image(png_bytes((100, 1000)), "sixel"))
    assert '"1;1;18;180' in buffer.getvalue()  # 9 rows of 20 px


def test_iterm_sends_the_original_file():
    png = png_bytes((8, 8))
    console, buffer = terminal_console()
    console.print(pixel_image(png, "iterm"))
    encoded = base64.b64encode(png).decode()
    assert (
        buffer.getvalue()
        == f"\x1b]1337;File=inline=1;size={len(png)};preserveAspectRatio=1:{encoded}\x07\n"
    )


def test_no_escapes_reach_a_non_terminal():
    buffer = io.StringIO()
    Console(file=buffer, width=80, color_system=None).print(pixel_image(png_bytes((8, 8)), "kitty"))
    assert "\x1b" not in buffer.getvalue()


def test_passthrough_wraps_for_tmux_and_screen():
    assert wrap_for_tmux("\x1b_Ga=T;AA\x1b\\") == "\x1bPtmux;\x1b\x1b_Ga=T;AA\x1b\x1b\\\x1b\\"
    wrapped = wrap_for_screen("x" * 1000)
    assert wrapped == "\x1bP" + "x" * 768 + "\x1b\\" + "\x1bP" + "x" * 232 + "\x1b\\"
    console, buffer = terminal_console()
    console.print(pixel_image(png_bytes((8, 8)), "kitty", passthrough="tmux"))
    assert buffer.getvalue().startswith("\x1bPtmux;\x1b\x1b_Ga=T,f=100,q=2,m=0;")
