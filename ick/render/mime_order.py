"""The order in which a bundle's representations are tried, and the user's say in it.

Kept apart from :mod:`ick.render.mime` (which loads rich) so that the command
line can check ``--mime-order`` without paying for the renderers.
"""

from __future__ import annotations

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

# The kernel's own text/plain first: for pandas, sympy (its pretty 2-D formulas), R's vectors
# and data frames and most objects it is made for terminals, and beats a conversion of
# markdown, HTML or LaTeX (IRkernel sends all four, and its markdown of ``1:10`` is a
# ten-line list) and an image of the same thing (sympy's formula PNG, a smear in character
# art).  A text/plain that is only a placeholder for the object (``<Figure size 640x480 with
# 1 Axes>``, ``<pandas…Styler at 0x…>``, R's ``plot without title``) goes last instead (see
# :func:`ick.render.mime.is_placeholder`), so that the image or the HTML built for display is
# shown.  Images come next: where the terminal draws them they are the point of the output,
# and where it cannot their renderer declines and the next entry is tried.
DEFAULT_MIME_ORDER: tuple[str, ...] = (
    "text/plain",
    *IMAGE_MIME_TYPES,
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
