"""Widgets in script mode: the real ``ick -c`` with ipywidgets 8 and tqdm beside its kernel."""

from __future__ import annotations

import nbformat

from tests.support.terminal import run_ick

TQDM_BETWEEN_PRINTS = """\
from tqdm.auto import tqdm
print('before')
for i in tqdm(range(100), desc='work'):
    pass
print('after')
"""


def test_into_a_pipe_a_tqdm_auto_bar_is_one_line_in_its_final_state():
    result = run_ick("-c", TQDM_BETWEEN_PRINTS)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == "before" and lines[2] == "after" and lines[3:] == [""]
    bar = lines[1]
    assert bar.startswith("work: 100%|██████") and "| 100/100 [" in bar and bar.endswith("it/s]")
    assert "HBox(" not in result.stdout and "\x1b" not in result.stdout
    assert result.stderr == ""


def test_on_a_terminal_the_bar_moves_in_place_and_ends_at_100(spawn_ick):
    term = spawn_ick("-c", TQDM_BETWEEN_PRINTS)
    term.expect(r"before\n")
    term.expect(r"work: 100%\|█+\| 100/100 \[[^\n]*\n+after\n")
    assert term.wait_exit() == 0
    assert "HBox(" not in term.text
    # Redrawn where it stands at most ten times a second, not once per update.
    assert term.raw.count("/100 [") < 100


def test_save_in_script_mode_validates_and_carries_the_widget_state(tmp_path):
    path = tmp_path / "run.ipynb"
    code = (
        "import ipywidgets as w\n"
        "p = w.IntProgress(value=7, max=10); out = w.Output(); display(p, out)\n"
        "with out:\n    print('kept in the widget')\n"
    )
    result = run_ick("--save", str(path), "-c", code)
    assert result.returncode == 0, result.stderr
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    models = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    (bar,) = [m for m in models.values() if m["model_name"] == "IntProgressModel"]
    assert bar["state"]["value"] == 7
    (output,) = [m for m in models.values() if m["model_name"] == "OutputModel"]
    assert output["state"]["outputs"][0]["text"] == "kept in the widget\n"
    assert "kept in the widget" not in str(notebook.cells[0].outputs)
