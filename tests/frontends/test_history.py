"""ick's own history file: location, format, and concurrent writers."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from ick.frontends.history import SharedFileHistory, history_path


def test_history_lives_in_the_xdg_data_dir_one_file_per_language(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert history_path("python") == tmp_path / "ick" / "history" / "python"
    assert history_path("R") == tmp_path / "ick" / "history" / "r"
    # Kernel-provided names cannot escape the folder.
    assert history_path("../../etc/passwd").parent == tmp_path / "ick" / "history"
    assert history_path("").name == "unknown"


def test_entries_are_written_at_once_and_read_back_in_a_new_session(tmp_path):
    path = tmp_path / "h" / "python"
    SharedFileHistory(path).store_string("for x in y:\n    pass")
    assert "+for x in y:\n+    pass\n" in path.read_text()
    assert list(SharedFileHistory(path).load_history_strings()) == ["for x in y:\n    pass"]


def _write_many(path: str, writer: int, count: int) -> None:
    history = SharedFileHistory(Path(path))
    for i in range(count):
        history.store_string(f"writer {writer} entry {i}\nsecond line {i}")


@pytest.mark.timeout(60)
def test_concurrent_writers_lose_nothing_and_never_interleave(tmp_path):
    path = tmp_path / "python"
    workers = [
        multiprocessing.Process(target=_write_many, args=(str(path), w, 300)) for w in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    entries = list(SharedFileHistory(path).load_history_strings())
    assert len(entries) == 1200
    for entry in entries:
        first, second = entry.split("\n")
        assert first.startswith("writer ") and second == f"second line {first.split()[-1]}"
