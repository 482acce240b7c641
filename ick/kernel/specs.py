"""Finding installed kernelspecs, with errors a user can act on.

ick reads kernelspecs itself, where jupyter_client looks: every ``kernels`` folder
on the Jupyter data path, then IPython's legacy ``~/.ipython/kernels``, and
ipykernel's own spec when no ``python3`` is installed.  jupyter_client's
KernelSpecManager finds the same ones, but importing it and asking IPython for
its folder take longer than the kernel's own start-up, on the path before the
kernel process can be started.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True, kw_only=True)
class KernelSpec:
    """One installed kernelspec: its folder and what its ``kernel.json`` says."""

    name: str
    resource_dir: Path
    argv: tuple[str, ...]
    display_name: str
    language: str
    interrupt_mode: str = "signal"
    env: Mapping[str, str] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, name: str, resource_dir: Path, spec: Mapping[str, Any]) -> KernelSpec:
        argv = spec.get("argv")
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
            raise NoSuchKernel(f"the {name} kernelspec has no command (argv) in {resource_dir}")
        env = spec.get("env")
        metadata = spec.get("metadata")
        return cls(
            name=name,
            resource_dir=resource_dir,
            argv=tuple(argv),
            display_name=str(spec.get("display_name") or name),
            language=str(spec.get("language") or ""),
            interrupt_mode=str(spec.get("interrupt_mode") or "signal"),
            env={str(k): str(v) for k, v in env.items()} if isinstance(env, dict) else {},
            metadata=metadata if isinstance(metadata, dict) else {},
        )

    @property
    def info(self) -> KernelSpecInfo:
        return KernelSpecInfo(
            name=self.name,
            language=self.language,
            display_name=self.display_name,
            interrupt_mode=self.interrupt_mode,
            debugger=spec_declares_debugger({"metadata": dict(self.metadata)}),
        )


def spec_declares_debugger(spec: Any) -> bool:
    """Whether a kernelspec's ``metadata.debugger`` is true: JupyterLab's test for a debugger.

    ``spec`` is the kernelspec's JSON (``kernel.json``, or ``spec`` in a server's
    listing).  Not declared means none: bash_kernel says nothing in its kernelspec,
    while its kernel_info claims a debugger it cannot run (ipykernel's base class
    adds the claim whenever debugpy is importable).
    """
    metadata = spec.get("metadata") if isinstance(spec, dict) else None
    return isinstance(metadata, dict) and metadata.get("debugger") is True


def kernel_dirs() -> list[Path]:
    """The folders kernelspecs are looked for in, first one first."""
    from jupyter_core.paths import jupyter_path

    ipython_dir = os.environ.get("IPYTHONDIR") or os.path.join(os.path.expanduser("~"), ".ipython")
    return [Path(folder) for folder in jupyter_path("kernels")] + [Path(ipython_dir, "kernels")]


def find_kernel_dirs() -> dict[str, Path]:
    """Every installed kernelspec's folder by (lower-case) name; the first folder found wins."""
    found: dict[str, Path] = {}
    for folder in kernel_dirs():
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            name = entry.name.lower()
            if name in found:
                continue
            if os.path.isfile(os.path.join(entry.path, "kernel.json")):
                found[name] = Path(entry.path)
    return found


def _native_kernel() -> KernelSpec | None:
    """ipykernel's own spec, for an environment that has ipykernel but no python3 kernelspec."""
    try:
        from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    except ImportError:
        return None
    return KernelSpec.from_json(DEFAULT_KERNEL, Path(RESOURCES), get_kernel_dict())


def _read_spec(name: str, resource_dir: Path) -> KernelSpec:
    path = resource_dir / "kernel.json"
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not valid JSON"
        raise NoSuchKernel(f"the {name} kernelspec cannot be read: {path}: {reason}") from None
    if not isinstance(spec, dict):
        raise NoSuchKernel(f"the {name} kernelspec cannot be read: {path}: not a JSON object")
    return KernelSpec.from_json(name, resource_dir, spec)


def all_kernel_specs() -> list[KernelSpec]:
    """Every installed kernelspec that can be read, sorted by name (the others are logged)."""
    specs: list[KernelSpec] = []
    dirs = find_kernel_dirs()
    for name, resource_dir in sorted(dirs.items()):
        try:
            specs.append(_read_spec(name, resource_dir))
        except NoSuchKernel as exc:
            import logging  # only then: logging is not on the way to the kernel's start

            logging.getLogger(__name__).warning("%s", exc)
    if DEFAULT_KERNEL not in dirs and (native := _native_kernel()) is not None:
        specs.append(native)
        specs.sort(key=lambda spec: spec.name)
    return specs


def find_kernel_spec(name: str) -> KernelSpec:
    """The installed kernelspec ``name`` (in any case), or :class:`NoSuchKernel` naming
    the kernelspecs there are."""
    key = name.lower()
    resource_dir = find_kernel_dirs().get(key)
    if resource_dir is not None:
        return _read_spec(key, resource_dir)
    if key == DEFAULT_KERNEL and (native := _native_kernel()) is not None:
        return native
    names = ", ".join(spec.name for spec in all_kernel_specs()) or "none"
    raise NoSuchKernel(f"no kernel named {name!r}; installed kernels: {names}")


def installed_kernels(specs: Iterable[KernelSpec] | None = None) -> list[KernelSpecInfo]:
    """What every installed kernelspec (or those given) says of itself, sorted by name."""
    chosen = all_kernel_specs() if specs is None else specs
    return sorted((spec.info for spec in chosen), key=lambda info: info.name)


def installed_spec_declares_debugger(name: str) -> bool | None:
    """:func:`spec_declares_debugger` for the installed kernelspec ``name``; ``None`` when
    there is no such kernelspec."""
    try:
        spec = find_kernel_spec(name)
    except NoSuchKernel:
        return None
    return spec_declares_debugger({"metadata": dict(spec.metadata)})


def require_kernel(name: str) -> None:
    """Raise :class:`NoSuchKernel`, naming the kernels that do exist, if ``name`` is unknown."""
    find_kernel_spec(name)


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


def kernel_for_file(path: str, specs: Iterable[KernelSpec] | None = None) -> str:
    """The kernelspec for a script, chosen by its extension when that is unambiguous.

    A Python file runs on ``python3``; any other known extension needs exactly
    one installed kernelspec of that language, else the user must pick one.
    """
    if EXTENSION_LANGUAGES.get(Path(path).suffix.lower()) is None:
        return DEFAULT_KERNEL
    return pick_kernel_for_file(path, installed_kernels(specs), DEFAULT_KERNEL, "installed")


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
