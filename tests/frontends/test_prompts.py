"""Prompts, banner and lexer choice."""

from __future__ import annotations

from prompt_toolkit.formatted_text import to_plain_text
from prompt_toolkit.lexers import PygmentsLexer

from ick.frontends.repl.prompt import lexer_for
from ick.frontends.repl.prompts import banner, continuation_prompt, in_prompt, in_prompt_width


def test_prompts_line_up():
    assert to_plain_text(in_prompt(12)) == "In [12]: "
    assert to_plain_text(continuation_prompt(in_prompt_width(12))) == "    ...: "


def test_banner_names_language_implementation_and_kernel():
    info = {
        "implementation": "ipython",
        "implementation_version": "9.1",
        "language_info": {"name": "python", "version": "3.11.7"},
    }
    assert banner("python3", info).endswith("Python 3.11.7 · ipython 9.1 · kernel python3")


def test_banner_survives_missing_fields_and_hostile_text():
    text = banner("k", {"implementation": "evil\x1b]0;title\x07", "language_info": "bad"})
    assert "\x1b" not in text and "unknown language" in text.lower()


def test_lexer_from_language_info_with_fallbacks():
    assert isinstance(lexer_for({"name": "python", "pygments_lexer": "ipython3"}), PygmentsLexer)
    assert isinstance(lexer_for({"name": "R"}), PygmentsLexer)
    # An unknown lexer name falls back to the language name, then to none at all.
    assert isinstance(lexer_for({"pygments_lexer": "no-such", "name": "bash"}), PygmentsLexer)
    assert lexer_for({"name": "no-such-language"}) is None
    assert lexer_for({}) is None
