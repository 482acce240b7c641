"""``--existing --ssh HOST``: a kernel's five ports reached through SSH tunnels.

A real OpenSSH server runs on 127.0.0.1 with its own host key, accepting
only a key made for the test; the ``ssh`` that ick runs finds its settings
through a wrapper first on PATH (ssh reads ``~/.ssh/config`` from
the password database, not from $HOME, so the test cannot point it there).
"""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from jupyter_client import BlockingKernelClient, KernelManager

from tests.support.servers import free_port
from tests.support.terminal import ICK, PROMPT

SSHD = Path("/usr/sbin/sshd")


@dataclass
class SshServer:
    host: str
    path: str  # PATH with the configured ssh wrapper first


@pytest.fixture
def ssh_server(tmp_path: Path) -> Iterator[SshServer]:
    if not SSHD.exists() or shutil.which("ssh") is None:
        pytest.fail("the --ssh test needs OpenSSH: apt-get install openssh-server openssh-client")
    if not Path("/run/sshd").is_dir():
        if os.geteuid() != 0:
            pytest.fail("sshd needs /run/sshd: create it as root (mkdir -p /run/sshd)")
        Path("/run/sshd").mkdir(mode=0o755, parents=True)
    folder = tmp_path / "ssh"
    folder.mkdir()
    for key in ("host_key", "id_ed25519"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / key)], check=True
        )
    shutil.copy(folder / "id_ed25519.pub", folder / "authorized_keys")
    port = free_port()
    (folder / "sshd_config").write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {folder}/host_key\n"
        f"PidFile {folder}/sshd.pid\nAuthorizedKeysFile {folder}/authorized_keys\n"
        "StrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
        "PermitRootLogin prohibit-password\nUsePAM no\nAllowTcpForwarding yes\n"
    )
    (folder / "ssh_config").write_text(
        f"Host icktest\n  HostName 127.0.0.1\n  Port {port}\n  User {getpass.getuser()}\n"
        f"  IdentityFile {folder}/id_ed25519\n  IdentitiesOnly yes\n  BatchMode yes\n"
        "  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n"
    )
    wrapper_dir = folder / "bin"
    wrapper_dir.mkdir()
    wrapper = wrapper_dir / "ssh"
    wrapper.write_text(f'#!/bin/sh\nexec {shutil.which("ssh")} -F {folder}/ssh_config "$@"\n')
    wrapper.chmod(0o755)
    log = (folder / "sshd.log").open("wb")
    sshd = subprocess.Popen(
        [str(SSHD), "-D", "-e", "-f", str(folder / "sshd_config")], stdout=log, stderr=log
    )
    path = f"{wrapper_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    deadline = time.monotonic() + 20
    while subprocess.run(
        ["ssh", "icktest", "true"], env={**os.environ, "PATH": path}, capture_output=True
    ).returncode:
        if sshd.poll() is not None or time.monotonic() > deadline:
            sshd.kill()
            pytest.fail(f"sshd did not start:\n{(folder / 'sshd.log').read_text()[-2000:]}")
        time.sleep(0.1)
    yield SshServer("icktest", path)
    # Ending sshd ends its sessions, and with them the tunnels' ssh clients.
    children = psutil.Process(sshd.pid).children(recursive=True)
    sshd.terminate()
    sshd.wait(10)
    for child in children:
        with contextlib.suppress(psutil.NoSuchProcess):
            child.kill()
    log.close()


@pytest.fixture
def kernel_file(tmp_path: Path) -> Iterator[tuple[Path, dict[str, int], int]]:
    """A python3 kernel started outside ick: its connection file, its ports and its pid."""
    manager = KernelManager(kernel_name="python3")
    manager.connection_file = str(tmp_path / "kernel-tunnelled.json")
    manager.start_kernel(stderr=subprocess.DEVNULL)
    client: BlockingKernelClient = manager.client()
    client.start_channels()
    client.wait_for_ready(60)
    client.execute_interactive("shared = 'through the tunnel'", timeout=30)
    client.stop_channels()
    info = manager.get_connection_info()
    ports = {name: int(info[name]) for name in info if str(name).endswith("_port")}
    assert manager.provisioner is not None
    yield Path(manager.connection_file), ports, int(manager.provisioner.pid)  # type: ignore[attr-defined]
    manager.shutdown_kernel(now=True)


def test_existing_through_ssh_tunnels(spawn_ick, ick_env, ssh_server, kernel_file):
    connection_file, kernel_ports, _ = kernel_file
    env = {**ick_env, "PATH": ssh_server.path}
    term = spawn_ick("--existing", str(connection_file), "--ssh", ssh_server.host, env=env)
    term.expect(PROMPT.format(2), timeout=60)
    term.enter("shared")
    term.expect(r"Out\[2\]: 'through the tunnel'")
    term.expect(PROMPT.format(3))
    # ick talks to the tunnels' local ends, never to the kernel's own ports.
    peers = {
        connection.raddr.port
        for connection in psutil.Process(term.child.pid).net_connections("tcp")
        if connection.raddr
    }
    assert peers, "ick has no TCP connections"
    assert not peers & set(kernel_ports.values()), (peers, kernel_ports)
    term.send("\x04")
    assert term.wait_exit() == 0


def test_a_kernel_killed_behind_the_tunnel_is_reported(spawn_ick, ick_env, ssh_server, kernel_file):
    # The tunnel's local ends still accept connections: ssh closes each one it cannot
    # forward, and that is what tells a dead kernel from a busy one.
    connection_file, _, pid = kernel_file
    env = {**ick_env, "PATH": ssh_server.path}
    term = spawn_ick("--existing", str(connection_file), "--ssh", ssh_server.host, env=env)
    term.expect(PROMPT.format(2), timeout=60)
    term.enter("import time; time.sleep(60)")
    term.expect(r"time\.sleep\(60\)\n")
    os.kill(pid, signal.SIGKILL)
    term.expect(r"kernel died \(it missed \d+ heartbeats and nothing listens on its port", 15)
    assert term.wait_exit() == 3


def test_an_ssh_that_cannot_connect_is_one_line(kernel_file):
    connection_file, _, _ = kernel_file
    result = subprocess.run(
        [*ICK, "--existing", str(connection_file), "--ssh", f"127.0.0.1:{free_port()}", "-c", "1"],
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 3, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ssh to 127.0.0.1:" in lines[0], result.stderr
    assert "Connection refused" in lines[0], result.stderr
