"""Notices a dead kernel within seconds, even one killed with SIGKILL.

The Jupyter heartbeat channel is a REQ/REP echo that most kernels answer
from a separate thread, so a kernel busy in a long computation still
answers; a kernel that misses several pings in a row is gone.  Where ick owns
the kernel process it polls the process itself instead, which turns a SIGKILL
into a report in well under a second, and then the process alone decides:
IRkernel answers no ping while it computes (nor while R loads under a heavy
machine load), so missed pings would call a busy R kernel dead.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

import zmq
import zmq.asyncio

SocketFactory = Callable[[], zmq.asyncio.Socket]
ProcessProbe = Callable[[], Awaitable[bool]]


class HeartbeatMonitor:
    """Pings the kernel and calls ``on_death(reason)`` once when it stops answering."""

    def __init__(
        self,
        connect: SocketFactory,
        on_death: Callable[[str], None],
        process_alive: ProcessProbe | None = None,
        interval: float = 0.5,
        timeout: float = 1.0,
        misses_allowed: int = 2,
    ) -> None:
        self._connect = connect
        self._on_death = on_death
        self._process_alive = process_alive
        self._interval = interval
        self._timeout = timeout
        self._misses_allowed = misses_allowed
        self._task: asyncio.Task[None] | None = None
        # Misses count only once the kernel is known to be up (it answered a ping, or the
        # client got its kernel_info): a slow starter (tslab takes seconds on a loaded
        # machine) is not dead yet, and start-up has its own timeout.
        self._up = False

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
        try:
            while True:
                if self._process_alive is not None and not await self._process_alive():
                    self._on_death("the kernel process exited")
                    return
                if await self._ping(socket):
                    misses = 0
                    self._up = True
                    await asyncio.sleep(self._interval)
                    continue
                if self._up:
                    misses += 1
                # A REQ socket that missed its reply is stuck in the wrong state: start afresh.
                socket.close(linger=0)
                socket = self._connect()
                if misses > self._misses_allowed and self._process_alive is None:
                    self._on_death(f"the kernel missed {misses} heartbeats")
                    return
        finally:
            socket.close(linger=0)

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
