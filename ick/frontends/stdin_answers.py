"""Answers to a kernel's ``input()`` when there is no REPL prompt to type them at.

A script read from a file or ``-c`` takes its answers from standard input,
one line each (``ick ask.py < answers.txt``).  A script that itself came on
standard input asks the controlling terminal, if there is one; otherwise the
kernel gets end-of-input, which Jupyter spells ``"\\x04"`` and Python kernels
turn into ``EOFError``: never a hang.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import threading
from collections.abc import Callable
from typing import TextIO, TypeVar

from ick.render.sanitize import sanitize
from ick.render.writer import TerminalWriter

END_OF_INPUT = "\x04"


T = TypeVar("T")


async def in_daemon_thread(read: Callable[[], T]) -> T:
    """Run a blocking read without holding up exit.

    An executor thread would be joined when the event loop closes, so a read
    still waiting (the kernel died mid-``input()``) would keep ick alive until
    someone pressed Enter.  A daemon thread is simply abandoned.
    """
    loop = asyncio.get_running_loop()
    result: asyncio.Future[T] = loop.create_future()

    def run() -> None:
        try:
            value = read()
        except BaseException as exc:
            loop.call_soon_threadsafe(_settle, result, None, exc)
        else:
            loop.call_soon_threadsafe(_settle, result, value, None)

    threading.Thread(target=run, name="ick-stdin", daemon=True).start()
    return await result


def _settle(future: asyncio.Future[T], value: T | None, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)  # type: ignore[arg-type]


class StdinAnswers:
    def __init__(self, *, from_stdin: bool, stdin: TextIO, output: TerminalWriter) -> None:
        self._from_stdin = from_stdin
        self._stdin = stdin
        self._output = output

    async def answer(self, prompt: str, password: bool) -> str:
        self._output.flush()
        prompt = sanitize(prompt)
        if self._from_stdin:
            # Like Python's own input(): the prompt is part of the program's output.
            self._output.write("stdout", prompt)
            self._output.flush()
            line = await in_daemon_thread(self._stdin.readline)
            if not line:
                return END_OF_INPUT
            if not line.endswith("\n"):
                return line
            self._output.at_line_start = True
            self._output.screen_moved_on()  # the terminal echoed the answer
            return line[:-1]
        answer = await in_daemon_thread(lambda: _ask_terminal(prompt, password))
        self._output.screen_moved_on()  # the question and its answer are on the terminal
        return answer


def _ask_terminal(prompt: str, password: bool) -> str:
    try:
        # Checked first, or getpass would fall back to stdin (already at its end) with a warning.
        os.close(os.open("/dev/tty", os.O_RDWR))
        if password:
            return getpass.getpass(prompt)  # reads /dev/tty itself, without echo
        # Two plain handles: a terminal is not seekable, so no "r+" text file over it.
        with open("/dev/tty", "w", encoding="utf-8") as out, open("/dev/tty", "rb", 0) as into:
            out.write(prompt)
            out.flush()
            line = into.readline().decode("utf-8", "replace")
    except (OSError, EOFError):  # no controlling terminal (CI, cron, a daemon)
        return END_OF_INPUT
    return line.rstrip("\n") if line else END_OF_INPUT
