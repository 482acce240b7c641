"""The kernel's ``input()`` questions (and ick's own yes/no questions), asked at the terminal.

Two prompts must never share the terminal: a question asked by an execution
that was sent from Enter's handler waits for the code prompt to be gone, and
the code prompt or a restart question waits for an ``input()`` answer still on
screen.  The question and its answer stay on screen afterwards.

The answers to the kernel's questions (``input()``, ``ipdb>``) have a history
of their own for the session, never the passwords: Up, Down and Ctrl-R recall
them as at the code prompt.  Ctrl-D on an empty answer is end-of-input, as
in a terminal: Python raises ``EOFError``, and pdb quits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import Completer
from prompt_toolkit.history import History, InMemoryHistory

from ick.frontends.repl.cursor_reports import CursorReports
from ick.frontends.stdin_answers import END_OF_INPUT
from ick.render.sanitize import sanitize
from ick.render.writer import TerminalWriter


class PromptEnded(Exception):
    """Ends whatever prompt is on screen: the kernel it would answer has died."""


async def ask(
    question: str,
    password: bool = False,
    completer: Completer | None = None,
    *,
    history: History | None = None,
    cursor_reports: CursorReports | None = None,
) -> str:
    """A one-line answer from the user, outside the code prompt and its history (``history``:
    the answers' own); ``cursor_reports`` is what the session knows of the terminal's CPR."""
    reports = cursor_reports or CursorReports()
    session: PromptSession[str] = PromptSession(
        completer=completer,
        history=history,
        enable_history_search=history is not None,
        output=reports.output(),
    )
    reports.watch(session.app)
    return await session.prompt_async(question, is_password=password, handle_sigint=False)


class StdinPrompt:
    """Answers the kernel's input requests, and asks ick's own questions, one at a time."""

    def __init__(self, *, output: TerminalWriter, interrupt: Callable[[], Awaitable[None]]) -> None:
        self._output = output
        self._interrupt = interrupt
        self.cursor_reports = CursorReports()
        """What every prompt of the session knows of the terminal's CPR (the code prompt too)."""
        self._answers = InMemoryHistory()
        """The session's answers to the kernel's questions (never passwords)."""
        # Set while no input() answer is on screen.
        self.no_answer_on_screen = asyncio.Event()
        self.no_answer_on_screen.set()
        # Set while no code prompt is on screen (the REPL clears it while reading code).
        self.no_code_prompt_on_screen = asyncio.Event()
        self.no_code_prompt_on_screen.set()

    async def ask(
        self, question: str, password: bool = False, completer: Completer | None = None
    ) -> str:
        """ick's own question; raises EOFError and KeyboardInterrupt as the user answers."""
        return await self._ask(question, password=password, completer=completer)

    async def _ask(
        self,
        question: str,
        *,
        password: bool = False,
        completer: Completer | None = None,
        history: History | None = None,
    ) -> str:
        try:
            return await ask(
                question,
                password,
                completer,
                history=history,
                cursor_reports=self.cursor_reports,
            )
        finally:
            # The question and its answer stay on screen: nothing above them can be redrawn.
            self._output.screen_moved_on()

    async def answer_input_request(self, prompt: str, password: bool) -> str | None:
        """The kernel's stdin handler: the user's answer, or ``None`` when they interrupted."""
        await self.no_code_prompt_on_screen.wait()
        self._output.flush()
        self.no_answer_on_screen.clear()
        try:
            history = None if password else self._answers
            return await self._ask(sanitize(prompt), password=password, history=history)
        except KeyboardInterrupt:
            await self._interrupt()
            return None
        except PromptEnded:
            return None
        except EOFError:
            return END_OF_INPUT
        finally:
            self.no_answer_on_screen.set()
