"""Where ick runs: its three streams, which of them are terminals, the environment
variables and what the terminal can do, found out once.

Like httpie's ``Environment``: everything below the command line takes one of
these instead of reaching for ``sys.stdout``, ``isatty`` or ``os.environ``
itself, so that a front end's logic can run in-process against streams a
test records (:meth:`Environment.of`), beside the pty tests that use the real
ones (:meth:`Environment.from_system`).
"""

from __future__ import annotations

import io
import os
import sys
import termios
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TextIO

from ick.render.capabilities import ColorChoice, ImagesChoice, TerminalCapabilities
from ick.render.probe import TerminalProbe, TerminalReplies


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


@dataclass(frozen=True, kw_only=True)
class Environment:
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    stdin_is_tty: bool
    stdout_is_tty: bool
    stderr_is_tty: bool
    variables: Mapping[str, str]
    capabilities: TerminalCapabilities
    """What the environment says the terminal can do; :meth:`with_replies` adds what the
    terminal itself answered to the start-up probe."""

    @classmethod
    def of(
        cls,
        *,
        stdout: TextIO,
        stderr: TextIO,
        stdin: TextIO | None = None,
        variables: Mapping[str, str] | None = None,
        color: ColorChoice = "auto",
        images: ImagesChoice = "auto",
    ) -> Environment:
        """An environment of these streams (a missing stdin is an empty one, no terminal)."""
        stdin = stdin if stdin is not None else io.StringIO()
        variables = variables if variables is not None else {}
        ttys = (_isatty(stdin), _isatty(stdout), _isatty(stderr))
        window_fd: int | None = None
        if ttys[1]:
            try:
                window_fd = stdout.fileno()
            except (OSError, ValueError, io.UnsupportedOperation):
                window_fd = None
        return cls(
            stdin=stdin,
            stdout=stdout,
            stderr=stderr,
            stdin_is_tty=ttys[0],
            stdout_is_tty=ttys[1],
            stderr_is_tty=ttys[2],
            variables=variables,
            capabilities=TerminalCapabilities.detect(
                variables=variables,
                stdin_is_tty=ttys[0],
                stdout_is_tty=ttys[1],
                stderr_is_tty=ttys[2],
                window_fd=window_fd,
                color=color,
                images=images,
            ),
        )

    @classmethod
    def from_system(
        cls, *, color: ColorChoice = "auto", images: ImagesChoice = "auto"
    ) -> Environment:
        """The process's own streams and variables."""
        return cls.of(
            stdin=sys.stdin,
            stdout=sys.stdout,
            stderr=sys.stderr,
            variables=os.environ,
            color=color,
            images=images,
        )

    def with_replies(self, replies: TerminalReplies) -> Environment:
        """This environment, with the terminal's own answers to the probe taken into account."""
        return replace(self, capabilities=self.capabilities.with_replies(replies, self.variables))

    def stdin_terminal_fd(self) -> int | None:
        """The terminal stdin reads, as a file descriptor; ``None`` when it is no terminal."""
        if not self.stdin_is_tty:
            return None
        try:
            return self.stdin.fileno()
        except (OSError, ValueError):
            return None

    def start_probe(self, *, hold: bool = False, background: bool = False) -> TerminalProbe | None:
        """Start the terminal probe (it overlaps the kernel's start-up), or ``None`` when it
        could tell nothing the environment has not.

        ``hold``: keep the tty quiet until the replies are taken, collecting typed keys
        (for a REPL, which replays them; see :class:`~ick.render.probe.TerminalProbe`).
        ``background``: the background colour is wanted (the REPL's theme).
        """
        if not self.capabilities.wants_probe(background=background):
            return None
        self.stdout.flush()
        try:
            return TerminalProbe(self.stdin.fileno(), self.stdout.fileno(), hold=hold)
        except (OSError, termios.error, io.UnsupportedOperation):
            return None  # a terminal that will not be configured
