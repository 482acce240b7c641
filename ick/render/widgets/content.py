"""Widgets that show content: Label, HTML and HTMLMath, Image, and the Output widget.

An Output widget's captured outputs are drawn as the ordinary output path
draws them, through the sanitiser; a widget displayed inside it is drawn as
a widget.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from ick.messages import error_text
from ick.render.html import render_html
from ick.render.images import image_renderable
from ick.render.latex import latex_to_text
from ick.render.sanitize import plain_text, sanitize
from ick.render.svg import svg_to_png
from ick.render.widgets.drawing import Drawing, Drawn
from ick.render.widgets.lines import Line, Picture
from ick.render.widgets.models import model_name
from ick.render.widgets.values import as_line, description, html_plain, string_at


def draw_label(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    return Line([description(drawing, state), Text(string_at(state, "value"))])


def draw_html(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    value = state.get("value")
    source = value if isinstance(value, str) else ""
    if model_name(state) == "HTMLMathModel" and ("$" in source or "\\(" in source):
        rendered: RenderableType | None = Text(latex_to_text(html_plain(source)))
    else:
        rendered = render_html(source)
    body = as_line(rendered)
    label = description(drawing, state)
    if isinstance(body, Line):
        return Line([label]).then(body, "")
    if body is None:
        return Line([label]) if label.plain else None
    return Group(label, body) if label.plain else body


def draw_image(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    value = state.get("value")
    kind = string_at(state, "format") or "png"
    if kind == "url":
        address = bytes(value).decode("utf-8", "replace") if isinstance(value, bytes) else ""
        return Line([Text(f"[image: {plain_text(address)}]", style="dim")])
    if not isinstance(value, bytes) or not value:
        return None
    mime = f"image/{'svg+xml' if kind == 'svg' else kind}"
    size = {key: state[key] for key in ("width", "height") if state.get(key)}
    view = drawing.view
    if view.capabilities is not None and view.capabilities.draws_images:
        payload: bytes | None = value
        if mime == "image/svg+xml":
            payload = svg_to_png(value.decode("utf-8", "replace"))
            mime = "image/png"
        if payload is not None:
            picture = image_renderable(payload, mime, size, view.capabilities)
            if picture is not None:
                drawing.pictures += 1
                return Picture(picture)
    if view.image_files is not None:
        saved = view.image_files.save(mime, base64.b64encode(value).decode("ascii"))
        if saved is not None:
            return Line([Text(f"[{mime} saved to {saved}]")])
    return Line([Text(f"[{mime}: {len(value)} bytes]", style="dim")])


def draw_output(drawing: Drawing, model_id: str, state: Mapping[str, Any]) -> Drawn:
    """The Output widget: what it captured, drawn as the ordinary output path draws it."""
    outputs = state.get("outputs")
    if not isinstance(outputs, (list, tuple)):
        return None
    items: list[RenderableType] = []
    for output in outputs:
        if not isinstance(output, Mapping):
            continue
        kind = output.get("output_type")
        if kind == "stream":
            text = output.get("text")
            if isinstance(text, list):
                text = "".join(str(chunk) for chunk in text)
            if isinstance(text, str) and text:
                items.append(Text.from_ansi(sanitize(text).removesuffix("\n")))
        elif kind in ("display_data", "execute_result"):
            data = output.get("data")
            if isinstance(data, Mapping):
                drawn = drawing.bundle(data, output.get("metadata"))
                if drawn is not None:
                    items.append(drawn)
        elif kind == "error":
            items.append(Text.from_ansi(sanitize(error_text(output))))
    if not items:
        return None
    return items[0] if len(items) == 1 else Group(*items)
