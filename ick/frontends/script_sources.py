"""What a script run reads before its kernel is up: the sources, split into cells.

Kept apart from the runner so that reading them (and failing on a file that
cannot be read) comes before the kernel starts, and the runner's imports
(rich, the renderer) come while it boots.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ick.errors import ExitStatus, IckError
from ick.frontends.notebook_runner import Notebook, is_notebook, read_notebook

# Line-comment prefixes by kernel language, for ``%%`` cell markers.
COMMENT_PREFIXES: dict[str, str] = {
    "python": "#",
    "r": "#",
    "bash": "#",
    "sh": "#",
    "julia": "#",
    "ruby": "#",
    "perl": "#",
    "javascript": "//",
    "typescript": "//",
    "java": "//",
    "c": "//",
    "c++": "//",
    "go": "//",
    "rust": "//",
    "scala": "//",
    "kotlin": "//",
    "octave": "%",
    "matlab": "%",
    "sql": "--",
    "haskell": "--",
    "lua": "--",
}


@dataclass(frozen=True)
class Source:
    """One piece of code to run and where it came from, for messages."""

    name: str
    code: str
    notebook: Notebook | None = None
    """A notebook's code cells are its cells, whatever markers they hold."""

    def cells(self, language: str) -> list[str]:
        return (
            self.notebook.sources if self.notebook is not None else split_cells(self.code, language)
        )


def split_cells(code: str, language: str) -> list[str]:
    """Split at ``%%`` cell markers written with the language's comment prefix.

    Code without markers is one cell: the whole input is one execution, as
    ``jupyter run`` does, so that a script's statements share one traceback
    context and run at full speed.
    """
    prefix = COMMENT_PREFIXES.get(language.lower())
    if prefix is None:
        return [code]
    marker = re.compile(rf"^[ \t]*{re.escape(prefix)}[ \t]*%%.*$", re.MULTILINE)
    if not marker.search(code):
        return [code]
    cells = [cell.strip("\n") for cell in marker.split(code)]
    return [cell for cell in cells if cell.strip()]


def read_sources(
    files: Sequence[str], code: str | None, stdin: TextIO
) -> tuple[list[Source], bool]:
    """The code to run, and whether input() answers may be read from stdin.

    Answers come from stdin unless stdin itself carried the script.
    """
    if code is not None:
        return [Source("-c", code)], True
    if files:
        sources = []
        for name in files:
            if is_notebook(name):
                sources.append(Source(name, "", read_notebook(name)))
                continue
            path = Path(name)
            try:
                sources.append(Source(name, path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                raise IckError(f"cannot read {name}: {reason}", ExitStatus.USAGE) from None
        return sources, True
    return [Source("<stdin>", stdin.read())], False


def silence_stdout(stdout: TextIO) -> None:
    """After a broken pipe, keep Python's exit-time flush from complaining about it."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, stdout.fileno())
