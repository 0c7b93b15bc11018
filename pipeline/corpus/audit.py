"""Audit the store: missing, conflicting and malformed references across the corpus.

Reads the `documents`, `pages` and `citations` views (each real document once: the refs of
its primary rendition) and returns `Finding`s, each naming the documents involved and
quoting where they say it:

    >>> [f.id for f in audit(store.open_db("outputs/vanban.db"), kinds=["conflicting_date"])]  # doctest: +SKIP
    ['17/NQ-CP']          # cited as 'ngày 09/3/2019' and as 'ngày 07/3/2019'

A cited document's identity is (id, year, jurisdiction): 14/CT-TTg of 2018 and 14/CT-TTg
of 2019 are two documents, so neither a conflict nor a year typo. SQLite picks each check's
candidates set-wise (json_each over the cited dates, group by identity); Python only judges
those rows, so 10,000 documents and 100,000 references are audited in about 3 seconds.
"""
from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator, Optional

import regex
import sqlite_utils
from tqdm import tqdm

from vanban.models.knowledge import agencies, doc_types, legislatures, type_by_abbreviation
from vanban.models.records import Span
from vanban.models.vietnamese import fold
from vanban.pipeline.corpus.graph import ensure_graph
from vanban.pipeline.corpus.resolve import NATIONAL, document_jurisdiction


KINDS = ("conflicting_date", "suspected_year_typo", "type_symbol_mismatch", "malformed_number", "missing_number",
         "missing_date", "cites_future", "unresolved", "missing_document")

# Evidence kept per finding: enough to see the problem, bounded for documents cited a thousand times.
MAX_EVIDENCE = 6

# Types whose name is not a type of document in its own right: 'văn bản số 447/SNV-…' says nothing of the type.
GENERIC_TYPES = frozenset({"Văn bản"})
# Party regulations are numbered '205-QĐ/TW' as well as '08-QĐi/TW'.
ALSO_CARRIED = {"Quy định": frozenset({"QĐ"})}

SYMBOL_PIECE_RE = regex.compile(r"[-/]")
# the Quốc hội and its standing committee number what they pass by the term alone, whatever its
# type: 'Luật số 140/2025/QH15', 'Nghị quyết số 222/2025/QH15', 'Pháp lệnh số 02/2022/UBTVQH15'
LEGISLATURE_SYMBOL_RE = regex.compile(r"(?:UBTV)?(?P<term>QH\d{1,2})")
WORD_RE = regex.compile(r"\w+")
LEADING_ABOUT_RE = regex.compile(r"^(?:ve viec|ve)\s+")

# A header date is quoted with the place written before it on its line ('Tuyên Quang, ngày …').
PLACE_BEFORE_DATE = 40


# slots: an audit of a million documents holds a few hundred thousand findings at once
@dataclass(slots=True)
class Evidence:
    """Where a finding stands: the source file, its page and the words as written."""

    source: str
    page: Optional[int]
    quote: str


@dataclass(slots=True)
class Finding:
    """One problem worth a person's attention, with the documents and quotes that show it."""

    kind: str  # one of KINDS
    id: Optional[str]  # the số hiệu concerned: '17/NQ-CP'
    year: Optional[int]
    documents: list  # source files involved
    detail: str  # one sentence a person can act on
    evidence: list = field(default_factory=list)  # list[Evidence]
    facts: dict = field(default_factory=dict)  # the same, as data: dates, types, counts …

    def export(self) -> dict:
        return {"kind": self.kind, "id": self.id, "year": self.year, "documents": self.documents,
                "detail": self.detail, "facts": self.facts,
                "evidence": [{"source": e.source, "page": e.page, "quote": e.quote} for e in self.evidence]}


# -- the corpus as the audit sees it ----------------------------------------------------------

DOC_COLUMNS = ("doc_id, source, source_name, type, so_hieu, number, symbol, date, year, issuer, province,"
               " jurisdiction, title, identity_notes, identity_spans")
CACHED_DOCUMENTS = 50_000  # rows of documents kept at once: memory stays flat however big the store


class _Documents(dict):
    """doc_id → its row, read from the store when first asked for, a bounded number kept."""

    def __init__(self, db: sqlite_utils.Database):
        super().__init__()
        self.db = db

    def __missing__(self, doc_id: str) -> dict:
        if len(self) >= CACHED_DOCUMENTS:
            self.clear()
        row = next(self.db.query(f"select {DOC_COLUMNS} from renditions where doc_id = ?", [doc_id]))
        row["source"] = sys.intern(row["source"])
        self[doc_id] = row
        return row


@dataclass
class _Corpus:
    db: sqlite_utils.Database  # for the page texts header quotes come from
    docs: _Documents  # doc_id -> row, on demand
    sources: dict = field(default_factory=dict)  # doc_id -> source, on demand

    def stored(self, so_hieu: str, year: Optional[int], jurisdiction: Optional[str]) -> Optional[str]:
        """The stored document of this identity (any jurisdiction when it is unknown), through the index."""
        row = self.db.conn.execute(
            "select doc_id from documents where so_hieu = ? and year is ? and (jurisdiction is ? or ? is null) "
            "order by source limit 1", [so_hieu, year, jurisdiction, jurisdiction]).fetchone()
        return row[0] if row else None

    def documents(self, where: str, columns: str = DOC_COLUMNS) -> Iterable[dict]:
        """The documents a check looks at, picked by SQL, streamed."""
        return self.db.query(f"select {columns} from documents where {where} order by source")

    def source(self, doc_id: str) -> str:
        """A rendition's file, read from the index renditions_source (not from its row, as docs[] does);
        interned, as is docs[]' (a file named by a thousand findings is held once, whatever the caches drop)."""
        if doc_id not in self.sources:
            if len(self.sources) >= CACHED_DOCUMENTS:
                self.sources.clear()
            self.sources[doc_id] = sys.intern(self.db.conn.execute(
                "select source from renditions indexed by renditions_source where doc_id = ?", [doc_id]).fetchone()[0])
        return self.sources[doc_id]

    def refs(self, keys: Iterable[tuple]) -> list[dict]:
        """The refs rows of (doc_id, seq) keys, in that order."""
        rows = []
        for doc_id, seq in keys:
            row = next(self.db.query("select * from refs where doc_id = ? and seq = ?", [doc_id, int(seq)]), None)
            if row:
                row["dates"] = _decode_dates(row["dates"])
                rows.append(row)
        return rows


def _load(db: sqlite_utils.Database) -> _Corpus:
    ensure_graph(db)  # each document's primary rendition and jurisdiction, up to date
    db.conn.create_function("symbol_disagrees", 2, symbol_disagrees, deterministic=True)
    return _Corpus(db, _Documents(db))


def _refs(corpus: _Corpus, sql: str, params: tuple = ()) -> list[dict]:
    """The refs rows a check needs, picked by SQL so that only candidates reach Python."""
    rows = list(corpus.db.query(sql, params))
    for row in rows:
        row["dates"] = _decode_dates(row["dates"])
    return rows


# Each check's candidates, found set-wise by SQLite; Python then judges the few rows they name.
# A document cited a hundred thousand times reaches Python as counts and a sample of SAMPLE
# citations per date, never as all its rows: memory stays flat however big the store.
SAMPLE = MAX_EVIDENCE
# Full dates of every citation: one row per (reference, date).
_DATED = ("select r.doc_id, r.seq, r.ref_id, r.year, r.jurisdiction, r.number, r.symbol, j.value as d"
          " from citations r, json_each(r.dates) j where length(j.value) = 10")
# per group and date: how many documents cite it so, and a sample of (doc_id, seq) of those citations
_PER_DATE = """select {group}, d, count(distinct doc_id) as n,
    group_concat(case when rank <= {sample} then doc_id || char(31) || seq end, char(30)) as sample
  from (select c.*, row_number() over (partition by {group}, d order by doc_id, seq) as rank from candidates c)
  group by {group}, d order by {group}, d"""
# Each check's dated citations go into a temp table with an index (temp_table): as a materialized CTE
# they would live in ephemeral tables with a fixed 500-page cache, whose spill file the automatic
# indexes and joins re-read many times over (12 GB of reads for a 2 GB store of 100,000 documents).
_IDENTITY = "ref_id, year, jurisdiction"
CONFLICT_DATED = f"{_DATED} and r.year is not null"
CONFLICT_SQL = f"""
with keys as (select ref_id, year, jurisdiction from dated group by 1, 2, 3 having count(distinct d) > 1
         union select dated.ref_id, dated.year, dated.jurisdiction from dated join documents o
           on o.so_hieu = dated.ref_id and o.year = dated.year where length(o.date) = 10 and o.date != dated.d),
candidates as (select dated.* from dated join keys k on dated.ref_id = k.ref_id and dated.year = k.year
               and dated.jurisdiction is k.jurisdiction)
{_PER_DATE.format(group=_IDENTITY, sample=SAMPLE)}
"""
_SAME_DAY = "number, symbol, jurisdiction, md"
YEAR_TYPO_DATED = f"select *, substr(d, 6) as md from ({_DATED} and r.number is not null and r.symbol is not null)"
YEAR_TYPO_SQL = f"""
with keys as (select number, symbol, jurisdiction, md from dated group by 1, 2, 3, 4
         having count(distinct substr(d, 1, 4)) > 1),
candidates as (select dated.* from dated join keys k on dated.number = k.number and dated.symbol = k.symbol
               and dated.jurisdiction is k.jurisdiction and dated.md = k.md)
{_PER_DATE.format(group=_SAME_DAY, sample=SAMPLE)}
"""
TEMP_CACHE_KB = 65_536  # the temp tables' page cache: what of them stays in memory, the rest in a temp file


@contextmanager
def temp_table(db: sqlite_utils.Database, name: str, select: str, key: str) -> Iterator[None]:
    """select's rows as temp table `name`, indexed on key, for the length of the block (a temp
    table is the connection's own, so a read-only connection may make one too)."""
    conn = db.conn
    conn.execute(f"pragma temp.cache_size = -{TEMP_CACHE_KB}")
    conn.execute(f"drop table if exists temp.[{name}]")
    conn.execute(f"create temp table [{name}] as {select}")
    conn.execute(f"create index temp.[{name}_key] on [{name}]({key})")
    try:
        yield
    finally:
        conn.execute(f"drop table if exists temp.[{name}]")
# later than the citing document at the precision both give: '2022-05-19' is not after '2022-05'
FUTURE_SQL = """
select r.* from citations r join documents d on d.doc_id = r.doc_id where d.date is not null and (
  exists (select 1 from json_each(r.dates) j where substr(j.value, 1, min(length(j.value), length(d.date)))
                                                   > substr(d.date, 1, min(length(j.value), length(d.date))))
  or (r.dates = '[]' and r.year is not null and cast(r.year as text) > substr(d.date, 1, 4)))
"""
# The documents to collect are the graph's only-cited nodes (kept up to date by each ingest, with
# how many documents cite each and what the citations say of it), most cited issuer-and-type
# groups first, then the most cited document of each group.
MISSING_SQL = """
select node_id, so_hieu, year, jurisdiction, type, date, title, issuer, cited_by,
       sum(cited_by) over (partition by coalesce(issuer, ''), coalesce(type, '')) as group_total
from nodes where absent = 1 and cited_by > 0
order by group_total desc, coalesce(issuer, ''), coalesce(type, ''), cited_by desc, so_hieu, coalesce(year, 0)
"""
MAX_DOCUMENTS = 20  # citing files named per finding; facts give how many there are


def _per_date(rows: Iterable[dict], group: tuple) -> dict:
    """_PER_DATE's rows → {group key: {date: (documents citing so, [(doc_id, seq) sample])}}."""
    out: dict = defaultdict(dict)
    for row in rows:
        sample = [tuple(pair.split("\x1f")) for pair in (row["sample"] or "").split("\x1e") if pair]
        out[tuple(row[c] for c in group)][row["d"]] = (row["n"], sample)
    return out


ONE_DATE_RE = regex.compile(r'\["(\d{4}-\d{2}(?:-\d{2})?)"\]')


def _decode_dates(raw: Optional[str]) -> list[str]:
    """The refs.dates column: '["2019-03-09", "2019-03-07"]' → a list; one date, the common case, without json."""
    if not raw or raw == "[]":
        return []
    one = ONE_DATE_RE.fullmatch(raw)
    return [one.group(1)] if one else json.loads(raw)


def _mentions(ref: dict) -> list[dict]:
    return json.loads(ref["mentions"]) if ref["mentions"] else []


def _ref_evidence(corpus: _Corpus, refs: Iterable[dict], date: Optional[str] = None) -> list[Evidence]:
    """The mentions of these references; with `date`, those written with that date first."""
    out = []
    for ref in refs:
        source = corpus.docs[ref["doc_id"]]["source"]
        for m in _mentions(ref):
            out.append(Evidence(source, m.get("page"), m.get("text", "")))
    if date:
        written = _written_forms(date)
        out.sort(key=lambda e: not any(w in e.quote for w in written))
    return out[:MAX_EVIDENCE]


def _written_forms(date: str) -> tuple[str, ...]:
    """'2019-03-07' → ('7/3/2019', '07/3/2019', '7/03/2019', '07/03/2019')."""
    y, m, d = date.split("-")
    return tuple({f"{dd}/{mm}/{y}" for dd in (d, d.lstrip("0")) for mm in (m, m.lstrip("0"))})


def _sources(corpus: _Corpus, doc_ids: Iterable[str]) -> list[str]:
    return sorted({corpus.source(d) for d in doc_ids})


def _full(date: Optional[str]) -> bool:
    return bool(date) and len(date) == 10


def _title_words(title: Optional[str]) -> list[str]:
    folded = LEADING_ABOUT_RE.sub("", fold(title or "").strip())
    return WORD_RE.findall(folded)


def same_subject(a: Optional[str], b: Optional[str]) -> bool:
    """Two trích yếu about the same thing: the shorter's words (numbers included) are in the longer.

    One citation may run on past the title, so the test is containment, not equality;
    'năm 2021' against 'năm 2022' is a different subject.

    >>> same_subject("triển khai thực hiện Nghị định số 47/2020/NĐ-CP", "Triển khai thực hiện Nghị định số 47/2020/NĐ-CP ngày 09/4/2020")
    True
    """
    wa, wb = _title_words(a), _title_words(b)
    short, long_ = sorted((set(wa), set(wb)), key=len)
    if len(short) < 4:
        return False
    numbers = {w for w in short if w.isdigit()}
    return numbers <= long_ and len(short & long_) / len(short) >= 0.8


# -- the checks ---------------------------------------------------------------------------------

_PRIMARY = "(d.is_primary = 1 or d.node_id is null)"  # the citations view's rule, written out


def _resolved_years(corpus: _Corpus) -> dict:
    """(id, jurisdiction) → the years the corpus knows for it, for the ids some citation gives no year.

    The few yearless ids come through the index of open citations, and each one's years through
    the indexes of citations by number and of renditions by doc_id and by number, no row read
    (one pass over every citation took 80 s at 1,000,000 documents; reading the renditions'
    rows, 234 s with the page cache dropped)."""
    conn = corpus.db.conn
    years = defaultdict(set)
    yearless = [r[0] for r in conn.execute(
        "select distinct r.ref_id from refs r indexed by refs_open "
        "join renditions d indexed by renditions_source on d.doc_id = r.doc_id "
        f"where r.year is null and {_PRIMARY} order by 1")]
    for ref_id in yearless:
        for jurisdiction, year in conn.execute(
                "select distinct jurisdiction, year from refs where ref_id = ? and year is not null", [ref_id]):
            if conn.execute("select 1 from refs r join renditions d indexed by renditions_source "
                            "on d.doc_id = r.doc_id where r.ref_id = ? "
                            f"and r.year = ? and r.jurisdiction is ? and {_PRIMARY} limit 1",
                            [ref_id, year, jurisdiction]).fetchone():
                years[(ref_id, jurisdiction)].add(year)
        for jurisdiction, year in conn.execute(  # the documents view's rule, from the index alone
                "select distinct d.jurisdiction, d.year from renditions d indexed by renditions_number "
                f"where d.so_hieu = ? and d.year is not null and {_PRIMARY}", [ref_id]):
            years[(ref_id, jurisdiction)].add(year)
    return years


def _year_of(ref: dict, corpus: _Corpus, known: dict) -> Optional[int]:
    """The year written, else the only year the corpus knows for this id that is not after the citing document."""
    if ref["year"]:
        return ref["year"]
    citing_year = corpus.docs[ref["doc_id"]]["year"]
    candidates = {y for y in known.get((ref["ref_id"], ref["jurisdiction"]), ()) if not citing_year or y <= citing_year}
    return candidates.pop() if len(candidates) == 1 else None


def check_conflicting_dates(corpus: _Corpus) -> Iterator[Finding]:
    """One document (id, year, jurisdiction) cited with different full dates, or dated otherwise by its own header.

    Nghị quyết số 17/NQ-CP ngày 09/3/2019 … Nghị quyết số 17/NQ-CP ngày 07/3/2019.
    """
    with temp_table(corpus.db, "dated", CONFLICT_DATED, _IDENTITY):
        groups = _per_date(corpus.db.query(CONFLICT_SQL), ("ref_id", "year", "jurisdiction"))
    for key, dated in groups.items():
        by_date = {d: (n, [doc_id for doc_id, _ in sample]) for d, (n, sample) in dated.items()}
        own = corpus.stored(*key) if key[2] else None
        own_date = corpus.docs[own]["date"] if own else None
        if _full(own_date):
            n, ids = by_date.get(own_date, (0, []))
            by_date[own_date] = (n + 1, [*ids, own])
        if len(by_date) < 2:
            continue
        evidence = []
        for date in sorted(dated):
            evidence += _ref_evidence(corpus, corpus.refs(dated[date][1][:1]), date)[:1]
        if own and own_date in by_date:
            evidence += _header_evidence(corpus, own, "date")
        dates = sorted(by_date)
        doc_ids = {d for _, ids in by_date.values() for d in ids}
        # every citing document is in the samples unless a date has more than SAMPLE
        sampled_all = all(n <= SAMPLE for n, _ in by_date.values())
        citing = len(doc_ids) if sampled_all else sum(n for n, _ in by_date.values())
        yield Finding(
            "conflicting_date", key[0], key[1], _sources(corpus, doc_ids)[:MAX_DOCUMENTS],
            f"{key[0]} ({key[2]}) is dated " + " and ".join(dates) + f" in {citing} document(s)",
            _dedupe(evidence), {"dates": dates, "jurisdiction": key[2],
                                "cited_with": {d: _sources(corpus, ids) for d, (_, ids) in sorted(by_date.items())},
                                "n_citing": {d: n for d, (n, _) in sorted(by_date.items())},
                                "in_corpus": corpus.docs[own]["source"] if own else None})


def check_year_typos(corpus: _Corpus) -> Iterator[Finding]:
    """Same number, ký hiệu, day and month, same subject, different years: one of them is a typo.

    Kế hoạch số 04/KH-UBND ngày 11/01/2021 and ngày 11/01/2022, both 'triển khai thực hiện
    Nghị định số 47/2020/NĐ-CP'. Two real documents differ in day and month or in subject
    (Chỉ thị 14/CT-TTg of 25/5/2018 and of 07/6/2019).
    """
    with temp_table(corpus.db, "dated", YEAR_TYPO_DATED, _SAME_DAY):
        groups = _per_date(corpus.db.query(YEAR_TYPO_SQL), ("number", "symbol", "jurisdiction", "md"))
    for (number, symbol, jurisdiction, _), dated in groups.items():
        one = {}  # year -> (date, a reference cited with it)
        for d in sorted(dated):
            if d[:4] not in one:
                refs = corpus.refs(dated[d][1][:1])
                if refs:
                    one[d[:4]] = (d, refs[0])
        if len(one) < 2:
            continue
        pairs = sorted(one.values(), key=lambda p: p[0])
        if not all(same_subject(pairs[0][1]["title"], r["title"]) for _, r in pairs[1:]):
            continue
        dates = [d for d, _ in pairs]
        title = min((r["title"] for _, r in pairs), key=len)  # one citation's title may run on
        evidence = [e for d, r in pairs for e in _ref_evidence(corpus, [r], d)[:1]]
        doc_ids = {doc_id for _, sample in dated.values() for doc_id, _ in sample}
        yield Finding(
            "suspected_year_typo", pairs[0][1]["ref_id"], None, _sources(corpus, doc_ids)[:MAX_DOCUMENTS],
            f"{number}/{symbol} is cited as " + " and as ".join(dates)
            + f" with the same subject ('{title}'): one year is probably mistyped",
            evidence, {"dates": dates, "jurisdiction": jurisdiction, "title": title,
                       "n_citing": sum(n for n, _ in dated.values())})


def carried_type(symbol: Optional[str]) -> Optional[str]:
    """The type abbreviation a ký hiệu starts with, if any: 'QĐ-UBND' → 'QĐ', 'NQ/TU' → 'NQ', 'BTTTT-THH' → None."""
    if not symbol:
        return None
    first = SYMBOL_PIECE_RE.split(symbol)[0].upper()
    return first if first in type_by_abbreviation() else None


@lru_cache(maxsize=4096)
def symbol_disagrees(doc_type: Optional[str], symbol: Optional[str]) -> Optional[str]:
    """Why a written type and a ký hiệu cannot belong together, or None when they can.

    >>> symbol_disagrees("Quyết định", "BTTTT-THH")
    'a Quyết định carries QĐ in its ký hiệu; BTTTT-THH carries no type'
    """
    expected = _abbreviation_of()
    if not symbol or doc_type not in expected or doc_type in GENERIC_TYPES:
        return None
    carried = carried_type(symbol)
    want = expected[doc_type]
    legislature = LEGISLATURE_SYMBOL_RE.fullmatch(symbol.upper())
    if legislature and legislature.group("term") in legislatures():
        return None
    if want:
        if carried == want or carried in ALSO_CARRIED.get(doc_type, ()):
            return None
        has = f"{symbol} says {type_by_abbreviation()[carried]}" if carried else f"{symbol} carries no type"
        return f"a {doc_type} carries {want} in its ký hiệu; {has}"
    if carried:
        return f"a {doc_type} has no type in its ký hiệu; {symbol} says {type_by_abbreviation()[carried]}"
    return None


@lru_cache(maxsize=None)
def _abbreviation_of() -> dict:
    """'Quyết định' → 'QĐ', 'Công văn' → ''."""
    return {t.name: t.abbreviation.upper() for t in doc_types()}


def check_type_symbols(corpus: _Corpus) -> Iterator[Finding]:
    """The written type disagrees with the ký hiệu: 'Quyết định số 2323/BTTTT-THH', 'Kế hoạch số 01/QĐ-BCĐ'."""
    groups = defaultdict(list)
    for ref in _refs(corpus, "select * from citations where symbol_disagrees(type, symbol) is not null"):
        reason = symbol_disagrees(ref["type"], ref["symbol"])
        if reason:
            groups[(ref["ref_id"], ref["type"], reason)].append(ref)
    for (ref_id, doc_type, reason), refs in groups.items():
        years = {r["year"] for r in refs}
        yield Finding(
            "type_symbol_mismatch", ref_id, years.pop() if len(years) == 1 else None,
            _sources(corpus, {r["doc_id"] for r in refs}), f"{doc_type} số {ref_id}: {reason}",
            _ref_evidence(corpus, refs), {"type": doc_type, "symbol": refs[0]["symbol"], "cited": True})
    for doc in corpus.documents("symbol is not null and symbol_disagrees(type, symbol) is not null"):
        notes = json.loads(doc["identity_notes"] or "{}")
        reason = None if "type" in notes else symbol_disagrees(doc["type"], doc["symbol"])
        if reason:
            yield Finding(
                "type_symbol_mismatch", doc["so_hieu"] or f"/{doc['symbol']}", doc["year"], [doc["source"]],
                f"the header of this {doc['type']}: {reason}", _header_evidence(corpus, doc["doc_id"], "id"),
                {"type": doc["type"], "symbol": doc["symbol"], "cited": False})


def check_malformed_numbers(corpus: _Corpus) -> Iterator[Finding]:
    """Citations whose ký hiệu fits no form the tables know, kept as read: 'Nghị quyết số 48-NQ/T'
    (cut short), 'KH-ZQ#X'. One finding per number as read, with every file that writes it so.

    Through the index of doubtful citations: the others are never read."""
    groups = defaultdict(list)
    for ref in _refs(corpus, "select r.* from refs r indexed by refs_doubtful "
                             "join renditions d indexed by renditions_source on d.doc_id = r.doc_id "
                             f"where r.doubtful is not null and {_PRIMARY}"):
        groups[ref["ref_id"]].append(ref)
    for ref_id, refs in sorted(groups.items()):
        years = {r["year"] for r in refs}
        yield Finding(
            "malformed_number", ref_id, years.pop() if len(years) == 1 else None,
            _sources(corpus, {r["doc_id"] for r in refs}),
            f"{refs[0]['type'] or 'Văn bản'} số {ref_id}: {refs[0]['doubtful']}", _ref_evidence(corpus, refs),
            {"type": refs[0]["type"], "symbol": refs[0]["symbol"], "doubt": refs[0]["doubtful"]})


def check_header_blanks(corpus: _Corpus) -> Iterator[Finding]:
    """Headers that leave the number or the day blank: 'Số: /BC-STTTT', 'ngày   tháng 5 năm 2022'."""
    for doc in corpus.documents("(number is null and symbol is not null) or length(date) < 10"
                                " or identity_notes like '%blank%'"):
        notes = json.loads(doc["identity_notes"] or "{}")
        blank_number = (not doc["number"] and bool(doc["symbol"])) or "blank" in notes.get("id", "")
        if blank_number:
            yield Finding(
                "missing_number", f"/{doc['symbol']}" if doc["symbol"] else None, doc["year"], [doc["source"]],
                notes.get("id") or f"the header of this {doc['type'] or 'document'} leaves the number blank",
                _header_evidence(corpus, doc["doc_id"], "id"), {"symbol": doc["symbol"]})
        date = doc["date"] or ""
        if (date and len(date) < 10) or "blank" in notes.get("date", ""):
            yield Finding(
                "missing_date", doc["so_hieu"] or (f"/{doc['symbol']}" if doc["symbol"] else None), doc["year"],
                [doc["source"]], f"the header gives only {date or 'part of the date'}: the day is blank",
                _header_evidence(corpus, doc["doc_id"], "date"), {"date": doc["date"]})


def _after(cited: str, citing: str) -> bool:
    """Is `cited` later than `citing`, at the precision both give? ('2022-05-19' is not after '2022-05')."""
    n = min(len(cited), len(citing))
    return cited[:n] > citing[:n]


def check_future_citations(corpus: _Corpus) -> Iterator[Finding]:
    """A citation dated after the document that cites it: a typo in one of the two dates."""
    for ref in _refs(corpus, FUTURE_SQL):
        citing = corpus.docs[ref["doc_id"]]
        if not citing["date"]:
            continue
        cited = [d for d in ref["dates"] if d] or ([str(ref["year"])] if ref["year"] else [])
        late = [d for d in cited if _after(d, citing["date"])]
        if late:
            yield Finding(
                "cites_future", ref["ref_id"], ref["year"], [citing["source"]],
                f"cited as of {late[0]}, after the citing document's own date {citing['date']}",
                _ref_evidence(corpus, [ref], late[0] if _full(late[0]) else None)[:2]
                + _header_evidence(corpus, ref["doc_id"], "date"),
                {"cited_date": late[0], "citing_date": citing["date"]})


def check_unresolved(corpus: _Corpus, known: dict) -> Iterator[Finding]:
    """Citations whose year or jurisdiction neither the text nor the rest of the corpus settles."""
    for ref in _refs(corpus, "select * from citations where year is null or jurisdiction is null"):
        year = _year_of(ref, corpus, known)
        if year and ref["jurisdiction"]:
            continue
        missing = [what for what, value in (("year", year), ("jurisdiction", ref["jurisdiction"])) if not value]
        candidates = sorted(known.get((ref["ref_id"], ref["jurisdiction"]), ()))
        yield Finding(
            "unresolved", ref["ref_id"], ref["year"], [corpus.docs[ref["doc_id"]]["source"]],
            f"the {' and '.join(missing)} of {ref['ref_id']} cannot be determined"
            + (f" (the corpus knows it in {', '.join(map(str, candidates))})" if candidates else ""),
            _ref_evidence(corpus, [ref]), {"missing": missing, "candidate_years": candidates})


def check_missing_documents(corpus: _Corpus, known: dict, progress: bool = False) -> Iterator[Finding]:
    """Documents cited but not ingested: what to go and collect, most cited first, grouped by issuer and type.

    They are the citation graph's only-cited documents; a citation without a year that the
    corpus knows in several years is reported as unresolved instead.
    """
    headerless = _headerless_index(corpus)
    total = corpus.db.conn.execute("select count(*) from nodes where absent = 1 and cited_by > 0").fetchone()[0]
    for node in tqdm(corpus.db.query(MISSING_SQL), total=total, desc="audit: missing documents", unit="doc",
                     disable=not progress, file=sys.stderr, leave=False):
        ref_id, year, jurisdiction = node["so_hieu"], node["year"], node["jurisdiction"]
        if year is None and known.get((ref_id, jurisdiction)):
            continue  # ambiguous between known years
        dates = [r[0] for r in corpus.db.conn.execute(
            "select value from cited_values where node_id = ? and field = 'date' order by value", [node["node_id"]])]
        citing = corpus.db.conn.execute("select doc_id, ref_seq from edges where target = ? order by source limit ?",
                                        [node["node_id"], MAX_DOCUMENTS]).fetchall()
        likely = _likely_headerless(corpus, headerless, node["type"], jurisdiction, node["title"], dates)
        detail = (f"{node['type'] or 'document'} {ref_id}" + (f" of {dates[0] if dates else year}" if year else "")
                  + f" ({node['issuer'] or 'issuer unknown'}) is cited by {node['cited_by']} document(s)"
                  + " but not in the corpus")
        if likely:
            detail += f"; probably {likely}, whose header was lost"
        evidence = [Evidence(corpus.source(r["doc_id"]), m.get("page"), m.get("text", ""))
                    for r in corpus.refs(citing[:3]) for m in _mentions(r)[:1]]
        yield Finding(
            "missing_document", ref_id, year, _sources(corpus, [d for d, _ in citing]), detail, evidence,
            {"n_citing": node["cited_by"], "issuer": node["issuer"], "type": node["type"],
             "jurisdiction": jurisdiction, "dates": dates, "title": node["title"], "likely_in_corpus": likely})


def _title_key(title: Optional[str]) -> tuple:
    # six words fit in the first 80 characters; folding only those keeps this cheap
    return tuple(_title_words((title or "")[:80])[:6])


def _headerless_index(corpus: _Corpus) -> dict:
    """Documents whose header was lost, by (type, jurisdiction, first title words): a citation may name them."""
    index = defaultdict(lambda: defaultdict(list))
    for doc in corpus.documents("so_hieu is null and title is not null",
                                "doc_id, source, type, date, title, issuer, province, so_hieu"):
        if len(_title_key(doc["title"])) >= 6:
            index[(doc["type"], document_jurisdiction(doc))][_title_key(doc["title"])].append(doc)
    return index


def _likely_headerless(corpus: _Corpus, index: dict, doc_type, jurisdiction, title, dates) -> Optional[str]:
    by_title = index.get((doc_type, jurisdiction))
    if not by_title or not title:
        return None
    for doc in by_title.get(_title_key(title), ()):
        dated_alike = not doc["date"] or any(d.startswith(doc["date"]) or doc["date"].startswith(d) for d in dates)
        if dated_alike and same_subject(doc["title"], title):
            return doc["source"]
    return None


# -- header quotes ----------------------------------------------------------------------------------

def _header_evidence(corpus: _Corpus, doc_id: str, field: str) -> list[Evidence]:
    """Where the header states its number ('id') or date ('date'), quoted from its page at the
    span the store keeps: 'Số: /BC-STTTT', 'Tuyên Quang, ngày   tháng 5 năm 2022'."""
    doc = corpus.docs[doc_id]
    stored = json.loads(doc["identity_spans"] or "{}").get(field)
    span = Span.from_stored(stored) if stored else None
    if span is None or span.page is None:
        return []
    row = corpus.db.conn.execute("select text from pages where doc_id = ? and page = ?", [doc_id, span.page]).fetchone()
    text = row[0] if row and row[0] else ""
    start = span.page_start
    if field == "date":
        start = max(text.rfind("\n", 0, start) + 1, start - PLACE_BEFORE_DATE)
    quote = " ".join(text[start:span.page_end].split())
    return [Evidence(doc["source"], span.page, quote)] if quote else []


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen, out = set(), []
    for e in evidence:
        if (e.source, e.page, e.quote) not in seen:
            seen.add((e.source, e.page, e.quote))
            out.append(e)
    return out


# -- entry point ------------------------------------------------------------------------------------

def audit(db: sqlite_utils.Database, kinds: Optional[Iterable[str]] = None, progress: bool = False) -> list[Finding]:
    """Every finding of the asked kinds (all by default), inconsistencies first, then what to collect,
    all at once (iter_audit gives them one at a time).

    >>> audit(store.open_db("/tmp/a.db"), ["missing_number"])[0].evidence[0].quote  # doctest: +SKIP
    'Số: /BC-STTTT'
    """
    return list(iter_audit(db, kinds, progress))


def iter_audit(db: sqlite_utils.Database, kinds: Optional[Iterable[str]] = None,
               progress: bool = False) -> Iterator[Finding]:
    """audit's findings, in its order, each as soon as it is found: what holds them is the caller's
    choice (1,000,000 documents give about 400,000 findings, 1.4 GB as one list; written out as
    they come, `vanban audit --format nl` holds none of them)."""
    wanted = set(kinds or KINDS)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown finding kind(s) {sorted(unknown)}; choose from {', '.join(KINDS)}")
    corpus = _load(db)
    known = _resolved_years(corpus) if wanted & {"unresolved", "missing_document"} else {}
    checks = [
        (("conflicting_date",), lambda: check_conflicting_dates(corpus)),
        (("suspected_year_typo",), lambda: check_year_typos(corpus)),
        (("type_symbol_mismatch",), lambda: check_type_symbols(corpus)),
        (("malformed_number",), lambda: check_malformed_numbers(corpus)),
        (("missing_number", "missing_date"), lambda: check_header_blanks(corpus)),
        (("cites_future",), lambda: check_future_citations(corpus)),
        (("unresolved",), lambda: check_unresolved(corpus, known)),
        (("missing_document",), lambda: check_missing_documents(corpus, known, progress)),
    ]
    # a missing document whose year may be a typo says so: the typos come first, or are found first
    suspect = set()
    if "missing_document" in wanted and "suspected_year_typo" not in wanted:
        suspect = {key for typo in check_year_typos(corpus) for key in _typo_years(typo)}
    checks = [(produces, check) for produces, check in checks if wanted & set(produces)]
    for produces, check in tqdm(checks, desc="audit", unit="check", disable=not progress, file=sys.stderr):
        for finding in check():
            if finding.kind == "suspected_year_typo":
                suspect.update(_typo_years(finding))
            elif finding.kind == "missing_document" and (finding.id, str(finding.year)) in suspect:
                _mark_typo_year(finding)
            if finding.kind in wanted:
                yield finding


def _typo_years(typo: Finding) -> set[tuple]:
    """(id, year) of each year a suspected year typo gives."""
    return {(typo.id, date[:4]) for date in typo.facts["dates"]}


def _mark_typo_year(missing: Finding) -> None:
    """04/KH-UBND of 2021 and of 2022 may be one document: say so before someone hunts for both."""
    missing.facts["suspected_year_typo"] = True
    missing.detail += "; its year may be a typo (see suspected_year_typo)"
