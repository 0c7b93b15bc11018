"""Tests for extractors.references and the regex parts in extractors.patterns."""
from __future__ import annotations

import regex
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vanban.extractors import patterns
from vanban.extractors.references import find_references
from vanban.models.knowledge import laws

TQ = "Tuyên Quang"


def one(text: str, **kw):
    refs = find_references(text, province=kw.pop("province", TQ), **kw)
    assert len(refs) == 1, [r.id for r in refs]
    return refs[0]


def ids(text: str, **kw) -> list[str]:
    return [r.id for r in find_references(text, province=kw.pop("province", TQ), **kw)]


# -- named parts -------------------------------------------------------------

@pytest.mark.parametrize("text,number,symbol", [
    ("45/2020/NĐ-CP", "45", "NĐ-CP"),
    ("67/2006/QH11", "67", "QH11"),
    ("742/QĐ-UBND", "742", "QĐ-UBND"),
    ("2651/QĐ-TCT68-CAT", "2651", "QĐ-TCT68-CAT"),
    ("48-NQ/TU", "48", "NQ/TU"),
    ("48- NQ/TU", "48", "NQ/TU"),
    ("392/QĐ- UBND", "392", "QĐ- UBND"),
    ("187 /KH-UBND", "187", "KH-UBND"),
    ("153-CTr/TU", "153", "CTr/TU"),
    ("66.13/2026/NQ-CP", "66.13", "NQ-CP"),
])
def test_doc_number_parts(text, number, symbol):
    m = patterns.DOC_NUMBER_RE.fullmatch(text)
    assert m and m.group("number") == number and m.group("symbol") == symbol


def test_a_number_glued_to_its_date_is_read_whole():
    r = one("Sửa đổi một số điều của Thông tư số 43/2025/TT-BYTngày 15 tháng 11 năm 2025 của Bộ trưởng Bộ Y tế")
    assert (r.id, r.date) == ("43/2025/TT-BYT", "2025-11-15")
    assert ids("Công văn số 12/UBND-KTnam") == []  # glued to another word: not a number


@pytest.mark.parametrize("text", ["24/6/2022", "2G/3G/4G", "COVID-19", "mức độ 4", "0207.3822.xxx", "90%/năm"])
def test_doc_number_rejects_non_numbers(text):
    assert patterns.DOC_NUMBER_RE.search(text) is None


def test_part_does_not_run_into_a_word():
    assert regex.fullmatch(patterns.PART, "TTg") and not regex.fullmatch(patterns.PART, "Nam")


def test_prefix_reads_type_word_and_so():
    m = patterns.prefix_re().search("Căn cứ Kế hoạch hành động số ")
    assert m.group("type") == "Kế hoạch" and m.group("so") == "số"


def test_standard_code():
    m = patterns.STANDARD_RE.search("theo TCVN 11930:2017 về an toàn")
    assert m.group("code") == "11930:2017" and m.group("year") == "2017"


def test_issuer_phrase_local_with_province():
    m = patterns.issuer_re().match("UBND tỉnh Lạng Sơn phê duyệt")
    assert m.group("place") == "Lạng Sơn"


def test_law_names_come_from_the_knowledge_base():
    assert patterns.law_name_re().search("Luật An toàn thông tin mạng").group("name") == "An toàn thông tin mạng"
    assert any(law.number == "86/2015/QH13" for law in laws())


# -- every written form -----------------------------------------------------------

def test_year_in_number_with_date():
    r = one("Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện thủ tục hành chính;")
    assert (r.id, r.type, r.year, r.date, r.jurisdiction) == ("45/2020/NĐ-CP", "Nghị định", 2020, "2020-04-08", "national")
    assert r.issuer == "Chính phủ" and r.title == "về thực hiện thủ tục hành chính"
    assert r.mentions[0].text == "Nghị định số 45/2020/NĐ-CP ngày 08/4/2020"


def test_thong_tu_without_date():
    r = one("theo Thông tư số 03/2017/TT-BTTTT của Bộ Thông tin và Truyền thông")
    assert (r.id, r.type, r.year, r.date, r.jurisdiction) == ("03/2017/TT-BTTTT", "Thông tư", 2017, None, "national")
    assert r.issuer == "Bộ Thông tin và Truyền thông"


def test_comma_before_date():
    r = one("Quyết định số 19/2018/QĐ-UBND, ngày 20/12/2018 của UBND tỉnh")
    assert r.date == "2018-12-20" and r.jurisdiction == TQ


def test_local_decision_with_issuer_and_title():
    r = one("Căn cứ Quyết định số 742/QĐ-UBND ngày 24/6/2022 của Ủy ban nhân dân tỉnh ban hành Bộ chỉ số đánh giá;")
    assert (r.id, r.year, r.jurisdiction, r.relation) == ("742/QĐ-UBND", 2022, TQ, "legal_basis")
    assert r.issuer == "Ủy ban nhân dân tỉnh Tuyên Quang" and r.title == "ban hành Bộ chỉ số đánh giá"


def test_no_so_and_central_without_year():
    assert one("Quyết định 559/QĐ-UBND ngày 10/9/2021").year == 2021
    r = one("thực hiện Quyết định số 468/QĐ-TTg")
    assert (r.year, r.jurisdiction, r.type) == (None, "national", "Quyết định")


@pytest.mark.parametrize("text,cid,juris", [
    ("Nghị quyết số 48-NQ/TU ngày 15/11/2021", "48-NQ/TU", TQ),
    ("Nghị quyết số 52-NQ/TƯ ngày 27/9/2019", "52-NQ/TW", "national"),
    ("Chỉ thị số 26-CT/TU ngày 17/02/2020", "26-CT/TU", TQ),
    ("Nghị quyết số 48- NQ/TU ngày 15/11/2021", "48-NQ/TU", TQ),
])
def test_party_documents(text, cid, juris):
    r = one(text)
    assert (r.id, r.jurisdiction) == (cid, juris)


@pytest.mark.parametrize("text, cid, issuer", [
    ("Kế hoạch số 812-KH/ĐĐQH15 ngày 10/01/2025", "812-KH/ĐĐQH15", "Đảng đoàn Quốc hội"),  # listed, with the term
    ("Báo cáo số 77/BC-UBKT15 ngày 2/3/2024", "77/BC-UBKT15", None),  # a committee of Quốc hội, unlisted
    ("Tờ trình số 90/TTr-VPQH ngày 5/5/2025", "90/TTr-VPQH", "Văn phòng Quốc hội"),
])
def test_the_bodies_of_quoc_hoi_are_national(text, cid, issuer):
    r = one(text, province=TQ)
    assert (r.id, r.jurisdiction, r.issuer) == (cid, "national", issuer)


def test_a_number_after_a_local_bodys_piece_stays_local():
    assert one("Công văn số 15/UBND-KT15 ngày 3/3/2025", province=TQ).jurisdiction == TQ


def test_chuong_trinh_hanh_dong_is_a_chuong_trinh():
    r = one("Chương trình hành động số 153-CTr/TU ngày 21/7/2020 của Ban Thường vụ Tỉnh ủy", province="Lạng Sơn")
    assert (r.type, r.jurisdiction, r.issuer) == ("Chương trình", "Lạng Sơn", "Ban Thường vụ Tỉnh ủy Lạng Sơn")


@pytest.mark.parametrize("text,cid,typ,juris", [
    ("Công văn số 3570/BTTTT-THH ngày 16/9/2021", "3570/BTTTT-THH", "Công văn", "national"),
    ("văn bản số 447/SNV-CCHCVTLT ngày 17/5/2022", "447/SNV-CCHCVTLT", "Văn bản", TQ),
    ("Văn bản số 2607/CAT-QLHC ngày 09/5/2022", "2607/CAT-QLHC", "Văn bản", TQ),
    ("Kế hoạch số 450/KH-ĐƯCXLSC ngày 10/3/2021", "450/KH-ĐƯCXLSC", "Kế hoạch", TQ),
    ("Quyết định số 2651/QĐ-TCT68-CAT của Tổ công tác", "2651/QĐ-TCT68-CAT", "Quyết định", TQ),
    ("Kế hoạch số 01/QĐ-BCĐ ngày 21/4/2022", "01/QĐ-BCĐ", "Kế hoạch", TQ),
])
def test_cong_van_and_other_van_ban(text, cid, typ, juris):
    r = one(text)
    assert (r.id, r.type, r.jurisdiction) == (cid, typ, juris)


def test_list_continuation_keeps_type():
    refs = find_references("Công văn số 119/UBND-THCB ngày 15/01/2021, số 708/UBND-THCB ngày 22/3/2021", province=TQ)
    assert [(r.id, r.type) for r in refs] == [("119/UBND-THCB", "Công văn"), ("708/UBND-THCB", "Công văn")]


def test_uppercase_title_citation():
    r = one("SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU CỦA NGHỊ ĐỊNH SỐ 150/2025/NĐ-CP NGÀY 12 THÁNG 6 NĂM 2025 CỦA CHÍNH PHỦ")
    assert (r.type, r.date, r.relation) == ("Nghị định", "2025-06-12", "amends")


# -- laws and standards -----------------------------------------------------------------

def test_law_by_name_with_and_without_date():
    refs = find_references("- Luật Công nghệ thông tin ngày 29/6/2006;\n- Luật An toàn thông tin mạng 19/11/2015;", province=TQ)
    assert [(r.id, r.type, r.year, r.date) for r in refs] == [
        ("67/2006/QH11", "Luật", 2006, "2006-06-29"), ("86/2015/QH13", "Luật", 2015, "2015-11-19")]
    assert refs[0].title == "Luật Công nghệ thông tin" and refs[0].jurisdiction == "national"


def test_law_version_by_date_and_by_cited_dates():
    assert one("Căn cứ Luật Giao dịch điện tử ngày 29 tháng 11 năm 2005;").id == "51/2005/QH11"
    assert one("Căn cứ Luật Giao dịch điện tử năm 2023;").id == "20/2023/QH15"
    # no date: the version before the latest date the text cites
    refs = find_references("Căn cứ Luật Giao dịch điện tử; Nghị định số 45/2020/NĐ-CP ngày 08/4/2020")
    assert refs[0].id == "51/2005/QH11"


def test_law_with_written_number_uses_it():
    r = one("Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15;")
    assert (r.id, r.type, r.title, r.issuer) == ("63/2025/QH15", "Luật", "Luật Tổ chức Chính phủ", "Quốc hội")


def test_pháp_luật_is_not_a_law():
    assert ids("theo quy định của pháp luật đấu thầu") == []


def test_standard_keeps_its_code():
    r = one("đáp ứng TCVN 11930:2017")
    assert (r.id, r.year, r.jurisdiction) == ("TCVN 11930:2017", 2017, "national")


# -- dates in every written form ---------------------------------------------------------

@pytest.mark.parametrize("written", ["ngày 24/6/2022", "ngày 24 tháng 6 năm 2022", "ngày 24/6/ 2022",
                                     "ngày 24-6-2022", "24/6/2022", "ngày 24/6/20221"])
def test_date_forms(written):
    r = one(f"Quyết định số 742/QĐ-UBND {written} của UBND tỉnh")
    assert (r.date, r.year) == ("2022-06-24", 2022)


# -- OCR damage and precision ---------------------------------------------------------------

def test_ocr_d_and_spaces():
    assert ids("Quyết định số 742/QÐ-UBND ngày 24/6/2022") == ["742/QĐ-UBND"]
    assert ids("Quyết định số 742/QD-UBND ngày 24/6/2022") == ["742/QĐ-UBND"]
    assert ids("Quyết định số 392/QĐ- UBND ngày 26/01/2021") == ["392/QĐ-UBND"]
    assert ids("Quyết định số 742 / QĐ-UBND ngày 24/6/2022") == ["742/QĐ-UBND"]


def test_non_references():
    text = ("Phấn đấu 90% dịch vụ công mức độ 4; đường dây nóng 0207.3822.123; 2G/3G/4G; "
            "Kế hoạch này thay thế các kế hoạch trước; theo Mẫu số 03, 04 và 06/BHYT-QĐ.")
    assert ids(text) == []


def test_own_number_is_not_a_reference():
    text = "Số: 187 /KH-UBND\nTuyên Quang, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH"
    assert ids(text) == []
    assert ids("Kế hoạch số 187/KH-UBND ngày 03/10/2022", own_id="187/KH-UBND") == []


# -- identity: years and attachments ------------------------------------------------------------

def test_same_number_different_years_are_two_documents():
    refs = find_references("Chỉ thị số 14/CT-TTg ngày 25/5/2018; Chỉ thị số 14/CT-TTg ngày 07/6/2019")
    assert [(r.id, r.year) for r in refs] == [("14/CT-TTg", 2018), ("14/CT-TTg", 2019)]


def test_undated_mention_attaches_to_the_full_citation():
    text = ("Căn cứ Quyết định số 603/QĐ-UBND ngày 30/9/2021 của Ủy ban nhân dân tỉnh;\n"
            "Thực hiện văn bản số 447/SNV-CCHCVTLT ngày 17/5/2022 về báo cáo thực hiện Quyết định số 603/QĐ-UBND;")
    refs = find_references(text, province=TQ)
    r603 = next(r for r in refs if r.id == "603/QĐ-UBND")
    assert (r603.year, len(r603.mentions), r603.relation) == (2021, 2, "legal_basis")
    assert next(r for r in refs if r.id.startswith("447")).relation == "implements"


def test_same_year_different_dates_merge():
    r = one("Nghị quyết số 17/NQ-CP ngày 09/3/2019; Nghị quyết số 17/NQ-CP ngày 07/3/2019")
    assert r.dates == ["2019-03-09", "2019-03-07"] and r.date == "2019-03-09"


# -- relations --------------------------------------------------------------------------------

def test_can_cu_section_makes_nested_citations_legal_basis():
    text = ("I. CĂN CỨ LẬP KẾ HOẠCH\n"
            "- Kế hoạch số 65/KH-UBND ngày 29/4/2021 về triển khai thực hiện Quyết định số 468/QĐ-TTg ngày 27/3/2021;\n"
            "II. MỤC TIÊU\n"
            "- Quyết định số 1/QĐ-UBND ngày 01/02/2021 của UBND tỉnh.")
    rel = {r.id: r.relation for r in find_references(text, province=TQ)}
    assert rel == {"65/KH-UBND": "legal_basis", "468/QĐ-TTg": "legal_basis", "1/QĐ-UBND": "mentions"}


def test_thuc_hien_in_a_list_item_is_a_mention():
    assert one("- Thực hiện Kế hoạch số 04/KH-UBND ngày 11/01/2021 của UBND tỉnh").relation == "mentions"
    assert one("Thực hiện Kế hoạch số 55/KH-UBND ngày 12/4/2022 của UBND tỉnh").relation == "implements"


@pytest.mark.parametrize("text,relation", [
    ("Điều 3. Bãi bỏ Quyết định số 16/2019/QĐ-TTg ngày 28/3/2019.", "repeals"),
    ("2. Nghị định này thay thế Nghị định số 21/2011/NĐ-CP ngày 29/3/2011.", "replaces"),
    ("Sửa đổi, bổ sung một số điều của Nghị định số 99/2025/NĐ-CP ngày 06/5/2025", "amends"),
    ("| 32. | Sửa đổi Nghị định số 109/2022/NĐ-CP | Bộ Nội vụ |", "mentions"),
])
def test_action_relations(text, relation):
    assert one(text).relation == relation


def test_mentions_point_into_the_text():
    text = "**Căn cứ** Nghị định số 45/2020/NĐ-CP\nngày 08/4/2020 của Chính phủ"
    for r in find_references(text):
        for m in r.mentions:
            assert text[m.span.start:m.span.end] == m.text


# -- property: a reference written in any spacing or date form is the same document ----------------

DATE_FORMS = ["ngày {d}/{m}/{y}", "ngày {d:02d}/{m:02d}/{y}", "ngày {d} tháng {m} năm {y}", "ngày {d}/{m}/ {y}",
              "ngày {d}-{m}-{y}", ", ngày {d}/{m}/{y}", "{d}/{m}/{y}"]
KINDS = [("Quyết định", "{n}/QĐ-UBND", TQ), ("Nghị định", "{n}/{y}/NĐ-CP", "national"),
         ("Nghị quyết", "{n}-NQ/TU", TQ), ("Công văn", "{n}/BTTTT-THH", "national"),
         ("Chỉ thị", "{n}/CT-TTg", "national"), ("Kế hoạch", "{n}/KH-UBND", TQ)]


@st.composite
def citations(draw):
    typ, template, juris = draw(st.sampled_from(KINDS))
    n = draw(st.integers(1, 4999))
    y, m, d = draw(st.integers(2000, 2030)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    number = template.format(n=n, y=y)
    spaced = number
    if draw(st.booleans()):
        spaced = spaced.replace("/", draw(st.sampled_from([" /", "/ ", " / "])), 1)
    if draw(st.booleans()) and "-" in spaced:
        spaced = spaced.replace("-", "- ", 1)
    so = draw(st.sampled_from([" số ", " ", " số: "]))
    date = draw(st.sampled_from(DATE_FORMS)).format(d=d, m=m, y=y)
    lead = draw(st.sampled_from(["Căn cứ ", "- ", "theo ", "Thực hiện "]))
    return f"{lead}{typ}{so}{spaced} {date} của cơ quan.", (number, y, f"{y:04d}-{m:02d}-{d:02d}", juris, typ)


@settings(max_examples=300, deadline=None)
@given(citations())
def test_spacing_and_date_forms_round_trip(case):
    text, (cid, year, iso, juris, typ) = case
    refs = find_references(text, province=TQ)
    assert [(r.id, r.year, r.date, r.jurisdiction, r.type) for r in refs] == [(cid, year, iso, juris, typ)], text


@pytest.mark.parametrize("written", ["742/QĐ–UBND", "742/QĐ—UBND", "742/QĐ−UBND", "742 /QĐ - UBND"])
def test_a_ky_hieu_with_any_dash_is_one_citation(written):
    ref = one(f"Căn cứ Quyết định số {written} ngày 24/6/2022 của Ủy ban nhân dân tỉnh;")
    assert (ref.id, ref.date) == ("742/QĐ-UBND", "2022-06-24")


def test_a_number_glued_to_so_is_cited():
    ref = one("Căn cứ Quyết định số742/QĐ-UBND ngày 24/6/2022 của Ủy ban nhân dân tỉnh;")
    assert (ref.id, ref.type) == ("742/QĐ-UBND", "Quyết định")
    assert ids("Xem bảng số liệu 12/KH-UBND") == ["12/KH-UBND"]  # 'liệu' before it: as before


def test_a_citations_date_in_words_misread_by_ocr():
    ref = one("Căn cứ Kế hoạch số 15/KH-UBND ngảy 12 thảng 3 nãm 2024 của UBND tỉnh;")
    assert ref.date == "2024-03-12"


@pytest.mark.parametrize("opening", ["Để triển khai", "Để thực hiện", "Nhằm cụ thể hóa", "Nhằm cụ thể hoá", "Nhằm triển khai"])
def test_a_plans_opening_purpose_clause_implements_what_it_cites(opening):
    ref = one(f"{opening} Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ, UBND tỉnh ban hành "
              "Kế hoạch thực hiện như sau:")
    assert ref.relation == "implements"


def test_a_citation_dated_the_same_day_as_the_one_before():
    text = "Căn cứ Quyết định số 742/QĐ-UBND ngày 24/06/2022 và Quyết định số 743/QĐ-UBND cùng ngày của UBND tỉnh;"
    assert [(r.id, r.year, r.date) for r in find_references(text, province="Bắc Ninh")] == [
        ("742/QĐ-UBND", 2022, "2022-06-24"), ("743/QĐ-UBND", 2022, "2022-06-24")]


def test_an_undated_mention_with_one_letter_misread_is_the_dated_citation():
    text = ("Thực hiện Công văn số 1899/SGDĐT-CTrTT ngày 24/7/2020 của Sở Giáo dục và Đào tạo. Theo Công văn số "
            "1899/SGDĐT-CTTTT, các trường báo cáo. Công văn số 1899/SGDĐT-KHTC là một văn bản khác.")
    refs = find_references(text, province="Đà Nẵng")
    assert [(r.id, r.year, len(r.mentions)) for r in refs] == [("1899/SGDĐT-CTrTT", 2020, 2),
                                                             ("1899/SGDĐT-KHTC", None, 1)]


def test_numbers_listed_with_one_date_share_it_and_the_lists_relation():
    text = ("Thực hiện nội dung các Quyết định số: 1743/QĐ- BGTVT, 1744/QĐ-\nBGTVT ngày 31/12/2024 của Bộ trưởng Bộ "
            "Giao thông vận tải về việc công bố thủ tục hành chính.")
    refs = find_references(text, province="Quảng Ngãi")
    assert [(r.id, r.year, r.dates, r.relation) for r in refs] == [
        ("1743/QĐ-BGTVT", 2024, ["2024-12-31"], "implements"), ("1744/QĐ-BGTVT", 2024, ["2024-12-31"], "implements")]
