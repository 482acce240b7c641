"""ick's own history file: location, format, and concurrent writers."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from ick.frontends.repl.history import SharedFileHistory, history_path


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


def test_repeats_are_offered_once_at_their_latest_place(tmp_path):
    history = SharedFileHistory(tmp_path / "python")
    for entry in ["a = 1", "b = 2", "a = 1", "c = 3", "b = 2"]:
        history.store_string(entry)
    assert list(SharedFileHistory(tmp_path / "python").load_history_strings()) == [
        "b = 2",
        "c = 3",
        "a = 1",
    ]


def test_the_file_is_bounded_and_keeps_the_newest(tmp_path):
    path = tmp_path / "python"
    history = SharedFileHistory(path, max_entries=100)
    for i in range(130):
        history.store_string(f"entry {i}\nline two")
    loaded = list(SharedFileHistory(path, max_entries=100).load_history_strings())
    assert loaded == [f"entry {i}\nline two" for i in range(129, 29, -1)]
    # Rewritten on disk too, timestamps kept, so the next start reads less.
    text = path.read_text()
    assert text.count("\n# ") == 100 and "+entry 29\n" not in text and "+entry 30\n" in text
    assert list(SharedFileHistory(path, max_entries=100).load_history_strings()) == loaded


def _compact_repeatedly(path: str, times: int) -> None:
    history = SharedFileHistory(Path(path), max_entries=10**6)
    for _ in range(times):
        history._compact()


@pytest.mark.timeout(60)
def test_rewriting_the_file_loses_nothing_written_meanwhile(tmp_path):
    """A writer waiting for the lock while the file is replaced writes to the new file."""
    path = tmp_path / "python"
    SharedFileHistory(path).store_string("first")
    workers = [
        multiprocessing.Process(target=_write_many, args=(str(path), w, 200)) for w in range(3)
    ]
    workers.append(multiprocessing.Process(target=_compact_repeatedly, args=(str(path), 200)))
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0
    entries = list(SharedFileHistory(path).load_history_strings())
    assert len(entries) == 601
