"""The text of an HTML page: a web page, or a Word document saved as "Web Page" (portals
often serve those named `.doc`).

One line per paragraph, heading or list item; a table row is one line, its cells joined by
' | ' and a paragraph inside a cell joined to it by a space, but a table laying out the
header or the signature block (grammar.LAYOUT_PART) gives each cell's lines, cell after
cell: as DOCX tables are read (readers._read_docx), so an official document reads the same
either way. Scripts, styles, Word's `<xml>` properties and comments (its conditional ones
too) are left out; entities are decoded and runs of white space are one space.

    >>> html_text("<table><tr><td><p>ỦY BAN NHÂN DÂN</p><p>TỈNH HÀ GIANG</p></td>"
    ...           "<td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</td></tr></table><p>KẾ&nbsp;HOẠCH</p>")
    'ỦY BAN NHÂN DÂN\\nTỈNH HÀ GIANG\\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\\n\\nKẾ HOẠCH'
    >>> html_text("<table><tr><td>Tỷ lệ hồ sơ</td><td>90%</td></tr></table>")
    'Tỷ lệ hồ sơ | 90%'
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Optional

from vanban.extractors.grammar import LAYOUT_PART

# tags that end a line (and start one)
BLOCKS = {"address", "article", "blockquote", "br", "center", "dd", "div", "dl", "dt", "footer", "form",
          "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section", "ul"}
SKIPPED = {"noscript", "script", "style", "template", "title", "xml"}  # their text is not the document's
CELLS = {"td", "th"}
WHITESPACE = re.compile(r"\s+")


def html_text(markup: str) -> str:
    """The lines of text an HTML page shows, as above."""
    parser = _Lines()
    parser.feed(markup)
    parser.close()
    return "\n".join(parser.lines).strip("\n")


class _Lines(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.words: list[str] = []  # the text of the line being read
        self.rows: list[list[str]] = []  # the rows of the table being read, its cells' lines joined by '\\n'
        self.row: Optional[list[str]] = None  # the cells of the table row being read
        self.cell: Optional[list[str]] = None  # the text of the cell being read
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        elif tag == "tr":
            self._end_row()
            self._break()
            self.row = []
        elif tag in CELLS:
            self._end_cell()
            self._break()  # text before the cell is a line of its own
            self.cell = []
        elif tag in BLOCKS:
            self._break()

    def handle_startendtag(self, tag: str, attrs) -> None:  # <br/>, <hr/>: a break, nothing to skip
        if tag in BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in CELLS:
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag == "table":
            self._end_table()
        elif tag in BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            (self.cell if self.cell is not None else self.words).append(data)

    def close(self) -> None:
        super().close()
        self._end_table()
        self._break()

    def _break(self) -> None:
        if self.cell is not None:  # a cell's paragraphs: its lines, or one line (_end_table decides)
            self.cell.append("\n")
            return
        text = _collapsed(self.words)
        if text:
            self.lines.append(text)
        self.words = []

    def _end_cell(self) -> None:
        if self.cell is None:
            return
        text = "\n".join(line for line in map(_collapsed, "".join(self.cell).split("\n")) if line)
        self.cell = None
        if self.row is None:  # a cell outside any row: a row of its own
            self.row = []
        self.row.append(text)

    def _end_row(self) -> None:
        self._end_cell()
        if self.row is not None:
            if any(self.row):
                self.rows.append(self.row)
            self.row = None

    def _end_table(self) -> None:
        self._end_row()
        if not self.rows:
            return
        self.lines += table_lines(self.rows)
        self.lines.append("")
        self.rows = []


def table_lines(rows: list[list[str]]) -> list[str]:
    """The lines of a table given its rows' cell texts (a cell's lines joined by '\\n'), a merged
    cell repeated beside itself once: a row a line, cells joined by ' | ', or, in a table laying
    out the header or the signature block (grammar.LAYOUT_PART), each cell's lines (DOCX too)."""
    rows = [[text for i, text in enumerate(row) if i == 0 or row[i - 1] != text] for row in rows]
    if any(LAYOUT_PART.search(text) for row in rows for text in row):
        return [line for row in rows for text in row for line in text.split("\n")]
    return [" | ".join(text.replace("\n", " ") for text in row) for row in rows]


def _collapsed(parts: list[str]) -> str:
    return WHITESPACE.sub(" ", "".join(parts)).strip()
