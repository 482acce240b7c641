"""The completion menu at the real prompt, against ipykernel (and jedi) in a pty."""

from __future__ import annotations

from .test_repl import PROMPT, start

FEATURES = "class D: feat_3, feat_30, feat_31 = 'a', 'bb', 'ccc'"


def menu_drawn(raw: str) -> bool:
    """The menu is drawn to its end: prompt_toolkit shows the cursor again once a frame is out."""
    return "feat_31" in raw and "\x1b[?25h" in raw.split("feat_31", 1)[1]


def test_enter_takes_the_highlighted_completion_and_the_next_enter_runs(spawn_ick):
    term = start(spawn_ick)
    term.enter(FEATURES)
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


def test_enter_with_nothing_highlighted_closes_the_menu_and_the_next_enter_runs(spawn_ick):
    term = start(spawn_ick)
    term.enter(FEATURES)
    term.expect(PROMPT.format(2))
    term.send("D.feat_3")
    term.expect(r"D\.feat_3")
    term.send("\t")
    term.read_until(lambda raw: "feat_31" in raw)  # the menu is open, nothing highlighted
    term.forget()
    term.send("\r")  # closes the menu; the input stays as typed, to be added to
    term.send(" + 'z'\r")  # and this runs it
    term.expect(r"Out\[2\]: 'az'")
    term.expect(PROMPT.format(3))
    assert "...:" not in term.text, f"Enter broke the line:\n{term.text}"


def test_the_menu_shows_no_type_the_kernel_has_not_worked_out(spawn_ick):
    """Issue 19: ipykernel's ``<unknown>`` type (jedi out of time, as on the first menu of a
    session) was shown beside every entry."""
    term = start(spawn_ick)
    # ipykernel's documented way to stop computing types: every match then comes as
    # "<unknown>", as it does whenever jedi runs out of time.
    term.enter("get_ipython().Completer.jedi_compute_type_timeout = 0")
    term.expect(PROMPT.format(2))
    term.enter(FEATURES)
    term.expect(PROMPT.format(3))
    term.send("D.feat_3")
    term.expect(r"D\.feat_3")
    term.send("\t")
    term.read_until(menu_drawn)
    assert "feat_30" in term.text
    assert "<unknown>" not in term.text, term.text[-800:]
    # A type the kernel does know is still shown.
    term.send("\x1b")  # Esc closes the menu
    term.send("\x15")  # Ctrl-U: an empty line again
    term.enter("get_ipython().Completer.jedi_compute_type_timeout = 400")
    term.expect(PROMPT.format(4))
    assert "Error" not in term.text, term.text[-800:]  # the line was empty before it
    term.forget()
    term.send("D.feat_3\t")
    term.read_until(menu_drawn)
    assert "instance" in term.text, term.text[-800:]
