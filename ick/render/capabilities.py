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


@dataclass(frozen=True)
class TerminalCapabilities:
    stdin_is_tty: bool
    stdout_is_tty: bool
    color_system: ColorSystem | None
    """``None`` means no colour at all (not a terminal, ``NO_COLOR``, ``TERM=dumb``)."""

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
    ) -> TerminalCapabilities:
        env = os.environ if env is None else env
        stdin_is_tty = _isatty(stdin or sys.stdin)
        stdout_is_tty = _isatty(stdout or sys.stdout)
        term = env.get("TERM", "")
        color_system: ColorSystem | None
        if not stdout_is_tty or "NO_COLOR" in env or term == "dumb":
            color_system = None
        elif env.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
            color_system = "truecolor"
        elif "256" in term:
            color_system = "256"
        else:
            color_system = "standard"
        return cls(stdin_is_tty, stdout_is_tty, color_system)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False
