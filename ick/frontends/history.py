"""Input history kept by ick itself, one file per kernel language.

Most kernels have no useful ``history_request`` (IRkernel, Deno, bash and
others answer with nothing), so ick records what the user submits, the
moment it is submitted, and offers it back in the next session.
"""

from __future__ import annotations

import datetime
import fcntl
import os
import re
from pathlib import Path

from prompt_toolkit.history import FileHistory


def data_dir() -> Path:
    """ick's folder in the user's data directory (XDG)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(base) / "ick"


def history_path(language: str) -> Path:
    """The history file for a kernel language; the name is reduced to safe characters."""
    safe = re.sub(r"[^a-z0-9_+-]+", "_", language.lower()).strip("_") or "unknown"
    return data_dir() / "history" / safe


class SharedFileHistory(FileHistory):
    """prompt_toolkit's file history, made safe for several ick processes at once.

    Each entry is appended with one ``write`` on an ``O_APPEND`` descriptor
    under an exclusive lock, so concurrent sessions of the same language
    interleave whole entries and never corrupt the file.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        super().__init__(path)

    def store_string(self, string: str) -> None:
        entry = f"\n# {datetime.datetime.now()}\n" + "".join(
            f"+{line}\n" for line in string.split("\n")
        )
        fd = os.open(self.filename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, entry.encode("utf-8", "surrogateescape"))
        finally:
            os.close(fd)
