"""The Output widget's capture: a request's output taken into the widget.

While an Output model's ``msg_id`` names a request, that request's output
belongs inside the widget (JupyterLab's rule).  The store appends it to the
model's ``outputs``, syncs them back to the kernel as JupyterLab does when the
request was ick's own, and answers :meth:`~OutputCapture.captures` so that a
front end leaves those messages out of its ordinary output.
"""

from __future__ import annotations

import asyncio

from ick.kernel.widgets.models import ModelStore
from ick.messages import Message, NotebookOutput, content, msg_type, notebook_output, parent_id

#: What a capturing Output widget takes from the ordinary output (JupyterLab's list).
CAPTURED_TYPES = frozenset({"stream", "display_data", "execute_result", "error", "clear_output"})
#: Captured outputs are synced back to the kernel after this long, so that a loop of prints
#: inside ``with out:`` costs one update message, not one per print.
OUTPUTS_SYNC_DELAY = 0.1
#: Captured messages remembered by id: output held back for a moment (an execution sent early,
#: its callback connected later) is still known as captured once the capture has ended.
REMEMBERED_CAPTURES = 4096


class OutputCapture(ModelStore):
    """The Output widgets' capture of their requests' output."""

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
