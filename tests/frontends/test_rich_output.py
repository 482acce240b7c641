"""Rich outputs in the REPL, through a real pty against the real ipykernel.

What the user reads is matched on the pty's text with escapes removed; what
must never reach the terminal is checked on the pty's raw bytes.
"""

from __future__ import annotations

import re

from tests.support.repl import start
from tests.support.terminal import PROMPT

IMPORTS = "from IPython.display import Markdown, Math, JSON, HTML, SVG, display"


def ready(spawn_ick, *args: str):
    term = start(spawn_ick, *args)
    term.enter(IMPORTS)
    term.expect(PROMPT.format(2))
    return term


def test_markdown_is_rendered_not_shown_as_source(spawn_ick):
    term = ready(spawn_ick)
    term.enter("Markdown('# Big title\\n\\nSome **strong** words\\n\\n* item one')")
    # The heading's and emphasis' markers are gone, the bullet drawn.
    term.expect(r"Out\[2\]: \n *Big title *\n")
    term.expect(r"\nSome strong words *\n")
    term.expect(r"\n *• item one")
    term.expect(PROMPT.format(3))


def test_json_is_pretty_printed(spawn_ick):
    term = ready(spawn_ick)
    term.enter("JSON({'key': [1, 2]})")
    term.expect(r'Out\[2\]: \n\{\n  "key": \[\n    1,\n    2\n  \]\n\}\n')


def test_latex_is_shown_as_unicode_math(spawn_ick):
    term = ready(spawn_ick)
    term.enter(r"Math(r'\frac{a}{b} + \alpha^2')")
    term.expect(r"Out\[2\]: \n a\s*\n─── \+ α²\n b\n")


def test_an_html_table_is_shown_as_a_table(spawn_ick):
    term = ready(spawn_ick)
    term.enter(
        "HTML('<table><tr><th>col1</th><th>col2</th></tr><tr><td>v1</td><td>v2</td></tr></table>')"
    )
    term.expect(r"Out\[2\]: \ncol1\s+col2\s*\n─{6,}\s*\nv1\s+v2\s*\n")


def test_a_dataframe_is_shown_by_its_text_plain_unless_html_is_asked_for(spawn_ick):
    code = "import pandas as pd; pd.DataFrame({'a': [1, 2], 'b': ['x', 'y']})"
    term = start(spawn_ick)
    term.enter(code)
    term.expect(r"Out\[1\]: \n   a  b\n0  1  x\n1  2  y\n")
    term.expect(PROMPT.format(2))
    assert "─" not in term.text and "<table" not in term.text

    term = start(spawn_ick, "--mime-order", "text/html")
    term.enter(code)
    term.expect(r"Out\[1\]: \n\s+a\s+b\s*\n─{5,}\s*\n0\s+1\s+x\s*\n1\s+2\s+y")


def test_terminal_escapes_inside_rich_outputs_never_reach_the_terminal(spawn_ick):
    term = ready(spawn_ick)
    # Only what the outputs wrote counts (ick's start-up may query the terminal itself).
    start_of_outputs = len(term.raw)
    hostile = r"\x1b]52;c;cHduZWQ=\x07\x1b]0;pwned\x07\x1b[c\x1bP+q544e\x1b\\\x1b[9;9H"
    for kind in ("text/markdown", "text/html", "text/latex", "text/plain"):
        term.enter(f"display({{'{kind}': 'AA{hostile}ZZ'}}, raw=True)")
        term.expect(r"\nAA ?ZZ")
    term.enter(f"display({{'application/json': {{'k': 'AA{hostile}ZZ'}}}}, raw=True)")
    term.expect(r'"k": "AA')
    term.expect(PROMPT.format(7))
    for forbidden in ("\x1b]52", "\x1b]0;pwned", "\x1b[c", "\x1bP+q", "\x1b[9;9H"):
        assert forbidden not in term.raw[start_of_outputs:], f"{forbidden!r} reached the terminal"


def test_an_svg_is_rasterised_and_drawn_as_an_image(spawn_ick):
    # Character art, which every terminal shows: the pty cannot show pixels.
    term = ready(spawn_ick, "--images", "blocks")
    term.enter(
        'SVG(\'<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40">'
        '<rect width="80" height="40" fill="#ff0000"/></svg>\')'
    )
    term.expect(r"Out\[2\]: \n[▀▄█]+")
    term.expect(PROMPT.format(3))
    assert "SVG object" not in term.text
    # Red, as the SVG is, in the 256 colours of TERM=xterm-256color.
    assert re.search(r"\x1b\[[0-9;]*[34]8;5;196", term.raw), "the image is not red"
