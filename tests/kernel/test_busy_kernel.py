"""A kernel that answers no heartbeat while it computes (IRkernel) is not called dead."""

from __future__ import annotations

from tests.support.terminal import run_ick


def test_a_long_r_computation_is_not_taken_for_a_dead_kernel(ick_env):
    # IRkernel leaves heartbeat pings unanswered until Sys.sleep returns: over 3 missed pings.
    result = run_ick("-k", "ir", "-c", 'Sys.sleep(5); cat("finished\\n")', env=ick_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "finished\n"
