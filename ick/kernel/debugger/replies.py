"""Values read from the kernel's DAP replies, which are untrusted: a value of the wrong
type reads as empty, never as an exception."""

from __future__ import annotations

from typing import Any


def one_line(text: object, limit: int = 200) -> str:
    """The last non-empty line of a kernel's message (a traceback ends with the error),
    whitespace collapsed and cut to ``limit`` characters."""
    lines = [" ".join(line.split()) for line in str(text or "").splitlines()]
    lines = [line for line in lines if line]
    line = lines[-1] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def text_of(value: object) -> str:
    return value if isinstance(value, str) else ""


def whole_number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def dict_entries(value: object) -> list[dict[str, Any]]:
    """The objects of a list from the kernel; anything else in it, or instead of it, is dropped."""
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def cut_to(text: str, limit: int) -> tuple[str, bool]:
    return (text, False) if len(text) <= limit else (text[:limit], True)
