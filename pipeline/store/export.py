"""Export the store as JSONL, one object per document, following shared/EXPORT.md."""
from __future__ import annotations

import json
from typing import Iterator, TextIO

import sqlite_utils

IDENTITY_FIELDS = {"type": "type", "id": "so_hieu", "number": "number", "symbol": "symbol", "date": "date",
                   "issuer": "issuer", "province": "province", "place": "place", "title": "title",
                   "signer": "signer", "signer_title": "signer_title"}
REFERENCE_FIELDS = ("type", "number", "symbol", "year", "date", "issuer", "jurisdiction", "relation", "title")
MEASURE_FIELDS = ("value", "unit", "kind", "metric", "scope", "year", "as_of", "bound", "page", "start", "end", "quote")


def document_record(db: sqlite_utils.Database, row: dict) -> dict:
    """One document as the export contract shapes it."""
    key = row["doc_id"]
    refs = [{"id": r["ref_id"], **{f: r[f] for f in REFERENCE_FIELDS}, "dates": json.loads(r["dates"] or "[]"),
             "mentions": json.loads(r["mentions"] or "[]")}
            for r in db.query("select * from refs where doc_id = ? order by seq", [key])]
    measures = [{f: m[f] for f in MEASURE_FIELDS}
                for m in db.query("select * from measures where doc_id = ? order by seq", [key])]
    return {
        "source": row["source"], "sha256": row["sha256"], "pages": row["pages"], "ocr_pages": row["ocr_pages"],
        "identity": {k: row[col] for k, col in IDENTITY_FIELDS.items()},
        "identity_notes": json.loads(row["identity_notes"] or "{}"),
        "warnings": json.loads(row["warnings"] or "[]"),  # how it was read: OCR, stamps, a misnamed file
        "references": refs, "measures": measures,
    }


def iter_documents(db: sqlite_utils.Database) -> Iterator[dict]:
    for row in db.query("select * from documents order by source"):
        yield document_record(db, row)


def write_jsonl(db: sqlite_utils.Database, out: TextIO) -> int:
    """Write every document as one JSON line; returns how many."""
    n = 0
    for record in iter_documents(db):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n
