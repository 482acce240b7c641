"""The completion menu at the real prompt, against ipykernel (and jedi) in a pty."""

from __future__ import annotations

from .test_repl import PROMPT, start


def test_enter_takes_the_highlighted_completion_and_the_next_enter_runs(spawn_ick):
    term = start(spawn_ick)
    term.enter("class D: feat_3, feat_30, feat_31 = 'a', 'bb', 'ccc'")
    term.expect(PROMPT.format(2))
    term.send("len(D.feat_3)")
    term.send("\x1b[D")  # Left: the cursor inside the parentheses, after the word
    term.send("\t")
    term.read_until(lambda raw: "feat_31" in raw)  # the menu is open
    term.send("\x1b[B\x1b[B")  # Down, Down: feat_30 is highlighted, and in the input
    term.read_until(lambda raw: "feat_30" in raw)
    term.forget()
    term.send("\r")  # takes feat_30 and closes the menu: the input is still one line
    term.send("\r")  # runs it
    term.expect(r"Out\[2\]: 2\b")
    term.expect(PROMPT.format(3))
    assert "...:" not in term.text, f"Enter broke the line:\n{term.text}"
