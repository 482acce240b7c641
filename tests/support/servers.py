"""Real Jupyter servers on 127.0.0.1 for the remote-kernel tests (tests/kernel/remote), and a
proxy that can cut them.

Each server gets a free port, a random token and private Jupyter folders,
and is killed (with any kernel it left) when its fixture ends.  A missing
server program is a failure that says how to install it, never a skip.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import pytest

from .kernels import write_kernelspec
from .terminal import PROMPT

BIN = Path(sys.executable).parent
# Enterprise Gateway pins an older Jupyter stack, so it lives in a venv of its own.
EG_VENV = Path(os.environ.get("ICK_EG_VENV", Path(__file__).parents[2] / ".venv-eg"))
EG_INSTALL = (
    "python3 -m venv .venv-eg && .venv-eg/bin/pip install jupyter_enterprise_gateway ipykernel "
    "(scripts/setup-dev does it; ICK_EG_VENV names another venv)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running server: its URL, token, process and log."""

    url: str
    token: str
    process: subprocess.Popen[bytes]
    log: Path

    cafile: Path | None = None  # the certificate to trust, for an https:// server

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """A REST call with the token; returns the decoded JSON (``None`` for no body)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}api/{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        context = ssl.create_default_context(cafile=self.cafile) if self.cafile else None
        with urllib.request.urlopen(request, timeout=30, context=context) as response:
            payload = response.read()
        return json.loads(payload) if payload.strip() else None

    def kernel_ids(self) -> set[str]:
        return {kernel["id"] for kernel in self.call("GET", "kernels")}

    def start_kernel(self, name: str = "python3", **body: Any) -> str:
        return str(self.call("POST", "kernels", {"name": name, **body})["id"])

    def install_kernelspec(self, name: str, spec: dict[str, Any]) -> None:
        """Offer kernelspec ``name`` from now on: written to the data folder
        :func:`start_server` gave the server, where it looks for kernelspecs."""
        write_kernelspec(self.log.parent / "data", name, spec)

    def stop(self) -> None:
        with contextlib.suppress(psutil.NoSuchProcess):
            children = psutil.Process(self.process.pid).children(recursive=True)
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        for child in children:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()


def start_server(
    program: str,
    args: list[str],
    folder: Path,
    install: str,
    bin_dir: Path = BIN,
    cafile: Path | None = None,
) -> Server:
    """Start ``program`` from ``bin_dir`` with ``args`` (``{port}``/``{token}`` filled in)."""
    executable = bin_dir / program
    if not executable.exists():
        pytest.fail(f"{program} is not installed: {install}")
    port, token = free_port(), secrets.token_hex(16)
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        JUPYTER_RUNTIME_DIR=str(folder / "runtime"),
        JUPYTER_CONFIG_DIR=str(folder / "config"),
        JUPYTER_DATA_DIR=str(folder / "data"),
    )
    env.pop("JUPYTER_TOKEN", None)
    log = folder / f"{program}.log"
    argv = [str(executable), *(arg.format(port=port, token=token) for arg in args)]
    with log.open("wb") as sink:
        process = subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=folder)
    scheme = "https" if cafile else "http"
    server = Server(f"{scheme}://127.0.0.1:{port}/", token, process, log, cafile)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{program} exited at start:\n{log.read_text()[-2000:]}")
        try:
            server.call("GET", "kernelspecs")
            return server
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    server.stop()
    pytest.fail(f"{program} did not answer in 60 s:\n{log.read_text()[-2000:]}")


def jupyter_server(folder: Path, *extra: str, cafile: Path | None = None) -> Server:
    return start_server(
        "jupyter-server",
        [
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={folder}",
            *extra,
        ],
        folder,
        "pip install -e '.[test]' (it brings jupyter_server)",
        cafile=cafile,
    )


def kernel_gateway(folder: Path) -> Server:
    return start_server(
        "jupyter-kernelgateway",
        [
            "--KernelGatewayApp.ip=127.0.0.1",
            "--KernelGatewayApp.port={port}",
            "--KernelGatewayApp.port_retries=0",
            "--KernelGatewayApp.auth_token={token}",
            "--JupyterWebsocketPersonality.list_kernels=True",
        ],
        folder,
        "pip install -e '.[test]' (it brings jupyter_kernel_gateway)",
    )


def enterprise_gateway(folder: Path) -> Server:
    return start_server(
        "jupyter-enterprisegateway",
        [
            "--EnterpriseGatewayApp.ip=127.0.0.1",
            "--EnterpriseGatewayApp.port={port}",
            "--EnterpriseGatewayApp.port_retries=0",
            "--EnterpriseGatewayApp.auth_token={token}",
            "--EnterpriseGatewayApp.list_kernels=True",
        ],
        folder,
        EG_INSTALL,
        EG_VENV / "bin",
    )


@dataclass
class CuttableProxy:
    """A loopback TCP proxy to ``target_port`` whose open connections can be cut at once."""

    target_port: int
    port: int = 0
    _listener: socket.socket = field(init=False)
    _open: list[socket.socket] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    connections: int = 0
    _refuse_until: float = 0.0

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if time.monotonic() < self._refuse_until:
                client.close()  # the network is still down
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self._lock:
                self._open += [client, upstream]
                self.connections += 1
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cut(self, down_for: float = 0.0) -> None:
        """Drop every open connection, as a flaky network would, and refuse new ones for
        ``down_for`` seconds."""
        self._refuse_until = time.monotonic() + down_for
        with self._lock:
            sockets, self._open = self._open, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        self._listener.close()
        self.cut()


def assert_one_line_error(
    result: subprocess.CompletedProcess[str], status: int, words: str
) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == status, result.stderr
    assert len(lines) == 1 and words in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def interrupt_a_sleep(term: Any, prompt_after: int) -> None:
    """Run a long sleep at the REPL, Ctrl-C it, and see the kernel stop and the next prompt."""
    term.enter("import time; print('sleeping', flush=True); time.sleep(60)")
    term.expect(r"\nsleeping\n")
    term.child.sendintr()
    term.expect(r"KeyboardInterrupt")
    term.expect(PROMPT.format(prompt_after))
