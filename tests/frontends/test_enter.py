"""When Enter submits: the decision table, without a terminal."""

from __future__ import annotations

import pytest

from ick.frontends.repl.enter import EnterDecision, decide, strip_trailing_blank_lines


@pytest.mark.parametrize(
    ("text", "verdict", "expected"),
    [
        ("a = 1", {"status": "complete"}, EnterDecision(submit=True)),
        ("a = (", {"status": "invalid"}, EnterDecision(submit=True)),
        ("for x in y:", {"status": "incomplete", "indent": "    "}, EnterDecision(False, "    ")),
        # A blank last line ends the input, like Python's own REPL...
        (
            "for x in y:\n    pass\n",
            {"status": "incomplete", "indent": "    "},
            EnterDecision(True),
        ),
        ("if x:\n    ", {"status": "incomplete", "indent": "    "}, EnterDecision(True)),
        # ...and rescues kernels that answer "unknown", wrongly, or not at all.
        ("echo hi", {"status": "unknown"}, EnterDecision(False, "")),
        ("echo hi\n", {"status": "unknown"}, EnterDecision(True)),
        ("let x = ;", {"status": "incomplete", "indent": ""}, EnterDecision(False, "")),
        ("let x = ;\n", {"status": "incomplete", "indent": ""}, EnterDecision(True)),
        ("1 +", None, EnterDecision(False, "")),
        ("1 +\n", None, EnterDecision(True)),
        # A malformed indent is ignored rather than inserted.
        ("f(", {"status": "incomplete", "indent": 4}, EnterDecision(False, "")),
    ],
)
def test_decide(text, verdict, expected):
    assert decide(text, verdict) == expected


def test_trailing_blank_lines_are_not_sent_or_stored():
    assert strip_trailing_blank_lines("for x in y:\n    pass\n    \n") == "for x in y:\n    pass"
    assert strip_trailing_blank_lines("a") == "a"
