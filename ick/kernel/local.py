"""Kernels ick launches itself from a kernelspec, and owns until it exits."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
from typing import IO, Any

from jupyter_client import AsyncKernelManager

from ick.kernel.errors import KernelError, KernelStartFailed
from ick.kernel.specs import require_kernel, spec_declares_debugger
from ick.kernel.zmq_client import ZmqKernelClient

log = logging.getLogger(__name__)


class LocalKernel(ZmqKernelClient):
    """A kernel process started from a kernelspec, talked to over ZeroMQ.

    The kernel's own stdout/stderr go to a private log file rather than the
    terminal: they would otherwise bypass ick's sanitiser and tear through the
    prompt.  The last lines of that log explain a failed start.
    """

    owns_kernel = True

    def __init__(self, manager: AsyncKernelManager, log_file: IO[bytes]) -> None:
        super().__init__(
            dict(manager.get_connection_info()), manager.kernel_name, self.process_alive
        )
        self.manager = manager
        self._log_file = log_file
        self._kept = False

    # -- lifecycle -------------------------------------------------------------
    @classmethod
    async def launch(cls, kernel_name: str) -> LocalKernel:
        """Start the kernel process (without waiting for it to answer)."""
        require_kernel(kernel_name)
        manager = AsyncKernelManager(kernel_name=kernel_name)
        # Lives as long as the kernel, closed in shutdown(): no context manager fits.
        log_file = tempfile.TemporaryFile(prefix="ick-kernel-")  # noqa: SIM115
        try:
            await manager.start_kernel(stdout=log_file, stderr=log_file)
        except Exception as exc:
            log_file.close()
            raise KernelStartFailed(f"could not start the {kernel_name} kernel: {exc}") from None
        kernel = cls(manager, log_file)
        kernel.open_channels()
        return kernel

    @property
    def kernelspec(self) -> dict[str, str]:
        spec = self.manager.kernel_spec
        if spec is None:
            return super().kernelspec
        return {"name": self.name, "display_name": spec.display_name, "language": spec.language}

    async def spec_declares_debugger(self) -> bool | None:
        spec = self.manager.kernel_spec
        return None if spec is None else spec_declares_debugger({"metadata": spec.metadata})

    async def process_alive(self) -> bool:
        return bool(await self.manager.is_alive())

    async def wait_ready(self, timeout: float) -> dict[str, Any]:
        try:
            return await super().wait_ready(timeout)
        except KernelError as exc:
            detail = self.log_tail()
            raise KernelStartFailed(f"{exc}{': ' + detail if detail else ''}") from None

    def log_tail(self) -> str:
        """The last non-empty line the kernel wrote to its stderr, for error messages."""
        with contextlib.suppress(OSError):
            self._log_file.seek(0, 2)
            size = self._log_file.tell()
            self._log_file.seek(max(0, size - 4096))
            lines = self._log_file.read().decode("utf-8", "replace").strip().splitlines()
            if lines:
                return lines[-1].strip()
        return ""

    async def interrupt(self) -> None:
        # jupyter_client honours the kernelspec's interrupt_mode: SIGINT or interrupt_request.
        if not self.is_dead:
            await self.manager.interrupt_kernel()

    async def restart(self, *, timeout: float) -> None:
        await self.close_channels()
        await self.manager.restart_kernel(now=True)
        self.mark_alive()
        self.open_channels()
        await self.wait_ready(timeout)

    def keep_running(self) -> str | None:
        self._kept = True
        return f"ick --existing {self.manager.connection_file}"

    async def shutdown(self) -> None:
        await self.close_channels()
        if self._kept and not self.is_dead:
            self._log_file.close()
            return
        if self.manager.has_kernel:
            try:
                await asyncio.wait_for(self.manager.shutdown_kernel(now=self.is_dead), 10)
            except Exception as exc:  # never leave the process behind
                log.debug("graceful shutdown failed (%s); killing the kernel", exc)
                with contextlib.suppress(Exception):
                    await self.manager.shutdown_kernel(now=True)
        self._log_file.close()
