"""One source for reference text: README's tables, ``--help`` and ``)help`` come from the
tables in the code, and the code is clean by the project's checkers."""

from __future__ import annotations

import re
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
    for table in (markdown_keys_table(), markdown_commands_table()):
        assert table in readme, f"README's table is not the generated one; it should read:\n{table}"
    exits = (ROOT / "docs" / "exit-status.md").read_text(encoding="utf-8")
    table = markdown_exit_status_table()
    assert table in exits, f"docs/exit-status.md's table should read:\n{table}"


def readme_commands() -> list[str]:
    """The command lines of README's ``sh`` blocks, in order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```sh\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_command():
    install, test = readme_commands()[:2]
    assert install == "pip install . && ick"
    assert test.startswith("scripts/setup-dev && ") and test.endswith("python -m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    steps = [line for line in ci if line.strip() and not line.startswith(("#", "set ", "cd "))]
    assert steps == [test], f".ci/run must run exactly README's test command: {test}"


def anchors(document: Path) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings."""
    headings = re.findall(r"^#+ (.+)$", document.read_text(encoding="utf-8"), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


def test_every_link_between_the_documents_leads_somewhere():
    documents = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").glob("*.md")]
    for document in documents:
        text = document.read_text(encoding="utf-8")
        for target, anchor in re.findall(r"\]\(([^)#:]+)(?:#([^)]*))?\)", text):
            path = (document.parent / target).resolve()
            assert path.exists(), f"{document.name} links to {target}, which is not there"
            if anchor:
                assert anchor in anchors(path), f"{document.name}: no #{anchor} in {target}"


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
    # The keys )help once left out (Ctrl-L written C-l, as every Ctrl key of a command).
    for key in ("Shift-Tab", "F1", "C-l"):
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
