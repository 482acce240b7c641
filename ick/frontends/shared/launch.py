"""Running a front end on a kernel, from start-up to a clean end.

Whatever ends the session (the front end returning, a kernel that cannot
start, SIGTERM or SIGHUP, Ctrl-C during start-up, a closed output pipe), the
kernel ick started is shut down (one it attached to is left running) and the
exit status says why.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
from collections.abc import Awaitable, Callable

from ick.errors import ExitStatus
from ick.frontends.shared.signals import SigintActions
from ick.kernel.client import KernelClient
from ick.kernel.connect import KernelTarget, open_kernel
from ick.kernel.process import KernelProcess

Stop = Callable[[int], None]
"""Ends the session early with an exit status (a signal, a broken pipe)."""

FrontEnd = Callable[[KernelClient, SigintActions, Stop], Awaitable[int]]
FrontEndLoader = Callable[[KernelClient], FrontEnd]
"""Imports the front end; called while the kernel boots (its process started, not yet
answering), so that the two overlap."""


def run(
    target: KernelTarget,
    startup_timeout: float,
    load_front_end: FrontEndLoader,
    wait_ready: bool = True,
    process: KernelProcess | None = None,
) -> int:
    """Run a front end; ``wait_ready=False`` for one that must send the kernel nothing.

    ``process`` is the target's kernel process when it was started before this module
    was even imported (:func:`~ick.kernel.connect.start_process`).
    """
    if process is None:
        target.check()
    try:
        return asyncio.run(_session(target, startup_timeout, load_front_end, wait_ready, process))
    finally:
        if process is not None:
            process.end_now()  # nothing to do unless the session ended before it took it


async def _session(
    target: KernelTarget,
    startup_timeout: float,
    load_front_end: FrontEndLoader,
    wait_ready: bool,
    process: KernelProcess | None,
) -> int:
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    stop_status: dict[str, int] = {"code": ExitStatus.INTERRUPTED}
    stopping = False

    def stop(code: int) -> None:
        # Once: a second Ctrl-C or signal while the kernel is being shut down must not
        # cancel that shutdown too (a traceback, and a kernel left behind).
        nonlocal stopping
        if stopping:
            return
        stopping = True
        stop_status["code"] = code
        task.cancel()

    sigint = SigintActions(default=lambda: stop(ExitStatus.INTERRUPTED))
    for signum in (signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop, 128 + signum)
    kernel: KernelClient | None = None
    try:
        kernel = await open_kernel(target, startup_timeout, process)
        front_end = load_front_end(kernel)
        # What start-up imported lives as long as ick: taken out of the collector's view, it
        # is not walked again by every full collection (a few ms, in the middle of a cell).
        gc.freeze()
        if wait_ready:
            await kernel.wait_ready(startup_timeout)
        return await front_end(kernel, sigint, stop)
    except asyncio.CancelledError:
        return stop_status["code"]
    finally:
        # Ctrl-C again while the kernel is shut down changes nothing: it is shut down all the
        # same, and a cancellation already on its way is absorbed instead of shown as a traceback.
        stopping = True
        if kernel is not None:
            shutdown = asyncio.ensure_future(kernel.shutdown())
            while not shutdown.done():
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.shield(shutdown)
            shutdown.result()
        sigint.close()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            loop.remove_signal_handler(signum)
