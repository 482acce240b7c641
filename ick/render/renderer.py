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

Given a widget store, it draws widget displays from their models and redraws
them in place as the models change, while they are the last thing on screen
(a run of widgets at the bottom is redrawn together), at most
:data:`REDRAW_INTERVAL` apart however fast updates come.  One that something
else was printed below is printed again, in its final state, when the cell
ends.  Where the output is not a terminal a widget is printed once, in its
state when the next output comes or the cell ends.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
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
from ick.render.mime import ImageFileNotice, render_bundle
from ick.render.mime_order import DEFAULT_MIME_ORDER
from ick.render.sanitize import plain_text, sanitize, strip_colour
from ick.render.screen_rows import ScreenMark
from ick.render.widgets import DrawnWidget, WidgetSource, WidgetView, draw_widget, view_model_id
from ick.render.writer import StreamName, TerminalWriter

#: The shortest time between two redraws of widgets: a flood of updates (tqdm with
#: ``mininterval=0``) is drawn ten times a second, in its latest state each time.
REDRAW_INTERVAL = 0.1
#: Widget displays remembered for redrawing; older ones are long gone from the screen.
MAX_SHOWN_WIDGETS = 32


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


@dataclass(eq=False)
class ShownWidget:
    """A widget display on a terminal: the rows it took, and the models its drawing read."""

    model_id: str
    prefix: Text | None  # ``Out[n]: `` when it was a result
    area: int  # the output area (execution) it belongs to
    start: ScreenMark | None = None
    end: ScreenMark | None = None
    model_ids: frozenset[str] = field(default_factory=frozenset)
    dirty: bool = False


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
        widgets: WidgetSource | None = None,
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
        self.widgets: WidgetSource | None = None
        self._widget_view: WidgetView | None = None
        self._shown_widgets: list[ShownWidget] = []
        self._live_widgets: list[ShownWidget] = []  # the run of widgets at the bottom
        self._held_widgets: list[tuple[str, Text | None]] = []  # not a terminal: drawn later
        self._redraw: asyncio.TimerHandle | None = None
        self._last_redraw = float("-inf")
        self._area = 0
        self.use_widgets(widgets)

    # -- widgets --------------------------------------------------------------------
    def use_widgets(self, widgets: WidgetSource | None) -> None:
        """Draw widget displays from ``widgets`` (a kernel's store), or stop (None)."""
        if self.widgets is not None:
            self.widgets.remove_listener(self._widget_changed)
        if self._redraw is not None:
            self._redraw.cancel()
            self._redraw = None
        self.widgets = widgets
        self._shown_widgets, self._live_widgets, self._held_widgets = [], [], []
        self._widget_view = None
        if widgets is not None:
            self._widget_view = WidgetView(
                models=widgets,
                capabilities=self.capabilities,
                mime_order=self.mime_order,
                image_files=self.image_files,
            )
            widgets.add_listener(self._widget_changed)

    def focus_widgets(
        self, *, focused: str | None, cursor: int = 0, drafts: Mapping[str, str] | None = None
    ) -> None:
        """Show the keyboard's place among the controls (see ``widget_controls``)."""
        view = self._widget_view
        if view is None:
            return
        before = view.focused
        self._widget_view = replace(view, focused=focused, cursor=cursor, drafts=drafts or {})
        for model_id in {before, focused} - {None}:
            assert model_id is not None
            self._widget_changed(model_id)

    def widgets_on_screen(self) -> list[str]:
        """The widget displays that can still be redrawn in place, top to bottom."""
        live = self._live_widgets
        if not live or not self.output.is_at(live[-1].end):
            return []
        return [shown.model_id for shown in live]

    def widget_displays(self) -> list[tuple[int, str]]:
        """The widget displays remembered, oldest first, each with the output area (execution)
        it belongs to: what :meth:`show_widgets_again` can bring back."""
        return [(shown.area, shown.model_id) for shown in self._shown_widgets if shown.model_ids]

    def show_widgets_again(self, model_ids: Sequence[str]) -> None:
        """Draw these widget displays anew at the bottom, where they can be redrawn in place
        (the keyboard operates widgets that a prompt or later output has buried)."""
        self._settle_widgets()
        self._shown_widgets = [s for s in self._shown_widgets if s.model_id not in model_ids]
        self._live_widgets = []
        for model_id in model_ids:
            self._show_widget(model_id)

    def finish_output_area(self) -> None:
        """The execution has ended: every widget shows its final state.

        Pending redraws happen now; a widget that changed but could not be redrawn in
        place (output came below it) is printed again below; where the output is not
        a terminal, widgets not yet printed are.
        """
        self._release_held_widgets()
        if self._redraw is not None:
            self._redraw.cancel()
            self._redraw = None
        self._redraw_widgets()
        # An earlier execution's too: what changed it (``with out:``, ``s.value = 8``) ran now.
        stale = [
            shown
            for shown in self._shown_widgets
            if shown.dirty and shown not in self._live_widgets
        ]
        for shown in stale:
            self._shown_widgets.remove(shown)
            self._show_widget(shown.model_id, shown.prefix)

    def _widget_changed(self, model_id: str) -> None:
        if self.output.screen is None:
            return  # held displays are drawn once, in their final state
        changed = False
        for shown in self._shown_widgets:
            if model_id in shown.model_ids:
                shown.dirty = changed = True
        if changed and self._redraw is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # no loop (in-process tests): redraw at once
                self._redraw_widgets()
                return
            delay = max(0.0, self._last_redraw + REDRAW_INTERVAL - loop.time())
            self._redraw = loop.call_later(delay, self._timed_redraw)

    def _timed_redraw(self) -> None:
        self._redraw = None
        self._last_redraw = asyncio.get_running_loop().time()
        self._redraw_widgets()

    def _redraw_widgets(self) -> None:
        """Redraw the changed widgets of the run at the bottom, and every one below them."""
        live = self._live_widgets
        first = next((index for index, shown in enumerate(live) if shown.dirty), None)
        if first is None:
            return
        if not self.output.is_at(live[-1].end) or not self.output.erase_since(live[first].start):
            # Output came below: these wait for the end of their execution.
            self._live_widgets = []
            return
        assert self._widget_view is not None
        for shown in live[first:]:
            self._print_widget(shown, draw_widget(shown.model_id, self._widget_view))
        self._live_widgets = [shown for shown in live if shown.model_ids]

    def _show_widget(self, model_id: str, prefix: Text | None = None) -> bool:
        """Draw a widget display; False when ick has no drawing for it (text is shown)."""
        if self._widget_view is None:
            return False
        drawn = draw_widget(model_id, self._widget_view)
        if drawn is None:
            return False
        if self.output.screen is None:
            self._held_widgets.append((model_id, prefix))
            return True
        self.output.start_line()
        shown = ShownWidget(model_id, prefix, self._area)
        live = self._live_widgets
        if not (live and self.output.is_at(live[-1].end)):
            live = self._live_widgets = []
        self._print_widget(shown, drawn)
        live.append(shown)
        self._shown_widgets.append(shown)
        del self._shown_widgets[:-MAX_SHOWN_WIDGETS]
        return True

    def _print_widget(self, shown: ShownWidget, drawn: DrawnWidget | None) -> None:
        shown.start = self.output.screen_mark()
        shown.dirty = False
        shown.model_ids = drawn.model_ids if drawn is not None else frozenset()
        if drawn is not None and drawn.renderable is not None:
            self._print_drawn(drawn, shown.prefix)
        shown.end = self.output.screen_mark()
        if drawn is None and shown in self._shown_widgets:
            self._shown_widgets.remove(shown)  # closed: nothing more to redraw

    def _print_drawn(self, drawn: DrawnWidget, prefix: Text | None) -> None:
        if prefix is not None:
            self._console.print(prefix, end="" if drawn.one_line else "\n")
        self._console.print(drawn.renderable)

    def _settle_widgets(self) -> None:
        """Before other output, which buries the widgets above it: a terminal's are brought up
        to date, and where the output is not a terminal, those displayed so far are printed."""
        if self._live_widgets:
            if any(shown.dirty for shown in self._live_widgets):
                self._redraw_widgets()
            self._live_widgets = []
        if self._held_widgets:
            self._release_held_widgets()

    def _release_held_widgets(self) -> None:
        held, self._held_widgets = self._held_widgets, []
        for model_id, prefix in held:
            assert self._widget_view is not None
            drawn = draw_widget(model_id, self._widget_view)
            if drawn is not None and drawn.renderable is not None:
                self.output.start_line()
                self._print_drawn(drawn, prefix)

    def handle(self, msg: Message, other: bool = False) -> None:
        """Render one iopub message; ``other`` when another client's request caused it."""
        kind = msg_type(msg)
        body = content(msg)
        if self.widgets is not None and self.widgets.captures(msg):
            return  # it is drawn inside its Output widget
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
        self._release_held_widgets()
        self._clear_pending = False
        self._output_area = self.output.screen_mark()
        self._area += 1

    def _clear(self) -> None:
        if self.output.erase_since(self._output_area, scrolled_off_too=True):
            self._last_display = None
            # The area's widgets went with it, as JupyterLab removes their views.
            self._live_widgets = []
            self._shown_widgets = [w for w in self._shown_widgets if w.area != self._area]
        self._held_widgets = []

    def write_error(self, text: str) -> None:
        self._settle_widgets()
        text = self._text_for("stderr", text)
        self.output.write("stderr", text if text.endswith("\n") else text + "\n")

    def _text_for(self, stream: StreamName, text: str) -> str:
        """Kernel text made safe, and plain where that stream takes no colour."""
        text = sanitize(text)
        colour = self._stdout_color if stream == "stdout" else self._stderr_color
        return text if colour else strip_colour(text)

    def notice(self, text: str) -> None:
        """A line of ick's own about the output (an image saved to a file): on stderr, so
        that stdout carries nothing but the program's output."""
        self.write_error(text)

    def print(self, renderable: RenderableType) -> None:
        """Print a renderable of ick's own (a banner, a notice) on stdout."""
        self._settle_widgets()
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
        if self._live_widgets or self._held_widgets:
            self._settle_widgets()
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
        model_id = view_model_id(data) if self.widgets is not None else None
        if model_id is not None:
            prompt = (
                out_prompt(body.get("execution_count"), label) if self.show_out_prompt else None
            )
            if self._show_widget(model_id, prompt):
                return
        self._settle_widgets()
        rendered = self._render(data, body.get("metadata"))
        if rendered is None:
            return
        if isinstance(rendered, ImageFileNotice):
            self.notice(rendered.text)
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
        data = body.get("data")
        model_id = view_model_id(data) if self.widgets and isinstance(data, Mapping) else None
        if model_id is not None and self._show_widget(model_id):
            return
        self._settle_widgets()
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
            self._live_widgets = []
        self._show(rendered, display_id)

    def _show(self, rendered: RenderableType, display_id: str | None) -> None:
        if isinstance(rendered, ImageFileNotice):
            self.notice(rendered.text)
            return
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
