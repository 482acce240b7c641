"""Which controls take the keyboard, in the order they are drawn (Tab, Shift-Tab).

Focus follows what is drawn: a hidden widget or a closed Accordion section
takes no focus.  The kinds of control here are also how
:meth:`~ick.render.widget_controls.WidgetKeyboard.press` tells what a key does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ick.render.widgets.models import (
    WidgetModels,
    hidden,
    model_name,
    shown_children,
    view_model_id,
)

SLIDERS = frozenset({"IntSliderModel", "FloatSliderModel", "FloatLogSliderModel"})
RANGE_SLIDERS = frozenset({"IntRangeSliderModel", "FloatRangeSliderModel"})
SELECTION_SLIDERS = frozenset({"SelectionSliderModel", "SelectionRangeSliderModel"})
CHOICES = frozenset({"DropdownModel", "RadioButtonsModel", "SelectModel", "ToggleButtonsModel"})
TEXTS = frozenset({"TextModel", "PasswordModel", "ComboboxModel", "TextareaModel"})
NUMBERS = frozenset({"IntTextModel", "FloatTextModel", "BoundedIntTextModel",
                     "BoundedFloatTextModel"})  # fmt: skip
TOGGLES = frozenset({"CheckboxModel", "ToggleButtonModel"})
SECTIONS = frozenset({"AccordionModel", "TabModel"})
FOCUSABLE = (
    SLIDERS | RANGE_SLIDERS | SELECTION_SLIDERS | CHOICES | TEXTS | NUMBERS | TOGGLES
    | SECTIONS | {"SelectMultipleModel", "ButtonModel", "PlayModel"}
)  # fmt: skip


def focusable_controls(roots: Sequence[str], models: WidgetModels) -> list[str]:
    """The controls under ``roots`` that take the keyboard, in drawing order.

    Hidden and disabled ones are left out, as are the closed sections of an
    Accordion or Tab; an Output widget's displayed widgets (``interact``'s
    output) are walked too.
    """
    found: list[str] = []
    seen: set[str] = set()

    def visit(model_id: str) -> None:
        if model_id in seen:
            return
        seen.add(model_id)
        state = models.state_of(model_id)
        if state is None or hidden(state, models.state_of):
            return
        name = model_name(state)
        if name in FOCUSABLE and not state.get("disabled"):
            found.append(model_id)
        for child in shown_children(state):
            visit(child)
        if name == "OutputModel":
            for shown in _displayed_in(state):
                visit(shown)

    for root in roots:
        visit(root)
    return found


def _displayed_in(state: Mapping[str, Any]) -> list[str]:
    outputs = state.get("outputs")
    if not isinstance(outputs, (list, tuple)):
        return []
    found = []
    for output in outputs:
        data = output.get("data") if isinstance(output, Mapping) else None
        model_id = view_model_id(data) if isinstance(data, Mapping) else None
        if model_id is not None:
            found.append(model_id)
    return found
