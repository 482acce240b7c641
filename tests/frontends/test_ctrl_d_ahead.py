"""The terminal's end-of-file character, disabled while the REPL runs, comes back after it
(in-process, on a pseudo-terminal; what the user sees is in test_repl.py)."""

from __future__ import annotations

import os
import pty
import termios

import pytest

from ick.frontends.repl.ctrl_d_ahead import ctrl_d_kept_while_code_runs


def test_ctrl_d_is_a_character_while_the_repl_runs_and_end_of_file_after():
    main, terminal = pty.openpty()
    try:
        before = termios.tcgetattr(terminal)[6][termios.VEOF]
        assert before == b"\x04"
        with ctrl_d_kept_while_code_runs(terminal):
            assert termios.tcgetattr(terminal)[6][termios.VEOF] == b"\x00"
        assert termios.tcgetattr(terminal)[6][termios.VEOF] == before
        with pytest.raises(RuntimeError), ctrl_d_kept_while_code_runs(terminal):
            raise RuntimeError("the session ends badly")
        assert termios.tcgetattr(terminal)[6][termios.VEOF] == before
    finally:
        os.close(main)
        os.close(terminal)


def test_no_terminal_is_left_alone(tmp_path):
    with open(tmp_path / "not-a-tty", "w") as file, ctrl_d_kept_while_code_runs(file.fileno()):
        pass
    with ctrl_d_kept_while_code_runs(None):
        pass
