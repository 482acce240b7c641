"""One place that decides where each incoming kernel message goes.

Every channel reader hands its messages to a :class:`Router`.  A message whose
``parent_header.msg_id`` names a request ick is waiting on goes to that
request (its reply future, its output callback, its ``idle`` event); stdin
``input_request`` messages go to the front end's stdin handler; iopub
``debug_event`` messages go to the debug listeners only, whatever their
parent; everything else (output of finished requests, other clients' output,
kernel status changes) goes to the broadcast listeners.

Matching by ``msg_id`` rather than "the next shell message is my reply" is
what keeps interleaved replies from being misattributed, a long-standing
jupyter_console bug.  The router is transport-agnostic and synchronous, so it
can be tested without a kernel.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable

from ick.messages import Message, OutputCallback, content, msg_type, parent_id

BroadcastListener = Callable[[Message, bool], None]
"""Called with an iopub message no live request claims, and whether it answers one of ours."""

DebugListener = Callable[[Message], None]
"""Called with every iopub ``debug_event``."""


class PendingRequest:
    """A request sent to the kernel whose reply (and, for executions, ``idle``) is awaited."""

    def __init__(
        self,
        msg_id: str,
        on_output: OutputCallback | None,
        wants_idle: bool,
        reply_type: str | None = None,
    ) -> None:
        loop = asyncio.get_running_loop()
        self.msg_id = msg_id
        #: The reply this request is answered by (``execute_reply``); ``None`` accepts any.
        self.reply_type = reply_type
        self.on_output = on_output
        self.wants_idle = wants_idle
        self.reply: asyncio.Future[Message] = loop.create_future()
        self.idle = asyncio.Event()
        # Counts iopub traffic so that a missing ``idle`` can be told apart from a busy stream.
        self.activity = 0
        self.error: BaseException | None = None

    def fail(self, exc: BaseException) -> None:
        self.error = exc
        if not self.reply.done():
            self.reply.set_exception(exc)
            # Nobody may be awaiting this future (e.g. an is_complete that already timed out).
            self.reply.exception()
        self.idle.set()

    async def finished(self, timeout: float | None, idle_grace: float) -> Message:
        """Wait for the reply, then for ``idle``, and return the reply.

        A request is done only when both have arrived: kernels often send the
        reply before their last output.  Some kernels never send ``idle``;
        after the reply we give up waiting once the request has been silent on
        iopub for ``idle_grace`` seconds.
        """
        reply = await asyncio.wait_for(asyncio.shield(self.reply), timeout)
        while self.wants_idle and not self.idle.is_set():
            seen = self.activity
            try:
                await asyncio.wait_for(self.idle.wait(), idle_grace)
            except TimeoutError:
                if self.activity == seen:
                    break
        if self.error is not None:
            raise self.error
        return reply


class Router:
    """Routes messages from all channels by ``parent_header.msg_id``."""

    # Finished requests remembered so that their late output is still known as ours.
    RECENT_LIMIT = 512

    def __init__(self) -> None:
        self._pending: dict[str, PendingRequest] = {}
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._listeners: list[BroadcastListener] = []
        self._debug_listeners: list[DebugListener] = []
        self.on_input_request: Callable[[Message], None] | None = None
        #: The ``msg_id`` of the execution the kernel is running (any client's): from its
        #: ``execute_input`` to its ``idle``.  A debugger's stop is in that execution's code.
        self.executing: str | None = None

    # -- requests ---------------------------------------------------------
    def track(
        self,
        msg_id: str,
        on_output: OutputCallback | None = None,
        wants_idle: bool = False,
        reply_type: str | None = None,
    ) -> PendingRequest:
        request = PendingRequest(msg_id, on_output, wants_idle, reply_type)
        self._pending[msg_id] = request
        return request

    def forget(self, msg_id: str) -> None:
        """Stop routing to a request; its late output goes to listeners as ``own``."""
        if self._pending.pop(msg_id, None) is not None:
            self._recent[msg_id] = None
            if len(self._recent) > self.RECENT_LIMIT:
                self._recent.popitem(last=False)

    def is_own(self, msg_id: str | None) -> bool:
        return msg_id is not None and (msg_id in self._pending or msg_id in self._recent)

    def fail_all(self, exc: BaseException) -> None:
        """Fail every request still waiting, e.g. when the kernel dies."""
        self.executing = None
        for request in list(self._pending.values()):
            request.fail(exc)

    # -- listeners --------------------------------------------------------
    def add_listener(self, listener: BroadcastListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: BroadcastListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def add_debug_listener(self, listener: DebugListener) -> None:
        self._debug_listeners.append(listener)

    def remove_debug_listener(self, listener: DebugListener) -> None:
        if listener in self._debug_listeners:
            self._debug_listeners.remove(listener)

    # -- dispatch ---------------------------------------------------------
    def dispatch_reply(self, msg: Message) -> None:
        """A shell or control reply: resolve the request it answers; drop strays.

        A reply of another type than the request asks for (a complete_reply
        naming an execution) is a stray too: taken as the answer, it would end
        an execution that is still running.
        """
        request = self._pending.get(parent_id(msg) or "")
        if request is None or request.reply.done():
            return
        if request.reply_type is None or msg_type(msg) == request.reply_type:
            request.reply.set_result(msg)

    def dispatch_iopub(self, msg: Message) -> None:
        parent = parent_id(msg)
        kind = msg_type(msg)
        if kind == "debug_event":
            # The kernel gives a debug event the parent of whatever request it handled
            # last (ipykernel: the last control message, anyone's), so the parent says
            # nothing about whose it is; as output it would be drawn or filed as another
            # client's.  Only a debug session can tell whether it is its own.
            for debug_listener in self._debug_listeners:
                debug_listener(msg)
            return
        if kind == "execute_input":
            self.executing = parent
        elif (
            kind == "status"
            and parent is not None
            and parent == self.executing
            and content(msg).get("execution_state") == "idle"
        ):
            self.executing = None
        request = self._pending.get(parent) if parent is not None else None
        if request is None:
            own = self.is_own(parent)
            for listener in self._listeners:
                listener(msg, own)
            return
        request.activity += 1
        if kind == "status":
            if content(msg).get("execution_state") == "idle":
                request.idle.set()
            return
        if request.on_output is not None:
            request.on_output(msg)

    def dispatch_stdin(self, msg: Message) -> None:
        """An ``input_request``: to the front end only while the request it names is running.

        A question on behalf of nobody (a stray, a finished execution) would
        open a second prompt over the user's, and what they type next would
        go to the kernel as an answer instead of running as code.
        """
        if msg_type(msg) != "input_request" or self.on_input_request is None:
            return
        if parent_id(msg) in self._pending:
            self.on_input_request(msg)
