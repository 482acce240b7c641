"""Tab completion: asked in the background, abandoned when the user types on or the kernel
is silent, with ipykernel's experimental types shown beside the matches."""

from __future__ import annotations

import asyncio
import time

from prompt_toolkit.buffer import Buffer
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from ick.frontends.repl.completion import KernelCompleter
from tests.support.scripted_client import Reply, ScriptedClient, message


def complete(completer: KernelCompleter, text: str) -> list:
    async def collect() -> list:
        document = Document(text, len(text))
        return [c async for c in completer.get_completions_async(document, CompleteEvent())]

    return asyncio.run(collect())


def test_matches_come_with_the_kernels_types():
    def script(kind: str, msg_id: str) -> list[Reply]:
        types = [
            {"text": "conformance_value", "type": "instance"},
            {"text": "conformance_other", "type": "<unknown>"},
        ]
        reply = message(
            "complete_reply",
            msg_id,
            status="ok",
            matches=[
                "conformance_value",
                "conformance_value",
                "conformance_other",
                "\x1b[31mcon_x",
            ],
            cursor_start=0,
            cursor_end=7,
            metadata={"_jupyter_types_experimental": types},
        )
        return [("shell", reply)]

    completions = complete(KernelCompleter(ScriptedClient(script)), "conform")
    assert [(c.text, c.display_meta_text) for c in completions] == [
        ("conformance_value", "instance"),
        ("conformance_other", ""),  # ipykernel's "<unknown>" says nothing: nothing is shown
        ("con_x", ""),  # no escapes reach the user's code
    ]


def test_typing_on_abandons_the_question_at_once():
    buffer = Buffer()
    client = ScriptedClient(lambda kind, msg_id: [])  # a kernel that never answers
    completer = KernelCompleter(client, timeout=30, edited_buffer=lambda: buffer)

    async def scenario() -> tuple[list, float]:
        asyncio.get_running_loop().call_later(0.1, buffer.insert_text, "x")
        started = time.monotonic()
        document = Document("conf", 4)
        found = [c async for c in completer.get_completions_async(document, CompleteEvent())]
        return found, time.monotonic() - started

    found, took = asyncio.run(scenario())
    assert found == [] and took < 2
    assert not client.router._pending, "the abandoned request is still tracked"


def test_a_silent_kernel_is_given_up_on_after_the_timeout():
    client = ScriptedClient(lambda kind, msg_id: [])
    completer = KernelCompleter(client, timeout=0.2, edited_buffer=lambda: None)
    started = time.monotonic()
    assert complete(completer, "conf") == []
    assert time.monotonic() - started < 2
