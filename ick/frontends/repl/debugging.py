"""The debugger at the REPL: ``)vars``, ``)break``, and executions that stop in it.

One :class:`~ick.kernel.debugger.DebugSession` per kernel client, made when
first needed and made anew after ``)restart`` or ``)kernel`` (the kernel's
debugger does not outlive its process).  Every input is remembered as the
kernel starts it (its ``execute_input``), so that breakpoints and stopped
frames can say ``In [5], line 2``.  While an execution runs, :meth:`follow`
waits for its reply or for a stop, and hands the terminal to the debug prompt
(:mod:`~ick.frontends.repl.debug_prompt`) while the code is stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable
from typing import Any, TypeVar

from rich.console import RenderableType
from rich.text import Text

from ick.debug_records import Stop
from ick.frontends.repl.debug_prompt import DebugPrompt, unless_ctrl_c
from ick.frontends.repl.state import ReplState
from ick.kernel.client import KernelClient
from ick.kernel.debugger import DebugSession
from ick.kernel.errors import DebuggerError, KernelDied, KernelError
from ick.messages import Message, OutputCallback, content, execution_count, msg_type
from ick.render.debugger_views import (
    breakpoints_view,
    problem_line,
    variable_view,
    variables_table,
)

#: ``)break In[5]:2``, ``)break In [5]: 2`` or ``)break 5:2``: line 2 of input 5.
_INPUT_AND_LINE = re.compile(r"(?:In\s*\[\s*(\d+)\s*\]|(\d+))\s*:\s*(\d+)", re.IGNORECASE)

#: A line that defines a function or a class, in the languages of kernels with a debugger
#: (Python's ``def``, ``async def`` and ``class``; ``function`` for others).
_DEFINITION = re.compile(r"^\s*(?:async\s+def|def|class|function)\b", re.MULTILINE)

T = TypeVar("T")

#: Seconds ick's exit waits for the kernel's debugger to let ick go.
LEAVE_TIMEOUT = 5.0

BREAK_USAGE = ")break [LINE | In[N]:LINE | raise | clear]"


def input_for_line(inputs: list[tuple[int, str]], line: int) -> int | None:
    """The input ``)break LINE`` means: the last one that defines code (a function or a
    class) and has that line; failing that, the last one that has that line."""
    having = [(number, code) for number, code in inputs if len(code.splitlines()) >= line]
    defining = [number for number, code in having if _DEFINITION.search(code)]
    if defining:
        return max(defining)
    return max((number for number, _ in having), default=None)


def _interrupted_in_debugpy(msg: Message) -> bool:
    """An error that is a KeyboardInterrupt raised inside debugpy (pydevd) rather than in
    the user's code: debugpy stops tracing the kernel's main thread then, for good (not
    even a new attach brings it back), so breakpoints no longer stop the code."""
    body = content(msg)
    traceback = body.get("traceback")
    lines = traceback if isinstance(traceback, list) else []
    return "KeyboardInterrupt" in str(body.get("ename")) and any(
        "pydevd" in str(line) for line in lines
    )


class Debugging:
    """The REPL's debugger: its commands, and the stops of its executions."""

    def __init__(self, *, repl: ReplState) -> None:
        self._repl = repl
        self._session: DebugSession | None = None
        self._kernel: KernelClient | None = None
        # Set by a stop; the execution being followed wakes up to it.
        self._stopped = asyncio.Event()
        # A KeyboardInterrupt raised inside debugpy's own code (see _interrupted_in_debugpy).
        self._debugger_hurt = False
        self.prompt = DebugPrompt(repl=repl)

    @property
    def session(self) -> DebugSession:
        """The debug session on the REPL's current kernel."""
        kernel = self._repl.kernel
        if self._session is None or self._kernel is not kernel:
            self.forget()
            self._session = DebugSession(
                client=kernel, on_stop=self._on_stop, on_resume=self.prompt.resumed
            )
            self._kernel = kernel
        return self._session

    def forget(self) -> None:
        """The kernel restarted (or another took its place): its debugger and inputs are gone."""
        if self._session is not None:
            self._session.forget()
        self._session = None

    async def leave(self) -> None:
        """ick lets the kernel go (at its end, or for another kernel): one that runs on
        (``--existing``) must not keep ick's breakpoints, which would stop its other
        clients' code with no one to let it go."""
        session = self._session
        if session is None or not session.attached or self._repl.kernel.is_dead:
            return
        with contextlib.suppress(KernelError, asyncio.TimeoutError):
            await asyncio.wait_for(session.close(), LEAVE_TIMEOUT)

    def _on_stop(self, stop: Stop) -> None:
        self._stopped.set()

    def watch(self, on_output: OutputCallback) -> OutputCallback:
        """``on_output``, remembering the input the kernel starts (its ``execute_input``)."""
        session = self.session

        def remember_input(msg: Message) -> None:
            kind = msg_type(msg)
            if kind == "execute_input":
                body = content(msg)
                number, code = execution_count(body.get("execution_count")), body.get("code")
                if number is not None and isinstance(code, str):
                    session.remember_input(number, code)
            elif kind == "error" and session.attached and _interrupted_in_debugpy(msg):
                self._debugger_hurt = True
            on_output(msg)

        return remember_input

    async def follow(self, execution: asyncio.Future[dict[str, Any]]) -> dict[str, Any]:
        """The execution's reply; while its code is stopped in the debugger, the debug prompt
        has the terminal.  Cancelled (Ctrl-C twice), it stops waiting for the execution too."""
        session = self.session

        # Code let go by another client (or an interrupt) can run to its end while the
        # debug prompt waits for the user: the prompt goes then.
        def ended(_: object) -> None:
            self.prompt.resumed()

        execution.add_done_callback(ended)
        try:
            while not execution.done():
                if session.stop is not None and not self._repl.kernel.is_dead:
                    await self.prompt.while_stopped(session)
                    continue
                self._stopped.clear()
                if session.stop is not None:
                    continue  # stopped between the check and the clear
                stopped = asyncio.ensure_future(self._stopped.wait())
                either: set[asyncio.Future[Any]] = {execution, stopped}
                try:
                    await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    stopped.cancel()
            return execution.result()
        finally:
            execution.remove_done_callback(ended)
            if not execution.done():
                execution.cancel()
            elif not execution.cancelled():
                execution.exception()  # retrieved: the caller has what it raised, if anything
            if self._debugger_hurt:
                self._debugger_hurt = False
                self._problem(
                    "the interrupt stopped the kernel inside its debugger, which may no longer "
                    "stop this kernel's code until it restarts"
                )

    # -- the commands ------------------------------------------------------------------
    async def show_variables(self, name: str) -> None:
        """``)vars``: the kernel's variables; ``)vars NAME``: one of them and its items."""
        session = self.session
        if name.strip():
            found = await self._ask(session.variable(name.strip()))
            if found is not None:
                self._show(variable_view(*found))
        else:
            listing = await self._ask(session.global_variables())
            if listing is not None:
                self._show(variables_table(listing))

    async def breakpoints(self, argument: str) -> None:
        """``)break``: list, ``)break LINE`` / ``In[N]:LINE``: add, ``raise``, ``clear``."""
        session = self.session
        wanted = argument.strip()
        if not wanted:
            if await self._ask(self._has_debugger(session)) is not None:
                view = breakpoints_view(
                    session.breakpoints(), on_exceptions=session.breaking_on_exceptions
                )
                self._show(view)
        elif wanted.lower() == "clear":
            if await self._ask(self._clear(session)) is not None:
                self._show(Text("Breakpoints cleared; raised exceptions no longer stop the code."))
        elif wanted.lower() == "raise":
            if await self._ask(self._break_on_exceptions(session)) is not None:
                self._show(Text("Raised exceptions stop the code (caught ones too)."))
        else:
            await self._add_breakpoint(session, wanted)

    @staticmethod
    async def _has_debugger(session: DebugSession) -> bool:
        """``True``, or :class:`~ick.kernel.errors.NoDebugger` naming the kernel."""
        await session.require_debugger()
        return True

    async def _clear(self, session: DebugSession) -> bool:
        await session.require_debugger()
        await session.clear_breakpoints()
        return True

    async def _break_on_exceptions(self, session: DebugSession) -> bool:
        await session.break_on_exceptions()
        return True

    async def _add_breakpoint(self, session: DebugSession, wanted: str) -> None:
        place = _INPUT_AND_LINE.fullmatch(wanted)
        if place is not None:
            number = int(place.group(1) or place.group(2))
            line = int(place.group(3))
        elif wanted.isdigit():
            line = int(wanted)
            inputs = [(n, session.sources.code_of(n) or "") for n in session.sources.numbers()]
            last = input_for_line(inputs, line)
            if last is None:
                if await self._ask(self._has_debugger(session)) is not None:
                    self._problem(f"no input has a line {line}; {BREAK_USAGE}")
                return
            number = last
        else:
            self._problem(f"usage: {BREAK_USAGE}")
            return
        placed = await self._ask(session.add_breakpoint(input_number=number, line=line))
        if placed is not None:
            shown = Text(f"Breakpoint at In [{placed.input_number}], line {placed.line}")
            if not placed.verified:
                shown.append(" (not confirmed by the kernel)", style="dim")
            self._show(shown)

    async def _ask(self, request: Awaitable[T]) -> T | None:
        """``request``'s result, or ``None`` after showing why there is none: the debugger's
        refusals as one line; a death is the death listener's to report."""
        if not self.session.attached:
            # Starting the kernel's debugger prints its warnings with no parent request
            # (xeus-python's debugpy): start-up chatter, as a new kernel's is, and not shown.
            self._repl.fresh_kernel = True
        try:
            return await unless_ctrl_c(self._repl, request)
        except DebuggerError as exc:
            self._problem(str(exc))
        except KernelDied:
            pass
        except KernelError as exc:
            self._repl.show_error(f"ick: {exc}")
        return None

    def _problem(self, message: str) -> None:
        self._show(problem_line(message))

    def _show(self, renderable: RenderableType) -> None:
        self.prompt.show(renderable)
