"""The drawing of one tree of widgets, and what every drawer shares.

A drawer turns one model's state into a renderable, reading its children,
layout and style through :class:`Drawing`, which records each model read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import RenderableType
from rich.style import Style
from rich.text import Text

from ick.render.capabilities import TerminalCapabilities
from ick.render.image_files import ImageFiles
from ick.render.mime import render_bundle
from ick.render.mime_order import DEFAULT_MIME_ORDER
from ick.render.sanitize import plain_text
from ick.render.widgets.lines import Line
from ick.render.widgets.models import (
    WIDGET_VIEW_MIME,
    WidgetModels,
    hidden,
    model_name,
    reference_id,
    view_model_id,
)

#: Deeper than any real layout; a kernel's model that contains itself stops here too.
MAX_DEPTH = 32
FOCUSED = Style(reverse=True)
DISABLED = Style(dim=True)


@dataclass(frozen=True, kw_only=True)
class WidgetView:
    """What a widget's drawing depends on besides the models: the terminal, and the
    keyboard's place among the controls (see :mod:`ick.render.widget_controls`)."""

    models: WidgetModels
    capabilities: TerminalCapabilities | None = None
    mime_order: Sequence[str] = DEFAULT_MIME_ORDER
    #: Where images go when the output is not a terminal (scripts, logs).
    image_files: ImageFiles | None = None
    focused: str | None = None
    #: Within the focused control: the option under the cursor, or the range handle moved.
    cursor: int = 0
    #: Text typed into a field and not yet sent (number fields, ``continuous_update=False``).
    drafts: Mapping[str, str] = field(default_factory=dict)


class Unknown:
    """Marks a model ick has no drawing for, inside a drawing."""


UNKNOWN = Unknown()
Drawn = RenderableType | None


class Drawing:
    """The drawing of one tree of widgets: the models it read (a change to any redraws
    it), the path from the root (a model that contains itself stops), and the drawer of
    each kind of model (:data:`ick.render.widgets.draw.DRAWERS`)."""

    def __init__(self, view: WidgetView, *, drawers: Mapping[str, Drawer]) -> None:
        self.view = view
        self.drawers = drawers
        self.read: set[str] = set()
        self._path: list[str] = []
        self.pictures = 0  # images drawn: a row holding one becomes a column

    def state(self, model_id: str) -> Mapping[str, Any] | None:
        self.read.add(model_id)
        return self.view.models.state_of(model_id)

    def widget(self, model_id: str) -> Drawn | Unknown:
        """One model drawn: None when hidden or empty, UNKNOWN when ick cannot draw it."""
        if model_id in self._path or len(self._path) >= MAX_DEPTH:
            return UNKNOWN
        state = self.state(model_id)
        if state is None:
            return UNKNOWN
        drawer = self.drawers.get(model_name(state))
        if drawer is None or not _module_drawn(state):
            return UNKNOWN
        if hidden(state, self.state):
            return None
        self._path.append(model_id)
        try:
            return drawer(self, model_id, state)
        finally:
            self._path.pop()

    def child(self, model_id: str) -> Drawn:
        """A child inside a container: what ick cannot draw is named, not dropped."""
        drawn = self.widget(model_id)
        if isinstance(drawn, Unknown):
            state = self.view.models.state_of(model_id)
            name = model_name(state) if state is not None else ""
            label = plain_text(name.removesuffix("Model")) or "widget"
            return Line([Text(f"[{label}]", style="dim")])
        return drawn

    def style_of(self, state: Mapping[str, Any]) -> Mapping[str, Any]:
        style_id = reference_id(state.get("style"))
        style = self.state(style_id) if style_id is not None else None
        return style if style is not None else {}

    def focused(self, model_id: str) -> bool:
        return self.view.focused == model_id

    def control_style(self, model_id: str, state: Mapping[str, Any]) -> Style:
        style = Style()
        if state.get("disabled"):
            style += DISABLED
        if self.focused(model_id):
            style += FOCUSED
        return style

    # -- bundles inside an Output widget ------------------------------------------
    def bundle(self, data: Mapping[str, Any], metadata: Any) -> Drawn:
        model_id = view_model_id(data)
        if model_id is not None:
            drawn = self.widget(model_id)
            if not isinstance(drawn, Unknown):
                return drawn
        return other_form(data, metadata if isinstance(metadata, Mapping) else None, self.view)


Drawer = Callable[[Drawing, str, Mapping[str, Any]], Drawn]


def _module_drawn(state: Mapping[str, Any]) -> bool:
    module = state.get("_model_module")
    return isinstance(module, str) and module.startswith("@jupyter-widgets/")


def other_form(
    data: Mapping[str, Any], metadata: Mapping[str, Any] | None, view: WidgetView
) -> RenderableType | None:
    others = {key: value for key, value in data.items() if key != WIDGET_VIEW_MIME}
    if not others:
        return None
    return render_bundle(
        others,
        metadata,
        priority=view.mime_order,
        image_files=view.image_files,
        capabilities=view.capabilities,
    )
