"""A stored document's text for its page: references and figures marked from their stored
spans (`annotate`), with a marker where each page begins and an anchor before the first
mention of each cited document (the cited-by page links to it).

Markers are not marks: each is written into the text as one noncharacter before
`annotate` escapes and marks it, the spans shifted past them, and replaced by its HTML
after, so `annotate` stays the one place that marks text.
"""
from __future__ import annotations

import bisect
import html
from dataclasses import replace

import sqlite_utils

from vanban.pipeline.reports.annotate import Mark, anchor, annotate, document_marks
from vanban.pipeline.store import text_of

SLOT = "\ufdd0"  # a noncharacter: never text, so it can stand for a marker
REPLACEMENT = "\ufffd"


def citation_anchor(node_id: str) -> str:
    """The id of the place a document first cites node_id: 'cite-47-2020-NĐ-CP-2020-national'."""
    return "cite-" + anchor(node_id)[len("node-"):]


def page_starts(db: sqlite_utils.Database, doc_id: str) -> list[tuple[int, int]]:
    """(page, offset in the cleaned text where its first passage starts), by page."""
    return [(r[0], r[1]) for r in db.conn.execute(
        "select page, min(clean_start) from passages where doc_id = ? and clean_start is not null "
        "group by page order by page", [doc_id])]


def document_text(db: sqlite_utils.Database, row: dict, page_label) -> tuple[str, list[dict], list[dict]]:
    """(HTML of the marked text, the document's references, its measures).

    page_label(n) gives the words of a page marker ('Trang 2').
    """
    marks, references, measures = document_marks(db, row)
    text = text_of(db, row["doc_id"]).replace(SLOT, REPLACEMENT)
    markers: list[tuple[int, str]] = [
        (offset, f'<span class="page-marker" id="page-{page}">{html.escape(page_label(page))}</span>')
        for page, offset in page_starts(db, row["doc_id"]) if page > 1 and 0 <= offset <= len(text)]
    first_mention: dict[str, int] = {}
    for mark in marks:
        node = mark.url[len("#"):] if mark.url.startswith("#node-") else None
        if node and mark.span.start is not None and 0 <= mark.span.start < len(text):
            first_mention[node] = min(first_mention.get(node, mark.span.start), mark.span.start)
    markers += [(offset, f'<span class="cite-anchor" id="cite-{html.escape(node[len("node-"):])}"></span>')
                for node, offset in first_mention.items()]
    return _with_markers(text, marks, markers), references, measures


def _with_markers(text: str, marks: list[Mark], markers: list[tuple[int, str]]) -> str:
    """annotate(text, marks) with each marker's HTML at its offset (before a mark starting there)."""
    markers = sorted(markers, key=lambda m: m[0])
    offsets = [offset for offset, _ in markers]
    pieces, at = [], 0
    for offset in offsets:
        pieces += [text[at:offset], SLOT]
        at = offset
    pieces.append(text[at:])

    def shifted(position: int | None, inclusive: bool) -> int | None:
        if position is None:
            return None
        return position + (bisect.bisect_right if inclusive else bisect.bisect_left)(offsets, position)

    moved = [replace(m, span=replace(m.span, start=shifted(m.span.start, True), end=shifted(m.span.end, False)))
             for m in marks]
    marked = annotate("".join(pieces), moved)
    out = marked.split(SLOT)
    return out[0] + "".join(html_ + rest for (_, html_), rest in zip(markers, out[1:]))
