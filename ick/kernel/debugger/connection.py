"""ick's attachment to a kernel's debugger: what the session knows, and its events.

A kernel has one debugger, shared by all its clients.  JupyterLab's debugger
is the reference client, and attaching follows its sequence: ``debugInfo``,
then ``initialize``, ``attach`` and ``configurationDone`` unless another client
has started the kernel's debugger already.  The kernel publishes DAP events
(``stopped``, ``continued``...) as ``debug_event`` messages on iopub; what makes
a stop ick's own is decided here, not by message parents (see
:meth:`DebugConnection._on_stopped`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from ick.debug_records import Breakpoint, Frame, Stop
from ick.kernel.client import KernelClient
from ick.kernel.debugger.replies import text_of, whole_number
from ick.kernel.debugger.requests import DebugRequests
from ick.kernel.debugger.sources import FileNaming, InputSources
from ick.kernel.errors import DebuggerError, NoDebugger
from ick.messages import Message, content

log = logging.getLogger(__name__)

StopListener = Callable[[Stop], None]
ResumeListener = Callable[[], None]


class DebugConnection(DebugRequests):
    """The state of ick's debug session on one kernel, attaching, and the events that
    stop and resume it (:class:`~ick.kernel.debugger.DebugSession` adds the requests)."""

    #: The first ``initialize`` and ``attach`` start debugpy inside the kernel.
    START_TIMEOUT = 30.0

    def __init__(
        self,
        *,
        client: KernelClient,
        on_stop: StopListener | None = None,
        on_resume: ResumeListener | None = None,
    ) -> None:
        super().__init__(client=client)
        self.on_stop: StopListener = on_stop or (lambda stop: None)
        self.on_resume: ResumeListener = on_resume or (lambda: None)
        self.sources = InputSources()
        #: Whether ick is attached to the kernel's debugger.
        self.attached = False
        #: Where the kernel is stopped in ick's code, or ``None`` while it runs.
        self.stop: Stop | None = None
        #: Whether exceptions stop the kernel where they are raised.
        self.breaking_on_exceptions = False
        self._listening = False
        # The kernel's debugger was running already (another client started it): ick
        # leaves it running when it detaches.
        self._joined = False
        self._closing = False
        self._exception_filters: tuple[str, ...] = ()
        self._has_debugger: bool | None = None
        # Requests that start the session on their own may come together (a ``)vars``
        # typed while a ``)break`` starts it): one start between them.
        self._starting = asyncio.Lock()
        self._breakpoints: dict[str, tuple[Breakpoint, ...]] = {}
        self._frames: tuple[Frame, ...] | None = None
        self._frame_index = 0

    # -- attaching -------------------------------------------------------------------
    async def start(self) -> None:
        """Attach to the kernel's debugger, starting it if no other client has."""
        async with self._starting:
            if not self.attached:
                await self._attach()

    async def _attach(self) -> None:
        await self.require_debugger()
        self._listen()
        try:
            info = await self._request("debugInfo", timeout=self.START_TIMEOUT)
            self.sources.use_naming(FileNaming.from_debug_info(info))
            self._joined = info.get("isStarted") is True
            if not self._joined:
                await self._initialize()
            self.attached = True
        except BaseException:
            self._unlisten()
            raise

    async def require_debugger(self) -> None:
        """Raise :class:`NoDebugger` unless the kernel has a debugger (asked once)."""
        if self._has_debugger is None:
            self._has_debugger = await self._client.has_debugger()
        if not self._has_debugger:
            raise NoDebugger(f"the {self.kernel_name} kernel has no debugger")

    async def _initialize(self) -> None:
        answer = await self._request(
            "initialize",
            {
                "clientID": "ick",
                "clientName": "ick",
                "adapterID": self.kernel_name,
                "pathFormat": "path",
                "linesStartAt1": True,
                "columnsStartAt1": True,
                "supportsVariableType": True,
                "supportsVariablePaging": True,
                "supportsRunInTerminalRequest": False,
            },
            timeout=self.START_TIMEOUT,
        )
        filters = answer.get("exceptionBreakpointFilters")
        if isinstance(filters, list):
            self._exception_filters = tuple(
                entry["filter"]
                for entry in filters
                if isinstance(entry, dict) and isinstance(entry.get("filter"), str)
            )
        await self._request("attach", {}, timeout=self.START_TIMEOUT)
        await self._request("configurationDone", {})

    def forget(self) -> None:
        """Drop everything this session knew without telling the kernel: for a kernel that
        died or restarted (its debugger went with it).  :meth:`start` attaches again."""
        self._unlisten()
        self.attached = False
        self._closing = False
        self._joined = False
        self.stop = None
        self.breaking_on_exceptions = False
        self._breakpoints = {}
        self._frames = None
        self._frame_index = 0

    def _listen(self) -> None:
        if not self._listening:
            self._client.add_debug_listener(self._on_event)
            self._client.add_death_listener(self._on_death)
            self._listening = True

    def _unlisten(self) -> None:
        if self._listening:
            self._client.remove_debug_listener(self._on_event)
            self._client.remove_death_listener(self._on_death)
            self._listening = False

    def _require_stop(self) -> Stop:
        if self.stop is None:
            raise DebuggerError("the kernel is not stopped in the debugger")
        return self.stop

    # -- events ----------------------------------------------------------------------
    def _on_event(self, msg: Message) -> None:
        # Before ick's attach and after its detach, events are another client's session.
        if not self.attached or self._closing:
            return
        event = content(msg)
        body = event.get("body")
        details = body if isinstance(body, dict) else {}
        kind = event.get("event")
        if kind == "stopped":
            self._on_stopped(details)
        elif kind == "continued":
            self._on_continued(details)

    def _on_stopped(self, details: dict[str, Any]) -> None:
        # A stop is ick's when the execution the kernel is running is ick's: the debugger
        # stops the kernel's main thread, which runs one execution at a time, and iopub
        # carries every client's execute_input before the code runs.  The event's parent
        # header cannot tell: kernels give it the last control request's, anyone's.
        router = self._client.router
        if not router.is_own(router.executing):
            log.debug("a debugger stop in another client's execution: %s", details)
            return
        thread = whole_number(details.get("threadId"))
        if thread is None:
            return
        exception = text_of(details.get("text"))
        # debugpy's "userUnhandled" stops add "(note: ...)" to the exception's name.
        exception = exception.split("(note:")[0].strip()
        self.stop = Stop(
            reason=text_of(details.get("reason")) or "pause",
            thread_id=thread,
            exception=exception,
            description=text_of(details.get("description")),
        )
        self._frames = None
        self._frame_index = 0
        self.on_stop(self.stop)

    def _on_continued(self, details: dict[str, Any]) -> None:
        if self.stop is None:
            return
        if details.get("allThreadsContinued") is True or (
            whole_number(details.get("threadId")) == self.stop.thread_id
        ):
            self._resumed()

    def _resumed(self) -> None:
        self.stop = None
        self._frames = None
        self._frame_index = 0
        self.on_resume()

    def _on_death(self, reason: str) -> None:
        # The front end hears of the death from its execution; the debugger went with it.
        self.forget()
