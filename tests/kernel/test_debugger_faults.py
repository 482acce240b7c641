"""Debug-protocol faults no real kernel shows on demand, from the scripted kernel.

A debugger that refuses a request, one that never answers, and debug events of
the wrong shape: each ends in a one-line :class:`DebuggerError` (or is ignored)
and leaves the kernel usable.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from ick.kernel.debugger import DebugSession
from ick.kernel.errors import DebuggerError, DebugRequestFailed, NoDebugger
from ick.kernel.zmq_client import ZmqKernelClient
from ick.messages import Message, msg_type

from ..support.scripted_kernel import DEFAULT_KERNEL_INFO, DebugHandler, ScriptedKernel

WITH_DEBUGGER = {**DEFAULT_KERNEL_INFO, "supported_features": ["debugger"]}


@asynccontextmanager
async def attached(
    tmp_path: Path, on_debug: DebugHandler | None = None, **options: Any
) -> AsyncIterator[tuple[ScriptedKernel, ZmqKernelClient]]:
    """ick's client on a scripted kernel that claims a debugger."""
    connection_file = tmp_path / f"kernel-{len(list(tmp_path.glob('kernel-*.json')))}.json"
    kernel = ScriptedKernel(
        connection_file,
        on_debug=on_debug,
        kernel_info=options.pop("kernel_info", WITH_DEBUGGER),
        **options,
    ).start()
    client = ZmqKernelClient(json.loads(connection_file.read_text()), "scripted")
    client.open_channels()
    try:
        await client.wait_ready(10)
        yield kernel, client
        assert (await client.execute("after", lambda msg: None))["status"] == "ok"
    finally:
        await client.shutdown()
        kernel.stop()
    assert kernel.errors == []


def refusing(command: str, message: str) -> DebugHandler:
    """Answers every DAP request with success, except ``command`` with ``message``."""

    def answer(kernel: ScriptedKernel, request: dict[str, Any]) -> dict[str, Any]:
        refused = request.get("command") == command
        reply = {
            "type": "response",
            "request_seq": request.get("seq"),
            "command": request.get("command"),
            "success": not refused,
        }
        return {**reply, "message": message} if refused else reply

    return answer


def test_a_refused_request_is_one_line_and_the_session_goes_on(tmp_path: Path) -> None:
    traceback = 'Traceback (most recent call last):\n  File "x"\nRuntimeError:   no  debugpy\n'

    async def scenario() -> None:
        async with attached(tmp_path, refusing("initialize", traceback)) as (_, client):
            session = DebugSession(client=client)
            with pytest.raises(DebugRequestFailed) as refused:
                await session.start()
            assert str(refused.value) == (
                "the scripted kernel's debugger refused initialize: RuntimeError: no debugpy"
            )
            assert not session.attached
        async with attached(tmp_path, refusing("setExceptionBreakpoints", "\n\n")) as (_, client):
            session = DebugSession(client=client)
            await session.start()
            assert session.attached
            with pytest.raises(DebugRequestFailed) as refused:
                await session.break_on_exceptions()
            assert str(refused.value) == (
                "the scripted kernel's debugger refused setExceptionBreakpoints: no reason given"
            )
            assert not session.breaking_on_exceptions and session.attached
            with pytest.raises(DebuggerError, match=r"^the kernel is not stopped in the debugger$"):
                await session.frames()
            await session.close()

    asyncio.run(scenario())


def test_a_request_never_answered_times_out_with_one_line(tmp_path: Path) -> None:
    def silent_on_attach(kernel: ScriptedKernel, request: dict[str, Any]) -> dict[str, Any] | None:
        if request.get("command") == "attach":
            return None
        return refusing("none", "")(kernel, request)

    async def scenario() -> None:
        async with attached(tmp_path, silent_on_attach) as (kernel, client):
            session = DebugSession(client=client)
            session.START_TIMEOUT = 0.5
            with pytest.raises(DebuggerError) as timed_out:
                await session.start()
            assert str(timed_out.value) == (
                "the scripted kernel's debugger did not answer attach within 0.5 s"
            )
            assert not session.attached
            commands = [body.get("command") for body in kernel.requests_of("debug_request")]
            assert commands == ["debugInfo", "initialize", "attach"]

    asyncio.run(scenario())


def test_a_kernel_whose_kernel_info_claims_no_debugger_is_not_asked(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with attached(tmp_path, kernel_info=DEFAULT_KERNEL_INFO) as (kernel, client):
            session = DebugSession(client=client)
            with pytest.raises(NoDebugger, match=r"^the scripted kernel has no debugger$"):
                await session.global_variables()
            assert kernel.requests_of("debug_request") == []

    asyncio.run(scenario())


def test_malformed_debug_events_are_ignored_and_never_shown_as_output(tmp_path: Path) -> None:
    hostile = "\x1b]52;c;cHduZWQ=\x07Boom\x1b[6n"
    events: list[Any] = [
        {"type": "event", "event": "stopped", "body": "junk"},
        {"type": "event", "event": "stopped", "body": {"threadId": "1", "reason": "step"}},
        {"type": "event", "event": 5},
        {"type": "event", "event": "continued", "body": {"threadId": None}},
        {"type": "event"},
        {
            "type": "event",
            "event": "stopped",
            "body": {"reason": "exception", "threadId": 7, "text": hostile, "description": 3},
        },
    ]

    def on_execute(kernel: ScriptedKernel, request: Message) -> None:
        for event in events:
            kernel.publish("debug_event", event)
        kernel.stream("done\n")

    async def scenario() -> None:
        async with attached(tmp_path, on_execute=on_execute) as (_, client):
            stops: list[Any] = []
            broadcast: list[Message] = []
            client.add_listener(lambda msg, own: broadcast.append(msg))
            session = DebugSession(client=client, on_stop=stops.append)
            # Before ick attaches, events belong to someone else's session.
            before: list[Message] = []
            await client.execute("before", before.append)
            assert stops == [] and session.stop is None
            await session.start()
            outputs: list[Message] = []
            await client.execute("during", outputs.append)
            # Only the well-formed stop counts; its text is kept as data for the renderer.
            assert len(stops) == 1
            assert (stops[0].thread_id, stops[0].exception, stops[0].description) == (
                7,
                hostile,
                "",
            )
            shown = [msg_type(msg) for msg in before + outputs + broadcast]
            assert "debug_event" not in shown and "stream" in shown
            session.forget()

    asyncio.run(scenario())
