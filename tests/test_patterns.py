"""The layout grammar (extractors/grammar.py), each part on its own, and the knowledge-built
parts of the citation patterns (extractors/patterns.py)."""
from __future__ import annotations

import pytest
import regex

from vanban.extractors import grammar, patterns
from vanban.extractors.grammar import CLAUSE_END_RE, NUMBER_LINE_RE, clause_start, label_level, label_of


# -- labels -------------------------------------------------------------------------

@pytest.mark.parametrize("line,level", [
    ("Phần I", "part"), ("PHẦN II. NỘI DUNG", "part"), ("Chương 2", "part"), ("Phần thứ nhất", "part"),
    ("Phần I: Đánh giá", "part"), ("Mục 1", "section"), ("MỤC II", "section"),
    ("I. MỤC TIÊU", "roman"), ("II) Nhiệm vụ", "roman"), ("III - NHIỆM VỤ, GIẢI PHÁP", "roman"),
    ("VII.AN TOÀN THÔNG TIN", "roman"),
    ("Điều 5. Hiệu lực", "article"), ("Điều 1: Ban hành", "article"), ("Điều 50a. Nội dung", "article"),
    ("1. Mục tiêu", "number"), ("2) Giải pháp", "number"), ("1.Mục tiêu", "number"),
    ("1.1. Chỉ số", "number2"), ("1.1 Xây dựng", "number2"),
    ("1.2.1. Xếp hạng", "number3"), ("1.1.1.1. Chi tiết", "number3"),
    ("a) Tỉnh", "letter"), ("đ) Quy định", "letter"), ("k)Thực hiện", "letter"),
    ("- 100% hồ sơ", "dash"), ("• mục", "dash"), ("+ y", "plus"), ("* z", "plus"),
    ("## **I. MỤC TIÊU**", "roman"),
])
def test_label_levels(line, level):
    assert label_level(line)[0] == level


@pytest.mark.parametrize("line", [
    "Mục tiêu đến năm 2025",  # a word, not 'Mục 1'
    "Phần mềm quản lý văn bản",
    "4.0 và chuyển đổi số",  # a figure, not a label without its dot
    "1.5 tỷ đồng",
    "-5% so với năm trước",  # a bullet needs its space
    "2.0.",  # a label alone on its line is a figure as often
    "2022. Năm bản lề",  # four digits are a year
    "5ATTTM0,166757",
    "Điều chỉnh kế hoạch",
])
def test_not_labels(line):
    assert label_level(line) == (None, -1)


def test_levels_deepen_in_order():
    lines = ["Phần I", "Mục 1", "I. NỘI DUNG", "Điều 1.", "1. Mục tiêu", "1.1. Chỉ số", "1.1.1. Chi tiết",
             "a) Tỉnh", "- x", "+ y"]
    depths = [label_level(line)[1] for line in lines]
    assert depths == sorted(depths) == list(range(len(lines)))
    assert grammar.UNLABELLED > depths[-1]


@pytest.mark.parametrize("line,label", [
    ("II. NỘI DUNG", "II."), ("- 100% hồ sơ", "-"), ("Điều 5. Hiệu lực", "Điều 5."),
    ("1.1 Xây dựng", "1.1"), ("4) Đơn vị chủ trì", "4)"), ("Phần II", "Phần II"), ("Hiện nay", None),
])
def test_label_of(line, label):
    assert label_of(line) == label


def test_heading_label_leaves_out_bullets():
    heading = regex.compile(grammar.HEADING_LABEL)
    assert heading.match("a) Tỉnh") and heading.match("I. MỤC TIÊU")
    assert not heading.match("- x") and not heading.match("+ y")


# -- clause ends --------------------------------------------------------------------

def ends(text: str) -> list[str]:
    """What each clause end in the text is, by the characters it matched."""
    return [m.group(0) for m in CLAUSE_END_RE.finditer(text)]


def test_semicolon_ends_a_clause():
    assert ends("Luật Công nghệ thông tin; Luật An toàn thông tin mạng") == [";"]


@pytest.mark.parametrize("text,count", [
    ("đạt 90%. Tỷ lệ hồ sơ", 1),  # before a capital
    ("đạt 90%. 20 xã đạt 100%", 1),  # before a figure
    ("phiên bản 2.0 của Kiến trúc", 0),  # a decimal point
    ("TP. Hồ Chí Minh", 1),  # an abbreviation before a capital reads as a stop: accepted
    ("v.v. và các nội dung khác", 0),
    ("tỉnh Lạng Sơn.\nthống mạng LAN", 1),  # a stop closing its line
    ("kết thúc.", 1),
])
def test_full_stop(text, count):
    assert sum(e.startswith(".") for e in ends(text)) == count


def test_line_break_is_an_end_unless_the_line_goes_on_in_small_letters():
    assert ends("xử lý trên môi trường mạng\nPhấn đấu") == ["\n"]
    assert ends("xử lý trên môi trường\nmạng của tỉnh") == []  # a hard wrap
    assert ends("doanh nghiệp hài lòng\nb) Thu hút sự tham gia") == ["\n"]  # a label opens the line


def test_colon_before_a_list_or_a_sentence_not_a_figure():
    assert ends("bao gồm:\n- Sở Tài chính") == [":", "\n"]
    assert ends("cụ thể: Tổng số TTHC là 14") == [":"]
    assert ends("Tỷ lệ hồ sơ trực tuyến: 90%") == []


def test_clause_start():
    text = "Điều 2. Quyết định này thay thế Quyết định số 12/QĐ-UBND"
    assert text[clause_start(text, 0, text.index("Quyết định số")):].startswith(" Quyết định này thay thế")
    assert clause_start("abc", 0, 2) == 0


# -- the number line ----------------------------------------------------------------

@pytest.mark.parametrize("line,number,year,symbol", [
    ("Số: 187 /KH-UBND", "187", None, "KH-UBND"),
    ("Số 3260-KH/ĐĐQH15", "3260", None, "KH/ĐĐQH15"),
    ("Số: 370/2025/NĐ-CP", "370", "/2025", "NĐ-CP"),
    ("Số: /BC-STTTT", None, None, "BC-STTTT"),
    ("SỐ: 12/QĐ-UBND", "12", None, "QĐ-UBND"),
    ("Sô: 23 /BC-UBND", "23", None, "BC-UBND"),  # OCR's circumflex for the hook
    ("Luật số: 119/2025/QH15", "119", "/2025", "QH15"),
    ("Nghị quyết số: 105/2025/UBTVQH15", "105", "/2025", "UBTVQH15"),
    ("TỈNH QUẢNG NGÃI Số: 23 /BC-UBND", "23", None, "BC-UBND"),  # a scan's shared line
])
def test_number_line(line, number, year, symbol):
    m = NUMBER_LINE_RE.search(line)
    assert (m.group("number"), m.group("year"), m.group("symbol")) == (number, year, symbol)


def test_number_line_reads_an_unreadable_number_as_junk():
    m = NUMBER_LINE_RE.search("Số: ý# /CT-UBND")
    assert m.group("number") is None and m.group("junk").strip() == "ý#" and m.group("symbol") == "CT-UBND"


@pytest.mark.parametrize("text", [
    "Thực hiện Kế hoạch số 55/KH-UBND ngày 01/02/2022",  # a citation has no colon
    "BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ",
    "Số lượng hồ sơ: 120",
])
def test_not_a_number_line(text):
    assert NUMBER_LINE_RE.search(text) is None


def test_number_labels():
    assert grammar.SO_COLON_RE.search("ỦY BAN NHÂN DÂN Số: ##") and not grammar.SO_COLON_RE.search("CHUYỂN ĐỔI SỐ")
    assert all(grammar.SO_ALONE_RE.match(t) for t in ("Số:", "số:", "Śố", "SỐ."))
    assert not grammar.SO_ALONE_RE.match("Số: 12/KH-UBND")


# -- the signature block --------------------------------------------------------------

def test_roles_and_signing_marks_come_from_the_data():
    role = regex.compile(rf"^{grammar.ROLE}$")
    assert all(role.match(r) for r in ("CHỦ TỊCH", "PHÓ GIÁM ĐỐC", "TỔNG BÍ THƯ", "PHÓ  THỦ TƯỚNG"))
    assert not role.match("CHUYÊN VIÊN")
    mark = regex.compile(rf"^{grammar.SIGNING_MARK}")
    assert all(mark.match(m) for m in ("TM. ỦY BAN", "KT. CHỦ TỊCH", "T/M", "TUQ. GIÁM ĐỐC"))
    assert set(grammar.DEPUTY_MARKS) == {"KT.", "K/T"}


# -- phrases from the data ----------------------------------------------------------------

def test_phrases_longest_first_spaces_and_commas_loose():
    pattern = regex.compile(f"(?:{grammar.phrases(['sửa đổi', 'sửa đổi, bổ sung'])})")
    assert pattern.match("sửa đổi bổ sung").group(0) == "sửa đổi bổ sung"
    assert pattern.match("sửa  đổi,bổ sung").group(0) == "sửa  đổi,bổ sung"
    assert regex.fullmatch(grammar.phrases(["Căn cứ"], capitals=True), "CĂN CỨ")


def test_words_re_keeps_whole_words():
    cue = grammar.words_re(("đạt",))
    assert cue.search("đã đạt 90%") and not cue.search("đạtx") and not cue.search("Đạt", 0)


# -- knowledge-built citation parts ---------------------------------------------------------

@pytest.mark.parametrize("written,name", [
    ("Thủ tướng về", "Thủ tướng Chính phủ"),  # an alias in agencies.csv
    ("Uỷ ban thường vụ Quốc hội về", "Ủy ban Thường vụ Quốc hội"),
    ("Ban chấp hành Trung ương Đảng (khóa XII) về", "Ban Chấp hành Trung ương"),
    ("Bộ Lao động, Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội"),
    ("Kiểm toán Nhà nước về", "Kiểm toán nhà nước"),
])
def test_issuer_re_reads_central_bodies_by_their_listed_names(written, name):
    m = patterns.issuer_re().match(written)
    assert patterns.national_body(m.group("listed")).name == name


def test_issuer_re_keeps_a_first_word_in_small_letters_out():
    m = patterns.issuer_re().match("chính phủ điện tử")
    assert m is None or not m.group("listed")


@pytest.mark.parametrize("clause,relation", [
    ("Sửa đổi, bổ sung một số điều của ", "amends"),
    ("Quyết định này thay thế cho ", "replaces"),
    ("3. Bãi bỏ Điều 7 ", "repeals"),
    ("quy định chi tiết và hướng dẫn thi hành ", "guides"),
])
def test_action_triggers(clause, relation):
    found = [name for name, trigger in patterns.ACTION_TRIGGERS if trigger.search(clause)]
    assert found == [relation]


def test_title_end_is_a_clause_end_or_a_sibling_citation():
    end = patterns.title_end_re()
    assert end.search("về chuyển đổi số, Quyết định số 12/QĐ-UBND").group(0).strip() == ","
    assert end.search("về chuyển đổi số; và").group(0) == ";"
    assert end.search("về chuyển đổi số, cải cách hành chính") is None
