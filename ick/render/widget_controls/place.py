"""The keyboard's place among the controls, and the changes its keys make."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ick.render.widgets.models import WidgetModels


class WidgetSender(Protocol):
    """Where changes go (the kernel layer's widget store)."""

    def send_update(self, model_id: str, changes: Mapping[str, Any]) -> str | None: ...

    def send_custom(self, model_id: str, content: Mapping[str, Any]) -> str | None: ...


@dataclass(frozen=True)
class WidgetChange:
    """What a key did to a control, to tell the kernel: a new state or a custom event."""

    model_id: str
    state: Mapping[str, Any] | None = None
    event: Mapping[str, Any] | None = None

    def send(self, sender: WidgetSender) -> str | None:
        """Send it; the message's id, or None when it could not be sent."""
        if self.state is not None:
            return sender.send_update(self.model_id, self.state)
        if self.event is not None:
            return sender.send_custom(self.model_id, self.event)
        return None


@dataclass(frozen=True)
class WidgetFocus:
    """The keyboard's place, as the renderer shows it (``OutputRenderer.focus_widgets``)."""

    focused: str | None
    cursor: int
    drafts: Mapping[str, str]


class KeyboardPlace:
    """What the keys of every kind of control read and move: the keyboard's place, which
    :class:`~.keyboard.WidgetKeyboard` keeps (each kind's keys are a class over this one)."""

    models: WidgetModels
    focused: str | None
    #: Within the focused control: a list box's option, a range slider's handle.
    cursor: int
    #: Text typed into a field and not yet sent.
    drafts: dict[str, str]
