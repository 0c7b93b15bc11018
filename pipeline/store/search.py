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


def search(db: sqlite_utils.Database, query: str, limit: int = 20) -> list[Hit]:
    """Passages matching every word of query, best first; diacritics are optional.

    'ke hoach chuyen doi so' finds 'Kế hoạch chuyển đổi số'.
    """
    match = fts_query(query)
    if not match:
        return []
    rows = db.query(
        """select p.doc_id, d.so_hieu, d.source, p.page, p.kind, p.text, p.text_folded, bm25(passages_fts) as score
           from passages_fts join passages p on p.rowid = passages_fts.rowid
           join documents d on d.doc_id = p.doc_id
           where passages_fts match ? order by score limit ?""", [match, limit])
    words = [w.strip('"') for w in match.split()]
    hits = []
    for r in rows:
        spans = [(m.start(), m.end()) for w in words
                 for m in regex.finditer(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(w)}(?![\p{{L}}\p{{N}}])", r["text_folded"])]
        hits.append(Hit(r["doc_id"], r["so_hieu"], r["source"], r["page"], r["kind"], r["text"],
                        sorted(spans), r["score"]))
    return hits


def find_document(db: sqlite_utils.Database, key: str) -> Optional[dict]:
    """A document by doc_id (or its prefix), số hiệu, or part of its file name."""
    for sql, arg in [("select * from documents where doc_id like ?", key + "%"),
                     ("select * from documents where replace(so_hieu, ' ', '') = ?", key.replace(" ", "")),
                     ("select * from documents where source_name = ?", key),
                     ("select * from documents where source like ?", f"%{key}%")]:
        rows = list(db.query(sql + " order by source limit 2", [arg]))
        if rows:
            return rows[0]
    return None
