"""Buttons and marks: Button, ToggleButton, Checkbox, Valid, Play."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.style import Style
from rich.text import Text

from ick.render.widgets.drawing import Drawing, Drawn
from ick.render.widgets.lines import Line
from ick.render.widgets.models import finite_number
from ick.render.widgets.values import BAR_STYLES, description, string_at


def draw_checkbox(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    mark = "[x]" if state.get("value") else "[ ]"
    label = description(drawing, state).plain.rstrip()
    parts = [Text(mark, style=drawing.control_style(model_id, state))]
    if label:
        parts.append(Text(" " + label))
    return Line(parts)


def button_colour(state: Mapping[str, Any]) -> str:
    style = state.get("button_style")
    return BAR_STYLES.get(style, "") if isinstance(style, str) else ""


def draw_button(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    label = string_at(state, "description") or string_at(state, "icon")
    style = Style.parse(button_colour(state) or "none") + Style(bold=True)
    style += drawing.control_style(model_id, state)
    return Line([Text(f"[ {label} ]", style=style)])


def draw_toggle_button(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    label = string_at(state, "description") or string_at(state, "icon")
    pressed = bool(state.get("value"))
    style = Style.parse(button_colour(state) or "none") + Style(bold=pressed)
    style += drawing.control_style(model_id, state)
    return Line([Text(f"[{'✓' if pressed else ' '} {label}]", style=style)])


def draw_valid(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    if state.get("value"):
        mark = Text("✔", style="green")
    else:
        mark = Text("✘ " + (string_at(state, "readout") or "Invalid"), style="red")
    return Line([description(drawing, state), mark])


def draw_play(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    playing = bool(state.get("playing"))
    value = round(finite_number(state.get("value")))
    high = round(finite_number(state.get("max"), 100.0))
    style = drawing.control_style(model_id, state)
    return Line(
        [description(drawing, state), Text("[||]" if playing else "[▶]", style=style),
         Text(f" {value} / {high}")]
    )  # fmt: skip
