"""Loads the tests' one fixture plugin; the harness itself is in tests/support/.

New tests import what they use from there (``from tests.support.terminal import PROMPT,
run_ick``).  The names below are kept for tests written against the conftest that held the
harness before it moved, until those are merged and changed.
"""

from __future__ import annotations

from tests.support.terminal import (  # noqa: F401 (kept for older tests' imports)
    ICK,
    PROJECT_KERNELS,
    Terminal,
    kill_terminal,
    make_env,
    run_ick,
    spawn_terminal,
    visible,
)

pytest_plugins = ["tests.support.fixtures"]
