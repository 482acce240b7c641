"""The ZeroMQ transport: a kernel reached through its connection info.

One asyncio task per channel awaits its socket (no polling intervals, no
threads) and hands each verified message to the router.  This is the client
for kernels ick launches and, later, for ``--existing`` connection files.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable
from typing import Any

import zmq
import zmq.asyncio
from jupyter_client import AsyncKernelClient
from jupyter_client.session import Session

from ick.kernel.client import KernelClient
from ick.kernel.errors import KernelError, KernelStartFailed, RequestTimeout
from ick.kernel.heartbeat import HeartbeatMonitor, ProcessProbe
from ick.kernel.router import Message

log = logging.getLogger(__name__)

# How many ready messages a reader handles before yielding to the event loop, so that
# Ctrl-C and the renderer's flushes still run during an output flood.
YIELD_EVERY = 64


class ZmqKernelClient(KernelClient):
    """A kernel reached over ZeroMQ sockets described by connection info."""

    def __init__(
        self, connection_info: dict[str, Any], name: str, process_alive: ProcessProbe | None = None
    ) -> None:
        super().__init__()
        self._name = name
        # Where ick owns the process, polling it notices death faster than heartbeats.
        self._process_alive = process_alive
        self._connection_info = connection_info
        self._connector = AsyncKernelClient()
        self._connector.load_connection_info(connection_info)
        # A fresh session id for this client, but the kernel's signing key.
        self.session: Session = self._connector.session
        self._sockets: dict[str, zmq.asyncio.Socket] = {}
        self._readers: list[asyncio.Task[None]] = []
        self._heartbeat: HeartbeatMonitor | None = None
        self._warned: set[str] = set()
        #: Where one-line warnings about the wire go; front ends route it above their prompt.
        self.on_warning: Callable[[str], None] = lambda text: print(
            f"ick: warning: {text}", file=sys.stderr
        )

    @property
    def name(self) -> str:
        return self._name

    # -- channels ------------------------------------------------------------
    def open_channels(self) -> None:
        """Connect every channel and start its reader; start the heartbeat."""
        connector = self._connector
        identity = self.session.bsession
        self._sockets = {
            "shell": connector.connect_shell(identity=identity),
            "control": connector.connect_control(identity=identity),
            "stdin": connector.connect_stdin(identity=identity),
            "iopub": connector.connect_iopub(),
        }
        loop = asyncio.get_running_loop()
        routes: dict[str, Callable[[Message], None]] = {
            "shell": self.router.dispatch_reply,
            "control": self.router.dispatch_reply,
            "stdin": self.router.dispatch_stdin,
            "iopub": self.router.dispatch_iopub,
        }
        self._readers = [
            loop.create_task(self._read(channel, self._sockets[channel], route))
            for channel, route in routes.items()
        ]
        self._heartbeat = HeartbeatMonitor(
            connector.connect_hb, self.mark_dead, self._process_alive
        )
        self._heartbeat.start()

    async def close_channels(self) -> None:
        if self._heartbeat is not None:
            await self._heartbeat.stop()
            self._heartbeat = None
        for task in self._readers:
            task.cancel()
        for task in self._readers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._readers = []
        for socket in self._sockets.values():
            socket.close(linger=0)
        self._sockets = {}

    def send(
        self, channel: str, msg_type: str, body: dict[str, Any], parent: Message | None = None
    ) -> str:
        socket = self._sockets.get(channel)
        if socket is None:
            raise KernelError(f"not connected to the {self._name} kernel")
        msg = self.session.msg(msg_type, body, parent=parent)
        self.session.send(socket, msg)
        return str(msg["header"]["msg_id"])

    async def _read(
        self, channel: str, socket: zmq.asyncio.Socket, route: Callable[[Message], None]
    ) -> None:
        session = self.session
        handled = 0
        while True:
            frames = await socket.recv_multipart()
            try:
                _, parts = session.feed_identities(frames)
                msg = session.deserialize(parts)
            except Exception as exc:  # a malformed or wrongly signed message: skip it
                self._warn_once(
                    f"bad-{channel}", f"ignored an unreadable {channel} message ({exc})"
                )
                continue
            try:
                route(msg)
            except Exception:  # a bug in a handler must not stop the channel
                log.exception("error handling a %s message", channel)
                self._warn_once(f"handler-{channel}", f"failed to handle a {channel} message")
            handled += 1
            if handled % YIELD_EVERY == 0:
                await asyncio.sleep(0)

    def _warn_once(self, key: str, text: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.on_warning(text)

    # -- readiness -------------------------------------------------------------
    async def wait_ready(self, timeout: float) -> dict[str, Any]:
        """Wait for ``kernel_info`` and for iopub to be subscribed.

        A kernel_info reply alone does not prove that our iopub subscription
        is live; output published before it would be lost silently (the
        cause of jupyter_console's hangs on the first execution).  So we also
        wait for the ``status`` the kernel publishes for our kernel_info
        request, re-asking a few times if it was published too early.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        for attempt in range(5):
            msg_id = self.send("shell", "kernel_info_request", {})
            pending = self.router.track(msg_id, wants_idle=True)
            try:
                reply = await self._await_alive(pending.reply, deadline)
                if not pending.idle.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(pending.idle.wait(), 0.5)
            finally:
                self.router.forget(msg_id)
            self.kernel_info = reply.get("content") or {}
            if pending.idle.is_set() or pending.activity or attempt == 4:
                return self.kernel_info
            log.debug("no iopub status for kernel_info yet (attempt %d)", attempt + 1)
        return self.kernel_info

    async def _await_alive(self, future: asyncio.Future[Message], deadline: float) -> Message:
        loop = asyncio.get_running_loop()
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise RequestTimeout(f"the {self._name} kernel did not answer kernel_info in time")
            done, _ = await asyncio.wait([future], timeout=min(remaining, 0.1))
            if done:
                return future.result()
            if self._process_alive is not None and not await self._process_alive():
                raise KernelStartFailed(f"the {self._name} kernel exited during start-up")
