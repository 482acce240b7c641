"""text/html → readable text and rich tables, read back through a rich Console recording."""

from __future__ import annotations

import io

from rich.console import Console

from ick.render.html import render_html


def shown(html: str, width: int = 60) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    rendered = render_html(html)
    assert rendered is not None
    console.print(rendered)
    return console.export_text()


def test_a_table_with_a_header_row_becomes_a_table() -> None:
    text = shown(
        "<table><thead><tr><th>name</th><th>n</th></tr></thead>"
        "<tbody><tr><td>apples</td><td>3</td></tr><tr><td>pears</td><td>12</td></tr></tbody>"
        "</table>"
    )
    lines = [line.rstrip() for line in text.splitlines()]
    assert lines == ["name     n", "───────────", "apples   3", "pears    12"]


def test_a_pandas_style_table_keeps_its_index_and_drops_its_style_block() -> None:
    html = """<div><style scoped>.dataframe tbody tr th { vertical-align: top; }</style>
    <table border="1" class="dataframe"><thead>
    <tr style="text-align: right;"><th></th><th>a</th><th>b</th></tr>
    <tr><th>idx</th><th></th><th></th></tr></thead>
    <tbody><tr><th>0</th><td>1</td><td>x</td></tr><tr><th>1</th><td>2</td><td>y</td></tr></tbody>
    </table></div>"""
    lines = [line.rstrip() for line in shown(html).splitlines()]
    assert "vertical-align" not in "\n".join(lines)
    assert lines[0].split() == ["a", "b"]
    assert [line.split() for line in lines[2:]] == [["idx"], ["0", "1", "x"], ["1", "2", "y"]]


def test_text_blocks_lists_and_links() -> None:
    text = shown(
        "<h1>Title</h1><p>Some <b>bold</b>   and\n<a href='https://example.org/x'>a link</a>.</p>"
        "<ul><li>one</li><li>two<ol><li>first</li><li>second</li></ol></li></ul>"
        "<pre>  kept\n    as is</pre><script>alert(1)</script>"
    )
    assert text.splitlines() == [
        "Title",
        "Some bold and a link (https://example.org/x).",
        "• one",
        "• two",
        "  1. first",
        "  2. second",
        "  kept",
        "    as is",
    ]


def test_terminal_escapes_in_html_text_are_removed_after_entities_are_decoded() -> None:
    console = Console(width=60, force_terminal=True, color_system="256", file=io.StringIO())
    with console.capture() as capture:
        console.print(render_html("<p>a\x1b]52;c;cHduZWQ=\x07b &lt;c&gt; \x1b[6n</p>"))
    out = capture.get()
    assert "\x1b]" not in out and "\x07" not in out and "\x1b[6n" not in out
    assert "ab <c>" in out


def test_html_with_nothing_visible_gives_nothing() -> None:
    assert render_html("<style>p { color: red }</style><script>x()</script>") is None
    assert render_html("") is None


def test_broken_html_still_shows_its_text() -> None:
    text = shown("<table><tr><td>open cell<td>another")
    assert "open cell" in text and "another" in text


def test_a_nested_table_runs_on_inside_its_cell() -> None:
    text = shown("<table><tr><td>a</td><td>b<table><tr><td>in</td></tr></table></td></tr></table>")
    assert text.split() == ["a", "b", "in"]


def styles_of(html: str) -> dict[str, str]:
    """Each word of the rendering and the style it is drawn in."""
    rendered = render_html(html)
    assert rendered is not None
    console = Console(width=60, file=io.StringIO(), color_system="truecolor")
    styles: dict[str, str] = {}
    for line in console.render_lines(rendered, pad=False):
        for segment in line:
            for word in segment.text.split():
                styles[word] = str(segment.style or "")
    return styles


def test_an_end_tag_closes_its_own_style_not_the_latest() -> None:
    styles = styles_of("<p>a <b>x <i>y</b> z</i> w</p>")
    assert styles["x"] == "bold"
    assert set(styles["y"].split()) == {"bold", "italic"}
    assert styles["z"] == "italic"  # </b> ended the bold, not the italic opened after it
    assert styles["a"] == styles["w"] == ""


def test_a_style_left_open_in_a_cell_ends_with_the_cell() -> None:
    styles = styles_of("<table><tr><td><b>loud</td><td>calm</td></tr></table><p>after</p>")
    assert styles["loud"] == "bold"
    assert styles["calm"] == styles["after"] == ""


def test_pandas_multiindex_headers_stand_over_their_own_columns() -> None:
    import pandas as pd

    columns = pd.MultiIndex.from_product([["A", "B"], ["x", "y"]])
    index = pd.MultiIndex.from_product([["one", "two"], ["a", "b"]])
    frame = pd.DataFrame([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]],
                         columns=columns, index=index)  # fmt: skip
    lines = [line.rstrip() for line in shown(frame._repr_html_()).splitlines()]
    groups, names, first, second = lines[0], lines[2], lines[3], lines[4]
    # colspan=2: A over the first x, B over the second (not over y and the first x).
    assert groups.index("A") == names.index("x")
    assert groups.index("B") == names.rindex("x")
    # rowspan=2: the row under "one" keeps "one"'s column empty, its values under their names.
    assert first.split() == ["one", "a", "1", "2", "3", "4"]
    assert second.split() == ["b", "5", "6", "7", "8"]
    assert second.index("b") == first.index("a")
    assert second.index("8") == first.index("4")
