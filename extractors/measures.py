"""Figures a document sets or reports: percentages, money in VND, counts of things.

`Phấn đấu 90% hồ sơ công việc tại cấp tỉnh, 80% … tại cấp huyện` gives two targets,
each with its own scope and the shared metric; `Tính đến tháng 9/2021, … đạt 96%` an
actual with its as-of date; `198.431.057.000 đồng (Một trăm chín mươi tám tỷ …)` one
money amount; `đã cấp 1.719 chứng thư số` a count with its noun.

Everything is found with regexes and cue words; underthesea's word segmentation is run
only on the few words after a figure, to cut a noun phrase at a word boundary.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, Optional

import regex

from vanban.extractors.grammar import (CLAUSE_END, FULL_STOP_RE, HEADING_LABEL, TABLE_CELL, UNLABELLED, label_level, label_of, lead_in_line, lines_before,
                                       phrases, words_re)
from vanban.extractors.numbers import LOWER_PART, NUMBER, SCALE, parse_number, scale_of
from vanban.models.knowledge import cues
from vanban.models.records import Measure, Span
from vanban.models.vietnamese import fold

# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

# `38,72%`, `1,0 %`, `100 %`; a range `50-70%` or `từ 50% đến 70%` is two figures.
PERCENT_RE = regex.compile(rf"(?P<num>{NUMBER})\s?(?:%|phần trăm)")
# `216,3 tỷ đồng`, `60.417 triệu đồng`, `198.431.057.000 đồng`, `5 tỷ VNĐ`, `3 tỷ 500 triệu đồng`, `15 triệu USD`.
MONEY_RE = regex.compile(
    rf"(?P<num>{NUMBER})\s*(?:{SCALE}\s*(?:{LOWER_PART}\s*)?)?"
    rf"(?P<cur>đồng|VNĐ|VND|Đồng|(?P<usd>USD|(?i:đô[\s-]?la)(?:\s+Mỹ)?))(?!\w)"  # US dollars keep their currency
)
# A bare dot-grouped amount of millions or more, `40.369.000.000`, is money when a
# written-out amount in words follows in brackets or the clause talks about funds.
BARE_AMOUNT_RE = regex.compile(r"(?<![\d.,/])\d{1,3}(?:\.\d{3}){2,}(?![\d.,/])")
WRITTEN_AMOUNT_RE = regex.compile(r"\s*\((?:[Bb]ằng chữ\s*:?\s*)?[^\d()]{5,200}?đồng[^\d()]{0,20}\)")
FUNDS_RE = regex.compile(phrases(cues("funds")), regex.I)
# A count: a number then a word (the noun is checked later).
COUNT_RE = regex.compile(rf"(?P<num>{NUMBER})(?=\s+[^\W\d_])")
SPACES_RE = regex.compile(r"\s+")  # collapsed to one space in quotes, metrics and dates

# Words before a number that make it a label, an ordinal or a date, not a count.
NOT_COUNT_BEFORE = regex.compile(
    rf"(?:{phrases(cues('not_count_before'))})[\s\-:]*$"
    # the second of a list of levels: 'mức độ 3, 4 phục vụ'
    r"|\d\s*(?:,|và|hoặc)\s*$",
    regex.I,
)
# Nouns after a number that make it a duration, a date part or an ordinal level.
NOT_COUNT_NOUN = frozenset(cues("not_count_noun"))
# Units allowed despite NOT_COUNT_NOUN's first syllable: `87 điểm cầu`, `924.838 trang tài liệu`.
COUNT_NOUN_EXCEPTIONS = cues("count_noun_exception")
# A counted noun ends before these words.
UNIT_STOP = frozenset(cues("unit_stop"))


@dataclass
class _Figure:
    value: float
    unit: str
    start: int  # offsets of the figure itself
    end: int
    tail: int  # end of the figure with its unit words and written-out amount
    bound: Optional[str] = None


# ---------------------------------------------------------------------------
# Clauses, headings and cue words
# ---------------------------------------------------------------------------

# A clause (grammar.py), or a cell of a markdown table of indicators.
CLAUSE_END_RE = regex.compile(f"{CLAUSE_END}|{TABLE_CELL}")
HEADING_RE = regex.compile(rf"^[ \t]*(?P<label>{HEADING_LABEL})[ \t]*(?P<title>[^\n]{{0,160}})$", regex.M)
# Sections of goals or of results, by the words of their heading, folded.
TARGET_HEADING = tuple(fold(cue) for cue in cues("target_heading"))
REVIEW_HEADING = tuple(fold(cue) for cue in cues("review_heading"))

TARGET_CUE = words_re(cues("target"), regex.I)
ACTUAL_CUE = words_re(cues("actual"), regex.I, inside=cues("cue_compound"))  # not 'thực hiện có …'
# A clause about another document's content (its title or its own threshold).
DOC_CITED_RE = regex.compile(
    rf"\d+\s*/\s*(?:\d{{4}}\s*/\s*)?[A-ZĐ]{{1,6}}\s*-|(?:{phrases(cues('cited_type'))})\s+(?:số\s+)?\d+"
)
EXCEEDS_RE = regex.compile(rf"\b(?:{phrases(cues('exceeds'))})\s+(?:chỉ tiêu\s+|so với\s+)?$", regex.I)
# A share of a budget is an allocation rule, not a target: `khoảng 1% tổng chi ngân sách`.
BUDGET_SHARE_RE = regex.compile(rf"^\s*(?:tổng\s+)?(?:{phrases(cues('budget'))})\b", regex.I)

BOUND_BEFORE = [(bound, regex.compile(rf"(?:{phrases(cues('bound_' + bound))})\s*$", regex.I))
                for bound in ("min", "max", "approx")]  # in this order: 'hơn 80%' is a minimum
MIN_AFTER_RE = regex.compile(r"^\s*trở lên", regex.I)
BRACKET_TARGET_RE = regex.compile(rf"\s*(?:{phrases(cues('bracket_target'))})\b", regex.I)

YEAR_RE = regex.compile(r"(?:năm|Năm|NĂM)\s+(?P<year>(?:19|20)\d\d)(?!\d)")
# `tính đến tháng 9/2021`, `hết 20/5/2022`, `hoàn thành ngày 06/6/2021`.
AS_OF_RE = regex.compile(
    rf"(?:{phrases(cues('as_of'))})\s+(?:ngày\s+)?"
    r"(?P<date>(?:cuối\s+|hết\s+)?(?:tháng\s+\d{1,2}\s*/\s*(?:19|20)\d\d|\d{1,2}\s*/\s*\d{1,2}\s*/\s*(?:19|20)\d\d))",
    regex.I,
)

# Levels of government a figure applies to.
LEVEL = r"(?:tỉnh|huyện|xã)"
LEVEL_LIST_RE = regex.compile(
    rf"(?:từ\s+)?(?:cấp|tuyến)\s+{LEVEL}(?:\s*(?:,|và|đến|tới)\s*(?:(?:cấp|tuyến)\s+)?{LEVEL}(?!\w))*"
)
POPULATION_LEVELS = [
    (regex.compile(r"xã,\s*phường,\s*thị trấn|phường,\s*xã,\s*thị trấn"), "cấp xã"),
    (regex.compile(r"(?:Ủy ban nhân dân|UBND)\s+(?:các\s+)?huyện,\s*thành phố|huyện,\s*thành phố"), "cấp huyện"),
    (regex.compile(r"sở,\s*ban,\s*ngành", regex.I), "cấp tỉnh"),
]
# the whole of one province; 'trên địa bàn tỉnh, thành phố' is any province, a national rule's words
PROVINCE_WIDE_RE = regex.compile(r"(?:(?i:t)oàn|(?i:t)rên địa bàn) tỉnh(?!\s*(?:,|và|\/)\s*thành phố)")
LEVEL_ORDER = ("tỉnh", "huyện", "xã")
LEVEL_WORD_RE = {lvl: regex.compile(rf"\b{lvl}\b") for lvl in LEVEL_ORDER}


def find_measures(text: str, headings: list[tuple[int, str]] | None = None,
                  doc_year: int | None = None) -> list[Measure]:
    """Every percentage, money amount and count of `text`, in document order.

    >>> [(m.value, m.kind, m.scope) for m in find_measures(
    ...     "III. MỤC TIÊU\\n- Phấn đấu 90% hồ sơ công việc tại cấp tỉnh, 80% hồ sơ công việc tại cấp huyện "
    ...     "được xử lý trên môi trường mạng.", doc_year=2022)]
    [(90.0, 'target', 'cấp tỉnh'), (80.0, 'target', 'cấp huyện')]
    """
    if headings is None:
        headings = find_headings(text)
    sections = _Sections(text, headings)
    figures = sorted(_percentages(text) + _money(text), key=lambda f: f.start)
    figures = figures + _counts(text, figures)
    figures.sort(key=lambda f: f.start)
    measures = []
    for clause_start, clause_end, group in _by_clause(text, figures):
        measures.extend(_describe(text, clause_start, clause_end, group, sections, doc_year))
    return measures


# ---------------------------------------------------------------------------
# Finding figures
# ---------------------------------------------------------------------------

def _percentages(text: str) -> list[_Figure]:
    figures = []
    for m in PERCENT_RE.finditer(text):
        value = parse_number(m.group("num"))
        if value is None or _is_glued_footnote(text, m.start()):
            continue
        figures.append(_Figure(value, "%", m.start(), m.end(), m.end(), _bound(text, m.start(), m.end())))
    return figures


def _money(text: str) -> list[_Figure]:
    figures = []
    for m in MONEY_RE.finditer(text):
        value = parse_number(m.group("num"))
        if value is None:
            continue
        tail = _written_amount_end(text, m.end())
        value *= scale_of(m.group("scale"))
        if m.group("lower"):
            value += int(m.group("lower")) * scale_of(m.group("lower_scale"))
        currency = "USD" if m.group("usd") else "VND"
        figures.append(_Figure(value, currency, m.start("num"), m.end(), tail,
                               _bound(text, m.start(), m.end())))
    taken = [(f.start, f.end) for f in figures]
    for m in BARE_AMOUNT_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        tail = _written_amount_end(text, m.end())
        line_start = text.rfind("\n", 0, m.start()) + 1
        if tail == m.end() and not FUNDS_RE.search(text, line_start, m.start()):
            continue
        figures.append(_Figure(float(m.group().replace(".", "")), "VND", m.start(), m.end(), tail,
                               _bound(text, m.start(), m.end())))
    return figures


def _written_amount_end(text: str, pos: int) -> int:
    """End of a written-out amount in brackets after pos, `(Bốn mươi tỷ … đồng chẵn)`, else pos."""
    m = WRITTEN_AMOUNT_RE.match(text, pos)
    return m.end() if m else pos


def _counts(text: str, taken: list[_Figure]) -> list[_Figure]:
    """Numbers followed by the noun they count, in clauses that state a status or a goal."""
    spans = [(f.start, f.tail) for f in taken]
    figures = []
    for m in COUNT_RE.finditer(text):
        if any(s <= m.start() < e for s, e in spans) or _is_glued_footnote(text, m.start()) \
                or not _plausible_count(text, m):
            continue
        value = parse_number(m.group("num"))
        if value is None:
            continue
        clause_start, clause_end = _clause_bounds(text, m.start())
        clause = text[clause_start:clause_end]
        if not (ACTUAL_CUE.search(clause) or TARGET_CUE.search(clause) or _ACTION_RE.search(clause)):
            continue
        # the tokenizer runs last, only for numbers in a clause that states a status or a goal
        unit = _counted_noun(text, m.end())
        if not unit:
            continue
        figures.append(_Figure(value, unit, m.start(), m.end(), m.end() + 1 + len(unit),
                               _bound(text, m.start(), m.end())))
    return figures


# Verbs of doing that make a count a planned or reported output: `Tổ chức 01 đợt diễn tập`.
_ACTION_RE = words_re(cues("action"), regex.I)


YEAR_ONLY_RE = regex.compile(r"(?:19|20)\d\d$")
JOINED_BEFORE_RE = regex.compile(r"[/\-–.]\s*$")  # '12/2021', 'QĐ-15', '2.3': part of a date or a code
SLASH_AFTER_RE = regex.compile(r"\s*[/\-]")
DECIMAL_RE = regex.compile(r"\.\d{1,2}$|,\d")


def _plausible_count(text: str, m) -> bool:
    start, num = m.start(), m.group("num")
    line_start = text.rfind("\n", 0, start) + 1
    if not text[line_start:start].strip():
        return False  # a list number or a footnote number opens the paragraph
    if YEAR_ONLY_RE.match(num):
        return False  # a year
    before = text[max(0, start - 20):start]
    if NOT_COUNT_BEFORE.search(before) or JOINED_BEFORE_RE.search(before):
        return False
    after = text[m.end():m.end() + 2]
    # a version or a decimal ('Chính quyền số 2.0') counts nothing
    return not SLASH_AFTER_RE.match(after) and not DECIMAL_RE.search(num)


SYLLABLE_RE = regex.compile(r"(?P<gap>[^\w]*)(?P<word>[^\W\d_]\w*)")  # a word and what stands before it
NON_SPACE_RE = regex.compile(r"\S")


def _counted_noun(text: str, pos: int) -> str:
    """The noun after a number: up to three syllables, whole words, and a noun first.

    'đã cấp 1.719 chứng thư số, trong đó' → 'chứng thư số'; 'mức độ 3, 4 phục vụ' → ''.
    """
    syllables = []
    for m in SYLLABLE_RE.finditer(text[pos:pos + 60]):
        if syllables and NON_SPACE_RE.search(m.group("gap")):
            break  # punctuation ends the noun
        if m.group("word").lower() in UNIT_STOP or len(syllables) == 4:
            break
        syllables.append(m.group("word"))
    if not syllables:
        return ""
    noun = _whole_words(syllables, 3)
    first_word, first_tag = _tags(" ".join(syllables))[0]
    if first_tag not in NOUN_TAGS and first_word.lower() not in CLASSIFIERS:
        return ""  # a verb, an adjective or a conjunction: 'mức độ 3, 4 phục vụ'
    if first_tag == "Np" and not first_word.isupper():
        return ""  # a place in a ranking, 'Top 3 Đông Nam Á'; acronyms like 'BTS' stay
    if noun.split()[0].lower() in NOT_COUNT_NOUN and not noun.lower().startswith(COUNT_NOUN_EXCEPTIONS):
        return ""
    return noun


# Tags of words a count can count: nouns of every kind, and M, which underthesea gives
# to some compound nouns out of context ('tài khoản').
NOUN_TAGS = {"N", "Nc", "Np", "Nu", "Ny", "Nb", "M"}
# Classifiers come before what they count: 'đợt diễn tập', 'cuộc họp', 'lớp tập huấn'.
CLASSIFIERS = frozenset(cues("classifier"))


@lru_cache(maxsize=4096)
def _tags(phrase: str) -> tuple:
    """underthesea's (word, tag) pairs, imported lazily (loading costs ~0.5 s) and cached."""
    from underthesea import pos_tag

    return tuple(pos_tag(phrase))


def _whole_words(syllables: list[str], limit: int) -> str:
    """The first words of syllables holding at most `limit` syllables, never half a compound.

    ['cán', 'bộ', 'chuyên', 'trách'] with limit 3 → 'cán bộ' ('chuyên trách' is one word).
    """
    kept: list[str] = []
    for word in _words(" ".join(syllables)):
        if len(kept) + len(word.split()) > limit:
            break
        kept.extend(word.split())
    return " ".join(kept) if kept else _words(" ".join(syllables))[0]


@lru_cache(maxsize=4096)
def _words(phrase: str) -> tuple:
    """underthesea's word segmentation, imported lazily (loading costs ~0.5 s) and cached."""
    from underthesea import word_tokenize

    return tuple(word_tokenize(phrase))


def _is_glued_footnote(text: str, start: int) -> bool:
    """A number glued to a word, `diệt virus9`, is a footnote mark, not a figure."""
    return start > 0 and text[start - 1].isalpha()


# `50-70%`, `50 đến 70%`: the figure opens or closes a range
RANGE_AFTER_RE = regex.compile(r"\s*(?:-|–|đến)\s*\d")
RANGE_BEFORE_RE = regex.compile(r"\d\s*%?\s*\\?(?:-|–|đến)\s*$")


def _bound(text: str, start: int, end: int) -> Optional[str]:
    before = text[max(0, start - 25):start]
    after = text[end:end + 12]
    if RANGE_AFTER_RE.match(after) or RANGE_BEFORE_RE.search(before):
        return "range"
    if MIN_AFTER_RE.match(after):
        return "min"
    for name, pattern in BOUND_BEFORE:
        if pattern.search(before):
            return name
    return None


# ---------------------------------------------------------------------------
# Clauses
# ---------------------------------------------------------------------------

def _clause_bounds(text: str, pos: int) -> tuple[int, int]:
    start = 0
    for m in CLAUSE_END_RE.finditer(text, max(0, pos - 600), pos):
        start = m.end()
    start = max(start, text.rfind("\n", 0, pos) + 1)
    m = CLAUSE_END_RE.search(text, pos)
    end = m.start() if m else len(text)
    while start < end and text[start] in " \t-+•*–":
        start += 1
    return start, end


def _by_clause(text: str, figures: list[_Figure]) -> Iterator[tuple[int, int, list[_Figure]]]:
    group: list[_Figure] = []
    bounds = (0, 0)
    for f in figures:
        b = _clause_bounds(text, f.start)
        if group and b != bounds:
            yield bounds[0], bounds[1], group
            group = []
        bounds = b
        group.append(f)
    if group:
        yield bounds[0], bounds[1], group


SEGMENT_CUT_RE = regex.compile(r",|\bvà\b|\(")


def _segments(text: str, start: int, end: int, group: list[_Figure]) -> list[tuple[int, int]]:
    """Split a clause between its figures at the last comma/`và` of each gap.

    '90% hồ sơ … tại cấp tỉnh, 80% hồ sơ … tại cấp huyện' → one part per figure.
    """
    cuts = [start]
    for left, right in zip(group, group[1:]):
        gap = text[left.tail:right.start]
        m = None
        for m in SEGMENT_CUT_RE.finditer(gap):
            pass
        # With no comma between them, the words between belong to the right-hand figure:
        # 'Vượt chỉ tiêu 26,5% theo chỉ tiêu Nghị quyết 17/NQ-CP đề ra là 30%'.
        cuts.append(left.tail + (m.end() if m else 0))
    cuts.append(end)
    return list(zip(cuts, cuts[1:]))


# ---------------------------------------------------------------------------
# Describing a figure
# ---------------------------------------------------------------------------

def _describe(text: str, start: int, end: int, group: list[_Figure], sections: "_Sections",
              doc_year: Optional[int]) -> list[Measure]:
    parts = _segments(text, start, end, group)
    clause = text[start:end]
    metrics = [_metric(text, f, s, e) or _row_label(text, f.start) for f, (s, e) in zip(group, parts)]
    shared = _shared_metric(metrics)
    out = []
    for i, (f, (s, e), metric) in enumerate(zip(group, parts, metrics)):
        outside = _figure_before_bracket(text, group, i)
        if outside is not None and len((metric or "").split()) <= 2:
            # '91,5% (chỉ tiêu 95%)', '98,6% (cấp tỉnh 99,1%, cấp huyện 97,2%)': what the figure before measures
            metric = metrics[outside]
        section_kind, section_year = sections.context(f.start)
        lead_kind, lead_year = _lead_in(text, f.start, doc_year)  # 'Phấn đấu đến năm 2025:' over its list: a nearer section
        column_kind, column_year = _column_kind(text, f.start)  # a table's 'Kế hoạch' / 'Thực hiện' column: nearer still
        section_kind = column_kind or lead_kind or section_kind
        section_year = column_year or lead_year or section_year
        kind = _kind(text, f, s, e, start, end, section_kind, doc_year)
        as_of = _as_of(text, f, start, sections) if kind == "actual" else None
        year = _year(text, f, s, e, section_year, doc_year, kind, as_of)
        if shared and metric and shared.startswith(_strip_scope(metric)):
            metric = shared
        out.append(Measure(
            value=f.value, unit=f.unit, kind=kind, metric=metric or None,
            scope=_scope(text, f, s, e, start), year=year, as_of=as_of, bound=f.bound,
            span=Span(f.start, f.end), quote=_quote(text, s, e),
        ))
    return out


YEAR_LEADS_CLAUSE = 16  # characters before 'năm 2023' at most: 'Tính đến cuối ', 'Trong '
BY_YEAR_RE = regex.compile(r"đến|cuối", regex.I)  # '(Đ)đến năm 2025', 'cuối năm 2025': a deadline
# A rule of an index: its figures are thresholds ('nếu thấp hơn 60% thì không tính điểm').
SCORING_RE = regex.compile(rf"{words_re(cues('scoring'), regex.I).pattern}|(?i:\bnếu\b[^;]*\bthì\b)")
# 'Bộ chỉ số gồm 09 chỉ số chính': a count that says how a thing is built, not a result
STRUCTURE_BEFORE_RE = regex.compile(rf"(?i:{phrases(cues('structure_count'))})\s*(?:có\s+)?$")
# Verbs that report a level, but state a goal after a target cue: 'phấn đấu … đạt 90%'
WEAK_ACTUAL = frozenset(("đạt", "hoàn thành"))
DONE_BEFORE_RE = regex.compile(r"(?i:(?<![\p{L}])đã)\s+$")
BRACKETED_RE = regex.compile(r"\([^()]*\)")


def _kind(text: str, f: _Figure, s: int, e: int, start: int, end: int, section_kind: Optional[str],
          doc_year: Optional[int] = None) -> str:
    """target / actual / other, by the status word that governs the figure.

    The words before a figure govern it, the nearest first; a bracket opens a clause of its
    own: 'đạt 91,5% (chỉ tiêu tối thiểu 95%)' is 91,5 actual and 95 target. A year after the
    document's own is yet to come: a figure for it is a goal unless a report says it was met.
    """
    before = text[s:f.start]
    after = text[f.tail:e]
    if _cites_a_document(before) or EXCEEDS_RE.search(before) or BUDGET_SHARE_RE.match(after):
        return "other"
    if SCORING_RE.search(text, start, end):
        return "other"
    if f.unit != "%" and STRUCTURE_BEFORE_RE.search(before):
        return "other"
    opened = text.rfind("(", start, f.start)
    if opened >= 0 and text.find(")", opened, f.start) < 0:
        own = _cue_kind(text[opened:f.start])
        if own:
            return own
        if BRACKET_TARGET_RE.match(text, opened + 1, f.start):  # '… đạt 92% (chỉ tiêu 95%)', '(kế hoạch 90%)'
            return "target"
    else:
        opened = f.start
    governing_text = BRACKETED_RE.sub(" ", text[start:opened])
    governing = _cue_kind(governing_text)
    if governing == "target":
        return "target"
    # a bare 'đạt' with a floor is a level to reach, a criterion: 'đạt từ 90% trở lên' ('đã đạt …' reports)
    if governing == "actual" and MIN_AFTER_RE.match(text[f.tail:f.tail + 12]) and not _strong_actual(governing_text):
        return "target"
    # a share for a year to come: 'đạt 90% vào cuối năm 2025', 'chiếm 20% GRDP vào năm 2030' in a plan of
    # 2024 (a count is as often a programme's list, '01 dự án … trong năm 2026', so shares only)
    if f.unit == "%" and not _strong_actual(governing_text) and _names_a_later_year(text, start, end, doc_year):
        return "target"
    # 'đã …', 'hiện nay …' report even under a heading of goals; a bare 'đạt' follows the section
    if governing == "actual" and (not section_kind or _strong_actual(governing_text)):
        return "actual"
    if section_kind:
        return section_kind
    rest = BRACKETED_RE.sub(" ", text[f.tail:end])  # no cue before it: one after it in the clause
    if TARGET_CUE.search(rest):
        return "target"
    if ACTUAL_CUE.search(rest):
        return "actual"
    clause = text[start:end]
    m = YEAR_RE.search(clause)
    if m and BY_YEAR_RE.search(clause[max(0, m.start() - 12):m.start()]):
        return "target"
    return "other"


COMPARED_WITH = regex.compile(r"(?i:so\s+với)\s*$")  # 'tăng 12% so với năm 2025': a base, not a deadline


TARGET_COLUMN = tuple(fold(cue) for cue in cues("target_column"))
ACTUAL_COLUMN = tuple(fold(cue) for cue in cues("actual_column"))
HEADER_ROWS_BACK = 40  # table rows looked back over for the column's heading
COLUMN_HEADING_MAX = 40  # characters: a heading cell, not a row's text
WORDS_RE = regex.compile(r"\p{L}{2,}\s+\p{L}{2,}")  # two words at least: a label, not a unit ('%') nor 'x'
CELL_YEAR_RE = regex.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


def _column_kind(text: str, pos: int) -> tuple[Optional[str], Optional[int]]:
    """(kind, year) the heading of the table column holding pos gives its figures: '| Kế hoạch năm 2025 |'
    above a cell is a target for 2025, '| Thực hiện |' an actual; (None, None) outside a table or
    under another heading ('Tỷ lệ so với kế hoạch (%)')."""
    row = _table_row(text, pos)
    if row is None:
        return None, None
    column = text.count("|", row[0], pos)
    for _, line in lines_before(text, row[0], HEADER_ROWS_BACK):
        cells = line.split("|")
        if len(cells) < 2:
            break  # the table's first row is behind
        head = fold(cells[column]).strip() if column < len(cells) else ""
        if not head or len(head) > COLUMN_HEADING_MAX:
            continue
        kind = "target" if head.startswith(TARGET_COLUMN) else "actual" if head.startswith(ACTUAL_COLUMN) else None
        if kind:
            year = CELL_YEAR_RE.search(head)
            return kind, int(year.group(1)) if year else None
    return None, None


def _row_label(text: str, pos: int) -> str:
    """What a table row measures, for a figure alone in its cell: the row's first cell of words
    ('| 1 | Tỷ lệ hồ sơ trực tuyến | 90% | 85,3% |'); '' outside a table."""
    row = _table_row(text, pos)
    if row is None:
        return ""
    cells = text[row[0]:row[1]].split("|")
    return next((label for label in (_clean_metric(cell) for cell in cells) if WORDS_RE.search(label)), "")


def _table_row(text: str, pos: int) -> Optional[tuple[int, int]]:
    """(start, end) of the line holding pos when it is a table's row (its cells split by '|'), else None."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    return (start, end) if "|" in text[start:end] else None


def _cites_a_document(before: str) -> bool:
    """Whether the figure is another document's: one is cited before it with no status word of this text's
    between ('chỉ tiêu theo Quyết định số 12/QĐ-UBND là 90%'; not '… Công văn số 5990/VPCP-KSTT … để đảm bảo
    hoàn thành chỉ tiêu 100%')."""
    cited = None
    for cited in DOC_CITED_RE.finditer(before):
        pass
    return cited is not None and not (TARGET_CUE.search(before, cited.end()) or ACTUAL_CUE.search(before, cited.end()))


def _names_a_later_year(text: str, start: int, end: int, doc_year: Optional[int]) -> bool:
    """Whether the clause text[start:end] names a year after the document's own, not as a base of comparison."""
    return bool(doc_year) and any(
        int(m.group("year")) > doc_year and not COMPARED_WITH.search(text, max(start, m.start() - 12), m.start())
        for m in YEAR_RE.finditer(text, start, end))


LAST_SENTENCE = regex.compile(r"[^.;]*$")


INLINE_LEAD_MAX = 80  # characters: 'Mục tiêu đến năm 2030:' opening a paragraph of clauses, not a sentence ending in ':'


def _lead_in(text: str, pos: int, doc_year: Optional[int] = None) -> tuple[Optional[str], Optional[int]]:
    """(kind, year) the line ending in ':' gives to the list item at pos that hangs from it:
    'Phấn đấu đến năm 2025:' / '- 80% hồ sơ …' is a target for 2025; so does a lead opening the
    figure's own paragraph to each of its clauses ('Đến năm 2030: kinh tế số đạt 30% GDP; tỷ lệ … đạt
    80%'), when it names a goal or a year after the document's own; (None, None) without one."""
    line_start = text.rfind("\n", 0, pos) + 1
    line = lead_in_line(text, line_start)
    inline = False
    if line is None:
        colon = text.find(":", line_start, min(pos, line_start + INLINE_LEAD_MAX + 1))
        if colon < 0 or FULL_STOP_RE.search(text, colon, pos):
            return None, None
        line, inline = text[line_start:colon + 1], True
    line = LAST_SENTENCE.search(line).group(0)  # its last sentence, not what a long paragraph said before
    # a goal or a deadline only: a report's words in a lead-in are a rule's condition as often
    # ('… khi đạt các tiêu chí sau:') or another verb's syllables ('thực hiện có hiệu quả …:')
    year = YEAR_RE.search(line)
    deadline = year and BY_YEAR_RE.search(line, 0, year.start())
    if inline and deadline and doc_year and int(year.group("year")) <= doc_year:
        deadline = None  # 'Kết quả đến năm 2024: …' in a report of 2024
    kind = "target" if _cue_kind(line) == "target" or deadline else None
    return kind, int(year.group("year")) if year and kind else None


def _figure_before_bracket(text: str, group: list[_Figure], i: int) -> Optional[int]:
    """The index of the figure before the bracket that figure i stands in, or None:
    '… 98,6% (cấp tỉnh 99,1%, cấp huyện 97,2%' gives 0 for both figures in the bracket."""
    if not i:
        return None
    opened = text.rfind("(", group[0].tail, group[i].start)
    if opened < 0 or text.find(")", opened, group[i].start) >= 0:
        return None
    return max((k for k in range(i) if group[k].tail <= opened), default=None)


def _strong_actual(before: str) -> bool:
    """A status word that reports whatever the section: 'đã', 'hiện nay', 'tính đến' (not a bare 'đạt')."""
    return any(m.group(0).lower() not in WEAK_ACTUAL for m in ACTUAL_CUE.finditer(before))


def _cue_kind(before: str) -> Optional[str]:
    """The kind the nearest status word before a figure gives; 'đạt' after a target cue stays a goal.

    >>> _cue_kind("Phấn đấu đến năm 2025, tỷ lệ hồ sơ đạt"), _cue_kind("Năm 2022 đã đạt"), _cue_kind("gồm")
    ('target', 'actual', None)
    """
    # a goal verb after 'đã' reports it was met: 'đã đảm bảo 100%'
    targets = [m.start() for m in TARGET_CUE.finditer(before) if not DONE_BEFORE_RE.search(before, 0, m.start())]
    actuals = [(m.start(), m.group(0).lower()) for m in ACTUAL_CUE.finditer(before)]
    if not targets and not actuals:
        return None
    if not actuals:
        return "target"
    last_actual, word = max(actuals)
    if targets and (max(targets) > last_actual or word in WEAK_ACTUAL):
        return "target"
    return "actual"


def _as_of(text: str, f: _Figure, clause_start: int, sections: "_Sections") -> Optional[str]:
    """The stated date of an actual, looked for in its clause, then its paragraph so far."""
    para_start = text.rfind("\n", 0, f.start) + 1
    for lo in (clause_start, para_start):
        found = None
        for m in AS_OF_RE.finditer(text, lo, f.start):
            found = m
        if found:
            return SPACES_RE.sub(" ", found.group("date")).replace(" /", "/").replace("/ ", "/")
    return None


def _year(text: str, f: _Figure, s: int, e: int, section_year: Optional[int], doc_year: Optional[int],
          kind: str, as_of: Optional[str]) -> Optional[int]:
    if kind == "other":
        return None
    if as_of:
        return int(as_of[-4:])
    after = YEAR_RE.search(text, f.tail, e)
    if after:
        return int(after.group("year"))
    before = None
    for before in YEAR_RE.finditer(text, s, f.start):
        pass
    if before and kind == "target":
        return int(before.group("year"))
    # a year that opens the clause dates a reported figure too: 'Năm 2023, …', 'Cuối năm 2023, … đạt 45%'
    if before and before.start() - s <= YEAR_LEADS_CLAUSE:
        return int(before.group("year"))
    return section_year or doc_year


# The verb that ends the population a figure counts: '100% CBCC cấp xã | được trang bị'.
POPULATION_END_RE = words_re(cues("population_end"))


def _scope(text: str, f: _Figure, s: int, e: int, clause_start: int) -> Optional[str]:
    """The levels a figure applies to, named between it and its verb, else before it.

    '100% CBCC cấp xã được trang bị máy tính' → 'cấp xã';
    'Trong đó, cấp tỉnh và cấp huyện đạt 100%' → 'cấp tỉnh và cấp huyện'.
    """
    verb = POPULATION_END_RE.search(text, f.tail, e)
    after = text[f.tail:verb.start() if verb else e]
    scope = _levels(after) or _levels(text[s:f.start])
    if scope:
        return scope
    # the whole province, named after the figure or anywhere before it in its clause ('Trên toàn tỉnh, …')
    m = PROVINCE_WIDE_RE.search(after) or PROVINCE_WIDE_RE.search(text, clause_start, f.start)
    return m.group().lower() if m else None


def _levels(segment: str) -> Optional[str]:
    """The levels named in a stretch of text: 'cấp tỉnh, cấp huyện' or the phrase itself."""
    phrases = [m.group() for m in LEVEL_LIST_RE.finditer(segment)]
    phrases += [level for pattern, level in POPULATION_LEVELS if pattern.search(segment)]
    if not phrases:
        return None
    if len(phrases) == 1:
        return phrases[0]
    named = {lvl for p in phrases for lvl in LEVEL_ORDER if LEVEL_WORD_RE[lvl].search(p)}
    return ", ".join(f"cấp {lvl}" for lvl in LEVEL_ORDER if lvl in named)


SCOPE_LINK_RE = regex.compile(r"\s+(?:tại|ở|của)\s*(?=\s|$)")  # left over once the levels are cut out


def _strip_scope(phrase: str) -> str:
    phrase = LEVEL_LIST_RE.sub("", phrase)
    phrase = SCOPE_LINK_RE.sub(" ", phrase)
    return SPACES_RE.sub(" ", phrase).strip(" ,")


# What a metric never starts with: articles and linking words.
# 'số' (the number of) leads a metric, but not in a word of its own: 'số hóa', 'số liệu'
_METRIC_LEAD = regex.compile(r"^(?:các|những|tất cả|toàn bộ|số(?!\s+(?:hóa|hoá|liệu)\b)|tổng số)\s+", regex.I)
_METRIC_END = regex.compile(r"\s*(?:\(|,\s*(?:trong đó|gồm|với|bao gồm|người dân chỉ)|\bnhằm\b|\bđể\b|\bvào cuối\b|\bvào năm\b|\btrước\b|\bso với\b|$)")
_METRIC_BEFORE_TRIM = regex.compile(
    r"(?:^.*?\b(?:tính đến|tính tới|trong đó|hiện nay|đến nay)[^,]*,\s*)|"
    r"^(?:tỷ lệ|tỉ lệ)\s+", regex.I)
# After a percentage: a word opens its metric, unless it is one of these.
WORD_AFTER_RE = regex.compile(r"\s*(?:các\s+|những\s+)?[^\W\d_]")
NOT_METRIC_AFTER_RE = regex.compile(
    r"\s*(?:trở lên|vào|trên tổng|so với|tổng|trong|năm|đến|theo|và|hoặc|là|thì|của)\b")
# Before a figure: the verb, the figure itself and its unit, which end the subject.
VERB_AND_FIGURE_RE = regex.compile(
    r"\s*(?:đạt tỷ lệ|đạt|là|bằng|chiếm|lên trên|lên|khoảng|tối thiểu|ít nhất|trên)?\s*[:\s]*"
    r"(?:\d[\d.,]*\s*[^\W\d_]*\s*,?\s*(?:đạt tỷ lệ|đạt)?\s*)?$", regex.I)
TRAILING_VERB_RE = regex.compile(r"\s+(?:đạt|là)\s*:?\s*$")
VERB_THEN_FIGURE_RE = regex.compile(r"\s+(?:là|đạt)\s*:?\s*\d[\d.,]*.*$")
UP_TO_RATE_RE = regex.compile(r"^.*\b(?:tỷ lệ|tỉ lệ)\s+")
TRAILING_LINK_RE = regex.compile(r"\s+(?:và|hoặc)$")  # the link to the next figure


def _metric(text: str, f: _Figure, s: int, e: int) -> str:
    """What the figure measures: the noun phrase after it, or the subject before `đạt`/`là`.

    '90% hồ sơ công việc tại cấp tỉnh' → 'hồ sơ công việc tại cấp tỉnh';
    'Tỷ lệ CBCCVC sử dụng thư điện tử công vụ đạt 65%' → 'CBCCVC sử dụng thư điện tử công vụ'.
    """
    if f.unit != "%":
        return _metric_before(text[s:f.start]) or f.unit
    after = text[f.tail:e]
    if WORD_AFTER_RE.match(after) and not NOT_METRIC_AFTER_RE.match(after):
        phrase = after[:_METRIC_END.search(after).start()]
        return _clean_metric(phrase)
    return _metric_before(text[s:f.start])


def _metric_before(before: str) -> str:
    before = VERB_AND_FIGURE_RE.sub("", before)
    before = TRAILING_VERB_RE.sub("", before)
    before = VERB_THEN_FIGURE_RE.sub("", before)
    before = _METRIC_BEFORE_TRIM.sub("", before.strip(" ,:"))
    before = UP_TO_RATE_RE.sub("", before)
    return _clean_metric(before)


FUNCTION_WORDS = frozenset(cues("function_word"))
HAS_LETTER_RE = regex.compile(r"[^\W\d_]")


def _clean_metric(phrase: str) -> str:
    phrase = SPACES_RE.sub(" ", phrase.replace("*", "")).strip(" ,;:.-").rstrip(" (")  # 'Có 95/100 xã (đạt 95%)'
    phrase = TRAILING_LINK_RE.sub("", phrase)
    phrase = _METRIC_LEAD.sub("", phrase)
    if phrase.lower() in FUNCTION_WORDS or not HAS_LETTER_RE.search(phrase):
        return ""  # 'với', 'trong đó gồm', '≥': nothing measured is named
    words = phrase.split()
    if len(words) > 30:
        phrase = _whole_words(words[:31], 30)
    return phrase


def _shared_metric(metrics: list[str]) -> Optional[str]:
    """'hồ sơ công việc tại cấp tỉnh' … 'hồ sơ công việc tại cấp xã được xử lý' share the last one."""
    if len(metrics) < 2 or not metrics[-1]:
        return None
    last = _strip_scope(metrics[-1])
    heads = [_strip_scope(m) for m in metrics[:-1] if m]
    if heads and all(last.startswith(h) and h != last for h in heads):
        return last
    return None


def _quote(text: str, s: int, e: int) -> str:
    return SPACES_RE.sub(" ", text[s:e].replace("*", "")).strip(" ,;")


# ---------------------------------------------------------------------------
# Headings
# ---------------------------------------------------------------------------

def find_headings(text: str) -> list[tuple[int, str]]:
    """Section headings by their label, for when the pipeline gives none.

    'I. MỤC TIÊU' and '1. Mục tiêu đến năm 2025' count; a long numbered paragraph
    ending in a full stop does not.
    """
    out = []
    for m in HEADING_RE.finditer(text):
        title = m.group("title").strip()
        if len(title) > 120 or title.endswith((".", ";", ",")) and len(title) > 60:
            continue
        out.append((m.start("label"), f"{m.group('label')} {title}".strip()))
    return out


FOLDED_YEAR_RE = regex.compile(r"nam\s+((?:19|20)\d\d)")  # 'năm 2025' in a folded heading


def _heading_level(heading: str) -> int:
    """The depth of a heading by its label (grammar.LEVELS); below all of them without one."""
    name, depth = label_level(heading)
    return depth if name else UNLABELLED


def _part_alone(heading: str) -> bool:
    """'Phần I' on its own line: the part's name is on the next."""
    bare = heading.strip()
    return label_level(bare)[0] == "part" and label_of(bare) == bare


class _Sections:
    """What the headings above a position say: goals or review, and the year they name."""

    def __init__(self, text: str, headings: list[tuple[int, str]]):
        self.entries = []
        for offset, heading in headings:
            title = heading
            if _part_alone(heading):
                # 'Phần I' on its own line: its name is the next line.
                nxt = text[offset:].split("\n", 2)
                title = heading + " " + (nxt[1] if len(nxt) > 1 else "")
            self.entries.append((offset, _heading_level(heading), fold(title)))

    def context(self, pos: int) -> tuple[Optional[str], Optional[int]]:
        chain: list[tuple[int, str]] = []
        for offset, level, title in self.entries:
            if offset > pos:
                break
            chain = [c for c in chain if c[0] < level] + [(level, title)]
        kind = year = None
        for _, title in reversed(chain):
            if kind is None:
                if any(cue in title for cue in TARGET_HEADING):
                    kind = "target"
                elif any(cue in title for cue in REVIEW_HEADING):
                    kind = "actual"
            if year is None:
                m = FOLDED_YEAR_RE.search(title)
                if m:
                    year = int(m.group(1))
        return kind, year
