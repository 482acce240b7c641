"""The kernel process ick starts itself: the command, environment and connection file a
kernel gets, as jupyter_client would give them, and the kernelspecs it is found by."""

from __future__ import annotations

import asyncio
import json
import os
import stat
import sys
from pathlib import Path

import psutil
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from ick.kernel.errors import NoSuchKernel
from ick.kernel.local import LocalKernel
from ick.kernel.process import kernel_command, kernel_environment
from ick.kernel.specs import KernelSpec, all_kernel_specs, find_kernel_spec
from tests.support.kernels import local_kernel_pid
from tests.support.terminal import run_ick


def write_spec(folder: Path, name: str, spec: dict[str, object]) -> Path:
    (folder / name).mkdir(parents=True)
    (folder / name / "kernel.json").write_text(json.dumps(spec))
    return folder / name


def spec(**fields: object) -> KernelSpec:
    json_spec: dict[str, object] = {"argv": ["python", "-m", "k", "-f", "{connection_file}"]}
    json_spec.update(fields)
    return KernelSpec.from_json("k", Path("/specs/k"), json_spec)


@pytest.fixture
def kernel_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two folders on JUPYTER_PATH, first one first, and private data and IPython folders."""
    first, second = tmp_path / "first" / "kernels", tmp_path / "second" / "kernels"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    monkeypatch.setenv("JUPYTER_PATH", os.pathsep.join([str(first.parent), str(second.parent)]))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    return first, second


def test_the_command_is_the_kernelspecs_with_jupyter_clients_substitutions():
    command = kernel_command(
        spec(
            argv=[
                "python",
                "{resource_dir}/run",
                "{prefix}",
                "{other}",
                "~/x",
                "-f",
                "{connection_file}",
            ]
        ),
        Path("/tmp/kernel-1.json"),
    )
    assert command == [
        sys.executable,  # "python" is the Python ick runs on, not the first one on PATH
        "/specs/k/run",
        sys.prefix,
        "{other}",
        os.path.expanduser("~/x"),
        "-f",
        os.path.realpath("/tmp/kernel-1.json"),
    ]
    assert kernel_command(spec(argv=["deno", "jupyter"]), Path("/c.json"))[0] == "deno"


def test_the_environment_is_ours_with_the_kernelspecs_filled_in():
    base = {
        "HOME": "/home/me",
        "PYTHONEXECUTABLE": "/other/python",
        "KEEP": "1",
        "JPY_PARENT_PID": "7",
    }
    env = kernel_environment(spec(language="python", env={"DATA": "${HOME}/data"}), base)
    assert env["DATA"] == "/home/me/data" and env["KEEP"] == "1"
    assert "PYTHONEXECUTABLE" not in env  # it would run another interpreter
    # Not tied to ick's life (ipykernel exits when that process does): it may be kept running.
    assert "JPY_PARENT_PID" not in env
    assert kernel_environment(spec(language="R"), base)["PYTHONEXECUTABLE"] == "/other/python"


def test_kernelspecs_are_found_where_jupyter_client_finds_them(kernel_folders, tmp_path):
    first, second = kernel_folders
    write_spec(first, "Mine", {"argv": ["a"], "display_name": "First", "language": "x"})
    write_spec(second, "mine", {"argv": ["b"], "display_name": "Second", "language": "x"})
    write_spec(second, "other", {"argv": ["c"], "language": "y"})
    write_spec(tmp_path / "ipython" / "kernels", "legacy", {"argv": ["d"], "language": "z"})
    (second / "no-kernel-json").mkdir()
    write_spec(second, "odd name", {"argv": ["e"]})  # jupyter_client warns, and lists it

    found = {spec.name: spec for spec in all_kernel_specs()}
    assert set(found) == set(KernelSpecManager().find_kernel_specs())
    assert {"mine", "other", "legacy"} <= set(found)
    assert "no-kernel-json" not in found
    # The first folder wins, and names are looked up in any case.
    assert find_kernel_spec("MINE").display_name == "First"
    assert find_kernel_spec("legacy").argv == ("d",)


def test_an_unknown_kernel_names_the_installed_ones(kernel_folders):
    write_spec(kernel_folders[0], "present", {"argv": ["a"]})
    with pytest.raises(
        NoSuchKernel, match=r"no kernel named 'absent'; installed kernels: .*present"
    ):
        find_kernel_spec("absent")


def test_a_broken_kernelspec_is_one_line_and_a_usage_error(tmp_path):
    folder = tmp_path / "share" / "kernels"
    write_spec(folder, "good", {"argv": ["true"]})
    (folder / "good" / "kernel.json").write_text("{not json")
    write_spec(folder, "empty", {"display_name": "no argv"})
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path / "share")}
    for name, reason in (("good", "not valid JSON"), ("empty", "has no command")):
        result = run_ick("-k", name, "-c", "1", env=env)
        assert result.returncode == 2, result
        assert result.stderr.count("\n") == 1 and reason in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_a_kernel_that_cannot_be_started_says_why(tmp_path):
    write_spec(tmp_path / "share" / "kernels", "ghost", {"argv": ["no-such-kernel-program"]})
    result = run_ick(
        "-k", "ghost", "-c", "1", env={**os.environ, "JUPYTER_PATH": str(tmp_path / "share")}
    )
    assert result.returncode != 0
    assert result.stderr.startswith("ick: could not start the ghost kernel: "), result.stderr
    assert "no-such-kernel-program" in result.stderr and result.stderr.count("\n") == 1


def test_the_kernel_sees_its_kernelspecs_environment(tmp_path):
    python3 = find_kernel_spec("python3")
    write_spec(
        tmp_path / "share" / "kernels",
        "python-env",
        {"argv": list(python3.argv), "language": "python", "env": {"ICK_SEEN": "${ICK_BASE}-x"}},
    )
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path / "share"), "ICK_BASE": "base"}
    result = run_ick("-k", "python-env", "-c", "import os; print(os.environ['ICK_SEEN'])", env=env)
    assert (result.returncode, result.stdout) == (0, "base-x\n"), result.stderr


def test_the_connection_file_is_private_in_the_runtime_folder_and_goes_with_the_kernel(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    asyncio.run(connection_file_goes_with_the_kernel(tmp_path))


async def connection_file_goes_with_the_kernel(tmp_path: Path) -> None:
    kernel = await LocalKernel.launch("python3")
    try:
        await kernel.wait_ready(60)
        path = kernel.process.connection_file
        assert path.parent == tmp_path / "runtime" and path.name.startswith("kernel-")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        info = json.loads(path.read_text())
        assert info["kernel_name"] == "python3" and info["ip"] == "127.0.0.1"
        process = psutil.Process(local_kernel_pid(kernel))
    finally:
        await kernel.shutdown()
    assert not path.exists()
    assert not process.is_running() or process.status() == psutil.STATUS_ZOMBIE


def test_a_kernel_kept_running_keeps_its_connection_file(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    asyncio.run(kept_kernel_keeps_its_file())


async def kept_kernel_keeps_its_file() -> None:
    kernel = await LocalKernel.launch("python3")
    process = psutil.Process(local_kernel_pid(kernel))
    try:
        await kernel.wait_ready(60)
        assert kernel.keep_running() == f"ick --existing {kernel.process.connection_file}"
        await kernel.shutdown()
        assert kernel.process.connection_file.exists()
        assert process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    finally:
        process.kill()


def test_a_runtime_folder_that_cannot_be_written_is_one_line(tmp_path):
    runtime = tmp_path / "runtime"
    runtime.write_text("a file where the folder should be")  # unwritable even for root
    result = run_ick("-c", "1", env={**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)})
    assert result.returncode != 0
    assert result.stderr.startswith("ick: could not start the python3 kernel: cannot write its")
    assert result.stderr.count("\n") == 1, result.stderr
