"""Finding installed kernelspecs, with errors a user can act on."""

from __future__ import annotations

from dataclasses import dataclass

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.kernelspec import NoSuchKernel as _JupyterNoSuchKernel

from ick.kernel.errors import NoSuchKernel

DEFAULT_KERNEL = "python3"


@dataclass(frozen=True)
class KernelSpecInfo:
    """What ``ick --list-kernels`` shows about one installed kernelspec."""

    name: str
    language: str
    display_name: str
    interrupt_mode: str


def installed_kernels(manager: KernelSpecManager | None = None) -> list[KernelSpecInfo]:
    """Every kernelspec jupyter_client can find, sorted by name."""
    manager = manager or KernelSpecManager()
    found: list[KernelSpecInfo] = []
    for name, entry in sorted(manager.get_all_specs().items()):
        spec = entry.get("spec", {}) if isinstance(entry, dict) else {}
        found.append(
            KernelSpecInfo(
                name=name,
                language=str(spec.get("language", "")),
                display_name=str(spec.get("display_name", name)),
                interrupt_mode=str(spec.get("interrupt_mode", "signal")),
            )
        )
    return found


def require_kernel(name: str, manager: KernelSpecManager | None = None) -> None:
    """Raise :class:`NoSuchKernel`, naming the kernels that do exist, if ``name`` is unknown."""
    manager = manager or KernelSpecManager()
    try:
        manager.get_kernel_spec(name)
    except _JupyterNoSuchKernel:
        names = ", ".join(spec.name for spec in installed_kernels(manager)) or "none"
        raise NoSuchKernel(f"no kernel named {name!r}; installed kernels: {names}") from None
