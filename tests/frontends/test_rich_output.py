"""Rich outputs in the REPL, through a real pty against the real ipykernel.

What the user reads is matched on the pty's text with escapes removed; what
must never reach the terminal is checked on the pty's raw bytes.
"""

from __future__ import annotations

import fcntl
import re
import struct
import termios

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


SYMPY_INTEGRAL = (
    "import sympy as sp; sp.init_printing(); x = sp.symbols('x'); sp.integrate(sp.sin(x)**2, x)"
)


def test_a_sympy_result_is_its_formula_not_a_smear_of_its_png(spawn_ick):
    # sympy sends a 200x20 PNG beside its pretty text: drawn in character art it was an
    # empty-looking Out[1] one row high.
    term = start(spawn_ick, "--images", "blocks")
    term.enter(SYMPY_INTEGRAL)
    term.expect(r"Out\[1\]: \nx   sin\(x\)⋅cos\(x\)\s*\n─ - ─────────────\s*\n2         2")
    term.expect(PROMPT.format(2))
    assert "▀" not in term.text and "▄" not in term.text


def test_an_image_too_small_to_make_out_gives_way_even_when_asked_for_first(spawn_ick):
    term = start(spawn_ick, "--images", "blocks", "--mime-order", "image/png,text/latex")
    term.enter(SYMPY_INTEGRAL)
    # The LaTeX, next in the order asked for, rendered: a fraction over a rule.
    term.expect(r"Out\[1\]: \n x     sin\(x\) cos\(x\)\s*\n─── - ─+\s*\n 2           2")
    term.expect(PROMPT.format(2))
    assert "▀" not in term.text and "▄" not in term.text


def test_html_is_shown_for_objects_whose_text_is_a_default_repr(spawn_ick):
    term = start(spawn_ick)
    term.enter("import pandas as pd; pd.DataFrame({'a': [1, 2]}).style")
    term.expect(r"Out\[1\]: \n\s+a\s*\n─+\s*\n0\s+1\s*\n1\s+2")
    term.enter("class Shown: _repr_html_ = lambda self: '<p>from <b>html</b></p>'")
    term.expect(PROMPT.format(3))
    term.enter("Shown()")
    term.expect(r"Out\[3\]: \s*from html\n")
    assert "Styler at 0x" not in term.text and "Shown at 0x" not in term.text


def test_character_art_on_large_cells_is_sized_as_at_a_typical_cell(spawn_ick):
    term = start(spawn_ick, "--images", "blocks")
    # The terminal reports 16x32-pixel cells (a high-density screen): 120x40 cells.
    fcntl.ioctl(term.child.child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 1920, 1280))
    term.enter(
        "import io, matplotlib; matplotlib.use('agg'); import matplotlib.pyplot as plt; "
        "from IPython.display import Image, display; "
        "figure = plt.figure(figsize=(5.56, 4.13), dpi=100); plt.plot([1, 3, 2]); "
        "png = io.BytesIO(); figure.savefig(png, format='png'); display(Image(png.getvalue()))"
    )
    term.expect(PROMPT.format(2))
    art = [line.strip() for line in term.text.splitlines() if "▀" in line or "▄" in line]
    # 556x413 pixels at a typical 10x20 cell: 56 columns, 21 rows (it took 35x13 of 16x32).
    assert len(art) == 21
    assert max(len(line) for line in art) == 56
