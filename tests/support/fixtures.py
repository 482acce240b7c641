"""The tests' fixtures, in one pytest plugin (tests/conftest.py loads it).

Each test gets its own data and config folders (so history files are private to it); ick runs
in a pty (:mod:`tests.support.terminal`); kernels someone else started, scripted kernels for
faults no real kernel produces, and real Jupyter servers on 127.0.0.1 are started here and
stopped, with every process they left, when their test or module ends.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jupyter_client import BlockingKernelClient, KernelManager

from .scripted_kernel import ScriptedKernel
from .servers import Server, enterprise_gateway, jupyter_server, kernel_gateway
from .terminal import Terminal, kill_terminal, make_env, spawn_terminal

#: Fixtures that start the real ick in a pty, a real kernel or a real server: a test that
#: uses one is marked ``slow``, wherever it is written.
SLOW_FIXTURES = frozenset(
    {"spawn_ick", "outside_kernel", "scripted", "server", "legacy_server", "gateway",
     "enterprise", "tls_server"}
)  # fmt: skip
#: Modules whose tests start ick as a process with a kernel, a terminal emulator, tmux or sshd
#: (through ``run_ick``, ``ICK`` or a harness of tests/support) or a real kernel in-process.
SLOW_MODULES = frozenset(
    {
        "tests/frontends/test_commands.py",
        "tests/frontends/test_completeness.py",
        "tests/frontends/test_conformance.py",
        "tests/frontends/test_display_machinery.py",
        "tests/frontends/test_existing.py",
        "tests/frontends/test_faults.py",
        "tests/frontends/test_in_process.py",
        "tests/frontends/test_prompt_layout.py",
        "tests/frontends/test_script.py",
        "tests/kernel/test_busy_kernel.py",
        "tests/kernel/test_debugger.py",
        "tests/kernel/test_debugger_faults.py",
        "tests/kernel/test_local.py",
        "tests/kernel/test_pacing.py",
        "tests/kernel/test_silent_kernel.py",
        "tests/kernel/test_ssh_tunnel.py",
        "tests/kernel/test_wire_fuzz.py",
        "tests/render/test_inline_images.py",
        "tests/render/test_real_terminals.py",
    }
)
ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the pty, real-kernel and real-server tests ``slow`` in one place, so that
    ``python -m pytest -m "not slow"`` is the fast subset without any module's say-so."""
    for item in items:
        module = item.path.relative_to(ROOT).as_posix() if item.path.is_relative_to(ROOT) else ""
        if module in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def ick_env(tmp_path: Path) -> dict[str, str]:
    """An environment with private data/config folders and no CPR wait in the pty."""
    return make_env(tmp_path)


@pytest.fixture
def spawn_ick(ick_env: dict[str, str]) -> Iterator[Callable[..., Terminal]]:
    """Start ``ick ARGS`` in a 40×120 pty (in ``cwd`` if given); every session is killed at
    the end of the test."""
    started: list[Terminal] = []

    def spawn(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Terminal:
        term = spawn_terminal(list(args), env or ick_env, cwd)
        started.append(term)
        return term

    yield spawn
    for term in started:
        kill_terminal(term)


@pytest.fixture
def outside_kernel(tmp_path: Path) -> Iterator[tuple[KernelManager, BlockingKernelClient, Path]]:
    """A python3 kernel started by a plain jupyter_client script, as a notebook server would,
    where another client has already run code; ick attaches with ``--existing``."""
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    manager = KernelManager(kernel_name="python3")
    manager.connection_file = str(runtime / "kernel-outside.json")
    log = tmp_path / "outside-kernel.log"
    # Open while the kernel lives: a restart launches it again with the same streams.
    with log.open("wb") as output:
        manager.start_kernel(stdout=output, stderr=output)
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(60)
        except RuntimeError as exc:
            manager.shutdown_kernel(now=True)
            kernel_log = log.read_text(errors="replace")
            raise AssertionError(
                f"the outside kernel did not start ({exc}); its log:\n{kernel_log}"
            ) from None
        client.execute_interactive("shared = 'set by another client'", timeout=30)
        yield manager, client, Path(manager.connection_file)
        client.stop_channels()
    manager.shutdown_kernel(now=True)


@pytest.fixture
def scripted(tmp_path: Path) -> Iterator[Callable[..., ScriptedKernel]]:
    """Start scripted kernels in this process; ick attaches with ``--existing``."""
    kernels: list[ScriptedKernel] = []

    def make(**options: Any) -> ScriptedKernel:
        kernel = ScriptedKernel(tmp_path / f"kernel-{len(kernels)}.json", **options)
        kernels.append(kernel.start())
        return kernel

    yield make
    for kernel in kernels:
        kernel.stop()
    for kernel in kernels:
        assert not kernel.errors, f"the scripted kernel failed: {kernel.errors}"


# -- Real servers, shared by the tests of one module: starting one takes a second or two. ----


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
