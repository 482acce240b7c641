"""ZeroMQ sockets for the five Jupyter channels, built from connection info.

ick makes its own sockets rather than jupyter_client's so that it can watch
the stdin socket's handshake: a kernel's ROUTER drops an ``input_request``
addressed to a client whose stdin connection is not up yet, and the
execution then waits forever for an answer nobody was asked for.  That
window is real: sockets connect before the kernel has bound its ports, and
zmq retries every 100 ms, so ``kernel_info`` can be answered on shell while
stdin is still waiting to reconnect.
"""

from __future__ import annotations

import asyncio
from typing import Any

import zmq
import zmq.asyncio
from zmq.utils.monitor import recv_monitor_message

SOCKET_TYPES = {
    "shell": zmq.DEALER,
    "control": zmq.DEALER,
    "stdin": zmq.DEALER,
    "iopub": zmq.SUB,
    "hb": zmq.REQ,
}


def channel_url(info: dict[str, Any], channel: str) -> str:
    """The endpoint of ``channel``, as the connection file spec defines it."""
    transport = info.get("transport", "tcp")
    ip = str(info.get("ip", "127.0.0.1"))
    port = info[f"{channel}_port"]
    if transport == "tcp":
        host = f"[{ip}]" if ":" in ip else ip
        return f"tcp://{host}:{port}"
    return f"{transport}://{ip}-{port}"


class ChannelSocket:
    """One connected channel socket, optionally watched until its handshake completes."""

    def __init__(
        self,
        context: zmq.asyncio.Context,
        info: dict[str, Any],
        channel: str,
        identity: bytes | None = None,
        watch_handshake: bool = False,
    ) -> None:
        socket = context.socket(SOCKET_TYPES[channel])
        socket.linger = 1000
        if identity is not None:
            socket.identity = identity
        if channel == "iopub":
            socket.setsockopt(zmq.SUBSCRIBE, b"")
            # No limit on the receive queue: at zmq's default of 1000, a burst the renderer
            # is still drawing makes the kernel's side drop output silently, the end of an
            # execution's output with it.  Queued messages cost memory only while ick catches up.
            socket.rcvhwm = 0
        if channel == "hb":
            socket.ipv6 = ":" in str(info.get("ip", ""))
        # The monitor must exist before connect() or the handshake event could be missed.
        self._monitor = (
            socket.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED) if watch_handshake else None
        )
        self._handshake_done = not watch_handshake
        socket.connect(channel_url(info, channel))
        self.socket: zmq.asyncio.Socket = socket

    async def handshake(self, timeout: float) -> bool:
        """Wait until the peer has completed the ZMTP handshake; ``False`` on timeout."""
        if self._handshake_done or self._monitor is None:
            return True
        try:
            await asyncio.wait_for(recv_monitor_message(self._monitor), timeout)
        except TimeoutError:
            return False
        self._handshake_done = True
        self._stop_monitor()
        return True

    def _stop_monitor(self) -> None:
        if self._monitor is not None:
            self.socket.disable_monitor()
            self._monitor.close(linger=0)
            self._monitor = None

    def close(self) -> None:
        self._stop_monitor()
        self.socket.close(linger=0)
