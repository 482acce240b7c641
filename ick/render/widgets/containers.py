"""Containers: Box, HBox, VBox, GridBox, and the Accordion, Tab and Stack.

A row of one-line controls stays one line; a row that holds an image is drawn
as a column instead, where the image's escape sequences are not cut.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ick.render.sanitize import plain_text
from ick.render.widgets.drawing import FOCUSED, Drawing, Drawn
from ick.render.widgets.lines import Line, Picture
from ick.render.widgets.models import children_of, model_name, reference_id, shown_children
from ick.render.widgets.values import string_at


def titles_of(state: Mapping[str, Any], count: int) -> list[str]:
    """An Accordion's or Tab's titles (ipywidgets 8's ``titles``, 7's ``_titles``)."""
    titles = state.get("titles")
    found: list[str] = []
    if isinstance(titles, (list, tuple)):
        found = [plain_text(title) if isinstance(title, str) else "" for title in titles]
    old = state.get("_titles")
    if not found and isinstance(old, Mapping):
        found = [string_at(old, str(index)) for index in range(count)]
    found = found[:count] + [""] * (count - len(found))
    return [title or f"{index + 1}" for index, title in enumerate(found)]


def draw_box(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    children = [drawing.child(child) for child in children_of(state)]
    drawn = [child for child in children if child is not None]
    if not drawn:
        return None
    if model_name(state) in ("VBoxModel", "BoxModel"):
        return drawn[0] if len(drawn) == 1 else Group(*drawn)
    return _row(drawing, state, drawn)


def _row(drawing: Drawing, state: Mapping[str, Any], drawn: list[RenderableType]) -> Drawn:
    if all(isinstance(child, Line) for child in drawn):
        # tqdm.auto's HTML, bar, HTML: joined without gaps, as tqdm writes its text bar.
        gap = "" if _looks_like_tqdm(drawing, state) else " "
        line = Line()
        for child in drawn:
            assert isinstance(child, Line)
            line = line.then(child, gap)
        return line
    if any(isinstance(child, Picture) for child in drawn) or drawing.pictures:
        return Group(*drawn)
    table = Table.grid(padding=(0, 1))
    table.add_row(*drawn)
    return table


def _looks_like_tqdm(drawing: Drawing, state: Mapping[str, Any]) -> bool:
    names = []
    for child in children_of(state):
        child_state = drawing.view.models.state_of(child)
        names.append(model_name(child_state) if child_state is not None else "")
    return (
        len(names) == 3
        and names[0] == names[2] == "HTMLModel"
        and names[1].endswith("ProgressModel")
    )


_GRID_REPEAT = re.compile(r"repeat\(\s*(\d+)\s*,")


def _grid_columns(drawing: Drawing, state: Mapping[str, Any]) -> int:
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


def draw_grid_box(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
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


def draw_sections(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    """Accordion and Tab: every title, and the open child below its title (or the bar)."""
    name = model_name(state)
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
