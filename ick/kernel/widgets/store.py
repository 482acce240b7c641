"""The widget store: comm messages followed into models, and the user's changes sent back.

Changes go both ways: the kernel's ``update`` and ``echo_update`` are applied
to the models, and the user's changes (``update``) and a button's ``click``
(``custom``) are sent to the kernel.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Mapping
from typing import Any

from ick.kernel.client import KernelClient
from ick.kernel.widgets.buffers import buffers_of, without_buffers
from ick.kernel.widgets.capture import CAPTURED_TYPES, OutputCapture
from ick.kernel.widgets.existing import ExistingWidgets
from ick.kernel.widgets.models import OUTPUT_MODEL, PROTOCOL_MAJOR, WIDGET_TARGET
from ick.messages import Message, content, msg_type, parent_id

log = logging.getLogger(__name__)

_WIDGET_METHODS = frozenset({"update", "echo_update", "custom", "request_state"})


class WidgetStore(OutputCapture, ExistingWidgets):
    """Every widget model of one kernel, kept current from its comm messages.

    The renderer reads models through :meth:`state_of` (a model's state, child
    widgets referenced as ``"IPY_MODEL_<id>"``); front ends subscribe with
    :meth:`add_listener` to redraw what changed.
    """

    def __init__(self, *, client: KernelClient) -> None:
        super().__init__(client=client)
        client.add_observer(self.observe)

    def close(self) -> None:
        """Stop following the kernel (a front end switching kernels)."""
        self._client.remove_observer(self.observe)
        if self._sync_handle is not None:
            self._sync_handle.cancel()
            self._sync_handle = None

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
            buffers = [bytes(buffer) for buffer in buffers_of(msg)]
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

    # -- saving ---------------------------------------------------------------------
    def saved_state(self) -> dict[str, Any]:
        """Every model as a notebook's ``application/vnd.jupyter.widget-state+json``
        metadata holds it (binary values base64-encoded beside their paths)."""
        models: dict[str, Any] = {}
        for model_id, state in self._models.items():
            plain, buffers = without_buffers(state)
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
