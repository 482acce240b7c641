"""One execution at the REPL, from Enter to the prompt back.

The request usually leaves from Enter's handler already (see
:mod:`~ick.frontends.repl.early_send`); this room connects its output, waits
for it with Ctrl-C meaning interrupt and, pressed again, stop waiting
(:mod:`~ick.frontends.shared.interrupts`), records it for ``)save``, and hands
back what the loop needs: the next prompt's number and the kernel's payloads.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from ick.frontends.repl.commands import parse_command
from ick.frontends.repl.debugging import Debugging
from ick.frontends.repl.early_send import EarlySender, HeldOutput
from ick.frontends.repl.state import ReplState
from ick.frontends.shared.interrupts import InterruptOnCtrlC
from ick.frontends.shared.payloads import Payloads, read_payloads
from ick.kernel.errors import KernelDied, KernelError
from ick.messages import execution_count
from ick.render.mime import render_bundle

# Seconds after a first Ctrl-C before a second one abandons an execution the kernel won't stop.
INTERRUPT_PATIENCE = 1.0


@dataclass(frozen=True, kw_only=True)
class ExecutionOutcome:
    execution_count: int | None = None
    given_up: bool = False
    """The kernel ignored Ctrl-C and the user stopped waiting for it."""
    payloads: Payloads = field(default_factory=Payloads)


class Executions:
    """Runs the REPL's inputs on its current kernel."""

    def __init__(self, *, repl: ReplState) -> None:
        self._repl = repl
        # An execution can stop in the debugger, whose room also has )vars and )break.
        self.debugging = Debugging(repl=repl)
        self.early_sender = EarlySender(self._send_early)

    def _send_early(self, code: str, output: HeldOutput) -> asyncio.Task[dict[str, Any]] | None:
        """Send accepted code at once; commands and blank input are not code."""
        kernel = self._repl.kernel
        if not code.strip() or parse_command(code) is not None or kernel.is_dead:
            return None
        try:
            return kernel.start_execution(code, output)
        except KernelError:
            return None  # run() sends it again, and reports what goes wrong

    async def run(self, code: str) -> ExecutionOutcome:
        repl = self._repl
        kernel, renderer, status = repl.kernel, repl.renderer, repl.status
        early = self.early_sender.take(code)
        loop = asyncio.get_running_loop()
        repl.recorder.widgets = repl.widgets.store
        cell, on_output = repl.recorder.start(code, renderer.handle)
        on_output = self.debugging.watch(on_output)
        renderer.start_output_area()
        repl.fresh_kernel = False
        # From the request sent, so that the time shown is never less than the kernel took.
        started = early.sent_at if early is not None else loop.time()
        status.set("busy")
        if early is not None:
            early.output.connect(on_output)
            execution: asyncio.Future[dict[str, Any]] = early.reply
        else:
            execution = asyncio.ensure_future(kernel.execute(code, on_output))
        interrupt = InterruptOnCtrlC(
            kernel=kernel,
            patience=INTERRUPT_PATIENCE,
            on_no_stop=lambda: repl.show_error(
                f"ick: the {kernel.name} kernel has not stopped; "
                "press Ctrl-C again to stop waiting for it"
            ),
        )
        reply: dict[str, Any] = {}
        try:
            with repl.sigint.action(interrupt):
                # Stops in the debugger give the terminal to its prompt until the code runs on.
                finished, result = await interrupt.wait(self.debugging.follow(execution))
            if not finished:
                renderer.write_error(
                    f"ick: the {kernel.name} kernel did not respond to the interrupt"
                )
                return ExecutionOutcome(given_up=True)
            reply = result or {}
        except KernelDied:
            return ExecutionOutcome()  # reported by the death listener; the loop offers a restart
        except KernelError as exc:
            renderer.write_error(f"ick: {exc}")
            return ExecutionOutcome()
        finally:
            renderer.finish_output_area()
            repl.output.flush()
            repl.recorder.finish(cell, reply.get("execution_count"))
            status.last_duration = loop.time() - started
            if not kernel.is_dead:
                status.set("idle")
        if reply.get("status") in ("abort", "aborted"):
            renderer.write_error("(execution aborted)")
        payloads = read_payloads(reply.get("payload"))
        for page in payloads.pages:
            rendered = render_bundle(page, priority=renderer.mime_order)
            if rendered is not None:
                await repl.pager.show(rendered)
        return ExecutionOutcome(
            execution_count=execution_count(reply.get("execution_count")), payloads=payloads
        )
