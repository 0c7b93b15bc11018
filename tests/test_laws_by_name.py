"""Laws cited by name with a year or a date (extractors/references.py) and the table they are
looked up in (models/data/laws.csv)."""
from __future__ import annotations

import pytest

from vanban.extractors.references import find_references
from vanban.models.knowledge import LAW_CHECKS, laws


@pytest.mark.parametrize("text,law_id,law_type", [
    ("Căn cứ Luật Doanh nghiệp 2020;", "59/2020/QH14", "Luật"),
    ("Căn cứ Luật Đất đai năm 2024;", "31/2024/QH15", "Luật"),
    ("Căn cứ Luật Đất đai năm 2013;", "45/2013/QH13", "Luật"),
    ("Căn cứ Luật Ngân sách nhà nước ngày 25/6/2015;", "83/2015/QH13", "Luật"),
    ("theo quy định của Bộ luật Lao động 2019", "45/2019/QH14", "Bộ luật"),
    ("Căn cứ Bộ luật Dân sự ngày 24 tháng 11 năm 2015;", "91/2015/QH13", "Bộ luật"),
])
def test_law_by_name_with_year_or_date(text, law_id, law_type):
    (ref,) = find_references(text)
    assert (ref.id, ref.type, ref.jurisdiction) == (law_id, law_type, "national")


def test_the_law_an_amending_law_names_is_not_cited_by_it():
    text = ("Căn cứ Luật Thống kê ngày 23 tháng 11 năm 2015;\nCăn cứ Luật sửa đổi, bổ sung một số điều và Phụ lục "
            "Danh mục chỉ tiêu thống kê quốc gia của Luật Thống kê ngày 12 tháng 11 năm 2021;")
    assert [(r.id, r.date) for r in find_references(text)] == [("89/2015/QH13", "2015-11-23"),
                                                               ("01/2021/QH15", "2021-11-12")]


def test_pháp_luật_in_small_letters_is_no_law():
    assert find_references("theo quy định của pháp luật doanh nghiệp") == []


def test_every_law_row_says_how_far_it_was_checked():
    rows = laws()
    assert len(rows) >= 150
    assert {law.checked for law in rows} <= set(LAW_CHECKS)
    assert all(law.number.split("/")[1] == law.date[:4] for law in rows)  # a law's number carries its year
    codes = {law.name for law in rows if law.name.startswith("Bộ luật")}
    assert {"Bộ luật Lao động", "Bộ luật Dân sự", "Bộ luật Hình sự"} <= codes


@pytest.mark.parametrize("written,law_id", [("2018-04-03", "67/2014/QH13"), ("2018-04", "67/2014/QH13"),
                                            ("2025-02-04", "61/2020/QH14")])
def test_a_law_named_without_year_is_the_version_in_force_when_written(written, law_id):
    (ref,) = find_references("theo quy định của Luật Đầu tư;", written=written)
    assert ref.id == law_id


@pytest.mark.parametrize("written,law_id", [("2025-12-20", "83/2015/QH13"), ("2026-02-01", "89/2025/QH15")])
def test_a_law_passed_but_not_yet_in_force_is_not_the_one_meant(written, law_id):
    (ref,) = find_references("Căn cứ Luật Ngân sách nhà nước;", written=written)
    assert ref.id == law_id


def test_a_year_the_table_knows_no_version_of_is_no_older_version():
    # 'Luật Hóa chất' of 2007 is in the table; one passed in 2030 is not, and is not read as the 2007 one
    assert find_references("Căn cứ Luật Hóa chất ngày 14 tháng 6 năm 2030;") == []
    assert find_references("Căn cứ Luật Hóa chất năm 2030;") == []
    assert [r.id for r in find_references("Căn cứ Luật Hóa chất ngày 21 tháng 11 năm 2007;")] == ["06/2007/QH12"]


def test_a_law_named_again_is_the_version_the_text_cites_by_number():
    text = ("Căn cứ Luật Hóa chất số 77/2030/QH16;\n"
            "Điều 3. Tổ chức, cá nhân thực hiện theo quy định của Luật Hóa chất và Nghị định hướng dẫn.")
    (ref,) = find_references(text, written="2031-01-10")
    assert (ref.id, len(ref.mentions)) == ("77/2030/QH16", 2)


def test_a_law_named_with_another_year_than_its_number_cited_is_looked_up():
    text = "Căn cứ Luật Hóa chất số 77/2030/QH16;\nLuật Hóa chất năm 2007 hết hiệu lực kể từ ngày Luật này có hiệu lực."
    assert {r.id for r in find_references(text)} == {"77/2030/QH16", "06/2007/QH12"}
