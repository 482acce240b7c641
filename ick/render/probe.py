"""Asking the terminal what it is, once, before prompt_toolkit owns stdin.

The queries go out together, in one batch: kitty's graphics query (answered
only by terminals with the kitty protocol), XTVERSION (the terminal's name),
the cell size in pixels (``CSI 16 t``, and the text area in pixels,
``CSI 14 t``), the background colour (OSC 11, for the REPL's theme) and last
DA1, which every terminal answers: its reply marks the end of the replies, so
the probe waits only as long as the terminal takes, and a timeout guards
against one that answers nothing.

While it reads, the tty is in non-canonical mode without echo (replies must
neither show on screen nor wait for Enter) and is restored afterwards.
Anything read that is not a reply is what the user typed meanwhile; it is
kept, not lost.

The probe runs in a thread so that it overlaps the kernel's start-up, and
the tty stays quiet until the front end takes it (see :class:`TerminalProbe`).
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import termios
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from ick.render.images.geometry import CellSize

KITTY_QUERY = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"
XTVERSION_QUERY = "\x1b[>0q"
CELL_SIZE_QUERY = "\x1b[16t"
TEXT_AREA_QUERY = "\x1b[14t"
BACKGROUND_QUERY = "\x1b]11;?\x1b\\"
DA1_QUERY = "\x1b[c"
QUERIES = (
    KITTY_QUERY + XTVERSION_QUERY + CELL_SIZE_QUERY + TEXT_AREA_QUERY + BACKGROUND_QUERY + DA1_QUERY
)

#: How long to wait for a terminal that answers nothing (pexpect, a serial line).
DEFAULT_TIMEOUT = 0.5

_KITTY_REPLY = re.compile(rb"\x1b_G([^\x1b]*)\x1b\\")
_XTVERSION_REPLY = re.compile(rb"\x1bP>\|([^\x1b]*)\x1b\\")
_CELL_SIZE_REPLY = re.compile(rb"\x1b\[6;(\d+);(\d+)t")
_TEXT_AREA_REPLY = re.compile(rb"\x1b\[4;(\d+);(\d+)t")
_DA1_REPLY = re.compile(rb"\x1b\[\?([0-9;]*)c")
_BACKGROUND_REPLY = re.compile(
    rb"\x1b\]11;rgb:([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})/([0-9a-fA-F]{1,4})(?:\x07|\x1b\\)?"
)
# Whatever else a terminal may send back to these queries: a DCS, an OSC, a window report
# (CSI … t) or device attributes (CSI … c).  Any other CSI is a key typed meanwhile (an
# arrow is CSI D, Delete CSI 3 ~, Shift-Tab CSI Z) and stays with the typed text.
_OTHER_REPLY = re.compile(rb"\x1b(?:[P_\]][^\x1b]*\x1b\\|\[[?>=]?[0-9;]*[tc])")


@dataclass(frozen=True)
class TerminalReplies:
    """What the terminal said about itself; ``answered`` is False when it said nothing."""

    answered: bool = False
    kitty_graphics: bool = False
    version: str = ""
    """XTVERSION's name and version, such as ``kitty(0.26.5)`` or ``XTerm(379)``."""
    device_attributes: tuple[int, ...] = ()
    """DA1's parameters; 4 among them means sixel graphics."""
    cell_size: CellSize | None = None
    background: tuple[float, float, float] | None = None
    """The background colour (0..1 per channel), when the terminal told it."""
    typeahead: str = ""
    """Keys the user typed while the probe read the terminal."""

    @property
    def sixel(self) -> bool:
        return 4 in self.device_attributes


def parse_replies(raw: bytes, window_cells: tuple[int, int] | None = None) -> TerminalReplies:
    """The replies found in ``raw``; ``window_cells`` (rows, columns) turns 14t into a cell size."""
    kitty = _KITTY_REPLY.search(raw)
    version = _XTVERSION_REPLY.search(raw)
    da1 = _DA1_REPLY.search(raw)
    cell_size = None
    if (cell := _CELL_SIZE_REPLY.search(raw)) and int(cell[1]) and int(cell[2]):
        cell_size = CellSize(int(cell[2]), int(cell[1]))
    elif (area := _TEXT_AREA_REPLY.search(raw)) and window_cells and all(window_cells):
        rows, columns = window_cells
        if int(area[1]) >= rows and int(area[2]) >= columns:
            cell_size = CellSize(int(area[2]) // columns, int(area[1]) // rows)
    rest = raw
    for reply in (_XTVERSION_REPLY, _KITTY_REPLY, _BACKGROUND_REPLY, _DA1_REPLY, _OTHER_REPLY):
        rest = reply.sub(b"", rest)
    return TerminalReplies(
        answered=bool(kitty or version or da1 or cell_size),
        kitty_graphics=bool(kitty and kitty[1].endswith(b";OK")),
        version=version[1].decode("utf-8", "replace") if version else "",
        device_attributes=tuple(int(p) for p in da1[1].split(b";") if p) if da1 else (),
        cell_size=cell_size,
        background=parse_background_reply(raw),
        typeahead=rest.decode("utf-8", "replace"),
    )


def parse_background_reply(reply: bytes) -> tuple[float, float, float] | None:
    """``ESC ] 11 ; rgb:RRRR/GGGG/BBBB`` → channels scaled to 0..1 (1 to 4 hex digits each)."""
    match = _BACKGROUND_REPLY.search(reply)
    if match is None:
        return None
    red, green, blue = (int(part, 16) / (16 ** len(part) - 1) for part in match.groups())
    return red, green, blue


def window_size(fd: int) -> tuple[int, int, int, int] | None:
    """TIOCGWINSZ: rows, columns, and the text area's width and height in pixels (0 if unknown)."""
    try:
        packed = fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8)
    except OSError:
        return None
    rows, columns, pixel_width, pixel_height = struct.unpack("HHHH", packed)
    return rows, columns, pixel_width, pixel_height


def _read_available(input_fd: int, wait: float) -> bytes:
    """What can be read within ``wait`` seconds (0: only what is already there)."""
    readable, _, _ = select.select([input_fd], [], [], max(0.0, wait))
    return os.read(input_fd, 4096) if readable else b""


@contextmanager
def quiet_tty(input_fd: int) -> Iterator[None]:
    """Non-canonical and without echo (replies neither wait for Enter nor show), then restored.

    Signals stay on, so Ctrl-C still interrupts.
    """
    saved = termios.tcgetattr(input_fd)
    quiet = termios.tcgetattr(input_fd)
    quiet[0] &= ~termios.ICRNL  # Enter typed meanwhile stays Enter (\r), as prompt_toolkit reads it
    quiet[3] &= ~(termios.ICANON | termios.ECHO)
    quiet[6][termios.VMIN] = 0
    quiet[6][termios.VTIME] = 0
    termios.tcsetattr(input_fd, termios.TCSANOW, quiet)
    try:
        yield
    finally:
        termios.tcsetattr(input_fd, termios.TCSANOW, saved)


def query_terminal(input_fd: int, output_fd: int, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Send the queries and read until DA1's reply or the timeout; the raw bytes read.

    The tty must be quiet (:func:`quiet_tty`).
    """
    os.write(output_fd, QUERIES.encode("ascii"))
    received = b""
    deadline = time.monotonic() + timeout
    while not _DA1_REPLY.search(received):
        chunk = _read_available(input_fd, deadline - time.monotonic())
        if not chunk:
            break
        received += chunk
    return received


class TerminalProbe:
    """The probe, run in a thread while the kernel starts.

    With ``hold`` (a REPL, which replays typed keys at its first prompt) the
    tty stays quiet from the queries until :meth:`replies`: a terminal slower
    than the timeout still has its replies read there, instead of echoed on
    screen or typed into the prompt, and keys typed meanwhile are collected
    rather than echoed out of place.  Without it (scripts, whose ``input()``
    reads the tty itself) the tty is restored as soon as the replies are in.
    """

    def __init__(
        self,
        input_fd: int,
        output_fd: int,
        timeout: float = DEFAULT_TIMEOUT,
        hold: bool = True,
    ) -> None:
        self._input_fd = input_fd
        self._output_fd = output_fd
        self._timeout = timeout
        self._hold = hold
        self._raw = b""
        self._quiet = quiet_tty(input_fd)
        self._quiet.__enter__()
        self._thread = threading.Thread(target=self._run, name="ick-terminal-probe", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._raw = query_terminal(self._input_fd, self._output_fd, self._timeout)
        except OSError:
            self._raw = b""  # not a terminal after all: the environment decides
        finally:
            if not self._hold:
                self._restore()

    def _restore(self) -> None:
        with suppress(OSError, termios.error):  # the terminal went away: nothing to restore
            self._quiet.__exit__(None, None, None)

    def replies(self) -> TerminalReplies:
        """Wait for the probe, read what arrived since, restore the tty, parse it all."""
        self._thread.join()
        if self._hold:
            try:
                while chunk := _read_available(self._input_fd, 0):
                    self._raw += chunk
            except OSError:
                pass
            finally:
                self._restore()
        size = window_size(self._output_fd)
        return parse_replies(self._raw, size[:2] if size else None)
