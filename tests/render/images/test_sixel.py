"""The sixel encoder: exact bytes for small images, and a decoder that reads any output back."""

from __future__ import annotations

import io
import math
import random
import re

import pytest
from PIL import Image, ImageDraw

from ick.render.images.decode import open_image
from ick.render.images.sixel import MAX_REGISTERS, quantise, sixel_sequence

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


def test_the_transparent_colour_of_an_rgb_png_is_never_painted():
    image = Image.new("RGB", (8, 8), RED)
    image.paste((0, 255, 0), (0, 3, 8, 4))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=(0, 255, 0))
    opened = open_image(buffer.getvalue())
    assert opened.mode == "RGB"
    _, _, pixels = decode_sixel(sixel_sequence(opened))
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


def quantised_pixels(image: Image.Image) -> dict[tuple[int, int], tuple[int, int, int]]:
    """What the encoder should paint: each opaque pixel in its quantised colour (0-100)."""
    paletted, transparent = quantise(image)
    palette = paletted.getpalette() or []
    pixels = {}
    for y in range(paletted.height):
        for x in range(paletted.width):
            index = paletted.getpixel((x, y))
            assert isinstance(index, int)
            if not (transparent and index == 255):
                pixels[(x, y)] = percent(tuple(palette[3 * index : 3 * index + 3]))  # type: ignore[arg-type]
    return pixels


def plot_image(size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A plot as notebooks make them: white, a grid, axes, text and anti-aliased curves."""
    scale = 2
    width, height = size
    image = Image.new("RGB", (width * scale, height * scale), "white")
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 40 * scale, 30 * scale, (width - 20) * scale, (height - 30) * scale
    for step in range(11):
        x = left + (right - left) * step // 10
        y = top + (bottom - top) * step // 10
        draw.line([(x, top), (x, bottom)], fill=(176, 176, 176), width=scale)
        draw.line([(left, y), (right, y)], fill=(176, 176, 176), width=scale)
        draw.text((x - 4, bottom + 6), str(step), fill="black")
    draw.rectangle([left, top, right, bottom], outline="black", width=scale)
    for colour, phase in (((31, 119, 180), 0.0), ((255, 127, 14), 1.5)):
        points = [
            (
                left + (right - left) * i / 300,
                (top + bottom) / 2 - (bottom - top) * 0.4 * math.sin(i / 30 + phase),
            )
            for i in range(301)
        ]
        draw.line(points, fill=colour, width=3 * scale, joint="curve")
    return image.resize(size, Image.Resampling.LANCZOS)


def one_pass_per_colour_size(image: Image.Image) -> int:
    """The size of the classic layout of the same quantised image: in every band, each colour
    its own pass, exact pixels from its first column to its last, skip and repeats as ick
    writes them, palette numbers as the quantiser gave them."""
    paletted, transparent = quantise(image)
    width, height = paletted.size
    pixels = paletted.load()
    assert pixels is not None
    palette = paletted.getpalette() or []
    size = len(f'\x1bP0;1;0q"1;1;{width};{height}\x1b\\')
    for index in set(paletted.tobytes()) - ({255} if transparent else set()):
        red, green, blue = percent(tuple(palette[3 * index : 3 * index + 3]))  # type: ignore[arg-type]
        size += len(f"#{index};2;{red};{green};{blue}")
    for top in range(0, height, 6):
        rows = range(top, min(top + 6, height))
        masks: dict[int, dict[int, int]] = {}
        for x in range(width):
            for bit, y in enumerate(rows):
                index = pixels[x, y]
                if not (transparent and index == 255):
                    masks.setdefault(index, {})
                    masks[index][x] = masks[index].get(x, 0) | 1 << bit
        passes = []
        for index, columns in sorted(masks.items()):
            first, last = min(columns), max(columns)
            data = "".join(chr(63 + columns.get(x, 0)) for x in range(first, last + 1))
            data = re.sub(r"(.)\1{3,}", lambda m: f"!{len(m[0])}{m[1]}", data)
            skip = f"!{first}?" if first > 3 else "?" * first
            passes.append(f"#{index}{skip}{data}")
        size += len("$".join(passes)) + 1
    return size - 1


def test_a_plot_is_a_fifth_smaller_than_one_pass_per_colour_and_reads_back_the_same():
    image = plot_image()
    sequence = sixel_sequence(image)
    assert decode_sixel(sequence)[2] == quantised_pixels(image)
    assert len(sequence) <= 0.8 * one_pass_per_colour_size(image), len(sequence)


def test_colours_are_numbered_by_frequency():
    image = Image.new("RGB", (30, 12), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 10, 12))  # 120 red pixels, 240 blue
    sequence = sixel_sequence(image)
    assert sequence.startswith('\x1bP0;1;0q"1;1;30;12#0;2;0;0;100#1;2;100;0;0')


def test_the_commonest_colour_paints_a_whole_band_and_others_paint_over_it():
    image = Image.new("RGB", (40, 6), (255, 255, 255))
    image.paste((255, 0, 0), (5, 2, 8, 4))
    image.paste((0, 0, 255), (20, 0, 22, 6))
    sequence = sixel_sequence(image)
    # White covers the band in one repeat; red and blue share the next pass.
    assert sequence.endswith("#0!40~$!5?#2KKK!12?#1~~\x1b\\")
    assert decode_sixel(sequence)[2] == quantised_pixels(image)


def test_a_gap_of_four_columns_ends_a_run_and_a_shorter_one_stays_in_it():
    image = Image.new("RGB", (40, 6), (255, 255, 255))
    for left, right in ((2, 3), (6, 10), (13, 21), (25, 31)):  # red on the top two rows
        image.paste(RED, (left, 0, right, 2))
    image.paste((0, 0, 255), (4, 2, 5, 6))  # blue below red's first gap
    image.paste((0, 0, 255), (22, 0, 23, 6))  # and in its second
    sequence = sixel_sequence(image)
    # Red's three columns off stay in its run, so blue's column there takes a pass of its
    # own; red's four columns off end the run, and blue's column goes between, in its pass.
    assert sequence.endswith("#0!40~$??#1B???!4B???!8B?#2~??#1!6B$!4?#2{\x1b\\")
    assert decode_sixel(sequence)[2] == quantised_pixels(image)


def test_runs_of_an_image_that_uses_every_register_read_back():
    # Runs of random colours, one to eight columns long, some a few columns apart: 255
    # colours once quantised, so that no palette index is left over.
    rng = random.Random(3)
    image = Image.new("RGB", (96, 30), (255, 255, 255))
    for y in range(30):
        x = rng.randrange(4)
        while x < 96:
            length = rng.randrange(1, 9)
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            image.paste(colour, (x, y, min(x + length, 96), y + 1))
            x += length + rng.choice([0, 1, 3, 4, 6])
    paletted, _transparent = quantise(image)
    assert len(paletted.getcolors(MAX_REGISTERS) or []) == MAX_REGISTERS - 1
    sequence = sixel_sequence(image)
    assert decode_sixel(sequence)[2] == quantised_pixels(image)


@pytest.mark.parametrize(
    "size",
    [(1, 1), (1, 13), (13, 1), (37, 23), (300, 7)],
    ids=lambda size: "x".join(map(str, size)),
)
@pytest.mark.parametrize("alpha", [False, True], ids=["opaque", "transparent"])
def test_any_image_reads_back_as_its_quantised_pixels(size: tuple[int, int], alpha: bool):
    rng = random.Random(size[0] * 1000 + size[1])
    image = Image.new("RGBA", size)
    image.putdata(
        [
            (
                rng.randrange(256),
                rng.randrange(256),
                rng.randrange(256),
                rng.choice([0, 255, 255]) if alpha else 255,
            )
            for _ in range(size[0] * size[1])
        ]
    )
    sequence = sixel_sequence(image)
    width, height, pixels = decode_sixel(sequence)
    assert (width, height) == size
    assert pixels == quantised_pixels(image)
