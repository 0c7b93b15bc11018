"""What a document does to the documents it cites (extractors/references.py `_relation`), on
sentences written here: lists after an action, repeals, expiry, letters quoting provisions,
a stamp over 'Thực hiện'."""
from __future__ import annotations

import pytest

from vanban.extractors.references import find_references


def relations(text: str) -> list:
    return [(r.id, r.relation) for r in find_references(text, province="Lạng Sơn")]


@pytest.mark.parametrize("text,expected", [
    ("Điều 3. Quyết định này thay thế Quyết định số 12/QĐ-UBND ngày 01/02/2020 và Quyết định số 15/QĐ-UBND "
     "ngày 03/4/2021 của Ủy ban nhân dân tỉnh.", [("12/QĐ-UBND", "replaces"), ("15/QĐ-UBND", "replaces")]),
    ("Sửa đổi, bổ sung Quyết định số 12/QĐ-UBND ngày 01/02/2020, Quyết định số 15/QĐ-UBND ngày 03/4/2021 và "
     "Quyết định số 17/QĐ-UBND ngày 03/4/2021.",
     [("12/QĐ-UBND", "amends"), ("15/QĐ-UBND", "amends"), ("17/QĐ-UBND", "amends")]),
    ("Điều 2. Bãi bỏ Điều 5 của Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ.",
     [("45/2020/NĐ-CP", "repeals")]),
    ("Điều 4. Quyết định số 12/QĐ-UBND ngày 01/02/2020 của Ủy ban nhân dân tỉnh hết hiệu lực kể từ ngày ký.",
     [("12/QĐ-UBND", "repeals")]),
])
def test_every_item_of_an_acting_list(text, expected):
    assert relations(text) == expected


def test_a_list_after_a_mention_stays_mentions():
    text = "Các sở đã triển khai Quyết định số 12/QĐ-UBND ngày 01/02/2020 và Quyết định số 15/QĐ-UBND ngày 03/4/2021."
    assert {r for _, r in relations(text)} == {"mentions"}


def test_a_reply_letter_quoting_a_provision_mentions_it():
    text = ("Kính gửi: Sở Tài chính tỉnh Lạng Sơn\nCăn cứ quy định tại khoản 2 Điều 5 Nghị định số 45/2020/NĐ-CP "
            "ngày 08/4/2020 của Chính phủ, hồ sơ đề nghị gồm các giấy tờ sau.")
    assert relations(text) == [("45/2020/NĐ-CP", "mentions")]


def test_a_preamble_is_still_the_legal_basis():
    text = "Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ;\nQUYẾT ĐỊNH:"
    assert relations(text) == [("45/2020/NĐ-CP", "legal_basis")]


@pytest.mark.parametrize("opening", ["c' hiện", "Thực hiện", "Thưc hiên"])
def test_implements_survives_a_stamp_over_its_first_word(opening):
    text = f"{opening} Kế hoạch số 23/KH-UBND ngày 30/01/2024 của UBND tỉnh, Sở báo cáo như sau:"
    assert relations(text) == [("23/KH-UBND", "implements")]


@pytest.mark.parametrize("text,expected", [
    ("Thông tư này hướng dẫn Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ.", "guides"),
    ("Văn bản này thực hiện theo hướng dẫn Công văn số 123/BTTTT-THH ngày 12/3/2024.", "mentions"),  # it guides us
])
def test_a_document_that_guides_another(text, expected):
    assert [r for _, r in relations(text)] == [expected]


@pytest.mark.parametrize("text,relation", [
    ("Điều 3. Bãi bỏ các văn bản sau:\na) Quyết định số 12/QĐ-UBND ngày 01/3/2020;\n"
     "b) Quyết định số 13/QĐ-UBND ngày 02/3/2020.", "repeals"),
    ("2. Bãi bỏ các Quyết định: số 12/QĐ-UBND ngày 01/3/2020, số 13/QĐ-UBND ngày 02/3/2020.", "repeals"),
    ("Điều 5. Quyết định này thay thế các Quyết định sau:\n- Quyết định số 12/QĐ-UBND ngày 01/3/2020;\n"
     "- Quyết định số 13/QĐ-UBND ngày 02/3/2020.", "replaces"),
    ("Điều 2. Các văn bản sau đây hết hiệu lực thi hành:\n1. Quyết định số 12/QĐ-UBND ngày 01/3/2020;\n"
     "2. Quyết định số 13/QĐ-UBND ngày 02/3/2020.", "repeals"),
    ("Năm 2023, tỉnh đã bãi bỏ các văn bản sau:\n- Quyết định số 12/QĐ-UBND ngày 01/3/2020;\n"
     "- Quyết định số 13/QĐ-UBND ngày 02/3/2020.", "mentions"),  # a report of what was done
])
def test_documents_listed_under_an_action(text, relation):
    assert relations(text) == [("12/QĐ-UBND", relation), ("13/QĐ-UBND", relation)]


@pytest.mark.parametrize("text,relation", [
    ("1. Bãi bỏ khoản 1 Điều 12 Nghị định số 65/2017/NĐ-CP ngày 19/5/2017 của Chính phủ.", "repeals"),
    ("2. Bãi bỏ Chương III Nghị định số 08/2018/NĐ-CP ngày 15/01/2018 của Chính phủ.", "repeals"),
    ("3. Sửa đổi điểm a khoản 2 Điều 7 Nghị định số 153/2024/NĐ-CP ngày 15/11/2024 như sau:", "amends"),
    ("2. Bãi bỏ điểm e khoản 1 Điều 7, khoản 1 và khoản 2 Điều 8 Thông tư số 09/2012/TT-BVHTTDL ngày 19/11/2012.",
     "repeals"),
    ("Theo quy định tại khoản 1 Điều 12 Nghị định số 65/2017/NĐ-CP ngày 19/5/2017.", "mentions"),
])
def test_an_action_on_a_provision_of_a_document(text, relation):
    assert [r for _, r in relations(text)] == [relation]


@pytest.mark.parametrize("text,relation", [
    ("Chính phủ ban hành Nghị định sửa đổi, bổ sung một số điều của Nghị định số 123/2020/NĐ-CP ngày 19 tháng 10 "
     "năm 2020 của Chính phủ quy định về hóa đơn, chứng từ.", "amends"),
    ("Bộ trưởng Bộ Tài chính ban hành Thông tư hướng dẫn thực hiện Nghị định số 70/2025/NĐ-CP ngày 20/3/2025.",
     "guides"),
    ("Chính phủ ban hành Nghị định quy định chi tiết thi hành một số điều của Nghị định số 70/2025/NĐ-CP.", "guides"),
    ("Chính phủ ban hành Nghị định quy định về quản lý thuế theo Nghị định số 70/2025/NĐ-CP.", "mentions"),
])
def test_the_enacting_formula_names_what_the_document_does(text, relation):
    assert [r for _, r in relations(text)] == [relation]


def test_what_expires_is_the_document_not_the_law_in_its_title():
    text = ("Căn cứ Luật Việc làm số 74/2025/QH15;\n2. Nghị định số 23/2021/NĐ-CP ngày 19 tháng 3 năm 2021 của Chính "
            "phủ quy định chi tiết khoản 3 Điều 37 và Điều 39 của Luật Việc làm về trung tâm dịch vụ việc làm, doanh "
            "nghiệp hoạt động dịch vụ việc làm hết hiệu lực kể từ ngày Nghị định này có hiệu lực thi hành.")
    refs = {r.id: r for r in find_references(text, written="2025-12-30")}
    assert (refs["74/2025/QH15"].relation, refs["23/2021/NĐ-CP"].relation) == ("legal_basis", "repeals")
    assert refs["23/2021/NĐ-CP"].title.endswith("dịch vụ việc làm")  # the title stops before 'hết hiệu lực'


def test_the_laws_an_amending_law_names_in_a_list_are_not_cited():
    text = ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Chứng khoán, Luật Kế toán, Luật Kiểm toán độc lập, "
            "Luật Ngân sách nhà nước và Luật Quản lý thuế số 56/2024/QH15;\nCăn cứ Luật Kế toán ngày 20 tháng 11 năm 2015;")
    assert [r.id for r in find_references(text)] == ["56/2024/QH15", "88/2015/QH13"]


def test_a_law_and_the_law_that_amended_it_expire_together():
    text = ("2. Luật Viên chức số 58/2010/QH12 đã được sửa đổi, bổ sung một số điều theo Luật số 52/2019/QH14 hết "
            "hiệu lực kể từ ngày Luật này có hiệu lực thi hành.")
    assert relations(text) == [("58/2010/QH12", "repeals"), ("52/2019/QH14", "repeals")]


def test_laws_a_plan_proposes_to_amend_are_mentioned():
    text = "Khẩn trương rà soát, kiến nghị sửa đổi, bổ sung Luật Ngân sách nhà nước, Luật Giá, Luật Đấu giá tài sản."
    assert [r.relation for r in find_references(text, written="2025-01-10")] == ["mentions"] * 3


def test_expiry_over_the_line_breaks_a_web_page_puts_around_links():
    text = ("Điều 3. Điều khoản thi hành\n2. Nghị định số\n27/2024/NĐ-CP\nngày 06 tháng 3 năm 2024 của Chính phủ sửa đổi "
            "bổ sung một số điều của Nghị định số\n156/2018/NĐ-CP\nngày 16 tháng 11 năm 2018 của Chính phủ quy định chi "
            "tiết một số điều của Luật Lâm nghiệp hết hiệu lực thi hành kể từ ngày Nghị định này có hiệu lực thi hành.\n"
            "3. Quy định chuyển tiếp: hồ sơ nộp trước ngày Nghị định này có hiệu lực thực hiện theo Nghị định số "
            "156/2018/NĐ-CP.")
    refs = {r.id: r.relation for r in find_references(text, written="2025-08-16")}
    assert refs["27/2024/NĐ-CP"] == "repeals" and refs["156/2018/NĐ-CP"] == "mentions"
    assert refs["16/2017/QH14"] == "mentions"  # the law in the decrees' titles does not expire


def test_a_list_announced_with_sau_day_and_no_colon_and_items_naming_provisions():
    text = ("2. Bãi bỏ các văn bản quy phạm pháp luật sau đây kể từ ngày Thông tư này có hiệu lực thi hành\n"
            "a) Thông tư số 35/2016/TT-BTTTT ngày 26 tháng 12 năm 2016 của Bộ trưởng Bộ Thông tin và Truyền thông;\n"
            "b) Điều 60 Nghị định số 38/2024/NĐ-CP ngày 05 tháng 4 năm 2024 của Chính phủ;\n"
            "c) Khoản 2 và khoản 3 Điều 5 của Thông tư số 12/2020/TT-BTC.")
    assert {r for _, r in relations(text)} == {"repeals"}


def test_an_item_naming_a_document_for_short_announces_no_list():
    text = ("1. Nghị định số 12/2020/NĐ-CP ngày 01/3/2020 (sau đây gọi là Nghị định 12)\n"
            "- Quyết định số 15/QĐ-UBND ngày 02/3/2020 của Ủy ban nhân dân tỉnh.")
    assert relations(text) == [("12/2020/NĐ-CP", "mentions"), ("15/QĐ-UBND", "mentions")]


def test_an_action_on_the_thirtieth_document_of_a_list():
    items = "\n".join(f"{i}. Thông tư số {i:02d}/2016/TT-BTTTT ngày 26 tháng 12 năm 2016;" for i in range(1, 31))
    text = "Điều 1. Bãi bỏ toàn bộ các văn bản sau đây:\n" + items
    assert {r for _, r in relations(text)} == {"repeals"} and len(relations(text)) == 30


def test_a_bill_is_not_the_law_in_force():
    text = ("Chương trình gồm các dự án luật sau đây:\na) Luật Bưu chính (sửa đổi);\nb) Luật Dầu khí (sửa đổi);\n"
            "Tiếp tục hoàn thiện dự án Luật Đất đai.")
    assert find_references(text, written="2025-10-01") == []


def test_the_number_after_an_amending_laws_title_is_the_amended_laws():
    text = ("Quốc hội ban hành Luật sửa đổi, bổ sung một số điều của Luật Kinh doanh bảo hiểm số 08/2022/QH15.\n"
            "Điều 1. Sửa đổi, bổ sung một số điều của Luật Kinh doanh bảo hiểm\n"
            "Điều 2. Các điều 77 và 98 của Luật Kinh doanh bảo hiểm số 24/2000/QH10 tiếp tục áp dụng.")
    refs = {r.id: (r.relation, r.title) for r in find_references(text, written="2025-12-10")}
    assert refs["08/2022/QH15"] == ("amends", "Luật Kinh doanh bảo hiểm")
    assert refs["24/2000/QH10"][0] == "mentions"


@pytest.mark.parametrize("text,expected", [
    ("Thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị về chủ động tham gia cuộc Cách mạng công "
     "nghiệp lần thứ tư; Chương trình hành động số 35-CTr/TU ngày 10/3/2020 của Tỉnh ủy, Kế hoạch số 12/KH-UBND ngày "
     "1/4/2020 của UBND tỉnh, Sở Thông tin và Truyền thông báo cáo như sau:",
     [("52-NQ/TW", "implements"), ("35-CTr/TU", "implements"), ("12/KH-UBND", "implements")]),
    ("Thực hiện Kế hoạch số 12/KH-UBND ngày 1/4/2020 của UBND tỉnh, theo đó Quyết định số 15/QĐ-UBND ngày 2/4/2020 "
     "giao nhiệm vụ.", [("12/KH-UBND", "implements"), ("15/QĐ-UBND", "mentions")]),
])
def test_each_item_of_what_a_document_implements(text, expected):
    assert relations(text) == expected


def test_a_preamble_list_whose_later_lines_leave_out_can_cu():
    text = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;\nNghị định số 45/2020/NĐ-CP ngày 8/4/2020 của "
            "Chính phủ;\nQuyết định số 742/QĐ-UBND ngày 24/6/2022 của UBND tỉnh;\nXét đề nghị của Giám đốc Sở Thông tin "
            "và Truyền thông tại Tờ trình số 12/TTr-STTTT ngày 1/3/2023,\nQUYẾT ĐỊNH:")
    assert [(r.id, r.relation) for r in find_references(text, province="Lạng Sơn", written="2023-06-01")] == [
        ("77/2015/QH13", "legal_basis"), ("45/2020/NĐ-CP", "legal_basis"), ("742/QĐ-UBND", "legal_basis"),
        ("12/TTr-STTTT", "mentions")]
    # a line opening with a citation after a list of tasks is no preamble
    assert relations("a) Thực hiện tốt nhiệm vụ;\nb) Báo cáo theo yêu cầu;\nNghị định số 45/2020/NĐ-CP ngày 8/4/2020 "
                     "quy định về dịch vụ công.") == [("45/2020/NĐ-CP", "mentions")]


def test_only_the_quoc_hoi_acts_on_a_law():
    text = "II. NHIỆM VỤ\nđ) Sửa đổi Luật Khoa học và Công nghệ (2013) và các luật có liên quan."
    assert [r.relation for r in find_references(text, own_id="03/NQ-CP", written="2025-01-09")] == ["mentions"]
    assert [r.relation for r in find_references(text, own_id="93/2025/QH15", written="2025-06-27")] == ["amends"]
