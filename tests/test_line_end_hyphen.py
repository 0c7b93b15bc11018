"""pdfium's mark for a hyphen ending a line (U+FFFE, or STX in the bundled build) read as the
hyphen printed there, so an id broken at its hyphen is found whole."""
from __future__ import annotations

from pathlib import Path

from vanban.models.records import Page
from vanban.pipeline.dev.make_corpus import write_text_pdf
from vanban.pipeline.reading.analyse import build_document
from vanban.pipeline.reading.readers import layer_text, read_file


def test_layer_text_keeps_offsets():
    raw = "45/2020/NĐ\ufffe\r\nCP và 187/KH\x02UBND"
    text = layer_text(raw)
    assert text == "45/2020/NĐ-\nCP và 187/KH-UBND"
    assert text.index("CP") == raw.replace("\r\n", "\n").index("CP")


def test_an_id_broken_at_its_hyphen_in_a_pdf(tmp_path: Path):
    pdf = tmp_path / "hyphen.pdf"
    lines = ["Can cu Nghi dinh so 45/2020/ND-", "CP ngay 08/4/2020 cua Chinh phu ve thuc hien thu tuc hanh chinh;"]
    write_text_pdf([lines], pdf)
    pages = read_file(pdf)
    assert "45/2020/ND-" in pages[0].text
    ids = [r.id for r in build_document(str(pdf), pages).references]
    assert ids == ["45/2020/NĐ-CP"]


def test_an_id_broken_across_lines_is_joined_without_a_space():
    doc = build_document("x.pdf", [Page(1, "Căn cứ Nghị định số 45/2020/NĐ-\nCP ngày 08/4/2020;\n"
                                            "Sở Lao động -\nThương binh và Xã hội", "text")])
    assert "45/2020/NĐ-CP ngày" in doc.text and "Lao động - Thương binh" in doc.text
