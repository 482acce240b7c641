"""Escape sequences that must never reach the terminal from a kernel, and where to look."""

from __future__ import annotations

#: Strings that act on the terminal (OSC clipboard, title and hyperlinks, DCS, APC, PM) and
#: queries whose answers would be typed.
FORBIDDEN = {
    "OSC": "\x1b]",
    "DCS": "\x1bP",
    "APC": "\x1b_",
    "PM": "\x1b^",
    "C1 CSI": "\x9b",
    "C1 OSC": "\x9d",
    "C1 DCS": "\x90",
    "cursor position query": "\x1b[6n",
    "device attributes query": "\x1b[c",
    "primary DA query": "\x1b[0c",
    "secondary DA query": "\x1b[>c",
    "XTVERSION query": "\x1b[>q",
    "BEL": "\x07",
}


def after_start_up(raw: str) -> str:
    """The pty bytes from the first prompt on: before it, ick itself asks the terminal what it
    can draw (DA1, XTVERSION, kitty's query, OSC 11) and sets the window title (OSC 2)."""
    first_prompt = raw.find("In [")
    return raw[first_prompt:] if first_prompt >= 0 else raw
