"""The indexed history suggestion gives what prompt_toolkit's scan gives, without the scan."""

from __future__ import annotations

import random

from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.document import Document
from prompt_toolkit.history import InMemoryHistory

from ick.frontends.repl.suggest import HistorySuggestion

ALPHABET = "ab(). =\n"


def random_entry(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 30))).strip("\n") or "a"


def suggested(suggester, buffer: Buffer, text: str) -> str | None:
    suggestion = suggester.get_suggestion(buffer, Document(text))
    return None if suggestion is None else suggestion.text


def test_same_suggestions_as_prompt_toolkits_scan_as_the_history_grows():
    rng = random.Random(8)
    history = InMemoryHistory()
    for _ in range(2_000):
        history.append_string(random_entry(rng))
    buffer = Buffer(history=history)
    scan, indexed = AutoSuggestFromHistory(), HistorySuggestion()
    compared = set()
    for step in range(3_000):
        if step % 50 == 0:  # an entry submitted meanwhile
            history.append_string(random_entry(rng))
        text = "".join(rng.choice(ALPHABET[:-1]) for _ in range(rng.randint(1, 4)))
        if step % 3 == 0:
            text = "earlier line\n" + text  # only the last line counts
        expected = suggested(scan, buffer, text)
        assert suggested(indexed, buffer, text) == expected, text
        compared.add(expected is None)
    assert compared == {True, False}, "both found and not-found suggestions were compared"


def test_blank_lines_get_nothing_and_a_new_history_is_indexed_afresh():
    first, second = Buffer(history=InMemoryHistory()), Buffer(history=InMemoryHistory())
    first.history.append_string("print(1)")
    second.history.append_string("pass")
    indexed = HistorySuggestion()
    assert suggested(indexed, first, "   ") is None
    assert suggested(indexed, first, "pri") == "nt(1)"
    assert suggested(indexed, second, "pri") is None
    assert suggested(indexed, second, "pa") == "ss"
