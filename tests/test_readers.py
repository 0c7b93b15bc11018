"""vanban.pipeline.reading.readers: every file type by content, and every kind of bad input, on fixtures made here."""
from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import docx
import pytest

from vanban.pipeline.dev.make_corpus import find_font, write_text_pdf
from vanban.models.records import UnreadableFile
from vanban.pipeline.reading.readers import decode_text, ocr_reason, read_documents, read_file, sniff
from vanban.extractors.cleaning.text_quality import split_tone

HEADER = ["ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG", "Số: 187 /KH-UBND", "Tuyên Quang, ngày 03 tháng 10 năm 2022",
          "KẾ HOẠCH nâng cao chỉ số đánh giá, cải thiện vị trí xếp hạng chuyển đổi số tỉnh Tuyên Quang"]


def minimal_pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A hand-written PDF with a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


PAGE_OBJECTS = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
                b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"]


def make_docx(path: Path) -> Path:
    document = docx.Document()
    for line in HEADER:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("Chỉ tiêu", "Kết quả"), ("Tỷ lệ hồ sơ trực tuyến", "90%")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_paragraph("Nơi nhận: như trên.")
    document.save(str(path))
    return path


def test_text_pdf_pages_are_read_from_the_text_layer(tmp_path):
    pdf = tmp_path / "kh187.pdf"
    write_text_pdf([HEADER, ["Trang hai: các cơ quan, đơn vị triển khai thực hiện."]], pdf, find_font())
    pages = read_file(pdf)
    assert [p.method for p in pages] == ["text", "text"]
    assert pages[0].text.splitlines()[1] == "Số: 187 /KH-UBND"
    assert "\r" not in pages[0].text


def test_five_hundred_page_pdf_reads_fast(tmp_path):
    pdf = tmp_path / "long.pdf"
    write_text_pdf([[f"Điều {n}. Các cơ quan, đơn vị triển khai thực hiện kế hoạch này."] for n in range(1, 501)],
                   pdf, find_font())
    start = time.perf_counter()
    pages = read_file(pdf)
    assert time.perf_counter() - start < 20
    assert len(pages) == 500 and {p.method for p in pages} == {"text"}
    assert pages[499].text.startswith("Điều 500.")


def test_page_limit(tmp_path):
    pdf = tmp_path / "three.pdf"
    write_text_pdf([["a"], ["b"], ["c"]], pdf)
    with pytest.raises(UnreadableFile, match=r"over the pages limit: the PDF has 3 pages, more than 2; .*--page-limit"):
        read_file(pdf, max_pages=2)


def test_encrypted_pdf(tmp_path):
    encrypt = b"<</Filter/Standard/V 1/R 2/O<" + b"ab" * 32 + b">/U<" + b"cd" * 32 + b">/P -4>>"
    ident = b"<0123456789abcdef0123456789abcdef>"
    path = tmp_path / "secret.pdf"
    path.write_bytes(minimal_pdf(PAGE_OBJECTS + [encrypt], b"/Encrypt 4 0 R/ID[" + ident + ident + b"]"))
    with pytest.raises(UnreadableFile, match=r"encrypted PDF: needs a password; decrypt it \(qpdf --decrypt\)"):
        read_file(path)


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(UnreadableFile, match="corrupt PDF"):
        read_file(path)


def test_blank_page_needs_no_ocr_and_a_document_of_blank_pages_has_no_text(tmp_path):
    from vanban.pipeline.reading.readers import _read_pdf
    path = tmp_path / "blank.pdf"
    path.write_bytes(minimal_pdf(PAGE_OBJECTS))
    assert [(p.method, p.text) for p in _read_pdf(path, 1, 10, [], False)] == [("text", "")]
    with pytest.raises(UnreadableFile, match=r"no text: its page holds no words"):
        read_file(path)


@pytest.mark.parametrize("name,content", [("blank.txt", b"  \n\t\n \xc2\xa0\n"), ("blank.html", b"<html><body> </body></html>")])
def test_a_file_of_white_space_is_reported_as_no_text(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=r"^no text: "):
        read_file(path)


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(UnreadableFile, match=r"empty file \(0 bytes\)"):
        read_file(path)


def test_pdf_that_is_really_a_docx_is_read_as_docx(tmp_path):
    path = make_docx(tmp_path / "kehoach.pdf")
    [(label, pages, notes)] = read_documents(path)
    assert notes == ["named .pdf but its content is DOCX; read as DOCX"]
    assert pages[0].method == "plain"
    assert pages[0].text.splitlines()[:2] == HEADER[:2]


def test_broken_docx_named_pdf_says_both(tmp_path):
    """A broken DOCX named .pdf: the reason says it is broken and that it is not the PDF its name says."""
    path = tmp_path / "plan.pdf"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")  # no [Content_Types].xml, no relationships
    with pytest.raises(UnreadableFile, match=r"corrupt DOCX: .*\(named \.pdf but its content is DOCX"):
        read_file(path)


@pytest.mark.parametrize("name, head", [
    ("kehoach.doc", b'<html xmlns:o="urn:schemas-microsoft-com:office:office">'),  # Word's "Web Page"
    ("trang.txt", b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- saved --><!DOCTYPE html><html>"),
    ("trang.htm", "<p>Số: 25/KH-UBND</p>".encode()),  # a fragment, named as a page
    ("kehoach.doc", '<html xmlns:o="urn:schemas-microsoft-com:office:office">'.encode("utf-16")),  # "Unicode"
    ("trang.html", "<p>Số: 25/KH-UBND</p>".encode("utf-16-be").join([b"\xfe\xff", b""])),
])
def test_html_is_known_by_its_start_or_its_name(tmp_path, name, head):
    assert sniff(tmp_path / name, head) == "html"


def test_text_that_starts_with_a_bracket_is_text(tmp_path):
    assert sniff(tmp_path / "ghi_chu.txt", b"<p> is how a paragraph starts") == "text"


def test_word_web_page_named_doc_is_read_as_html(tmp_path):
    path = tmp_path / "kehoach.doc"
    path.write_text("<html><body><table><tr><td><p>" + HEADER[0] + "</p><p>" + HEADER[1] + "</p></td><td><p>"
                    + HEADER[2] + "</p></td></tr></table><p>" + HEADER[3] + "</p></body></html>", encoding="utf-8")
    [(label, pages, notes)] = read_documents(path)
    assert notes == ["named .doc but its content is HTML; read as HTML"]
    assert pages[0].text.splitlines() == [HEADER[0], HEADER[1], HEADER[2], "", HEADER[3]]  # the header's cells' lines


def test_an_html_page_saved_as_utf16_is_read_as_html(tmp_path):
    path = tmp_path / "trang.html"
    path.write_text("<html><body><p>" + HEADER[0] + "</p><p>" + HEADER[3] + "</p></body></html>", encoding="utf-16")
    [(label, pages, notes)] = read_documents(path)
    assert notes == [] and pages[0].text.splitlines() == [HEADER[0], HEADER[3]]


def test_docx_tables_are_rows(tmp_path):
    text = read_file(make_docx(tmp_path / "kh.docx"))[0].text
    assert "Chỉ tiêu | Kết quả\nTỷ lệ hồ sơ trực tuyến | 90%" in text
    assert text.index("Tỷ lệ hồ sơ") < text.index("Nơi nhận")


@pytest.mark.parametrize("name, data, reason", [
    ("setup.exe", b"MZ\x90\x00" + bytes(200), "Windows executable"),
    ("tool.pdf.exe", b"\x7fELF" + bytes(200), "executable"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "old Office file"),  # .doc: test_legacy_formats
])
def test_unsupported_binary_types(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableFile, match=f"unsupported type: .*{reason}"):
        read_file(path)


def test_zip_that_is_not_a_docx(tmp_path):
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.txt", "xin chào")
    with pytest.raises(UnreadableFile, match="a ZIP archive, not a DOCX"):
        read_file(path)


def test_directory_is_not_a_file(tmp_path):
    with pytest.raises(UnreadableFile, match="is a directory"):
        read_file(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file anyway")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("Số: 187 /KH-UBND", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(UnreadableFile, match="permission denied"):
            read_file(path)
    finally:
        path.chmod(0o644)


def test_missing_file(tmp_path):
    with pytest.raises(UnreadableFile, match="file not found"):
        read_file(tmp_path / "nowhere.pdf")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_text_in_unicode_encodings(tmp_path, encoding):
    path = tmp_path / "kh.txt"
    path.write_bytes("\n".join(HEADER).encode(encoding))
    [(label, pages, notes)] = read_documents(path)
    assert pages[0].text.splitlines() == HEADER and notes == []


def test_decomposed_text_is_nfc_and_eth_fixed(tmp_path):
    path = tmp_path / "kh.md"
    path.write_text("Quye\u0302\u0301t \u0111i\u0323nh so\u0302\u0301 12/QÐ-UBND", encoding="utf-8")
    assert read_file(path)[0].text == "Quyết định số 12/QĐ-UBND"


def to_cp1258(text: str) -> bytes:
    """cp1258 writes a tone as a combining mark after a base letter it has (â, ư, ơ …)."""
    out = b""
    for ch in text:
        base, tone = split_tone(ch)
        out += (base.upper() if ch.isupper() else base).encode("cp1258") + tone.encode("cp1258")
    return out


def test_cp1258_text_is_read_with_a_warning(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes(to_cp1258("\n".join(HEADER)))
    [(label, pages, notes)] = read_documents(path)
    assert pages[0].text.splitlines() == HEADER
    assert notes == ["not UTF-8; read as Windows-1258 (cp1258)"]


def test_random_binary_labelled_txt_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(bytes((i * 73 + 41) % 256 for i in range(4000)))
    with pytest.raises(UnreadableFile, match="not UTF-8 text, and not Vietnamese in a legacy encoding"):
        read_file(path)


def test_mis_encoded_latin1_prose_is_refused():
    with pytest.raises(UnreadableFile, match="re-save it as UTF-8"):
        decode_text("Le comité a approuvé le plan numérique, à réaliser avant l'été.".encode("latin-1") * 5)


def test_jsonl_yields_one_document_per_line(tmp_path):
    path = tmp_path / "central.jsonl"
    path.write_text('{"id": "vbpl-doc_000017", "text": "CHÍNH PHỦ\\nSố: 370/2025/NĐ-CP"}\n'
                    "not json\n\n"
                    '{"text": "BỘ TÀI CHÍNH\\nSố: 12/2024/TT-BTC"}\n', encoding="utf-8")
    documents = list(read_documents(path))
    assert [label for label, _, _ in documents] == ["central.jsonl#vbpl-doc_000017", "central.jsonl#line4"]
    assert documents[1][1][0].text.startswith("BỘ TÀI CHÍNH")
    assert documents[1][2] == ["line 2 skipped: not a JSON object with a text field (JSONDecodeError)"]
    with pytest.raises(UnreadableFile, match="holds 2 documents"):
        read_file(path)


def test_jsonl_bad_lines_after_the_last_document_are_its_warnings(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text('{"text": "Kế hoạch số 12/KH-UBND"}\n{not json\n[1, 2]\n', encoding="utf-8")
    [(label, pages, warnings)] = list(read_documents(path))
    assert label == "batch.jsonl#line1" and pages[0].text == "Kế hoạch số 12/KH-UBND"
    assert warnings == ["line 2 skipped: not a JSON object with a text field (JSONDecodeError)",
                        "line 3 skipped: not a JSON object with a text field (TypeError)"]


def test_a_jsonl_line_of_white_space_text_is_skipped_with_why(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text('{"id": "a", "text": "  \\n "}\n{"id": "b", "text": "Kế hoạch số 12/KH-UBND"}\n', encoding="utf-8")
    [(label, _, warnings)] = list(read_documents(path))
    assert label == "batch.jsonl#b"
    assert warnings == ["line 1 skipped: no text (its text field holds only white space)"]


def test_jsonl_without_documents(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text('{"title": "no text"}\n', encoding="utf-8")
    with pytest.raises(UnreadableFile, match="no readable document"):
        list(read_documents(path))


def test_sniff_by_content_not_name(tmp_path):
    path = tmp_path / "scan.txt"
    assert sniff(path, b"%PDF-1.7\n...") == "pdf"
    assert sniff(path, b"\x89PNG\r\n\x1a\n....") == "image"
    assert sniff(path, b'{"id": "a", "text": "x"}\n') == "jsonl"
    assert sniff(path, "Số: 187 /KH-UBND".encode()) == "text"


@pytest.mark.parametrize("text, coverage, reason", ids=["garbage-layer", "no-diacritics", "e-signature-only",
                                                         "scan", "good-scan-layer", "english", "symbols", "blank"],
                         argvalues=[
    ("CONG Hcok xA HQI CHiJ NGHiA VIVT NAM SO GIAO DVC vA DA TAO " * 5, 1.0, "text layer unusable"),
    ("UY BAN NHAN DAN THANH PHO DA NANG CONG HOA XA HOI CHU NGHIA VIET NAM " * 3, 1.0, "text layer unusable"),
    ("Ký bởi: Ủy ban nhân dân tỉnh Quảng Ngãi\nThời gian ký: 10.05.2025 12:49:08 +07:00", 1.0,
     "scanned page, text layer holds only a few words"),
    ("", 1.0, "scanned page"),
    (" ".join(HEADER) * 3, 1.0, None),
    ("The committee approved the plan for the digital transformation of the province " * 3, 0.0, None),
    ("\ue000\ue001\ue002 \u0001\u0002 ☐☐☐☐ ◆◆◆◆ " * 20, 0.0, "mostly symbols"),
    ("", 0.0, None),
])
def test_ocr_reason(text, coverage, reason):
    found = ocr_reason(text, coverage)
    assert (found is None) if reason is None else (found is not None and reason in found)


def test_tcvn3_bytes_are_not_read_as_cp1258():
    """0xD5 is 'ế' in TCVN3 but 'Ơ' in cp1258: both read as Vietnamese, the legacy reading wins."""
    from vanban.extractors.cleaning.legacy_encodings import repair_text

    text, warning = decode_text("KÕ ho¹ch chuyÓn ®æi sè n¨m 2022 cña UBND tØnh Tuyªn Quang\n".encode("latin-1"))
    assert repair_text(text).startswith("Kế hoạch chuyển đổi số năm 2022 của UBND tỉnh Tuyên Quang")
    assert "TCVN3" in warning


def test_truncated_image_is_a_clear_error(tmp_path):
    from PIL import Image

    whole = tmp_path / "whole.jpg"
    Image.new("L", (400, 300), 255).save(whole, quality=95)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole.read_bytes()[:400])  # the header survives, the picture does not
    with pytest.raises(UnreadableFile, match="corrupt or truncated image"):
        read_file(cut)


def test_docx_tables_laying_out_the_header_and_signature_give_each_cells_lines(tmp_path):
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    for cell, text in zip(header._cells, ["ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                                          "Độc lập - Tự do - Hạnh phúc", "Số: 15/KH-UBND",
                                          "Bắc Ninh, ngày 12 tháng 3 năm 2024"]):
        cell.text = text
    for line in ["KẾ HOẠCH", "Triển khai chuyển đổi số năm 2024", "I. MỤC TIÊU", "Phấn đấu 90% hồ sơ."]:
        document.add_paragraph(line)
    data = document.add_table(rows=1, cols=2)  # a table of figures stays a row a line
    data.cell(0, 0).text, data.cell(0, 1).text = "Tỷ lệ hồ sơ trực tuyến", "90%"
    signature = document.add_table(rows=1, cols=2)
    signature.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VT."
    signature.cell(0, 1).text = "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nNguyễn Văn An"
    path = tmp_path / "kh.docx"
    document.save(str(path))
    lines = read_file(path)[0].text.splitlines()
    assert lines[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH BẮC NINH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert "Tỷ lệ hồ sơ trực tuyến | 90%" in lines and "PHÓ CHỦ TỊCH" in lines
    from vanban.pipeline.reading.ingest import process_file
    [doc], _ = process_file(str(path))
    ident = doc.identity
    assert (ident.issuer, ident.id, ident.date, ident.signer, ident.signer_title) == (
        "Ủy ban nhân dân tỉnh Bắc Ninh", "15/KH-UBND", "2024-03-12", "Nguyễn Văn An", "Phó Chủ tịch")


def test_a_blank_image_is_reported_as_no_text(tmp_path):
    from PIL import Image
    path = tmp_path / "white.png"
    Image.new("L", (800, 1000), 255).save(path)
    with pytest.raises(UnreadableFile, match=r"^no text: OCR read no words in it"):
        read_file(path)
