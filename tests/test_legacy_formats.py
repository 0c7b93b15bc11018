"""Legacy Word formats (.doc, .rtf, .odt) read through LibreOffice headless
(pipeline/reading/readers.py `_read_legacy`). The fixtures are made here: an RTF written by
hand, saved by LibreOffice itself as .doc and .odt, then read back."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from vanban.models.records import UnreadableFile
from vanban.pipeline.reading import readers
from vanban.pipeline.reading.readers import read_documents, read_file

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (bash setup.sh installs it)")
LINES = ["ỦY BAN NHÂN DÂN", "TỈNH LẠNG SƠN", "Số: 206/KH-UBND", "Lạng Sơn, ngày 20 tháng 10 năm 2021", "KẾ HOẠCH",
         "Phát triển Chính quyền số năm 2022"]


def _rtf(text: str) -> str:
    """Text as RTF writes it: every letter past ASCII as \\uN? (a signed 16-bit number)."""
    return "".join(c if ord(c) < 128 else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in text)


def _legacy(tmp_path: Path, suffix: str) -> Path:
    """An RTF written here (header lines and a table), saved by LibreOffice as `suffix` (doc, odt) when not rtf."""
    rows = [("Chỉ tiêu", "Kết quả"), ("Tỷ lệ hồ sơ trực tuyến", "90%")]
    body = "".join(_rtf(line) + "\\par\n" for line in LINES)
    body += "".join(f"\\trowd\\cellx3000\\cellx6000\n\\intbl {_rtf(a)}\\cell {_rtf(b)}\\cell\\row\n" for a, b in rows)
    source = tmp_path / "made.rtf"
    source.write_text("{\\rtf1\\ansi\\deff0\n" + body + "\\pard " + _rtf("Nơi nhận: như trên.") + "\\par\n}",
                      encoding="ascii")
    if suffix == "rtf":
        return source
    out = tmp_path / "out"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", suffix,
                    "--outdir", str(out), str(source)], capture_output=True, timeout=180, check=True)
    return out / f"made.{suffix}"


@needs_soffice
@pytest.mark.slow
@pytest.mark.parametrize("suffix", ["doc", "odt", "rtf"])
def test_legacy_word_is_read_with_its_tables(tmp_path, suffix):
    path = _legacy(tmp_path, suffix)
    (label, pages, notes), = read_documents(path)
    text = pages[0].text
    assert "Số: 206/KH-UBND" in text and "Tỷ lệ hồ sơ trực tuyến | 90%" in text and "Nơi nhận" in text
    assert any("LibreOffice" in note for note in notes)


def test_sniff_knows_legacy_formats(tmp_path):
    for name, data in (("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)), ("b.rtf", b"{\\rtf1\\ansi hello}")):
        path = tmp_path / name
        path.write_bytes(data)
        assert readers.sniff(path, data) == "legacy"


def test_missing_libreoffice_is_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "cv.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    with pytest.raises(UnreadableFile, match="needs LibreOffice .*libreoffice-writer-nogui"):
        read_file(path)


@needs_soffice
def test_a_corrupt_doc_says_what_to_do(tmp_path):
    path = tmp_path / "broken.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(300))
    with pytest.raises(UnreadableFile, match="save it as .docx"):
        read_file(path)


@needs_soffice
def test_a_password_protected_office_file_is_named_so(tmp_path):
    # an OLE compound file whose directory names the encrypted package's stream, past the first MB
    path = tmp_path / "mat-khau.docx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * (2 ** 20 - 3) + "EncryptedPackage".encode("utf-16-le")
                     + b"\0" * 4000)
    with pytest.raises(UnreadableFile, match="password-protected"):
        read_file(path)
    corrupt = tmp_path / "hong.doc"
    corrupt.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 8000)
    with pytest.raises(UnreadableFile, match="could not convert"):
        read_file(corrupt)
