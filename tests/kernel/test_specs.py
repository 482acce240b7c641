"""Choosing a kernelspec by name or by a script's extension."""

from __future__ import annotations

from typing import Any

import pytest

from ick.kernel.errors import NoSuchKernel
from ick.kernel.specs import kernel_for_file


class Specs:
    """Answers get_all_specs() like jupyter_client's KernelSpecManager, from a fixed table."""

    def __init__(self, **languages: str) -> None:
        self._languages = languages

    def get_all_specs(self) -> dict[str, Any]:
        return {
            name: {"resource_dir": "", "spec": {"language": language, "display_name": name}}
            for name, language in self._languages.items()
        }


def test_python_files_use_python3_even_beside_other_python_kernels():
    specs = Specs(python3="python", xpython="python", ir="R")
    assert kernel_for_file("job.py", specs) == "python3"  # type: ignore[arg-type]


def test_an_unambiguous_language_picks_its_kernel():
    specs = Specs(python3="python", ir="R", deno="typescript")
    assert kernel_for_file("analysis.R", specs) == "ir"  # type: ignore[arg-type]
    assert kernel_for_file("main.ts", specs) == "deno"  # type: ignore[arg-type]


def test_unknown_extensions_run_on_the_default_kernel():
    assert kernel_for_file("notes.txt", Specs(python3="python")) == "python3"  # type: ignore[arg-type]


def test_missing_or_ambiguous_languages_ask_for_k():
    with pytest.raises(NoSuchKernel, match="no installed kernel runs r"):
        kernel_for_file("a.R", Specs(python3="python"))  # type: ignore[arg-type]
    with pytest.raises(NoSuchKernel, match="several kernels run typescript \\(deno, tslab\\)"):
        kernel_for_file("a.ts", Specs(deno="typescript", tslab="typescript"))  # type: ignore[arg-type]
