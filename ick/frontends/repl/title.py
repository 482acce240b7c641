"""The terminal window's title: the kernel's name while ick runs, the old title after.

xterm's title stack (XTWINOPS ``CSI 22;0t`` push, ``CSI 23;0t`` pop) saves
and restores whatever the title was; terminals without the stack ignore it.
Nothing is written where it could show up as garbage: not on ``TERM=dumb``
or the Linux console, not when stdout is not a terminal.
"""

from __future__ import annotations

import sys

from ick.render.capabilities import supports_window_title
from ick.render.sanitize import plain_text

PUSH_TITLE = "\x1b[22;0t"
POP_TITLE = "\x1b[23;0t"


class WindowTitle:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and supports_window_title()
        self._pushed = False

    def show(self, kernel_name: str) -> None:
        if not self.enabled:
            return
        name = "".join(ch for ch in plain_text(kernel_name) if ch.isprintable())
        prefix = "" if self._pushed else PUSH_TITLE
        self._pushed = True
        self._write(f"{prefix}\x1b]2;ick: {name}\x07")

    def restore(self) -> None:
        if self._pushed:
            self._pushed = False
            self._write(POP_TITLE)

    @staticmethod
    def _write(sequence: str) -> None:
        sys.stdout.write(sequence)
        sys.stdout.flush()
