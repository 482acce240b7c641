"""Loads the tests' one fixture plugin; the harness itself is in tests/support/, and tests
import what they use from there (``from tests.support.terminal import PROMPT, run_ick``)."""

pytest_plugins = ["tests.support.fixtures"]
