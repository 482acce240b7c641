"""The Jupyter widget protocol as state: a store of widget models, knowing no screen.

ipywidgets (and what is built on it: tqdm.auto's bars, ``interact``) keeps each
widget's state in the kernel and mirrors it to front ends over comms, protocol
version 2 (ipywidgets' ``packages/schema/messages.md``): a ``comm_open`` on the
``jupyter.widget`` target carries a model's whole state, ``comm_msg`` ``update``
and ``echo_update`` messages carry changes, binary values travel as the
message's buffers at the places ``buffer_paths`` name, and ``comm_close`` ends
a model.  :class:`WidgetStore` follows those messages for one kernel client,
whichever request (or other client) caused them, by observing iopub before the
router hands messages on.  It sends the user's changes (``update``) and a
button's ``click`` (``custom``) back, and learns the widgets that already exist
when attaching through the ``jupyter.widget.control`` comm.

The Output widget's capture is protocol state too: while an Output model's
``msg_id`` names a request, that request's output belongs inside the widget
(JupyterLab's rule).  The store appends it to the model's ``outputs``, syncs
them back to the kernel as JupyterLab does when the request was ick's own,
and answers :meth:`captures` so that a front end leaves those messages out of
its ordinary output.

Kernels are untrusted: malformed comm messages, updates for models never
opened, buffers that do not match their paths and widgets of libraries ick
does not draw are skipped (or kept undrawn) with one warning per kind.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ick.kernel.client import KernelClient
from ick.kernel.errors import KernelError
from ick.messages import Message, NotebookOutput, content, msg_type, notebook_output, parent_id

log = logging.getLogger(__name__)

WIDGET_TARGET = "jupyter.widget"
CONTROL_TARGET = "jupyter.widget.control"
PROTOCOL_MAJOR = "2"
CONTROL_PROTOCOL_VERSION = "1.0.0"
#: The widget libraries ick draws.  Models of others are kept (a box may hold one) but the
#: renderer has no drawing for them, so their displays fall back to text/plain.
DRAWN_MODULES = frozenset(
    {"@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/output"}
)
OUTPUT_MODEL = "OutputModel"
#: What a capturing Output widget takes from the ordinary output (JupyterLab's list).
CAPTURED_TYPES = frozenset({"stream", "display_data", "execute_result", "error", "clear_output"})
_COMM_TYPES = frozenset({"comm_open", "comm_msg", "comm_close"})
_WIDGET_METHODS = frozenset({"update", "echo_update", "custom", "request_state"})
#: Captured outputs are synced back to the kernel after this long, so that a loop of prints
#: inside ``with out:`` costs one update message, not one per print.
OUTPUTS_SYNC_DELAY = 0.1
#: Captured messages remembered by id: output held back for a moment (an execution sent early,
#: its callback connected later) is still known as captured once the capture has ended.
REMEMBERED_CAPTURES = 4096

ModelListener = Callable[[str], None]
"""Told the id of a model that was opened, changed or closed."""
CustomListener = Callable[[str, Any, list[bytes]], None]
"""Told a model's id, the content and the buffers of a ``custom`` message from the kernel."""


class WidgetStore:
    """Every widget model of one kernel, kept current from its comm messages.

    The renderer reads models through :meth:`state_of` (a model's state, child
    widgets referenced as ``"IPY_MODEL_<id>"``); front ends subscribe with
    :meth:`add_listener` to redraw what changed.
    """

    def __init__(self, *, client: KernelClient) -> None:
        self._client = client
        self._models: dict[str, dict[str, Any]] = {}
        self._listeners: list[ModelListener] = []
        self._custom_listeners: list[CustomListener] = []
        # Comms of other targets: their messages are not widget messages gone astray.
        self._foreign: set[str] = set()
        # (model, key) -> the msg_id of our latest update of that key, until its echo comes.
        self._awaiting_echo: dict[tuple[str, str], str] = {}
        self._capturing: dict[str, str] = {}  # a request's msg_id -> the Output model taking it
        self._captured: dict[str, None] = {}  # ids of captured messages, oldest first
        self._clear_on_next: set[str] = set()  # Output models with a clear_output(wait=True)
        self._unsynced_outputs: set[str] = set()
        self._sync_handle: asyncio.TimerHandle | None = None
        self._control_id: str | None = None
        self._control_answer: asyncio.Future[int] | None = None
        client.add_observer(self.observe)

    def close(self) -> None:
        """Stop following the kernel (a front end switching kernels)."""
        self._client.remove_observer(self.observe)
        if self._sync_handle is not None:
            self._sync_handle.cancel()
            self._sync_handle = None

    # -- reading ------------------------------------------------------------------
    def state_of(self, model_id: str) -> Mapping[str, Any] | None:
        """A model's current state, or None for a model that is not (or no longer) open."""
        return self._models.get(model_id)

    def __contains__(self, model_id: object) -> bool:
        return model_id in self._models

    def __len__(self) -> int:
        return len(self._models)

    def model_ids(self) -> Iterator[str]:
        return iter(list(self._models))

    def captures(self, msg: Message) -> bool:
        """Whether ``msg`` went into an Output widget instead of the ordinary output."""
        live = self._capturing and msg_type(msg) in CAPTURED_TYPES
        if live and parent_id(msg) in self._capturing:
            return True
        header = msg.get("header")
        return (
            bool(self._captured)
            and isinstance(header, dict)
            and (header.get("msg_id") in self._captured)
        )

    # -- listeners ----------------------------------------------------------------
    def add_listener(self, listener: ModelListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: ModelListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def add_custom_listener(self, listener: CustomListener) -> None:
        self._custom_listeners.append(listener)

    def _changed(self, model_id: str) -> None:
        for listener in list(self._listeners):
            listener(model_id)

    # -- sending ------------------------------------------------------------------
    def send_update(self, model_id: str, changes: Mapping[str, Any]) -> str | None:
        """Send the user's change of a model's state to the kernel and apply it here at once.

        Returns the comm_msg's id, or None when the model is not open or the
        kernel cannot be reached.  The kernel's ``echo_update`` of a key is
        ignored while a later change of ours to that key is on its way, so a
        slider moved three times quickly does not jump back.
        """
        state = self._models.get(model_id)
        if state is None or not changes:
            return None
        data = {"method": "update", "state": dict(changes), "buffer_paths": []}
        msg_id = self._send_comm_msg(model_id, data)
        if msg_id is None:
            return None
        for key in changes:
            self._awaiting_echo[(model_id, key)] = msg_id
        state.update(changes)
        if state.get("_model_name") == OUTPUT_MODEL and "msg_id" in changes:
            self._index_capture(model_id)
        self._changed(model_id)
        return msg_id

    def send_custom(self, model_id: str, content: Mapping[str, Any]) -> str | None:
        """A ``custom`` message to a model: ``{"event": "click"}`` presses a Button (its
        ``on_click`` callbacks run), ``{"event": "submit"}`` submits a Text."""
        if model_id not in self._models:
            return None
        return self._send_comm_msg(model_id, {"method": "custom", "content": dict(content)})

    def send_click(self, model_id: str) -> str | None:
        return self.send_custom(model_id, {"event": "click"})

    def request_state(self, model_id: str) -> str | None:
        """Ask the kernel to send a model's whole state again (as an ``update``)."""
        if model_id not in self._models:
            return None
        return self._send_comm_msg(model_id, {"method": "request_state"})

    def _send_comm_msg(self, comm_id: str, data: dict[str, Any]) -> str | None:
        try:
            return self._client.send_own("shell", "comm_msg", {"comm_id": comm_id, "data": data})
        except KernelError:
            return None  # the kernel is gone: its death is reported elsewhere

    async def learn_existing(self, timeout: float = 5.0) -> int:
        """Learn the widgets that exist already (attaching with ``--existing``, ``--attach``,
        ``--watch``): how many models the kernel reported.

        A kernel without ipywidgets closes the control comm at once (0); one that
        does not answer in ``timeout`` seconds counts as having none.
        """
        if self._control_answer is not None:
            return await asyncio.shield(self._control_answer)
        loop = asyncio.get_running_loop()
        comm_id = uuid.uuid4().hex
        answer: asyncio.Future[int] = loop.create_future()
        self._control_id, self._control_answer = comm_id, answer
        try:
            self._client.send_own(
                "shell",
                "comm_open",
                {"comm_id": comm_id, "target_name": CONTROL_TARGET, "data": {}},
                metadata={"version": CONTROL_PROTOCOL_VERSION},
            )
            self._send_comm_msg(comm_id, {"method": "request_states"})
            return await asyncio.wait_for(asyncio.shield(answer), timeout)
        except (TimeoutError, KernelError):
            return 0
        finally:
            still_open = self._control_id == comm_id
            self._control_id = self._control_answer = None
            answer.cancel()
            if still_open:
                # Answered or not, the comm is of no further use to either side.
                with contextlib.suppress(KernelError):
                    self._client.send_own("shell", "comm_close", {"comm_id": comm_id, "data": {}})

    # -- receiving ----------------------------------------------------------------
    def observe(self, msg: Message) -> None:
        """Take one iopub message (every one passes here, before routing)."""
        kind = msg_type(msg)
        try:
            if kind == "comm_msg":
                self._on_msg(msg)
            elif kind == "comm_open":
                self._on_open(msg)
            elif kind == "comm_close":
                self._on_close(msg)
            elif kind in CAPTURED_TYPES:
                if self._capturing:
                    self._capture(msg)
            elif kind == "status" and self._models and _restarted(msg):
                self.forget_all()
        except Exception:  # a bug here must not stop the message reaching its request
            log.exception("error handling a widget message")
            self._client.warn_once("widget-handler", "failed to handle a widget message")

    def forget_all(self) -> None:
        """The kernel restarted: every model it had is gone."""
        gone = list(self._models)
        self._models.clear()
        self._awaiting_echo.clear()
        self._capturing.clear()
        self._clear_on_next.clear()
        self._unsynced_outputs.clear()
        for model_id in gone:
            self._changed(model_id)

    def _on_open(self, msg: Message) -> None:
        body = content(msg)
        comm_id = body.get("comm_id")
        if not isinstance(comm_id, str) or not comm_id:
            self._malformed()
            return
        if body.get("target_name") != WIDGET_TARGET:
            self._foreign.add(comm_id)
            return
        metadata = msg.get("metadata")
        version = metadata.get("version") if isinstance(metadata, dict) else None
        if isinstance(version, str) and version.split(".")[0] != PROTOCOL_MAJOR:
            self._foreign.add(comm_id)
            self._client.warn_once(
                "widget-version",
                f"widgets of protocol version {version[:20]} are not drawn (ick speaks version 2)",
            )
            return
        state = self._state_from(body.get("data"), msg)
        if state is None:
            return
        self._models[comm_id] = state
        self._opened(comm_id, state)

    def _opened(self, model_id: str, state: dict[str, Any]) -> None:
        module = state.get("_model_module")
        if isinstance(module, str) and module not in DRAWN_MODULES:
            self._client.warn_once(
                "widget-module",
                f"widgets of {module[:60]!r} are not drawn in the terminal; their text is shown",
            )
        if state.get("_model_name") == OUTPUT_MODEL:
            self._index_capture(model_id)
        self._changed(model_id)

    def _on_msg(self, msg: Message) -> None:
        body = content(msg)
        comm_id = body.get("comm_id")
        data = body.get("data")
        if not isinstance(comm_id, str):
            self._malformed()
            return
        if comm_id == self._control_id:
            self._on_control_msg(data, msg)
            return
        state = self._models.get(comm_id)
        if state is None:
            if comm_id not in self._foreign and _is_widget_message(data):
                self._client.warn_once(
                    "widget-unknown", "ignored updates for widgets ick never saw opened"
                )
            return
        if not isinstance(data, dict):
            self._malformed()
            return
        method = data.get("method")
        if method == "update" or method == "echo_update":
            changes = self._state_from(data, msg)
            if changes is None:
                return
            if method == "echo_update":
                changes = self._unless_awaiting(comm_id, changes, parent_id(msg))
                if not changes:
                    return
            state.update(changes)
            if "msg_id" in changes and state.get("_model_name") == OUTPUT_MODEL:
                self._index_capture(comm_id)
            self._changed(comm_id)
        elif method == "custom":
            buffers = [bytes(buffer) for buffer in _buffers_of(msg)]
            for listener in list(self._custom_listeners):
                listener(comm_id, data.get("content"), buffers)
        elif not isinstance(method, str):
            self._malformed()

    def _unless_awaiting(
        self, model_id: str, changes: dict[str, Any], answers: str | None
    ) -> dict[str, Any]:
        """An echo's changes, less the keys that a change of ours still on its way will set.

        The echo of our latest change of a key ends the wait; it carries the value
        we already have, so it is not applied either.
        """
        if not self._awaiting_echo:
            return changes
        kept: dict[str, Any] = {}
        for key, value in changes.items():
            awaited = self._awaiting_echo.get((model_id, key))
            if awaited is None:
                kept[key] = value
            elif awaited == answers:
                del self._awaiting_echo[(model_id, key)]
        return kept

    def _on_close(self, msg: Message) -> None:
        comm_id = content(msg).get("comm_id")
        if not isinstance(comm_id, str):
            self._malformed()
            return
        if comm_id == self._control_id:
            # A kernel without ipywidgets has no control target and closes the comm.
            self._control_id = None
            self._answer_control(0)
            return
        self._foreign.discard(comm_id)
        state = self._models.pop(comm_id, None)
        if state is None:
            return
        for key in [key for key in self._awaiting_echo if key[0] == comm_id]:
            del self._awaiting_echo[key]
        for request in [req for req, model in self._capturing.items() if model == comm_id]:
            del self._capturing[request]
        self._clear_on_next.discard(comm_id)
        self._unsynced_outputs.discard(comm_id)
        self._changed(comm_id)

    def _on_control_msg(self, data: Any, msg: Message) -> None:
        """``update_states``: every model the kernel has, with buffers placed by paths that
        start at the model's id."""
        if not isinstance(data, dict) or data.get("method") != "update_states":
            return
        states = data.get("states")
        if not isinstance(states, dict):
            self._malformed()
            self._answer_control(0)
            return
        if not _put_buffers(states, data.get("buffer_paths") or [], _buffers_of(msg)):
            self._mismatched_buffers()
            self._answer_control(0)
            return
        learnt = 0
        for model_id, entry in states.items():
            if not isinstance(model_id, str) or not isinstance(entry, dict):
                continue
            state = entry.get("state")
            if not isinstance(state, dict):
                continue
            for key in ("model_name", "model_module", "model_module_version"):
                if isinstance(entry.get(key), str):
                    state.setdefault(f"_{key}", entry[key])
            # The snapshot was taken after every comm message that came before it.
            self._models[model_id] = state
            self._opened(model_id, state)
            learnt += 1
        self._answer_control(learnt)

    def _answer_control(self, learnt: int) -> None:
        if self._control_answer is not None and not self._control_answer.done():
            self._control_answer.set_result(learnt)

    def _state_from(self, data: Any, msg: Message) -> dict[str, Any] | None:
        """The state a comm_open or update carries, its binary values put in place."""
        if not isinstance(data, dict) or not isinstance(data.get("state"), dict):
            self._malformed()
            return None
        state: dict[str, Any] = data["state"]
        paths = data.get("buffer_paths") or []
        buffers = _buffers_of(msg)
        if (paths or buffers) and not _put_buffers(state, paths, buffers):
            self._mismatched_buffers()
            return None
        return state

    def _malformed(self) -> None:
        self._client.warn_once("widget-malformed", "ignored a malformed widget message")

    def _mismatched_buffers(self) -> None:
        self._client.warn_once(
            "widget-buffers", "ignored a widget message whose binary buffers do not match its paths"
        )

    # -- the Output widget ----------------------------------------------------------
    def _index_capture(self, model_id: str) -> None:
        for old in [request for request, model in self._capturing.items() if model == model_id]:
            del self._capturing[old]
        state = self._models.get(model_id)
        request = state.get("msg_id") if state is not None else None
        if isinstance(request, str) and request:
            self._capturing[request] = model_id

    def _capture(self, msg: Message) -> None:
        model_id = self._capturing.get(parent_id(msg) or "")
        state = self._models.get(model_id) if model_id is not None else None
        if model_id is None or state is None:
            return
        self._remember_captured(msg)
        kind = msg_type(msg)
        body = content(msg)
        existing = state.get("outputs")
        outputs: list[NotebookOutput] = list(existing) if isinstance(existing, list) else []
        if kind == "clear_output":
            if body.get("wait"):
                self._clear_on_next.add(model_id)
                return
            self._clear_on_next.discard(model_id)
            outputs = []
        else:
            output = notebook_output(kind, body)
            if output is None:
                return
            if model_id in self._clear_on_next:
                self._clear_on_next.discard(model_id)
                outputs = []
            last = outputs[-1] if outputs else None
            if (
                output["output_type"] == "stream"
                and isinstance(last, dict)
                and last.get("output_type") == "stream"
                and last.get("name") == output["name"]
                and isinstance(last.get("text"), str)
            ):
                outputs[-1] = {**last, "text": last["text"] + output["text"]}
            else:
                outputs.append(output)
        state["outputs"] = outputs
        if self._client.router.is_own(parent_id(msg)):
            # The front end whose request it was syncs it; another client's is theirs to.
            self._unsynced_outputs.add(model_id)
            self._schedule_outputs_sync()
        self._changed(model_id)

    def _remember_captured(self, msg: Message) -> None:
        header = msg.get("header")
        msg_id = header.get("msg_id") if isinstance(header, dict) else None
        if not isinstance(msg_id, str):
            return
        self._captured[msg_id] = None
        if len(self._captured) > REMEMBERED_CAPTURES:
            del self._captured[next(iter(self._captured))]

    def _schedule_outputs_sync(self) -> None:
        if self._sync_handle is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (in-process tests): sync at once
            self._sync_outputs()
            return
        self._sync_handle = loop.call_later(OUTPUTS_SYNC_DELAY, self._sync_outputs)

    def _sync_outputs(self) -> None:
        """Tell the kernel what its Output widgets captured, as JupyterLab does: the kernel's
        own ``append_stdout`` and a later ``outputs`` read build on it."""
        self._sync_handle = None
        models, self._unsynced_outputs = self._unsynced_outputs, set()
        for model_id in models:
            state = self._models.get(model_id)
            if state is not None:
                outputs = list(state.get("outputs") or [])
                data = {"method": "update", "state": {"outputs": outputs}, "buffer_paths": []}
                msg_id = self._send_comm_msg(model_id, data)
                if msg_id is not None:
                    self._awaiting_echo[(model_id, "outputs")] = msg_id

    # -- saving ---------------------------------------------------------------------
    def saved_state(self) -> dict[str, Any]:
        """Every model as a notebook's ``application/vnd.jupyter.widget-state+json``
        metadata holds it (binary values base64-encoded beside their paths)."""
        models: dict[str, Any] = {}
        for model_id, state in self._models.items():
            plain, buffers = _without_buffers(state)
            entry: dict[str, Any] = {
                "model_name": str(state.get("_model_name") or ""),
                "model_module": str(state.get("_model_module") or ""),
                "model_module_version": str(state.get("_model_module_version") or ""),
                "state": plain,
            }
            if buffers:
                entry["buffers"] = [
                    {"path": path, "encoding": "base64", "data": base64.b64encode(data).decode()}
                    for path, data in buffers
                ]
            models[model_id] = entry
        return {"version_major": 2, "version_minor": 0, "state": models}


def _restarted(msg: Message) -> bool:
    return content(msg).get("execution_state") in ("starting", "restarting")


def _is_widget_message(data: Any) -> bool:
    method = data.get("method") if isinstance(data, dict) else None
    return isinstance(method, str) and method in _WIDGET_METHODS


def _buffers_of(msg: Message) -> list[Any]:
    buffers = msg.get("buffers")
    return buffers if isinstance(buffers, list) else []


def _put_buffers(state: dict[str, Any], paths: Any, buffers: list[Any]) -> bool:
    """Put each binary buffer where its path points; False when paths and buffers do not
    match (then ``state`` may be half changed and must not be used)."""
    if not isinstance(paths, list) or len(paths) != len(buffers):
        return False
    for path, buffer in zip(paths, buffers, strict=True):
        if not isinstance(path, list) or not path:
            return False
        if not isinstance(buffer, (bytes, bytearray, memoryview)):
            return False
        target: Any = state
        for key in path[:-1]:
            target = _child(target, key)
            if target is None:
                return False
        last = path[-1]
        in_dict = isinstance(target, dict) and isinstance(last, str)
        in_list = isinstance(target, list) and _is_index(last) and 0 <= last < len(target)
        if not (in_dict or in_list):
            return False
        target[last] = bytes(buffer)
    return True


def _is_index(key: Any) -> bool:
    return isinstance(key, int) and not isinstance(key, bool)


def _child(container: Any, key: Any) -> Any:
    """``container[key]`` when it is a dict or list along a buffer path, else None."""
    if isinstance(container, dict) and isinstance(key, str):
        found = container.get(key)
    elif isinstance(container, list) and _is_index(key) and 0 <= key < len(container):
        found = container[key]
    else:
        return None
    return found if isinstance(found, (dict, list)) else None


def _without_buffers(
    value: Any, path: list[str | int] | None = None
) -> tuple[Any, list[tuple[list[str | int], bytes]]]:
    """A state with its binary values taken out (dropped from dicts, ``None`` in lists), and
    each value with its path: the inverse of :func:`_put_buffers`."""
    path = path or []
    found: list[tuple[list[str | int], bytes]] = []
    if isinstance(value, dict):
        plain_dict: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(item, (bytes, bytearray, memoryview)):
                found.append(([*path, key], bytes(item)))
                continue
            plain_dict[key], inner = _without_buffers(item, [*path, key])
            found.extend(inner)
        return plain_dict, found
    if isinstance(value, list):
        plain_list: list[Any] = []
        for index, item in enumerate(value):
            if isinstance(item, (bytes, bytearray, memoryview)):
                found.append(([*path, index], bytes(item)))
                plain_list.append(None)
                continue
            plain, inner = _without_buffers(item, [*path, index])
            plain_list.append(plain)
            found.extend(inner)
        return plain_list, found
    return value, found
