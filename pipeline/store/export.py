"""Export the store as JSONL, one object per document, following shared/EXPORT.md."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator, TextIO

import sqlite_utils

from vanban.pipeline.store.search import renditions_of

IDENTITY_FIELDS = {"type": "type", "id": "so_hieu", "number": "number", "symbol": "symbol", "date": "date",
                   "issuer": "issuer", "province": "province", "place": "place", "title": "title",
                   "signer": "signer", "signer_title": "signer_title"}
REFERENCE_FIELDS = ("type", "number", "symbol", "year", "date", "issuer", "jurisdiction", "relation", "title")
MEASURE_FIELDS = ("value", "unit", "kind", "metric", "scope", "year", "as_of", "bound", "quote")


def _offsets(stored: dict) -> dict:
    """A stored span as the contract writes it: `start`/`end` on the page, and the cleaned-text span beside."""
    return {"page": stored["page"], "start": stored["page_start"], "end": stored["page_end"],
            "clean_start": stored["clean_start"], "clean_end": stored["clean_end"]}


def document_record(db: sqlite_utils.Database, row: dict) -> dict:
    """One document as the export contract shapes it."""
    key = row["doc_id"]
    refs = [{"id": r["ref_id"], **{f: r[f] for f in REFERENCE_FIELDS}, "dates": json.loads(r["dates"] or "[]"),
             "mentions": [{**_offsets(m), "text": m["text"]} for m in json.loads(r["mentions"] or "[]")]}
            for r in db.query("select * from refs where doc_id = ? order by seq", [key])]
    measures = [{**{f: m[f] for f in MEASURE_FIELDS}, **_offsets(m)}
                for m in db.query("select * from measures where doc_id = ? order by seq", [key])]
    return {
        "source": row["source"], "sha256": row["sha256"], "pages": row["pages"], "ocr_pages": row["ocr_pages"],
        "identity": {k: row[col] for k, col in IDENTITY_FIELDS.items()},
        "identity_notes": json.loads(row["identity_notes"] or "{}"),
        "warnings": json.loads(row["warnings"] or "[]"),  # how it was read: OCR, stamps, a misnamed file
        "references": refs, "measures": measures,
    }


def iter_documents(db: sqlite_utils.Database, by_file: bool = False) -> Iterator[dict]:
    """Every real document once, with its renditions; by_file: every file's own reading
    (identity, references, figures as read from that file alone), as evaluation scores it."""
    if by_file:
        for row in db.query("select * from renditions order by source"):
            record = document_record(db, row)
            yield record
            for path in _copies(db, row):  # another file that gave the same text: a line of its own
                yield {**record, "source": path}
        return
    for row in db.query("select * from documents order by source"):
        yield corpus_record(db, row)


def _copies(db: sqlite_utils.Database, row: dict) -> list[str]:
    """The other files a rendition's text came from (a copy of the file, or the same text saved
    another way: UTF-16, CRLF), named as the rendition's own file is: relative to the same folder
    when it was given relative, and '<file name>#<id>' for a JSONL file's document."""
    paths = [r[0] for r in db.conn.execute("select path from file_renditions where doc_id = ? order by path",
                                           [row["doc_id"]])]
    source = row["source"]
    name, hash_mark, inner = source.partition("#")
    if hash_mark:
        return [f"{Path(p).name}#{inner}" for p in paths if Path(p).name != name]
    own = next((p for p in paths if p == source or p.endswith("/" + source)), None)
    base = own[:len(own) - len(source)] if own else ""
    return [p[len(base):] if base and p.startswith(base) else p for p in paths if p != own]


def corpus_record(db: sqlite_utils.Database, row: dict) -> dict:
    """A document as the corpus knows it: its primary rendition's record, the identity the
    corpus gave a header-less one, and every file it came from."""
    record = document_record(db, row)
    if not record["identity"]["id"] and row.get("known_id"):
        record["identity"]["id"] = row["known_id"]
        record["identity"]["date"] = record["identity"]["date"] or row["known_date"]
        record["identity_notes"]["id"] = f"from the corpus ({row['known_by']}): no number in its header"
    record["renditions"] = [
        {"source": r["source"], "sha256": r["sha256"], "pages": r["pages"], "ocr_pages": r["ocr_pages"],
         "method": r["method"], "primary": bool(r["is_primary"])}
        for r in renditions_of(db, row["doc_id"])]
    return record


def write_jsonl(db: sqlite_utils.Database, out: TextIO, by_file: bool = False) -> int:
    """Write every document (by_file: every file) as one JSON line; returns how many."""
    n = 0
    for record in iter_documents(db, by_file):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        n += 1
    return n
