"""The kernel layer alone against the real ipykernel: no terminal, no prompt."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from typing import Any

import psutil
import pytest

from ick.kernel.errors import KernelDied
from ick.kernel.local import LocalKernel
from ick.kernel.zmq_client import ZmqKernelClient
from tests.support.kernels import local_kernel_pid as kernel_pid
from tests.support.waiting import until


def run(coro):
    return asyncio.run(coro)


async def started() -> LocalKernel:
    kernel = await LocalKernel.launch("python3")
    await kernel.wait_ready(60)
    return kernel


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_execute_routes_output_and_returns_the_reply():
    async def scenario() -> None:
        kernel = await started()
        try:
            assert kernel.language_info["name"] == "python"
            seen: list[tuple[str, Any]] = []
            reply = await kernel.execute(
                "print('out'); 6 * 7",
                lambda m: seen.append((m["header"]["msg_type"], m["content"])),
            )
            assert reply["status"] == "ok"
            kinds = [kind for kind, _ in seen]
            assert "stream" in kinds and "execute_result" in kinds
            result = next(body for kind, body in seen if kind == "execute_result")
            assert result["data"]["text/plain"] == "42"
            assert result["execution_count"] == reply["execution_count"]
        finally:
            await kernel.shutdown()

    run(scenario())


def test_stdin_requests_are_answered_by_the_handler():
    async def scenario() -> None:
        kernel = await started()
        asked: list[tuple[str, bool]] = []

        async def answer(prompt: str, password: bool) -> str:
            asked.append((prompt, password))
            return "Ada"

        kernel.stdin_handler = answer
        try:
            seen: list[dict[str, Any]] = []
            await kernel.execute("print(input('name? ') + '!')", lambda m: seen.append(m))
            assert asked == [("name? ", False)]
            assert any(m["content"].get("text") == "Ada!\n" for m in seen)
        finally:
            await kernel.shutdown()

    run(scenario())


def test_is_complete_uses_the_kernels_verdict():
    async def scenario() -> None:
        kernel = await started()
        try:
            verdict = await kernel.is_complete("for x in range(3):")
            assert verdict == {"status": "incomplete", "indent": "    "}
            assert (await kernel.is_complete("x = 1"))["status"] == "complete"
        finally:
            await kernel.shutdown()

    run(scenario())


def test_sigkill_fails_the_running_execution_within_seconds_and_restart_works():
    async def scenario() -> None:
        kernel = await started()
        deaths: list[str] = []
        kernel.add_death_listener(deaths.append)
        try:
            printed: list[str] = []
            code = "import time; print('sleep' + 'ing', flush=True); time.sleep(60)"
            running = asyncio.ensure_future(
                kernel.execute(code, lambda msg: printed.append(msg["content"].get("text", "")))
            )
            await until(lambda: "sleeping" in "".join(printed), what="the execution running")
            os.kill(kernel_pid(kernel), signal.SIGKILL)
            killed = time.monotonic()
            with pytest.raises(KernelDied):
                await asyncio.wait_for(running, 10)
            assert time.monotonic() - killed < 3
            assert deaths and kernel.is_dead

            await kernel.restart(timeout=60)
            assert not kernel.is_dead
            reply = await kernel.execute("'fresh' if 'time' not in dir() else 'stale'", print)
            assert reply["status"] == "ok" and reply["execution_count"] == 1
        finally:
            await kernel.shutdown()

    run(scenario())


def test_an_attached_kernel_that_is_frozen_is_not_answering_and_one_that_is_killed_is_dead():
    """Without the process to poll, only a port that nothing listens on any more is death.

    A stopped process answers neither pings nor on its port (the system still accepts the
    connection, no greeting follows): ick says so, and says so again when it answers.
    """

    async def until(condition, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"not yet: {warnings} {deaths}"
            await asyncio.sleep(0.05)

    warnings: list[str] = []
    deaths: list[str] = []

    async def scenario() -> None:
        kernel = await started()
        pid = kernel_pid(kernel)
        attached = ZmqKernelClient(kernel.process.connection_info, "python3")
        attached.on_warning = warnings.append
        attached.open_channels()
        attached.add_death_listener(deaths.append)
        try:
            await attached.wait_ready(30)
            os.kill(pid, signal.SIGSTOP)
            await until(lambda: warnings)
            assert warnings == ["the python3 kernel is not answering heartbeats, nor on its port"]
            os.kill(pid, signal.SIGCONT)
            await until(lambda: len(warnings) == 2)
            assert warnings[1] == "the python3 kernel is answering heartbeats again"
            reply = await attached.execute("1 + 1", lambda msg: None, timeout=30)
            assert reply["status"] == "ok" and not deaths

            os.kill(pid, signal.SIGKILL)
            await until(lambda: deaths)  # within seconds: no computation can excuse it
            assert "nothing listens on its port" in deaths[0] and attached.is_dead
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
            await attached.close_channels()
            await kernel.shutdown()

    run(scenario())


def test_shutdown_leaves_no_kernel_process():
    async def scenario() -> int:
        kernel = await started()
        pid = kernel_pid(kernel)
        await kernel.shutdown()
        return pid

    pid = run(scenario())
    assert gone(pid)
