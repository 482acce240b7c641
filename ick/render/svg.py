"""image/svg+xml → PNG bytes, so that an SVG is drawn like any other image.

A terminal draws raster images only.  resvg (through the ``resvg-py`` wheel:
a self-contained Rust build, no system libraries, ~3 MB) rasterises SVG
faithfully in milliseconds; cairosvg would need libcairo on the system, and
ImageMagick or rsvg-convert a subprocess per image.  It is an optional extra
(``pip install 'ick-repl[svg]'``): without it an SVG falls back to the next
representation in the bundle, as any output ick cannot draw does.
"""

from __future__ import annotations

# Notebooks show SVGs on white; many SVGs (plots among them) draw black on transparent,
# which would vanish on a dark terminal.
BACKGROUND = "white"


def svg_to_png(svg: str) -> bytes | None:
    """The SVG rasterised at its own size, or None when it cannot be (invalid, or no resvg)."""
    try:
        import resvg_py
    except ImportError:
        return None
    # Lone surrogates (from JSON \ud800 escapes) cannot cross into Rust as UTF-8.
    svg = svg.encode("utf-8", "replace").decode("utf-8")
    try:
        png = resvg_py.svg_to_bytes(svg_string=svg, background=BACKGROUND)
    except Exception:  # hostile or broken SVG: whatever the native code raises, draw nothing
        return None
    return bytes(png) if png else None
