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

from collections import deque
from hmac import compare_digest
from typing import Any

import zmq
from jupyter_client.adapter import adapt
from jupyter_client.session import Session

# Signatures remembered against replays.  jupyter_client keeps 65,536, so a session's memory
# would keep growing over its first ten thousand executions; 4,096 still covers every
# message of the last several hundred executions.
DIGEST_HISTORY_SIZE = 4096


class WireSession(Session):
    """A :class:`Session` whose messages keep their header dates as strings.

    What deserialising reads per message (the signing key, the unpacker, the
    replay memory) is looked up once: through traitlets each look-up costs
    microseconds, paid for every message of a flood.  ick never changes a
    session's key after making it.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("digest_history_size", DIGEST_HISTORY_SIZE)
        super().__init__(**kwargs)
        self._auth = self.auth
        self._unpack = self.unpack
        self._history_size = self.digest_history_size
        # The oldest signature is forgotten first: jupyter_client culls a random tenth.
        self._seen: set[bytes] = set()
        self._seen_order: deque[bytes] = deque()
        self.digest_history = self._seen

    def _remember(self, signature: bytes) -> None:
        self._seen.add(signature)
        self._seen_order.append(signature)
        if len(self._seen_order) > self._history_size:
            self._seen.discard(self._seen_order.popleft())

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
        auth = self._auth
        if auth is not None:
            signature = parts[0]
            if not signature:
                raise ValueError("Unsigned Message")
            if signature in self._seen:
                raise ValueError(f"Duplicate Signature: {signature!r}")
            if content:
                self._remember(signature)
            mac = auth.copy()
            for part in parts[1:5]:
                mac.update(part)
            if not compare_digest(signature, mac.hexdigest().encode()):
                raise ValueError(f"Invalid Signature: {signature!r}")
        unpack = self._unpack
        header = unpack(parts[1])
        message: dict[str, Any] = {
            "header": header,
            "msg_id": header["msg_id"],
            "msg_type": header["msg_type"],
            "parent_header": unpack(parts[2]),
            "metadata": unpack(parts[3]),
            "content": unpack(parts[4]) if content else parts[4],
        }
        buffers = [memoryview(part) for part in parts[minlen:]]
        if buffers and buffers[0].shape is None:
            # zmq.Frame objects: copy them out (pyzmq #646), as jupyter_client does
            buffers = [memoryview(bytes(part.bytes)) for part in parts[minlen:]]
        message["buffers"] = buffers
        version = header.get("version")
        if "date" in header and isinstance(version, str) and version.startswith("5."):
            return message  # already what adapt() would make of it
        return adapt(message)
