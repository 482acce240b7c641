"""The one asynchronous kernel-client interface every front end talks to.

:class:`KernelClient` holds what is the same however a kernel is reached:
building requests, waiting for their replies through the :class:`Router`,
answering stdin requests through the front end's handler, and noticing death.
Subclasses supply the transport (ZeroMQ for local and ``--existing``
kernels) and the lifecycle (interrupt, restart, shutdown).

Front ends never see sockets or jupyter_client objects, only this class.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any

from ick.kernel.errors import KernelDied, RequestTimeout
from ick.kernel.router import BroadcastListener, DebugListener, PendingRequest, Router
from ick.messages import Message, OutputCallback, content, made_message, msg_type

log = logging.getLogger(__name__)

# How many messages a transport's reader hands on before yielding to the event loop, so
# that Ctrl-C and the renderer's flushes still run during an output flood.
YIELD_EVERY = 64

StdinHandler = Callable[[str, bool], Awaitable[str | None]]
"""``(prompt, password) -> answer``; ``None`` means "do not answer" (the user interrupted)."""

DeathListener = Callable[[str], None]


def kernel_info_declares_debugger(kernel_info: dict[str, Any]) -> bool:
    """A kernel_info reply's claim to a debugger: ``debugger: true`` (protocol 5.3 and
    5.4) or ``"debugger"`` in ``supported_features`` (5.5 on)."""
    features = kernel_info.get("supported_features")
    listed = isinstance(features, list) and "debugger" in features
    return kernel_info.get("debugger") is True or listed


class KernelClient(ABC):
    """Requests and replies over some transport, with death detection."""

    #: How long a request may wait for ``idle`` after its reply, once iopub is quiet.
    IDLE_GRACE = 2.0
    #: Default timeout for requests that are not executions.
    REQUEST_TIMEOUT = 10.0
    #: Whether ick started this kernel (and so may restart or shut it down).
    owns_kernel = False

    def __init__(self) -> None:
        self.router = Router()
        self.router.on_input_request = self._on_input_request
        self.kernel_info: dict[str, Any] = {}
        self.stdin_handler: StdinHandler | None = None
        self.death_reason: str | None = None
        self._death_listeners: list[DeathListener] = []
        self._stdin_tasks: set[asyncio.Task[None]] = set()
        self._warned: set[str] = set()
        #: Where one-line warnings about the wire go; front ends route them above their prompt.
        self.on_warning: Callable[[str], None] = lambda text: print(
            f"ick: warning: {text}", file=sys.stderr
        )

    # -- transport, supplied by subclasses ---------------------------------
    @abstractmethod
    def send(
        self, channel: str, msg_type: str, body: dict[str, Any], parent: Message | None = None
    ) -> str:
        """Send a message on ``channel`` ("shell", "control", "stdin"); return its msg_id."""

    @abstractmethod
    async def interrupt(self) -> None:
        """Interrupt the running execution the way the kernel asks to be interrupted."""

    @abstractmethod
    async def restart(self, *, timeout: float) -> None:
        """Restart the kernel and wait up to ``timeout`` seconds until it answers again."""

    @abstractmethod
    async def shutdown(self) -> None:
        """Stop talking to the kernel; shut it down if ick started it."""

    def keep_running(self) -> str | None:
        """Let a kernel ick started outlive it (IPython's ``exit(keep_kernel=True)``):
        :meth:`shutdown` then only disconnects.  Returns the command that attaches to it
        again, or ``None`` when this kernel cannot be kept."""
        return None

    @abstractmethod
    async def wait_ready(self, timeout: float) -> dict[str, Any]:
        """Wait until the kernel answers ``kernel_info``; return its content."""

    @property
    @abstractmethod
    def name(self) -> str:
        """A short name for the kernel (its kernelspec name), for messages."""

    # -- state -------------------------------------------------------------
    @property
    def language_info(self) -> dict[str, Any]:
        info = self.kernel_info.get("language_info")
        return info if isinstance(info, dict) else {}

    @property
    def kernelspec(self) -> dict[str, str]:
        """Name, display name and language, as a notebook's metadata records them."""
        return {
            "name": self.name,
            "display_name": self.name,
            "language": str(self.language_info.get("name") or ""),
        }

    @property
    def is_dead(self) -> bool:
        return self.death_reason is not None

    def add_death_listener(self, listener: DeathListener) -> None:
        self._death_listeners.append(listener)

    def remove_death_listener(self, listener: DeathListener) -> None:
        if listener in self._death_listeners:
            self._death_listeners.remove(listener)

    def add_listener(self, listener: BroadcastListener) -> None:
        """Receive iopub messages that no live request of ours claims."""
        self.router.add_listener(listener)

    def remove_listener(self, listener: BroadcastListener) -> None:
        self.router.remove_listener(listener)

    def add_debug_listener(self, listener: DebugListener) -> None:
        """Receive every iopub ``debug_event`` (they never reach the other listeners)."""
        self.router.add_debug_listener(listener)

    def remove_debug_listener(self, listener: DebugListener) -> None:
        self.router.remove_debug_listener(listener)

    # -- the debugger --------------------------------------------------------------
    async def has_debugger(self) -> bool:
        """Whether the kernel speaks the Jupyter debug protocol.

        Its kernelspec's ``metadata.debugger`` decides wherever ick can read the
        kernelspec, as in JupyterLab; otherwise kernel_info does.
        """
        declared = await self.spec_declares_debugger()
        if declared is not None:
            return declared
        return kernel_info_declares_debugger(self.kernel_info)

    async def spec_declares_debugger(self) -> bool | None:
        """What this kernel's kernelspec says of a debugger; ``None`` when ick cannot read it."""
        return None

    def mark_dead(self, reason: str) -> None:
        """Record that the kernel is gone and fail everything waiting on it."""
        if self.death_reason is not None:
            return
        self.death_reason = reason
        self.router.fail_all(KernelDied(reason))
        for listener in list(self._death_listeners):
            listener(reason)

    def mark_alive(self) -> None:
        self.death_reason = None

    def warn_once(self, key: str, text: str) -> None:
        """Warn about a kind of wire trouble once, not once per message."""
        if key not in self._warned:
            self._warned.add(key)
            self.on_warning(text)

    def deliver(self, channel: str, route: Callable[[Message], None], msg: Message) -> None:
        """Hand a message from ``channel`` to the router; a bug in a handler must not stop
        the transport's reader."""
        try:
            route(msg)
        except Exception:
            log.exception("error handling a %s message", channel)
            self.warn_once(f"handler-{channel}", f"failed to handle a {channel} message")

    # -- requests ----------------------------------------------------------
    async def request(
        self,
        msg_type: str,
        body: dict[str, Any],
        *,
        channel: str = "shell",
        timeout: float | None = REQUEST_TIMEOUT,
        on_output: OutputCallback | None = None,
        wants_idle: bool = False,
    ) -> dict[str, Any]:
        """Send a request and return its reply's content.

        Raises :class:`RequestTimeout` when no reply comes in ``timeout``
        seconds and :class:`KernelDied` when the kernel dies meanwhile.
        """
        pending = self._send_request(msg_type, body, channel, on_output, wants_idle)
        return await self._await_reply(pending, msg_type, timeout)

    def _send_request(
        self,
        msg_type: str,
        body: dict[str, Any],
        channel: str,
        on_output: OutputCallback | None,
        wants_idle: bool,
    ) -> PendingRequest:
        if self.death_reason is not None:
            raise KernelDied(self.death_reason)
        msg_id = self.send(channel, msg_type, body)
        reply_type = msg_type.removesuffix("_request") + "_reply"
        return self.router.track(msg_id, on_output, wants_idle, reply_type)

    async def _await_reply(
        self, pending: PendingRequest, msg_type: str, timeout: float | None
    ) -> dict[str, Any]:
        try:
            reply = await pending.finished(timeout, self.IDLE_GRACE)
        except TimeoutError:
            raise RequestTimeout(
                f"{self.name} kernel did not answer {msg_type} within {timeout:g} s"
            ) from None
        finally:
            self.router.forget(pending.msg_id)
        return content(reply)

    async def execute(
        self,
        code: str,
        on_output: OutputCallback,
        *,
        allow_stdin: bool = True,
        silent: bool = False,
        store_history: bool = True,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Run ``code``; output messages go to ``on_output``; return execute_reply's content.

        The options are :meth:`start_execution`'s.
        """
        return await self.start_execution(
            code,
            on_output,
            allow_stdin=allow_stdin,
            silent=silent,
            store_history=store_history,
            timeout=timeout,
        )

    def start_execution(
        self,
        code: str,
        on_output: OutputCallback,
        *,
        allow_stdin: bool = True,
        silent: bool = False,
        store_history: bool = True,
        timeout: float | None = None,
    ) -> asyncio.Task[dict[str, Any]]:
        """Send the execute_request now, before returning; the task gives its reply's content.

        Sending at once, rather than when a coroutine is first scheduled, lets
        a front end put the kernel to work while it is still busy itself (the
        REPL sends as Enter is accepted, then tidies its prompt away).

        Some kernels report an error only in the reply (Deno's syntax errors and
        interrupts): then ``on_output`` gets an ``error`` message made from the
        reply, so every front end shows it and a notebook records it.  A reply
        that says ``error`` and nothing more (tslab, whose message went to
        stderr) adds nothing.
        """
        error_seen = False

        def watch_for_errors(msg: Message) -> None:
            nonlocal error_seen
            error_seen = error_seen or msg_type(msg) == "error"
            on_output(msg)

        body = {
            "code": code,
            "silent": silent,
            "store_history": store_history,
            "user_expressions": {},
            "allow_stdin": allow_stdin,
            "stop_on_error": True,
        }
        pending = self._send_request(
            "execute_request", body, "shell", watch_for_errors, wants_idle=True
        )

        async def reply() -> dict[str, Any]:
            answer = await self._await_reply(pending, "execute_request", timeout)
            if answer.get("status") == "error" and not error_seen:
                keys = ("ename", "evalue", "traceback")
                error = {key: answer[key] for key in keys if answer.get(key)}
                if error:
                    on_output(made_message("error", error))
            return answer

        return asyncio.ensure_future(reply())

    async def is_complete(self, code: str, timeout: float = 1.0) -> dict[str, Any] | None:
        """The kernel's verdict on ``code``, or ``None`` if it did not answer in time."""
        try:
            return await self.request("is_complete_request", {"code": code}, timeout=timeout)
        except RequestTimeout:
            return None

    # -- stdin -------------------------------------------------------------
    def _on_input_request(self, msg: Message) -> None:
        task = asyncio.get_running_loop().create_task(self._answer_input_request(msg))
        self._stdin_tasks.add(task)
        task.add_done_callback(self._stdin_tasks.discard)

    async def _answer_input_request(self, msg: Message) -> None:
        body = content(msg)
        prompt = body.get("prompt")
        prompt = prompt if isinstance(prompt, str) else ""
        password = bool(body.get("password", False))
        if self.stdin_handler is None:
            answer: str | None = ""
        else:
            try:
                answer = await self.stdin_handler(prompt, password)
            except EOFError:
                # The kernel turns an empty reply into EOFError-like behaviour on its side.
                answer = ""
        if answer is not None and not self.is_dead:
            self.send("stdin", "input_reply", {"value": answer}, parent=msg)
