"""Widget models as the render layer reads them: by id, through :class:`WidgetModels`.

The kernel layer's store satisfies these interfaces; this package knows no
kernel.  A state names its children, layout and style by reference
(``"IPY_MODEL_<id>"``): the readers here follow them, for the drawing and for
the keyboard (:mod:`ick.render.widget_controls`) alike, so that both agree on
what is shown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from ick.messages import Message

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
_REFERENCE = "IPY_MODEL_"


class WidgetModels(Protocol):
    """Read-only access to widget models by id (the kernel layer's store satisfies it)."""

    def state_of(self, model_id: str) -> Mapping[str, Any] | None:
        """A model's state (``_model_name`` and the rest), or None when it is not open."""


class WidgetSource(WidgetModels, Protocol):
    """What the output renderer needs of the store: models, change news, the Output
    widget's capture."""

    def add_listener(self, listener: Callable[[str], None]) -> None: ...

    def remove_listener(self, listener: Callable[[str], None]) -> None: ...

    def captures(self, msg: Message) -> bool:
        """Whether ``msg`` went into an Output widget instead of the ordinary output."""


def view_model_id(data: Mapping[str, Any]) -> str | None:
    """The model a bundle's widget view names, if it has one."""
    view = data.get(WIDGET_VIEW_MIME)
    if not isinstance(view, Mapping):
        return None
    model_id = view.get("model_id")
    return model_id if isinstance(model_id, str) and model_id else None


def reference_id(value: Any) -> str | None:
    """The model id in a state's ``"IPY_MODEL_<id>"`` reference."""
    if isinstance(value, str) and value.startswith(_REFERENCE) and len(value) > len(_REFERENCE):
        return value[len(_REFERENCE) :]
    return None


def model_name(state: Mapping[str, Any]) -> str:
    """A state's ``_model_name`` (``IntSliderModel``...), or "" when it has none."""
    name = state.get("_model_name")
    return name if isinstance(name, str) else ""


def finite_number(value: Any, default: float = 0.0) -> float:
    """A number from the kernel; ``default`` for anything else, infinities and NaN too."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return float(value) if math.isfinite(value) else default


def children_of(state: Mapping[str, Any]) -> list[str]:
    """A container's children, by model id, in order."""
    children = state.get("children")
    if not isinstance(children, (list, tuple)):
        return []
    return [model_id for model_id in map(reference_id, children) if model_id is not None]


def shown_children(state: Mapping[str, Any]) -> list[str]:
    """The children a drawing shows: an Accordion, Tab or Stack shows only its open one."""
    children = children_of(state)
    if model_name(state) in ("AccordionModel", "TabModel", "StackModel"):
        index = state.get("selected_index")
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(children):
            return [children[index]]
        return []
    return children


def hidden(state: Mapping[str, Any], state_of: Callable[[str], Mapping[str, Any] | None]) -> bool:
    """Whether a widget's layout hides it; ``state_of`` reads the layout model."""
    layout_id = reference_id(state.get("layout"))
    layout = state_of(layout_id) if layout_id is not None else None
    if layout is None:
        return False
    return layout.get("visibility") == "hidden" or layout.get("display") == "none"
