"""A model's values as controls show them: labels, readouts, colours, options.

Every string a kernel put in a model goes through the sanitiser
(:func:`~ick.render.sanitize.plain_text`, or ick's HTML renderer, which uses it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.color import Color, ColorParseError
from rich.console import Group, RenderableType
from rich.text import Text

from ick.render.html import render_html
from ick.render.sanitize import plain_text
from ick.render.widgets.drawing import Drawing
from ick.render.widgets.lines import Line

BAR_STYLES = {
    "success": "green",
    "info": "cyan",
    "warning": "yellow",
    "danger": "red",
    "primary": "blue",
}
DEFAULT_BAR = "blue"


def string_at(state: Mapping[str, Any], key: str) -> str:
    """The string at ``key``, sanitised; "" when there is none."""
    value = state.get(key)
    return plain_text(value) if isinstance(value, str) else ""


def description(drawing: Drawing, state: Mapping[str, Any]) -> Text:
    """The control's label, then a space (nothing when it has none)."""
    value = state.get("description")
    if not isinstance(value, str) or not value:
        return Text("")
    label = html_plain(value) if state.get("description_allow_html") else plain_text(value)
    return Text(label + " ") if label else Text("")


def html_plain(source: str) -> str:
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


def as_line(renderable: RenderableType | None) -> Line | RenderableType | None:
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
        return Line([text])
    return renderable


def format_readout(value: float, spec: Any, integral: bool) -> str:
    """A readout in the widget's ``readout_format`` (d3's, mostly Python's own)."""
    if integral:
        value = round(value)
    if isinstance(spec, str) and spec:
        try:
            return format(int(value) if integral and spec.endswith("d") else value, spec)
        except (ValueError, TypeError):
            pass
    return str(int(value)) if integral else f"{value:.2f}"


def css_colour(value: Any) -> str | None:
    """A CSS colour rich knows (names and ``#rrggbb``), else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        Color.parse(value)
    except ColorParseError:
        return None
    return value


def option_labels(state: Mapping[str, Any]) -> list[str]:
    labels = state.get("_options_labels")
    if not isinstance(labels, (list, tuple)):
        return []
    return [plain_text(label) if isinstance(label, str) else str(label) for label in labels]


def chosen_index(state: Mapping[str, Any], count: int) -> int | None:
    index = state.get("index")
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < count:
        return index
    return None


def chosen_indices(state: Mapping[str, Any], count: int) -> list[int]:
    index = state.get("index")
    if not isinstance(index, (list, tuple)):
        return []
    return [
        item
        for item in index
        if isinstance(item, int) and not isinstance(item, bool) and 0 <= item < count
    ]
