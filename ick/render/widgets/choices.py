"""Choices among options: Dropdown, ToggleButtons, RadioButtons, Select, SelectMultiple."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.style import Style
from rich.table import Table
from rich.text import Text

from ick.render.widgets.buttons import button_colour
from ick.render.widgets.drawing import DISABLED, FOCUSED, Drawing, Drawn
from ick.render.widgets.lines import Flex, Line
from ick.render.widgets.models import model_name
from ick.render.widgets.values import chosen_index, chosen_indices, description, option_labels


def draw_dropdown(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    labels = option_labels(state)
    index = chosen_index(state, len(labels))
    shown = labels[index] if index is not None else ""
    style = drawing.control_style(model_id, state)
    return Line([description(drawing, state), Text(f"[{shown} ▾]", style=style)])


def draw_toggle_buttons(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    labels = option_labels(state)
    index = chosen_index(state, len(labels))
    focused = drawing.focused(model_id)
    parts: list[Text | Flex] = [description(drawing, state)]
    colour = button_colour(state)
    for number, label in enumerate(labels):
        if number == index:
            style = Style.parse(colour or "none") + Style(bold=True)
            parts.append(Text(f"[{label}]", style=style + (FOCUSED if focused else Style())))
        else:
            parts.append(Text(f" {label} ", style=DISABLED if state.get("disabled") else ""))
    return Line(parts)


def draw_choices(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    """RadioButtons, Select and SelectMultiple: one option a line."""
    name = model_name(state)
    labels = option_labels(state)
    focused = drawing.focused(model_id)
    if name == "SelectMultipleModel":
        chosen = set(chosen_indices(state, len(labels)))
        cursor = drawing.view.cursor if focused else None
    else:
        index = chosen_index(state, len(labels))
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
    label = description(drawing, state)
    if not label.plain:
        return lines
    table = Table.grid(padding=(0, 0))
    table.add_row(label, lines)
    return table
