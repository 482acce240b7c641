"""text/html → rich renderables: readable text, with tables as tables.

Only used when a bundle has nothing better (``IPython.display.HTML``, or a
user who put ``text/html`` first in ``--mime-order``).  A small walker over
the standard library's ``html.parser`` is enough for what kernels send:
paragraphs, headings, emphasis, lists, links, preformatted text and tables
(pandas, ``_repr_html_`` of most libraries).  It keeps ick free of an HTML
engine and of html2text's GPL; ``<style>``, ``<script>`` and ``<head>`` are
dropped.  Every piece of text is passed through the sanitiser *after* entity
decoding, since ``&#27;`` is an ESC once decoded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from rich import box
from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ick.render.sanitize import plain_text

__all__ = ["render_html"]

HIDDEN = {"style", "script", "head", "title", "template", "noscript"}
BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "figure",
    "figcaption", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "br", "table", "caption", "details", "summary", "form", "fieldset", "address",
}  # fmt: skip
INLINE_STYLES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strike", "del": "strike", "strike": "strike", "code": "cyan",
    "kbd": "cyan", "samp": "cyan", "tt": "cyan", "mark": "reverse", "small": "dim",
    "a": "underline",
}  # fmt: skip
HEADING_STYLES = {"h1": "bold underline", "h2": "bold", "h3": "bold", "h4": "bold italic"}
VOID = {"br", "hr", "img", "input", "meta", "link", "col", "area", "base", "wbr", "source"}

_SPACES = re.compile(r"[ \t\r\n\f]+")


#: HTML's own limits on a cell's spans; anything larger is taken as the limit.
MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534


@dataclass
class _Table:
    rows: list[list[Text]] = field(default_factory=list)
    header_rows: int = 0
    in_head: bool = False
    row_is_header: bool = True
    caption: Text | None = None
    #: Columns that cells from rows above still cover, and for how many rows below this one.
    spanned_below: dict[int, int] = field(default_factory=dict)
    #: The columns of the current row that cells from rows above cover.
    spanned_here: set[int] = field(default_factory=set)

    def start_row(self) -> None:
        self.rows.append([])
        self.row_is_header = True
        self.spanned_here = set(self.spanned_below)
        self.spanned_below = {
            column: rows - 1 for column, rows in self.spanned_below.items() if rows > 1
        }

    def place(self, cell: Text, colspan: int, rowspan: int) -> None:
        """The cell in the next free column of the current row, over ``colspan`` columns (it
        is shown in the first, the others left empty), and over ``rowspan`` rows."""
        row = self.rows[-1]
        while len(row) in self.spanned_here:
            row.append(Text(""))
        first = len(row)
        row.append(cell)
        row.extend(Text("") for _ in range(colspan - 1))
        if rowspan > 1:
            for column in range(first, first + colspan):
                self.spanned_below[column] = rowspan - 1


def _span(value: str | None, limit: int) -> int:
    """A colspan or rowspan attribute as HTML reads it: a positive integer, else 1."""
    match = re.match(r"\s*(\d+)", value or "")
    return min(max(int(match[1]), 1), limit) if match else 1


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[RenderableType] = []
        self.line = Text()
        # Open styles with the tag that opened each: an end tag closes its own, wherever it is.
        self.styles: list[tuple[str, str]] = []
        self.hidden = 0
        self.pre = 0
        self.lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
        self.tables: list[_Table] = []
        self.cell: Text | None = None
        self.cell_span = (1, 1)
        # The styles open when the current cell began: the cell's end closes any it opened.
        self.cell_styles = 0
        self.link: str | None = None
        self.link_text_start = 0

    # -- text -----------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        data = plain_text(data)
        if not self.pre:
            data = _SPACES.sub(" ", data)
            target = self.cell if self.cell is not None else self.line
            if not target.plain or target.plain.endswith((" ", "\n")):
                data = data.lstrip(" ")
            if not data:
                return
        target = self.cell if self.cell is not None else self.line
        target.append(data, style=" ".join(style for _tag, style in self.styles) or None)

    def flush_line(self) -> None:
        """End the current paragraph: what was collected becomes a block of its own."""
        if self.cell is not None:
            return
        line = self.line
        line.rstrip()
        if line.plain.strip():
            self.blocks.append(line)
        self.line = Text()

    # -- tags -------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN:
            self.hidden += 1
            return
        if self.hidden:
            return
        attributes = {name: value or "" for name, value in attrs}
        if tag in BLOCKS and tag not in ("br", "li"):
            self.flush_line()
        if tag == "br":
            self._newline()
        elif tag == "hr":
            self.blocks.append(Rule(style="dim"))
        elif tag == "pre":
            self.pre += 1
        elif tag in ("ul", "ol"):
            self.lists.append([1] if tag == "ol" else [])
        elif tag == "li":
            self.flush_line()
            depth = max(len(self.lists) - 1, 0)
            numbering = self.lists[-1] if self.lists else []
            if numbering:
                marker = f"{numbering[0]}. "
                numbering[0] += 1
            else:
                marker = "• "
            self.line.append("  " * depth + marker, style="dim")
        elif tag in HEADING_STYLES or tag in ("h5", "h6"):
            self.styles.append((tag, HEADING_STYLES.get(tag, "bold")))
        elif tag == "table":
            self.tables.append(_Table())
        elif tag == "thead" and self.tables:
            self.tables[-1].in_head = True
        elif tag == "tr" and self.tables:
            if len(self.tables) == 1:
                self._close_cell()  # an unclosed <td> ends where the next row starts
                self.tables[-1].start_row()
        elif tag in ("td", "th") and self.tables and self.tables[0].rows:
            if self.cell is not None and len(self.tables) > 1:
                self.cell.append(" ")  # a nested table's cells run on inside the outer cell
            else:
                self._close_cell()
                self.cell = Text()
                self.cell_styles = len(self.styles)
                self.cell_span = (
                    _span(attributes.get("colspan"), MAX_COLSPAN),
                    _span(attributes.get("rowspan"), MAX_ROWSPAN),
                )
            if tag == "td":
                self.tables[-1].row_is_header = False
            if tag == "th":
                self.styles.append(("th", "bold"))
        elif tag == "caption" and self.tables:
            self.cell = Text()
        elif tag == "img":
            alt = plain_text(attributes.get("alt", ""))
            self.handle_data(f"[image: {alt}]" if alt else "[image]")
        elif tag == "a":
            self.link = plain_text(attributes.get("href", ""))
            self.link_text_start = len((self.cell or self.line).plain)
            self.styles.append(("a", INLINE_STYLES["a"]))
        elif tag in INLINE_STYLES:
            self.styles.append((tag, INLINE_STYLES[tag]))

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
            return
        if self.hidden:
            return
        if tag in ("td", "th") and self.tables and self.cell is not None:
            if len(self.tables) == 1:
                self._close_cell()
            elif tag == "th":
                self._close_style("th")
            return
        if tag == "tr" and self.tables:
            table = self.tables[-1]
            # Header rows count only while they come first (thead, or rows of th only).
            if (
                table.rows
                and table.rows[-1]
                and (table.in_head or table.row_is_header)
                and table.header_rows == len(table.rows) - 1
            ):
                table.header_rows += 1
            return
        if tag == "thead" and self.tables:
            self.tables[-1].in_head = False
            return
        if tag == "caption" and self.tables and self.cell is not None:
            self.tables[-1].caption, self.cell = self.cell, None
            return
        if tag == "table" and self.tables:
            if len(self.tables) == 1:
                self._close_cell()
            table = self.tables.pop()
            if not self.tables:
                self.blocks.append(build_table(table))
            return
        if tag == "a" and self.link is not None:
            target = self.cell if self.cell is not None else self.line
            shown = target.plain[self.link_text_start :].strip()
            # Show where a link goes: a terminal hyperlink could hide it behind other text.
            if self.link and self.link != shown and not self.link.startswith("#"):
                target.append(f" ({self.link})", style="dim")
            self.link = None
            self._close_style("a")
            return
        if tag in HEADING_STYLES or tag in ("h5", "h6") or tag in INLINE_STYLES:
            self._close_style(tag)
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        if tag in BLOCKS:
            self.flush_line()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def _close_style(self, tag: str) -> None:
        """``</tag>`` ends the latest style ``<tag>`` opened, and no other: in
        ``<b>x <i>y</b> z</i>`` the z is italic only."""
        for index in range(len(self.styles) - 1, -1, -1):
            if self.styles[index][0] == tag:
                del self.styles[index]
                return

    def _close_cell(self) -> None:
        """The open cell of the outermost table, if any, joins its row; the styles it opened
        end with it, as a browser ends them at the cell's edge."""
        if self.cell is None or not self.tables or not self.tables[0].rows:
            return
        self.cell.rstrip()
        self.tables[0].place(self.cell, *self.cell_span)
        del self.styles[self.cell_styles :]
        self.cell = None

    def _newline(self) -> None:
        target = self.cell if self.cell is not None else self.line
        target.append("\n")

    def close(self) -> None:
        super().close()
        while self.tables:  # an unclosed table still shows what it has
            self.handle_endtag("table")
        self.flush_line()


def build_table(table: _Table) -> RenderableType:
    rows = [row for row in table.rows if row]
    if not rows:
        return Text("")
    columns = max(len(row) for row in rows)
    header_rows = min(table.header_rows, len(rows))
    result = Table(
        box=box.SIMPLE_HEAD,
        show_header=header_rows > 0,
        title=table.caption,
        pad_edge=False,
        show_edge=False,
        header_style="bold",
    )
    headers = rows[0] if header_rows else []
    for index in range(columns):
        heading = headers[index] if index < len(headers) else Text("")
        result.add_column(heading, justify="left", overflow="fold")
    for row_index, row in enumerate(rows[1 if header_rows else 0 :], start=1):
        cells = row + [Text("")] * (columns - len(row))
        # Further header rows (pandas' index-name row) are shown bold, as the first row of data.
        style = "bold" if row_index < header_rows else None
        result.add_row(*cells, style=style)
    return result


def render_html(source: str) -> RenderableType | None:
    """A renderable for an HTML fragment, or None when it has no visible text."""
    walker = _Walker()
    walker.feed(source)
    walker.close()
    if not walker.blocks:
        return None
    return Group(*walker.blocks)
