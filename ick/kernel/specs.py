"""Finding installed kernelspecs, with errors a user can act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    #: Whether the kernelspec's ``metadata.debugger`` declares a debugger.
    debugger: bool = False


def spec_declares_debugger(spec: Any) -> bool:
    """Whether a kernelspec's ``metadata.debugger`` is true: JupyterLab's test for a debugger.

    ``spec`` is the kernelspec's JSON (``kernel.json``, or ``spec`` in a server's
    listing).  Not declared means none: bash_kernel says nothing in its kernelspec,
    while its kernel_info claims a debugger it cannot run (ipykernel's base class
    adds the claim whenever debugpy is importable).
    """
    metadata = spec.get("metadata") if isinstance(spec, dict) else None
    return isinstance(metadata, dict) and metadata.get("debugger") is True


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
                debugger=spec_declares_debugger(spec),
            )
        )
    return found


def installed_spec_declares_debugger(
    name: str, manager: KernelSpecManager | None = None
) -> bool | None:
    """:func:`spec_declares_debugger` for the installed kernelspec ``name``; ``None`` when
    there is no such kernelspec."""
    manager = manager or KernelSpecManager()
    try:
        spec = manager.get_kernel_spec(name)
    except _JupyterNoSuchKernel:
        return None
    return spec_declares_debugger({"metadata": spec.metadata})


def require_kernel(name: str, manager: KernelSpecManager | None = None) -> None:
    """Raise :class:`NoSuchKernel`, naming the kernels that do exist, if ``name`` is unknown."""
    manager = manager or KernelSpecManager()
    try:
        manager.get_kernel_spec(name)
    except _JupyterNoSuchKernel:
        names = ", ".join(spec.name for spec in installed_kernels(manager)) or "none"
        raise NoSuchKernel(f"no kernel named {name!r}; installed kernels: {names}") from None


# File extension → the language name kernelspecs declare for it.
EXTENSION_LANGUAGES: dict[str, str] = {
    ".py": "python",
    ".ipy": "python",
    ".r": "r",
    ".js": "javascript",
    ".mjs": "javascript",
    ".ts": "typescript",
    ".sh": "bash",
    ".bash": "bash",
    ".jl": "julia",
    ".m": "octave",
    ".rb": "ruby",
    ".pl": "perl",
    ".lua": "lua",
    ".scala": "scala",
    ".hs": "haskell",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    ".kt": "kotlin",
    ".c": "c",
    ".cpp": "c++",
    ".sql": "sql",
}


def kernel_for_file(path: str, manager: KernelSpecManager | None = None) -> str:
    """The kernelspec for a script, chosen by its extension when that is unambiguous.

    A Python file runs on ``python3``; any other known extension needs exactly
    one installed kernelspec of that language, else the user must pick one.
    """
    if EXTENSION_LANGUAGES.get(Path(path).suffix.lower()) is None:
        return DEFAULT_KERNEL
    return pick_kernel_for_file(path, installed_kernels(manager), DEFAULT_KERNEL, "installed")


def pick_kernel_for_file(path: str, specs: list[KernelSpecInfo], default: str, where: str) -> str:
    """:func:`kernel_for_file` among ``specs`` (installed ones, or a server's);
    ``where`` says whose they are in messages."""
    suffix = Path(path).suffix.lower()
    language = EXTENSION_LANGUAGES.get(suffix)
    if language is None:
        return default
    if language == "python" and any(spec.name == DEFAULT_KERNEL for spec in specs):
        return DEFAULT_KERNEL
    matches = [spec.name for spec in specs if spec.language.lower() == language]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NoSuchKernel(f"no {where} kernel runs {language} ({suffix} files); pick one with -k")
    raise NoSuchKernel(f"several kernels run {language} ({', '.join(matches)}); pick one with -k")
