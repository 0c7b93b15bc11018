"""Full-text search over passages, with or without diacritics, and document look-up."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex
import sqlite_utils

from vanban.models.vietnamese import fold


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


def fts_query(query: str) -> str:
    """'Kế hoạch chuyển đổi số' → '"ke" "hoach" "chuyen" "doi" "so"' (every word, any order)."""
    words = regex.findall(r"[\p{L}\p{N}]+", fold(query))
    return " ".join(f'"{w}"' for w in words)


def search(db: sqlite_utils.Database, query: str, limit: int = 20, doc_type: Optional[str] = None,
           province: Optional[str] = None, year: Optional[int] = None) -> list[Hit]:
    """Passages matching every word of query, best first; diacritics are optional; each
    document once (its primary rendition). limit < 0 means every match.

    'ke hoach chuyen doi so' finds 'Kế hoạch chuyển đổi số'; doc_type ('Kế hoạch'),
    province and year keep the documents that have them (indexed columns).
    """
    match = fts_query(query)
    if not match:
        return []
    where, params = _filters(doc_type, province, year)
    rows = db.query(
        f"""select p.doc_id, coalesce(d.so_hieu, d.known_id) as so_hieu, d.source, p.page, p.kind, p.text,
                   p.text_folded, bm25(passages_fts) as score
            from passages_fts join passages p on p.rowid = passages_fts.rowid
            join documents d on d.doc_id = p.doc_id
            where passages_fts match ? {where} order by score limit ?""", [match, *params, limit])
    words = [w.strip('"') for w in match.split()]
    hits = []
    for r in rows:
        spans = [(m.start(), m.end()) for w in words
                 for m in regex.finditer(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(w)}(?![\p{{L}}\p{{N}}])", r["text_folded"])]
        hits.append(Hit(r["doc_id"], r["so_hieu"], r["source"], r["page"], r["kind"], r["text"],
                        sorted(spans), r["score"]))
    return hits


def count_matches(db: sqlite_utils.Database, query: str, doc_type: Optional[str] = None,
                  province: Optional[str] = None, year: Optional[int] = None) -> int:
    """How many passages search would give without a limit (no ranking, so cheaper)."""
    match = fts_query(query)
    if not match:
        return 0
    where, params = _filters(doc_type, province, year)
    return db.conn.execute(
        f"""select count(*) from passages_fts join passages p on p.rowid = passages_fts.rowid
            join documents d on d.doc_id = p.doc_id where passages_fts match ? {where}""",
        [match, *params]).fetchone()[0]


def _filters(doc_type: Optional[str], province: Optional[str], year: Optional[int]) -> tuple[str, list]:
    wanted = [(column, value) for column, value in (("type", doc_type), ("province", province), ("year", year))
              if value is not None]
    return "".join(f" and d.{column} = ?" for column, _ in wanted), [value for _, value in wanted]


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
        row = next(db.query(f"select * from documents where {where} order by source limit 1", args), None)
        if row:
            return row
        # a secondary rendition's file (a scan beside the signed PDF) names its document too
        row = next(db.query(f"select node_id from renditions where {where} order by source limit 1", args), None)
        if row:
            return next(db.query("select * from documents where node_id = ?", [row["node_id"]]), None)
    return None


def renditions_of(db: sqlite_utils.Database, doc_id: str) -> list[dict]:
    """Every file a document came from, the primary (whose text is used) first, each with
    how its pages were read ('plain', 'text', 'ocr', …)."""
    select = ("select r.*, (select group_concat(distinct method) from pages p where p.doc_id = r.doc_id) as method "
              "from renditions r where ")
    row = db.conn.execute("select node_id from renditions where doc_id = ?", [doc_id]).fetchone()
    if not row or not row[0]:
        return list(db.query(select + "r.doc_id = ?", [doc_id]))
    return list(db.query(select + "r.node_id = ? order by r.is_primary desc, r.rowid", [row[0]]))
