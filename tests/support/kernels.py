"""Kernels for the tests: kernelspecs written where Jupyter looks, and kernels that ick's
kernel layer starts in the test process (no terminal, no prompt)."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

from ick.kernel.local import LocalKernel


def write_kernelspec(folder: Path, name: str, spec: dict[str, Any]) -> Path:
    """``folder/kernels/NAME/kernel.json``: found with ``folder`` on JUPYTER_PATH (or as a
    server's data folder); the kernelspec's own folder."""
    spec_dir = folder / "kernels" / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    return spec_dir


def ipykernel_after(shell: str) -> list[str]:
    """A kernelspec's argv: a real ipykernel, started once the shell code ``shell`` has run
    (a gate to wait on, a second start that hangs)."""
    launch = f'{shell}; exec {shlex.quote(sys.executable)} -m ipykernel_launcher -f "$1"'
    return ["sh", "-c", launch, "sh", "{connection_file}"]


def local_kernel_pid(kernel: LocalKernel) -> int:
    """The process of a kernel started with :meth:`LocalKernel.launch`."""
    assert kernel.process.pid is not None
    return kernel.process.pid
