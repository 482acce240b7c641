"""Servers shared by the tests of one module: starting one takes a second or two."""

from __future__ import annotations

from collections.abc import Iterator

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
