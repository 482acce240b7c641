"""Kernel output messages → what the user sees on stdout and stderr.

One :class:`OutputRenderer` serves every front end (REPL, script runner,
sidecar): streams go straight to their stream through the sanitiser, rich
outputs go through :func:`ick.render.mime.render_bundle` and one long-lived
rich ``Console``, errors go to stderr.

It also keeps the display machinery of a notebook, as far as a terminal
allows: ``clear_output`` erases the current execution's output (with
``wait=True``, just before the next output arrives), and
``update_display_data`` redraws a display in place while it is still the
last thing on screen, or prints it again below when it is not.  Where the
output is not a terminal nothing can be erased: clears are skipped and
updates printed.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, cast

from rich.console import Console, RenderableType
from rich.text import Text

from ick.messages import (
    Message,
    content,
    display_id_of,
    error_text,
    execution_count,
    msg_type,
)
from ick.render.capabilities import TerminalCapabilities
from ick.render.image_files import ImageFiles
from ick.render.mime import render_bundle
from ick.render.mime_order import DEFAULT_MIME_ORDER
from ick.render.sanitize import plain_text, sanitize, strip_colour
from ick.render.screen_rows import ScreenMark
from ick.render.writer import StreamName, TerminalWriter


class _OutputFile(io.TextIOBase):
    """Lets rich write into :class:`TerminalWriter` instead of a real file."""

    def __init__(self, output: TerminalWriter, stream: StreamName, is_tty: bool) -> None:
        self._output = output
        self._stream: StreamName = stream
        self._is_tty = is_tty

    def write(self, text: str) -> int:
        self._output.write(self._stream, text)
        return len(text)

    def isatty(self) -> bool:
        return self._is_tty


#: Marks what other clients of the same kernel ran and printed.
OTHER_LABEL = "[other] "


def out_prompt(kernel_count: Any, label: str = "") -> Text:
    """IPython's ``Out[n]: `` in its colours, after an optional label."""
    valid = execution_count(kernel_count)
    count = str(valid) if valid is not None else " "
    prompt = Text(label, style="dim")
    prompt.append("Out[", style="red")
    prompt.append(count, style="bold red")
    prompt.append("]: ", style="red")
    return prompt


@dataclass(frozen=True)
class ShownDisplay:
    """A display with an id, and the rows it took on screen."""

    display_id: str
    start: ScreenMark | None
    end: ScreenMark | None


class OutputRenderer:
    """Renders iopub output messages; ignores everything else."""

    def __init__(
        self,
        *,
        output: TerminalWriter,
        capabilities: TerminalCapabilities,
        show_out_prompt: bool = True,
        image_files: ImageFiles | None = None,
        mime_order: Sequence[str] = DEFAULT_MIME_ORDER,
    ) -> None:
        self.output = output
        self.capabilities = capabilities
        self.image_files = image_files
        self.show_out_prompt = show_out_prompt
        self.mime_order = tuple(mime_order)
        # Where the current execution's output began on screen: what clear_output erases.
        self._output_area: ScreenMark | None = output.screen_mark()
        self._clear_pending = False
        self._last_display: ShownDisplay | None = None
        #: The label on other clients' inputs and results (the REPL's --other-output-prefix).
        self.other_label = OTHER_LABEL
        self._stdout_color = capabilities.color_system is not None
        self._stderr_color = capabilities.stderr_color
        self._console = Console(
            # A text file in all but its base class, which rich's signature names.
            file=cast(IO[str], _OutputFile(output, "stdout", capabilities.stdout_is_tty)),
            color_system=capabilities.color_system,
            force_terminal=capabilities.color_system is not None,
            no_color=capabilities.color_system is None,
            highlight=False,
            markup=False,
            emoji=False,
            soft_wrap=True,
        )

    def handle(self, msg: Message, other: bool = False) -> None:
        """Render one iopub message; ``other`` when another client's request caused it."""
        kind = msg_type(msg)
        body = content(msg)
        if kind in ("stream", "execute_result", "display_data", "error") and self._clear_pending:
            self._clear_pending = False
            self._clear()
        if kind == "stream":
            self._stream(body)
        elif kind == "execute_result":
            self._result(body, self.other_label if other else "")
        elif kind == "execute_input" and other:
            self.render_input(body, self.other_label)
        elif kind == "display_data":
            self._display(body)
        elif kind == "update_display_data":
            self._update_display(body)
        elif kind == "clear_output":
            if body.get("wait"):
                self._clear_pending = True
            else:
                self._clear()
        elif kind == "error":
            self.write_error(error_text(body))

    def start_output_area(self) -> None:
        """An execution starts: what it prints from here on is what its clear_output erases."""
        self._clear_pending = False
        self._output_area = self.output.screen_mark()

    def _clear(self) -> None:
        if self.output.erase_since(self._output_area, scrolled_off_too=True):
            self._last_display = None

    def write_error(self, text: str) -> None:
        text = self._text_for("stderr", text)
        self.output.write("stderr", text if text.endswith("\n") else text + "\n")

    def _text_for(self, stream: StreamName, text: str) -> str:
        """Kernel text made safe, and plain where that stream takes no colour."""
        text = sanitize(text)
        colour = self._stdout_color if stream == "stdout" else self._stderr_color
        return text if colour else strip_colour(text)

    def print(self, renderable: RenderableType) -> None:
        """Print a renderable of ick's own (a banner, a notice) on stdout."""
        self._console.print(renderable)

    def render_to_text(self, renderable: RenderableType) -> str:
        """What :meth:`print` would write, as a string (for a pager), colours included."""
        with self._console.capture() as captured:
            self._console.print(renderable)
        return captured.get()

    def _stream(self, body: Mapping[str, Any]) -> None:
        text = body.get("text")
        if not isinstance(text, str):
            return
        stream: StreamName = "stderr" if body.get("name") == "stderr" else "stdout"
        self.output.write(stream, self._text_for(stream, text), continues_line=True)

    def render_input(self, body: Mapping[str, Any], label: str = "") -> None:
        """An ``execute_input``: what a client ran, so that the output that follows makes sense."""
        code = body.get("code")
        if not isinstance(code, str):
            return
        count = execution_count(body.get("execution_count"))
        head = f"{label}In [{count if count is not None else ' '}]: "
        lines = plain_text(code).rstrip("\n").split("\n")
        text = Text(head, style="dim green")
        text.append(lines[0])
        for line in lines[1:]:
            text.append("\n" + "...: ".rjust(len(head)), style="dim green")
            text.append(line)
        self._console.print(text)
        self.start_output_area()

    def _result(self, body: Mapping[str, Any], label: str = "") -> None:
        data = body.get("data")
        if not isinstance(data, Mapping):
            return
        rendered = self._render(data, body.get("metadata"))
        if rendered is None:
            return
        self.output.start_line()
        if self.show_out_prompt:
            prompt = out_prompt(body.get("execution_count"), label)
            # Like IPython, a multi-line result starts on its own line below the prompt.
            if not isinstance(rendered, Text) or "\n" in rendered.plain.strip("\n"):
                prompt.append("\n")
            self._console.print(prompt, end="")
        self._console.print(rendered)

    def _display(self, body: Mapping[str, Any]) -> None:
        rendered = self._render_body(body)
        if rendered is not None:
            self._show(rendered, display_id_of(body))

    def _update_display(self, body: Mapping[str, Any]) -> None:
        """Redraw in place when the display is the last thing on screen; else print it again."""
        rendered = self._render_body(body)
        if rendered is None:
            return
        display_id = display_id_of(body)
        last = self._last_display
        if (
            last is not None
            and last.display_id == display_id
            and self.output.is_at(last.end)
            and self.output.erase_since(last.start)
        ):
            self._last_display = None
        self._show(rendered, display_id)

    def _show(self, rendered: RenderableType, display_id: str | None) -> None:
        self.output.start_line()
        start = self.output.screen_mark()
        self._console.print(rendered)
        if display_id is not None:
            self._last_display = ShownDisplay(display_id, start, self.output.screen_mark())

    def _render_body(self, body: Mapping[str, Any]) -> RenderableType | None:
        data = body.get("data")
        if not isinstance(data, Mapping):
            return None
        return self._render(data, body.get("metadata"))

    def _render(self, data: Mapping[str, Any], metadata: Any) -> RenderableType | None:
        return render_bundle(
            data,
            metadata if isinstance(metadata, Mapping) else None,
            priority=self.mime_order,
            image_files=self.image_files,
            capabilities=self.capabilities,
        )
