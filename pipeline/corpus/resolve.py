"""Corpus-level resolution: what a citation or a typed ID names, using the whole store.

One document sees only its own text. Across the store more is known:

- a citation without a year ("Quyết định số 468/QĐ-TTg", no date) takes the year the
  other citations of that id agree on (`refs.resolved_year` + `refs.resolution_note`);
  numbers restart every year, so several years means the citation stays unresolved;
- a document whose header was lost (no số hiệu) is the document another one cites with
  the same type, province and title: seed 000 is "Kế hoạch số 204/KH-UBND ngày
  25/11/2021" of seed 003 (`document_matches`, one row per document, with the reason);
- a user's "nd 45/2020" names the node `45/2020/NĐ-CP|2020|national` (`match_id`).

`resolve_corpus(db)` rewrites every resolved value from the stored facts, so it is
idempotent and can run after each ingest.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Iterable, Optional

import regex
import sqlite_utils

from vanban.models.knowledge import doc_types, laws
from vanban.models.vietnamese import fold
from vanban.pipeline.corpus.audit import document_jurisdiction

TITLE_SIMILARITY = 0.85  # folded titles this close name the same document (typos, a cut word)
WORD_RE = regex.compile(r"[\p{L}\p{N}]+")
NUMBER_YEAR_RE = regex.compile(r"\d+/((?:19|20)\d\d)/")  # 274/2025/NĐ-CP
TOKEN_RE = regex.compile(r"[a-z]+|\d+")
NOISE_TOKENS = {"so"}  # "Nghị định số 45/2020" — the word số is not part of the id
LAW_SYMBOLS = {"Luật": "QH", "Bộ luật": "QH"}  # passed by the Quốc hội: '63/2025/QH15'
RESOLVED_COLUMNS = {"resolved_year": int, "resolved_jurisdiction": str, "resolution_note": str}


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


def resolve_corpus(db: sqlite_utils.Database) -> ResolveSummary:
    """Fill years and jurisdictions of citations and identities of header-less documents.

    Writes refs.resolved_year, refs.resolved_jurisdiction, refs.resolution_note (the
    stated value when the citation gives one, else what the corpus agrees on, with why)
    and rebuilds the document_matches table. Safe to call any number of times.
    """
    summary = ResolveSummary()
    if "refs" not in db.table_names():
        return summary
    refs = list(db.query("select r.rowid as rid, r.*, d.date as citing_date, d.source_name as citing_source "
                         "from refs r join documents d on d.doc_id = r.doc_id"))
    documents = list(db.query("select * from documents order by source"))
    by_id: dict[str, list] = defaultdict(list)
    for ref in refs:
        by_id[ref["ref_id"]].append(ref)
    docs_by_id: dict[str, list] = defaultdict(list)
    for doc in documents:
        docs_by_id[doc["so_hieu"]].append(doc)
    updates = dict(_resolve_ref(ref, by_id[ref["ref_id"]], docs_by_id.get(ref["ref_id"], []), summary)
                   for ref in refs)
    matches = [_match_document(doc, documents, refs, by_id, updates, summary) for doc in documents]
    with db.atomic():
        for column, kind in RESOLVED_COLUMNS.items():
            if column not in db["refs"].columns_dict:
                db["refs"].add_column(column, kind)
        db.conn.executemany("update refs set resolved_year = ?, resolved_jurisdiction = ?, resolution_note = ? "
                            "where rowid = ?", [(v["year"], v["jurisdiction"], v["note"], rid)
                                                for rid, v in updates.items()])
        if "document_matches" in db.table_names():
            db.execute("delete from document_matches")
        else:
            db["document_matches"].create({"doc_id": str, "resolved_id": str, "resolved_year": int,
                                           "resolved_date": str, "jurisdiction": str, "method": str,
                                           "similarity": float, "reason": str}, pk="doc_id")
        db["document_matches"].insert_all(matches)
    return summary


def _resolve_ref(ref: dict, same_id: list[dict], same_docs: list[dict], summary: ResolveSummary) -> tuple[int, dict]:
    """(rowid, {year, jurisdiction, note}) of one citation, given the citations and documents of its id."""
    year, jurisdiction, notes = ref["year"], ref["jurisdiction"], []
    others = [r for r in same_id if r["rid"] != ref["rid"]]
    if jurisdiction is None:
        seen = Counter(r["jurisdiction"] for r in others if r["jurisdiction"])
        seen.update(d["province"] for d in same_docs if d["province"])
        if len(seen) == 1:
            jurisdiction = next(iter(seen))
            summary.jurisdictions_resolved += 1
            notes.append(f"jurisdiction {jurisdiction} from {sum(seen.values())} other citation(s) or document(s)")
        elif seen:
            notes.append(f"jurisdiction ambiguous: {', '.join(sorted(seen))}")
    if year is None:
        summary.refs_without_year += 1
        year, note = _year_from_corpus(ref, jurisdiction, others, same_docs)
        summary.years_resolved += year is not None
        notes.append(note)
    return ref["rid"], {"year": year, "jurisdiction": jurisdiction, "note": "; ".join(notes) or None}


def _year_from_corpus(ref: dict, jurisdiction: Optional[str], others: list[dict],
                      same_docs: list[dict]) -> tuple[Optional[int], str]:
    """The one year every other dated citation (or stored document) of this id gives.

    A cited document is older than the one citing it, so later years are left out:
    a 2018 plan citing 14/CT-TTg cannot mean the 2019 directive.
    """
    limit = int(ref["citing_date"][:4]) if ref["citing_date"] else None
    years: dict[int, set] = defaultdict(set)
    for r in others:
        if r["year"] and (jurisdiction is None or r["jurisdiction"] in (None, jurisdiction)):
            years[r["year"]].add(r["citing_source"])
    for d in same_docs:
        if d["year"] and (jurisdiction is None or d["province"] in (None, jurisdiction)):
            years[d["year"]].add(d["source_name"])
    if limit is not None:
        years = {y: s for y, s in years.items() if y <= limit}
    if len(years) == 1:
        (found, sources), = years.items()
        return found, f"year {found} from other citations of {ref['ref_id']} ({', '.join(sorted(sources))})"
    if years:
        return None, f"year ambiguous: {', '.join(map(str, sorted(years)))} in other citations of {ref['ref_id']}"
    return None, f"no other citation of {ref['ref_id']} gives a year"


def _match_document(doc: dict, documents: list[dict], refs: list[dict], by_id: dict[str, list],
                    resolved: dict[int, dict], summary: ResolveSummary) -> dict:
    """The identity a document is known by in the corpus: its header, or the citation carrying its title."""
    row = {"doc_id": doc["doc_id"], "resolved_id": doc["so_hieu"], "resolved_year": doc["year"],
           "resolved_date": doc["date"], "jurisdiction": document_jurisdiction(doc), "method": "header",
           "similarity": None, "reason": "số hiệu in the header"}
    if doc["so_hieu"]:
        return _complete_from_citations(row, [resolved[r["rid"]] for r in by_id.get(doc["so_hieu"], [])])
    known = {(d["so_hieu"], d["year"]) for d in documents if d["so_hieu"]}
    candidates: dict[tuple, list] = defaultdict(list)
    for ref in refs:
        values = resolved[ref["rid"]]
        key = (ref["ref_id"], values["year"], values["jurisdiction"])
        if ref["doc_id"] != doc["doc_id"] and ref["title"] and (key[0], key[1]) not in known \
                and _compatible(doc, ref, values):
            candidates[key].append((title_similarity(doc["title"] or "", ref["title"]), ref))
    scored = sorted(((max(s for s, _ in group), key, group) for key, group in candidates.items()),
                    key=lambda t: -t[0])
    strong = [s for s in scored if s[0] >= TITLE_SIMILARITY]
    if len(strong) != 1:
        row.update(resolved_id=None, method="none",
                   reason=("no header; titles of " + ", ".join(s[1][0] for s in strong) + " all match: ambiguous")
                   if strong else "no header, and no citation of the same type and province carries its title")
        return row
    similarity, (ref_id, year, jurisdiction), group = strong[0]
    cited = sorted(group, key=lambda t: -t[0])[0][1]
    summary.documents_matched_by_title += 1
    row.update(resolved_id=ref_id, resolved_year=year, resolved_date=cited["date"], jurisdiction=jurisdiction,
               method="title", similarity=round(similarity, 3),
               reason=f"no header; {cited['citing_source']} cites {cited['type'] or ''} {ref_id}"
                      f"{' of ' + cited['date'] if cited['date'] else ''} with the same title "
                      f"(similarity {similarity:.2f}), the only candidate of the same type and province")
    return row


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


def _compatible(doc: dict, ref: dict, values: dict) -> bool:
    """Same type and province, and no date that contradicts."""
    if not (doc["type"] and doc["province"] and doc["title"]):
        return False
    if ref["type"] != doc["type"] or values["jurisdiction"] != doc["province"]:
        return False
    if doc["date"] and ref["date"] and not ref["date"].startswith(doc["date"]):
        return False
    return not (doc["year"] and values["year"] and doc["year"] != values["year"])


def title_similarity(a: str, b: str) -> float:
    """0..1 over folded words: 'Phát triển Chính quyền số …' and 'phát triển chính quyền so …' → 1.0."""
    fa, fb = " ".join(WORD_RE.findall(fold(a))), " ".join(WORD_RE.findall(fold(b)))
    if not fa or not fb:
        return 0.0
    return SequenceMatcher(None, fa, fb, autojunk=False).ratio()


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


def document_matches(db: sqlite_utils.Database) -> dict[str, dict]:
    """doc_id → its document_matches row (empty before the first resolve_corpus)."""
    if "document_matches" not in db.table_names():
        return {}
    return {r["doc_id"]: r for r in db["document_matches"].rows}

