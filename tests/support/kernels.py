"""Kernels that ick's kernel layer starts in the test process (no terminal, no prompt)."""

from __future__ import annotations

from ick.kernel.local import LocalKernel


def local_kernel_pid(kernel: LocalKernel) -> int:
    """The process of a kernel started with :meth:`LocalKernel.launch`."""
    assert kernel.process.pid is not None
    return kernel.process.pid
