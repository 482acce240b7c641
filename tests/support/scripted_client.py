"""A kernel client whose "kernel" is a test's script: each request is answered with the
messages the script returns, through the real router, with no sockets.

For the client logic alone (quirks of real kernels' message order, completion, timeouts);
what a real kernel does is tested against the real kernel.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

from ick.kernel.client import KernelClient
from ick.messages import Message

Reply = tuple[str, Message]  # (channel the message arrives on, message)
Script = Callable[[str, str], list[Reply]]  # (msg_type, msg_id) -> what the kernel sends


def message(kind: str, parent: str, **body: Any) -> Message:
    return {"header": {"msg_type": kind}, "parent_header": {"msg_id": parent}, "content": body}


class ScriptedClient(KernelClient):
    """A client whose 'kernel' answers each request as a test's script says."""

    def __init__(self, script: Script) -> None:
        super().__init__()
        self.script = script
        self._ids = itertools.count()

    def send(self, channel: str, kind: str, body: dict[str, Any], parent: Any = None) -> str:
        msg_id = f"request-{next(self._ids)}"
        loop = asyncio.get_running_loop()
        routes = {"shell": self.router.dispatch_reply, "iopub": self.router.dispatch_iopub}
        for delay, (route, msg) in enumerate(self.script(kind, msg_id)):
            loop.call_later(0.001 * (delay + 1), routes[route], msg)
        return msg_id

    async def interrupt(self) -> None:
        pass

    async def restart(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def wait_ready(self, timeout: float) -> dict[str, Any]:
        return {}

    @property
    def name(self) -> str:
        return "scripted"
