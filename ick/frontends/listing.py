"""``ick --list-kernels``: the kernelspecs installed here, or what a Jupyter server offers
and runs (with ``--server URL``)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from ick.errors import ExitStatus
from ick.kernel.remote.address import ServerAddress
from ick.kernel.remote.rest import ServerAPI, ServerAuthError, ServerError, server_kernelspecs
from ick.render.sanitize import plain_text


def _columns(rows: Sequence[tuple[str, ...]]) -> list[str]:
    """Rows as aligned text, every field cleaned of escapes (they come from the server)."""
    clean = [tuple(plain_text(field) for field in row) for row in rows]
    widths = [max(len(row[i]) for row in clean) for i in range(len(clean[0]))] if clean else []
    return [
        "  "
        + "  ".join(f"{field:<{width}}" for field, width in zip(row, widths, strict=True)).rstrip()
        for row in clean
    ]


def _spec_rows(specs: dict[str, Any]) -> list[tuple[str, ...]]:
    return [(spec.name, spec.language, spec.display_name) for spec in server_kernelspecs(specs)]


def _kernel_rows(kernels: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return [
        (
            str(kernel.get("id", "")),
            str(kernel.get("name", "")),
            str(kernel.get("execution_state", "")),
            f"{kernel.get('connections', 0)} connection(s)",
        )
        for kernel in kernels
    ]


async def _fetch(api: ServerAPI) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    specs = await api.kernelspecs()
    try:
        kernels: list[dict[str, Any]] | None = await api.kernels()
    except ServerAuthError:
        raise
    except ServerError:
        # Gateways list running kernels only when configured to (list_kernels=True).
        kernels = None
    return specs, kernels


def list_server_kernels(address: ServerAddress) -> int:
    specs, kernels = asyncio.run(_fetch(ServerAPI(address)))
    default = plain_text(str(specs.get("default") or "none"))
    print(f"kernelspecs on {address.display} (default: {default}):")
    print("\n".join(_columns(_spec_rows(specs))) or "  (none)")
    print("running kernels:")
    if kernels is None:
        print("  (the server does not list its running kernels)")
    else:
        print("\n".join(_columns(_kernel_rows(kernels))) or "  (none)")
    return ExitStatus.OK


def list_local_kernels() -> int:
    """Name, language and display name of each installed kernelspec, in aligned columns."""
    from ick.kernel.specs import installed_kernels

    rows = [(spec.name, spec.language, spec.display_name) for spec in installed_kernels()]
    for line in _columns(rows):
        print(line[2:])
    return ExitStatus.OK
