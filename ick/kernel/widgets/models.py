"""The widget models of one kernel, by id, and the news of their changes.

What every part of the store shares: the models and the rest of its state,
the listeners told of a change, a comm message sent, and the state a comm
message carries.  Kernels are untrusted: a malformed message is skipped with
one warning per kind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ick.kernel.client import KernelClient
from ick.kernel.errors import KernelError
from ick.kernel.widgets.buffers import buffers_of, put_buffers
from ick.messages import Message

WIDGET_TARGET = "jupyter.widget"
PROTOCOL_MAJOR = "2"
#: The widget libraries ick draws.  Models of others are kept (a box may hold one) but the
#: renderer has no drawing for them, so their displays fall back to text/plain.
DRAWN_MODULES = frozenset(
    {"@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/output"}
)
OUTPUT_MODEL = "OutputModel"


ModelListener = Callable[[str], None]
"""Told the id of a model that was opened, changed or closed."""
CustomListener = Callable[[str, Any, list[bytes]], None]
"""Told a model's id, the content and the buffers of a ``custom`` message from the kernel."""


class ModelStore:
    """The models of one kernel and the store's state, with what every part of
    :class:`~ick.kernel.widgets.WidgetStore` uses."""

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

    def _send_comm_msg(self, comm_id: str, data: dict[str, Any]) -> str | None:
        try:
            return self._client.send_own("shell", "comm_msg", {"comm_id": comm_id, "data": data})
        except KernelError:
            return None  # the kernel is gone: its death is reported elsewhere

    def _state_from(self, data: Any, msg: Message) -> dict[str, Any] | None:
        """The state a comm_open or update carries, its binary values put in place."""
        if not isinstance(data, dict) or not isinstance(data.get("state"), dict):
            self._malformed()
            return None
        state: dict[str, Any] = data["state"]
        paths = data.get("buffer_paths") or []
        buffers = buffers_of(msg)
        if (paths or buffers) and not put_buffers(state, paths, buffers):
            self._mismatched_buffers()
            return None
        return state

    def _malformed(self) -> None:
        self._client.warn_once("widget-malformed", "ignored a malformed widget message")

    def _mismatched_buffers(self) -> None:
        self._client.warn_once(
            "widget-buffers", "ignored a widget message whose binary buffers do not match its paths"
        )

    def _index_capture(self, model_id: str) -> None:
        for old in [request for request, model in self._capturing.items() if model == model_id]:
            del self._capturing[old]
        state = self._models.get(model_id)
        request = state.get("msg_id") if state is not None else None
        if isinstance(request, str) and request:
            self._capturing[request] = model_id
