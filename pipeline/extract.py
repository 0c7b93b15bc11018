"""The extract stage: from a file's pages to a Document with every fact placed on its page."""
from __future__ import annotations

import hashlib

from extractors.identity import extract_identity
from extractors.measures import find_measures
from extractors.structure import segment
from models.records import Document, Page
from pipeline.normalise import CleanText, normalise


def content_hash(pages: list[Page]) -> str:
    """sha256 of the page texts: the same text read twice is the same document."""
    h = hashlib.sha256()
    for page in pages:
        h.update(page.text.encode("utf-8"))
        h.update(b"\f")
    return h.hexdigest()


def place_on_pages(clean: CleanText, start: int, end: int) -> tuple[int, int, int]:
    """(page, start, end) in the source page of a span of cleaned text."""
    return clean.map.span(start, end)


def build_document(source: str, pages: list[Page]) -> Document:
    """Run every extractor over one document's pages.

    >>> from models.records import Page
    >>> doc = build_document("x.txt", [Page(1, "Số: 187 /KH-UBND\\nKẾ HOẠCH\\nChuyển đổi số", "plain")])
    >>> doc.identity.id, doc.identity.type
    ('187/KH-UBND', 'Kế hoạch')
    """
    clean = normalise(pages)
    passages = segment(clean.text, clean.paragraphs)
    for passage in passages:
        passage.page, passage.page_start = clean.map.locate(passage.start)
    identity = extract_identity(clean.text, passages)
    doc_year = int(identity.date[:4]) if identity.date else None
    headings = [(p.start, p.text) for p in passages if p.kind == "heading"]
    measures = find_measures(clean.text, headings, doc_year)
    for measure in measures:
        measure.page, measure.start, measure.end = place_on_pages(clean, measure.start, measure.end)
    return Document(source=source, sha256=content_hash(pages), pages=pages, text=clean.text,
                    identity=identity, passages=passages, measures=measures)
