"""The interactive REPL: a prompt loop over a kernel client and the renderer.

While the user edits, output that arrives (a thread printing, a timer, the
kernel dying) is drawn above the prompt (:mod:`~ick.frontends.repl.above_prompt`);
while code runs, output goes straight to the terminal and Ctrl-C interrupts
the kernel (:mod:`~ick.frontends.repl.execution`).  This class holds the
session's state and reads inputs; each other concern has a room of its own
(see the package's docstring).
"""

from __future__ import annotations

import asyncio

from prompt_toolkit.application import get_app_or_none

from ick.errors import ExitStatus
from ick.frontends.repl.above_prompt import AbovePrompt
from ick.frontends.repl.commands import CommandKeyPressed, parse_command, run_command
from ick.frontends.repl.completeness import local_verdict
from ick.frontends.repl.counts import kernels_count, others_count
from ick.frontends.repl.ctrl_d_ahead import ctrl_d_kept_while_code_runs
from ick.frontends.repl.execution import Executions
from ick.frontends.repl.inspect import Inspector
from ick.frontends.repl.key_bindings import repl_key_bindings
from ick.frontends.repl.pager import Pager
from ick.frontends.repl.prompt import CodePrompt
from ick.frontends.repl.prompts import banner
from ick.frontends.repl.session_commands import SessionCommands
from ick.frontends.repl.status_line import SessionStatus
from ick.frontends.repl.stdin_prompt import PromptEnded, StdinPrompt
from ick.frontends.repl.title import WindowTitle
from ick.frontends.repl.widget_mode import ReplWidgets
from ick.frontends.shared.recording import NotebookRecorder
from ick.frontends.shared.signals import SigintActions
from ick.kernel.client import KernelClient
from ick.messages import Message, parent_id
from ick.options import Options
from ick.render.environment import Environment
from ick.render.renderer import OutputRenderer
from ick.render.writer import TerminalWriter


class Repl:
    """One interactive session on one kernel at a time."""

    def __init__(
        self,
        *,
        kernel: KernelClient,
        options: Options,
        environment: Environment,
        sigint: SigintActions,
    ) -> None:
        self.kernel = kernel
        self._first_kernel = kernel  # launch shuts it down; a kernel switched to is ours to end
        self.options = options
        self.environment = environment
        self.sigint = sigint
        # Every session is recorded, so that )save can write it; --save also writes as it goes.
        self.save_path = options.save
        self.recorder = NotebookRecorder(options.save, kernel.kernelspec, kernel.language_info)
        self.status = SessionStatus(kernel.name)
        self.title = WindowTitle(enabled=options.repl.title, environment=environment)
        self.output = TerminalWriter(environment=environment)
        self.output.flush_hook = AbovePrompt(output=self.output)
        self.renderer = OutputRenderer(
            output=self.output,
            capabilities=environment.capabilities,
            mime_order=options.mime_order,
        )
        prefix = options.repl.other_output_prefix
        self.renderer.other_label = f"{prefix} " if prefix else ""
        self.next_count = 1
        self.carry = ""  # input for the next prompt: kept across a death, or set_next_input
        self.fresh_kernel = False  # restarted or switched to, and nothing run on it yet
        self.stdin_prompt = StdinPrompt(output=self.output, interrupt=self._interrupt_kernel)
        self.pager = Pager(
            renderer=self.renderer,
            environment=environment,
            sigint=sigint,
            enabled=options.repl.pager,
        )
        self.executions = Executions(repl=self)
        self.commands = SessionCommands(repl=self, debugging=self.executions.debugging)
        self.widgets = ReplWidgets(renderer=self.renderer)
        self._attach(kernel)
        self.prompt = self._make_prompt()
        self.prompt.replay_typeahead(environment.capabilities.typeahead)

    # -- the kernel ----------------------------------------------------------------
    def use_kernel(self, kernel: KernelClient) -> None:
        """Carry on with ``kernel`` (``)kernel``): a new prompt for its language, counts from 1."""
        self._detach(self.kernel)
        self.kernel = kernel
        self._attach(kernel)
        self.status.kernel_name = kernel.name
        self.status.last_duration = None
        self.status.set("idle")
        self.next_count = 1
        self.fresh_kernel = True
        self.prompt = self._make_prompt()
        self.title.show(kernel.name)

    def _attach(self, kernel: KernelClient) -> None:
        kernel.stdin_handler = self.stdin_prompt.answer_input_request
        self.widgets.follow(kernel)
        kernel.add_listener(self._on_unclaimed_output)
        kernel.add_listener(self._follow_other_clients)
        kernel.add_listener(self.status.on_iopub)
        # Only the current kernel's death matters: one switched away from is shut down on purpose.
        kernel.add_death_listener(
            lambda reason: self._on_death(reason) if kernel is self.kernel else None
        )
        kernel.on_warning = lambda text: self.renderer.write_error(f"ick: warning: {text}")

    def _detach(self, kernel: KernelClient) -> None:
        kernel.stdin_handler = None
        kernel.remove_listener(self._on_unclaimed_output)
        kernel.remove_listener(self._follow_other_clients)
        kernel.remove_listener(self.status.on_iopub)

    def _make_prompt(self) -> CodePrompt:
        inspector = Inspector(
            kernel=self.kernel, show=self.pager.show, mime_order=self.options.mime_order
        )
        return CodePrompt(
            kernel=self.kernel,
            settings=self.options.repl,
            status=self.status,
            key_bindings=repl_key_bindings(
                is_complete=self.kernel.is_complete,
                local_verdict=local_verdict(self.kernel.language_info),
                on_command=self._command_key,
                inspect=inspector.ask,
            ),
            accept=self.executions.early_sender,
            next_count=lambda: self.next_count,
            cursor_reports=self.stdin_prompt.cursor_reports,
        )

    async def _interrupt_kernel(self) -> None:  # the kernel of the moment, switched or not
        await self.kernel.interrupt()

    # -- the loop ------------------------------------------------------------------
    async def run(self) -> int:
        self.title.show(self.kernel.name)
        try:
            with ctrl_d_kept_while_code_runs(self.environment.stdin_terminal_fd()):
                return await self._loop()
        finally:
            self.title.restore()
            if self.kernel is not self._first_kernel:
                await asyncio.shield(self.kernel.shutdown())

    async def _loop(self) -> int:
        self.show(banner(self.kernel.name, self.kernel.kernel_info))
        if not self.kernel.owns_kernel:
            await self._sync_execution_count()
        while True:
            try:
                code: str | None = await self._read_input()
            except KeyboardInterrupt:
                continue  # Ctrl-C at the prompt clears the line
            except EOFError:
                if await self.commands.confirm_exit():
                    return await self.commands.goodbye()
                continue
            except PromptEnded:
                code = None
            except CommandKeyPressed as key:
                code = await self.commands.command_for_key(key.name)
            invocation = parse_command(code) if code is not None else None
            if invocation is not None:
                if await run_command(self.commands, invocation):
                    return await self.commands.goodbye()
            elif code is not None and code.strip():
                outcome = await self.executions.run(code)
                if outcome.execution_count is not None:
                    self.next_count = outcome.execution_count + 1
                if outcome.payloads.next_input is not None:
                    self.carry = outcome.payloads.next_input
                if outcome.payloads.exit_requested:
                    return await self.commands.exit_asked(keep_kernel=outcome.payloads.keep_kernel)
                if outcome.given_up:
                    # A kernel that ignores interrupts may still be alive: the session goes on
                    # whether or not it is restarted.
                    await self.commands.offer_restart()
            if self.kernel.is_dead and not await self.commands.offer_restart():
                return ExitStatus.KERNEL

    async def _read_input(self) -> str:
        self.output.ensure_newline()
        default, self.carry = self.carry, ""
        self.stdin_prompt.no_code_prompt_on_screen.clear()
        try:
            return await self.prompt.read(default=default, sigint=self.sigint)
        finally:
            # The input stays on screen: nothing above it can be redrawn in place any more.
            self.output.screen_moved_on()
            self.stdin_prompt.no_code_prompt_on_screen.set()

    def _command_key(self, name: str) -> None:
        app = self.prompt.session.app
        # What was typed comes back at the next prompt, after the command.
        self.carry = app.current_buffer.text
        app.current_buffer.text = ""
        app.exit(exception=CommandKeyPressed(name))

    async def _sync_execution_count(self) -> None:  # an attached kernel has counted before
        count = await kernels_count(self.kernel)
        if count is not None:
            self.next_count = count + 1

    def _follow_other_clients(self, msg: Message, own: bool) -> None:
        count = others_count(msg, own)
        if count is not None and count + 1 != self.next_count:
            self.next_count = count + 1
            self.prompt.redraw()  # In [n] with the new n

    # -- kernel death --------------------------------------------------------------
    def _on_death(self, reason: str) -> None:
        self.status.set("dead")
        self.renderer.write_error(f"ick: the {self.kernel.name} kernel died ({reason})")
        app = get_app_or_none()
        if app is None or not app.is_running:
            return
        if app is self.prompt.session.app:
            # Keep what the user was typing; it comes back after the restart.
            self.carry = app.current_buffer.text
        # Ends the code prompt or an input() answer alike: neither has a kernel to go to.
        app.exit(exception=PromptEnded())

    # -- output --------------------------------------------------------------------
    def show(self, text: str) -> None:
        self.output.ensure_newline()
        self.renderer.print(text)
        self.output.flush()

    def show_error(self, text: str) -> None:
        self.output.ensure_newline()
        self.renderer.write_error(text)
        self.output.flush()

    def _on_unclaimed_output(self, msg: Message, own: bool) -> None:
        # A kernel ick has just (re)started prints its start-up warnings (debugpy's, for
        # one) with no parent request; they are the log's business, not the user's.
        if self.fresh_kernel and parent_id(msg) is None:
            return
        # Late output of our own finished requests (threads, timers) is shown as usual;
        # other clients' inputs and results are labelled, or left out if the user asked.
        if own or self.options.repl.show_other_output:
            self.renderer.handle(msg, other=not own)
