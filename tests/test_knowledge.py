"""The knowledge in models/data: checked at load, and used where code had its own copy."""
from __future__ import annotations

import pytest

from vanban.extractors.identity import extract_identity
from vanban.extractors.references import find_references
from vanban.extractors.structure import segment
from vanban.models import knowledge
from vanban.models.knowledge import (PROVINCES, SURNAMES, TABLES, KnowledgeError, cues, local_name, province_kinds,
                                     roles, signing_marks)


# -- every file loads and is checked ---------------------------------------------------

@pytest.mark.parametrize("file", sorted(TABLES))
def test_every_data_file_passes_its_checks(file):
    assert TABLES[file].read()


def test_surnames_are_listed_once():
    names = [r["surname"].casefold() for r in SURNAMES.read()]
    assert len(names) == len(set(names)) and "hoàng" in names


def test_every_lexicon_has_words_and_every_word_a_known_lexicon():
    assert all(cues(name) for name in knowledge.LEXICONS)
    with pytest.raises(ValueError, match="unknown lexicon"):
        cues("targets")


def write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("text,message", [
    ("name,kind\nHà Nội,thành phố\nLạng Sơn,tỉnh\nHà Nội,thành phố\n",
     "provinces.csv line 4: 'Hà Nội' is listed again (first on line 2); remove one of the two rows"),
    ("name,kind\nHà Nội,thành phố\nLạng Sơn,quận\n",
     "provinces.csv line 3: kind 'quận' is none of tỉnh, thành phố; use one of them"),
    ("name,level\nHà Nội,thành phố\n",
     "provinces.csv: the header reads name,level; it should read name,kind"),
    ("name,kind\nBà Rịa, Vũng Tàu,tỉnh\n",
     "provinces.csv line 2: 3 fields where the header has 2; quote a value that holds a comma"),
    ("name,kind\n,tỉnh\n", "provinces.csv line 2: no name; fill it in or remove the row"),
])
def test_a_bad_file_is_refused_with_its_line_and_what_to_do(tmp_path, text, message):
    with pytest.raises(KnowledgeError) as error:
        PROVINCES.read(write(tmp_path, "provinces.csv", text))
    assert message in str(error.value) and str(tmp_path) in str(error.value)


def test_duplicates_are_found_without_case_and_values_are_nfc(tmp_path):
    with pytest.raises(KnowledgeError, match="line 3: 'hoàng' is listed again"):
        SURNAMES.read(write(tmp_path, "surnames.csv", "surname\nHoàng\nhoàng\n"))
    decomposed = "Hoa\u0300ng"  # 'Hoàng' with a combining grave accent
    assert SURNAMES.read(write(tmp_path, "surnames.csv", f"surname\n{decomposed}\n")) == [{"surname": "Hoàng"}]


def test_tables_are_read_once(monkeypatch):
    knowledge.provinces()
    monkeypatch.setattr(knowledge.Table, "read", lambda *a, **k: pytest.fail("read again"))
    assert "Hà Nội" in knowledge.provinces() and knowledge.province_kinds()["Hà Nội"] == "thành phố"


# -- province kind -------------------------------------------------------------------------

def test_province_kinds():
    kinds = province_kinds()
    assert kinds["Hà Nội"] == kinds["Đà Nẵng"] == kinds["Hồ Chí Minh"] == "thành phố"
    assert kinds["Lạng Sơn"] == kinds["Tuyên Quang"] == "tỉnh"


@pytest.mark.parametrize("body,province,name", [
    ("Ủy ban nhân dân", "Đà Nẵng", "Ủy ban nhân dân thành phố Đà Nẵng"),
    ("Sở Thông tin và Truyền thông", "Hà Nội", "Sở Thông tin và Truyền thông thành phố Hà Nội"),
    ("Sở Thông tin và Truyền thông", "Lạng Sơn", "Sở Thông tin và Truyền thông tỉnh Lạng Sơn"),
    ("Công an tỉnh", "Hải Phòng", "Công an thành phố Hải Phòng"),
    ("Công an tỉnh", "Lào Cai", "Công an tỉnh Lào Cai"),
    ("Tỉnh ủy", "Đà Nẵng", "Thành ủy Đà Nẵng"),
    ("Tỉnh ủy", "Tuyên Quang", "Tỉnh ủy Tuyên Quang"),
])
def test_local_name(body, province, name):
    assert local_name(body, province) == name


def identity(text: str):
    return extract_identity(text, segment(text))


HEADER = ("{issuer}\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\nSố: 12/KH-STTTT\n"
          "Hà Nội, ngày 01 tháng 02 năm 2022\nKẾ HOẠCH\nChuyển đổi số năm 2022\nCăn cứ Luật Công nghệ thông tin;")
PROVINCE_HEADER = ("UBND TỈNH LẠNG SƠN\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\nSố: 12/KH-STTTT\n"
                   "Lạng Sơn, ngày 01 tháng 02 năm 2022\nKẾ HOẠCH\nChuyển đổi số năm 2022\nCăn cứ Luật Công nghệ thông tin;")


@pytest.mark.parametrize("parent", ["UBND TP HÀ NỘI", "UBND HÀ NỘI", "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI"])
def test_a_city_header_names_the_city(parent):
    ident = identity(HEADER.format(issuer=parent))
    assert (ident.issuer, ident.province) == ("Sở Thông tin và Truyền thông thành phố Hà Nội", "Hà Nội")


def test_a_province_header_names_the_province():
    ident = identity(PROVINCE_HEADER)
    assert (ident.issuer, ident.province) == ("Sở Thông tin và Truyền thông tỉnh Lạng Sơn", "Lạng Sơn")


@pytest.mark.parametrize("place,issuer", [
    ("Đà Nẵng", "Ủy ban nhân dân thành phố Đà Nẵng"),
    ("Lào Cai", "Ủy ban nhân dân tỉnh Lào Cai"),
])
def test_an_issuer_read_from_the_symbol_takes_the_kind(place, issuer):
    text = f"Số: 45/BC-UBND\n{place}, ngày 01 tháng 02 năm 2022\nBÁO CÁO\nKết quả chuyển đổi số\nThực hiện Kế hoạch;"
    assert identity(text).issuer == issuer


def test_a_cited_local_body_takes_the_kind():
    refs = find_references("Thực hiện Chương trình số 45-CTr/TU ngày 25/02/2020 và Quyết định số 12/QĐ-UBND "
                           "ngày 01/02/2022;", province="Đà Nẵng")
    assert [r.issuer for r in refs] == ["Thành ủy Đà Nẵng", "Ủy ban nhân dân thành phố Đà Nẵng"]


# -- roles and signing marks ----------------------------------------------------------------

def test_roles_and_signing_marks():
    assert "Tổng Bí thư" in roles() and roles().index("Tổng Bí thư") < roles().index("Bí thư")
    assert signing_marks("thay mặt") == ("TM.", "T/M")
    with pytest.raises(ValueError, match="unknown signing meaning"):
        signing_marks("ký")


def test_a_role_is_written_as_the_data_writes_it():
    from vanban.extractors.identity import read_signature_block

    assert read_signature_block(["TM. BAN CHẤP HÀNH TRUNG ƯƠNG", "TỔNG BÍ THƯ", "Tô Lâm"])[:2] == ("Tô Lâm", "Tổng Bí thư")
    assert read_signature_block(["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"])[:2] == ("Nguyễn Văn An", "Phó Giám đốc")
