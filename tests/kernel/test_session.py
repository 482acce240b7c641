"""WireSession parses what jupyter_client's Session parses, minus the header dates."""

from __future__ import annotations

import pytest
from jupyter_client.session import Session

from ick.kernel.session import DIGEST_HISTORY_SIZE, WireSession

KEY = b"0123456789abcdef0123456789abcdef"


def signed_frames(sender: Session, text: str = "1\n") -> list[bytes]:
    request = sender.msg("execute_request", {"code": "print(1)"})
    reply = sender.msg("stream", {"name": "stdout", "text": text}, parent=request)
    _, frames = sender.feed_identities(sender.serialize(reply))
    return frames


def test_same_message_as_jupyter_client_with_dates_left_as_sent():
    frames = signed_frames(Session(key=KEY))
    ours = WireSession(key=KEY).deserialize(list(frames))
    theirs = Session(key=KEY).deserialize(list(frames))
    assert isinstance(ours["header"]["date"], str)
    assert ours["header"]["date"].startswith(str(theirs["header"]["date"].year))
    for part in ("header", "parent_header"):
        ours[part].pop("date")
        theirs[part].pop("date")
    assert ours == theirs


def test_a_tampered_message_is_refused():
    frames = signed_frames(Session(key=KEY))
    frames[4] = b'{"name": "stdout", "text": "something else"}'
    with pytest.raises(ValueError, match="Invalid Signature"):
        WireSession(key=KEY).deserialize(frames)


def test_a_replayed_message_is_refused():
    frames = signed_frames(Session(key=KEY))
    session = WireSession(key=KEY)
    session.deserialize(list(frames))
    with pytest.raises(ValueError, match="Duplicate Signature"):
        session.deserialize(list(frames))


def test_an_unsigned_message_is_refused_when_a_key_is_set():
    frames = signed_frames(Session(key=KEY))
    frames[0] = b""
    with pytest.raises(ValueError, match="Unsigned"):
        WireSession(key=KEY).deserialize(frames)


def test_replay_memory_is_bounded():
    sender = Session(key=KEY)
    session = WireSession(key=KEY)
    for i in range(DIGEST_HISTORY_SIZE + 500):
        session.deserialize(signed_frames(sender, f"{i}\n"))
    assert len(session.digest_history) <= DIGEST_HISTORY_SIZE
