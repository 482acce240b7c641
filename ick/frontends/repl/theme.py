"""A dark and a light look for the prompt, chosen by the terminal's background when known.

``--theme auto`` asks the terminal for its background colour (OSC 11) once at
start-up; when it does not say, ``COLORFGBG`` (set by rxvt, Konsole and
others) is consulted, and failing that the dark theme is used, as most
terminals are dark.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from prompt_toolkit.styles import BaseStyle, Style, merge_styles, style_from_pygments_cls

Theme = Literal["dark", "light"]

#: Pygments styles for the input's syntax highlighting.
PYGMENTS_STYLES: dict[Theme, str] = {"dark": "monokai", "light": "default"}

_UI_STYLES: dict[Theme, dict[str, str]] = {
    "dark": {
        "bottom-toolbar": "noreverse bg:#303030 #d0d0d0",
        "bottom-toolbar.kernel": "bold #ffffff",
        "bottom-toolbar.idle": "#87d787",
        "bottom-toolbar.busy": "bold #ffd75f",
        "bottom-toolbar.dead": "bold #ff5f5f",
        "vi-mode": "#87afd7",
        "matching-bracket.other": "bold bg:#5f5f87 #ffffff",
        "matching-bracket.cursor": "bold bg:#5f5f87 #ffffff",
        "auto-suggestion": "#808080",
    },
    "light": {
        "bottom-toolbar": "noreverse bg:#d0d0d0 #262626",
        "bottom-toolbar.kernel": "bold #000000",
        "bottom-toolbar.idle": "#005f00",
        "bottom-toolbar.busy": "bold #875f00",
        "bottom-toolbar.dead": "bold #af0000",
        "vi-mode": "#005f87",
        "matching-bracket.other": "bold bg:#afd7ff #000000",
        "matching-bracket.cursor": "bold bg:#afd7ff #000000",
        "auto-suggestion": "#8a8a8a",
    },
}


def theme_for_background(rgb: tuple[float, float, float]) -> Theme:
    """Light when the background's luminance is over one half."""
    red, green, blue = rgb
    return "light" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.5 else "dark"


def theme_from_colorfgbg(value: str) -> Theme | None:
    """``COLORFGBG="15;0"``: the last field is the background's ANSI colour number."""
    background = value.split(";")[-1]
    if not background.isdigit():
        return None
    return "light" if int(background) in (7, *range(9, 16)) else "dark"


def resolve_theme(
    choice: str,
    env: Mapping[str, str],
    background: tuple[float, float, float] | None,
) -> Theme:
    """The user's choice; for ``auto``, the background the terminal reported to the start-up
    probe, else what ``COLORFGBG`` says, else dark."""
    if choice == "light":
        return "light"
    if choice == "dark":
        return "dark"
    rgb = background
    if rgb is not None:
        return theme_for_background(rgb)
    return theme_from_colorfgbg(env.get("COLORFGBG", "")) or "dark"


def prompt_style(theme: Theme) -> BaseStyle:
    """Syntax colours and ick's own classes (toolbar, vi mode, brackets) for ``theme``."""
    from pygments.styles import get_style_by_name

    return merge_styles(
        [
            style_from_pygments_cls(get_style_by_name(PYGMENTS_STYLES[theme])),
            Style.from_dict(_UI_STYLES[theme]),
        ]
    )
