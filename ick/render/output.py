"""The single path by which rendered kernel output reaches stdout and stderr.

Output is buffered and written once per burst: every write schedules one
flush on the event loop, so the hundreds of stream messages a reader handles
back-to-back become a single terminal write.  A front end that owns the
screen (a prompt being edited) installs a ``flush_hook`` so that output is
drawn above its prompt rather than through it.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Literal, TextIO

StreamName = Literal["stdout", "stderr"]
FlushHook = Callable[[Callable[[], None]], None]

# A flood is written in pieces of this size so that memory stays flat.
FLUSH_THRESHOLD = 1 << 16


class TerminalOutput:
    """Ordered, buffered writes to the two output streams."""

    def __init__(self, stdout: TextIO | None = None, stderr: TextIO | None = None) -> None:
        self._streams: dict[str, TextIO] = {
            "stdout": stdout or sys.stdout,
            "stderr": stderr or sys.stderr,
        }
        self._pending: list[tuple[str, str]] = []
        self._pending_size = 0
        self._flush_scheduled = False
        #: Whether the cursor is at the start of a line, as far as what we wrote tells.
        self.at_line_start = True
        #: Set by a front end while it draws on the screen; receives the write to perform.
        self.flush_hook: FlushHook | None = None
        #: Called once when a reader closed one of our streams (``ick job.py | head -1``).
        self.on_broken_pipe: Callable[[], None] | None = None
        self.broken = False

    def write(self, stream: StreamName, text: str) -> None:
        """Queue already-sanitised ``text`` for ``stream``."""
        if not text or self.broken:
            return
        self._pending.append((stream, text))
        self._pending_size += len(text)
        if self._pending_size >= FLUSH_THRESHOLD and self.flush_hook is None:
            self.flush()
        elif not self._flush_scheduled:
            self._flush_scheduled = True
            try:
                asyncio.get_running_loop().call_soon(self._scheduled_flush)
            except RuntimeError:  # no loop (tests, shutdown): write at once
                self.flush()

    def ensure_newline(self) -> None:
        """End a line left open by the kernel so that what follows starts at column 0."""
        self.flush()
        if not self.at_line_start:
            self.write("stdout", "\n")
            self.flush()

    def _scheduled_flush(self) -> None:
        self._flush_scheduled = False
        if not self._pending:
            return
        if self.flush_hook is not None:
            self.flush_hook(self.flush)
        else:
            self.flush()

    def flush(self) -> None:
        """Write everything queued, in order, switching streams as needed."""
        pending, self._pending, self._pending_size = self._pending, [], 0
        if not pending:
            return
        current: str | None = None
        chunk: list[str] = []
        for stream, text in pending:
            if stream != current:
                self._emit(current, chunk)
                current, chunk = stream, []
            chunk.append(text)
        self._emit(current, chunk)
        self.at_line_start = pending[-1][1].endswith(("\n", "\r"))

    def _emit(self, stream: str | None, chunk: list[str]) -> None:
        if stream is None or not chunk or self.broken:
            return
        target = self._streams[stream]
        try:
            target.write("".join(chunk))
            target.flush()
        except BrokenPipeError:
            self.broken = True
            if self.on_broken_pipe is not None:
                self.on_broken_pipe()
