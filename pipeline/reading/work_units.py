"""Units of work for an engine that reads files elsewhere than in the writing process (a Ray cluster).

A unit is a file, or a range of a long PDF's pages to OCR. Either is read by the same
code as the local engine (`ingest.process_file`, `ocr.ocr_pdf_pages`) in a worker
process of `workers.WorkerPool`, so the per-file budgets, the crash isolation and the
documents are those of a local run. A long scan's page ranges are OCRed apart, then one
reader assembles the file exactly as the local reader does, taking the ranges' pages as
OCRed (`ocr.given_pages`) instead of OCRing them again.

    >>> unit = ReadUnit("/data/scans/qd742.pdf", "scans/qd742.pdf", pages=(1, 8))
    >>> unit.pages
    (1, 8)
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pypdfium2 as pdfium

from vanban.models.records import Page
from vanban.pipeline.reading import budgets
from vanban.pipeline.reading.ocr import given_pages, ocr_pdf_pages
from vanban.pipeline.reading.ocr import settings as ocr_settings
from vanban.extractors.cleaning.legacy_encodings import repair_text
from vanban.pipeline.reading.readers import CONTROL, _open_pdf, image_coverage, layer_text, ocr_reason


@dataclass(frozen=True)
class ReadUnit:
    """One file to read, or one range of its pages to OCR, as a worker sees it."""

    path: str  # where the worker reads it: an absolute path on a shared filesystem, or the shipped copy
    label: str  # the path as the driver found it: the documents' source, as the local engine labels them
    pages: Optional[tuple[int, int]] = None  # (first, last), 1-based: OCR only these pages of a PDF
    given: tuple = ()  # Pages OCRed by the file's range units, for the unit that assembles it
    env: tuple = ()  # the driver's VANBAN_* settings ((name, value) …): OCR mode, languages, dpi


def driver_settings() -> tuple:
    """The VANBAN_* variables of this process, for workers on other machines to read the same way."""
    return tuple(sorted((name, value) for name, value in os.environ.items() if name.startswith("VANBAN_")))


def use_driver_settings(env: tuple) -> None:
    """Make this worker's VANBAN_* variables the driver's (driver_settings()): a worker's own
    are those of the process it was forked from, set at another time or on another machine."""
    for name in [name for name in os.environ if name.startswith("VANBAN_")]:
        del os.environ[name]
    os.environ.update(dict(env))


def read_unit(unit: ReadUnit, progress: bool = False):
    """A WorkerPool task: (documents, warnings) of a file, or the OCRed Pages of a page range."""
    use_driver_settings(unit.env)
    if unit.pages:
        return ocr_range(Path(unit.path), *unit.pages)
    from vanban.pipeline.reading.ingest import process_file  # ingest imports the engines, not they it

    with given_pages(Path(unit.path), unit.given):
        documents, warnings = process_file(unit.path, progress=progress)
    for doc in documents:  # a JSONL line's label is 'name#id', the same wherever the file is read
        if doc.source == unit.path:
            doc.source = unit.label
    return documents, warnings


def ocr_range(path: Path, first: int, last: int) -> list[Page]:
    """The pages from first to last that the reader would OCR, OCRed.

    The same test as readers._read_pdf decides (a page whose text layer is missing or
    unusable, or every page with --ocr force); should it ever differ, the assembling
    reader OCRs whatever page was not given, so the document is the same, only slower.
    """
    mode = ocr_settings().mode
    if mode == "never":
        return []
    pdf = _open_pdf(path)
    try:
        numbers = []
        for index in range(first - 1, min(last, len(pdf))):
            budgets.check_time(index + 1)
            page = pdf[index]
            text = repair_text(CONTROL.sub("", layer_text(page.get_textpage().get_text_bounded())))
            if mode == "force" or ocr_reason(text, lambda: image_coverage(page)):
                numbers.append(index + 1)
    finally:
        pdf.close()
    return ocr_pdf_pages(path, numbers, jobs=1) if numbers else []


def pdf_page_count(path: Path) -> int:
    """Pages of a PDF, 0 for any other file or one pdfium cannot open (its reader will say why)."""
    try:
        with open(path, "rb") as fh:
            if b"%PDF-" not in fh.read(1024):
                return 0
        pdf = pdfium.PdfDocument(str(path))
    except (OSError, pdfium.PdfiumError):
        return 0
    try:
        return len(pdf)
    finally:
        pdf.close()

