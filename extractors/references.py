"""Find the documents a text cites: numbers with ký hiệu, laws by name, standards.

`find_references(text, province="Tuyên Quang")` turns
"Căn cứ Quyết định số 742/QĐ-UBND ngày 24/6/2022 của Ủy ban nhân dân tỉnh ban hành Bộ chỉ số …"
into one `Reference(id="742/QĐ-UBND", year=2022, date="2022-06-24",
jurisdiction="Tuyên Quang", relation="legal_basis", …)` with every mention's offsets.

Identity is (id, year, jurisdiction): numbers restart every year. A mention with no
year of its own (no year in the number, no date) joins a dated citation of the same id
in the same text: the only one, or else the nearest.

One relation per reference, the strongest of its mentions, in this order:
amends, replaces, repeals (what this document does to it) > legal_basis (Căn cứ …, or
listed under a CĂN CỨ heading) > implements (the first citation of a paragraph opening
with Thực hiện/Triển khai, not a list item) > guides (hướng dẫn thi hành …) > mentions.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

import regex

from vanban.extractors.dates import find_dates, to_iso
from vanban.extractors.symbols import check_symbol
from vanban.extractors.grammar import (BULLETS, CLAUSE_END_RE, DEPTH, FULL_STOP, FULL_STOP_RE, LABEL_RE, LIST_ITEM, NUMBER_LABEL_LEAD, clause_start,
                                       label_level, lead_in_line, lines_before, phrases, plain_dashes, words_re)
from vanban.extractors.patterns import (ACTION_START, ACTION_TRIGGERS, CAN_CU_ALONE_RE, CAN_CU_HEADING_RE,
                                        CAN_CU_START_RE, DATE_LEAD_RE, DOC_NUMBER_RE, GLUED_DATE_RE,
                                        IMPLEMENTS_START_RE, ISSUER_GAP_RE, LAW_WORD_RE, LAW_YEAR_RE, NGAY_RE,
                                        PROVISION, STANDARD_RE, issuer_re, law_name_re, national_body, prefix_re, title_end_re,
                                        type_words)
from vanban.models.knowledge import Agency, Law, agencies, cues, laws, local_name, provinces, type_by_abbreviation
from vanban.models.records import Mention, Reference, Span
from vanban.models.vietnamese import fix_d, nfc

NATIONAL = "national"
RELATION_RANK = {"amends": 6, "replaces": 6, "repeals": 6, "legal_basis": 4, "implements": 3,
                 "guides": 2, "mentions": 0}
PREFIX_WINDOW = 60  # characters before a number searched for 'Quyết định số '
LAW_WINDOW = 160  # characters before a number searched for 'Luật … số '
TITLE_MAX = 300
NON_SPACE = regex.compile(r"\s+")
# 'Mẫu số 03, 04, 05 và 06/BHYT-QĐ' names forms in an appendix, not documents
FORM_RE = regex.compile(rf"(?i:{phrases(cues('form'))})\s*(?:số)?\s*[:.]?\s*(?:\d+[a-z]?\s*(?:,|và|hoặc)\s*)*$")
# the header's own 'Số:', OCR's junk between it and the number too ('Sô:⁄11 /CT-UBND')
OWN_NUMBER_RE = regex.compile(rf"(?:^|\n)[\s*#]*{NUMBER_LABEL_LEAD}\s*[^\w\s]{{0,3}}\s*$")
ALL_CAPS_RE = regex.compile(r"(?=(?:[^\p{L}]*\p{L}){3})[^\p{Ll}]+")  # a heading in capitals
DOUBLED_DASH_RE = regex.compile(r"-{2,}")
PIECE_SPLIT_RE = regex.compile(r"([-/])")
QH_RE = regex.compile(r"(?:UBTV)?QH\d*$")  # Quốc hội, with its term: QH13
# a body of Quốc hội signs with the term too: 'ĐĐQH15' (its Đảng đoàn), 'UBPLTP15' (a committee)
QUOC_HOI_TERM = regex.compile(r"(?<=\p{Lu})1[3-6]$")
RECIPIENTS_RE = regex.compile(r"(?:Nơi nhận|NƠI NHẬN)")
PARTY_CASE = {"chấp hành": "Chấp hành", "thường vụ": "Thường vụ", "uỷ": "ủy"}
PARTY_CASE_RE = regex.compile(r"(?i:chấp hành|thường vụ|uỷ)")
TABLE_ROW_RE = regex.compile(r"\s*\|")
# nothing but a label before the trigger, the document speaking of itself ('… này'), or its enacting
# formula naming what it does ('Chính phủ ban hành Nghị định sửa đổi, bổ sung một số điều của …')
ACTING_PREFIX_RE = regex.compile(r"\s*(?:(?:Điều\s+)?[\dIVX]+[.)]?\s*|[a-zđ]\)\s*|[-+•]\s*)?(?:\S.*\bnày\b.*)?$"
                                 rf"|\s*(?:(?:Điều\s+)?[\dIVX]+[.)]?\s*|[a-zđ]\)\s*|[-+•]\s*)?(?=\S){ACTION_START}"
                                 rf"|[^;\n]*\bban\s+hành\s+(?:{phrases(type_words())})\s+(?={ACTION_START})",
                                 regex.DOTALL)
SPACES_RE = regex.compile(r"\s*")
TITLE_FIRST_RE = regex.compile(r"[^\W\d_]|[“\"]")
LIST_WORD_RE = regex.compile(r"(?:và|hoặc|cùng)\s")  # '… 468/QĐ-TTg và Nghị định số …': a list, no title
LIST_GAP_RE = regex.compile(r"\s*(?:,|;|và|,\s*và)?\s*(?:các\s+)?(?:số|Số)?\s*[:.]?\s*")
LAW_NAME_TAIL_RE = regex.compile(r"[\s,]*(?:số|Số)?\s*[:.]?\s*$")  # ', số:' between a law's name and its number
HYPHEN_RE = regex.compile(r"-")
PEOPLES_COMMITTEE_RE = regex.compile(r"(?i:ủy|uỷ|UBND)")  # Ủy ban nhân dân, not Hội đồng nhân dân
LOCAL_ISSUER_RE = words_re(cues("local_body"))
CENTRAL_ISSUER_RE = regex.compile(rf"(?:{phrases(cues('central_body'))})\b")
LAW_NUMBER_AFTER_RE = regex.compile(r"\s*,?\s*(?:số\s*)?\d+\s?/\s?\d{4}\s?/\s?QH")  # cited by its number too
# 'Luật sửa đổi, bổ sung một số điều [và Phụ lục …] của Luật X': the amending law is cited, not X
AMENDING_LAW_RE = regex.compile(r"(?:(?i:sửa\s+đổi,?\s*bổ\s+sung|một\s+số\s+điều)"
                                r"|(?i:luật\s+sửa\s+đổi)[^;.\n]{0,120}?\s(?i:của))(?:\s+(?i:của))?\s*$")
# an item naming provisions of the document it cites: 'b) Điều 60 Nghị định số …', '- Khoản 2 Điều 5 của Thông tư số …'
ITEM_PROVISION_RE = regex.compile(rf"{LIST_ITEM.pattern}\s*(?i:{PROVISION}(?:(?:\s*,\s*|\s+và\s+){PROVISION})*)"
                                  r"(?:\s+(?i:của))?")
BILL_AFTER_RE = regex.compile(r"\s*\((?i:sửa\s+đổi|sửa\s+đổi,?\s*bổ\s+sung|thay\s+thế)\)")
BILL_BEFORE_RE = regex.compile(r"(?i:dự\s+án|dự\s+thảo)\s+$")
AMENDING_LOOKBACK = 160  # characters before a law's name looked at for the law that amends it
# the amending is a law's, named before it in its sentence ('Luật số 56/2024/QH15 sửa đổi, bổ sung …'), not a
# plan's ('kiến nghị sửa đổi, bổ sung Luật Ngân sách nhà nước, Luật Giá': those laws are mentioned)
LAW_IN_SENTENCE_RE = regex.compile(r"(?<![\p{L}])(?i:luật)(?![\p{L}])[^;.\n]*$")
# 'của Luật Chứng khoán, Luật Kế toán, [Luật …,] và Luật Ngân sách nhà nước': the amended laws go on
AMENDED_LIST_GAP_RE = regex.compile(r"(?:(?:\s*,\s*(?:và\s+)?|\s+và\s+)(?:Bộ\s+)?[Ll]uật\s[^,;.\n]{1,80}?)*"
                                    r"(?:\s*,\s*(?:và\s+)?|\s+và\s+)")
NEWLINE_RE = regex.compile(r"\n")
SAME_DAY_RE = regex.compile(r"\s*,?\s*(?:ban hành\s+)?cùng ngày(?!\s*\d)")  # the date of the citation before


@dataclass
class _Cite:
    """One mention as found, before mentions of the same document are merged."""

    id: str
    start: int
    end: int
    type: Optional[str] = None
    type_written: bool = False  # the type word stands in the text (not guessed from the symbol)
    number: Optional[str] = None
    symbol: Optional[str] = None
    year: Optional[int] = None  # from the number (45/2020/NĐ-CP) or the law book
    date: Optional[str] = None
    issuer: Optional[str] = None
    issuer_written: bool = False  # named after the number, not guessed from the ký hiệu
    jurisdiction: Optional[str] = None
    title: Optional[str] = None
    relation: str = "mentions"
    number_start: int = 0  # where the number itself starts, for list continuations
    pending_law: bool = False  # a law named without date or year: its version is chosen last
    doubtful: Optional[str] = None  # a damaged ký hiệu no listed form fits (symbols.check_symbol)


@dataclass
class _Context:
    """What the whole text tells about each position: paragraphs and CĂN CỨ sections."""

    text: str
    province: Optional[str]
    para_starts: list = field(default_factory=list)
    can_cu: list = field(default_factory=list)  # (start, end) of sections under a CĂN CỨ heading
    letter: bool = False  # a công văn ('Kính gửi: …'): provisions it quotes are mentions, not its basis


def find_references(text: str, province: str | None = None, own_id: str | None = None,
                    issuer: str | None = None, written: str | None = None) -> list[Reference]:
    """Every document the text cites, one Reference per (id, year, jurisdiction).

    `written`: the citing document's own date ('2018-04-03', or '2018-04'), which decides the
    version of a law named without a year ('Luật Đầu tư' in 2018 is 67/2014/QH13).

    >>> [r.id for r in find_references("Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ;")]
    ['45/2020/NĐ-CP']
    """
    if province is None and issuer:
        province = next((p for p in provinces() if p in issuer), None)
    ctx = _context(text, province)
    own = _canonical(own_id) if own_id else None
    cites = _number_cites(ctx, own)
    cites += _law_name_cites(ctx, cites)
    cites += _standard_cites(text)
    cites.sort(key=lambda c: c.start)
    _share_list_dates(text, cites)
    _fix_cutoff_years(cites, written)
    _settle_doubtful(cites)
    if own and not QH_RE.search(own.rsplit("/", 1)[-1]):
        _only_a_law_acts_on_a_law(cites)
    return _merge(text, cites)


def _only_a_law_acts_on_a_law(cites: list[_Cite]) -> None:
    """A text that is not the Quốc hội's own cannot amend, replace or repeal a law: its 'Sửa đổi Luật Khoa
    học và Công nghệ …' is a task it sets (a programme's item), and the law is mentioned."""
    for c in cites:
        if c.relation in ACTIONS and (c.type in ("Luật", "Bộ luật") or QH_RE.search(c.symbol or "")):
            c.relation = "mentions"


# -- citations by number ---------------------------------------------------------

def _number_cites(ctx: _Context, own: Optional[str]) -> list[_Cite]:
    text = ctx.text
    out: list[_Cite] = []
    for m in DOC_NUMBER_RE.finditer(text):
        number, nyear = m.group("number"), m.group("year")
        checked = check_symbol(_clean_symbol(m.group("symbol")), int(nyear) if nyear else None)
        symbol = checked.symbol
        party = "/" in symbol
        if party and symbol.split("/")[0].upper() not in type_by_abbreviation():
            continue  # '12-AB/CD' is no party document unless AB is a type (NQ, CT, KH …)
        cid = f"{number}/{nyear}/{symbol}" if nyear else (f"{number}-{symbol}" if party else f"{number}/{symbol}")
        before = text[max(0, m.start() - PREFIX_WINDOW):m.start()]
        if OWN_NUMBER_RE.search(before) or FORM_RE.search(before) or (own and cid == own):
            continue
        cite = _Cite(cid, m.start(), m.end(), number=number, symbol=symbol,
                     year=int(nyear) if nyear else None, number_start=m.start(),
                     doubtful=checked.note if checked.status == "doubtful" else None)
        pre = prefix_re().search(before)
        if pre and pre.group("type"):
            cite.type, cite.type_written = _canonical_type(pre.group("type")), True
            cite.start = m.start() - len(before) + pre.start("type")
        elif pre and pre.group("so"):
            cite.start = m.start() - len(before) + pre.start("so")
        if not cite.type_written:
            _law_before(ctx, cite, out)
        if not cite.type:
            cite.type = _continued_type(text, cite, out) or _type_from_symbol(symbol, party, nyear)
        pos = _attach_date(text, cite, m.end())
        same_day = SAME_DAY_RE.match(text, pos) if cite.date is None and out and out[-1].date else None
        if same_day:  # '… Quyết định số 12/QĐ-UBND ngày 24/6/2022 và Quyết định số 13/QĐ-UBND cùng ngày'
            cite.date, cite.end, pos = out[-1].date, same_day.end(), same_day.end()
            cite.year = cite.year or out[-1].year
        _attach_issuer_title(ctx, cite, pos)
        if cite.jurisdiction is None:
            cite.jurisdiction = _jurisdiction_from_symbol(symbol, party, ctx.province)
        if cite.issuer is None:
            cite.issuer = _issuer_from_symbol(symbol, party, ctx.province)
        cite.relation = _relation(ctx, cite, out)
        out.append(cite)
    return out


def _clean_symbol(raw: str) -> str:
    """'QÐ- UBND' → 'QĐ-UBND', 'NQ/TƯ' → 'NQ/TW', 'QD-UBND' → 'QĐ-UBND'."""
    sym = NON_SPACE.sub("", fix_d(nfc(raw)))
    sym = DOUBLED_DASH_RE.sub("-", plain_dashes(sym))  # 'QĐ- -TTg': OCR read the dash twice
    known = set(type_by_abbreviation()) | set(agencies())
    pieces = PIECE_SPLIT_RE.split(sym)
    for i, piece in enumerate(pieces):
        if piece in "-/":
            continue
        if piece == "TƯ":
            pieces[i] = "TW"
        elif piece.upper() not in known and "D" in piece:
            fixed = piece.replace("D", "Đ")
            if fixed.upper() in known:  # OCR lost the bar: QD, ND, HDND
                pieces[i] = fixed
    return "".join(pieces)


def _canonical(cid: str) -> str:
    return _clean_symbol(cid)


DOUBT_DISTANCE = 2  # letters a damaged ký hiệu may differ by from a clean one it stands for


def _settle_doubtful(cites: list[_Cite]) -> None:
    """A damaged ký hiệu ('48-NQ/T') is the clean one of the same number and year the text
    also cites ('48-NQ/TW') when only one is that close; else it stays as read, doubtful."""
    clean = [c for c in cites if not c.doubtful and c.symbol]
    for cite in cites:
        if not cite.doubtful:
            continue
        near = {c.id: c for c in clean if c.number == cite.number
                and (cite.year is None or c.year is None or c.year == cite.year)
                and _distance(c.symbol, cite.symbol) <= DOUBT_DISTANCE}
        if len(near) == 1:
            twin = near.popitem()[1]
            cite.id, cite.symbol, cite.year = twin.id, twin.symbol, cite.year or twin.year
            if not cite.issuer_written:  # what the damaged piece said of the issuer was misread too
                cite.issuer, cite.jurisdiction = twin.issuer, twin.jurisdiction
            cite.doubtful = None


def _distance(a: str, b: str) -> int:
    """Levenshtein distance between two short strings."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def _canonical_type(word: str) -> str:
    folded = NON_SPACE.sub(" ", word).lower()
    return next((t for t in type_words() if t.lower() == folded), word)


def _law_before(ctx: _Context, cite: _Cite, previous: list[_Cite]) -> None:
    """'Luật Tổ chức Chính phủ số 63/2025/QH15': the law word a few words before the number."""
    if not QH_RE.match(cite.symbol or ""):
        return
    lo = max(0, cite.number_start - LAW_WINDOW, previous[-1].end if previous else 0)
    window = ctx.text[lo:cite.number_start]
    cut = max(window.rfind(";"), window.rfind("\n"))
    window_start = lo + cut + 1
    # 'Luật sửa đổi, bổ sung một số điều của Luật Kinh doanh bảo hiểm số 08/2022/QH15': the table knows whose
    # number it is, the law named last before it
    known = _laws_by_number().get(cite.id)
    named = list(_name_re(known.name).finditer(ctx.text, window_start, cite.number_start)) if known else []
    if named:
        cite.type = "Bộ luật" if known.name.startswith("Bộ") else "Luật"
        cite.title, cite.start, cite.type_written = known.name, named[-1].start(), True
        return
    m = LAW_WORD_RE.search(ctx.text, window_start, cite.number_start)
    if not m:
        return
    cite.type = "Bộ luật" if m.group(0).startswith("Bộ") else "Luật"
    cite.type_written = True
    name = LAW_NAME_TAIL_RE.sub("", ctx.text[m.start():cite.number_start])
    if len(name) > len(m.group(0)) + 1:
        cite.title = NON_SPACE.sub(" ", name)
    cite.start = m.start()


@lru_cache(maxsize=None)
def _laws_by_number() -> dict[str, Law]:
    return {law.number: law for law in laws()}


@lru_cache(maxsize=1024)
def _name_re(name: str) -> regex.Pattern:
    """A law's name as a text may write it: any case, any spaces."""
    return regex.compile(r"(?i:" + r"\s+".join(regex.escape(w) for w in name.split()) + r")(?![\p{L}])")


def _continued_type(text: str, cite: _Cite, previous: list[_Cite]) -> Optional[str]:
    """'Công văn số 119/UBND-THCB ngày 15/01/2021, số 708/UBND-THCB …': the list keeps its type."""
    if not previous:
        return None
    prev = previous[-1]
    gap = text[prev.end:cite.number_start]
    if LIST_GAP_RE.fullmatch(gap):
        return prev.type
    return None


def _type_from_symbol(symbol: str, party: bool, nyear: Optional[str]) -> Optional[str]:
    first = PIECE_SPLIT_RE.split(symbol)[0]
    if QH_RE.match(first):
        return "Luật"
    by_abbr = type_by_abbreviation()
    if first.upper() in by_abbr:
        name = by_abbr[first.upper()]
        return name[: -len(" hành động")] if name.endswith(" hành động") else name
    # a ký hiệu starting with the issuer is a công văn: 3570/BTTTT-THH
    return None if party or nyear else "Công văn"


def _issuer_pieces(symbol: str, party: bool) -> list[str]:
    if party:
        return HYPHEN_RE.split(symbol.split("/", 1)[1])
    pieces = symbol.split("-")
    if pieces[0].upper() in type_by_abbreviation():
        return pieces[1:]
    # a công văn's ký hiệu is issuer-unit (BTTTT-THH): the unit belongs to the issuer
    return pieces[:1]


def _jurisdiction_from_symbol(symbol: str, party: bool, province: Optional[str]) -> Optional[str]:
    """National for CP, TTg, TW, QH, ministries; the province for UBND, HĐND, TU, Sở, CAT …

    A local piece wins ('QĐ-TCT68-CAT' is a provincial working group with the police).
    Pieces nobody knows are taken as local: central bodies use the listed abbreviations.
    """
    levels = []
    for piece in _issuer_pieces(symbol, party):
        up = piece.upper()
        known = _listed_agency(up)
        if known:
            levels.append(known.level)
        elif QH_RE.match(up) or QUOC_HOI_TERM.search(up) or up.endswith("TW") or up.endswith("TƯ"):
            levels.append(NATIONAL)
        else:
            levels.append("province")
    if "province" in levels or not levels:
        return province
    return NATIONAL


def _listed_agency(piece: str) -> Optional[Agency]:
    """The agency of agencies.csv a ký hiệu's piece names, with Quốc hội's term or without: 'ĐĐQH15'."""
    return agencies().get(piece) or agencies().get(QUOC_HOI_TERM.sub("", piece))


def _issuer_from_symbol(symbol: str, party: bool, province: Optional[str]) -> Optional[str]:
    pieces = _issuer_pieces(symbol, party)
    agency = _listed_agency(pieces[0].upper()) if pieces else None
    if agency is None:
        return agencies()["QH"].name if pieces and QH_RE.match(pieces[0].upper()) else None
    if agency.level == NATIONAL or not province:
        return agency.name
    return local_name(agency.name, province)


# -- date, issuer and title after the number -------------------------------------------

def _attach_date(text: str, cite: _Cite, pos: int) -> int:
    """Take the date right after the number ('ngày 24/6/2022', ', ngày 20/12/2018'); return where it ends."""
    at = DATE_LEAD_RE.match(text, pos).end()
    d = next(find_dates(text, at, min(len(text), at + 40)), None)
    if d and (d.start == at or NGAY_RE.fullmatch(text, at, d.start)):
        cite.date, cite.end = d.iso, d.end
        if cite.year is None:
            cite.year = d.year
        return d.end
    ngay = NGAY_RE.match(text, at)
    g = GLUED_DATE_RE.match(text, ngay.end() if ngay else at)
    iso = g and to_iso(g.group("day"), g.group("month"), g.group("year"))
    if iso:
        cite.date, cite.end = iso, g.end() - 1
        if cite.year is None:
            cite.year = int(g.group("year"))
        return cite.end
    return pos


def _attach_issuer_title(ctx: _Context, cite: _Cite, pos: int) -> None:
    text = ctx.text
    gap = ISSUER_GAP_RE.match(text, pos)
    if gap:
        m = issuer_re().match(text, gap.end())
        if m:
            cite.issuer, cite.jurisdiction = _read_issuer(m, ctx.province)
            cite.issuer_written = True
            pos = m.end()
        else:
            return  # an issuer we cannot read: what follows is not a trích yếu
    if cite.title is None:
        cite.title = _title(text, pos)


def _read_issuer(m: regex.Match, province: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """Normalise an issuer phrase and say whose it is: ('Ủy ban nhân dân tỉnh Lạng Sơn', 'Lạng Sơn')."""
    place = m.group("place")
    if m.group("body"):
        body = "Ủy ban nhân dân" if PEOPLES_COMMITTEE_RE.match(m.group("body")) else "Hội đồng nhân dân"
        level = NON_SPACE.sub(" ", m.group("level"))
        where = place or province
        if level in ("tỉnh", "thành phố") and where:
            return f"{body} {level} {where}", where
        return f"{body} {level}", where
    if m.group("party"):
        party = PARTY_CASE_RE.sub(lambda w: PARTY_CASE[w.group(0).lower()], NON_SPACE.sub(" ", m.group("party")))
        where = place or province
        return (f"{party} {where}" if where else party), where
    if m.group("listed"):
        return national_body(m.group("listed")).name, NATIONAL
    name = NON_SPACE.sub(" ", m.group("generic")).strip()
    if LOCAL_ISSUER_RE.search(name) or name.startswith("Sở "):
        found = next((p for p in provinces() if name.endswith(p)), None)
        where = found or province
        if name.endswith(" tỉnh") and province:
            name = f"{name} {province}"
        return name, where
    if CENTRAL_ISSUER_RE.match(name):
        return name, NATIONAL
    return name, None


def _title(text: str, pos: int) -> Optional[str]:
    """The trích yếu after the issuer, to the end of its clause: 'ban hành Bộ chỉ số …'."""
    # after a comma comes the citing text's own sentence, not the trích yếu:
    # 'theo Quyết định số 246/QĐ-UBND ngày 09/7/2019 của Ủy ban nhân dân tỉnh, đảm bảo …'
    start = SPACES_RE.match(text, pos).end()
    if start >= len(text) or not TITLE_FIRST_RE.match(text, start) or LIST_WORD_RE.match(text, start):
        return None
    end = title_end_re().search(text, start, min(len(text), start + TITLE_MAX + 1))
    stop = end.start() if end else min(len(text), start + TITLE_MAX)
    title = NON_SPACE.sub(" ", text[start:stop]).strip(" ,")
    return title or None


# -- laws cited by name ------------------------------------------------------------------

def _numbered_laws(cites: list[_Cite]) -> dict[str, _Cite]:
    """The laws the text cites with their number, by name: 'Luật Năng lượng nguyên tử số 94/2025/QH15';
    a name the text gives two numbers (an old version and a new) is none of them."""
    by_name: dict[str, dict[str, _Cite]] = {}
    for c in cites:
        if c.type in ("Luật", "Bộ luật") and c.title and c.id:
            by_name.setdefault(c.title.lower(), {})[c.id] = c
    return {name: next(iter(found.values())) for name, found in by_name.items() if len(found) == 1}


def _law_name_cites(ctx: _Context, numbered_cites: list[_Cite]) -> list[_Cite]:
    """Laws the text names without their number ('Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024'), around
    numbered_cites, the citations found by number (in text order)."""
    text = ctx.text
    taken = [(c.start, c.end) for c in numbered_cites]
    numbered = _numbered_laws(numbered_cites)
    out = []
    amended_end = -1  # where the last law an amending law names ends
    for m in law_name_re().finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue  # already cited with its number
        after = text[m.end():m.end() + 40]
        if LAW_NUMBER_AFTER_RE.match(after):
            continue
        if BILL_AFTER_RE.match(after) or BILL_BEFORE_RE.search(text, max(0, m.start() - 20), m.start()):
            continue  # a bill, not the law in force: 'Luật Bưu chính (sửa đổi)', 'dự án Luật Đất đai'
        clause = text[max(0, m.start() - AMENDING_LOOKBACK):m.start()]
        amending = AMENDING_LAW_RE.search(clause)
        # a law word before the amending words, or opening them ('Luật sửa đổi …': its 'luật ' is looked at too)
        if (amending and LAW_IN_SENTENCE_RE.search(clause, 0, amending.start() + len("luật "))) or (
                amended_end >= 0 and AMENDED_LIST_GAP_RE.fullmatch(text, amended_end, m.start())):
            amended_end = m.end()
            continue  # 'Luật sửa đổi … của Luật X, Luật Y' cites the amending law, not X nor Y
        code = m.group("kw").lower().startswith("bộ")  # Bộ luật Lao động, Bộ luật Dân sự
        name = ("Bộ luật " if code else "Luật ") + NON_SPACE.sub(" ", m.group("name"))
        cite = _Cite("", m.start(), m.end(), type="Bộ luật" if code else "Luật",
                     type_written=True, issuer="Quốc hội", jurisdiction=NATIONAL, title=name)
        _attach_date(text, cite, m.end())
        cite.year = None  # the year is the law's, looked up below
        written_year = None
        if cite.date is None:
            y = LAW_YEAR_RE.match(text, m.end())
            if y:
                written_year, cite.end = int(y.group("year")), y.end()
        year = written_year or (int(cite.date[:4]) if cite.date else None)
        own = numbered.get(name.lower())
        # the text's own number for the law it names decides its version, where the year agrees
        number = own.id if own and (not year or own.year in (None, year)) else None
        if number:
            cite.title = own.title  # as the text writes it with the number, not a heading's capitals
        else:
            law = _pick_law(name, cite.date, written_year)
            if law is None:
                continue
            number = law.number
            cite.pending_law = cite.date is None and written_year is None
        cite.id = number
        cite.number, rest = number.split("/", 1)
        cite.symbol = rest.split("/", 1)[1]
        cite.year = int(number.split("/")[1])
        before = [c for c in (*numbered_cites, *out) if c.end <= cite.start]
        cite.relation = _relation(ctx, cite, [max(before, key=lambda c: c.start)] if before else [])
        out.append(cite)
    return out


def _versions(name: str) -> list[Law]:
    key = name.lower()
    return sorted((law for law in laws() if key in (law.name.lower(), *(a.lower() for a in law.aliases))),
                  key=lambda law: law.date)


def _pick_law(name: str, date: Optional[str], year: Optional[int], cutoff: Optional[str] = None) -> Optional[Law]:
    """The version of a law a citation means: by its date, its year, else the latest before cutoff."""
    versions = _versions(name)
    if not versions:
        return None
    if date:
        exact = [v for v in versions if v.date == date]
        if exact:
            return exact[0]
        year = year or int(date[:4])
    if year:
        # a law's date and year are the day it was passed, and its number carries that year: with no
        # version of that year known the cited one is missing from the table, not an older one
        same = [v for v in versions if v.number.split("/")[1] == str(year)]
        return same[-1] if same else None
    if cutoff:  # the version in force then: passed, and in force where the table knows since when
        before = [v for v in versions if (v.in_force_from or v.date) <= cutoff]
        return before[-1] if before else versions[0]
    return versions[-1]


def _fix_cutoff_years(cites: list[_Cite], written: Optional[str] = None) -> None:
    """A law named without date or year: the version in force when the text was written.

    The text's own date decides; without one the latest date among its citations stands
    for it, since a text cites only what came before it.
    """
    cited = [c.date for c in cites if c.date and len(c.date) == 10]
    # a month date ('2018-04') is padded to sort after every day of that month
    cutoff = written.ljust(10, "~") if written else (max(cited) if cited else None)
    for c in cites:
        if c.pending_law:
            law = _pick_law(c.title, None, None, cutoff)
            c.id = law.number
            c.number, rest = law.number.split("/", 1)
            c.symbol = rest.split("/", 1)[1]
            c.year = int(law.number.split("/")[1])


# -- standards -------------------------------------------------------------------------

def _standard_cites(text: str) -> list[_Cite]:
    out = []
    for m in STANDARD_RE.finditer(text):
        code = NON_SPACE.sub(" ", m.group("code"))
        cid = f"{m.group('kind')} {code}"
        out.append(_Cite(cid, m.start(), m.end(), type="Tiêu chuẩn" if m.group("kind") == "TCVN" else "Quy chuẩn",
                         type_written=True, year=int(m.group("year")) if m.group("year") else None,
                         jurisdiction=NATIONAL))
    return out


# -- relation ------------------------------------------------------------------------------

def _context(text: str, province: Optional[str]) -> _Context:
    ctx = _Context(text, province, letter=bool(LETTER_RE.search(text)))
    starts = [0] + [m.end() for m in NEWLINE_RE.finditer(text)]
    ctx.para_starts = starts
    section = None  # (start, rank)
    for i, s in enumerate(starts):
        e = starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
        line = text[s:e].strip()
        rank = _heading_rank(line)
        if section is not None and rank is not None and rank <= section[1]:
            ctx.can_cu.append((section[0], s))
            section = None
        if section is None and len(line) < 100 and CAN_CU_HEADING_RE.match(line) and _is_heading(line, rank):
            section = (s, CAPS_RANK if rank is None else rank)
        elif section is not None and RECIPIENTS_RE.match(line):
            ctx.can_cu.append((section[0], s))
            section = None
    if section is not None:
        ctx.can_cu.append((section[0], len(text)))
    return ctx


CAPS_RANK = DEPTH["roman"]  # a heading in capitals with no label ranks with 'I.'


def _heading_rank(line: str) -> Optional[int]:
    """The depth of a heading line by its label ('I.', '1.', 'a)'); list items have none."""
    name, depth = label_level(line)
    if name and name not in BULLETS:
        return depth
    if len(line) < 150 and ALL_CAPS_RE.fullmatch(line):
        return CAPS_RANK
    return None


def _is_heading(line: str, rank: Optional[int]) -> bool:
    """'I. CĂN CỨ LẬP KẾ HOẠCH', '1. Căn cứ pháp lý', 'Căn cứ xây dựng kế hoạch:' — not 'Căn cứ Luật …;'."""
    bare = line.strip("*# ")
    return (rank is not None or bare.endswith(":")) and not bare.endswith(";") and "số" not in bare


def _paragraph(ctx: _Context, pos: int) -> tuple[int, int]:
    i = bisect.bisect_right(ctx.para_starts, pos) - 1
    start = ctx.para_starts[i]
    end = ctx.para_starts[i + 1] - 1 if i + 1 < len(ctx.para_starts) else len(ctx.text)
    return start, end


def _acting(text: str, p_start: int, clause: str) -> bool:
    """Whether the words before a citation are this document acting on it.

    'Điều 13. Sửa đổi, bổ sung … Nghị định số 99/2025/NĐ-CP', 'Thông tư này thay thế Thông tư số …'
    are; a row of a plan's task table ('| 32. | Sửa đổi Nghị định số …') is not.
    """
    if TABLE_ROW_RE.match(text, p_start):
        return False
    return bool(ACTING_PREFIX_RE.match(clause))


CITE_OPENS_RE = regex.compile(r"[\s\-+•–*]*")  # nothing but a bullet before a citation opening its line
CAN_CU_LINES = 30  # preamble lines looked back over for the 'Căn cứ' a list of them opens


def _continues_can_cu(text: str, p_start: int, cite_start: int) -> bool:
    """Whether the line opening with this citation goes on a preamble's 'Căn cứ' list whose other lines
    left the words out: 'Căn cứ Luật …;' / 'Nghị định số 45/2020/NĐ-CP …;' / 'Quyết định số …;'."""
    if not CITE_OPENS_RE.fullmatch(text, p_start, cite_start):
        return False
    for start, line in lines_before(text, p_start, CAN_CU_LINES):
        if not line.rstrip().endswith(";"):
            return False
        if CAN_CU_START_RE.match(text, start):
            return True
    return False


LIST_SEPARATOR_RE = regex.compile(r"[;,]")
NEXT_ITEM_RE = regex.compile(r"\s*(?:và\s+)?(?:các\s+)?")


def _next_in_list(text: str, last: _Cite, cite: _Cite) -> bool:
    """Whether cite opens the next item of the list last is in, in one sentence: '…; Chương trình số …',
    '…, Kế hoạch số …' (not '…, theo đó Quyết định số …')."""
    separators = list(LIST_SEPARATOR_RE.finditer(text, last.end, cite.start))
    return bool(separators) and NEXT_ITEM_RE.fullmatch(text, separators[-1].end(), cite.start) is not None and \
        FULL_STOP_RE.search(text, last.end, cite.start) is None


def _within_title(text: str, last: _Cite, cite: _Cite, opens: int) -> bool:
    """Whether cite stands in the clause of the citation before it, or in its trích yếu (which a web
    page's line breaks may cut into clauses): '… Nghị định số 156/2018/NĐ-CP … quy định chi tiết
    một số điều của Luật Lâm nghiệp'."""
    return last.start >= opens or (last.title is not None and 0 <= cite.start - last.end <= TITLE_MAX
                                   and not CLAUSE_STOP_RE.search(text, last.end, cite.start))


ACTIONS = ("amends", "replaces", "repeals")
# between two items of one list: 'Quyết định số 12/QĐ-UBND và Quyết định số 15/…', '…; b) Quyết định …'
LIST_JOIN_RE = regex.compile(r"[\s,;]*(?:(?:và|hoặc)\s+)?(?:[a-zđ]\)\s*|[-+•]\s+)?(?:các\s+)?")
# '… hết hiệu lực', '… bị bãi bỏ' after a citation, in its sentence
EXPIRES_AFTER_RE = regex.compile(rf"[^.;\n]{{0,80}}?(?<![\p{{L}}])(?:{phrases(cues('expires'))})(?![\p{{L}}])"
                                 # or past its whole title, in the formula that ends it: '… hết hiệu lực kể từ ngày …'
                                 # (over the line breaks a web page puts around a link, not into the next item)
                                 rf"|(?:[^.;\n]|\n(?!{LABEL_RE.pattern})){{0,400}}?(?<![\p{{L}}])(?:{phrases(cues('expires'))})"
                                 r"\s+(?:kể\s+)?từ\s+ngày")
# '[Luật Viên chức số 58/2010/QH12] đã được sửa đổi, bổ sung một số điều theo [Luật số 52/2019/QH14]': the two
# expire together
AMENDED_BY_RE = regex.compile(r"[\s,]*(?:đã\s+)?(?:được\s+)?sửa\s+đổi,?\s*(?:bổ\s+sung\s*)?(?:một\s+số\s+điều\s*)?"
                              r"(?:theo|bởi|tại)\s*(?:các\s+)?")
# 'Thực hiện' with its first word lost under a stamp: "c' hiện Kế hoạch số …"
DAMAGED_IMPLEMENTS_RE = regex.compile(r"\S{0,4}\s?hi[ệê]n\s+$")
# a provision before the citation: 'tại khoản 2 Điều 5 Nghị định số …'
PROVISION_BEFORE_RE = regex.compile(r"(?i:\b(?:điều|khoản|điểm)\s+[\dđa-z]{1,3}\b)[^;.\n]{0,40}$")
LETTER_RE = regex.compile(r"(?m)^\s*Kính\s+gửi")
CLAUSE_STOP_RE = regex.compile(rf";|{FULL_STOP}")  # where a cited document's title cannot go on


ACTION_CUES = tuple((relation, words_re(cues(relation), regex.I)) for relation in ACTIONS)
EXPIRES_CUE = words_re(cues("expires"), regex.I)


def _lead_in_action(text: str, line_start: int, pos: int) -> Optional[str]:
    """The action this document takes on the documents listed after a line ending in ':', for the
    citation at pos opening its line or following that colon: 'Điều 3. Bãi bỏ các văn bản sau:' /
    'a) Quyết định số …', 'Bãi bỏ các Quyết định: số 12/…, số 13/…'."""
    before = text[line_start:pos].rstrip()
    if before.endswith(":"):
        return _action_of_lead_in(before)
    if not (LIST_ITEM.fullmatch(before + " ") or ITEM_PROVISION_RE.fullmatch(before)):
        return None  # words of the item's own before the citation: they say what it does
    lead = lead_in_line(text, line_start)
    return _action_of_lead_in(lead) if lead else None


def _action_of_lead_in(lead: str) -> Optional[str]:
    """What a lead-in line does to the documents under it, when it is this document acting:
    'Điều 3. Bãi bỏ các văn bản sau:', 'Quyết định này thay thế các Quyết định sau:', 'Các văn
    bản sau đây hết hiệu lực thi hành:' (a report's 'Tỉnh đã bãi bỏ các văn bản sau:' is not)."""
    for relation, cue in ACTION_CUES:
        m = cue.search(lead)
        if m and ACTING_PREFIX_RE.match(lead[:m.start()]):
            return relation
    return "repeals" if EXPIRES_CUE.search(lead) else None


def _relation(ctx: _Context, cite: _Cite, previous: list[_Cite]) -> str:
    text = ctx.text
    p_start, p_end = _paragraph(ctx, cite.start)
    opens = clause_start(text, p_start, cite.start)
    clause = text[opens:cite.start]
    last = previous[-1] if previous else None  # citations come in text order
    if last and last.relation in (*ACTIONS, "implements") and LIST_JOIN_RE.fullmatch(text, last.end, cite.start):
        return last.relation  # 'thay thế Nghị định A và Nghị định B', 'Thực hiện các Quyết định số: A, B': each item
    line_start = text.rfind("\n", 0, cite.start) + 1
    listed = None if last and last.start >= line_start else _lead_in_action(text, line_start, cite.start)
    if listed:
        return listed  # 'Bãi bỏ các văn bản sau:' / 'a) Quyết định số …'
    acting = _acting(text, p_start, clause) and not (last and last.end > opens)
    if acting:
        for relation, trigger in ACTION_TRIGGERS[:-1]:
            if trigger.search(clause):
                return relation
    # '… Quyết định số 12/QĐ-UBND … hết hiệu lực'; a law in that decision's title ('… quy định chi tiết
    # Luật Việc làm …, hết hiệu lực') is not what expires
    if EXPIRES_AFTER_RE.match(text, cite.end) and not TABLE_ROW_RE.match(text, p_start) and \
            not (last and _within_title(text, last, cite, opens) and not AMENDED_BY_RE.fullmatch(text, last.end, cite.start)):
        return "repeals"
    letter_provision = ctx.letter and PROVISION_BEFORE_RE.search(text, p_start, cite.start)
    if (CAN_CU_START_RE.match(text, p_start) or any(a <= cite.start < b for a, b in ctx.can_cu)
            or _continues_can_cu(text, p_start, cite.start)
            or CAN_CU_ALONE_RE.search(text, max(0, p_start - 12), p_start)) and not letter_provision:
        return "legal_basis"
    if (p_start == opens and cite.start - p_start <= 12 and DAMAGED_IMPLEMENTS_RE.fullmatch(text, p_start, cite.start)
            and not (last and last.start >= p_start)):
        return "implements"
    if IMPLEMENTS_START_RE.match(text, p_start) and not (last and last.start >= p_start):
        first_clause_end = CLAUSE_END_RE.search(text, p_start, cite.start)
        if first_clause_end is None or text[first_clause_end.start()] not in ";\n":
            return "implements"
    if last and last.relation == "implements" and last.start >= p_start and _next_in_list(text, last, cite):
        return "implements"  # 'Thực hiện Nghị quyết số 52-NQ/TW … của Bộ Chính trị; Chương trình số 35-CTr/TU …'
    if acting and ACTION_TRIGGERS[-1][1].search(clause):
        return "guides"
    return "mentions"


# -- merge mentions into references -----------------------------------------------------------

def _merge(text: str, cites: list[_Cite]) -> list[Reference]:
    groups: dict[tuple, list[_Cite]] = {}
    undated: list[_Cite] = []
    for c in cites:
        if c.year is None:
            undated.append(c)
        else:
            groups.setdefault((c.id, c.year, c.jurisdiction), []).append(c)
    for c in undated:
        keys = [k for k in groups if k[0] == c.id and k[1] is not None] or \
            [k for k in groups if k[1] is not None and _misread_of(c.id, k[0])]
        if keys:
            groups[_nearest(keys, groups, c)].append(c)
        else:
            groups.setdefault((c.id, None, c.jurisdiction), []).append(c)
    refs = []
    for (cid, year, jurisdiction), members in groups.items():
        members.sort(key=lambda c: c.start)
        refs.append(_reference(text, cid, year, jurisdiction, members))
    refs.sort(key=lambda r: r.mentions[0].span.start)
    return refs


def _share_list_dates(text: str, cites: list[_Cite]) -> None:
    """Numbers listed with one date after the last: 'các Quyết định số: 1743/QĐ-BGTVT, 1744/QĐ-BGTVT ngày
    31/12/2024' dates both (each of a list with dates of their own carries its own). Only numbers without a
    year of their own: laws and decrees listed by number are followed by what amended them, whose date it is."""
    for later, earlier in zip(reversed(cites), reversed(cites[:-1])):
        if later.date and not earlier.date and earlier.year is None and earlier.type == later.type and \
                LIST_JOIN_RE.fullmatch(text, earlier.end, later.start):
            earlier.date, earlier.year = later.date, later.year


def _misread_of(cid: str, other: str) -> bool:
    """Whether cid is other with one letter of its ký hiệu's last part read wrong, added or lost, as OCR
    does ('1899/SGDĐT-CTTTT' for '1899/SGDĐT-CTrTT'): the same number, the same issuer."""
    head, _, tail = cid.rpartition("-")
    other_head, _, other_tail = other.rpartition("-")
    return bool(head) and head == other_head and tail != other_tail and len(tail) >= 3 and \
        _one_edit(tail.upper(), other_tail.upper())


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by one substitution, insertion or deletion (or only in case)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _nearest(keys: list, groups: dict, cite: _Cite) -> tuple:
    """The dated citation an undated mention belongs to: the only one, else the closest before it."""
    if len(keys) == 1:
        return keys[0]

    def distance(key):
        starts = [c.start for c in groups[key]]
        before = [cite.start - s for s in starts if s <= cite.start]
        return (0, min(before)) if before else (1, min(s - cite.start for s in starts))
    return min(keys, key=distance)


def _title_trust(cite: _Cite) -> int:
    """Trích yếu from a full citation (issuer and date) before one from a passing mention."""
    return -((cite.issuer is not None and cite.jurisdiction is not None) + (cite.date is not None))


def _reference(text: str, cid: str, year: Optional[int], jurisdiction: Optional[str], members: list[_Cite]) -> Reference:
    typed = [c for c in members if c.type_written] or members
    dates = list(dict.fromkeys(c.date for c in members if c.date))
    relation = max((c.relation for c in members), key=lambda r: RELATION_RANK[r])
    first = members[0]
    doubts = [c.doubtful for c in members if c.doubtful]
    return Reference(
        id=cid, type=next((c.type for c in typed if c.type), None), number=first.number, symbol=first.symbol,
        year=year, date=dates[0] if dates else None,
        issuer=next((c.issuer for c in sorted(members, key=lambda c: not c.issuer_written) if c.issuer), None), jurisdiction=jurisdiction,
        relation=relation, title=next((c.title for c in sorted(members, key=_title_trust) if c.title), None),
        mentions=[Mention(text[c.start:c.end], Span(c.start, c.end)) for c in members], dates=dates,
        doubtful=doubts[0] if len(doubts) == len(members) else None,
    )
