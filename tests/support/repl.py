"""A REPL session as the tests drive it: started on the python3 kernel, its kernel process,
the restart offer after a death, and the history it leaves behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import psutil

from ick.frontends.repl.history import SharedFileHistory, history_path

from .terminal import PROMPT, Terminal


def start(spawn_ick: Callable[..., Terminal], *args: str) -> Terminal:
    """``ick ARGS`` on the python3 kernel, at its first prompt."""
    term = spawn_ick(*args)
    term.expect(r"Python 3\.\d+.*kernel python3")
    term.expect(PROMPT.format(1))
    return term


def kernel_pid(term: Terminal) -> int:
    """The process of the kernel ick started."""
    kernels = term.kernel_processes()
    assert kernels, "ick has no kernel child process"
    return kernels[0].pid


def assert_gone(pid: int, timeout: float = 10) -> None:
    """The process has exited (a zombie awaiting its reaper counts as gone)."""
    try:
        process = psutil.Process(pid)
        if process.status() != psutil.STATUS_ZOMBIE:
            process.wait(timeout)
    except psutil.NoSuchProcess:
        pass
    except psutil.TimeoutExpired:
        raise AssertionError(f"process {pid} is still running") from None


def accept_restart(term: Terminal) -> None:
    """Answer yes to the restart offer that follows a kernel's death."""
    term.expect(r"Restart the kernel\? \[Y/n\]")
    term.enter("y")
    term.expect(r"Kernel restarted")


def history(env: dict[str, str], language: str = "python") -> list[str]:
    """Every entry in ick's history file for ``language``, oldest first."""
    path = history_path(language)
    path = Path(env["XDG_DATA_HOME"]) / "ick" / "history" / path.name
    return list(reversed(list(SharedFileHistory(path).load_history_strings())))
