"""The sixel encoder: exact bytes for small images, and a decoder that reads any output back."""

from __future__ import annotations

import random
import re

from PIL import Image

from ick.render.images.sixel import MAX_REGISTERS, sixel_sequence

RED = (255, 0, 0)


def decode_sixel(sequence: str) -> tuple[int, int, dict[tuple[int, int], tuple[int, int, int]]]:
    """A minimal sixel reader: the raster size and every painted pixel's colour (0-100 scale).

    It follows the VT340 rules the encoder relies on: ``#n;2;r;g;b`` defines,
    ``#n`` selects, ``!n`` repeats, ``$`` returns to the band's start, ``-``
    moves down six rows.
    """
    assert sequence.startswith("\x1bP0;1;0q") and sequence.endswith("\x1b\\")
    body = sequence[len("\x1bP0;1;0q") : -2]
    raster = re.match(r'"1;1;(\d+);(\d+)', body)
    assert raster, "no raster attributes"
    width, height = int(raster[1]), int(raster[2])
    body = body[raster.end() :]
    palette: dict[int, tuple[int, int, int]] = {}
    pixels: dict[tuple[int, int], tuple[int, int, int]] = {}
    current: int | None = None
    x = y = 0
    tokens = re.finditer(r"#(\d+);2;(\d+);(\d+);(\d+)|#(\d+)|!(\d+)(.)|([?-~])|(\$)|(-)", body)
    position = 0
    for token in tokens:
        assert token.start() == position, f"unexpected {body[position : token.start() + 5]!r}"
        position = token.end()
        if token[1]:
            palette[int(token[1])] = (int(token[2]), int(token[3]), int(token[4]))
        elif token[5]:
            current = int(token[5])
        elif token[6] or token[8]:
            count, char = (int(token[6]), token[7]) if token[6] else (1, token[8])
            bits = ord(char) - 63
            if bits:
                assert current is not None, "data before any colour was selected"
            for _ in range(count):
                for bit in range(6):
                    if bits & (1 << bit):
                        pixels[(x, y + bit)] = palette[current]  # type: ignore[index]
                x += 1
        elif token[9]:
            x = 0
        else:
            x, y = 0, y + 6
    assert position == len(body)
    return width, height, pixels


def percent(colour: tuple[int, int, int]) -> tuple[int, int, int]:
    return tuple(round(c * 100 / 255) for c in colour)  # type: ignore[return-value]


def test_a_solid_image_is_one_colour_with_runs_and_an_explicit_select():
    sequence = sixel_sequence(Image.new("RGB", (4, 7), RED))
    # The colour is selected (#0) before the first data byte: a terminal's current colour
    # must not be trusted. The last band holds one row: bit 0 only ('@').
    assert sequence == '\x1bP0;1;0q"1;1;4;7#0;2;100;0;0#0!4~-#0!4@\x1b\\'


def test_two_colours_share_a_band_with_a_graphics_return():
    image = Image.new("RGB", (3, 6), (0, 0, 255))
    image.putpixel((1, 0), RED)
    sequence = sixel_sequence(image)
    width, height, pixels = decode_sixel(sequence)
    assert (width, height) == (3, 6)
    assert "$" in sequence
    assert pixels[(1, 0)] == (100, 0, 0)
    assert pixels[(1, 1)] == pixels[(0, 0)] == pixels[(2, 5)] == (0, 0, 100)
    assert len(pixels) == 18


def test_a_colour_starting_mid_row_skips_there_with_one_repeat():
    image = Image.new("RGB", (20, 1), (0, 0, 0))
    image.putpixel((15, 0), RED)
    _, _, pixels = decode_sixel(sixel_sequence(image))
    assert pixels[(15, 0)] == (100, 0, 0) and pixels[(14, 0)] == (0, 0, 0)
    assert "!15?" in sixel_sequence(image)


def test_transparent_pixels_are_never_painted():
    image = Image.new("RGBA", (8, 8), (0, 255, 0, 255))
    for x in range(8):
        image.putpixel((x, 3), (0, 0, 0, 0))
    _, _, pixels = decode_sixel(sixel_sequence(image))
    assert len(pixels) == 56
    assert all((x, 3) not in pixels for x in range(8))


def test_any_image_reads_back_within_256_registers():
    rng = random.Random(7)
    image = Image.new("RGB", (37, 23))
    image.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(37 * 23)]
    )
    sequence = sixel_sequence(image)
    width, height, pixels = decode_sixel(sequence)
    assert (width, height) == (37, 23)
    assert len(pixels) == 37 * 23  # every pixel painted exactly where it belongs
    registers = {int(n) for n in re.findall(r"#(\d+);2;", sequence)}
    assert len(registers) <= MAX_REGISTERS and max(registers) < MAX_REGISTERS


def test_few_colours_are_kept_exactly():
    colours = [RED, (0, 128, 255), (255, 255, 255), (10, 20, 30)]
    image = Image.new("RGB", (12, 13))
    image.putdata([colours[(x // 3 + y) % 4] for y in range(13) for x in range(12)])
    _, _, pixels = decode_sixel(sixel_sequence(image))
    for y in range(13):
        for x in range(12):
            assert pixels[(x, y)] == percent(colours[(x // 3 + y) % 4])
