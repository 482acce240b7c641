"""The widgets that exist already, learnt through the ``jupyter.widget.control`` comm.

Attaching with ``--existing``, ``--attach`` or ``--watch``, ick has seen no
``comm_open`` of the widgets the kernel has; it asks for every model's state.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from ick.kernel.errors import KernelError
from ick.kernel.widgets.buffers import buffers_of, put_buffers
from ick.kernel.widgets.models import ModelStore
from ick.messages import Message

CONTROL_TARGET = "jupyter.widget.control"
CONTROL_PROTOCOL_VERSION = "1.0.0"


class ExistingWidgets(ModelStore):
    """Learning the kernel's widgets from its control comm."""

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
        if not put_buffers(states, data.get("buffer_paths") or [], buffers_of(msg)):
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
