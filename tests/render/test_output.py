"""Buffered output: order kept across streams, one write per burst."""

from __future__ import annotations

import asyncio
import io

from ick.render.output import TerminalOutput


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
        output = TerminalOutput(out, err)
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
    output = TerminalOutput(out, io.StringIO())
    output.write("stdout", "no newline")
    output.ensure_newline()
    output.ensure_newline()
    output.write("stdout", "next\n")
    output.flush()
    assert out.getvalue() == "no newline\nnext\n"


def test_a_flush_hook_receives_the_write_instead_of_the_terminal():
    async def scenario() -> list[str]:
        out = io.StringIO()
        output = TerminalOutput(out, io.StringIO())
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
