"""What the lightest possible prompt_toolkit prompt costs per execution, in-process.

``run.py`` compares ick with a raw jupyter_client loop that reads a cooked-mode
line and prints ``>>> ``.  Any prompt_toolkit front end does more per
execution: start an application (raw mode, input attached, signal handlers),
render the prompt, process the keys one by one, render the input once more as
accepted, tear the application down.  This script measures that cycle for a
bare ``Application`` holding one buffer window and no bindings of its own, fed
``print(1000000)`` and Enter through a pipe, with output to /dev/null: a floor
under every prompt_toolkit REPL, ick's included, before any kernel or
terminal is involved.

    python benchmarks/prompt_toolkit_floor.py [--n 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time

from prompt_toolkit.application import Application, create_app_session
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.layout import BufferControl, Layout, Window
from prompt_toolkit.output.vt100 import Vt100_Output


async def measure(n: int) -> dict[str, list[float]]:
    with open(os.devnull, "w") as sink, create_pipe_input() as pipe:
        output = Vt100_Output(sink, lambda: Size(40, 120), term="xterm-256color")
        with create_app_session(input=pipe, output=output):
            times = await _cycles(n, pipe)
    return {name: values[n // 5 :] for name, values in times.items()}  # warm-up left out


async def _cycles(n: int, pipe: PipeInput) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {
        "start -> prompt drawn": [],
        "keys -> accepted": [],
        "accepted -> prompt gone": [],
    }
    marks: dict[str, float] = {}

    def accept(buffer: Buffer) -> bool:
        marks["accepted"] = time.perf_counter()
        application.exit(result=buffer.text)
        return True

    buffer = Buffer(multiline=False, accept_handler=accept)
    bindings = KeyBindings()
    bindings.add("enter")(lambda event: buffer.validate_and_handle())
    window = Window(BufferControl(buffer), get_line_prefix=lambda *_: "In [1]: ")
    application: Application[str] = Application(layout=Layout(window), key_bindings=bindings)
    application.after_render += lambda _: marks.setdefault("drawn", time.perf_counter())
    for i in range(n):
        marks.clear()
        buffer.reset()
        started = time.perf_counter()
        running = asyncio.ensure_future(application.run_async())
        while "drawn" not in marks:
            await asyncio.sleep(0)
        typed = time.perf_counter()
        pipe.send_text(f"print({1_000_000 + i})\r")
        await running
        gone = time.perf_counter()
        times["start -> prompt drawn"].append(marks["drawn"] - started)
        times["keys -> accepted"].append(marks["accepted"] - typed)
        times["accepted -> prompt gone"].append(gone - marks["accepted"])
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="prompts to measure (300)")
    times = asyncio.run(measure(parser.parse_args().n))
    total = 0.0
    for name, values in times.items():
        median = statistics.median(values) * 1e3
        total += median
        print(f"{name:26s} {median:6.2f} ms median")
    print(f"{'one cycle':26s} {total:6.2f} ms (the raw loop's budget at x1.10 is ~0.9 ms)")


if __name__ == "__main__":
    main()
