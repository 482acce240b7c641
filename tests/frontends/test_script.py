"""Script mode: files, -c and pipes, through the real command and the real ipykernel."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from tests.support.terminal import ICK, run_ick


def ick_in_background(code: str) -> subprocess.Popen[str]:
    """ick -c CODE running without a terminal, its output read as it comes."""
    return subprocess.Popen(
        [*ICK, "-c", code],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_stdout_carries_only_the_programs_output():
    result = run_ick("-c", "print('a'); 6 * 7")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "a\n42\n"
    assert result.stderr == ""


def test_stderr_gets_the_kernels_stderr():
    result = run_ick("-c", "import sys; print('out'); print('problem', file=sys.stderr)")
    assert (result.stdout, result.stderr, result.returncode) == ("out\n", "problem\n", 0)


def test_a_script_piped_in_runs_as_one_cell():
    result = run_ick(stdin="x = 2\nprint(x * 21)\n")
    assert (result.stdout, result.returncode) == ("42\n", 0)


def test_files_run_in_order_on_one_kernel(tmp_path: Path):
    (tmp_path / "one.py").write_text("shared = 'from one'\n")
    (tmp_path / "two.py").write_text("print(shared)\n")
    result = run_ick(str(tmp_path / "one.py"), str(tmp_path / "two.py"))
    assert (result.stdout, result.returncode) == ("from one\n", 0)


def test_an_error_exits_1_with_the_traceback_on_stderr_and_stops_the_run():
    result = run_ick("-c", "print('before')\nraise ValueError('boom')\nprint('after')")
    assert result.returncode == 1
    assert result.stdout == "before\n"
    assert "ValueError: boom" in result.stderr
    assert "Traceback" in result.stderr and "ick/" not in result.stderr  # the kernel's, not ours


def test_cell_markers_make_one_execution_per_cell_and_show_each_result():
    result = run_ick(stdin="# %%\n1 + 1\n# %% second cell\n2 + 2\n")
    assert (result.stdout, result.returncode) == ("2\n4\n", 0)


def test_the_first_failing_cell_stops_the_run_unless_keep_going():
    script = "# %%\nprint('one')\n# %%\n1/0\n# %%\nprint('three')\n"
    stopped = run_ick(stdin=script)
    assert (stopped.stdout, stopped.returncode) == ("one\n", 1)
    kept_going = run_ick("--keep-going", stdin=script)
    assert (kept_going.stdout, kept_going.returncode) == ("one\nthree\n", 1)
    assert "ZeroDivisionError" in kept_going.stderr


def test_timeout_interrupts_the_kernel_and_exits_124():
    started = time.monotonic()
    result = run_ick("--timeout", "1", "-c", "import time; time.sleep(30)")
    assert result.returncode == 124
    assert time.monotonic() - started < 20
    assert "longer than 1 s" in result.stderr


def test_input_answers_come_from_stdin_when_the_script_is_a_file(tmp_path: Path):
    script = tmp_path / "ask.py"
    script.write_text("name = input('name? ')\ncolour = input('colour? ')\nprint(name, colour)\n")
    result = run_ick(str(script), stdin="Ada\nblue\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "name? colour? Ada blue\n"


def test_input_with_the_script_on_stdin_and_no_terminal_gets_end_of_input():
    result = run_ick(stdin="try:\n    input('? ')\nexcept EOFError:\n    print('got EOF')\n")
    assert (result.stdout, result.returncode) == ("got EOF\n", 0)


def test_input_past_the_end_of_the_answers_is_end_of_input():
    result = run_ick("-c", "print(input())\nprint(input())", stdin="only one\n")
    assert result.returncode == 1
    assert result.stdout == "only one\n"
    assert "EOFError" in result.stderr


def test_colour_only_where_asked():
    code = "print('\\x1b[31mred\\x1b[0m'); raise ValueError('x')"
    plain = run_ick("-c", code)
    assert plain.stdout == "red\n" and "\x1b" not in plain.stderr
    forced = run_ick("--color", "always", "-c", code)
    assert "\x1b[31mred" in forced.stdout and "\x1b[" in forced.stderr


def test_hostile_sequences_never_reach_the_output():
    result = run_ick("--color", "always", "-c", "print('a\\x1b]52;c;cHduZWQ=\\x07b\\x1b[6n')")
    assert result.stdout == "ab\n"


def test_a_kernel_that_dies_exits_3():
    result = run_ick("-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)")
    assert result.returncode == 3
    assert "kernel died" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreadable_file_is_a_usage_error(tmp_path: Path):
    result = run_ick(str(tmp_path / "missing.py"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"ick: cannot read {tmp_path / 'missing.py'}: No such file or directory"
    ]


def test_a_closed_pipe_ends_quietly_and_shuts_the_kernel_down():
    command = " ".join(f"'{part}'" for part in ICK)
    shell = (
        f"{command} -c 'import time\nfor i in range(10**6): print(i)\ntime.sleep(60)' | head -1;"
        " echo status=${PIPESTATUS[0]} >&2"
    )
    before = {p.pid for p in psutil.process_iter()}
    result = subprocess.run(
        ["bash", "-c", shell], capture_output=True, text=True, timeout=60, start_new_session=True
    )
    assert result.stdout == "0\n"
    assert result.stderr.strip() == "status=141"
    leftovers = [
        p
        for p in psutil.process_iter(["cmdline"])
        if p.pid not in before and "ipykernel_launcher" in " ".join(p.info["cmdline"] or [])
    ]
    for proc in leftovers:
        proc.wait(5)


def test_ctrl_c_interrupts_and_exits_130():
    proc = ick_in_background("print('started', flush=True)\nimport time; time.sleep(60)")
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == "started\n"
        started = time.monotonic()
        os.kill(proc.pid, signal.SIGINT)
        assert proc.wait(20) == 130
        assert time.monotonic() - started < 10
    finally:
        proc.kill()


def test_help_documents_the_exit_statuses():
    result = run_ick("--help")
    for status in ("124", "130", "141", "--keep-going", "--timeout", "--color"):
        assert status in result.stdout


def test_python_module_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "ick", "-c", "print('via -m')"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert (result.stdout, result.returncode) == ("via -m\n", 0)


def test_save_records_the_run_as_a_valid_notebook_that_reexecutes_the_same(tmp_path: Path):
    import nbformat
    from nbclient import NotebookClient

    saved = tmp_path / "run.ipynb"
    script = (
        "# %%\nprint('hello')\n"
        "# %%\nfrom IPython.display import display, Markdown\n"
        "display(Markdown('**bold**'))\n6 * 7\n"
        "# %%\nimport sys; print('to stderr', file=sys.stderr)\n"
    )
    result = run_ick("--save", str(saved), stdin=script)
    assert result.returncode == 0, result.stderr
    notebook = nbformat.read(saved, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    assert notebook.metadata.language_info.name == "python"
    assert [cell.execution_count for cell in notebook.cells] == [1, 2, 3]

    def summary(nb) -> list[list[tuple]]:
        return [
            [
                (o.output_type, o.get("name"), o.get("text"), dict(o.get("data", {})))
                for o in cell.outputs
            ]
            for cell in nb.cells
        ]

    recorded = summary(notebook)
    assert recorded[0] == [("stream", "stdout", "hello\n", {})]
    assert recorded[1][0][3]["text/markdown"] == "**bold**"
    assert recorded[1][1][3]["text/plain"] == "42"
    assert recorded[2] == [("stream", "stderr", "to stderr\n", {})]

    rerun = nbformat.read(saved, as_version=4)
    NotebookClient(rerun, kernel_name="python3", timeout=60).execute()
    assert summary(rerun) == recorded


def test_save_keeps_errors_and_stops_where_the_run_stopped(tmp_path: Path):
    import nbformat

    saved = tmp_path / "failed.ipynb"
    result = run_ick("--save", str(saved), stdin="# %%\nx = 1\n# %%\n1/0\n# %%\nprint('never')\n")
    assert result.returncode == 1
    notebook = nbformat.read(saved, as_version=4)
    nbformat.validate(notebook)
    assert len(notebook.cells) == 2
    error = notebook.cells[1].outputs[0]
    assert (error.output_type, error.ename) == ("error", "ZeroDivisionError")


PNG_1X1 = (  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ"
    "AAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_images_in_a_pipe_become_files_named_by_one_line_on_stderr(tmp_path: Path):
    code = (
        "import base64\nfrom IPython.display import Image, display\n"
        f"display(Image(data=base64.b64decode('{PNG_1X1}')))\nprint('after')\n"
    )
    result = run_ick("--image-dir", str(tmp_path / "images"), "-c", code)
    assert result.returncode == 0, result.stderr
    # stdout is the program's output alone; the notice is ick's, on stderr.
    assert result.stdout == "after\n"
    saved = tmp_path / "images" / "output-1.png"
    assert result.stderr == f"[image/png saved to {saved}]\n"
    assert saved.read_bytes().startswith(b"\x89PNG")


def test_images_go_to_a_temporary_folder_by_default():
    code = (
        "import base64\nfrom IPython.display import Image, display\n"
        f"display(Image(data=base64.b64decode('{PNG_1X1}')))\n"
    )
    result = run_ick("-c", code)
    assert result.stdout == ""
    line = result.stderr.strip()
    assert line.startswith("[image/png saved to ") and line.endswith(".png]")
    path = Path(line.removeprefix("[image/png saved to ").removesuffix("]"))
    assert path.read_bytes().startswith(b"\x89PNG")
    path.unlink()
    path.parent.rmdir()


PLOT_AFTER_CSV = (
    "import pandas as pd, matplotlib.pyplot as plt\n"
    "frame = pd.DataFrame({'a': [1, 2], 'b': [3, 4]})\n"
    "print(frame.to_csv(index=False), end='')\n"
    "plt.plot(frame.a, frame.b)\nplt.show()\n"
)


def test_a_plot_leaves_a_csv_on_stdout_intact_and_never_overwrites_a_file(tmp_path: Path):
    images = tmp_path / "images"
    first = run_ick("--image-dir", str(images), "-c", PLOT_AFTER_CSV)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "a,b\n1,3\n2,4\n"
    assert first.stderr == f"[image/png saved to {images / 'output-1.png'}]\n"
    plot = (images / "output-1.png").read_bytes()
    # A second run into the same folder takes the next free name.
    second = run_ick("--image-dir", str(images), "-c", PLOT_AFTER_CSV)
    assert second.stderr == f"[image/png saved to {images / 'output-2.png'}]\n"
    assert (images / "output-1.png").read_bytes() == plot
    assert sorted(path.name for path in images.iterdir()) == ["output-1.png", "output-2.png"]


def test_an_image_dir_that_cannot_be_made_is_one_line_not_a_traceback(tmp_path: Path):
    (tmp_path / "file").write_text("not a folder")
    images = tmp_path / "file" / "images"
    result = run_ick("--image-dir", str(images), "-c", PLOT_AFTER_CSV)
    assert result.stdout == "a,b\n1,3\n2,4\n"
    assert result.stderr.startswith(f"[image/png not saved: cannot make {images}: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_sympy_result_in_a_script_is_its_formula_not_an_image_file(tmp_path: Path):
    code = (
        "import sympy as sp\nsp.init_printing()\nx = sp.symbols('x')\n"
        "display(sp.integrate(sp.sin(x)**2, x))\n"
    )
    result = run_ick("--image-dir", str(tmp_path), "-c", code)
    assert result.returncode == 0, result.stderr
    assert [line.rstrip() for line in result.stdout.splitlines()] == [
        "x   sin(x)⋅cos(x)",
        "─ - ─────────────",
        "2         2",
    ]
    assert result.stderr == "" and list(tmp_path.iterdir()) == []


def test_input_with_the_script_on_stdin_asks_the_controlling_terminal(ick_env):
    import pexpect

    command = " ".join(f"'{part}'" for part in ICK)
    script = "print('hello, ' + input('who? '))"
    child = pexpect.spawn(
        "bash",
        ["-c", f'echo "{script}" | {command}'],
        env=ick_env,
        encoding="utf-8",
        dimensions=(24, 80),
    )
    child.delaybeforesend = None
    child.expect("who\\? ", timeout=30)
    child.send("Ada\r")
    child.expect("hello, Ada", timeout=30)
    child.expect(pexpect.EOF, timeout=30)
    child.close()
    assert child.exitstatus == 0


def test_a_second_ctrl_c_ends_a_run_the_kernel_will_not_stop():
    # The cell ignores SIGINT, which is how ipykernel is interrupted: the kernel will not stop.
    proc = ick_in_background(
        "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
        "print('deaf', flush=True)\ntime.sleep(600)"
    )
    try:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline() == "deaf\n"
        os.kill(proc.pid, signal.SIGINT)
        time.sleep(0.5)  # a person's second press: two signals at once would merge into one
        os.kill(proc.pid, signal.SIGINT)
        assert proc.wait(20) == 130
        assert "Traceback" not in proc.stderr.read()
    finally:
        # SIGTERM first: ick then ends its kernel, which a failed run would otherwise leave
        # sleeping, deaf to the interrupt.
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_ctrl_c_pressed_again_while_ick_shuts_the_kernel_down_shows_no_traceback():
    proc = ick_in_background("print('sleeping', flush=True); import time; time.sleep(60)")
    try:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline() == "sleeping\n"
        # An impatient user: Ctrl-C again and again, so that presses land while the kernel is
        # interrupted, while the run ends and while ick shuts the kernel down.
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(0.05)
        # 130, or killed by the SIGINT that came after ick let go of it: a shell says 130.
        assert proc.wait(10) in (130, -signal.SIGINT)
        stderr = proc.stderr.read()
        assert "CancelledError" not in stderr and 'File "' not in stderr, stderr
    finally:
        proc.kill()
