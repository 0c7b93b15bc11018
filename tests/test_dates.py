import pytest

from vanban.extractors.dates import find_dates, find_year_only_date, parse_date, to_iso


@pytest.mark.parametrize("text, iso", [
    ("ngày 24/6/2022", "2022-06-24"),
    ("ngày 24 tháng 6 năm 2022", "2022-06-24"),
    ("23/11/ 2020", "2020-11-23"),
    ("24-6-2022", "2022-06-24"),
    ("24.6.2022", "2022-06-24"),
    ("Tuyên Quang, ngày   tháng 5 năm 2022", "2022-05"),
    ("NGÀY 08 THÁNG 4 NĂM 2020", "2020-04-08"),
    ("ngày 12 tháng 3, năm 2024", "2024-03-12"),  # a comma before the year
])
def test_date_forms(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["Nghị định số 45/2020/NĐ-CP", "31/2/2020", "đạt tỷ lệ 55,82%", "1.044 dịch vụ",
                                  "giai đoạn 2021-2025"])
def test_not_dates(text):
    assert parse_date(text) is None


def test_offsets_point_at_the_date():
    text = "Căn cứ Quyết định số 742/QĐ-UBND ngày 24/6/2022 của UBND tỉnh"
    (match,) = find_dates(text)
    assert text[match.start:match.end] == "24/6/2022"


def test_impossible_month():
    assert to_iso("1", "13", "2020") is None


@pytest.mark.parametrize("text, iso", [
    ("Quảng Ngãi, ngày |3 tháng 01 năm 2025", "2025-01"),  # a stamped day read as junk
    ("Quảng Ngãi, ngày Ø3 tháng 4 năm 2018", "2018-04-03"),  # OCR's Ø for 0
    ("Đà Nẵng, ngày 26tháng 7 năm 2020", "2020-07-26"),  # glued
    ("Đà Nẵng, ngày 84 tháng 5 năm 2019", "2019-05"),  # impossible day: the month stays
    ("Quảng Ngãi, ngày @3 tháng 0I năm 2025", "2025-01"),  # OCR's I for 1 in the month
    ("Quảng Ngãi, ngày /Š tháng II năm 2024", "2024-11"),
    ("Chỉ thị số 11/CT-TTg ngày l6 tháng 4 năm 2021", "2021-04-16"),  # and l for 1 in the day
    ("Quảng Ngãi, ngày tháng | năm 2020", None),  # a lone '|' is no month: a stamp's edge
    ("Hà Nội, ngày 29 tháng 8 năm 202 5", "2025-08-29"),  # a year a web page printed in two pieces
])
def test_scanned_header_dates(text, iso):
    assert parse_date(text) == iso


def test_a_month_split_by_ocr():
    from vanban.extractors.dates import find_dates

    assert [d.iso for d in find_dates("Quyết định số 19/2018/QĐ-UBND, ngày 20/1 2/2018 của")] == ["2018-12-20"]
    assert [d.iso for d in find_dates("từ 3/1 5/2020")] == []  # no month 15


@pytest.mark.parametrize("text, year", [
    ("Hà Giang, ngày     tháng     năm 2021", "2021"),
    ("Hà Giang, ngày 2# tháng năm 202 1", "2021"),  # junk day, no month, a year cut in two
    ("NGÀY THÁNG NĂM 2019", "2019"),
])
def test_a_worded_date_without_day_and_month_is_its_year(text, year):
    assert parse_date(text) is None and find_year_only_date(text).iso == year


def test_year_only_dates_need_the_worded_form():
    assert find_year_only_date("giai đoạn 2021-2025") is None and find_year_only_date("năm 2021") is None


@pytest.mark.parametrize("text", [
    "Bắc Ninh, ngảy 12 thảng 3 nãm 2024",  # OCR put another tone on each word's vowel
    "Bắc Ninh, NGÀY 12 THÁNG 3 NĂM 2024",
    "Bac Ninh, ngay 12 thang 3 nam 2024",  # typed without marks
])
def test_the_words_of_a_worded_date_are_read_under_any_tone(text):
    assert [d.iso for d in find_dates(text)] == ["2024-03-12"]


def test_the_same_words_without_the_whole_pattern_are_no_date():
    assert list(find_dates("ngay sau khi có ý kiến, tháng tới nam bộ 2024")) == []


@pytest.mark.parametrize("text,iso", [
    ("Quyết định số 742/QĐ-UBND ngày 24/6/22 của UBND tỉnh", ["2022-06-24"]),
    ("Ngày 03/01/98, Sở đã báo cáo", ["1998-01-03"]),
    ("đạt 24/6/22 chỉ tiêu", []),  # no 'ngày': a count, not a date
])
def test_a_year_of_two_digits_after_ngay(text, iso):
    assert [d.iso for d in find_dates(text)] == iso
