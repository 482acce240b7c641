"""How a front end gets a kernel client, whichever way the kernel is reached.

Front ends call :func:`open_kernel` and then ``await client.wait_ready()``;
the split lets them do their own start-up work while the kernel boots.
"""

from __future__ import annotations

from ick.kernel.client import KernelClient
from ick.kernel.local import LocalKernel


async def open_kernel(kernel_name: str) -> KernelClient:
    """Start a kernel from its kernelspec; it is launched but not yet answering."""
    return await LocalKernel.launch(kernel_name)
