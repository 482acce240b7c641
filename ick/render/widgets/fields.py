"""Text and number fields: what was typed, or the kernel's value, in brackets.

A draft (typed, not yet sent) is shown in place of the model's value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group
from rich.style import Style
from rich.text import Text

from ick.render.sanitize import plain_text
from ick.render.widgets.drawing import Drawing, Drawn
from ick.render.widgets.lines import Flex, Line
from ick.render.widgets.models import finite_number, model_name
from ick.render.widgets.values import description, string_at


def _field_text(
    drawing: Drawing, model_id: str, state: Mapping[str, Any], shown: str, width: int
) -> Text:
    placeholder = string_at(state, "placeholder")
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


def draw_text_field(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    draft = drawing.view.drafts.get(model_id)
    value = draft if draft is not None else string_at(state, "value")
    shown = " ".join(value.split("\n"))
    if model_name(state) == "PasswordModel":
        shown = "•" * len(shown)
    return Line(
        [
            description(drawing, state),
            Flex(12, 32, lambda width: _field_text(drawing, model_id, state, shown, width)),
        ]
    )


def draw_textarea(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    draft = drawing.view.drafts.get(model_id)
    value = draft if draft is not None else string_at(state, "value")
    style = drawing.control_style(model_id, state)
    lines = value.split("\n") if value else [string_at(state, "placeholder")]
    body = Text()
    for number, line in enumerate(lines):
        body.append("\n" if number else "")
        body.append("│ ", style="dim")
        body.append(line, style=style if value else style + Style(dim=True))
    label = description(drawing, state)
    return Group(label, body) if label.plain else body


def draw_number_field(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    draft = drawing.view.drafts.get(model_id)
    if draft is not None:
        shown = plain_text(draft)
    else:
        integral = model_name(state).startswith(("Int", "BoundedInt"))
        value = finite_number(state.get("value"))
        shown = str(round(value)) if integral else repr(value)
    style = drawing.control_style(model_id, state)
    return Line([description(drawing, state), Text(f"[ {shown} ]", style=style)])
