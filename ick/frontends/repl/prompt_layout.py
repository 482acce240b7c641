"""The code prompt's screen layout: only the parts ick's prompt shows.

prompt_toolkit's ``PromptSession`` builds one layout for every kind of prompt:
a frame, a right prompt, a multi-column completion menu, validation, system
and argument toolbars, a placeholder, a password mask, a split first line for
multi-line messages.  Each render asks every one of those containers for its
height and walks their filters, whether shown or not, and a prompt renders at
least twice an execution (drawn, then drawn as done), and the first render
stands between the kernel going idle and the next prompt (the benchmarks'
README has the figures).

:func:`use_lean_layout` swaps the session's layout for one built from the
same buffers: the input window with ``In [n]:`` and its continuation, the
completion menu floating at the cursor, the reverse-search line, the repeat
count of an emacs argument, and the status line.  Key bindings, history,
search, auto-suggestion and the editor key are the session's and unchanged.
"""

from __future__ import annotations

from prompt_toolkit import PromptSession
from prompt_toolkit.application import get_app
from prompt_toolkit.filters import Condition, has_arg, has_focus, is_done, renderer_height_is_known
from prompt_toolkit.formatted_text import (
    StyleAndTextTuples,
    fragment_list_to_text,
    to_formatted_text,
)
from prompt_toolkit.layout import (
    ConditionalContainer,
    Float,
    FloatContainer,
    HSplit,
    Layout,
    Window,
)
from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl
from prompt_toolkit.layout.dimension import Dimension
from prompt_toolkit.layout.menus import CompletionsMenu
from prompt_toolkit.layout.processors import (
    AppendAutoSuggestion,
    ConditionalProcessor,
    DisplayMultipleCursors,
    HighlightIncrementalSearchProcessor,
    HighlightSelectionProcessor,
    Processor,
)
from prompt_toolkit.lexers import DynamicLexer
from prompt_toolkit.utils import get_cwidth
from prompt_toolkit.widgets.toolbars import SearchToolbar


def use_lean_layout(session: PromptSession[str]) -> None:
    """Draw ``session``'s prompts with :func:`lean_layout` from now on."""
    session.layout = lean_layout(session)
    session.app.layout = session.layout


def lean_layout(session: PromptSession[str]) -> Layout:
    """The input, its completion menu, the search line, the argument and the status line."""
    buffer = session.default_buffer
    search_toolbar = SearchToolbar(session.search_buffer)
    processors: list[Processor] = [
        HighlightIncrementalSearchProcessor(),
        HighlightSelectionProcessor(),
        ConditionalProcessor(AppendAutoSuggestion(), has_focus(buffer) & ~is_done),
        DisplayMultipleCursors(),
        *(session.input_processors or []),
    ]

    def prompt() -> StyleAndTextTuples:
        return to_formatted_text(session.message, style="class:prompt")

    def line_prefix(line_number: int, wrap_count: int) -> StyleAndTextTuples:
        first_line = prompt()
        if line_number == 0 and wrap_count == 0:
            return first_line
        width = get_cwidth(fragment_list_to_text(first_line))
        continuation = session.prompt_continuation
        text = (
            continuation(width, line_number, wrap_count) if callable(continuation) else continuation
        )
        return to_formatted_text(text, style="class:prompt-continuation")

    def input_height() -> Dimension:
        # Room for the menu while completions are shown, so that it does not cover the input.
        if buffer.complete_state is not None and not get_app().is_done:
            return Dimension(min=session.reserve_space_for_menu)
        return Dimension()

    def argument() -> StyleAndTextTuples:
        arg = get_app().key_processor.arg
        if arg is None:
            return []
        return [
            ("class:arg-toolbar", "Repeat: "),
            ("class:arg-toolbar.text", "-1" if arg == "-" else arg),
        ]

    input_window = Window(
        BufferControl(
            buffer,
            search_buffer_control=search_toolbar.control,
            input_processors=processors,
            include_default_input_processors=False,
            lexer=DynamicLexer(lambda: session.lexer),
            preview_search=True,
        ),
        height=input_height,
        get_line_prefix=line_prefix,
        wrap_lines=True,
    )
    completion_menu = Float(
        xcursor=True,
        ycursor=True,
        transparent=True,
        content=CompletionsMenu(max_height=16, scroll_offset=1, extra_filter=has_focus(buffer)),
    )
    status_line = ConditionalContainer(
        Window(
            FormattedTextControl(lambda: session.bottom_toolbar, style="class:bottom-toolbar.text"),
            style="class:bottom-toolbar",
            dont_extend_height=True,
            height=Dimension(min=1),
        ),
        # Drawn once the rows below the cursor are known, as PromptSession does, so that it
        # goes to the bottom of the terminal and not in the middle of the screen.
        filter=Condition(lambda: session.bottom_toolbar is not None)
        & ~is_done
        & renderer_height_is_known,
    )
    return Layout(
        HSplit(
            [
                FloatContainer(input_window, [completion_menu]),
                ConditionalContainer(search_toolbar, ~is_done),
                ConditionalContainer(Window(FormattedTextControl(argument), height=1), has_arg),
                status_line,
            ]
        ),
        focused_element=input_window,
    )
