"""Evidence for DTI indicators: for a province (and year), rank what the corpus offers.

Three kinds of candidate, each scored in [0, 1] and ranked together:
- documents: ingested documents and the documents they cite (refs), e.g. for 2.1 the
  Nghị quyết 48-NQ/TU of the Ban Chấp hành Đảng bộ tỉnh Tuyên Quang về chuyển đổi số;
- measures: figures the extractors found, e.g. for 6.8 "số dịch vụ công đang cung cấp
  mức độ 4 là: 1.044, đạt tỷ lệ 55,82%";
- passages: sentences retrieved from the FTS index, e.g. for 6.20 "Thí điểm triển khai
  Trợ lý ảo (Chatbot) để hỗ trợ cho mỗi CBCCVC".

A candidate's relevance is the share of the indicator's concepts (models/data hints) it
mentions, after diacritic folding and abbreviation expansion; it is then weighed by how
well its form fits the indicator (document type and issuer, unit and kind of a figure,
a deployed fact rather than a plan) and penalised when it merely restates the indicator
or sits in a section that lists criteria (Kế hoạch 187/KH-UBND restates every indicator).

Only candidates scoring at least THRESHOLD are reported; an indicator without one is
reported as having no evidence.

Candidates come from indexes, not from reading the whole province for each indicator:
passages from the FTS index over passages (the HITS most recently stored of those
mentioning enough of the indicator's concepts to reach the threshold); figures standing
in them or just after one; documents from a word index of their types and titles, built
once per province. Each text is reduced (keyed, folded) once and kept for every
indicator that asks for it.
"""
from __future__ import annotations

import json
import math
import sqlite3
import sys
from bisect import bisect_right
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Optional

import regex
import sqlite_utils
from tqdm import tqdm

from vanban.extractors.grammar import LABEL
from vanban.models.dti import Catalogue, Concept, Indicator, Term, abbreviations, catalogue, has_diacritics, match_key
from vanban.models.vietnamese import fold
from vanban.pipeline.store import MAX_VARIABLES, jurisdictions_cited, provinces as stored_provinces

# Chosen on the seed corpus (tests/fixtures/evidence_gold.json, checked by
# tests/test_evidence.py::test_threshold_separates): every gold evidence item scores
# >= 0.54 (a full match with a small year or form discount) while the best candidate of
# indicators known to have none (Tuyên Quang 1.4, 2.9) scores about 0.3, and a full match
# in a section of aims (0.6 × 0.55) or a half match (≤ 0.47) stays below; 0.5 sits between.
THRESHOLD = 0.5

# How far a figure's sentence reaches around it when judging what it counts.
CONTEXT_BEFORE = 250
CONTEXT_AFTER = 160

# Passages an indicator looks at (their sentences and the figures in and after them): the
# most recently stored of those mentioning enough of its concepts to reach the threshold.
# The seeds' most is 52 (202 with no threshold); a province of 100,000 documents has
# tens of thousands, and ranking them all by bm25 costs FTS5 a pass over every
# phrase's rows (0.2–1 s a query), so the newest stand for them.
HITS = 300
# A figure's sentence may open this many passages before its own: a heading or lead-in
# ("Tỷ lệ DVCTT:") whose list items carry the figures ("+ mức độ 4: 55,82%").
LEAD_IN = 2

# Form fit: how well each kind of candidate can answer each kind of indicator.
DOCUMENT_FIT = {"document": 1.0, "boolean": 0.8}  # a document is weak evidence of a figure
DOCUMENT_FIT_OTHER = 0.4
PASSAGE_FIT = {"boolean": 0.85, "document": 0.6}  # a sentence about a document is not the document
PASSAGE_FIT_OTHER = 0.6  # figures: a sentence without an extracted value
MEASURE_KIND_FIT = {"actual": 1.0, "other": 0.7, "target": 0.45}  # a target is not an achievement

COVERAGE_POWER = 1.5
ROUNDING = 0.0005  # scores are rounded to 3 places before they meet the threshold
WIDE_SENTENCE = 0.9  # a figure matched only through the rest of its sentence
TYPE_MISMATCH = 0.5
ISSUER_MISMATCH = 0.6
ISSUER_UNKNOWN = 0.8
EXCLUDED = 0.5  # the candidate names a neighbouring indicator's subject (6.19 vs 6.20)
RESTATEMENT = 0.15  # "+ Tỷ lệ DVCTT mức độ 4 hoặc toàn trình." under "Các tiêu chí đạt điểm"
CRITERIA_SECTION = 0.3
PLANNING = 0.75  # a plan cue in the sentence
PLAN_SECTION = 0.55  # under "Mục tiêu", "Nhiệm vụ, giải pháp": what is wanted, not what is
NEGATED = 0.6
DEPLOYED = 1.1  # capped at a score of 1; passages fit at most 0.85, so no factor lifts a score past its coverage

# A blank line ends a sentence only before a list mark or a numbered heading: text read
# from PDFs also puts blank lines inside sentences.
_NEW_BLOCK = rf"|\n\s*\n(?=\s*{LABEL})"
_SENTENCE_END = regex.compile(r"[.;!?](?=\s|$)" + _NEW_BLOCK)
_FULL_STOP = regex.compile(r"[.!?](?=\s|$)" + _NEW_BLOCK)
_NON_WORD = regex.compile(r"[^\p{L}\p{N}]+")
_SPACE = regex.compile(r"\s+")


class Key:
    """A text reduced by models.dti.match_key once, to test many terms against.

    Whole-word containment as models.dti.contains_term, with the text's diacritics looked
    at once: text typed without them ('ke hoach chuyen doi so') is compared folded.

    >>> Key("Tỷ lệ DVCTT mức độ 4").has(Term("dịch vụ công", "dịch vụ công"))
    True
    """

    __slots__ = ("text", "accented", "cues", "_padded")

    def __init__(self, text: str):
        self.text = match_key(text)
        self.accented = has_diacritics(self.text)
        self.cues: dict = {}  # Cue → found, asked once
        self._padded = f" {self.text} "

    def has(self, term: Term) -> bool:
        if not term.key:
            return False
        return f" {term.key} " in self._padded or (not self.accented and f" {_folded(term.key)} " in self._padded)


@lru_cache(maxsize=None)
def _folded(term_key: str) -> str:
    return fold(term_key)


class Cue:
    """Words that mark a sentence or heading, matched with diacritics ('đạt' is not 'đất',
    'sẽ' is not 'chia sẻ'), and folded only in text typed without them."""

    def __init__(self, *words: str):
        self.accented = regex.compile(r"(?<![\p{L}\p{N}])(" + "|".join(words) + r")(?![\p{L}\p{N}])")
        self.folded = regex.compile(r"(?<![\p{L}\p{N}])(" + "|".join(fold(w) for w in words) + r")(?![\p{L}\p{N}])")

    def search(self, key: Key) -> bool:
        if self not in key.cues:
            key.cues[self] = bool((self.accented if key.accented else self.folded).search(key.text))
        return key.cues[self]


# Sections that list or describe the index itself ("Các tiêu chí đạt điểm", "Giới thiệu
# tổng quan về bộ chỉ số"): restating the index is not evidence of meeting it.
_CRITERIA = Cue("tiêu chí", "bộ chỉ số", "chỉ số chính", "chỉ số thành phần")
# The sentence states something done or reached.
_DEPLOYED = Cue("đã triển khai", "đã ban hành", "đã hoàn thành", "đã cấp", "đã thực hiện", "đã kết nối", "đã đầu tư",
                "đã phục vụ", "đã xây dựng", "hoàn thành", "chính thức hoạt động", "đi vào hoạt động",
                "đưa vào sử dụng", "duy trì", "thí điểm", "đạt tỷ lệ", "đạt")
# The sentence asks for something to be done.
_PLANNING = Cue("phấn đấu", "dự kiến", "sẽ", "tham mưu", "nghiên cứu", "đề xuất", "xem xét", "nhằm", "tăng tỷ lệ", "tăng cường",
                "đẩy mạnh", "khuyến nghị", "kiến nghị", "sớm", "chủ trì")
_NEGATED = Cue("chưa", "không có")
# Headings that frame what follows as a plan, a list of shortcomings, or a report of results.
_PLAN_SECTION = Cue("mục tiêu", "nhiệm vụ", "giải pháp", "nội dung kế hoạch", "tổ chức thực hiện", "phương hướng",
                    "kiến nghị", "đề xuất", "danh mục nhiệm vụ")
_PROBLEM_SECTION = Cue("tồn tại", "hạn chế", "nguyên nhân", "khó khăn", "vướng mắc")
_RESULT_SECTION = Cue("kết quả", "hiện trạng", "tình hình", "môi trường pháp lý", "căn cứ pháp lý")
# Function words, written as underthesea segments them: 'tỷ lệ' is one word, not 'tỷ' and 'lệ'.
_STOPWORDS = frozenset(fold(w.strip()) for w in (
    "của, các, và, về, cho, có, được, là, trong, với, tại, theo, đến, từ, này, đó, những, một, hoặc, "
    "tỉnh, thành phố, số lượng, tỷ lệ, triển khai").split(","))


@dataclass
class Evidence:
    """One ranked piece of evidence for an indicator, with where it stands."""

    indicator: str
    kind: str  # "document", "measure" or "passage"
    document: str  # số hiệu of the document that establishes or states it, else its file name
    source: str  # file the text was read from (the citing file for a cited document)
    doc_id: str
    page: Optional[int]
    quote: str
    score: float
    reason: str
    value: Optional[float] = None
    unit: Optional[str] = None
    as_of: Optional[str] = None
    year: Optional[int] = None


@dataclass
class IndicatorEvidence:
    indicator: Indicator
    evidence: list = field(default_factory=list)  # list[Evidence], best first, all >= threshold
    status: str = "none"  # "found", "none", or "unnamed" (the catalogue could not name it)

    def as_dict(self) -> dict:
        i = self.indicator
        return {"indicator": i.code, "name": i.name or None, "main_index": i.main_index_name,
                "evidence_kind": i.evidence_kind or None, "status": self.status,
                "evidence": [asdict(e) for e in self.evidence]}


@dataclass
class Match:
    """How a text matches an indicator: share of concepts met and the wordings found."""

    coverage: float
    terms: list
    excluded: bool
    weight: float = 1.0  # < 1 when the terms were found only in a wider context

    @property
    def factor(self) -> float:
        # Superlinear in coverage: half the concepts is a topic match, not evidence.
        return self.coverage ** COVERAGE_POWER * self.weight * (EXCLUDED if self.excluded else 1.0)


def match(indicator: Indicator, key: Key) -> Match:
    """Share of the indicator's concepts that key mentions.

    >>> match(catalogue(2021).get("6.8"), Key("đạt tỷ lệ 55,82% DVCTT mức độ 4")).terms
    ['dịch vụ công', 'mức độ 4']
    """
    found = [next((t for t in c.terms if key.has(t)), None) for c in indicator.concepts]
    terms = [t.text for t in found if t]
    coverage = len(terms) / len(indicator.concepts) if indicator.concepts else 0.0
    return Match(coverage, terms, any(key.has(t) for t in indicator.excludes))


def needed_concepts(indicator: Indicator, threshold: float) -> int:
    """The fewest of the indicator's concepts a candidate must mention to reach threshold.

    No factor lifts a score above coverage ** COVERAGE_POWER, so with 0.5 one concept of
    two is not enough (0.35), two of three may be (0.54).
    >>> needed_concepts(catalogue(2021).get("6.8"), THRESHOLD), needed_concepts(catalogue(2021).get("6.8"), 0)
    (2, 1)
    """
    n = len(indicator.concepts)
    if threshold <= 0 or n <= 1:
        return 1
    share = (threshold - ROUNDING) ** (1 / COVERAGE_POWER)
    return max(1, min(n, math.ceil(n * share - 1e-9)))


# --- word-level restatement -------------------------------------------------------------

@lru_cache(maxsize=65536)
def content_words(text: str) -> frozenset:
    """Folded words of text by underthesea's word segmentation, without function words.

    >>> sorted(content_words("Tỷ lệ DVCTT mức độ 4"))
    ['4', 'dvctt', 'muc do']
    """
    from underthesea import word_tokenize  # offline, bundled model; imported late: it is slow to load

    words = (" ".join(_words(fold(w))) for w in word_tokenize(text))
    return frozenset(w for w in words if w and w not in _STOPWORDS)


def _words(text: str) -> list:
    return [p for p in _NON_WORD.split(text) if p]


def restates(indicator: Indicator, text: str) -> bool:
    """True when text is (nearly) the indicator's own name: little besides its words.

    '+ Tỷ lệ DVCTT mức độ 4 hoặc toàn trình.' restates 6.8; a sentence with a figure does not.
    """
    words = content_words(text)
    if not words:
        return False
    name = content_words(indicator.name)
    if any(w[0].isdigit() for w in words - name):
        return False  # "Số lượng hệ thống thông tin đã được phê duyệt cấp độ: 01." gives a value
    return len(words & name) / len(words) >= 0.7 and len(words) <= len(name) + 4


# --- index queries ----------------------------------------------------------------------

def _forms(term: Term, within: bool) -> list:
    """A term's wordings as folded phrases: itself, its expansion if it is an abbreviation,
    and the abbreviation it expands; with `within`, also every abbreviation whose
    expansion holds it ('dịch vụ công' → DVC, DVCTT), as Key.has finds it after expansion."""
    expansions = abbreviations()
    folded = " ".join(_words(fold(term.text)))
    forms = [term.text] + ([expansions[term.text]] if term.text in expansions else [])
    for abbreviation, expansion in expansions.items():
        expanded = " ".join(_words(fold(expansion)))
        if folded and (folded == expanded or within and f" {folded} " in f" {expanded} "):
            forms.append(abbreviation)
    return [" ".join(_words(fold(f))) for f in forms]


@lru_cache(maxsize=None)
def _phrases(concept: Concept, within: bool = False) -> tuple:
    """FTS5 phrases for the wordings of a concept (see _forms)."""
    out: list = []
    for term in concept.terms:
        for words in _forms(term, within):
            if words and f'"{words}"' not in out:
                out.append(f'"{words}"')
    return tuple(out)


def fts_match(indicator: Indicator, needed: int = 1) -> str:
    """FTS5 query for passages mentioning at least `needed` of the indicator's concepts,
    in any wording, abbreviations both ways.

    >>> fts_match(catalogue(2021).get("6.20"))
    '"tro ly ao" OR "chatbot" OR "cong chuc" OR "cbccvc" OR "can bo cong chuc vien chuc" OR "can bo"'
    >>> fts_match(catalogue(2021).get("6.19"), needed=2)
    '("tro ly ao" OR "chatbot") AND ("nguoi dan" OR "doanh nghiep")'
    """
    groups = [_phrases(c) for c in indicator.concepts if _phrases(c)]
    if needed <= 1 or len(groups) < needed:
        return " OR ".join(dict.fromkeys(p for g in groups for p in g))
    return " OR ".join(" AND ".join(f"({' OR '.join(g)})" for g in combo) for combo in combinations(groups, needed))


def _at_least(sets: list, needed: int) -> set:
    """Members of at least `needed` of the sets."""
    if needed <= 1:
        return set().union(*sets)
    if needed >= len(sets):
        return set.intersection(*map(set, sorted(sets, key=len))) if sets else set()
    counts = Counter(x for s in sets for x in s)
    return {x for x, n in counts.items() if n >= needed}


# --- the corpus of one province ------------------------------------------------------------

class ProvinceCorpus:
    """The documents of one province in the store; what candidates need is read once and kept."""

    def __init__(self, db: sqlite_utils.Database, province: str):
        self.db = db
        self.province = province
        wanted = fold(province)
        provinces = [p for p in stored_provinces(db) if fold(p) == wanted]
        self.docs = {r["doc_id"]: r for r in self.rows(
            "select doc_id, so_hieu, source_name, type, issuer, province, year, date, title from documents "
            f"where province in ({', '.join('?' * len(provinces))})", provinces)}
        # the province's doc_ids, for the index queries to join (a view row per hit costs more)
        self.members = f"evidence_{abs(hash(wanted)):x}"
        conn, in_transaction = db.conn, db.conn.in_transaction
        conn.execute(f"create temp table if not exists [{self.members}] (doc_id text primary key)")
        conn.execute(f"delete from temp.[{self.members}]")
        conn.executemany(f"insert into temp.[{self.members}] values (?)", ((d,) for d in self.docs))
        if not in_transaction:
            conn.commit()
        self._pages: dict = {}
        self._passages: dict = {}
        self._sentences: dict = {}
        self._keys: dict = {}
        self._sections: dict = {}
        self._criteria: dict = {}
        self._measures: dict = {}
        self._contexts: dict = {}
        self._holders: dict = {}
        self._concept_titles: dict = {}
        self._titled: Optional[list] = None
        self._title_index: dict = {}

    def doc_label(self, doc_id: str) -> str:
        d = self.docs[doc_id]
        return d["so_hieu"] or d["source_name"]

    def key(self, text: str) -> Key:
        """The Key of a text, made once."""
        if text not in self._keys:
            self._keys[text] = Key(text)
        return self._keys[text]

    def sentences(self, text: str) -> list:
        """(sentence, Key) of each sentence of a passage, made once per text."""
        if text not in self._sentences:
            self._sentences[text] = [(s, self.key(s)) for s in _sentences(text)]
        return self._sentences[text]

    def rows(self, sql: str, params=()) -> list:
        """Rows as sqlite3.Row: read by column name, made in C."""
        cursor = self.db.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params).fetchall()

    def page_text(self, doc_id: str, page: Optional[int]) -> str:
        if (doc_id, page) not in self._pages:
            row = self.db.execute("select text from pages where doc_id = ? and page = ?", [doc_id, page]).fetchone()
            self._pages[(doc_id, page)] = row[0] if row else ""
        return self._pages[(doc_id, page)]

    def read(self, doc_ids) -> None:
        """Load the passages and figures of the documents not read yet, many per query."""
        todo = [d for d in dict.fromkeys(doc_ids) if d not in self._passages]
        for start in range(0, len(todo), MAX_VARIABLES):
            chunk = todo[start:start + MAX_VARIABLES]
            marks = ", ".join("?" * len(chunk))
            figures: dict = {}
            for doc_id in chunk:
                self._passages[doc_id], figures[doc_id] = [], []
            for r in self.rows("select doc_id, seq, kind, level, page, page_start, page_end, text from passages "
                               f"where doc_id in ({marks}) order by doc_id, seq", chunk):
                self._passages[r["doc_id"]].append(r)
            for m in self.rows("select doc_id, seq, value, unit, kind, metric, year, as_of, page, page_start, page_end, "
                               f"quote from measures where doc_id in ({marks}) order by doc_id, seq", chunk):
                figures[m["doc_id"]].append(m)
            for doc_id, rows in figures.items():
                self._measures[doc_id] = [(self.holder(m), m) for m in rows]

    def passages(self, doc_id: str) -> list:
        self.read([doc_id])
        return self._passages[doc_id]

    def measures(self, doc_id: str) -> list:
        """(holding passage, figure) of every figure of a document, in order."""
        self.read([doc_id])
        return self._measures[doc_id]

    def search(self, query: str, limit: int = HITS) -> list:
        """The `limit` passages of the province last stored that match an FTS5 query of
        folded words, in the order stored (document order within a document).

        The query looks at the folded column only, so the same query serves a store
        whose index has it alone (schema 1) and one that also indexes the text as written.
        """
        rows = self.rows(
            "select p.doc_id, p.seq, p.page, p.text from passages_fts join passages p on p.rowid = passages_fts.rowid "
            f"join temp.[{self.members}] using (doc_id) where passages_fts match ? "
            "order by passages_fts.rowid desc limit ?", [f"{{text_folded}} : ({query})", limit])
        return rows[::-1]

    def in_criteria_section(self, doc_id: str, seq: int) -> bool:
        """True when the passage sits under a heading or lead-in that lists criteria (tiêu chí)."""
        if (doc_id, seq) not in self._criteria:
            self._criteria[(doc_id, seq)] = self._under_criteria(doc_id, seq)
        return self._criteria[(doc_id, seq)]

    def _under_criteria(self, doc_id: str, seq: int) -> bool:
        rows = self.passages(doc_id)
        own = rows[seq]
        for row in reversed(rows[:seq + 1]):
            lead_in = row["kind"] == "heading" or row["seq"] == seq or \
                (row["kind"], row["level"]) != (own["kind"], own["level"])
            if lead_in and _CRITERIA.search(self.key(row["text"])):
                return True
            if row["kind"] == "heading":
                return False
        return False

    def section_kind(self, doc_id: str, seq: int) -> str:
        """'plan', 'problems', 'results' or '': what the nearest telling heading above says.

        The headings above a passage are the nearest one, then the nearest above it of a
        higher rank, and so on: a stack of open headings, made once per document.
        """
        if doc_id not in self._sections:
            kinds, open_headings = [], []  # (level, what it says) of the headings in force
            for row in self.passages(doc_id):
                kinds.append(next((kind for _, kind in reversed(open_headings) if kind), ""))
                if row["kind"] == "heading":
                    while open_headings and open_headings[-1][0] >= row["level"]:
                        open_headings.pop()
                    key = self.key(row["text"])
                    open_headings.append((row["level"], next(
                        (kind for kind, cue in (("problems", _PROBLEM_SECTION), ("plan", _PLAN_SECTION),
                                                ("results", _RESULT_SECTION)) if cue.search(key)), "")))
            self._sections[doc_id] = kinds
        return self._sections[doc_id][seq]

    # figures

    def figures_near(self, hits: list) -> list:
        """The figures standing in the hit passages or in the LEAD_IN passages after one,
        by document and order."""
        wanted: dict = {}
        for r in hits:
            wanted.setdefault(r["doc_id"], set()).update(range(r["seq"], r["seq"] + LEAD_IN + 1))
        self.read(wanted)
        return [m for doc_id in sorted(wanted) for seq, m in self.measures(doc_id)
                if seq is None or seq in wanted[doc_id]]

    def holder(self, m: dict) -> Optional[int]:
        """The passage a figure stands in, by page offsets: the nearest one starting before
        it on its page that has not ended (a footnote printed mid-page, moved last in the
        cleaned text, does not hold the paragraph around it), else the one running on to
        its page from an earlier page."""
        if m["page"] is None:
            return None
        doc_id = m["doc_id"]
        if doc_id not in self._holders:
            self._holders[doc_id] = sorted(((r["page"] or 0, r["page_start"] or 0), r["page_end"], r["seq"])
                                           for r in self.passages(doc_id))
        starts = self._holders[doc_id]
        offset = m["page_start"] or 0
        at = bisect_right(starts, ((m["page"], offset), math.inf)) - 1
        while at >= 0:
            (page, _), end, seq = starts[at]
            if page != m["page"] or end is None or end > offset:
                return seq
            at -= 1
        return None

    def figure_context(self, m: dict) -> tuple:
        """A figure's sentence and its Key, and the sentence up to it (the wider context) and its Key."""
        if (m["doc_id"], m["seq"]) not in self._contexts:
            page_text = self.page_text(m["doc_id"], m["page"]) or m["quote"]
            start, end = (m["page_start"], m["page_end"]) if page_text != m["quote"] else (0, len(page_text))
            sentence = _sentence_around(page_text, start, end)
            wide = _sentence_before(page_text, start, end)
            self._contexts[(m["doc_id"], m["seq"])] = (sentence, self.key(f"{m['metric'] or ''} {m['quote']} {sentence}"),
                                                       wide, self.key(f"{m['metric'] or ''} {wide}"))
        return self._contexts[(m["doc_id"], m["seq"])]

    # documents

    def titled(self) -> list:
        """Ingested documents of the province and the provincial documents they cite, one per
        số hiệu: an ingested one wins, else the citation with the longest title."""
        if self._titled is None:
            found: dict = {}
            for doc_id, d in self.docs.items():
                if d["so_hieu"] or d["title"]:
                    found[_id_key(d["so_hieu"] or d["source_name"])] = dict(
                        document=self.doc_label(doc_id), type=d["type"], issuer=d["issuer"], title=d["title"] or "",
                        year=d["year"], doc_id=doc_id, source=d["source_name"], page=1,
                        quote=f"{d['type'] or ''} {d['so_hieu'] or ''} {d['title'] or ''}".strip(), ingested=True)
            wanted = fold(self.province)
            places = [j for j in jurisdictions_cited(self.db) if fold(j) == wanted]
            # per ref_id the row with the longest title, the first stored of those (max() gives the
            # other columns of its row), as below for one number spelt two ways
            for r in self.rows(
                    "select r.rowid as ref_row, r.doc_id, r.ref_id, r.type, r.year, r.issuer, r.title, "
                    "max(length(coalesce(r.title, '')) * 1000000000000 - r.rowid) "
                    f"from refs r join temp.[{self.members}] using (doc_id) "
                    f"where r.jurisdiction in ({', '.join('?' * len(places))}) group by r.ref_id order by r.rowid",
                    places):
                key = _id_key(r["ref_id"])
                old = found.get(key)
                if old and (old.get("ingested") or len(old["title"]) > len(r["title"] or "") or
                            len(old["title"]) == len(r["title"] or "") and old["ref_row"] < r["ref_row"]):
                    continue
                found[key] = dict(document=r["ref_id"], type=r["type"], issuer=r["issuer"], title=r["title"] or "",
                                  year=r["year"], doc_id=r["doc_id"], source=self.docs[r["doc_id"]]["source_name"],
                                  ref_row=r["ref_row"])
            self._titled = list(found.values())
            for i, c in enumerate(self._titled):
                for word in set(_words(fold(f"{c['type'] or ''} {c['title']}"))):
                    self._title_index.setdefault(word, set()).add(i)
        return self._titled

    def titles_mentioning(self, concept: Concept) -> set:
        """Positions in titled() whose type and title may mention the concept: every word of
        one of its wordings is there (Key.has decides)."""
        if concept not in self._concept_titles:
            self.titled()
            found: set = set()
            for phrase in _phrases(concept, within=True):
                postings = sorted((self._title_index.get(w, set()) for w in phrase.strip('"').split()), key=len)
                if postings:
                    found |= set.intersection(*postings) if len(postings) > 1 else postings[0]
            self._concept_titles[concept] = found
        return self._concept_titles[concept]

    def citation_quote(self, c: dict) -> None:
        """Fill a cited document's page and quote from its first mention."""
        if "quote" in c:
            return
        mentions = json.loads(self.db.execute("select mentions from refs where rowid = ?", [c["ref_row"]]).fetchone()[0]
                              or "[]")
        m = mentions[0] if mentions else None
        quote = _citation_around(self.page_text(c["doc_id"], m["page"]), m["page_start"], m["page_end"]) if m else ""
        c["page"] = m["page"] if m else None
        c["quote"] = quote or f"{c['type']} {c['document']} {c['title']}"


# --- candidates --------------------------------------------------------------------------------

def _year_fit(item_year: Optional[int], year: Optional[int], standing: bool) -> float:
    """Evidence of the assessed year counts fully; a standing document issued before it too."""
    if year is None:
        return 1.0
    if item_year is None:
        return 0.9
    if item_year == year or (standing and item_year < year):
        return 1.0
    return 0.85 if abs(item_year - year) == 1 else 0.6


def _sentence_around(text: str, start: int, end: int) -> str:
    """The clause (between '.' or ';') holding text[start:end], within the context limits."""
    lo = max(0, start - CONTEXT_BEFORE)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    lo = ends[-1] if ends else lo
    after = _SENTENCE_END.search(text, end, min(len(text), end + CONTEXT_AFTER))
    hi = after.start() + 1 if after else min(len(text), end + CONTEXT_AFTER)
    return " ".join(text[lo:hi].split())


def _citation_around(text: str, start: int, end: int) -> str:
    """The sentence of a citation; from the start of its line when the sentence runs on
    (a letterhead has no full stop before the first 'Căn cứ …')."""
    sentence = _sentence_around(text, start, end)
    if len(sentence) <= 200:
        return sentence
    line_start = text.rfind("\n", 0, start) + 1
    return _sentence_around(text[line_start:], start - line_start, end - line_start)


def _sentence_before(text: str, start: int, end: int) -> str:
    """From the start of the sentence (at '.') up to the figure: what it can refer back to."""
    lo = max(0, start - CONTEXT_BEFORE)
    ends = [m.end() for m in _FULL_STOP.finditer(text, lo, start)]
    return " ".join(text[ends[-1] if ends else lo:end].split())


def _clip(text: str, limit: int = 320) -> str:
    """A quote for the report: Markdown emphasis dropped, at most limit characters."""
    text = " ".join(text.replace("**", "").replace("#", "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _document_candidates(corpus: ProvinceCorpus, indicator: Indicator, year: Optional[int],
                         needed: int = 1) -> list:
    """Ingested documents of the province and the provincial documents they cite."""
    titled = corpus.titled()
    out = []
    for i in sorted(_at_least([corpus.titles_mentioning(c) for c in indicator.concepts], needed)):
        c = titled[i]
        hit = match(indicator, corpus.key(f"{c['type'] or ''} {c['title']}"))
        if not hit.coverage:
            continue
        corpus.citation_quote(c)
        type_fit = 1.0 if not indicator.doc_types or c["type"] in indicator.doc_types else TYPE_MISMATCH
        issuer_key = corpus.key(c["issuer"] or "")
        issuer_fit = 1.0 if not indicator.issuers else ISSUER_UNKNOWN if not issuer_key.text else \
            1.0 if any(issuer_key.has(t) for t in indicator.issuers) else ISSUER_MISMATCH
        form = DOCUMENT_FIT.get(indicator.evidence_kind, DOCUMENT_FIT_OTHER)
        score = hit.factor * type_fit * issuer_fit * form * _year_fit(c["year"], year, standing=True)
        reason = f"{c['type'] or 'document'} of {c['issuer'] or 'unknown issuer'}, title contains " + \
            ", ".join(f"'{t}'" for t in hit.terms)
        if type_fit < 1:
            reason += f"; type is not {'/'.join(indicator.doc_types)}"
        if issuer_fit < 1:
            reason += "; issuer not the expected one"
        out.append(Evidence(indicator.code, "document", c["document"], c["source"], c["doc_id"], c["page"],
                            _clip(c["quote"]), round(score, 3), reason, year=c["year"]))
    return out


@lru_cache(maxsize=None)
def _id_key(doc_id: str) -> str:
    return _SPACE.sub("", fold(doc_id or ""))


def _unit_fit(indicator: Indicator, unit: str) -> float:
    """How well a figure's unit answers the indicator's kind (a rate, a count, an amount)."""
    kind = indicator.evidence_kind
    if kind == "money":
        return 1.0 if unit == "VND" else 0.1
    if unit == "VND":
        return 0.1
    if kind == "percentage":
        return 1.0 if unit == "%" else 0.5
    if kind == "count":
        if unit == "%":
            return 0.6  # DTI scores many counts as rates of a population
        unit_key = _unit_key(unit)
        return 1.0 if not indicator.units or any(unit_key.has(t) or f" {unit_key.text} " in f" {t.key} "
                                                 for t in indicator.units) else 0.8
    return 0.6  # a figure can support a deployment (boolean) indicator: "213 điểm cầu"


@lru_cache(maxsize=None)
def _unit_key(unit: str) -> Key:
    return Key(unit)


def _measure_candidates(corpus: ProvinceCorpus, indicator: Indicator, year: Optional[int], hits: list,
                        floor: float = 0.0) -> list:
    """Figures in or just after the hit passages, weighed by the sentence around them;
    those whose unit, kind and year alone keep them under floor are not read."""
    if indicator.evidence_kind == "document":
        return []
    out = []
    for m in corpus.figures_near(hits):
        unit_fit = _unit_fit(indicator, m["unit"])
        fit = unit_fit * MEASURE_KIND_FIT.get(m["kind"], 0.7) * _year_fit(m["year"], year, standing=False)
        if fit < floor:
            continue
        sentence, key, wide, wide_key = corpus.figure_context(m)
        hit = match(indicator, key)
        if hit.coverage < 1:
            # "…trong đó mức độ 3 là 18,4%; mức độ 4 là 56,5%": the subject is earlier in the sentence
            wide_hit = match(indicator, wide_key)
            wide_hit.weight = WIDE_SENTENCE
            if wide_hit.factor > hit.factor:
                sentence, hit = wide, wide_hit
        if not hit.coverage:
            continue
        score, notes = hit.factor * fit, []
        seq = corpus.holder(m)
        if seq is not None and corpus.in_criteria_section(m["doc_id"], seq):
            score *= CRITERIA_SECTION
            notes.append("in a list of criteria")
        value = f"{m['value']:g} {m['unit']}"
        reason = f"{m['kind']} figure {value}" + (f" as of {m['as_of']}" if m["as_of"] else "") + \
            "; mentions " + ", ".join(f"'{t}'" for t in hit.terms)
        if unit_fit < 1:
            reason += f"; unit {m['unit']} fits a {indicator.evidence_kind} indicator loosely"
        out.append(Evidence(indicator.code, "measure", corpus.doc_label(m["doc_id"]),
                            corpus.docs[m["doc_id"]]["source_name"], m["doc_id"], m["page"], _clip(sentence),
                            round(score, 3), reason + "".join(f"; {n}" for n in notes),
                            value=m["value"], unit=m["unit"], as_of=m["as_of"], year=m["year"]))
    return out


def _sentences(text: str) -> list:
    """Sentences of a passage (split at '.' and ';'), with the passage itself if it is one."""
    parts, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        parts.append(text[pos:m.end()].strip())
        pos = m.end()
    parts.append(text[pos:].strip())
    return [p for p in parts if len(p) > 3]


def _passage_candidates(corpus: ProvinceCorpus, indicator: Indicator, year: Optional[int], hits: list,
                        floor: float = 0.0) -> list:
    """The best sentence of each hit passage; one scoring under floor before the restatement
    test (word segmentation, the slow part) is dropped without it."""
    form = PASSAGE_FIT.get(indicator.evidence_kind, PASSAGE_FIT_OTHER)
    out = []
    for r in hits:
        if r["text"].lstrip().startswith(("Căn cứ", "- Căn cứ")):
            continue  # a legal basis line: the cited document is the candidate, not the line
        best = None
        for sentence, key in corpus.sentences(r["text"]):
            hit = match(indicator, key)
            if hit.coverage and (best is None or hit.factor > best[1].factor):
                best = (sentence, hit, key)
        if not best:
            continue
        sentence, hit, key = best
        score, notes = hit.factor * form * _year_fit(corpus.docs[r["doc_id"]]["year"], year, standing=False), []
        if corpus.in_criteria_section(r["doc_id"], r["seq"]):
            score *= CRITERIA_SECTION
            notes.append("in a list of criteria")
        section = corpus.section_kind(r["doc_id"], r["seq"])
        if section == "plan":
            score *= PLAN_SECTION
            notes.append("in a section of aims or tasks")
        elif section == "problems":
            score *= NEGATED
            notes.append("in a section of shortcomings")
        if _PLANNING.search(key):
            score *= PLANNING
            notes.append("a plan, not a fact")
        if _NEGATED.search(key):
            score *= NEGATED
            notes.append("negated ('chưa')")
        elif _DEPLOYED.search(key):
            score = min(1.0, score * DEPLOYED)
            notes.insert(0, "states it as done")
        if score < floor:
            continue
        if restates(indicator, sentence):
            score *= RESTATEMENT
            notes.insert(1 if notes[:1] == ["states it as done"] else 0, "restates the indicator")
        reason = "passage mentions " + ", ".join(f"'{t}'" for t in hit.terms) + "".join(f"; {n}" for n in notes)
        out.append(Evidence(indicator.code, "passage", corpus.doc_label(r["doc_id"]),
                            corpus.docs[r["doc_id"]]["source_name"], r["doc_id"], r["page"], _clip(sentence),
                            round(score, 3), reason, year=corpus.docs[r["doc_id"]]["year"]))
    return out


def _candidates(corpus: ProvinceCorpus, indicator: Indicator, year: Optional[int], threshold: float = 0.0) -> list:
    """Documents, figures and passages that may reach threshold (all that mention the
    indicator when it is 0), by one FTS query for figures and passages."""
    needed, floor = needed_concepts(indicator, threshold), max(0.0, threshold - ROUNDING)
    query = fts_match(indicator, needed)
    hits = corpus.search(query) if query and corpus.docs else []
    corpus.read(r["doc_id"] for r in hits)
    return _document_candidates(corpus, indicator, year, needed) + \
        _measure_candidates(corpus, indicator, year, hits, floor) + \
        _passage_candidates(corpus, indicator, year, hits, floor)


def rank(candidates: list) -> list:
    """Best first; one item per (document, quote); figures before passages on a tie.

    A passage that cites a candidate document ("Kế hoạch số 02/KH-BCĐ … Tổ công nghệ số
    cộng đồng") gives way to that document: the document is the evidence.
    """
    order = {"measure": 0, "document": 1, "passage": 2}
    cited = {_SPACE.sub("", e.document) for e in candidates if e.kind == "document"}
    seen, out = set(), []
    for e in sorted(candidates, key=lambda e: (-e.score, order[e.kind], e.document, e.page or 0)):
        key = (e.document, e.quote)
        if e.kind == "passage" and cited:
            quote = _SPACE.sub("", e.quote)
            if any(d in quote for d in cited):
                continue
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def find_evidence(db: sqlite_utils.Database, province: str, year: Optional[int] = None,
                  codes: Optional[list] = None, limit: int = 3, threshold: float = THRESHOLD,
                  cat: Optional[Catalogue] = None, progress: bool = False) -> list:
    """Ranked evidence for every indicator (or the given codes) of a province; progress shows a bar on stderr.

    Candidates that cannot reach threshold (too few of the indicator's concepts) are not
    looked at.

    >>> find_evidence(db, "Tuyên Quang", 2022, ["2.1"])[0].evidence[0].document  # doctest: +SKIP
    '48-NQ/TU'
    """
    cat = cat or catalogue(year)
    corpus = ProvinceCorpus(db, province)
    results = []
    for indicator in tqdm(cat.indicators, unit="indicator", disable=not progress, file=sys.stderr, desc="evidence"):
        if codes and indicator.code not in codes:
            continue
        if not indicator.named:
            results.append(IndicatorEvidence(indicator, [], "unnamed"))
            continue
        candidates = _candidates(corpus, indicator, year, threshold)
        ranked = [e for e in rank(candidates) if e.score >= threshold][:limit]
        results.append(IndicatorEvidence(indicator, ranked, "found" if ranked else "none"))
    return results


def candidates_for(db: sqlite_utils.Database, province: str, code: str, year: Optional[int] = None) -> list:
    """Every candidate for one indicator, ranked, with no threshold (to inspect or tune)."""
    return rank(_candidates(ProvinceCorpus(db, province), catalogue(year).get(code), year))
