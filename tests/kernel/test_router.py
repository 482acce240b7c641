"""The router alone: messages built by hand, no kernel, no sockets."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ick.kernel.errors import KernelDied
from ick.kernel.router import Router
from ick.messages import execution_count


def message(kind: str, parent: str | None, **body: Any) -> dict[str, Any]:
    return {
        "header": {"msg_type": kind, "msg_id": f"m-{kind}"},
        "parent_header": {"msg_id": parent} if parent else {},
        "content": body,
    }


def run(coro):
    return asyncio.run(coro)


def test_reply_resolves_only_the_request_it_names():
    async def scenario():
        router = Router()
        first = router.track("a")
        second = router.track("b")
        router.dispatch_reply(message("execute_reply", "b", status="ok"))
        assert second.reply.done() and not first.reply.done()
        assert second.reply.result()["content"]["status"] == "ok"

    run(scenario())


def test_stray_replies_are_dropped():
    async def scenario():
        router = Router()
        pending = router.track("a")
        router.dispatch_reply(message("kernel_info_reply", "someone-else"))
        router.dispatch_reply(message("kernel_info_reply", None))
        assert not pending.reply.done()

    run(scenario())


def test_output_goes_to_its_request_and_idle_finishes_it():
    async def scenario():
        router = Router()
        seen: list[str] = []
        pending = router.track(
            "x", on_output=lambda m: seen.append(m["content"]["text"]), wants_idle=True
        )
        router.dispatch_iopub(message("status", "x", execution_state="busy"))
        router.dispatch_iopub(message("stream", "x", name="stdout", text="hi"))
        router.dispatch_reply(message("execute_reply", "x", status="ok"))
        router.dispatch_iopub(message("status", "x", execution_state="idle"))
        reply = await pending.finished(timeout=1, idle_grace=1)
        assert reply["content"]["status"] == "ok"
        assert seen == ["hi"]

    run(scenario())


def test_a_request_is_not_finished_before_idle_even_if_replied():
    async def scenario():
        router = Router()
        pending = router.track("x", wants_idle=True)
        router.dispatch_reply(message("execute_reply", "x", status="ok"))
        waiter = asyncio.ensure_future(pending.finished(timeout=1, idle_grace=5))
        await asyncio.sleep(0.05)
        assert not waiter.done()
        router.dispatch_iopub(message("status", "x", execution_state="idle"))
        await asyncio.wait_for(waiter, 1)

    run(scenario())


def test_a_kernel_that_never_sends_idle_is_given_up_on_after_a_quiet_grace():
    async def scenario():
        router = Router()
        pending = router.track("x", wants_idle=True)
        router.dispatch_reply(message("execute_reply", "x", status="ok"))
        reply = await asyncio.wait_for(pending.finished(timeout=1, idle_grace=0.05), 1)
        assert reply["content"]["status"] == "ok"

    run(scenario())


def test_late_output_of_a_finished_request_reaches_listeners_as_own():
    async def scenario():
        router = Router()
        heard: list[tuple[str, bool]] = []
        router.add_listener(lambda m, own: heard.append((m["content"]["text"], own)))
        router.track("mine")
        router.forget("mine")
        router.dispatch_iopub(message("stream", "mine", name="stdout", text="late"))
        router.dispatch_iopub(message("stream", "theirs", name="stdout", text="other"))
        assert heard == [("late", True), ("other", False)]

    run(scenario())


def test_fail_all_fails_every_pending_request():
    async def scenario():
        router = Router()
        pending = router.track("x", wants_idle=True)
        router.fail_all(KernelDied("gone"))
        with pytest.raises(KernelDied):
            await pending.finished(timeout=1, idle_grace=1)

    run(scenario())


def test_input_requests_go_to_the_stdin_handler():
    async def scenario():
        router = Router()
        asked: list[str] = []
        router.on_input_request = lambda m: asked.append(m["content"]["prompt"])
        router.track("x")
        router.dispatch_stdin(message("input_request", "x", prompt="name: ", password=False))
        router.dispatch_stdin(message("something_else", "x"))
        assert asked == ["name: "]

    run(scenario())


def test_input_requests_for_no_running_request_of_ours_are_dropped():
    async def scenario():
        router = Router()
        asked: list[str] = []
        router.on_input_request = lambda m: asked.append(m["content"]["prompt"])
        router.track("finished")
        router.forget("finished")
        for parent in ("finished", "never-made", None):
            router.dispatch_stdin(message("input_request", parent, prompt="typed into?"))
        assert asked == []

    run(scenario())


def test_a_reply_of_the_wrong_type_does_not_answer_a_request():
    async def scenario():
        router = Router()
        execution = router.track("e", reply_type="execute_reply")
        router.dispatch_reply(message("complete_reply", "e", status="ok", matches=[]))
        assert not execution.reply.done()
        router.dispatch_reply(message("execute_reply", "e", status="ok"))
        assert execution.reply.result()["content"] == {"status": "ok"}

    run(scenario())


def test_messages_with_missing_or_wrongly_typed_fields_do_not_break_routing():
    async def scenario():
        router = Router()
        heard: list[Any] = []
        router.add_listener(lambda m, own: heard.append(m))
        router.dispatch_iopub({"header": None, "parent_header": "nonsense", "content": []})
        router.dispatch_reply({})
        router.dispatch_stdin({"header": {"msg_type": "input_request"}, "content": None})
        assert len(heard) == 1

    run(scenario())


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), (7, 7), (-4, None), (True, None), ("7", None), (1.0, None), (None, None)],
)
def test_only_whole_non_negative_numbers_are_execution_counts(
    value: object, expected: int | None
) -> None:
    assert execution_count(value) == expected


def test_debug_events_go_to_the_debug_listeners_alone_whatever_their_parent():
    async def scenario():
        router = Router()
        events: list[str] = []
        output: list[str] = []
        broadcast: list[str] = []
        router.add_debug_listener(lambda m: events.append(m["content"]["event"]))
        router.add_listener(lambda m, own: broadcast.append(m["header"]["msg_type"]))
        router.track("run", on_output=lambda m: output.append(m["header"]["msg_type"]))
        router.dispatch_iopub(message("debug_event", "run", event="stopped"))
        router.dispatch_iopub(message("debug_event", "someone-else", event="continued"))
        router.dispatch_iopub(message("debug_event", None, event="output"))
        assert events == ["stopped", "continued", "output"]
        assert output == [] and broadcast == []

    run(scenario())


def test_the_execution_the_kernel_runs_is_known_from_execute_input_to_its_idle():
    async def scenario():
        router = Router()
        router.track("ours", wants_idle=True)
        router.dispatch_iopub(message("status", "ours", execution_state="busy"))
        assert router.executing is None
        router.dispatch_iopub(message("execute_input", "ours", code="f()"))
        assert router.executing == "ours"
        # Another request's idle (a debug_request on control) does not end it.
        router.dispatch_iopub(message("status", "control-request", execution_state="idle"))
        assert router.executing == "ours"
        router.dispatch_iopub(message("status", "ours", execution_state="idle"))
        assert router.executing is None
        # Another client's execution is known too, and is not ours.
        router.dispatch_iopub(message("execute_input", "theirs", code="g()"))
        assert router.executing == "theirs" and not router.is_own(router.executing)
        router.fail_all(KernelDied())
        assert router.executing is None

    run(scenario())
