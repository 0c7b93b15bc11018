"""Tests of extractors.measures and extractors.numbers, and the seed figures against gold."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from vanban.extractors.measures import find_headings, find_measures
from vanban.extractors.numbers import parse_number
from vanban.models.records import Page

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
GOLD = Path("/work/shared/gold")
FIXTURE = Path(__file__).parent / "fixtures" / "measures_money_counts.json"
# Plan years of the seeds, as the identity stage would give them (doc_year).
DOC_YEARS = {"000": 2021, "001": 2022, "002": 2021, "003": 2022, "004": 2022}


def percents(text: str, **kw) -> list:
    return [m for m in find_measures(text, **kw) if m.unit == "%"]


# --- numbers ---------------------------------------------------------------

@pytest.mark.parametrize("written, value", [
    ("38,72", 38.72), ("1,0", 1.0), ("100", 100.0), ("40.369.000.000", 40369000000.0),
    ("1.719", 1719.0), ("216,3", 216.3), ("2.5", 2.5),
])
def test_parse_number_reads_vietnamese_figures(written, value):
    assert parse_number(written) == value


@pytest.mark.parametrize("written", ["558.6160", "1.2.3", "12,5,6", "abc"])
def test_parse_number_refuses_irregular_grouping(written):
    assert parse_number(written) is None


# --- percentages -----------------------------------------------------------

def test_decimal_comma_and_spaced_sign():
    found = percents("đạt tỷ lệ 38,72%, bố trí ít nhất 1,0 % tổng chi ngân sách; đạt 100 %.")
    assert [m.value for m in found] == [38.72, 1.0, 100.0]


def test_offsets_cover_the_figure():
    text = "số dịch vụ công đang cung cấp mức độ 4 là: 1.044, đạt tỷ lệ 55,82%"
    (m,) = percents(text)
    assert text[m.span.start:m.span.end] == "55,82%"


@pytest.mark.parametrize("text, bound", [
    ("Tỷ lệ hồ sơ đạt từ 50% trở lên", "min"),
    ("Tối thiểu 70% hệ thống thông tin được xác định cấp độ", "min"),
    ("với tỷ lệ khoảng 1% tổng chi ngân sách", "approx"),
    ("100% văn bản điện tử gửi đi được ký số", None),
])
def test_bounds(text, bound):
    assert percents(text)[0].bound == bound


def test_one_sentence_several_values_each_with_its_scope_and_the_shared_metric():
    text = ("III. MỤC TIÊU CỤ THỂ\n- Phấn đấu 90% hồ sơ công việc tại cấp tỉnh, 80% hồ sơ công việc tại "
            "cấp huyện và 60% hồ sơ công việc tại cấp xã được xử lý trên môi trường mạng.")
    found = percents(text, doc_year=2022)
    assert [(m.value, m.kind, m.scope) for m in found] == [
        (90.0, "target", "cấp tỉnh"), (80.0, "target", "cấp huyện"), (60.0, "target", "cấp xã")]
    assert {m.metric for m in found} == {"hồ sơ công việc được xử lý trên môi trường mạng"}
    assert all(m.year == 2022 for m in found)


def test_actual_with_as_of_date():
    text = ("Tính đến tháng 9/2021, tỷ lệ văn bản trao đổi giữa các cơ quan hành chính nhà nước hoàn toàn "
            "dưới dạng điện tử đạt 96%.")
    (m,) = percents(text)
    assert (m.kind, m.as_of, m.year) == ("actual", "tháng 9/2021", 2021)
    assert m.metric == "văn bản trao đổi giữa các cơ quan hành chính nhà nước hoàn toàn dưới dạng điện tử"


def test_heading_makes_items_targets_and_gives_their_year():
    text = ("I. MỤC TIÊU\n1. Mục tiêu đến năm 2025\n- 100% công chức được gắn định danh số.\n"
            "2. Mục tiêu đến năm 2030\n- 100% hồ sơ thủ tục hành chính được xử lý hoàn toàn trực tuyến.")
    assert [(m.kind, m.year) for m in percents(text)] == [("target", 2025), ("target", 2030)]


def test_review_section_makes_statements_actual():
    text = "Phần I\nĐÁNH GIÁ KẾT QUẢ THỰC HIỆN KẾ HOẠCH NĂM 2021\n- 100% CBCCVC thường xuyên sử dụng máy tính."
    (m,) = percents(text)
    assert (m.kind, m.year) == ("actual", 2021)


@pytest.mark.parametrize("text", [
    "Kế hoạch 103/KH-UBND ngày 06/5/2021 của UBND tỉnh triển khai cung cấp 100% dịch vụ công",
    "mức độ 4 là 56,5% (Vượt chỉ tiêu 26,5% theo chỉ tiêu Nghị quyết 17/NQ-CP đề ra là 30%)",
    "bố trí ngân sách đảm bảo chi cho chuyển đổi số với tỷ lệ khoảng 1% tổng chi ngân sách hàng năm",
])
def test_cited_thresholds_exceedances_and_budget_shares_are_other(text):
    assert percents(text)[-1].kind == "other"


@pytest.mark.parametrize("text, scope", [
    ("100% các xã, phường, thị trấn không có cán bộ chuyên trách", "cấp xã"),
    ("Tỷ lệ cơ quan thực hiện kết nối từ cấp tỉnh đến cấp huyện đạt 100%", "từ cấp tỉnh đến cấp huyện"),
    ("100% các giao dịch trên Cổng dịch vụ công của tỉnh và Hệ thống một cửa điện tử cấp tỉnh, huyện, xã "
     "được xác thực điện tử", "cấp tỉnh, huyện, xã"),
    ("Phấn đấu 70% công tác báo cáo được lưu giữ trên hệ thống thông tin báo cáo cấp tỉnh", None),
    ("100% thôn, bản vùng sâu, vùng xa có hạ tầng viễn thông", None),
])
def test_scope(text, scope):
    assert percents(text)[0].scope == scope


def test_robust_to_markdown_and_stray_line_breaks():
    text = "- **Phấn đấu 30%** hồ sơ TTHC được xử lý\nhoàn toàn trực tuyến."
    (m,) = percents(text)
    assert m.kind == "target" and "*" not in m.quote and "*" not in (m.metric or "")


# --- money and counts ------------------------------------------------------

def test_money_with_written_out_amount_is_one_measure():
    text = ("Dự kiến tổng kinh phí thực hiện: 198.431.057.000 đồng (Một trăm chín mươi tám tỷ, bốn trăm "
            "ba mươi mốt triệu không trăm năm mươi bảy nghìn đồng).")
    found = find_measures(text)
    assert [(m.value, m.unit) for m in found] == [(198431057000.0, "VND")]
    assert text[found[0].span.start:found[0].span.end] == "198.431.057.000 đồng"


@pytest.mark.parametrize("text, value", [
    ("Tổng kinh phí thực hiện Kế hoạch là: 216,3 tỷ đồng.", 216300000000.0),
    ("Kinh phí bố trí năm 2021 là 60.417 triệu đồng.", 60417000000.0),
    ("Trong năm 2021, tỉnh đã cấp: 40.369.000.000 (Bốn mươi tỷ, ba trăm sáu mươi chín triệu đồng chẵn).",
     40369000000.0),
])
def test_money_amounts(text, value):
    assert [(m.value, m.unit) for m in find_measures(text)] == [(value, "VND")]


@pytest.mark.parametrize("text, value, unit", [
    ("Tính đến cuối tháng 9/2021, đã cấp 1.719 chứng thư số.", 1719.0, "chứng thư số"),
    ("Tính đến tháng 9/2021, toàn tỉnh có 87 điểm cầu hội nghị truyền hình trực tuyến.", 87.0, "điểm cầu"),
    ("- Tổ chức 01 đợt diễn tập, ứng cứu sự cố.", 1.0, "đợt diễn tập"),
])
def test_counts_with_their_noun(text, value, unit):
    assert [(m.value, m.unit) for m in find_measures(text)] == [(value, unit)]


@pytest.mark.parametrize("text", [
    "Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ;",
    "DTI 2021 của tỉnh là 0,2849 (tăng 0,0135 so với DTI 2020), xếp hạng 58/63 tỉnh, thành phố.",
    "1.2.3. Hạ tầng số",
    "đã cung cấp 1.007 DVCTT mức độ 42) và mức độ 3, 4 phục vụ người dân",
    "Chính quyền số tỉnh Tuyên Quang 2.0 phù hợp với Kiến trúc",
    "trong năm 2022 và giai đoạn 2021-2025, ngày 24 tháng 6 năm 2022",
    "- Phần mềm diệt virus9, hàng tuần tổng hợp số liệu",
])
def test_not_measures(text):
    assert [m for m in find_measures(text) if m.unit != "DVCTT"] == []


def test_find_headings():
    text = "I. MỤC TIÊU\n1. Mục tiêu đến năm 2025\n- 100% công chức.\nPhần II\n"
    assert [h for _, h in find_headings(text)] == ["I. MỤC TIÊU", "1. Mục tiêu đến năm 2025", "Phần II"]


# --- seeds against gold ----------------------------------------------------

@pytest.fixture(scope="module")
def seed_measures() -> dict:
    from vanban.extractors.cleaning.normalise import normalise

    out = {}
    for path in sorted(SEEDS.glob("*.txt")):
        clean = normalise([Page(1, path.read_text(encoding="utf-8"), "plain")])
        out[path.name] = (clean.text, find_measures(clean.text, None, DOC_YEARS[path.name[:3]]))
    return out


@pytest.mark.skipif(not (GOLD / "targets").is_dir(), reason="shared gold not mounted")
def test_seed_percentages_meet_the_gold(seed_measures):
    from vanban.pipeline.dev.evaluation.measures import score_measures

    predicted = {name: [asdict(m) for m in ms] for name, (_, ms) in seed_measures.items()}
    score = score_measures(GOLD, predicted)
    assert score["precision"] >= 0.97 and score["recall"] >= 0.97 and score["f1"] >= 0.97
    assert score["kind_accuracy"] >= 0.90
    assert score["scope_accuracy"] >= 0.90


def test_seed_money_and_counts_meet_the_hand_checked_fixture(seed_measures):
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for item in fixture["items"]:
        text, measures = seed_measures[item["file"]]
        at = " ".join(text.split()).find(item["text"])
        assert at >= 0, item
        hits = [m for m in measures if m.value == item["value"] and m.unit == item["unit"]]
        assert hits, item
        assert any(m.kind == item["kind"] for m in hits), (item, [m.kind for m in hits])
        if "scope" in item:
            assert any(m.scope == item["scope"] for m in hits), item
    money = {(f, m.value) for f, (_, ms) in seed_measures.items() for m in ms if m.unit == "VND"}
    expected = {(i["file"], i["value"]) for i in fixture["items"] if i["unit"] == "VND"}
    assert money == expected  # no other amount in the seeds is money


def test_seed_absent_figures(seed_measures):
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for item in fixture["absent"]:
        text, measures = seed_measures[item["file"]]
        spans = [(text.find(item["text"]), text.find(item["text"]) + len(item["text"]))]
        assert spans[0][0] >= 0, item
        assert not [m for m in measures if spans[0][0] <= m.span.start < spans[0][1]], item


@pytest.mark.parametrize("sentence, kind", [
    ("Chỉ số hài lòng của người dân đối với cơ quan cấp tỉnh đạt từ 90% trở lên.", "target"),  # a criterion
    ("Tỷ lệ văn bản ký số đạt 85% trở lên.", "target"),
    ("Năm 2023, chỉ số hài lòng của người dân đã đạt từ 90% trở lên.", "actual"),  # 'đã' reports
    ("Tỷ lệ hồ sơ trực tuyến đạt 92,5%.", "actual"),  # no floor: a level reached
])
def test_a_bare_dat_with_a_floor_is_a_level_to_reach(sentence, kind):
    assert [m.kind for m in find_measures(sentence, [], 2024) if m.unit == "%"] == [kind]


@pytest.mark.parametrize("sentence, kind, year, bound", [
    ("Đến năm 2025, 80% dịch vụ công được cung cấp trực tuyến toàn trình.", "target", 2025, None),  # the deadline opens it
    ("Đến năm 2025, tỷ lệ dịch vụ công trực tuyến ≥ 80%.", "target", 2025, "min"),
    ("Tỷ lệ hồ sơ trễ hạn ≤ 5%.", "other", None, "max"),
    ("Tỷ lệ hồ sơ trễ hạn <= 5%.", "other", None, "max"),
    ("Tỷ lệ hồ sơ được số hóa >=80%.", "other", None, "min"),
    ("Năm 2023, tỷ lệ hồ sơ trực tuyến đạt 45%.", "actual", 2023, None),  # a year opening the clause dates it
    ("Cuối năm 2023, 45% hồ sơ đã được xử lý trực tuyến.", "actual", 2023, None),
    ("Kế hoạch giai đoạn 2021-2025 và năm 2023 đã đạt 45%.", "actual", 2024, None),  # deep in it: the document's
])
def test_deadlines_bounds_and_years_as_plans_and_reports_write_them(sentence, kind, year, bound):
    [m] = percents(sentence, doc_year=2024)
    assert (m.kind, m.year, m.bound) == (kind, year, bound)


@pytest.mark.parametrize("text, kinds, years", [
    ("Phấn đấu đến năm 2025:\n- 100% cơ quan nhà nước kết nối liên thông;\n- 80% hồ sơ được xử lý trực tuyến.",
     ["target", "target"], [2025, 2025]),  # the lead-in's cue and year govern its list
    ("Đến năm 2025:\n+ 90% người dân có danh tính số;", ["target"], [2025]),
    ("Kết quả đạt được như sau:\n- 85% hồ sơ trực tuyến.", ["other"], [None]),  # a report's words: not from a lead-in
    ("Các chỉ tiêu:\n- 85% hồ sơ trực tuyến.", ["other"], [None]),  # a lead-in without a cue says nothing
    ("Phấn đấu đến năm 2025:\nTrong đó 85% hồ sơ trực tuyến.", ["other"], [None]),  # not a list item
])
def test_a_list_item_takes_kind_and_year_from_the_line_it_hangs_from(text, kinds, years):
    found = percents(text, doc_year=2024)
    assert ([m.kind for m in found], [m.year for m in found]) == (kinds, years)


@pytest.mark.parametrize("bracket", ["(chỉ tiêu 95%)", "(kế hoạch 95%)", "(KH: 95%)"])
def test_a_bracketed_plan_figure_after_a_result_is_its_target(bracket):
    reached, planned = percents(f"Tỷ lệ hồ sơ trực tuyến đạt 92% {bracket}.", doc_year=2024)
    assert (reached.kind, planned.kind, planned.metric) == ("actual", "target", reached.metric)


def test_a_cue_inside_a_longer_word_is_no_cue():
    [m] = percents("Thực hiện có hiệu quả 100% nhiệm vụ được giao.", doc_year=2024)  # 'thực hiện', not 'hiện có'
    assert m.kind == "other"
    [m] = percents("Tỉnh hiện có 85% hồ sơ được xử lý trực tuyến.", doc_year=2024)
    assert m.kind == "actual"


@pytest.mark.parametrize("text,value", [
    ("Tổng vốn đầu tư 1,25 nghìn tỷ đồng.", 1.25e12),
    ("Kinh phí thực hiện 3 tỷ 500 triệu đồng.", 3.5e9),  # an amount written in two parts
])
def test_money_in_thousands_of_billions_and_in_two_parts(text, value):
    assert [(m.value, m.unit) for m in find_measures(text)] == [(value, "VND")]


@pytest.mark.parametrize("text,value", [("Tổng vốn FDI đạt 15 triệu USD.", 15e6), ("Xuất khẩu 2,5 tỷ đô la Mỹ.", 2.5e9)])
def test_an_amount_in_us_dollars_keeps_its_currency(text, value):
    assert [(m.value, m.unit) for m in find_measures(text)] == [(value, "USD")]


def test_so_leads_a_metric_but_not_so_hoa():
    found = find_measures("Hoàn thành 100% số hóa hồ sơ. Đạt 90% số xã có cáp quang.")
    assert [m.metric for m in found] == ["số hóa hồ sơ", "xã có cáp quang"]
