"""Output of an execution sent as Enter is accepted is held until the REPL is ready for it."""

from __future__ import annotations

from ick.frontends.repl.early_send import HeldOutput


def message(n: int) -> dict:
    return {"header": {"msg_type": "stream"}, "content": {"name": "stdout", "text": f"{n}\n"}}


def test_held_messages_are_handed_over_in_order_then_passed_straight_on():
    seen: list[dict] = []
    held = HeldOutput()
    held(message(1))
    held(message(2))
    assert seen == []
    held.connect(seen.append)
    assert seen == [message(1), message(2)]
    held(message(3))
    assert seen == [message(1), message(2), message(3)]
