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
