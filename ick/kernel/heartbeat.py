"""Tells a dead kernel from a busy one, and reports the dead one within seconds.

The Jupyter heartbeat channel is a REQ/REP echo.  Most kernels answer it
from a thread of its own, busy or not; IRkernel and tslab answer it only
between executions, so a missed ping alone says "busy or dead", not which.

Where ick owns the kernel process it polls the process itself: that turns a
SIGKILL into a report in well under a second, and the process alone decides.

A kernel someone else started (``--existing``, ``--watch``, over SSH) has no
process to poll, so missed pings are followed by a look at its heartbeat port
(:func:`probe_listener`).  Every ZeroMQ socket greets a new connection from
libzmq's own I/O thread, whatever the kernel's code is doing; a port that
refuses the connection, or closes it without a greeting, has no kernel
behind it any more.  Only that is called death.  A port that greets while
pings go unanswered belongs to a kernel that is there: quietly so while its
iopub says it is busy, with a one-line warning when it is idle or when
nothing answers at all (a frozen process, an unreachable host).  A kernel
that has not answered yet is given longer, but a port that stays closed (a
connection file left by a kernel long gone) is reported within seconds too.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
from collections.abc import Awaitable, Callable
from typing import Any

import zmq
import zmq.asyncio

SocketFactory = Callable[[], zmq.asyncio.Socket]
ProcessProbe = Callable[[], Awaitable[bool]]

#: The first byte of every ZMTP greeting (the signature's padding starts with 0xFF).
ZMTP_SIGNATURE_START = b"\xff"


class ListenerState(enum.Enum):
    """What a kernel's port says when something connects to it."""

    #: A ZeroMQ peer greeted the connection: the kernel's process is there.
    GREETS = "greets"
    #: The connection was refused, or closed before any greeting: nothing listens there.
    GONE = "gone"
    #: Nothing came back in time: a frozen process, an overloaded or unreachable host.
    SILENT = "silent"


ListenerProbe = Callable[[], Awaitable[ListenerState]]


async def probe_listener(
    info: dict[str, Any], channel: str = "hb", timeout: float = 1.0
) -> ListenerState:
    """Connect to ``channel``'s port of the connection ``info`` and wait for ZeroMQ's greeting.

    The connection is closed as soon as the first byte arrives: the kernel's
    libzmq drops a peer that leaves mid-handshake without bothering the kernel.
    """
    transport = str(info.get("transport") or "tcp")
    ip = str(info.get("ip") or "127.0.0.1")
    port = info.get(f"{channel}_port")

    async def first_byte() -> bytes:
        if transport == "ipc":
            reader, writer = await asyncio.open_unix_connection(f"{ip}-{port}")
        else:
            reader, writer = await asyncio.open_connection(ip, port)
        try:
            return await reader.read(1)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    try:
        first = await asyncio.wait_for(first_byte(), timeout)
    except asyncio.TimeoutError:
        return ListenerState.SILENT
    except (ConnectionError, FileNotFoundError):
        return ListenerState.GONE
    except OSError:
        # No route to the host, a name that does not resolve: nothing known of the kernel.
        return ListenerState.SILENT
    return ListenerState.GREETS if first == ZMTP_SIGNATURE_START else ListenerState.GONE


class HeartbeatMonitor:
    """Pings the kernel; calls ``on_death(reason)`` once the evidence says it is gone.

    ``process_alive`` (a kernel ick started) makes the process the only judge.
    Otherwise ``listener`` is asked once several pings in a row went unanswered,
    ``busy`` says whether the kernel's iopub last said it was working, and
    ``on_warning`` receives one line when the kernel stops answering without
    being gone, and one when it answers again.
    """

    def __init__(
        self,
        *,
        connect: SocketFactory,
        on_death: Callable[[str], None],
        process_alive: ProcessProbe | None = None,
        listener: ListenerProbe | None = None,
        busy: Callable[[], bool] = lambda: False,
        on_warning: Callable[[str], None] = lambda text: None,
        kernel_name: str = "",
        interval: float = 0.5,
        timeout: float = 1.0,
        misses_allowed: int = 2,
        misses_before_up: int = 5,
    ) -> None:
        self._connect = connect
        self._on_death = on_death
        self._process_alive = process_alive
        self._listener = listener
        self._busy = busy
        self._on_warning = on_warning
        self._kernel = f"the {kernel_name} kernel" if kernel_name else "the kernel"
        self._interval = interval
        self._timeout = timeout
        self._misses_allowed = misses_allowed
        self._misses_before_up = misses_before_up
        self._task: asyncio.Task[None] | None = None
        # Misses count only once the kernel is known to be up (it answered a ping, or the
        # client got its kernel_info): a slow starter (tslab takes seconds on a loaded
        # machine) is not dead yet, and start-up has its own timeout.  Before that, only
        # a port that stays closed (a connection file left by a kernel long gone) is death.
        self._up = False
        #: The warning last given about a kernel that does not answer, until it answers again.
        self._warned: ListenerState | None = None

    def kernel_is_up(self) -> None:
        """The kernel answered on another channel: from now on missed pings count."""
        self._up = True

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        socket = self._connect()
        misses = 0
        misses_before_up = 0
        try:
            while True:
                if self._process_alive is not None and not await self._process_alive():
                    self._on_death("the kernel process exited")
                    return
                if await self._ping(socket):
                    misses = 0
                    self._up = True
                    self._answered()
                    await asyncio.sleep(self._interval)
                    continue
                if self._up:
                    misses += 1
                else:
                    misses_before_up += 1
                # A REQ socket that missed its reply is stuck in the wrong state: start afresh.
                socket.close(linger=0)
                socket = self._connect()
                if self._process_alive is not None:
                    continue
                reason = None
                if misses > self._misses_allowed:
                    reason = await self._judge_silence(misses)
                elif not self._up and misses_before_up > self._misses_before_up:
                    reason = await self._judge_absence()
                if reason is not None:
                    self._on_death(reason)
                    return
        finally:
            socket.close(linger=0)

    async def _judge_silence(self, misses: int) -> str | None:
        """Why a kernel that missed ``misses`` pings is dead, or ``None`` while it may not be."""
        state = await self._listener() if self._listener is not None else ListenerState.SILENT
        if state is ListenerState.GONE:
            return f"it missed {misses} heartbeats and nothing listens on its port any more"
        if state is ListenerState.GREETS and self._busy():
            return None  # busy, not dead: some kernels answer pings only between executions
        if self._warned is not state:
            self._warned = state
            if state is ListenerState.GREETS:
                self._on_warning(f"{self._kernel} is not answering heartbeats (its port still is)")
            else:
                self._on_warning(f"{self._kernel} is not answering heartbeats, nor on its port")
        return None

    async def _judge_absence(self) -> str | None:
        """Why a kernel that never answered is not there, or ``None`` while it may start."""
        if self._listener is not None and await self._listener() is ListenerState.GONE:
            return "nothing listens on its heartbeat port; is it still running?"
        return None

    def _answered(self) -> None:
        if self._warned is not None:
            self._warned = None
            self._on_warning(f"{self._kernel} is answering heartbeats again")

    async def _ping(self, socket: zmq.asyncio.Socket) -> bool:
        await socket.send(b"ping")
        # Poll in short slices so that a dead process is noticed before the ping times out.
        deadline = asyncio.get_running_loop().time() + self._timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return False
            if await socket.poll(int(min(remaining, self._interval) * 1000)):
                await socket.recv()
                return True
            if self._process_alive is not None and not await self._process_alive():
                return False
