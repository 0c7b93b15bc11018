import pytest

from extractors.dates import find_dates, parse_date, to_iso


@pytest.mark.parametrize("text, iso", [
    ("ngày 24/6/2022", "2022-06-24"),
    ("ngày 24 tháng 6 năm 2022", "2022-06-24"),
    ("23/11/ 2020", "2020-11-23"),
    ("24-6-2022", "2022-06-24"),
    ("24.6.2022", "2022-06-24"),
    ("Tuyên Quang, ngày   tháng 5 năm 2022", "2022-05"),
    ("NGÀY 08 THÁNG 4 NĂM 2020", "2020-04-08"),
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
