"""DAP requests, each wrapped in a ``debug_request`` on the control channel.

The kernel answers each with a ``debug_reply`` carrying the DAP response.
"""

from __future__ import annotations

from typing import Any

from ick.kernel.client import KernelClient
from ick.kernel.debugger.replies import one_line
from ick.kernel.errors import DebuggerError, DebugRequestFailed, RequestTimeout


class DebugRequests:
    """DAP requests to one kernel's debugger, numbered in order, their replies checked."""

    #: How long a debug request may wait for its reply.
    REQUEST_TIMEOUT = 10.0

    def __init__(self, *, client: KernelClient) -> None:
        self._client = client
        self._seq = 0

    @property
    def kernel_name(self) -> str:
        return self._client.name

    async def _exchange(
        self, command: str, arguments: dict[str, Any], timeout: float
    ) -> dict[str, Any]:
        """Send one DAP request; return the kernel's DAP response, whatever it says."""
        self._seq += 1
        request = {"type": "request", "seq": self._seq, "command": command, "arguments": arguments}
        try:
            return await self._client.request(
                "debug_request", request, channel="control", timeout=timeout
            )
        except RequestTimeout:
            raise DebuggerError(
                f"the {self.kernel_name} kernel's debugger did not answer {command} "
                f"within {timeout:g} s"
            ) from None

    async def _request(
        self, command: str, arguments: dict[str, Any] | None = None, timeout: float | None = None
    ) -> dict[str, Any]:
        """Send one DAP request; return its response's ``body``, or raise if it failed."""
        answer = await self._exchange(command, arguments or {}, timeout or self.REQUEST_TIMEOUT)
        if answer.get("success") is not True:
            reason = one_line(answer.get("message")) or "no reason given"
            raise DebugRequestFailed(
                f"the {self.kernel_name} kernel's debugger refused {command}: {reason}"
            )
        body = answer.get("body")
        return body if isinstance(body, dict) else {}
