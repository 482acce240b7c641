"""Everything the command line (with the configuration file and ``ICK_*`` variables)
asked for, as one frozen object built once by :mod:`ick.cli`.

Front ends read what concerns them from it instead of taking a dozen
positional arguments; tests build one with the values they need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ick.render.capabilities import ColorChoice, ImagesChoice
from ick.render.mime_order import DEFAULT_MIME_ORDER

EditingMode = Literal["emacs", "vi"]
ThemeChoice = Literal["auto", "dark", "light"]


@dataclass(frozen=True, kw_only=True)
class ReplOptions:
    """How the interactive prompt behaves: mostly set once, in the configuration file."""

    editing_mode: EditingMode = "emacs"
    autosuggest: bool = True
    confirm_exit: bool = False
    toolbar: bool = True
    title: bool = True
    theme: ThemeChoice = "auto"
    history_size: int = 10000
    other_output_prefix: str = "[other]"
    show_other_output: bool = True
    pager: bool = True
    """Long documentation through $PAGER on a terminal (``--no-pager`` prints it)."""


@dataclass(frozen=True, kw_only=True)
class Options:
    # What to run: a REPL, scripts, or a watch.
    files: tuple[str, ...] = ()
    code: str | None = None
    watch: bool = False
    list_kernels: bool = False
    # Which kernel, and how it is reached.
    kernel: str | None = None
    kernel_from_config: bool = False
    """Whether ``kernel`` came from the configuration (a script's extension beats it)."""
    existing: str | None = None
    ssh: str | None = None
    server: str | None = None
    token: str | None = None
    attach: str | None = None
    kernel_env: tuple[tuple[str, str], ...] = ()
    startup_timeout: float = 60.0
    # Scripts.
    keep_going: bool = False
    timeout: float | None = None
    image_dir: Path | None = None
    # Output.
    save: Path | None = None
    mime_order: tuple[str, ...] = DEFAULT_MIME_ORDER
    color: ColorChoice = "auto"
    images: ImagesChoice = "auto"
    repl: ReplOptions = field(default_factory=ReplOptions)
