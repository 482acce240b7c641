"""The debug-protocol checks every kernel with a debugger must pass, local or on a server.

Each check drives ick's own :class:`DebugSession` over a real kernel client, the
way the REPL will: inputs are remembered as the kernel starts them (their
``execute_input``), stops are awaited through the session's callback, and
executions are awaited for their replies.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest

from ick.debug_records import Stop
from ick.kernel.client import KernelClient
from ick.kernel.debugger import VARIABLE_GROUPS, DebugSession
from ick.kernel.errors import DebuggerError
from ick.messages import Message, content, msg_type

#: How long a stop or a reply may take: debugpy is slow on a loaded machine, never this slow.
WAIT = 30.0


class Debugging:
    """A debug session on one client, with what it reported kept for the test."""

    def __init__(self, client: KernelClient) -> None:
        self.client = client
        self.stops: asyncio.Queue[Stop] = asyncio.Queue()
        self.resumed = 0
        self.session = DebugSession(
            client=client, on_stop=self.stops.put_nowait, on_resume=self._on_resume
        )
        #: iopub messages no request claimed (what the REPL shows as other clients' output).
        self.broadcast: list[Message] = []
        client.add_listener(lambda msg, own: self.broadcast.append(msg))

    def _on_resume(self) -> None:
        self.resumed += 1

    def execute(self, code: str, outputs: list[Message] | None = None) -> asyncio.Task[Any]:
        """Start ``code`` as the REPL does; its input is remembered once the kernel starts it."""
        kept = outputs if outputs is not None else []

        def on_output(msg: Message) -> None:
            kept.append(msg)
            body = content(msg)
            if msg_type(msg) == "execute_input" and isinstance(body.get("execution_count"), int):
                self.session.remember_input(body["execution_count"], str(body.get("code")))

        return self.client.start_execution(code, on_output)

    async def run(self, code: str) -> int:
        """Run ``code`` to the end; its input number."""
        reply = await asyncio.wait_for(self.execute(code), WAIT)
        assert reply["status"] == "ok", reply
        return int(reply["execution_count"])

    async def next_stop(self) -> Stop:
        return await asyncio.wait_for(self.stops.get(), WAIT)


def results(outputs: list[Message]) -> list[str]:
    return [
        str(content(msg).get("data", {}).get("text/plain"))
        for msg in outputs
        if msg_type(msg) == "execute_result"
    ]


async def check_variables(debugging: Debugging) -> None:
    """``)vars``: the kernel's globals with their types, large values cut, groups left out."""
    await debugging.run("answer = 42\nname = 'ick'\nbig = 'x' * 100_000\nitems = list(range(5000))")
    listing = await debugging.session.global_variables()
    found = {variable.name: variable for variable in listing.variables}
    assert (found["answer"].type, found["answer"].value) == ("int", "42")
    assert (found["name"].type, found["name"].value) == ("str", "'ick'")
    assert found["big"].value_cut and len(found["big"].value) == DebugSession.VALUE_LIMIT
    assert not VARIABLE_GROUPS & found.keys()

    items, children = await debugging.session.variable("items")
    assert items.type == "list" and items.expandable
    assert 0 < len(children.variables) <= DebugSession.VARIABLE_LIMIT
    first = children.variables[0]
    assert (first.type, first.value) == ("int", "0")

    await debugging.run("class Point:\n    pass\n\np = Point()\np.x = 3\ndouble = lambda v: 2 * v")
    x, nothing = await debugging.session.variable("p.x")
    assert (x.name, x.type, x.value, nothing.variables) == ("x", "int", "3", ())
    assert (await debugging.session.variable("double"))[0].type == "function"
    with pytest.raises(DebuggerError, match=r"^no variable named p\.y$"):
        await debugging.session.variable("p.y")
    await debugging.session.close()


async def check_breakpoint_and_steps(debugging: Debugging) -> None:
    """A breakpoint on line 2 of an earlier input stops ``f(21)``; ``x`` is 21 there; ``n``
    moves a line; ``s`` and ``r`` go into a call and back; ``c`` lets the reply come."""
    session = debugging.session
    # Defined before the session starts: functions of earlier inputs stop too.
    defined = await debugging.run("def f(x):\n    y = x + 1\n    return y * 2\n")
    caller = await debugging.run("def h(v):\n    w = f(v)\n    return w\n")
    await session.start()
    placed = await session.add_breakpoint(input_number=defined, line=2)
    assert (placed.input_number, placed.line, placed.verified) == (defined, 2, True)
    assert session.breakpoints() == [placed]

    outputs: list[Message] = []
    running = debugging.execute("f(21)", outputs)
    stop = await debugging.next_stop()
    assert stop.reason == "breakpoint"
    frames = await session.frames()
    assert (frames[0].name, frames[0].input_number, frames[0].line) == ("f", defined, 2)
    assert frames[0].place == f"In [{defined}], line 2"
    assert frames[1].name == "<module>" and frames[1].input_number == caller + 1
    assert (await session.evaluate("x")).result == "21"
    failed = await session.evaluate("x / 0")
    assert failed.error == "ZeroDivisionError: division by zero"
    assert (await session.frame_variables()).variables[0].value == "21"
    source = await session.source_lines(frames[0])
    assert source == ["def f(x):", "    y = x + 1", "    return y * 2"]
    # Code that is not an input is read by the kernel from its file.
    assert await session.source_lines(replace(frames[0], input_number=None)) == source
    # While stopped, names are looked up where the frame sees them.
    assert (await session.variable("x"))[0].value == "21"
    assert (await session.variable("f"))[0].type == "function"
    assert not running.done()

    await session.next()
    stop = await debugging.next_stop()
    assert stop.reason == "step"
    assert (await session.current_frame()).line == 3
    assert (await session.evaluate("y")).result == "22"

    await session.resume()
    reply = await asyncio.wait_for(running, WAIT)
    assert reply["status"] == "ok" and results(outputs) == ["44"]
    assert session.stop is None and debugging.resumed >= 2

    # Into f from h and back out.
    await session.clear_breakpoints()
    await session.add_breakpoint(input_number=caller, line=2)
    running = debugging.execute("h(1)")
    await debugging.next_stop()
    await session.step_in()
    await debugging.next_stop()
    assert (await session.current_frame()).name == "f"
    await session.step_out()
    await debugging.next_stop()
    assert (await session.current_frame()).name == "h"
    await session.resume()
    assert (await asyncio.wait_for(running, WAIT))["status"] == "ok"

    # Debug events went to the session alone: neither output nor another client's.
    assert not [msg for msg in debugging.broadcast + outputs if msg_type(msg) == "debug_event"]

    # Detached, the kernel runs the same code to the end and stops nowhere.
    await session.close()
    assert not session.attached
    outputs = []
    reply = await asyncio.wait_for(debugging.execute("h(1)", outputs), WAIT)
    assert reply["status"] == "ok" and results(outputs) == ["4"]
    assert debugging.stops.empty()


async def check_exception_breakpoint(debugging: Debugging) -> None:
    """``)break raise`` stops on ``1/0`` inside a function with the exception's text; ``q``
    (close) lets the execution end as it would have, and the kernel stays usable."""
    session = debugging.session
    defined = await debugging.run("def g(a):\n    b = a - 1\n    return a / b\n")
    await session.break_on_exceptions()
    assert session.breaking_on_exceptions
    outputs: list[Message] = []
    running = debugging.execute("g(1)", outputs)
    stop = await debugging.next_stop()
    assert (stop.reason, stop.exception, stop.description) == (
        "exception",
        "ZeroDivisionError",
        "division by zero",
    )
    frame = await session.current_frame()
    assert (frame.name, frame.place) == ("g", f"In [{defined}], line 3")
    await session.close()
    reply = await asyncio.wait_for(running, WAIT)
    assert reply["status"] == "error"
    # The same error as without a debugger (xeus-python's ename is "<class '...'>").
    errors = [content(msg) for msg in outputs if msg_type(msg) == "error"]
    assert len(errors) == 1 and errors[0]["evalue"] == "division by zero"
    assert "ZeroDivisionError" in errors[0]["ename"]
    outputs = []
    reply = await asyncio.wait_for(debugging.execute("g(3)", outputs), WAIT)
    assert reply["status"] == "ok" and results(outputs) == ["1.5"]
    assert debugging.stops.empty()
