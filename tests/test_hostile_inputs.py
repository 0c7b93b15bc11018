"""Hostile inputs one at a time, fast: discovery's report, decoding, budgets, the CLI's clean errors."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from vanban.models.records import UnreadableFile
from vanban.pipeline.reading import budgets
from vanban.pipeline.reading.budgets import Budgets, OverBudget
from vanban.pipeline.reading.decoding import decode_text
from vanban.pipeline.reading.discovery import discover
from vanban.pipeline.reading import ingest as ingest_module
from vanban.pipeline.reading.ingest import ingest
from vanban.pipeline.reading.ocr import render_scale
from vanban.pipeline.reading.readers import read_documents
from tests.test_ingest import PLAN
from tests.test_readers import minimal_pdf


def reasons(found) -> dict:
    return {p.path.name: p.reason for p in found.passed}


def test_discovery_reports_every_path_it_does_not_read(tmp_path):
    folder, outside = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    outside.mkdir()
    (folder / "kh.txt").write_text(PLAN.format(n=1), encoding="utf-8")
    (outside / "secret.txt").write_text("secret", encoding="utf-8")
    (folder / ".hidden").write_text("x")
    (folder / ".git").mkdir()
    os.symlink(outside / "secret.txt", folder / "out.txt")
    os.symlink(folder / "kh.txt", folder / "same.txt")
    os.symlink(folder / "none", folder / "dangling")
    os.symlink(folder / "loop2", folder / "loop1")
    os.symlink(folder / "loop1", folder / "loop2")
    os.symlink(folder, folder / "self")
    os.mkfifo(folder / "fifo")
    (folder / "v.db").write_bytes(b"")
    found = discover([folder, Path("/dev/zero")], store=folder / "v.db")
    assert [p.name for p in found.files] == ["kh.txt"]
    why = reasons(found)
    assert why[".hidden"] == "hidden" and why[".git"] == "hidden folder"
    assert "outside the given folders" in why["out.txt"] and "same file as" in why["same.txt"]
    assert why["dangling"].startswith("dangling symlink") and why["loop1"] == why["loop2"] == "symlink loop"
    assert why["self"].startswith("symlink loop") and why["fifo"].startswith("a FIFO")
    assert why["v.db"] == "the store itself" and why["zero"].startswith("a character device")
    followed = discover([folder], follow_symlinks=True, store=folder / "v.db")
    assert [p.name for p in followed.files] == ["kh.txt", "out.txt"]


def test_a_stray_byte_keeps_the_utf8_reading_with_its_offset():
    data = PLAN.format(n=187).encode()
    text, warning = decode_text(data[:60] + b"\xff" + data[60:])
    assert "Số: 187 /KH-UBND" in text and "\ufffd" in text
    assert "offset 60" in warning


@pytest.mark.parametrize("data", ["日本語のテキストです。".encode("shift_jis") * 10, bytes.fromhex("93fa967b8cea82cc8365"),
                                  b"\x00" * 100, bytes(range(256)) * 4])
def test_text_that_is_neither_utf8_nor_vietnamese_is_refused(data):
    with pytest.raises(UnreadableFile, match="not UTF-8|binary"):
        decode_text(data)


def test_tcvn3_is_still_read_when_it_reads_clearly_better():
    text, warning = decode_text("KÕ ho¹ch chuyÓn ®æi sè n¨m 2022 cña UBND tØnh Tuyªn Quang\n".encode("latin-1"))
    assert "TCVN3" in warning


def test_budgets_from_env_and_overrides(monkeypatch):
    monkeypatch.setenv("VANBAN_FILE_TIMEOUT", "30")
    monkeypatch.setenv("VANBAN_MEMORY_MB", "512")
    limits = Budgets.from_env(memory_mb=1024)
    assert (limits.file_timeout, limits.memory_mb) == (30.0, 1024)
    monkeypatch.setenv("VANBAN_TEXT_MB", "many")
    with pytest.raises(ValueError, match="VANBAN_TEXT_MB"):
        Budgets.from_env()


def test_a_huge_page_is_rendered_within_the_pixel_budget():
    width, height = 14400, 14400
    scale = render_scale(width, height)
    assert width * height * scale * scale <= Budgets().page_pixels * 1.001
    assert render_scale(595, 842) == 300 / 72  # an A4 page keeps its 300 dpi


def test_a_docx_inflating_past_its_budget_is_refused_before_inflating(tmp_path, monkeypatch):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (3 << 20))
    monkeypatch.setattr(budgets, "_current", Budgets(unzipped_mb=2))
    with pytest.raises(OverBudget, match="unzipped size limit: its parts inflate to 3 MB"):
        list(read_documents(path))


def minimal_docx(path: Path, doctype: str, text: str) -> Path:
    """A DOCX of one paragraph, its document.xml declaring doctype (entities) before it."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        archive.writestr("word/document.xml", f'<?xml version="1.0"?>{doctype}'
                         '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                         f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>')
    return path


def paragraphs_docx(path: Path, paragraphs: int) -> Path:
    """A DOCX of one line of text and then `paragraphs` empty paragraphs (6 bytes of XML each)."""
    with zipfile.ZipFile(minimal_docx(path.with_suffix(".one.docx"), "", "Kế hoạch")) as one, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in one.namelist():
            data = one.read(name)
            archive.writestr(name, data.replace(b"</w:body>", b"<w:p/>" * paragraphs + b"</w:body>")
                             if name == "word/document.xml" else data)
    return path


def test_a_docx_of_more_elements_than_the_memory_budget_holds_is_reported_as_such(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "kh.txt").write_text(PLAN.format(n=1), encoding="utf-8")
    paragraphs_docx(tmp_path / "many.docx", 7_000_000).rename(folder / "many.docx")  # 40 MB of XML, 60 KB zipped
    summary = ingest([folder], tmp_path / "vanban.db", progress=False, budgets=Budgets(memory_mb=256))
    assert summary.documents == 1
    [failure] = summary.failures
    assert "over the memory limit: its largest part inflates to 40 MB of XML" in failure.reason
    assert "--memory-limit" in failure.reason


def test_a_small_broken_docx_is_still_called_corrupt(tmp_path):
    path = minimal_docx(tmp_path / "cut.docx", "", "Kế hoạch <w:p>")  # unclosed
    with pytest.raises(UnreadableFile, match="corrupt DOCX"):
        list(read_documents(path))


def test_a_docx_whose_entities_expand_into_gigabytes_is_refused_by_name(tmp_path):
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = minimal_docx(tmp_path / "laughs.docx", f'<!DOCTYPE d [<!ENTITY l0 "lol">{laughs}]>', "&l9;")
    with pytest.raises(UnreadableFile, match="billion laughs"):
        list(read_documents(path))


def test_a_docx_naming_a_file_outside_its_folder_as_an_entity_does_not_read_it(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu của máy chủ")
    (tmp_path / "in").mkdir()
    minimal_docx(tmp_path / "in" / "xxe.docx", f'<!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>',
                 "Kế hoạch chuyển đổi số &x;")
    summary = ingest([tmp_path / "in"], tmp_path / "v.db", progress=False)
    texts = [text for (text,) in sqlite3.connect(tmp_path / "v.db").execute("select clean_text from texts")]
    assert not summary.failures and texts and "chuyển đổi số" in texts[0] and "mật khẩu" not in texts[0]


def test_an_image_declaring_more_pixels_than_pillow_decodes_is_named_a_bomb_and_a_broken_one_stays_corrupt(
        tmp_path, monkeypatch):
    from PIL import Image
    Image.new("L", (120, 100), 255).save(tmp_path / "bomb.png")  # a bomb once the limit is 5,000 pixels
    (tmp_path / "cut.png").write_bytes((tmp_path / "bomb.png").read_bytes()[:20])
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 2_500)
    with pytest.raises(UnreadableFile, match=r"hostile image: its header declares 12,000 pixels, over 5,000 "
                                             r"\(a decompression bomb"):
        list(read_documents(tmp_path / "bomb.png"))
    with pytest.raises(UnreadableFile, match="corrupt or unsupported image"):
        list(read_documents(tmp_path / "cut.png"))


def test_a_well_formed_pdf_without_pages_is_named_so_and_a_cut_one_stays_corrupt(tmp_path):
    empty = minimal_pdf([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[]/Count 0>>"])
    (tmp_path / "empty.pdf").write_bytes(empty)
    (tmp_path / "cut.pdf").write_bytes(empty[:40])
    with pytest.raises(UnreadableFile, match="PDF with no pages"):
        list(read_documents(tmp_path / "empty.pdf"))
    with pytest.raises(UnreadableFile, match="corrupt PDF"):
        list(read_documents(tmp_path / "cut.pdf"))


def test_a_text_over_its_budget_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(PLAN.encode() * 6000)
    monkeypatch.setattr(budgets, "_current", Budgets(text_mb=1))
    with pytest.raises(OverBudget, match="text size limit"):
        list(read_documents(path))


def test_a_huge_text_is_refused_before_it_is_read_whole_even_to_hash_it(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(folder / "huge.txt", "wb") as fh:  # sparse: 64 GB declared, nothing on the disk
        fh.truncate(64 << 30)
    (folder / "plan.txt").write_text(PLAN, encoding="utf-8")
    (folder / "fake.txt").write_bytes(b"%PDF-1.4 not text" + b"\0" * (2 << 20))  # a PDF named .txt: its reader's
    hashed = []
    monkeypatch.setattr(ingest_module, "file_hash", lambda path: hashed.append(path.name) or "h" + path.name)
    summary = ingest([folder], tmp_path / "v.db", progress=False, budgets=Budgets(text_mb=1))
    assert summary.documents == 1 and "huge.txt" not in hashed and "fake.txt" in hashed
    assert [f.reason for f in summary.failures if f.path.endswith("huge.txt")] == [
        "over the text size limit: a text file of 65,536.0 MB, more than 1 MB; split it, "
        "or raise --text-limit (VANBAN_TEXT_MB)"]
    again = ingest([folder], tmp_path / "v.db", progress=False, budgets=Budgets(text_mb=1))
    assert again.documents == 0 and again.skipped == 1
    with sqlite3.connect(tmp_path / "v.db") as conn:
        assert conn.execute("select count from ingest_log where path like '%huge.txt'").fetchall() == [(2,)]


def test_jobs_are_bounded_by_the_cores(tmp_path):
    (tmp_path / "in").mkdir()
    for n in range(3):
        (tmp_path / "in" / f"kh{n}.txt").write_text(PLAN.format(n=n), encoding="utf-8")
    summary = ingest([tmp_path / "in"], tmp_path / "v.db", jobs=200, progress=False)
    assert summary.documents == 3 and "using" in summary.notes[0]


def cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "vanban.pipeline.cli.main", *args], capture_output=True, **kwargs)


def test_clean_errors_not_tracebacks(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "kh.txt").write_text(PLAN.format(n=1), encoding="utf-8")
    db = tmp_path / "v.db"
    assert cli("ingest", str(tmp_path / "in"), "--db", str(db), "-q").returncode == 0
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table people (name text)")
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("hello")
    cases = [
        (["search", "x", "--limit", "99999999999999999999", "--db", str(db)], 2, "range"),
        ([b"show", b"caf\xe9", b"--db", str(db).encode()], 1, "not UTF-8"),
        ([b"cited-by", b"caf\xe9", b"--db", str(db).encode()], 1, "not UTF-8"),
        (["ingest", str(tmp_path / "in"), "--db", str(other)], 1, "another program's SQLite file"),
        (["search", "x", "--db", str(not_sqlite)], 1, "not a vanban store"),
        (["search", "kế", "--db", str(db), "--format", "csv", "-o", "/dev/full"], 1, "No space left"),
        (["search", "kế", "--db", str(db), "-o", str(tmp_path)], 2, "is a folder"),
    ]
    for args, code, message in cases:
        result = cli(*args)
        err = result.stderr.decode("utf-8", "replace")
        assert result.returncode == code and message in err and "Traceback" not in err, (args, err)
    with sqlite3.connect(other) as conn:  # nothing of vanban's was written into it
        assert [r[0] for r in conn.execute("select name from sqlite_master")] == ["people"]


def test_an_allocation_failing_as_another_error_is_out_of_memory():
    import errno
    from vanban.pipeline.reading.workers import _out_of_memory
    assert _out_of_memory(ImportError("libdl.so.2: failed to map segment from shared object"))
    assert _out_of_memory(OSError(errno.ENOMEM, "Cannot allocate memory"))
    assert not _out_of_memory(ImportError("No module named 'x'")) and not _out_of_memory(ValueError("x"))


@pytest.mark.parametrize("name, claimed", [("x.docx", "a DOCX"), ("scan.pdf", "a PDF"), ("photo.jpg", "an image")])
def test_random_bytes_named_as_a_container_format_say_which_format_they_are_not(tmp_path, name, claimed):
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(UnreadableFile, match=f"named .* but not {claimed} .*not what its name says"):
        list(read_documents(path))


def test_a_compressed_text_says_it_is_an_archive_and_a_chinese_one_an_unknown_encoding(tmp_path):
    import gzip
    (tmp_path / "kh.txt").write_bytes(gzip.compress(PLAN.format(n=189).encode()))
    (tmp_path / "cn.txt").write_bytes("国务院关于数字化转型的通知，第十二号。".encode("gbk") * 20)
    with pytest.raises(UnreadableFile, match="a gzip archive; unpack it"):
        list(read_documents(tmp_path / "kh.txt"))
    with pytest.raises(UnreadableFile, match="not UTF-8 text, and not Vietnamese in a legacy encoding"):
        list(read_documents(tmp_path / "cn.txt"))


def test_plain_text_misnamed_as_pdf_is_still_read(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_text(PLAN.format(n=188), encoding="utf-8")
    (_, pages, _), = list(read_documents(path))
    assert "188" in pages[0].text


def test_a_pdf_over_the_page_limit_is_refused_by_name_and_the_cli_can_raise_the_limit(tmp_path):
    """A 1 MB PDF can list one page object 200,000 times: its page count is a budget of its own."""
    from click.testing import CliRunner
    from vanban.pipeline.cli.main import main
    from vanban.pipeline.dev.make_corpus import write_text_pdf

    folder = tmp_path / "in"
    folder.mkdir()
    write_text_pdf([["Trang một"], ["Trang hai"], ["Trang ba"]], folder / "three.pdf")
    (folder / "plan.txt").write_text("Số: 12/KH-UBND\nKẾ HOẠCH\nChuyển đổi số năm 2024\n", encoding="utf-8")
    summary = ingest([folder], tmp_path / "v.db", jobs=1, progress=False, budgets=Budgets(pages=2))
    (failure,) = summary.failures
    assert failure.path.endswith("three.pdf") and summary.documents == 1
    assert "over the pages limit: the PDF has 3 pages, more than 2" in failure.reason and "--page-limit" in failure.reason
    out = CliRunner().invoke(main, ["ingest", str(folder), "--db", str(tmp_path / "w.db"), "--page-limit", "3", "-q"])
    assert out.exit_code == 0, out.output
    assert sqlite3.connect(tmp_path / "w.db").execute("select count(*) from renditions").fetchone()[0] == 2


def test_an_empty_zip_named_docx_says_it_holds_nothing(tmp_path):
    with zipfile.ZipFile(tmp_path / "empty.docx", "w"):
        pass
    with pytest.raises(UnreadableFile, match="an empty ZIP archive"):
        list(read_documents(tmp_path / "empty.docx"))
