"""Ctrl-C at the prompt clears the line, even while output is being drawn above it."""

from __future__ import annotations

import time

from tests.support.terminal import PROMPT


def test_ctrl_c_while_output_is_drawn_above_the_prompt_never_ends_ick(spawn_ick):
    # Drawing above the prompt puts the terminal in cooked mode for a moment, where a typed
    # Ctrl-C becomes SIGINT instead of a key; it must still only clear the line.
    term = spawn_ick()
    term.expect(PROMPT.format(1))
    term.enter(
        "import threading, time; threading.Thread(daemon=True, target=lambda: "
        "[print('tick', i, flush=True) or time.sleep(0.005) for i in range(400)]).start()"
    )
    term.expect(r"tick 1\b")
    for _ in range(40):
        term.send("x\x03")
        time.sleep(0.02)
    term.expect(r"tick 399\b")
    assert term.child.isalive(), f"ick ended on a Ctrl-C at the prompt:\n{term.text[-500:]}"
    term.send("\x15")  # Ctrl-U: whatever the last keys left on the line
    term.enter("6 * 7")
    term.expect(r"Out\[\d+\]: 42")
