"""The order in which a bundle's representations are tried, and the user's say in it.

Kept apart from :mod:`ick.render.mime` (which loads rich) so that the command
line can check ``--mime-order`` without paying for the renderers.
"""

from __future__ import annotations

# Images first: where the terminal can draw them they are the point of the output, and
# where it cannot their renderer declines and the next entry is tried.  Then the kernel's
# own text/plain, which for pandas, sympy, R's vectors and data frames and most objects is
# made for terminals and beats a conversion of markdown, HTML or LaTeX (IRkernel sends all
# four, and its markdown of ``1:10`` is a ten-line list); a text/plain that is only a bare
# repr (``<IPython.core.display.Markdown object>``) does not count (see
# :func:`ick.render.mime.is_bare_repr`), so what was built for display is shown as such.
#: Images a terminal can draw as they come; SVG is rasterised to PNG first.
RASTER_MIME_TYPES: tuple[str, ...] = ("image/png", "image/jpeg", "image/gif")
#: Every image type ick shows (or, where it cannot draw, saves), with its file suffix.
IMAGE_SUFFIXES: dict[str, str] = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/svg+xml": ".svg",
}
IMAGE_MIME_TYPES: tuple[str, ...] = tuple(IMAGE_SUFFIXES)

DEFAULT_MIME_ORDER: tuple[str, ...] = (
    *IMAGE_MIME_TYPES,
    "text/plain",
    "text/markdown",
    "application/json",
    "text/latex",
    "text/html",
)


def parse_mime_order(text: str) -> tuple[str, ...]:
    """``--mime-order text/html,text/plain``: these first, in this order, then the rest as usual.

    Raises ValueError naming the types ick knows when one is not among them.
    """
    chosen: list[str] = []
    for item in text.split(","):
        mime = item.strip().lower()
        if not mime:
            continue
        if mime not in DEFAULT_MIME_ORDER:
            known = ", ".join(DEFAULT_MIME_ORDER)
            raise ValueError(f"ick cannot render {mime!r} (it renders: {known})")
        if mime not in chosen:
            chosen.append(mime)
    if not chosen:
        raise ValueError("no mime type given")
    return (*chosen, *(mime for mime in DEFAULT_MIME_ORDER if mime not in chosen))
