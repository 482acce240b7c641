"""A sixel encoder (DEC graphics in a DCS string), with Pillow doing the quantising.

Sixel draws bands six pixels high: for each colour in a band, one byte per
column (63 + a 6-bit mask of the rows that have that colour), ``$`` back to
the band's start for the next colour, ``-`` down to the next band, and
``!n`` to repeat a byte.  Terminals keep at most 256 colour registers
reliably, so the image is quantised to that many (255 when one index is
kept for transparent pixels, which are simply never painted).

Each colour row is selected explicitly with ``#n`` before its data: a
terminal's current colour at the start of the image is not to be trusted.

Speed: the mask of one colour over one band is computed for the whole row at
once, with ``bytes.translate`` (index → 0/1) and big-integer shifts, instead
of a Python loop per pixel.
"""

from __future__ import annotations

import re

from PIL import Image

from ick.render.images.decode import to_rgba

MAX_REGISTERS = 256
#: Palette index that marks a transparent pixel when the image has any.
_TRANSPARENT = MAX_REGISTERS - 1
#: Mask 0..63 → sixel byte 63..126.
_SIXEL_CHARS = bytes((63 + value) & 0xFF for value in range(256))
_RUN = re.compile(rb"(.)\1{3,}")
#: Each palette index as a one-byte string, to search rows for it.
_INDEX_BYTES = [bytes((index,)) for index in range(256)]


def _repeat(match: re.Match[bytes]) -> bytes:
    run = match.group()
    return b"!%d%c" % (len(run), run[0])


def _percent(value: int) -> int:
    return round(value * 100 / 255)


def quantise(image: Image.Image) -> tuple[Image.Image, bool]:
    """A palette image of at most 256 colours, and whether index 255 means transparent."""
    rgba = to_rgba(image)
    alpha = rgba.getchannel("A")
    low, _high = alpha.getextrema()
    transparent = isinstance(low, (int, float)) and low < 128
    colours = MAX_REGISTERS - 1 if transparent else MAX_REGISTERS
    # No dithering: plots (the common case) keep flat areas flat, which RLE makes small.
    paletted = rgba.convert("RGB").quantize(
        colors=colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    if transparent:
        paletted.paste(_TRANSPARENT, mask=alpha.point(lambda a: 255 if a < 128 else 0))
    return paletted, transparent


def sixel_sequence(image: Image.Image) -> str:
    """The DCS sixel string drawing ``image`` at its pixel size (1:1 pixel aspect)."""
    paletted, transparent = quantise(image)
    width, height = paletted.size
    pixels = paletted.tobytes()
    palette = paletted.getpalette() or []
    skipped = {_TRANSPARENT} if transparent else set()
    used = sorted(set(pixels) - skipped)

    # P2=1: pixels no colour touches are left as they are (transparency);
    # raster attributes "1;1;W;H: square pixels and the image's size.
    parts = [f'\x1bP0;1;0q"1;1;{width};{height}']
    for index in used:
        red, green, blue = palette[3 * index : 3 * index + 3] or (0, 0, 0)
        parts.append(f"#{index};2;{_percent(red)};{_percent(green)};{_percent(blue)}")

    selectors: dict[int, bytes] = {}
    bands: list[str] = []
    for top in range(0, height, 6):
        rows = [pixels[y * width : (y + 1) * width] for y in range(top, min(top + 6, height))]
        colour_rows: list[str] = []
        for index in sorted(set(b"".join(rows)) - skipped):
            selector = selectors.get(index)
            if selector is None:
                selector = selectors[index] = bytes(index) + b"\x01" + bytes(255 - index)
            # Most colours of a band cover a few columns: work only from the first to the
            # last (found in C by find/rfind), and skip there with one repeat of the empty sixel.
            needle = _INDEX_BYTES[index]
            start = min(found for row in rows if (found := row.find(needle)) >= 0)
            end = max(row.rfind(needle) for row in rows) + 1
            mask = 0
            for bit, row in enumerate(rows):
                # Each byte is 0 or 1, so shifting the whole row's integer sets bit ``bit``
                # of every byte without carrying into its neighbour.
                mask |= int.from_bytes(row[start:end].translate(selector), "big") << bit
            skip = f"!{start}?" if start > 3 else "?" * start
            sixels = mask.to_bytes(end - start, "big").translate(_SIXEL_CHARS)
            data = _RUN.sub(_repeat, sixels).decode("ascii")
            colour_rows.append(f"#{index}{skip}{data}")
        bands.append("$".join(colour_rows))
    parts.append("-".join(bands))
    parts.append("\x1b\\")
    return "".join(parts)
