"""Widgets in the REPL: one widget store per kernel, and the mode that operates them.

The store (:class:`~ick.kernel.widgets.WidgetStore`) follows the current
kernel's comms; the renderer draws widget displays from it and redraws them
in place while code runs and while the user types at the prompt.

``)widgets`` (or its key) moves the keyboard from the prompt to the widgets:
the latest displays that have controls are drawn again at the bottom of the
screen, where they can be redrawn in place whatever was printed since, and a
one-line application takes the keys (:class:`WidgetMode`) until Esc.  Each
change is sent as it is made, so ``observe`` callbacks and ``interact`` run at
once; what was typed at the prompt comes back there afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from prompt_toolkit.application import Application
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout import Layout
from prompt_toolkit.layout.containers import Window
from prompt_toolkit.layout.controls import FormattedTextControl

from ick.frontends.repl.prompt import ctrl_c_as_a_key
from ick.frontends.shared.signals import SigintActions
from ick.kernel.client import KernelClient
from ick.kernel.errors import KernelError
from ick.kernel.widgets import WIDGET_TARGET, WidgetStore
from ick.render.renderer import OutputRenderer
from ick.render.widget_controls import WidgetChange, WidgetKeyboard, focusable_controls

HINT = (
    "widgets: Tab / Shift-Tab move, arrows change, Enter or Space presses, "
    "typing edits, Esc back to the prompt"
)

#: prompt_toolkit's key names, as the keyboard logic (``widget_controls.KEYS``) names them.
_KEYS = {
    "left": "left",
    "right": "right",
    "up": "up",
    "down": "down",
    "home": "home",
    "end": "end",
    "pageup": "pageup",
    "pagedown": "pagedown",
    "enter": "enter",
    "backspace": "backspace",
}


class ReplWidgets:
    """The current kernel's widgets, for the REPL's renderer and ``)widgets``."""

    def __init__(self, *, renderer: OutputRenderer) -> None:
        self._renderer = renderer
        self.store: WidgetStore | None = None
        self._learning: set[asyncio.Task[int]] = set()

    def follow(self, kernel: KernelClient) -> None:
        """Draw ``kernel``'s widgets from now on (the first kernel, or one switched to)."""
        if self.store is not None:
            self.store.close()
        self.store = WidgetStore(client=kernel)
        self._renderer.use_widgets(self.store)
        if kernel.owns_kernel:
            return
        # Attached to a kernel others use: the widgets they made exist already.
        with contextlib.suppress(RuntimeError):  # no loop: nothing to learn yet
            learning = self._learn_existing(self.store, kernel)
            task = asyncio.get_running_loop().create_task(learning)
            self._learning.add(task)
            task.add_done_callback(self._learning.discard)

    @staticmethod
    async def _learn_existing(store: WidgetStore, kernel: KernelClient) -> int:
        """Learn the kernel's widgets when it has some open.

        A kernel that never imported ipywidgets has no control comm target, and
        asking it anyway makes it log an error that it sends as output.
        """
        try:
            reply = await kernel.request(
                "comm_info_request", {"target_name": WIDGET_TARGET}, timeout=5
            )
        except KernelError:
            return 0
        comms = reply.get("comms")
        if not isinstance(comms, dict) or not comms:
            return 0
        return await store.learn_existing()

    def forget_all(self) -> None:
        """The kernel restarted: its widgets are gone."""
        if self.store is not None:
            self.store.forget_all()

    def roots_to_operate(self) -> list[str]:
        """The widget displays ``)widgets`` works on: those of the latest output that has
        controls to operate (a cell's slider and its bar, not an earlier cell's)."""
        store = self.store
        if store is None:
            return []
        displays = self._renderer.widget_displays()
        areas = [area for area, root in displays if focusable_controls([root], store)]
        if not areas:
            return []
        return [root for area, root in displays if area == areas[-1]]

    async def operate(self, *, sigint: SigintActions, show_error: Callable[[str], None]) -> None:
        """``)widgets``: the keyboard operates the widgets until Esc."""
        roots = self.roots_to_operate()
        if self.store is None or not roots:
            show_error("ick: no widgets with controls to operate")
            return
        mode = WidgetMode(store=self.store, renderer=self._renderer, roots=roots)
        with sigint.action(ctrl_c_as_a_key):
            await mode.run()


class WidgetMode:
    """One visit of the keyboard to the widgets: a one-line application taking the keys,
    the widgets above it redrawn with the focused control highlighted."""

    def __init__(self, *, store: WidgetStore, renderer: OutputRenderer, roots: list[str]) -> None:
        self._store = store
        self._renderer = renderer
        self._roots = roots
        self.keyboard = WidgetKeyboard(models=store)

    async def run(self) -> None:
        self._bring_down()
        self.keyboard.set_roots(self._roots)
        self.keyboard.start()
        self._show_focus()
        self._renderer.output.flush()
        app: Application[None] = Application(
            layout=Layout(Window(FormattedTextControl(self._hint), height=1)),
            key_bindings=self._bindings(),
            erase_when_done=True,
        )
        try:
            await app.run_async(handle_sigint=False)
        finally:
            self._act(self.keyboard.leave())
            self._renderer.focus_widgets(focused=None)

    def _hint(self) -> FormattedText:
        return FormattedText([("reverse", f" {HINT} ")])

    def _bring_down(self) -> None:
        """Draw the displays again at the bottom unless they are there already (output came
        below them: a callback's print)."""
        if self._renderer.widgets_on_screen() != self._roots:
            self._renderer.show_widgets_again(self._roots)

    def _act(self, changes: list[WidgetChange]) -> None:
        for change in changes:
            change.send(self._store)

    def _show_focus(self) -> None:
        focus = self.keyboard.focus
        self._renderer.focus_widgets(
            focused=focus.focused, cursor=focus.cursor, drafts=focus.drafts
        )

    def _after_key(self, changes: list[WidgetChange]) -> None:
        self._act(changes)
        self._bring_down()
        self.keyboard.set_roots(self._roots)
        if self.keyboard.focused is None:
            self.keyboard.start()
        self._show_focus()

    def _bindings(self) -> KeyBindings:
        bindings = KeyBindings()
        keyboard = self.keyboard

        @bindings.add("tab")
        def _next(event: KeyPressEvent) -> None:
            self._after_key(keyboard.tab())

        @bindings.add("s-tab")
        def _previous(event: KeyPressEvent) -> None:
            self._after_key(keyboard.tab(backwards=True))

        for key, name in _KEYS.items():

            def _press(event: KeyPressEvent, name: str = name) -> None:
                self._after_key(keyboard.press(name))

            bindings.add(key)(_press)

        @bindings.add("<any>")
        def _typed(event: KeyPressEvent) -> None:
            data = event.data
            if data == " ":
                self._after_key(keyboard.press("space"))
            elif len(data) == 1 and data.isprintable():
                self._after_key(keyboard.press(data))

        @bindings.add("escape", eager=True)
        @bindings.add("c-c")
        @bindings.add("c-d")
        def _leave(event: KeyPressEvent) -> None:
            event.app.exit()

        return bindings
