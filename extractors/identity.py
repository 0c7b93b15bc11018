"""A document's identity from its header and signature: số/ký hiệu, ngày, cơ quan ban hành,
tỉnh, địa danh, trích yếu, người ký and chức vụ.

When the header is lost (a text extraction that dropped it) the body still says a
lot: "Sở Lao động - Thương binh và Xã hội xây dựng Kế hoạch …", "Trên đây là Kế hoạch …",
"TM. ỦY BAN NHÂN DÂN". Those fill what they can; the rest stays None with a reason.
"""
from __future__ import annotations

import itertools
from collections import Counter
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Optional

import regex

from vanban.extractors.dates import DAY_WORD, find_dates, find_year_only_date
from vanban.extractors.references import find_references
from vanban.extractors.cleaning.text_quality import is_syllable
from vanban.extractors.symbols import check_symbol
from vanban.extractors.structure import ADDRESSEE, is_caps, type_line, without_motto
from vanban.extractors.grammar import (ABOUT, ACTING_MARKS, DEPUTY_MARKS, DEPUTY_WORD, NUMBER_LINE_RE, ON_BEHALF_MARK,
                                       PLACE_DATE, ROLE, SIGNING_MARK, SO_ALONE_RE, SO_COLON_RE, phrases,
                                       plain_dashes)
from vanban.models.knowledge import (PARTY_COMMITTEES, PROVINCE_KINDS, agencies, cues, doc_types, local_name, provinces,
                                     roles, surnames, type_by_abbreviation)
from vanban.models.records import Identity, Passage, Span
from vanban.models.vietnamese import fix_d, fold, is_vietnamese_letter, within_one_edit

# the breaks inside a number printed in pieces: 'Số:\n18 /202 5\n/TT-BCA' → 'Số:18/2025/TT-BCA'
DIGIT_FRAGMENT_GAP = regex.compile(r"(?<=[\d/:])\s+(?=[\d/])")
SYMBOL_SEPARATOR = regex.compile(r"[-/]")  # between the pieces of a ký hiệu: KH-UBND, NQ/TW
ROLE_LINE = regex.compile(rf"(?:^|\s)(?P<role>{ROLE})(?:\s|$)")
# a role typed in title case ('KT. Chủ tịch' / 'Phó Chủ tịch'), as a Word file or a transcription
# may: only as the whole line, where running text ('Chủ tịch UBND tỉnh chỉ đạo …') never is
ROLE_ALONE = regex.compile(rf"^\s*(?:{SIGNING_MARK}\s*)?(?P<role>(?:Phó\s+)?(?:{phrases(roles())}))\s*$")
ROLE_WORDS = regex.compile(ROLE)
OPENING_ISSUER = regex.compile(r"^(?P<agency>(?:Sở|Ủy ban nhân dân|UBND|Ban|Bộ|Văn phòng|Hội đồng nhân dân)[^,.;:]{2,80}?)\s+(?:xây dựng|ban hành|báo cáo|thông báo|hướng dẫn)\s")


ABOUT_LINE = regex.compile(rf"(?m)^{ABOUT}")  # .match(line) at a line's start, .search(text) at any line's
ABOUT_LEAD = regex.compile(rf"^{ABOUT}\s*[:.]?\s*")
LEADING_PUNCTUATION = regex.compile(r"^[\W_]+")


# what a plan or a regulation is issued with, printed under its trích yếu: '(Kèm theo Quyết định số …)'
ISSUED_WITH = regex.compile(r"\s*\((?i:ban\s+hành\s+)?(?i:kèm\s+theo)\b.*$", regex.S)


def _clean_title(title: str, ocr: bool = False) -> Optional[str]:
    """Trích yếu without the 'V/v' / 'Về việc' lead and stray OCR punctuation; read by OCR, also
    without a province name's misread letter and the debris a stamp leaves after it (a text
    layer's 'Zürich' is a name, not debris)."""
    title = ADDRESSEE.sub("", LEADING_PUNCTUATION.sub("", title.strip()))
    title = ISSUED_WITH.sub("", title)
    title = ABOUT_LEAD.sub("", title).strip()
    return (_cut_ocr_debris(_repair_province_names(title)) if ocr else title) or None


# where another column's text begins on a trích yếu's line: a numbered item ('… cho HS, SV 1. Cô Hương
# gửi …'), or a clause's end (a trích yếu has none)
OTHER_COLUMN = regex.compile(r"\s\d{1,2}\.\s+(?=\p{Lu})|;")
# the words that tie a body's name into the trích yếu before it: '… CỦA CHÍNH PHỦ' is the title's own
TITLE_TIES = frozenset({"cua", "cho", "voi", "va", "thuoc", "tai", "giua", "doi", "den", "tu", "ve", "la", "trong"})
ROLE_CLOSING = regex.compile(rf"(?:^|\s)(?:{ROLE})$")  # 'CHỦ TỊCH' before 'ỦY BAN NHÂN DÂN TỈNH …'


def _without_enacting_body(title: str, issuer: Optional[str]) -> str:
    """The trích yếu without the enacting body a law-making text prints under it in capitals, above
    'Căn cứ …' ('Về phân loại đô thị' / 'ỦY BAN THƯỜNG VỤ QUỐC HỘI'; 'VỀ ĐẶC XÁ' / 'CHỦ TỊCH NƯỚC
    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'): the issuer's name (a role before it, capitals after it
    perhaps) closing the title after a word that does not tie it in ('… CỦA CHÍNH PHỦ' stays)."""
    name = _agency_key(issuer or "").split()
    if not name:
        return title
    words = title.split()
    for start in range(len(words) - len(name), 0, -1):
        written = words[start:start + len(name)]
        if [_agency_key(w) for w in written] != name or not all(w.isupper() for w in written) \
                or not is_caps(" ".join(words[start:])):
            continue
        role = ROLE_CLOSING.search(" ".join(words[:start]))
        cut = start - (len(role.group().split()) if role else 0)
        if cut == 0 or _agency_key(words[cut - 1]) in TITLE_TIES:
            return title
        return " ".join(words[:cut])
    return title


OF_BODY_LINE = regex.compile(r"^\s*(?:CỦA|Của)\s+\S")
ROLE_OPENING = regex.compile(rf"^\s*(?:{ROLE})(?:\s|$)")  # 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH'
ISSUER_HEAD_WORDS = 3  # 'ỦY BAN NHÂN', 'HỘI ĐỒNG NHÂN', 'SỞ THÔNG TIN': enough of a body's name to know it


def _closes_title(line: str, previous: str, issuer: Optional[str]) -> bool:
    """Whether a header line after the trích yếu is no part of it: the enacting authority in capitals,
    which a decision prints under its title where a text layer lost the rule between them ('CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH',
    'ỦY BAN NHÂN DÂN TỈNH BẮC NINH'), unless the line before ties it in ('… CỦA')."""
    # a title in capitals may go on with a role ('VỀ VIỆC BỔ NHIỆM' / 'GIÁM ĐỐC SỞ Y TẾ'): only after one in small letters
    if not is_caps(line) or is_caps(previous) or not previous.split() or fold(previous.split()[-1]) in TITLE_TIES:
        return False
    head = fold(" ".join((issuer or "").split()[:ISSUER_HEAD_WORDS]))
    return bool(ROLE_OPENING.match(line)) or (len(head.split()) == ISSUER_HEAD_WORDS and fold(line).startswith(head))


# OCR debris a stamp or a seal leaves after a scan's trích yếu: 'lmà|š Ị số: _', '“Ă=. TỊN HỌC'
DEBRIS_MARKS = frozenset("|=_~@#^*<>{}[]\\")
MIN_TITLE_WORDS = 4  # debris is cut only after this many words: never the whole title


def _cut_ocr_debris(title: str) -> str:
    """The trích yếu up to its first word no Vietnamese text writes: one holding a mark such as
    '|' or '=', or a letter Vietnamese does not use ('š', 'ø')."""
    words = title.split()
    for i, word in enumerate(words[MIN_TITLE_WORDS:], start=MIN_TITLE_WORDS):
        if DEBRIS_MARKS.intersection(word) or any(ch.isalpha() and not is_vietnamese_letter(ch) for ch in word):
            return " ".join(words[:i])
    return title


PROVINCE_KIND = regex.compile(r"\b(?:tỉnh|thành phố|Tỉnh|Thành phố)\s+")


def _repair_province_names(title: str) -> str:
    """A province name after 'tỉnh' / 'thành phố' that OCR misread by one letter, when only one
    province is that close: 'tỉnh Quảng Nøãi', 'tỉnh Quảng Nzgãi' → 'tỉnh Quảng Ngãi'."""
    for kind in reversed(list(PROVINCE_KIND.finditer(title))):
        following = title[kind.end():].split()
        # each province beside the words in its place, folded: as many words as its name has
        written = {name: " ".join(following[:len(name.split())]) for name in provinces()
                   if len(following) >= len(name.split())}
        if any(fold(words) == fold(name) for name, words in written.items()):
            continue  # a province, written right ('Hà Giang' is not 'Hậu Giang' misread)
        close = [name for name, words in written.items() if len(name) >= 6 and _misread_as(name, words)]
        if len(close) == 1:
            title = title[:kind.end()] + title[kind.end():].replace(written[close[0]], close[0], 1)
    return title


def _misread_as(name: str, written: str) -> bool:
    """written is name with one letter misread, added or dropped (its first letter read right)."""
    folded, name_folded = fold(written), fold(name)
    return folded[:1] == name_folded[:1] and within_one_edit(folded, name_folded)


def _agency_key(name: str) -> str:
    """Folded words only: 'BỘ VĂN HOÁ, THỂ THAO VÀ DU LỊCH' and 'Bộ Văn hóa, Thể thao và Du lịch' meet."""
    return " ".join(NOT_WORD.sub(" ", fold(name)).split())


@lru_cache(maxsize=None)
def _agencies_by_key() -> dict[str, str]:
    return {_agency_key(a.name): a.name for a in agencies().values()}


def _known_agency(caps: str) -> Optional[str]:
    return _agencies_by_key().get(_agency_key(caps))


@lru_cache(maxsize=None)
def _local_body_start() -> regex.Pattern:
    """The start of a local body's name, folded: a provincial agency of agencies.csv ('ủy ban nhân dân',
    'sở nội vụ', 'công an') or a local_body cue ('sở')."""
    names = {fold(a.name).removesuffix(" tinh") for a in agencies().values() if a.level == "province"}
    names |= {fold(c) for c in cues("local_body")} | {"ubnd", "hdnd"}
    return regex.compile(r"^(?:" + "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")
# a province's kind as a header writes it, folded: 'TỈNH', 'THÀNH PHỐ', 'TP.'
KIND_WRITTEN = {"tinh": "tỉnh", "thanh pho": "thành phố", "tp": "thành phố"}


JOINT_SEPARATOR = regex.compile(r"\s+[-–]\s+")  # between the bodies issuing together


def _caps_to_name(caps: str) -> str:
    """'SỞ THÔNG TIN VÀ TRUYỀN THÔNG' → 'Sở Thông tin và Truyền thông' using the knowledge bases."""
    folded = fold(" ".join(caps.split()))
    known = _known_agency(caps)
    if known:
        return known
    joint = [_known_agency(part) for part in JOINT_SEPARATOR.split(caps.strip())]
    if len(joint) > 1 and all(joint):
        return " - ".join(joint)  # 'BỘ TƯ PHÁP - BỘ CÔNG AN - …': a joint issue
    if not WRITTEN_KIND.search(folded):
        near = fuzzy_agency(caps)
        if near:  # OCR lost a letter: 'CỤC HUẾ' is Cục Thuế, not a body of Huế
            return near[0]
    province = _province_in(caps)
    if province:
        # the province name closes the line: 'TỈNH LẠNG SƠN', OCR's 'TINH QUANG NGAÀI'
        head_words = caps.split()[: max(len(caps.split()) - len(province.split()), 0)]
        head = " ".join(head_words)
        if not head or fold(head).rstrip(".") in KIND_WRITTEN:
            return (KIND_WRITTEN[fold(head).rstrip(".")] + " " if head else "") + province
        # 'UBND TP HÀ NỘI': the body, the kind as written, the province
        for n in (2, 1):
            kind = KIND_WRITTEN.get(fold(" ".join(head_words[-n:])).rstrip("."))
            if len(head_words) > n and kind:
                return f"{_caps_to_name(' '.join(head_words[:-n]))} {kind} {province}"
        if _is_body(head):  # 'CÔNG AN QUẢNG NGÃI', 'UBND ĐÀ NẴNG'
            return _caps_to_name(head) + " " + province
    # a level below the province: 'HUYỆN TIÊN DU', or 'UBND HUYỆN TIÊN DU' after its body
    words = caps.split()
    for i in range(len(words)):
        unit = _local_unit(" ".join(words[i:]))
        if unit and (i == 0 or _is_body(" ".join(words[:i]))):
            return f"{_caps_to_name(' '.join(words[:i]))} {unit}" if i else unit
    # a line that is only a kind ('TỈNH') or a listed abbreviation ('UBND')
    kind = next((k for k in PROVINCE_KINDS if fold(k) == folded), None)
    abbreviated = agencies().get(fix_d(caps.strip()).upper())
    if kind or abbreviated:
        return kind or abbreviated.name
    # in small letters but for the abbreviations agencies.csv lists ('VĂN PHÒNG HĐND VÀ UBND'), not a
    # word that is one too ('TƯ' in 'BỘ TƯ PHÁP')
    words = [w if fix_d(w) in agencies() and not is_syllable(w) else w.lower() for w in caps.split()]
    return _proper_names(_field_capitals(" ".join([words[0][:1].upper() + words[0][1:]] + words[1:]))) if words else caps


FIELD_OPENS = regex.compile(r"(^|\s(?:và|[-–])\s|,\s*)(\p{Ll})")  # a field's first syllable: after the kind, 'và', '-', ','


def _field_capitals(name: str) -> str:
    """A unit's name with each field it covers opening in a capital, as official names are written:
    'Phòng văn hóa và thông tin' → 'Phòng Văn hóa và Thông tin', 'Ban chỉ đạo …' → 'Ban Chỉ đạo …'."""
    kind = _unit_kind().match(name)
    if not kind:
        return name
    return kind.group() + FIELD_OPENS.sub(lambda m: m.group(1) + m.group(2).upper(), name[kind.end():])


@lru_cache(maxsize=None)
def _unit_kind() -> regex.Pattern:
    """The kind opening a unit's name and the space after it: 'Phòng ', 'Chi cục '."""
    return regex.compile(rf"(?:{phrases(cues('unit_kind'))}) ")


AGENCY_MATCH_MIN = 0.88  # 'cuc hue' against 'cuc thue' scores 0.93; two different Sở score below 0.85


def fuzzy_agency(written: str) -> Optional[tuple[str, float]]:
    """The agency of agencies.csv a header line names despite a lost or misread letter, and the score.

    >>> fuzzy_agency("CỤC HUẾ"), fuzzy_agency("SỞ TƯ PHÁP"), fuzzy_agency("CỤC QUẢN LÝ XYZ")
    (('Cục Thuế', 0.93), ('Sở Tư pháp', 1.0), None)
    """
    key = _agency_key(written)
    best, score = None, 0.0
    for known_key, name in _agencies_by_key().items():
        if abs(len(known_key) - len(key)) > 3:
            continue
        ratio = SequenceMatcher(None, key, known_key).ratio()
        if ratio > score:
            best, score = name, ratio
    return (best, round(score, 2)) if best and score >= AGENCY_MATCH_MIN else None


def _is_body(head: str) -> bool:
    """Whether the words before a province name a body that a province qualifies: 'UBND', 'SỞ Y TẾ', 'CÔNG AN'."""
    key = _agency_key(head)
    return bool(_known_agency(head) or agencies().get(fix_d(head.strip()).upper())
                or _local_body_start().search(key))


@lru_cache(maxsize=None)
def _proper_name_pattern() -> tuple[regex.Pattern, dict]:
    names = {fold(n): n for n in [a.name for a in agencies().values()] + list(provinces())
             + list(cues("proper_name"))}
    alternation = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))
    return regex.compile(rf"\b(?:{alternation})\b"), names


def _proper_names(name: str) -> str:
    """Known names keep their capitals: 'Đảng đoàn quốc hội' → 'Đảng đoàn Quốc hội'."""
    pattern, names = _proper_name_pattern()
    folded, out, pos = fold(name), [], 0
    for m in pattern.finditer(folded):
        if m.start() == 0:
            continue  # the first word is capitalised already, and may start a longer name
        out += [name[pos:m.start()], names[m.group(0)]]
        pos = m.end()
    return "".join(out) + name[pos:]


@lru_cache(maxsize=None)
def _titles_by_caps() -> dict[str, str]:
    return {" ".join(title.upper().split()): title for title in roles()}


ACTING = "QUYỀN"  # what 'Q.' before a role stands for


def _title_case_role(caps: str) -> str:
    """A role as roles.csv writes it: 'PHÓ CHỦ TỊCH' → 'Phó Chủ tịch', 'TỔNG BÍ THƯ' → 'Tổng Bí thư',
    'QUYỀN GIÁM ĐỐC' (signed 'Q. GIÁM ĐỐC') → 'Quyền Giám đốc'."""
    words = caps.split()
    if words[0] == ACTING:
        return "Quyền " + _title_case_role(" ".join(words[1:]))
    deputy = bool(DEPUTY_WORD.fullmatch(words[0]))
    title = _titles_by_caps().get(" ".join(words[deputy:]), " ".join(words[deputy:]).capitalize())
    return f"Phó {title}" if deputy else title


def _province_in(text: str) -> Optional[str]:
    """The province a text names, also when OCR damaged it ('TINH QUANG NGAÀI' → Quảng Ngãi)."""
    folded = fold(text)
    for province in provinces():
        if fold(province) in folded:
            return province
    return _fuzzy_province(folded)


def _stated_province(name: str) -> Optional[str]:
    """The province a body's name states: after 'tỉnh', 'thành phố', 'Tỉnh ủy', or after a local body
    ('Công an Quảng Ngãi'); never a province inside another word's misreading ('Cục Huế' is no body of Huế).

    >>> _stated_province("Sở Y tế tỉnh Lạng Sơn"), _stated_province("Cục Huế"), _stated_province("Thành ủy Hải Phòng")
    ('Lạng Sơn', None, 'Hải Phòng')
    """
    pattern, names = _province_mention()
    folded = fold(name)
    m = pattern.search(folded) or STATED_BY_PARTY.search(folded)
    if m:
        return names.get(m.group(1)) or _province_in(m.group(1))
    province = _province_in(name)
    if province and (folded == fold(province) or (folded.endswith(fold(province))
                                                  and _is_body(name[: len(name) - len(province)]))):
        return province
    return _fuzzy_province(folded)


FOLDED_WORD = regex.compile(r"[a-z]+")


def _fuzzy_province(folded: str) -> Optional[str]:
    """Best province whose folded name is within a few letters of the words after 'tỉnh'/'thành phố'."""
    words = FOLDED_WORD.findall(folded)
    best, best_ratio = None, 0.84
    for province in provinces():
        target = fold(province)
        n = len(target.split())
        for i in range(1, len(words) - n + 1):
            if words[i - 1] not in ("tinh", "pho", "tp"):
                continue
            ratio = SequenceMatcher(None, " ".join(words[i:i + n]), target).ratio()
            if ratio > best_ratio:
                best, best_ratio = province, ratio
    return best


@lru_cache(maxsize=None)
def _province_mention() -> tuple[regex.Pattern, dict]:
    """One pattern for 'tỉnh/thành phố <province>' over folded text, and folded name → province."""
    names = {fold(p): p for p in provinces()}
    alternation = "|".join(regex.escape(n) for n in sorted(names, key=len, reverse=True))
    return regex.compile(rf"(?:tinh|thanh pho|tp\.?)\s+({alternation})\b"), names


STATED_BY_PARTY = regex.compile(r"(?:tinh|thanh) uy\s+(\w+(?:\s+\w+){0,2})$")


def _dominant_province(text: str) -> Optional[str]:
    """The province the text names most, after 'tỉnh'/'thành phố': the document's own."""
    pattern, names = _province_mention()
    counts = Counter(names[m.group(1)] for m in pattern.finditer(fold(text)))
    return counts.most_common(1)[0][0] if counts else None


# the place and date, a number or a bare 'Số:': the issuer lines have ended
ISSUER_END = regex.compile(rf",\s*{DAY_WORD}|^[\d/]|{SO_ALONE_RE.pattern}")
RULE_MARKS = regex.compile(r"[-_*#]{2,}")  # the rule drawn under the issuer, markdown emphasis
FOLDED_LEVEL_START = regex.compile(r"^(?:tinh|thanh pho)\b")
WRITTEN_KIND = regex.compile(r"\b(?:tinh|thanh pho)\b")
NAME_CONTINUES = regex.compile(r"(?:\sVÀ|[,\-–&])\s*$")  # an issuer line that ends mid-name
NOT_WORD = regex.compile(r"[^\w]+")


@lru_cache(maxsize=None)
def _local_level() -> tuple[regex.Pattern, dict]:
    """A level below the province opening a folded line ('huyen tien du'), and each level as written."""
    written = {fold(w): w for w in cues("local_level")}
    return regex.compile(rf"^(?:{phrases(written)})(?=\s+\S)"), written


@lru_cache(maxsize=None)
def _named_unit() -> regex.Pattern:
    """A level below the province and its place closing a name: '… huyện Tiên Du'."""
    return regex.compile(rf"(?<!\p{{L}})(?:{phrases(cues('local_level'))})(?:\s+\p{{Lu}}\p{{Ll}}*)+$")


def _local_unit(caps: str) -> Optional[str]:
    """'HUYỆN TIÊN DU' → 'huyện Tiên Du', 'THỊ XÃ TỪ SƠN' → 'thị xã Từ Sơn': the level, then the
    place's name with each syllable capitalised; None when the line does not open with a level."""
    pattern, written = _local_level()
    m = pattern.match(fold(" ".join(caps.split())))
    if not m:
        return None
    place = " ".join(w.capitalize() for w in caps.split()[len(m.group(0).split()):])
    return f"{written[m.group(0)]} {place}"


def _issuer_from_header(lines: list[str]) -> Optional[str]:
    """Issuer lines sit left of (or above) the quốc hiệu: 'ỦY BAN NHÂN DÂN / TỈNH LẠNG SƠN'.

    In scans both columns share lines ('TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc Số: 23 /BC-UBND'):
    the motto is cut out and the line is read up to 'Số'.
    """
    parts = []
    for line in lines:
        line = without_motto(line)
        number = NUMBER_LINE_RE.search(line) or SO_COLON_RE.search(line)
        head = line[:number.start()] if number else line
        if ISSUER_END.search(head) or type_line(head):
            break
        head = RULE_MARKS.sub(" ", head).strip(" -–_*\"'“”")
        if head and any(c.isalpha() for c in head):
            if not (is_caps(head) or head.isupper()):  # issuer lines are in capitals ('Ủ' too); anything else ends them
                break
            parts.append(head)
        if number:
            break
    if not parts:
        return None
    names = [_caps_to_name(p) for p in _join_continued(parts)]
    # 'ỦY BAN NHÂN DÂN' / 'TỈNH LẠNG SƠN' is one name; 'ĐẢNG BỘ TỈNH …' / 'TỈNH ỦY' is a parent and its body
    level = len(names) >= 2 and (FOLDED_LEVEL_START.match(fold(names[1])) or _local_level()[0].match(fold(names[1])))
    if level and not _known_agency(names[1]):
        names = [names[0] + " " + names[1]] + names[2:]
    # 'UBND TỈNH TUYÊN QUANG / SỞ THÔNG TIN …' → the Sở of that province
    if len(names) >= 2:
        parent_province = _stated_province(names[0])
        child = names[-1]
        if child == OFFICE:  # 'UBND TỈNH BẮC NINH / VĂN PHÒNG': the office of the body above it
            return f"{OFFICE} {names[0]}"
        # 'UBND HUYỆN TIÊN DU / PHÒNG NỘI VỤ' → the Phòng of that district
        unit = None if parent_province else _named_unit().search(names[0])
        if unit and not _named_unit().search(child):
            return f"{child} {unit.group(0)}"
        if parent_province and not _stated_province(child):
            written = WRITTEN_KIND.search(fold(names[0]))  # 'UBND THÀNH PHỐ …' says its kind; else the data
            if written and child not in PARTY_COMMITTEES:
                return f"{child} {'thành phố' if written.group(0) == 'thanh pho' else 'tỉnh'} {parent_province}"
            return local_name(child, parent_province)
        return child
    return names[0]


OFFICE = "Văn phòng"


def _join_continued(parts: list[str]) -> list[str]:
    """Issuer lines that are one name broken in two: 'BỘ KHOA HỌC VÀ' / 'CÔNG NGHỆ',
    'NGÂN HÀNG NHÀ NƯỚC' / 'VIỆT NAM', 'CHÍNH PH' / 'Ủ'; a parent and its child stay apart."""
    joined = [parts[0]]
    for part in parts[1:]:
        previous = joined[-1]
        if len(part) <= 2:
            joined[-1] = previous + part
        elif NAME_CONTINUES.search(previous) or _known_agency(f"{previous} {part}"):
            joined[-1] = f"{previous} {part}"
        else:
            joined.append(part)
    return joined


def _issuer_from_symbol(symbol: Optional[str], province: Optional[str]) -> Optional[str]:
    if not symbol:
        return None
    for part in reversed(SYMBOL_SEPARATOR.split(symbol)):
        agency = agencies().get(fix_d(part).upper())
        if agency and part.upper() not in type_by_abbreviation():
            if agency.level == "national":
                return agency.name
            return local_name(agency.name, province) if province else None
    return None


SIGN_PREFIX = regex.compile(rf"(?P<prefix>{SIGNING_MARK})\s*$")
# a Central Highlands name may open with 'Y' (a man's) or 'H'' (a woman's, her own name first):
# 'Y Thanh Hà Niê Kđăm', 'H'Yim Kđoh'
WOMANS_NAME = r"H'\p{Lu}[\p{Ll}đ]+"
WOMANS_OPENER = regex.compile(WOMANS_NAME)
HIGHLANDS_OPENER = rf"(?:Y(?=\s)|{WOMANS_NAME})"
# The name closing a line of the signature block, a quote or a stray stop after it ('Nguyễn Văn An.':
# a speck of the seal)
TRAILING_NAME = regex.compile(r"(?:^|[\s\"“'(])(?P<name>(?:[\p{Lu}Đ][\p{Ll}đ]+|" + HIGHLANDS_OPENER +
                              r")(?:\s+[\p{Lu}Đ][\p{Ll}đ]+){1,4}"
                              r"|[\p{Lu}Đ]+(?:\s+[\p{Lu}Đ]+){1,3})\s*[\"”']?\s*[.,;:]?\s*$")
ON_BEHALF = regex.compile(rf"{ON_BEHALF_MARK}\s*(.+)$")  # 'TM. ỦY BAN NHÂN DÂN': signed for a body
ON_BEHALF_PREFIX = regex.compile(rf"^{ON_BEHALF_MARK}\s*")
FILED_COPY = regex.compile(r"^-\s*Lưu")  # '- Lưu: VT', the last recipient line
SIGNED_MARK = regex.compile(r"\s*\(?(?:đã ký|Đã ký|ký)\)?\s*")


def _signature(passages: list[Passage], ocr: bool = False) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(signer, signer_title, the 'TM. …' line) from the end of the document.

    With `ocr`, a misread family name is forgiven in a name written in title case
    ('Trân Ngọc Căng'); capitals lines are headings and roles too often for that.

    'KT. CHỦ TỊCH' alone means a deputy signed for the chairman: Phó Chủ tịch.
    In scans the two columns share lines ('Nơi nhận: KT. CHỦ TỊCH'), so every line
    of the recipients and signature blocks is read.
    """
    tail = [p.text for p in passages if p.kind in ("recipients", "signature")]
    if not tail:
        tail = [p.text for p in passages[-12:] if p.kind != "footnote"]
    found = read_signature_block(tail, ocr)
    if found[0] is None:  # annexes after the signature: the last lines are theirs (a form's blank 'CHỦ TỊCH')
        marked = _marked_signature(passages)
        return marked if marked[0] else found
    return found


# a transcription's stand-in for the signature: 'PHÓ THỦ TƯỚNG' / '(Đã ký) Trần Văn Bình'
SIGNED_HERE = regex.compile(r"\((?:đã ký|Đã ký|ĐÃ KÝ)\)")
# an annex run into the signer's line: '(Đã ký) Trần Văn Bình Phụ lục (Kèm theo Nghị định số …)'
ANNEX = r"(?:(?i:phụ lục|mẫu số|biểu số)\b|\((?:Ban hành )?[Kk]èm theo)"
ANNEX_START = regex.compile(rf"\s+{ANNEX}")
ANNEX_LINE = regex.compile(rf"^\s*{ANNEX}")  # an annex's first line
SIGNATURE_LINES_ABOVE = 4  # 'TM. CHÍNH PHỦ', 'KT. THỦ TƯỚNG', 'PHÓ THỦ TƯỚNG' above the mark


def _marked_signature(passages: list[Passage]) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """The signature block a transcription marks '(Đã ký) Name', the first that names someone,
    read with the lines above it (read_signature_block cuts its line where an annex begins)."""
    lines = [line for p in passages if p.kind != "footnote" for line in p.text.splitlines()]
    for i, line in enumerate(lines):
        if not SIGNED_HERE.search(line):
            continue
        found = read_signature_block(lines[max(0, i - SIGNATURE_LINES_ABOVE):i + 1])
        if found[0]:
            return found
    return None, None, None


def read_signature_block(tail: list[str], ocr: bool = False) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(signer, signer_title, the 'TM. …' line) from the lines of a signature block.

    >>> read_signature_block(["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Hoàng Tuấn"])
    ('Trần Hoàng Tuấn', 'Phó Chủ tịch', None)
    """
    # an annex after the signature is not read: its forms' roles and names are not the signer's;
    # one run into a line ('(Đã ký) Lê Văn Minh Phụ lục (Kèm theo …)') is cut off it
    tail = [ANNEX_START.split(line, maxsplit=1)[0]
            for line in itertools.takewhile(lambda line: not ANNEX_LINE.match(line), tail)]
    signer, named_at = None, len(tail)
    for named_at in range(len(tail) - 1, -1, -1):
        line = tail[named_at]
        if line.startswith(("-", "+", "•")) and not FILED_COPY.match(line):
            # a recipient, not a signer; but in a scan the signature column shares its lines,
            # and a name after the recipient's closing ';' is the signer's ('- Như trên; Lê Văn An'),
            # in title case: in capitals it is the role's line misread ('CHU TỊCH')
            _, semicolon, line = line.rpartition(";")
            if not semicolon or line.isupper():
                continue
        clean = SIGNED_MARK.sub(" ", line).strip()
        m = TRAILING_NAME.search(clean)
        if not m:
            continue
        signer = _name_from(m.group("name"), ocr)
        if signer and _names_place_or_body(signer):
            signer = None  # 'Hà Tĩnh', 'Đoàn Thanh niên': a family name opens it, yet nobody is named
        if signer:
            break
    # the role is read above the name: a line after it is another's (an annex's 'THỦ TƯỚNG CHÍNH PHỦ')
    role = acting_for = on_behalf = None
    for line in tail[:named_at + 1] if signer else tail:
        behalf = ON_BEHALF.search(line)
        if behalf and not ROLE_LINE.match(" " + behalf.group(1)):
            on_behalf = behalf.group(0)
        for m in [*ROLE_LINE.finditer(line)] or [*ROLE_ALONE.finditer(line)]:
            prefix = SIGN_PREFIX.search(line[:m.start("role")])
            caps = m.group("role").upper()
            if prefix is None:
                role = caps
            elif prefix.group("prefix") in DEPUTY_MARKS:
                acting_for = caps
            elif prefix.group("prefix") in ACTING_MARKS:
                role = f"{ACTING} {caps}"
    if role is None and acting_for and not DEPUTY_WORD.match(acting_for):
        role = "PHÓ " + acting_for
    return signer, (_title_case_role(role) if role else None), on_behalf


def _name_from(words_at_end: str, ocr: bool) -> Optional[str]:
    """The longest run of the capitalised words closing a line that is a person's name:
    'Đốc Phạm Thanh Hà' (a role run into the name) → 'Phạm Thanh Hà'."""
    words = words_at_end.split()
    # a line in capitals is taken whole or not at all: 'HỘI ĐỒNG NHÂN DÂN' holds a family name
    starts = range(len(words) - 1) if not words_at_end.isupper() else [0]
    for start in starts:
        name = " ".join(words[start:])
        family = known_surname(words[start], forgive_ocr=ocr and not name.isupper())
        if not family and WOMANS_OPENER.fullmatch(words[start]):
            return name  # 'H'Yim Kđoh', as written
        if family and not ROLE_WORDS.search(name.upper()):
            rest = words[start + 1:] if not name.isupper() else [w.capitalize() for w in words[start + 1:]]
            return " ".join([family.capitalize(), *rest])
    return None


@lru_cache(maxsize=None)
def _place_and_body_names() -> frozenset[str]:
    """Provinces, agencies and proper names of bodies, folded: what a signature line may print but no person is."""
    names = [*provinces(), *cues("proper_name"), *(a.name for a in agencies().values())]
    return frozenset(fold(n) for n in names)


def _names_place_or_body(name: str) -> bool:
    folded = fold(name)
    return any(folded == n or folded.startswith(n + " ") for n in _place_and_body_names())


@lru_cache(maxsize=None)
def _surnames_by_fold() -> dict[str, frozenset[str]]:
    by_fold: dict[str, set[str]] = {}
    for name in surnames():
        by_fold.setdefault(fold(name), set()).add(name)
    return {key: frozenset(names) for key, names in by_fold.items()}


def known_surname(word: str, forgive_ocr: bool = False) -> Optional[str]:
    """The family name `word` spells, lower-cased; None if it is not one.

    With `forgive_ocr`, a diacritic lost or changed ('Trân' → trần) or, in names of five
    letters or more, one letter misread ('Xguyến' → nguyễn) is forgiven when only one
    family name fits.

    >>> known_surname("Trần"), known_surname("Trân"), known_surname("Trân", forgive_ocr=True)
    ('trần', None, 'trần')
    >>> known_surname("Xguyến", forgive_ocr=True), known_surname("Luong", forgive_ocr=True)
    ('nguyễn', None)
    """
    lower = word.lower()
    if lower in surnames():
        return lower
    if not forgive_ocr:
        return None
    folded = fold(word)
    candidates = _surnames_by_fold().get(folded, frozenset())
    if not candidates and len(folded) >= 5:
        candidates = frozenset().union(*(names for key, names in _surnames_by_fold().items()
                                          if len(key) == len(folded) and within_one_edit(key, folded)))
    return next(iter(candidates)) if len(candidates) == 1 else None


# "Tổng Bí thư Tô Lâm đã ký ban hành …": who signed, in a news-style lead
LEAD_SIGNER = regex.compile(rf"(?P<role>(?:Phó\s+)?(?:{phrases(roles())}))"
                            r"(?:\s+Chính phủ)?\s+(?P<name>(?:[\p{Lu}Đ][\p{Ll}đ]+\s+){1,3}[\p{Lu}Đ][\p{Ll}đ]+)\s+(?:đã\s+)?ký")
LEAD_ABOUT = regex.compile(r"^về\s+")


@lru_cache(maxsize=None)
def _title_line() -> regex.Pattern:
    """The title line of a transcription with no header: 'Nghị quyết số 57-NQ/TW'."""
    names = "|".join(regex.escape(t.name) for t in doc_types())
    return regex.compile(rf"^(?P<type>{names})\s+số\s+(?P<id>\S+)\s*$", regex.I)


def _from_lead(ident: Identity, passages: list[Passage]) -> bool:
    """Fill identity from a news-style lead, for a transcription that lost the header:
    a title line '# Nghị quyết số 57-NQ/TW' and a first sentence citing the same number
    with its date, issuer and subject. True when the title line was found.
    """
    opening = [p for p in passages[:6] if p.kind != "footnote"]
    for passage in opening[:2]:
        m = _title_line().match(passage.text)
        if not m:
            continue
        lead = "\n".join(p.text for p in opening)
        cited = [r for r in find_references(lead) if r.id.replace(" ", "") == fix_d(m.group("id"))]
        if not cited:
            return False
        ref = cited[0]
        ident.type, ident.id, ident.number, ident.symbol = ref.type, ref.id, ref.number, ref.symbol
        ident.date, ident.issuer = ref.date, ref.issuer
        if ref.jurisdiction == "national":
            ident.province = None
        ident.title = LEAD_ABOUT.sub("", ref.title or "") or None
        signed = LEAD_SIGNER.search(lead)
        if signed and signed.group("name").split()[0].lower() in surnames():
            ident.signer, ident.signer_title = signed.group("name"), signed.group("role")
        for key in ("id", "date", "issuer", "title"):
            ident.notes[key] = "from the lead: the text has a title line and an introduction, no header"
        return True
    return False


def _is_national(issuer: str) -> bool:
    """A central body, or bodies that are all central ('Bộ Tư pháp - Bộ Công an - …', a joint issue)."""
    national = {fold(a.name) for a in agencies().values() if a.level == "national"}
    return all(fold(part) in national for part in JOINT_SEPARATOR.split(issuer))


FILE_NAME_NUMBER = regex.compile(r"(?<![\d])(\d{1,5})\s*[-_ ]?\s*([A-Za-zĐđ]{2,})")  # '01CT', '07-CT', '299 UB'


def number_from_file_name(file_name: str, symbol: Optional[str]) -> Optional[str]:
    """The number an officer put in a scan's file name, when the header's is unreadable.

    Used only when the file name pairs the number with the start of the ký hiệu read in
    the header: '2352 ( 07-CT-UBND).signed.pdf' with CT-UBND → '07'; '01CT_2025.pdf' with
    CT-UBND → '01'; '299 UB.signed.pdf' with UBND-TTHC → '299'.
    """
    if not symbol:
        return None
    first = fold(SYMBOL_SEPARATOR.split(symbol)[0])
    for m in FILE_NAME_NUMBER.finditer(file_name):
        letters = fold(m.group(2))
        if len(letters) >= 2 and (first.startswith(letters) or letters.startswith(first)):
            return m.group(1)
    return None


WHITESPACE = regex.compile(r"\s+")
HEADER_YEAR = regex.compile(r"năm\s+((?:19|20)\d\d)")


def _header_year(head_text: str) -> Optional[int]:
    """The year of the header's date ('…, ngày 03 tháng 10 năm 2022'): a law's term is checked against it."""
    m = HEADER_YEAR.search(head_text)
    return int(m.group(1)) if m else None

# a header date the pen was to finish, by how much of it was read ('2022-05', '2022')
BLANK_DATE_NOTES = {7: "the header leaves the day blank",
                    4: "the header leaves the day and month blank or unreadable: its year alone"}
NON_DIGIT = regex.compile(r"\D")
DATE_LINE = regex.compile(rf"^\s*{DAY_WORD}\s")  # a worded date alone on its line
THROUGH_SLASH = regex.compile(r"^.*?/\s*\S+\s+")  # up to the first slash and the word after it
# '… thông qua ngày 10 tháng 12 năm 2025', '… thông qua tại Phiên họp thứ 49 ngày 26 tháng 9 năm 2025'
PASSED_ON = regex.compile(r"thông\s+qua(?:\s+tại\s+[^.;]{1,60}?)?\s+ngày")
# the sentence that enacts it: 'Nghị quyết này được Ủy ban Thường vụ Quốc hội … thông qua …'
ENACTED = regex.compile(r"^(?:Luật|Bộ luật|Pháp lệnh|Nghị quyết)\s+này\s+(?:đã\s+)?được\s")
# 'Trên đây là Kế hoạch … này' / '… ./.': the closing sentence names the document's type
CLOSING_TYPE = regex.compile(r"(?:Trên đây là|^)\s*(?P<type>\p{Lu}\p{Ll}*\s+\p{Ll}+)\s+(?:này|.*?\./\.)")
CLOSING_TITLE = regex.compile(
    r"Trên đây là\s+(?P<type>\p{Lu}\p{Ll}*\s+\p{Ll}+)\s+(?P<title>[^;.]{10,300}?)\s*(?:[;.]|, đề nghị)")


def extract_identity(text: str, passages: list[Passage], ocr: bool = False) -> Identity:
    """Identity of a document from its cleaned text and segmented passages (`ocr`: read by OCR).

    >>> from vanban.extractors.structure import segment
    >>> t = "Số: 187 /KH-UBND\\nTuyên Quang, ngày 03 tháng 10 năm 2022\\nKẾ HOẠCH\\nNâng cao chỉ số chuyển đổi số"
    >>> extract_identity(t, segment(t)).id
    '187/KH-UBND'
    """
    ident = Identity()
    header = [p for p in passages if p.kind == "header"]
    header_lines = [p.text for p in header]
    head_text = "\n".join(header_lines)
    head_offset = header[0].span.start if header else 0

    # số / ký hiệu
    m = NUMBER_LINE_RE.search(head_text)
    pieced = None if m else NUMBER_LINE_RE.search(DIGIT_FRAGMENT_GAP.sub("", head_text))
    if pieced and pieced.group("number"):
        m = pieced  # 'Số:' / '18 /202 5' / '/TT-BVHTTDL': a number some web pages print in pieces
    if m:
        year = NON_DIGIT.sub("", m.group("year") or "")
        raw_symbol = plain_dashes(fix_d(WHITESPACE.sub("", m.group("symbol")))).rstrip(".").replace("TƯ", "TW")
        checked = check_symbol(raw_symbol, int(year) if year else _header_year(head_text))
        symbol = ident.symbol = checked.symbol
        if checked.status != "valid":
            ident.notes["symbol"] = f"{checked.status}: {checked.note}"
        if m is not pieced:  # a pieced match's offsets are into the joined text, not the document's
            ident.spans["id"] = Span(head_offset + m.start(), head_offset + m.end())
        number = WHITESPACE.sub("", m.group("number") or "") or None
        if number != m.group("number") and number:
            ident.notes["number"] = f"read whole across a space ({m.group('number')!r})"
        if m.group("junk"):
            ident.notes["id"] = f"the number in the header is unreadable ({m.group(0)!r})"
        elif number:
            ident.number = number
            sep = "-" if plain_dashes(m.group("sep")) == "-" else "/"
            ident.id = f"{number}/{year}/{symbol}" if year else f"{number}{sep}{symbol}"
            if m is pieced:
                ident.notes["id"] = "number joined from pieces on several lines"
        else:
            ident.notes["id"] = "the header leaves the number blank (Số: /" + symbol + ")"
    else:
        ident.notes["id"] = "no 'Số:' line in the header" if header else "header not found in the text"

    # địa danh, ngày
    # the issue date is the one after the place ("Lạng Sơn, ngày …") or a worded one
    # alone on its line; dates inside the trích yếu belong to other documents
    dates = []
    for line in header_lines:
        pm = PLACE_DATE.search(line)
        if not pm and not DATE_LINE.match(line):
            continue
        line_at = head_text.find(line)
        dates = [d for d in find_dates(head_text, line_at, line_at + len(line))][:1] or \
            [d for d in [find_year_only_date(head_text, line_at, line_at + len(line))] if d]
        if pm:
            place = pm.group("place").strip()
            place = THROUGH_SLASH.sub("", place) if "/" in place else place
            ident.place = _province_in(place) or place
        break
    if dates:
        ident.date = dates[0].iso
        ident.spans["date"] = Span(head_offset + dates[0].start, head_offset + dates[0].end)
        if len(ident.date) < 10:
            ident.notes["date"] = BLANK_DATE_NOTES[len(ident.date)]
    else:
        ident.notes["date"] = "no date in the header" if header else "header not found in the text"
        # a law or a Quốc hội resolution is dated where it is passed: "… thông qua ngày 10 tháng 12 năm 2025",
        # at its end, or before the regulation or programme it issues (then its enacting sentence)
        closing = [p for p in passages if p.kind != "footnote"]
        for p in [*reversed(closing[-15:]), *(p for p in closing[:-15] if ENACTED.match(p.text))]:
            passed = PASSED_ON.search(p.text)
            found = list(find_dates(text, p.span.start + passed.start(), p.span.end)) if passed else []
            if found:
                ident.date = found[0].iso
                ident.spans["date"] = Span(found[0].start, found[0].end)
                ident.notes["date"] = "the date it was passed (thông qua ngày …), stated at the end"
                break

    # loại văn bản
    for line in header_lines:
        ident.type = type_line(line) or ident.type
        if ident.type:
            break
    if not ident.type and ident.symbol:
        first = SYMBOL_SEPARATOR.split(ident.symbol)[0].upper()
        ident.type = type_by_abbreviation().get(first)
        # a công văn's ký hiệu starts with its agency, not a type: 299/UBND-TTHC, 3570/BTTTT-THH
        if not ident.type and (ABOUT_LINE.search(head_text) or fix_d(first) in agencies()):
            ident.type = "Công văn"
    if not ident.type:
        closing = [CLOSING_TYPE.search(p.text)
                   for p in passages[-40:] if p.kind in ("paragraph", "heading", "item")]
        names = {t.name for t in doc_types()}
        for cm in closing:
            if cm and cm.group("type") in names:
                ident.type = cm.group("type")
                ident.notes["type"] = "inferred from the closing sentence (no type line in the text)"

    # trích yếu: header lines after the type line
    issuer = _issuer_from_header(header_lines) if header else None
    if header:
        after = False
        title_parts = []
        for line in header_lines:
            if after:
                if title_parts and _closes_title(line, title_parts[-1], issuer):
                    break
                if not title_parts and OF_BODY_LINE.match(line) and is_caps(line):
                    continue  # 'NGHỊ QUYẾT' / 'CỦA BỘ CHÍNH TRỊ' / 'về …': the issuer, under the type
                title_parts.append(line)
            elif type_line(line):
                after = True
        if not after:
            title_parts = [line for line in header_lines if ABOUT_LINE.match(line)]
        ident.title = _clean_title(_without_enacting_body(" ".join(title_parts), issuer), ocr)

    if header and not ident.title:
        # a 'V/v' line the header did not take: a scan's two columns run together after it
        for p in passages[len(header):len(header) + 3]:
            if ABOUT_LINE.match(p.text):
                ident.title = _clean_title(OTHER_COLUMN.split(p.text, maxsplit=1)[0], ocr)
                ident.notes["title"] = "the V/v line after the header, up to where another column's text begins"
                break

    if not ident.title:
        for p in passages[-40:]:
            tm = CLOSING_TITLE.search(p.text)
            if tm:
                ident.title = tm.group("title")
                ident.notes["title"] = "from the closing sentence (Trên đây là …)"
                break

    # cơ quan ban hành, tỉnh
    if issuer:
        for line in header_lines[:4]:
            near = None if _known_agency(line) or WRITTEN_KIND.search(fold(line)) else fuzzy_agency(line)
            if near and near[1] < 1 and near[0] in issuer:
                ident.notes["issuer"] = f"header line {line.strip()!r} matched {near[0]!r} of agencies.csv (score {near[1]})"
    province = _stated_province(issuer) if issuer else None
    province = province or (ident.place if ident.place in provinces() else None) or _dominant_province(text)
    named = _issuer_from_symbol(ident.symbol, province)
    if issuer and named and named.endswith(" " + issuer):
        # the body's head issues under the body's name: 'CHÍNH PHỦ' over 'Số: 30/2025/QĐ-TTg'
        ident.notes["issuer"] = f"the ký hiệu's {named!r}, under its body's header {issuer!r}"
        issuer = named
    issuer = issuer or named
    if not issuer:
        for p in passages[:30]:
            om = OPENING_ISSUER.match(p.text)
            if om:
                issuer = om.group("agency").strip()
                if province and not _province_in(issuer):
                    issuer = local_name(issuer, province)
                ident.notes["issuer"] = "stated in the opening paragraph (no header in the text)"
                break
    signer, role, on_behalf = _signature(passages, ocr)
    if not issuer and on_behalf:
        name = _caps_to_name(ON_BEHALF_PREFIX.sub("", on_behalf))
        issuer = local_name(name, province) if province and not _province_in(name) else name
        ident.notes["issuer"] = "from the signature block (TM. …)"
    if issuer and issuer.startswith("UBND"):
        issuer = "Ủy ban nhân dân" + issuer[4:]
    ident.issuer = issuer
    ident.province = province or _stated_province(issuer or "")
    if issuer and not _stated_province(issuer) and _is_national(issuer):
        # a central body (Chính phủ, a Bộ, Quốc hội) has no province; Hà Nội is only its place
        ident.province = None
        ident.notes["province"] = "a central body: no province"
    ident.signer, ident.signer_title = signer, role
    if not signer:
        ident.notes["signer"] = "no signer name in the signature block"
    if not header and ident.id is None:
        _from_lead(ident, passages)
    return ident
