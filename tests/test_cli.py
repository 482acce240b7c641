"""The command line: options, listing, and one-line errors with documented statuses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ick import __version__
from tests.support.kernels import write_kernelspec
from tests.support.terminal import run_ick


def test_version():
    result = run_ick("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"ick {__version__}"


def test_help_documents_options_and_exit_statuses():
    result = run_ick("--help")
    assert result.returncode == 0
    for text in ("--kernel", "--list-kernels", "exit status", "Esc Enter", "130"):
        assert text in result.stdout


def test_list_kernels_shows_name_language_and_display_name():
    result = run_ick("--list-kernels")
    assert result.returncode == 0
    rows = [line.split(None, 2) for line in result.stdout.splitlines()]
    assert ["python3", "python", "Python 3 (ipykernel)"] in rows


def test_unknown_kernel_exits_2_with_one_line_naming_the_installed_ones():
    result = run_ick("--kernel", "no-such-kernel")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "no-such-kernel" in lines[0] and "python3" in lines[0]
    assert "Traceback" not in result.stderr


def test_an_unknown_mime_type_in_mime_order_is_a_usage_error_naming_the_known_ones():
    result = run_ick("--mime-order", "text/html,text/nonsense", "-c", "1")
    assert result.returncode == 2
    assert result.stdout == ""
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ick cannot render 'text/nonsense'" in last_line
    assert "text/markdown" in last_line


@pytest.mark.slow  # starts a kernel
def test_mime_order_chooses_the_representation_a_script_prints():
    code = "from IPython.display import HTML; HTML('<b>bold</b> text')"
    assert run_ick("-c", code).stdout == "bold text\n"  # its text/plain is a bare repr
    code = "import pandas as pd; pd.DataFrame({'a': [1]})"
    assert run_ick("-c", code).stdout == "   a\n0  1\n"
    html_first = run_ick("--mime-order", "text/html", "-c", code).stdout
    assert html_first.split() == ["a", "─" * len(html_first.split()[1]), "0", "1"]


def test_jupyter_subcommand():
    jupyter = shutil.which("jupyter", path=os.path.dirname(sys.executable)) or shutil.which(
        "jupyter"
    )
    if jupyter is None:
        pytest.fail("the jupyter command is not installed beside the test interpreter")
    result = subprocess.run(
        [jupyter, "ick", "--version"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ick {__version__}"


def broken_kernelspec(tmp_path: Path, name: str, argv: list[str]) -> dict[str, str]:
    """A real kernelspec that is broken in a real way, on a private JUPYTER_PATH."""
    write_kernelspec(tmp_path, name, {"argv": argv, "display_name": name, "language": "python"})
    return dict(os.environ, JUPYTER_PATH=str(tmp_path))


def test_a_kernel_that_exits_at_start_gets_a_clear_message_and_status_3(spawn_ick, tmp_path):
    env = broken_kernelspec(
        tmp_path,
        "crashes",
        [sys.executable, "-c", "import sys; sys.exit('no module named kernel_thing')"],
    )
    term = spawn_ick("--kernel", "crashes", env={**env, "PROMPT_TOOLKIT_NO_CPR": "1"})
    term.expect(r"ick: the crashes kernel exited during start-up: no module named kernel_thing")
    assert term.wait_exit() == 3
    assert "Traceback" not in term.text


def test_a_kernel_that_never_answers_times_out_with_status_3(spawn_ick, tmp_path):
    env = broken_kernelspec(
        tmp_path, "silent", [sys.executable, "-c", "import time; time.sleep(600)"]
    )
    term = spawn_ick("--kernel", "silent", "--startup-timeout", "2", env={**env})
    term.expect(r"ick: the silent kernel did not answer kernel_info in time")
    assert term.wait_exit() == 3
    assert "Traceback" not in term.text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--token", "t"), "--token needs --server URL"),
        (("--kernel-env", "A=1"), "--kernel-env needs --server URL"),
        (("--ssh", "host"), "--ssh needs --existing"),
        (("--server", "http://127.0.0.1:1/", "--existing"), "cannot be used together"),
        (("--server", "http://h/", "--attach", "x", "-k", "ir"), "cannot be used together"),
        (("--server", "http://127.0.0.1:notaport/"), "bad port"),
        (("--server", "http://127.0.0.1:1/", "--watch"), "--watch needs a running kernel"),
    ],
)
def test_remote_options_used_wrongly_are_one_line_and_status_2(args, words):
    result = run_ick(*args, "-c", "1")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr


def test_a_kernel_env_without_equals_is_a_usage_error():
    result = run_ick("--server", "http://127.0.0.1:1/", "--kernel-env", "NOEQUALS", "-c", "1")
    assert result.returncode == 2
    assert "not NAME=VALUE" in result.stderr
