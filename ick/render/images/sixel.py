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
- A colour's pixels in a band are cut into runs (gaps of four columns or more
  are cheaper skipped with ``!n?``), and runs of different colours that do not
  overlap share one pass over the band (``#3…!40?#7…``) instead of each colour
  taking a pass of its own (``$``) that starts with a skip from the left edge.
- Colours are numbered by frequency, so that the commonest get the shortest
  ``#n``.  A run is preceded by its ``#n`` whenever its pass changes colour: a
  terminal's current colour at the start of the image is never trusted.

Speed: a band is transposed so that each column is eight bytes (six rows and
two of padding).  A colour's mask is then one ``bytes.translate`` (its rank ->
1, anything else -> 0) over the columns it spans, read as one integer, and one
multiplication gathers each column's six bytes into the six bits of its sixel
(``_GATHER`` puts row ``j``'s bit at bit ``56 + j`` of the column's word, and no
other product of the column reaches those bits).  Nothing loops over pixels
in Python.
"""

from __future__ import annotations

import re

from PIL import Image

from ick.render.images.decode import to_rgba

MAX_REGISTERS = 256
#: Palette index that marks a transparent pixel when the image has any.
_TRANSPARENT = MAX_REGISTERS - 1
#: The rank of a pixel no colour paints: transparent, or padding below the image.
_UNPAINTED = 255
#: Band rows, and the bytes a column takes once a band is transposed (two of padding).
_ROWS = 6
_COLUMN_BYTES = 8
#: Times a column's little-endian word of six 0/1 bytes: row j's byte (bit 8j) lands on
#: bit 56 + j, so the column's sixel bits are the eighth byte of its word.
_GATHER = sum(1 << (56 - 7 * row) for row in range(_ROWS))
#: Sixel bits 0..63 → the sixel byte.
_SIXEL_CHARS = bytes((63 + value) & 0xFF for value in range(256))
#: A run of four or more equal sixel bytes becomes ``!n<byte>``.
_RUN = re.compile(rb"([?-~])\1{3,}")
#: A colour's run: painted columns with gaps of at most three empty ones (a longer gap is
#: cheaper as a skip, ``!n?``, and leaves room for another colour's run in the same pass).
_PAINTED_RUN = re.compile(rb"[@-~](?:\?{0,3}[@-~])*")
#: Each rank as a one-byte string, to find it in a band, and the table that picks it out.
_RANK_BYTES = [bytes((rank,)) for rank in range(256)]
_RANK_TABLES = [bytes(rank) + b"\x01" + bytes(255 - rank) for rank in range(256)]
#: Picks out every painted pixel, whatever its colour.
_PAINTED_TABLE = bytes([1] * _UNPAINTED + [0])


def _repeat(match: re.Match[bytes]) -> bytes:
    run = match.group()
    return b"!%d%c" % (len(run), run[0])


def _percent(value: int) -> int:
    return round(value * 100 / 255)


def quantise(image: Image.Image) -> tuple[Image.Image, bool]:
    """A palette image of at most 255 colours, and whether index 255 marks transparent pixels."""
    rgba = to_rgba(image)
    alpha = rgba.getchannel("A")
    transparent = alpha.getextrema()[0] < 128
    # No dithering: plots (the common case) keep flat areas flat, which RLE makes small.
    # Index 255 is never a colour, even without transparency: the encoder uses it for
    # the pixels nothing paints.
    paletted = rgba.convert("RGB").quantize(
        colors=MAX_REGISTERS - 1, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    if transparent:
        paletted.paste(_TRANSPARENT, mask=alpha.point(lambda a: 255 if a < 128 else 0))
    return paletted, transparent


def ranked_by_frequency(paletted: Image.Image, transparent: bool) -> tuple[Image.Image, list[int]]:
    """The image with each palette index replaced by its colour's rank (0 for the commonest,
    255 for transparent), and the palette index of each rank."""
    counts = paletted.histogram()
    if transparent:
        counts[_TRANSPARENT] = 0
    order = sorted((index for index, count in enumerate(counts) if count), key=counts.__getitem__)
    order.reverse()
    rank_of = bytearray([_UNPAINTED]) * 256
    for rank, index in enumerate(order):
        rank_of[index] = rank
    ranks = paletted.tobytes().translate(rank_of)
    return Image.frombytes("L", paletted.size, ranks), order


def band_columns(ranked: Image.Image) -> list[bytes]:
    """Each band column by column: eight bytes a column, its six rows' ranks then padding
    (rows below the image, in the last band, are padding too)."""
    width, height = ranked.size
    bands = -(-height // _ROWS)
    padded = Image.new("L", (width, bands * _COLUMN_BYTES), _UNPAINTED)
    for band in range(bands):
        rows = ranked.crop((0, band * _ROWS, width, min(height, (band + 1) * _ROWS)))
        padded.paste(rows, (0, band * _COLUMN_BYTES))
    # Transposed, an image column is a row: band after band, eight bytes each.
    transposed = padded.transpose(Image.Transpose.TRANSPOSE)
    return [
        transposed.crop((band * _COLUMN_BYTES, 0, (band + 1) * _COLUMN_BYTES, width)).tobytes()
        for band in range(bands)
    ]


def _sixels(columns: bytes, table: bytes, start: int, end: int) -> bytes:
    """The sixel bytes of columns ``start`` to ``end`` for the pixels ``table`` picks out."""
    count = end - start
    picked = columns[start * _COLUMN_BYTES : end * _COLUMN_BYTES].translate(table)
    gathered = int.from_bytes(picked, "little") * _GATHER
    return gathered.to_bytes(count * _COLUMN_BYTES + 8, "little")[7::8][:count].translate(
        _SIXEL_CHARS
    )


def encode_band(columns: bytes) -> bytes:
    """One band's sixel data: its commonest colour over everything it paints, then the other
    colours' runs, packed into as few passes as they fit in."""
    width = len(columns) // _COLUMN_BYTES
    ranks = sorted(set(columns))
    if ranks[-1] == _UNPAINTED:
        ranks.pop()
    if not ranks:
        return b""
    cover = _sixels(columns, _PAINTED_TABLE, 0, width).rstrip(b"?")
    if not cover.strip(cover[:1]):  # the whole band at once (the RLE below would find it too)
        cover = b"!%d%c" % (len(cover), cover[0])
    passes = [b"#%d%s" % (ranks[0], cover)]

    runs: list[tuple[int, int, int, bytes]] = []
    for rank in ranks[1:]:
        needle = _RANK_BYTES[rank]
        start = columns.find(needle) // _COLUMN_BYTES
        end = columns.rfind(needle) // _COLUMN_BYTES + 1
        sixels = _sixels(columns, _RANK_TABLES[rank], start, end)
        if sixels.find(b"????") < 0:  # one run: no gap worth a skip
            runs.append((start, end, rank, sixels))
            continue
        for match in _PAINTED_RUN.finditer(sixels):
            first, last = match.span()
            runs.append((start + first, start + last, rank, match.group()))
    runs.sort()
    # First fit in order of start: a run joins the first pass that has ended before it.
    ends: list[int] = []
    pieces: list[list[bytes]] = []
    colours: list[int] = []
    for start, end, rank, sixels in runs:
        lane = 0
        for lane_end in ends:
            if lane_end <= start:
                break
            lane += 1
        if lane == len(ends):
            ends.append(0)
            pieces.append([])
            colours.append(-1)
        out = pieces[lane]
        gap = start - ends[lane]
        if gap:
            out.append(b"!%d?" % gap if gap > 3 else b"?" * gap)
        if colours[lane] != rank:
            out.append(b"#%d" % rank)
            colours[lane] = rank
        out.append(sixels)
        ends[lane] = end
    passes.extend(b"".join(out) for out in pieces)
    return b"$".join(passes)


def sixel_sequence(image: Image.Image) -> str:
    """The DCS sixel string drawing ``image`` at its pixel size (1:1 pixel aspect)."""
    paletted, transparent = quantise(image)
    width, height = paletted.size
    palette = paletted.getpalette() or []
    ranked, order = ranked_by_frequency(paletted, transparent)

    # P2=1: pixels no colour touches are left as they are (transparency);
    # raster attributes "1;1;W;H: square pixels and the image's size.
    parts = [f'\x1bP0;1;0q"1;1;{width};{height}']
    for rank, index in enumerate(order):
        red, green, blue = palette[3 * index : 3 * index + 3] or (0, 0, 0)
        parts.append(f"#{rank};2;{_percent(red)};{_percent(green)};{_percent(blue)}")
    body = b"-".join(encode_band(columns) for columns in band_columns(ranked))
    parts.append(_RUN.sub(_repeat, body).decode("ascii"))
    parts.append("\x1b\\")
    return "".join(parts)
