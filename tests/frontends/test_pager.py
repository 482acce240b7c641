"""Documentation (Shift-Tab, ``name?``) on a real terminal against ipykernel: long
documentation goes through $PAGER, here a command that records what it was given, so the test
sees what the user would; ``--mime-order`` chooses which of its forms is drawn."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.support.terminal import write_config

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


#: How each of IPython's two forms of documentation draws the signature's line.
DRAWN_AS = {
    "text/plain": r"Signature: print\(",  # a red "Signature:" and the signature on its line
    "text/html": r"Signature\nprint\(",  # a "Signature" heading, the signature under it
}


@pytest.mark.parametrize(
    ("first", "second"), [("text/plain", "text/html"), ("text/html", "text/plain")]
)
def test_documentation_is_drawn_in_the_form_mime_order_puts_first(
    spawn_ick, ick_env, first, second
):
    """Issue 19: Shift-Tab's documentation was drawn from text/plain whatever --mime-order said."""
    term = start(spawn_ick, ick_env, "--mime-order", f"{first},{second}")
    # ipykernel then sends documentation as text/html too, beside its text/plain.
    term.enter("get_ipython().enable_html_pager = True")
    term.expect(PROMPT.format(2))
    term.send("print")
    term.send(SHIFT_TAB)  # the kernel's inspect_reply
    term.expect(DRAWN_AS[first])
    term.expect(r"Prints the values to a stream")
    term.expect(PROMPT.format(2) + "print")
    term.send("\x15")  # Ctrl-U
    term.enter("print?")  # IPython's page payload, with the same two forms
    term.expect(DRAWN_AS[first])
    term.expect(PROMPT.format(3))
    assert not re.search(DRAWN_AS[second], term.text), term.text[-1500:]


def test_without_pager_set_less_shows_it_and_q_returns_to_the_prompt(spawn_ick, ick_env):
    env = {key: value for key, value in ick_env.items() if key != "PAGER"}
    term = start(spawn_ick, {**env, "LESS": ""})
    define_long_doc(term)
    term.enter("long_doc?")
    term.expect(r"doc line 30\n")  # less draws the first screenful
    term.expect(r"\n:")  # and waits at its own prompt
    assert "doc line 150" not in term.text
    term.send("q")
    term.expect(PROMPT.format(4))
    term.enter("'back'")
    term.expect(r"Out\[4\]: 'back'")


def test_the_config_key_turns_the_pager_off(spawn_ick, ick_env, tmp_path):
    record = tmp_path / "paged.txt"
    write_config(ick_env, "pager = false\n")
    term = start(spawn_ick, {**ick_env, "PAGER": f"cat >> {record}"})
    define_long_doc(term)
    term.enter("long_doc?")
    term.expect(r"doc line 199")
    term.expect(PROMPT.format(4))
    assert not record.exists()
