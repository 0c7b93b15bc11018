"""Figure kinds by the status word that governs them (extractors/measures.py `_kind`), on
sentences written here in the ways real reports and plans put them."""
from __future__ import annotations

import pytest

from vanban.extractors.measures import find_measures


def kinds(text: str) -> list:
    return [(m.value, m.kind) for m in find_measures(text, doc_year=2023)]


def test_achieved_value_then_its_target_in_brackets():
    found = find_measures("Năm 2023, tỷ lệ hồ sơ trực tuyến toàn trình đạt 91,5% (chỉ tiêu tối thiểu 95%).",
                          doc_year=2023)
    assert [(m.value, m.kind) for m in found] == [(91.5, "actual"), (95.0, "target")]
    assert found[1].metric == found[0].metric == "hồ sơ trực tuyến toàn trình"


@pytest.mark.parametrize("text,expected", [
    ("Kết quả: các sở đã hoàn thành 100% kế hoạch năm.", [(100.0, "actual")]),
    ("Phấn đấu đến năm 2025, tỷ lệ hồ sơ đạt 90%.", [(90.0, "target")]),  # 'đạt' after a goal
    ("Chỉ số được tính điểm theo tỷ lệ; nếu thấp hơn 60% thì không tính điểm.", [(60.0, "other")]),
    ("Nếu đạt từ 80% trở lên thì được 10 điểm.", [(80.0, "other")]),  # a threshold of an index
    ("III. MỤC TIÊU\n- Năm 2022 đã đạt 60%, phấn đấu năm 2025 đạt 90%.", [(60.0, "actual"), (90.0, "target")]),
])
def test_status_word_before_the_figure_governs(text, expected):
    assert kinds(text) == expected


def test_a_count_describing_a_structure_is_no_result():
    found = {m.unit: m for m in find_measures("Bộ chỉ số gồm 09 chỉ số chính, đã triển khai 98 đơn vị.")}
    assert found["chỉ số chính"].kind == "other"


def test_a_metric_is_never_a_function_word():
    found = find_measures("Đã kết nối 80% hệ thống với 12 đơn vị.", doc_year=2023)
    assert all(m.metric not in ("với", "trong đó gồm", "và") for m in found)


@pytest.mark.parametrize("text,expected", [
    ("Cấp tỉnh quy định cụ thể, đảm bảo tỷ lệ nước thải được xử lý đạt ≥50%.", [(50.0, "target")]),
    ("Năm 2022 đã đảm bảo 100% hồ sơ được số hóa.", [(100.0, "actual")]),  # a goal verb after 'đã' reports
])
def test_ensuring_is_a_goal_unless_done(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Kinh tế số chiếm 20% GRDP vào năm 2030.", [(20.0, "target", 2030)]),  # no goal word: the year tells
    ("Tỷ lệ hồ sơ được số hóa đạt 90% vào cuối năm 2025.", [(90.0, "target", 2025)]),
    ("Năm 2025: 100% hồ sơ được số hóa.", [(100.0, "target", 2025)]),
    ("Năm 2022 đã đạt 90%.", [(90.0, "actual", 2022)]),  # a year gone
    ("Tỷ lệ tăng 12% so với năm 2025.", [(12.0, "other", None)]),  # a base of comparison
    ("Trình thông qua trong năm 2026 đối với 03 dự án sau đây", [(3.0, "other", None)]),  # a count: a list
])
def test_a_share_for_a_year_after_the_documents_is_a_goal(text, expected):
    assert [(m.value, m.kind, m.year) for m in find_measures(text, doc_year=2023)] == expected


def test_figures_in_a_bracket_break_down_the_one_before_it():
    found = find_measures("Tỷ lệ văn bản đi được ký số đạt 98,6% (cấp tỉnh 99,1%, cấp huyện 97,2%).", doc_year=2023)
    assert [(m.value, m.scope, m.metric) for m in found] == [
        (98.6, None, "văn bản đi được ký số"), (99.1, "cấp tỉnh", "văn bản đi được ký số"),
        (97.2, "cấp huyện", "văn bản đi được ký số")]


@pytest.mark.parametrize("text,scopes", [
    ("Trên toàn tỉnh, năm 2023 có 1.000 văn bản, đạt tỷ lệ 100% văn bản điện tử.", ["toàn tỉnh", "toàn tỉnh"]),
    ("Trên địa bàn tỉnh có 95% hộ gia đình có cáp quang.", ["trên địa bàn tỉnh"]),
    ("Giao thông trên địa bàn tỉnh, thành phố có ít nhất 70% số km đường được trồng cây.", [None]),  # any province
])
def test_the_whole_province_named_before_its_figures(text, scopes):
    assert [m.scope for m in find_measures(text, doc_year=2023)] == scopes


@pytest.mark.parametrize("text,expected", [
    ("Đến năm 2030: kinh tế số đạt tối thiểu 30% GDP; tỷ lệ dân số trưởng thành có chữ ký số đạt 70%.",
     [("target", 2030), ("target", 2030)]),
    ("Mục tiêu năm 2026: 100% hồ sơ được số hóa; 90% thủ tục được cung cấp trực tuyến.",
     [("target", 2026), ("target", 2026)]),
    # a report's lead names its own year: what follows is what was reached
    ("Kết quả đến hết năm 2025: tỷ lệ hồ sơ trực tuyến đạt 85%; tỷ lệ thanh toán trực tuyến đạt 60%.",
     [("actual", 2025), ("actual", 2025)]),
])
def test_a_lead_opening_a_paragraph_governs_each_of_its_clauses(text, expected):
    assert [(m.kind, m.year) for m in find_measures(text, doc_year=2025)] == expected


@pytest.mark.parametrize("text,kind", [
    ("Đề nghị các sở rà soát theo Danh mục gửi kèm Công văn số 5990/VPCP-KSTT ngày 22/8/2024 và tham mưu để đảm "
     "bảo hoàn thành chỉ tiêu 100% thủ tục hành chính nội bộ được công bố.", "target"),
    ("Chỉ tiêu giao tại Quyết định số 12/QĐ-UBND ngày 01/3/2024 là 90% hồ sơ.", "other"),  # the cited document's
])
def test_a_citation_before_a_figure_makes_it_anothers_unless_a_status_word_follows(text, kind):
    assert [m.kind for m in find_measures(text, doc_year=2025)] == [kind]


def test_a_tables_columns_say_which_figures_are_goals_and_which_results():
    text = ("| STT | Nội dung | Kế hoạch năm 2025 | Ước thực hiện năm 2024 | Tỷ lệ so với kế hoạch (%) |\n"
            "|---|---|---|---|---|\n| 1 | Tỷ lệ hồ sơ trực tuyến | 90% | 85,3% | 94,8% |\n"
            "| 2 | Tỷ lệ thanh toán trực tuyến | 50% | 40% | 80% |")
    got = [(m.value, m.kind, m.year, m.metric) for m in find_measures(text, doc_year=2024)]
    assert got[:3] == [(90.0, "target", 2025, "Tỷ lệ hồ sơ trực tuyến"), (85.3, "actual", 2024, "Tỷ lệ hồ sơ trực tuyến"),
                       (94.8, "other", None, "Tỷ lệ hồ sơ trực tuyến")]
    assert [m.kind for m in find_measures(text, doc_year=2024)][3:] == ["target", "actual", "other"]
