"""Ctrl-C's interrupt of a kernel that cannot take it any more (its process gone, its
channels closed, its server unreachable) fails quietly: the kernel's death is reported by
its death listener, and nothing reaches asyncio's "Task exception was never retrieved".

Pure logic, in-process: what a failing interrupt raises is all that matters here.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest

from ick.frontends.shared.interrupts import InterruptOnCtrlC
from ick.kernel.errors import KernelDied, KernelError


class _KernelThatCannotBeInterrupted:
    """Only what :class:`InterruptOnCtrlC` uses of a kernel: ``interrupt``, which fails."""

    def __init__(self, failure: BaseException) -> None:
        self.failure = failure
        self.asked = 0

    async def interrupt(self) -> None:
        self.asked += 1
        raise self.failure


@pytest.mark.parametrize(
    "failure",
    [
        KernelDied("the kernel process exited"),
        KernelError("not connected to the python3 kernel"),
        ProcessLookupError(3, "No such process"),
    ],
    ids=["died", "closed-channels", "process-gone"],
)
def test_a_failed_interrupt_is_retrieved_not_left_to_asyncio(failure: BaseException):
    unretrieved: list[dict[str, Any]] = []

    async def press_ctrl_c_during_an_execution() -> tuple[bool, str | None]:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _loop, context: unretrieved.append(context))
        kernel: Any = _KernelThatCannotBeInterrupted(failure)
        on_ctrl_c = InterruptOnCtrlC(kernel=kernel, patience=60)

        async def execution() -> str:
            on_ctrl_c()  # Ctrl-C, as the SIGINT handler calls it
            while kernel.asked == 0:
                await asyncio.sleep(0)
            await asyncio.sleep(0)  # the interrupt's task ends with its failure
            return "the execution ended"

        result = await on_ctrl_c.wait(execution())
        assert on_ctrl_c.interrupted
        gc.collect()  # a task dropped with an exception unretrieved is reported here
        await asyncio.sleep(0)
        return result

    assert asyncio.run(press_ctrl_c_during_an_execution()) == (True, "the execution ended")
    assert unretrieved == []
