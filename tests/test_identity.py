import json

import pytest

from tests.conftest import ROOT, make_document

GOLD = ROOT.parent / "shared" / "gold" / "identity.json"


def identity(text):
    return make_document(text).identity


def test_full_header():
    ident = identity("ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                     "Số: 206 /KH-UBND Lạng Sơn, ngày 20 tháng 10 năm 2021\nKẾ HOẠCH\n"
                     "Phát triển Chính quyền số năm 2022\nThực hiện Công văn số 3570/BTTTT-THH;\n"
                     "Nơi nhận:\n- Như trên;\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nDương Xuân Huyên\n")
    assert (ident.type, ident.id, ident.number, ident.symbol) == ("Kế hoạch", "206/KH-UBND", "206", "KH-UBND")
    assert (ident.date, ident.place, ident.province) == ("2021-10-20", "Lạng Sơn", "Lạng Sơn")
    assert ident.issuer == "Ủy ban nhân dân tỉnh Lạng Sơn"
    assert ident.title == "Phát triển Chính quyền số năm 2022"
    assert (ident.signer, ident.signer_title) == ("Dương Xuân Huyên", "Phó Chủ tịch")


@pytest.mark.parametrize("line, expected", [
    ("Số: 370/2025/NĐ-CP", ("370/2025/NĐ-CP", "370", "NĐ-CP")),
    ("Số 3260-KH/ĐĐQH15", ("3260-KH/ĐĐQH15", "3260", "KH/ĐĐQH15")),
    ("Số: 48-NQ/TƯ", ("48-NQ/TW", "48", "NQ/TW")),
    ("Số: 742/QÐ-UBND", ("742/QĐ-UBND", "742", "QĐ-UBND")),
])
def test_number_forms(line, expected):
    ident = identity(f"{line}\nHà Nội, ngày 10 tháng 01 năm 2025\nQUYẾT ĐỊNH\nVề việc thử\n")
    assert (ident.id, ident.number, ident.symbol) == expected


def test_blank_number_and_day_are_null_with_reason():
    ident = identity("Số: /BC-STTTT\nTuyên Quang, ngày tháng 5 năm 2022\nBÁO CÁO\nKết quả triển khai\n")
    assert ident.id is None and ident.symbol == "BC-STTTT" and ident.date == "2022-05"
    assert "blank" in ident.notes["id"] and "blank" in ident.notes["date"]
    assert ident.issuer == "Sở Thông tin và Truyền thông tỉnh Tuyên Quang"


@pytest.mark.parametrize("date_line", ["Hà Giang, ngày     tháng     năm 2021",  # printed for the pen
                                       "Hà Giang, ngày 1# tháng ,. năm 2021"])  # the pen's ink as OCR reads it
def test_a_header_date_without_day_and_month_gives_its_year(date_line):
    ident = identity(f"ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG\nSố: 17/CT-UBND {date_line}\nCHỈ THỊ\nVề việc thử\n")
    assert ident.id == "17/CT-UBND" and ident.date == "2021" and "month" in ident.notes["date"]


def test_a_citation_without_day_and_month_has_no_date():
    doc = make_document("Số: 18/KH-UBND\nHà Giang, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH\nVề việc thử\n"
                        "Căn cứ Chỉ thị số 17/CT-UBND ngày   tháng   năm 2021 của UBND tỉnh;\n")
    (ref,) = doc.references
    assert ref.id == "17/CT-UBND" and ref.date is None


DECREE = ("Số: 13/2025/NĐ-CP\nHà Nội, ngày 05 tháng 12 năm 2025\nNGHỊ ĐỊNH\nVề việc thử\n"
          "Điều 3. Các Bộ trưởng chịu trách nhiệm thi hành Nghị định này.\nTM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\n"
          "PHÓ THỦ TƯỚNG\n")
# an annex holding a form of its own: its blank signature block closes the text
FORM = ("Mẫu số 1\nỦY BAN NHÂN DÂN TỈNH ...\nSố: .../KH-UBND\nKẾ HOẠCH\n1. Mục đích\n2. Nội dung\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n(Ký, ghi rõ họ tên và đóng dấu)\n")


@pytest.mark.parametrize("signed", [
    "(Đã ký) Lê Văn Cường\nPHỤ LỤC\n(Kèm theo Nghị định số 13/2025/NĐ-CP)\n",
    "(Đã ký) Lê Văn Cường Phụ lục (Kèm theo Nghị định số 13/2025/NĐ-CP ngày 05 tháng 12 năm 2025)\n",  # one line
])
def test_the_signer_marked_before_annexes_is_the_documents(signed):
    ident = identity(DECREE + signed + FORM)
    assert (ident.signer, ident.signer_title) == ("Lê Văn Cường", "Phó Thủ tướng")


def test_issuer_under_a_parent_line():
    ident = identity("UBND TỈNH TUYÊN QUANG\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\nSố: 12/KH-STTTT\n"
                     "Tuyên Quang, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH\nThử nghiệm\n")
    assert ident.issuer == "Sở Thông tin và Truyền thông tỉnh Tuyên Quang"


def test_cong_van_type_from_vv_line():
    ident = identity("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nSố: 299/UBND-TTHC\nV/v công bố Danh mục TTHC\n"
                     "Quảng Ngãi, ngày 15 tháng 01 năm 2025\nKính gửi: Sở Giao thông vận tải.\n")
    assert ident.type == "Công văn" and ident.id == "299/UBND-TTHC" and ident.date == "2025-01-15"
    assert ident.title.startswith("công bố Danh mục")


@pytest.mark.skipif(not GOLD.exists(), reason="shared gold not available")
def test_seed_identities_match_gold(seed_text):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    for name, expected in gold.items():
        ident = identity(seed_text(name[:3]))
        for field in ("type", "id", "date", "province", "signer", "issuer", "signer_title"):
            assert getattr(ident, field) == expected[field], (name, field)
        assert expected["title_contains"] in (ident.title or "")


SCANNED_HEADER = (
    "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHÚ NGHĨA VIỆT NAM\n"
    "TINH QUANG NGAÀI Độc lập - Tự đo - Hạnh phúc Số: ý# /CT-UBND Quảng Ngãi, ngày |3 tháng 01 năm 2025\n"
    "CHÍ THỊ\n"
    ",Vêviệc tăng cường công tác thi hành án hành chính\n"
    "Thực hiện Luật Tố tụng hành chính, Chủ tịch UBND tỉnh yêu cầu các sở thực hiện nghiêm túc.\n"
    "Nơi nhận: KT. CHỦ TỊCH\n- Như trên;\n- Lưu: VT, NC.\n\"Trân Ngọc Căng\n"
)


def test_scanned_two_column_header_with_ocr_damage():
    ident = identity(SCANNED_HEADER)
    assert ident.type == "Chỉ thị"  # 'CHÍ THỊ' read folded
    assert ident.issuer == "Ủy ban nhân dân tỉnh Quảng Ngãi"  # motto cut, fuzzy province
    assert ident.symbol == "CT-UBND" and ident.id is None and "unreadable" in ident.notes["id"]
    assert ident.date == "2025-01"  # junk day dropped, month kept
    assert ident.title == "tăng cường công tác thi hành án hành chính"
    assert ident.signer_title == "Phó Chủ tịch"  # KT. CHỦ TỊCH: a deputy signs


def test_number_from_a_scans_file_name():
    from vanban.pipeline.reading.analyse import build_document
    from vanban.models.records import Page

    doc = build_document("scans/2352 ( 07-CT-UBND).signed.pdf", [Page(1, SCANNED_HEADER, "ocr")])
    assert doc.identity.id == "07/CT-UBND" and "file name" in doc.identity.notes["id"]
    misread = SCANNED_HEADER.replace("ý# /CT-UBND", "899 /UBND-TTHC").replace("CHÍ THỊ\n", "")
    doc = build_document("299 UB.signed.pdf", [Page(1, misread, "ocr")])
    assert doc.identity.id == "299/UBND-TTHC" and "OCR read 899" in doc.identity.notes["id"]
    doc = build_document("299 UB.signed.pdf", [Page(1, misread, "text")])
    assert doc.identity.id == "899/UBND-TTHC"  # a born-digital header is trusted over the file name


@pytest.mark.parametrize("name, symbol, number", [
    ("2352 ( 07-CT-UBND).signed_20250221.pdf", "CT-UBND", "07"),
    ("01CT_20250509_154257.pdf", "CT-UBND", "01"),
    ("575 UB.signed_20250510.pdf", "UBND-KTTH", "575"),
    ("05.signed_20250517_044750.pdf", "TB-UBND", None),
    ("vht534.signed.pdf", "TB-UBND", None),
])
def test_file_name_number_needs_the_symbol_beside_it(name, symbol, number):
    from vanban.extractors.identity import number_from_file_name

    assert number_from_file_name(name, symbol) == number


def test_news_style_lead_without_header():
    ident = identity("# Nghị quyết số 57-NQ/TW\n**Thay mặt Bộ Chính trị, Tổng Bí thư Tô Lâm đã ký ban hành "
                     "Nghị quyết số 57-NQ/TW (ngày 22/12/2024) của Bộ Chính trị về đột phá phát triển khoa học, "
                     "công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia.**\nPhát triển khoa học là yếu tố quyết định.\n")
    assert (ident.type, ident.id, ident.date, ident.issuer) == ("Nghị quyết", "57-NQ/TW", "2024-12-22", "Bộ Chính trị")
    assert ident.title.startswith("đột phá phát triển khoa học")
    assert (ident.signer, ident.signer_title) == ("Tô Lâm", "Tổng Bí thư")
    assert "lead" in ident.notes["id"]


OCR_SIGNATURE_TAIL = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
Số: 08/CT-UBND
Quảng Ngãi, ngày 03 tháng 4 năm 2018
CHỈ THỊ
Về việc tăng cường công tác quản lý nhà nước
Yêu cầu các sở, ngành thực hiện nghiêm túc Chỉ thị này./.
Nơi nhận:
- Như trên;
- Lưu: VT, P.ThhtlvanS4.
{name}
"""


def _from_ocr(text):
    from vanban.extractors.identity import extract_identity
    from vanban.extractors.structure import segment

    return extract_identity(text, segment(text), ocr=True)


def test_ocr_misread_family_name_is_forgiven_only_in_ocr_text():
    text = OCR_SIGNATURE_TAIL.format(name='"Trân Ngọc Căng')
    assert _from_ocr(text).signer == "Trần Ngọc Căng"  # 'Trân' is no family name; trần is the one that fits
    assert identity(text).signer is None  # typed text: a misspelt name is not guessed at
    assert _from_ocr(OCR_SIGNATURE_TAIL.format(name="Xguyến Quốc Việt")).signer == "Nguyễn Quốc Việt"


def test_capitals_are_not_forgiven_into_names():
    # 'CHỦ NGHĨA VIỆT NAM' folds to a family name (Chu): a heading, not a signer
    assert _from_ocr(OCR_SIGNATURE_TAIL.format(name="CHỦ NGHĨA VIỆT NAM")).signer is None


def test_central_headers_printed_in_pieces():
    # HTML pages of vbpl.vn: a number in fragments, an issuer broken over two lines, a type in two
    pieces = identity("BỘ CÔNG AN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố:\n78\n/202\n5\n"
                      "/TT-BCA\nHà Nội, ngày\n29\ntháng\n8\nnăm 202\n5\nTHÔNG TƯ\nSửa đổi một số điều\nCăn cứ Luật;")
    assert (pieces.id, pieces.date, pieces.issuer) == ("78/2025/TT-BCA", "2025-08-29", "Bộ Công an")
    split_issuer = identity("BỘ KHOA HỌC VÀ\nCÔNG NGHỆ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                            "Số: 45/2025/TT-BKHCN\nHà Nội, ngày 10 tháng 12 năm 2025\nTHÔNG TƯ\nQuy định\nCăn cứ Luật;")
    assert split_issuer.issuer == "Bộ Khoa học và Công nghệ"
    bank = identity("NGÂN HÀNG NHÀ NƯỚC\nVIỆT NAM\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                    "Số: 77/2025/TT-NHNN\nHà Nội, ngày 31 tháng 12 năm 2025\nTHÔNG TƯ\nQuy định\nCăn cứ Luật;")
    assert bank.issuer == "Ngân hàng Nhà nước Việt Nam"
    law = identity("QUỐC HỘI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nLuật số: 117/2025/QH15\n"
                   "LUẬT\nBẢO VỆ BÍ MẬT NHÀ NƯỚC\nCăn cứ Hiến pháp;")
    assert (law.type, law.id, law.issuer) == ("Luật", "117/2025/QH15", "Quốc hội")


def test_a_parent_and_its_child_stay_apart():
    ident = identity("UBND TỈNH TUYÊN QUANG\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\nSố: 12/KH-STTTT\n"
                     "Tuyên Quang, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH\nChuyển đổi số\nCăn cứ;")
    assert ident.issuer == "Sở Thông tin và Truyền thông tỉnh Tuyên Quang"


def test_a_name_run_on_after_the_role():
    from vanban.extractors.identity import read_signature_block

    assert read_signature_block(["THỐNG ĐỐC Phó Thống Đốc (đã ký) Phạm Thanh Hà"])[0] == "Phạm Thanh Hà"
    # capitals are a name whole or not at all: 'HỘI ĐỒNG NHÂN DÂN' is no 'Đồng Nhân Dân'
    assert read_signature_block(["TM. HỘI ĐỒNG NHÂN DÂN"])[0] is None
