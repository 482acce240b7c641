"""What can go wrong between ick and a kernel, as exceptions front ends can catch."""

from __future__ import annotations

from ick.errors import ExitStatus, IckError


class KernelError(IckError):
    """The kernel could not be reached, started, or kept alive."""

    status = ExitStatus.KERNEL


class NoSuchKernel(IckError):
    """The kernelspec name does not exist; a usage error, not a kernel failure."""

    status = ExitStatus.USAGE


class KernelStartFailed(KernelError):
    """The kernel process exited or never answered ``kernel_info`` in time."""


class KernelDied(KernelError):
    """The kernel stopped answering (process gone or heartbeat lost)."""

    def __init__(self, message: str = "the kernel died") -> None:
        super().__init__(message)


class RequestTimeout(KernelError):
    """A request got no reply within its timeout."""


class DebuggerError(KernelError):
    """A debug request that could not be carried out; the kernel itself is still usable.

    Messages are one line but may quote the kernel: front ends print them through
    the sanitiser like anything else from a kernel.
    """


class NoDebugger(DebuggerError):
    """The kernel does not speak the Jupyter debug protocol."""


class DebugRequestFailed(DebuggerError):
    """The kernel's debugger answered a request with ``success: false``."""
