"""What the terminal can do, detected once and consulted by everything else.

Like httpie's ``Environment``: one object says whether the streams are
terminals and how many colours they take, so that no renderer probes the
terminal on its own.  Graphics protocols and cell sizes join it with the
rich-output work.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, TextIO

ColorSystem = Literal["standard", "256", "truecolor"]
ColorChoice = Literal["auto", "always", "never"]


@dataclass(frozen=True)
class TerminalCapabilities:
    stdin_is_tty: bool
    stdout_is_tty: bool
    color_system: ColorSystem | None
    """Colour on stdout; ``None`` means none (not a terminal, ``NO_COLOR``, ``TERM=dumb``)."""
    stderr_color: bool = False
    """Whether stderr takes colour: it can be a terminal while stdout is a pipe, or not."""

    @property
    def interactive(self) -> bool:
        return self.stdin_is_tty and self.stdout_is_tty

    @staticmethod
    def width(default: int = 80) -> int:
        """The current width: it changes when the window is resized, so it is never cached."""
        return shutil.get_terminal_size((default, 24)).columns

    @classmethod
    def detect(
        cls,
        env: Mapping[str, str] | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        color: ColorChoice = "auto",
    ) -> TerminalCapabilities:
        """Read the capabilities from the environment; ``color`` is ``--color``'s choice."""
        env = os.environ if env is None else env
        stdin_is_tty = _isatty(stdin or sys.stdin)
        stdout_is_tty = _isatty(stdout or sys.stdout)
        stderr_is_tty = _isatty(stderr or sys.stderr)
        term = env.get("TERM", "")
        refused = "NO_COLOR" in env or term == "dumb"
        if color == "always":
            stdout_color, stderr_color = True, True
        elif color == "never":
            stdout_color, stderr_color = False, False
        else:
            stdout_color = stdout_is_tty and not refused
            stderr_color = stderr_is_tty and not refused
        color_system: ColorSystem | None
        if not stdout_color:
            color_system = None
        elif env.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
            color_system = "truecolor"
        elif "256" in term:
            color_system = "256"
        else:
            color_system = "standard"
        return cls(stdin_is_tty, stdout_is_tty, color_system, stderr_color)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


# -- terminal queries and features outside the dataclass, asked once at start-up --------------
_BACKGROUND_REPLY = re.compile(
    rb"\x1b\]11;rgb:([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})"
)
_DA1_REPLY = re.compile(rb"\x1b\[\?[0-9;]*c")
#: TERM values of terminals that take no OSC/XTWINOPS sequences at all.
_PLAIN_TERMS = frozenset({"", "dumb", "linux"})


def query_background_color(
    timeout: float = 0.3, env: Mapping[str, str] | None = None
) -> tuple[float, float, float] | None:
    """The terminal's background colour (0..1 per channel) by OSC 11, or ``None``.

    Must run before prompt_toolkit owns stdin.  The question is followed by a
    DA1 request (``CSI c``), which nearly every terminal answers, so one that
    ignores OSC 11 costs a round trip rather than the whole timeout.
    """
    env = os.environ if env is None else env
    if env.get("TERM", "") in _PLAIN_TERMS or not (_isatty(sys.stdin) and _isatty(sys.stdout)):
        return None
    import select
    import termios

    fd = sys.stdin.fileno()
    try:
        saved = termios.tcgetattr(fd)
    except termios.error:
        return None
    quiet = termios.tcgetattr(fd)
    quiet[3] &= ~(termios.ICANON | termios.ECHO)  # the reply must not be echoed or line-buffered
    reply = b""
    try:
        termios.tcsetattr(fd, termios.TCSANOW, quiet)
        os.write(sys.stdout.fileno(), b"\x1b]11;?\x1b\\\x1b[c")
        deadline = time.monotonic() + timeout
        while not _DA1_REPLY.search(reply):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                break
            chunk = os.read(fd, 1024)
            if not chunk:
                break
            reply += chunk
    except OSError:
        return None
    finally:
        termios.tcsetattr(fd, termios.TCSANOW, saved)
    return parse_background_reply(reply)


def parse_background_reply(reply: bytes) -> tuple[float, float, float] | None:
    """``ESC ] 11 ; rgb:RRRR/GGGG/BBBB`` → channels scaled to 0..1 (1 to 4 hex digits each)."""
    match = _BACKGROUND_REPLY.search(reply)
    if match is None:
        return None
    red, green, blue = (int(part, 16) / (16 ** len(part) - 1) for part in match.groups())
    return red, green, blue


def supports_window_title(
    env: Mapping[str, str] | None = None, stdout: TextIO | None = None
) -> bool:
    """Whether setting (and pushing/popping) the window title is safe: a real, capable terminal."""
    env = os.environ if env is None else env
    return env.get("TERM", "") not in _PLAIN_TERMS and _isatty(stdout or sys.stdout)
