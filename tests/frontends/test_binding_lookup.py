"""Key bindings looked up once per screen state edit exactly as prompt_toolkit's own lookup does.

Each script of keys is typed into two real prompt_toolkit prompts, one as
prompt_toolkit makes it and one with ick's cached lookup, in chunks as a
terminal delivers them (mode changes and focus changes happen in the middle of
a chunk); both must end with the same accepted text.
"""

from __future__ import annotations

import asyncio

import pytest
from prompt_toolkit import PromptSession
from prompt_toolkit.completion import WordCompleter
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from ick.frontends.repl.binding_lookup import BindingsPerScreen, look_up_bindings_per_screen

SCRIPTS = {
    # emacs: start of line, insert, kill word, yank.
    "emacs editing": (False, ["abc def", "\x01X", "\x05\x17", "\x19\x19", "\r"]),
    # vi: insert, Escape to navigation, then commands in one chunk with more inserts.
    "vi modes mid-chunk": (True, ["abc def", "\x1b", "0xwiQ\x1b$aZ", "\r"]),
    # history search moves the focus to the search field and back.
    "ctrl-r search": (False, ["\x12hist", "\r", "!", "\r"]),
    # a completion menu changes which bindings apply to Enter and Tab.
    "completion menu": (False, ["ap", "\t", "\t", "\r", "\r"]),
}


async def accepted_text(chunks: list[str], vi: bool, cached: bool) -> str:
    with create_pipe_input() as pipe:
        session: PromptSession[str] = PromptSession(
            input=pipe,
            output=DummyOutput(),
            vi_mode=vi,
            completer=WordCompleter(["apple", "apricot"]),
        )
        session.history.append_string("history line")
        if cached:
            look_up_bindings_per_screen(session.app)
            assert isinstance(session.app.key_processor._bindings, BindingsPerScreen)
        answer = asyncio.ensure_future(session.prompt_async("> "))
        for chunk in chunks:
            await asyncio.sleep(0.05)  # each chunk is one read, processed as one batch
            if answer.done():
                break
            pipe.send_text(chunk)
        return await asyncio.wait_for(answer, 5)


@pytest.mark.parametrize("name", SCRIPTS)
def test_cached_lookup_edits_as_prompt_toolkit_does(name):
    vi, chunks = SCRIPTS[name]
    theirs = asyncio.run(accepted_text(chunks, vi, cached=False))
    ours = asyncio.run(accepted_text(chunks, vi, cached=True))
    assert ours == theirs
    assert ours  # the script did edit something: an empty answer would prove nothing
