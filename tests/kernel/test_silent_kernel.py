"""The kernel layer against a kernel that never answers, or answers with the wrong key.

The client talks real ZeroMQ to the scripted kernel of ``tests/support``: every
request type ick may send has a time limit, and a message whose signature
does not match the connection key never reaches the router.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest

from ick.kernel.errors import RequestTimeout
from ick.kernel.zmq_client import ZmqKernelClient
from ick.messages import Message

from ..support.scripted_kernel import REQUESTS, ScriptedKernel, WireMessage

# Every request a front end may make after start-up, with a body the kernel would accept.
REQUEST_BODIES: dict[str, dict[str, Any]] = {
    "execute_request": {"code": "1", "silent": False},
    "complete_request": {"code": "pri", "cursor_pos": 3},
    "is_complete_request": {"code": "for x in y:"},
    "inspect_request": {"code": "print", "cursor_pos": 5, "detail_level": 0},
    "history_request": {"hist_access_type": "tail", "n": 10, "output": False, "raw": True},
    "comm_info_request": {},
}


async def connected(kernel: ScriptedKernel) -> ZmqKernelClient:
    client = ZmqKernelClient(json.loads(kernel.connection_file.read_text()), "scripted")
    client.open_channels()
    await client.wait_ready(10)
    return client


@pytest.mark.parametrize("msg_type", sorted(REQUEST_BODIES))
def test_every_request_times_out_on_a_silent_kernel(tmp_path: Path, msg_type: str):
    silent = REQUESTS - {"kernel_info_request"}

    async def scenario(kernel: ScriptedKernel) -> None:
        client = await connected(kernel)
        try:
            started = time.monotonic()
            with pytest.raises(RequestTimeout, match=f"did not answer {msg_type} within 0.5 s"):
                await client.request(msg_type, REQUEST_BODIES[msg_type], timeout=0.5)
            assert time.monotonic() - started < 2
            assert kernel.requests_of(msg_type)
        finally:
            await client.shutdown()

    with ScriptedKernel(tmp_path / "kernel.json", silent_to=silent) as kernel:
        asyncio.run(scenario(kernel))


def test_is_complete_without_an_answer_is_no_verdict(tmp_path: Path):
    async def scenario(kernel: ScriptedKernel) -> None:
        client = await connected(kernel)
        try:
            assert await client.is_complete("for x in y:", timeout=0.3) is None
        finally:
            await client.shutdown()

    with ScriptedKernel(tmp_path / "kernel.json", silent_to={"is_complete_request"}) as kernel:
        asyncio.run(scenario(kernel))


def test_messages_signed_with_another_key_are_dropped_with_one_warning(tmp_path: Path):
    forged = [
        WireMessage("iopub", "stream", {"name": "stdout", "text": f"forged {i}\n"}, wrong_key=True)
        for i in range(3)
    ]
    forged_reply = WireMessage("shell", "execute_reply", {"status": "ok"}, wrong_key=True)

    def on_execute(kernel: ScriptedKernel, request: Message) -> None:
        for message in forged:
            kernel.send(message)
        kernel.send(forged_reply)
        kernel.stream("genuine\n")

    async def scenario(kernel: ScriptedKernel) -> None:
        client = await connected(kernel)
        warnings: list[str] = []
        client.on_warning = warnings.append
        seen: list[Message] = []
        try:
            reply = await client.execute("x", seen.append, timeout=10)
        finally:
            await client.shutdown()
        texts = [m["content"].get("text") for m in seen if m["header"]["msg_type"] == "stream"]
        assert texts == ["genuine\n"]
        assert reply["execution_count"] == 1  # the genuine reply, not the forged one
        assert len(warnings) <= 2, warnings  # at most once per channel
        assert all("unreadable" in warning for warning in warnings)
        # And ick's own messages carry the right signature.
        assert kernel.bad_signatures == 0

    with ScriptedKernel(tmp_path / "kernel.json", on_execute=on_execute) as kernel:
        asyncio.run(scenario(kernel))
