"""scripts/setup-dev where a part cannot be installed: one line on stderr naming the part and
why, and a failure, so that README's test command never runs the tests half set up.

Each case runs a copy of the real script in a folder of its own, on a machine made to lack
something: no apt-get on PATH (and no dpkg, so every Debian package counts as missing), no root
and no sudo, no network (a network namespace with nothing but loopback).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "setup-dev"
#: What the script needs up to its first install step, and nothing of apt, dpkg or sudo.
BASIC_TOOLS = ("bash", "dirname", "mkdir", "id", "cat", "grep", "tail", "cut", "env")


def checkout(folder: Path) -> Path:
    """A checkout of just the script, so that what it makes stays in ``folder``."""
    (folder / "scripts").mkdir(parents=True)
    shutil.copy(SCRIPT, folder / "scripts" / "setup-dev")
    return folder / "scripts" / "setup-dev"


def path_without_packaging(folder: Path) -> str:
    """A PATH with the basic tools only."""
    tools = folder / "bin"
    tools.mkdir()
    for tool in BASIC_TOOLS:
        found = shutil.which(tool)
        assert found, f"{tool} is needed to run setup-dev"
        (tools / tool).symlink_to(found)
    return str(tools)


def run(
    script: Path, env: dict[str, str], prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, "bash", str(script)],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_one_line_failure(result: subprocess.CompletedProcess[str], *said: str) -> None:
    assert result.returncode == 1, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("setup-dev: "), lines
    for words in said:
        assert words in lines[0], lines[0]


def test_without_apt_it_says_so_in_one_line(tmp_path: Path):
    script = checkout(tmp_path / "checkout")
    result = run(script, {"PATH": path_without_packaging(tmp_path)})
    assert_one_line_failure(result, "apt: cannot install", "xvfb", "no apt-get here")


def test_not_root_and_no_sudo_says_so_in_one_line(tmp_path: Path):
    # As root, the script runs as nobody, in a folder nobody can reach and write (pytest's own
    # folders are private to root); it keeps its logs in the checkout.
    with tempfile.TemporaryDirectory() as shared:
        folder = Path(shared) if os.geteuid() == 0 else tmp_path
        script = checkout(folder / "checkout")
        tools = path_without_packaging(folder)
        (Path(tools) / "apt-get").symlink_to("/bin/false")  # apt is there; the rights are not
        prefix: tuple[str, ...] = ()
        if os.geteuid() == 0:
            for path in (folder, *folder.rglob("*")):
                if not path.is_symlink():
                    path.chmod(0o777 if path.is_dir() else 0o755)
            setpriv = shutil.which("setpriv")
            assert setpriv, "as root, this test needs setpriv (util-linux) to drop root"
            prefix = (setpriv, "--reuid=65534", "--regid=65534", "--clear-groups")
        result = run(script, {"PATH": tools}, prefix)
    assert_one_line_failure(result, "apt: cannot install", "not root, and there is no sudo")


@pytest.mark.slow
def test_without_network_the_first_download_says_so_in_one_line(tmp_path: Path):
    if shutil.which("unshare") is None:
        pytest.fail("this test needs unshare (util-linux) for a namespace without network")
    script = checkout(tmp_path / "checkout")
    # Loopback only; pip gives up at once instead of retrying.
    env = {**os.environ, "PIP_RETRIES": "0", "PIP_TIMEOUT": "2", "PYTHON": sys.executable}
    prefix = ("unshare", "-n") if os.geteuid() == 0 else ("unshare", "-rn")
    result = run(script, env, prefix)
    # The first part that downloads says so: pip here, apt where a Debian package is missing.
    assert_one_line_failure(result, ": cannot install", "a download failed (no network?)")
