"""A debug session over the Jupyter debug protocol, on any of ick's kernel clients.

The protocol wraps Debug Adapter Protocol (DAP) requests in ``debug_request``
messages on the control channel; the kernel answers each with a ``debug_reply``
carrying the DAP response, and publishes DAP events (``stopped``,
``continued``...) as ``debug_event`` messages on iopub.  ipykernel (through
debugpy) and xeus-python implement it; JupyterLab's debugger is the reference
client, and :class:`DebugSession` follows its sequence: ``debugInfo``, then
``initialize``, ``attach`` and ``configurationDone`` unless another client has
started the kernel's debugger already.

:mod:`.requests` sends one request; :mod:`.connection` holds the session's
state, attaches and hears the events; :mod:`.stack`, :mod:`.variables` and
:mod:`.breakpoints` are the requests of each kind, and :mod:`.session` puts
them together.  :mod:`.sources` ties inputs to the files the kernel runs them
from.
"""

from ick.kernel.debugger.breakpoints import RAISED_FILTER
from ick.kernel.debugger.connection import ResumeListener, StopListener
from ick.kernel.debugger.session import DebugSession
from ick.kernel.debugger.sources import FileNaming, InputSources, murmur2
from ick.kernel.debugger.variables import SEARCHED_GROUPS, VARIABLE_GROUPS

__all__ = [
    "RAISED_FILTER",
    "SEARCHED_GROUPS",
    "VARIABLE_GROUPS",
    "DebugSession",
    "FileNaming",
    "InputSources",
    "ResumeListener",
    "StopListener",
    "murmur2",
]
