"""Saving a stream of files (pipeline/store/saver.py): the same store as saving each at once."""
from __future__ import annotations

import pytest

from vanban.pipeline import store
from vanban.pipeline.corpus.graph import build_graph
from vanban.pipeline.store import saver as saving
from vanban.pipeline.store import warm
from vanban.pipeline.store.saver import Saver, saving_keys
from vanban.pipeline.store.warm import PROBES, store_file
from tests.test_graph_incremental import corpus, save, tables
from tests.test_warm import always_warm  # noqa: F401 (a fixture)

STORED = {"files": "select path, file_sha256, status, doc_ids from files order by path",
          "file_renditions": "select * from file_renditions order by path, doc_id",
          "renditions": "select doc_id, sha256, source, so_hieu from renditions order by doc_id",
          "refs": "select doc_id, seq, ref_id, year, jurisdiction from refs order by doc_id, seq",
          "passages": "select doc_id, seq, text from passages order by doc_id, seq"}


def stored(db) -> dict:
    return {name: list(db.query(sql)) for name, sql in STORED.items()}


def test_files_saved_through_a_window_read_ahead_give_the_same_store(tmp_path, always_warm):
    one_by_one = store.open_db(tmp_path / "one.db")
    save(one_by_one, corpus())
    build_graph(one_by_one)
    ahead = store.open_db(tmp_path / "ahead.db")
    with Saver(ahead, window=3) as saver:
        for doc in corpus():
            saver.save(doc.source, doc.sha256, [doc])
    assert warm.warmer_for(store_file(ahead.conn)).wait() == 0  # every read ahead was waited for
    build_graph(ahead)
    assert stored(ahead) == stored(one_by_one)
    assert tables(ahead) == tables(one_by_one)


def test_a_window_is_read_ahead_before_it_is_saved(tmp_path, always_warm, monkeypatch):
    asked: list = []
    warmer = warm.warmer_for(store_file(store.open_db(tmp_path / "vanban.db").conn))
    monkeypatch.setattr(warmer, "warm", lambda wanted: asked.append(wanted) or False)
    db = store.open_db(tmp_path / "vanban.db")
    docs = corpus()
    with Saver(db, window=4) as saver:
        for doc in docs[:3]:
            saver.save(doc.source, doc.sha256, [doc])
        assert not asked and not db.execute("select count(*) from files").fetchone()[0]  # held back
        saver.save(docs[3].source, docs[3].sha256, [docs[3]])
        assert db.execute("select count(*) from files").fetchone()[0] == 4
    cited = {(r.id, r.year, r.jurisdiction) for doc in docs[:4] for r in doc.references}
    assert asked[0]["refs_ref_id"] == cited and asked[0]["files"] == {doc.source for doc in docs[:4]}


def test_files_held_back_are_saved_when_the_caller_stops(tmp_path, always_warm):
    db = store.open_db(tmp_path / "vanban.db")
    docs = corpus()
    with pytest.raises(KeyboardInterrupt):
        with Saver(db, window=100) as saver:
            for doc in docs[:2]:
                saver.save(doc.source, doc.sha256, [doc])
            raise KeyboardInterrupt
    assert db.execute("select count(*) from files").fetchone()[0] == 2


def test_a_window_is_saved_in_one_transaction_and_a_failure_in_it_leaves_none_of_it(tmp_path, always_warm,
                                                                                   monkeypatch):
    db = store.open_db(tmp_path / "vanban.db")
    docs = corpus()[:4]
    begun: list = []
    db.conn.set_trace_callback(lambda sql: begun.append(sql) if sql.startswith(("BEGIN", "SAVEPOINT")) else None)
    with Saver(db, window=4) as saver:
        for doc in docs:
            saver.save(doc.source, doc.sha256, [doc])
    db.conn.set_trace_callback(None)
    assert begun == ["BEGIN"] and db.execute("select count(*) from files").fetchone()[0] == 4
    again = store.open_db(tmp_path / "again.db")
    real = saving.write_documents

    def third_fails(db, path, *args):
        if path == docs[2].source:
            raise OSError("disk full")
        return real(db, path, *args)
    monkeypatch.setattr(saving, "write_documents", third_fails)
    with pytest.raises(OSError):
        with Saver(again, window=4) as saver:
            for doc in docs:
                saver.save(doc.source, doc.sha256, [doc])
    assert again.execute("select count(*) from files").fetchone()[0] == 0  # none of the window: resume saves it
    monkeypatch.setattr(saving, "write_documents", real)
    with Saver(again, window=4) as saver:
        for doc in docs:
            saver.save(doc.source, doc.sha256, [doc])
    assert stored(again) == stored(db)


def test_a_small_store_saves_each_file_as_it_comes(tmp_path):
    db = store.open_db(tmp_path / "vanban.db")
    saver = Saver(db)  # under WARM_FROM_BYTES: nothing read ahead, nothing held
    doc = corpus()[0]
    saver.save(doc.source, doc.sha256, [doc])
    assert db.execute("select path from files").fetchall() == [(doc.source,)]


def test_every_key_saving_looks_up_has_a_probe():
    doc = corpus()[1]
    keys = saving_keys(doc.source, doc.sha256, [doc])
    assert set(keys) <= set(PROBES)
    assert keys["renditions_number"] == {doc.identity.id} and keys["files_sha"] == {doc.sha256}
    assert saving.WINDOW > 1


def test_files_are_not_held_longer_than_hold_seconds(tmp_path, always_warm, monkeypatch):
    now = [0.0]
    monkeypatch.setattr(saving.time, "monotonic", lambda: now[0])
    db = store.open_db(tmp_path / "vanban.db")
    docs = corpus()
    saver = Saver(db, window=100)
    for second, doc, saved in ((0.0, docs[0], 0), (1.0, docs[1], 0), (saving.HOLD_SECONDS + 0.5, docs[2], 3)):
        now[0] = second
        saver.save(doc.source, doc.sha256, [doc])
        assert db.execute("select count(*) from files").fetchone()[0] == saved
