"""IPython-style prompts: ``In [n]: ``, ``   ...: `` and the banner."""

from __future__ import annotations

from typing import Any

from prompt_toolkit.formatted_text import FormattedText

from ick import __version__
from ick.render.sanitize import sanitize


def in_prompt(count: int) -> FormattedText:
    return FormattedText(
        [("ansigreen", "In ["), ("ansibrightgreen bold", str(count)), ("ansigreen", "]: ")]
    )


def in_prompt_width(count: int) -> int:
    return len(f"In [{count}]: ")


def continuation_prompt(width: int) -> FormattedText:
    """``...: `` right-aligned under the ``In [n]: `` prompt."""
    return FormattedText([("ansigreen", "...: ".rjust(width))])


def banner(kernel_name: str, kernel_info: dict[str, Any]) -> str:
    """One line naming the language, the kernel implementation and their versions."""
    language_info = kernel_info.get("language_info")
    language_info = language_info if isinstance(language_info, dict) else {}
    language = str(language_info.get("name") or "unknown language")
    language_version = str(language_info.get("version") or "")
    implementation = str(kernel_info.get("implementation") or kernel_name)
    implementation_version = str(kernel_info.get("implementation_version") or "")
    parts = [
        f"{language.capitalize()} {language_version}".strip(),
        f"{implementation} {implementation_version}".strip(),
        f"kernel {kernel_name}",
    ]
    return sanitize(f"ick {__version__} · " + " · ".join(parts))
