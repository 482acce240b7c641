"""What keys do to text and number fields: typing, and when what was typed is sent.

A field with ``continuous_update`` sends every key; another keeps a draft,
sent on Enter or when the focus moves on.  A number field's draft is sent
only when it reads as a number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ick.render.widget_controls.focus import NUMBERS
from ick.render.widget_controls.keys import STEPS
from ick.render.widget_controls.place import KeyboardPlace, WidgetChange
from ick.render.widgets.models import finite_number, model_name


class FieldKeys(KeyboardPlace):
    """Text, Password, Combobox, Textarea, and the number fields."""

    def _commit(self) -> list[WidgetChange]:
        """Send what was typed into the focused field and not yet sent."""
        model_id = self.focused
        if model_id is None or model_id not in self.drafts:
            return []
        draft = self.drafts.pop(model_id)
        state = self.models.state_of(model_id)
        if state is None:
            return []
        if model_name(state) in NUMBERS:
            value = self._parsed(state, draft)
            if value is None or value == state.get("value"):
                return []  # not a number: the field shows the kernel's value again
            return [WidgetChange(model_id, {"value": value})]
        if draft == state.get("value"):
            return []
        return [WidgetChange(model_id, {"value": draft})]

    def _text(self, model_id: str, state: Mapping[str, Any], key: str) -> list[WidgetChange]:
        value = state.get("value")
        current = self.drafts.get(model_id, value if isinstance(value, str) else "")
        textarea = model_name(state) == "TextareaModel"
        if key == "enter" and not textarea:
            changes = self._commit()
            return [*changes, WidgetChange(model_id, event={"event": "submit"})]
        if key == "backspace":
            edited = current[:-1]
        elif key == "space":
            edited = current + " "
        elif key == "enter":
            edited = current + "\n"
        elif len(key) == 1 and key.isprintable():
            edited = current + key
        else:
            return []
        if edited == current:
            return []
        if state.get("continuous_update", True):
            self.drafts.pop(model_id, None)
            return [WidgetChange(model_id, {"value": edited})]
        self.drafts[model_id] = edited  # sent on Enter, or when the focus moves on
        return []

    def _number_field(
        self, model_id: str, state: Mapping[str, Any], key: str
    ) -> list[WidgetChange]:
        integral = model_name(state).startswith(("Int", "BoundedInt"))
        if key in ("up", "down"):
            self.drafts.pop(model_id, None)
            step = finite_number(state.get("step"), 1.0)
            if not step or not math.isfinite(step):
                step = 1.0
            stepped = finite_number(state.get("value")) + STEPS[key] * step
            new = self._bounded(state, stepped, integral)
            return [] if new == state.get("value") else [WidgetChange(model_id, {"value": new})]
        if key == "enter":
            return self._commit()
        value = state.get("value")
        current = self.drafts.get(model_id)
        if current is None:
            current = str(value) if isinstance(value, (int, float)) else ""
        if key == "backspace":
            edited = current[:-1]
        elif len(key) == 1 and (key.isdigit() or key in "-+.eE"):
            edited = current + key
        else:
            return []
        self.drafts[model_id] = edited
        if state.get("continuous_update"):
            parsed = self._parsed(state, edited)
            if parsed is not None and parsed != value:
                return [WidgetChange(model_id, {"value": parsed})]
        return []

    def _parsed(self, state: Mapping[str, Any], text: str) -> float | int | None:
        integral = model_name(state).startswith(("Int", "BoundedInt"))
        try:
            number = float(text)
        except ValueError:
            return None
        if not math.isfinite(number) or (integral and number != int(number)):
            return None
        return self._bounded(state, number, integral)

    @staticmethod
    def _bounded(state: Mapping[str, Any], value: float, integral: bool) -> float | int:
        if model_name(state).startswith("Bounded"):
            low, high = finite_number(state.get("min")), finite_number(state.get("max"), 100.0)
            value = min(max(value, low), high)
        return round(value) if integral else value
