"""Websocket frames in both formats, checked against the server's own framing code.

jupyter_server's (de)serialisers are what a real server runs on the other
end, so each frame ick encodes must decode there and vice versa.
"""

from __future__ import annotations

import json

import pytest
from jupyter_client.session import Session
from jupyter_server.services.kernels.connection.base import (
    deserialize_binary_message,
    deserialize_msg_from_ws_v1,
    serialize_binary_message,
    serialize_msg_to_ws_v1,
)

from ick.kernel.remote.wire import (
    V1_SUBPROTOCOL,
    FrameError,
    LegacyFormat,
    V1Format,
    wire_format,
)

SESSION = Session(key=b"")


def request(buffers: list[bytes] | None = None) -> dict:
    msg = SESSION.msg("execute_request", {"code": "print('ünïcode')", "silent": False})
    msg["buffers"] = buffers or []
    return msg


def test_the_server_chooses_the_format():
    assert isinstance(wire_format(V1_SUBPROTOCOL), V1Format)
    assert isinstance(wire_format(None), LegacyFormat)
    assert isinstance(wire_format(""), LegacyFormat)


@pytest.mark.parametrize("buffers", [[], [b"\x00\x01binary", b"second"]])
def test_v1_frames_read_by_the_server_and_back(buffers):
    msg = request(buffers)
    frame = V1Format().encode("shell", msg)
    channel, parts = deserialize_msg_from_ws_v1(frame)
    assert channel == "shell"
    assert json.loads(parts[0])["msg_id"] == msg["header"]["msg_id"]
    assert json.loads(parts[3]) == msg["content"]
    assert [bytes(part) for part in parts[4:]] == buffers

    # And what the server sends ick: the kernel's frames, wrapped the same way.
    wire = [SESSION.pack(msg[key]) for key in ("header", "parent_header", "metadata", "content")]
    channel, decoded = V1Format().decode(serialize_msg_to_ws_v1([*wire, *buffers], "iopub"))
    assert channel == "iopub"
    assert decoded["msg_type"] == "execute_request"
    assert decoded["content"] == msg["content"]
    assert decoded["buffers"] == buffers


def test_legacy_text_frames_both_ways():
    msg = request()
    frame = LegacyFormat().encode("stdin", msg)
    assert isinstance(frame, str)
    assert json.loads(frame)["channel"] == "stdin"
    server_side = json.loads(frame)
    server_side["header"]["date"] = str(server_side["header"]["date"])
    channel, decoded = LegacyFormat().decode(json.dumps(server_side))
    assert (channel, decoded["msg_id"], decoded["content"]) == (
        "stdin",
        msg["header"]["msg_id"],
        msg["content"],
    )


def test_legacy_binary_frames_for_messages_with_buffers():
    msg = request([b"\xffraw", b"more"])
    frame = LegacyFormat().encode("shell", msg)
    assert isinstance(frame, bytes)
    parsed = deserialize_binary_message(frame)
    assert parsed["channel"] == "shell"
    assert [bytes(buffer) for buffer in parsed["buffers"]] == [b"\xffraw", b"more"]

    outgoing = {
        "channel": "iopub",
        "header": {"msg_id": "a", "msg_type": "comm_msg"},
        "parent_header": {},
        "metadata": {},
        "content": {"data": {}},
        "buffers": [b"\x01\x02"],
    }
    channel, decoded = LegacyFormat().decode(serialize_binary_message(outgoing))
    assert (channel, decoded["msg_type"], decoded["buffers"]) == (
        "iopub",
        "comm_msg",
        [b"\x01\x02"],
    )


@pytest.mark.parametrize(
    ("wire", "frame"),
    [
        (V1Format(), b"\x01"),
        (V1Format(), "text on a binary protocol"),
        (V1Format(), (2).to_bytes(8, "little") + (24).to_bytes(8, "little") * 2),
        (V1Format(), (6).to_bytes(8, "little") + (999).to_bytes(8, "little") * 6),
        (LegacyFormat(), "not json"),
        (LegacyFormat(), json.dumps({"header": {}})),
        (LegacyFormat(), json.dumps({"channel": "iopub", "header": "not an object"})),
        (LegacyFormat(), b"\x00\x00\x00\x05"),
    ],
)
def test_frames_that_are_not_messages_are_refused_cleanly(wire, frame):
    with pytest.raises(FrameError):
        wire.decode(frame)
