import dataclasses
import sqlite3

import pytest

from vanban.models.records import Mention, Reference, Span
from vanban.pipeline import store
from vanban.pipeline.store.schema import SCHEMA_VERSION, graph_counted
from tests.conftest import make_document

TEXT = ("Số: 187 /KH-UBND\nTuyên Quang, ngày 03 tháng 10 năm 2022\nKẾ HOẠCH\n"
        "Nâng cao chỉ số chuyển đổi số tỉnh Tuyên Quang năm 2022\n"
        "Căn cứ Quyết định số 742/QĐ-UBND ngày 24/6/2022 của Ủy ban nhân dân tỉnh;\n")


def counts(db):
    return {t: db[t].count for t in ("documents", "pages", "passages", "refs", "files")}


def test_saving_twice_changes_nothing(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    doc = make_document(TEXT, "a.txt")
    store.save_documents(db, "a.txt", "f1", [doc])
    first = counts(db)
    store.save_documents(db, "a.txt", "f1", [doc])
    assert counts(db) == first and first["documents"] == 1
    assert store.is_done(db, "a.txt", "f1") and not store.is_done(db, "a.txt", "f2")


def test_a_failure_mid_document_leaves_nothing_half_written(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    good = make_document(TEXT, "a.txt")
    broken = make_document(TEXT.replace("187", "188"), "b.txt")
    broken.references = [Reference(id="742/QĐ-UBND", mentions=[Mention("x", Span(0, 1, 1, 0, 1))]), object()]
    store.save_documents(db, "a.txt", "f1", [good])
    before = counts(db)
    with pytest.raises(Exception):
        store.save_documents(db, "b.txt", "f2", [broken])
    assert counts(db) == before and before["documents"] == 1
    assert not store.is_done(db, "b.txt", "f2")


def test_failures_are_logged_with_reason(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    store.log_failure(db, "x.pdf", "encrypted PDF: needs a password")
    (row,) = db["ingest_log"].rows
    assert row["path"] == "x.pdf" and "encrypted" in row["reason"]


def test_a_missing_store_is_not_created_for_reading(tmp_path):
    with pytest.raises(store.StoreMissing, match="vanban ingest"):
        store.open_db(tmp_path / "sub" / "none.db", create=False)
    assert not (tmp_path / "sub").exists()


def test_search_works_with_and_without_diacritics_in_plain_sqlite_fts(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    store.save_documents(db, "a.txt", "f1", [make_document(TEXT + "Đẩy mạnh chuyển đổi số.\n", "a.txt")])
    db.conn.commit()
    plain = sqlite3.connect(tmp_path / "v.db")  # what Datasette and `sqlite-utils search` do: no vanban code
    def hits(query):
        return plain.execute("select count(*) from passages_fts where passages_fts match ?", [query]).fetchone()[0]
    assert hits("chuyển đổi số") == hits("chuyen doi so") == hits("CHUYỂN ĐỔI SỐ") > 0
    assert hits("đẩy mạnh") == hits("day manh") > 0
    assert hits("ngân sách") == 0


V1_SCHEMA = """
create table documents (doc_id text primary key, sha256 text, source text, source_name text, pages integer,
  ocr_pages integer, type text, so_hieu text, number text, symbol text, date text, year integer, issuer text,
  province text, place text, title text, signer text, signer_title text, identity_notes text, warnings text,
  clean_text text, ingested_at text);
create table pages (doc_id text references documents(doc_id), page integer, method text, ocr_confidence real,
  text text, primary key (doc_id, page));
create table passages (doc_id text references documents(doc_id), seq integer, kind text, level integer,
  label text, page integer, page_start integer, clean_start integer, clean_end integer, text text,
  text_folded text, primary key (doc_id, seq));
create virtual table passages_fts using fts5 (text_folded, content=passages);
create trigger passages_ai after insert on passages begin
  insert into passages_fts (rowid, text_folded) values (new.rowid, new.text_folded); end;
create table refs (doc_id text references documents(doc_id), seq integer, ref_id text, type text, number text,
  symbol text, year integer, date text, dates text, issuer text, jurisdiction text, relation text, title text,
  mentions text, n_mentions integer, resolved_year integer, resolved_jurisdiction text, resolution_note text,
  primary key (doc_id, seq));
create table measures (doc_id text references documents(doc_id), seq integer, value real, unit text, kind text,
  metric text, scope text, year integer, as_of text, bound text, page integer, start integer, "end" integer,
  quote text, primary key (doc_id, seq));
create table files (path text primary key, file_sha256 text, status text, doc_ids text, at text);
create table ingest_log (id integer primary key, path text, page integer, reason text, at text);
create table meta (key text primary key, value text);
create table nodes (node_id text primary key, so_hieu text);
insert into meta values ('schema_version', '1');
insert into documents (doc_id, source, source_name, pages, ocr_pages, type, so_hieu, year, province, title)
  values ('00aa', 'old/kh.txt', 'kh.txt', 1, 0, 'Kế hoạch', '7/KH-UBND', 2021, 'Tuyên Quang', 'Chuyển đổi số');
insert into passages (doc_id, seq, kind, text, text_folded) values ('00aa', 0, 'paragraph', 'Chuyển đổi số', 'chuyen doi so');
insert into refs (doc_id, seq, ref_id, type, year, jurisdiction, relation, n_mentions)
  values ('00aa', 0, '47/2020/NĐ-CP', 'Nghị định', 2020, 'national', 'legal_basis', 1);
insert into files values ('old/kh.txt', 'f0', 'ok', '["00aa"]', '2025-01-01');
insert into ingest_log (path, reason, at) values ('x.pdf', 'corrupt', '1'), ('x.pdf', 'corrupt', '2');
"""


def test_a_store_of_the_previous_release_is_upgraded(tmp_path):
    path = tmp_path / "v1.db"
    with sqlite3.connect(path) as old:
        old.executescript(V1_SCHEMA)
    db = store.open_db(path)
    assert db.execute("select value from meta where key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    from vanban.pipeline.corpus.graph import ensure_graph, find_nodes
    ensure_graph(db)
    assert [r["so_hieu"] for r in db["documents"].rows] == ["7/KH-UBND"]
    assert find_nodes(db, "nd 47/2020")[0]["cited_by"] == 1
    assert db.execute("select count(*) from passages_fts where passages_fts match 'chuyển đổi'").fetchone()[0] == 1
    from vanban.pipeline.store.search import search  # the filter tokens were written for the old rows
    assert search(db, "chuyen doi so", doc_type="Kế hoạch", province="Tuyên Quang", year=2021)
    assert not search(db, "chuyen doi so", year=2020)
    assert db["ingest_log"].count == 1 and db["file_renditions"].count == 1
    store.open_db(path)  # opening again finds it current


def _open_and_write(path: str) -> int:
    db = store.open_db(path)
    store.log_failure(db, path + ".x", "test")
    return db["ingest_log"].count


def test_two_processes_creating_one_store_at_once(tmp_path):
    from concurrent.futures import ProcessPoolExecutor
    path = str(tmp_path / "new.db")
    with ProcessPoolExecutor(4) as pool:
        assert all(n >= 1 for n in pool.map(_open_and_write, [path] * 8))


def test_a_failure_is_logged_once_however_often_it_recurs(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    for _ in range(3):
        store.log_failure(db, "x.pdf", "encrypted PDF: needs a password")
    assert db["ingest_log"].count == 1


def test_the_store_checkpoints_its_wal_every_few_tens_of_megabytes(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    pragma = lambda name: db.conn.execute(f"pragma {name}").fetchone()[0]
    assert pragma("journal_mode") == "wal" and pragma("wal_autocheckpoint") == store.CHECKPOINT_PAGES
    assert pragma("journal_size_limit") == store.CHECKPOINT_PAGES * pragma("page_size")


def _graph_store(path, docs=None):
    """A store of docs (by default a plan citing a decision) with its graph built."""
    from vanban.pipeline.corpus.graph import build_graph
    db = store.open_db(path)
    for doc in docs or [make_document(TEXT, "a.txt")]:
        store.save_documents(db, doc.source, doc.sha256, [doc])
    build_graph(db)
    return db


# before version 13 a rendition's text was a column of its row
TEXT_IN_ROW = """drop view documents; alter table renditions add column clean_text text;
    update renditions set clean_text = (select clean_text from texts t where t.doc_id = renditions.doc_id);
    drop table texts"""


def _upgraded(db, path, version: int, script: str):
    """The store rewritten as schema `version` kept it (script), opened again: the upgrade runs."""
    if version < 13:
        script = f"{TEXT_IN_ROW}; {script}"
    db.conn.executescript(f"{script}; update meta set value = '{version}' where key = 'schema_version';")
    db = store.open_db(path)
    assert db.execute("select value from meta where key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    return db


def test_a_version_7_store_gets_its_nodes_keyed_without_rowid(tmp_path):
    db = _graph_store(tmp_path / "v7.db")
    rows = db.execute("select * from nodes order by node_id").fetchall()
    assert len(rows) == 2  # the plan and the decision it cites
    db = _upgraded(db, tmp_path / "v7.db", 7, """  -- nodes as version 7 kept them: a rowid table
        create table nodes_rowid as select * from nodes; drop table nodes;
        alter table nodes_rowid rename to nodes;
        -- and without what later versions added (indexed by today's schema, built at the first step)
        drop index refs_doubtful; alter table refs drop column doubtful; drop index renditions_sha""")
    assert db.execute("select * from nodes order by node_id").fetchall() == rows
    assert "without rowid" in db.execute("select sql from sqlite_master where name = 'nodes'").fetchone()[0]
    assert {"nodes_id_key", "nodes_id_number", "nodes_absent"} <= {i.name for i in db["nodes"].indexes}


def test_a_version_8_store_keeps_what_citations_say_only_of_documents_not_stored(tmp_path):
    db = _graph_store(tmp_path / "v8.db")
    kept = db.execute("select * from cited_values order by node_id, field, value").fetchall()
    (plan,) = [r[0] for r in db.execute("select node_id from nodes where absent = 0")]
    db = _upgraded(db, tmp_path / "v8.db", 8, f"""  -- the stored plan described too, absent ones by cited_by
        insert into cited_values values ('{plan}', 'type', 'Kế hoạch', 1);
        drop index nodes_absent; create index nodes_absent on nodes(cited_by) where absent = 1""")
    assert db.execute("select * from cited_values order by node_id, field, value").fetchall() == kept
    assert "nodes(absent)" in db.execute("select sql from sqlite_master where name = 'nodes_absent'").fetchone()[0]


def test_a_version_8_store_gets_one_scope_token_per_title(tmp_path):
    from vanban.pipeline.corpus.resolve import title_candidates
    from tests.citation_store import documents
    db = _graph_store(tmp_path / "v8.db", documents())  # a citation carrying a title, and a header-less plan
    titles = db.execute("select kind, key, type, jurisdiction, title from titles order by id").fetchall()
    assert titles
    db = _upgraded(db, tmp_path / "v8.db", 8, "update titles set scope = 'k' || kind || ' tx jy'")  # three tokens
    assert db.execute("select kind, key, type, jurisdiction, title from titles order by id").fetchall() == titles
    for kind, key, doc_type, jurisdiction, title in titles:  # each found again through the index
        found = title_candidates(db, kind, {"type": doc_type, "province": jurisdiction, "title": title})
        assert key in {c["key"] for c in found}


def test_a_version_18_store_gets_an_index_of_its_headerless_titles(tmp_path):
    from vanban.pipeline.corpus.resolve import title_candidates
    from tests.citation_store import documents
    db = _graph_store(tmp_path / "v18.db", documents())  # a citation carrying a title, and a header-less plan
    db = _upgraded(db, tmp_path / "v18.db", 18, """drop table headerless_titles_fts;
        drop trigger titles_headerless_ai; drop trigger titles_headerless_ad; drop trigger titles_headerless_au""")
    ((key, doc_type, jurisdiction, title),) = db.execute(
        "select key, type, jurisdiction, title from titles where kind = 'headerless'").fetchall()
    found = title_candidates(db, "headerless", {"type": doc_type, "province": jurisdiction, "title": title})
    assert [c["key"] for c in found] == [key]
    assert not title_candidates(db, "headerless", {"type": doc_type, "province": "Hà Giang", "title": title})


def test_a_citations_doubt_is_stored_and_a_version_9_store_gains_its_column(tmp_path):
    path = tmp_path / "v9.db"
    db = store.open_db(path)
    doc = make_document("Căn cứ Nghị quyết số 48-NQ/T ngày 01/02/2020;", "a.txt")
    store.save_documents(db, "a.txt", "f1", [doc])
    assert [r[0] for r in db.execute("select doubtful from refs")] == [doc.references[0].doubtful]
    assert "cut short" in doc.references[0].doubtful
    db = _upgraded(db, path, 9, "drop index refs_doubtful; alter table refs drop column doubtful")  # no doubt
    assert [r[0] for r in db.execute("select doubtful from refs")] == [None]  # filled when ingested again
    assert "refs_doubtful" in {i.name for i in db["refs"].indexes}


def test_rendition_keys_grow_as_files_are_stored_and_are_never_given_twice(tmp_path):
    db = store.open_db(tmp_path / "v.db")
    a, b, c = (make_document(TEXT.replace("187", n), f"{n}.txt") for n in ("187", "188", "189"))
    [key_a] = store.save_documents(db, "a.txt", "fa", [a])
    [key_b] = store.save_documents(db, "b.txt", "fb", [b])
    assert key_a < key_b and len(key_a) == 16
    store.remove_paths(db, ["b.txt"])  # the newest rendition goes: its key is not given again
    [key_c] = store.save_documents(db, "c.txt", "fc", [c])
    assert key_c > key_b
    # the same text from another file is the rendition already stored, under its key
    assert store.save_documents(db, "copy-of-a.txt", "fa2", [a]) == [key_a]
    assert db["renditions"].count == 2


def test_a_version_10_store_keeps_its_hash_keys_and_new_renditions_sort_after_them(tmp_path):
    path = tmp_path / "v10.db"
    db = _graph_store(path)
    edges = db.execute("select * from edges order by doc_id, ref_seq").fetchall()
    assert edges
    db = _upgraded(db, path, 10, """  -- version 10 keyed a rendition by its content hash, edges by rowid
        create table edges_rowid as select * from edges; drop table edges;
        alter table edges_rowid rename to edges;
        create index edges_target on edges(target, source); create index edges_source on edges(source, target);
        pragma foreign_keys = off; drop index renditions_sha; drop index renditions_source;
        delete from meta where key = 'renditions_made';
        update edges set doc_id = (select substr(sha256, 1, 16) from renditions);
        update renditions set doc_id = substr(sha256, 1, 16);
        update file_renditions set doc_id = (select doc_id from renditions);
        update pages set doc_id = (select doc_id from renditions);
        update passages set doc_id = (select doc_id from renditions);
        update refs set doc_id = (select doc_id from renditions);
        update measures set doc_id = (select doc_id from renditions); pragma foreign_keys = on""")
    [old] = [r[0] for r in db.execute("select doc_id from renditions")]
    assert {"renditions_sha", "renditions_source"} <= {i.name for i in db["renditions"].indexes}
    assert db.execute("select * from edges order by doc_id, ref_seq").fetchall() == \
        [(old, *edge[1:]) for edge in edges]
    assert "without rowid" in db.execute("select sql from sqlite_master where name = 'edges'").fetchone()[0]
    assert {"edges_target", "edges_source"} <= {i.name for i in db["edges"].indexes}
    new = make_document(TEXT.replace("187", "188"), "b.txt")
    [key] = store.save_documents(db, "b.txt", "fb", [new])
    assert key > old  # every hex digit sorts before 'r'
    assert store.save_documents(db, "a-again.txt", "fa2", [make_document(TEXT, "a.txt")]) == [old]


def test_a_version_11_store_gets_indexes_that_cover_what_is_read_of_citations(tmp_path):
    path = tmp_path / "v11.db"
    db = _graph_store(path)
    views = {name: sql for name, sql in db.execute("select name, sql from sqlite_master where type = 'view'")}
    roots = dict(db.execute("select name, rootpage from sqlite_master where type = 'index'").fetchall())
    db = _upgraded(db, path, 11, """  -- version 11's indexes: the rows had to be read for the rest
        drop view citations; drop view figures;
        create view citations as select r.* from refs r join renditions d on d.doc_id = r.doc_id
            where d.is_primary = 1 or d.node_id is null;
        create view figures as select m.* from measures m join renditions d on d.doc_id = m.doc_id
            where d.is_primary = 1 or d.node_id is null;
        drop index renditions_source; create index renditions_source on renditions(doc_id, source);
        drop index refs_ref_id; create index refs_ref_id on refs(ref_id, year, jurisdiction);
        drop index refs_open; create index refs_open on refs(ref_id) where year is null or jurisdiction is null;
        drop index renditions_number; create index renditions_number on renditions(so_hieu, year, province)""")
    columns = {name: [row[2] for row in db.execute(f"pragma index_info([{name}])")]
               for name in ("renditions_source", "renditions_number", "refs_ref_id", "refs_open")}
    assert columns["renditions_source"] == ["doc_id", "is_primary", "node_id", "source", "source_name", "date"]
    assert columns["renditions_number"] == ["so_hieu", "year", "province", "jurisdiction", "is_primary", "node_id"]
    assert columns["refs_ref_id"] == ["ref_id", "year", "jurisdiction", "doc_id"]
    assert columns["refs_open"][:3] == ["ref_id", "doc_id", "seq"] and "resolution_note" in columns["refs_open"]
    assert {name: sql for name, sql in db.execute("select name, sql from sqlite_master where type = 'view'")} == views
    assert db.execute("select count(*) from citations").fetchone()[0] == 1
    # only the redefined indexes are built again (each once): an unchanged one keeps its pages
    after = dict(db.execute("select name, rootpage from sqlite_master where type = 'index'").fetchall())
    assert after["edges_target"] == roots["edges_target"] and after["nodes_id_key"] == roots["nodes_id_key"]


def test_a_version_12_store_keeps_each_rendition_text_apart_from_its_row(tmp_path):
    path = tmp_path / "v12.db"
    db = _graph_store(path)
    texts = db.execute("select doc_id, clean_text from documents order by doc_id").fetchall()
    rows = db.execute("select * from renditions order by doc_id").fetchall()
    assert texts and all(text for _, text in texts)
    db = _upgraded(db, path, 12, "select 1")
    assert "clean_text" not in {c.name for c in db["renditions"].columns}
    assert db.execute("select * from renditions order by doc_id").fetchall() == rows
    assert db.execute("select doc_id, clean_text from texts order by doc_id").fetchall() == texts
    assert db.execute("select doc_id, clean_text from documents order by doc_id").fetchall() == texts


def test_a_rendition_text_is_read_only_by_what_asks_for_it(tmp_path):
    db = _graph_store(tmp_path / "s.db")
    def tables_read(sql):
        return {row[3].split()[1] for row in db.execute("explain query plan " + sql) if row[3].startswith(("SCAN", "SEARCH"))}
    assert "t" not in tables_read("select so_hieu, source, is_primary from documents where doc_id = 'x'")
    assert "t" in tables_read("select clean_text from documents where doc_id = 'x'")


def test_a_text_saved_again_or_removed_leaves_no_row_of_it_behind(tmp_path):
    db = _graph_store(tmp_path / "s.db")
    (doc_id,) = db.execute("select doc_id from renditions").fetchone()
    doc = make_document(TEXT, "a.txt")
    store.save_documents(db, "copy.txt", doc.sha256, [doc])  # the same text from another file
    assert db.execute("select doc_id from texts").fetchall() == [(doc_id,)]
    store.remove_paths(db, ["a.txt", "copy.txt"])
    assert db.execute("select count(*) from texts").fetchone()[0] == 0


def test_a_version_13_store_names_each_stored_documents_file_in_its_node(tmp_path):
    path = tmp_path / "v13.db"
    db = _graph_store(path)
    nodes = db.execute("select node_id, source_name from nodes order by node_id").fetchall()
    assert ("a.txt",) in {(name,) for _, name in nodes} and (None,) in {(name,) for _, name in nodes}
    db = _upgraded(db, path, 13, """  -- version 13's nodes had no file, its index of citations by target no relation
        alter table nodes drop column source_name;
        drop index edges_target; create index edges_target on edges(target, source)""")
    assert db.execute("select node_id, source_name from nodes order by node_id").fetchall() == nodes
    assert [row[2] for row in db.execute("pragma index_info(edges_target)")] == ["target", "source", "relation",
                                                                                  "n_mentions"]


def test_the_stored_provinces_are_found_one_index_probe_each(tmp_path):
    db = store.open_db(tmp_path / "s.db")
    for name, province in (("a.txt", "Tuyên Quang"), ("b.txt", "Lạng Sơn"), ("c.txt", "Tuyên Quang"), ("d.txt", None)):
        doc = make_document(TEXT + name, name)
        doc = dataclasses.replace(doc, identity=dataclasses.replace(doc.identity, province=province))
        store.save_documents(db, name, doc.sha256, [doc])
    read = []
    db.conn.set_trace_callback(read.append)
    assert store.provinces(db) == ["Lạng Sơn", "Tuyên Quang"]
    db.conn.set_trace_callback(None)
    assert len(read) == 3  # a probe per province, and the one finding none after the last


def test_the_jurisdictions_citations_name_are_found_one_index_probe_each(tmp_path):
    db = store.open_db(tmp_path / "j.db")
    for name, places in (("a.txt", ["Tuyên Quang", "national"]), ("b.txt", ["Tuyen Quang", None])):
        doc = make_document(TEXT + name, name)
        refs = [dataclasses.replace(doc.references[0], jurisdiction=place) for place in places]
        store.save_documents(db, name, doc.sha256, [dataclasses.replace(doc, references=refs)])
    read = []
    db.conn.set_trace_callback(read.append)
    assert store.jurisdictions_cited(db) == ["Tuyen Quang", "Tuyên Quang", "national"]
    db.conn.set_trace_callback(None)
    assert len(read) == 4
    # and no other query takes that index (one did: it read a province's citations instead of a number's)
    plan = db.execute("explain query plan select 1 from refs where ref_id = ? and year is ? and jurisdiction is ? "
                      "and rowid < ?", ["5/KH-UBND", 2022, "Tuyên Quang", 9]).fetchall()
    assert "refs_ref_id" in plan[0][-1]


@pytest.mark.parametrize("version, script", [(16, "drop index refs_jurisdiction"), (
    17, "drop index refs_jurisdiction; create index refs_jurisdiction on refs(jurisdiction)")])
def test_an_older_store_gets_its_citations_indexed_by_jurisdiction_for_the_skip_scan_alone(tmp_path, version, script):
    db = _graph_store(tmp_path / "old.db")
    db = _upgraded(db, tmp_path / "old.db", version, script)
    assert "where jurisdiction > ''" in db.execute(
        "select sql from sqlite_master where name = 'refs_jurisdiction'").fetchone()[0]
    assert store.jurisdictions_cited(db) == [j for (j,) in db.execute(
        "select distinct jurisdiction from refs where jurisdiction is not null order by jurisdiction")]


def _kept(db) -> dict:
    """graph_counts' rows as the store keeps them (graph_counted counts them over the tables)."""
    return dict(db.execute("select name, n from graph_counts").fetchall())


def test_a_version_15_store_counts_its_graph_once_and_then_keeps_the_counts(tmp_path):
    from vanban.pipeline.corpus.graph import build_graph, graph_totals
    path = tmp_path / "v15.db"
    db = _graph_store(path)
    db = _upgraded(db, path, 15, "drop table graph_counts")  # version 15 counted the graph's tables when asked
    assert _kept(db) == graph_counted(db.conn) == {"nodes": 2, "absent": 1, "edges": 1}
    # kept through what changes the graph: a second plan citing the same decision, a full rebuild, removals
    second = make_document(TEXT.replace("187", "188"), "b.txt")
    store.save_documents(db, "b.txt", second.sha256, [second])
    build_graph(db)
    assert _kept(db) == graph_counted(db.conn) == {"nodes": 3, "absent": 1, "edges": 2}
    db.execute("delete from graph_counts where name = 'edges'")  # by hand: the totals are counted instead
    assert graph_totals(db) == {"nodes": 3, "stored": 2, "absent": 1, "edges": 2}
    build_graph(db, full=True)  # and counted again
    assert _kept(db) == graph_counted(db.conn) == {"nodes": 3, "absent": 1, "edges": 2}
    store.remove_paths(db, ["a.txt", "b.txt"])
    build_graph(db)
    assert _kept(db) == graph_counted(db.conn) == {"nodes": 0, "absent": 0, "edges": 0}
    assert graph_totals(db) == {"nodes": 0, "stored": 0, "absent": 0, "edges": 0}


def test_distinct_values_seeks_past_each_value_instead_of_reading_its_rows():
    from unittest import mock
    conn = sqlite3.connect(":memory:")
    conn.execute("create table t (k text, v text)")
    conn.execute("create index t_v on t(k, v) where v > ''")  # partial, as refs_jurisdiction is
    conn.executemany("insert into t values (?, ?)", [("x", "A")] * 5000 + [("x", "B"), ("x", ""), ("x", None),
                                                                           ("y", "C")])
    db = mock.Mock(conn=conn)
    steps = []
    conn.set_progress_handler(lambda: steps.append(1), 100)  # every 100 virtual machine steps
    found = store.distinct_values(db, "t indexed by t_v", "v", "k = ? and v > ''", ["x"])
    conn.set_progress_handler(None, 0)
    assert found == ["A", "B"]
    assert len(steps) < 10  # reading the 5,000 rows of "A" to get past them takes hundreds
