"""How the interactive session behaves, as the command line and the config file set it."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Literal

EditingMode = Literal["emacs", "vi"]
ThemeChoice = Literal["auto", "dark", "light"]


@dataclass(frozen=True)
class ReplSettings:
    editing_mode: EditingMode = "emacs"
    autosuggest: bool = True
    confirm_exit: bool = False
    toolbar: bool = True
    title: bool = True
    theme: ThemeChoice = "auto"
    history_size: int = 10000
    other_output_prefix: str = "[other]"
    startup_timeout: float = 60.0

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ReplSettings:
        return cls(
            editing_mode=args.editing_mode,
            autosuggest=args.autosuggest,
            confirm_exit=args.confirm_exit,
            toolbar=args.toolbar,
            title=args.title,
            theme=args.theme,
            history_size=args.history_size,
            other_output_prefix=args.other_output_prefix,
            startup_timeout=args.startup_timeout,
        )
