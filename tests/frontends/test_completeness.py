"""The local "obviously complete" shortcut never disagrees with the real ipykernel."""

from __future__ import annotations

import asyncio

import pytest

from ick.frontends.repl.completeness import (
    is_python3,
    local_verdict,
    obviously_complete_python,
)
from ick.kernel.local import LocalKernel

# Lines a user types at the prompt: plain Python, IPython syntax, openers, oddities.
LINES = [
    "x = 1",
    "print(1)",
    "1+1",
    "import os",
    "if x: pass",
    "def f(): pass",
    "class A: pass",
    "lambda: 0",
    "x = 1;",
    "f(x) if y else z",
    "x = 'a' 'b'",
    "x is 1",
    "# just a comment",
    "x = 1  # and a comment",
    "for i in range(3):",
    "if True:",
    "def f():",
    "@decorator",
    "x = [",
    "x = (1,",
    "print('''abc",
    "x = 1 \\",
    "  x = 1",
    "%time x = 1",
    "%%timeit",
    "!ls",
    "x?",
    "x = !ls",
    "print 1",
    "return",
    "match x:",
    "try:",
    "else:",
]


@pytest.mark.parametrize("line", ["x = 1", "print(1)", "import os", "if x: pass", "1+1"])
def test_plain_python_lines_are_complete_locally(line):
    assert obviously_complete_python(line)


@pytest.mark.parametrize(
    "text",
    [
        "for i in range(3):",
        "x = [",
        "x = 1 \\",
        "%time x",
        "!ls",
        "x?",
        "a = 1\nb = 2",
        "# c",
        "x is 1",
    ],
)
def test_anything_unsure_goes_to_the_kernel(text):
    assert not obviously_complete_python(text)


def test_only_python_3_kernels_get_the_shortcut():
    assert is_python3({"name": "python", "version": "3.11.7"})
    assert not is_python3({"name": "python", "version": "2.7.18"})
    assert not is_python3({"name": "R", "version": "4.2.2"})
    assert not is_python3({})


def test_the_kernel_agrees_whenever_the_shortcut_says_complete():
    """Checked against the real kernel, so a wrong shortcut fails here, not at a user's prompt."""

    async def scenario() -> None:
        kernel = await LocalKernel.launch("python3")
        try:
            await kernel.wait_ready(60)
            asked: list[str] = []
            local = local_verdict(kernel.language_info)
            shortcut_taken = 0
            for line in LINES:
                ours = local(line)
                if ours is None:
                    asked.append(line)  # the kernel is asked: nothing to compare
                    continue
                shortcut_taken += 1
                theirs = await kernel.is_complete(line, timeout=10)
                assert theirs is not None, f"the kernel did not answer about {line!r}"
                assert ours == {"status": "complete"}
                assert theirs["status"] == "complete", f"{line!r}: kernel says {theirs}"
            assert shortcut_taken >= 10
            assert "for i in range(3):" in asked and "%time x = 1" in asked
        finally:
            await kernel.shutdown()

    asyncio.run(scenario())
