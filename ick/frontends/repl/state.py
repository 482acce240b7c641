"""What the REPL's rooms may read and change of the session, as a type.

The loop (:class:`~ick.frontends.repl.loop.Repl`) holds the state; the rooms
that act on it (one execution, the session commands) see it through this
protocol, so that they import nothing of the loop and can be driven in a test
by any object that has these parts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ick.frontends.repl.pager import Pager
from ick.frontends.repl.status_line import SessionStatus
from ick.frontends.repl.stdin_prompt import StdinPrompt
from ick.frontends.repl.widget_mode import ReplWidgets
from ick.frontends.shared.recording import NotebookRecorder
from ick.frontends.shared.signals import SigintActions
from ick.kernel.client import KernelClient
from ick.options import Options
from ick.render.environment import Environment
from ick.render.renderer import OutputRenderer
from ick.render.writer import TerminalWriter


class ReplState(Protocol):
    kernel: KernelClient
    options: Options
    environment: Environment
    sigint: SigintActions
    status: SessionStatus
    output: TerminalWriter
    renderer: OutputRenderer
    recorder: NotebookRecorder
    stdin_prompt: StdinPrompt
    pager: Pager
    widgets: ReplWidgets
    save_path: Path | None
    next_count: int
    fresh_kernel: bool
    """Restarted or switched to, and nothing run on it yet: its start-up chatter is not shown."""

    def use_kernel(self, kernel: KernelClient) -> None: ...

    def show(self, text: str) -> None: ...

    def show_error(self, text: str) -> None: ...
