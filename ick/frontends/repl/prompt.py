"""The code prompt: one prompt_toolkit session per kernel, with ick's layout, prompts,
highlighting, theme and status line.

A new kernel (``)kernel``) gets a new prompt: its language decides the
history file, the lexer and the editor's file suffix.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
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
from prompt_toolkit.lexers import DynamicLexer, Lexer, PygmentsLexer
from pygments.lexer import Lexer as PygmentsLexerBase

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
    Pygments knows none of them, and the input is shown plain.

    A ``pygments_lexer`` that is not built into Pygments is looked for among the
    installed plugins (ipykernel's ``ipython3`` lives in IPython): loading those can
    take longer than the kernel's start-up, so the prompt starts with
    :func:`builtin_lexer_for` and :class:`KernelLexer` moves to this one once loaded.
    """
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    name = plugin_lexer_name(language_info)
    if name is not None:
        try:
            return PygmentsLexer(type(get_lexer_by_name(name)))
        except ClassNotFound:
            pass
    return builtin_lexer_for(language_info)


def plugin_lexer_name(language_info: dict[str, Any]) -> str | None:
    """The ``pygments_lexer`` the kernel names when Pygments has no such lexer built in."""
    name = language_info.get("pygments_lexer")
    if not isinstance(name, str) or not name or _builtin_lexer_class(name) is not None:
        return None
    return name


def builtin_lexer_for(language_info: dict[str, Any]) -> Lexer | None:
    """:func:`lexer_for` among the lexers built into Pygments: no plugin is loaded."""
    for key in ("pygments_lexer", "name"):
        name = language_info.get(key)
        if isinstance(name, str) and name and (found := _builtin_lexer_class(name)) is not None:
            return PygmentsLexer(found)
    extension = language_info.get("file_extension")
    if isinstance(extension, str) and extension.strip("."):
        found = _builtin_lexer_class_for_file("input." + extension.strip("."))
        if found is not None:
            return PygmentsLexer(found)
    return None


def _builtin_lexer_class(alias: str) -> type[PygmentsLexerBase] | None:
    from pygments.lexers import find_lexer_class_by_name
    from pygments.lexers._mapping import LEXERS

    alias = alias.lower()
    if not any(alias in aliases for _, _, aliases, _, _ in LEXERS.values()):
        return None
    # Built in: found among Pygments' own lexers before any plugin is loaded.
    return find_lexer_class_by_name(alias)


def _builtin_lexer_class_for_file(filename: str) -> type[PygmentsLexerBase] | None:
    """Pygments' choice among its built-in lexers for a file name (the highest priority,
    an exact name before a pattern), as ``get_lexer_for_filename`` chooses among all."""
    from fnmatch import fnmatch

    from pygments.lexers import find_lexer_class
    from pygments.lexers._mapping import LEXERS

    rated: list[tuple[float, str, type[PygmentsLexerBase]]] = []
    for _, name, _, patterns, _ in LEXERS.values():
        for pattern in patterns:
            if fnmatch(filename, pattern) and (found := find_lexer_class(name)) is not None:
                rated.append((found.priority + (0.5 if "*" not in pattern else 0), name, found))
                break
    return max(rated, key=lambda entry: entry[:2])[2] if rated else None


def warm_lexer(language: str) -> None:
    """Make the highlighter for ``language`` now, while the kernel boots: a Pygments lexer
    compiles its patterns the first time one is made, between the kernel's answer and the
    first prompt otherwise."""
    if language:
        builtin_lexer_for({"name": language})


class KernelLexer(DynamicLexer):
    """The prompt's highlighter: built-in at once, the kernel's plugin lexer once loaded.

    The plugin is loaded in a thread after the prompt is up (a few keys typed
    meanwhile are highlighted as the language's built-in lexer does them).
    """

    def __init__(self, language_info: dict[str, Any]) -> None:
        super().__init__(lambda: self.current)
        self.current = builtin_lexer_for(language_info)
        self._plugin = plugin_lexer_name(language_info)
        self._language_info = language_info

    def load_plugin(self, on_loaded: Callable[[], None]) -> None:
        """Load the plugin lexer the kernel names, if any, then call ``on_loaded`` in the loop."""
        if self._plugin is None:
            return
        loop = asyncio.get_running_loop()

        def load() -> None:
            try:
                lexer = lexer_for(self._language_info)
            except Exception:  # a broken plugin: the built-in lexer stays
                return
            with contextlib.suppress(RuntimeError):  # the loop has closed: ick has ended
                loop.call_soon_threadsafe(self._use, lexer, on_loaded)

        threading.Thread(target=load, name="ick-lexer", daemon=True).start()

    def _use(self, lexer: Lexer | None, on_loaded: Callable[[], None]) -> None:
        if lexer is not None:
            self.current = lexer
            on_loaded()


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
        self.lexer = KernelLexer(language_info)
        self.session: PromptSession[str] = PromptSession(
            history=SharedFileHistory(history_path(language), settings.history_size),
            lexer=self.lexer,
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
        self.lexer.load_plugin(self.redraw)

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
