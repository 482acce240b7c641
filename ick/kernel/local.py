"""Kernels ick launches itself from a kernelspec, and owns until it exits."""

from __future__ import annotations

import contextlib
import signal
from typing import Any

from ick.kernel.errors import KernelError, KernelStartFailed
from ick.kernel.process import KernelProcess
from ick.kernel.specs import find_kernel_spec, spec_declares_debugger
from ick.kernel.zmq_client import ZmqKernelClient

#: How long a kernel asked to shut down has before it is terminated.
SHUTDOWN_GRACE = 5.0


class LocalKernel(ZmqKernelClient):
    """A kernel process started from a kernelspec, talked to over ZeroMQ."""

    owns_kernel = True

    def __init__(self, process: KernelProcess) -> None:
        super().__init__(process.connection_info, process.spec.name, self.process_alive)
        self.process = process
        self._kept = False

    # -- lifecycle -------------------------------------------------------------
    @classmethod
    async def launch(cls, kernel_name: str) -> LocalKernel:
        """Start the kernel process (without waiting for it to answer)."""
        return cls.on(KernelProcess.start(find_kernel_spec(kernel_name)))

    @classmethod
    def on(cls, process: KernelProcess) -> LocalKernel:
        """The client of a kernel process just started, its channels open."""
        kernel = cls(process)
        kernel.open_channels()
        return kernel

    @property
    def kernelspec(self) -> dict[str, str]:
        spec = self.process.spec
        return {"name": self.name, "display_name": spec.display_name, "language": spec.language}

    async def spec_declares_debugger(self) -> bool | None:
        return spec_declares_debugger({"metadata": dict(self.process.spec.metadata)})

    async def process_alive(self) -> bool:
        return self.process.alive

    async def wait_ready(self, timeout: float) -> dict[str, Any]:
        try:
            return await super().wait_ready(timeout)
        except KernelError as exc:
            detail = self.log_tail()
            raise KernelStartFailed(f"{exc}{': ' + detail if detail else ''}") from None

    def log_tail(self) -> str:
        return self.process.log_tail()

    async def interrupt(self) -> None:
        if self.is_dead:
            return
        if self.process.spec.interrupt_mode == "message":
            await super().interrupt()  # over the control channel, as the kernelspec asks
        else:
            self.process.send_signal(signal.SIGINT)

    async def restart(self, *, timeout: float) -> None:
        await self.close_channels()
        await self.process.kill()
        self.process.launch()  # the same ports and connection file
        self.mark_alive()
        self.open_channels()
        await self.wait_ready(timeout)

    def keep_running(self) -> str | None:
        self._kept = True
        return f"ick --existing {self.process.connection_file}"

    async def shutdown(self) -> None:
        if self._kept and not self.is_dead:
            await self.close_channels()
            self.process.close(keep_connection_file=True)
            return
        try:
            await self.stop_watching()
            if self.process.alive and not self.is_dead:
                # Asked first, so that the kernel can clean up after itself (atexit, history).
                with contextlib.suppress(KernelError):
                    self.send("control", "shutdown_request", {"restart": False})
                await self.process.stop(grace=SHUTDOWN_GRACE)
            else:
                await self.process.kill()
        finally:
            await self.close_channels()
            self.process.close(keep_connection_file=False)
