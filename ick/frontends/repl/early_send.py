"""Sending the execute_request the moment Enter accepts the input.

When Enter accepts, prompt_toolkit still has work to do before ``prompt_async``
returns: a last render of the input as done, resetting the terminal, tearing
the application down: a large part of a tiny execution's round trip, every
time.  Sending the request from the accept handler
instead lets the kernel run the code while the prompt tidies itself away.

The kernel can answer before the prompt is gone, and nothing may be written
to the terminal while it is there: :class:`HeldOutput` keeps the execution's
messages until the REPL has set up the output area and connects it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from prompt_toolkit.application import get_app
from prompt_toolkit.buffer import Buffer

from ick.messages import Message, OutputCallback


class HeldOutput:
    """An output callback that keeps messages until :meth:`connect` says where they go."""

    def __init__(self) -> None:
        self._held: list[Message] = []
        self._target: OutputCallback | None = None

    def __call__(self, msg: Message) -> None:
        if self._target is None:
            self._held.append(msg)
        else:
            self._target(msg)

    def connect(self, target: OutputCallback) -> None:
        """Hand over what was kept, in order, and pass everything on from now."""
        self._target = target
        held, self._held = self._held, []
        for msg in held:
            target(msg)


@dataclass
class EarlyExecution:
    """An execution sent as its input was accepted, before the prompt returned it."""

    code: str
    reply: asyncio.Task[dict[str, Any]]
    output: HeldOutput
    #: The event loop's time when it was sent: the run's duration counts from there.
    sent_at: float


StartExecution = Callable[[str, HeldOutput], asyncio.Task[dict[str, Any]] | None]
"""Sends ``code`` with its output held; ``None`` when it is not code to send now."""


class EarlySender:
    """The prompt's accept handler: ends the prompt as prompt_toolkit's does, sending first."""

    def __init__(self, start: StartExecution) -> None:
        self._start = start
        self._early: EarlyExecution | None = None

    def __call__(self, buffer: Buffer) -> bool:
        code = buffer.document.text
        output = HeldOutput()
        sent_at = asyncio.get_running_loop().time()
        reply = self._start(code, output)
        self._early = None
        if reply is not None:
            # The REPL awaits it and reports its errors; should the prompt end otherwise
            # (the kernel died that instant), asyncio must not print them as unretrieved.
            reply.add_done_callback(_retrieve)
            self._early = EarlyExecution(code, reply, output, sent_at)
        get_app().exit(result=code, style="class:accepted")
        return True  # keep the text: the session resets the buffer itself

    def take(self, code: str) -> EarlyExecution | None:
        """The execution already sent for ``code``, if it was; each is taken once."""
        early, self._early = self._early, None
        if early is not None and early.code != code:
            # Cannot happen while the prompt returns what it accepted; never show the
            # wrong output for an input if it ever does.
            early.reply.cancel()
            return None
        return early


def _retrieve(task: asyncio.Task[dict[str, Any]]) -> None:
    if not task.cancelled():
        task.exception()
