"""The one entry point the mime renderer calls: the right protocol, and bad data as one line."""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest
from rich.text import Text

from ick.render.capabilities import TerminalCapabilities
from ick.render.images import image_renderable
from ick.render.images.blocks import HalfBlockImage
from ick.render.images.graphics import PixelImage
from tests.render.images.helpers import png_bytes, terminal_console

TERMINAL = TerminalCapabilities(True, True, "truecolor")


def capabilities(graphics: str) -> TerminalCapabilities:
    return replace(TERMINAL, graphics=graphics)  # type: ignore[arg-type]


def test_each_protocol_gets_its_renderable_from_base64_or_bytes():
    png = png_bytes((8, 8))
    encoded = base64.b64encode(png).decode()
    for graphics in ("kitty", "iterm", "sixel"):
        rendered = image_renderable(encoded, "image/png", {}, capabilities(graphics))
        assert isinstance(rendered, PixelImage) and rendered.protocol == graphics
    assert isinstance(
        image_renderable(png, "image/png", {}, capabilities("blocks")), HalfBlockImage
    )


def test_no_graphics_means_no_renderable():
    assert image_renderable(png_bytes((8, 8)), "image/png", {}, capabilities("none")) is None


@pytest.mark.parametrize(
    "data", ["%%%not base64", base64.b64encode(png_bytes((8, 8))[:30]).decode(), "", 7]
)
def test_bad_data_is_one_dim_line(data: object):
    rendered = image_renderable(data, "image/png", {}, capabilities("sixel"))  # type: ignore[arg-type]
    assert isinstance(rendered, Text)
    console, buffer = terminal_console()
    console.print(rendered)
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 1 and "image/png: cannot show the image" in lines[0]
    assert "\x1bP" not in buffer.getvalue()


def test_a_jpeg_goes_to_kitty_as_png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 255)).save(buffer, format="JPEG")
    rendered = image_renderable(buffer.getvalue(), "image/jpeg", {}, capabilities("kitty"))
    console, out = terminal_console()
    console.print(rendered)
    payload = out.getvalue().split(";", 1)[1].split("\x1b", 1)[0]
    assert base64.b64decode(payload).startswith(b"\x89PNG")
