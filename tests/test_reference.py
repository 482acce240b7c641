"""One source for reference text: README's tables, ``--help`` and ``)help`` come from the
tables in the code, and the code is clean by the project's checkers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ick.errors import ExitStatus
from ick.frontends.repl.reference import (
    COMMANDS,
    KEYS,
    full_help,
    markdown_commands_table,
    markdown_keys_table,
)
from tests.support.terminal import run_ick

ROOT = Path(__file__).resolve().parent.parent


def markdown_exit_status_table() -> str:
    pipe = "\\|"  # a | inside a cell
    rows = [
        f"| {status.value} | {status.description.replace('|', pipe)} |" for status in ExitStatus
    ]
    return "\n".join(["| status | meaning |", "|---|---|", *rows])


def test_readmes_tables_are_the_generated_ones():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table in (markdown_keys_table(), markdown_commands_table(), markdown_exit_status_table()):
        assert table in readme, f"README's table is not the generated one; it should read:\n{table}"


def test_help_and_the_help_command_name_every_key_command_and_status():
    help_text = " ".join(run_ick("--help").stdout.split())
    shown = " ".join(full_help().split())
    for key in KEYS:
        assert key.keys in help_text and key.keys in shown
    for command in COMMANDS:
        assert command.usage in help_text and command.usage in shown
        assert command.keys in help_text and command.keys in shown
    for status in ExitStatus:
        assert " ".join(status.description.split()) in help_text
    # The keys )help once left out.
    for key in ("Shift-Tab", "F1", "Ctrl-L"):
        assert key in shown


def test_ruff_and_mypy_are_clean():
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "ick", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
