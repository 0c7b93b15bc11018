"""Reading over several connections (pipeline/store/fanout.py) reads what one connection reads."""
from __future__ import annotations

import pytest

from vanban.pipeline import store
from vanban.pipeline.corpus.graph import build_graph
from vanban.pipeline.store import fanout
from vanban.pipeline.store.fanout import Fanout, store_file
from vanban.pipeline.store.search import _candidates, _match, search
from tests.conftest import make_document


@pytest.fixture
def always_fanned(monkeypatch):
    """Every store read over several connections at every call, however small and cached (the
    threshold and the sampling keep such stores on one)."""
    monkeypatch.setattr(fanout, "FROM_BYTES", 0)
    monkeypatch.setattr(fanout, "SAMPLE_EVERY", 1)
    fanout.fanout_for.cache_clear()
    yield
    fanout.fanout_for.cache_clear()


def plans(tmp_path, n: int = 12):
    """n plans of one province and year; every third is stored twice (a second file of the same
    text and a note), so some of the latest passages belong to renditions that do not speak for their
    document."""
    db = store.open_db(tmp_path / "v.db")
    for k in range(n):
        text = (f"Số: {100 + k}/KH-UBND\nTuyên Quang, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH\n"
                f"Kế hoạch chuyển đổi số số {k}\n- Chuyển đổi số cấp xã, đợt {k}.\n")
        for name in [f"corpus/kh{k}.txt", *([f"corpus/ban-sao/kh{k}.txt"] if k % 3 == 0 else [])]:
            note = "Bản sao.\n" if "ban-sao" in name else ""
            store.save_documents(db, name, f"sha-{name}", [make_document(text + note, name)])
    build_graph(db)
    return db


def test_rows_are_the_connections_rows_shared_among_threads(tmp_path, monkeypatch):
    db = plans(tmp_path)
    sql = "select rowid, doc_id, seq from passages where rowid in ({keys}) and kind = ?"
    keys = [rowid for (rowid,) in db.conn.execute("select rowid from passages")]
    one = db.conn.execute(sql.format(keys=", ".join("?" * len(keys))), [*keys, "header"]).fetchall()
    monkeypatch.setattr(fanout, "MOST_KEYS", 3)  # shares of three keys at most, on either path
    fanned = Fanout(store_file(db.conn), threads=4, min_bytes=0)
    assert one and sorted(fanned.rows(sql, keys, ["header"])) == sorted(one)
    assert sorted(fanout.rows(db.conn, sql, keys, ["header"])) == sorted(one)
    assert fanout.rows(db.conn, sql, []) == []


def test_a_small_store_or_an_open_transaction_reads_on_its_own_connection(tmp_path, always_fanned):
    db = plans(tmp_path, 3)
    db.conn.execute("begin")
    db.conn.execute("update passages set kind = 'unsaved' where rowid = 1")
    # the other connections cannot see what this one has not committed: it reads alone
    assert fanout.rows(db.conn, "select kind from passages where rowid in ({keys})", [1]) == [("unsaved",)]
    db.conn.rollback()
    fanout.fanout_for.cache_clear()
    small = fanout.fanout_for(store_file(db.conn))
    fanout.FROM_BYTES = 1 << 40
    fanout.rows(db.conn, "select kind from passages where rowid in ({keys})", [1])
    assert not small.active() and small._pool is None  # no threads started for it


@pytest.mark.parametrize("fanned", [False, True])
def test_candidates_are_the_latest_passages_whose_rendition_speaks(tmp_path, monkeypatch, fanned):
    if fanned:
        monkeypatch.setattr(fanout, "FROM_BYTES", 0)
        monkeypatch.setattr(fanout, "SAMPLE_EVERY", 1)
    fanout.fanout_for.cache_clear()
    db = plans(tmp_path)
    assert db.conn.execute("select count(*) from renditions where is_primary = 0").fetchone()[0] == 4
    match = _match("chuyen doi so", "Kế hoạch", "Tuyên Quang", 2022)
    every = [row[0] for row in db.conn.execute(
        """select p.rowid from passages_fts join passages p on p.rowid = passages_fts.rowid
           join renditions d on d.doc_id = p.doc_id
           where passages_fts match ? and (d.is_primary = 1 or d.node_id is null)
           order by passages_fts.rowid desc""", [match])]
    rowid = {(r[0], r[1]): r[2] for r in db.conn.execute("select doc_id, text, rowid from passages")}
    for wanted in [1, 2, 3, 5, 8, 13, len(every), len(every) + 5, -1]:
        got = [rowid[(c["doc_id"], c["text"])] for c in _candidates(db, match, wanted)]
        assert got == (every if wanted < 0 else every[:wanted]), wanted
    hits = search(db, "chuyen doi so", 5, doc_type="Kế hoạch", province="Tuyên Quang", year=2022)
    assert len(hits) == 5 and all(h.so_hieu and "ban-sao" not in h.source for h in hits)
    assert (fanout.fanout_for(store_file(db.conn))._pool is not None) == fanned  # the path meant was taken
    fanout.fanout_for.cache_clear()


def test_threads_that_find_every_page_in_memory_rest_and_look_again_now_and_then(tmp_path, always_fanned,
                                                                                   monkeypatch):
    monkeypatch.setattr(fanout, "SAMPLE_EVERY", 20)
    db = plans(tmp_path, 3)
    monkeypatch.setattr(fanout, "disk_bytes", lambda: 0)  # nothing read from the disk, ever
    pool = fanout.fanout_for(store_file(db.conn))
    used = []
    real = fanout.Fanout.rows
    monkeypatch.setattr(fanout.Fanout, "rows", lambda self, *a: used.append(1) or real(self, *a))
    sql = "select kind from passages where rowid in ({keys})"
    for _ in range(2 * fanout.SAMPLE_EVERY):
        assert fanout.rows(db.conn, sql, [1]) == [("header",)]
    # the first call, then one in SAMPLE_EVERY; the rest on the connection itself
    assert len(used) == 3 and pool._calls == 2 * fanout.SAMPLE_EVERY
    monkeypatch.setattr(fanout, "disk_bytes", iter(range(0, 10 ** 6, 4096)).__next__)  # now every call reads
    fanout.rows(db.conn, sql, [1])
    assert len(used) == 3  # this one still rested: it could not know
    for _ in range(fanout.SAMPLE_EVERY - 1):  # up to the next sample
        fanout.rows(db.conn, sql, [1])
    assert len(used) == 4 and pool._on_disk  # the sample found the disk: the threads are back
    fanout.rows(db.conn, sql, [1])
    assert len(used) == 5


def test_disk_bytes_reads_the_field_asked_for(tmp_path):
    counters = tmp_path / "io"
    counters.write_text("rchar: 10\nread_bytes: 4096\nwrite_bytes: 8192\n")
    assert fanout.disk_bytes(counters) == 4096 and fanout.disk_bytes(counters, "write_bytes") == 8192
    assert fanout.disk_bytes(tmp_path / "missing") is None
