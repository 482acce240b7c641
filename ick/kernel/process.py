"""A kernel process ick starts from a kernelspec, as jupyter_client's local provisioner does.

The process is started with nothing but the standard library and the kernelspec,
before ick imports its ZeroMQ client or its front end: those imports then run
while the kernel boots instead of before it.  What the kernel sees is what
jupyter_client would give it: the same command substitutions (``{connection_file}``,
``{resource_dir}``, ``python`` as this Python), the kernelspec's environment, a
session of its own (so the terminal's Ctrl-C is not sent to it), and a connection
file in Jupyter's runtime folder, where ``--existing`` looks.  Unlike
jupyter_client's, it is not told to exit with ick (see :func:`kernel_environment`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from string import Template
from typing import IO, Any

from ick.kernel.errors import KernelStartFailed
from ick.kernel.specs import KernelSpec

LOCALHOST = "127.0.0.1"
CHANNEL_PORTS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_]+)\}")


def free_ports(count: int, ip: str = LOCALHOST) -> list[int]:
    """``count`` distinct ports nothing listens on now (all bound at once, so no repeats)."""
    sockets: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.bind((ip, 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def runtime_dir() -> Path:
    """Jupyter's runtime folder, where connection files live."""
    from jupyter_core.paths import jupyter_runtime_dir

    return Path(jupyter_runtime_dir())


def write_connection_file(info: dict[str, Any]) -> Path:
    """Write ``info`` to a new ``kernel-<id>.json`` readable by its owner only."""
    folder = runtime_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    while True:
        path = folder / f"kernel-{os.urandom(16).hex()}.json"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(info, file, indent=1)
        return path


def kernel_command(spec: KernelSpec, connection_file: Path) -> list[str]:
    """The kernelspec's argv with jupyter_client's substitutions."""
    argv = list(spec.argv)
    major, minor = sys.version_info[:2]
    if argv[0] in {"python", f"python{major}", f"python{major}.{minor}"}:
        # The Python ick runs on, not whichever one PATH finds first (a shim, another venv).
        argv[0] = sys.executable
    values = {
        "connection_file": os.path.realpath(connection_file),
        "prefix": sys.prefix,
        "resource_dir": str(spec.resource_dir),
    }
    return [
        os.path.expanduser(_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group()), arg))
        for arg in argv
    ]


def kernel_environment(spec: KernelSpec, base: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment with the kernelspec's (``${VAR}`` filled from it)."""
    env = dict(os.environ if base is None else base)
    env.update({key: Template(value).safe_substitute(env) for key, value in spec.env.items()})
    if spec.language.lower().startswith("python"):
        env.pop("PYTHONEXECUTABLE", None)  # it would make the kernel run another interpreter
    # Not jupyter_client's JPY_PARENT_PID: ipykernel would exit as soon as ick does, and a
    # kernel kept running (exit(keep_kernel=True)) with it. ick shuts its kernels down on
    # every exit it can catch; one it cannot (SIGKILL) leaves the kernel's connection file
    # in the runtime folder, where --existing finds it.
    env.pop("JPY_PARENT_PID", None)
    return env


class KernelProcess:
    """The kernel's process, its connection file, and the log its stdout and stderr go to.

    The kernel's own output goes to a private log rather than the terminal: it would
    otherwise bypass ick's sanitiser and tear through the prompt.  The last line of
    the log explains a failed start.
    """

    def __init__(self, *, spec: KernelSpec) -> None:
        provisioner = spec.metadata.get("kernel_provisioner")
        name = provisioner.get("provisioner_name") if isinstance(provisioner, dict) else None
        if name not in (None, "local-provisioner"):
            raise KernelStartFailed(
                f"the {spec.name} kernelspec needs the {name} provisioner, which ick does not "
                "run: start the kernel on a Jupyter server and use --server"
            )
        self.spec = spec
        ports = dict(zip(CHANNEL_PORTS, free_ports(len(CHANNEL_PORTS)), strict=True))
        self.connection_info: dict[str, Any] = {
            **ports,
            "ip": LOCALHOST,
            "key": os.urandom(32).hex(),  # the HMAC key both sides sign with
            "transport": "tcp",
            "signature_scheme": "hmac-sha256",
            "kernel_name": spec.name,
        }
        try:
            self.connection_file = write_connection_file(self.connection_info)
        except OSError as exc:
            raise KernelStartFailed(
                f"could not start the {spec.name} kernel: cannot write its connection file "
                f"in {runtime_dir()}: {exc.strerror or exc}"
            ) from None
        try:
            # Lives as long as the kernel, closed in close(): no context manager fits.
            self._log: IO[bytes] = tempfile.TemporaryFile(prefix="ick-kernel-")  # noqa: SIM115
        except OSError as exc:
            self.connection_file.unlink()
            raise KernelStartFailed(
                f"could not start the {spec.name} kernel: cannot make its log file: "
                f"{exc.strerror or exc}"
            ) from None
        self._popen: subprocess.Popen[bytes] | None = None
        self._log_start = 0  # where the running process's output begins in its log
        self._closed = False

    @classmethod
    def start(cls, spec: KernelSpec) -> KernelProcess:
        """Start the kernel from ``spec`` (without waiting for it to answer)."""
        process = cls(spec=spec)
        try:
            process.launch()
        except BaseException:
            process.end_now()
            raise
        return process

    def launch(self) -> None:
        """Start (or start again, on the same ports) the kernel's process."""
        if self._popen is not None and self._popen.stdin is not None:
            self._popen.stdin.close()  # the previous process's pipe, after a restart
        with contextlib.suppress(OSError, ValueError):
            # What an earlier process wrote does not explain this one's start.
            self._log_start = self._log.seek(0, 2)
        try:
            self._popen = subprocess.Popen(
                kernel_command(self.spec, self.connection_file),
                stdin=subprocess.PIPE,  # as jupyter_client: never the terminal ick reads
                stdout=self._log,
                stderr=self._log,
                env=kernel_environment(self.spec),
                start_new_session=True,
            )
        except OSError as exc:
            raise KernelStartFailed(f"could not start the {self.spec.name} kernel: {exc}") from None

    @property
    def pid(self) -> int | None:
        return None if self._popen is None else self._popen.pid

    @property
    def alive(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    def send_signal(self, signum: int) -> None:
        """Signal the kernel's whole process group, as jupyter_client does (its children too)."""
        if self._popen is None or self._popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._popen.pid, signum)

    async def wait(self, timeout: float) -> bool:
        """Whether the process has ended within ``timeout`` seconds."""
        import asyncio  # here: the process is started before ick loads asyncio

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.alive:
            if loop.time() >= deadline:
                return False
            await asyncio.sleep(0.02)
        return True

    async def stop(self, *, grace: float) -> None:
        """End the process: ``grace`` seconds to exit by itself, then SIGTERM, then SIGKILL."""
        if not await self.wait(grace):
            self.send_signal(signal.SIGTERM)
            if not await self.wait(2.0):
                self.send_signal(signal.SIGKILL)
                await self.wait(5.0)

    async def kill(self) -> None:
        self.send_signal(signal.SIGKILL)
        await self.wait(5.0)

    def log_tail(self) -> str:
        """The last non-empty line the kernel wrote to its stderr, for error messages."""
        with contextlib.suppress(OSError, ValueError):
            size = self._log.seek(0, 2)
            self._log.seek(max(self._log_start, size - 4096))
            lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
            if lines:
                return lines[-1].strip()
        return ""

    def end_now(self) -> None:
        """Kill the kernel and let go of everything, unless that is done (or it is kept).

        For a start-up that ends before a client took the process: the front end's
        shutdown, which asks the kernel to exit first, is the usual way.
        """
        if self._closed:
            return
        self.send_signal(signal.SIGKILL)
        if self._popen is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._popen.wait(5)
        self.close(keep_connection_file=False)

    def close(self, *, keep_connection_file: bool) -> None:
        """Let go of the log, and of the connection file unless the kernel is kept running."""
        self._closed = True
        if self._popen is not None and self._popen.stdin is not None:
            self._popen.stdin.close()
        self._log.close()
        if not keep_connection_file:
            with contextlib.suppress(OSError):
                self.connection_file.unlink()
