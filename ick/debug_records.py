"""What a debug session reports, as plain records for every layer.

The kernel side (:mod:`ick.kernel.debugger`) makes these from the kernel's Debug
Adapter Protocol answers; the renderer (:mod:`ick.render.debugger_views`) draws
them and knows no kernel; front ends hold them between the two.  Like
:mod:`ick.messages`, this module knows neither sockets nor screens.

Every string here came from the kernel and is untrusted: it reaches a terminal
only through the renderer's sanitiser.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Variable:
    """One variable (or item, or attribute) as the kernel's debugger shows it."""

    name: str
    type: str
    #: The kernel's short representation, cut by the session to a bounded length.
    value: str
    #: Whether ``value`` was cut.
    value_cut: bool = False
    #: The debugger's handle on its children; 0 when it has none.
    reference: int = 0

    @property
    def expandable(self) -> bool:
        return self.reference > 0


@dataclass(frozen=True, kw_only=True)
class VariableListing:
    """Some variables, and whether the kernel had more than were kept."""

    variables: tuple[Variable, ...]
    cut: bool = False


@dataclass(frozen=True, kw_only=True)
class Frame:
    """One frame of a stopped thread's stack, innermost first."""

    id: int
    name: str
    path: str
    line: int
    #: The input (``In [n]``) whose code this frame runs, when it is one of this session's.
    input_number: int | None = None

    @property
    def place(self) -> str:
        """``In [5], line 2``, or the file and line when the code is not an input."""
        if self.input_number is not None:
            return f"In [{self.input_number}], line {self.line}"
        return f"{self.path or '<unknown>'}, line {self.line}"


@dataclass(frozen=True, kw_only=True)
class Stop:
    """Why the kernel stopped running one's code, from the debugger's ``stopped`` event."""

    #: ``breakpoint``, ``exception``, ``step``, ``pause``, ``entry``... as the kernel says.
    reason: str
    thread_id: int
    #: For an exception: its type, e.g. ``ZeroDivisionError``.
    exception: str = ""
    #: For an exception: its message, e.g. ``division by zero``.
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class Breakpoint:
    """A line breakpoint in an input's code, where the kernel placed it."""

    input_number: int
    line: int
    path: str
    #: Whether the kernel's debugger confirmed it (it can move a line or reject it).
    verified: bool = True


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """What an expression evaluated to in a stopped frame, or why it failed."""

    result: str = ""
    type: str = ""
    #: Non-empty when the expression raised: the error's last line.
    error: str = ""
    result_cut: bool = False
    reference: int = 0
