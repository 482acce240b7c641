"""Finding a key's bindings once per screen state, not twice per key.

For every key it processes, prompt_toolkit's application asks which bindings
apply, and to answer it walks the whole layout (every window of a prompt:
menus, toolbars, search bar) to build the cache key of its merged bindings,
twice: once for the key and once for longer sequences starting with it.  That
is most of the cost of typing a line; a line pasted or typed ahead is
processed key by key before anything is sent.

What the walk finds can only change with the focused window or with what was
last drawn, so :class:`BindingsPerScreen` keeps the merged bindings until one
of those changes, and the candidates found for each key sequence until the
bindings themselves change.  The filters of the bindings are still evaluated
for every key, so conditional bindings (vi modes, menus open) behave exactly
as before.
"""

from __future__ import annotations

from typing import Any

from prompt_toolkit.application import Application
from prompt_toolkit.key_binding.key_bindings import Binding, KeyBindingsBase, KeysTuple
from prompt_toolkit.key_binding.key_processor import KeyProcessor
from prompt_toolkit.layout import Window


class BindingsPerScreen(KeyBindingsBase):
    """An application's own key bindings, looked up again only when the screen changed."""

    def __init__(self, app: Application[Any], bindings: KeyBindingsBase) -> None:
        self._app = app
        self._bindings = bindings
        self._state: tuple[Window, int] | None = None
        self._merged: KeyBindingsBase = bindings
        self._identity: tuple[KeyBindingsBase, object] | None = None
        # Candidates per key sequence, before their filters: valid while the merged
        # bindings are the same object at the same version.
        self._for_keys: dict[KeysTuple, list[Binding]] = {}
        self._starting_with: dict[KeysTuple, list[Binding]] = {}

    def _current(self) -> KeyBindingsBase:
        state = (self._app.layout.current_window, self._app.render_counter)
        if state != self._state:
            self._state = state
            # The application's registry resolves to the merged bindings for this layout.
            self._merged = getattr(self._bindings, "_key_bindings", self._bindings)
            identity = (self._merged, self._merged._version)
            if identity != self._identity:
                self._identity = identity
                self._for_keys.clear()
                self._starting_with.clear()
        return self._merged

    def get_bindings_for_keys(self, keys: KeysTuple) -> list[Binding]:
        merged = self._current()
        found = self._for_keys.get(keys)
        if found is None:
            found = self._for_keys[keys] = merged.get_bindings_for_keys(keys)
        return found

    def get_bindings_starting_with_keys(self, keys: KeysTuple) -> list[Binding]:
        merged = self._current()
        found = self._starting_with.get(keys)
        if found is None:
            found = self._starting_with[keys] = merged.get_bindings_starting_with_keys(keys)
        return found

    @property
    def _version(self) -> object:
        return self._current()._version

    @property
    def bindings(self) -> list[Binding]:
        return self._current().bindings


def look_up_bindings_per_screen(app: Application[Any]) -> None:
    """Give ``app`` a key processor whose binding lookups are cached per screen state."""
    original = getattr(app.key_processor, "_bindings", None)
    if isinstance(original, KeyBindingsBase):  # else a prompt_toolkit that works otherwise
        app.key_processor = KeyProcessor(BindingsPerScreen(app, original))
