"""Every key ick binds at the code prompt, in one place (as ptpython's ``key_bindings.py``).

- Enter: submits or opens a continuation line, as the kernel's ``is_complete``
  says (the decision itself is :mod:`ick.frontends.repl.enter`'s); with the
  completion menu open, it takes the highlighted completion;
- the commands' keys (``C-x C-r``, ``F1``...), which end the prompt with the
  command to run and keep what was typed;
- Shift-Tab: the kernel's documentation for the code at the cursor;
- comfort keys: F2 for the editor, End to take a suggestion.

Every binding acts only while the code buffer has the focus, so the Ctrl-R
search bar and ``input()`` answers keep their own keys.  They are merged after
prompt_toolkit's own, so where both match a key these win.  The keys and
their help text are defined once, in :mod:`ick.frontends.repl.reference`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from prompt_toolkit.application import get_app
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.document import Document
from prompt_toolkit.enums import DEFAULT_BUFFER
from prompt_toolkit.filters import Condition, has_completions, has_focus, is_done
from prompt_toolkit.filters.app import vi_insert_mode
from prompt_toolkit.key_binding import (
    KeyBindings,
    KeyBindingsBase,
    KeyPressEvent,
    merge_key_bindings,
)
from prompt_toolkit.key_binding.bindings.named_commands import get_by_name

from ick.frontends.repl.commands import is_command
from ick.frontends.repl.enter import (
    EnterDecision,
    IsComplete,
    KeysAfterEnter,
    LocalVerdict,
    cursor_on_last_line,
    decide,
    submit,
)
from ick.frontends.repl.reference import COMMAND_KEYS, INSPECT_KEY


def repl_key_bindings(
    *,
    is_complete: IsComplete,
    local_verdict: LocalVerdict,
    on_command: Callable[[str], None],
    inspect: Callable[[Document], None],
) -> KeyBindingsBase:
    """The code prompt's bindings: ``on_command(name)`` must end the prompt;
    ``inspect(document)`` asks for documentation in the background."""
    return merge_key_bindings(
        [
            enter_key_bindings(is_complete, local_verdict),
            command_key_bindings(on_command),
            inspect_key_bindings(inspect),
            comfort_key_bindings(),
        ]
    )


def enter_key_bindings(is_complete: IsComplete, local_verdict: LocalVerdict) -> KeyBindings:
    """Enter asks the kernel (or ``local_verdict`` first); Esc-Enter always submits."""
    bindings = KeyBindings()
    # Only in the code buffer: Enter in the Ctrl-R search bar must keep its own meaning.
    editing_code = has_focus(DEFAULT_BUFFER) & ~is_done
    # One decision at a time, in keystroke order, even if the kernel is slow to answer.
    lock = asyncio.Lock()

    async def verdict_of(text: str) -> dict[str, Any] | None:
        return local_verdict(text) or await is_complete(text)

    def act(buffer: Buffer, decision: EnterDecision) -> None:
        if decision.submit:
            submit(buffer)
            return
        buffer.cursor_position = len(buffer.text)
        buffer.insert_text("\n" + decision.indent)

    def decided_at_once(buffer: Buffer) -> EnterDecision | None:
        """Act on Enter in the key handler itself when the kernel need not be asked.

        The common case, a line the local verdict calls complete, then submits
        at once instead of after every task the other keys woke.
        Returns what was done, or ``None`` when the kernel must be asked.
        """
        if not cursor_on_last_line(buffer):
            buffer.newline(copy_margin=True)
            return EnterDecision(submit=False)
        if not buffer.text.strip():
            submit(buffer)
            return EnterDecision(submit=True)
        verdict = local_verdict(buffer.text)
        if verdict is None:
            return None
        decision = decide(buffer.text, verdict)
        act(buffer, decision)
        return decision

    async def decide_and_act(buffer: Buffer) -> bool:
        """Act on Enter; whether it submitted."""
        async with lock:
            done = decided_at_once(buffer)
            if done is not None:
                return done.submit
            text = buffer.text
            verdict = await verdict_of(text)
            # The text can change while the kernel thinks (a completion lands): ask again
            # about what is there now rather than act on a verdict about old text.
            # A kernel that did not answer is not asked again: the blank-line rule decides.
            for _ in range(3):
                if buffer.text == text or verdict is None:
                    break
                text = buffer.text
                verdict = await verdict_of(text)
            decision = decide(buffer.text, verdict, local_verdict.when_kernel_cannot_tell)
            act(buffer, decision)
            return decision.submit

    async def ask_and_decide(buffer: Buffer, after: KeysAfterEnter) -> None:
        submitted = False
        try:
            submitted = await decide_and_act(buffer)
        finally:  # cancelled too (the prompt ended): the held keys go to the next one
            after.release(submitted)

    @bindings.add("enter", filter=editing_code & ~has_completions)
    def _enter(event: KeyPressEvent) -> None:
        # An earlier Enter still waiting for the kernel goes first: decisions keep key order.
        if lock.locked() or decided_at_once(event.current_buffer) is None:
            after = KeysAfterEnter(event.app)
            event.app.create_background_task(ask_and_decide(event.current_buffer, after))

    @bindings.add("enter", filter=editing_code & has_completions)
    def _accept_completion(event: KeyPressEvent) -> None:
        # As in IPython: Enter takes the highlighted completion and closes the menu (the
        # next Enter runs); prompt_toolkit's own Enter would break the line inside the word.
        buffer = event.current_buffer
        state = buffer.complete_state
        if state is not None and state.current_completion is not None:
            buffer.apply_completion(state.current_completion)
        else:
            buffer.cancel_completion()

    @bindings.add("escape", "enter", filter=editing_code)
    def _force_submit(event: KeyPressEvent) -> None:
        submit(event.current_buffer)

    return bindings


def command_key_bindings(on_command: Callable[[str], None]) -> KeyBindings:
    """``on_command(name)`` is called for a command's key; it should end the prompt."""
    bindings = KeyBindings()
    editing_code = has_focus(DEFAULT_BUFFER) & ~is_done

    @Condition
    def typed_a_command() -> bool:
        return is_command(get_app().current_buffer.text)

    # A typed )command runs at once: the kernel is not asked whether it is complete.
    @bindings.add("enter", filter=editing_code & typed_a_command)
    def _run_command(event: KeyPressEvent) -> None:
        submit(event.current_buffer)

    for name, keys in COMMAND_KEYS.items():

        def _command(event: KeyPressEvent, name: str = name) -> None:
            on_command(name)

        bindings.add(*keys, filter=editing_code)(_command)
    return bindings


def inspect_key_bindings(inspect: Callable[[Document], None]) -> KeyBindings:
    bindings = KeyBindings()

    # Not while a completion menu is open: there Shift-Tab selects the previous entry.
    @bindings.add(INSPECT_KEY, filter=has_focus(DEFAULT_BUFFER) & ~has_completions & ~is_done)
    def _inspect(event: KeyPressEvent) -> None:
        inspect(event.current_buffer.document)

    return bindings


def comfort_key_bindings() -> KeyBindings:
    bindings = KeyBindings()
    editing_code = has_focus(DEFAULT_BUFFER) & ~is_done

    @Condition
    def suggestion_available() -> bool:
        buffer = get_app().current_buffer
        return bool(buffer.suggestion and buffer.suggestion.text) and (
            buffer.document.is_cursor_at_the_end
        )

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
    return bindings
