"""Ký hiệu checked against the knowledge tables (extractors/symbols.py), on damaged forms
written here the way OCR damages them."""
from __future__ import annotations

import pytest

from vanban.extractors.identity import extract_identity
from vanban.extractors.references import find_references
from vanban.extractors.structure import segment
from vanban.extractors.symbols import check_symbol


@pytest.mark.parametrize("read,year,fixed", [
    ("QĐĐ-UBND", None, "QĐ-UBND"),  # a letter doubled
    ("CV-BTTTTI", None, "CV-BTTTT"),  # a letter too many
    ("BTTIT-CĐSQG", None, "BTTTT-CĐSQG"),  # a letter misread
    ("QHIS", 2024, "QH15"),  # a term's digits read as letters
    ("QH1", 2018, "QH14"),  # a digit lost: the term that sat that year
    ("KH-UBND_", None, "KH-UBND"),  # OCR's underline
    ("NĐ-CP.", None, "NĐ-CP"),
    ("QĐ-TTG", None, "QĐ-TTg"),  # the written case of a listed piece
    ("KH-UB#D", None, "KH-UBND"),  # a letter read as a symbol
])
def test_repaired(read, year, fixed):
    checked = check_symbol(read, year)
    assert (checked.symbol, checked.status) == (fixed, "repaired")
    assert checked.note


@pytest.mark.parametrize("symbol", ["KH-UBND", "UBND-TTHC", "QĐ-TTg", "NQ/TW", "KH/ĐĐQH15", "QĐ-TCT68-CAT",
                                    "BC-STTTT", "KH-ĐƯCXLSC", "QĐ-STTT"])  # STTT: shortened as printed
def test_valid_symbols_stay(symbol):
    assert check_symbol(symbol) == check_symbol(symbol).__class__(symbol, "valid")


@pytest.mark.parametrize("read", ["NQ/T", "QĐ-TTỹ", "KH-ZQ#X"])
def test_damage_nothing_fits_is_doubtful(read):
    checked = check_symbol(read)
    assert checked.status == "doubtful" and checked.symbol == read and read.split("-")[-1].split("/")[-1] in checked.note


def test_term_that_did_not_sit_in_the_year_is_doubtful_in_a_boundary_year():
    assert check_symbol("QH1", 2021).status == "doubtful"  # QH14 and QH15 both sat in 2021


def test_references_repair_and_settle_against_a_clean_twin():
    text = ("Căn cứ Quyết định số 01/QĐĐ-BCĐ ngày 21/4/2022 của Ban Chỉ đạo; Nghị quyết số 48-NQ/T ngày "
            "01/02/2020; Luật số 20/2023/QHIS; thực hiện Nghị quyết 48-NQ/TW ngày 01/02/2020 của Bộ Chính trị; "
            "Kế hoạch 187/KH-UBND_ ngày 3/10/2022; Nghị định 45⁄2020/NĐ-CP.")
    refs = {r.id: r for r in find_references(text, province="Lạng Sơn")}
    assert set(refs) == {"01/QĐ-BCĐ", "48-NQ/TW", "20/2023/QH15", "187/KH-UBND", "45/2020/NĐ-CP"}
    assert len(refs["48-NQ/TW"].mentions) == 2 and refs["48-NQ/TW"].jurisdiction == "national"
    assert refs["187/KH-UBND"].date == "2022-10-03"
    assert all(r.doubtful is None for r in refs.values())


def test_a_damaged_id_alone_is_kept_and_marked_doubtful():
    (ref,) = find_references("Căn cứ Nghị quyết số 48-NQ/T ngày 01/02/2020;")
    assert ref.id == "48-NQ/T" and "cut short" in ref.doubtful


@pytest.mark.parametrize("line,expected", [
    ("Số: 1 87/BTTTTI-THH", "187/BTTTT-THH"),  # a space inside the number, a letter too many
    ("Số: 12⁄KH-UBND", "12/KH-UBND"),  # a fraction slash
    ("Số: 187 /KH-UBND_", "187/KH-UBND"),
])
def test_header_number_repaired(line, expected):
    text = f"ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\n{line}\nLạng Sơn, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH\nChuyển đổi số"
    ident = extract_identity(text, segment(text))
    assert ident.id == expected and "id" not in ident.notes


@pytest.mark.parametrize("text,ref_id,date", [
    ("tại Quyết định số 28/2018/QĐ- -TTg ngày 12/7/2018 của Thủ tướng Chính phủ", "28/2018/QĐ-TTg", "2018-07-12"),
    ("Kế hoạch số 450/KH-ĐƯCXLSC: ngày 10/3/2021 của Đội ứng cứu", "450/KH-ĐƯCXLSC", "2021-03-10"),
])
def test_ocr_punctuation_around_an_id(text, ref_id, date):
    (ref,) = find_references(text)
    assert (ref.id, ref.date) == (ref_id, date)


def test_small_letters_real_ký_hiệu_use_are_no_damage():
    assert check_symbol("SGDĐT-CTrTT").status == "valid"
    refs = [r.id for r in find_references("Công văn số 1899/SGDĐT-CTrTT ngày 01/7/2020; công văn 1899/SGDĐT-CTTTT")]
    assert "1899/SGDĐT-CTrTT" in refs  # the misreading does not swallow it


@pytest.mark.parametrize("read, meant", [("KH-UBNĐ", "KH-UBND"), ("QĐ-BCD", "QĐ-BCĐ"), ("CV-SGDDT", "CV-SGDĐT")])
def test_the_bar_of_a_d_added_or_lost_is_undone_when_one_listed_piece_results(read, meant):
    assert check_symbol(read).symbol == meant
    assert check_symbol("NQ/ĐĐQH15").status == "valid" and check_symbol("KH-SGDĐT").symbol == "KH-SGDĐT"
