"""Ctrl-C during an execution, for every front end that runs code: the first press
interrupts the kernel, a second one gives up waiting for a kernel that ignores it.

Some kernels ignore interrupts (ijavascript, Deno under ``await``), and so does
code that catches them; without a way out the user would have to kill ick.
The interrupt requests are kept and their failures retrieved: a kernel whose
process is gone must not leave asyncio's "Task exception was never retrieved"
on the user's screen.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from ick.kernel.client import KernelClient
from ick.kernel.errors import KernelError

T = TypeVar("T")


class InterruptOnCtrlC:
    """The SIGINT action of one execution (see :mod:`ick.frontends.shared.signals`).

    ``patience`` is how long after the first Ctrl-C a second one counts as
    giving up: pressed at once, it is taken for the same impatient press.
    ``on_no_stop`` is called once, ``patience`` seconds after the first Ctrl-C,
    if the execution is still running then (to say what a second Ctrl-C does).
    """

    def __init__(
        self,
        *,
        kernel: KernelClient,
        patience: float,
        on_no_stop: Callable[[], None] | None = None,
    ) -> None:
        self._kernel = kernel
        self._patience = patience
        self._on_no_stop = on_no_stop
        self._loop = asyncio.get_running_loop()
        self._first_at: float | None = None
        self._given_up: asyncio.Future[None] = self._loop.create_future()
        self._interrupts: set[asyncio.Task[None]] = set()

    @property
    def interrupted(self) -> bool:
        """Whether Ctrl-C was pressed during this execution."""
        return self._first_at is not None

    def __call__(self) -> None:
        now = self._loop.time()
        if self._first_at is None:
            self._first_at = now
            task = self._loop.create_task(self._interrupt())
            self._interrupts.add(task)
            task.add_done_callback(self._interrupts.discard)
            if self._on_no_stop is not None:
                self._loop.call_later(self._patience, self._still_running)
        elif now - self._first_at >= self._patience and not self._given_up.done():
            self._given_up.set_result(None)

    async def _interrupt(self) -> None:
        # A kernel that is gone is reported by its death listener, not here.
        with contextlib.suppress(KernelError, OSError):
            await self._kernel.interrupt()

    def _still_running(self) -> None:
        if not self._given_up.done() and self._on_no_stop is not None:
            self._on_no_stop()

    async def wait(self, execution: Awaitable[T]) -> tuple[bool, T | None]:
        """``(True, result)`` when ``execution`` ended, ``(False, None)`` when given up on
        (it is cancelled then); its exceptions are raised."""
        task = asyncio.ensure_future(execution)
        either: set[asyncio.Future[Any]] = {task, self._given_up}
        try:
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            # The session ends (a signal, a closed pipe): the execution goes with it, rather
            # than failing later, unheard, when the kernel is shut down under it.
            task.cancel()
            raise
        finally:
            if not self._given_up.done():
                self._given_up.cancel()  # ends the hint too: the execution is over
        if not task.done():
            task.cancel()
            return False, None
        return True, task.result()
