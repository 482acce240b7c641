"""How a front end gets a kernel client, whichever way the kernel is reached.

A :class:`KernelTarget` says where the kernel is: a kernelspec to launch, the
connection file of a kernel someone else started (``--existing``, optionally
through SSH tunnels), or a kernel on a Jupyter server (``--server``).
Front ends call :func:`open_kernel` and then ``await client.wait_ready()``;
the split lets them do their own start-up work while the kernel boots.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ick.errors import ExitStatus, IckError
from ick.kernel.process import KernelProcess, runtime_dir
from ick.kernel.remote.address import RemoteTarget
from ick.kernel.specs import find_kernel_spec, require_kernel

if TYPE_CHECKING:
    from ick.kernel.client import KernelClient
    from ick.kernel.zmq_client import ZmqKernelClient

REQUIRED_KEYS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port", "key")


@dataclass(frozen=True)
class KernelTarget:
    """A kernelspec to start, a running kernel's connection file, or a server's kernel."""

    kernel_name: str
    connection_file: Path | None = None
    #: ``--ssh`` host (``[user@]host[:port]``) through which the connection file's ports go.
    ssh: str | None = None
    remote: RemoteTarget | None = None

    @property
    def is_running_kernel(self) -> bool:
        """Whether the target is a kernel that already runs (so --watch can listen to it)."""
        if self.remote is not None:
            return self.remote.kernel_id is not None
        return self.connection_file is not None

    def check(self) -> None:
        """Fail early, with one line, on a name or file that cannot work."""
        if self.remote is not None:
            return  # the server knows its kernelspecs; asking it is the first thing open does
        if self.connection_file is None:
            require_kernel(self.kernel_name)
        else:
            read_connection_file(self.connection_file)


def find_connection_file(name: str | None) -> Path:
    """``--existing``'s argument as a path: none means the newest kernel in the runtime dir.

    A bare name (``kernel-1234`` or ``kernel-1234.json``) is looked up in the
    runtime dir, as ``jupyter console --existing`` does.
    """
    folder = runtime_dir()
    if not name:
        candidates = sorted(folder.glob("kernel-*.json"), key=lambda p: p.stat().st_mtime)
        if not candidates:
            raise IckError(f"no running kernel found in {folder}", ExitStatus.USAGE)
        return candidates[-1]
    path = Path(name).expanduser()
    if path.exists() or path.parent != Path("."):
        return path
    for candidate in (folder / name, folder / f"{name}.json"):
        if candidate.exists():
            return candidate
    return path


def read_connection_file(path: Path) -> dict[str, Any]:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise IckError(f"cannot read {path}: {exc.strerror}", ExitStatus.USAGE) from None
    except ValueError:
        raise IckError(f"{path} is not a connection file (not JSON)", ExitStatus.USAGE) from None
    if not isinstance(info, dict):
        raise IckError(f"{path} is not a connection file", ExitStatus.USAGE)
    missing = [key for key in REQUIRED_KEYS if key not in info]
    if missing:
        raise IckError(
            f"{path} is not a connection file (missing {', '.join(missing)})", ExitStatus.USAGE
        )
    return info


def start_process(target: KernelTarget) -> KernelProcess | None:
    """Start the kernel's process now when ick is to launch one (``None`` for a kernel
    that already runs, or a server's).

    Called as early as the front end can: nothing but the kernelspec is needed, and
    everything ick imports after this overlaps the kernel's boot.
    """
    if target.remote is not None or target.connection_file is not None:
        return None
    return KernelProcess.start(find_kernel_spec(target.kernel_name))


async def open_kernel(
    target: KernelTarget, timeout: float = 60.0, process: KernelProcess | None = None
) -> KernelClient:
    """Start or attach to the kernel (or take ``process``, already started for ``target``);
    it may not be answering yet."""
    if target.remote is not None:
        return await open_remote_kernel(target.remote, timeout)
    if target.connection_file is None:
        if process is None:
            process = KernelProcess.start(find_kernel_spec(target.kernel_name))
        try:
            # Imported only now: jupyter_client's session and pyzmq load while the kernel boots.
            from ick.kernel.local import LocalKernel

            return LocalKernel.on(process)
        except BaseException:
            process.end_now()
            raise
    from ick.kernel.zmq_client import ZmqKernelClient

    info = read_connection_file(target.connection_file)
    name = str(info.get("kernel_name") or target.connection_file.stem)
    client: ZmqKernelClient
    if target.ssh is not None:
        from ick.kernel.ssh_tunnel import SshTunnel, TunnelledKernelClient

        tunnel, info = await SshTunnel.open(target.ssh, info)
        client = TunnelledKernelClient(info, name, tunnel)
    else:
        client = ZmqKernelClient(info, name)
    client.open_channels()
    return client


async def open_remote_kernel(remote: RemoteTarget, timeout: float) -> KernelClient:
    """Start a kernel on the server, or attach to one of its running kernels."""
    from ick.kernel.remote.client import RemoteKernelClient
    from ick.kernel.remote.rest import ServerAPI

    api = ServerAPI(remote.address)
    if remote.kernel_id is not None:
        return await RemoteKernelClient.attach(api, remote.kernel_id, timeout)
    return await RemoteKernelClient.start(
        api, remote.kernel_name, dict(remote.env), timeout, remote.script
    )
