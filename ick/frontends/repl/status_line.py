"""The status line under the prompt: which kernel, what it is doing, how long the last run took.

The kernel's state comes from its iopub ``status`` messages that no request
of ours claims (another client's execution, a thread of ours still printing),
and from ick itself for its own executions, deaths and restarts; the line is
redrawn whenever it changes.
"""

from __future__ import annotations

from typing import Literal

from prompt_toolkit.application import get_app_or_none
from prompt_toolkit.formatted_text import FormattedText

from ick.messages import Message, content, msg_type
from ick.render.sanitize import plain_text

KernelState = Literal["starting", "idle", "busy", "dead", "restarting"]

_STATE_STYLES: dict[str, str] = {
    "idle": "class:bottom-toolbar.idle",
    "busy": "class:bottom-toolbar.busy",
    "dead": "class:bottom-toolbar.dead",
}


def format_duration(seconds: float) -> str:
    """``0.042 s``, ``3.2 s``, ``2 min 05 s``: as precise as a reader needs."""
    if seconds < 1:
        return f"{seconds:.3f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


class SessionStatus:
    """What the status line shows; the REPL and the kernel's messages update it."""

    def __init__(self, kernel_name: str) -> None:
        self.kernel_name = kernel_name
        self.state: KernelState = "idle"
        self.last_duration: float | None = None

    def set(self, state: KernelState) -> None:
        if state != self.state:
            self.state = state
            app = get_app_or_none()
            if app is not None and app.is_running:
                app.invalidate()

    def on_iopub(self, msg: Message, own: bool) -> None:
        """A broadcast listener: the kernel's busy/idle for work nobody here waits on."""
        if msg_type(msg) != "status" or self.state == "dead":
            return
        state = content(msg).get("execution_state")
        if state in ("busy", "idle"):
            self.set(state)

    def toolbar(self) -> FormattedText:
        parts: list[tuple[str, str]] = [
            ("class:bottom-toolbar.kernel", f" {plain_text(self.kernel_name)} "),
            ("", "│"),
            (_STATE_STYLES.get(self.state, ""), f" {self.state} "),
        ]
        if self.last_duration is not None:
            parts += [("", "│"), ("", f" last run {format_duration(self.last_duration)} ")]
        parts += [("", "│"), ("", " F1 help ")]
        return FormattedText(parts)
