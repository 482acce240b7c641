"""Widget traffic from a real ipykernel (with ipywidgets 8 and tqdm), recorded by ick's own
client, and an in-process client to replay it into a store without a kernel."""

from __future__ import annotations

import asyncio
import copy
import itertools
from typing import Any

from ick.kernel.client import KernelClient
from ick.kernel.local import LocalKernel
from ick.messages import Message


class Recording:
    """Every iopub message of some executions, in the order ick's reader took them."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def observe(self, msg: Message) -> None:
        kept = copy.deepcopy({key: value for key, value in msg.items() if key != "buffers"})
        kept["buffers"] = [bytes(buffer) for buffer in msg.get("buffers") or []]
        self.messages.append(kept)


async def record(*cells: str) -> list[list[Message]]:
    """Run each cell on a fresh python3 kernel; the iopub messages each one caused."""
    kernel = await LocalKernel.launch("python3")
    try:
        await kernel.wait_ready(60)
        recordings: list[list[Message]] = []
        for cell in cells:
            recording = Recording()
            kernel.add_observer(recording.observe)
            reply = await kernel.execute(cell, lambda msg: None)
            kernel.remove_observer(recording.observe)
            assert reply["status"] == "ok", reply
            recordings.append(recording.messages)
        return recordings
    finally:
        await kernel.shutdown()


def record_now(*cells: str) -> list[list[Message]]:
    return asyncio.run(record(*cells))


class ReplayClient(KernelClient):
    """A client with no kernel: messages are fed to its router by the test; what is sent
    and warned about is recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, dict[str, Any], dict[str, Any] | None]] = []
        self.warnings: list[str] = []
        self.on_warning = self.warnings.append
        self._ids = itertools.count(1)

    def feed(self, *messages: Message) -> None:
        for msg in messages:
            self.deliver("iopub", self.router.dispatch_iopub, copy.deepcopy(msg))

    def send(
        self,
        channel: str,
        msg_type: str,
        body: dict[str, Any],
        parent: Message | None = None,
        *,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        self.sent.append((channel, msg_type, copy.deepcopy(body), metadata))
        return f"sent-{next(self._ids)}"

    async def interrupt(self) -> None:
        pass

    async def restart(self, *, timeout: float = 0.0) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def wait_ready(self, timeout: float) -> dict[str, Any]:
        return {}

    @property
    def name(self) -> str:
        return "replay"


def comm_msg(comm_id: str, data: Any, parent: str = "p", buffers: list[bytes] | None = None):
    """A comm_msg as the wire brings it (for hostile variations of real ones)."""
    return {
        "header": {"msg_type": "comm_msg", "msg_id": f"k-{comm_id}"},
        "parent_header": {"msg_id": parent},
        "metadata": {},
        "content": {"comm_id": comm_id, "data": data},
        "buffers": buffers or [],
    }


def models_named(store: Any, name: str) -> list[str]:
    return [mid for mid in store.model_ids() if store.state_of(mid).get("_model_name") == name]
