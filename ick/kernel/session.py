"""jupyter_client's message signing and parsing, without the per-message date parsing.

``Session.deserialize`` turns the ``date`` of every header and parent header
into a ``datetime`` with dateutil.  ick never reads those dates, and that
parsing is about half of what a message costs ick in CPU: in a flood of
separately flushed prints (one iopub message each) it decided how far behind
the kernel the front end fell.  :class:`WireSession` deserialises the same way,
signature checks and replay protection included, but leaves the dates as the
ISO strings the kernel sent.
"""

from __future__ import annotations

from hmac import compare_digest
from typing import Any

import zmq
from jupyter_client.adapter import adapt
from jupyter_client.session import Session

# Signatures remembered against replays.  jupyter_client keeps 65,536; each costs ~130 bytes,
# so a session's memory would grow by ~8 MB over its first 11,000 executions.  4,096 still
# covers every message of the last several hundred executions.
DIGEST_HISTORY_SIZE = 4096


class WireSession(Session):
    """A :class:`Session` whose messages keep their header dates as strings."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("digest_history_size", DIGEST_HISTORY_SIZE)
        super().__init__(**kwargs)

    def deserialize(
        self,
        msg_list: list[bytes] | list[zmq.Message],
        content: bool = True,
        copy: bool = True,
    ) -> dict[str, Any]:
        minlen = 5
        if not copy:
            frames: list[Any] = list(msg_list)
            parts: list[Any] = [bytes(frame.bytes) for frame in frames[:minlen]] + frames[minlen:]
        else:
            parts = list(msg_list)
        if len(parts) < minlen:
            raise TypeError(f"malformed message, must have at least {minlen} elements")
        if self.auth is not None:
            signature = parts[0]
            if not signature:
                raise ValueError("Unsigned Message")
            if signature in self.digest_history:
                raise ValueError(f"Duplicate Signature: {signature!r}")
            if content:
                self._add_digest(signature)
            if not compare_digest(signature, self.sign(parts[1:5])):
                raise ValueError(f"Invalid Signature: {signature!r}")
        header = self.unpack(parts[1])
        message: dict[str, Any] = {
            "header": header,
            "msg_id": header["msg_id"],
            "msg_type": header["msg_type"],
            "parent_header": self.unpack(parts[2]),
            "metadata": self.unpack(parts[3]),
            "content": self.unpack(parts[4]) if content else parts[4],
        }
        buffers = [memoryview(part) for part in parts[minlen:]]
        if buffers and buffers[0].shape is None:
            # zmq.Frame objects: copy them out (pyzmq #646), as jupyter_client does
            buffers = [memoryview(bytes(part.bytes)) for part in parts[minlen:]]
        message["buffers"] = buffers
        return adapt(message)
