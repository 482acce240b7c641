"""The ZeroMQ transport: a kernel reached through its connection info.

One asyncio task per channel awaits its socket (no polling intervals, no
threads) and hands each verified message to the router.  This is the client
for kernels ick launches and, later, for ``--existing`` connection files.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

import zmq
import zmq.asyncio

from ick.kernel.client import YIELD_EVERY, KernelClient
from ick.kernel.errors import KernelDied, KernelError, KernelStartFailed, RequestTimeout
from ick.kernel.heartbeat import HeartbeatMonitor, ListenerState, ProcessProbe, probe_listener
from ick.kernel.pacing import FloodPacing
from ick.kernel.session import WireSession
from ick.kernel.sockets import ChannelSocket
from ick.kernel.specs import installed_spec_declares_debugger
from ick.messages import Message, content, msg_type

log = logging.getLogger(__name__)

#: How many turns of the event loop a stdin request waits for iopub to empty: a flood
#: still pouring out is not waited for (its reader takes YIELD_EVERY messages a turn).
IOPUB_CATCH_UP_STEPS = 50


class ZmqKernelClient(KernelClient):
    """A kernel reached over ZeroMQ sockets described by connection info."""

    #: Whether ick started this kernel (and so may restart or shut it down).
    owns_kernel = False

    def __init__(
        self, connection_info: dict[str, Any], name: str, process_alive: ProcessProbe | None = None
    ) -> None:
        super().__init__()
        self._name = name
        # Where ick owns the process, polling it notices death faster than heartbeats.
        self._process_alive = process_alive
        self._connection_info = connection_info
        key = connection_info.get("key", "")
        # A fresh session id for this client, but the kernel's signing key: HMAC checks stay on.
        self.session = WireSession(
            key=key.encode() if isinstance(key, str) else key,
            signature_scheme=connection_info.get("signature_scheme", "hmac-sha256"),
        )
        self._context = zmq.asyncio.Context.instance()
        self._channels: dict[str, ChannelSocket] = {}
        self._sockets: dict[str, zmq.asyncio.Socket] = {}
        self._readers: list[asyncio.Task[None]] = []
        self._heartbeat: HeartbeatMonitor | None = None
        # What the kernel's iopub last said it was doing, for any client: a kernel that
        # computes may leave heartbeats unanswered (IRkernel, tslab) without being dead.
        self._execution_state = ""

    @property
    def name(self) -> str:
        return self._name

    # -- channels ------------------------------------------------------------
    def open_channels(self) -> None:
        """Connect every channel and start its reader; start the heartbeat."""
        identity = self.session.bsession
        info = self._connection_info
        self._channels = {
            "shell": ChannelSocket(self._context, info, "shell", identity),
            "control": ChannelSocket(self._context, info, "control", identity),
            "stdin": ChannelSocket(self._context, info, "stdin", identity, watch_handshake=True),
            "iopub": ChannelSocket(self._context, info, "iopub"),
        }
        self._sockets = {name: channel.socket for name, channel in self._channels.items()}
        loop = asyncio.get_running_loop()
        routes: dict[str, Callable[[Message], None]] = {
            "shell": self.router.dispatch_reply,
            "control": self.router.dispatch_reply,
            "stdin": self.router.dispatch_stdin,
            "iopub": self._on_iopub,
        }
        self._readers = [
            loop.create_task(self._read(channel, self._sockets[channel], route))
            for channel, route in routes.items()
        ]
        self._heartbeat = HeartbeatMonitor(
            connect=lambda: ChannelSocket(self._context, info, "hb").socket,
            on_death=self.mark_dead,
            process_alive=self._process_alive,
            listener=lambda: probe_listener(info),
            busy=lambda: self._execution_state == "busy",
            # Looked up when used: front ends set on_warning after the channels open.
            on_warning=lambda text: self.on_warning(text),
            kernel_name=self._name,
        )
        self._heartbeat.start()

    async def stop_watching(self) -> None:
        """Stop the heartbeat: an exit asked for is not a death to report."""
        if self._heartbeat is not None:
            await self._heartbeat.stop()
            self._heartbeat = None

    async def close_channels(self) -> None:
        await self.stop_watching()
        for task in self._readers:
            task.cancel()
        for task in self._readers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._readers = []
        for channel in self._channels.values():
            channel.close()
        self._channels = {}
        self._sockets = {}

    async def spec_declares_debugger(self) -> bool | None:
        """The installed kernelspec the connection file names, if there is one here.

        A kernel someone else started from a kernelspec on this machine is best
        described by that kernelspec: kernel_info alone overclaims (see
        :func:`ick.kernel.specs.spec_declares_debugger`).
        """
        name = self._connection_info.get("kernel_name")
        if not isinstance(name, str) or not name:
            return None
        return installed_spec_declares_debugger(name)

    def _on_iopub(self, msg: Message) -> None:
        if msg_type(msg) == "status":
            state = content(msg).get("execution_state")
            self._execution_state = state if isinstance(state, str) else ""
        self.router.dispatch_iopub(msg)

    # -- lifecycle of a kernel someone else started ---------------------------------
    async def interrupt(self) -> None:
        # Without the process to signal, the control channel is the only way in.
        if not self.is_dead:
            self.send("control", "interrupt_request", {})

    async def restart(self, *, timeout: float) -> None:
        raise KernelError(f"the {self._name} kernel was not started by ick; it cannot restart it")

    async def shutdown(self) -> None:
        """Disconnect; a kernel ick did not start is left running."""
        await self.close_channels()

    def send(
        self,
        channel: str,
        msg_type: str,
        body: dict[str, Any],
        parent: Message | None = None,
        *,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        socket = self._sockets.get(channel)
        if socket is None:
            raise KernelError(f"not connected to the {self._name} kernel")
        msg = self.session.msg(msg_type, body, parent=parent, metadata=metadata)
        self.session.send(socket, msg)
        return str(msg["header"]["msg_id"])

    async def _read(
        self, channel: str, socket: zmq.asyncio.Socket, route: Callable[[Message], None]
    ) -> None:
        # The same socket without asyncio's futures: what is already queued is taken at
        # once.  One await per burst rather than per message; pyzmq's future machinery
        # was the largest cost per message in a flood of separately flushed prints.
        queued: zmq.Socket[bytes] = zmq.Socket.shadow(socket.underlying)
        pacing = FloodPacing() if channel == "iopub" else None
        asks_the_user = channel == "stdin"
        handled = 0
        while True:
            frames: list[bytes] | None = await socket.recv_multipart()
            started, in_burst = time.monotonic(), 0
            while frames is not None:
                if asks_the_user:
                    await self._let_iopub_catch_up()
                self._hand_on(channel, route, frames)
                handled += 1
                in_burst += 1
                if handled % YIELD_EVERY == 0:
                    await asyncio.sleep(0)
                frames = _take_queued(queued)
            ended = time.monotonic()
            pause = pacing.pause_after(started, ended, in_burst) if pacing else 0.0
            if pause:
                await asyncio.sleep(pause)

    async def _let_iopub_catch_up(self) -> None:
        """Hand on the iopub messages that are already here before a stdin request.

        A kernel flushes its output before it asks (ipykernel waits until it is sent),
        but the two come on different sockets: taken as the event loop happens to
        wake, ``ipdb>`` could be drawn before the output that leads up to it and be
        drawn again below it.
        """
        iopub = self._sockets.get("iopub")
        for _ in range(IOPUB_CATCH_UP_STEPS):
            await asyncio.sleep(0)  # iopub's reader hands on what it has received
            if iopub is None or not int(iopub.get(zmq.EVENTS)) & zmq.POLLIN:
                break
        await asyncio.sleep(0)  # and what it took in the last step

    def _hand_on(self, channel: str, route: Callable[[Message], None], frames: list[bytes]) -> None:
        session = self.session
        try:
            _, parts = session.feed_identities(frames)
            msg = session.deserialize(parts)
        except Exception as exc:  # a malformed or wrongly signed message: skip it
            self.warn_once(f"bad-{channel}", f"ignored an unreadable {channel} message ({exc})")
            return
        self.deliver(channel, route, msg)

    # -- readiness -------------------------------------------------------------
    async def wait_ready(self, timeout: float) -> dict[str, Any]:
        """Wait for ``kernel_info``, for iopub to be subscribed, and for stdin to be connected.

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
            pending = self.router.track(msg_id, wants_idle=True, reply_type="kernel_info_reply")
            try:
                reply = await self._await_alive(pending.reply, deadline)
                if not pending.idle.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(pending.idle.wait(), 0.5)
            finally:
                self.router.forget(msg_id)
            self.kernel_info = reply.get("content") or {}
            if self._heartbeat is not None:
                self._heartbeat.kernel_is_up()
            if pending.idle.is_set() or pending.activity or attempt == 4:
                break
            log.debug("no iopub status for kernel_info yet (attempt %d)", attempt + 1)
        # Shell answered; stdin must be connected too before any input() can be asked.
        remaining = max(deadline - loop.time(), 0.1)
        if not await self._channels["stdin"].handshake(min(remaining, 5.0)):
            self.warn_once("stdin", "the stdin channel did not connect; input() may not work")
        return self.kernel_info

    async def _await_alive(self, future: asyncio.Future[Message], deadline: float) -> Message:
        loop = asyncio.get_running_loop()
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise RequestTimeout(
                    f"the {self._name} kernel did not answer kernel_info in time"
                    + await self._why_no_answer()
                )
            done, _ = await asyncio.wait([future], timeout=min(remaining, 0.1))
            if done:
                try:
                    return future.result()
                except KernelDied as exc:  # the heartbeat noticed first
                    if self._process_alive is None:
                        raise KernelStartFailed(
                            f"cannot attach to the {self._name} kernel: {exc}"
                        ) from None
                    raise KernelStartFailed(
                        f"the {self._name} kernel exited during start-up"
                    ) from None
            if self._process_alive is not None and not await self._process_alive():
                raise KernelStartFailed(f"the {self._name} kernel exited during start-up")

    async def _why_no_answer(self) -> str:
        """What an attached kernel's port says, for a kernel_info that got no answer."""
        if self._process_alive is not None:
            return ""
        if await probe_listener(self._connection_info) is ListenerState.GREETS:
            return " (it is running: busy with other work?)"
        return ""


def _take_queued(socket: zmq.Socket[bytes]) -> list[bytes] | None:
    """The next message already queued on ``socket``, or ``None`` when there is none.

    Frames, not ``recv_multipart``: it asks the socket for ``RCVMORE`` through
    an enum conversion per frame, a third of the cost of a small message.
    """
    try:
        frame = socket.recv(zmq.NOBLOCK, copy=False)
    except zmq.Again:
        return None
    parts = [frame.bytes]
    while frame.more:  # the rest of a message arrives with its first frame
        frame = socket.recv(copy=False)
        parts.append(frame.bytes)
    return parts
