"""Full-text search over passages, with or without diacritics, and document look-up."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Optional

import regex
import sqlite_utils

from vanban.models.vietnamese import fold
from vanban.pipeline.store import fanout
from vanban.pipeline.store.facets import facet_match
from vanban.pipeline.store.schema import DOCUMENT_COLUMNS


@dataclass
class Hit:
    doc_id: str
    so_hieu: Optional[str]
    source: str
    page: Optional[int]
    kind: str
    text: str
    highlights: list  # (start, end) in text of each matched word
    score: float


# A search ranks at most this many matching passages, the latest stored, when more match: its
# cost then stays bounded however large the store is (FTS5's bm25 reads every posting of every
# query word to weigh them: 1.8 s for five common words at 1,000,000 documents). Filters narrow the
# matches inside the index (store/facets.py), so a filtered search usually ranks all of them.
CANDIDATES = 100
# the index is asked for 1/SPARE + 2 more candidates than wanted: about 3 in 100 of the latest
# passages at 1,000,000 documents are a second file's, whose document another rendition speaks for
SPARE = 16
# BM25's term-frequency saturation and length normalisation, with Robertson's usual k1 and b, and
# no inverse document frequency: every query word must match anyway. AVERAGE_WORDS: a passage's
# typical length in words; PHRASE_BONUS multiplies the score of a passage holding the words in
# the order typed, side by side.
K1, B, AVERAGE_WORDS, PHRASE_BONUS = 1.2, 0.75, 40, 2.0
_WORD = regex.compile(r"[\p{L}\p{N}]+")


def query_words(query: str) -> list[str]:
    """'Kế hoạch chuyển đổi số' → ['ke', 'hoach', 'chuyen', 'doi', 'so']."""
    return _WORD.findall(fold(query))


def fts_query(query: str) -> str:
    """'Kế hoạch chuyển đổi số' → '"ke" "hoach" "chuyen" "doi" "so"' (every word, any order)."""
    return " ".join(f'"{w}"' for w in query_words(query))


def _match(query: str, doc_type: Optional[str], province: Optional[str], year: Optional[int]) -> str:
    """The words in the text columns (not the filter tokens), and the filters' tokens."""
    words = fts_query(query)
    if not words:
        return ""
    facets = facet_match(doc_type, province, year)
    return f"{{text text_folded}} : ({words})" + (f" AND {facets}" if facets else "")


def search(db: sqlite_utils.Database, query: str, limit: int = 20, doc_type: Optional[str] = None,
           province: Optional[str] = None, year: Optional[int] = None) -> list[Hit]:
    """Passages matching every word of query, best first; diacritics are optional; each
    document once (its primary rendition). limit < 0 means every match.

    'ke hoach chuyen doi so' finds 'Kế hoạch chuyển đổi số'; doc_type ('Kế hoạch'),
    province and year keep the documents that have them, through the FTS index. When more
    than CANDIDATES passages match, the latest stored CANDIDATES are ranked.
    """
    match = _match(query, doc_type, province, year)
    if not match:
        return []
    rows = _candidates(db, match, -1 if limit < 0 else max(limit, CANDIDATES))
    scorer = _Scorer(query_words(query))
    # (hit, its folded text, for its highlights once it is shown); stable: the latest first among equals
    ranked = sorted(((scorer.hit(row), row["text_folded"]) for row in rows), key=lambda pair: -pair[0].score)
    # then the documents of the best, kept if their values are the filters' exactly (the index's
    # filter tokens are folded): read for as many hits as are shown, more only if some are not kept
    where, params = _filters(doc_type, province, year)
    documents: dict = {}
    hits = []
    for i, (hit, folded) in enumerate(ranked):
        if 0 <= limit <= len(hits):
            break
        if hit.doc_id not in documents:
            wanted = list(dict.fromkeys(h.doc_id for h, _ in ranked[i:] if h.doc_id not in documents))
            wanted = wanted[:max(limit - len(hits), 1)] if limit >= 0 else wanted
            found = {doc_id: rest for doc_id, *rest in fanout.rows(db.conn, _DOCUMENTS + where, wanted, params)}
            documents.update({doc_id: found.get(doc_id) for doc_id in wanted})
        if documents[hit.doc_id]:
            hit.so_hieu, hit.source = documents[hit.doc_id]
            hit.highlights = scorer.highlights(folded)
            hits.append(hit)
    return hits


def _candidates(db: sqlite_utils.Database, match: str, wanted: int) -> list[dict]:
    """The latest `wanted` passages matching (every one for wanted < 0) whose rendition speaks for
    its document, with what ranking reads: their rows, and the rendition's part from the index by
    doc_id (no rendition row: cold, each was two random pages more).

    In one statement while the store's pages are in memory; from the disk, their numbers from the
    index first, then their rows several at a time (fanout.py). The index is then asked for a few
    more than wanted (some renditions do not speak, and a second question costs as much as the
    first), and again if still short."""
    columns = ("doc_id", "page", "kind", "text", "text_folded")
    fields = ", ".join(f"p.{column}" for column in columns) + ", p.rowid"
    speaks = "join renditions d indexed by renditions_source on d.doc_id = p.doc_id " \
             "where (d.is_primary = 1 or d.node_id is null)"
    readers = fanout.pool(db.conn)
    if readers is None:
        found = db.conn.execute(f"select {fields} from passages_fts join passages p on p.rowid = passages_fts.rowid "
                                f"{speaks} and passages_fts match ? order by passages_fts.rowid desc limit ?",
                                [match, wanted]).fetchall()
        return [dict(zip(columns, row)) for row in found]
    found, before = [], None
    while True:
        short = wanted - len(found)
        want = -1 if wanted < 0 else short + short // SPARE + 2
        ids = [rowid for (rowid,) in db.conn.execute(
            "select rowid from passages_fts where passages_fts match ?" + (" and rowid < ?" if before is not None else "")
            + " order by rowid desc limit ?", [match, *([before] if before is not None else []), want])]
        found += readers.rows(f"select {fields} from passages p {speaks} and p.rowid in ({{keys}})", ids) if ids else []
        if want < 0 or len(ids) < want or len(found) >= wanted:
            break
        before = ids[-1]
    found.sort(key=lambda row: -row[-1])
    return [dict(zip(columns, row)) for row in (found if wanted < 0 else found[:wanted])]


class _Scorer:
    """Scores passages for one query's words: one regex pass finds every word (its places are
    the highlights), a second the words side by side in the order typed."""

    def __init__(self, words: list[str]):
        self.words = list(dict.fromkeys(words))
        edge_before, edge_after = r"(?<![\p{L}\p{N}])", r"(?![\p{L}\p{N}])"
        self.any_word = regex.compile(edge_before + "(" + "|".join(map(regex.escape, self.words)) + ")" + edge_after)
        self.phrase = regex.compile(edge_before + r"[^\p{L}\p{N}]+".join(map(regex.escape, words)) + edge_after) \
            if len(words) > 1 else None

    def hit(self, row: dict) -> Hit:
        """The passage as a hit, scored; its highlights, number and file are filled in by search
        for the hits it returns (a common word is in a passage a dozen times: its places are
        found for the twenty shown, not for every candidate)."""
        folded = row["text_folded"]
        counts = Counter(self.any_word.findall(folded))
        # words in the passage, near enough: its spaces
        norm = K1 * (1 - B + B * (folded.count(" ") + 1) / AVERAGE_WORDS)
        score = sum(tf / (tf + norm) for tf in counts.values())
        if self.phrase is not None and self.phrase.search(folded):
            score *= PHRASE_BONUS
        return Hit(row["doc_id"], None, None, row["page"], row["kind"], row["text"], [], round(score, 4))

    def highlights(self, folded: str) -> list[tuple[int, int]]:
        """(start, end) of every query word in the passage's folded text (the same places in its text)."""
        return [m.span() for m in self.any_word.finditer(folded)]


def count_matches(db: sqlite_utils.Database, query: str, doc_type: Optional[str] = None,
                  province: Optional[str] = None, year: Optional[int] = None) -> int:
    """How many passages search would give without a limit (no ranking, so cheaper)."""
    match = _match(query, doc_type, province, year)
    if not match:
        return 0
    where, params = _filters(doc_type, province, year)
    return db.conn.execute(
        f"""select count(*) from passages_fts join passages p on p.rowid = passages_fts.rowid
            join documents d on d.doc_id = p.doc_id where passages_fts match ? {where}""",
        [match, *params]).fetchone()[0]


# the documents view's rows of some renditions, by doc_id: its rule written out with unary +, as
# checks on each (as plain terms, SQLite read every rendition not yet placed through another index)
_DOCUMENTS = """select d.doc_id, coalesce(d.so_hieu, m.resolved_id), d.source from renditions d
    left join document_matches m on m.doc_id = d.doc_id
    where d.doc_id in ({keys}) and (+d.is_primary = 1 or +d.node_id is null)"""


def _filters(doc_type: Optional[str], province: Optional[str], year: Optional[int]) -> tuple[str, list]:
    wanted = [(column, value) for column, value in (("type", doc_type), ("province", province), ("year", year))
              if value is not None]
    # unary +: a check of each document found by doc_id, never an index to find them by (the
    # province's index would read a whole province's renditions)
    return "".join(f" and +d.{column} = ?" for column, _ in wanted), [value for _, value in wanted]


def find_document(db: sqlite_utils.Database, key: str) -> Optional[dict]:
    """A stored document (its primary rendition) by doc_id (or its prefix), số hiệu, or file name,
    through indexes; a part of a file's path is the last, slow resort."""
    key = key.strip()
    if not key:
        return None
    lookups = [("doc_id >= ? and doc_id < ?", [key, key + "\uffff"]),
               ("so_hieu = ?", [key.replace(" ", "")]),
               ("source_name = ?", [key]),
               ("instr(source, ?) > 0", [key])]
    for where, args in lookups:
        row = next(db.query(f"select {DOCUMENT_COLUMNS} from documents where {where} order by source limit 1", args),
                   None)
        if row:
            return row
        # a secondary rendition's file (a scan beside the signed PDF) names its document too
        row = next(db.query(f"select node_id from renditions where {where} order by source limit 1", args), None)
        if row:
            return next(db.query(f"select {DOCUMENT_COLUMNS} from documents where node_id = ?", [row["node_id"]]),
                        None)
    return None


def renditions_of(db: sqlite_utils.Database, doc_id: str) -> list[dict]:
    """Every file a document came from, the primary (whose text is used) first, then by file
    (not in the order they were stored: two ingests of one folder list them alike), each with
    how its pages were read ('plain', 'text', 'ocr', …)."""
    select = ("select r.*, (select group_concat(distinct method) from pages p where p.doc_id = r.doc_id) as method "
              "from renditions r where ")
    row = db.conn.execute("select node_id from renditions where doc_id = ?", [doc_id]).fetchone()
    if not row or not row[0]:
        return list(db.query(select + "r.doc_id = ?", [doc_id]))
    return list(db.query(select + "r.node_id = ? order by r.is_primary desc, r.source", [row[0]]))
