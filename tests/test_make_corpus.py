"""vanban.pipeline.dev.make_corpus: whole text-layer PDFs and whole image-only scans, built the same every time."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pypdfium2 as pdfium
from PIL import ImageFont

from vanban.pipeline.dev.make_corpus import A4, MARGIN_X, find_font, layout, make_corpus, seed_lines, wrap

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


def test_seed_lines_drop_markdown_marks_and_table_rules():
    lines = seed_lines("**KẾ HOẠCH**  \n## I. MỤC ĐÍCH\n| Chỉ tiêu | Kết quả |\n|---|---|\n| DTI | 0,41 |")
    assert lines == ["KẾ HOẠCH", "I. MỤC ĐÍCH", "| Chỉ tiêu | Kết quả |", "| DTI | 0,41 |"]


def test_wrap_fits_the_text_width():
    font = ImageFont.truetype(str(find_font()), 12)
    width = A4[0] - 2 * MARGIN_X
    line = "Nâng cao chỉ số đánh giá, cải thiện vị trí xếp hạng chuyển đổi số tỉnh Tuyên Quang năm 2022 " * 3
    pieces = wrap(line.strip(), font, width)
    assert len(pieces) > 2 and all(font.getlength(p) <= width for p in pieces)
    assert " ".join(pieces) == line.strip()


def test_layout_fills_a4_pages():
    font = ImageFont.truetype(str(find_font()), 12)
    pages = layout([f"Dòng số {n}" for n in range(200)], font)
    assert len(pages) == 5 and sum(len(p) for p in pages) == 200


def digest(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.pdf"))}


def test_corpus_is_whole_deterministic_and_scans_have_no_text(tmp_path):
    seed = next(SEEDS.glob("004_*.txt"))
    (tmp_path / "seeds").mkdir()
    shutil.copy(seed, tmp_path / "seeds")
    written = make_corpus(tmp_path)
    assert [p.parent.name for p in written] == ["pdf", "scanned"]
    first = digest(tmp_path / "pdf"), digest(tmp_path / "scanned")
    assert make_corpus(tmp_path) == []  # present files are kept
    make_corpus(tmp_path, force=True)
    assert (digest(tmp_path / "pdf"), digest(tmp_path / "scanned")) == first

    text_pdf = pdfium.PdfDocument(str(tmp_path / "pdf" / f"{seed.stem}.pdf"))
    text = "".join(page.get_textpage().get_text_bounded() for page in text_pdf)
    last_line = [line for line in seed_lines(seed.read_text(encoding="utf-8")) if line.strip()][-1]
    assert last_line.split()[-1] in text  # the whole document, to its last line
    scanned = pdfium.PdfDocument(str(tmp_path / "scanned" / f"{seed.stem}.pdf"))
    assert len(scanned) == len(text_pdf)
    assert all(page.get_textpage().get_text_bounded() == "" for page in scanned)
    assert scanned[0].get_size() == A4 or abs(scanned[0].get_size()[0] - A4[0]) < 1


def test_the_corpus_is_built_in_the_repository_corpus_folder():
    from vanban.pipeline.dev.make_corpus import ROOT
    from tests.conftest import ROOT as REPOSITORY
    assert ROOT == REPOSITORY / "corpus"
