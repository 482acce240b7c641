"""A kernel on a Jupyter server, reached over REST and the kernel's websocket.

All channels share one websocket (``/api/kernels/{id}/channels``); the
server signs messages for the kernel, so the client's session has no key.
The session id is kept for the whole attachment: the server uses it as the
ZeroMQ identity that routes ``input_request`` back to this client, and a
websocket reopened with the same id gets the output it missed replayed.  So
a dropped connection is reopened quietly, with messages sent meanwhile held
until it is back; only a kernel the server no longer has, a refused token,
or a server gone for longer than :attr:`RemoteKernelClient.RECONNECT_WINDOW`
ends the session.

Interrupt, restart and delete go through REST, as the server's docs ask, so
that its kernel manager does the signalling.  ick deletes only a kernel it
created.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections import deque
from collections.abc import Callable, Coroutine
from typing import Any

from jupyter_client.session import Session
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from ick.kernel.client import YIELD_EVERY, KernelClient
from ick.kernel.errors import (
    KernelDied,
    KernelError,
    KernelStartFailed,
    NoSuchKernel,
)
from ick.kernel.remote.rest import (
    RemoteKernelGone,
    ServerAPI,
    ServerAuthError,
    ServerError,
    describe_network_error,
    server_kernelspecs,
)
from ick.kernel.remote.wire import V1_SUBPROTOCOL, FrameError, WireFormat, wire_format
from ick.kernel.specs import DEFAULT_KERNEL, pick_kernel_for_file
from ick.messages import Message, content, msg_type

log = logging.getLogger(__name__)


async def choose_server_kernel(
    api: ServerAPI, kernel_name: str | None, script: str | None
) -> str | None:
    """The kernelspec to start: ``-k``'s (checked, since the server would answer a bare
    HTTP 500), else one for the script's extension, else ``None`` for the server's default."""
    # Asked even when the server's default will do: a quick call that proves the URL
    # and token before anything is created.
    answer = await api.kernelspecs()
    specs = server_kernelspecs(answer)
    if kernel_name is None and script is None:
        return None
    if kernel_name is None:
        assert script is not None
        default = answer.get("default")
        where = f"{api.address.display}"
        return pick_kernel_for_file(script, specs, str(default or DEFAULT_KERNEL), where)
    names = [spec.name for spec in specs]
    if kernel_name not in names:
        raise NoSuchKernel(
            f"{api.address.display} has no kernel named {kernel_name!r} "
            f"(it has: {', '.join(names) or 'none'})"
        )
    return kernel_name


async def create_kernel(
    api: ServerAPI, kernel_name: str | None, env: dict[str, str], timeout: float
) -> dict[str, Any]:
    """Start a kernel on the server; if ick is stopped meanwhile, delete what the server made."""
    creation = asyncio.ensure_future(api.start_kernel(kernel_name, env, timeout))
    try:
        return await asyncio.shield(creation)
    except asyncio.CancelledError:
        # The request is already on its way: the server may well create the kernel.
        with contextlib.suppress(Exception):
            model = await creation
            await api.delete(model["id"])
        raise


class RemoteKernelClient(KernelClient):
    """One kernel on one server, over REST and a websocket that reconnects by itself."""

    #: How long a dropped websocket is retried before the server is declared gone.
    RECONNECT_WINDOW = 30.0
    #: How long a websocket handshake may take once the kernel is known to be up.
    OPEN_TIMEOUT = 15.0

    def __init__(self, api: ServerAPI, kernel_id: str, name: str, owns_kernel: bool) -> None:
        super().__init__()
        self.api = api
        self.kernel_id = kernel_id
        self._name = name
        self.owns_kernel = owns_kernel
        # No key: the server signs what it forwards to the kernel.
        self.session = Session(key=b"")
        self._websocket: ClientConnection | None = None
        self._format: WireFormat | None = None
        self._outbox: deque[tuple[str, Message]] = deque()
        self._outbox_ready = asyncio.Event()
        self._connection: asyncio.Task[None] | None = None
        self._closing = False
        self._restarting_ourselves = False
        self._coming_back = False  # the server said "restarting": the kernel returns soon
        self._background: set[asyncio.Task[None]] = set()
        self._start_env: dict[str, str] = {}  # sent again if the kernel must be replaced

    @property
    def name(self) -> str:
        return self._name

    # -- start and attach -------------------------------------------------------
    @classmethod
    async def start(
        cls,
        api: ServerAPI,
        kernel_name: str | None,
        env: dict[str, str],
        timeout: float,
        script: str | None = None,
    ) -> RemoteKernelClient:
        """Ask the server for a new kernel (deleted again when ick exits) and connect."""
        kernel_name = await choose_server_kernel(api, kernel_name, script)
        model = await create_kernel(api, kernel_name, env, timeout)
        client = cls(api, model["id"], str(model.get("name") or kernel_name), owns_kernel=True)
        client._start_env = env
        try:
            await client.connect(timeout)
        except BaseException:
            await client.shutdown()
            raise
        return client

    @classmethod
    async def attach(cls, api: ServerAPI, kernel_id: str, timeout: float) -> RemoteKernelClient:
        """Connect to a kernel someone else started; it is left running on exit."""
        model = await api.kernel(kernel_id)
        client = cls(api, kernel_id, str(model.get("name") or "remote"), owns_kernel=False)
        await client.connect(timeout)
        return client

    async def connect(self, timeout: float) -> None:
        """Open the websocket (the server answers once the kernel is up) and start the loop."""
        self._websocket = await self._open(timeout)
        self._connection = asyncio.get_running_loop().create_task(self._run())

    async def _open(self, timeout: float) -> ClientConnection:
        address = self.api.address
        url = address.websocket_url(self.kernel_id, self.session.session)
        try:
            websocket = await connect(
                url,
                additional_headers=address.headers,
                subprotocols=[V1_SUBPROTOCOL],  # type: ignore[list-item]
                max_size=None,  # images and big reprs are larger than the 1 MiB default
                open_timeout=timeout,
                ssl=self.api.tls if url.startswith("wss:") else None,
                compression=None,
            )
        except InvalidStatus as exc:
            code = exc.response.status_code
            if code in (401, 403):
                refused = f"{address.display} refused the token (HTTP {code})"
                raise ServerAuthError(refused) from None
            if code == 404:
                raise RemoteKernelGone(
                    f"{address.display} has no kernel {self.kernel_id}"
                ) from None
            raise ServerError(
                f"{address.display} refused the kernel's websocket (HTTP {code})"
            ) from None
        except InvalidHandshake as exc:
            raise ServerError(f"{address.display} broke the websocket handshake ({exc})") from None
        except TimeoutError:
            # The server answered its REST calls already: it holds the websocket until
            # its kernel answers, so it is the kernel that is slow.
            raise ServerError(
                f"the {self._name} kernel on {address.display} did not answer "
                f"(timed out after {timeout:g} s)"
            ) from None
        except (OSError, ssl.SSLError) as exc:
            raise ServerError(describe_network_error(address, exc)) from None
        self._format = wire_format(websocket.subprotocol)
        log.debug("websocket open, subprotocol %r", websocket.subprotocol)
        return websocket

    # -- the connection loop ----------------------------------------------------------
    async def _run(self) -> None:
        """Read and write until closed; reopen a dropped websocket with the same session."""
        while True:
            websocket = self._websocket
            assert websocket is not None
            reader = asyncio.ensure_future(self._read(websocket))
            writer = asyncio.ensure_future(self._write(websocket))
            try:
                await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (reader, writer):
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                        await task
            self._websocket = None
            if self._closing:
                return
            log.debug("websocket dropped; reconnecting")
            try:
                self._websocket = await self._reconnect()
            except ServerError as exc:
                self.mark_dead(str(exc))
                return

    async def _reconnect(self) -> ClientConnection:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.RECONNECT_WINDOW
        delay = 0.1
        while True:
            try:
                return await self._open(self.OPEN_TIMEOUT)
            except (RemoteKernelGone, ServerAuthError):
                raise
            except ServerError as exc:
                if loop.time() + delay > deadline:
                    raise ServerError(f"lost the connection: {exc}") from None
                log.debug("reconnect failed (%s); retrying in %.1f s", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def _read(self, websocket: ClientConnection) -> None:
        assert self._format is not None
        routes: dict[str, Callable[[Message], None]] = {
            "shell": self.router.dispatch_reply,
            "control": self.router.dispatch_reply,
            "stdin": self.router.dispatch_stdin,
            "iopub": self._on_iopub,
        }
        handled = 0
        async for frame in websocket:
            try:
                channel, msg = self._format.decode(frame)
            except FrameError as exc:
                self.warn_once("bad-frame", f"ignored an unreadable websocket message ({exc})")
                continue
            route = routes.get(channel)
            if route is None:
                continue
            self.deliver(channel, route, msg)
            handled += 1
            if handled % YIELD_EVERY == 0:
                await asyncio.sleep(0)

    async def _write(self, websocket: ClientConnection) -> None:
        """Send queued messages in order; one that could not be sent waits for the reconnect."""
        assert self._format is not None
        while True:
            while self._outbox:
                channel, msg = self._outbox[0]
                await websocket.send(self._format.encode(channel, msg))
                self._outbox.popleft()
            self._outbox_ready.clear()
            await self._outbox_ready.wait()

    def send(
        self,
        channel: str,
        msg_type: str,
        body: dict[str, Any],
        parent: Message | None = None,
        *,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        if self._closing:
            raise KernelError(f"not connected to the {self._name} kernel")
        msg = self.session.msg(msg_type, body, parent=parent, metadata=metadata)
        self._outbox.append((channel, msg))
        self._outbox_ready.set()
        return str(msg["header"]["msg_id"])

    # -- lifecycle news from the server ------------------------------------------------
    def _on_iopub(self, msg: Message) -> None:
        kind = msg_type(msg)
        if kind == "shutdown_reply" and not content(msg).get("restart") and not self._closing:
            # Someone shut the kernel down (a DELETE on the server sends this): the
            # websocket stays open but nothing will come through it again.
            self._spawn(self._confirm_gone())
        elif kind == "status":
            state = content(msg).get("execution_state")
            if state == "restarting" and not self._restarting_ourselves:
                # The server noticed the kernel die and is starting a new one; what was
                # running is lost and its reply will never come.
                self._coming_back = True
                self.mark_dead("it stopped; the server is restarting it")
            elif state == "dead":
                self._coming_back = False
                self.mark_dead("the server reports it dead")
            elif self._coming_back and state in ("starting", "idle"):
                self._coming_back = False
                self.mark_alive()
        self.router.dispatch_iopub(msg)

    async def _confirm_gone(self, checks: int = 20, interval: float = 0.25) -> None:
        """Declare the kernel dead once the server no longer lists it."""
        for _ in range(checks):
            try:
                await self.api.kernel(self.kernel_id)
            except RemoteKernelGone:
                self.mark_dead("it was shut down on the server")
                return
            except ServerError:
                return  # the connection loop reports an unreachable server
            await asyncio.sleep(interval)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def spec_declares_debugger(self) -> bool | None:
        """The server's kernelspec of this kernel, as JupyterLab reads it."""
        for spec in server_kernelspecs(await self.api.kernelspecs()):
            if spec.name == self._name:
                return spec.debugger
        return None

    # -- readiness and lifecycle ---------------------------------------------------
    async def wait_ready(self, timeout: float) -> dict[str, Any]:
        """Ask ``kernel_info`` until the kernel answers (the server may still be starting it),
        and until the server passes on its iopub too.

        After a restart the server reconnects its own channels to the new process:
        a reply can come back on shell while the status the kernel published for it
        was lost on iopub, and so would the output of the first execution be.  As
        :meth:`ZmqKernelClient.wait_ready <ick.kernel.zmq_client.ZmqKernelClient.wait_ready>`
        does, a reply without it is asked again, a few times.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        unheard_on_iopub = 0
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise KernelStartFailed(f"the {self._name} kernel did not answer in time")
            try:
                pending = self._send_request("kernel_info_request", {}, "shell", None, True)
                try:
                    reply = await pending.finished(min(remaining, 5.0), 0.5)
                finally:
                    self.router.forget(pending.msg_id)
            except TimeoutError:
                continue
            except KernelDied as exc:
                raise KernelStartFailed(f"the {self._name} kernel stopped: {exc}") from None
            self.kernel_info = content(reply)
            if pending.idle.is_set() or pending.activity or unheard_on_iopub == 4:
                return self.kernel_info
            unheard_on_iopub += 1
            log.debug("no iopub status for kernel_info yet (%d)", unheard_on_iopub)

    async def interrupt(self) -> None:
        if self.is_dead:
            return
        try:
            await self.api.interrupt(self.kernel_id)
        except ServerError as exc:
            self.on_warning(f"could not interrupt the kernel: {exc}")

    async def restart(self, *, timeout: float) -> None:
        """Restart through REST; a kernel ick created that is gone is replaced by a new one."""
        try:
            if self._connection is None or self._connection.done():
                # The websocket was given up on: the server must be back for a restart anyway.
                await self.connect(self.OPEN_TIMEOUT)
            if self._coming_back and await self._servers_restart_done(timeout):
                return
            self._restarting_ourselves = True
            try:
                await self.api.restart(self.kernel_id, timeout)
            except ServerError:
                # Jupyter Server answers 500, not 404, for a kernel it no longer has.
                await self.api.kernel(self.kernel_id)
                raise
            finally:
                self._restarting_ourselves = False
        except RemoteKernelGone:
            if not self.owns_kernel:
                raise
            await self._replace_kernel(timeout)
        self._coming_back = False
        await self._ready_again(timeout)

    async def _servers_restart_done(self, timeout: float) -> bool:
        """Let the server finish the restart it began when the kernel died; whether it did.

        Its restart is the one the user asked for.  A second one asked over REST
        meanwhile collides with it: the server interrupts the process it is starting
        and can be left with no kernel process and no restarter (HTTP 500).
        """
        try:
            await self._ready_again(timeout)
        except KernelStartFailed:
            return False  # the server gave up on it: ask for a restart ourselves
        self._coming_back = False
        return True

    async def _ready_again(self, timeout: float) -> None:
        # Whatever was running is gone with the old process.
        self.router.fail_all(KernelDied("the kernel was restarted"))
        self.mark_alive()
        await self.wait_ready(timeout)

    async def _replace_kernel(self, timeout: float) -> None:
        """Start a new kernel of the same kind in place of one deleted on the server."""
        await self._disconnect()
        self._outbox.clear()  # meant for the kernel that is gone
        model = await create_kernel(self.api, self._name, self._start_env, timeout)
        self.kernel_id = model["id"]
        self._closing = False
        await self.connect(timeout)

    async def _disconnect(self) -> None:
        self._closing = True
        websocket, connection = self._websocket, self._connection
        if websocket is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(websocket.close(), 2.0)
        for task in [*self._background, connection]:
            if task is None:
                continue
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._websocket = self._connection = None

    def keep_running(self) -> str | None:
        self.owns_kernel = False
        return f"ick --server {self.api.address.base_url} --attach {self.kernel_id}"

    async def shutdown(self) -> None:
        """Close the websocket; delete the kernel only if ick created it."""
        await self._disconnect()
        if self.owns_kernel:
            try:
                await self.api.delete(self.kernel_id)
            except RemoteKernelGone:
                pass
            except ServerError as exc:
                self.on_warning(f"could not delete the kernel on the server: {exc}")
