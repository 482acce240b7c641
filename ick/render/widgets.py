"""Jupyter widgets drawn in the terminal: a model and its children → a rich renderable.

A widget display (``application/vnd.jupyter.widget-view+json``) names a model;
what to draw is that model's current state, with its children, layout and
style looked up by id through :class:`WidgetModels`, a read-only interface
that the kernel layer's store satisfies (this module knows no kernel).
Drawing is a function of the models and the terminal, like every other
output: the caller redraws when a model changes.

Most controls are one line (:class:`_Line`), with a flexible part for a bar
or a slider's track, so that a row of them (an ``HBox``) stays one line and
its bars share the width.  A tqdm.auto bar, an HBox of HTML, a progress bar
and HTML, therefore reads like tqdm's text bar:
``100%|██████████| 100/100 [00:01<00:00, 93.2it/s]``.

Every string a kernel put in a model reaches the terminal through the
sanitiser (:func:`plain_text`, or ick's HTML and LaTeX renderers, which use it).
Models of other libraries and kinds ick does not know give ``None``, so that
the caller falls back to the display's text/plain.
"""

from __future__ import annotations

import base64
import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from rich.color import Color, ColorParseError
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ick.messages import Message, error_text
from ick.render.capabilities import TerminalCapabilities
from ick.render.html import render_html
from ick.render.image_files import ImageFiles
from ick.render.images import image_renderable
from ick.render.latex import latex_to_text
from ick.render.mime import render_bundle
from ick.render.mime_order import DEFAULT_MIME_ORDER
from ick.render.sanitize import plain_text, sanitize
from ick.render.svg import svg_to_png

__all__ = [
    "WIDGET_VIEW_MIME",
    "DrawnWidget",
    "WidgetModels",
    "WidgetSource",
    "WidgetView",
    "children_of",
    "draw_widget",
    "reference_id",
    "render_widget",
    "render_widget_bundle",
    "shown_children",
    "titles_of",
    "view_model_id",
    "widget_text",
]

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
_REFERENCE = "IPY_MODEL_"
#: Deeper than any real layout; a kernel's model that contains itself stops here too.
MAX_DEPTH = 32

BAR_STYLES = {
    "success": "green",
    "info": "cyan",
    "warning": "yellow",
    "danger": "red",
    "primary": "blue",
}
DEFAULT_BAR = "blue"
FOCUSED = Style(reverse=True)
DISABLED = Style(dim=True)
# tqdm's own partial blocks, so that a widget bar reads like its text bar.
_EIGHTHS = " ▏▎▍▌▋▊▉"


class WidgetModels(Protocol):
    """Read-only access to widget models by id (the kernel layer's store satisfies it)."""

    def state_of(self, model_id: str) -> Mapping[str, Any] | None:
        """A model's state (``_model_name`` and the rest), or None when it is not open."""


class WidgetSource(WidgetModels, Protocol):
    """What the output renderer needs of the store: models, change news, the Output
    widget's capture."""

    def add_listener(self, listener: Callable[[str], None]) -> None: ...

    def remove_listener(self, listener: Callable[[str], None]) -> None: ...

    def captures(self, msg: Message) -> bool:
        """Whether ``msg`` went into an Output widget instead of the ordinary output."""


@dataclass(frozen=True, kw_only=True)
class WidgetView:
    """What a widget's drawing depends on besides the models: the terminal, and the
    keyboard's place among the controls (see :mod:`ick.render.widget_controls`)."""

    models: WidgetModels
    capabilities: TerminalCapabilities | None = None
    mime_order: Sequence[str] = DEFAULT_MIME_ORDER
    #: Where images go when the output is not a terminal (scripts, logs).
    image_files: ImageFiles | None = None
    focused: str | None = None
    #: Within the focused control: the option under the cursor, or the range handle moved.
    cursor: int = 0
    #: Text typed into a field and not yet sent (number fields, ``continuous_update=False``).
    drafts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DrawnWidget:
    """A widget drawn, and every model its drawing read: a change to any of them redraws it."""

    renderable: RenderableType | None
    """None when there is nothing to show (hidden, an empty Output widget)."""
    model_ids: frozenset[str]

    @property
    def one_line(self) -> bool:
        """Whether it is drawn as one line (so ``Out[n]:`` can precede it on that line)."""
        return isinstance(self.renderable, _Line)


def view_model_id(data: Mapping[str, Any]) -> str | None:
    """The model a bundle's widget view names, if it has one."""
    view = data.get(WIDGET_VIEW_MIME)
    if not isinstance(view, Mapping):
        return None
    model_id = view.get("model_id")
    return model_id if isinstance(model_id, str) and model_id else None


def reference_id(value: Any) -> str | None:
    """The model id in a state's ``"IPY_MODEL_<id>"`` reference."""
    if isinstance(value, str) and value.startswith(_REFERENCE) and len(value) > len(_REFERENCE):
        return value[len(_REFERENCE) :]
    return None


def draw_widget(model_id: str, view: WidgetView) -> DrawnWidget | None:
    """The widget drawn from its current state; None when ick has no drawing for it
    (not open, another library's, a kind ick does not know)."""
    drawing = _Drawing(view)
    state = drawing.state(model_id)
    if state is None or _model_name(state) not in _DRAWERS:
        return None
    renderable = drawing.widget(model_id)
    if isinstance(renderable, _Unknown):
        return None
    return DrawnWidget(renderable, frozenset(drawing.read))


def render_widget(model_id: str, view: WidgetView) -> RenderableType | None:
    """The widget as a renderable (an empty Text when it is hidden), or None as for
    :func:`draw_widget`."""
    drawn = draw_widget(model_id, view)
    if drawn is None:
        return None
    return drawn.renderable if drawn.renderable is not None else Text("", end="")


def render_widget_bundle(
    data: Mapping[str, Any], metadata: Mapping[str, Any] | None, view: WidgetView
) -> RenderableType | None:
    """A bundle's widget drawn when it has one ick can draw, else its best other form."""
    model_id = view_model_id(data)
    if model_id is not None:
        drawn = render_widget(model_id, view)
        if drawn is not None:
            return drawn
    return _other_form(data, metadata, view)


def widget_text(model_id: str, view: WidgetView, width: int = 80) -> str | None:
    """The widget's final state as plain text with no escapes (a finished progress bar as
    one line), for scripts and logs; None as for :func:`draw_widget`."""
    drawn = draw_widget(model_id, view)
    if drawn is None:
        return None
    if drawn.renderable is None:
        return ""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        no_color=True,
        highlight=False,
        markup=False,
        emoji=False,
    )
    console.print(drawn.renderable, soft_wrap=True)
    lines = [line.rstrip() for line in buffer.getvalue().split("\n")]
    return "\n".join(lines).strip("\n")


def _other_form(
    data: Mapping[str, Any], metadata: Mapping[str, Any] | None, view: WidgetView
) -> RenderableType | None:
    others = {key: value for key, value in data.items() if key != WIDGET_VIEW_MIME}
    if not others:
        return None
    return render_bundle(
        others,
        metadata,
        priority=view.mime_order,
        image_files=view.image_files,
        capabilities=view.capabilities,
    )


# -- lines with flexible parts ---------------------------------------------------------
@dataclass(frozen=True)
class _Flex:
    """A part of a line that takes the room left over, between two widths: a bar, a track."""

    least: int
    most: int
    draw: Callable[[int], Text]


class _Line:
    """One line of text parts and flexible parts: what most controls are drawn as."""

    def __init__(self, parts: Sequence[Text | _Flex] = ()) -> None:
        self.parts: list[Text | _Flex] = [part for part in parts if not _is_blank(part)]

    def then(self, other: _Line, gap: str) -> _Line:
        if not self.parts:
            return other
        if not other.parts:
            return self
        joint: list[Text | _Flex] = [Text(gap)] if gap else []
        return _Line([*self.parts, *joint, *other.parts])

    def _widths(self) -> tuple[int, int, int]:
        fixed = sum(part.cell_len for part in self.parts if isinstance(part, Text))
        flexes = [part for part in self.parts if isinstance(part, _Flex)]
        return fixed, sum(flex.least for flex in flexes), sum(flex.most for flex in flexes)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        fixed, least, most = self._widths()
        return Measurement(fixed + least, fixed + most).clamp(max_width=options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.text(options.max_width)

    def text(self, width: int) -> Text:
        """The line at ``width`` cells: the flexible parts share what the text leaves."""
        fixed, least, _ = self._widths()
        flexes = [part for part in self.parts if isinstance(part, _Flex)]
        sizes = {id(flex): flex.least for flex in flexes}
        spare = max(width - fixed - least, 0)
        growing = [flex for flex in flexes if flex.most > flex.least]
        while spare > 0 and growing:
            share = max(spare // len(growing), 1)
            for flex in list(growing):
                grow = min(share, flex.most - sizes[id(flex)], spare)
                sizes[id(flex)] += grow
                spare -= grow
                if sizes[id(flex)] >= flex.most:
                    growing.remove(flex)
                if spare <= 0:
                    break
        line = Text()
        for part in self.parts:
            line.append_text(part if isinstance(part, Text) else part.draw(sizes[id(part)]))
        return line


def _is_blank(part: Text | _Flex) -> bool:
    return isinstance(part, Text) and not part.plain


class _Picture:
    """An image among widgets: never put in a table cell, where its escape sequences would
    be cut; a row holding one is drawn as a column instead."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.renderable


class _Unknown:
    """Marks a model ick has no drawing for, inside a drawing."""


_UNKNOWN = _Unknown()
Drawn = RenderableType | None


# -- the drawing of one tree -------------------------------------------------------------
class _Drawing:
    def __init__(self, view: WidgetView) -> None:
        self.view = view
        self.read: set[str] = set()
        self._path: list[str] = []
        self.pictures = 0  # images drawn: a row holding one becomes a column

    def state(self, model_id: str) -> Mapping[str, Any] | None:
        self.read.add(model_id)
        return self.view.models.state_of(model_id)

    def widget(self, model_id: str) -> Drawn | _Unknown:
        """One model drawn: None when hidden or empty, _UNKNOWN when ick cannot draw it."""
        if model_id in self._path or len(self._path) >= MAX_DEPTH:
            return _UNKNOWN
        state = self.state(model_id)
        if state is None:
            return _UNKNOWN
        drawer = _DRAWERS.get(_model_name(state))
        if drawer is None or not _module_drawn(state):
            return _UNKNOWN
        if self.hidden(state):
            return None
        self._path.append(model_id)
        try:
            return drawer(self, model_id, state)
        finally:
            self._path.pop()

    def child(self, model_id: str) -> Drawn:
        """A child inside a container: what ick cannot draw is named, not dropped."""
        drawn = self.widget(model_id)
        if isinstance(drawn, _Unknown):
            state = self.view.models.state_of(model_id)
            name = _model_name(state) if state is not None else ""
            label = plain_text(name.removesuffix("Model")) or "widget"
            return _Line([Text(f"[{label}]", style="dim")])
        return drawn

    def hidden(self, state: Mapping[str, Any]) -> bool:
        layout_id = reference_id(state.get("layout"))
        layout = self.state(layout_id) if layout_id is not None else None
        if layout is None:
            return False
        return layout.get("visibility") == "hidden" or layout.get("display") == "none"

    def style_of(self, state: Mapping[str, Any]) -> Mapping[str, Any]:
        style_id = reference_id(state.get("style"))
        style = self.state(style_id) if style_id is not None else None
        return style if style is not None else {}

    def focused(self, model_id: str) -> bool:
        return self.view.focused == model_id

    def control_style(self, model_id: str, state: Mapping[str, Any]) -> Style:
        style = Style()
        if state.get("disabled"):
            style += DISABLED
        if self.focused(model_id):
            style += FOCUSED
        return style

    # -- bundles inside an Output widget ------------------------------------------
    def bundle(self, data: Mapping[str, Any], metadata: Any) -> Drawn:
        model_id = view_model_id(data)
        if model_id is not None:
            drawn = self.widget(model_id)
            if not isinstance(drawn, _Unknown):
                return drawn
        return _other_form(data, metadata if isinstance(metadata, Mapping) else None, self.view)


Drawer = Callable[[_Drawing, str, Mapping[str, Any]], Drawn]


def _model_name(state: Mapping[str, Any]) -> str:
    name = state.get("_model_name")
    return name if isinstance(name, str) else ""


def _module_drawn(state: Mapping[str, Any]) -> bool:
    module = state.get("_model_module")
    return isinstance(module, str) and module.startswith("@jupyter-widgets/")


def _string(state: Mapping[str, Any], key: str) -> str:
    value = state.get(key)
    return plain_text(value) if isinstance(value, str) else ""


def _number(value: Any, default: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return float(value) if math.isfinite(value) else default


def _description(drawing: _Drawing, state: Mapping[str, Any]) -> Text:
    """The control's label, then a space (nothing when it has none)."""
    value = state.get("description")
    if not isinstance(value, str) or not value:
        return Text("")
    label = _html_plain(value) if state.get("description_allow_html") else plain_text(value)
    return Text(label + " ") if label else Text("")


def _html_plain(source: str) -> str:
    """An HTML fragment's text alone, on one line."""
    rendered = render_html(source)
    if rendered is None:
        return ""
    return " ".join(_plain_of(rendered).split("\n")).strip()


def _plain_of(renderable: RenderableType) -> str:
    if isinstance(renderable, Text):
        return renderable.plain
    if isinstance(renderable, Group):
        return "\n".join(_plain_of(item) for item in renderable.renderables)
    return ""


def _as_line(renderable: RenderableType | None) -> _Line | RenderableType | None:
    """HTML that is one line of text becomes a :class:`_Line` (to sit in a row); else as is."""
    if renderable is None:
        return None
    texts = renderable.renderables if isinstance(renderable, Group) else [renderable]
    if len(texts) == 1 and isinstance(texts[0], Text) and "\n" not in texts[0].plain:
        text = texts[0]
        if "\u2007" in text.plain:
            # Figure spaces (tqdm's, against HTML's collapsing of spaces) are spaces here,
            # and a log reads ``100/100 [00:01<00:00`` as tqdm's text bar writes it.
            text = Text(text.plain.replace("\u2007", " "), style=text.style, spans=text.spans)
        return _Line([text])
    return renderable


def _format(value: float, spec: Any, integral: bool) -> str:
    """A readout in the widget's ``readout_format`` (d3's, mostly Python's own)."""
    if integral:
        value = round(value)
    if isinstance(spec, str) and spec:
        try:
            return format(int(value) if integral and spec.endswith("d") else value, spec)
        except (ValueError, TypeError):
            pass
    return str(int(value)) if integral else f"{value:.2f}"


def _colour(value: Any) -> str | None:
    """A CSS colour rich knows (names and ``#rrggbb``), else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        Color.parse(value)
    except ColorParseError:
        return None
    return value


def _options(state: Mapping[str, Any]) -> list[str]:
    labels = state.get("_options_labels")
    if not isinstance(labels, (list, tuple)):
        return []
    return [plain_text(label) if isinstance(label, str) else str(label) for label in labels]


def _index(state: Mapping[str, Any], count: int) -> int | None:
    index = state.get("index")
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < count:
        return index
    return None


def _indices(state: Mapping[str, Any], count: int) -> list[int]:
    index = state.get("index")
    if not isinstance(index, (list, tuple)):
        return []
    return [
        item
        for item in index
        if isinstance(item, int) and not isinstance(item, bool) and 0 <= item < count
    ]


# -- progress bars, sliders ----------------------------------------------------------------
def _bar_text(fraction: float, width: int, style: str | None, framed: bool = True) -> Text:
    inner = max(width - 2, 1) if framed else max(width, 1)
    eighths = round(max(0.0, min(fraction, 1.0)) * inner * 8)
    full, part = divmod(eighths, 8)
    filled = "█" * full + (_EIGHTHS[part] if part and full < inner else "")
    text = Text("|" if framed else "", end="")
    text.append(filled, style=style)
    text.append(" " * (inner - len(filled)))
    if framed:
        text.append("|")
    return text


def _fraction(value: float, low: float, high: float) -> float:
    if high <= low:
        return 1.0 if value >= high else 0.0
    return (value - low) / (high - low)


def _progress(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    low, high = _number(state.get("min")), _number(state.get("max"), 100.0)
    fraction = _fraction(_number(state.get("value")), low, high)
    bar_style = state.get("bar_style")
    colour = _colour(drawing.style_of(state).get("bar_color")) or BAR_STYLES.get(
        bar_style if isinstance(bar_style, str) else "", DEFAULT_BAR
    )
    return _Line(
        [
            _description(drawing, state),
            _Flex(12, 52, lambda width: _bar_text(fraction, width, colour)),
        ]
    )


def _track(fractions: Sequence[float], width: int, style: Style, handle: int | None) -> Text:
    """A slider's track: ``━━━●────``, the part up to the handle (or between two) filled."""
    width = max(width, 3)
    spots = [round(max(0.0, min(f, 1.0)) * (width - 1)) for f in fractions]
    text = Text(end="")
    if len(spots) == 1:
        text.append("━" * spots[0], style=style)
    else:
        text.append("─" * spots[0], style="dim")
    for which, spot in enumerate(spots):
        text.append("●", style=FOCUSED if handle == which else "bold")
        if which + 1 < len(spots):
            text.append("━" * max(spots[which + 1] - spot - 1, 0), style=style)
    text.append("─" * (width - 1 - spots[-1]), style="dim")
    return text


def _slider(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    name = _model_name(state)
    integral = name.startswith("Int")
    low, high = _number(state.get("min")), _number(state.get("max"), 100.0)
    value = _number(state.get("value"))
    if name == "FloatLogSliderModel":
        base = _number(state.get("base"), 10.0)
        exponent = math.log(value, base) if value > 0 and base > 0 and base != 1 else low
        fraction = _fraction(exponent, low, high)
    else:
        fraction = _fraction(value, low, high)
    readout = _format(value, state.get("readout_format"), integral)
    return _slider_line(drawing, model_id, state, [fraction], readout)


def _range_slider(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    integral = _model_name(state).startswith("Int")
    low, high = _number(state.get("min")), _number(state.get("max"), 100.0)
    value = state.get("value")
    pair = list(value) if isinstance(value, (list, tuple)) and len(value) == 2 else [low, high]
    start, end = sorted(_number(item) for item in pair)
    spec = state.get("readout_format")
    readout = f"{_format(start, spec, integral)} – {_format(end, spec, integral)}"
    fractions = [_fraction(start, low, high), _fraction(end, low, high)]
    return _slider_line(drawing, model_id, state, fractions, readout)


def _selection_slider(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    labels = _options(state)
    if _model_name(state) == "SelectionRangeSliderModel":
        picked = sorted(_indices(state, len(labels)))
        if len(picked) != 2:
            picked = [0, max(len(labels) - 1, 0)]
        readout = " – ".join(labels[i] for i in picked) if labels else ""
    else:
        index = _index(state, len(labels))
        picked = [index if index is not None else 0]
        readout = labels[picked[0]] if labels else ""
    top = max(len(labels) - 1, 1)
    return _slider_line(drawing, model_id, state, [i / top for i in picked], readout)


def _slider_line(
    drawing: _Drawing,
    model_id: str,
    state: Mapping[str, Any],
    fractions: Sequence[float],
    readout: str,
) -> _Line:
    focused = drawing.focused(model_id)
    handle = (drawing.view.cursor if len(fractions) > 1 else 0) if focused else None
    colour = _colour(drawing.style_of(state).get("handle_color")) or DEFAULT_BAR
    style = DISABLED if state.get("disabled") else Style.parse(colour)
    parts: list[Text | _Flex] = [
        _description(drawing, state),
        _Flex(10, 30, lambda width: _track(fractions, width, style, handle)),
    ]
    if state.get("readout", True):
        parts.append(Text(" " + readout, style=FOCUSED if focused else ""))
    return _Line(parts)


# -- text and number fields ------------------------------------------------------------------
def _field_text(
    drawing: _Drawing, model_id: str, state: Mapping[str, Any], shown: str, width: int
) -> Text:
    placeholder = _string(state, "placeholder")
    inner = max(width - 2, 1)
    style = drawing.control_style(model_id, state)
    text = Text("[", style=style, end="")
    if shown:
        visible = shown[-inner:]  # the end, where typing happens
        text.append(visible.ljust(inner), style=style)
    else:
        text.append(placeholder[:inner].ljust(inner), style=style + Style(dim=True))
    text.append("]", style=style)
    return text


def _text_field(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    draft = drawing.view.drafts.get(model_id)
    value = draft if draft is not None else _string(state, "value")
    shown = " ".join(value.split("\n"))
    if _model_name(state) == "PasswordModel":
        shown = "•" * len(shown)
    return _Line(
        [
            _description(drawing, state),
            _Flex(12, 32, lambda width: _field_text(drawing, model_id, state, shown, width)),
        ]
    )


def _textarea(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    draft = drawing.view.drafts.get(model_id)
    value = draft if draft is not None else _string(state, "value")
    style = drawing.control_style(model_id, state)
    lines = value.split("\n") if value else [_string(state, "placeholder")]
    body = Text()
    for number, line in enumerate(lines):
        body.append("\n" if number else "")
        body.append("│ ", style="dim")
        body.append(line, style=style if value else style + Style(dim=True))
    label = _description(drawing, state)
    return Group(label, body) if label.plain else body


def _number_field(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    draft = drawing.view.drafts.get(model_id)
    if draft is not None:
        shown = plain_text(draft)
    else:
        integral = _model_name(state).startswith(("Int", "BoundedInt"))
        value = _number(state.get("value"))
        shown = str(round(value)) if integral else repr(value)
    style = drawing.control_style(model_id, state)
    return _Line([_description(drawing, state), Text(f"[ {shown} ]", style=style)])


# -- buttons and boxes ------------------------------------------------------------------------
def _checkbox(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    mark = "[x]" if state.get("value") else "[ ]"
    label = _description(drawing, state).plain.rstrip()
    parts = [Text(mark, style=drawing.control_style(model_id, state))]
    if label:
        parts.append(Text(" " + label))
    return _Line(parts)


def _button_colour(state: Mapping[str, Any]) -> str:
    style = state.get("button_style")
    return BAR_STYLES.get(style, "") if isinstance(style, str) else ""


def _button(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    label = _string(state, "description") or _string(state, "icon")
    style = Style.parse(_button_colour(state) or "none") + Style(bold=True)
    style += drawing.control_style(model_id, state)
    return _Line([Text(f"[ {label} ]", style=style)])


def _toggle_button(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    label = _string(state, "description") or _string(state, "icon")
    pressed = bool(state.get("value"))
    style = Style.parse(_button_colour(state) or "none") + Style(bold=pressed)
    style += drawing.control_style(model_id, state)
    return _Line([Text(f"[{'✓' if pressed else ' '} {label}]", style=style)])


def _valid(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    if state.get("value"):
        mark = Text("✔", style="green")
    else:
        mark = Text("✘ " + (_string(state, "readout") or "Invalid"), style="red")
    return _Line([_description(drawing, state), mark])


def _dropdown(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    labels = _options(state)
    index = _index(state, len(labels))
    shown = labels[index] if index is not None else ""
    style = drawing.control_style(model_id, state)
    return _Line([_description(drawing, state), Text(f"[{shown} ▾]", style=style)])


def _toggle_buttons(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    labels = _options(state)
    index = _index(state, len(labels))
    focused = drawing.focused(model_id)
    parts: list[Text | _Flex] = [_description(drawing, state)]
    colour = _button_colour(state)
    for number, label in enumerate(labels):
        if number == index:
            style = Style.parse(colour or "none") + Style(bold=True)
            parts.append(Text(f"[{label}]", style=style + (FOCUSED if focused else Style())))
        else:
            parts.append(Text(f" {label} ", style=DISABLED if state.get("disabled") else ""))
    return _Line(parts)


def _choices(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    """RadioButtons, Select and SelectMultiple: one option a line."""
    name = _model_name(state)
    labels = _options(state)
    focused = drawing.focused(model_id)
    if name == "SelectMultipleModel":
        chosen = set(_indices(state, len(labels)))
        cursor = drawing.view.cursor if focused else None
    else:
        index = _index(state, len(labels))
        chosen = {index} if index is not None else set()
        cursor = index if focused else None
    first, last = 0, len(labels)
    rows = state.get("rows")
    if name != "RadioButtonsModel" and isinstance(rows, int) and 0 < rows < len(labels):
        # A list box shows ``rows`` options, scrolled to keep the cursor (or choice) in view.
        anchor = cursor if cursor is not None else min(chosen, default=0)
        first = max(0, min(anchor - rows // 2, len(labels) - rows))
        last = first + rows
    lines = Text()
    for number in range(first, last):
        if number > first:
            lines.append("\n")
        if name == "RadioButtonsModel":
            mark = "(•) " if number in chosen else "( ) "
        elif name == "SelectMultipleModel":
            mark = "[x] " if number in chosen else "[ ] "
        else:
            mark = "› " if number in chosen else "  "
        style = FOCUSED if number == cursor else Style()
        if state.get("disabled"):
            style += DISABLED
        lines.append(mark + labels[number], style=style)
    label = _description(drawing, state)
    if not label.plain:
        return lines
    table = Table.grid(padding=(0, 0))
    table.add_row(label, lines)
    return table


def _play(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    playing = bool(state.get("playing"))
    value = round(_number(state.get("value")))
    high = round(_number(state.get("max"), 100.0))
    style = drawing.control_style(model_id, state)
    return _Line(
        [_description(drawing, state), Text("[||]" if playing else "[▶]", style=style),
         Text(f" {value} / {high}")]
    )  # fmt: skip


def _label(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    return _Line([_description(drawing, state), Text(_string(state, "value"))])


def _html(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    value = state.get("value")
    source = value if isinstance(value, str) else ""
    if _model_name(state) == "HTMLMathModel" and ("$" in source or "\\(" in source):
        rendered: RenderableType | None = Text(latex_to_text(_html_plain(source)))
    else:
        rendered = render_html(source)
    body = _as_line(rendered)
    label = _description(drawing, state)
    if isinstance(body, _Line):
        return _Line([label]).then(body, "")
    if body is None:
        return _Line([label]) if label.plain else None
    return Group(label, body) if label.plain else body


def _image(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    value = state.get("value")
    kind = _string(state, "format") or "png"
    if kind == "url":
        address = bytes(value).decode("utf-8", "replace") if isinstance(value, bytes) else ""
        return _Line([Text(f"[image: {plain_text(address)}]", style="dim")])
    if not isinstance(value, bytes) or not value:
        return None
    mime = f"image/{'svg+xml' if kind == 'svg' else kind}"
    size = {key: state[key] for key in ("width", "height") if state.get(key)}
    view = drawing.view
    if view.capabilities is not None and view.capabilities.draws_images:
        payload: bytes | None = value
        if mime == "image/svg+xml":
            payload = svg_to_png(value.decode("utf-8", "replace"))
            mime = "image/png"
        if payload is not None:
            picture = image_renderable(payload, mime, size, view.capabilities)
            if picture is not None:
                drawing.pictures += 1
                return _Picture(picture)
    if view.image_files is not None:
        saved = view.image_files.save(mime, base64.b64encode(value).decode("ascii"))
        if saved is not None:
            return _Line([Text(f"[{mime} saved to {saved}]")])
    return _Line([Text(f"[{mime}: {len(value)} bytes]", style="dim")])


def _output(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    """The Output widget: what it captured, drawn as the ordinary output path draws it."""
    outputs = state.get("outputs")
    if not isinstance(outputs, (list, tuple)):
        return None
    items: list[RenderableType] = []
    for output in outputs:
        if not isinstance(output, Mapping):
            continue
        kind = output.get("output_type")
        if kind == "stream":
            text = output.get("text")
            if isinstance(text, list):
                text = "".join(str(chunk) for chunk in text)
            if isinstance(text, str) and text:
                items.append(Text.from_ansi(sanitize(text).removesuffix("\n")))
        elif kind in ("display_data", "execute_result"):
            data = output.get("data")
            if isinstance(data, Mapping):
                drawn = drawing.bundle(data, output.get("metadata"))
                if drawn is not None:
                    items.append(drawn)
        elif kind == "error":
            items.append(Text.from_ansi(sanitize(error_text(output))))
    if not items:
        return None
    return items[0] if len(items) == 1 else Group(*items)


# -- containers ------------------------------------------------------------------------------
def children_of(state: Mapping[str, Any]) -> list[str]:
    """A container's children, by model id, in order."""
    children = state.get("children")
    if not isinstance(children, (list, tuple)):
        return []
    return [model_id for model_id in map(reference_id, children) if model_id is not None]


def shown_children(state: Mapping[str, Any]) -> list[str]:
    """The children a drawing shows: an Accordion, Tab or Stack shows only its open one."""
    children = children_of(state)
    if _model_name(state) in ("AccordionModel", "TabModel", "StackModel"):
        index = state.get("selected_index")
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(children):
            return [children[index]]
        return []
    return children


def titles_of(state: Mapping[str, Any], count: int) -> list[str]:
    """An Accordion's or Tab's titles (ipywidgets 8's ``titles``, 7's ``_titles``)."""
    titles = state.get("titles")
    found: list[str] = []
    if isinstance(titles, (list, tuple)):
        found = [plain_text(title) if isinstance(title, str) else "" for title in titles]
    old = state.get("_titles")
    if not found and isinstance(old, Mapping):
        found = [_string(old, str(index)) for index in range(count)]
    found = found[:count] + [""] * (count - len(found))
    return [title or f"{index + 1}" for index, title in enumerate(found)]


def _box(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    children = [drawing.child(child) for child in children_of(state)]
    drawn = [child for child in children if child is not None]
    if not drawn:
        return None
    if _model_name(state) in ("VBoxModel", "BoxModel"):
        return drawn[0] if len(drawn) == 1 else Group(*drawn)
    return _row(drawing, state, drawn)


def _row(drawing: _Drawing, state: Mapping[str, Any], drawn: list[RenderableType]) -> Drawn:
    if all(isinstance(child, _Line) for child in drawn):
        # tqdm.auto's HTML, bar, HTML: joined without gaps, as tqdm writes its text bar.
        gap = "" if _looks_like_tqdm(drawing, state) else " "
        line = _Line()
        for child in drawn:
            assert isinstance(child, _Line)
            line = line.then(child, gap)
        return line
    if any(isinstance(child, _Picture) for child in drawn) or drawing.pictures:
        return Group(*drawn)
    table = Table.grid(padding=(0, 1))
    table.add_row(*drawn)
    return table


def _looks_like_tqdm(drawing: _Drawing, state: Mapping[str, Any]) -> bool:
    names = []
    for child in children_of(state):
        child_state = drawing.view.models.state_of(child)
        names.append(_model_name(child_state) if child_state is not None else "")
    return (
        len(names) == 3
        and names[0] == names[2] == "HTMLModel"
        and names[1].endswith("ProgressModel")
    )


_GRID_REPEAT = re.compile(r"repeat\(\s*(\d+)\s*,")


def _grid_columns(drawing: _Drawing, state: Mapping[str, Any]) -> int:
    layout_id = reference_id(state.get("layout"))
    layout = drawing.state(layout_id) if layout_id is not None else None
    template = layout.get("grid_template_columns") if layout is not None else None
    if not isinstance(template, str) or not template.strip():
        return 1
    repeat = _GRID_REPEAT.search(template)
    if repeat:
        return max(1, min(int(repeat.group(1)), 12))
    depth, count, in_token = 0, 0, False
    for char in template:
        depth += (char == "(") - (char == ")")
        if char.isspace() and depth == 0:
            in_token = False
        elif not in_token:
            in_token, count = True, count + 1
    return max(1, min(count, 12))


def _grid_box(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    columns = _grid_columns(drawing, state)
    drawn = [child for child in map(drawing.child, children_of(state)) if child is not None]
    if not drawn:
        return None
    if columns == 1 or drawing.pictures:
        return Group(*drawn)
    table = Table.grid(padding=(0, 2))
    for _ in range(columns):
        table.add_column()
    for start in range(0, len(drawn), columns):
        row = drawn[start : start + columns]
        table.add_row(*row, *[Text("")] * (columns - len(row)))
    return table


def _sections(drawing: _Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    """Accordion and Tab: every title, and the open child below its title (or the bar)."""
    name = _model_name(state)
    children = children_of(state)
    titles = titles_of(state, len(children))
    open_children = shown_children(state)
    focused = drawing.focused(model_id)
    index = children.index(open_children[0]) if open_children else None
    body: Drawn = drawing.child(open_children[0]) if open_children else None
    if name == "StackModel":
        return body
    if name == "TabModel":
        bar = Text()
        for number, title in enumerate(titles):
            if number == index:
                bar.append(f"[{title}]", style=Style(bold=True) + (FOCUSED if focused else Style()))
            else:
                bar.append(f" {title} ", style="dim")
        return Group(bar, body) if body is not None else bar
    parts: list[RenderableType] = []
    for number, title in enumerate(titles):
        is_open = number == index
        style = Style(bold=is_open) + (FOCUSED if focused and is_open else Style())
        parts.append(Text(("▾ " if is_open else "▸ ") + title, style=style))
        if is_open and body is not None:
            parts.append(Padding(body, (0, 0, 0, 2)))
    return Group(*parts) if parts else None


_DRAWERS: dict[str, Drawer] = {
    "IntProgressModel": _progress,
    "FloatProgressModel": _progress,
    "LabelModel": _label,
    "HTMLModel": _html,
    "HTMLMathModel": _html,
    "ValidModel": _valid,
    "IntSliderModel": _slider,
    "FloatSliderModel": _slider,
    "FloatLogSliderModel": _slider,
    "IntRangeSliderModel": _range_slider,
    "FloatRangeSliderModel": _range_slider,
    "SelectionSliderModel": _selection_slider,
    "SelectionRangeSliderModel": _selection_slider,
    "TextModel": _text_field,
    "PasswordModel": _text_field,
    "ComboboxModel": _text_field,
    "TextareaModel": _textarea,
    "IntTextModel": _number_field,
    "FloatTextModel": _number_field,
    "BoundedIntTextModel": _number_field,
    "BoundedFloatTextModel": _number_field,
    "CheckboxModel": _checkbox,
    "ToggleButtonModel": _toggle_button,
    "ButtonModel": _button,
    "DropdownModel": _dropdown,
    "RadioButtonsModel": _choices,
    "SelectModel": _choices,
    "SelectMultipleModel": _choices,
    "ToggleButtonsModel": _toggle_buttons,
    "PlayModel": _play,
    "ImageModel": _image,
    "BoxModel": _box,
    "HBoxModel": _box,
    "VBoxModel": _box,
    "GridBoxModel": _grid_box,
    "AccordionModel": _sections,
    "TabModel": _sections,
    "StackModel": _sections,
    "OutputModel": _output,
}
