"""ick's debug session: every request of the Jupyter debug protocol that ick makes."""

from __future__ import annotations

from ick.kernel.debugger.breakpoints import BreakpointRequests
from ick.kernel.debugger.variables import VariableRequests


class DebugSession(VariableRequests, BreakpointRequests):
    """ick's debug session on one kernel: breakpoints, stops, stepping and variables.

    Create it with the kernel client and the callbacks that tell the front end
    when the kernel stops in its code (``on_stop``) and when it runs again
    (``on_resume``); :meth:`start` attaches, and so does the first request that
    needs it.  The callbacks run in the client's message reader: they must not
    block.  While the kernel is stopped, the front end's execute request stays
    unanswered until :meth:`resume` (or the steps run the code to its end).

    Every request raises :class:`DebuggerError` with a one-line message when the
    kernel refuses it or does not answer in time, :class:`NoDebugger` when the
    kernel has no debugger, and :class:`KernelDied` when the kernel dies.
    """

    async def close(self) -> None:
        """Stop debugging (pdb's ``q``): remove ick's breakpoints, let stopped code run on,
        and detach.

        A debugger another client started is left running for it.  Stops that
        come meanwhile are not reported: the breakpoints go first, so that the code
        let go runs to its end.
        """
        if not self.attached:
            self.forget()
            return
        self._closing = True
        try:
            await self.clear_breakpoints()
            if self.stop is not None:
                await self.resume()
            if not self._joined:
                await self._request("disconnect", {"restart": False, "terminateDebuggee": False})
        finally:
            self.forget()
