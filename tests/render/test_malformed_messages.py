"""Malformed and hostile messages never crash the path from router to terminal.

A seeded generator builds messages with missing, wrongly typed and hostile
fields; each goes through the router, the renderer and the notebook recorder
exactly as a channel reader would hand it over.
"""

from __future__ import annotations

import asyncio
import io
import random
from typing import Any

from ick.frontends.shared.recording import RecordedCell
from ick.kernel.router import Router
from ick.render.capabilities import TerminalCapabilities
from ick.render.environment import Environment
from ick.render.image_files import ImageFiles
from ick.render.renderer import OutputRenderer
from ick.render.writer import TerminalWriter

KINDS = [
    "stream",
    "execute_result",
    "display_data",
    "update_display_data",
    "error",
    "clear_output",
    "status",
    "execute_input",
    "input_request",
    "no_such_type",
    "",
    None,
    7,
]
HOSTILE_TEXT = [
    "plain",
    "\x1b]52;c;aGk=\x07",
    "\x1b[6n",
    "\x1bP1$r\x1b\\",
    "\x9b2J",
    "\udcff",
    "\x00\x07",
    "😀" * 50,
    "a\r\nb\bc",
    "\x1b[38;5;300;999m",
    "x" * 5000,
]


def value(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(9 if depth < 2 else 6)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice(HOSTILE_TEXT)
    if choice == 2:
        return rng.randint(-(2**40), 2**40)
    if choice == 3:
        return rng.random()
    if choice == 4:
        return rng.choice([True, False])
    if choice == 5:
        return "%%% not base64"
    if choice == 6:
        return [value(rng, depth + 1) for _ in range(rng.randrange(3))]
    keys = ["text/plain", "image/png", "image/svg+xml", "text/html", "name", "text", 5]
    return {rng.choice(keys): value(rng, depth + 1) for _ in range(rng.randrange(4))}


def message(rng: random.Random) -> Any:
    if rng.random() < 0.03:
        return rng.choice([None, [], "msg", 42])
    content: Any = {
        key: value(rng)
        for key in rng.sample(
            [
                "name",
                "text",
                "data",
                "metadata",
                "execution_count",
                "ename",
                "evalue",
                "traceback",
                "transient",
                "wait",
                "execution_state",
                "prompt",
                "password",
            ],
            rng.randrange(6),
        )
    }
    if rng.random() < 0.1:
        content = value(rng)
    return {
        "header": {"msg_type": rng.choice(KINDS)} if rng.random() > 0.05 else value(rng),
        "parent_header": {"msg_id": rng.choice(["mine", "other", None, 3])},
        "content": content,
    }


def test_five_thousand_malformed_messages_are_survived(tmp_path):
    async def scenario() -> None:
        rng = random.Random(20261127)
        out, err = io.StringIO(), io.StringIO()
        output = TerminalWriter(environment=Environment.of(stdout=out, stderr=err))
        caps = TerminalCapabilities(True, True, "256", True)
        renderer = OutputRenderer(
            output=output, capabilities=caps, image_files=ImageFiles(tmp_path)
        )
        cell = RecordedCell("code")
        router = Router()
        router.add_listener(lambda msg, own: renderer.handle(msg))
        router.on_input_request = lambda msg: None
        pending = router.track("mine", on_output=lambda m: (renderer.handle(m), cell.add(m)))
        for _ in range(5000):
            msg = message(rng)
            if not isinstance(msg, dict):
                continue
            router.dispatch_iopub(msg)
            router.dispatch_reply(msg)
            router.dispatch_stdin(msg)
            renderer.handle(msg)
        output.flush()
        written = out.getvalue() + err.getvalue()
        for forbidden in ("\x1b]", "\x1bP", "\x9b", "\x07", "\x1b[6n", "\x00"):
            assert forbidden not in written
        cell.as_json()
        assert pending.reply.done()  # some generated reply named "mine"

    asyncio.run(scenario())
