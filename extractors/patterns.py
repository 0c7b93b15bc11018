"""Regex parts for citations of documents, each named and tested on its own.

A citation is `<type word> số <number>/<year>/<symbol> ngày <date> của <issuer> <title>`:
`Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện thủ tục …`.
The parts below tolerate what PDF extraction and OCR do to it: `48- NQ/TU`,
`392/QĐ- UBND`, `187 /KH-UBND`, `QÐ` (eth) for `QĐ`, non-breaking spaces.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from vanban.extractors.dates import DAY_WORD
from vanban.extractors.grammar import CLAUSE_END, DASH_LIKE, HEADING_LABEL, MARKDOWN_LEAD, NUMBER, YEAR, phrases
from vanban.models.knowledge import Agency, agencies, cues, doc_types, laws, provinces
from vanban.models.vietnamese import fold

# -- the number and its ký hiệu (NUMBER and YEAR are the number line's: grammar.py) -----
DASH = rf"\s?{DASH_LIKE}(?:\s?{DASH_LIKE})?\s?"  # OCR and line joins leave a space on either side, or a dash twice
SLASH = r"\s?[/\u2044\u2215\uff0f]\s?"  # a scan's or a font's fraction slash '⁄' stands for '/' too
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
    # OCR may trail an underline: '187/KH-UBND_' (symbols.check_symbol trims what is caught)
    # a ký hiệu glued to the date after it ('43/2025/TT-BYTngày 15 …') ends there too, as PART lets it
    # a text layer may lose the space after 'số' ('Quyết định số742/QĐ-UBND'): the number starts there too
    rf"(?:(?<=(?i:số))|(?<![\w./\-]))(?:{WITH_YEAR}|{PARTY}|{PLAIN})(?:(?![^\W_]|/)|(?=ngày))", regex.V1 | regex.DOTALL
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
DATE_LEAD_RE = regex.compile(r"[_:]*\s*,?\s*\(?\s*(?:(?:ban hành|ký)\s+)?")
NGAY_RE = regex.compile(rf"{DAY_WORD}\s*")
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
# 'Bộ trưởng Bộ Thông tin và Truyền thông' issues for the Bộ
MINISTER = r"(?:Bộ\s+trưởng\s+(?=Bộ\s))?"
# words that start a trích yếu and so end a generic issuer name
TITLE_START = rf"(?i:{phrases(cues('title_start'))})"
GENERIC_BODY = (rf"(?P<generic>[A-ZĐ]\w*(?:\s+(?!(?:{TITLE_START})\b)[\w\-]+){{0,16}}?)"
                rf"(?=\s+(?:{TITLE_START})\b|\s*[,;.:(\n“\"]|$)")


def _as_written(name: str) -> str:
    """A body's name as a text may write it: its first word as listed ('Uỷ' for 'Ủy' too), the
    others in any case, and 'Bộ Lao động - Thương binh …' also with a comma."""
    first, *rest = name.split(" ", 1)
    words = regex.escape(first).replace("Ủy", "(?:Ủy|Uỷ)") + "".join(
        rf"\s+(?i:{regex.escape(w).replace('ủy', '(?:ủy|uỷ)')})" for w in " ".join(rest).split())
    return words.replace(r"\s+(?i:\-)\s+", r"\s*[-,–]\s*")


def _name_key(name: str) -> str:
    return "".join(ch for ch in fold(name) if ch.isalnum())


@lru_cache(maxsize=None)
def national_bodies() -> dict[str, Agency]:
    """The central bodies of agencies.csv by their names and aliases, folded with no spaces or
    punctuation: 'Thủ tướng', 'Thủ tướng Chính phủ' → TTg."""
    return {_name_key(n): a for a in agencies().values() if a.level == "national" for n in (a.name, *a.aliases)}


def national_body(written: str) -> Agency:
    """The central body a matched issuer phrase names: 'Uỷ ban thường vụ Quốc hội' → UBTVQH."""
    return national_bodies()[_name_key(written)]


@lru_cache(maxsize=None)
def issuer_re() -> regex.Pattern:
    """An issuer phrase at the start of the text after 'của': local, party, a listed central body, or generic."""
    names = "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in provinces())
    place = rf"(?:\s+(?P<place>{names})(?![^\W\d_]))?"
    written = {n for a in agencies().values() if a.level == "national" for n in (a.name, *a.aliases) if " " in n}
    listed = "|".join(_as_written(n) for n in sorted(written, key=lambda n: (-len(n), n)))
    return regex.compile(
        rf"(?:{LOCAL_BODY}\s+{LEVEL}{place}|{PARTY_LOCAL}{place}{KHOA}?"
        rf"|{MINISTER}(?P<listed>{listed})(?![^\W\d_]){KHOA}?"
        rf"|{MINISTER}{GENERIC_BODY})",
        regex.V1,
    )




@lru_cache(maxsize=None)
def title_end_re() -> regex.Pattern:
    """The end of a trích yếu: a clause's end, or a sibling citation in a list (', Quyết định số …')."""
    sibling = rf",\s*(?=(?:và\s+)?(?:các\s+)?(?i:{phrases(type_words())})\s+số)"
    expires = rf"(?<!\p{{L}})\s*(?=(?:{phrases(cues('expires'))})(?!\p{{L}}))"  # '… về dịch vụ việc làm hết hiệu lực kể từ …'
    return regex.compile(rf"{CLAUSE_END}|{sibling}|{expires}")

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
            names.add(LAW_KEYWORD_RE.sub("", n))  # drop the leading 'Luật' / 'Bộ luật'
    alt = "|".join(regex.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))
    return regex.compile(rf"(?<![^\W\d_])(?P<kw>(?:Bộ|BỘ)\s+(?:luật|Luật|LUẬT)|Luật|LUẬT)\s+(?P<name>(?i:{alt}))(?![^\W\d_])",
                         regex.V1)


LAW_KEYWORD_RE = regex.compile(r"^(?:Bộ\s+)?[Ll]uật\s+")


# 'Luật Tổ chức Chính phủ số 63/2025/QH15': the law word before a number, in the same clause
LAW_WORD_RE = regex.compile(r"(?<![^\W\d_])(?:Bộ\s+)?[Ll]uật(?=\s+[A-ZĐa-zđ])")

# -- context that gives the relation --------------------------------------------
BULLET = r"[\s\-+•–*#>]*"
LEGAL_BASIS = rf"(?:{phrases(cues('legal_basis'), capitals=True)})"  # 'Căn cứ', 'CĂN CỨ'
CAN_CU_START_RE = regex.compile(rf"{BULLET}(?:\*\*)?{LEGAL_BASIS}\b")
IMPLEMENTS_START_RE = regex.compile(rf"(?:\*\*)?(?:{phrases(cues('implements'), capitals=True)})\b")
# 'I. CĂN CỨ LẬP KẾ HOẠCH', '1. Căn cứ pháp lý', 'A. CĂN CỨ': a capital letter labels a top part
# here, and nowhere else ('Q. GIÁM ĐỐC' signs for an acting head)
CAN_CU_HEADING_RE = regex.compile(rf"{MARKDOWN_LEAD}(?:(?:{HEADING_LABEL}|[A-Z][.)])\s*)?{LEGAL_BASIS}\b")
CAN_CU_ALONE_RE = regex.compile(rf"(?:^|\n)\s*{LEGAL_BASIS}\s*\n\s*$")  # vbpl puts 'Căn cứ' on its own line
# Relations the citing document has with what it names right after these words (cues.csv),
# then what may stand between: 'sửa đổi, bổ sung một số điều của', 'thay thế cho'.
# the provisions acted on: 'khoản 1 Điều 12', 'điểm a khoản 2 Điều 7', 'Chương III', 'Điều 5 và Điều 6'
PROVISION = (r"(?:(?:điểm\s+[a-zđ]\s+)?(?:khoản\s+\d+\s+)?điều\s+\d+[a-z]?|chương\s+[IVXLC\d]+|phụ\s+lục\s+[IVXLC\d]+"
             r"|khoản\s+\d+|điểm\s+[a-zđ])")  # 'khoản 1 và khoản 2 Điều 8': a list of them
RELATION_TAIL = (r"(?:\s+(?i:và\s+hướng\s+dẫn\s+thi\s+hành))?"
                 rf"(?:\s+(?i:một\s+số\s+điều|toàn\s+bộ|{PROVISION}(?:(?:\s*,\s*|\s+và\s+){PROVISION})*))?"
                 r"(?:\s+(?i:của|cho))?\s*$")
# 'theo hướng dẫn Công văn số …' is the other way round: the cited document guides this one
ACTION_TRIGGERS = tuple((relation, regex.compile(rf"(?<!(?i:theo)\s+)(?i:{phrases(cues(relation))}){RELATION_TAIL}"))
                        for relation in ("amends", "replaces", "repeals", "guides"))
# their first words, opening a clause that acts: 'Sửa đổi …', 'Thay thế …'
ACTION_START = rf"(?i:{phrases({c.split()[0] for r, _ in ACTION_TRIGGERS for c in cues(r)})})"
