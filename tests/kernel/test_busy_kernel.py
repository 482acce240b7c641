"""A kernel that answers no heartbeat while it computes (IRkernel) is not called dead."""

from __future__ import annotations

import subprocess

from ..conftest import ICK


def test_a_long_r_computation_is_not_taken_for_a_dead_kernel(ick_env):
    # IRkernel leaves heartbeat pings unanswered until Sys.sleep returns: over 3 missed pings.
    result = subprocess.run(
        [*ICK, "-k", "ir", "-c", 'Sys.sleep(5); cat("finished\\n")'],
        capture_output=True,
        text=True,
        timeout=120,
        env=ick_env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "finished\n"
