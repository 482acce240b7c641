"""A script that ends itself exits as ``python`` would: the status SystemExit carries, no
warning, nothing after it runs; real ipykernel, xeus-python and IRkernel."""

from __future__ import annotations

from pathlib import Path

import pytest

from ick.frontends.shared.program_exit import ProgramExit, exit_of
from tests.support.terminal import make_env, run_ick

CASES = [
    # (code, status, stderr)
    ("import sys; print('ran'); sys.exit(3)\nprint('after')", 3, ""),
    ("import sys; print('ran'); sys.exit(0)\nprint('after')", 0, ""),
    ("print('ran'); raise SystemExit\nprint('after')", 0, ""),
    ("print('ran')\nexit()\nprint('after')", 0, ""),
    ("print('ran')\nquit(4)\nprint('after')", 4, ""),
    ("import sys; print('ran'); sys.exit('bye')\nprint('after')", 1, "bye\n"),
]


@pytest.mark.parametrize(("code", "status", "stderr"), CASES)
def test_a_python_script_that_exits_gets_pythons_status_and_stops(code, status, stderr):
    result = run_ick("-c", code)
    assert (result.stdout, result.stderr, result.returncode) == ("ran\n", stderr, status)


@pytest.mark.parametrize(("code", "status", "stderr"), [CASES[0], CASES[4]])
def test_the_same_on_xeus_python(code, status, stderr, tmp_path: Path):
    result = run_ick("-k", "xpython", "-c", code, env=make_env(tmp_path))
    assert (result.stdout, result.stderr, result.returncode) == ("ran\n", stderr, status)


def test_an_exit_in_one_cell_means_the_next_cells_do_not_run():
    result = run_ick("-c", "print('one')\n# %%\nimport sys; sys.exit(5)\n# %%\nprint('three')")
    assert (result.stdout, result.stderr, result.returncode) == ("one\n", "", 5)


def test_the_kernels_ask_exit_ends_the_script_with_status_0(tmp_path: Path):
    # IRkernel's q() asks the front end to end (the ask_exit payload); its status= is ignored.
    script = tmp_path / "quits.R"
    script.write_text("cat('one\\n')\n# %%\nq(status = 5)\n# %%\ncat('three\\n')\n")
    result = run_ick(str(script), env=make_env(tmp_path))
    assert (result.stdout, result.returncode) == ("one\n", 0), result.stderr


def test_an_error_is_still_an_error():
    result = run_ick("-c", "raise KeyError('k')")
    assert result.returncode == 1 and "KeyError" in result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ProgramExit(status=0)),
        ("None", ProgramExit(status=0)),
        ("3", ProgramExit(status=3)),
        ("256", ProgramExit(status=0)),
        ("-1", ProgramExit(status=255)),
        ("bye", ProgramExit(status=1, message="bye")),
    ],
)
def test_the_status_is_pythons_for_each_systemexit_value(value, expected):
    assert exit_of(value) == expected
