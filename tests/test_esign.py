"""vanban.pipeline.reading.esign: the number and day an e-signature stamps over a born-digital header."""
from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageDraw, ImageFont

from vanban.pipeline.reading import esign
from vanban.pipeline.reading.analyse import build_document
from vanban.pipeline.dev.make_corpus import find_font, write_text_pdf
from vanban.pipeline.reading.readers import read_documents

HEADER = ["ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
          "TỈNH QUẢNG NGÃI                    Độc lập - Tự do - Hạnh phúc",
          "Số:            /TB-UBND        Quảng Ngãi, ngày         tháng 11 năm 2024",
          "",
          "THÔNG BÁO",
          "Kết luận của Phó Chủ tịch UBND tỉnh tại cuộc họp về Chương trình mục tiêu quốc gia",
          "Ngày 10/11/2024, Phó Chủ tịch UBND tỉnh chủ trì cuộc họp nghe báo cáo tình hình thực hiện."]


def test_header_blanks_and_filling_them():
    line = "Số: /TB-UBND Quảng Ngãi, ngày tháng 01 năm 2025"
    assert esign.header_blanks(line) == {"number", "day"}
    assert esign.header_blanks("Số: 11/TB-UBND Quảng Ngãi, ngày 08 tháng 01 năm 2025") == set()
    filled = esign.fill_blanks(line, [esign.Stamp("number", "11"), esign.Stamp("day", "08")])
    assert filled == "Số: 11/TB-UBND Quảng Ngãi, ngày 08 tháng 01 năm 2025"


def test_blanks_far_below_the_header_are_not_touched():
    body = "x" * esign.HEADER_CHARS + " Số: /TB-UBND"
    assert esign.header_blanks(body) == set()
    assert esign.fill_blanks(body, [esign.Stamp("number", "5")]) == body


def _digits_image(text: str, slant: float = 0.0) -> Image.Image:
    font = ImageFont.truetype(str(find_font()), 50)
    image = Image.new("L", (260, 90), 255)
    ImageDraw.Draw(image).text((20, 10), text, font=font, fill=0)
    if slant:  # a slanted stamp, as the italic days of Quảng Ngãi's e-office
        image = image.transform(image.size, Image.AFFINE, (1, slant, 0, 0, 1, 0), resample=Image.BICUBIC, fillcolor=255)
    return image


def test_reads_upright_and_slanted_digits():
    assert esign.read_digits(_digits_image("565")) == "565"
    assert esign.read_digits(_digits_image("15", slant=0.25)) == "15"
    assert esign.read_digits(Image.new("L", (100, 40), 255)) is None  # no ink


def _stamp(pdf, page, font, text: str, left: float, bottom: float) -> None:
    """A stamp annotation whose appearance prints `text` at (left, bottom)."""
    annot = pdfium_c.FPDFPage_CreateAnnot(page.raw, pdfium_c.FPDF_ANNOT_STAMP)
    rect = pdfium_c.FS_RECTF(left - 2, bottom + 22, left + 60, bottom - 6)  # left, top, right, bottom
    pdfium_c.FPDFAnnot_SetRect(annot, rect)
    obj = pdfium_c.FPDFPageObj_CreateTextObj(pdf.raw, font, 13.0)
    buffer = ctypes.create_string_buffer((text + "\0").encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, left, bottom)
    pdfium_c.FPDFAnnot_AppendObject(annot, obj)
    pdfium_c.FPDFPage_CloseAnnot(annot)


def _right_of(textpage, word: str) -> tuple[float, float]:
    """(x just right of, baseline of) the first `word` on the page."""
    text = textpage.get_text_range()
    index = text.index(word) + len(word) - 1
    _, bottom, right, _ = textpage.get_charbox(index)
    return right + 6, bottom


@pytest.fixture
def esigned_pdf(tmp_path) -> Path:
    """A born-digital notice whose number and day exist only as stamp annotations."""
    plain = tmp_path / "plain.pdf"
    write_text_pdf([HEADER], plain, find_font())
    pdf = pdfium.PdfDocument(str(plain))
    page = pdf[0]
    font = pdfium_c.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")
    textpage = page.get_textpage()
    _stamp(pdf, page, font, "565", *_right_of(textpage, "Số:"))
    _stamp(pdf, page, font, "15", *_right_of(textpage, "ngày"))
    out = tmp_path / "565 TB.signed.pdf"
    pdf.save(str(out))
    pdf.close()
    return out


def test_stamped_number_and_day_fill_the_header(esigned_pdf):
    assert {(s.role, s.digits) for s in esign.read_stamps(esigned_pdf)} == {("number", "565"), ("day", "15")}
    [(label, pages, notes)] = read_documents(esigned_pdf)
    assert "Số: 565/TB-UBND" in pages[0].text and "ngày 15 tháng 11" in pages[0].text
    assert any("e-signature stamps" in note for note in notes)
    identity = build_document(label, pages).identity
    assert (identity.id, identity.date) == ("565/TB-UBND", "2024-11-15")


def test_a_header_without_stamps_keeps_its_blanks(tmp_path):
    unsigned = tmp_path / "draft.pdf"
    write_text_pdf([HEADER], unsigned, find_font())
    [(label, pages, notes)] = read_documents(unsigned)
    assert "Số: /TB-UBND" in " ".join(pages[0].text.split()) and not notes
    assert build_document(label, pages).identity.date == "2024-11"
