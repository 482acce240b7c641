"""A debug session over the Jupyter debug protocol, on any of ick's kernel clients.

The protocol wraps Debug Adapter Protocol (DAP) requests in ``debug_request``
messages on the control channel; the kernel answers each with a ``debug_reply``
carrying the DAP response, and publishes DAP events (``stopped``,
``continued``...) as ``debug_event`` messages on iopub.  ipykernel (through
debugpy) and xeus-python implement it; JupyterLab's debugger is the reference
client, and :class:`DebugSession` follows its sequence: ``debugInfo``, then
``initialize``, ``attach`` and ``configurationDone`` unless another client has
started the kernel's debugger already.

A kernel has one debugger, shared by all its clients.  What makes a session
ick's own is decided here, not by message parents (see :meth:`DebugSession._on_stopped`).

Inputs are tied to files: the kernel compiles an input's code under a file name
derived from a hash of the code (``debugInfo`` names the hash, its seed and the
folder), so a breakpoint on "line 2 of In [5]" is a breakpoint on line 2 of
that file (written by ``dumpCell``), and a stopped frame's file leads back to
the input.  :class:`InputSources` keeps that mapping both ways.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ick.debug_records import (
    Breakpoint,
    Evaluation,
    Frame,
    Stop,
    Variable,
    VariableListing,
)
from ick.kernel.client import KernelClient
from ick.kernel.errors import (
    DebuggerError,
    DebugRequestFailed,
    NoDebugger,
    RequestTimeout,
)
from ick.messages import Message, content

log = logging.getLogger(__name__)

StopListener = Callable[[Stop], None]
ResumeListener = Callable[[], None]

#: The groups debugpy lists among variables ("special variables" holds dunders,
#: "function variables" the functions...): folders in JupyterLab's tree, not values.
VARIABLE_GROUPS = frozenset(
    {"special variables", "function variables", "class variables", "protected variables"}
)

#: The groups whose members ``)vars NAME`` finds by name.
SEARCHED_GROUPS = frozenset({"function variables", "class variables"})

#: The exception filter that breaks where an exception is raised (debugpy's name).
RAISED_FILTER = "raised"


def murmur2(data: bytes, seed: int) -> int:
    """MurmurHash2 (32-bit, x86) of ``data``: the hash ipykernel and xeus-python name
    an input's file by, as ``debugInfo``'s ``hashMethod: Murmur2`` says."""
    m = 0x5BD1E995
    length = len(data)
    h = (seed ^ length) & 0xFFFFFFFF
    rounded_end = length & ~3
    for i in range(0, rounded_end, 4):
        k = int.from_bytes(data[i : i + 4], "little")
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> 24
        k = (k * m) & 0xFFFFFFFF
        h = (h * m) & 0xFFFFFFFF
        h ^= k
    tail = data[rounded_end:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h


@dataclass(frozen=True, kw_only=True)
class FileNaming:
    """How the kernel names the file an input's code runs from (``debugInfo``'s fields)."""

    prefix: str
    suffix: str
    seed: int
    method: str

    def path_of(self, code: str) -> str | None:
        """The file ``code`` runs from, or ``None`` for a hash method ick does not know."""
        if self.method.lower() != "murmur2":
            return None
        return f"{self.prefix}{murmur2(code.encode('utf-8'), self.seed)}{self.suffix}"

    @classmethod
    def from_debug_info(cls, body: dict[str, Any]) -> FileNaming | None:
        prefix, suffix = body.get("tmpFilePrefix"), body.get("tmpFileSuffix")
        seed, method = body.get("hashSeed"), body.get("hashMethod")
        if not (isinstance(prefix, str) and isinstance(suffix, str) and isinstance(method, str)):
            return None
        if not isinstance(seed, int) or isinstance(seed, bool):
            return None
        return cls(prefix=prefix, suffix=suffix, seed=seed, method=method)


class InputSources:
    """Each input's code and the file the kernel runs it from, both ways.

    A file is known from ``dumpCell``'s answer, or, before any dump, from the
    kernel's naming scheme: an input run before the session started already ran
    from that file, so its functions stop there.
    """

    def __init__(self) -> None:
        self._code: dict[int, str] = {}
        self._path: dict[int, str] = {}
        self._input_at: dict[str, int] = {}
        self._naming: FileNaming | None = None

    def remember(self, number: int, code: str) -> None:
        """Record that input ``number`` ran ``code``."""
        self._code[number] = code
        self._path.pop(number, None)
        if self._naming is not None:
            path = self._naming.path_of(code)
            if path is not None:
                self._place(number, path)

    def use_naming(self, naming: FileNaming | None) -> None:
        """Name the files of the inputs remembered so far, and of those to come."""
        self._naming = naming
        if naming is None:
            return
        for number, code in self._code.items():
            if number not in self._path:
                path = naming.path_of(code)
                if path is not None:
                    self._place(number, path)

    def dumped(self, number: int, path: str) -> None:
        """The kernel wrote input ``number``'s code to ``path`` (``dumpCell``)."""
        self._place(number, path)

    def _place(self, number: int, path: str) -> None:
        self._path[number] = path
        # Inputs with the same code share a file: the latest one names it.
        if self._input_at.get(path, -1) <= number:
            self._input_at[path] = number

    def code_of(self, number: int) -> str | None:
        return self._code.get(number)

    def path_of(self, number: int) -> str | None:
        return self._path.get(number)

    def input_at(self, path: str) -> int | None:
        """The input whose code runs from ``path``, if it is one of ours."""
        return self._input_at.get(path)

    def numbers(self) -> list[int]:
        return sorted(self._code)


def _one_line(text: object, limit: int = 200) -> str:
    """The last non-empty line of a kernel's message (a traceback ends with the error),
    whitespace collapsed and cut to ``limit`` characters."""
    lines = [" ".join(line.split()) for line in str(text or "").splitlines()]
    lines = [line for line in lines if line]
    line = lines[-1] if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _dicts(value: object) -> list[dict[str, Any]]:
    """The objects of a list from the kernel; anything else in it, or instead of it, is dropped."""
    return [entry for entry in value if isinstance(entry, dict)] if isinstance(value, list) else []


def _cut(text: str, limit: int) -> tuple[str, bool]:
    return (text, False) if len(text) <= limit else (text[:limit], True)


class DebugSession:
    """ick's debug session on one kernel: breakpoints, stops, stepping and variables.

    Create it with the kernel client and the callbacks that tell the front end
    when the kernel stops in its code (``on_stop``) and when it runs again
    (``on_resume``); :meth:`start` attaches, and so does the first request that
    needs it.  The callbacks run in the client's message reader: they must not
    block.  While the kernel is stopped, the front end's execute request stays
    unanswered until :meth:`resume` (or the steps run the code to its end).

    Every request raises :class:`DebuggerError` with a one-line message when the
    kernel refuses it or does not answer in time, :class:`NoDebugger` when the
    kernel has no debugger, and :class:`KernelDied` when the kernel dies.
    """

    #: How long a debug request may wait for its reply.
    REQUEST_TIMEOUT = 10.0
    #: The first ``initialize`` and ``attach`` start debugpy inside the kernel.
    START_TIMEOUT = 30.0
    #: Characters of a value kept; debugpy already cuts containers to their first items.
    VALUE_LIMIT = 2000
    #: Variables kept from one listing.
    VARIABLE_LIMIT = 300

    def __init__(
        self,
        *,
        client: KernelClient,
        on_stop: StopListener | None = None,
        on_resume: ResumeListener | None = None,
    ) -> None:
        self._client = client
        self.on_stop: StopListener = on_stop or (lambda stop: None)
        self.on_resume: ResumeListener = on_resume or (lambda: None)
        self.sources = InputSources()
        #: Whether ick is attached to the kernel's debugger.
        self.attached = False
        #: Where the kernel is stopped in ick's code, or ``None`` while it runs.
        self.stop: Stop | None = None
        #: Whether exceptions stop the kernel where they are raised.
        self.breaking_on_exceptions = False
        self._seq = 0
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

    @property
    def kernel_name(self) -> str:
        return self._client.name

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

    async def close(self) -> None:
        """Stop debugging (pdb's ``q``): remove ick's breakpoints, let stopped code run on,
        and detach.

        A debugger another client started is left running for it.  Stops that
        come meanwhile are not reported: the breakpoints go first, so that the code
        let go runs to its end.
        """
        if not self.attached:
            self.forget()
            return
        self._closing = True
        try:
            await self.clear_breakpoints()
            if self.stop is not None:
                await self.resume()
            if not self._joined:
                await self._request("disconnect", {"restart": False, "terminateDebuggee": False})
        finally:
            self.forget()

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

    # -- requests --------------------------------------------------------------------
    async def _exchange(
        self, command: str, arguments: dict[str, Any], timeout: float
    ) -> dict[str, Any]:
        """Send one DAP request; return the kernel's DAP response, whatever it says."""
        self._seq += 1
        request = {"type": "request", "seq": self._seq, "command": command, "arguments": arguments}
        try:
            return await self._client.request(
                "debug_request", request, channel="control", timeout=timeout
            )
        except RequestTimeout:
            raise DebuggerError(
                f"the {self.kernel_name} kernel's debugger did not answer {command} "
                f"within {timeout:g} s"
            ) from None

    async def _request(
        self, command: str, arguments: dict[str, Any] | None = None, timeout: float | None = None
    ) -> dict[str, Any]:
        """Send one DAP request; return its response's ``body``, or raise if it failed."""
        answer = await self._exchange(command, arguments or {}, timeout or self.REQUEST_TIMEOUT)
        if answer.get("success") is not True:
            reason = _one_line(answer.get("message")) or "no reason given"
            raise DebugRequestFailed(
                f"the {self.kernel_name} kernel's debugger refused {command}: {reason}"
            )
        body = answer.get("body")
        return body if isinstance(body, dict) else {}

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
        thread = _number(details.get("threadId"))
        if thread is None:
            return
        exception = _text(details.get("text"))
        # debugpy's "userUnhandled" stops add "(note: ...)" to the exception's name.
        exception = exception.split("(note:")[0].strip()
        self.stop = Stop(
            reason=_text(details.get("reason")) or "pause",
            thread_id=thread,
            exception=exception,
            description=_text(details.get("description")),
        )
        self._frames = None
        self._frame_index = 0
        self.on_stop(self.stop)

    def _on_continued(self, details: dict[str, Any]) -> None:
        if self.stop is None:
            return
        if details.get("allThreadsContinued") is True or (
            _number(details.get("threadId")) == self.stop.thread_id
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

    # -- running on --------------------------------------------------------------------
    async def next(self) -> None:
        """Run to the next line of the current function (pdb's ``n``)."""
        await self._run_on("next")

    async def step_in(self) -> None:
        """Run into the function called on this line, or to the next line (pdb's ``s``)."""
        await self._run_on("stepIn")

    async def step_out(self) -> None:
        """Run until the current function returns (pdb's ``r``)."""
        await self._run_on("stepOut")

    async def resume(self) -> None:
        """Run until the next breakpoint or the end (pdb's ``c``)."""
        await self._run_on("continue")

    async def _run_on(self, command: str) -> None:
        stop = self._require_stop()
        await self._request(command, {"threadId": stop.thread_id})
        # The ``continued`` event may come before this reply, after it, or (when the
        # next stop comes first) be overtaken: only the stop that was left is cleared.
        if self.stop is stop:
            self._resumed()

    # -- where it stopped --------------------------------------------------------------
    async def frames(self) -> tuple[Frame, ...]:
        """The stopped thread's stack, innermost frame first (pdb's ``w``)."""
        stop = self._require_stop()
        if self._frames is None:
            body = await self._request("stackTrace", {"threadId": stop.thread_id})
            frames = [self._frame(entry) for entry in _dicts(body.get("stackFrames"))]
            self._frames = tuple(frame for frame in frames if frame is not None)
            self._frame_index = 0
        return self._frames

    def _frame(self, entry: dict[str, Any]) -> Frame | None:
        frame_id = _number(entry.get("id"))
        if frame_id is None:
            return None
        source = entry.get("source")
        path = _text(source.get("path")) if isinstance(source, dict) else ""
        return Frame(
            id=frame_id,
            name=_text(entry.get("name")),
            path=path,
            line=_number(entry.get("line")) or 0,
            input_number=self.sources.input_at(path) if path else None,
        )

    @property
    def frame_index(self) -> int:
        """Which frame :meth:`current_frame` is: 0 is the innermost."""
        return self._frame_index

    async def current_frame(self) -> Frame:
        """The frame that expressions and ``l`` use: where it stopped, or where u/d moved."""
        frames = await self.frames()
        if not frames:
            raise DebuggerError(f"the {self.kernel_name} kernel's debugger shows no frames")
        return frames[min(self._frame_index, len(frames) - 1)]

    async def up(self) -> Frame:
        """Move to the frame that called the current one (pdb's ``u``)."""
        frames = await self.frames()
        if self._frame_index + 1 >= len(frames):
            raise DebuggerError("this is the oldest frame")
        self._frame_index += 1
        return frames[self._frame_index]

    async def down(self) -> Frame:
        """Move to the frame the current one called (pdb's ``d``)."""
        await self.frames()
        if self._frame_index == 0:
            raise DebuggerError("this is the newest frame")
        self._frame_index -= 1
        return await self.current_frame()

    async def source_lines(self, frame: Frame) -> list[str]:
        """The code of ``frame``'s file (pdb's ``l`` shows it around the line)."""
        if frame.input_number is not None:
            code = self.sources.code_of(frame.input_number)
            if code is not None:
                return code.splitlines()
        if not frame.path:
            raise DebuggerError(f"no source for {frame.name or 'this frame'}")
        body = await self._request("source", {"source": {"path": frame.path}})
        return _text(body.get("content")).splitlines()

    async def evaluate(self, expression: str, *, timeout: float | None = None) -> Evaluation:
        """``expression`` evaluated in the current frame (pdb's ``p``); an expression that
        raises is an answer too, with its error.  ``timeout`` is for expressions known to
        be slow; ``None`` waits :attr:`REQUEST_TIMEOUT`."""
        frame = await self.current_frame()
        answer = await self._exchange(
            "evaluate",
            {"expression": expression, "frameId": frame.id, "context": "repl"},
            timeout or self.REQUEST_TIMEOUT,
        )
        if answer.get("success") is not True:
            return Evaluation(error=_one_line(answer.get("message")) or "evaluation failed")
        body = answer.get("body")
        body = body if isinstance(body, dict) else {}
        result, cut = _cut(_text(body.get("result")), self.VALUE_LIMIT)
        return Evaluation(
            result=result,
            type=_text(body.get("type")),
            result_cut=cut,
            reference=_number(body.get("variablesReference")) or 0,
        )

    # -- variables ---------------------------------------------------------------------
    async def global_variables(self) -> VariableListing:
        """The kernel's global variables, without the debugger's groups (``)vars``).

        Starts the session first if need be: xeus-python dies of an
        ``inspectVariables`` that comes before ``initialize``.
        """
        await self.start()
        return self._listing(await self._request("inspectVariables", {}))

    async def frame_variables(self) -> VariableListing:
        """The current frame's local variables (``vars`` at the debug prompt)."""
        scopes = await self._scope_references()
        return await self.children(scopes[0]) if scopes else VariableListing(variables=())

    async def _scope_references(self) -> list[int]:
        """The current frame's scopes, locals first (ipykernel and xeus-python mark them and
        send them first; Globals follow)."""
        frame = await self.current_frame()
        body = await self._request("scopes", {"frameId": frame.id})
        scopes = sorted(
            _dicts(body.get("scopes")), key=lambda scope: scope.get("presentationHint") != "locals"
        )
        references = [_number(scope.get("variablesReference")) for scope in scopes]
        return [reference for reference in references if reference]

    async def children(self, reference: int) -> VariableListing:
        """The items or attributes of a variable (its :attr:`Variable.reference`).

        No ``count`` goes with the request: ipykernel ignores it, and xeus-python
        never answers one that asks for more than there is.  debugpy sends a
        container's first items only, and the listing is cut here again.
        """
        await self.start()
        return self._listing(await self._request("variables", {"variablesReference": reference}))

    async def variable(self, path: str) -> tuple[Variable, VariableListing]:
        """A variable by name, dotted through its children (``)vars NAME``), with its
        children (none when it has none)."""
        names = [name for name in path.strip().split(".") if name]
        if not names:
            raise DebuggerError("which variable?")
        if self.stop is None:
            await self.start()
            listings = [await self._request("inspectVariables", {})]
        else:  # the names the stopped frame sees, its locals first
            listings = [
                await self._request("variables", {"variablesReference": reference})
                for reference in await self._scope_references()
            ]
        found: Variable | None = None
        for depth, name in enumerate(names):
            found = await self._find(name, listings)
            shown = ".".join(names[: depth + 1])
            if found is None:
                raise DebuggerError(f"no variable named {shown}")
            if depth + 1 < len(names):
                if not found.expandable:
                    raise DebuggerError(f"{shown} has no items")
                listings = [
                    await self._request("variables", {"variablesReference": found.reference})
                ]
        assert found is not None
        if not found.expandable:
            return found, VariableListing(variables=())
        return found, await self.children(found.reference)

    async def _find(self, name: str, listings: list[dict[str, Any]]) -> Variable | None:
        """``name`` among the variables of ``listings``, else inside their function and
        class groups (where debugpy files functions and classes)."""
        groups: list[int] = []
        for listing in listings:
            for entry in _dicts(listing.get("variables")):
                if entry.get("name") == name:
                    return self._variable(entry)
                reference = _number(entry.get("variablesReference"))
                if entry.get("name") in SEARCHED_GROUPS and reference:
                    groups.append(reference)
        for reference in groups:
            listing = await self._request("variables", {"variablesReference": reference})
            for entry in _dicts(listing.get("variables")):
                if entry.get("name") == name:
                    return self._variable(entry)
        return None

    def _listing(self, body: dict[str, Any]) -> VariableListing:
        kept: list[Variable] = []
        for entry in _dicts(body.get("variables")):
            name = _text(entry.get("name"))
            if not name or name in VARIABLE_GROUPS:
                continue
            if len(kept) == self.VARIABLE_LIMIT:
                return VariableListing(variables=tuple(kept), cut=True)
            kept.append(self._variable(entry))
        return VariableListing(variables=tuple(kept))

    def _variable(self, entry: dict[str, Any]) -> Variable:
        value, cut = _cut(_text(entry.get("value")), self.VALUE_LIMIT)
        return Variable(
            name=_text(entry.get("name")),
            type=_text(entry.get("type")),
            value=value,
            value_cut=cut,
            reference=_number(entry.get("variablesReference")) or 0,
        )

    # -- breakpoints -------------------------------------------------------------------
    def remember_input(self, number: int, code: str) -> None:
        """Record what input ``number`` ran, so that breakpoints and frames can name it."""
        self.sources.remember(number, code)

    async def dump_input(self, number: int) -> str:
        """Have the kernel write input ``number``'s code to the file it runs from; its path."""
        await self.start()
        code = self.sources.code_of(number)
        if code is None:
            raise DebuggerError(f"there is no input {number} to break in")
        path = _text((await self._request("dumpCell", {"code": code})).get("sourcePath"))
        if not path:
            raise DebuggerError(
                f"the {self.kernel_name} kernel's debugger gave no file for In [{number}]"
            )
        self.sources.dumped(number, path)
        return path

    async def add_breakpoint(self, *, input_number: int, line: int) -> Breakpoint:
        """Break at ``line`` of input ``input_number`` (``)break In[5]:2``), where the
        kernel's debugger placed it (it can move a line that holds no code)."""
        code = self.sources.code_of(input_number)
        if code is None:
            raise DebuggerError(f"there is no input {input_number} to break in")
        count = len(code.splitlines())
        if not 1 <= line <= count:
            size = "1 line" if count == 1 else f"{count} lines"
            raise DebuggerError(f"In [{input_number}] has {size}; there is no line {line}")
        path = await self.dump_input(input_number)
        lines = sorted({bp.line for bp in self._breakpoints.get(path, ())} | {line})
        placed = await self._set_breakpoints(path, input_number, lines)
        return (
            placed[lines.index(line)]
            if len(placed) == len(lines)
            else Breakpoint(input_number=input_number, line=line, path=path, verified=False)
        )

    async def _set_breakpoints(
        self, path: str, input_number: int, lines: list[int]
    ) -> tuple[Breakpoint, ...]:
        body = await self._request(
            "setBreakpoints",
            {
                "source": {"path": path},
                "breakpoints": [{"line": line} for line in lines],
                "sourceModified": False,
            },
        )
        answered = _dicts(body.get("breakpoints"))
        placed = tuple(
            Breakpoint(
                input_number=input_number,
                line=_number(entry.get("line")) or wanted,
                path=path,
                verified=entry.get("verified") is not False,
            )
            for wanted, entry in zip(lines, answered, strict=False)
        )
        if placed:
            self._breakpoints[path] = placed
        else:
            self._breakpoints.pop(path, None)
        return placed

    def breakpoints(self) -> list[Breakpoint]:
        """ick's line breakpoints, by input and line (``)break``)."""
        found = [bp for placed in self._breakpoints.values() for bp in placed]
        return sorted(found, key=lambda bp: (bp.input_number, bp.line))

    async def clear_breakpoints(self) -> None:
        """Remove every breakpoint ick set, and stop breaking on exceptions (``)break clear``)."""
        if not self.attached:
            return
        for path, placed in list(self._breakpoints.items()):
            await self._set_breakpoints(path, placed[0].input_number, [])
        if self.breaking_on_exceptions:
            await self.break_on_exceptions(False)

    async def break_on_exceptions(self, enabled: bool = True) -> None:
        """Stop where any exception is raised, caught or not (``)break raise``)."""
        await self.start()
        # A session joined from another client never saw initialize's filter list.
        offered = self._exception_filters or (RAISED_FILTER,)
        if enabled and RAISED_FILTER not in offered:
            raise DebuggerError(
                f"the {self.kernel_name} kernel's debugger cannot break on raised exceptions"
            )
        await self._request(
            "setExceptionBreakpoints", {"filters": [RAISED_FILTER] if enabled else []}
        )
        self.breaking_on_exceptions = enabled
