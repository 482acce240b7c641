"""Ctrl-D typed while code runs reaches the next prompt, as every other key does.

Between prompts the terminal is in cooked mode, where Ctrl-D is no character: it
ends a line of nothing, and Linux keeps a NUL in its place for the next reader,
which prompt_toolkit reads as Ctrl-Space.  So a Ctrl-D pressed during a long
execution was lost (as it is in CPython's and IPython's own REPLs).  With the
terminal's end-of-file character disabled for the session, Ctrl-D stays a
character (echoed as ``^D``) and the next prompt reads it as Ctrl-D.  Nothing
else changes: prompt_toolkit's raw mode does not use it, and the terminal's own
setting comes back when the REPL ends.
"""

from __future__ import annotations

import contextlib
import os
import termios
from collections.abc import Iterator


def _disabled(fd: int) -> bytes:
    """The value that disables a control character (``_POSIX_VDISABLE``: 0 on Linux, 0xff
    on macOS)."""
    try:
        return bytes([os.fpathconf(fd, "PC_VDISABLE") & 0xFF])
    except (OSError, ValueError):
        return b"\x00"


@contextlib.contextmanager
def ctrl_d_kept_while_code_runs(fd: int | None) -> Iterator[None]:
    """For the REPL's lifetime, on the terminal ``fd`` (nothing when it is not one)."""
    saved = None
    if fd is not None:
        with contextlib.suppress(termios.error, OSError):
            saved = termios.tcgetattr(fd)
    if fd is None or saved is None:
        yield
        return
    changed = termios.tcgetattr(fd)
    changed[6][termios.VEOF] = _disabled(fd)
    with contextlib.suppress(termios.error, OSError):
        termios.tcsetattr(fd, termios.TCSADRAIN, changed)
    try:
        yield
    finally:
        # The setting as it is now, with only the end-of-file character put back.
        with contextlib.suppress(termios.error, OSError):
            now = termios.tcgetattr(fd)
            now[6][termios.VEOF] = saved[6][termios.VEOF]
            termios.tcsetattr(fd, termios.TCSADRAIN, now)
