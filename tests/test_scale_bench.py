"""The scale benchmark's synthetic store: written in bulk, it is what the corpus update would make."""
from __future__ import annotations

import pytest

from vanban.pipeline import store
from vanban.pipeline.corpus.graph import build_graph
from vanban.pipeline.dev.scale_bench import bench_scale, evict_page_cache, render, time_ingest
from vanban.pipeline.dev.synthetic import SyntheticCorpus, build_store
from tests.test_graph_incremental import tables

TITLES = "select kind, key, type, jurisdiction, title from titles order by 1, 2, 3, 4, 5"  # ids differ by order


def derived(db) -> dict:
    return {**tables(db), "titles": list(db.query(TITLES))}


@pytest.fixture(scope="module")
def bulk(tmp_path_factory):
    path = tmp_path_factory.mktemp("scale") / "bulk.db"
    build_store(path, SyntheticCorpus(2_000))
    return store.open_db(path)


def test_bulk_corpus_tables_equal_a_full_rebuild(bulk):
    written = derived(bulk)
    build_graph(bulk, full=True)
    assert derived(bulk) == written


def test_the_synthetic_store_has_every_kind_of_document_and_problem(bulk):
    def count(sql):
        return bulk.execute(sql).fetchone()[0]
    assert count("select count(*) from renditions where so_hieu is null and symbol is null") > 10  # header lost
    assert count("select count(*) from renditions where so_hieu is null and symbol is not null") > 2  # 'Số:   /KH'
    assert count("select count(*) from renditions where length(date) = 7") > 5  # the day left blank
    assert count("select count(*) from renditions where is_primary = 0") > 20  # scans beside text files
    assert count("select count(*) from renditions where issuer = 'Chính phủ'") > 0  # stored decrees
    assert count("select count(*) from nodes where absent") > 100  # only cited
    assert count("select max(cited_by) from nodes") > 200  # a popular decree
    assert count("select count(*) from refs where year is null and resolved_year is not null") > 5
    assert count("select count(*) from refs where json_array_length(dates) = 2") > 20
    assert count("select count(*) from refs where title is not null") > 5_000


def test_bulk_rows_are_what_save_documents_writes(tmp_path):
    corpus = SyntheticCorpus(150)
    build_store(tmp_path / "bulk.db", corpus)
    saved = store.open_db(tmp_path / "saved.db")
    for doc in [*corpus.stored_nationals(), *corpus.records(0, corpus.n)]:
        store.save_documents(saved, doc.source, doc.sha256, [doc])
    bulk = store.open_db(tmp_path / "bulk.db")
    for table, leave_out in (("renditions", {"ingested_at", "node_id", "is_primary", "jurisdiction"}),
                             ("refs", {"resolved_year", "resolved_jurisdiction", "resolution_note"}),
                             ("pages", set()), ("passages", set()), ("measures", set()), ("files", {"at"}),
                             ("file_renditions", set())):
        columns = [c.name for c in bulk[table].columns if c.name not in leave_out]
        sql = f"select {', '.join(columns)} from [{table}] order by {', '.join(columns[:2])}"
        assert bulk.execute(sql).fetchall() == saved.execute(sql).fetchall(), table


def test_new_documents_on_the_bulk_store_update_it_like_a_full_rebuild(tmp_path):
    corpus = SyntheticCorpus(600, new=100, seed=3)
    build_store(tmp_path / "s.db", corpus)
    db = store.open_db(tmp_path / "s.db")
    for doc in corpus.records(600, 700):  # they cite stored plans, popular decrees, header-less titles
        store.save_documents(db, doc.source, doc.sha256, [doc])
    build_graph(db)
    incremental = derived(db)
    build_graph(db, full=True)
    assert derived(db) == incremental


def test_bench_scale_reports_every_figure(tmp_path):
    report = bench_scale(300, new=40, lookups=10, folder=tmp_path)
    assert report["renditions"] >= 300 and report["ingest"]["ratio"] > 0 and report["ingest"]["renditions"] >= 40
    assert set(report["lookups"]) == {"find_nodes + cited_by", "cites", "show (find_documents)", "filtered search"}
    assert all(f["p95_ms"] >= f["p50_ms"] > 0 for f in report["lookups"].values())
    assert report["audit"]["findings"] > 0 and report["evidence"]["seconds"] > 0 and report["peak_rss_mb"] > 0
    assert report["ingest"]["store"]["save_disk_mb"] >= 0 and report["ingest"]["empty"]["graph_disk_mb"] >= 0
    assert "read from disk" in render(report) and "as found in the page cache" in render(report)
    assert report["ingest"]["store"]["written_mb"] > 0 and report["ingest"]["store"]["checkpoint_seconds"] >= 0
    assert "given the disk to write" in render(report) and "checkpoint" in render(report)
    assert report["peak_rss_mb"] >= max(report["rss_mb"].values())  # the audit and evidence ran apart
    assert set(report["rss_mb"]) == {"build", "ingest", "lookups", "audit", "evidence"}
    files = report["ingest_files"]
    assert files["files"] >= 35 and files["empty"]["documents"] == files["files"] and files["ratio"] > 0
    assert "text files end to end" in render(report)
    text = render(report)
    for label in ("ratio", "p95", "audit", "evidence", "peak RSS"):
        assert label in text


def test_a_store_kept_in_a_folder_is_measured_again_not_built(tmp_path):
    def run():
        return bench_scale(300, new=40, lookups=5, folder=tmp_path, audit_store=False, evidence=False, reuse=True)
    first = run()
    files = store.open_db(tmp_path / "scale-300.db").execute("select count(*) from files").fetchone()[0]
    again = run()
    assert not first.get("reused") and again["reused"] and again["build_seconds"] == first["build_seconds"]
    assert (first["new_from"], again["new_from"]) == (300, 380)  # past what the first run saved
    saved = again["ingest"]["renditions"] + again["ingest_files"]["files"]
    assert store.open_db(tmp_path / "scale-300.db").execute("select count(*) from files").fetchone()[0] == files + saved
    assert again["ingest_files"]["store"]["documents"] == again["ingest_files"]["files"]  # only this run's files
    assert "by an earlier run; new documents from 380" in render(again)


def test_documents_added_past_new_go_into_the_years_after():
    corpus = SyntheticCorpus(100, new=10)
    assert corpus.local(115).year == corpus.local(105).year + 1
    assert corpus.local(115).number == corpus.local(105).number  # each year numbers again from 1
    assert corpus.record(129).text  # its dates are dates


def test_a_store_built_again_forgets_the_one_it_replaces(tmp_path, monkeypatch):
    import vanban.pipeline.dev.scale_bench as scale_bench
    bench_scale(300, new=40, lookups=5, folder=tmp_path, audit_store=False, evidence=False, files=False)
    assert (tmp_path / "scale-300.json").exists()

    def cut_short(*args):
        raise RuntimeError("build_store ended without a result")
    monkeypatch.setattr(scale_bench, "apart", cut_short)
    with pytest.raises(RuntimeError):
        bench_scale(300, new=40, lookups=5, folder=tmp_path, audit_store=False, evidence=False, files=False)
    assert not (tmp_path / "scale-300.json").exists()  # a later reuse=True run builds it again


def test_a_cold_ingest_starts_from_the_disk_and_says_so(tmp_path):
    report = bench_scale(300, new=40, lookups=5, folder=tmp_path, audit_store=False, evidence=False, cold=True)
    assert report["ingest"]["page_cache"] == "cold" and "dropped from the page cache" in render(report)
    assert report["ingest_files"]["store"]["documents"] == report["ingest_files"]["files"]


def test_a_cold_ingest_counts_the_pages_it_touched_by_table_and_index(tmp_path):
    report = bench_scale(300, new=40, lookups=5, folder=tmp_path, audit_store=False, evidence=False, files=False,
                         cold=True, pages=True)
    pages = report["ingest"]["pages"]
    assert pages["citations"] > 40 and pages["total"] == sum(pages["by_owner"].values()) > 0
    assert {"refs", "nodes", "edges_target"} <= set(pages["by_owner"])  # where new citations and their targets go
    assert pages["documents"] == 40 and "read-ahead off" in render(report)
    with pytest.raises(ValueError, match="cold"):  # telling each page's owner reads them all: warm after
        bench_scale(300, new=40, lookups=5, folder=tmp_path, audit_store=False, evidence=False, pages=True)


def test_timed_ingest_ends_with_the_wal_copied_into_the_store(tmp_path):
    path = tmp_path / "vanban.db"
    report = time_ingest(path, list(SyntheticCorpus(100, new=10).records(100, 110)), cold=True)
    parts = report["save_seconds"] + report["graph_seconds"] + report["checkpoint_seconds"]
    assert report["seconds"] == pytest.approx(parts, abs=0.015)  # the whole: each part rounded to 0.01 s
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # closed: copied back, nothing left behind
    evict_page_cache(path)  # a store and no WAL: nothing to drop there, no error
    assert store.open_db(path).execute("select count(*) from renditions").fetchone()[0] == 10


def test_a_cold_ingest_where_pages_cannot_be_dropped_says_so(tmp_path, monkeypatch):
    import os
    monkeypatch.delattr(os, "posix_fadvise", raising=False)
    with pytest.raises(RuntimeError, match="without --cold"):
        evict_page_cache(tmp_path / "vanban.db")
    with pytest.raises(RuntimeError, match="without --cold"):  # before building a store it cannot use
        bench_scale(300, new=40, lookups=5, folder=tmp_path, audit_store=False, evidence=False, cold=True)
    assert not list(tmp_path.iterdir())
