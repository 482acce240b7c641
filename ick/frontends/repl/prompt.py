"""The code prompt: one prompt_toolkit session per kernel, with ick's layout, prompts,
highlighting, theme and status line.

A new kernel (``)kernel``) gets a new prompt: its language decides the
history file, the lexer and the editor's file suffix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from prompt_toolkit import PromptSession
from prompt_toolkit.application import get_app, get_app_or_none
from prompt_toolkit.filters import is_done
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input.typeahead import store_typeahead
from prompt_toolkit.input.vt100_parser import Vt100Parser
from prompt_toolkit.key_binding import KeyBindingsBase, KeyPress
from prompt_toolkit.key_binding.vi_state import InputMode
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout.processors import (
    ConditionalProcessor,
    HighlightMatchingBracketProcessor,
)
from prompt_toolkit.lexers import Lexer, PygmentsLexer

from ick.frontends.repl.binding_lookup import look_up_bindings_per_screen
from ick.frontends.repl.completion import KernelCompleter
from ick.frontends.repl.cursor_reports import CursorReports
from ick.frontends.repl.early_send import EarlySender
from ick.frontends.repl.history import SharedFileHistory, history_path
from ick.frontends.repl.prompt_layout import use_lean_layout
from ick.frontends.repl.prompts import continuation_prompt, in_prompt, in_prompt_width
from ick.frontends.repl.status_line import SessionStatus
from ick.frontends.repl.suggest import HistorySuggestion
from ick.frontends.repl.theme import prompt_style
from ick.frontends.shared.signals import SigintActions
from ick.kernel.client import KernelClient
from ick.options import ReplOptions

_VI_MODE_LABELS = {
    InputMode.INSERT: "ins",
    InputMode.INSERT_MULTIPLE: "ins",
    InputMode.NAVIGATION: "nav",
    InputMode.REPLACE: "rep",
    InputMode.REPLACE_SINGLE: "rep",
}

#: What a kernel may give as its file extension, for the editor's temporary file.
_SAFE_SUFFIX = re.compile(r"\.[A-Za-z0-9_+-]{1,12}")


def lexer_for(language_info: dict[str, Any]) -> Lexer | None:
    """A highlighter for the kernel's language: by ``pygments_lexer``, then by the
    language's name, then by its file extension (``.m``, ``.ts``); none when
    Pygments knows none of them, and the input is shown plain."""
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
    from pygments.util import ClassNotFound

    for key in ("pygments_lexer", "name"):
        name = language_info.get(key)
        if isinstance(name, str) and name:
            try:
                return PygmentsLexer(type(get_lexer_by_name(name)))
            except ClassNotFound:
                continue
    extension = language_info.get("file_extension")
    if isinstance(extension, str) and extension.strip("."):
        try:
            return PygmentsLexer(type(get_lexer_for_filename("input." + extension.strip("."))))
        except ClassNotFound:
            pass
    return None


def preload_lexer_plugins() -> None:
    """Have Pygments scan the installed lexer plugins now, while the kernel boots.

    Kernels name lexers that live in plugins (ipykernel's ``ipython3``); finding
    one scans every installed package's entry points, which would otherwise
    come between the kernel's answer and the first prompt.  The scan is cached,
    so :func:`lexer_for` is quick afterwards.
    """
    from pygments.plugin import find_plugin_lexers

    for _ in find_plugin_lexers():
        pass


def ctrl_c_as_a_key() -> None:
    """A SIGINT at the prompt is a Ctrl-C typed while output was drawn above it.

    ``run_in_terminal`` puts the terminal back in cooked mode for that moment,
    so the key arrives as a signal; it must clear the line as the key does,
    not end the session.
    """
    app = get_app_or_none()
    if app is not None and app.is_running:
        app.key_processor.feed(KeyPress(Keys.ControlC))
        app.key_processor.process_keys()


class CodePrompt:
    """The prompt where code is typed, for one kernel."""

    def __init__(
        self,
        *,
        kernel: KernelClient,
        settings: ReplOptions,
        status: SessionStatus,
        key_bindings: KeyBindingsBase,
        accept: EarlySender,
        next_count: Callable[[], int],
        cursor_reports: CursorReports,
    ) -> None:
        self._settings = settings
        self._next_count = next_count
        language_info = kernel.language_info
        language = str(language_info.get("name") or kernel.name)
        extension = str(language_info.get("file_extension") or "")
        self.session: PromptSession[str] = PromptSession(
            history=SharedFileHistory(history_path(language), settings.history_size),
            lexer=lexer_for(language_info),
            multiline=True,
            key_bindings=key_bindings,
            completer=KernelCompleter(kernel),
            # Only Tab asks the kernel: a request per keystroke would load it, and a menu
            # popping up under the cursor would take the Enter meant to run the input.
            complete_while_typing=False,
            # There is no validator, but prompt_toolkit would still start a task per keystroke.
            validate_while_typing=False,
            prompt_continuation=self._continuation,
            enable_history_search=True,
            enable_suspend=True,
            enable_open_in_editor=True,
            auto_suggest=HistorySuggestion() if settings.autosuggest else None,
            vi_mode=settings.editing_mode == "vi",
            input_processors=[ConditionalProcessor(HighlightMatchingBracketProcessor(), ~is_done)],
            bottom_toolbar=status.toolbar if settings.toolbar else None,
            style=prompt_style("light" if settings.theme == "light" else "dark"),
            include_default_pygments_style=False,
            # The editor opens a file named like the language's, so that it highlights it.
            tempfile_suffix=extension if _SAFE_SUFFIX.fullmatch(extension) else ".txt",
            output=cursor_reports.output(),
        )
        cursor_reports.watch(self.session.app)
        self.session.default_buffer.accept_handler = accept
        use_lean_layout(self.session)
        look_up_bindings_per_screen(self.session.app)

    async def read(self, *, default: str, sigint: SigintActions) -> str:
        """The next input; raises EOFError (Ctrl-D) and KeyboardInterrupt (Ctrl-C)."""
        # SIGINT stays with SigintActions: prompt_toolkit would remove its handler on exit.
        with sigint.action(ctrl_c_as_a_key):
            return await self.session.prompt_async(
                self._prompt, default=default, handle_sigint=False
            )

    @property
    def is_on_screen(self) -> bool:
        app = get_app_or_none()
        return app is not None and app.is_running and app is self.session.app

    def redraw(self) -> None:
        """Draw the prompt again if it is on screen (its number has changed)."""
        if self.is_on_screen:
            self.session.app.invalidate()

    def replay_typeahead(self, typed: str) -> None:
        """Keys typed while ick started (read by the terminal probe) go to the first prompt
        as keys, exactly as if typed there: Enter included."""
        if not typed:
            return
        keys: list[KeyPress] = []
        parser = Vt100Parser(keys.append)
        parser.feed(typed)
        parser.flush()
        store_typeahead(self.session.input, keys)

    def _prompt(self) -> FormattedText:
        """``In [n]: ``, after the vi mode (``[ins]``, ``[nav]``) when editing the vi way."""
        prompt = in_prompt(self._next_count())
        if self._settings.editing_mode != "vi":
            return prompt
        app = get_app()
        if app.current_buffer.selection_state is not None:
            label = "vis"
        else:
            label = _VI_MODE_LABELS.get(app.vi_state.input_mode, "ins")
        return FormattedText([("class:vi-mode", f"[{label}] "), *prompt])

    def _continuation(self, width: int, line_number: int, wrap_count: int) -> FormattedText:
        return continuation_prompt(max(width, in_prompt_width(self._next_count())))
