"""One SIGINT handler for the whole session, whose meaning follows what ick is doing.

Ctrl-C during an execution interrupts the kernel; at start-up or during a
restart it gives up cleanly; at a prompt prompt_toolkit reads it as a key and
no signal is raised at all.  Replacing handlers ad hoc would lose asyncio's
own and turn a late Ctrl-C into a traceback, so actions are stacked instead.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class SigintActions:
    """A stack of SIGINT actions on the running event loop; the newest one runs."""

    def __init__(self, default: Callable[[], None]) -> None:
        self._loop = asyncio.get_running_loop()
        self._actions: list[Callable[[], None]] = [default]
        self._loop.add_signal_handler(signal.SIGINT, self._fire)

    @contextmanager
    def action(self, handler: Callable[[], None]) -> Iterator[None]:
        self._actions.append(handler)
        try:
            yield
        finally:
            self._actions.remove(handler)

    def close(self) -> None:
        self._loop.remove_signal_handler(signal.SIGINT)

    def _fire(self) -> None:
        self._actions[-1]()
