"""The layout grammar of an official document, each rule written once and built from named parts.

The rules every extractor shares:

- **labels** of headings and list items, shallowest first: `Phần I`, `Chương II`, `Mục 1`,
  `I.`, `Điều 5.`, `1.`, `1.1.`, `1.1.1.`, `a)`, `-`, `+` (`LEVELS`, `label_level`, `LABEL`);
- the **end of a clause**: `;`, a full stop before a new sentence, a paragraph break, a
  colon before a list or a sentence (`CLAUSE_END_RE`);
- the header's **number line**: `Số: 187 /KH-UBND`, `Luật số: 119/2025/QH15`,
  `Số: /BC-STTTT` (`NUMBER_LINE_RE`);
- the **signature block**'s marks and roles: `KT. CHỦ TỊCH`, `TM. ỦY BAN NHÂN DÂN`
  (`SIGNING_MARK`, `ROLE`), their words read from models/data.

Each part is a pattern string, so a caller may build on it; each is tested alone in
tests/test_patterns.py.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator, Optional

import regex

from vanban.extractors.dates import DAY_WORD
from vanban.models.knowledge import roles, signing_marks

# -- labels: headings and list items ------------------------------------------------
# A transcription may wrap a heading in markdown: '## **I. MỤC TIÊU**'.
MARKDOWN_LEAD = r"(?:#+\s*)?(?:\*\*)?"
ROMAN = r"[IVXLC]{1,5}"
ARABIC = r"\d{1,2}"
NOT_LETTER_AFTER = r"(?![\p{L}\d])"
PART_WORD = r"(?:Phần|PHẦN|Chương|CHƯƠNG)"
SECTION_WORD = r"(?:Mục|MỤC)"
ARTICLE_WORD = r"(?:Điều|ĐIỀU)"
# 'Phần I', 'Chương 2', 'Phần thứ nhất'
PART = rf"{PART_WORD}\s+(?:{ROMAN}|\d{{1,3}}|thứ\s+\p{{L}}+){NOT_LETTER_AFTER}"
SECTION = rf"{SECTION_WORD}\s+(?:{ROMAN}|{ARABIC}){NOT_LETTER_AFTER}"  # 'Mục 1', not 'Mục tiêu'
ROMAN_LABEL = rf"{ROMAN}(?:[.)]|\s?-)"  # 'I.', 'II)', 'III -'
ARTICLE = rf"{ARTICLE_WORD}\s+\d{{1,3}}[a-z]?(?:[.:]|{NOT_LETTER_AFTER})"  # 'Điều 5.', 'Điều 1:', 'Điều 12a'
# A numbered label may drop its last dot ('1.1 Xây dựng'), but a figure may not pass
# for one: '4.0 và', '1.5 tỷ' go on in small letters.
DOTLESS = r"(?=\s+[^\s\p{Ll}])"
NUMBER_LABEL = rf"{ARABIC}[.)]"  # '1.', '2)'
NUMBER2_LABEL = rf"{ARABIC}\.{ARABIC}(?:\.|{DOTLESS})"
NUMBER3_LABEL = rf"{ARABIC}(?:\.{ARABIC}){{2,3}}(?:\.|{DOTLESS})"
LETTER_LABEL = r"[a-zđ]\)"  # 'a)', 'đ)'
DASH_LABEL = r"[-–•]"
PLUS_LABEL = r"[+*]"

# Shallowest first: a label's depth is its index. Phần and Chương share the top.
LEVELS: tuple[tuple[str, str], ...] = (
    ("part", PART),
    ("section", SECTION),
    ("roman", ROMAN_LABEL),
    ("article", ARTICLE),
    ("number", NUMBER_LABEL),
    ("number2", NUMBER2_LABEL),
    ("number3", NUMBER3_LABEL),
    ("letter", LETTER_LABEL),
    ("dash", DASH_LABEL),
    ("plus", PLUS_LABEL),
)
BULLETS = ("dash", "plus")  # list items, not headings
DEPTH = {name: depth for depth, (name, _) in enumerate(LEVELS)}
UNLABELLED = len(LEVELS)  # a heading with no label ranks below every labelled one

# What follows a numbered label: a space, or after a closing '.' or ')' a capital straight
# on ('I.MỤC TIÊU', '1.Mục tiêu' lose their space in some PDFs); alone on its line it is a
# figure as often ('phiên bản' / '2.0.'). A bullet needs its space: '-5%' is a figure. A
# label with a word (Phần, Mục, Điều) needs only to end its number: 'Phần I:', 'Điều 5,'.
LABEL_END = r"(?=\s|(?<=[.)])\p{Lu})"
BULLET_END = r"(?=\s)"
WORDED = ("part", "section", "article")


def _level_pattern(name: str, pattern: str) -> str:
    return pattern + ("" if name in WORDED else BULLET_END if name in BULLETS else LABEL_END)


# Any label, deepest alternatives first so '1.1.' is not read as '1.'.
LABEL = "(?:" + "|".join(_level_pattern(n, p) for n, p in reversed(LEVELS)) + ")"
HEADING_LABEL = "(?:" + "|".join(_level_pattern(n, p) for n, p in reversed(LEVELS) if n not in BULLETS) + ")"
# At a line's start, with the label as its group: 'II. NỘI DUNG' → 'II.'
LABEL_RE = regex.compile(rf"{MARKDOWN_LEAD}(?P<label>{LABEL})")
_LEVEL_RES = tuple((name, regex.compile(rf"{MARKDOWN_LEAD}(?:{_level_pattern(name, p)})"))
                   for name, p in LEVELS)


def label_level(line: str) -> tuple[Optional[str], int]:
    """(level name, depth) of the label opening a line, or (None, -1); the deepest match wins.

    >>> label_level("1.1. Chỉ số chuyển đổi số"), label_level("Phần thứ hai"), label_level("Mục tiêu")
    (('number2', 5), ('part', 0), (None, -1))
    """
    depth = next((d for d in range(len(LEVELS) - 1, -1, -1) if _LEVEL_RES[d][1].match(line)), -1)
    return (LEVELS[depth][0], depth) if depth >= 0 else (None, -1)


def label_of(line: str) -> Optional[str]:
    """The label opening a line, as written: 'II. NỘI DUNG' → 'II.', '- 100% hồ sơ' → '-'."""
    m = LABEL_RE.match(line)
    return m.group("label") if m else None


# -- a list's lead-in -----------------------------------------------------------------
LIST_ITEM = regex.compile(r"\s*(?:[-+•–*]|[a-zđ]\)|\d{1,2}[.)])\s")  # '- ', 'a) ', '1. ' opening a line
LEAD_IN_LINES = 60  # list items looked back over for the line they hang from (a decree repeals 30 at once)
# a line that announces a list: it ends in ':', or says 'sau đây' where a colon was left out ('Bãi bỏ các văn
# bản sau đây kể từ ngày …' / 'a) …'), not 'sau đây gọi là' naming a document for short
ANNOUNCES_LIST = regex.compile(r":$|(?<!\p{L})sau\s+đây(?!\s+gọi)(?!\p{L})")


def lines_before(text: str, line_start: int, limit: int) -> Iterator[tuple[int, str]]:
    """(start, line) of the lines above the one opening at line_start, nearest first, at most limit.

    >>> list(lines_before("a\\nb\\nc", 4, 5))
    [(2, 'b'), (0, 'a')]
    """
    end = line_start - 1
    for _ in range(limit):
        if end <= 0:
            return
        start = text.rfind("\n", 0, end) + 1
        yield start, text[start:end]
        end = start - 1


def lead_in_line(text: str, line_start: int) -> Optional[str]:
    """The line ending in ':' that the list item opening at line_start hangs from, looking back
    over the items before it; None when the line is no item or hangs from none.

    >>> text = "Bãi bỏ các văn bản sau:\\na) Quyết định số 12;\\nb) Quyết định số 13."
    >>> lead_in_line(text, text.index("b)"))
    'Bãi bỏ các văn bản sau:'
    """
    if not LIST_ITEM.match(text, line_start):
        return None
    for _, line in lines_before(text, line_start, LEAD_IN_LINES):
        line = line.rstrip()
        if ANNOUNCES_LIST.search(line):
            return line
        if not LIST_ITEM.match(line):
            break
    return None


# -- the end of a clause ------------------------------------------------------------
SEMICOLON = r";"
# a full stop closing its line, or before a capital, a figure, a quote, a bracket or a dash
FULL_STOP = r"\.(?=[ \t]*\n|\s+[\p{Lu}\d“\"(\-]|\s*$)"
FULL_STOP_RE = regex.compile(FULL_STOP)
# A paragraph break; a line going on in small letters is a hard wrap, unless it opens
# with a label ('a) …').
LINE_BREAK = rf"\n(?!\s*(?!{LABEL})\p{{Ll}})"
# A colon closing its line opens a list ('gồm:'); one before a capital, a sentence
# ('… như sau: Tổng số …'); one before a figure ('Tỷ lệ: 90%') joins it to what it measures.
COLON = r":(?=\s*\n|\s+\p{Lu})"
CLAUSE_END = "|".join((SEMICOLON, FULL_STOP, LINE_BREAK, COLON))
CLAUSE_END_RE = regex.compile(CLAUSE_END)
TABLE_CELL = r"\|"  # a markdown table's cell border ends a clause where figures are read from tables


def clause_start(text: str, start: int, pos: int) -> int:
    """Where the clause holding `pos` starts, looking back no further than `start`.

    >>> text = "Điều 2. Quyết định này thay thế Quyết định số 12/QĐ-UBND"
    >>> text[clause_start(text, 0, 31):31]
    ' Quyết định này thay thế'
    """
    found = start
    for m in CLAUSE_END_RE.finditer(text, start, pos):
        found = m.end()
    return found


# -- the header's place and date, and a công văn's trích yếu -------------------------
# 'Tuyên Quang, ngày 03 tháng 10 năm 2022', 'TP. Hồ Chí Minh, ngày …', 'Bà Rịa - Vũng Tàu, ngày …',
# and typed without 'ngày': 'Bắc Ninh, 12/3/2024'
NUMERIC_DATE_AHEAD = r"(?=[0-3]?\d\s*[/.-]\s*[01]?\d\s*[/.-]\s*(?:19|20)\d\d(?!\d))"
PLACE_DATE = regex.compile(rf"(?P<place>(?:TP\.?\s*|Tp\.?\s*)?[\p{{Lu}}Đ][\p{{L}}.]*(?:(?:\s+|\s*[-–]\s*)[\p{{Lu}}Đ][\p{{L}}.]*){{0,4}})"
                           rf"\s*,\s*(?:{DAY_WORD}|{NUMERIC_DATE_AHEAD})")
# "V/v" (về việc) opens a công văn's trích yếu; OCR reads it 'Vív', 'Vêviệc'.
ABOUT = r"(?:V\s*[/íi]\s*v\b\.?|V[ềê]\s*việc\b)"


# -- the number line of a header ----------------------------------------------------
NUMBER = r"\d{1,5}(?:\.\d{1,3})?[a-z]?"  # 742, 66.13 (vbpl), 16a
YEAR = r"(?:19|20)\d\d"
# 'Số', 'SỐ', and as OCR reads it: another tone on the ô ('Sô', 'Sổ'), a space inside ('S ố')
SO_VOWEL = "ốôồổỗộỐÔỒỔỖỘ"
SO_WORD = rf"S ?[{SO_VOWEL}]"
SO_MARK = r"[:.;]"  # the colon after it, or OCR's ';' for it
# typed without its marks, or read with another tone or a '6' for the 'ố': with its colon only
# ('So: 15/KH-UBND', 'Só:', 'S6:'); a bare 'So' is too often another word
SO_PLAIN = r"S[oOóÓòÒ6]\s*:"
# 'Số:' / 'Số.' / 'Số', or '<Type> số:' opening a line ('Luật số:') or a bare 'số:'.
# 'Kế hoạch số 55/…' in running text is a citation, not the number line: it has no colon.
NUMBER_LABEL_LEAD = (rf"(?:(?<![\p{{L}}\d])(?:{SO_WORD}\s*{SO_MARK}?|{SO_PLAIN})"
                     rf"|(?m:^)(?:\p{{Lu}}\p{{Ll}}*(?:\s+\p{{Ll}}+)?\s+)?số\s*:)")
# In scans a handwritten or stamped number reads as junk: 'Số: ý# /CT-UBND', 'Sô:⁄11 /CT-UBND'.
# a ký hiệu's dash as typed, autocorrected or read: hyphen, en and em dash, minus
DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
DASH_LIKE = rf"[{DASHES}]"
DASH_LIKE_RE = regex.compile(DASH_LIKE)
UNREADABLE = rf"(?![\u2044\u2215\uff0f|]\p{{Lu}})[^\s\d/{DASHES}\p{{Lu}}][^\s/]{{0,2}}"  # a fraction slash or a bar before the ký hiệu is a slash
SYMBOL_PIECE = r"[\wĐđƯư&.]*"
SYMBOL = rf"[A-ZĐƯ]{SYMBOL_PIECE}(?:\s*(?:{DASH_LIKE}|/)\s*[A-ZĐƯ\d]{SYMBOL_PIECE})*"  # KH-UBND, NĐ-CP, KH/ĐĐQH15
# OCR may split a number with a space ('Số: 1 87/KH-UBND'): the header's number is read whole
SPACED_NUMBER = r"\d{1,3}[ ]\d{1,3}(?=\s*[/⁄-])"
SLASH_LIKE = r"[/\u2044\u2215\uff0f]"  # a fraction slash '⁄' stands for '/' in scans and some fonts
BAR_SLASH = r"(?<=\d)\|(?=[A-ZĐ])"  # OCR's '|' for the slash, touching number and ký hiệu ('15|KH-UBND')
NUMBER_LINE = (rf"{NUMBER_LABEL_LEAD}\s*(?P<number>{SPACED_NUMBER}|{NUMBER})?\s*(?P<junk>{UNREADABLE}\s*)?"
               rf"(?:(?P<year>{SLASH_LIKE}\s*{YEAR})\s*)?(?P<sep>{SLASH_LIKE}|{DASH_LIKE}|{BAR_SLASH})\s*(?P<symbol>{SYMBOL})")
# Số: 187 /KH-UBND · Số 3260-KH/ĐĐQH15 · Số: 370/2025/NĐ-CP · Số: /BC-STTTT · Luật số: 119/2025/QH15
NUMBER_LINE_RE = regex.compile(NUMBER_LINE)
# 'Số:' whose number could not be read: the issuer lines end before it
SO_COLON_RE = regex.compile(rf"(?<![\p{{L}}\d])(?:{SO_WORD}\s*[:;]|{SO_PLAIN})")
# 'Số:' alone on its line (the number is on the next), OCR's 'Śố' and 'số' too
SO_ALONE_RE = regex.compile(rf"^[SsŚ] ?[{SO_VOWEL}]\s*{SO_MARK}?$")


def plain_dashes(text: str) -> str:
    """Every dash a ký hiệu may hold as '-': 'QĐ–UBND' → 'QĐ-UBND'."""
    return DASH_LIKE_RE.sub("-", text)


# -- phrases from the knowledge base as one pattern ---------------------------------------
def phrases(words: Iterable[str], capitals: bool = False) -> str:
    """An alternation of phrases, longest first, any spaces between their words and a comma
    after a word optional; with `capitals`, each also in capitals.

    >>> print(phrases(["sửa đổi, bổ sung", "Căn cứ"], capitals=True))
    sửa\\s+đổi,?\\s*bổ\\s+sung|SỬA\\s+ĐỔI,?\\s*BỔ\\s+SUNG|Căn\\s+cứ|CĂN\\s+CỨ
    """
    words = list(words)
    if capitals:
        words += [w.upper() for w in words]
    alternatives = []
    for phrase in sorted(set(words), key=lambda w: (-len(w), words.index(w))):
        out, gap = [], ""
        for word in phrase.split():
            out.append(gap + regex.escape(word.rstrip(",")))
            gap = r",?\s*" if word.endswith(",") else r"\s+"
        alternatives.append("".join(out))
    return "|".join(alternatives)


@lru_cache(maxsize=None)
def words_re(words: tuple[str, ...], flags: int = 0, inside: Iterable[str] = ()) -> regex.Pattern:
    """The phrases as whole words: 'đã' is found in 'đã cấp', not in 'đãi ngộ'; nor is a phrase
    whose first syllable closes one of the words `inside` ('hiện có' in 'thực hiện có hiệu quả').

    >>> [bool(words_re(("đã", "hiện nay")).search(t)) for t in ("đã cấp", "đãi ngộ", "hiện  nay")]
    [True, False, True]
    >>> bool(words_re(("hiện có",), inside=("thực hiện",)).search("thực hiện có hiệu quả"))
    False
    """
    guard = "".join(rf"(?!(?<=(?<![\p{{L}}\d]){regex.escape(head)}\s+){regex.escape(tail)}(?![\p{{L}}\d]))"
                    for head, tail in (word.split(maxsplit=1) for word in inside))
    return regex.compile(rf"(?<![\p{{L}}\d]){guard}(?:{phrases(words)})(?![\p{{L}}\d])", flags)


# -- the signature block ------------------------------------------------------------
SIGNING_MARK = f"(?:{phrases(signing_marks())})"  # 'TM.', 'KT.', 'T/M', 'Q.' …
ON_BEHALF_MARK = f"(?:{phrases(signing_marks('thay mặt'))})"  # 'TM. ỦY BAN NHÂN DÂN'
DEPUTY_MARKS = signing_marks("ký thay")  # 'KT. CHỦ TỊCH': a deputy signs
ACTING_MARKS = signing_marks("quyền")  # 'Q. GIÁM ĐỐC': the acting head signs
# A part of a header (the quốc hiệu, its motto, the number line, the place and date) or of a
# signature block ('Nơi nhận:', a 'TM.'/'KT.' line): a table holding one lays them out, it holds
# no data, and its cells are read as lines of their own (DOCX tables, Markdown ones)
LAYOUT_PART = regex.compile(rf"(?i:cộng\s+hòa\s+xã\s+hội|độc\s+lập\s*-\s*tự\s+do|nơi\s+nhận\s*:)"
                            rf"|{PLACE_DATE.pattern}|{NUMBER_LINE}|(?m:^)\s*{SIGNING_MARK}")
# 'PHÓ' (deputy), also as OCR reads it without its tone or with another ('PHO', 'PHỎ')
DEPUTY = "PH[OÓÒỎÕỌ]"
DEPUTY_WORD = regex.compile(rf"{DEPUTY}(?=\s|$)")
# A role in capitals, a deputy's too: 'CHỦ TỊCH', 'PHÓ GIÁM ĐỐC', 'TỔNG BÍ THƯ'
ROLE = rf"(?:{DEPUTY}\s+)?(?:{phrases(r.upper() for r in roles())})"
