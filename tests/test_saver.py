"""Saving from a thread of its own (pipeline/store/saver.py): the same store as saving in line."""
from __future__ import annotations

import pytest

from vanban.pipeline import store
from vanban.pipeline.corpus.graph import build_graph
from vanban.pipeline.store import warm
from vanban.pipeline.store.saver import Saver, saving_keys
from vanban.pipeline.store.warm import store_file
from tests.test_graph_incremental import corpus, save, tables
from tests.test_warm import always_warm  # noqa: F401 (a fixture)


def _rows(db) -> dict:
    """Every row a save writes, but the times it was written at."""
    return {"renditions": db.execute("select doc_id, sha256, source, so_hieu from renditions order by doc_id").fetchall(),
            "refs": db.execute("select doc_id, seq, ref_id, year, jurisdiction from refs order by doc_id, seq").fetchall(),
            "files": db.execute("select path, file_sha256, status, doc_ids from files order by path").fetchall(),
            "passages": db.execute("select doc_id, seq, text from passages order by doc_id, seq").fetchall()}


def test_a_saver_writes_what_saving_in_line_writes_in_the_same_order(tmp_path, always_warm):
    inline = store.open_db(tmp_path / "inline.db")
    save(inline, corpus())
    threaded = store.open_db(tmp_path / "threaded.db")
    with Saver(threaded, ahead=2) as saver:  # fewer waiting than files: the caller waits its turn
        for doc in corpus():
            saver.save(doc.source, doc.sha256, [doc])
    assert warm.warmer_for(store_file(threaded.conn)).wait() > 0  # and it read ahead
    assert _rows(threaded) == _rows(inline)
    build_graph(inline)
    build_graph(threaded)
    assert tables(threaded) == tables(inline)


def test_a_failed_save_is_raised_after_the_files_before_it_are_saved_and_nothing_is_half_written(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    good, *rest = corpus()
    broken = rest[0]
    broken.references = [*broken.references, object()]  # not a Reference: saving it fails mid-file
    with pytest.raises(Exception):
        with Saver(db) as saver:
            saver.save(good.source, good.sha256, [good])
            saver.save(broken.source, broken.sha256, [broken])
    assert store.is_done(db, good.source, good.sha256)
    assert not store.is_done(db, broken.source, broken.sha256)
    assert [r[0] for r in db.execute("select source from renditions")] == [good.source]


def test_other_writes_take_their_turn_among_the_saves(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    a, b = corpus()[:2]
    with Saver(db) as saver:
        saver.save(a.source, a.sha256, [a])
        saver.call(store.log_failure, "bad.pdf", "corrupt", None, "f9")
        saver.save(b.source, b.sha256, [b])
    assert db.execute("select path, reason from ingest_log").fetchall() == [("bad.pdf", "corrupt")]
    assert db.execute("select count(*) from renditions").fetchone()[0] == 2


def test_the_keys_read_ahead_are_where_the_file_writes(tmp_path):
    a = corpus()[1]
    keys = saving_keys("/corpus/a.pdf", "f1", [a])
    assert keys["refs_number"] == {(r.id, r.year, r.jurisdiction) for r in a.references} != set()
    assert keys["renditions_sha"] == {a.sha256} and keys["files_sha"] == {"f1"}
    assert keys["files"] == {"/corpus/a.pdf"} and keys["renditions_number"] == {a.identity.id}
    assert set(keys) <= set(warm.PROBES)
