"""The real ``ick`` in a real terminal emulator (tmux), read back as the screen it shows.

A pty transcript shows every byte ever written; whether a display was
redrawn in place, a clear erased something, or a progress bar stayed on one
line is only visible on the *screen*.  tmux keeps one and prints it
(``capture-pane``), with no X server needed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from .terminal import ICK
from .waiting import wait_until


class TmuxScreen:
    def __init__(self, socket: Path, env: dict[str, str], width: int = 100, height: int = 30):
        if shutil.which("tmux") is None:
            raise AssertionError("these tests need tmux: apt-get install tmux")
        self.socket = socket
        self.env = env
        self.size = (width, height)

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-S", str(self.socket), "-f", "/dev/null", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        if result.returncode != 0:
            raise AssertionError(f"tmux {args[0]} failed: {result.stderr.strip()}")
        return result.stdout

    def start(self, *ick_args: str) -> TmuxScreen:
        width, height = self.size
        self.tmux(
            "new-session", "-d", "-x", str(width), "-y", str(height), "--", *ICK, *ick_args
        )  # fmt: skip
        return self

    def text(self) -> str:
        """The screen now, one line per row, trailing blanks removed."""
        rows = self.tmux("capture-pane", "-p").split("\n")
        return "\n".join(row.rstrip() for row in rows).rstrip("\n")

    def wait_for(self, pattern: str, timeout: float = 30.0) -> str:
        """Wait until ``pattern`` is on the screen; return the screen."""
        compiled = re.compile(pattern, re.MULTILINE)
        screens: list[str] = []

        def shown() -> bool:
            screens.append(self.text())
            return bool(compiled.search(screens[-1]))

        try:
            wait_until(shown, timeout=timeout, interval=0.2)
        except AssertionError:
            raise AssertionError(
                f"{pattern!r} not on screen in {timeout:g} s:\n{screens[-1]}"
            ) from None
        return screens[-1]

    def type(self, line: str) -> None:
        self.tmux("send-keys", "-l", line)
        self.tmux("send-keys", "Enter")

    def close(self) -> None:
        subprocess.run(
            ["tmux", "-S", str(self.socket), "kill-server"],
            capture_output=True,
            timeout=30,
        )
