"""The debug prompt: steering code stopped in the kernel's debugger, in pdb's words.

When ick's execution stops (a breakpoint, a raised exception, a step), the
REPL shows where and hands the terminal to this prompt until the code runs on.
The vocabulary is pdb's (``n``, ``s``, ``r``, ``c``, ``w``, ``u``, ``d``, ``l``,
``p EXPR``, ``q``), because that is what Python users' hands know; anything
else is an expression evaluated in the current frame, as in pdb, and ``!``
forces that reading (``!n`` is the variable ``n``).  The prompt has a history
of its own, apart from the code's, and prompt_toolkit's editing keys.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from prompt_toolkit import PromptSession
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.lexers import Lexer
from rich.console import RenderableType

from ick.frontends.repl.debug_vocabulary import (
    COUNTED,
    DebugInput,
    parse_debug_input,
    vocabulary_help,
)
from ick.frontends.repl.history import SharedFileHistory, history_path
from ick.frontends.repl.prompt import ctrl_c_as_a_key, lexer_for
from ick.frontends.repl.state import ReplState
from ick.frontends.repl.stdin_prompt import PromptEnded
from ick.frontends.repl.theme import prompt_style
from ick.kernel.debugger import DebugSession
from ick.kernel.errors import DebuggerError
from ick.render.debugger_views import (
    SOURCE_CONTEXT,
    evaluation_view,
    frame_view,
    problem_line,
    source_view,
    stack_view,
    stopped_view,
    variable_view,
    variables_table,
)

T = TypeVar("T")

PROMPT = FormattedText([("ansiyellow bold", "(ick-debug)"), ("", " ")])

#: Lines of source shown around the line after a step (a breakpoint shows the default).
STEP_CONTEXT = 2


async def unless_ctrl_c(repl: ReplState, work: Awaitable[T]) -> T:
    """``work``'s result; Ctrl-C meanwhile stops waiting for it, not the kernel nor ick
    (raised as :class:`DebuggerError`, which the caller shows as one line)."""
    task = asyncio.ensure_future(work)
    pressed = False

    def stop_waiting() -> None:
        nonlocal pressed
        pressed = True
        task.cancel()

    with repl.sigint.action(stop_waiting):
        try:
            return await task
        except asyncio.CancelledError:
            if pressed:
                raise DebuggerError("stopped waiting for the debugger") from None
            raise


class _RunningAgain(Exception):
    """Ends the debug prompt: the code runs on without ick having said so (another client)."""


class DebugPrompt:
    """Takes the user's commands while ick's execution is stopped in the kernel's debugger."""

    def __init__(self, *, repl: ReplState) -> None:
        self._repl = repl
        # Made at the first stop: a session that never stops never pays for it.
        self._session: PromptSession[str] | None = None
        self._last = ""

    def _prompt_session(self) -> PromptSession[str]:
        if self._session is None:
            settings = self._repl.options.repl
            self._session = PromptSession(
                history=SharedFileHistory(history_path("ick-debug"), settings.history_size),
                auto_suggest=AutoSuggestFromHistory() if settings.autosuggest else None,
                vi_mode=settings.editing_mode == "vi",
                enable_history_search=True,
                enable_suspend=True,
                style=prompt_style("light" if settings.theme == "light" else "dark"),
                include_default_pygments_style=False,
            )
        return self._session

    def resumed(self) -> None:
        """The session's ``on_resume``: the code runs again, so the prompt has nothing to steer."""
        if self._session is not None and self._session.app.is_running:
            self._session.app.exit(exception=_RunningAgain())

    def show(self, renderable: RenderableType) -> None:
        output = self._repl.output
        output.ensure_newline()
        self._repl.renderer.print(renderable)
        output.flush()

    async def while_stopped(self, session: DebugSession) -> None:
        """Show where the code stopped, then carry out commands until it runs on.

        While the code is stopped, Ctrl-C never interrupts the kernel: its main
        thread waits inside the debugger, and a KeyboardInterrupt there leaves
        debugpy unable to stop that thread again, for the kernel's whole life.
        At the prompt, Ctrl-C clears the line; once the code runs on (n, c...),
        it interrupts the kernel as during any execution.
        """
        with self._repl.sigint.action(_kernel_is_stopped):
            await self._show_stop(session)
        lexer = lexer_for(self._repl.kernel.language_info)
        while session.stop is not None and not self._repl.kernel.is_dead:
            try:
                line = await self._read(lexer)
            except KeyboardInterrupt:
                continue  # clears the line, as at the code prompt
            except EOFError:
                line = "q"
            except (_RunningAgain, PromptEnded):
                return  # the code runs on, or the kernel died (its death is reported)
            if not line.strip():
                line = self._last  # pdb repeats the last command: n, n, n...
                if not line:
                    continue
            self._last = line
            try:
                await self._carry_out(session, parse_debug_input(line))
            except DebuggerError as exc:
                self.show(problem_line(str(exc)))

    async def _read(self, lexer: Lexer | None) -> str:
        self._repl.output.ensure_newline()
        prompt = self._prompt_session()
        # SIGINT stays with SigintActions: prompt_toolkit would remove its handler on exit.
        with self._repl.sigint.action(ctrl_c_as_a_key):
            try:
                return await prompt.prompt_async(
                    PROMPT, lexer=lexer, handle_sigint=False, default=""
                )
            finally:
                self._repl.output.screen_moved_on()

    async def _show_stop(self, session: DebugSession) -> None:
        stop = session.stop
        if stop is None:
            return
        try:
            frame = await unless_ctrl_c(self._repl, session.current_frame())
        except DebuggerError as exc:
            self.show(stopped_view(stop, None, []))
            self.show(problem_line(str(exc)))
            return
        lines = await self._source_of(session)
        marks = _breakpoint_lines(session, frame.path)
        context = STEP_CONTEXT if stop.reason == "step" else SOURCE_CONTEXT
        self.show(stopped_view(stop, frame, lines, breakpoint_lines=marks, context=context))

    async def _source_of(self, session: DebugSession) -> list[str]:
        frame = await session.current_frame()
        try:
            return await unless_ctrl_c(self._repl, session.source_lines(frame))
        except DebuggerError:
            return []  # the place is still shown; "(no source)" says the rest

    async def _carry_out(self, session: DebugSession, command: DebugInput) -> None:
        action, argument = command.action, command.argument
        running_on = {
            "next": session.next,
            "step": session.step_in,
            "return": session.step_out,
            "continue": session.resume,
            "quit": session.close,
        }
        if action in running_on:
            # Not left to Ctrl-C: a step given up half-way would leave ick unsure whether the
            # code runs.  The code may run before the reply comes: Ctrl-C interrupts it.
            await running_on[action]()
        else:
            with self._repl.sigint.action(_kernel_is_stopped):
                await self._look(session, action, argument)

    async def _look(self, session: DebugSession, action: str, argument: str) -> None:
        """The commands that leave the code stopped: where, up/down, list, vars, help, p."""
        if action == "where":
            frames = await unless_ctrl_c(self._repl, session.frames())
            self.show(stack_view(frames, current=session.frame_index))
        elif action in COUNTED:
            await self._move(session, up=action == "up", count=int(argument or 1))
        elif action == "list":
            frame = await session.current_frame()
            lines = await self._source_of(session)
            marks = _breakpoint_lines(session, frame.path)
            self.show(source_view(lines, line=frame.line, breakpoint_lines=marks))
        elif action == "vars":
            if argument:
                variable, children = await unless_ctrl_c(self._repl, session.variable(argument))
                self.show(variable_view(variable, children))
            else:
                listing = await unless_ctrl_c(self._repl, session.frame_variables())
                self.show(variables_table(listing, empty="no local variables"))
        elif action == "help":
            self.show(vocabulary_help())
        else:  # p EXPR, or an expression alone
            if not argument:
                raise DebuggerError("p needs an expression: p EXPR")
            evaluation = await unless_ctrl_c(self._repl, session.evaluate(argument))
            if evaluation.error or evaluation.result:
                self.show(evaluation_view(evaluation))

    async def _move(self, session: DebugSession, *, up: bool, count: int) -> None:
        """``u``/``d`` ``count`` frames, as far as the stack goes; the frame reached is shown."""
        problem: DebuggerError | None = None
        for moved in range(max(count, 1)):
            try:
                await unless_ctrl_c(self._repl, session.up() if up else session.down())
            except DebuggerError as exc:
                if not moved:
                    raise
                problem = exc
                break
        frame = await session.current_frame()
        lines = await self._source_of(session)
        marks = _breakpoint_lines(session, frame.path)
        self.show(frame_view(frame, lines, breakpoint_lines=marks, context=STEP_CONTEXT))
        if problem is not None:
            self.show(problem_line(str(problem)))


def _kernel_is_stopped() -> None:
    """Ctrl-C while the kernel is stopped and no prompt is up: nothing to interrupt."""


def _breakpoint_lines(session: DebugSession, path: str) -> set[int]:
    return {placed.line for placed in session.breakpoints() if placed.path == path}
