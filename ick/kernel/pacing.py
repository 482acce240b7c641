"""Reading a flood of output in batches rather than message by message.

A loop of ``print(i, flush=True)`` makes the kernel publish one message per
line, each shortly after the last.  Read as they come, every one wakes ick,
is rendered and written on its own: on two cores that is CPU taken from the
kernel, which is the bottleneck of such a flood.  Once messages have kept
arriving back to back, :class:`FloodPacing` has the reader pause a couple of
milliseconds between bursts, so that each wake-up takes whatever queued
meanwhile: a third less of ick's CPU on 30,000 flushed prints, in fewer and
larger terminal writes.  A tiny execution (five messages) never paces, and
pacing stops as soon as a pause finds at most one message waiting.
"""

from __future__ import annotations

#: Bursts starting this soon after the previous one ended count as back to back.
BACK_TO_BACK = 0.001
#: Back-to-back bursts in a row before pacing starts: well over a tiny execution's five.
FLOOD_AFTER = 20
#: The pause between bursts while pacing, in seconds; far below what an eye notices.
PAUSE = 0.002


class FloodPacing:
    """Decides, after each burst of messages read, how long the reader should pause."""

    def __init__(self) -> None:
        self._back_to_back = 0
        self._pacing = False
        self._last_end = 0.0

    def pause_after(self, started: float, ended: float, messages: int) -> float:
        """A burst of ``messages`` was read from ``started`` to ``ended`` (``time.monotonic()``)."""
        if self._pacing:
            # A pause that left one message or none waiting means the flood is over.
            self._pacing = messages > 1
            self._back_to_back = 0
        elif started - self._last_end < BACK_TO_BACK:
            self._back_to_back += 1
            self._pacing = self._back_to_back >= FLOOD_AFTER
        else:
            self._back_to_back = 0
        self._last_end = ended
        return PAUSE if self._pacing else 0.0
