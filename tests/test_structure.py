from vanban.extractors.grammar import label_level
from vanban.extractors.structure import segment, type_line
from vanban.extractors.cleaning.normalise import normalise
from vanban.models.records import Page


def test_a_type_line_with_a_word_of_its_kind():
    assert [type_line(t) for t in ("THÔNG BÁO KẾT LUẬN", "BÁO CÁO TÓM TẮT", "KẾ HOẠCH LIÊN TỊCH", "NGHỊ QUYẾT LIÊN TỊCH")] \
        == ["Thông báo", "Báo cáo", "Kế hoạch liên tịch", "Nghị quyết liên tịch"]
    assert type_line("THÔNG BÁO KẾT LUẬN CỦA") is None  # a heading's words go on: not a type line


def test_type_line():
    assert type_line("KẾ HOẠCH") == "Kế hoạch"
    assert type_line("**QUYẾT ĐỊNH**") == "Quyết định"
    assert type_line("Kế hoạch này") is None


def test_levels_deepen():
    names = [label_level(t)[0] for t in ["Phần I", "II. NỘI DUNG", "1. Mục tiêu", "1.1. Chỉ số", "a) Tỉnh", "- x", "+ y"]]
    assert names == ["part", "roman", "number", "number2", "letter", "dash", "plus"]


def test_segments_a_whole_plan(seed_text):
    c = normalise([Page(1, seed_text("002"), "plain")])
    passages = segment(c.text, c.paragraphs)
    kinds = [p.kind for p in passages]
    header = [p.text for p in passages if p.kind == "header"]
    assert header[0] == "ỦY BAN NHÂN DÂN" and header[-1].startswith("Phát triển Chính quyền số")
    assert "recipients" in kinds and kinds.count("footnote") == 9
    signature = [p.text for p in passages if p.kind == "signature"]
    assert signature[-1] == "Dương Xuân Huyên"


def test_header_less_document_starts_in_the_body(seed_text):
    c = normalise([Page(1, seed_text("000"), "plain")])
    passages = segment(c.text, c.paragraphs)
    assert passages[0].kind == "heading" and passages[0].text == "Phần I"


def test_a_type_line_printed_in_two_pieces_is_one_header_line():
    text = "CHÍNH PHỦ\nSố: 274/2025/NĐ-CP\nHà Nội, ngày 16 tháng 10 năm 2025\nNGHỊ\nĐỊNH\nQuy định chi tiết\nCăn cứ Luật Tổ chức Chính phủ;"
    passages = segment(text)
    assert [p.text for p in passages if p.kind == "header"][-2:] == ["NGHỊ\nĐỊNH", "Quy định chi tiết"]
    assert type_line("NGHỊ\nĐỊNH") == "Nghị định"


def test_a_trich_yeu_of_clauses_closed_by_semicolons_stays_in_the_header():
    text = ("CHÍNH PHỦ\nSố: 41/2025/NĐ-CP\nHà Nội, ngày 16 tháng 10 năm 2025\nNGHỊ ĐỊNH\n"
            "Quy định chi tiết về bảo quản tài liệu lưu trữ;\nkhai thác tài liệu lưu trữ;\nkho lưu trữ chuyên dụng\n"
            "Căn cứ Luật Lưu trữ số 33/2024/QH15;\nCăn cứ Luật Tổ chức Chính phủ;\nĐiều 1. Phạm vi")
    header = [p.text for p in segment(text) if p.kind == "header"]
    assert header[-3:] == ["Quy định chi tiết về bảo quản tài liệu lưu trữ;", "khai thác tài liệu lưu trữ;",
                           "kho lưu trữ chuyên dụng"]


def test_a_body_opening_after_the_type_line_is_not_the_trich_yeu():
    text = "Số: 12/QĐ-UBND\nQUYẾT ĐỊNH\nCăn cứ Luật Tổ chức chính quyền địa phương;\ncăn cứ thêm;\nĐiều 1. Giao"
    assert [p.text for p in segment(text) if p.kind == "header"] == ["Số: 12/QĐ-UBND", "QUYẾT ĐỊNH"]


def test_a_type_heading_with_its_letters_spaced_out():
    assert type_line("Q U Y Ế T   Đ Ị N H") == "Quyết định" and type_line("K Ế H O Ạ C H") == "Kế hoạch"
    assert type_line("A B C D") is None and type_line("K H") is None  # no type, too short to tell
    text = "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nSố: 15/KH-UBND\nK Ế H O Ạ C H\nTriển khai chuyển đổi số\nI. MỤC TIÊU\nNâng cao."
    from vanban.extractors.identity import extract_identity
    ident = extract_identity(text, segment(text))
    assert (ident.type, ident.title) == ("Kế hoạch", "Triển khai chuyển đổi số")
