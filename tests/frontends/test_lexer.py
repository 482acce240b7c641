"""The input's highlighter comes from the kernel's language_info, with fallbacks."""

from __future__ import annotations

import pytest

from ick.frontends.repl.prompt import lexer_for


def lexer_name(language_info: dict) -> str | None:
    lexer = lexer_for(language_info)
    return None if lexer is None else lexer.pygments_lexer.name


@pytest.mark.parametrize(
    ("language_info", "expected"),
    [
        # What the real kernels send (see the conformance suite).
        # ipython_pygments_lexers names it "IPython", older IPython releases "IPython3".
        ({"name": "python", "pygments_lexer": "ipython3"}, "IPython"),
        ({"name": "R", "pygments_lexer": "r"}, "S"),
        ({"name": "typescript", "file_extension": ".ts"}, "TypeScript"),
        ({"name": "javascript", "file_extension": ".js"}, "JavaScript"),
        ({"name": "bash", "file_extension": ".sh"}, "Bash"),
        ({"name": "octave", "file_extension": ".m"}, "Octave"),
        # An unknown lexer name falls back to the language's name, then to its extension.
        ({"name": "python", "pygments_lexer": "no-such-lexer"}, "Python"),
        ({"name": "deno-typescript", "file_extension": ".ts"}, "TypeScript"),
        ({"name": "mystery", "file_extension": ".nothing"}, None),
        ({"name": 42, "pygments_lexer": None, "file_extension": ["x"]}, None),
        ({}, None),
    ],
)
def test_lexer_from_language_info(language_info: dict, expected: str | None) -> None:
    name = lexer_name(language_info)
    if expected == "IPython":
        assert name in ("IPython", "IPython3")
    else:
        assert name == expected


def test_the_prompt_highlights_at_once_and_takes_the_plugin_lexer_once_loaded() -> None:
    """ipykernel names ``ipython3``, a plugin lexer: loading plugins can take longer than the
    kernel's start-up, so the first prompt uses Pygments' built-in Python lexer meanwhile."""
    import asyncio

    from ick.frontends.repl.prompt import KernelLexer, builtin_lexer_for

    info = {"name": "python", "pygments_lexer": "ipython3"}
    builtin = builtin_lexer_for(info)
    assert builtin is not None and builtin.pygments_lexer.name == "Python"

    async def scenario() -> str:
        lexer = KernelLexer(info)
        assert lexer.current is not None and lexer.current.pygments_lexer.name == "Python"
        loaded = asyncio.Event()
        lexer.load_plugin(loaded.set)
        await asyncio.wait_for(loaded.wait(), 60)
        assert lexer.current is not None
        return str(lexer.current.pygments_lexer.name)

    assert asyncio.run(scenario()) in ("IPython", "IPython3")


def test_a_built_in_lexer_needs_no_plugin_load() -> None:
    from ick.frontends.repl.prompt import KernelLexer, plugin_lexer_name

    assert plugin_lexer_name({"name": "R", "pygments_lexer": "r"}) is None
    assert plugin_lexer_name({"name": "python", "pygments_lexer": "ipython3"}) == "ipython3"
    lexer = KernelLexer({"name": "bash", "file_extension": ".sh"})
    assert lexer.current is not None and lexer.current.pygments_lexer.name == "Bash"
