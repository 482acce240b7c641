"""Images drawn by the real ``ick`` in real terminal emulators, checked on a screenshot.

Each test runs ick inside xterm, mlterm or kitty on a private Xvfb, lets the
kernel display a 64x64 pure red PNG, and looks for that red square on the
screen: present and exactly 64x64 (drawn 1:1 with pixels) where the
terminal has a pixel protocol, absent (character art in the terminal's own
red instead) where it has none.  ``--images`` is left to auto-detection
unless the test is about forcing a protocol, so these also check the
start-up probe against each terminal's real answers.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from ick.render.images.decode import open_image
from ick.render.images.sixel import quantise
from tests.support import realterm
from tests.support.terminal import ICK

RED = (255, 0, 0)
#: xterm's default ANSI red and green (red3, green3): character art in a 16-colour xterm,
#: and the REPL's ``In [n]:`` prompt.
XTERM_ANSI_RED = (205, 0, 0)
XTERM_ANSI_GREEN = (0, 205, 0)
SIDE = 64


def png_of(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def display_code(png: bytes) -> str:
    """The cell that displays ``png``, as IPython.display.Image."""
    return (
        "import base64\nfrom IPython.display import Image, display\n"
        f"display(Image(data=base64.b64decode('{base64.b64encode(png).decode()}')))\n"
    )


DISPLAY_RED_SQUARE = display_code(png_of(Image.new("RGB", (SIDE, SIDE), RED)))


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with realterm.x_server() as name:
        yield name


def show_image(
    kind: str,
    display: str,
    tmp_path: Path,
    env: dict[str, str],
    *options: str,
    code: str = DISPLAY_RED_SQUARE,
    colour: tuple[int, int, int] = RED,
) -> Image.Image:
    """Run ``ick OPTIONS -c CODE`` (by default, display the red square) in terminal ``kind``;
    the screenshot, once the terminal has painted something of ``colour``."""
    marker, log = tmp_path / "status", tmp_path / "stderr"
    command = [*ICK, *options, "-c", code]
    with realterm.terminal(kind, display, realterm.shell_running(command, marker, log), env):
        realterm.wait_for(marker)
        shot = realterm.settled_screenshot(display, tmp_path / f"{kind}.png", colour)
    assert marker.read_text().strip() == "0", log.read_text()
    assert log.read_text() == ""
    return shot


def assert_drawn_one_to_one(shot: Image.Image) -> None:
    block = realterm.colour_block(shot, RED)
    assert block is not None, "no image on the screen"
    assert (block.width, block.height) == (SIDE, SIDE), block
    assert block.filled == 1.0, block


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("xterm-vt340", ()),  # sixel, found by DA1
        ("mlterm", ()),  # sixel, found by DA1
        ("mlterm", ("--images", "iterm")),  # OSC 1337
        ("kitty", ()),  # kitty's protocol, from TERM=xterm-kitty
    ],
    ids=["xterm-vt340-sixel", "mlterm-sixel", "mlterm-iterm", "kitty-kitty"],
)
def test_the_image_is_drawn_with_pixels(
    kind: str, options: tuple[str, ...], display: str, tmp_path: Path, ick_env: dict[str, str]
):
    assert_drawn_one_to_one(show_image(kind, display, tmp_path, ick_env, *options))


BLUE, GREEN = (0, 0, 255), (0, 255, 0)


def layered_png() -> bytes:
    """Blue, with a red square and a green bar side by side in the same sixel bands."""
    image = Image.new("RGB", (SIDE, SIDE), BLUE)
    image.paste(RED, (10, 10, 30, 30))
    image.paste(GREEN, (40, 12, 48, 52))
    return png_of(image)


@pytest.mark.parametrize("kind", ["xterm-vt340", "mlterm"])
def test_sixel_colours_painted_over_the_band_colour_show_exactly(
    kind: str, display: str, tmp_path: Path, ick_env: dict[str, str]
):
    # The encoder paints each band all blue first, then red and green over it in one pass:
    # the terminal must show each colour exactly where it is in the image.
    code = display_code(layered_png())
    shot = show_image(kind, display, tmp_path, ick_env, "--images", "sixel", code=code)
    red, green, blue = (realterm.colour_block(shot, colour) for colour in (RED, GREEN, BLUE))
    assert red is not None and (red.width, red.height, red.filled) == (20, 20, 1.0), red
    assert green is not None and (green.width, green.height, green.filled) == (8, 40, 1.0), green
    assert blue is not None and (blue.width, blue.height) == (SIDE, SIDE), blue
    assert blue.count == SIDE * SIDE - 20 * 20 - 8 * 40, blue
    assert (red.x - blue.x, red.y - blue.y, green.x - blue.x, green.y - blue.y) == (10, 10, 40, 12)


PLOT_SIZE = (192, 144)


def framed_plot_png() -> bytes:
    """A small plot as notebooks make them (a grid and two anti-aliased curves on white, some
    hundred colours once quantised) in a one-pixel pure red frame that finds it on the screen."""
    width, height = PLOT_SIZE
    image = Image.new("RGB", (width * 2, height * 2), "white")
    draw = ImageDraw.Draw(image)
    for step in range(1, 8):
        draw.line([(step * width // 4, 0), (step * width // 4, height * 2)], fill=(176,) * 3)
        draw.line([(0, step * height // 4), (width * 2, step * height // 4)], fill=(176,) * 3)
    for colour, phase in (((31, 119, 180), 0.0), ((255, 127, 14), 1.5)):
        points = [(x, height - height * 0.8 * math.sin(x / 40 + phase)) for x in range(width * 2)]
        draw.line(points, fill=colour, width=5, joint="curve")
    image = image.resize(PLOT_SIZE, Image.Resampling.LANCZOS)
    ImageDraw.Draw(image).rectangle([0, 0, width - 1, height - 1], outline=RED)
    return png_of(image)


@pytest.mark.parametrize("kind", ["xterm-vt340", "mlterm"])
def test_a_plot_in_sixel_shows_its_quantised_colours_pixel_for_pixel(
    kind: str, display: str, tmp_path: Path, ick_env: dict[str, str]
):
    # Runs of many colours sharing passes, skips and repeats: every pixel on the screen is
    # the colour the encoder quantised it to, within the rounding of sixel's percentages.
    png = framed_plot_png()
    code = display_code(png)
    shot = show_image(kind, display, tmp_path, ick_env, "--images", "sixel", code=code)
    frame = realterm.colour_block(shot, RED)
    assert frame is not None and (frame.width, frame.height) == PLOT_SIZE, frame
    drawn = shot.crop((frame.x, frame.y, frame.x + PLOT_SIZE[0], frame.y + PLOT_SIZE[1]))
    paletted, _transparent = quantise(open_image(png))
    difference = ImageChops.difference(drawn, paletted.convert("RGB"))
    assert max(high for _low, high in difference.getextrema()) <= 3


def test_a_terminal_without_graphics_gets_character_art(
    display: str, tmp_path: Path, ick_env: dict[str, str]
):
    # xterm with its default VT420 id draws no sixel: DA1 says so, so ick sends none.
    shot = show_image("xterm", display, tmp_path, ick_env, colour=XTERM_ANSI_RED)
    assert realterm.colour_block(shot, RED) is None, "pixels where character art was expected"
    art = realterm.colour_block(shot, XTERM_ANSI_RED)
    assert art is not None, "no character art on the screen"
    assert art.filled > 0.95 and 50 <= art.width <= 80 and 50 <= art.height <= 80, art


def test_the_repl_draws_what_is_typed_into_it(
    display: str, tmp_path: Path, ick_env: dict[str, str]
):
    ready, done = tmp_path / "ready", tmp_path / "done"
    marker, log = tmp_path / "status", tmp_path / "stderr"
    program = realterm.shell_running(ICK, marker, log)
    with realterm.terminal("xterm-vt340", display, program, ick_env) as term:
        # Type once the prompt shows: keys typed before it may be lost.
        realterm.wait_for_colour(display, XTERM_ANSI_GREEN, tmp_path / "waiting.png")
        term.type_line(f"open({str(ready)!r}, 'w').close()")
        realterm.wait_for_file(ready)
        # The kernel makes the square with Pillow (ick's own dependency, so in its Python too).
        term.type_line(
            "import io; from PIL import Image as P; from IPython.display import Image; "
            "b = io.BytesIO(); P.new('RGB', (64, 64), (255, 0, 0)).save(b, 'PNG'); "
            f"display(Image(b.getvalue())); open({str(done)!r}, 'w').close()"
        )
        realterm.wait_for_file(done)
        shot = realterm.settled_screenshot(display, tmp_path / "repl.png", RED)
    assert_drawn_one_to_one(shot)
