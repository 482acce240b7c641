"""Input history kept by ick itself, one file per kernel language.

Most kernels have no useful ``history_request`` (IRkernel, Deno, bash and
others answer with nothing), so ick records what the user submits, the
moment it is submitted, and offers it back in the next session.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import os
import re
from collections.abc import Iterable, Iterator
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


#: Slack over the size limit before the file is rewritten, so that it is not rewritten each start.
COMPACT_SLACK = 0.2


class SharedFileHistory(FileHistory):
    """prompt_toolkit's file history, made safe for several ick processes at once.

    Each entry is appended with one ``write`` on an ``O_APPEND`` descriptor
    under an exclusive lock, so concurrent sessions of the same language
    interleave whole entries and never corrupt the file.

    Entries are offered newest first and without repeats; when the file holds
    well over ``max_entries``, it is rewritten (under the same lock, through a
    new file renamed into place) with the newest ``max_entries`` distinct
    ones.  A writer that was waiting for the lock meanwhile notices that its
    file was replaced and appends to the new one, so no entry is lost.
    """

    def __init__(self, path: Path, max_entries: int = 10000) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        super().__init__(path)
        self.max_entries = max_entries

    def load_history_strings(self) -> Iterable[str]:
        try:
            with open(self.filename, "rb") as handle:
                entries = _parse(handle.read())
        except FileNotFoundError:
            return []
        if len(entries) > self.max_entries * (1 + COMPACT_SLACK):
            self._compact()
        newest = _distinct_newest(entries, self.max_entries)
        return [text for _stamp, text in reversed(newest)]

    def store_string(self, string: str) -> None:
        entry = f"\n# {datetime.datetime.now()}\n" + "".join(
            f"+{line}\n" for line in string.split("\n")
        )
        path = Path(os.fsdecode(self.filename))
        with _locked(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT) as fd:
            os.write(fd, entry.encode("utf-8", "surrogateescape"))

    def _compact(self) -> None:
        path = Path(os.fsdecode(self.filename))
        with _locked(path, os.O_RDONLY) as fd:
            data = b""
            while chunk := os.read(fd, 1 << 20):
                data += chunk
            keep = _distinct_newest(_parse(data), self.max_entries)
            text = "".join(
                stamp + "".join(f"+{line}\n" for line in entry.split("\n")) for stamp, entry in keep
            )
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_bytes(text.encode("utf-8", "surrogateescape"))
            os.chmod(temporary, 0o600)
            os.replace(temporary, path)


@contextlib.contextmanager
def _locked(path: Path, flags: int) -> Iterator[int]:
    """An exclusively locked descriptor on the file that is at ``path`` now.

    The lock is taken on an open descriptor; if the file was replaced while
    this process waited for it, the descriptor is reopened on the new file.
    """
    while True:
        fd = os.open(path, flags, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                current = os.stat(path)
            except FileNotFoundError:
                current = None
            if current is not None and current.st_ino == os.fstat(fd).st_ino:
                yield fd
                return
        finally:
            os.close(fd)


def _parse(data: bytes) -> list[tuple[str, str]]:
    """``(stamp line, text)`` per entry, oldest first, in FileHistory's format."""
    entries: list[tuple[str, str]] = []
    stamp = "\n"
    lines: list[bytes] = []
    for line in data.split(b"\n"):
        if line.startswith(b"+"):
            lines.append(line[1:])
            continue
        if lines:
            entries.append((stamp, b"\n".join(lines).decode("utf-8", "surrogateescape")))
            lines = []
        if line.startswith(b"#"):
            stamp = "\n" + line.decode("utf-8", "replace") + "\n"
    if lines:
        entries.append((stamp, b"\n".join(lines).decode("utf-8", "surrogateescape")))
    return entries


def _distinct_newest(entries: list[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """The newest ``limit`` entries with distinct text (each at its latest place), oldest first."""
    seen: set[str] = set()
    kept: list[tuple[str, str]] = []
    for stamp, text in reversed(entries):
        if text in seen:
            continue
        seen.add(text)
        kept.append((stamp, text))
        if len(kept) == limit:
            break
    kept.reverse()
    return kept
