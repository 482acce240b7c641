"""What keys do to choices among options: lists, buttons, selection sliders, sections."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ick.render.widget_controls.keys import MOVES, STEPS
from ick.render.widget_controls.place import KeyboardPlace, WidgetChange
from ick.render.widgets.models import children_of, model_name


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class ChoiceKeys(KeyboardPlace):
    """Dropdown, RadioButtons, Select, ToggleButtons and the selection sliders (arrows,
    Home, End), SelectMultiple (a cursor; Enter picks), Accordion and Tab sections."""

    def _selection_slider(
        self, model_id: str, state: Mapping[str, Any], key: str
    ) -> list[WidgetChange]:
        count = _count(state)
        if count == 0:
            return []
        if model_name(state) == "SelectionRangeSliderModel":
            if key in ("enter", "space"):
                self.cursor = 1 - self.cursor
                return []
            pair = selected_indices(state)
            start, end = sorted(pair) if len(pair) == 2 else (0, count - 1)
            handle = 1 if self.cursor else 0
            moved = _moved(end if handle else start, count, key, STEPS)
            if moved is None:
                return []
            new = [min(moved, end), end] if handle == 0 else [start, max(moved, start)]
            if new == [start, end]:
                return []
            return [WidgetChange(model_id, {"index": new})]
        return self._index_change(model_id, state, count, key, STEPS)

    def _choice(self, model_id: str, state: Mapping[str, Any], key: str) -> list[WidgetChange]:
        moves = STEPS if model_name(state) == "ToggleButtonsModel" else MOVES
        return self._index_change(model_id, state, _count(state), key, moves)

    def _index_change(
        self, model_id: str, state: Mapping[str, Any], count: int, key: str, moves: dict[str, int]
    ) -> list[WidgetChange]:
        if count == 0:
            return []
        index = _whole(state.get("index"))
        if index is None or not 0 <= index < count:
            # Nothing chosen yet: the first move chooses the first option.
            new = 0 if key in moves or key in ("home", "end") else None
            if key == "end":
                new = count - 1
        else:
            new = _moved(index, count, key, moves)
        if new is None or new == index:
            return []
        return [WidgetChange(model_id, {"index": new})]

    def _multiple(self, model_id: str, state: Mapping[str, Any], key: str) -> list[WidgetChange]:
        count = _count(state)
        if count == 0:
            return []
        if key in ("enter", "space"):
            index = state.get("index")
            chosen = (
                {i for i in index if _whole(i) is not None} if isinstance(index, list) else set()
            )
            chosen ^= {self.cursor}
            return [WidgetChange(model_id, {"index": sorted(chosen)})]
        moved = _moved(self.cursor, count, key, MOVES)
        if moved is not None:
            self.cursor = moved
        return []

    def _sections(self, model_id: str, state: Mapping[str, Any], key: str) -> list[WidgetChange]:
        count = len(children_of(state))
        if count == 0:
            return []
        index = _whole(state.get("selected_index"))
        if index is None or not 0 <= index < count:
            if key in MOVES or key in ("enter", "space", "home", "end"):
                return [
                    WidgetChange(model_id, {"selected_index": count - 1 if key == "end" else 0})
                ]
            return []
        if key in ("enter", "space") and model_name(state) == "AccordionModel":
            # Enter closes the open section, as a click on its title does.
            return [WidgetChange(model_id, {"selected_index": None})]
        new = _moved(index, count, key, MOVES)
        if new is None or new == index:
            return []
        return [WidgetChange(model_id, {"selected_index": new})]


def selected_indices(state: Mapping[str, Any]) -> list[int]:
    index = state.get("index")
    if not isinstance(index, (list, tuple)):
        return []
    return [item for item in index if _whole(item) is not None]


def _count(state: Mapping[str, Any]) -> int:
    labels = state.get("_options_labels")
    return len(labels) if isinstance(labels, (list, tuple)) else 0


def _moved(index: int, count: int, key: str, moves: dict[str, int]) -> int | None:
    if key == "home":
        return 0
    if key == "end":
        return count - 1
    if key in moves:
        return min(max(index + moves[key], 0), count - 1)
    return None
