"""Servers shared by the tests of one module: starting one takes a second or two."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .servers import Server, enterprise_gateway, jupyter_server, kernel_gateway


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A Jupyter Server on 127.0.0.1 that offers the v1 websocket protocol (its default)."""
    running = jupyter_server(tmp_path_factory.mktemp("jupyter-server"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def legacy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A Jupyter Server that answers only with the legacy JSON websocket format."""
    running = jupyter_server(
        tmp_path_factory.mktemp("legacy-server"),
        "--ZMQChannelsWebsocketConnection.kernel_ws_protocol=",
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = kernel_gateway(tmp_path_factory.mktemp("kernel-gateway"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def enterprise(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Enterprise Gateway, from its own venv (it pins jupyter_server 1 and ipykernel 6)."""
    running = enterprise_gateway(tmp_path_factory.mktemp("enterprise-gateway"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    """A Jupyter Server on https:// with a self-signed certificate for 127.0.0.1, and the
    certificate (which a client trusts only when told to)."""
    folder = tmp_path_factory.mktemp("tls-server")
    if shutil.which("openssl") is None:
        pytest.fail("the TLS test needs the openssl command: apt-get install openssl")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    running = jupyter_server(
        folder, f"--ServerApp.certfile={cert}", f"--ServerApp.keyfile={key}", cafile=cert
    )
    yield running, cert
    running.stop()
