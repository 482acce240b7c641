"""Operating widgets from the keyboard: focus, and what each key does to a control.

Pure logic over the same models the drawing reads: which controls on screen
take the keyboard, in the order they are drawn (Tab, Shift-Tab), and what a
key does to the focused one, returned as :class:`WidgetChange` values (an
``update`` of its state, or a ``custom`` event such as a button's ``click``)
for the front end to send through the widget store.  Nothing here sends or
draws; the front end redraws with :meth:`WidgetKeyboard.focus` passed to the
renderer, so that the focused control is highlighted.

It sits in the render layer beside the drawing because focus follows what is
drawn: a hidden widget or a closed Accordion section takes no focus, and a
key acts on what the user sees (a list box's cursor, a range slider's handle,
a number typed but not yet sent).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ick.render.widgets import (
    WidgetModels,
    children_of,
    reference_id,
    shown_children,
    view_model_id,
)

__all__ = [
    "KEYS",
    "WidgetChange",
    "WidgetFocus",
    "WidgetKeyboard",
    "WidgetSender",
    "focusable_controls",
]

#: The keys :meth:`WidgetKeyboard.press` knows besides single printable characters.
KEYS = frozenset(
    {"left", "right", "up", "down", "home", "end", "pageup", "pagedown", "enter", "space",
     "backspace"}
)  # fmt: skip

_SLIDERS = frozenset({"IntSliderModel", "FloatSliderModel", "FloatLogSliderModel"})
_RANGE_SLIDERS = frozenset({"IntRangeSliderModel", "FloatRangeSliderModel"})
_SELECTION_SLIDERS = frozenset({"SelectionSliderModel", "SelectionRangeSliderModel"})
_CHOICES = frozenset({"DropdownModel", "RadioButtonsModel", "SelectModel", "ToggleButtonsModel"})
_TEXTS = frozenset({"TextModel", "PasswordModel", "ComboboxModel", "TextareaModel"})
_NUMBERS = frozenset({"IntTextModel", "FloatTextModel", "BoundedIntTextModel",
                      "BoundedFloatTextModel"})  # fmt: skip
_TOGGLES = frozenset({"CheckboxModel", "ToggleButtonModel"})
_SECTIONS = frozenset({"AccordionModel", "TabModel"})
FOCUSABLE = (
    _SLIDERS | _RANGE_SLIDERS | _SELECTION_SLIDERS | _CHOICES | _TEXTS | _NUMBERS | _TOGGLES
    | _SECTIONS | {"SelectMultipleModel", "ButtonModel", "PlayModel"}
)  # fmt: skip

_STEPS = {"left": -1, "down": -1, "right": 1, "up": 1, "pagedown": -10, "pageup": 10}
# A list drawn top to bottom: Down goes to the next option, as Right does.
_MOVES = {"left": -1, "up": -1, "right": 1, "down": 1, "pageup": -10, "pagedown": 10}


class WidgetSender(Protocol):
    """Where changes go (the kernel layer's widget store)."""

    def send_update(self, model_id: str, changes: Mapping[str, Any]) -> str | None: ...

    def send_custom(self, model_id: str, content: Mapping[str, Any]) -> str | None: ...


@dataclass(frozen=True)
class WidgetChange:
    """What a key did to a control, to tell the kernel: a new state or a custom event."""

    model_id: str
    state: Mapping[str, Any] | None = None
    event: Mapping[str, Any] | None = None

    def send(self, sender: WidgetSender) -> str | None:
        """Send it; the message's id, or None when it could not be sent."""
        if self.state is not None:
            return sender.send_update(self.model_id, self.state)
        if self.event is not None:
            return sender.send_custom(self.model_id, self.event)
        return None


@dataclass(frozen=True)
class WidgetFocus:
    """The keyboard's place, as the renderer shows it (``OutputRenderer.focus_widgets``)."""

    focused: str | None
    cursor: int
    drafts: Mapping[str, str]


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
        if state is None or _hidden(state, models):
            return
        name = _name(state)
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


def _hidden(state: Mapping[str, Any], models: WidgetModels) -> bool:
    layout_id = reference_id(state.get("layout"))
    layout = models.state_of(layout_id) if layout_id is not None else None
    if layout is None:
        return False
    return layout.get("visibility") == "hidden" or layout.get("display") == "none"


def _name(state: Mapping[str, Any]) -> str:
    name = state.get("_model_name")
    return name if isinstance(name, str) else ""


def _number(value: Any, default: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return float(value) if math.isfinite(value) else default


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _snap(value: float, low: float, high: float, step: float, integral: bool) -> float | int:
    """``value`` on the control's grid of steps from ``low``, within its bounds."""
    if step > 0:
        value = low + round((value - low) / step) * step
    value = min(max(value, low), high) if high >= low else value
    if integral:
        return round(value)
    # Steps of 0.1 add up to 0.30000000000000004; the kernel would show that.
    return float(f"{value:.12g}")


class WidgetKeyboard:
    """Focus among the controls on screen, and the keys' effect on the focused one."""

    def __init__(self, *, models: WidgetModels) -> None:
        self.models = models
        self.roots: list[str] = []
        self.focused: str | None = None
        #: Within the focused control: a list box's option, a range slider's handle.
        self.cursor = 0
        self.drafts: dict[str, str] = {}

    @property
    def focus(self) -> WidgetFocus:
        return WidgetFocus(self.focused, self.cursor, dict(self.drafts))

    def set_roots(self, roots: Sequence[str]) -> None:
        """The widget displays on screen (``OutputRenderer.widgets_on_screen``)."""
        self.roots = list(roots)
        if self.focused is not None and self.focused not in self.controls():
            self.focused = None

    def controls(self) -> list[str]:
        return focusable_controls(self.roots, self.models)

    def start(self) -> bool:
        """Put the keyboard on the first control (``)widgets``); False when there is none."""
        controls = self.controls()
        if not controls:
            self.focused = None
            return False
        if self.focused not in controls:
            self._focus(controls[0])
        return True

    def tab(self, backwards: bool = False) -> list[WidgetChange]:
        """Tab / Shift-Tab: the next control, around the end; what was typed is sent."""
        controls = self.controls()
        changes = self._commit()
        if not controls:
            self.focused = None
            return changes
        if self.focused in controls:
            position = controls.index(self.focused) + (-1 if backwards else 1)
            self._focus(controls[position % len(controls)])
        else:
            self._focus(controls[-1 if backwards else 0])
        return changes

    def leave(self) -> list[WidgetChange]:
        """Esc: back to the prompt; what was typed into a field is sent."""
        changes = self._commit()
        self.focused = None
        return changes

    def press(self, key: str) -> list[WidgetChange]:
        """What ``key`` (one of :data:`KEYS` or a printable character) does to the focused
        control: the changes to send, often none (a key the control takes no notice of)."""
        model_id = self.focused
        state = self.models.state_of(model_id) if model_id is not None else None
        if model_id is None or state is None or state.get("disabled"):
            return []
        name = _name(state)
        if name in _SLIDERS:
            return self._slider(model_id, state, key)
        if name in _RANGE_SLIDERS:
            return self._range_slider(model_id, state, key)
        if name in _SELECTION_SLIDERS:
            return self._selection_slider(model_id, state, key)
        if name in _CHOICES:
            return self._choice(model_id, state, key)
        if name == "SelectMultipleModel":
            return self._multiple(model_id, state, key)
        if name in _TOGGLES:
            if key in ("enter", "space"):
                return [WidgetChange(model_id, {"value": not state.get("value")})]
            return []
        if name == "ButtonModel":
            if key in ("enter", "space"):
                return [WidgetChange(model_id, event={"event": "click"})]
            return []
        if name == "PlayModel":
            return self._play(model_id, state, key)
        if name in _SECTIONS:
            return self._sections(model_id, state, key)
        if name in _TEXTS:
            return self._text(model_id, state, key)
        if name in _NUMBERS:
            return self._number_field(model_id, state, key)
        return []

    # -- focus ----------------------------------------------------------------------
    def _focus(self, model_id: str) -> None:
        self.focused = model_id
        self.cursor = 0
        state = self.models.state_of(model_id)
        if state is not None and _name(state) == "SelectMultipleModel":
            self.cursor = min(_indices(state), default=0)

    def _commit(self) -> list[WidgetChange]:
        """Send what was typed into the focused field and not yet sent."""
        model_id = self.focused
        if model_id is None or model_id not in self.drafts:
            return []
        draft = self.drafts.pop(model_id)
        state = self.models.state_of(model_id)
        if state is None:
            return []
        if _name(state) in _NUMBERS:
            value = self._parsed(state, draft)
            if value is None or value == state.get("value"):
                return []  # not a number: the field shows the kernel's value again
            return [WidgetChange(model_id, {"value": value})]
        if draft == state.get("value"):
            return []
        return [WidgetChange(model_id, {"value": draft})]

    # -- controls ---------------------------------------------------------------------
    def _slider(self, model_id: str, state: Mapping[str, Any], key: str) -> list[WidgetChange]:
        low, high = _number(state.get("min")), _number(state.get("max"), 100.0)
        step = _number(state.get("step"), 1.0)
        name = _name(state)
        value = _number(state.get("value"))
        if name == "FloatLogSliderModel":
            base = _number(state.get("base"), 10.0)
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
        if key in _STEPS:
            return value + _STEPS[key] * (step if step > 0 else 1.0)
        return None

    def _range_slider(
        self, model_id: str, state: Mapping[str, Any], key: str
    ) -> list[WidgetChange]:
        if key in ("enter", "space"):
            self.cursor = 1 - self.cursor  # the other handle
            return []
        low, high = _number(state.get("min")), _number(state.get("max"), 100.0)
        step = _number(state.get("step"), 1.0)
        value = state.get("value")
        pair = list(value) if isinstance(value, (list, tuple)) and len(value) == 2 else [low, high]
        start, end = sorted(_number(item) for item in pair)
        handle = 1 if self.cursor else 0
        moved = self._stepped(end if handle else start, low, high, step, key)
        if moved is None:
            return []
        integral = _name(state).startswith("Int")
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

    def _selection_slider(
        self, model_id: str, state: Mapping[str, Any], key: str
    ) -> list[WidgetChange]:
        count = _count(state)
        if count == 0:
            return []
        if _name(state) == "SelectionRangeSliderModel":
            if key in ("enter", "space"):
                self.cursor = 1 - self.cursor
                return []
            pair = _indices(state)
            start, end = sorted(pair) if len(pair) == 2 else (0, count - 1)
            handle = 1 if self.cursor else 0
            moved = _moved(end if handle else start, count, key, _STEPS)
            if moved is None:
                return []
            new = [min(moved, end), end] if handle == 0 else [start, max(moved, start)]
            if new == [start, end]:
                return []
            return [WidgetChange(model_id, {"index": new})]
        return self._index_change(model_id, state, count, key, _STEPS)

    def _choice(self, model_id: str, state: Mapping[str, Any], key: str) -> list[WidgetChange]:
        moves = _STEPS if _name(state) == "ToggleButtonsModel" else _MOVES
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
        moved = _moved(self.cursor, count, key, _MOVES)
        if moved is not None:
            self.cursor = moved
        return []

    def _play(self, model_id: str, state: Mapping[str, Any], key: str) -> list[WidgetChange]:
        if key in ("enter", "space"):
            return [WidgetChange(model_id, {"playing": not state.get("playing")})]
        return self._slider(model_id, state, key)

    def _sections(self, model_id: str, state: Mapping[str, Any], key: str) -> list[WidgetChange]:
        count = len(children_of(state))
        if count == 0:
            return []
        index = _whole(state.get("selected_index"))
        if index is None or not 0 <= index < count:
            if key in _MOVES or key in ("enter", "space", "home", "end"):
                return [
                    WidgetChange(model_id, {"selected_index": count - 1 if key == "end" else 0})
                ]
            return []
        if key in ("enter", "space") and _name(state) == "AccordionModel":
            # Enter closes the open section, as a click on its title does.
            return [WidgetChange(model_id, {"selected_index": None})]
        new = _moved(index, count, key, _MOVES)
        if new is None or new == index:
            return []
        return [WidgetChange(model_id, {"selected_index": new})]

    def _text(self, model_id: str, state: Mapping[str, Any], key: str) -> list[WidgetChange]:
        value = state.get("value")
        current = self.drafts.get(model_id, value if isinstance(value, str) else "")
        textarea = _name(state) == "TextareaModel"
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
        integral = _name(state).startswith(("Int", "BoundedInt"))
        if key in ("up", "down"):
            self.drafts.pop(model_id, None)
            step = _number(state.get("step"), 1.0)
            if not step or not math.isfinite(step):
                step = 1.0
            stepped = _number(state.get("value")) + _STEPS[key] * step
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
        integral = _name(state).startswith(("Int", "BoundedInt"))
        try:
            number = float(text)
        except ValueError:
            return None
        if not math.isfinite(number) or (integral and number != int(number)):
            return None
        return self._bounded(state, number, integral)

    @staticmethod
    def _bounded(state: Mapping[str, Any], value: float, integral: bool) -> float | int:
        if _name(state).startswith("Bounded"):
            low, high = _number(state.get("min")), _number(state.get("max"), 100.0)
            value = min(max(value, low), high)
        return round(value) if integral else value


def _indices(state: Mapping[str, Any]) -> list[int]:
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
