"""Choosing a kernelspec by name or by a script's extension."""

from __future__ import annotations

from typing import Any

import pytest

from ick.kernel.client import kernel_info_declares_debugger
from ick.kernel.errors import NoSuchKernel
from ick.kernel.specs import installed_kernels, kernel_for_file, spec_declares_debugger


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


def test_a_debugger_is_what_the_kernelspec_declares_and_nothing_else():
    assert spec_declares_debugger({"metadata": {"debugger": True}})
    # bash_kernel and IRkernel declare nothing; a string or a missing table is no declaration.
    for spec in ({}, {"metadata": {}}, {"metadata": {"debugger": "true"}}, {"metadata": []}, None):
        assert not spec_declares_debugger(spec)

    class Declaring(Specs):
        def get_all_specs(self) -> dict[str, Any]:
            specs = super().get_all_specs()
            specs["python3"]["spec"]["metadata"] = {"debugger": True}
            return specs

    specs = Declaring(python3="python", bash="bash")
    found = {spec.name: spec.debugger for spec in installed_kernels(specs)}  # type: ignore[arg-type]
    assert found == {"bash": False, "python3": True}


def test_kernel_info_claims_a_debugger_in_either_protocol_version():
    assert kernel_info_declares_debugger({"debugger": True})  # protocol 5.3, 5.4
    assert kernel_info_declares_debugger({"supported_features": ["debugger"]})  # 5.5 on
    for info in ({}, {"debugger": "yes"}, {"supported_features": "debugger"}, {"debugger": False}):
        assert not kernel_info_declares_debugger(info)
