"""Kernel image payloads → Pillow images, or one short reason why not.

Kernels send base64 text that can be anything: invalid base64, a PNG cut
short, a JPEG labelled as PNG.  Everything is decoded and fully loaded here,
once, so that an encoder never meets a half-read image and a bad payload
becomes one line of text instead of a traceback.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings

from PIL import Image

#: A decompression bomb is refused rather than allowed to eat the machine's memory.
MAX_PIXELS = 50_000_000


class ImageDataError(ValueError):
    """The payload is not a readable image; the message says why in a few words."""


def decode_base64(data: object) -> bytes:
    """The bytes of a kernel's base64 image field (newlines, as IPython sends them, allowed)."""
    if isinstance(data, bytes):
        return data
    if not isinstance(data, str):
        raise ImageDataError("not base64 text")
    try:
        payload = base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ImageDataError("invalid base64") from None
    if not payload:
        raise ImageDataError("empty")
    return payload


def open_image(payload: bytes) -> Image.Image:
    """A fully decoded image (first frame of an animation), or :class:`ImageDataError`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(payload))
            if image.width * image.height > MAX_PIXELS:
                raise ImageDataError(f"too large ({image.width}x{image.height})")
            image.load()
    except ImageDataError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImageDataError(reason[:80]) from None
    if image.width < 1 or image.height < 1:
        raise ImageDataError("no pixels")
    return image


def to_rgba(image: Image.Image) -> Image.Image:
    """The image in RGBA, whatever mode it was decoded in."""
    return image if image.mode == "RGBA" else image.convert("RGBA")


def png_bytes(image: Image.Image) -> bytes:
    """The image encoded as PNG (for protocols that take PNG when the original is not one)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
