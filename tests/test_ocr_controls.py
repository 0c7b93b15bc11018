"""OCR controls (--ocr auto|force|never, --ocr-lang, --dpi: pipeline/reading/ocr.py OcrSettings)
and page images read as one document (pipeline/reading/readers.py page_images), on images and
PDFs made here."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from vanban.models.records import UnreadableFile
from vanban.pipeline.cli.main import main
from vanban.pipeline.dev.make_corpus import find_font, write_scanned_pdf, write_text_pdf
from vanban.pipeline.reading import ocr
from vanban.pipeline.reading.readers import page_images, read_documents

LINES = ["Can cu Nghi dinh so 45/2020/ND-CP ngay 08/4/2020 cua Chinh phu ve thuc hien thu tuc hanh chinh",
         "tren moi truong dien tu; cac co quan, don vi trien khai thuc hien ke hoach nay theo dung quy dinh."]


def _page_image(path: Path, text: str) -> Path:
    image = Image.new("L", (1700, 400), 255)
    ImageDraw.Draw(image).text((40, 150), text, fill=0, font=ImageFont.truetype(str(find_font()), 40))
    image.save(path)
    return path


@pytest.mark.parametrize("env,expected", [
    ({}, ("auto", "vie", 300)),
    ({"VANBAN_OCR": "force", "VANBAN_OCR_LANG": "vie+eng", "VANBAN_DPI": "400"}, ("force", "vie+eng", 400)),
])
def test_settings_from_the_environment(monkeypatch, env, expected):
    for name in ("VANBAN_OCR", "VANBAN_OCR_LANG", "VANBAN_DPI"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    s = ocr.OcrSettings.from_env()
    assert (s.mode, s.lang, s.dpi) == expected


@pytest.mark.parametrize("name,value,message", [
    ("VANBAN_OCR", "sometimes", "auto, force, never"), ("VANBAN_DPI", "lots", "whole number"),
    ("VANBAN_DPI", "5", "70 to 1200"), ("VANBAN_OCR_LANG", "vie; rm", "joined by"),
])
def test_bad_settings_say_what_to_use(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        ocr.OcrSettings.from_env()


def test_never_on_a_scan_without_a_text_layer_says_there_is_no_text_and_why(tmp_path, monkeypatch):
    text_pdf, pdf = tmp_path / "text.pdf", tmp_path / "scan.pdf"
    write_text_pdf([LINES], text_pdf, find_font())
    write_scanned_pdf(text_pdf, pdf, seed=1)  # a scan: auto would OCR it
    monkeypatch.setenv("VANBAN_OCR", "never")
    with pytest.raises(UnreadableFile, match=r"no text: its page holds no words in a text layer, and OCR is off "
                                             r"\(.*--ocr never.*scanned page"):
        list(read_documents(pdf))


def test_never_refuses_an_image(tmp_path, monkeypatch):
    monkeypatch.setenv("VANBAN_OCR", "never")
    with pytest.raises(UnreadableFile, match="--ocr never"):
        list(read_documents(_page_image(tmp_path / "a.png", "Kinh gui")))


@pytest.mark.slow
def test_force_ocrs_a_good_text_layer(tmp_path, monkeypatch):
    pdf = tmp_path / "good.pdf"
    write_text_pdf([LINES], pdf, find_font())
    monkeypatch.setenv("VANBAN_OCR", "force")
    monkeypatch.setenv("VANBAN_DPI", "200")
    (_, pages, notes), = read_documents(pdf)
    assert pages[0].method == "ocr" and "45/2020" in pages[0].text
    assert any("--ocr force" in n for n in notes)


def test_a_missing_language_is_named(monkeypatch):
    ocr.check_tesseract.cache_clear()
    monkeypatch.setattr(ocr, "languages", lambda: frozenset({"vie"}))
    try:
        with pytest.raises(ocr.OcrUnavailable, match="no data for xyz .*tesseract-ocr-xyz"):
            ocr.check_tesseract("vie+xyz")
    finally:
        ocr.check_tesseract.cache_clear()


def test_page_images_are_grouped_by_name(tmp_path):
    for name in ("cv_2.jpg", "cv_1.jpg", "cv_10.jpg", "other.jpg", "299.jpg", "note.txt"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in page_images(tmp_path / "cv_10.jpg")] == ["cv_1.jpg", "cv_2.jpg", "cv_10.jpg"]
    assert page_images(tmp_path / "other.jpg") == [tmp_path / "other.jpg"]
    assert page_images(tmp_path / "299.jpg") == [tmp_path / "299.jpg"]  # a number, with other files beside it


def test_a_folder_of_numbered_page_images(tmp_path):
    for name in ("001.png", "002.png", "001_gt.txt"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in page_images(tmp_path / "002.png")] == ["001.png", "002.png"]


@pytest.mark.slow
def test_two_page_images_and_a_transcription_are_one_document(tmp_path):
    _page_image(tmp_path / "cv_1.png", "So: 1906/SGDDT-CTrTT")
    _page_image(tmp_path / "cv_2.png", "Noi nhan: Nhu tren")
    (tmp_path / "cv_1_gt.txt").write_text("Số: 1906/SGDĐT-CTrTT", encoding="utf-8")
    documents = [doc for path in sorted(tmp_path.iterdir()) for doc in read_documents(path)]
    assert len(documents) == 1
    label, pages, notes = documents[0]
    assert label.endswith("cv_1.png") and [p.number for p in pages] == [1, 2]
    assert "1906" in pages[0].text and "Nhu tren" in pages[1].text.replace("Nhu  tren", "Nhu tren")
    assert any("2 page images" in n for n in notes)


def test_cli_rejects_a_bad_ocr_mode(tmp_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--db", str(tmp_path / "x.db"), "--ocr", "sometimes"])
    assert result.exit_code == 2 and "sometimes" in result.output


@pytest.mark.slow
def test_a_page_image_group_goes_through_extraction(tmp_path):
    from vanban.pipeline.reading.ingest import process_file

    _page_image(tmp_path / "cv_1.png", "So: 1906/SGDDT-CTrTT")
    _page_image(tmp_path / "cv_2.png", "Noi nhan: Nhu tren")
    documents, _ = process_file(str(tmp_path / "cv_1.png"))  # the signature column of page 2 is in cv_2.png
    assert len(documents) == 1 and len(documents[0].pages) == 2
    assert process_file(str(tmp_path / "cv_2.png"))[0] == []


def test_an_ingest_reads_with_the_settings_in_force_when_it_runs(tmp_path, monkeypatch):
    # its workers come from a fork server started by an earlier ingest, under other settings
    from vanban.pipeline.reading.ingest import ingest

    (tmp_path / "plan.txt").write_text("KẾ HOẠCH\nChuyển đổi số năm 2024\n", encoding="utf-8")
    monkeypatch.delenv("VANBAN_OCR", raising=False)
    assert not ingest([tmp_path / "plan.txt"], tmp_path / "first.db", progress=False).failures
    monkeypatch.setenv("VANBAN_OCR", "never")
    [failure] = ingest([_page_image(tmp_path / "a.png", "Kinh gui")], tmp_path / "second.db", progress=False).failures
    assert "--ocr never" in failure.reason
