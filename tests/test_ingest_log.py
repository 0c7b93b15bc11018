"""ingest_log: one row per file, content hash and reason, counted; a version-2 store is upgraded."""
import sqlite3

from vanban.pipeline import store
from vanban.pipeline.store.schema import SCHEMA_VERSION


def test_a_recurring_failure_is_counted_in_one_row(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    for _ in range(3):
        store.log_failure(db, "x.pdf", "encrypted PDF: needs a password", file_sha256="aa")
    (row,) = db["ingest_log"].rows
    assert (row["count"], row["file_sha256"]) == (3, "aa") and row["first_at"] <= row["at"]


def test_an_edited_file_failing_again_gets_a_row_of_its_own(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    store.log_failure(db, "x.pdf", "corrupt PDF", file_sha256="aa")
    store.log_failure(db, "x.pdf", "corrupt PDF", file_sha256="bb")
    store.log_failure(db, "x.pdf", "corrupt PDF")  # could not be hashed
    store.log_failure(db, "x.pdf", "corrupt PDF")
    assert sorted((r["file_sha256"], r["count"]) for r in db["ingest_log"].rows) == [("", 2), ("aa", 1), ("bb", 1)]


def test_a_version_2_log_is_upgraded(tmp_path):
    path = tmp_path / "v2.db"
    db = store.open_db(path)
    conn = db.conn
    # what a version-2 store held: one row per (path, reason), no hash or count
    conn.execute("drop table ingest_log")
    conn.execute("create table ingest_log (id integer primary key, path text, page integer, reason text, "
                 "at text, unique (path, reason))")
    conn.execute("insert into ingest_log (path, page, reason, at) values ('x.pdf', 2, 'corrupt', '2025-01-01')")
    conn.execute("insert into files (path, file_sha256, status, doc_ids, at) values ('x.pdf', 'aa', 'failed', '[]', '1')")
    conn.execute("update meta set value = '2' where key = 'schema_version'")
    conn.commit()
    conn.close()
    db = store.open_db(path)
    assert db.execute("select value from meta where key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    (row,) = db["ingest_log"].rows
    assert (row["path"], row["page"], row["file_sha256"], row["count"], row["first_at"]) == (
        "x.pdf", 2, "aa", 1, "2025-01-01")
    store.log_failure(db, "x.pdf", "corrupt", file_sha256="aa")
    assert db.execute("select count from ingest_log").fetchone()[0] == 2
    assert sqlite3.connect(path).execute("pragma integrity_check").fetchone()[0] == "ok"
