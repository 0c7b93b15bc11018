"""A born-digital header's blank day taken from the PDF's digital signature
(pipeline/reading/analyse.py `use_signature_date`, readers.signature_dates)."""
from __future__ import annotations

from pathlib import Path

import pytest

from vanban.models.records import Identity, Page
from vanban.pipeline.dev.make_corpus import write_text_pdf
from vanban.pipeline.reading import analyse
from vanban.pipeline.reading.readers import signature_dates


def test_unsigned_and_non_pdf_files_have_no_signature_date(tmp_path: Path):
    pdf = tmp_path / "plain.pdf"
    write_text_pdf([["So: 11/TB-UBND"]], pdf)
    text = tmp_path / "a.txt"
    text.write_text("Số: 11/TB-UBND", encoding="utf-8")
    assert signature_dates(pdf) == [] and signature_dates(text) == [] and signature_dates(tmp_path / "none.pdf") == []


@pytest.mark.parametrize("method,date,signed,expected", [
    ("text", "2025-01", ["2025-01-08", "2025-01-09"], "2025-01-08"),  # the first signature in the printed month
    ("text", None, ["2025-01-08"], "2025-01-08"),  # 'ngày … tháng … năm' all blank
    ("text", "2025-01", ["2025-02-03"], "2025-01"),  # signed in another month: not this document's day
    ("ocr", "2020-04", ["2020-04-16"], "2020-04"),  # a scan keeps its month: the day was handwritten
    ("text", "2025-01-08", ["2025-01-09"], "2025-01-08"),  # a printed day stays
])
def test_blank_day_from_the_signature(monkeypatch, method, date, signed, expected):
    monkeypatch.setattr(analyse, "signature_dates", lambda path: signed)
    ident = Identity(date=date)
    analyse.use_signature_date(ident, "05.signed.pdf", [Page(1, "Số: 11/TB-UBND", method)])
    assert ident.date == expected
    assert ("digital signature" in ident.notes.get("date", "")) == (expected != date)
