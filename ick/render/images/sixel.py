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
- A colour's pixels in a band are cut into runs where a gap is long, and runs
  of different colours that do not overlap share one pass over the band
  (``#3…!40?#7…``) instead of each colour taking a pass of its own (``$``) that
  starts with a skip from the left edge.
- Colours are numbered by frequency, so that the commonest get the shortest
  ``#n``.  A run is preceded by its ``#n`` whenever its pass changes colour: a
  terminal's current colour at the start of the image is never trusted.

Speed: the image is laid out band by band and column by column (six bytes a
column), so that ``bytes.find`` jumps straight to the bands a colour is in and
to its first and last column there.  A colour's mask over those columns is
one ``bytes.translate`` (its rank -> 1, anything else -> 0) read as one
integer, and one multiplication gathers each column's six bytes into the six
bits of its sixel (``_GATHER`` puts row ``j``'s bit on bit ``40 + j`` of the
column's 48, where no other product of the column or its neighbours lands).
Nothing loops over pixels in Python.
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
#: Rows in a band, and so bytes in a column of a transposed band.
_ROWS = 6
#: Times a column's little-endian six 0/1 bytes: row j's byte (bit 8j) lands on bit 40 + j,
#: so the column's sixel bits are the sixth byte of its 48 (no other product reaches them).
_GATHER = sum(1 << (40 - 7 * row) for row in range(_ROWS))
#: Sixel bits 0..63 → the sixel byte.
_SIXEL_CHARS = bytes((63 + value) & 0xFF for value in range(256))
#: A run of four or more equal sixel bytes becomes ``!n<byte>``.
_RUN = re.compile(rb"([?-~])\1{3,}")
#: A colour's run: painted columns with gaps of at most three empty ones (a longer gap is
#: cheaper as a skip, ``!n?``, and leaves room for another colour's run in the same pass).
_PAINTED_RUN = re.compile(rb"[@-~](?:\?{0,3}[@-~])*")
#: A gap in a colour's row worth cutting it into runs for (shorter ones are kept: cutting
#: there saves little and costs a selector).
_LONG_GAP = b"?" * 8
#: Skips too short to be worth a repeat.
_SHORT_SKIPS = (b"", b"?", b"??", b"???")
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
    low, _high = alpha.getextrema()
    transparent = isinstance(low, (int, float)) and low < 128
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


def band_columns(ranked: Image.Image) -> bytes:
    """The image band after band, each column by column: six bytes a column, its rows'
    ranks (rows below the image, in the last band, unpainted)."""
    width, height = ranked.size
    bands = -(-height // _ROWS)
    pixels = ranked.tobytes() + bytes([_UNPAINTED]) * (width * (bands * _ROWS - height))
    rows = [pixels[y * width : (y + 1) * width] for y in range(bands * _ROWS)]
    # The bands side by side, six rows high: transposed, that is each column's six bytes,
    # column after column, band after band.
    side_by_side = b"".join(
        rows[band * _ROWS + row] for row in range(_ROWS) for band in range(bands)
    )
    strip = Image.frombytes("L", (width * bands, _ROWS), side_by_side)
    return strip.transpose(Image.Transpose.TRANSPOSE).tobytes()


def _sixels(columns: bytes, table: bytes, start: int, end: int) -> bytes:
    """The sixel bytes of the columns from byte ``start`` to ``end`` of ``columns``, for the
    pixels ``table`` picks out."""
    count = (end - start) // _ROWS
    gathered = int.from_bytes(columns[start:end].translate(table), "little") * _GATHER
    sixels = gathered.to_bytes(end - start + _ROWS, "little")[_ROWS - 1 :: _ROWS]
    return sixels[:count].translate(_SIXEL_CHARS)


Run = tuple[int, int, int, bytes]
"""A colour's run in a band: first and last column + 1, rank, sixel bytes."""


def colour_runs(columns: bytes, width: int, colours: int) -> tuple[list[int], list[list[Run]]]:
    """For each band, the colour that paints all of it (the commonest it has), and the runs of
    its other colours.

    Colour by colour, ``bytes.find`` jumps from one band that has the colour to the next, so
    that only the bands a colour is in, and in each only the columns from its first to its
    last, are looked at.
    """
    size = width * _ROWS
    bands = len(columns) // size
    covers = [-1] * bands
    runs: list[list[Run]] = [[] for _ in range(bands)]
    for rank in range(colours):
        needle = _RANK_BYTES[rank]
        table = _RANK_TABLES[rank]
        position = columns.find(needle)
        while position >= 0:
            band, offset = divmod(position, size)
            band_start = band * size
            band_end = band_start + size
            if covers[band] < 0:
                covers[band] = rank  # ranks come commonest first
            else:
                start = band_start + offset - offset % _ROWS
                end = columns.rfind(needle, position, band_end) // _ROWS * _ROWS + _ROWS
                sixels = _sixels(columns, table, start, end)
                first = offset // _ROWS
                if sixels.find(_LONG_GAP) < 0:
                    runs[band].append((first, first + len(sixels), rank, sixels))
                else:
                    runs[band].extend(
                        [
                            (first + match.start(), first + match.end(), rank, match.group())
                            for match in _PAINTED_RUN.finditer(sixels)
                        ]
                    )
            position = columns.find(needle, band_end)
    return covers, runs


def encode_band(cover: bytes, runs: list[Run]) -> bytes:
    """One band's sixel data: ``cover`` (a colour and its sixels over everything painted),
    then the runs packed into as few passes as they fit in, first fit in order of start."""
    runs.sort()
    ends: list[int] = []
    passes: list[bytearray] = []
    colours: list[int] = []
    for start, end, rank, sixels in runs:
        lane = 0
        for lane_end in ends:
            if lane_end <= start:
                break
            lane += 1
        else:
            ends.append(0)
            passes.append(bytearray())
            colours.append(-1)
        out = passes[lane]
        gap = start - ends[lane]
        if gap:
            out += b"!%d?" % gap if gap > 3 else _SHORT_SKIPS[gap]
        if colours[lane] != rank:
            colours[lane] = rank
            out += b"#%d" % rank
        out += sixels
        ends[lane] = end
    return b"$".join([cover, *passes])


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
    columns = band_columns(ranked)
    covers, runs = colour_runs(columns, width, len(order))
    size = width * _ROWS
    unpainted = _RANK_BYTES[_UNPAINTED]
    bands = []
    for band, (cover, band_runs) in enumerate(zip(covers, runs, strict=True)):
        if cover < 0:
            bands.append(b"")
            continue
        start = band * size
        if columns.find(unpainted, start, start + size) < 0:
            painted = b"!%d~" % width  # every pixel: the whole band at once
        else:
            painted = _sixels(columns, _PAINTED_TABLE, start, start + size).rstrip(b"?")
        bands.append(encode_band(b"#%d%s" % (cover, painted), band_runs))
    body = b"-".join(bands)
    parts.append(_RUN.sub(_repeat, body).decode("ascii"))
    parts.append("\x1b\\")
    return "".join(parts)
