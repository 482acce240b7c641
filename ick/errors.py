"""Errors that end ick with one clear line and a documented exit status.

Anything the user can cause (a kernel name that does not exist, a kernel that
will not start) is raised as an :class:`IckError`; ``ick.cli`` prints its
message as ``ick: <message>`` and exits with its status instead of showing a
Python traceback.
"""

from __future__ import annotations


class ExitStatus:
    """Exit statuses, shared by every front end so that scripts can rely on them."""

    OK = 0
    ERROR = 1
    USAGE = 2
    KERNEL = 3
    TIMEOUT = 124
    INTERRUPTED = 130
    BROKEN_PIPE = 141


class IckError(Exception):
    """A failure explained to the user in one line."""

    status: int = ExitStatus.ERROR

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        if status is not None:
            self.status = status
