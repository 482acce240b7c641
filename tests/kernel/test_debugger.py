"""The debug protocol through ick's own client, against the real ipykernel and xeus-python.

No terminal: the kernel layer alone, as the REPL's ``)vars``, ``)break`` and debug
prompt will drive it.  The kernels with a debugger run the shared checks of
:mod:`tests.kernel.debug_scenarios`; the rest covers what only a local kernel
allows (killing it while stopped, a second client on the same kernel) and kernels
without a debugger.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from ick.kernel.debugger import DebugSession, FileNaming, murmur2
from ick.kernel.errors import KernelDied, NoDebugger
from ick.kernel.local import LocalKernel
from ick.kernel.zmq_client import ZmqKernelClient
from tests.support.kernels import local_kernel_pid
from tests.support.terminal import PROJECT_KERNELS

from .debug_scenarios import (
    WAIT,
    Debugging,
    check_breakpoint_and_steps,
    check_exception_breakpoint,
    check_variables,
)

#: ick's own ipykernel, and xeus-python from the project's kernels (scripts/setup-dev).
DEBUGGING_KERNELS = ["python3", "xpython"]


@pytest.fixture(autouse=True)
def project_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    """Find the kernelspecs of the project's kernels (xpython, bash) the way the tests' ick does."""
    paths = [str(PROJECT_KERNELS), os.environ.get("JUPYTER_PATH", "")]
    monkeypatch.setenv("JUPYTER_PATH", os.pathsep.join(path for path in paths if path))


@asynccontextmanager
async def kernel(name: str) -> AsyncIterator[LocalKernel]:
    started = await LocalKernel.launch(name)
    try:
        await started.wait_ready(60)
        yield started
    finally:
        await started.shutdown()


def on_kernel(name: str, check: Callable[[Debugging], Awaitable[None]]) -> None:
    async def scenario() -> None:
        async with kernel(name) as client:
            await check(Debugging(client))

    asyncio.run(scenario())


@pytest.mark.parametrize("name", DEBUGGING_KERNELS)
def test_variables_of_the_kernel_with_their_types(name: str) -> None:
    on_kernel(name, check_variables)


@pytest.mark.parametrize("name", DEBUGGING_KERNELS)
def test_a_breakpoint_in_an_earlier_input_stops_and_steps(name: str) -> None:
    on_kernel(name, check_breakpoint_and_steps)


@pytest.mark.parametrize("name", DEBUGGING_KERNELS)
def test_a_raised_exception_stops_inside_the_function(name: str) -> None:
    on_kernel(name, check_exception_breakpoint)


@pytest.mark.parametrize("name", DEBUGGING_KERNELS)
def test_ick_names_input_files_as_the_kernel_does(name: str) -> None:
    """Frames of inputs never dumped lead back to their input: ick's hash of the code
    gives the very file the kernel's dumpCell writes."""
    codes = ["a", "ab", "abc", "abcd", "x = 1\n" * 37, "s = 'é∑😀'\nprint(s)\n"]

    async def scenario() -> None:
        async with kernel(name) as client:
            session = DebugSession(client=client)
            for number, code in enumerate(codes, start=1):
                session.remember_input(number, code)
            await session.start()
            for number in range(1, len(codes) + 1):
                named = session.sources.path_of(number)
                assert await session.dump_input(number) == named
                assert session.sources.input_at(named) == number
            await session.close()

    asyncio.run(scenario())


def test_murmur2_matches_the_reference_values() -> None:
    # ipykernel's own implementation (ipykernel.compiler.murmur2_x86) is the reference.
    from ipykernel.compiler import murmur2_x86

    for text in ["", "a", "ab", "abc", "abcd", "abcde", "def f(x):\n    return x\n", "é😀"]:
        assert murmur2(text.encode("utf-8"), 0xC70F6907) == murmur2_x86(text, 0xC70F6907)
    naming = FileNaming(prefix="/tmp/k/", suffix=".py", seed=0xC70F6907, method="Murmur2")
    assert naming.path_of("abc") == f"/tmp/k/{murmur2_x86('abc', 0xC70F6907)}.py"
    assert FileNaming(prefix="", suffix="", seed=0, method="sha1").path_of("abc") is None


def test_a_kernel_killed_while_stopped_fails_like_any_death() -> None:
    async def scenario() -> None:
        async with kernel("python3") as client:
            debugging = Debugging(client)
            session = debugging.session
            defined = await debugging.run("def f(x):\n    return x\n")
            await session.add_breakpoint(input_number=defined, line=2)
            running = debugging.execute("f(1)")
            await debugging.next_stop()
            # The kernel dies while stopped, with a debug request of ours waiting on it:
            # both it and the execution fail with the death, not a timeout.
            with pytest.raises(KernelDied):
                await session.evaluate(f"__import__('os').kill({local_kernel_pid(client)}, 9)")
            with pytest.raises(KernelDied):
                await asyncio.wait_for(running, WAIT)
            assert session.stop is None and not session.attached
            with pytest.raises(KernelDied):
                await session.global_variables()

    asyncio.run(scenario())


def test_another_clients_stop_is_not_taken_for_ours() -> None:
    """JupyterLab's session on the same kernel: its execution stops at a breakpoint, and
    only its session hears of it, although the kernel's debugger is shared."""

    async def scenario() -> None:
        async with kernel("python3") as client:
            ours = Debugging(client)
            defined = await ours.run("def f(x):\n    y = x + 1\n    return y\n")
            await ours.session.add_breakpoint(input_number=defined, line=2)

            other = ZmqKernelClient(client.process.connection_info, "python3")
            other.open_channels()
            try:
                await other.wait_ready(30)
                theirs = Debugging(other)
                await theirs.session.start()  # joins the debugger ick started
                theirs.session.remember_input(defined, "def f(x):\n    y = x + 1\n    return y\n")
                running = theirs.execute("f(1)")
                stop = await theirs.next_stop()
                assert stop.reason == "breakpoint"
                assert (await theirs.session.current_frame()).name == "f"
                assert ours.stops.empty() and ours.session.stop is None
                await theirs.session.resume()
                assert (await asyncio.wait_for(running, WAIT))["status"] == "ok"
                await theirs.session.close()
                # Ick's session and breakpoint are still there: its own f(1) stops.
                assert ours.session.attached
                running = ours.execute("f(2)")
                assert (await ours.next_stop()).reason == "breakpoint"
                assert ours.session.stop is not None
                await ours.session.close()
                assert (await asyncio.wait_for(running, WAIT))["status"] == "ok"
            finally:
                await other.shutdown()

    asyncio.run(scenario())


def test_a_kernel_without_a_debugger_is_reported_as_such() -> None:
    async def scenario() -> None:
        async with kernel("bash") as client:
            # bash_kernel's kernel_info claims a debugger (ipykernel's base class adds it);
            # its kernelspec, like JupyterLab, says otherwise.
            assert await client.has_debugger() is False
            session = DebugSession(client=client)
            with pytest.raises(NoDebugger, match=r"^the bash kernel has no debugger$"):
                await session.start()
            with pytest.raises(NoDebugger):
                await session.global_variables()
            # Attached through its connection file, the kernelspec it names decides.
            info = {**client.process.connection_info, "kernel_name": "bash"}
            assert await ZmqKernelClient(info, "bash").has_debugger() is False

    asyncio.run(scenario())
