"""Busy or dead: what a kernel's heartbeat port says when pings go unanswered.

Real sockets on 127.0.0.1 stand for the kernel's side: a ZeroMQ REP socket
that echoes pings or stops echoing (as IRkernel does while it computes), a
port nothing listens on, a TCP listener that accepts and never speaks (as
the system does for a stopped process).  The same judgement against real
kernels is in tests/frontends/test_existing.py and tests/kernel/test_local.py.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterator

import pytest
import zmq
import zmq.asyncio

from ick.kernel.heartbeat import HeartbeatMonitor, ListenerState, probe_listener


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def until(condition: Callable[[], bool], timeout: float = 10) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield int(server.getsockname()[1])


class KernelSide:
    """The kernel's heartbeat: a bound REP socket that echoes pings while ``answering``."""

    def __init__(self) -> None:
        self.context = zmq.asyncio.Context.instance()
        self.socket = self.context.socket(zmq.REP)
        self.port = self.socket.bind_to_random_port("tcp://127.0.0.1")
        self.answering = asyncio.Event()
        self.answering.set()
        self.echoed = 0
        self._echo = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while True:
            ping = await self.socket.recv()
            await self.answering.wait()
            await self.socket.send(ping)
            self.echoed += 1

    def connect(self) -> zmq.asyncio.Socket:
        client = self.context.socket(zmq.REQ)
        client.connect(f"tcp://127.0.0.1:{self.port}")
        return client

    async def close(self) -> None:
        if not self._echo.done():
            self._echo.cancel()
            with pytest.raises(asyncio.CancelledError):
                await self._echo
        self.socket.close(linger=0)


def test_a_zeromq_port_greets_a_closed_port_is_gone_a_mute_one_is_silent(silent_listener):
    async def scenario() -> None:
        kernel = KernelSide()
        try:
            assert await probe_listener({"hb_port": kernel.port}) is ListenerState.GREETS
        finally:
            await kernel.close()
        closed = {"ip": "127.0.0.1", "hb_port": free_port()}
        assert await probe_listener(closed) is ListenerState.GONE
        mute = {"ip": "127.0.0.1", "hb_port": silent_listener}
        assert await probe_listener(mute, timeout=0.2) is ListenerState.SILENT
        # An ipc endpoint whose file is gone: nothing listens there either.
        gone_ipc = {"transport": "ipc", "ip": "/nonexistent/kernel", "hb_port": 1}
        assert await probe_listener(gone_ipc) is ListenerState.GONE

    asyncio.run(scenario())


def test_a_busy_kernel_that_stops_answering_is_left_alone_and_an_idle_one_warned_about():
    async def scenario() -> None:
        kernel = KernelSide()
        busy = True
        warnings: list[str] = []
        deaths: list[str] = []
        probes = 0

        async def listener() -> ListenerState:
            nonlocal probes
            probes += 1
            return await probe_listener({"ip": "127.0.0.1", "hb_port": kernel.port})

        monitor = HeartbeatMonitor(
            connect=kernel.connect,
            on_death=deaths.append,
            listener=listener,
            busy=lambda: busy,
            on_warning=warnings.append,
            kernel_name="ir",
            interval=0.02,
            timeout=0.05,
        )
        monitor.start()
        try:
            await until(lambda: kernel.echoed > 0)  # up: from now on a missed ping counts
            kernel.answering.clear()  # computing, as IRkernel does, with its iopub at busy
            await until(lambda: probes >= 5)
            assert (warnings, deaths) == ([], [])

            busy = False  # idle now, and still no answer: worth a word, not a death
            await until(lambda: bool(warnings))
            assert warnings == ["the ir kernel is not answering heartbeats (its port still is)"]
            kernel.answering.set()
            await until(lambda: len(warnings) == 2)
            assert warnings[1] == "the ir kernel is answering heartbeats again"
            assert deaths == []

            await kernel.close()  # the process is gone: its port with it
            await until(lambda: bool(deaths))
            assert deaths == ["it missed 3 heartbeats and nothing listens on its port any more"]
        finally:
            await monitor.stop()
            await kernel.close()

    asyncio.run(scenario())


def test_a_kernel_that_never_answered_is_dead_only_if_its_port_stays_closed():
    async def scenario() -> None:
        port = free_port()  # a connection file left by a kernel long gone
        deaths: list[str] = []

        def connect() -> zmq.asyncio.Socket:
            client = zmq.asyncio.Context.instance().socket(zmq.REQ)
            client.connect(f"tcp://127.0.0.1:{port}")
            return client

        monitor = HeartbeatMonitor(
            connect=connect,
            on_death=deaths.append,
            listener=lambda: probe_listener({"ip": "127.0.0.1", "hb_port": port}),
            interval=0.02,
            timeout=0.05,
        )
        monitor.start()
        try:
            await until(lambda: bool(deaths))
        finally:
            await monitor.stop()
        assert deaths == ["nothing listens on its heartbeat port; is it still running?"]

    asyncio.run(scenario())
