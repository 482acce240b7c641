"""What the terminal can do, detected once and consulted by everything else.

Like httpie's ``Environment``: one object says whether the streams are
terminals and how many colours they take, so that no renderer probes the
terminal on its own.  Graphics protocols and cell sizes join it with the
rich-output work.
"""

from __future__ import annotations

import os
import shutil
import sys
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
