"""Progress bars and sliders: a flexible bar or track, and a readout.

A progress bar is drawn with tqdm's own partial blocks, so that a tqdm.auto bar
(an HBox of HTML, a progress bar and HTML) reads like tqdm's text bar:
``100%|██████████| 100/100 [00:01<00:00, 93.2it/s]``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from rich.style import Style
from rich.text import Text

from ick.render.widgets.drawing import DISABLED, FOCUSED, Drawing, Drawn
from ick.render.widgets.lines import Flex, Line
from ick.render.widgets.models import finite_number, model_name
from ick.render.widgets.values import (
    BAR_STYLES,
    DEFAULT_BAR,
    chosen_index,
    chosen_indices,
    css_colour,
    description,
    format_readout,
    option_labels,
)

# tqdm's own partial blocks, so that a widget bar reads like its text bar.
_EIGHTHS = " ▏▎▍▌▋▊▉"


def _bar_text(fraction: float, width: int, style: str | None, framed: bool = True) -> Text:
    inner = max(width - 2, 1) if framed else max(width, 1)
    eighths = round(max(0.0, min(fraction, 1.0)) * inner * 8)
    full, part = divmod(eighths, 8)
    filled = "█" * full + (_EIGHTHS[part] if part and full < inner else "")
    text = Text("|" if framed else "", end="")
    text.append(filled, style=style)
    text.append(" " * (inner - len(filled)))
    if framed:
        text.append("|")
    return text


def _fraction(value: float, low: float, high: float) -> float:
    if high <= low:
        return 1.0 if value >= high else 0.0
    return (value - low) / (high - low)


def draw_progress(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    low, high = finite_number(state.get("min")), finite_number(state.get("max"), 100.0)
    fraction = _fraction(finite_number(state.get("value")), low, high)
    bar_style = state.get("bar_style")
    colour = css_colour(drawing.style_of(state).get("bar_color")) or BAR_STYLES.get(
        bar_style if isinstance(bar_style, str) else "", DEFAULT_BAR
    )
    return Line(
        [
            description(drawing, state),
            Flex(12, 52, lambda width: _bar_text(fraction, width, colour)),
        ]
    )


def _track(fractions: Sequence[float], width: int, style: Style, handle: int | None) -> Text:
    """A slider's track: ``━━━●────``, the part up to the handle (or between two) filled."""
    width = max(width, 3)
    spots = [round(max(0.0, min(f, 1.0)) * (width - 1)) for f in fractions]
    text = Text(end="")
    if len(spots) == 1:
        text.append("━" * spots[0], style=style)
    else:
        text.append("─" * spots[0], style="dim")
    for which, spot in enumerate(spots):
        text.append("●", style=FOCUSED if handle == which else "bold")
        if which + 1 < len(spots):
            text.append("━" * max(spots[which + 1] - spot - 1, 0), style=style)
    text.append("─" * (width - 1 - spots[-1]), style="dim")
    return text


def draw_slider(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    name = model_name(state)
    integral = name.startswith("Int")
    low, high = finite_number(state.get("min")), finite_number(state.get("max"), 100.0)
    value = finite_number(state.get("value"))
    if name == "FloatLogSliderModel":
        base = finite_number(state.get("base"), 10.0)
        exponent = math.log(value, base) if value > 0 and base > 0 and base != 1 else low
        fraction = _fraction(exponent, low, high)
    else:
        fraction = _fraction(value, low, high)
    readout = format_readout(value, state.get("readout_format"), integral)
    return _slider_line(drawing, model_id, state, [fraction], readout)


def draw_range_slider(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    integral = model_name(state).startswith("Int")
    low, high = finite_number(state.get("min")), finite_number(state.get("max"), 100.0)
    value = state.get("value")
    pair = list(value) if isinstance(value, (list, tuple)) and len(value) == 2 else [low, high]
    start, end = sorted(finite_number(item) for item in pair)
    spec = state.get("readout_format")
    readout = f"{format_readout(start, spec, integral)} – {format_readout(end, spec, integral)}"
    fractions = [_fraction(start, low, high), _fraction(end, low, high)]
    return _slider_line(drawing, model_id, state, fractions, readout)


def draw_selection_slider(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    labels = option_labels(state)
    if model_name(state) == "SelectionRangeSliderModel":
        picked = sorted(chosen_indices(state, len(labels)))
        if len(picked) != 2:
            picked = [0, max(len(labels) - 1, 0)]
        readout = " – ".join(labels[i] for i in picked) if labels else ""
    else:
        index = chosen_index(state, len(labels))
        picked = [index if index is not None else 0]
        readout = labels[picked[0]] if labels else ""
    top = max(len(labels) - 1, 1)
    return _slider_line(drawing, model_id, state, [i / top for i in picked], readout)


def _slider_line(
    drawing: Drawing,
    model_id: str,
    state: Mapping[str, Any],
    fractions: Sequence[float],
    readout: str,
) -> Line:
    focused = drawing.focused(model_id)
    handle = (drawing.view.cursor if len(fractions) > 1 else 0) if focused else None
    colour = css_colour(drawing.style_of(state).get("handle_color")) or DEFAULT_BAR
    style = DISABLED if state.get("disabled") else Style.parse(colour)
    parts: list[Text | Flex] = [
        description(drawing, state),
        Flex(10, 30, lambda width: _track(fractions, width, style, handle)),
    ]
    if state.get("readout", True):
        parts.append(Text(" " + readout, style=FOCUSED if focused else ""))
    return Line(parts)
