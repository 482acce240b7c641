"""Starting an interactive session: the kernel, the REPL, and a clean end.

Whatever ends the session (Ctrl-D, a kernel that cannot start, SIGTERM or
SIGHUP, Ctrl-C during start-up), the kernel ick started is shut down.
"""

from __future__ import annotations

import asyncio
import signal

from ick.errors import ExitStatus, IckError
from ick.frontends.signals import SigintActions
from ick.kernel.connect import open_kernel
from ick.kernel.specs import require_kernel
from ick.render.capabilities import TerminalCapabilities


def run_interactive(kernel_name: str, startup_timeout: float) -> int:
    require_kernel(kernel_name)
    capabilities = TerminalCapabilities.detect()
    if not capabilities.stdin_is_tty:
        raise IckError(
            "standard input is not a terminal; running scripts from a pipe is not supported yet",
            ExitStatus.USAGE,
        )
    return asyncio.run(_session(kernel_name, startup_timeout, capabilities))


async def _session(
    kernel_name: str, startup_timeout: float, capabilities: TerminalCapabilities
) -> int:
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    assert task is not None
    stop_status = {"code": ExitStatus.INTERRUPTED}

    def stop(code: int) -> None:
        stop_status["code"] = code
        task.cancel()

    sigint = SigintActions(default=lambda: stop(ExitStatus.INTERRUPTED))
    for signum in (signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop, 128 + signum)

    kernel = await open_kernel(kernel_name)
    try:
        # Imported here, not at the top: loading prompt_toolkit and rich overlaps the kernel's boot.
        from ick.frontends.repl import Repl

        await kernel.wait_ready(startup_timeout)
        return await Repl(kernel, capabilities, sigint).run()
    except asyncio.CancelledError:
        return stop_status["code"]
    except IckError:
        raise
    finally:
        await asyncio.shield(kernel.shutdown())
        sigint.close()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            loop.remove_signal_handler(signum)
