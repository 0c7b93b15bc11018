"""Corpus-level resolution: what a citation or a typed ID names, using the whole store.

One document sees only its own text. Across the store more is known:

- a citation without a year ("Quyết định số 468/QĐ-TTg", no date) takes the year the
  other citations of that id agree on (`refs.resolved_year` + `refs.resolution_note`);
  numbers restart every year, so several years means the citation stays unresolved;
- a document whose header was lost (no số hiệu) is the document another one cites with
  the same type, province and title: seed 000 is "Kế hoạch số 204/KH-UBND ngày
  25/11/2021" of seed 003 (`document_matches`, one row per rendition, with the reason);
- a user's "nd 45/2020" names the node `45/2020/NĐ-CP|2020|national` (`match_id`).

Everything here works on the ids it is given, through indexes (`refs(ref_id)`,
`renditions(so_hieu)`, the FTS index of titles), so the corpus update after an ingest
costs in proportion to what the new documents touch, not to the store.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Iterable, Optional

import regex
import sqlite_utils

from vanban.models.knowledge import agencies, doc_types, laws
from vanban.models.vietnamese import fold
from vanban.pipeline.store import distinct_values
from vanban.pipeline.store.facets import scope_match
from vanban.pipeline.store.schema import HEADERLESS_FTS

TITLE_SIMILARITY = 0.85  # folded titles this close name the same document (typos, a cut word)
TITLE_CANDIDATES = 20  # titles the FTS index proposes for one header-less document, the latest first
RARE_TITLE_WORDS = 3  # the title words every candidate must hold: its rarest in the index
# the latest titles a word's rarity is counted among: enough to tell a place name from 'kế hoạch',
# and a bounded count however many titles hold the word (fts5vocab reads its whole posting list:
# 3 ms for a word in every title at 94,000 titles, 1.4 ms per title looked up at 10,000)
RARITY_WINDOW = 2_000
# files a resolution note names: a decree cited by 100,000 plans would otherwise list them all
# in every note, and rewrite every note at each new citation
NOTE_SOURCES = 3
# rows of one number read whole for its groups; past this, one seek per group (distinct_pairs)
SCAN_ROWS = 200
WORD_RE = regex.compile(r"[\p{L}\p{N}]+")
NUMBER_YEAR_RE = regex.compile(r"\d+/((?:19|20)\d\d)/")  # 274/2025/NĐ-CP
TOKEN_RE = regex.compile(r"[a-z]+|\d+")
NOISE_TOKENS = {"so"}  # "Nghị định số 45/2020" — the word số is not part of the id
LAW_SYMBOLS = {"Luật": "QH", "Bộ luật": "QH"}  # passed by the Quốc hội: '63/2025/QH15'
NATIONAL = "national"  # the jurisdiction of central bodies


@dataclass
class ResolveSummary:
    refs_without_year: int = 0
    years_resolved: int = 0
    jurisdictions_resolved: int = 0
    documents_matched_by_title: int = 0

    def lines(self) -> list[str]:
        return [f"citations without a year: {self.refs_without_year} ({self.years_resolved} resolved)",
                f"jurisdictions filled: {self.jurisdictions_resolved}",
                f"header-less documents matched by title: {self.documents_matched_by_title}"]


def node_key(so_hieu: str, year: Optional[int], jurisdiction: Optional[str]) -> str:
    """'204/KH-UBND', 2021, 'Tuyên Quang' → '204/KH-UBND|2021|Tuyên Quang' (unknown parts empty)."""
    return f"{so_hieu}|{year or ''}|{jurisdiction or ''}"


def document_jurisdiction(doc: dict) -> Optional[str]:
    """'national' for a document a central body issued, else its province.

    >>> document_jurisdiction({"issuer": "Thủ tướng Chính phủ", "province": None})
    'national'
    """
    if doc.get("issuer") in _national_issuers():
        return NATIONAL
    return doc.get("province") or (NATIONAL if doc.get("issuer") is None and doc.get("so_hieu") else None)


@lru_cache(maxsize=None)
def _national_issuers() -> frozenset:
    return frozenset(a.name for a in agencies().values() if a.level == NATIONAL)


@dataclass
class NewEvidence:
    """What the renditions of one update bring about each number: the (year, jurisdiction)
    groups its new citations state, the (year, province) groups of its new stored documents,
    the new citations that lack a year or jurisdiction, and where the new rows begin."""
    groups: dict = field(default_factory=lambda: defaultdict(set))  # id -> {("cited"|"stored", year, place)}
    open_in: dict = field(default_factory=lambda: defaultdict(set))  # id -> new doc_ids citing it openly
    first_ref: Optional[int] = None  # the smallest rowid of a new citation
    first_rendition: Optional[int] = None

    def cited(self, ref_id: str, year: Optional[int], jurisdiction: Optional[str], doc_id: str, rowid: int) -> None:
        if year is not None or jurisdiction is not None:
            self.groups[ref_id].add(("cited", year, jurisdiction))
        if year is None or jurisdiction is None:
            self.open_in[ref_id].add(doc_id)
        self.first_ref = rowid if self.first_ref is None else min(self.first_ref, rowid)

    def stored(self, so_hieu: str, year: Optional[int], province: Optional[str], rowid: int) -> None:
        self.groups[so_hieu].add(("stored", year, province))
        self.first_rendition = rowid if self.first_rendition is None else min(self.first_rendition, rowid)

    def may_change(self, db: sqlite_utils.Database, ref_id: str, places: set) -> bool:
        """Can the new rows change how the number's older open citations resolve? Only a group
        that is new, or that had too few rows to name files from in a note (NOTE_SOURCES and one
        more, the first by rowid: the new rows come after them), can; counted in the indexes.
        places: the jurisdictions of its open citations. One of jurisdiction J takes its year
        from groups of J (or none) only; one without a jurisdiction looks at every group."""
        for kind, year, place in sorted(self.groups.get(ref_id, ()), key=str):
            if None not in places and place is not None and place not in places:
                continue
            if kind == "cited":
                before = db.conn.execute(
                    "select count(*) from (select 1 from refs where ref_id = ? and year is ? and jurisdiction is ? "
                    "and rowid < ? limit ?)", [ref_id, year, place, self.first_ref, NOTE_SOURCES + 1]).fetchone()[0]
            else:
                before = db.conn.execute(
                    "select count(*) from (select 1 from renditions where so_hieu = ? and year is ? and province is ? "
                    "and rowid < ? limit ?)", [ref_id, year, place, self.first_rendition, NOTE_SOURCES + 1]).fetchone()[0]
            if before <= NOTE_SOURCES:
                return True
        return False


def resolve_refs(db: sqlite_utils.Database, ids: Iterable[str], summary: ResolveSummary,
                 evidence: Optional[NewEvidence] = None, forced: Iterable[str] = ()) -> dict[tuple, tuple]:
    """Re-resolve the citations of the given ids that lack a year or a jurisdiction.

    Returns {(doc_id, seq): (old target, new target)} for the citations whose resolved
    (id, year, jurisdiction) changed. A citation that states both needs nothing from the
    corpus (`resolve_stated`); the others take what the other citations and the stored
    documents of the same id agree on, read as aggregates through the index on ref_id.
    evidence: what this update's new renditions bring; an id's older open citations are
    looked at again only when that may change them (or the id is in forced), so a decree
    cited a million times is not re-read for each new plan. Without it, all are.
    """
    changed = {}
    forced = set(forced)
    for ref_id in ids:
        # the jurisdictions of the number's open citations, from their small index: most numbers
        # have none, and new evidence from elsewhere changes none of them (may_change would
        # read the number's leaves of the index of all citations, cold at 1,000,000 documents)
        places = {j for (j,) in db.conn.execute("select distinct jurisdiction from refs indexed by refs_open "
                                                "where ref_id = ? and (year is null or jurisdiction is null)",
                                                [ref_id])}
        if not places:
            continue
        if evidence is None or ref_id in forced or evidence.may_change(db, ref_id, places):
            where, params = "", []
        elif evidence.open_in.get(ref_id):
            new = sorted(evidence.open_in[ref_id])
            where, params = f" and r.doc_id in ({', '.join('?' * len(new))})", new
        else:
            continue
        open_refs = [dict(zip(REF_FIELDS, row)) for row in db.conn.execute(
            f"select {REF_SELECT} from refs r join renditions d indexed by renditions_source "
            "on d.doc_id = r.doc_id "
            f"where r.ref_id = ? and (r.year is null or r.jurisdiction is null){where}", [ref_id, *params])]
        if not open_refs:
            continue
        # the (year, jurisdiction) groups of the number's citations and stored documents, from their
        # indexes; the files of a group are read only when a note names them
        stated = [{"year": year, "jurisdiction": jurisdiction,
                   "sources": _citing_files(db, ref_id, year, jurisdiction)}
                  for year, jurisdiction in distinct_pairs(db, "refs indexed by refs_ref_id", "ref_id", ref_id,
                                                           "year", "jurisdiction")
                  if (year, jurisdiction) != (None, None)]
        docs = [{"year": year, "province": province, "sources": _stored_files(db, ref_id, year, province)}
                for year, province in distinct_pairs(db, "renditions indexed by renditions_number", "so_hieu",
                                                     ref_id, "year", "province")]
        updates = []
        for ref in open_refs:
            values = _resolve_ref(ref, stated, docs, summary)
            if values != (ref["resolved_year"], ref["resolved_jurisdiction"], ref["resolution_note"]):
                updates.append((*values, ref["doc_id"], ref["seq"]))
                changed[(ref["doc_id"], ref["seq"])] = (
                    node_key(ref_id, ref["resolved_year"], ref["resolved_jurisdiction"])
                    if ref["resolution_note"] else None, node_key(ref_id, values[0], values[1]))
        db.conn.executemany("update refs set resolved_year = ?, resolved_jurisdiction = ?, resolution_note = ? "
                            "where doc_id = ? and seq = ?", updates)
    return changed


def distinct_pairs(db: sqlite_utils.Database, source: str, key_column: str, key: str,
                   first: str, second: str) -> list[tuple]:
    """The distinct (first, second) values of source's rows with key_column = key, where source is a
    table read through an index on (key_column, first, second, …).

    A key with few rows is read whole; one with more (a decree cited 100,000 times) by a skip
    scan (store.distinct_values), a seek for each distinct value, so its groups cost a few leaves
    where GROUP BY read every row's entry, and the cost stops growing with the corpus.
    """
    conn = db.conn
    groups = conn.execute(f"select {first}, {second}, count(*) from (select {first}, {second} from {source} "
                          f"where {key_column} = ? limit ?) group by {first}, {second}", [key, SCAN_ROWS + 1]).fetchall()
    if sum(n for *_, n in groups) <= SCAN_ROWS:
        return [(a, b) for a, b, _ in groups]

    def values(column: str, where: str, params: list) -> list:  # nulls first, as the index has them
        nulls = [None] if conn.execute(f"select 1 from {source} where {where} and {column} is null limit 1",
                                       params).fetchone() else []
        return nulls + distinct_values(db, source, column, where, params)
    keyed = f"{key_column} = ?"
    return [(a, b) for a in values(first, keyed, [key]) for b in values(second, f"{keyed} and {first} is ?", [key, a])]


def resolved_pairs(db: sqlite_utils.Database, ref_id: str) -> list[tuple]:
    """The distinct (resolved year, resolved jurisdiction) of ref_id's citations, from indexes alone.

    A citation stating both resolves to them (resolve_stated, before any rendition is matched),
    so those are its groups in refs_ref_id; the open ones' resolved values are in refs_open.
    Reading the rows instead read every citation of the number: 19 s for a decree cited 440,000
    times, in every update citing it while a stored copy of it lacks its date.
    """
    stated = [pair for pair in distinct_pairs(db, "refs indexed by refs_ref_id", "ref_id", ref_id, "year",
                                              "jurisdiction") if None not in pair]
    opened = db.conn.execute("select distinct resolved_year, resolved_jurisdiction from refs indexed by refs_open "
                             "where ref_id = ? and (year is null or jurisdiction is null)", [ref_id]).fetchall()
    return list(dict.fromkeys([*stated, *map(tuple, opened)]))


def resolve_stated(db: sqlite_utils.Database, doc_ids: Iterable[str]) -> dict[tuple, tuple]:
    """Citations of new renditions that state year and jurisdiction resolve to them."""
    changed = {}
    for doc_id in doc_ids:
        rows = db.conn.execute("select seq, ref_id, year, jurisdiction from refs where doc_id = ? "
                               "and year is not null and jurisdiction is not null", [doc_id]).fetchall()
        db.conn.execute("update refs set resolved_year = year, resolved_jurisdiction = jurisdiction, "
                        "resolution_note = null where doc_id = ? and year is not null and jurisdiction is not null",
                        [doc_id])
        changed.update({(doc_id, seq): (None, node_key(ref_id, year, jurisdiction))
                        for seq, ref_id, year, jurisdiction in rows})
    return changed


def _files_reader(db: sqlite_utils.Database, sql: str, params: list):
    """A reader of the file names sql gives for params and NOTE_SOURCES + 1 (one more tells there
    are more), each once, read only when a note names them."""
    found: list[str] = []

    def files() -> list[str]:
        if not found:
            found.extend(dict.fromkeys(r[0] for r in db.conn.execute(sql, [*params, NOTE_SOURCES + 1])))
        return found
    return files


def _stored_files(db: sqlite_utils.Database, so_hieu: str, year: Optional[int], province: Optional[str]):
    """The first files stored holding so_hieu of this year and province."""
    return _files_reader(db, "select source_name from renditions where so_hieu = ? and year is ? and province is ? "
                             "order by rowid limit ?", [so_hieu, year, province])


def _citing_files(db: sqlite_utils.Database, ref_id: str, year: Optional[int], jurisdiction: Optional[str]):
    """The files of the first citations of ref_id with this year and jurisdiction, in the order of
    the index on ref_id."""
    return _files_reader(db, "select d.source_name from refs x "
                             "join renditions d indexed by renditions_source on d.doc_id = x.doc_id "
                             "where x.ref_id = ? and x.year is ? and x.jurisdiction is ? limit ?",
                         [ref_id, year, jurisdiction])


# a citation with what resolving it needs from the citing rendition
REF_SELECT = ("r.doc_id, r.seq, r.ref_id, r.year, r.jurisdiction, r.resolved_year, r.resolved_jurisdiction, "
              "r.resolution_note, d.date, d.source_name")
REF_FIELDS = ("doc_id", "seq", "ref_id", "year", "jurisdiction", "resolved_year", "resolved_jurisdiction",
              "resolution_note", "citing_date", "citing_source")


def _resolve_ref(ref: dict, stated: list[dict], same_docs: list[dict],
                 summary: ResolveSummary) -> tuple[Optional[int], Optional[str], Optional[str]]:
    """(year, jurisdiction, note) of one citation, given what the citations of its id state
    (grouped by year and jurisdiction) and the stored documents of its id."""
    year, jurisdiction, notes = ref["year"], ref["jurisdiction"], []
    if jurisdiction is None:
        seen = {group["jurisdiction"] for group in stated if group["jurisdiction"]} | \
            {d["province"] for d in same_docs if d["province"]}
        if len(seen) == 1:
            jurisdiction = next(iter(seen))
            summary.jurisdictions_resolved += 1
            notes.append(f"jurisdiction {jurisdiction} from other citations or documents")
        elif seen:
            notes.append(f"jurisdiction ambiguous: {', '.join(sorted(seen))}")
        else:
            notes.append(f"no other citation or document of {ref['ref_id']} names its jurisdiction")
    if year is None:
        summary.refs_without_year += 1
        year, note = _year_from_corpus(ref, jurisdiction, stated, same_docs)
        summary.years_resolved += year is not None
        notes.append(note)
    # an open citation always carries a note, so a stored note tells it was resolved
    return year, jurisdiction, "; ".join(notes)


def _year_from_corpus(ref: dict, jurisdiction: Optional[str], stated: list[dict],
                      same_docs: list[dict]) -> tuple[Optional[int], str]:
    """The one year every other dated citation (or stored document) of this id gives.

    A cited document is older than the one citing it, so later years are left out:
    a 2018 plan citing 14/CT-TTg cannot mean the 2019 directive.
    """
    limit = int(ref["citing_date"][:4]) if ref["citing_date"] else None
    years: dict[int, list] = defaultdict(list)  # year -> readers of the files that give it
    for group in stated:
        if group["year"] and (jurisdiction is None or group["jurisdiction"] in (None, jurisdiction)):
            years[group["year"]].append(group["sources"])
    for d in same_docs:
        if d["year"] and (jurisdiction is None or d["province"] in (None, jurisdiction)):
            years[d["year"]].append(d["sources"])
    if limit is not None:
        years = {y: s for y, s in years.items() if y <= limit}
    if len(years) == 1:
        (found, readers), = years.items()
        sources = {name for files in readers for name in files()}
        named = ", ".join(sorted(sources)[:NOTE_SOURCES]) + (", …" if len(sources) > NOTE_SOURCES else "")
        return found, f"year {found} from other citations of {ref['ref_id']} ({named})"
    if years:
        return None, f"year ambiguous: {', '.join(map(str, sorted(years)))} in other citations of {ref['ref_id']}"
    return None, f"no other citation of {ref['ref_id']} gives a year"


def match_rendition(db: sqlite_utils.Database, doc: dict, summary: ResolveSummary) -> dict:
    """The identity a rendition is known by in the corpus: its header, the citation carrying
    its title, or (header-less and uncited) the header-less rendition with the same title.

    Returns its document_matches row plus `node_id`.
    """
    row = {"doc_id": doc["doc_id"], "resolved_id": doc["so_hieu"], "resolved_year": doc["year"],
           "resolved_date": doc["date"], "jurisdiction": document_jurisdiction(doc), "method": "header",
           "similarity": None, "reason": "số hiệu in the header"}
    if doc["so_hieu"]:
        if row["resolved_year"] is None or row["jurisdiction"] is None:
            cited = [{"year": y, "jurisdiction": j} for y, j in resolved_pairs(db, doc["so_hieu"])]
            _complete_from_citations(row, cited)
        return {**row, "node_id": node_key(row["resolved_id"], row["resolved_year"], row["jurisdiction"])}
    strong = _cited_title_matches(db, doc)
    if len(strong) == 1:
        similarity, (ref_id, year, jurisdiction), cited = strong[0]
        summary.documents_matched_by_title += 1
        row.update(resolved_id=ref_id, resolved_year=year, resolved_date=cited["date"], jurisdiction=jurisdiction,
                   method="title", similarity=round(similarity, 3),
                   reason=f"no header; {cited['citing_source']} cites {cited['type'] or ''} {ref_id}"
                          f"{' of ' + cited['date'] if cited['date'] else ''} with the same title "
                          f"(similarity {similarity:.2f}), the only candidate of the same type and province")
        return {**row, "node_id": node_key(ref_id, year, jurisdiction)}
    row.update(resolved_id=None, method="none",
               reason=("no header; titles of " + ", ".join(s[1][0] for s in strong) + " all match: ambiguous")
               if strong else "no header, and no citation of the same type and province carries its title")
    twin = _headerless_twin(db, doc)
    if twin:
        row["reason"] += f"; the same document as {twin['source_name']} (same type, province and title)"
    return {**row, "node_id": twin["node_id"] if twin else f"doc:{doc['doc_id']}"}


def title_candidates(db: sqlite_utils.Database, kind: str, doc: dict, counts: Optional[dict] = None) -> list[dict]:
    """Rows of `titles` of this kind, type and jurisdiction that hold the rarest words of the
    document's title, the latest first.

    Titles this similar share nearly all their words, so asking the FTS index for the
    few rarest (by how many recent titles hold each) finds them through short posting
    lists, however many titles share the common words ('kế hoạch', 'chuyển đổi số').
    counts: the words counted so far, kept by a caller looking up many titles at once.
    """
    if not (doc["title"] and doc["type"] and doc["province"]) or not db.conn.execute(
            "select 1 from titles where kind = ? and type = ? and jurisdiction = ? limit 1",
            [kind, doc["type"], doc["province"]]).fetchone():
        return []
    words = list(dict.fromkeys(WORD_RE.findall(fold(doc["title"]))))
    counts = {} if counts is None else counts
    _count_words(db, [w for w in words if w not in counts], counts)
    rare = sorted((w for w in words if counts[w] is not None), key=lambda w: (counts[w], w))[:RARE_TITLE_WORDS]
    if not rare:
        return []
    # the scope tokens keep the kind, type and jurisdiction inside the index; the latest first
    # (bm25 would read every posting of the words to weigh them); header-less titles from their own
    match = "title : (" + " AND ".join(f'"{w}"' for w in rare) + ") AND " + \
        scope_match(kind, doc["type"], doc["province"])
    fts = HEADERLESS_FTS if kind == "headerless" else "titles_fts"
    return [dict(zip(("key", "title"), row)) for row in db.conn.execute(
        f"select t.key, t.title from {fts} join titles t on t.id = {fts}.rowid "
        f"where {fts} match ? and t.kind = ? and t.type = ? and t.jurisdiction = ? "
        f"order by {fts}.rowid desc limit ?",
        [match, kind, doc["type"], doc["province"], TITLE_CANDIDATES])]


def _count_words(db: sqlite_utils.Database, words: list[str], counts: dict) -> None:
    """How many of the latest RARITY_WINDOW titles hold each word: 0 for a word only older titles
    hold (the rarest), None for one no title holds."""
    if not words:
        return
    last = db.conn.execute("select max(id) from titles").fetchone()[0] or 0
    for word in words:
        phrase = f'title : "{word}"'
        recent = db.conn.execute("select count(*) from titles_fts where titles_fts match ? and rowid > ?",
                                 [phrase, last - RARITY_WINDOW]).fetchone()[0]
        if not recent:
            recent = 0 if db.conn.execute("select 1 from titles_fts where titles_fts match ? limit 1",
                                          [phrase]).fetchone() else None
        counts[word] = recent


def _cited_title_matches(db: sqlite_utils.Database, doc: dict) -> list[tuple]:
    """[(similarity, (ref_id, year, jurisdiction), best citation)] of the cited documents, not
    stored, of the same type and province whose title is this header-less document's."""
    if not (doc["type"] and doc["province"] and doc["title"]):
        return []
    scored: dict[str, tuple] = {}
    for candidate in title_candidates(db, "cited", doc):
        similarity = title_similarity(doc["title"], candidate["title"])
        if similarity >= TITLE_SIMILARITY and similarity > scored.get(candidate["key"], (0,))[0]:
            scored[candidate["key"]] = (similarity,)
    out = []
    for key, (similarity,) in scored.items():
        ref_id, year, jurisdiction = key.split("|")
        year = int(year) if year else None
        if db.conn.execute("select 1 from renditions where so_hieu = ? and year is ? limit 1",
                           [ref_id, year]).fetchone():
            continue  # that document is stored with its header: not this one
        citations = [dict(zip(("type", "date", "title", "citing_source", "doc_id"), r)) for r in db.conn.execute(
            "select r.type, r.date, r.title, d.source_name, r.doc_id from refs r "
            "join renditions d indexed by renditions_source on d.doc_id = r.doc_id "
            "where r.ref_id = ? and r.resolved_year is ? "
            "and r.resolved_jurisdiction = ? and r.title is not null", [ref_id, year, jurisdiction])]
        fitting = [c for c in citations if c["doc_id"] != doc["doc_id"] and _compatible(doc, c, year)]
        if fitting:
            best = max(fitting, key=lambda c: title_similarity(doc["title"], c["title"]))
            out.append((similarity, (ref_id, year, jurisdiction or None), best))
    return sorted(out, key=lambda t: -t[0])


def _headerless_twin(db: sqlite_utils.Database, doc: dict) -> Optional[dict]:
    """Another rendition of the same header-less document (its scan, its text copy): same
    type, province and title, no contradicting date; the earliest stored one."""
    if not (doc["type"] and doc["province"] and doc["title"]):
        return None
    twins = []
    for candidate in title_candidates(db, "headerless", doc):
        if candidate["key"] == doc["doc_id"] or title_similarity(doc["title"], candidate["title"]) < TITLE_SIMILARITY:
            continue
        twin = db.conn.execute("select doc_id, node_id, date, source_name, rowid from renditions where doc_id = ?",
                               [candidate["key"]]).fetchone()
        if twin and twin[1] and twin[1].startswith("doc:") and _same_day(doc["date"], twin[2]):
            twins.append(twin)
    if not twins:
        return None
    earliest = min(twins, key=lambda t: t[4])
    return {"node_id": earliest[1], "source_name": earliest[3]}


def _same_day(a: Optional[str], b: Optional[str]) -> bool:
    """Dates that do not contradict: equal where both are given, at the precision both give."""
    return not (a and b) or a[:min(len(a), len(b))] == b[:min(len(a), len(b))]


def _complete_from_citations(row: dict, cited: list[dict]) -> dict:
    """A stored document's missing year from its number, or year and jurisdiction from its citations.

    A Nghị định names no province: the citations of 45/2020/NĐ-CP say 'national'.
    """
    notes = []
    year_in_number = NUMBER_YEAR_RE.match(row["resolved_id"])
    if row["resolved_year"] is None and year_in_number:
        row["resolved_year"] = int(year_in_number.group(1))
        notes.append("year from the number")
    if row["jurisdiction"] is None:
        seen = {c["jurisdiction"] for c in cited if c["jurisdiction"]}
        if len(seen) == 1:
            row["jurisdiction"] = seen.pop()
            notes.append(f"jurisdiction {row['jurisdiction']} from {len(cited)} citation(s)")
    if row["resolved_year"] is None:
        seen = {c["year"] for c in cited
                if c["year"] and c["jurisdiction"] in (None, row["jurisdiction"])}
        if len(seen) == 1:
            row["resolved_year"] = seen.pop()
            notes.append(f"year {row['resolved_year']} from its citations")
    if notes:
        row["reason"] += "; " + "; ".join(notes)
    return row


def _compatible(doc: dict, ref: dict, year: Optional[int]) -> bool:
    """Same type, and no date that contradicts."""
    if ref["type"] != doc["type"]:
        return False
    if doc["date"] and ref["date"] and not ref["date"].startswith(doc["date"]):
        return False
    return not (doc["year"] and year and doc["year"] != year)


def title_similarity(a: str, b: str) -> float:
    """0..1 over folded words: 'Phát triển Chính quyền số …' and 'phát triển chính quyền so …' → 1.0."""
    fa, fb = " ".join(WORD_RE.findall(fold(a))), " ".join(WORD_RE.findall(fold(b)))
    if not fa or not fb:
        return 0.0
    return SequenceMatcher(None, fa, fb, autojunk=False).ratio()


def folded_title(title: str) -> str:
    """The form titles are indexed in: folded words, one space apart."""
    return " ".join(WORD_RE.findall(fold(title)))


@lru_cache(maxsize=None)
def _type_words() -> tuple[tuple[regex.Pattern, str], ...]:
    """('nghi dinh' → 'nd', 'luat' → '', …), longest name first: a typed type name becomes its ký hiệu.

    A law's number ends in its Quốc hội term ('63/2025/QH15'), so Luật becomes 'qh'; other
    types without a ký hiệu (Công văn) leave nothing.
    """
    return tuple((regex.compile(rf"\b{regex.escape(fold(t.name))}\b"),
                  fold(t.abbreviation or LAW_SYMBOLS.get(t.name, ""))) for t in doc_types())


@lru_cache(maxsize=None)
def _law_names() -> dict[str, tuple[str, ...]]:
    """'luat an toan thong tin mang' → ('86/2015/QH13',): laws people name instead of numbering."""
    numbers: dict[str, list] = defaultdict(list)
    for law in laws():
        for name in (law.name, *law.aliases):
            numbers[" ".join(WORD_RE.findall(fold(name)))].append(law.number)
    return {name: tuple(found) for name, found in numbers.items()}


def id_tokens(text: str) -> list[str]:
    """Folded words and numbers of an id as people type it, type names shortened.

    'Nghị định số 45/2020/NĐ-CP' → ['nd', '45', '2020', 'nd', 'cp']; '05/2017' → ['5', '2017'].
    """
    folded = fold(text)
    for pattern, abbreviation in _type_words():
        folded = pattern.sub(f" {abbreviation} ", folded)
    return [t.lstrip("0") or "0" if t.isdigit() else t
            for t in TOKEN_RE.findall(folded) if t not in NOISE_TOKENS]


def _compact(text: str) -> str:
    return "".join(id_tokens(text))


@lru_cache(maxsize=65536)  # node rows are written for the same few thousand ids over and over
def id_key(so_hieu: str) -> Optional[str]:
    """The indexed form of an id, as `match_id` compares them: '45/2020/NĐ-CP' → '452020ndcp'."""
    return _compact(so_hieu) or None if so_hieu else None


@lru_cache(maxsize=65536)
def id_number(text: str) -> Optional[str]:
    """The first number of an id, without leading zeros: '05/2017/TT-BTTTT' → '5'; the index
    that narrows a leniently typed id to a few candidates."""
    numbers = [t for t in id_tokens(text) if t.isdigit()]
    return numbers[0] if numbers else None


def typed_numbers(user_text: str) -> list[str]:
    """The first number of each id user_text may name (a law's name names its number)."""
    named = _law_names().get(" ".join(WORD_RE.findall(fold(user_text))))
    return [n for n in (id_number(t) for t in (named or (user_text,))) if n]


def match_id(user_text: str, candidates: Iterable[str]) -> list[str]:
    """The candidates user_text names, best first; only the equally best are kept.

    Lenient: no diacritics, any case, spaces and punctuation ignored, type names or
    their ký hiệu, parts left out. `45/2020/ND-CP`, `nd 45/2020`, `NĐ 45/2020` and
    `Nghị định 45/2020` all name '45/2020/NĐ-CP'; `Luật An toàn thông tin mạng` names
    '86/2015/QH13'. A candidate may be a node id
    ('45/2020/NĐ-CP|2020|national'): typing the year or province then picks one of
    '14/CT-TTg|2018|national' and '14/CT-TTg|2019|national'.
    """
    named = _law_names().get(" ".join(WORD_RE.findall(fold(user_text))))
    if named:
        candidates = list(candidates)
        return [c for number in named for c in match_id(number, candidates)]
    wanted = id_tokens(user_text)
    numbers = [t for t in wanted if t.isdigit()]
    if not wanted:
        return []
    exact, partial = [], []
    for candidate in candidates:
        own = candidate.split("|")[0]
        if _compact(own) == "".join(wanted):
            exact.append(candidate)
            continue
        tokens = id_tokens(candidate.replace("|", " "))
        own_numbers = [t for t in id_tokens(own) if t.isdigit()]
        if set(wanted) <= set(tokens) and (not numbers or own_numbers[:1] == numbers[:1]):
            partial.append(candidate)
    return exact or partial
