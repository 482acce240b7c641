"""Mime bundle → rich renderable.

Each output a kernel sends is a bundle of representations keyed by mime
type.  :func:`render_bundle` picks the best one this front end can show and
turns it into a rich renderable; new representations (markdown, images,
HTML…) are added as entries of ``RENDERERS`` with a place in the priority
order, without touching the callers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.console import RenderableType
from rich.text import Text

from ick.render.capabilities import TerminalCapabilities
from ick.render.image_files import IMAGE_SUFFIXES, ImageFiles
from ick.render.images import RASTER_MIME_TYPES, image_renderable
from ick.render.sanitize import sanitize

MimeRenderer = Callable[[Any, Mapping[str, Any]], RenderableType | None]


def render_plain_text(data: Any, metadata: Mapping[str, Any]) -> RenderableType | None:
    if not isinstance(data, str):
        return None
    # The kernel's own ANSI colours are kept; anything else that could act on the terminal is not.
    return Text.from_ansi(sanitize(data), end="")


RENDERERS: dict[str, MimeRenderer] = {
    "text/plain": render_plain_text,
}

DEFAULT_PRIORITY: tuple[str, ...] = ("text/plain",)


def render_bundle(
    data: Mapping[str, Any],
    metadata: Mapping[str, Any] | None = None,
    priority: Sequence[str] = DEFAULT_PRIORITY,
    image_files: ImageFiles | None = None,
    capabilities: TerminalCapabilities | None = None,
) -> RenderableType | None:
    """The best renderable for a mime bundle, or a short placeholder naming what was sent.

    With ``image_files`` (output that is not a terminal), an image is saved to
    a file and shown as one line naming it, in preference to its text/plain.
    With ``capabilities`` of a terminal that draws images, a raster image is drawn.
    """
    metadata = metadata or {}
    if image_files is not None:
        for mime in IMAGE_SUFFIXES:
            if mime in data:
                path = image_files.save(mime, data[mime])
                if path is not None:
                    return Text(f"[{mime} saved to {path}]", end="")
    if capabilities is not None and capabilities.draws_images:
        for mime in RASTER_MIME_TYPES:
            if mime in data:
                image_metadata = metadata.get(mime, {})
                image = image_renderable(
                    data[mime],
                    mime,
                    image_metadata if isinstance(image_metadata, Mapping) else {},
                    capabilities,
                )
                if image is not None:
                    return image
    for mime in priority:
        if mime in data and mime in RENDERERS:
            item_metadata = metadata.get(mime, {})
            rendered = RENDERERS[mime](
                data[mime], item_metadata if isinstance(item_metadata, Mapping) else {}
            )
            if rendered is not None:
                return rendered
    kinds = ", ".join(sorted(sanitize(str(kind)) for kind in data))
    if not kinds:
        return None
    return Text(f"<{kinds} output>", style="dim", end="")


def plain_text_of(data: Mapping[str, Any]) -> str:
    """The bundle's text/plain, for measuring (multi-line results go below ``Out[n]:``)."""
    text = data.get("text/plain")
    return text if isinstance(text, str) else ""
