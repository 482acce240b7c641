"""Editing comfort at the prompt: suggestions, vi mode, editor, status line, title, theme."""

from __future__ import annotations

import re
import stat
from pathlib import Path

from tests.support.repl import start
from tests.support.terminal import PROMPT


def remember(spawn_ick, line: str) -> None:
    """Run ``line`` in a session of its own, so that it is in the history of the next one."""
    term = start(spawn_ick)
    term.enter(line)
    term.expect(PROMPT.format(2))
    term.send("\x04")
    assert term.wait_exit() == 0


def test_a_suggestion_from_an_earlier_run_is_accepted_with_right(spawn_ick):
    remember(spawn_ick, "unusual_value = 6 * 7")
    term = start(spawn_ick)
    term.send("unusual_v")
    term.read_until(lambda raw: "alue = 6 * 7" in raw)  # drawn after the cursor, in grey
    term.send("\x1b[C")  # Right
    term.send("\r")
    term.expect(PROMPT.format(2))
    term.enter("unusual_value")
    term.expect(r"Out\[2\]: 42")


def test_end_and_ctrl_f_accept_the_suggestion_too(spawn_ick):
    remember(spawn_ick, "first_suggested = 1")
    term = start(spawn_ick)
    term.send("first_s")
    term.read_until(lambda raw: "uggested = 1" in raw)
    term.send("\x1b[F")  # End
    term.send("\r")
    term.expect(PROMPT.format(2))
    term.send("first_s")
    term.read_until(lambda raw: "uggested = 1" in raw)
    term.send("\x06")  # Ctrl-F
    term.send(" + 1\r")
    term.expect(PROMPT.format(3))
    term.enter("first_suggested")
    term.expect(r"Out\[3\]: 2")


def test_suggestions_come_from_a_full_history_and_from_this_session(spawn_ick, ick_env):
    # 10,000 entries, the most ick keeps: the newest matching line is the one suggested.
    history = Path(ick_env["XDG_DATA_HOME"]) / "ick" / "history" / "python"
    history.parent.mkdir(parents=True, exist_ok=True)
    entries = [f"value_{n} = {n}" for n in range(9_999)] + ["value_12 = 'newest'"]
    history.write_text("".join(f"\n# 2026-01-01 00:00:00\n+{entry}\n" for entry in entries))
    term = start(spawn_ick)
    term.send("value_12")
    term.read_until(lambda raw: " = 'newest'" in raw)
    term.send("\x05\r")  # Ctrl-E takes it
    term.expect(PROMPT.format(2))
    term.enter("fresh_name = 5")
    term.expect(PROMPT.format(3))
    term.send("fresh_n")
    term.read_until(lambda raw: "ame = 5" in raw)


def test_no_suggestion_when_turned_off(spawn_ick):
    remember(spawn_ick, "unusual_value = 6 * 7")
    term = spawn_ick("--no-autosuggest")
    term.expect(PROMPT.format(1))
    term.send("unusual_v")
    term.expect("unusual_v")
    term.send("\x1b[C")  # Right: only moves the cursor
    term.send("\r")
    term.expect(r"NameError: name 'unusual_v' is not defined")


def test_up_offers_each_earlier_input_once(spawn_ick):
    term = start(spawn_ick)
    for count, line in enumerate(["'once'", "'twice'", "'once'"], start=1):
        term.enter(line)
        term.expect(PROMPT.format(count + 1))
    term.send("\x04")
    assert term.wait_exit() == 0
    again = start(spawn_ick)
    again.send("\x1b[A\x1b[A\x1b[A")  # three times Up: 'once', 'twice', then nothing older
    again.send("\r")
    again.expect(r"Out\[1\]: 'twice'")


def test_vi_mode_edits_and_shows_its_mode_in_the_prompt(spawn_ick):
    term = spawn_ick("--editing-mode", "vi")
    term.expect(r"\[ins\] " + PROMPT.format(1))
    term.send("x = 1235")
    term.expect("x = 1235")
    term.send("\x1b")  # Esc: navigation mode, on the last character
    term.expect("nav")  # only what changed is redrawn: "ins" becomes "nav"
    term.send("r4")  # replace it
    term.expect("4")
    term.send("\r")
    term.expect(PROMPT.format(2))
    term.enter("x")
    term.expect(r"Out\[2\]: 1234")


def test_the_editor_round_trip_runs_what_comes_back(spawn_ick, ick_env, tmp_path):
    editor = tmp_path / "editor.sh"
    seen = tmp_path / "seen"
    # A non-interactive "editor": records which file it was given, then rewrites it.
    editor.write_text(f'#!/bin/sh\necho "$1" > {seen}\nsed -i \'s/41/6 * 7/\' "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    env = {**ick_env, "EDITOR": str(editor)}
    env.pop("VISUAL", None)
    term = spawn_ick(env=env)
    term.expect(PROMPT.format(1))
    term.send("value = 41")
    term.expect("value = 41")
    term.send("\x1bOQ")  # F2
    term.expect(PROMPT.format(2))  # run at once, without Enter
    assert seen.read_text().strip().endswith(".py"), "the file should be named like Python"
    term.enter("value")
    term.expect(r"Out\[2\]: 42")
    term.expect(PROMPT.format(3))
    term.send("other = 41")
    term.expect("other = 41")
    term.send("\x18\x05")  # Ctrl-X Ctrl-E
    term.expect(PROMPT.format(4))
    term.enter("other")
    term.expect(r"Out\[4\]: 42")


def test_the_status_line_shows_kernel_state_and_the_last_run_time(spawn_ick, ick_env):
    env = {key: value for key, value in ick_env.items() if key != "PROMPT_TOOLKIT_NO_CPR"}
    term = spawn_ick(env=env)
    term.expect_answering_cpr(r"python3 │ idle │ F1 help")
    term.enter("import time; time.sleep(0.3)")
    # At least the 0.3 s slept (a loaded machine adds to it, never takes from it).
    term.expect_answering_cpr(r"python3 │ idle │ last run (?:0\.[3-9]\d\d|\d+\.\d) s")


def test_the_status_line_shows_another_clients_run_as_busy(spawn_ick, ick_env, outside_kernel):
    _, client, connection_file = outside_kernel
    env = {key: value for key, value in ick_env.items() if key != "PROMPT_TOOLKIT_NO_CPR"}
    term = spawn_ick("--existing", str(connection_file), "--no-other-output", env=env)
    term.expect_answering_cpr(r"│ idle │")
    client.execute("import time; time.sleep(2)")
    # Only what changed is redrawn: the state's word alone.
    term.expect_answering_cpr(r"\bbusy\b")
    term.expect_answering_cpr(r"\bidle\b")


def test_the_status_line_can_be_turned_off(spawn_ick, ick_env):
    env = {key: value for key, value in ick_env.items() if key != "PROMPT_TOOLKIT_NO_CPR"}
    term = spawn_ick("--no-toolbar", env=env)
    term.expect_answering_cpr(PROMPT.format(1))
    term.enter("1")
    term.expect_answering_cpr(PROMPT.format(2))
    assert "F1 help" not in term.text


def test_the_window_title_is_the_kernels_and_restored_on_exit(spawn_ick):
    term = start(spawn_ick)
    assert "\x1b[22;0t" in term.raw and "\x1b]2;ick: python3\x07" in term.raw
    term.send("\x04")
    assert term.wait_exit() == 0
    assert term.raw.rstrip().endswith("\x1b[23;0t") or "\x1b[23;0t" in term.raw[-200:]


def test_no_title_where_the_terminal_cannot_take_it(spawn_ick, ick_env):
    term = spawn_ick(env={**ick_env, "TERM": "dumb"})
    term.expect(PROMPT.format(1))
    assert "\x1b]2;" not in term.raw and "\x1b[22;0t" not in term.raw


def _keyword_colour(spawn_ick, ick_env, background: str | None) -> str:
    """The escape that colours ``import`` when the terminal answers OSC 11 with ``background``."""
    term = spawn_ick(env=ick_env)
    term.read_until(lambda raw: "\x1b]11;?" in raw)
    if background is not None:
        term.send(f"\x1b]11;rgb:{background}\x1b\\\x1b[?62;22c")
    term.expect(PROMPT.format(1))
    mark = len(term.raw)
    term.send("import os")
    term.expect("import os")
    match = re.search(r"(\x1b\[[0-9;]*m)import", term.raw[mark:])
    assert match, term.raw[mark:]
    term.child.terminate(force=True)
    return match.group(1)


def test_the_theme_follows_the_background_the_terminal_reports(spawn_ick, ick_env):
    light = _keyword_colour(spawn_ick, ick_env, "ffff/ffff/ffff")
    dark = _keyword_colour(spawn_ick, ick_env, "0000/0000/0000")
    unknown = _keyword_colour(spawn_ick, ick_env, None)
    assert "38;5;28;1" in light  # Pygments' default style: bold green keywords
    assert light != dark
    assert unknown == dark  # most terminals are dark


def test_the_background_is_asked_in_the_probes_one_batch_and_keys_typed_meanwhile_stay(
    spawn_ick, ick_env
):
    term = spawn_ick(env=ick_env)
    term.read_until(lambda raw: "\x1b[c" in raw)  # DA1: the last query of the batch
    batch = term.raw[: term.raw.index("\x1b[c")]
    assert "\x1b]11;?" in batch, repr(batch)
    # The terminal answers, DA1 last, and the user types at once: a second round trip to
    # the terminal after the probe would read (and lose) these keys.
    term.send("\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c" + "'typed early'")
    term.expect(PROMPT.format(1))
    term.expect("'typed early'")
    term.send("\r")
    term.expect(r"Out\[1\]: 'typed early'")
    assert term.raw.count("\x1b]11;?") == 1


def test_the_bracket_matching_the_one_at_the_cursor_is_highlighted(spawn_ick):
    term = start(spawn_ick, "--theme", "dark")
    mark = len(term.raw)
    term.send("len((1, 2))")
    term.expect(r"len\(\(1, 2\)\)")
    # The dark theme's bracket background (#5f5f87, colour 60) on the parenthesis of len(...)
    # that matches the one just typed: drawn once the last key is, both brackets marked.
    bracket = re.compile(r"\x1b\[[0-9;]*48;5;60[0-9;]*m([()])")
    term.read_until(lambda _: {"(", ")"} <= set(bracket.findall(term.raw[mark:])))
