"""Kernel payloads that are not images become a reason, never an exception."""

from __future__ import annotations

import base64
import io
import struct
import zlib

import pytest
from PIL import Image

from ick.render.images.decode import ImageDataError, decode_base64, open_image


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (255, 0, 0)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_base64_with_newlines_as_ipython_sends_it_decodes():
    encoded = base64.encodebytes(png()).decode()
    assert "\n" in encoded
    assert decode_base64(encoded) == png()


@pytest.mark.parametrize("bad", ["%%%", "", "abc", 42, None])
def test_bad_base64_is_refused(bad: object):
    with pytest.raises(ImageDataError):
        decode_base64(bad)


@pytest.mark.parametrize(
    "payload", [png()[:40], b"\x89PNG\r\n\x1a\n", b"not an image", b"GIF89a\x01\x00"]
)
def test_truncated_or_foreign_data_is_refused(payload: bytes):
    with pytest.raises(ImageDataError) as caught:
        open_image(payload)
    assert "\n" not in str(caught.value) and len(str(caught.value)) <= 80


def test_a_decompression_bomb_is_refused():
    # A real PNG whose header claims 20000x20000 pixels: refused before any pixel is decoded.
    original = png()
    header = b"IHDR" + struct.pack(">II", 20_000, 20_000) + original[24:29]
    bomb = original[:12] + header + struct.pack(">I", zlib.crc32(header)) + original[33:]
    with pytest.raises(ImageDataError):
        open_image(bomb)
