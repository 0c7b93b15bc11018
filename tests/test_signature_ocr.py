"""vanban.pipeline.reading.signature_ocr: the signer's name found again under a red seal."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from vanban.models.records import Page
from vanban.pipeline.reading.analyse import build_document
from vanban.pipeline.dev.make_corpus import find_font
from vanban.pipeline.reading.signature_ocr import rescue_signer, without_red

LINES = ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số: 23/BC-UBND", "BÁO CÁO",
         "Tình hình thực hiện công tác cải cách thủ tục hành chính", "Trên đây là kết quả thực hiện./."]


def test_red_fades_black_and_blue_stay():
    image = Image.new("RGB", (3, 1))
    image.putdata([(200, 30, 30), (10, 10, 10), (20, 40, 160)])  # seal red, print black, pen blue
    red, black, blue = (without_red(image).getpixel((x, 0)) for x in range(3))
    assert red > 190 and black < 20 and blue < 40


@pytest.fixture
def sealed_scan(tmp_path) -> Path:
    """A page image whose signer's name lies under a red seal's ring and star."""
    font = ImageFont.truetype(str(find_font()), 34)
    page = Image.new("RGB", (1700, 2200), "white")
    draw = ImageDraw.Draw(page)
    for i, line in enumerate(LINES):
        draw.text((120, 120 + i * 70), line, font=font, fill="black")
    for i, line in enumerate(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]):
        draw.text((1000, 1300 + i * 55), line, font=font, fill="black")
    draw.text((1000, 1700), "Trần Hoàng Tuấn", font=font, fill="black")
    # the seal, inked over the print (ink multiplies: black stays black under red)
    seal = Image.new("RGB", page.size, "white")
    stamp = ImageDraw.Draw(seal)
    stamp.ellipse((820, 1420, 1220, 1820), outline=(215, 40, 45), width=18)
    for y in range(1690, 1760, 9):
        stamp.line((830, y, 1300, y - 40), fill=(215, 40, 45), width=5)
    path = tmp_path / "sealed.png"
    ImageChops.multiply(page, seal).save(path)
    return path


def test_signer_under_a_red_seal_is_read_again_without_it(sealed_scan):
    from vanban.pipeline.reading.readers import read_file

    pages = read_file(sealed_scan)
    doc = build_document(str(sealed_scan), pages)
    doc.identity.signer = None  # as when the grey OCR lost the name under the seal
    assert rescue_signer(sealed_scan, doc)
    assert doc.identity.signer == "Trần Hoàng Tuấn"
    assert doc.identity.signer_title == "Phó Chủ tịch" and "red seal" in doc.identity.notes["signer"]


def test_nothing_is_looked_at_again_when_the_signer_is_known(tmp_path):
    doc = build_document("x.txt", [Page(1, "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Hoàng Tuấn", "ocr")])
    assert doc.identity.signer == "Trần Hoàng Tuấn"
    assert not rescue_signer(tmp_path / "absent.pdf", doc)  # the file is never opened


def test_ingest_looks_again_under_the_seal(sealed_scan):
    from vanban.pipeline.reading.ingest import process_file

    [doc], _ = process_file(str(sealed_scan))
    assert doc.identity.signer == "Trần Hoàng Tuấn"  # the grey OCR alone loses it under the ring
