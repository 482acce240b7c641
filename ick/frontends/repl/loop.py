"""The interactive REPL: a prompt loop over a kernel client and the renderer.

While the user edits, output that arrives (a thread printing, a timer, the
kernel dying) is drawn above the prompt through prompt_toolkit's
``run_in_terminal``; while code runs, output goes straight to the terminal
and Ctrl-C interrupts the kernel.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from prompt_toolkit import PromptSession
from prompt_toolkit.application import get_app, get_app_or_none, run_in_terminal
from prompt_toolkit.completion import Completer, WordCompleter
from prompt_toolkit.filters import is_done
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input.typeahead import store_typeahead
from prompt_toolkit.input.vt100_parser import Vt100Parser
from prompt_toolkit.key_binding import KeyPress, merge_key_bindings
from prompt_toolkit.key_binding.vi_state import InputMode
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout.processors import (
    ConditionalProcessor,
    HighlightMatchingBracketProcessor,
)
from prompt_toolkit.lexers import Lexer, PygmentsLexer

from ick.errors import ExitStatus, IckError
from ick.frontends.repl.binding_lookup import look_up_bindings_per_screen
from ick.frontends.repl.commands import PREFIX, parse_command, run_command
from ick.frontends.repl.completeness import local_verdict
from ick.frontends.repl.completion import KernelCompleter
from ick.frontends.repl.early_send import EarlySender, HeldOutput
from ick.frontends.repl.enter import enter_key_bindings
from ick.frontends.repl.history import SharedFileHistory, history_path
from ick.frontends.repl.inspect import Inspector
from ick.frontends.repl.key_bindings import comfort_key_bindings
from ick.frontends.repl.prompt_layout import use_lean_layout
from ick.frontends.repl.prompts import banner, continuation_prompt, in_prompt, in_prompt_width
from ick.frontends.repl.status_line import SessionStatus
from ick.frontends.repl.suggest import HistorySuggestion
from ick.frontends.repl.theme import prompt_style
from ick.frontends.repl.title import WindowTitle
from ick.frontends.settings import ReplSettings
from ick.frontends.shared.recording import NotebookRecorder
from ick.frontends.shared.signals import SigintActions
from ick.kernel.client import KernelClient
from ick.kernel.connect import KernelTarget, open_kernel
from ick.kernel.errors import KernelDied, KernelError
from ick.messages import Message, execution_count, parent_id
from ick.render.capabilities import TerminalCapabilities
from ick.render.mime import render_bundle
from ick.render.mime_order import DEFAULT_MIME_ORDER
from ick.render.renderer import OutputRenderer
from ick.render.sanitize import plain_text, sanitize
from ick.render.writer import TerminalWriter

# Seconds after a first Ctrl-C before a second one abandons an execution the kernel won't stop.
INTERRUPT_PATIENCE = 1.0


class _KernelDiedAtPrompt(Exception):
    """Ends the prompt when the kernel dies while the user is typing."""


class _CommandKey(Exception):
    """Ends the prompt when a command's key is pressed; the typed text is kept for later."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


_VI_MODE_LABELS = {
    InputMode.INSERT: "ins",
    InputMode.INSERT_MULTIPLE: "ins",
    InputMode.NAVIGATION: "nav",
    InputMode.REPLACE: "rep",
    InputMode.REPLACE_SINGLE: "rep",
}

#: What a kernel may give as its file extension, for the editor's temporary file.
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9_+-]{1,12}")


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


def preload_lexer_plugins() -> None:
    """Have Pygments scan the installed lexer plugins now, while the kernel boots.

    Kernels name lexers that live in plugins (ipykernel's ``ipython3``); finding
    one scans every installed package's entry points, 60-90 ms that would
    otherwise come between the kernel's answer and the first prompt.  The
    scan is cached, so :func:`lexer_for` is quick afterwards.
    """
    from pygments.plugin import find_plugin_lexers

    for _ in find_plugin_lexers():
        pass


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


async def ask(question: str, password: bool = False, completer: Completer | None = None) -> str:
    """A one-line answer from the user, outside the code prompt and its history."""
    session: PromptSession[str] = PromptSession(completer=completer)
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
        settings: ReplSettings | None = None,
        mime_order: Sequence[str] = DEFAULT_MIME_ORDER,
    ) -> None:
        self.kernel = kernel
        self._first_kernel = kernel  # launch shuts it down; a kernel switched to is ours to end
        self.settings = settings or ReplSettings()
        self.show_other_output = show_other_output
        self.sigint = sigint
        self.capabilities = capabilities
        # Every session is recorded, so that )save can write it; --save also writes as it goes.
        self.save_path = save
        self.recorder = NotebookRecorder(save, kernel.kernelspec, kernel.language_info)
        self.status = SessionStatus(kernel.name)
        self.title = WindowTitle(self.settings.title)
        self.output = TerminalWriter()
        self.output.flush_hook = self._write_above_prompt
        self.renderer = OutputRenderer(self.output, capabilities, mime_order=mime_order)
        prefix = self.settings.other_output_prefix
        self.renderer.other_label = f"{prefix} " if prefix else ""
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
        self._fresh_kernel = False  # restarted or switched to, and nothing run on it yet
        # Set while no code prompt is on screen: an input() asked by an execution sent from
        # the accept handler waits for the prompt to be gone.
        self._no_prompt_on_screen = asyncio.Event()
        self._no_prompt_on_screen.set()
        self._sender = EarlySender(self._send_early)
        self._attach(kernel)
        self.session: PromptSession[str] = self._make_session()
        self._replay_typeahead(capabilities.typeahead)

    def _attach(self, kernel: KernelClient) -> None:
        kernel.stdin_handler = self._answer_input
        kernel.add_listener(self._on_unclaimed_output)
        kernel.add_listener(self.status.on_iopub)
        # Only the current kernel's death matters: one switched away from is shut down on purpose.
        kernel.add_death_listener(
            lambda reason: self._on_death(reason) if kernel is self.kernel else None
        )
        kernel.on_warning = self._warn

    def _detach(self, kernel: KernelClient) -> None:
        kernel.stdin_handler = None
        kernel.remove_listener(self._on_unclaimed_output)
        kernel.remove_listener(self.status.on_iopub)

    def _make_session(self) -> PromptSession[str]:
        language_info = self.kernel.language_info
        language = str(language_info.get("name") or self.kernel.name)
        extension = str(language_info.get("file_extension") or "")
        theme = "light" if self.settings.theme == "light" else "dark"
        inspector = Inspector(self.kernel, self.renderer.print)  # Shift-Tab: documentation
        session: PromptSession[str] = PromptSession(
            history=SharedFileHistory(history_path(language), self.settings.history_size),
            lexer=lexer_for(language_info),
            multiline=True,
            key_bindings=merge_key_bindings(
                [
                    enter_key_bindings(
                        lambda code: self.kernel.is_complete(code), local_verdict(language_info)
                    ),
                    comfort_key_bindings(self._command_key),
                    inspector.key_bindings(),
                ]
            ),
            completer=KernelCompleter(self.kernel),
            # Only Tab asks the kernel: a request per keystroke would load it, and a menu
            # popping up under the cursor would take the Enter meant to run the input.
            complete_while_typing=False,
            # There is no validator, but prompt_toolkit would still start a task per keystroke.
            validate_while_typing=False,
            prompt_continuation=self._continuation,
            enable_history_search=True,
            enable_suspend=True,
            enable_open_in_editor=True,
            auto_suggest=HistorySuggestion() if self.settings.autosuggest else None,
            vi_mode=self.settings.editing_mode == "vi",
            input_processors=[ConditionalProcessor(HighlightMatchingBracketProcessor(), ~is_done)],
            bottom_toolbar=self.status.toolbar if self.settings.toolbar else None,
            style=prompt_style(theme),
            include_default_pygments_style=False,
            # The editor opens a file named like the language's, so that it highlights it.
            tempfile_suffix=extension if _SAFE_SUFFIX.fullmatch(extension) else ".txt",
        )
        session.default_buffer.accept_handler = self._sender
        use_lean_layout(session)
        look_up_bindings_per_screen(session.app)
        return session

    def _prompt(self) -> FormattedText:
        """``In [n]: ``, after the vi mode (``[ins]``, ``[nav]``) when editing the vi way."""
        prompt = in_prompt(self.next_count)
        if self.settings.editing_mode != "vi":
            return prompt
        app = get_app()
        if app.current_buffer.selection_state is not None:
            label = "vis"
        else:
            label = _VI_MODE_LABELS.get(app.vi_state.input_mode, "ins")
        return FormattedText([("class:vi-mode", f"[{label}] "), *prompt])

    def _command_key(self, name: str) -> None:
        app = get_app()
        # What was typed comes back at the next prompt, after the command.
        self._carry = app.current_buffer.text
        app.current_buffer.text = ""
        app.exit(exception=_CommandKey(name))

    def _replay_typeahead(self, typed: str) -> None:
        """Keys typed while ick started (read by the terminal probe) go to the first prompt
        as keys, exactly as if typed there: Enter included."""
        if not typed:
            return
        keys: list[KeyPress] = []
        parser = Vt100Parser(keys.append)
        parser.feed(typed)
        parser.flush()
        store_typeahead(self.session.input, keys)

    async def _ask(
        self, question: str, password: bool = False, completer: Completer | None = None
    ) -> str:
        try:
            return await ask(question, password, completer)
        finally:
            # The question and its answer stay on screen: nothing above them can be redrawn.
            self.output.screen_moved_on()

    def _continuation(self, width: int, line_number: int, wrap_count: int) -> FormattedText:
        return continuation_prompt(max(width, in_prompt_width(self.next_count)))

    # -- main loop ---------------------------------------------------------------
    async def run(self) -> int:
        self.title.show(self.kernel.name)
        try:
            return await self._loop()
        finally:
            self.title.restore()
            if self.kernel is not self._first_kernel:
                await asyncio.shield(self.kernel.shutdown())

    async def _loop(self) -> int:
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
                if await self._confirm_exit():
                    return self._goodbye()
                continue
            except _KernelDiedAtPrompt:
                code = None
            except _CommandKey as key:
                code = await self._command_for_key(key.name)
            invocation = parse_command(code) if code is not None else None
            if invocation is not None:
                if await run_command(self, invocation):
                    return self._goodbye()
            elif code is not None and code.strip():
                await self._execute(code)
                if self._exit_requested:
                    return ExitStatus.OK
            if self.kernel.is_dead and not await self._offer_restart():
                return ExitStatus.KERNEL

    async def _command_for_key(self, name: str) -> str | None:
        """The command a key stands for, as if typed; asks for its argument where it needs one."""
        argument = ""
        try:
            if name == "kernel":
                from ick.kernel.specs import installed_kernels

                names = [spec.name for spec in installed_kernels()]
                argument = await self._ask("Switch to kernel: ", completer=WordCompleter(names))
                if not argument.strip():
                    return None
            elif name == "save":
                argument = await self._ask("Save the session as: ")
                if not argument.strip():
                    return None
        except (EOFError, KeyboardInterrupt):
            return None
        return f"{PREFIX}{name} {argument}".strip()

    async def _confirm_exit(self) -> bool:
        if not self.settings.confirm_exit:
            return True
        question = "Exit ick? [y/N] "
        if not self.kernel.owns_kernel:
            question = "Exit ick (the kernel keeps running)? [y/N] "
        try:
            answer = await self._ask(question)
        except (EOFError, KeyboardInterrupt):
            return True  # a second Ctrl-D means it
        return answer.strip().lower() in ("y", "yes")

    def _goodbye(self) -> int:
        if not self.kernel.owns_kernel and not self.kernel.is_dead:
            self.renderer.print(
                f"The {self.kernel.name} kernel keeps running (ick attached to it)."
            )
            self.output.flush()
        return ExitStatus.OK

    async def _sync_execution_count(self) -> None:
        """An attached kernel has run code before: number prompts from where it is."""
        try:
            reply = await self.kernel.execute(
                "", lambda _msg: None, silent=True, store_history=False, timeout=5
            )
        except KernelError:
            return
        count = execution_count(reply.get("execution_count"))
        if count is not None:
            self.next_count = count + 1

    async def _read_input(self) -> str:
        self.output.ensure_newline()
        default, self._carry = self._carry, ""
        self._no_prompt_on_screen.clear()
        try:
            # SIGINT stays with SigintActions: prompt_toolkit would remove its handler on exit.
            with self.sigint.action(_ctrl_c_as_a_key):
                return await self.session.prompt_async(
                    self._prompt, default=default, handle_sigint=False
                )
        finally:
            # The input stays on screen: nothing above it can be redrawn in place any more.
            self.output.screen_moved_on()
            self._no_prompt_on_screen.set()

    def _send_early(self, code: str, output: HeldOutput) -> asyncio.Task[dict[str, Any]] | None:
        """Send accepted code at once (see early_send.py); commands and blank input are not code."""
        if not code.strip() or parse_command(code) is not None or self.kernel.is_dead:
            return None
        try:
            return self.kernel.start_execution(code, output)
        except KernelError:
            return None  # _execute sends it again, and reports what goes wrong

    async def _execute(self, code: str) -> None:
        early = self._sender.take(code)
        loop = asyncio.get_running_loop()
        self._first_interrupt_at = None
        self._given_up = loop.create_future()
        on_output = self.renderer.handle
        cell, on_output = self.recorder.start(code, on_output)
        self.renderer.start_output_area()
        self._fresh_kernel = False
        started = loop.time()
        self.status.set("busy")
        if early is not None:
            early.output.connect(on_output)
            execution = early.reply
        else:
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
            self._given_up = None
            self.output.flush()
            self.recorder.finish(cell, reply.get("execution_count"))
            self.status.last_duration = loop.time() - started
            if not self.kernel.is_dead:
                self.status.set("idle")
        count = execution_count(reply.get("execution_count"))
        if count is not None:
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
                page = render_bundle(payload["data"], priority=self.renderer.mime_order)
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
            loop.call_later(INTERRUPT_PATIENCE, self._hint_second_ctrl_c, self._given_up)
        elif (
            loop.time() - self._first_interrupt_at >= INTERRUPT_PATIENCE
            and self._given_up is not None
            and not self._given_up.done()
        ):
            self._given_up.set_result(None)

    def _hint_second_ctrl_c(self, execution_given_up: asyncio.Future[None] | None) -> None:
        """The kernel has not stopped a moment after Ctrl-C: say what a second one does.

        Some kernels ignore interrupts (ijavascript, Deno under ``await``), and
        so does code that catches them; without a word the user cannot tell
        a slow stop from none.
        """
        running = self._given_up
        if running is None or running is not execution_given_up or running.done():
            return  # that execution is over, or given up on already
        self.show_error(
            f"ick: the {self.kernel.name} kernel has not stopped; "
            "press Ctrl-C again to stop waiting for it"
        )

    # -- kernel death ------------------------------------------------------------
    def _on_death(self, reason: str) -> None:
        self.status.set("dead")
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
            return await self.restart_kernel()
        try:
            answer = await self._ask("Restart the kernel? [Y/n] ")
        except (EOFError, KeyboardInterrupt):
            return False
        if answer.strip().lower() not in ("", "y", "yes"):
            return False
        return await self.restart_kernel()

    # -- commands (see commands.py) ------------------------------------------------
    async def restart_kernel(self) -> bool:
        if not self.kernel.owns_kernel:
            self.show_error("ick: the kernel was started elsewhere, so ick cannot restart it")
            return False
        self.status.set("restarting")
        self._fresh_kernel = True
        try:
            await self.kernel.restart()
        except KernelError as exc:
            self.status.set("dead")
            self.show_error(f"ick: could not restart the kernel: {exc}")
            return False
        self.status.set("idle")
        self.next_count = 1
        self.show("Kernel restarted.")
        return True

    async def interrupt_kernel(self) -> None:
        await self.kernel.interrupt()
        self.show(f"Interrupt sent to the {self.kernel.name} kernel.")

    async def switch_kernel(self, name: str) -> None:
        """Start kernel ``name`` and carry on with it; the old one is let go only once it is up."""
        from ick.kernel.specs import installed_kernels

        name = name.strip()
        if not name:
            rows = [
                f"{'*' if spec.name == self.kernel.name else ' '} {spec.name}  ({spec.language})"
                for spec in installed_kernels()
            ]
            self.show("Kernels (switch with )kernel NAME):\n" + "\n".join(rows))
            return
        target = KernelTarget(name)
        try:
            target.check()
        except IckError as exc:
            self.show_error(f"ick: {exc}")
            return
        self.show(f"Starting the {name} kernel...")
        starting = asyncio.ensure_future(self._start_kernel(target))
        with self.sigint.action(starting.cancel):  # Ctrl-C gives up on it, not on ick
            try:
                new = await starting
            except asyncio.CancelledError:
                self.show_error(f"ick: not switched; still on the {self.kernel.name} kernel")
                return
            except (IckError, KernelError) as exc:
                self.show_error(f"ick: {exc}; still on the {self.kernel.name} kernel")
                return
        old = self.kernel
        self._detach(old)
        self.kernel = new
        self._attach(new)
        # A kernel ick started is shut down; one it attached to (--existing) keeps running.
        await old.shutdown()
        self._start_recording()
        self.status.kernel_name = new.name
        self.status.last_duration = None
        self.status.set("idle")
        self.next_count = 1
        self._fresh_kernel = True
        self.session = self._make_session()
        self.title.show(new.name)
        self.renderer.print(banner(new.name, new.kernel_info))

    async def _start_kernel(self, target: KernelTarget) -> KernelClient:
        kernel = await open_kernel(target)
        try:
            await kernel.wait_ready(self.settings.startup_timeout)
        except BaseException:
            await asyncio.shield(kernel.shutdown())
            raise
        return kernel

    def _start_recording(self) -> None:
        """A new kernel's session is a new notebook: --save's file keeps the old one's cells."""
        path = self.save_path
        if path is not None:
            path = path.with_name(f"{path.stem}-{self.kernel.name}{path.suffix or '.ipynb'}")
            self.show(f"Recording continues in {path}")
        self.save_path = path
        self.recorder = NotebookRecorder(path, self.kernel.kernelspec, self.kernel.language_info)

    def save_notebook(self, path: str) -> None:
        target = Path(path.strip()).expanduser() if path.strip() else self.save_path
        if target is None:
            self.show_error(f"ick: save where? {PREFIX}save FILE.ipynb")
            return
        try:
            self.recorder.write(target)
        except OSError as exc:
            self.show_error(f"ick: cannot save to {target}: {exc.strerror or exc}")
            return
        count = len(self.recorder.cells)
        self.show(f"Saved {count} cell{'s' if count != 1 else ''} to {target}")

    def clear_screen(self) -> None:
        self.output.flush()
        if self.capabilities.stdout_is_tty:
            sys.stdout.write("\x1b[H\x1b[2J")
            sys.stdout.flush()

    def show(self, text: str) -> None:
        self.output.ensure_newline()
        self.renderer.print(text)
        self.output.flush()

    def show_error(self, text: str) -> None:
        self.output.ensure_newline()
        self.renderer.write_error(text)
        self.output.flush()

    # -- output outside executions -----------------------------------------------
    def _on_unclaimed_output(self, msg: Message, own: bool) -> None:
        # A kernel ick has just (re)started prints its start-up warnings (debugpy's, for
        # one) with no parent request; they are the log's business, not the user's.
        if self._fresh_kernel and parent_id(msg) is None:
            return
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
        await self._no_prompt_on_screen.wait()
        self.output.flush()
        self._no_answer_on_screen.clear()
        try:
            return await self._ask(sanitize(prompt), password=password)
        except KeyboardInterrupt:
            await self.kernel.interrupt()
            return None
        except _KernelDiedAtPrompt:
            return None
        except EOFError:
            return ""
        finally:
            self._no_answer_on_screen.set()
