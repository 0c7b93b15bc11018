"""The extract stage: from a file's pages to a Document with every fact placed on its page.

Extractors give each fact its span in the cleaned text; this stage adds, through the
offset map, where the same words stand on their page (`OffsetMap.place`), so a stored
fact keeps both and nothing has to be found again by searching text.
"""
from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import regex

from vanban.extractors.identity import extract_identity, number_from_file_name
from vanban.extractors.measures import find_measures
from vanban.extractors.references import find_references
from vanban.extractors.structure import segment
from vanban.models.records import Document, Page
from vanban.pipeline.reading.readers import signature_dates
from vanban.extractors.cleaning.normalise import normalise


def content_hash(pages: list[Page]) -> str:
    """sha256 of the page texts: the same text read twice is the same document."""
    h = hashlib.sha256()
    for page in pages:
        h.update(page.text.encode("utf-8"))
        h.update(b"\f")
    return h.hexdigest()


def use_file_name_number(identity, file_name: str, header_scanned: bool) -> None:
    """Take the number an officer typed in a scan's file name ('299 UB.signed.pdf') when the
    header's is unreadable, missing from the OCR text, or read differently by OCR (a stamp
    or handwriting over the digits: OCR's 899 for 299)."""
    if not identity.symbol or not (header_scanned or "unreadable" in identity.notes.get("id", "")):
        return
    number = number_from_file_name(file_name, identity.symbol)
    if number and number.lstrip("0") != (identity.number or "").lstrip("0"):
        read = f" (OCR read {identity.number})" if identity.number else ""
        identity.number, identity.id = number, f"{number}/{identity.symbol}"
        identity.notes["id"] = (identity.notes.get("id", "") + "; " if identity.notes.get("id") else "") + \
            f"number taken from the file name{read}"


def use_signature_date(identity, source: str, pages: list[Page]) -> None:
    """A born-digital PDF whose header leaves the day blank ('ngày … tháng 01 năm 2025') is dated by
    its first digital signature when that falls in the printed month; a scan keeps its month, since
    its signature may be the copy's (sao y) or made days later."""
    if not pages or pages[0].method != "text" or (identity.date and len(identity.date) == 10):
        return
    days = signature_dates(Path(source.split("#")[0]))
    day = next((d for d in days if not identity.date or d.startswith(identity.date)), None)
    if day:
        blank = "the day and month" if identity.date and len(identity.date) == 4 else "the day"
        identity.date = day
        identity.notes["date"] = f"the header leaves {blank} blank; taken from the digital signature of {day}"


def plan_year(title: Optional[str]) -> Optional[int]:
    """The year a plan is for, from its trích yếu: '… an toàn thông tin mạng năm 2022' → 2022.

    A plan issued in October 2021 for 2022 sets targets for 2022, not for 2021.
    """
    years = regex.findall(r"\bnăm\s+((?:19|20)\d\d)\b", title or "")
    return int(years[-1]) if years else None


@contextmanager
def _timed(timings: Optional[dict], stage: str):
    """Add the seconds the block takes to timings[stage] (for `vanban bench`)."""
    start = time.perf_counter()
    yield
    if timings is not None:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


def build_document(source: str, pages: list[Page], timings: Optional[dict] = None) -> Document:
    """Run every extractor over one document's pages.

    >>> from vanban.models.records import Page
    >>> doc = build_document("x.txt", [Page(1, "Số: 187 /KH-UBND\\nKẾ HOẠCH\\nChuyển đổi số", "plain")])
    >>> doc.identity.id, doc.identity.type
    ('187/KH-UBND', 'Kế hoạch')
    """
    with _timed(timings, "normalise"):
        clean = normalise(pages)
    with _timed(timings, "structure"):
        passages = segment(clean.text, clean.paragraphs)
        for passage in passages:
            passage.span = clean.map.place(passage.span)
    with _timed(timings, "identity"):
        identity = extract_identity(clean.text, passages, ocr=any(page.method == "ocr" for page in pages))
        use_file_name_number(identity, Path(source.split("#")[0]).name, bool(pages) and pages[0].method == "ocr")
        use_signature_date(identity, source, pages)
        identity.spans = {name: clean.map.place(span) for name, span in identity.spans.items()}
    with _timed(timings, "references"):
        references = find_references(clean.text, province=identity.province, own_id=identity.id,
                                     issuer=identity.issuer, written=identity.date)
        for reference in references:
            for mention in reference.mentions:
                mention.span = clean.map.place(mention.span)
    with _timed(timings, "measures"):
        doc_year = plan_year(identity.title) or (int(identity.date[:4]) if identity.date else None)
        headings = [(p.span.start, p.text) for p in passages if p.kind == "heading"]
        measures = find_measures(clean.text, headings, doc_year)
        for measure in measures:
            measure.span = clean.map.place(measure.span)
    return Document(source=source, sha256=content_hash(pages), pages=pages, text=clean.text,
                    identity=identity, passages=passages, references=references, measures=measures)
