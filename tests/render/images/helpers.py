"""Images and consoles for the encoder tests."""

from __future__ import annotations

import io

from PIL import Image
from rich.console import Console

from ick.render.capabilities import ColorSystem


def png_bytes(size: tuple[int, int], colour: tuple[int, ...] = (255, 0, 0)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA" if len(colour) == 4 else "RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


class _TtyBuffer(io.StringIO):
    def isatty(self) -> bool:
        return True


def terminal_console(
    width: int = 80, height: int = 24, color_system: ColorSystem = "truecolor"
) -> tuple[Console, io.StringIO]:
    """A rich Console that believes it writes to a terminal of this size, and its buffer."""
    buffer = _TtyBuffer()
    console = Console(
        file=buffer,
        width=width,
        height=height,
        color_system=color_system,
        force_terminal=True,
        soft_wrap=True,
    )
    return console, buffer
