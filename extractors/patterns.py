"""Regex parts for citations of documents, each named and tested on its own.

A citation is `<type word> số <number>/<year>/<symbol> ngày <date> của <issuer> <title>`:
`Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện thủ tục …`.
The parts below tolerate what PDF extraction and OCR do to it: `48- NQ/TU`,
`392/QĐ- UBND`, `187 /KH-UBND`, `QÐ` (eth) for `QĐ`, non-breaking spaces.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from vanban.models.knowledge import agencies, doc_types, laws, provinces

# -- the number and its ký hiệu ------------------------------------------------
NUMBER = r"\d{1,5}(?:\.\d{1,3})?[a-z]?"  # 742, 66.13 (vbpl), 16a
YEAR = r"(?:19|20)\d\d"
DASH = r"\s?[-‐‑–]\s?"  # OCR and line joins leave a space on either side
SLASH = r"\s?/\s?"
# One piece of a ký hiệu: QĐ, UBND, TTg, CTr, TCT68, SGD&ĐT. Lower-case letters are only
# those real ký hiệu use (TTg, CTr, QĐi); the piece may not run on into a word ('Nam').
PART = r"[A-ZĐÐƯ][A-ZĐÐƯ0-9&gri]*(?:(?![^\W\d_])|(?=ngày))"
PIECES = rf"{PART}(?:{DASH}{PART})*"

# 45/2020/NĐ-CP, 67/2006/QH11
WITH_YEAR = rf"(?P<number>{NUMBER}){SLASH}(?P<year>{YEAR}){SLASH}(?P<symbol>{PIECES})"
# 48-NQ/TU, 52-NQ/TƯ, 153-CTr/TU (party documents: number-type/issuer)
PARTY = rf"(?P<number>{NUMBER}){DASH}(?P<symbol>{PART}{SLASH}{PIECES})"
# 742/QĐ-UBND, 3570/BTTTT-THH, 2651/QĐ-TCT68-CAT: at least two pieces, so '2G/3G' is not one
PLAIN = rf"(?P<number>{NUMBER}){SLASH}(?P<symbol>{PART}(?:{DASH}{PART})+)"

DOC_NUMBER_RE = regex.compile(
    rf"(?<![\w./\-])(?:{WITH_YEAR}|{PARTY}|{PLAIN})(?![\w/])", regex.V1 | regex.DOTALL
)

# -- what stands before the number ---------------------------------------------
SO = r"(?:số|Số|SỐ)"
# 'Kế hoạch hành động số 106/KH-UBND' is a Kế hoạch; 'hành động' only qualifies it.
QUALIFIER = r"hành\s+động"


@lru_cache(maxsize=None)
def type_words() -> tuple[str, ...]:
    """Document type names a citation may start with, longest first, without 'X hành động'."""
    names = [t.name for t in doc_types()]
    return tuple(n for n in names if not n.endswith(" hành động"))


@lru_cache(maxsize=None)
def prefix_re() -> regex.Pattern:
    """The words right before a number: 'Quyết định số ', 'Nghị Quyết ', 'số: ', 'Luật số '.

    Matched against the few characters before the number, anchored at their end.
    """
    words = "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in type_words())
    return regex.compile(
        rf"(?:(?<![^\W\d_])(?P<type>(?i:{words}))(?:\s+(?P<qualifier>(?i:{QUALIFIER})))?\s+)?"
        rf"(?:(?P<so>{SO})\s*[:.]?\s*)?$",
        regex.V1,
    )


# -- what stands after it ------------------------------------------------------
# 'số 52-NQ/TƯ, ngày 27/9/2019', 'số 01/QĐ-BCĐ (ngày 21/4/2022)', 'Luật … 19/11/2015'
DATE_LEAD_RE = regex.compile(r"\s*,?\s*\(?\s*(?:(?:ban hành|ký)\s+)?")
NGAY_RE = regex.compile(r"(?:ngày|Ngày|NGÀY)\s*")
# a footnote digit glued to the year of a date: 'ngày 24/6/20221'
GLUED_DATE_RE = regex.compile(
    r"(?P<day>[0-3]?\d)\s*[/\-.]\s*(?P<month>[01]?\d)\s*[/\-.]\s*(?P<year>(?:19|20)\d\d)\d(?!\d)"
)
ISSUER_GAP_RE = regex.compile(r"\s*\)?\s*,?\s*(?:của|do)\s+")
# 'Luật Giao dịch điện tử năm 2023', 'Luật … 2023'
LAW_YEAR_RE = regex.compile(rf"\s*(?:năm\s+)?(?P<year>{YEAR})(?!\d)")

KHOA = r"(?:\s*\((?i:khóa|khoá)\s+[IVXLC]+\))"
# -- issuers named after the number: 'của Ủy ban nhân dân tỉnh', 'của UBND tỉnh Lạng Sơn'
LOCAL_BODY = r"(?P<body>(?:Ủy|Uỷ|ỦY|UỶ)\s+ban\s+nhân\s+dân|UBND|Hội\s+đồng\s+nhân\s+dân|HĐND)"
LEVEL = r"(?P<level>tỉnh|thành\s+phố|huyện|thị\s+xã|quận|xã|phường)"
PARTY_LOCAL = (r"(?P<party>Ban\s+(?i:chấp\s+hành)\s+Đảng\s+bộ\s+tỉnh|Ban\s+(?i:thường\s+vụ)\s+Tỉnh\s+(?:ủy|uỷ)"
               r"|Tỉnh\s+(?:ủy|uỷ))")
NATIONAL_BODY = (r"(?P<national>Thủ\s+tướng(?:\s+Chính\s+phủ)?|Chính\s+phủ|Bộ\s+Chính\s+trị|Ban\s+Bí\s+thư"
                 r"|Ban\s+(?i:chấp\s+hành)\s+Trung\s+ương(?:\s+Đảng)?|Quốc\s+hội"
                 r"|(?:Ủy|Uỷ)\s+ban\s+[Tt]hường\s+vụ\s+Quốc\s+hội)")
# 'Bộ trưởng Bộ Thông tin và Truyền thông' issues for the Bộ
MINISTER = r"(?:Bộ\s+trưởng\s+(?=Bộ\s))?"
# words that start a trích yếu and so end a generic issuer name
TITLE_START = (r"(?i:về|ban\s+hành|phê\s+duyệt|quy\s+định|hướng\s+dẫn|triển\s+khai|thực\s+hiện|V/v|tại|đã"
               r"|thành\s+lập|kiện\s+toàn|năm|giai\s+đoạn)")
GENERIC_BODY = (rf"(?P<generic>[A-ZĐ]\w*(?:\s+(?!(?:{TITLE_START})\b)[\w\-]+){{0,16}}?)"
                rf"(?=\s+(?:{TITLE_START})\b|\s*[,;.:(\n“\"]|$)")


@lru_cache(maxsize=None)
def issuer_re() -> regex.Pattern:
    """An issuer phrase at the start of the text after 'của': local, party, national, or generic."""
    names = "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in provinces())
    place = rf"(?:\s+(?P<place>{names})(?![^\W\d_]))?"
    # listed agencies by full name; 'Bộ Văn hóa - Thể thao và Du lịch' is also written with a comma
    listed = "|".join(regex.escape(a.name).replace(r"\ ", r"\s+").replace(r"\s+\-\s+", r"\s*[-,–]\s*")
                      for a in sorted(agencies().values(), key=lambda a: -len(a.name))
                      if " " in a.name and a.level == "national")
    return regex.compile(
        rf"(?:{LOCAL_BODY}\s+{LEVEL}{place}|{PARTY_LOCAL}{place}{KHOA}?|{NATIONAL_BODY}(?![^\W\d_]){KHOA}?"
        rf"|{MINISTER}(?P<listed>{listed})(?![^\W\d_])"
        rf"|{MINISTER}{GENERIC_BODY})",
        regex.V1,
    )


# the end of a trích yếu: a clause break, a sentence end, a sibling citation in a list
CLAUSE_END_RE = regex.compile(
    r"[;\n]|\.(?=\s+[A-ZĐ“\"(\-]|\s*$)|:\s|,\s*(?=(?:và\s+)?(?:các\s+)?(?i:quyết định|nghị quyết|nghị định|thông tư|kế hoạch|chỉ thị|công văn|văn bản)\s+số)"
)

# -- standards kept by their code: TCVN 11930:2017, QCVN 01:2019/BTTTT ----------
STANDARD_RE = regex.compile(
    rf"(?<![\w])(?P<kind>TCVN|QCVN)\s*(?P<code>(?:ISO(?:/IEC)?\s*)?\d+(?:[-.]\d+)*(?::(?P<year>{YEAR}))?(?:/[A-ZĐ]+)?)(?![\w])",
    regex.V1,
)


@lru_cache(maxsize=None)
def law_name_re() -> regex.Pattern:
    """Laws from the knowledge base cited by name: 'Luật An toàn thông tin mạng'."""
    names = set()
    for law in laws():
        for n in (law.name, *law.aliases):
            names.add(n.split(" ", 1)[1])  # drop the leading 'Luật'
    alt = "|".join(regex.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))
    return regex.compile(rf"(?<![^\W\d_])(?P<kw>(?:Bộ\s+)?Luật|LUẬT)\s+(?P<name>(?i:{alt}))(?![^\W\d_])",
                         regex.V1)


# 'Luật Tổ chức Chính phủ số 63/2025/QH15': the law word before a number, in the same clause
LAW_WORD_RE = regex.compile(r"(?<![^\W\d_])(?:Bộ\s+)?[Ll]uật(?=\s+[A-ZĐa-zđ])")

# -- context that gives the relation --------------------------------------------
BULLET = r"[\s\-+•–*#>]*"
CAN_CU_START_RE = regex.compile(rf"{BULLET}(?:\*\*)?(?:Căn cứ|CĂN CỨ)\b")
IMPLEMENTS_START_RE = regex.compile(r"(?:\*\*)?(?:Thực hiện|Triển khai(?: thực hiện)?|THỰC HIỆN)\b")
# headings: 'Phần II', 'I. CĂN CỨ LẬP KẾ HOẠCH', '1. Căn cứ pháp lý', '1.1.', 'a)'
LABEL_RANKS = (
    (regex.compile(r"(?:#+\s*)?(?:\*\*)?(?:Phần|PHẦN|Chương|CHƯƠNG)\s+[\dIVXLC]+\b"), 0),
    (regex.compile(r"(?:#+\s*)?(?:\*\*)?[IVXLC]+[.)]\s"), 1),
    (regex.compile(r"(?:#+\s*)?(?:\*\*)?\d+[.)]\s"), 2),
    (regex.compile(r"(?:#+\s*)?(?:\*\*)?\d+\.\d+[.)]?\s"), 3),
)
CAN_CU_HEADING_RE = regex.compile(r"(?:#+\s*)?(?:\*\*)?(?:(?:[IVXLC]+|\d+(?:\.\d+)*|[A-Z])[.)]\s*)?(?:CĂN CỨ|Căn cứ)\b")
# relations the citing document has with what it names right after these words
ACTION_TRIGGERS = (
    ("amends", regex.compile(r"(?i:sửa\s+đổi,?\s*bổ\s+sung|sửa\s+đổi)(?:\s+(?i:một\s+số\s+điều|điều\s+\d+))?(?:\s+(?i:của))?\s*$")),
    ("replaces", regex.compile(r"(?i:thay\s+thế)(?:\s+(?i:cho))?\s*$")),
    ("repeals", regex.compile(r"(?i:bãi\s+bỏ)(?:\s+(?i:một\s+số\s+điều|toàn\s+bộ))?(?:\s+(?i:của))?\s*$")),
    ("guides", regex.compile(r"(?i:hướng\s+dẫn\s+thi\s+hành|quy\s+định\s+chi\s+tiết)(?:\s+(?i:và\s+hướng\s+dẫn\s+thi\s+hành))?(?:\s+(?i:một\s+số\s+điều))?(?:\s+(?i:của))?\s*$")),
)
