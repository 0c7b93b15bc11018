import json

import networkx as nx

from vanban.pipeline.corpus.graph import build_graph, cited_by, cites, draw, export_graph, find_nodes, load_graph, type_filter, graph_totals
from vanban.pipeline.corpus.resolve import node_key
from tests.citation_store import make_store

A, B, C = "10/KH-UBND|2021|Tuyên Quang", "20/KH-UBND|2021|Tuyên Quang", "30/QĐ-UBND|2022|Tuyên Quang"
D = "204/KH-UBND|2021|Tuyên Quang"
DECREE = "45/2020/NĐ-CP|2020|national"


def nodes(db):
    return {n["node_id"]: n for n in db["nodes"].rows}


def test_node_key():
    assert node_key("204/KH-UBND", 2021, "Tuyên Quang") == D
    assert node_key("468/QĐ-TTg", None, "national") == "468/QĐ-TTg||national"


def test_stored_and_cited_documents_are_nodes_and_citations_are_edges(tmp_path):
    db = make_store(tmp_path / "v.db")
    summary = build_graph(db)
    found = nodes(db)
    assert {A, B, C, D} <= set(found) and not any(found[k]["absent"] for k in (A, B, C, D))
    assert found[DECREE]["absent"] and found[DECREE]["doc_id"] is None and found[DECREE]["type"] == "Nghị định"
    assert summary.edges == db["edges"].count == 10 and graph_totals(db)["absent"] == 4
    pairs = {(e["source"], e["target"]) for e in db["edges"].rows}
    assert (A, B) in pairs and (B, A) in pairs  # citing each other
    assert found[DECREE]["cited_by"] == 2 and found[A]["cited_by"] == 2


def test_a_number_reused_in_two_years_is_two_nodes(tmp_path):
    db = make_store(tmp_path / "v.db")
    build_graph(db)
    assert {"14/CT-TTg|2018|national", "14/CT-TTg|2019|national"} <= set(nodes(db))


def test_a_yearless_citation_joins_the_resolved_node(tmp_path):
    db = make_store(tmp_path / "v.db")
    build_graph(db)
    assert "468/QĐ-TTg||national" not in nodes(db)
    assert nodes(db)["468/QĐ-TTg|2021|national"]["cited_by"] == 2


def test_a_headerless_document_and_its_citation_are_one_node(tmp_path):
    db = make_store(tmp_path / "v.db")
    build_graph(db)
    node = nodes(db)[D]
    assert node["doc_id"] and not node["absent"] and node["date"] == "2021-11-25"
    assert (node["cites"], node["cited_by"]) == (1, 1)
    assert not any(k.startswith("doc:") for k in nodes(db))


def test_building_twice_gives_the_same_tables(tmp_path):
    db = make_store(tmp_path / "v.db")
    build_graph(db)
    first = (list(db["nodes"].rows), list(db["edges"].rows))
    build_graph(db)
    assert (list(db["nodes"].rows), list(db["edges"].rows)) == first


def test_load_graph_matches_the_tables(tmp_path):
    db = make_store(tmp_path / "v.db")
    graph = load_graph(db)  # builds on first use
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_nodes() == db["nodes"].count and graph.number_of_edges() == db["edges"].count
    assert graph.nodes[DECREE]["absent"] and graph.nodes[DECREE]["label"] == "45/2020/NĐ-CP (2020)"
    assert nx.has_path(graph, C, DECREE)


def test_the_graph_is_rebuilt_when_the_store_changes(tmp_path):
    from tests.citation_store import cite, document, plan
    db = make_store(tmp_path / "v.db")
    build_graph(db)
    extra = document("e.txt", plan("60", "2022-06-01", "Kế hoạch mới"),
                     [cite("45/2020/NĐ-CP", "Nghị định", 2020, "2020-04-08", "national", "Nghị định số 45/2020/NĐ-CP")])
    make_store(tmp_path / "v.db", [extra])
    assert {r["so_hieu"] for r in cited_by(db, [DECREE])} == {"10/KH-UBND", "204/KH-UBND", "60/KH-UBND"}


def test_cites_lists_what_a_document_cites(tmp_path):
    db = make_store(tmp_path / "v.db")
    rows = cites(db, [A])
    assert [(r["so_hieu"], r["year"], r["absent"]) for r in rows] == [
        ("45/2020/NĐ-CP", 2020, True), ("20/KH-UBND", 2021, False), ("14/CT-TTg", 2018, True)]


def test_cited_by_direct_typed_and_transitive(tmp_path):
    db = make_store(tmp_path / "v.db")
    assert {r["so_hieu"] for r in cited_by(db, [DECREE])} == {"10/KH-UBND", "204/KH-UBND"}
    transitive = {r["so_hieu"]: r["depth"] for r in cited_by(db, [DECREE], transitive=True)}
    assert transitive == {"10/KH-UBND": 1, "204/KH-UBND": 1, "20/KH-UBND": 2, "30/QĐ-UBND": 2}
    plans = cited_by(db, [DECREE], doc_type="KH", transitive=True)
    assert {r["so_hieu"] for r in plans} == {"10/KH-UBND", "204/KH-UBND", "20/KH-UBND"}
    assert {r["so_hieu"] for r in cited_by(db, [DECREE], doc_type="quyết định", transitive=True)} == {"30/QĐ-UBND"}


def test_cited_by_names_each_citing_file_and_reads_only_the_edge_index_and_their_nodes(tmp_path):
    db = make_store(tmp_path / "v.db")
    assert {(r["so_hieu"], r["source"]) for r in cited_by(db, [DECREE])} == {("10/KH-UBND", "a.txt"),
                                                                            ("204/KH-UBND", "d.txt")}
    read = []
    db.conn.set_trace_callback(read.append)
    cited_by(db, [DECREE])
    db.conn.set_trace_callback(None)
    (sql,) = [q for q in read if "where e.target = " in q]  # as run, its parameter written in
    plan = [row[3] for row in db.execute("explain query plan " + sql)]
    assert any("COVERING INDEX edges_target" in step for step in plan), plan
    assert not any("renditions" in step for step in plan) and len([s for s in plan if "SEARCH" in s]) == 2


def test_type_filter_accepts_abbreviations_and_names():
    assert type_filter("KH") == type_filter("Kế hoạch") == type_filter("ke hoach") == "ke hoach"
    assert type_filter("QĐ") == type_filter("qd") == "quyet dinh"
    assert type_filter(None) is None


def test_find_nodes_by_typed_id_or_file(tmp_path):
    db = make_store(tmp_path / "v.db")
    assert [n["node_id"] for n in find_nodes(db, "nd 45/2020")] == [DECREE]
    assert [n["node_id"] for n in find_nodes(db, "d.txt")] == [D]
    assert len(find_nodes(db, "14/CT-TTg")) == 2
    assert find_nodes(db, "nd 99/2099") == []


def test_exports_parse_back(tmp_path):
    db = make_store(tmp_path / "v.db")
    export_graph(db, "graphml", tmp_path / "g.graphml")
    graphml = nx.read_graphml(tmp_path / "g.graphml")
    assert graphml.number_of_nodes() == db["nodes"].count and graphml.number_of_edges() == db["edges"].count
    assert graphml.nodes[DECREE]["so_hieu"] == "45/2020/NĐ-CP"
    gexf = nx.read_gexf(tmp_path / "g.gexf") if export_graph(db, "gexf", tmp_path / "g.gexf") else None
    assert gexf.number_of_nodes() == db["nodes"].count
    data = json.loads(export_graph(db, "json"))
    assert len(data["nodes"]) == db["nodes"].count and len(data["edges"]) == db["edges"].count


def test_draw_writes_a_png(tmp_path):
    db = make_store(tmp_path / "v.db")
    out = draw(db, [A], tmp_path / "a.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
