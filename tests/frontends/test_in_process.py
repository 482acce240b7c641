"""The front ends' logic run in-process: a real ipykernel, ick's real kernel client, and an
:class:`~ick.render.environment.Environment` of recorded streams instead of a terminal.

Beside the pty tests, not instead of them: these show what the script runner and the
REPL's rooms do with a kernel's replies without the cost of a terminal.
"""

from __future__ import annotations

import asyncio
import io

from ick.errors import ExitStatus
from ick.frontends.script import ScriptRunner
from ick.frontends.script_sources import Source
from ick.frontends.shared.payloads import read_payloads
from ick.frontends.shared.signals import SigintActions
from ick.kernel.local import LocalKernel
from ick.options import Options
from ick.render.environment import Environment


async def run_script(code: str, **options: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    environment = Environment.of(stdout=out, stderr=err, color="never")
    kernel = await LocalKernel.launch("python3")
    stops: list[int] = []
    sigint = SigintActions(default=lambda: None)
    try:
        await kernel.wait_ready(60)
        runner = ScriptRunner(
            kernel=kernel,
            options=Options(**options),  # type: ignore[arg-type]
            environment=environment,
            sources=[Source("-c", code)],
            answers_from_stdin=True,
            sigint=sigint,
            stop=stops.append,
        )
        status = await runner.run()
    finally:
        sigint.close()
        await kernel.shutdown()
    return status, out.getvalue(), err.getvalue()


def test_a_script_writes_its_output_to_the_environments_stdout_and_errors_to_stderr():
    status, out, err = asyncio.run(run_script("print('to stdout')\n1/0"))
    assert status == ExitStatus.ERROR
    assert out == "to stdout\n"
    assert "ZeroDivisionError: division by zero" in err


def test_cells_stop_at_the_first_error_unless_keep_going():
    code = "# %%\nprint('one')\n# %%\n1/0\n# %%\nprint('three')"
    status, out, _ = asyncio.run(run_script(code))
    assert (status, out) == (ExitStatus.ERROR, "one\n")
    status, out, _ = asyncio.run(run_script(code, keep_going=True))
    assert (status, out) == (ExitStatus.ERROR, "one\nthree\n")


def test_payloads_are_read_whatever_their_shape():
    payloads = read_payloads(
        [
            {"source": "page", "data": {"text/plain": "doc"}},
            {"source": "set_next_input", "text": "x = 1\x1b[31m"},
            {"source": "ask_exit", "keepkernel": True},
            "not a payload",
            {"source": "page", "data": "not a bundle"},
        ]
    )
    assert payloads.pages == ({"text/plain": "doc"},)
    assert payloads.next_input == "x = 1"
    assert payloads.exit_requested and payloads.keep_kernel
    assert read_payloads(None) == read_payloads([])
