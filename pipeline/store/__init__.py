"""The SQLite store: one file a user can open with sqlite3 or Datasette.

What every file gave is written here, one file per transaction, so a batch killed
mid-way leaves whole files or none: `renditions` (one file's reading of a document),
`pages`, `passages` (with FTS5), `refs`, `measures`, `files` and `file_renditions`
(what was ingested from where, by resolved absolute path and content hash) and
`ingest_log` (failures with reasons). The corpus layer (pipeline/corpus) then decides
which real document each rendition is; the schema lives in `schema.py`.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Iterable, Optional

import sqlite_utils

from vanban.models.records import STORED_SPAN, Document
from vanban.models.vietnamese import fold
from vanban.pipeline.store.facets import facet_tokens
from vanban.pipeline.store.schema import MEASURE_COLUMNS, ensure_schema

DEFAULT_DB = Path(os.environ.get("VANBAN_DB") or "outputs/vanban.db")
BUSY_TIMEOUT_MS = 30_000
CHECKPOINT_PAGES = 10_000  # WAL pages between checkpoints (SQLite's default: 1,000)
MAX_VARIABLES = 999  # bound parameters per statement, the limit of older SQLite builds
DERIVED_TABLES = ("texts", "pages", "passages", "refs", "measures")  # rows of a rendition


class StoreMissing(FileNotFoundError):
    """A read was asked of a store that does not exist."""


def path_text(path: str | Path) -> str:
    """A path as text the store can hold: bytes a file name carries that are not UTF-8
    (b'caf\\xe9.txt') are written as escapes ('caf\\\\xe9.txt') instead of failing the batch."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


RENDITIONS_MADE = "renditions_made"  # meta: how many rendition keys the store has given out


def rendition_key(ordinal: int) -> str:
    """The doc_id of the ordinal-th rendition a store keeps: 'r' and 15 hex digits.

    Keys grow as files are stored, so the rows a new file adds to every table and index
    keyed by doc_id go to their right end, a few pages that stay in cache. A content hash
    (the key before schema 11, which older rows keep and which sorts before every 'r')
    put them on a random page of each, the larger the store the likelier one on disk.
    """
    return f"r{ordinal:015x}"


def next_ordinal(conn: sqlite3.Connection) -> int:
    """The first ordinal no rendition has had (never one a removed rendition had)."""
    row = conn.execute("select value from meta where key = ?", [RENDITIONS_MADE]).fetchone()
    return int(row[0]) + 1 if row else 1


def count_keys(conn: sqlite3.Connection, last: int) -> None:
    """Record that ordinals up to last are given out."""
    conn.execute("insert or replace into meta (key, value) values (?, ?)", [RENDITIONS_MADE, str(last)])


def open_db(path: Path | str = DEFAULT_DB, create: bool = True) -> sqlite_utils.Database:
    """Open the store at path, creating it (create=True) or upgrading an older one.

    With create=False a missing file raises StoreMissing and nothing is created.
    """
    path = Path(path)
    if not create and not path.is_file():
        raise StoreMissing(f"no store at {path}: run `vanban ingest FOLDER --db {path}` first")
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    # another process (a second ingest, Datasette) may hold the lock for a while: wait for it
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _use_wal(db)
    # With WAL, NORMAL syncs at checkpoints, not every commit: a killed process still loses
    # no committed document; only a power cut may lose the last few, which resume redoes.
    db.execute("PRAGMA synchronous=NORMAL")
    # A checkpoint fsyncs the store, and a large store's transactions touch more index
    # pages: every 40 MB of WAL instead of SQLite's 4 MB saves about a third of what saving
    # costs at 100,000 documents (fewer fsyncs; a page rewritten by many files is copied
    # back once). The WAL file is then cut back to that size, whatever one update wrote.
    db.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
    db.execute(f"PRAGMA journal_size_limit={CHECKPOINT_PAGES * 4096}")
    db.execute("PRAGMA foreign_keys=ON")
    ensure_schema(db)
    return db


def _use_wal(db: sqlite_utils.Database) -> None:
    """Put the store in WAL mode (the file keeps it). Switching a new file takes an exclusive lock
    that SQLite does not wait for through busy_timeout: a second process creating the same store
    at that moment would fail with 'database is locked', so it waits here, as long."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def is_done(db: sqlite_utils.Database, path: str, file_sha256: str) -> bool:
    """True when this exact file content was already ingested from this path."""
    row = db.conn.execute("select status, file_sha256 from files where path = ?", [path]).fetchone()
    return bool(row) and row[0] == "ok" and row[1] == file_sha256


def known_content(db: sqlite_utils.Database, file_sha256: str) -> Optional[list[str]]:
    """The renditions an identical file (moved, copied) already gave, or None if none did."""
    row = db.conn.execute("select doc_ids from files where file_sha256 = ? and status = 'ok' limit 1",
                          [file_sha256]).fetchone()
    return json.loads(row[0]) if row else None


def save_documents(db: sqlite_utils.Database, path: str, file_sha256: str, documents: Iterable[Document],
                   reuse: Optional[list[str]] = None) -> list[str]:
    """Write a file's documents in one transaction, replacing what this path gave before.

    reuse: the doc_ids an identical file already gave (nothing is read again). A
    rendition no file points to any more is removed with its rows.
    """
    with db.atomic():
        return write_documents(db, path, file_sha256, documents, reuse)


def write_documents(db: sqlite_utils.Database, path: str, file_sha256: str, documents: Iterable[Document],
                    reuse: Optional[list[str]] = None) -> list[str]:
    """save_documents' writes in the caller's transaction (saver.Saver: a window of files in one)."""
    ids = list(reuse) if reuse is not None else [_save_document(db, doc) for doc in documents]
    _link(db, path, file_sha256, "ok", ids)
    return ids


def _link(db: sqlite_utils.Database, path: str, file_sha256: Optional[str], status: str, ids: list[str]) -> None:
    """Point path at ids (and only them); drop the renditions nobody points to any more."""
    old = [r[0] for r in db.conn.execute("select doc_id from file_renditions where path = ?", [path])]
    _upsert(db, "files", {"path": path, "file_sha256": file_sha256, "status": status,
                          "doc_ids": json.dumps(ids), "at": _now()}, pk="path")
    db.conn.execute("delete from file_renditions where path = ?", [path])
    db.conn.executemany("insert or ignore into file_renditions (path, doc_id) values (?, ?)",
                        [(path, doc_id) for doc_id in ids])
    for doc_id in set(old) - set(ids):
        if not db.conn.execute("select 1 from file_renditions where doc_id = ? limit 1", [doc_id]).fetchone():
            _delete_rendition(db, doc_id)


def _delete_rendition(db: sqlite_utils.Database, doc_id: str) -> None:
    """A rendition and its rows; its document and the ids it cited are marked for the corpus update."""
    row = db.conn.execute("select node_id, so_hieu from renditions where doc_id = ?", [doc_id]).fetchone()
    if row is None:
        return
    dirty = [("node", row[0])] if row[0] else []
    dirty += [("id", row[1])] if row[1] else []
    dirty += [("id", r[0]) for r in db.conn.execute("select distinct ref_id from refs where doc_id = ?", [doc_id])]
    dirty += [("row", target) for target in drop_edges(db, doc_id)]
    db.conn.executemany("insert or ignore into corpus_dirty (kind, key) values (?, ?)", dirty)
    db.conn.execute("delete from document_matches where doc_id = ?", [doc_id])
    db.conn.execute("delete from titles where kind = 'headerless' and key = ?", [doc_id])
    for table in DERIVED_TABLES:
        db.conn.execute(f"delete from [{table}] where doc_id = ?", [doc_id])
    db.conn.execute("delete from renditions where doc_id = ?", [doc_id])


VOTED = ("type", "date", "title", "issuer")  # what citations say of the document they cite (cited_values)
VOTED_COLUMNS = ", ".join(f"r.{field}" for field in VOTED)  # the same, read from refs as r


def vote(votes: Counter, target: str, values: Iterable, change: int) -> None:
    """Count (change = 1) or discount (-1) what one citation says of target: its VOTED values."""
    for field, value in zip(VOTED, values):
        if value:
            votes[(target, field, value)] += change


def apply_votes(db: sqlite_utils.Database, votes: Counter) -> None:
    """Add the counted changes to cited_values; a value no citation gives any more goes."""
    changed = [(target, field, value, n) for (target, field, value), n in sorted(votes.items()) if n]
    db.conn.executemany("insert into cited_values (node_id, field, value, n) values (?, ?, ?, ?) "
                        "on conflict (node_id, field, value) do update set n = n + excluded.n", changed)
    db.conn.executemany("delete from cited_values where node_id = ? and field = ? and value = ? and n <= 0",
                        [row[:3] for row in changed if row[3] < 0])


def drop_edges(db: sqlite_utils.Database, doc_id: str) -> set[str]:
    """Delete the citation edges a rendition gave (while its refs, which they count, are still
    there): what the cited documents' rows count moves with them. Returns the cited nodes."""
    conn = db.conn
    rows = conn.execute(f"select e.source, e.target, {VOTED_COLUMNS} from edges e "
                        "left join refs r on r.doc_id = e.doc_id and r.seq = e.ref_seq where e.doc_id = ?",
                        [doc_id]).fetchall()
    if not rows:
        return set()
    votes: Counter = Counter()
    for _, target, *values in rows:
        vote(votes, target, values, -1)
    count_graph(db, edges=-conn.execute("delete from edges where doc_id = ?", [doc_id]).rowcount)
    apply_votes(db, votes)
    for source, target in {(r[0], r[1]) for r in rows}:
        if not edge_exists(db, source, target):
            conn.execute("update nodes set cited_by = cited_by - 1 where node_id = ?", [target])
    return {r[1] for r in rows}


def count_graph(db: sqlite_utils.Database, **deltas: int) -> None:
    """Move graph_counts by what a write added or removed: count_graph(db, edges=-3, nodes=1, absent=1)."""
    for name, n in deltas.items():
        if n:
            db.conn.execute("update graph_counts set n = n + ? where name = ?", [n, name])


def edge_exists(db: sqlite_utils.Database, source: str, target: str) -> bool:
    """Does source still cite target (through the index on edges(source, target))?"""
    return db.conn.execute("select 1 from edges where source = ? and target = ? limit 1",
                           [source, target]).fetchone() is not None


def remove_paths(db: sqlite_utils.Database, paths: Iterable[str]) -> int:
    """Forget files (deleted, or no longer wanted): their renditions go unless another file has them.

    Returns how many files were forgotten.
    """
    n = 0
    with db.atomic():
        for path in paths:
            if db.conn.execute("select 1 from files where path = ?", [path]).fetchone():
                _link(db, path, None, "removed", [])
                db.conn.execute("delete from files where path = ?", [path])
                n += 1
    return n


def files_under(db: sqlite_utils.Database, folder: str) -> list[str]:
    """Stored file paths inside folder (a resolved absolute path), by the primary key's order."""
    prefix = folder.rstrip(os.sep) + os.sep
    return [r[0] for r in db.conn.execute("select path from files where path >= ? and path < ?",
                                          [prefix, prefix[:-1] + chr(ord(os.sep) + 1)])]


def _save_document(db: sqlite_utils.Database, doc: Document) -> str:
    same = db.conn.execute("select doc_id from renditions where sha256 = ?", [doc.sha256]).fetchone()
    if same:  # the same text read again (forced, or from another file): replaced whole, under its key
        key = same[0]
        _delete_rendition(db, key)
    else:
        ordinal = next_ordinal(db.conn)
        key = rendition_key(ordinal)
        count_keys(db.conn, ordinal)
    ident = doc.identity
    year = int(ident.date[:4]) if ident.date else None
    _upsert(db, "renditions", {
        "doc_id": key, "sha256": doc.sha256, "source": path_text(doc.source),
        "source_name": path_text(Path(doc.source.split("#")[0]).name),
        "pages": len(doc.pages), "ocr_pages": doc.ocr_pages,
        "type": ident.type, "so_hieu": ident.id, "number": ident.number, "symbol": ident.symbol, "date": ident.date,
        "year": year, "issuer": ident.issuer, "province": ident.province, "place": ident.place, "title": ident.title,
        "signer": ident.signer, "signer_title": ident.signer_title,
        "identity_notes": json.dumps(ident.notes, ensure_ascii=False), "warnings": json.dumps(doc.warnings, ensure_ascii=False),
        "ingested_at": _now(), "node_id": None, "is_primary": 0,
        "identity_spans": json.dumps({name: span.stored() for name, span in ident.spans.items()}),
    }, pk="doc_id")
    _insert_rows(db, "texts", ("doc_id", "clean_text"), [(key, doc.text)])
    _insert_rows(db, "pages", ("doc_id", "page", "method", "ocr_confidence", "text"),
                 ((key, p.number, p.method, p.ocr_confidence, p.text) for p in doc.pages))
    facets = facet_tokens(ident.type, ident.province, year)
    _insert_rows(db, "passages", ("doc_id", "seq", "kind", "level", "label", *STORED_SPAN, "text", "text_folded",
                                  "facets"),
                 ((key, i, p.kind, p.level, p.label, *p.span.stored().values(), p.text, fold(p.text), facets)
                  for i, p in enumerate(doc.passages)))
    _insert_rows(db, "refs", ("doc_id", "seq", "ref_id", "type", "number", "symbol", "year", "date", "dates",
                              "issuer", "jurisdiction", "relation", "title", "mentions", "n_mentions", "doubtful"),
                 ((key, i, r.id, r.type, r.number, r.symbol, r.year, r.date, json.dumps(r.dates), r.issuer,
                   r.jurisdiction, r.relation, r.title,
                   json.dumps([{"text": m.text, **m.span.stored()} for m in r.mentions], ensure_ascii=False),
                   len(r.mentions), r.doubtful)
                  for i, r in enumerate(doc.references)))
    _insert_rows(db, "measures", ("doc_id", "seq", *MEASURE_COLUMNS),
                 ((key, i, *_values(m, MEASURE_COLUMNS)) for i, m in enumerate(doc.measures)))
    return key


def text_of(db: sqlite_utils.Database, doc_id: str) -> str:
    """A rendition's cleaned text ('' when it has none)."""
    row = db.conn.execute("select clean_text from texts where doc_id = ?", [doc_id]).fetchone()
    return (row[0] if row else None) or ""


def provinces(db: sqlite_utils.Database) -> list[str]:
    """Every province a rendition names, in order: 63 probes for a national store, not a pass
    over its million rows."""
    return distinct_values(db, "renditions indexed by renditions_province", "province", "province > ''")


def jurisdictions_cited(db: sqlite_utils.Database) -> list[str]:
    """Every jurisdiction a citation names, in order, a probe each (not a pass over every citation)."""
    return distinct_values(db, "refs indexed by refs_jurisdiction", "jurisdiction", "jurisdiction > ''")


def distinct_values(db: sqlite_utils.Database, source: str, column: str, where: str = "1",
                    params: Iterable = ()) -> list:
    """column's distinct values but null, in order, among source's rows that where (with params)
    keeps, by a skip scan: one probe per value. source names the table and the index to read
    ("refs indexed by refs_ref_id"), whose columns are where's equalities and then column. A
    partial index's condition must be in where, written as the index has it (`column > ''`)."""
    found, params = [], list(params)
    after = f"{column} is not null"
    # the probe's bound first: SQLite seeks by the first of two lower bounds on a column
    while row := db.conn.execute(f"select {column} from {source} where {after} and {where} "
                                 f"order by {column} limit 1", found[-1:] + params).fetchone():
        found.append(row[0])
        after = f"{column} > ?"
    return found


def _values(record, columns: tuple) -> list:
    """A record's values for these columns, its span spread over the span columns."""
    values = {**vars(record), **record.span.stored()}
    return [values[c] for c in columns]


def _upsert(db: sqlite_utils.Database, table: str, row: dict, pk: str) -> None:
    """Insert or update one row by its key: plain SQL, since sqlite-utils' upsert
    introspects the schema on every call (29 statements, 0.6 ms a document)."""
    columns = ", ".join(f"[{c}]" for c in row)
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in row if c != pk)
    db.conn.execute(f"insert into [{table}] ({columns}) values ({', '.join('?' * len(row))}) "
                    f"on conflict([{pk}]) do update set {updates}", list(row.values()))


def _insert_rows(db: sqlite_utils.Database, table: str, columns: tuple, rows: Iterable[tuple]) -> None:
    """Rows of a table whose schema _ensure_schema fixed, as multi-row INSERTs without per-value checks.

    Measured on corpus/pdf: 0.48 ms/page against 0.65 for sqlite-utils' insert_all and
    0.75 for executemany (which steps the statement once per row).
    """
    rows = list(rows)
    placeholders = f"({', '.join('?' * len(columns))})"
    per_statement = max(1, MAX_VARIABLES // len(columns))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        db.conn.execute(f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
                        f"values {', '.join([placeholders] * len(chunk))}",
                        [value for row in chunk for value in row])


def log_failure(db: sqlite_utils.Database, path: str, reason: str, page: Optional[int] = None,
                file_sha256: Optional[str] = None) -> None:
    """Record why a file failed: one row per path, content hash and reason, whose count and
    time (`at`) a recurrence updates; an edited file that fails again gets a row of its own."""
    path, reason = path_text(path), path_text(reason)
    now = _now()
    with db.atomic():
        db.conn.execute("insert into ingest_log (path, page, reason, at, file_sha256, count, first_at) "
                        "values (?, ?, ?, ?, ?, 1, ?) on conflict (path, file_sha256, reason) do update set "
                        "at = excluded.at, page = excluded.page, count = count + 1",
                        [path, page, reason, now, file_sha256 or "", now])
        _link(db, path, file_sha256, "failed", [])
