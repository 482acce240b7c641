"""A sixel encoder (DEC graphics in a DCS string), with Pillow doing the quantising.

Sixel draws bands six pixels high: a colour is selected with ``#n``, then
each byte paints one column of the band (63 + a 6-bit mask of the rows it
sets) and moves right; ``!n`` repeats a byte, ``$`` goes back to the band's
start, ``-`` down to the next band.  Terminals keep at most 256 colour
registers reliably, so the image is quantised to 255 colours, index 255 being
kept for transparent pixels, which are simply never painted.

What keeps the output small:

- Later paint covers earlier paint.  Each band's commonest colour paints every
  pixel of the band (one ``!640~`` where the band has no transparency), and
  the other colours then paint only their own pixels over it.
- A colour's pixels in a band are cut into runs wherever four or more columns
  go without it, and runs of different colours that do not overlap share one
  pass over the band (``#3…!40?#7…``) instead of each colour taking a pass of
  its own (``$``) that starts with a skip from the left edge.
- Colours are numbered by frequency, so that the commonest get the shortest
  ``#n``.  A run is preceded by its ``#n`` whenever its pass changes colour: a
  terminal's current colour at the start of the image is never trusted.

Speed: nothing loops over pixels in Python.  The image is laid out band by
band and column by column (six bytes a column, and four empty columns after
each band), so that ``bytes.find`` jumps from one column a colour is in to the
next, over everything between; the Python loops are per colour, per column it
is in (a run that goes on is crossed four columns a step) and per run.  Each
colour's runs are joined and picked out by one ``bytes.translate`` (the colour
-> 1, anything else -> 0); then all of them at once become sixels (six rows
read as six integers, added with their shifts: one sixel a byte), are
run-length encoded by one ``re.sub`` and cut apart by one ``bytes.split``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from itertools import repeat
from operator import itemgetter

from PIL import Image

from ick.render.images.decode import to_rgba

MAX_REGISTERS = 256
#: Palette index that marks a transparent pixel when the image has any.
_TRANSPARENT = MAX_REGISTERS - 1
#: The palette index of a pixel no colour paints: transparent, or padding below the image.
_UNPAINTED = 255
#: Rows in a band, and so bytes in a column of the layout.
_ROWS = 6
#: A gap of this many empty columns or more ends a colour's run: it is cheaper as a skip
#: (``!n?``) and leaves room for another colour's run in the same pass.  As many unpainted
#: columns follow each band of the layout, so that no run reaches into the next band, and
#: separate a colour's runs when they are joined.
_SEPARATOR_COLUMNS = 4
_SEPARATOR_BYTES = _ROWS * _SEPARATOR_COLUMNS
_SEPARATOR = bytes([_UNPAINTED]) * _SEPARATOR_BYTES
#: Sixel bits 0..63 → the sixel byte.
_SIXEL_CHARS = bytes((63 + value) & 0xFF for value in range(256))
#: A run of four or more equal bytes becomes ``!n<byte>``.  Sixels have no newline, so ``.``
#: is any byte, and several times faster here than ``[?-~]``.
_RUN = re.compile(rb"(.)\1\1\1+")
#: Between runs, when they are made into sixels all at once, goes a column whose first row
#: is picked out as 64: the byte after ``~`` (DEL), which no sixel is.  Within a colour that
#: is a palette index no pixel has, which the colour's table picks out too.
_JOINT_BITS = 64
_JOINT_TABLE_BYTE = bytes((_JOINT_BITS,))
_JOINT = _SIXEL_CHARS[_JOINT_BITS : _JOINT_BITS + 1]
#: When every palette index is a colour, four empty columns go between them instead (no run
#: has four), which the run-length encoding makes ``!4?``.
_EMPTY_JOINT = b"!%d?" % _SEPARATOR_COLUMNS
#: Each palette index as a one-byte string, to find it in the layout, and the table that
#: picks it out.
_INDEX_BYTES = [bytes((index,)) for index in range(256)]
_INDEX_TABLES = [bytes(index) + b"\x01" + bytes(255 - index) for index in range(256)]
#: Picks out every painted pixel, whatever its colour.
_PAINTED_TABLE = bytes([1] * _UNPAINTED + [0])
#: ``#n`` for each rank.
_SELECTORS = [b"#%d" % rank for rank in range(256)]
#: A colour component 0..255 on the 0..100 scale of sixel colour definitions.
_PERCENT = [round(value * 100 / 255) for value in range(256)]


def _repeat(match: re.Match[bytes]) -> bytes:
    run = match.group()
    return b"!%d%c" % (len(run), run[0])


@lru_cache(maxsize=8)
def _skips(width: int) -> list[bytes]:
    """What moves a pass right without painting, by the gap in bytes of the layout (six a
    column: only every sixth entry is ever used)."""
    skips = [b"", b"?", b"??", b"???", *(b"!%d?" % gap for gap in range(4, width + 1))]
    return [skips[gap // _ROWS] for gap in range(width * _ROWS + 1)]


def _quantised(rgb: Image.Image) -> Image.Image:
    # No dithering: plots (the common case) keep flat areas flat, which RLE makes small.
    # Index 255 is never a colour, even without transparency: the encoder uses it for
    # the pixels nothing paints.
    return rgb.quantize(
        colors=MAX_REGISTERS - 1, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )


def quantise(image: Image.Image) -> tuple[Image.Image, bool]:
    """A palette image of at most 255 colours, and whether index 255 marks transparent pixels."""
    if image.mode == "RGB" and "transparency" not in image.info:
        # Opaque already (a JPEG, most PNGs): no alpha to look at, no copies to make.
        return _quantised(image), False
    rgba = to_rgba(image)
    alpha = rgba.getchannel("A")
    low, _high = alpha.getextrema()
    transparent = isinstance(low, (int, float)) and low < 128
    paletted = _quantised(rgba.convert("RGB"))
    if transparent:
        paletted.paste(_TRANSPARENT, mask=alpha.point(lambda a: 255 if a < 128 else 0))
    return paletted, transparent


def colours_by_frequency(paletted: Image.Image, transparent: bool) -> list[int]:
    """The palette indices the image paints with, commonest first: index ``order[n]`` is
    register ``#n``."""
    counts = paletted.histogram()
    if transparent:
        counts[_TRANSPARENT] = 0
    order = sorted((index for index, count in enumerate(counts) if count), key=counts.__getitem__)
    order.reverse()
    return order


def band_columns(paletted: Image.Image) -> bytes:
    """The image band after band, each column by column: six bytes a column, its rows'
    palette indices, then the band's separator columns (rows below the image, in the last
    band, and the separators are unpainted)."""
    width, height = paletted.size
    bands = -(-height // _ROWS)
    pixels = paletted.tobytes() + bytes([_UNPAINTED]) * (width * (bands * _ROWS - height))
    separator = bytes([_UNPAINTED]) * _SEPARATOR_COLUMNS
    rows = [pixels[y * width : (y + 1) * width] + separator for y in range(bands * _ROWS)]
    layout = bytearray(len(rows) * (width + _SEPARATOR_COLUMNS))
    for row in range(_ROWS):
        # Row ``row`` of every band, band after band, is every sixth byte of the layout.
        layout[row::_ROWS] = b"".join(rows[row::_ROWS])
    return bytes(layout)


def _row_sixels(masks: bytes) -> bytes:
    """The sixel bytes of columns of six 0/1 bytes: each row is one integer, shifted to its
    bit and added (no column's sum carries into the next)."""
    bits = int.from_bytes(masks[0::_ROWS], "little")
    bits += int.from_bytes(masks[1::_ROWS], "little") << 1
    bits += int.from_bytes(masks[2::_ROWS], "little") << 2
    bits += int.from_bytes(masks[3::_ROWS], "little") << 3
    bits += int.from_bytes(masks[4::_ROWS], "little") << 4
    bits += int.from_bytes(masks[5::_ROWS], "little") << 5
    return bits.to_bytes(len(masks) // _ROWS, "little").translate(_SIXEL_CHARS)


Run = tuple[int, int, int, bytes]
"""A colour's run: where its first column starts and its last ends (byte offsets in the
layout), rank, run-length encoded sixels."""
_start = itemgetter(0)


def band_covers(columns: bytes, order: list[int], width: int) -> list[int]:
    """The rank of each band's commonest colour (the first of ``order`` that it has), or -1
    for a band that nothing paints."""
    band_size = (width + _SEPARATOR_COLUMNS) * _ROWS
    covers = [-1] * (len(columns) // band_size)
    if not order:
        return covers
    needle = _INDEX_BYTES[order[0]]
    position = columns.find(needle)
    while position >= 0:
        band = position // band_size
        covers[band] = 0
        position = columns.find(needle, band * band_size + band_size)
    for band, cover in enumerate(covers):
        if cover < 0:
            start = band * band_size
            end = start + width * _ROWS
            for rank in range(1, len(order)):
                if columns.find(_INDEX_BYTES[order[rank]], start, end) >= 0:
                    covers[band] = rank
                    break
    return covers


def colour_runs(columns: bytes, order: list[int], covers: list[int], width: int) -> list[Run]:
    """The runs of every colour in the bands it does not cover, in order of start.

    Colour by colour, ``bytes.find`` jumps from one column the colour is in to the next, so
    that the empty columns between are never looked at; four or more of them end a run (a
    band's separator columns end any run at the band's end).  Each colour's runs are joined
    and picked out by one ``bytes.translate``; all of them are then turned into sixels and
    run-length encoded at once, and cut again where they were joined.
    """
    painting = set(order)
    free = next((index for index in range(_UNPAINTED) if index not in painting), None)
    if free is None:
        joint = _SEPARATOR
        joint_masks = bytes(_SEPARATOR_BYTES)
        joint_sixels = _EMPTY_JOINT
    else:
        joint = _INDEX_BYTES[free] + _SEPARATOR[: _ROWS - 1]
        joint_masks = _JOINT_TABLE_BYTE + bytes(_ROWS - 1)
        joint_sixels = _JOINT
    find = columns.find
    rfind = columns.rfind
    # Byte offsets in the layout of where each run's first column starts and its last ends,
    # and its rank, colour after colour; and each colour's runs, picked out.
    starts: list[int] = []
    ends: list[int] = []
    ranks: list[int] = []
    masks: list[bytes] = []
    for rank in range(1, len(order)):
        index = order[rank]
        needle = _INDEX_BYTES[index]
        position = find(needle)
        if position < 0:
            continue
        first = position - position % _ROWS
        end = first + _ROWS
        starts.append(first)
        spans: list[bytes] = []
        position = find(needle, end)
        while position >= 0:
            if position - end >= _SEPARATOR_BYTES:  # four empty columns or more: a new run
                ends.append(end)
                spans.append(columns[first:end])
                first = position - position % _ROWS
                starts.append(first)
                end = first + _ROWS
            else:
                # The run goes on: to the last column that has the colour among the next
                # four, for as long as there is one (a line is crossed four columns a step).
                end = position - position % _ROWS + _ROWS
                position = rfind(needle, end, end + _SEPARATOR_BYTES)
                while position >= 0:
                    end = position - position % _ROWS + _ROWS
                    position = rfind(needle, end, end + _SEPARATOR_BYTES)
            position = find(needle, end)
        ends.append(end)
        spans.append(columns[first:end])
        ranks.extend(repeat(rank, len(spans)))
        table = _INDEX_TABLES[index]
        if free is not None:  # the joint's index picked out as _JOINT_BITS
            table = table[:free] + _JOINT_TABLE_BYTE + table[free + 1 :]
        masks.append(joint.join(spans).translate(table))
    if not masks:
        return []
    sixels = _row_sixels(joint_masks.join(masks))
    encoded = _RUN.sub(_repeat, sixels).split(joint_sixels)
    runs = list(zip(starts, ends, ranks, encoded, strict=True))
    if any(covers):  # a band covered by another colour than the commonest: not its runs there
        band_size = (width + _SEPARATOR_COLUMNS) * _ROWS
        runs = [run for run in runs if covers[run[0] // band_size] != run[2]]
    runs.sort(key=_start)
    return runs


def encode_band(cover: bytes, runs: list[Run], band_start: int, width: int) -> bytes:
    """One band's sixel data: ``cover`` (a colour and its sixels over everything painted),
    then the runs (in order of start; the band's first column starts at byte ``band_start``)
    packed into as few passes as they fit in, first fit."""
    skips = _skips(width)
    ends: list[int] = []
    passes: list[list[bytes]] = []
    colours: list[int] = []
    for start, end, rank, sixels in runs:
        lane = 0
        for lane_end in ends:
            if lane_end <= start:
                break
            lane += 1
        else:
            ends.append(band_start)
            passes.append([])
            colours.append(-1)
        out = passes[lane]
        out.append(skips[start - ends[lane]])
        if colours[lane] != rank:
            colours[lane] = rank
            out.append(_SELECTORS[rank])
        out.append(sixels)
        ends[lane] = end
    return b"$".join([cover, *map(b"".join, passes)])


def sixel_sequence(image: Image.Image) -> str:
    """The DCS sixel string drawing ``image`` at its pixel size (1:1 pixel aspect)."""
    paletted, transparent = quantise(image)
    width, height = paletted.size
    palette = paletted.getpalette() or []
    order = colours_by_frequency(paletted, transparent)

    # P2=1: pixels no colour touches are left as they are (transparency);
    # raster attributes "1;1;W;H: square pixels and the image's size.
    parts = [f'\x1bP0;1;0q"1;1;{width};{height}']
    for rank, index in enumerate(order):
        red, green, blue = palette[3 * index : 3 * index + 3] or (0, 0, 0)
        parts.append(f"#{rank};2;{_PERCENT[red]};{_PERCENT[green]};{_PERCENT[blue]}")
    columns = band_columns(paletted)
    band_size = (width + _SEPARATOR_COLUMNS) * _ROWS
    covers = band_covers(columns, order, width)
    runs = colour_runs(columns, order, covers, width)

    unpainted = _INDEX_BYTES[_UNPAINTED]
    encoded = []
    for band, cover in enumerate(covers):
        if cover < 0:
            encoded.append(b"")
            continue
        start = band * band_size
        end = start + width * _ROWS
        if columns.find(unpainted, start, end) < 0:
            painted = b"!%d~" % width  # every pixel: the whole band at once
        else:
            painted = _row_sixels(columns[start:end].translate(_PAINTED_TABLE)).rstrip(b"?")
            painted = _RUN.sub(_repeat, painted)
        first = bisect_left(runs, start, key=_start)
        band_runs = runs[first : bisect_left(runs, end, first, key=_start)]
        encoded.append(encode_band(b"#%d%s" % (cover, painted), band_runs, start, width))
    parts.append(b"-".join(encoded).decode("ascii"))
    parts.append("\x1b\\")
    return "".join(parts)
