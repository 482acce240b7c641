"""The interactive REPL: a prompt loop over a kernel client and the renderer.

While the user edits, output that arrives (a thread printing, a timer, the
kernel dying) is drawn above the prompt through prompt_toolkit's
``run_in_terminal``; while code runs, output goes straight to the terminal
and Ctrl-C interrupts the kernel.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prompt_toolkit import PromptSession
from prompt_toolkit.application import get_app_or_none, run_in_terminal
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyPress, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.lexers import Lexer, PygmentsLexer

from ick.errors import ExitStatus
from ick.frontends.completion import KernelCompleter
from ick.frontends.history import SharedFileHistory, history_path
from ick.frontends.inspect import Inspector
from ick.frontends.notebook import NotebookRecorder
from ick.frontends.prompts import banner, continuation_prompt, in_prompt, in_prompt_width
from ick.frontends.signals import SigintActions
from ick.frontends.submit import enter_key_bindings
from ick.kernel.client import KernelClient
from ick.kernel.errors import KernelDied, KernelError
from ick.kernel.router import Message
from ick.render.capabilities import TerminalCapabilities
from ick.render.display import OutputRenderer
from ick.render.mime import render_bundle
from ick.render.output import TerminalOutput
from ick.render.sanitize import plain_text, sanitize

# Seconds after a first Ctrl-C before a second one abandons an execution the kernel won't stop.
INTERRUPT_PATIENCE = 1.0


class _KernelDiedAtPrompt(Exception):
    """Ends the prompt when the kernel dies while the user is typing."""


def lexer_for(language_info: dict[str, Any]) -> Lexer | None:
    """A highlighter for the kernel's language: by ``pygments_lexer``, then by the
    language's name, then by its file extension (``.m``, ``.ts``); none when
    Pygments knows none of them, and the input is shown plain."""
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
    from pygments.util import ClassNotFound

    for key in ("pygments_lexer", "name"):
        name = language_info.get(key)
        if isinstance(name, str) and name:
            try:
                return PygmentsLexer(type(get_lexer_by_name(name)))
            except ClassNotFound:
                continue
    extension = language_info.get("file_extension")
    if isinstance(extension, str) and extension.strip("."):
        try:
            return PygmentsLexer(type(get_lexer_for_filename("input." + extension.strip("."))))
        except ClassNotFound:
            pass
    return None


def _ctrl_c_as_a_key() -> None:
    """A SIGINT at the prompt is a Ctrl-C typed while output was drawn above it.

    ``run_in_terminal`` puts the terminal back in cooked mode for that moment,
    so the key arrives as a signal; it must clear the line as the key does,
    not end the session.
    """
    app = get_app_or_none()
    if app is not None and app.is_running:
        app.key_processor.feed(KeyPress(Keys.ControlC))
        app.key_processor.process_keys()


async def ask(question: str, password: bool = False) -> str:
    """A one-line answer from the user, outside the code prompt and its history."""
    session: PromptSession[str] = PromptSession()
    return await session.prompt_async(question, is_password=password, handle_sigint=False)


class Repl:
    """One interactive session on one kernel."""

    def __init__(
        self,
        kernel: KernelClient,
        capabilities: TerminalCapabilities,
        sigint: SigintActions,
        save: Path | None = None,
        show_other_output: bool = True,
    ) -> None:
        self.kernel = kernel
        self.show_other_output = show_other_output
        self.sigint = sigint
        self.recorder = (
            NotebookRecorder(save, kernel.kernelspec, kernel.language_info) if save else None
        )
        self.output = TerminalOutput()
        self.output.flush_hook = self._write_above_prompt
        self.renderer = OutputRenderer(self.output, capabilities)
        self.next_count = 1
        self._carry = ""  # input for the next prompt: kept across a death, or set_next_input
        self._exit_requested = False  # the kernel's ask_exit payload (``exit`` in IPython)
        self._pending_interrupt: asyncio.Task[None] | None = None
        self._first_interrupt_at: float | None = None
        self._given_up: asyncio.Future[None] | None = None
        # Set while no input() answer is on screen: two prompts must never share the terminal.
        self._no_answer_on_screen = asyncio.Event()
        self._no_answer_on_screen.set()
        self._background: set[asyncio.Future[None]] = set()
        kernel.stdin_handler = self._answer_input
        kernel.add_listener(self._on_unclaimed_output)
        kernel.add_death_listener(self._on_death)
        kernel.on_warning = self._warn
        self.session: PromptSession[str] = self._make_session()

    def _make_session(self) -> PromptSession[str]:
        language_info = self.kernel.language_info
        language = str(language_info.get("name") or self.kernel.name)
        inspector = Inspector(self.kernel, self.renderer.print)  # Shift-Tab: documentation
        return PromptSession(
            history=SharedFileHistory(history_path(language)),
            lexer=lexer_for(language_info),
            multiline=True,
            key_bindings=merge_key_bindings(
                [enter_key_bindings(self.kernel.is_complete), inspector.key_bindings()]
            ),
            completer=KernelCompleter(self.kernel),
            # Only Tab asks the kernel: a request per keystroke would load it, and a menu
            # popping up under the cursor would take the Enter meant to run the input.
            complete_while_typing=False,
            prompt_continuation=self._continuation,
            enable_history_search=True,
            enable_suspend=True,
            enable_open_in_editor=True,
            include_default_pygments_style=True,
        )

    def _continuation(self, width: int, line_number: int, wrap_count: int) -> FormattedText:
        return continuation_prompt(max(width, in_prompt_width(self.next_count)))

    # -- main loop ---------------------------------------------------------------
    async def run(self) -> int:
        self.renderer.print(banner(self.kernel.name, self.kernel.kernel_info))
        self.output.flush()
        if not self.kernel.owns_kernel:
            await self._sync_execution_count()
        while True:
            try:
                code = await self._read_input()
            except KeyboardInterrupt:
                continue  # Ctrl-C at the prompt clears the line
            except EOFError:
                return ExitStatus.OK
            except _KernelDiedAtPrompt:
                code = None
            if code is not None and code.strip():
                await self._execute(code)
                if self._exit_requested:
                    return ExitStatus.OK
            if self.kernel.is_dead and not await self._offer_restart():
                return ExitStatus.KERNEL

    async def _sync_execution_count(self) -> None:
        """An attached kernel has run code before: number prompts from where it is."""
        try:
            reply = await self.kernel.execute(
                "", lambda _msg: None, silent=True, store_history=False, timeout=5
            )
        except KernelError:
            return
        count = reply.get("execution_count")
        if isinstance(count, int):
            self.next_count = count + 1

    async def _read_input(self) -> str:
        self.output.ensure_newline()
        default, self._carry = self._carry, ""
        # SIGINT stays with SigintActions: prompt_toolkit would remove its handler on exit.
        with self.sigint.action(_ctrl_c_as_a_key):
            return await self.session.prompt_async(
                in_prompt(self.next_count), default=default, handle_sigint=False
            )

    async def _execute(self, code: str) -> None:
        loop = asyncio.get_running_loop()
        self._first_interrupt_at = None
        self._given_up = loop.create_future()
        on_output = self.renderer.handle
        cell = None
        if self.recorder is not None:
            cell, on_output = self.recorder.start(code, on_output)
        execution = asyncio.ensure_future(self.kernel.execute(code, on_output))
        reply: dict[str, Any] = {}
        try:
            with self.sigint.action(self._interrupt):
                await asyncio.wait({execution, self._given_up}, return_when=asyncio.FIRST_COMPLETED)
            if not execution.done():
                # The kernel ignored the interrupt (or cannot be interrupted): never hang on it.
                execution.cancel()
                self.renderer.write_error(
                    f"ick: the {self.kernel.name} kernel did not respond to the interrupt"
                )
                self.output.flush()
                await self._offer_restart()
                return
            reply = execution.result()
        except KernelDied:
            return  # reported by the death listener; the loop offers a restart
        except KernelError as exc:
            self.renderer.write_error(f"ick: {exc}")
            return
        finally:
            self.output.flush()
            if cell is not None and self.recorder is not None:
                self.recorder.finish(cell, reply.get("execution_count"))
        count = reply.get("execution_count")
        if isinstance(count, int):
            self.next_count = count + 1
        if reply.get("status") in ("abort", "aborted"):
            self.renderer.write_error("(execution aborted)")
        self._handle_payloads(reply.get("payload"))

    def _handle_payloads(self, payloads: Any) -> None:
        """Requests a kernel makes of its front end in execute_reply (IPython's ``?``, ``exit``)."""
        if not isinstance(payloads, list):
            return
        for payload in payloads:
            if not isinstance(payload, dict):
                continue
            source = payload.get("source")
            if source == "page" and isinstance(payload.get("data"), dict):
                page = render_bundle(payload["data"])
                if page is not None:
                    self.renderer.print(page)
            elif source == "set_next_input" and isinstance(payload.get("text"), str):
                # Goes into the user's buffer: no escapes or control characters.
                self._carry = plain_text(payload["text"])
            elif source == "ask_exit":
                self._exit_requested = True

    def _interrupt(self) -> None:
        """Ctrl-C during an execution: interrupt; pressed again a second later, give up on it."""
        loop = asyncio.get_running_loop()
        if self._first_interrupt_at is None:
            self._first_interrupt_at = loop.time()
            self._pending_interrupt = loop.create_task(self.kernel.interrupt())
        elif (
            loop.time() - self._first_interrupt_at >= INTERRUPT_PATIENCE
            and self._given_up is not None
            and not self._given_up.done()
        ):
            self._given_up.set_result(None)

    # -- kernel death ------------------------------------------------------------
    def _on_death(self, reason: str) -> None:
        self.renderer.write_error(f"ick: the {self.kernel.name} kernel died ({reason})")
        app = get_app_or_none()
        if app is None or not app.is_running:
            return
        if app.current_buffer is self.session.default_buffer:
            # Keep what the user was typing; it comes back after the restart.
            self._carry = app.current_buffer.text
        # Ends the code prompt or an input() answer alike: neither has a kernel to go to.
        app.exit(exception=_KernelDiedAtPrompt())

    async def _offer_restart(self) -> bool:
        await self._no_answer_on_screen.wait()
        self.output.ensure_newline()
        if not self.kernel.owns_kernel:
            # Whoever started it may restart it; ick can only say so and leave.
            self.renderer.write_error(
                "ick: the kernel was started elsewhere, so ick cannot restart it"
            )
            return False
        try:
            answer = await ask("Restart the kernel? [Y/n] ")
        except (EOFError, KeyboardInterrupt):
            return False
        if answer.strip().lower() not in ("", "y", "yes"):
            return False
        try:
            await self.kernel.restart()
        except KernelError as exc:
            self.renderer.write_error(f"ick: could not restart the kernel: {exc}")
            return False
        self.next_count = 1
        self.renderer.print("Kernel restarted.")
        return True

    # -- output outside executions -----------------------------------------------
    def _on_unclaimed_output(self, msg: Message, own: bool) -> None:
        # Late output of our own finished requests (threads, timers) is shown as usual;
        # other clients' inputs and results are labelled, or left out if the user asked.
        if own or self.show_other_output:
            self.renderer.handle(msg, other=not own)

    def _write_above_prompt(self, write: Callable[[], None]) -> None:
        app = get_app_or_none()
        if app is None or not app.is_running:
            write()
            return

        def write_whole_lines() -> None:
            write()
            self.output.ensure_newline()

        drawing = asyncio.ensure_future(run_in_terminal(write_whole_lines))
        self._background.add(drawing)
        drawing.add_done_callback(self._background.discard)

    def _warn(self, text: str) -> None:
        self.renderer.write_error(f"ick: warning: {text}")

    # -- stdin -------------------------------------------------------------------
    async def _answer_input(self, prompt: str, password: bool) -> str | None:
        self.output.flush()
        self._no_answer_on_screen.clear()
        try:
            return await ask(sanitize(prompt), password=password)
        except KeyboardInterrupt:
            await self.kernel.interrupt()
            return None
        except _KernelDiedAtPrompt:
            return None
        except EOFError:
            return ""
        finally:
            self._no_answer_on_screen.set()
