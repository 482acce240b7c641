"""Buffered output: order kept across streams, one write per burst."""

from __future__ import annotations

import asyncio
import io

import pytest

from ick.render.environment import Environment
from ick.render.screen_rows import ScreenRows
from ick.render.writer import TerminalWriter


class CountingStream(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def test_a_burst_becomes_one_write_per_stream_switch():
    async def scenario() -> tuple[CountingStream, CountingStream]:
        out, err = CountingStream(), CountingStream()
        output = TerminalWriter(environment=Environment.of(stdout=out, stderr=err))
        for i in range(1000):
            output.write("stdout", f"{i}\n")
        output.write("stderr", "oops\n")
        output.write("stdout", "after\n")
        await asyncio.sleep(0)  # the scheduled flush runs once the burst is over
        return out, err

    out, err = asyncio.run(scenario())
    assert out.getvalue().endswith("999\nafter\n")
    assert out.writes == 2 and err.writes == 1


def test_ensure_newline_closes_an_open_line_only():
    out = io.StringIO()
    output = TerminalWriter(environment=Environment.of(stdout=out, stderr=io.StringIO()))
    output.write("stdout", "no newline")
    output.ensure_newline()
    output.ensure_newline()
    output.write("stdout", "next\n")
    output.flush()
    assert out.getvalue() == "no newline\nnext\n"


def test_a_flush_hook_receives_the_write_instead_of_the_terminal():
    async def scenario() -> list[str]:
        out = io.StringIO()
        output = TerminalWriter(environment=Environment.of(stdout=out, stderr=io.StringIO()))
        calls: list[str] = []

        def hook(write):
            calls.append(out.getvalue())
            write()
            calls.append(out.getvalue())

        output.flush_hook = hook
        output.write("stdout", "above the prompt\n")
        await asyncio.sleep(0)
        return calls

    assert asyncio.run(scenario()) == ["", "above the prompt\n"]


# -- rows on a terminal, and lines rewritten with \r in files ---------------------------


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal, so that TerminalWriter follows its rows."""

    def isatty(self) -> bool:
        return True


def test_rows_count_wrapping_wide_characters_and_colour() -> None:
    screen = ScreenRows(lambda: (10, 5))
    start = screen.mark()
    screen.feed("short\n" + "x" * 25 + "\n" + "界" * 6 + "\n\x1b[31m" + "y" * 10 + "\x1b[0m\n")
    assert start is not None
    assert screen.rows_since(start) == 1 + 3 + 2 + 1


def test_a_flood_of_whole_lines_is_counted_like_lines_one_by_one() -> None:
    text = "".join("x" * length + "\n" for length in (0, 5, 10, 11, 25, 3)) + "open"
    at_once, one_by_one = ScreenRows(lambda: (10, 5)), ScreenRows(lambda: (10, 5))
    at_once.feed("ab")
    one_by_one.feed("ab")
    at_once.feed(text)
    for piece in text.splitlines(keepends=True):
        one_by_one.feed(piece)
    assert (
        (at_once.row, at_once.column)
        == (one_by_one.row, one_by_one.column)
        == (1 + 1 + 1 + 2 + 3 + 1, 4)
    )


def test_a_line_rewritten_with_carriage_returns_is_one_row() -> None:
    screen = ScreenRows(lambda: (80, 24))
    start = screen.mark()
    for percent in range(0, 101, 10):
        screen.feed(f"\r{percent:3d}%")
    screen.feed("\n")
    assert start is not None and screen.rows_since(start) == 1


def test_marks_only_at_the_start_of_a_row_and_only_in_their_generation() -> None:
    screen = ScreenRows(lambda: (80, 24))
    screen.feed("open line")
    assert screen.mark() is None
    screen.feed("\n")
    mark = screen.mark()
    assert mark is not None
    screen.moved_on()
    assert screen.rows_since(mark) is None
    screen.feed("a\n")
    screen.feed("\x1b_Ga=T,f=100;AAAA\x1b\\")  # an image: its rows cannot be told
    assert screen.rows_since(screen.mark() or mark) is not None
    assert screen.generation == mark.generation + 2


def test_erase_since_moves_up_over_what_was_written_and_clears_below() -> None:
    out = FakeTerminal()
    output = TerminalWriter(environment=Environment.of(stdout=out, stderr=FakeTerminal()))
    output.screen = ScreenRows(lambda: (20, 10))
    output.write("stdout", "before\n")
    mark = output.screen_mark()
    output.write("stdout", "one\ntwo\nthree")
    assert output.erase_since(mark)
    output.write("stdout", "again\n")
    output.flush()
    assert out.getvalue() == "before\none\ntwo\nthree\r\x1b[2F\x1b[Jagain\n"


def test_erase_since_refuses_what_has_scrolled_off_the_screen_unless_told() -> None:
    out = FakeTerminal()
    output = TerminalWriter(environment=Environment.of(stdout=out, stderr=FakeTerminal()))
    output.screen = ScreenRows(lambda: (20, 3))
    mark = output.screen_mark()
    output.write("stdout", "1\n2\n3\n4\n")
    assert not output.erase_since(mark)
    # clear_output: what is visible goes, up to the top of the screen.
    assert output.erase_since(mark, scrolled_off_too=True)
    output.flush()
    assert out.getvalue() == "1\n2\n3\n4\n\r\x1b[2F\x1b[J"
    assert output.screen.rows_since(mark) == 0


def test_no_erasing_where_stdout_is_not_a_terminal() -> None:
    output = TerminalWriter(environment=Environment.of(stdout=io.StringIO(), stderr=io.StringIO()))
    assert output.screen_mark() is None
    output.write("stdout", "x\n")
    assert not output.erase_since(output.screen_mark())


@pytest.mark.parametrize(
    ("chunks", "written"),
    [
        (["\r  0%", "\r 50%\r 90%", "\r100%\n", "done\n"], "100%\ndone\n"),
        (["\r1", "\r2", "\r3"], "3"),  # left open: finish_lines writes the last state
        (["a\r\nb\r\n"], "a\r\nb\r\n"),  # CRLF is a line end, not a rewrite
        (["x\r", "\ny\n"], "x\r\ny\n"),
        (["dl: ", "\r 5%", "\r50%\n"], "dl: 50%\n"),
        (["\r12345\r99\n"], "99345\n"),  # what a terminal would finally show
        (["plain ", "text\n"], "plain text\n"),
    ],
)
def test_files_get_a_rewritten_line_once_in_its_final_state(
    chunks: list[str], written: str
) -> None:
    out = io.StringIO()
    output = TerminalWriter(environment=Environment.of(stdout=out, stderr=io.StringIO()))
    for chunk in chunks:
        output.write("stdout", chunk)
    output.finish_lines()
    output.flush()
    assert out.getvalue() == written


def test_a_terminal_gets_every_carriage_return_as_it_comes() -> None:
    out = FakeTerminal()
    output = TerminalWriter(environment=Environment.of(stdout=out, stderr=FakeTerminal()))
    for chunk in ["\r 0%", "\r50%", "\r100%\n"]:
        output.write("stdout", chunk)
    output.flush()
    assert out.getvalue() == "\r 0%\r50%\r100%\n"


def test_a_line_closed_for_the_prompt_is_reopened_for_more_of_it() -> None:
    out = FakeTerminal()
    output = TerminalWriter(environment=Environment.of(stdout=out, stderr=FakeTerminal()))
    output.screen = ScreenRows(lambda: (80, 24))
    output.write("stdout", "\r 10%", continues_line=True)
    output.ensure_newline()  # the REPL redraws its prompt below
    output.write("stdout", "\r 20%", continues_line=True)  # the prompt is erased: go back up
    output.ensure_newline()
    output.screen_moved_on()  # the user submitted: the prompt line stays on screen
    output.write("stdout", "\r 30%", continues_line=True)
    output.flush()
    assert out.getvalue() == "\r 10%\n\x1b[1F\x1b[5G\r 20%\n\r 30%"
