"""The start-up probe: replies parsed, typed keys kept, the tty restored, silence timed out."""

from __future__ import annotations

import array
import fcntl
import os
import termios
import threading
import time

from ick.render.images.geometry import CellSize
from ick.render.probe import (
    DA1_QUERY,
    QUERIES,
    TerminalProbe,
    parse_replies,
    query_terminal,
    quiet_tty,
)
from tests.support.waiting import wait_until

KITTY_REPLIES = (
    b"\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.26.5)\x1b\\\x1b[6;18;9t\x1b[4;396;639t\x1b[?62;c"
)


def waiting_bytes(fd: int) -> int:
    """How many bytes the tty has for its reader: the line discipline passes them on in its
    own time after the other side writes them."""
    count = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, count)
    return count[0]


def test_replies_are_parsed():
    replies = parse_replies(KITTY_REPLIES)
    assert replies.answered and replies.kitty_graphics
    assert replies.version == "kitty(0.26.5)"
    assert replies.device_attributes == (62,) and not replies.sixel
    assert replies.cell_size == CellSize(9, 18)
    assert replies.typeahead == ""


def test_the_text_area_gives_the_cell_size_when_16t_is_not_answered():
    replies = parse_replies(b"\x1b[4;456;800t\x1b[?63;1;2;3;4;6c", window_cells=(24, 80))
    assert replies.cell_size == CellSize(10, 19) and replies.sixel


def test_keys_typed_meanwhile_are_kept_and_an_error_reply_is_not_ok():
    replies = parse_replies(b"pri\x1b_Gi=31;ENOTSUPPORTED:x\x1b\\nt(1)\x1b[?1;2c")
    assert replies.typeahead == "print(1)"
    assert not replies.kitty_graphics


def test_keys_that_are_escape_sequences_are_kept_and_only_replies_removed():
    arrows = b"\x1b[D\x1b[1;5C\x1b[3~\x1b[Z\x1b[H\x1bOA"  # Left, Ctrl-Right, Del, S-Tab, Home, Up
    replies = parse_replies(b"ab" + arrows + b"\x1b[6;18;9t\x1b[8;24;80t\x1b[>1;10;0c\x1b[?62;c")
    assert replies.typeahead == "ab" + arrows.decode()


def test_silence_is_no_answer():
    assert not parse_replies(b"").answered


def test_the_query_reads_until_da1_and_restores_the_tty():
    controller, terminal = os.openpty()
    try:
        before = termios.tcgetattr(terminal)
        sent = bytearray()

        def fake_terminal() -> None:
            while DA1_QUERY.encode() not in sent:
                sent.extend(os.read(controller, 1024))
            os.write(controller, KITTY_REPLIES)

        answering = threading.Thread(target=fake_terminal)
        answering.start()
        started = time.monotonic()
        with quiet_tty(terminal):
            raw = query_terminal(terminal, terminal, timeout=5)
        answering.join()
        assert time.monotonic() - started < 2  # DA1 ended the wait, not the timeout
        assert bytes(sent) == QUERIES.encode()
        assert raw == KITTY_REPLIES
        assert termios.tcgetattr(terminal) == before
    finally:
        os.close(controller)
        os.close(terminal)


def test_a_silent_terminal_costs_only_the_timeout():
    controller, terminal = os.openpty()
    try:
        started = time.monotonic()
        with quiet_tty(terminal):
            assert query_terminal(terminal, terminal, timeout=0.2) == b""
        assert 0.15 < time.monotonic() - started < 1.5
    finally:
        os.close(controller)
        os.close(terminal)


def test_without_hold_the_tty_is_restored_as_soon_as_the_replies_are_in():
    controller, terminal = os.openpty()
    try:
        before = termios.tcgetattr(terminal)
        probe = TerminalProbe(terminal, terminal, timeout=0.1, hold=False)
        # Quiet from the start; restored by the probe itself once its wait is over.
        assert termios.tcgetattr(terminal) != before
        wait_until(lambda: termios.tcgetattr(terminal) == before, what="the tty restored")
        assert not probe.replies().answered
    finally:
        os.close(controller)
        os.close(terminal)


def test_replies_slower_than_the_timeout_are_still_read_and_never_echoed():
    controller, terminal = os.openpty()
    try:
        before = termios.tcgetattr(terminal)
        probe = TerminalProbe(terminal, terminal, timeout=0.1)
        time.sleep(0.3)  # the probe has given up waiting
        late = b"\x1b[?63;4c" + b"ls"
        os.write(controller, late)
        wait_until(lambda: waiting_bytes(terminal) == len(late), what="the reply on the tty")
        replies = probe.replies()
        assert replies.sixel and replies.typeahead == "ls"
        assert termios.tcgetattr(terminal) == before
        os.set_blocking(controller, False)
        assert os.read(controller, 4096) == QUERIES.encode()  # no echo of the late reply
    finally:
        os.close(controller)
        os.close(terminal)
