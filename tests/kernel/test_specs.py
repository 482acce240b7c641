"""Choosing a kernelspec by name or by a script's extension."""

from __future__ import annotations

from pathlib import Path

import pytest

from ick.kernel.client import kernel_info_declares_debugger
from ick.kernel.errors import NoSuchKernel
from ick.kernel.specs import (
    KernelSpec,
    installed_kernels,
    kernel_for_file,
    spec_declares_debugger,
)


def specs_of(**languages: str) -> list[KernelSpec]:
    """Installed kernelspecs of these names and languages."""
    return [
        KernelSpec.from_json(name, Path("/nowhere"), {"argv": ["k"], "language": language})
        for name, language in languages.items()
    ]


def test_python_files_use_python3_even_beside_other_python_kernels():
    specs = specs_of(python3="python", xpython="python", ir="R")
    assert kernel_for_file("job.py", specs) == "python3"


def test_an_unambiguous_language_picks_its_kernel():
    specs = specs_of(python3="python", ir="R", deno="typescript")
    assert kernel_for_file("analysis.R", specs) == "ir"
    assert kernel_for_file("main.ts", specs) == "deno"


def test_unknown_extensions_run_on_the_default_kernel():
    assert kernel_for_file("notes.txt", specs_of(python3="python")) == "python3"


def test_missing_or_ambiguous_languages_ask_for_k():
    with pytest.raises(NoSuchKernel, match="no installed kernel runs r"):
        kernel_for_file("a.R", specs_of(python3="python"))
    with pytest.raises(NoSuchKernel, match="several kernels run typescript \\(deno, tslab\\)"):
        kernel_for_file("a.ts", specs_of(deno="typescript", tslab="typescript"))


def test_a_debugger_is_what_the_kernelspec_declares_and_nothing_else():
    assert spec_declares_debugger({"metadata": {"debugger": True}})
    # bash_kernel and IRkernel declare nothing; a string or a missing table is no declaration.
    for spec in ({}, {"metadata": {}}, {"metadata": {"debugger": "true"}}, {"metadata": []}, None):
        assert not spec_declares_debugger(spec)

    specs = [
        KernelSpec.from_json(
            "python3", Path("/nowhere"), {"argv": ["k"], "metadata": {"debugger": True}}
        ),
        *specs_of(bash="bash"),
    ]
    found = {spec.name: spec.debugger for spec in installed_kernels(specs)}
    assert found == {"bash": False, "python3": True}


def test_kernel_info_claims_a_debugger_in_either_protocol_version():
    assert kernel_info_declares_debugger({"debugger": True})  # protocol 5.3, 5.4
    assert kernel_info_declares_debugger({"supported_features": ["debugger"]})  # 5.5 on
    for info in ({}, {"debugger": "yes"}, {"supported_features": "debugger"}, {"debugger": False}):
        assert not kernel_info_declares_debugger(info)
