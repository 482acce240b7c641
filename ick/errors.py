"""Errors that end ick with one clear line and a documented exit status.

Anything the user can cause (a kernel name that does not exist, a kernel that
will not start) is raised as an :class:`IckError`; ``ick.cli`` prints its
message as ``ick: <message>`` and exits with its status instead of showing a
Python traceback.
"""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    """Exit statuses, shared by every front end so that scripts can rely on them.

    Each carries its description: ``--help`` and README's table are made from them.
    """

    description: str

    def __new__(cls, value: int, description: str) -> ExitStatus:
        member = int.__new__(cls, value)
        member._value_ = value
        member.description = description
        return member

    OK = 0, "everything ran; the REPL ended with Ctrl-D or )quit"
    ERROR = (
        1,
        (
            "the code raised an error (scripts: the first failing cell stops the run), "
            "or ick met an error it could not recover from"
        ),
    )
    USAGE = (
        2,
        (
            "usage error: bad option, unknown kernel name, unreadable file or connection file, "
            "a server URL that is not one, a token the server refuses"
        ),
    )
    KERNEL = (
        3,
        (
            "the kernel could not start, did not answer in --startup-timeout seconds, or died "
            "(and, in the REPL, was not restarted); a server that cannot be reached"
        ),
    )
    TIMEOUT = 124, "an execution ran longer than --timeout and was interrupted"
    INTERRUPTED = 130, "interrupted by Ctrl-C (scripts, or the REPL before it was up)"
    BROKEN_PIPE = (
        141,
        ("the output pipe was closed (ick job.py | head -1); the kernel is shut down all the same"),
    )


class IckError(Exception):
    """A failure explained to the user in one line."""

    status: int = ExitStatus.ERROR

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status
