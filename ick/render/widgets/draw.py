"""A widget drawn from its current state: each kind of model to its drawer.

Models of other libraries, and kinds ick does not know, give ``None``, so that
the caller falls back to the display's text/plain.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rich.console import Console, RenderableType
from rich.text import Text

from ick.render.widgets.bars import (
    draw_progress,
    draw_range_slider,
    draw_selection_slider,
    draw_slider,
)
from ick.render.widgets.buttons import (
    draw_button,
    draw_checkbox,
    draw_play,
    draw_toggle_button,
    draw_valid,
)
from ick.render.widgets.choices import draw_choices, draw_dropdown, draw_toggle_buttons
from ick.render.widgets.containers import draw_box, draw_grid_box, draw_sections
from ick.render.widgets.content import draw_html, draw_image, draw_label, draw_output
from ick.render.widgets.drawing import Drawer, Drawing, Unknown, WidgetView, other_form
from ick.render.widgets.fields import draw_number_field, draw_text_field, draw_textarea
from ick.render.widgets.lines import Line
from ick.render.widgets.models import model_name, view_model_id

DRAWERS: dict[str, Drawer] = {
    "IntProgressModel": draw_progress,
    "FloatProgressModel": draw_progress,
    "LabelModel": draw_label,
    "HTMLModel": draw_html,
    "HTMLMathModel": draw_html,
    "ValidModel": draw_valid,
    "IntSliderModel": draw_slider,
    "FloatSliderModel": draw_slider,
    "FloatLogSliderModel": draw_slider,
    "IntRangeSliderModel": draw_range_slider,
    "FloatRangeSliderModel": draw_range_slider,
    "SelectionSliderModel": draw_selection_slider,
    "SelectionRangeSliderModel": draw_selection_slider,
    "TextModel": draw_text_field,
    "PasswordModel": draw_text_field,
    "ComboboxModel": draw_text_field,
    "TextareaModel": draw_textarea,
    "IntTextModel": draw_number_field,
    "FloatTextModel": draw_number_field,
    "BoundedIntTextModel": draw_number_field,
    "BoundedFloatTextModel": draw_number_field,
    "CheckboxModel": draw_checkbox,
    "ToggleButtonModel": draw_toggle_button,
    "ButtonModel": draw_button,
    "DropdownModel": draw_dropdown,
    "RadioButtonsModel": draw_choices,
    "SelectModel": draw_choices,
    "SelectMultipleModel": draw_choices,
    "ToggleButtonsModel": draw_toggle_buttons,
    "PlayModel": draw_play,
    "ImageModel": draw_image,
    "BoxModel": draw_box,
    "HBoxModel": draw_box,
    "VBoxModel": draw_box,
    "GridBoxModel": draw_grid_box,
    "AccordionModel": draw_sections,
    "TabModel": draw_sections,
    "StackModel": draw_sections,
    "OutputModel": draw_output,
}


@dataclass(frozen=True)
class DrawnWidget:
    """A widget drawn, and every model its drawing read: a change to any of them redraws it."""

    renderable: RenderableType | None
    """None when there is nothing to show (hidden, an empty Output widget)."""
    model_ids: frozenset[str]

    @property
    def one_line(self) -> bool:
        """Whether it is drawn as one line (so ``Out[n]:`` can precede it on that line)."""
        return isinstance(self.renderable, Line)


def draw_widget(model_id: str, view: WidgetView) -> DrawnWidget | None:
    """The widget drawn from its current state; None when ick has no drawing for it
    (not open, another library's, a kind ick does not know)."""
    drawing = Drawing(view, drawers=DRAWERS)
    state = drawing.state(model_id)
    if state is None or model_name(state) not in DRAWERS:
        return None
    renderable = drawing.widget(model_id)
    if isinstance(renderable, Unknown):
        return None
    return DrawnWidget(renderable, frozenset(drawing.read))


def render_widget(model_id: str, view: WidgetView) -> RenderableType | None:
    """The widget as a renderable (an empty Text when it is hidden), or None as for
    :func:`draw_widget`."""
    drawn = draw_widget(model_id, view)
    if drawn is None:
        return None
    return drawn.renderable if drawn.renderable is not None else Text("", end="")


def render_widget_bundle(
    data: Mapping[str, Any], metadata: Mapping[str, Any] | None, view: WidgetView
) -> RenderableType | None:
    """A bundle's widget drawn when it has one ick can draw, else its best other form."""
    model_id = view_model_id(data)
    if model_id is not None:
        drawn = render_widget(model_id, view)
        if drawn is not None:
            return drawn
    return other_form(data, metadata, view)


def widget_text(model_id: str, view: WidgetView, width: int = 80) -> str | None:
    """The widget's final state as plain text with no escapes (a finished progress bar as
    one line), for scripts and logs; None as for :func:`draw_widget`."""
    drawn = draw_widget(model_id, view)
    if drawn is None:
        return None
    if drawn.renderable is None:
        return ""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        no_color=True,
        highlight=False,
        markup=False,
        emoji=False,
    )
    console.print(drawn.renderable, soft_wrap=True)
    lines = [line.rstrip() for line in buffer.getvalue().split("\n")]
    return "\n".join(lines).strip("\n")
