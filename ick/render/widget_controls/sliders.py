"""What keys do to sliders and the Play widget: steps along the value, on its grid."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ick.render.widget_controls.keys import STEPS
from ick.render.widget_controls.place import KeyboardPlace, WidgetChange
from ick.render.widgets.models import finite_number, model_name


def _snap(value: float, low: float, high: float, step: float, integral: bool) -> float | int:
    """``value`` on the control's grid of steps from ``low``, within its bounds."""
    if step > 0:
        value = low + round((value - low) / step) * step
    value = min(max(value, low), high) if high >= low else value
    if integral:
        return round(value)
    # Steps of 0.1 add up to 0.30000000000000004; the kernel would show that.
    return float(f"{value:.12g}")


class SliderKeys(KeyboardPlace):
    """Sliders (Home, End, arrows and pages), range sliders (Enter takes the other handle),
    Play (Enter plays or pauses)."""

    def _slider(self, model_id: str, state: Mapping[str, Any], key: str) -> list[WidgetChange]:
        low, high = finite_number(state.get("min")), finite_number(state.get("max"), 100.0)
        step = finite_number(state.get("step"), 1.0)
        name = model_name(state)
        value = finite_number(state.get("value"))
        if name == "FloatLogSliderModel":
            base = finite_number(state.get("base"), 10.0)
            if base <= 0 or base == 1:
                return []
            exponent = math.log(value, base) if value > 0 else low
            target = self._stepped(exponent, low, high, step, key)
            if target is None:
                return []
            new: float | int = float(f"{base ** _snap(target, low, high, step, False):.12g}")
        else:
            target = self._stepped(value, low, high, step, key)
            if target is None:
                return []
            new = _snap(target, low, high, step, name.startswith("Int"))
        if new == state.get("value"):
            return []
        return [WidgetChange(model_id, {"value": new})]

    @staticmethod
    def _stepped(value: float, low: float, high: float, step: float, key: str) -> float | None:
        if key == "home":
            return low
        if key == "end":
            return high
        if key in STEPS:
            return value + STEPS[key] * (step if step > 0 else 1.0)
        return None

    def _range_slider(
        self, model_id: str, state: Mapping[str, Any], key: str
    ) -> list[WidgetChange]:
        if key in ("enter", "space"):
            self.cursor = 1 - self.cursor  # the other handle
            return []
        low, high = finite_number(state.get("min")), finite_number(state.get("max"), 100.0)
        step = finite_number(state.get("step"), 1.0)
        value = state.get("value")
        pair = list(value) if isinstance(value, (list, tuple)) and len(value) == 2 else [low, high]
        start, end = sorted(finite_number(item) for item in pair)
        handle = 1 if self.cursor else 0
        moved = self._stepped(end if handle else start, low, high, step, key)
        if moved is None:
            return []
        integral = model_name(state).startswith("Int")
        snapped = _snap(moved, low, high, step, integral)
        # A handle stops at the other one rather than passing it.
        if handle == 0:
            new_start, new_end = min(snapped, end), end
        else:
            new_start, new_end = start, max(snapped, start)
        if integral:
            new_start, new_end = int(new_start), int(new_end)
        if (new_start, new_end) == (start, end):
            return []
        return [WidgetChange(model_id, {"value": [new_start, new_end]})]

    def _play(self, model_id: str, state: Mapping[str, Any], key: str) -> list[WidgetChange]:
        if key in ("enter", "space"):
            return [WidgetChange(model_id, {"playing": not state.get("playing")})]
        return self._slider(model_id, state, key)
