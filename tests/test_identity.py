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
