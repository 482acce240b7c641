"""A flood of separately flushed prints is read in paced batches, and nothing is lost."""

from __future__ import annotations

from ick.kernel.pacing import BACK_TO_BACK, FLOOD_AFTER, PAUSE, FloodPacing
from tests.support.terminal import run_ick


class Reader:
    """A reader's bursts on a clock of its own: ``pacing`` decides the pause after each."""

    def __init__(self) -> None:
        self.pacing = FloodPacing()
        self.now = 1000.0

    def bursts(self, sizes: list[int], gap: float) -> list[float]:
        """The pauses asked for after bursts of ``sizes`` messages, ``gap`` s apart."""
        pauses = []
        for size in sizes:
            started = self.now = self.now + gap
            self.now += 0.0001 * size  # reading and rendering take a while
            pauses.append(self.pacing.pause_after(started, self.now, size))
        return pauses


def test_a_tiny_execution_is_never_paced():
    reader = Reader()
    # busy, execute_input, stream, execute_reply (shell), idle: one message each, back to back
    for _ in range(3):
        assert reader.bursts([1] * 5, gap=BACK_TO_BACK / 10) == [0.0] * 5
        assert reader.bursts([1], gap=0.5) == [0.0]  # the user types the next one


def test_a_sustained_flood_is_paced_until_a_pause_finds_it_over():
    reader = Reader()
    assert reader.bursts([1], gap=1.0) == [0.0]  # the first message of the flood
    pauses = reader.bursts([1] * FLOOD_AFTER, gap=BACK_TO_BACK / 10)
    assert pauses[:-1] == [0.0] * (FLOOD_AFTER - 1) and pauses[-1] == PAUSE
    # Each pause lets a batch queue: pacing goes on while batches come ...
    assert reader.bursts([40, 35, 2], gap=PAUSE) == [PAUSE, PAUSE, PAUSE]
    # ... and ends when a pause leaves one message or none.
    assert reader.bursts([1], gap=PAUSE) == [0.0]
    assert reader.bursts([1, 1], gap=0.2) == [0.0, 0.0]


def test_every_flushed_line_of_a_flood_arrives_in_order(ick_env):
    result = run_ick("-c", "for i in range(20000): print(i, flush=True)", env=ick_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "".join(f"{i}\n" for i in range(20000))
