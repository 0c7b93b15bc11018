"""The corpus update after each ingest gives the same tables as a full rebuild."""
from __future__ import annotations

import copy
import hashlib
import sqlite3

from vanban.models.records import Identity, Page
from vanban.pipeline import store
from vanban.pipeline.corpus.graph import build_graph, find_documents, find_nodes
from vanban.pipeline.store.schema import graph_counted
from vanban.pipeline.store.search import renditions_of
from tests.citation_store import PLAN_TITLE, TQ, cite, document, documents, plan

DERIVED = {
    "nodes": "select * from nodes order by node_id",
    "edges": "select * from edges order by doc_id, ref_seq",
    "document_matches": "select * from document_matches order by doc_id",
    "renditions": "select doc_id, node_id, is_primary, jurisdiction from renditions order by doc_id",
    "refs": "select doc_id, seq, resolved_year, resolved_jurisdiction, resolution_note from refs order by doc_id, seq",
    "cited_values": "select * from cited_values order by node_id, field, value",
    "graph_counts": "select * from graph_counts order by name",
}


def tables(db) -> dict:
    return {name: list(db.query(sql)) for name, sql in DERIVED.items()}


def degrees_are_counts(db) -> bool:
    """cited_by and cites, kept by deltas, equal what counting the edges gives; so do graph_counts'."""
    counted = dict(db.execute("select name, n from graph_counts").fetchall())
    if counted != graph_counted(db.conn):
        return False
    return not list(db.query(
        "select node_id from nodes n where cited_by != (select count(distinct source) from edges where target = node_id)"
        " or cites != (select count(distinct target) from edges where source = node_id)"))


def headerless_indexed(db) -> bool:
    """The header-less titles' own FTS index holds exactly them, as the triggers on titles keep it."""
    indexed = [r[0] for r in db.execute("select rowid from headerless_titles_fts order by rowid")]
    return indexed == [r[0] for r in db.execute("select id from titles where kind = 'headerless' order by id")]


def rendition(doc, source: str, method: str = "plain"):
    """Another file of the same document: the same text, read another way."""
    other = copy.deepcopy(doc)
    other.source, other.sha256 = source, hashlib.sha256(source.encode()).hexdigest()
    other.pages = [Page(p.number, p.text, method) for p in other.pages]
    return other


def corpus() -> list:
    """The citation store's documents, the header-less plan D first (before the plan citing it),
    a scan of A (a second rendition, read by OCR) and a text copy of D."""
    a, b, c, d = documents()
    scan_a, copy_d = rendition(a, "a_scan.pdf", "ocr"), rendition(d, "d_copy.txt")
    late = document("e.txt", plan("50", "2022-06-01", "Kế hoạch năm 2022"), [
        cite("468/QĐ-TTg", "Quyết định", None, None, "national", "Quyết định số 468/QĐ-TTg")])
    return [d, a, scan_a, b, copy_d, c, late]


def save(db, docs) -> None:
    for doc in docs:
        store.save_documents(db, doc.source, doc.sha256, [doc])


def test_incremental_updates_equal_a_full_rebuild(tmp_path):
    step = store.open_db(tmp_path / "step.db")
    for doc in corpus():  # one ingest per document, the graph updated after each
        save(step, [doc])
        build_graph(step)
    full = store.open_db(tmp_path / "full.db")
    save(full, corpus())
    build_graph(full, full=True)
    assert tables(step) == tables(full)
    assert degrees_are_counts(step) and degrees_are_counts(full)
    assert headerless_indexed(step) and headerless_indexed(full)
    assert step.execute("select count(*) from titles where kind = 'headerless'").fetchone()[0] == 2  # D, its copy
    with sqlite3.connect(tmp_path / "again.db") as target:
        step.conn.backup(target)
    again = store.open_db(tmp_path / "again.db")
    build_graph(again, full=True)
    assert tables(again) == tables(step) and headerless_indexed(again)


def test_a_document_is_counted_once_with_its_renditions(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    save(db, corpus())
    build_graph(db)
    assert db["documents"].count == 5 and db["renditions"].count == 7
    plan_a = find_documents(db, "10/KH-UBND")
    assert len(plan_a) == 1 and plan_a[0]["source"] == "a.txt"  # the text layer speaks, not the scan
    assert [r["source"] for r in renditions_of(db, plan_a[0]["doc_id"])] == ["a.txt", "a_scan.pdf"]
    # the header-less plan and its copy are the plan C cites: found by that number
    (headerless,) = find_documents(db, "204/KH-UBND")
    assert {r["source"] for r in renditions_of(db, headerless["doc_id"])} == {"d.txt", "d_copy.txt"}
    edges_from_a = db.execute("select count(*) from edges where source like '10/KH-UBND%'").fetchone()[0]
    assert edges_from_a == 3  # A's citations once, not once per rendition


def test_a_looked_up_document_comes_without_its_text_which_is_read_when_shown(tmp_path):
    from vanban.pipeline.store import text_of
    db = store.open_db(tmp_path / "s.db")
    save(db, corpus())
    build_graph(db)
    (plan_a,) = find_documents(db, "10/KH-UBND")
    assert "clean_text" not in plan_a and plan_a["so_hieu"] == "10/KH-UBND" and "known_id" in plan_a
    assert "45/2020/NĐ-CP" in text_of(db, plan_a["doc_id"])
    assert text_of(db, "no such rendition") == ""


def test_a_documents_renditions_are_listed_alike_whatever_order_they_were_stored_in(tmp_path):
    listed = []
    for name, order in (("forward", 1), ("backward", -1)):
        db = store.open_db(tmp_path / f"{name}.db")
        docs = corpus()
        save(db, [*docs, rendition(docs[1], "a_fax.pdf", "ocr"), rendition(docs[1], "a_photo.jpg", "ocr")][::order])
        build_graph(db)
        listed.append([r["source"] for r in renditions_of(db, find_documents(db, "10/KH-UBND")[0]["doc_id"])])
    assert listed[0] == listed[1] == ["a.txt", "a_fax.pdf", "a_photo.jpg", "a_scan.pdf"]


def test_removing_a_rendition_updates_the_document_and_the_graph(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    save(db, corpus())
    build_graph(db)
    store.remove_paths(db, ["a.txt"])
    build_graph(db)
    (plan_a,) = find_documents(db, "10/KH-UBND")
    assert plan_a["source"] == "a_scan.pdf"  # the scan now speaks for it
    store.remove_paths(db, ["a_scan.pdf"])
    build_graph(db)
    (node,) = find_nodes(db, "10/KH-UBND")
    assert node["absent"] and node["cited_by"] == 2 and node["cites"] == 0  # still cited by B and C
    store.remove_paths(db, ["d_copy.txt"])  # a header-less rendition: its title leaves both indexes
    build_graph(db)
    assert headerless_indexed(db)
    full = tables(db)
    build_graph(db, full=True)
    assert tables(db) == full and degrees_are_counts(db) and headerless_indexed(db)


def test_a_yearless_citation_resolves_when_a_dated_one_arrives_later(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    yearless = document("x.txt", plan("60", "2022-01-01", "Kế hoạch X"), [
        cite("99/QĐ-TTg", "Quyết định", None, None, "national", "Quyết định số 99/QĐ-TTg")])
    save(db, [yearless])
    build_graph(db)
    assert find_nodes(db, "99/QĐ-TTg")[0]["node_id"] == "99/QĐ-TTg||national"
    dated = document("y.txt", plan("61", "2022-02-01", "Kế hoạch Y"), [
        cite("99/QĐ-TTg", "Quyết định", 2021, "2021-05-05", "national", "Quyết định số 99/QĐ-TTg ngày 05/5/2021")])
    save(db, [dated])
    build_graph(db)
    (node,) = find_nodes(db, "99/QĐ-TTg")
    assert node["node_id"] == "99/QĐ-TTg|2021|national" and node["cited_by"] == 2


def test_a_headerless_document_twin_without_citation_is_one_document(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    ident = Identity(type="Báo cáo", province=TQ, title="Kết quả chuyển đổi số năm 2022", date="2022-05")
    first = document("r.txt", ident, [])
    scan = rendition(first, "r.pdf", "ocr")
    other = document("s.txt", Identity(type="Báo cáo", province=TQ, title=PLAN_TITLE, date="2022-05"), [])
    save(db, [first, scan, other])
    build_graph(db)
    assert db["documents"].count == 2


def test_open_citations_of_a_much_cited_number_equal_a_full_rebuild(tmp_path):
    """Ingest by ingest, a yearless citation keeps its note while new citations only add to
    groups with enough files to name, and changes when a group or a year is new."""
    def dated(i: int, year: int):
        return document(f"d{i}.txt", plan(str(100 + i), f"{year + 1}-01-0{1 + i % 9}", f"Kế hoạch {i}"), [
            cite("99/QĐ-TTg", "Quyết định", year, f"{year}-05-05", "national", f"Quyết định số 99/QĐ-TTg năm {year}")])
    yearless = document("x.txt", plan("60", "2023-01-01", "Kế hoạch X"), [
        cite("99/QĐ-TTg", "Quyết định", None, None, "national", "Quyết định số 99/QĐ-TTg")])
    step = store.open_db(tmp_path / "step.db")
    batches = [[dated(i, 2021) for i in range(5)] + [yearless], [dated(i, 2021) for i in range(5, 8)],
               [dated(8, 2022)], [dated(9, 2021)]]
    notes = []
    for batch in batches:
        save(step, batch)
        build_graph(step)
        notes.append(step.conn.execute("select resolution_note from refs where year is null").fetchone()[0])
    assert notes[0] == notes[1] and notes[0].startswith("year 2021 from other citations")
    assert notes[2].startswith("year ambiguous: 2021, 2022")
    full = store.open_db(tmp_path / "full.db")
    save(full, [doc for batch in batches for doc in batch])
    build_graph(full, full=True)
    assert tables(step) == tables(full) and degrees_are_counts(step)


def test_what_citations_say_is_kept_only_for_documents_not_stored(tmp_path):
    a, b, c, d = documents()
    db = store.open_db(tmp_path / "v.db")
    save(db, [b])  # B cites plan A before A is ingested
    build_graph(db)
    described = lambda: {r[0] for r in db.execute("select distinct node_id from cited_values")}
    assert any(node.startswith("10/KH-UBND|") for node in described())
    save(db, [a])  # A arrives: its header describes it now
    build_graph(db)
    assert not any(node.startswith("10/KH-UBND|") for node in described())
    assert described() == {r[0] for r in db.execute("select node_id from nodes where absent = 1")}
    step = tables(db)
    build_graph(db, full=True)
    assert tables(db) == step and degrees_are_counts(db)


def test_citations_elsewhere_of_a_local_number_leave_its_open_citations_unread(tmp_path):
    """A local number restarts in every province: new dated citations of 5/KH-UBND in Hà Giang
    cannot give a year to a yearless one of Tuyên Quang's, so that one is not looked at again;
    a dated one of Tuyên Quang's still resolves it, and the tables equal a full rebuild."""
    def citing(name: str, number: str, year, jurisdiction: str):
        return document(name, plan(number, "2023-03-01", f"Kế hoạch {name}"), [
            cite("5/KH-UBND", "Kế hoạch", year, f"{year}-02-02" if year else None, jurisdiction,
                 "Kế hoạch số 5/KH-UBND")])
    batches = [[citing("open.txt", "70", None, TQ)], [citing("hg1.txt", "71", 2021, "Hà Giang"),
                                                      citing("hg2.txt", "72", 2022, "Hà Giang")],
               [citing("tq.txt", "73", 2022, TQ)]]
    step = store.open_db(tmp_path / "step.db")
    probes, notes = [], []
    for batch in batches:
        save(step, batch)
        asked: list = []
        step.conn.set_trace_callback(asked.append)
        build_graph(step)
        step.conn.set_trace_callback(None)
        probes.append(sum("rowid <" in sql for sql in asked))  # may_change's count of a group's older rows
        notes.append(step.conn.execute("select resolution_note from refs where year is null").fetchone()[0])
    assert probes[1] == 0 and notes[1] == notes[0]
    assert notes[2].startswith("year 2022 from other citations of 5/KH-UBND")
    full = store.open_db(tmp_path / "full.db")
    save(full, [doc for batch in batches for doc in batch])
    build_graph(full, full=True)
    assert tables(step) == tables(full) and degrees_are_counts(step)
