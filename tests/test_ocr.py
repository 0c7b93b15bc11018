"""vanban.pipeline.reading.ocr with the real tesseract on a scanned page made from a seed."""
from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from vanban.pipeline.dev.make_corpus import find_font, layout, scan_page, seed_lines, write_scanned_pdf, write_text_pdf
from vanban.pipeline.reading import ocr
from vanban.pipeline.reading.readers import read_documents
from PIL import ImageFont

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


@pytest.fixture(scope="module")
def scanned_seed(tmp_path_factory):
    """Page 1 and 2 of seed 001 (Kế hoạch 187/KH-UBND) as an image-only PDF."""
    folder = tmp_path_factory.mktemp("scan")
    font = ImageFont.truetype(str(find_font()), 12)
    seed = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8")
    write_text_pdf(layout(seed_lines(seed), font)[:2], folder / "text.pdf", find_font())
    write_scanned_pdf(folder / "text.pdf", folder / "scan.pdf", seed=7, pages=2)
    return folder / "scan.pdf"


def test_parse_tsv_mean_confidence_of_words():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t96.5\tSố:\n"
           "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t90.5\t187\n"
           "5\t1\t1\t1\t1\t3\t0\t0\t10\t10\t12\t \n")
    assert ocr.parse_tsv(tsv) == 93.5
    assert ocr.parse_tsv(tsv.splitlines()[0]) == 0.0


def test_prepare_enlarges_only_small_images():
    from PIL import Image
    assert ocr.prepare(Image.new("RGB", (576, 960), "white")).size == (1152, 1920)
    assert ocr.prepare(Image.new("L", (2480, 3508), 255)).size == (2480, 3508)
    assert ocr.prepare(Image.new("RGB", (10, 10))).mode == "L"


@pytest.mark.slow
def test_scanned_page_number_and_date_are_recognised(scanned_seed):
    pages = ocr.ocr_pdf_pages(scanned_seed, [2, 1], jobs=2)
    assert [p.number for p in pages] == [2, 1] and {p.method for p in pages} == {"ocr"}
    first = pages[1]
    assert "Số: 187 /KH-UBND" in first.text
    assert "ngày 03 tháng 10 năm 2022" in first.text
    assert first.ocr_confidence > 80


@pytest.mark.slow
def test_reader_ocrs_an_image_only_pdf(scanned_seed):
    [(label, pages, notes)] = read_documents(scanned_seed, ocr_jobs=2)
    assert [p.method for p in pages] == ["ocr", "ocr"]
    assert notes == ["OCR on page(s) 1, 2: scanned page"]
    assert "Tuyên Quang" in pages[0].text


@pytest.mark.slow
def test_ocr_image_of_a_png(tmp_path, scanned_seed):
    pdf = pdfium.PdfDocument(str(scanned_seed))
    image = scan_page(ocr.render_page(pdf, 0), random.Random(1))
    pdf.close()
    image.save(tmp_path / "page.png")
    [(label, pages, notes)] = read_documents(tmp_path / "page.png")
    assert "187 /KH-UBND" in pages[0].text and pages[0].method == "ocr"


@pytest.mark.slow
@pytest.mark.parametrize("turned", [180, 90])
def test_a_page_fed_turned_is_read_upright(tmp_path, scanned_seed, turned):
    pdf = pdfium.PdfDocument(str(scanned_seed))
    image = ocr.render_page(pdf, 0).rotate(turned, expand=True)  # upside down, or on its side
    pdf.close()
    image.save(tmp_path / "page.png")
    [(label, pages, notes)] = read_documents(tmp_path / "page.png")
    assert "187 /KH-UBND" in pages[0].text and pages[0].ocr_confidence > 80
    # PIL turns counterclockwise; the page is set upright by as many degrees clockwise
    assert pages[0].turned == turned and any(f"page(s) 1 read after turning them {turned}° clockwise" in n for n in notes)


def test_no_orientation_check_without_its_data(monkeypatch):
    monkeypatch.setattr(ocr, "languages", lambda: frozenset({"vie", "eng"}))
    assert ocr._turn_upright("tesseract", Path("page.png"), {}, 10) == 0


@pytest.fixture
def fresh_check():
    ocr.check_tesseract.cache_clear()
    ocr.languages.cache_clear()
    yield
    ocr.check_tesseract.cache_clear()
    ocr.languages.cache_clear()


def test_missing_tesseract_says_how_to_install(monkeypatch, fresh_check):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    with pytest.raises(ocr.OcrUnavailable, match="tesseract is not installed; run ./setup.sh.*tesseract-ocr-vie"):
        ocr.check_tesseract()


def test_missing_vietnamese_data_says_how_to_install(monkeypatch, fresh_check):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: "/usr/bin/tesseract")
    monkeypatch.setattr(ocr.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, "List of:\neng\nosd\n", ""))
    with pytest.raises(ocr.OcrUnavailable, match="no Vietnamese data.*apt-get install tesseract-ocr tesseract-ocr-vie"):
        ocr.check_tesseract()


def test_scanner_pages_are_taken_as_embedded_not_rendered(scanned_seed, tmp_path):
    pdf = pdfium.PdfDocument(str(scanned_seed))
    image = ocr._page_scan(pdf[0])
    assert image is not None and image.mode == "L" and image.width >= 2400
    assert ocr.render_page(pdf, 0).size == image.size
    text_pdf = pdfium.PdfDocument(str(scanned_seed.parent / "text.pdf"))
    assert ocr._page_scan(text_pdf[0]) is None  # born-digital: rendered


def test_black_and_white_scans_are_rendered_for_grey_edges(scanned_seed, tmp_path):
    pdf = pdfium.PdfDocument(str(scanned_seed))
    fax_like = tmp_path / "bilevel.pdf"
    ocr._page_scan(pdf[0]).convert("1").save(fax_like, "PDF", resolution=300)
    bilevel = pdfium.PdfDocument(str(fax_like))
    assert ocr._page_scan(bilevel[0]) is None  # 1 bit per pixel: pdfium renders it
    rendered = ocr.render_page(bilevel, 0)
    assert rendered.mode == "L" and len(rendered.getcolors(256)) > 2  # smoothed into greys


@pytest.mark.slow
def test_ocr_pages_of_a_scan_show_a_progress_bar(capsys):
    from tests.conftest import ROOT
    scan = next((ROOT / "corpus" / "scanned").glob("*.pdf"), None)
    if scan is None:
        pytest.skip("corpus/scanned is empty: run setup.sh")
    ocr.ocr_pdf_pages(scan, [1], jobs=1, progress=True)
    assert "OCR " in capsys.readouterr().err
