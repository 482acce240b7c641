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


@dataclass
class _Table:
    rows: list[list[Text]] = field(default_factory=list)
    header_rows: int = 0
    in_head: bool = False
    row_is_header: bool = True
    caption: Text | None = None


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[RenderableType] = []
        self.line = Text()
        self.styles: list[str] = []
        self.hidden = 0
        self.pre = 0
        self.lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
        self.tables: list[_Table] = []
        self.cell: Text | None = None
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
        target.append(data, style=" ".join(self.styles) or None)

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
            self.styles.append(HEADING_STYLES.get(tag, "bold"))
        elif tag == "table":
            self.tables.append(_Table())
        elif tag == "thead" and self.tables:
            self.tables[-1].in_head = True
        elif tag == "tr" and self.tables:
            if len(self.tables) == 1:
                self._close_cell()  # an unclosed <td> ends where the next row starts
                table = self.tables[-1]
                table.rows.append([])
                table.row_is_header = True
        elif tag in ("td", "th") and self.tables and self.tables[0].rows:
            if self.cell is not None and len(self.tables) > 1:
                self.cell.append(" ")  # a nested table's cells run on inside the outer cell
            else:
                self._close_cell()
                self.cell = Text()
            if tag == "td":
                self.tables[-1].row_is_header = False
            if tag == "th":
                self.styles.append("bold")
        elif tag == "caption" and self.tables:
            self.cell = Text()
        elif tag == "img":
            alt = plain_text(attributes.get("alt", ""))
            self.handle_data(f"[image: {alt}]" if alt else "[image]")
        elif tag == "a":
            self.link = plain_text(attributes.get("href", ""))
            self.link_text_start = len((self.cell or self.line).plain)
            self.styles.append(INLINE_STYLES["a"])
        elif tag in INLINE_STYLES:
            self.styles.append(INLINE_STYLES[tag])

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
            return
        if self.hidden:
            return
        if tag in ("td", "th") and self.tables and self.cell is not None:
            if tag == "th" and self.styles:
                self.styles.pop()
            if len(self.tables) == 1:
                self._close_cell()
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
            if self.styles:
                self.styles.pop()
            return
        if (tag in HEADING_STYLES or tag in ("h5", "h6") or tag in INLINE_STYLES) and self.styles:
            self.styles.pop()
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

    def _close_cell(self) -> None:
        """The open cell of the outermost table, if any, joins its row."""
        if self.cell is None or not self.tables or not self.tables[0].rows:
            return
        self.cell.rstrip()
        self.tables[0].rows[-1].append(self.cell)
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
