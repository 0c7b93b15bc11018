"""Identity rules for documents read by OCR (extractors/identity.py): the signer's title is the
person's line, not the KT./TL./TM. line above it; places and bodies are never signers; an
issuer and its province are accepted only as the agency and province tables allow."""
from __future__ import annotations

import pytest

from vanban.extractors.identity import extract_identity, read_signature_block
from vanban.extractors.structure import segment
from vanban.extractors.cleaning.normalise import normalise
from vanban.models.records import Page


@pytest.mark.parametrize("lines,signer,title", [
    (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Bình"], "Trần Văn Bình", "Phó Chủ tịch"),
    (["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Lê Thị Hoa"], "Lê Thị Hoa", "Phó Chánh văn phòng"),
    (["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "Phạm Minh Đức"], "Phạm Minh Đức", "Phó Hiệu trưởng"),
    (["KT. GIÁM ĐỐC", "Võ Thanh Tâm"], "Võ Thanh Tâm", "Phó Giám đốc"),  # the deputy's line lost
])
def test_title_is_the_persons_line(lines, signer, title):
    assert read_signature_block(lines)[:2] == (signer, title)


@pytest.mark.parametrize("place", ["Hà Tĩnh", "Lâm Đồng", "Cao Bằng", "Đoàn Thanh niên"])
def test_a_place_or_body_is_never_a_signer(place):
    assert read_signature_block(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", place])[0] is None
    assert read_signature_block(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Sơn", place])[0] == "Nguyễn Văn Sơn"


def test_a_name_the_signature_column_ran_into_a_recipients_line_is_the_signer():
    """A scan's two columns OCRed as one: the name follows the recipient's closing ';'."""
    lines = ["Nơi nhận: GIÁM ĐỐC", "- Như trên; (Đã ký và đóng dấu)", "- Bộ Giáo dục và Đào tạo;",
             "- UBND các quận, huyện; Trần Thị Bích Ngọc", "- Lưu: VT, CTrTT."]
    assert read_signature_block(lines)[:2] == ("Trần Thị Bích Ngọc", "Giám đốc")


@pytest.mark.parametrize("recipient", ["- Ông Nguyễn Văn An;", "- Sở Nội vụ; Hà Tĩnh", "- Các Sở: Y tế, TT&TT; â H huâ",
                                       "- CT, PCT UBND tỉnh; CHU TỊCH"])  # the role's line, its hook lost
def test_a_recipient_is_not_a_signer(recipient):
    assert read_signature_block(["Nơi nhận:", recipient, "- Lưu: VT."])[0] is None


HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\nSố: 12/KH-UBND\nLạng Sơn, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH\n"
        "Chuyển đổi số\nCăn cứ Luật Tổ chức chính quyền địa phương;\nNội dung kế hoạch.\n")


@pytest.mark.parametrize("tail", [
    "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nĐoàn Thanh Sơn\n¹ Luật số 77/2015/QH13.",
    "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nĐoàn Thanh Sơn\nNơi nhận:\n- Như trên;\n- Lưu: VT.",
])
def test_a_footnote_or_recipients_after_the_name_do_not_hide_it(tail):
    text = HEAD + tail
    ident = extract_identity(text, segment(text))
    assert (ident.signer, ident.signer_title) == ("Đoàn Thanh Sơn", "Phó Chủ tịch")


def test_an_agency_losing_a_letter_is_not_a_province():
    text = ("BỘ TÀI CHÍNH\nCỤC HUẾ\nSố: 12/CT-BTC\nHà Nội, ngày 03 tháng 10 năm 2025\nCÔNG VĂN\nV/v quyết toán thuế\n"
            "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn\nNội dung.")
    ident = extract_identity(text, segment(text))
    assert ident.issuer == "Cục Thuế" and ident.province != "Huế"
    assert "0.93" in ident.notes["issuer"]


@pytest.mark.parametrize("line,issuer,province", [
    ("CÔNG AN QUẢNG NGÃI", "Công an Quảng Ngãi", "Quảng Ngãi"),
    ("UBND TP HÀ NỘI", "Ủy ban nhân dân thành phố Hà Nội", "Hà Nội"),
    ("BAN QUẢN LÝ HÀ NAM", None, None),  # no listed body before the province: its name is not trusted
])
def test_province_only_after_a_kind_or_a_listed_body(line, issuer, province):
    text = f"{line}\nSố: 12/KH-UBND\nngày 03 tháng 10 năm 2022\nKẾ HOẠCH\nChuyển đổi số"
    ident = extract_identity(text, segment(text))
    assert ident.province == province
    if issuer:
        assert ident.issuer == issuer


@pytest.mark.parametrize("line", ["Số: ý# /CT-UBND", "Sô:⁄11 /CT-UBND", "Số: 2“ /CT-UBND"])
def test_a_handwritten_number_read_as_junk_is_no_id_nor_a_citation(line):
    from vanban.models.records import Page
    from vanban.pipeline.reading.analyse import build_document

    text = (f"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\n{line}\nQuảng Ngãi, ngày      tháng 4 năm 2020\nCHỈ THỊ\n"
            "Về việc mở rộng nộp thuế điện tử\nThực hiện Quyết định số 2545/QĐ-TTg ngày 30/12/2016 của Thủ tướng.")
    doc = build_document("scan.pdf", [Page(1, text, "ocr")])
    assert doc.identity.id is None and doc.identity.symbol == "CT-UBND" and "unreadable" in doc.identity.notes["id"]
    assert doc.identity.date == "2020-04"  # the month and year kept, the day left empty
    assert [r.id for r in doc.references] == ["2545/QĐ-TTg"]


@pytest.mark.parametrize("title, kept", [
    ("tăng cường công tác thi hành án trên địa bàn tỉnh Quảng Ngãi lmà|š Ị số: _",  # a stamp read after it
     "tăng cường công tác thi hành án trên địa bàn tỉnh Quảng Ngãi"),
    ("tăng cường quản lý nhà nước tại tỉnh Quảng Ngãi “Ă=. TỊN HỌC Ô. = ——",
     "tăng cường quản lý nhà nước tại tỉnh Quảng Ngãi"),
    ("kết quả cải cách thủ tục hành chính tháng 01/2025 của tỉnh Quảng Nøãi",  # a letter misread
     "kết quả cải cách thủ tục hành chính tháng 01/2025 của tỉnh Quảng Ngãi"),
    ("mở rộng nộp thuế điện tử trên địa bàn tỉnh Quảng Nzgãi", "mở rộng nộp thuế điện tử trên địa bàn tỉnh Quảng Ngãi"),
    ("chuyển đổi số tỉnh Hà Giang năm 2022", "chuyển đổi số tỉnh Hà Giang năm 2022"),  # not Hậu Giang misread
    ("triển khai Chương trình “Năm chuyển đổi số” tỉnh Lạng Sơn", "triển khai Chương trình “Năm chuyển đổi số” tỉnh Lạng Sơn"),
    ("a|b c d", "a|b c d"),  # never the whole title
])
def test_a_scans_title_loses_its_debris_and_keeps_its_province(title, kept):
    text = HEAD.replace("Chuyển đổi số", title)
    assert extract_identity(text, segment(text), ocr=True).title == kept


def test_a_text_layers_title_is_kept_as_written():
    title = "hợp tác chuyển đổi số với thành phố Zürich và tỉnh Quảng Nzgãi"
    text = HEAD.replace("Chuyển đổi số", title)
    assert extract_identity(text, segment(text)).title == title


@pytest.mark.parametrize("head, title_lines, title", [
    # the enacting body under the trích yếu, above 'Căn cứ': the issuer, a role before it, capitals after it
    ("ỦY BAN THƯỜNG VỤ\nQUỐC HỘI", "Về tiêu chí xếp loại thư viện\nỦY BAN THƯỜNG VỤ QUỐC HỘI",
     "Về tiêu chí xếp loại thư viện"),
    ("CHÍNH PHỦ", "QUY ĐỊNH VỀ QUẢN LÝ KHO LƯU TRỮ\nCHÍNH PHỦ", "QUY ĐỊNH VỀ QUẢN LÝ KHO LƯU TRỮ"),
    ("CHỦ TỊCH NƯỚC", "VỀ VIỆC TẶNG HUÂN CHƯƠNG\nCHỦ TỊCH NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
     "VỀ VIỆC TẶNG HUÂN CHƯƠNG"),
    ("ỦY BAN NHÂN DÂN\nTỈNH TUYÊN QUANG", "Về việc giao chỉ tiêu chuyển đổi số\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG",
     "giao chỉ tiêu chuyển đổi số"),  # its lead "Về việc" dropped as ever
    ("HỘI ĐỒNG NHÂN DÂN\nTỈNH LẠNG SƠN", "Về kế hoạch đầu tư công\nHỘI ĐỒNG NHÂN DÂN TỈNH LẠNG SƠN\nKHÓA XVII, KỲ HỌP THỨ 9",
     "Về kế hoạch đầu tư công"),
    # the body's name is the title's own after a word tying it in, or when it is not the issuer
    ("CHÍNH PHỦ", "BÃI BỎ MỘT SỐ NGHỊ QUYẾT CỦA\nCHÍNH PHỦ", "BÃI BỎ MỘT SỐ NGHỊ QUYẾT CỦA CHÍNH PHỦ"),
    ("CHÍNH PHỦ", "Quy chế phối hợp giữa Bộ Nội vụ và\nQUỐC HỘI", "Quy chế phối hợp giữa Bộ Nội vụ và QUỐC HỘI"),
    ("ỦY BAN NHÂN DÂN\nTỈNH TUYÊN QUANG", "Về việc thành lập\nBAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ TỈNH",
     "thành lập BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ TỈNH"),
])
def test_the_enacting_body_under_the_trich_yeu_is_not_part_of_it(head, title_lines, title):
    text = (f"{head}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 12/2025/NQ-CP\n"
            f"Hà Nội, ngày 3 tháng 9 năm 2025\nNGHỊ QUYẾT\n{title_lines}\nCăn cứ Luật Tổ chức Chính phủ;\nĐiều 1. Giao")
    assert extract_identity(text, segment(text)).title == title


def test_a_party_body_of_quoc_hoi_is_central():
    text = ("ĐẢNG CỘNG SẢN VIỆT NAM\nBAN CHẤP HÀNH TRUNG ƯƠNG\nĐẢNG ĐOÀN QUỐC HỘI\nSố 1234-KH/ĐĐQH15\n"
            "Hà Nội, ngày 10 tháng 01 năm 2025\nKẾ HOẠCH\nthực hiện chương trình chuyển đổi số\n"
            "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị.")
    ident = extract_identity(text, segment(text))
    assert (ident.issuer, ident.province, ident.place) == ("Đảng đoàn Quốc hội", None, "Hà Nội")


def test_a_party_resolution_names_its_body_under_the_type_not_in_the_title():
    text = ("ĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY BẮC GIANG\nSố 15-NQ/TU\nBắc Giang, ngày 20 tháng 4 năm 2021\nNGHỊ QUYẾT\n"
            "CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH\nvề chuyển đổi số tỉnh Bắc Giang\n-----\nI. TÌNH HÌNH\n"
            "Thời gian qua, các cấp ủy đảng đã quan tâm lãnh đạo, chỉ đạo chuyển đổi số trên địa bàn tỉnh.")
    text = normalise([Page(1, text, "plain")]).text
    assert extract_identity(text, segment(text)).title == "về chuyển đổi số tỉnh Bắc Giang"


def test_a_joint_circular_is_issued_by_all_its_bodies_none_of_them_a_province():
    text = ("BỘ TƯ PHÁP - BỘ CÔNG AN - TÒA ÁN NHÂN DÂN TỐI CAO\nSố: 29/2025/TTLT-BTP-BCA-TANDTC\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHà Nội, ngày 31 tháng 12 năm 2025\n"
            "THÔNG TƯ LIÊN TỊCH\nHướng dẫn phối hợp thực hiện trợ giúp pháp lý\nCăn cứ Luật Trợ giúp pháp lý số 11/2017/QH14;")
    ident = extract_identity(text, segment(text))
    assert (ident.issuer, ident.province) == ("Bộ Tư pháp - Bộ Công an - Tòa án nhân dân tối cao", None)


def test_the_role_is_read_above_the_name_not_in_an_annexs_header_after_it():
    # a regulation issued with the decision follows the signature, under its issuer's line
    tail = ["KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "(Đã ký) Lê Văn Minh", "THỦ TƯỚNG CHÍNH PHỦ", "QUY CHẾ"]
    assert read_signature_block(tail) == ("Lê Văn Minh", "Phó Thủ tướng", None)
    assert read_signature_block(["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]) == (None, "Chủ tịch", "TM. ỦY BAN NHÂN DÂN")


def test_a_vv_line_run_into_another_columns_items_gives_the_title_up_to_them():
    # a scan's handwritten notes beside the trích yếu: OCR runs the two columns into one paragraph
    from vanban.models.records import Page
    from vanban.pipeline.reading.analyse import build_document
    text = ("UBND THÀNH PHỐ ĐÀ NẴNG CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "SỞ GIÁO DỤC VÀ ĐÀO TẠO Độc lập - Tự do - Hạnh phúc\n"
            "Số: 512 /SGDĐT-VP Đà Nẵng, ngày 12 tháng 5 năm 2019\n"
            "V/v phòng chống đuối nước cho học sinh 1. Thầy Nam gửi các tổ chuyên môn\n"
            "trong dịp hè 2. Đoàn trường tổ chức tuyên truyền cho học sinh;\n"
            "Kính gửi: Hiệu trưởng các trường trung học phổ thông.\n"
            "Thực hiện Công văn số 2114/BGDĐT-GDCTHSSV ngày 16/5/2019 của Bộ Giáo dục và Đào tạo.")
    doc = build_document("scan.pdf", [Page(1, text, "ocr")])
    assert doc.identity.title == "phòng chống đuối nước cho học sinh"
    assert "another column" in doc.identity.notes["title"]


RESOLUTION = ("ỦY BAN THƯỜNG VỤ\nQUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
              "Nghị quyết số: 77/2025/UBTVQH15\nNGHỊ QUYẾT\nBan hành Quy chế hoạt động của thư viện\n"
              "Căn cứ Luật Tổ chức Quốc hội;\nĐiều 1. Ban hành kèm theo Nghị quyết này Quy chế.\n"
              "Nghị quyết này được Ủy ban Thường vụ Quốc hội khóa XV thông qua {passed}.\n"
              "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\nCHỦ TỊCH\nLê Văn Minh\n")


@pytest.mark.parametrize("passed", ["ngày 26 tháng 9 năm 2025", "tại Phiên họp thứ 49 ngày 26 tháng 9 năm 2025"])
@pytest.mark.parametrize("annex_articles", [0, 30])
def test_a_resolution_without_a_dated_header_is_dated_where_it_was_passed(passed, annex_articles):
    # the regulation it issues may follow, longer than the closing lines read for the date
    annex = "QUY CHẾ\nHoạt động của thư viện\n" + "".join(
        f"Điều {n}. Quy định số {n}\nThư viện mở cửa ngày 3 tháng 3 năm 2026.\n" for n in range(1, annex_articles + 1))
    text = RESOLUTION.format(passed=passed) + (annex if annex_articles else "")
    ident = extract_identity(text, segment(text))
    assert ident.date == "2025-09-26" and "passed" in ident.notes["date"]


@pytest.mark.parametrize("tail", [
    ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Lê Văn Minh Phụ Lục", "TIÊU CHÍ CHẤT LƯỢNG", "(Kèm theo Thông tư số 11/2026/TT-BTP)"],
    ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Lê Văn Minh", "PHỤ LỤC", "GIÁM ĐỐC", "Trần Thị Hoa"],  # a form's signature
])
def test_an_annex_after_the_signature_gives_neither_name_nor_role(tail):
    assert read_signature_block(tail) == ("Lê Văn Minh", "Thứ trưởng", None)


@pytest.mark.parametrize("number_line", [
    "Số: 15/KH-UBND", "Sô: 15/KH-UBND", "S ố: 15 /KH-UBND", "Sổ: 15/KH-UBND",  # OCR's readings of 'Số'
    "Số; 15/KH-UBND",  # a semicolon read for the colon
    "Số: 15/KH–UBND", "Số:15/KH—UBND", "Số: 15/KH−UBND",  # an en dash, an em dash, a minus
])
def test_the_number_line_as_ocr_and_word_processors_write_it(number_line):
    text = (f"ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n{number_line}\nBắc Ninh, ngảy 12 tháng 3 nãm 2024\nKẾ HOẠCH\n"
            "Triển khai chuyển đổi số năm 2024\nI. MỤC TIÊU\nNâng cao chất lượng dịch vụ công.")
    ident = extract_identity(text, segment(text))
    assert (ident.id, ident.issuer, ident.date) == ("15/KH-UBND", "Ủy ban nhân dân tỉnh Bắc Ninh", "2024-03-12")


def test_a_party_number_with_an_en_dash_keeps_its_dash():
    text = "ĐẢNG ỦY KHỐI\nSố 48–NQ/ĐU\nHà Nội, ngày 02 tháng 3 năm 2024\nNGHỊ QUYẾT\nVề chuyển đổi số\n1. Mục tiêu"
    assert extract_identity(text, segment(text)).id == "48-NQ/ĐU"


@pytest.mark.parametrize("lines, signer, role", [
    (["KT. CHỦ TỊCH", "PHO CHỦ TỊCH", "Nguyễn Văn An"], "Nguyễn Văn An", "Phó Chủ tịch"),  # OCR lost the tone
    (["PHỎ GIÁM ĐỐC", "Trần Thị Bình"], "Trần Thị Bình", "Phó Giám đốc"),
    (["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An."], "Nguyễn Văn An", "Phó Chủ tịch"),  # a speck read as a stop
    (["CHỦ TỊCH", "Lê Văn Hoà"], "Lê Văn Hoà", "Chủ tịch"),
])
def test_a_signature_block_as_ocr_reads_it(lines, signer, role):
    assert read_signature_block(lines)[:2] == (signer, role)


@pytest.mark.parametrize("issuer_lines, issuer", [
    ("ỦY BAN NHÂN DÂN\nHUYỆN TIÊN DU", "Ủy ban nhân dân huyện Tiên Du"),
    ("ỦY BAN NHÂN DÂN\nTHỊ XÃ TỪ SƠN", "Ủy ban nhân dân thị xã Từ Sơn"),
    ("HỘI ĐỒNG NHÂN DÂN\nPHƯỜNG TÂN AN", "Hội đồng nhân dân phường Tân An"),
    ("UBND XÃ TÂN AN", "Ủy ban nhân dân xã Tân An"),
    ("ỦY BAN NHÂN DÂN HUYỆN TIÊN DU\nVĂN PHÒNG HĐND VÀ UBND", "Văn phòng HĐND và UBND huyện Tiên Du"),
    ("UBND TỈNH BẮC NINH\nSỞ NỘI VỤ", "Sở Nội vụ tỉnh Bắc Ninh"),  # a province's, as before
])
def test_a_body_below_the_province_is_named_with_its_level_and_place(issuer_lines, issuer):
    text = (f"{issuer_lines}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 15/KH-UBND\n"
            "Tiên Du, ngày 12 tháng 3 năm 2024\nKẾ HOẠCH\nTriển khai chuyển đổi số\nI. MỤC TIÊU\nNâng cao.")
    assert extract_identity(text, segment(text)).issuer == issuer


QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"


@pytest.mark.parametrize("left_then_right", [
    "Số: 1234/UBND-KGVX\nV/v triển khai nền tảng số\nBắc Ninh, ngày 05 tháng 4 năm 2024",  # the left column first
    "Số: 1234/UBND-KGVX\nBắc Ninh, ngày 05 tháng 4 năm 2024\nV/v: triển khai nền tảng số",  # row by row
])
def test_a_cong_vans_vv_line_and_its_place_and_date_stay_apart(left_then_right):
    text = (f"ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n{QUOC_HIEU}{left_then_right}\nKính gửi: Các sở, ban, ngành.\n"
            "Nội dung.")
    ident = extract_identity(text, segment(normalise([Page(1, text, "plain")]).text))
    assert (ident.title, ident.date, ident.place) == ("triển khai nền tảng số", "2024-04-05", "Bắc Ninh")


@pytest.mark.parametrize("place_and_date", ["Bắc Ninh, 12/3/2024", "Bắc Ninh, ngày 12 tháng 3, năm 2024"])
def test_a_header_date_typed_as_figures_or_with_a_comma(place_and_date):
    text = f"ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n{QUOC_HIEU}Số: 15/KH-UBND\n{place_and_date}\nKẾ HOẠCH\nChuyển đổi số\nNội dung."
    ident = extract_identity(text, segment(normalise([Page(1, text, "plain")]).text))
    assert (ident.date, ident.place) == ("2024-03-12", "Bắc Ninh")


@pytest.mark.parametrize("number_line", ["So: 15/KH-UBND", "SO: 15/KH-UBND", "Só: 15/KH-UBND", "S6: 15/KH-UBND",
                                         "Số: 15|KH-UBND"])
def test_a_number_line_typed_without_marks_or_misread(number_line):
    text = f"ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n{QUOC_HIEU}{number_line}\nBắc Ninh, ngày 12 tháng 3 năm 2024\nKẾ HOẠCH\nNội dung."
    assert extract_identity(text, segment(text)).id == "15/KH-UBND"


@pytest.mark.parametrize("header, issuer", [
    ("UBND TỈNH BẮC NINH\nVĂN PHÒNG", "Văn phòng Ủy ban nhân dân tỉnh Bắc Ninh"),  # the office of the body above
    ("UBND HUYỆN TIÊN DU\nVĂN PHÒNG", "Văn phòng Ủy ban nhân dân huyện Tiên Du"),
    ("UBND HUYỆN TIÊN DU\nPHÒNG VĂN HÓA VÀ THÔNG TIN", "Phòng Văn hóa và Thông tin huyện Tiên Du"),  # each field
    ("UBND HUYỆN TIÊN DU\nPHÒNG TÀI CHÍNH - KẾ HOẠCH", "Phòng Tài chính - Kế hoạch huyện Tiên Du"),
])
def test_a_unit_under_its_parent_body(header, issuer):
    text = f"{header}\n{QUOC_HIEU}Số: 15/TB-VP\nBắc Ninh, ngày 12 tháng 3 năm 2024\nTHÔNG BÁO\nNội dung."
    assert extract_identity(text, segment(text)).issuer == issuer


@pytest.mark.parametrize("after_title", [
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH",  # the enacting authority, the rule above it lost
    "ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
    "(Kèm theo Quyết định số 12/QĐ-UBND ngày 01/3/2024)",  # what it is issued with
])
def test_the_trich_yeu_ends_before_the_authority_or_the_issuing_note(after_title):
    text = (f"ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n{QUOC_HIEU}Số: 15/QĐ-UBND\nBắc Ninh, ngày 12 tháng 3 năm 2024\n"
            f"QUYẾT ĐỊNH\nBan hành Kế hoạch chuyển đổi số\n{after_title}\nCăn cứ Luật Tổ chức chính quyền địa phương;\n"
            "QUYẾT ĐỊNH:\nĐiều 1. Nội dung.")
    ident = extract_identity(text, segment(normalise([Page(1, text, "plain")]).text))
    assert ident.title == "Ban hành Kế hoạch chuyển đổi số"


def test_a_title_in_capitals_going_on_with_a_role_keeps_it():
    text = (f"ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n{QUOC_HIEU}Số: 15/QĐ-UBND\nBắc Ninh, ngày 12 tháng 3 năm 2024\n"
            "QUYẾT ĐỊNH\nVỀ VIỆC BỔ NHIỆM\nGIÁM ĐỐC SỞ Y TẾ\nCăn cứ Luật;\nĐiều 1. Nội dung.")
    assert extract_identity(text, segment(text)).title == "VỀ VIỆC BỔ NHIỆM GIÁM ĐỐC SỞ Y TẾ"


def test_a_title_in_capitals_tied_to_a_body_keeps_it():
    text = (f"ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n{QUOC_HIEU}Số: 15/QĐ-UBND\nBắc Ninh, ngày 12 tháng 3 năm 2024\n"
            "QUYẾT ĐỊNH\nVỀ QUY CHẾ LÀM VIỆC CỦA\nỦY BAN NHÂN DÂN TỈNH BẮC NINH\nCăn cứ Luật;\nĐiều 1. Nội dung.")
    assert extract_identity(text, segment(text)).title == "VỀ QUY CHẾ LÀM VIỆC CỦA ỦY BAN NHÂN DÂN TỈNH BẮC NINH"


def test_a_header_read_a_column_at_a_time_keeps_the_right_columns_date():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\nSố: 1234/UBND-KGVX\nV/v triển khai nền tảng số\n"  # the left column
            f"{QUOC_HIEU}Bắc Ninh, ngày 05 tháng 4 năm 2024\nKính gửi: Các sở, ban, ngành.\nNội dung.")
    ident = extract_identity(text, segment(normalise([Page(1, text, "plain")]).text))
    assert (ident.id, ident.title, ident.date, ident.place) == ("1234/UBND-KGVX", "triển khai nền tảng số",
                                                                "2024-04-05", "Bắc Ninh")


def test_a_party_committee_under_its_party_branch():
    text = ("ĐẢNG BỘ TỈNH BẮC NINH\nTỈNH ỦY\n*\nSố 15-NQ/TU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
            "Bắc Ninh, ngày 20 tháng 8 năm 2021\nNGHỊ QUYẾT\nvề chuyển đổi số\nI. TÌNH HÌNH\nNội dung.")
    ident = extract_identity(text, segment(text))
    assert (ident.issuer, ident.province) == ("Tỉnh ủy Bắc Ninh", "Bắc Ninh")


@pytest.mark.parametrize("lines, role", [
    (["Q. GIÁM ĐỐC", "Trần Văn Bình"], "Quyền Giám đốc"),  # the acting head
    (["TL. BỘ TRƯỞNG", "VỤ TRƯỞNG VỤ PHÁP CHẾ", "Trần Văn Bình"], "Vụ trưởng"),
    (["KT. CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "Trần Văn Bình"], "Phó Chủ nhiệm"),
    (["TM. CƠ QUAN", "KT. THỦ TRƯỞNG", "(Đã ký)", "Trần Văn Bình"], "Phó Thủ trưởng"),  # the deputy's line left out
    (["KT. TỔNG THANH TRA", "PHÓ TỔNG THANH TRA", "Trần Văn Bình"], "Phó Tổng Thanh tra"),
    (["CHI CỤC TRƯỞNG", "Trần Văn Bình"], "Chi cục trưởng"),  # not the Cục trưởng inside it
    (["TỔNG BIÊN TẬP", "Trần Văn Bình"], "Tổng Biên tập"),
    (["KT. Chủ tịch", "Phó Chủ tịch", "Trần Văn Bình"], "Phó Chủ tịch"),  # typed in title case
])
def test_acting_heads_and_more_roles(lines, role):
    assert read_signature_block(lines)[:2] == ("Trần Văn Bình", role)


def test_a_title_case_role_only_as_its_own_line():
    assert read_signature_block(["Chủ tịch UBND tỉnh chỉ đạo các sở", "Trần Văn Bình"])[1] is None


@pytest.mark.parametrize("name", ["Y Thanh Hà Niê Kđăm", "H'Yim Kđoh", "Nguyễn Thị Kim Thu Hà"])
def test_central_highlands_and_long_names(name):
    assert read_signature_block(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", name])[:2] == (name, "Phó Chủ tịch")


@pytest.mark.parametrize("header, number, issuer", [
    ("CHÍNH PHỦ", "30/2025/QĐ-TTg", "Thủ tướng Chính phủ"),  # the head issues under the body's name
    ("CHÍNH PHỦ", "30/2025/NĐ-CP", "Chính phủ"),
    ("BỘ TÀI CHÍNH", "97/2025/QĐ-UBND", "Bộ Tài chính"),  # a ký hiệu of another body: the header stands
])
def test_the_kyhieu_names_the_head_that_issues_under_its_bodys_header(header, number, issuer):
    text = (f"{header}\n{QUOC_HIEU}Số: {number}\nHà Nội, ngày 30 tháng 8 năm 2025\nQUYẾT ĐỊNH\nBan hành Quy chế\n"
            "Căn cứ Luật Tổ chức Chính phủ;\nĐiều 1. Nội dung.")
    ident = extract_identity(text, segment(text))
    assert (ident.issuer, ident.province) == (issuer, None)


@pytest.mark.parametrize("place_line, place", [
    ("Bà Rịa - Vũng Tàu, ngày 30 tháng 8 năm 2024", "Bà Rịa - Vũng Tàu"),  # a province named with a hyphen
    ("Phan Rang-Tháp Chàm, ngày 30 tháng 8 năm 2024", "Phan Rang-Tháp Chàm"),
    ("Số: 16/KH-UBND Bắc Ninh, ngày 30 tháng 8 năm 2024", "Bắc Ninh"),  # a scan's merged line: the ký hiệu is no place
])
def test_a_place_written_with_a_hyphen_is_read_whole(place_line, place):
    text = f"ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n{QUOC_HIEU}Số: 15/KH-UBND\n{place_line}\nKẾ HOẠCH\nChuyển đổi số\nI. MỤC TIÊU\nNội dung."
    assert extract_identity(text, segment(text)).place == place
