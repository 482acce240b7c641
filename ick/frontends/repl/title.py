"""The terminal window's title: the kernel's name while ick runs, the old title after.

xterm's title stack (XTWINOPS ``CSI 22;0t`` push, ``CSI 23;0t`` pop) saves
and restores whatever the title was; terminals without the stack ignore it.
Nothing is written where it could show up as garbage: not on ``TERM=dumb``
or the Linux console, not when stdout is not a terminal.
"""

from __future__ import annotations

from ick.render.capabilities import supports_window_title
from ick.render.environment import Environment
from ick.render.sanitize import plain_text

PUSH_TITLE = "\x1b[22;0t"
POP_TITLE = "\x1b[23;0t"


class WindowTitle:
    def __init__(self, *, enabled: bool, environment: Environment) -> None:
        self.enabled = enabled and supports_window_title(
            environment.variables, stdout_is_tty=environment.stdout_is_tty
        )
        self._stdout = environment.stdout
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

    def _write(self, sequence: str) -> None:
        self._stdout.write(sequence)
        self._stdout.flush()
