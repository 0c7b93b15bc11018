"""Reading ahead (pipeline/store/warm.py) only reads: the same tables with it, on any store."""
from __future__ import annotations

import sqlite3

import pytest

from vanban.pipeline import store
from vanban.pipeline.corpus import graph
from vanban.pipeline.corpus.graph import build_graph
from vanban.pipeline.store import warm
from vanban.pipeline.store.warm import PROBES, Warmer, store_file
from tests.test_graph_incremental import corpus, degrees_are_counts, save, tables


@pytest.fixture
def always_warm(monkeypatch):
    """Every store read ahead at every call, however small and cached (the threshold and the
    sampling keep such stores from paying)."""
    monkeypatch.setattr(warm, "WARM_FROM_BYTES", 0)
    monkeypatch.setattr(warm, "SAMPLE_EVERY", 1)
    warm.warmer_for.cache_clear()
    yield
    warm.warmer_for.cache_clear()


def test_every_probe_reads_its_keys_from_a_store_of_this_schema(tmp_path):
    db = store.open_db(tmp_path / "vanban.db")
    save(db, corpus())
    build_graph(db)
    keys = {"edges_target": [("468/QĐ-TTg|2023|national", ""), ("x", "y")],
            "refs_ref_id": [("468/QĐ-TTg", 2023, "national"), ("x", None, None)]}
    for probe in PROBES:  # a warmer each: one whose reads found everything in memory rests
        warmer = Warmer(store_file(db.conn), min_bytes=0)
        warmer.warm({probe: keys.get(probe, ["468/QĐ-TTg", "x"])})
        assert warmer.wait() == 2, probe
        warmer.close()


def test_a_small_store_is_not_read_ahead_and_a_failed_read_costs_nothing(tmp_path):
    db = store.open_db(tmp_path / "vanban.db")
    assert not Warmer(store_file(db.conn)).active()  # under WARM_FROM_BYTES
    warmer = Warmer(store_file(db.conn), min_bytes=0)
    db.execute("drop index edges_target")  # as in a store of an older schema
    warmer.warm({"edges_target": ["468/QĐ-TTg"]})
    assert warmer.wait() == 0
    warmer.close()
    memory = Warmer(store_file(sqlite3.connect(":memory:")), min_bytes=0)
    assert not memory.active()
    memory.warm({"nodes": ["a"]})
    assert memory.wait() == 0


def test_reads_that_find_everything_in_memory_rest_and_look_again_now_and_then(tmp_path):
    db = store.open_db(tmp_path / "vanban.db")
    warmer = Warmer(store_file(db.conn), min_bytes=0)
    warmer.warm({"nodes": ["a"]})
    assert warmer.wait() == 1  # a small new store: all of it in the page cache
    looked = 0
    for _ in range(warm.SAMPLE_EVERY):
        warmer.warm({"nodes": ["a"]})
        looked += warmer.wait()
    assert looked == 1
    warmer.close()


def test_updates_read_ahead_give_the_same_tables_as_a_full_rebuild(tmp_path, always_warm):
    warmed = store.open_db(tmp_path / "warmed.db")
    for doc in corpus():
        save(warmed, [doc])
        build_graph(warmed)
    assert warm.warmer_for(store_file(warmed.conn)).wait() > 0  # it did read ahead
    full = store.open_db(tmp_path / "full.db")
    save(full, corpus())
    build_graph(full, full=True)
    assert tables(warmed) == tables(full)
    assert degrees_are_counts(warmed)


def test_an_update_reads_ahead_where_its_edges_then_go(tmp_path, monkeypatch):
    asked: dict = {}
    monkeypatch.setattr(graph, "read_ahead", lambda conn, wanted: asked.update(wanted))
    db = store.open_db(tmp_path / "vanban.db")
    save(db, corpus())
    build_graph(db)
    edges = set(db.execute("select target, source from edges").fetchall())
    # known before resolving: the citations stating year and jurisdiction, in renditions with a header
    foreseen = set(db.execute("select e.target, e.source from edges e join refs r on r.doc_id = e.doc_id "
                              "and r.seq = e.ref_seq join renditions d on d.doc_id = e.doc_id "
                              "where r.year is not null and r.jurisdiction is not null and d.so_hieu is not null"
                              ).fetchall())
    assert len(foreseen) > len(edges) / 2
    assert foreseen <= set(asked["edges_target"])
    assert {target for target, _ in foreseen} <= set(asked["nodes"]) and {s for _, s in foreseen} <= set(asked["nodes"])
