"""The Jupyter server's REST calls for kernels: list, start, interrupt, restart, delete.

Jupyter Server, Kernel Gateway and Enterprise Gateway share these six calls.
They are few and small, so they go through the standard library's urllib in
a worker thread rather than a new HTTP dependency; TLS certificates are
verified with the default context.  Every failure becomes one sentence a
user can act on (:class:`ServerError` and its subclasses).
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import urllib.error
import urllib.request
from typing import Any

from ick.errors import ExitStatus
from ick.kernel.errors import KernelError
from ick.kernel.remote.address import ServerAddress
from ick.kernel.specs import KernelSpecInfo, spec_declares_debugger

# Plenty for these small calls; starting a kernel gets the --startup-timeout instead.
REST_TIMEOUT = 15.0


class ServerError(KernelError):
    """The server could not be reached or refused a call."""


class ServerAuthError(ServerError):
    """The server wants a (different) token: a usage error, not a kernel failure."""

    status = ExitStatus.USAGE


class RemoteKernelGone(ServerError):
    """The server does not know the kernel (never existed, or deleted)."""


def describe_network_error(address: ServerAddress, reason: object) -> str:
    """Why a server could not be reached, in words rather than an exception's repr."""
    if isinstance(reason, ssl.SSLCertVerificationError):
        detail = reason.verify_message or str(reason)
        return f"the TLS certificate of {address.display} could not be verified ({detail})"
    if isinstance(reason, ConnectionRefusedError):
        return f"cannot reach the Jupyter server at {address.display} (connection refused)"
    if isinstance(reason, socket.gaierror):
        return f"cannot reach the Jupyter server at {address.display} (unknown host)"
    if isinstance(reason, TimeoutError | socket.timeout):
        # A plain-HTTP server never answers a TLS handshake: the likeliest slip.
        hint = "; is it http:// rather than https://?" if address.uses_tls else ""
        return f"cannot reach the Jupyter server at {address.display} (timed out{hint})"
    text = getattr(reason, "strerror", None) or str(reason)
    return f"cannot reach the Jupyter server at {address.display} ({text})"


def server_kernelspecs(answer: dict[str, Any]) -> list[KernelSpecInfo]:
    """``GET /api/kernelspecs`` as the same records ick keeps for installed kernelspecs."""
    table = answer.get("kernelspecs")
    found = []
    for name, entry in sorted(table.items() if isinstance(table, dict) else []):
        spec = entry.get("spec") if isinstance(entry, dict) else None
        spec = spec if isinstance(spec, dict) else {}
        found.append(
            KernelSpecInfo(
                name=str(name),
                language=str(spec.get("language") or ""),
                display_name=str(spec.get("display_name") or name),
                interrupt_mode=str(spec.get("interrupt_mode") or "signal"),
                debugger=spec_declares_debugger(spec),
            )
        )
    return found


class ServerAPI:
    """REST calls on one server, authenticated with its token."""

    def __init__(self, address: ServerAddress, timeout: float = REST_TIMEOUT) -> None:
        self.address = address
        self.timeout = timeout
        #: Certificates verified against the system's CAs, as for any HTTPS client.
        self.tls = ssl.create_default_context()

    # -- the calls ----------------------------------------------------------
    async def kernelspecs(self) -> dict[str, Any]:
        return self._object(await self._call("GET", ("kernelspecs",)))

    async def kernels(self) -> list[dict[str, Any]]:
        listed = await self._call("GET", ("kernels",))
        if not isinstance(listed, list):
            raise ServerError(f"{self.address.display} sent a kernel list that is not a list")
        return [kernel for kernel in listed if isinstance(kernel, dict)]

    async def kernel(self, kernel_id: str) -> dict[str, Any]:
        return self._object(await self._call("GET", ("kernels", kernel_id), kernel_id=kernel_id))

    async def start_kernel(
        self, name: str | None, env: dict[str, str], timeout: float
    ) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if name:
            body["name"] = name
        if env:
            body["env"] = env
        model = self._object(await self._call("POST", ("kernels",), body, timeout=timeout))
        if not isinstance(model.get("id"), str):
            raise ServerError(f"{self.address.display} started a kernel but sent no id")
        return model

    async def interrupt(self, kernel_id: str) -> None:
        await self._call("POST", ("kernels", kernel_id, "interrupt"), {}, kernel_id=kernel_id)

    async def restart(self, kernel_id: str, timeout: float) -> None:
        path = ("kernels", kernel_id, "restart")
        await self._call("POST", path, {}, kernel_id=kernel_id, timeout=timeout)

    async def delete(self, kernel_id: str) -> None:
        await self._call("DELETE", ("kernels", kernel_id), kernel_id=kernel_id)

    # -- plumbing -----------------------------------------------------------
    def _object(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ServerError(f"{self.address.display} sent an unexpected answer")
        return value

    async def _call(
        self,
        method: str,
        path: tuple[str, ...],
        body: dict[str, Any] | None = None,
        *,
        kernel_id: str | None = None,
        timeout: float | None = None,
    ) -> Any:
        return await asyncio.to_thread(
            self._call_blocking, method, path, body, kernel_id, timeout or self.timeout
        )

    def _call_blocking(
        self,
        method: str,
        path: tuple[str, ...],
        body: dict[str, Any] | None,
        kernel_id: str | None,
        timeout: float,
    ) -> Any:
        url = self.address.api_url(*path)
        headers = {"Accept": "application/json", **self.address.headers}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout, context=self.tls) as response:
                payload = response.read()
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc, method, path, kernel_id) from None
        except urllib.error.URLError as exc:
            raise ServerError(describe_network_error(self.address, exc.reason)) from None
        except (OSError, ssl.SSLError) as exc:
            raise ServerError(describe_network_error(self.address, exc)) from None
        if not payload.strip():
            return None
        try:
            return json.loads(payload)
        except ValueError:
            raise ServerError(
                f"{self.address.display} does not look like a Jupyter server "
                f"({method} {url} did not answer JSON)"
            ) from None

    def _http_error(
        self,
        exc: urllib.error.HTTPError,
        method: str,
        path: tuple[str, ...],
        kernel_id: str | None,
    ) -> ServerError:
        where = self.address.display
        if exc.code in (401, 403):
            if self.address.token is None:
                return ServerAuthError(
                    f"{where} wants a token (HTTP {exc.code}): give --token or set JUPYTER_TOKEN"
                )
            detail = self._server_message(exc)
            if exc.code == 403 and "not authorized" in detail.lower():
                # Enterprise Gateway refuses some users (root, by default) and says why.
                return ServerError(f"{where} refused {method} /api/{path[0]}: {detail}")
            return ServerAuthError(f"{where} refused the token (HTTP {exc.code})")
        if exc.code == 404:
            if kernel_id is not None:
                return RemoteKernelGone(f"{where} has no kernel {kernel_id}")
            return ServerError(f"{where} does not look like a Jupyter server (HTTP 404)")
        detail = self._server_message(exc)
        suffix = f": {detail}" if detail else ""
        return ServerError(f"{where} answered HTTP {exc.code} to {method} /api/{path[0]}{suffix}")

    @staticmethod
    def _server_message(exc: urllib.error.HTTPError) -> str:
        """The ``message`` or ``reason`` of a Jupyter error body, cut to one line."""
        try:
            body = json.loads(exc.read() or b"{}")
        except (ValueError, OSError):
            return ""
        if not isinstance(body, dict):
            return ""
        text = body.get("message") or body.get("reason") or ""
        return " ".join(str(text).split())[:200]
