"""Focus among the controls on screen, and each key to what it does to the focused one."""

from __future__ import annotations

from collections.abc import Sequence

from ick.render.widget_controls.choices import ChoiceKeys, selected_indices
from ick.render.widget_controls.fields import FieldKeys
from ick.render.widget_controls.focus import (
    CHOICES,
    NUMBERS,
    RANGE_SLIDERS,
    SECTIONS,
    SELECTION_SLIDERS,
    SLIDERS,
    TEXTS,
    TOGGLES,
    focusable_controls,
)
from ick.render.widget_controls.place import WidgetChange, WidgetFocus
from ick.render.widget_controls.sliders import SliderKeys
from ick.render.widgets.models import WidgetModels, model_name


class WidgetKeyboard(SliderKeys, ChoiceKeys, FieldKeys):
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
        name = model_name(state)
        if name in SLIDERS:
            return self._slider(model_id, state, key)
        if name in RANGE_SLIDERS:
            return self._range_slider(model_id, state, key)
        if name in SELECTION_SLIDERS:
            return self._selection_slider(model_id, state, key)
        if name in CHOICES:
            return self._choice(model_id, state, key)
        if name == "SelectMultipleModel":
            return self._multiple(model_id, state, key)
        if name in TOGGLES:
            if key in ("enter", "space"):
                return [WidgetChange(model_id, {"value": not state.get("value")})]
            return []
        if name == "ButtonModel":
            if key in ("enter", "space"):
                return [WidgetChange(model_id, event={"event": "click"})]
            return []
        if name == "PlayModel":
            return self._play(model_id, state, key)
        if name in SECTIONS:
            return self._sections(model_id, state, key)
        if name in TEXTS:
            return self._text(model_id, state, key)
        if name in NUMBERS:
            return self._number_field(model_id, state, key)
        return []

    # -- focus ----------------------------------------------------------------------
    def _focus(self, model_id: str) -> None:
        self.focused = model_id
        self.cursor = 0
        state = self.models.state_of(model_id)
        if state is not None and model_name(state) == "SelectMultipleModel":
            self.cursor = min(selected_indices(state), default=0)
