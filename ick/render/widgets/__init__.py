"""Jupyter widgets drawn in the terminal: a model and its children → a rich renderable.

A widget display (``application/vnd.jupyter.widget-view+json``) names a model;
what to draw is that model's current state, with its children, layout and
style looked up by id through :class:`WidgetModels`, a read-only interface
that the kernel layer's store satisfies (this package knows no kernel).
Drawing is a function of the models and the terminal, like every other
output: the caller redraws when a model changes.

:mod:`.models` reads the models, :mod:`.draw` draws one, through
:class:`~.drawing.Drawing` and a drawer a kind: :mod:`.bars`, :mod:`.fields`,
:mod:`.buttons`, :mod:`.choices`, :mod:`.content`, :mod:`.containers`.  Most
controls are one line (:mod:`.lines`).
"""

from ick.render.widgets.containers import titles_of
from ick.render.widgets.draw import (
    DrawnWidget,
    draw_widget,
    render_widget,
    render_widget_bundle,
    widget_text,
)
from ick.render.widgets.drawing import WidgetView
from ick.render.widgets.models import (
    WIDGET_VIEW_MIME,
    WidgetModels,
    WidgetSource,
    children_of,
    reference_id,
    shown_children,
    view_model_id,
)

__all__ = [
    "WIDGET_VIEW_MIME",
    "DrawnWidget",
    "WidgetModels",
    "WidgetSource",
    "WidgetView",
    "children_of",
    "draw_widget",
    "reference_id",
    "render_widget",
    "render_widget_bundle",
    "shown_children",
    "titles_of",
    "view_model_id",
    "widget_text",
]
