"""Wire quirks of real kernels, handled in the kernel layer without per-kernel code.

The messages are built by hand (as in ``test_router.py``) in the shapes the
real kernels send (see the conformance suite for the same kernels end to end):
the client logic is checked alone, through the real router.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
import zmq
import zmq.asyncio

from ick.kernel.errors import RequestTimeout
from ick.kernel.heartbeat import HeartbeatMonitor, probe_listener
from ick.messages import Message, msg_type

from ..support.scripted_client import Reply, Script, ScriptedClient, message


def execute(script: Script) -> tuple[dict[str, Any], list[Message]]:
    outputs: list[Message] = []

    async def scenario() -> dict[str, Any]:
        client = ScriptedClient(script)
        client.IDLE_GRACE = 0.2
        return await client.execute("code", outputs.append, timeout=5)

    return asyncio.run(scenario()), outputs


def busy_then(msg_id: str, reply: dict[str, Any], *outputs: Message) -> list[Reply]:
    return [
        ("iopub", message("status", msg_id, execution_state="busy")),
        *(("iopub", output) for output in outputs),
        ("shell", message("execute_reply", msg_id, **reply)),
        ("iopub", message("status", msg_id, execution_state="idle")),
    ]


def test_an_error_only_in_the_reply_becomes_an_error_output():
    # Deno: a syntax error or an interrupt comes as the reply's ename/evalue, no iopub error.
    reply, outputs = execute(
        lambda kind, msg_id: busy_then(
            msg_id, {"status": "error", "ename": "Error", "evalue": "Execution failed"}
        )
    )
    assert reply["status"] == "error"
    assert [msg_type(msg) for msg in outputs] == ["error"]
    assert outputs[0]["content"] == {"ename": "Error", "evalue": "Execution failed"}


def test_a_bare_error_reply_adds_nothing_to_what_the_kernel_printed():
    # tslab: the message went to stderr; the reply says only "error".
    def script(kind: str, msg_id: str) -> list[Reply]:
        stderr = message("stream", msg_id, name="stderr", text="Error: boom\n")
        return busy_then(msg_id, {"status": "error"}, stderr)

    _, outputs = execute(script)
    assert [msg_type(msg) for msg in outputs] == ["stream"]


def test_an_error_sent_on_iopub_is_not_shown_twice():
    error = {"ename": "ZeroDivisionError", "evalue": "division by zero", "traceback": ["tb"]}
    _, outputs = execute(
        lambda kind, msg_id: busy_then(
            msg_id, {"status": "error", **error}, message("error", msg_id, **error)
        )
    )
    assert [msg_type(msg) for msg in outputs] == ["error"]


def test_an_aborted_reply_is_returned_as_it_is():
    # IRkernel and bash_kernel after an interrupt; tslab right after an error.
    reply, outputs = execute(lambda kind, msg_id: busy_then(msg_id, {"status": "abort"}))
    assert reply == {"status": "abort"} and outputs == []


def test_output_after_the_reply_but_before_idle_belongs_to_the_request():
    # Deno and tslab send execute_reply before their output.
    def script(kind: str, msg_id: str) -> list[Reply]:
        return [
            ("iopub", message("status", msg_id, execution_state="busy")),
            ("shell", message("execute_reply", msg_id, status="ok")),
            ("iopub", message("stream", msg_id, name="stdout", text="late\n")),
            ("iopub", message("status", msg_id, execution_state="idle")),
        ]

    _, outputs = execute(script)
    assert [msg["content"].get("text") for msg in outputs] == ["late\n"]


def test_a_request_the_kernel_never_answers_times_out():
    # ijavascript never answers comm_info_request, tslab never answers history_request.
    async def scenario() -> None:
        client = ScriptedClient(lambda kind, msg_id: [])
        with pytest.raises(RequestTimeout, match="did not answer comm_info_request"):
            await client.request("comm_info_request", {}, timeout=0.2)

    asyncio.run(scenario())


async def until_true(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0.01)


def test_a_slow_starter_is_not_dead_until_it_has_answered_a_heartbeat():
    """tslab answers heartbeats only seconds after start on a loaded machine."""

    async def scenario() -> None:
        context = zmq.asyncio.Context.instance()
        kernel_side = context.socket(zmq.REP)
        port = kernel_side.bind_to_random_port("tcp://127.0.0.1")
        deaths: list[str] = []

        def connect() -> zmq.asyncio.Socket:
            socket = context.socket(zmq.REQ)
            socket.connect(f"tcp://127.0.0.1:{port}")
            return socket

        monitor = HeartbeatMonitor(
            connect=connect,
            on_death=deaths.append,
            listener=lambda: probe_listener({"ip": "127.0.0.1", "hb_port": port}),
            interval=0.02,
            timeout=0.05,
        )
        monitor.start()
        await asyncio.sleep(0.5)  # ten timeouts, no answer yet: still starting
        assert deaths == []

        async def echo() -> None:
            while True:
                await kernel_side.send(await kernel_side.recv())

        answering = asyncio.ensure_future(echo())  # the kernel is up
        await asyncio.sleep(0.3)
        assert deaths == []
        answering.cancel()  # then it is gone
        kernel_side.close(linger=0)
        await asyncio.wait_for(until_true(lambda: bool(deaths)), 10)
        await monitor.stop()
        assert "heartbeats" in deaths[0]

    asyncio.run(scenario())
