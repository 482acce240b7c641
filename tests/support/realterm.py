"""A small harness for running ick in real terminal emulators under Xvfb.

It starts a private X server (``Xvfb -nolisten tcp`` on a free display),
opens xterm, mlterm or kitty on it running a command, waits for a marker
file the command writes when done, takes screenshots of the whole screen
with ImageMagick's ``import`` until the screen shows what the test looks for
and has stopped changing, and measures the solid colour blocks on it with
Pillow.  Every process it starts is killed by its pid.

Missing programs make the tests fail (not skip), naming the setup script.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from .waiting import wait_until

TOOLS = ("Xvfb", "xterm", "mlterm", "kitty", "import", "xdotool")
SCREEN = (800, 600)

#: Variables of the terminal the tests themselves run in, which must not leak into the one
#: under test: each emulator sets its own.
FOREIGN_TERMINAL_VARIABLES = (
    "ICK_IMAGES",
    "TMUX",
    "STY",
    "KITTY_WINDOW_ID",
    "KITTY_PID",
    "TERM_PROGRAM",
    "TERM_PROGRAM_VERSION",
    "LC_TERMINAL",
    "WEZTERM_EXECUTABLE",
    "COLORTERM",
    "MLTERM",
    "XTERM_VERSION",
    "WINDOWID",
    "NO_COLOR",
)


def require_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"real-terminal tests need {', '.join(missing)}: run scripts/setup-dev "
            "(it apt-installs xvfb xterm mlterm kitty imagemagick x11-utils xfonts-base "
            "fonts-dejavu-core libgl1-mesa-dri libegl1 xdotool)",
            pytrace=False,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextmanager
def x_server() -> Iterator[str]:
    """A private Xvfb; yields its DISPLAY."""
    require_tools()
    number = 90
    while Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
        number += 1
    display = f":{number}"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def listening() -> bool:
            if server.poll() is not None:
                pytest.fail(f"Xvfb did not start on {display}", pytrace=False)
            return Path(f"/tmp/.X11-unix/X{number}").exists()

        wait_until(listening, timeout=10, what=f"Xvfb listening on {display}")
        yield display
    finally:
        _stop(server)


def terminal_command(kind: str, program: Sequence[str]) -> list[str]:
    """The command line opening terminal ``kind`` at the screen's top left, running ``program``.

    Kinds: ``xterm-vt340`` (sixel), ``xterm`` (its default VT420 id: no sixel), ``mlterm``,
    ``kitty`` (software OpenGL).  Backgrounds are white, so colour blocks stand out.
    """
    if kind == "xterm-vt340":
        return ["xterm", "-ti", "vt340", "-geometry", "80x24+0+0", "-bg", "white", "-fg",
                "black", "-e", *program]  # fmt: skip
    if kind == "xterm":
        return ["xterm", "-geometry", "80x24+0+0", "-bg", "white", "-fg", "black", "-e", *program]
    if kind == "mlterm":
        return ["mlterm", "-g", "80x24+0+0", "-e", *program]
    if kind == "kitty":
        return ["kitty", "--config", "NONE", "-o", "background=#ffffff", "-o",
                "foreground=#000000", "-o", "initial_window_width=640", "-o",
                "initial_window_height=400", *program]  # fmt: skip
    raise ValueError(kind)


@dataclass
class RunningTerminal:
    process: subprocess.Popen[bytes]
    display: str
    env: dict[str, str]

    def window_id(self, timeout: float = 15) -> str:
        """The terminal's X window (for xdotool), once it is mapped."""

        def mapped() -> list[str]:
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--pid", str(self.process.pid)],
                env=self.env,
                capture_output=True,
                text=True,
            )
            return found.stdout.split()

        return wait_until(mapped, timeout=timeout, interval=0.1, what="the terminal window")[-1]

    def type_line(self, text: str) -> None:
        """Type ``text`` and Enter into the terminal, as a user at the keyboard would."""
        window = self.window_id()
        for command in (
            ["xdotool", "mousemove", "--sync", "100", "100"],
            ["xdotool", "windowfocus", "--sync", window],
            ["xdotool", "type", "--delay", "2", text],
            ["xdotool", "key", "Return"],
        ):
            subprocess.run(command, env=self.env, check=True, timeout=60)


@contextmanager
def terminal(kind: str, display: str, program: Sequence[str], env: dict[str, str]) -> Iterator:
    """Run ``program`` in terminal ``kind`` on ``display``; killed on exit."""
    env = {k: v for k, v in env.items() if k not in FOREIGN_TERMINAL_VARIABLES}
    env.pop("TERM", None)  # each emulator names itself
    env.update(DISPLAY=display, LIBGL_ALWAYS_SOFTWARE="1")
    process = subprocess.Popen(
        terminal_command(kind, program),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield RunningTerminal(process, display, env)
    finally:
        _stop(process)


def shell_running(command: Sequence[str], marker: Path, log: Path) -> list[str]:
    """A shell that runs ``command`` (stderr to ``log``), writes its status to ``marker``
    and stays open, so that the screen keeps what it drew."""
    line = f"{shlex.join(command)} 2>{shlex.quote(str(log))}; echo $? > {shlex.quote(str(marker))}"
    return ["bash", "-c", f"{line}; sleep 120"]


def wait_for(marker: Path, timeout: float = 60) -> None:
    """Until ``marker`` holds what the command wrote into it."""
    wait_until(
        lambda: marker.exists() and marker.read_text().strip(),
        timeout=timeout,
        interval=0.1,
        what=f"{marker.name} written",
    )


def wait_for_file(path: Path, timeout: float = 60) -> None:
    wait_until(path.exists, timeout=timeout, interval=0.1, what=f"{path.name} created")


def screenshot(display: str, path: Path) -> Image.Image:
    """The whole X screen, now."""
    subprocess.run(
        ["import", "-window", "root", str(path)],
        env={**os.environ, "DISPLAY": display},
        check=True,
        timeout=30,
    )
    return Image.open(path).convert("RGB")


def settled_screenshot(
    display: str, path: Path, colour: tuple[int, int, int], timeout: float = 60
) -> Image.Image:
    """The screen once something of ``colour`` is on it (an image, a prompt) and two shots in
    a row are alike: a terminal paints in its own time after the program has written."""
    shots: list[Image.Image] = []

    def painted() -> bool:
        shots.append(screenshot(display, path))
        if len(shots) < 2 or colour_block(shots[-1], colour) is None:
            return False
        return ImageChops.difference(shots[-2], shots[-1]).getbbox() is None

    wait_until(painted, timeout=timeout, interval=0.1, what=f"something of colour {colour}")
    return shots[-1]


def wait_for_colour(
    display: str, colour: tuple[int, int, int], scratch: Path, timeout: float = 60
) -> None:
    """Wait until something of ``colour`` is on the screen (a prompt, say), as a user would."""
    wait_until(
        lambda: colour_block(screenshot(display, scratch), colour) is not None,
        timeout=timeout,
        interval=0.1,
        what=f"something of colour {colour} on the screen",
    )


@dataclass(frozen=True)
class Block:
    """The bounding box of the pixels of one colour, and how much of it they fill."""

    x: int
    y: int
    width: int
    height: int
    count: int

    @property
    def filled(self) -> float:
        return self.count / (self.width * self.height)


def colour_block(
    image: Image.Image, colour: tuple[int, int, int], tolerance: int = 12
) -> Block | None:
    """Where pixels within ``tolerance`` of ``colour`` are, or ``None`` if there are none."""
    masks = []
    for band, value in zip(image.split(), colour, strict=True):
        low, high = value - tolerance, value + tolerance
        masks.append(band.point(lambda level, lo=low, hi=high: 255 if lo <= level <= hi else 0))
    red, green, blue = (mask.convert("1") for mask in masks)
    mask = ImageChops.logical_and(ImageChops.logical_and(red, green), blue)
    box = mask.getbbox()
    if box is None:
        return None
    count = mask.crop(box).convert("L").histogram()[255]
    return Block(box[0], box[1], box[2] - box[0], box[3] - box[1], count)
