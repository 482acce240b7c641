"""Running code without a prompt: files, ``-c CODE`` and standard input.

Nothing but the program's own output reaches stdout (no banner, no prompts,
no ``Out[n]``), errors go to stderr, and the exit status says what happened
(see :class:`ick.errors.ExitStatus`), so that ick can be used in pipes and CI jobs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ick.errors import ExitStatus
from ick.frontends.notebook_runner import ExecutedNotebook
from ick.frontends.script_sources import Source
from ick.frontends.shared.interrupts import InterruptOnCtrlC
from ick.frontends.shared.payloads import read_payloads
from ick.frontends.shared.program_exit import (
    PYTHON_EXIT_AS_PYTHON_DOES,
    ProgramExit,
    is_exit_error,
    program_exit,
)
from ick.frontends.shared.recording import NotebookRecorder
from ick.frontends.shared.signals import SigintActions
from ick.frontends.stdin_answers import StdinAnswers
from ick.kernel.client import KernelClient
from ick.kernel.errors import KernelDied, KernelError, RequestTimeout
from ick.kernel.widgets import WidgetStore
from ick.messages import Message, OutputCallback
from ick.options import Options
from ick.render.environment import Environment
from ick.render.image_files import ImageFiles
from ick.render.renderer import OutputRenderer
from ick.render.writer import TerminalWriter


class ScriptRunner:
    """Runs sources cell by cell and turns what happened into an exit status."""

    def __init__(
        self,
        *,
        kernel: KernelClient,
        options: Options,
        environment: Environment,
        sources: list[Source],
        answers_from_stdin: bool,
        sigint: SigintActions,
        stop: Callable[[int], None],
    ) -> None:
        self.kernel = kernel
        self.options = options
        self.sources = sources
        self.sigint = sigint
        self.output = TerminalWriter(environment=environment)
        self._stop = stop
        self.output.on_broken_pipe = lambda: stop(ExitStatus.BROKEN_PIPE)
        # Images a terminal does not draw (a pipe, a log, --images none) become files, and the
        # line naming each is the output; --image-dir asks for files even on a terminal.
        files_wanted = options.image_dir is not None or not environment.capabilities.draws_images
        widgets = WidgetStore(client=kernel)
        self.renderer = OutputRenderer(
            output=self.output,
            capabilities=environment.capabilities,
            show_out_prompt=False,
            image_files=ImageFiles(options.image_dir) if files_wanted else None,
            mime_order=options.mime_order,
            widgets=widgets,
        )
        self.recorder = _recorder(options.save, sources, kernel)
        if self.recorder is not None:
            self.recorder.widgets = widgets
        kernel.stdin_handler = StdinAnswers(
            from_stdin=answers_from_stdin, stdin=environment.stdin, output=self.output
        ).answer
        # Warnings about the wire go in order with the output, through the sanitiser.
        kernel.on_warning = lambda text: self.renderer.write_error(f"ick: warning: {text}")
        # Output that arrives after a cell's idle (timers, threads) is still the program's.
        kernel.add_listener(self._late_output)
        self.exited: ProgramExit | None = None
        """Set when the program ended itself (``sys.exit``, ``exit()``): the run stops there."""

    def _late_output(self, msg: Message, own: bool) -> None:
        if own:
            self._show(msg)

    def _show(self, msg: Message) -> None:
        # The program ending itself is no error to show, as python shows none for it.
        if not is_exit_error(msg):
            self.renderer.handle(msg)

    async def run(self) -> int:
        language = str(self.kernel.language_info.get("name") or "")
        if language.lower() == "python" and self.kernel.owns_kernel:
            await self._exit_as_python_does()
        status = ExitStatus.OK
        for source in self.sources:
            for cell in source.cells(language):
                cell_status = await self._run_cell(cell)
                if self.exited is not None:
                    if self.exited.message is not None:
                        self.renderer.write_error(self.exited.message)
                        self.output.flush()
                    return self.exited.status
                if cell_status == ExitStatus.OK:
                    continue
                if cell_status == ExitStatus.ERROR and self.options.keep_going:
                    status = ExitStatus.ERROR
                    continue
                return cell_status
        return status

    async def _exit_as_python_does(self) -> None:
        # A kernel in trouble is reported by the first cell, which meets the same trouble.
        with contextlib.suppress(KernelError):
            await self.kernel.execute(
                PYTHON_EXIT_AS_PYTHON_DOES,
                lambda _msg: None,
                silent=True,
                store_history=False,
                timeout=self.options.startup_timeout,
            )

    async def _run_cell(self, code: str) -> int:
        on_output: OutputCallback = self._show
        cell = None
        if self.recorder is not None:
            cell, on_output = self.recorder.start(code, on_output)
        reply: dict[str, Any] = {}
        self.renderer.start_output_area()
        # Ctrl-C interrupts the kernel; a second one ends the run even if the kernel ignores it.
        interrupt = InterruptOnCtrlC(kernel=self.kernel, patience=0.0)
        try:
            with self.sigint.action(interrupt):
                finished, result = await interrupt.wait(
                    self.kernel.execute(code, on_output, timeout=self.options.timeout)
                )
            if not finished:
                return ExitStatus.INTERRUPTED
            reply = result or {}
        except RequestTimeout:
            await self.kernel.interrupt()
            self.output.flush()
            limit = f"{self.options.timeout:g}"
            self.renderer.write_error(
                f"ick: the execution took longer than {limit} s and was interrupted"
            )
            return ExitStatus.TIMEOUT
        except KernelDied as exc:
            self.output.flush()
            self.renderer.write_error(f"ick: the {self.kernel.name} kernel died ({exc})")
            return ExitStatus.KERNEL
        except KernelError as exc:
            self.output.flush()
            self.renderer.write_error(f"ick: {exc}")
            return ExitStatus.KERNEL
        finally:
            # A progress line left open, and every widget, is final now that the cell is done.
            self.renderer.finish_output_area()
            self.output.finish_lines()
            self.output.flush()
            if cell is not None and self.recorder is not None:
                self.recorder.finish(cell, reply.get("execution_count"))
        if interrupt.interrupted:
            return ExitStatus.INTERRUPTED
        exit_requested = read_payloads(reply.get("payload")).exit_requested
        self.exited = program_exit(reply, exit_requested=exit_requested)
        return ExitStatus.OK if reply.get("status") == "ok" else ExitStatus.ERROR


def _recorder(
    save: Path | None, sources: list[Source], kernel: KernelClient
) -> NotebookRecorder | None:
    """``--save``'s recorder: a notebook run alone is written back executed, else a new one."""
    if save is None:
        return None
    if len(sources) == 1 and sources[0].notebook is not None:
        return ExecutedNotebook(
            path=save,
            notebook=sources[0].notebook,
            kernelspec=kernel.kernelspec,
            language_info=kernel.language_info,
        )
    return NotebookRecorder(save, kernel.kernelspec, kernel.language_info)
