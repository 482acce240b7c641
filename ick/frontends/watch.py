"""The watch-only sidecar: every client's inputs and outputs on a kernel, as they happen.

It sends nothing to the kernel (no kernel_info, no execute, no stdin): it
only listens to iopub, so it can sit in a terminal beside an editor or a
notebook without changing what the kernel does.  It keeps listening through
kernel restarts (ZeroMQ reconnects by itself) until Ctrl-C.
"""

from __future__ import annotations

import asyncio

from ick.errors import ExitStatus
from ick.frontends.shared.signals import SigintActions
from ick.kernel.client import KernelClient
from ick.messages import Message, content, msg_type
from ick.options import Options
from ick.render.environment import Environment
from ick.render.renderer import OutputRenderer
from ick.render.writer import TerminalWriter


class Watcher:
    def __init__(
        self,
        *,
        kernel: KernelClient,
        options: Options,
        environment: Environment,
        sigint: SigintActions,
    ) -> None:
        self.kernel = kernel
        self.sigint = sigint
        self.output = TerminalWriter(environment=environment)
        self.renderer = OutputRenderer(
            output=self.output,
            capabilities=environment.capabilities,
            mime_order=options.mime_order,
        )
        kernel.add_listener(self._on_message)
        kernel.add_death_listener(self._on_silence)
        kernel.on_warning = lambda text: self.renderer.write_error(f"ick: warning: {text}")

    async def run(self) -> int:
        self.renderer.print(f"ick: watching the {self.kernel.name} kernel; Ctrl-C to stop")
        self.output.flush()
        finished = asyncio.get_running_loop().create_future()

        def stop() -> None:
            if not finished.done():
                finished.set_result(None)

        with self.sigint.action(stop):
            await finished
        self.output.finish_lines()
        self.output.flush()
        return ExitStatus.OK

    def _on_message(self, msg: Message, own: bool) -> None:
        kind = msg_type(msg)
        if kind == "execute_input":
            self.output.ensure_newline()
            self.renderer.render_input(content(msg))
        elif kind == "status" and content(msg).get("execution_state") == "starting":
            self.renderer.print("ick: the kernel (re)started")
        else:
            self.renderer.handle(msg)

    def _on_silence(self, reason: str) -> None:
        self.renderer.write_error(
            f"ick: the kernel is not answering ({reason}); still watching for it to come back"
        )
