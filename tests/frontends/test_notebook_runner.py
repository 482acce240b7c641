"""``ick notebook.ipynb``: the code cells run in order on the notebook's kernel, as
``jupyter execute`` runs them; real ipykernel and IRkernel, notebooks written with nbformat."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from ick.errors import ExitStatus
from tests.support.terminal import make_env, run_ick


def write_notebook(path: Path, kernel: str, language: str, *cells) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata.kernelspec = {"name": kernel, "display_name": kernel, "language": language}
    notebook.cells = list(cells)
    nbformat.write(notebook, path)
    return path


code = nbformat.v4.new_code_cell
markdown = nbformat.v4.new_markdown_cell


def test_cells_run_in_order_on_the_kernel_the_metadata_names_unless_k(tmp_path: Path):
    # The same cell means something in R and in Python: which kernel ran it shows.
    notebook = write_notebook(tmp_path / "r.ipynb", "ir", "R", code("print(1 + 1)"), code("3"))
    env = make_env(tmp_path)
    result = run_ick(str(notebook), env=env)
    assert (result.stdout, result.returncode) == ("[1] 2\n[1] 3\n", 0), result.stderr
    result = run_ick("-k", "python3", str(notebook), env=env)
    assert (result.stdout, result.returncode) == ("2\n3\n", 0), result.stderr


def test_the_first_error_stops_the_run_unless_keep_going(tmp_path: Path):
    notebook = write_notebook(
        tmp_path / "fails.ipynb",
        "python3",
        "python",
        markdown("# print('markdown is not run')"),
        code("print('one')"),
        code(""),  # an empty cell is skipped, as jupyter execute does
        code("raise ValueError('boom')"),
        code("print('after')"),
    )
    result = run_ick(str(notebook))
    assert (result.stdout, result.returncode) == ("one\n", ExitStatus.ERROR)
    assert "ValueError: boom" in result.stderr
    result = run_ick("--keep-going", str(notebook))
    assert (result.stdout, result.returncode) == ("one\nafter\n", ExitStatus.ERROR)


def test_save_writes_the_notebook_back_executed(tmp_path: Path):
    notebook = write_notebook(
        tmp_path / "analysis.ipynb",
        "python3",
        "python",
        markdown("Some *prose*."),
        code("x = 6\nprint('six')"),
        code("x * 7"),
        code("raise ValueError('boom')"),
        code("print('never')"),
    )
    executed = tmp_path / "executed.ipynb"
    result = run_ick("--save", str(executed), str(notebook))
    assert result.returncode == ExitStatus.ERROR
    saved = nbformat.read(executed, as_version=4)
    nbformat.validate(saved)
    original = nbformat.read(notebook, as_version=4)
    assert [cell.id for cell in saved.cells] == [cell.id for cell in original.cells]
    prose, six, answer, boom, never = saved.cells
    assert prose.source == "Some *prose*."
    assert (six.execution_count, six.outputs[0].text) == (1, "six\n")
    assert (answer.execution_count, answer.outputs[0].data["text/plain"]) == (2, "42")
    assert (boom.execution_count, boom.outputs[0].ename) == (3, "ValueError")
    assert (never.execution_count, never.outputs) == (None, [])  # not reached
    assert saved.metadata.language_info.name == "python"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"cells": [', r"not JSON"),
        ('{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}', r"nbformat 3"),
        ('{"nbformat": 4, "metadata": {}, "cells": [{"cell_type": "code"}]}', r"cell 1"),
        ("[1, 2]", r"no nbformat version"),
    ],
)
def test_a_file_that_is_not_a_notebook_is_one_line_and_exit_2(tmp_path: Path, text, reason):
    path = tmp_path / "broken.ipynb"
    path.write_text(text, encoding="utf-8")
    result = run_ick(str(path))
    assert result.returncode == ExitStatus.USAGE
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ick: {path} is not a notebook"), lines
    assert reason in lines[0]
