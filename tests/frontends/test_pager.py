"""Long documentation goes through $PAGER, on a real terminal against ipykernel; the pager
here is a command that records what it was given, so the test sees what the user would."""

from __future__ import annotations

import time
from pathlib import Path

from .test_repl import PROMPT

SHIFT_TAB = "\x1b[Z"

# 200 lines of documentation (the pty has 40 rows), with a hostile sequence among them.
DEFINE = [
    "def long_doc(): pass",
    "long_doc.__doc__ = '\\n'.join(f'doc line {i}' for i in range(200)) + '\\x1b]0;evil\\x07'",
]


def paged(record: Path, count: int, timeout: float = 20) -> str:
    """The pager's input once it has been run ``count`` times."""
    deadline = time.monotonic() + timeout
    while True:
        text = record.read_text(encoding="utf-8", errors="replace") if record.exists() else ""
        if text.count("doc line 199") >= count:
            return text
        assert time.monotonic() < deadline, f"the pager was not run {count} times:\n{text[-500:]}"
        time.sleep(0.05)


def start(spawn_ick, env: dict[str, str], *args: str):
    term = spawn_ick(*args, env=env)
    term.expect(PROMPT.format(1))
    return term


def define_long_doc(term) -> None:
    for count, line in enumerate(DEFINE, start=2):
        term.enter(line)
        term.expect(PROMPT.format(count))


def test_long_documentation_goes_through_the_pager(spawn_ick, ick_env, tmp_path):
    record = tmp_path / "paged.txt"
    term = start(spawn_ick, {**ick_env, "PAGER": f"cat >> {record}"})
    define_long_doc(term)
    term.enter("long_doc?")  # IPython's page payload
    text = paged(record, 1)
    term.expect(PROMPT.format(4))
    assert "doc line 0" in text
    assert "\x1b]0;evil" not in text  # the sanitiser came first
    assert "doc line 150" not in term.text  # not printed on the screen as well
    term.send("long_doc")
    term.send(SHIFT_TAB)  # the kernel's inspect_reply
    paged(record, 2)
    term.enter("")  # the input typed before Shift-Tab is still there, and runs
    term.expect(r"Out\[4\]: <function .*long_doc")
    assert "doc line 150" not in term.text
    term.enter("def short_doc(): 'one line of doc'")
    term.expect(PROMPT.format(6))
    term.enter("short_doc?")  # shorter than the window: printed
    term.expect(r"one line of doc")
    term.expect(PROMPT.format(7))
    assert paged(record, 2).count("doc line 199") == 2


def test_no_pager_prints_long_documentation(spawn_ick, ick_env, tmp_path):
    record = tmp_path / "paged.txt"
    term = start(spawn_ick, {**ick_env, "PAGER": f"cat >> {record}"}, "--no-pager")
    define_long_doc(term)
    term.enter("long_doc?")
    term.expect(r"doc line 199")
    term.expect(PROMPT.format(4))
    assert not record.exists()
