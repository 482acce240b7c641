"""Inline images: kernel image bytes → a rich renderable the terminal can draw.

One entry point, :func:`image_renderable`, used by :mod:`ick.render.mime`
for PNG, JPEG and GIF (and SVG once rasterised to PNG).  The protocol is the
one :class:`~ick.render.capabilities.TerminalCapabilities` decided at
start-up; each protocol is a module of its own:

- :mod:`.kitty`: kitty's graphics protocol (the PNG as it is)
- :mod:`.iterm`: iTerm2's OSC 1337 (the file as it is)
- :mod:`.sixel`: DEC sixel, encoded here with Pillow's quantiser
- :mod:`.blocks`: coloured half-block character art, for every other terminal

:mod:`.geometry` sizes images to the screen; :mod:`.decode` turns bad
payloads into one line of text instead of an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from ick.render.mime_order import RASTER_MIME_TYPES

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ick.render.capabilities import TerminalCapabilities
    from ick.render.images.graphics import PixelProtocol

__all__ = ["RASTER_MIME_TYPES", "FittedImage", "image_renderable"]


@runtime_checkable
class FittedImage(Protocol):
    """An image sized to the screen when printed, that can tell beforehand whether it will
    show anything one can make out (another representation is better than a smear)."""

    def legible(self, max_columns: int, max_rows: int) -> bool: ...


def image_renderable(
    data: bytes | str,
    mime_type: str,
    metadata: Mapping[str, Any],
    capabilities: TerminalCapabilities,
) -> RenderableType | None:
    """The image drawn as the terminal can, ``None`` when it draws no images, or one
    dim line saying why a payload could not be shown.

    ``data`` is the image file's bytes, or the kernel's base64 text of them.
    """
    if not capabilities.draws_images:
        return None
    # Pillow and the encoders load with the first image, not with ick.
    from rich.text import Text

    from ick.render.images.blocks import HalfBlockImage
    from ick.render.images.decode import ImageDataError, decode_base64, open_image
    from ick.render.images.graphics import PixelImage

    try:
        payload = decode_base64(data)
        image = open_image(payload)
    except ImageDataError as exc:
        return Text(f"[{mime_type}: cannot show the image: {exc}]", style="dim", end="")
    cell_size = capabilities.cell_size()
    if capabilities.graphics == "blocks":
        return HalfBlockImage(image, metadata, cell_size)
    return PixelImage(
        image,
        payload,
        mime_type,
        metadata,
        cast("PixelProtocol", capabilities.graphics),
        cell_size,
        capabilities.passthrough,
    )
