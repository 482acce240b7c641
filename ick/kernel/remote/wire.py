"""The two ways a kernel websocket frames Jupyter messages.

``v1.kernel.websocket.jupyter.org`` (binary frames): little-endian u64 count
of offsets, the offsets, then the channel name and the message parts (header,
parent header, metadata, content, buffers) back to back, unsigned.  The
legacy format ("no subprotocol"): one JSON text frame per message with a
``channel`` key; a message with binary buffers becomes a binary frame of
big-endian u32 buffer count and offsets, the JSON, then the buffers.

The server chooses the format during the handshake, so the client builds one
:class:`WireFormat` from the subprotocol it was given.  Messages here are the
same dicts :class:`jupyter_client.session.Session` builds, so the router and
front ends see no difference from ZeroMQ.
"""

from __future__ import annotations

import json
import struct
from typing import Any

from jupyter_client.jsonutil import json_default

from ick.messages import Message

V1_SUBPROTOCOL = "v1.kernel.websocket.jupyter.org"

Frame = str | bytes


class FrameError(ValueError):
    """A websocket frame that is not a Jupyter message in the negotiated format."""


def _pack(value: Any) -> bytes:
    return json.dumps(value, default=json_default, ensure_ascii=False).encode("utf-8")


def _unpack(part: bytes) -> Any:
    try:
        return json.loads(part.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FrameError(f"a message part is not JSON ({exc})") from None


def _message(header: Any, parent: Any, metadata: Any, body: Any, buffers: list[bytes]) -> Message:
    """A message dict shaped like ``Session.deserialize``'s (without date parsing)."""
    if not isinstance(header, dict):
        raise FrameError("the message header is not an object")
    return {
        "header": header,
        "parent_header": parent if isinstance(parent, dict) else {},
        "metadata": metadata if isinstance(metadata, dict) else {},
        "content": body,
        "buffers": buffers,
        "msg_id": header.get("msg_id"),
        "msg_type": header.get("msg_type"),
    }


class WireFormat:
    """Encodes outgoing and decodes incoming messages of one websocket format."""

    def encode(self, channel: str, msg: Message) -> Frame:
        raise NotImplementedError

    def decode(self, frame: Frame) -> tuple[str, Message]:
        """The channel and message a frame carries; :class:`FrameError` if it carries none."""
        raise NotImplementedError


class V1Format(WireFormat):
    """``v1.kernel.websocket.jupyter.org``: binary frames of offsets and raw JSON parts."""

    def encode(self, channel: str, msg: Message) -> Frame:
        parts = [
            channel.encode("utf-8"),
            _pack(msg["header"]),
            _pack(msg.get("parent_header") or {}),
            _pack(msg.get("metadata") or {}),
            _pack(msg.get("content") or {}),
            *(bytes(buffer) for buffer in msg.get("buffers") or []),
        ]
        count = len(parts) + 1
        offsets = [8 * (count + 1)]
        for part in parts:
            offsets.append(offsets[-1] + len(part))
        head = struct.pack(f"<{count + 1}Q", count, *offsets)
        return head + b"".join(parts)

    def decode(self, frame: Frame) -> tuple[str, Message]:
        if not isinstance(frame, bytes):
            raise FrameError("a text frame on a v1 websocket")
        if len(frame) < 8:
            raise FrameError("a frame too short for its offset count")
        (count,) = struct.unpack_from("<Q", frame)
        # Channel plus header, parent, metadata and content: at least six offsets.
        if count < 6 or len(frame) < 8 * (count + 1):
            raise FrameError("a frame with too few parts")
        offsets = struct.unpack_from(f"<{count}Q", frame, 8)
        if list(offsets) != sorted(offsets) or offsets[-1] > len(frame):
            raise FrameError("a frame whose offsets point outside it")
        parts = [frame[offsets[i] : offsets[i + 1]] for i in range(count - 1)]
        channel = parts[0].decode("utf-8", "replace")
        header, parent, metadata, body = (_unpack(part) for part in parts[1:5])
        return channel, _message(header, parent, metadata, body, list(parts[5:]))


class LegacyFormat(WireFormat):
    """No subprotocol: JSON text frames, or a binary frame when there are buffers."""

    def encode(self, channel: str, msg: Message) -> Frame:
        buffers = [bytes(buffer) for buffer in msg.get("buffers") or []]
        body = {
            "channel": channel,
            "header": msg["header"],
            "parent_header": msg.get("parent_header") or {},
            "metadata": msg.get("metadata") or {},
            "content": msg.get("content") or {},
            "buffers": [],
        }
        text = json.dumps(body, default=json_default, ensure_ascii=False)
        if not buffers:
            return text
        parts = [text.encode("utf-8"), *buffers]
        offsets = [4 * (len(parts) + 1)]
        for part in parts[:-1]:
            offsets.append(offsets[-1] + len(part))
        return struct.pack(f"!{len(parts) + 1}I", len(parts), *offsets) + b"".join(parts)

    def decode(self, frame: Frame) -> tuple[str, Message]:
        buffers: list[bytes] = []
        if isinstance(frame, bytes):
            frame, buffers = self._split_binary(frame)
        try:
            body = json.loads(frame)
        except ValueError as exc:
            raise FrameError(f"a text frame that is not JSON ({exc})") from None
        if not isinstance(body, dict) or not isinstance(body.get("channel"), str):
            raise FrameError("a message without a channel")
        msg = _message(
            body.get("header"),
            body.get("parent_header"),
            body.get("metadata"),
            body.get("content"),
            buffers,
        )
        return body["channel"], msg

    @staticmethod
    def _split_binary(frame: bytes) -> tuple[str, list[bytes]]:
        if len(frame) < 4:
            raise FrameError("a binary frame too short for its buffer count")
        (count,) = struct.unpack_from("!I", frame)
        if count < 1 or len(frame) < 4 * (count + 1):
            raise FrameError("a binary frame with too few parts")
        offsets = [*struct.unpack_from(f"!{count}I", frame, 4), len(frame)]
        if offsets != sorted(offsets):
            raise FrameError("a binary frame whose offsets point outside it")
        parts = [frame[offsets[i] : offsets[i + 1]] for i in range(count)]
        return parts[0].decode("utf-8", "replace"), parts[1:]


def wire_format(subprotocol: str | None) -> WireFormat:
    """The format the server chose: v1 when it accepted our offer, legacy otherwise."""
    return V1Format() if subprotocol == V1_SUBPROTOCOL else LegacyFormat()
