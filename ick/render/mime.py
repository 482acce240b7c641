"""Mime bundle → rich renderable.

Each output a kernel sends is a bundle of representations keyed by mime
type.  :func:`render_bundle` tries them in a priority order (the default in
:mod:`ick.render.mime_order`, changed with ``--mime-order``) and returns the
first that its renderer accepts; a renderer returns None for data it cannot
show (wrong type, an image the terminal cannot draw), and the next one is
tried.  New text representations are entries of ``RENDERERS`` with a place
in the order, without touching the callers; images (SVG rasterised first)
go to the image encoders through :func:`render_image`.

Two rules adjust the order for one bundle: a text/plain that is only a
placeholder for the object (:func:`is_placeholder`) is tried last, and an
image that would be drawn too small to make out is passed over for any other
representation but such a placeholder.

All kernel text reaches rich through the one sanitiser: text/plain keeps its
SGR colours; the structured formats (markdown, JSON, LaTeX, HTML) are made
plain first, since escapes inside them would only break rich's layout.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import RenderableType
from rich.highlighter import JSONHighlighter
from rich.markdown import Markdown
from rich.text import Text

from ick.render.capabilities import TerminalCapabilities
from ick.render.html import render_html
from ick.render.image_files import ImageFileError, ImageFiles
from ick.render.images import FittedImage, image_renderable
from ick.render.latex import latex_to_text
from ick.render.mime_order import DEFAULT_MIME_ORDER, IMAGE_MIME_TYPES, IMAGE_SUFFIXES
from ick.render.sanitize import plain_text, sanitize
from ick.render.svg import svg_to_png

MimeRenderer = Callable[[Any, Mapping[str, Any]], RenderableType | None]

# IRkernel's text/plain for a plot (the repr package's description of a recorded plot).
_R_PLOT = re.compile(r"(?i)plot without title|plot with title [“\"'‘].*[”\"'’]")


def is_placeholder(text: Any) -> bool:
    """A text/plain that only names the object, so that any other representation is better.

    Python's and IPython's default reprs are one line in one pair of angle brackets,
    whatever is inside: ``<pkg.Styler at 0x7f…>``, ``<x.Y object>``, ``<function f()>``,
    ``<bound method A.f of <A object at 0x…>>``, and so are the reprs libraries give objects
    that are shown by another representation (``<Figure size 640x480 with 1 Axes>``,
    ``<PIL.Image.Image image mode=RGB size=10x10>``).  IRkernel names a plot in words.
    """
    if not isinstance(text, str):
        return False
    line = plain_text(text).strip()
    if not line or "\n" in line:
        return False
    if _R_PLOT.fullmatch(line):
        return True
    if not (line.startswith("<") and line.endswith(">")):
        return False
    # One pair of brackets around the whole line: ``<b>x</b>`` is markup, not a placeholder.
    depth = 0
    for position, char in enumerate(line):
        if char == "<":
            depth += 1
        elif char == ">":
            depth -= 1
            if depth == 0:
                return position == len(line) - 1
    return False


def render_plain_text(data: Any, metadata: Mapping[str, Any]) -> RenderableType | None:
    if not isinstance(data, str):
        return None
    # The kernel's own ANSI colours are kept; anything else that could act on the terminal is not.
    return Text.from_ansi(sanitize(data), end="")


def render_markdown(data: Any, metadata: Mapping[str, Any]) -> RenderableType | None:
    if not isinstance(data, str) or not data.strip():
        return None
    # No terminal hyperlinks: a kernel's link text could then hide where it points.
    return Markdown(plain_text(data), hyperlinks=False)


def render_json(data: Any, metadata: Mapping[str, Any]) -> RenderableType | None:
    try:
        dumped = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)
    except (TypeError, ValueError):
        return None
    # json.dumps escapes C0 controls but not C1 ones (``\x9b`` is a CSI) nor lone surrogates.
    text = JSONHighlighter()(Text(plain_text(dumped), end=""))
    text.no_wrap = True
    return text


def render_latex(data: Any, metadata: Mapping[str, Any]) -> RenderableType | None:
    if not isinstance(data, str) or not data.strip():
        return None
    source = plain_text(data)
    try:
        converted = latex_to_text(source)
    except RecursionError:  # absurdly deep nesting: show the source rather than nothing
        converted = source
    return Text(converted, end="")


def render_html_data(data: Any, metadata: Mapping[str, Any]) -> RenderableType | None:
    if not isinstance(data, str):
        return None
    return render_html(data)


def image_payload(mime: str, data: Any) -> tuple[bytes | str, str] | None:
    """What the image encoders get: the kernel's base64 as it is, or an SVG rasterised to PNG."""
    if not isinstance(data, str):
        return None
    if mime != "image/svg+xml":
        return data, mime
    png = svg_to_png(data)
    return (png, "image/png") if png is not None else None


def render_image(
    mime: str,
    data: Any,
    metadata: Mapping[str, Any],
    capabilities: TerminalCapabilities | None,
) -> RenderableType | None:
    """An image drawn on the terminal, or None where it cannot be (the next type is tried)."""
    if capabilities is None or not capabilities.draws_images:
        return None
    payload = image_payload(mime, data)
    if payload is None:
        return None
    return image_renderable(*payload, metadata, capabilities)


RENDERERS: dict[str, MimeRenderer] = {
    "text/plain": render_plain_text,
    "text/markdown": render_markdown,
    "application/json": render_json,
    "text/latex": render_latex,
    "text/html": render_html_data,
}


def mime_order_for(data: Mapping[str, Any], priority: Sequence[str]) -> list[str]:
    """The order to try this bundle's types in: a placeholder text/plain goes last."""
    order = [mime for mime in priority if mime in data]
    if "text/plain" in order and is_placeholder(data["text/plain"]) and len(order) > 1:
        order.remove("text/plain")
        order.append("text/plain")
    return order


@dataclass(frozen=True)
class ImageFileNotice:
    """ick's line about an image written to a file instead of drawn, or about why it could
    not be.  It is not the program's output: :class:`~ick.render.renderer.OutputRenderer`
    writes it to stderr."""

    text: str

    def __rich__(self) -> Text:
        return Text(self.text, end="")


def drawn_legibly(rendered: RenderableType) -> bool:
    """Whether an image renderable, fitted to the screen as it is now, shows anything."""
    if not isinstance(rendered, FittedImage):
        return True
    size = shutil.get_terminal_size()
    # One row stays free for the prompt, as when the image is printed.
    return rendered.legible(max(1, size.columns), max(1, size.lines - 1))


def render_bundle(
    data: Mapping[str, Any],
    metadata: Mapping[str, Any] | None = None,
    priority: Sequence[str] = DEFAULT_MIME_ORDER,
    image_files: ImageFiles | None = None,
    capabilities: TerminalCapabilities | None = None,
) -> RenderableType | None:
    """The best renderable for a mime bundle, or a short placeholder naming what was sent.

    With ``image_files`` (output that is not a terminal), an image chosen is saved to a
    file instead, and an :class:`ImageFileNotice` names it (or says why it could not be).
    With ``capabilities`` of a terminal, images are drawn where it can draw them.
    """
    metadata = metadata or {}
    too_small: RenderableType | None = None
    for mime in mime_order_for(data, priority):
        item_metadata = metadata.get(mime, {})
        if not isinstance(item_metadata, Mapping):
            item_metadata = {}
        if mime in IMAGE_MIME_TYPES and image_files is not None:
            try:
                path = image_files.save(mime, data[mime]) if mime in IMAGE_SUFFIXES else None
            except ImageFileError as exc:
                return ImageFileNotice(f"[{mime} not saved: {exc}]")
            if path is not None:
                return ImageFileNotice(f"[{mime} saved to {path}]")
            continue
        if mime in IMAGE_MIME_TYPES:
            rendered = render_image(mime, data[mime], item_metadata, capabilities)
            if rendered is not None and not drawn_legibly(rendered):
                # Kept for a bundle whose only other representation is a placeholder.
                too_small = too_small or rendered
                continue
        elif mime in RENDERERS:
            if too_small is not None and mime == "text/plain" and is_placeholder(data[mime]):
                return too_small
            rendered = RENDERERS[mime](data[mime], item_metadata)
        else:
            continue
        if rendered is not None:
            return rendered
    if too_small is not None:
        return too_small
    kinds = ", ".join(sorted(sanitize(str(kind)) for kind in data))
    if not kinds:
        return None
    return Text(f"<{kinds} output>", style="dim", end="")
