"""The code prompt's own layout, read back from the screen of a real terminal (tmux).

ick draws the prompt with a layout of its own (``ick/frontends/prompt_layout.py``)
instead of PromptSession's: each part it keeps must still appear where a user
looks for it.  tmux answers the cursor position request, so the status line is
drawn, as in a real terminal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.tmux_screen import TmuxScreen

HEIGHT = 20


@pytest.fixture
def screen(tmp_path: Path, ick_env: dict[str, str]) -> Iterator[TmuxScreen]:
    env = {key: value for key, value in ick_env.items() if key != "PROMPT_TOOLKIT_NO_CPR"}
    terminal = TmuxScreen(tmp_path / "tmux.sock", env, width=80, height=HEIGHT)
    terminal.start()
    terminal.wait_for(r"^In \[1\]:")
    yield terminal
    terminal.close()


def rows(screen: TmuxScreen) -> list[str]:
    return [row.rstrip() for row in screen.tmux("capture-pane", "-p").split("\n")][:HEIGHT]


def test_status_line_continuation_and_repeat_count(screen):
    screen.wait_for(r"python3 │ idle")
    assert "python3 │ idle" in rows(screen)[-1], "the status line is the terminal's last row"
    screen.tmux("send-keys", "-l", "def double(x):")
    screen.tmux("send-keys", "Enter")
    screen.tmux("send-keys", "-l", "return 2 * x")
    screen.wait_for(r"^   \.\.\.:     return 2 \* x$")
    screen.tmux("send-keys", "Escape", "Enter")  # Esc Enter runs a multi-line input
    screen.wait_for(r"^In \[2\]:")
    shown = rows(screen)
    assert sum("│ idle │" in row for row in shown) == 1, "a finished prompt leaves no status line"
    assert "last run" in shown[-1]
    screen.tmux("send-keys", "Escape", "3")  # emacs: a repeat count for the next key
    screen.wait_for(r"^Repeat: 3$")
    screen.tmux("send-keys", "-l", "x")
    screen.wait_for(r"^In \[2\]: xxx$")
    assert not any(row.startswith("Repeat:") for row in rows(screen))


def test_completion_menu_and_history_search(screen):
    screen.type("import os")
    screen.wait_for(r"^In \[2\]:")
    screen.tmux("send-keys", "-l", "os.pa")
    screen.tmux("send-keys", "Tab")
    shown = screen.wait_for(r"^\s+pathsep\b")
    menu = [row for row in shown.split("\n") if row.strip().startswith("path")]
    assert menu and all(row.startswith(" " * len("In [2]: ")) for row in menu), (
        "the menu hangs under the word being completed"
    )
    screen.tmux("send-keys", "C-c")
    screen.wait_for(r"^In \[2\]:\s*$")
    screen.tmux("send-keys", "C-r")
    screen.tmux("send-keys", "-l", "imp")
    shown = screen.wait_for(r"^I-search backward: imp$")
    assert "In [2]: import os" in shown
    screen.tmux("send-keys", "Enter")  # accepts the found line into the input
    screen.wait_for(r"^In \[2\]: import os\s*$")
