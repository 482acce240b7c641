"""``--existing --ssh HOST``: a kernel's five ports forwarded through one ``ssh`` process.

jupyter_client's ``tunnel_to_kernel`` was the first choice, but its OpenSSH
path runs ``ssh -f`` under pexpect: the backgrounded ssh is still in the
pty's session when the parent exits, gets SIGHUP and dies, so no tunnel is
left (the known "``jupyter console --ssh`` doesn't work").  Here ick runs one
``ssh -N`` with five ``-L`` forwards as its own child, waits until they
accept connections, and ends it when it lets go of the kernel.  ssh reads
passwords and host-key questions from the terminal itself, and ``~/.ssh/config``
applies as usual.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import tempfile
from typing import Any

from ick.kernel.errors import KernelError
from ick.kernel.zmq_client import ZmqKernelClient

CHANNEL_PORTS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")


def free_local_ports(count: int) -> list[int]:
    """Ports on 127.0.0.1 that were free a moment ago (ssh fails clearly if one was taken)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def split_host(host: str) -> tuple[str, str | None]:
    """``[user@]host[:port]`` as ``jupyter console --ssh`` takes it → (destination, port)."""
    destination, colon, port = host.rpartition(":")
    if colon and port.isdigit() and "]" not in port:
        return destination, port
    return host, None


class SshTunnel:
    """One ``ssh -N`` process holding the forwards; :meth:`close` ends it."""

    READY_TIMEOUT = 60.0  # includes the time a user takes to type a password

    def __init__(self, process: asyncio.subprocess.Process, log: Any) -> None:
        self.process = process
        self._log = log

    @classmethod
    async def open(cls, host: str, info: dict[str, Any]) -> tuple[SshTunnel, dict[str, Any]]:
        """Start the forwards; return the tunnel and the connection info that uses it."""
        remote_ip = str(info.get("ip") or "127.0.0.1")
        if remote_ip in ("0.0.0.0", "*", ""):
            remote_ip = "127.0.0.1"  # the kernel listens everywhere, so on the host's loopback too
        local_ports = free_local_ports(len(CHANNEL_PORTS))
        destination, port = split_host(host)
        argv = ["ssh", "-N", "-o", "ExitOnForwardFailure=yes", "-o", "ServerAliveInterval=15"]
        if port is not None:
            argv += ["-p", port]
        for local, name in zip(local_ports, CHANNEL_PORTS, strict=True):
            argv += ["-L", f"127.0.0.1:{local}:{remote_ip}:{info[name]}"]
        argv.append(destination)
        # ssh's messages go to a file: read only if it fails, so a full pipe never blocks it.
        log = tempfile.TemporaryFile(prefix="ick-ssh-")  # noqa: SIM115  (lives with the tunnel)
        try:
            process = await asyncio.create_subprocess_exec(
                *argv, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log
            )
        except OSError as exc:
            log.close()
            raise KernelError(f"cannot run ssh for --ssh {host}: {exc.strerror}") from None
        tunnel = cls(process, log)
        try:
            await tunnel._wait_ready(local_ports, host)
        except BaseException:
            await tunnel.close()
            raise
        forwarded = dict(zip(CHANNEL_PORTS, local_ports, strict=True))
        return tunnel, {**info, **forwarded, "ip": "127.0.0.1", "transport": "tcp"}

    async def _wait_ready(self, ports: list[int], host: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.READY_TIMEOUT
        waiting = list(ports)
        while waiting:
            if self.process.returncode is not None:
                raise KernelError(f"ssh to {host} failed: {self._last_words()}")
            if loop.time() > deadline:
                raise KernelError(f"ssh to {host} did not open its tunnels in time")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", waiting[0])
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            waiting.pop(0)

    def _last_words(self) -> str:
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1].strip() if lines else f"exit status {self.process.returncode}"

    async def close(self) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 5)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        self._log.close()


class TunnelledKernelClient(ZmqKernelClient):
    """A kernel reached over ZeroMQ through an SSH tunnel that ends with the client."""

    def __init__(self, connection_info: dict[str, Any], name: str, tunnel: SshTunnel) -> None:
        super().__init__(connection_info, name)
        self.tunnel = tunnel

    async def spec_declares_debugger(self) -> bool | None:
        # The kernelspec the connection file names is on the other machine.
        return None

    async def shutdown(self) -> None:
        try:
            await super().shutdown()
        finally:
            await self.tunnel.close()
