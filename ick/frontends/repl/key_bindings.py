"""ick's key bindings beyond Enter (``submit.py``): commands, the editor, suggestions.

Every binding here acts only while the code buffer has the focus, so the
Ctrl-R search bar and ``input()`` answers keep their own keys.  Bindings
are merged after prompt_toolkit's and ``submit.py``'s, so where both match
a key these win.
"""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.application import get_app
from prompt_toolkit.enums import DEFAULT_BUFFER
from prompt_toolkit.filters import Condition, has_focus, is_done
from prompt_toolkit.filters.app import vi_insert_mode
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.key_binding.bindings.named_commands import get_by_name

from ick.frontends.repl.commands import is_command
from ick.frontends.repl.enter import submit

#: Key sequences of the commands that key bindings can start (names as in ``commands.py``).
COMMAND_KEYS: dict[str, tuple[str, ...]] = {
    "restart": ("c-x", "c-r"),
    "interrupt": ("c-x", "i"),
    "kernel": ("c-x", "k"),
    "save": ("c-x", "s"),
    "help": ("f1",),
    "quit": ("c-x", "c-c"),
}


def comfort_key_bindings(on_command: Callable[[str], None]) -> KeyBindings:
    """``on_command(name)`` is called for a command's key; it should end the prompt."""
    bindings = KeyBindings()
    editing_code = has_focus(DEFAULT_BUFFER) & ~is_done

    @Condition
    def typed_a_command() -> bool:
        return is_command(get_app().current_buffer.text)

    @Condition
    def suggestion_available() -> bool:
        buffer = get_app().current_buffer
        return bool(buffer.suggestion and buffer.suggestion.text) and (
            buffer.document.is_cursor_at_the_end
        )

    # A typed )command runs at once: the kernel is not asked whether it is complete.
    @bindings.add("enter", filter=editing_code & typed_a_command)
    def _run_command(event: KeyPressEvent) -> None:
        submit(event.current_buffer)

    # End accepts the suggestion too (Right, Ctrl-F and Ctrl-E do in prompt_toolkit).
    @bindings.add("end", filter=editing_code & suggestion_available)
    def _accept_suggestion(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if buffer.suggestion is not None:
            buffer.insert_text(buffer.suggestion.text)

    # F2 (IPython's key) opens the editor as C-x C-e (emacs) and v (vi navigation) already do,
    # and, like them, runs what comes back: saving and quitting is how the user finishes.
    edit_and_run = get_by_name("edit-and-execute-command")
    bindings.add("f2", filter=editing_code)(edit_and_run)
    bindings.add("c-x", "c-e", filter=editing_code & vi_insert_mode)(edit_and_run)

    for name, keys in COMMAND_KEYS.items():

        def _command(event: KeyPressEvent, name: str = name) -> None:
            on_command(name)

        bindings.add(*keys, filter=editing_code)(_command)
    return bindings
