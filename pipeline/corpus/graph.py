"""The citation graph: every document, stored or only cited, and who cites whom.

A node is one document, identified by (số hiệu, year, jurisdiction) because numbers
restart every year: `14/CT-TTg|2018|national` and `14/CT-TTg|2019|national` are two
directives. A stored document and the citations of it are one node; a document only
cited is a node marked absent; a stored document with no số hiệu that no citation
matches is `doc:<doc_id>`.

`build_graph(db)` (re)writes two tables anyone can query with SQL or Datasette:

    nodes(node_id, so_hieu, year, jurisdiction, type, date, title, doc_id, doc_ids, absent, cited_by, cites)
    edges(doc_id, ref_seq, source, target, relation, n_mentions)   -- one row per refs row

e.g. which plans cite Nghị định 45/2020/NĐ-CP:

    select s.so_hieu, s.title from edges e join nodes s on s.node_id = e.source
    where e.target = '45/2020/NĐ-CP|2020|national' and s.type = 'Kế hoạch';

`load_graph(db)` gives the same as a networkx MultiDiGraph for algorithms and export.
"""
from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import networkx as nx
import sqlite_utils
from tqdm import tqdm

from vanban.models.knowledge import doc_types
from vanban.models.vietnamese import fold
from vanban.pipeline.corpus.resolve import document_matches, match_id, resolve_corpus
from vanban.pipeline.store.search import find_document

EXPORT_FORMATS = ("graphml", "gexf", "json")
RELATION_COLORS = {"legal_basis": "#1f77b4", "implements": "#2ca02c", "guides": "#9467bd", "amends": "#d62728",
                   "replaces": "#d62728", "repeals": "#d62728", "mentions": "#9a9a9a"}


@dataclass
class GraphSummary:
    nodes: int
    absent: int
    edges: int

    def lines(self) -> list[str]:
        return [f"nodes: {self.nodes} ({self.nodes - self.absent} stored, {self.absent} only cited)",
                f"edges: {self.edges}"]


def node_key(so_hieu: str, year: Optional[int], jurisdiction: Optional[str]) -> str:
    """'204/KH-UBND', 2021, 'Tuyên Quang' → '204/KH-UBND|2021|Tuyên Quang' (unknown parts empty)."""
    return f"{so_hieu}|{year or ''}|{jurisdiction or ''}"


def build_graph(db: sqlite_utils.Database) -> GraphSummary:
    """Resolve the corpus, then rewrite the nodes and edges tables from documents and refs."""
    resolve_corpus(db)
    documents = list(db.query("select doc_id, so_hieu, type, date, title, source_name from documents order by source"))
    refs = list(db.query("select doc_id, seq, ref_id, type, date, title, relation, n_mentions, resolved_year, "
                         "resolved_jurisdiction from refs order by doc_id, seq"))
    matches = document_matches(db)
    nodes: dict[str, dict] = {}
    doc_node: dict[str, str] = {}
    for doc in documents:
        match = matches.get(doc["doc_id"], {})
        key = (node_key(match["resolved_id"], match["resolved_year"], match["jurisdiction"])
               if match.get("resolved_id") else f"doc:{doc['doc_id']}")
        doc_node[doc["doc_id"]] = key
        node = nodes.get(key)
        if node:  # the same document stored twice (a PDF and its text): one node
            node["doc_ids"].append(doc["doc_id"])
            continue
        nodes[key] = {"node_id": key, "so_hieu": match.get("resolved_id"), "year": match.get("resolved_year"),
                      "jurisdiction": match.get("jurisdiction"), "type": doc["type"],
                      "date": match.get("resolved_date") or doc["date"], "title": doc["title"],
                      "doc_id": doc["doc_id"], "doc_ids": [doc["doc_id"]], "absent": False}
    cited: dict[str, list] = defaultdict(list)
    edges = []
    for ref in refs:
        target = node_key(ref["ref_id"], ref["resolved_year"], ref["resolved_jurisdiction"])
        source = doc_node[ref["doc_id"]]
        if target == source:
            continue
        cited[target].append(ref)
        edges.append({"doc_id": ref["doc_id"], "ref_seq": ref["seq"], "source": source, "target": target,
                      "relation": ref["relation"], "n_mentions": ref["n_mentions"]})
    for key, citations in cited.items():
        if key not in nodes:
            nodes[key] = _absent_node(key, citations)
    _count_degrees(nodes, edges)
    rows = [{**n, "doc_ids": json.dumps(n["doc_ids"])} for n in nodes.values()]
    with db.atomic():
        for table in ("edges", "nodes"):
            if table in db.table_names():
                db[table].drop()
        db["nodes"].create({"node_id": str, "so_hieu": str, "year": int, "jurisdiction": str, "type": str,
                            "date": str, "title": str, "doc_id": str, "doc_ids": str, "absent": bool,
                            "cited_by": int, "cites": int}, pk="node_id")
        db["edges"].create({"doc_id": str, "ref_seq": int, "source": str, "target": str, "relation": str,
                            "n_mentions": int}, pk=("doc_id", "ref_seq"),
                           foreign_keys=[("source", "nodes", "node_id"), ("target", "nodes", "node_id")])
        db["nodes"].insert_all(rows)
        db["edges"].insert_all(edges)
        db["edges"].create_index(["target"])
        db["edges"].create_index(["source"])
        db["meta"].upsert({"key": "graph_fingerprint", "value": _fingerprint(db)}, pk="key")
    return GraphSummary(len(nodes), sum(n["absent"] for n in nodes.values()), len(edges))


def _absent_node(key: str, citations: list[dict]) -> dict:
    """A document known only from citations: the type, title and date they give most often."""
    def most_common(field: str):
        counts = Counter(c[field] for c in citations if c[field])
        return max(counts, key=lambda v: (counts[v], len(v))) if counts else None

    so_hieu, year, jurisdiction = key.split("|")
    return {"node_id": key, "so_hieu": so_hieu, "year": int(year) if year else None,
            "jurisdiction": jurisdiction or None, "type": most_common("type"), "date": most_common("date"),
            "title": most_common("title"), "doc_id": None, "doc_ids": [], "absent": True}


def _count_degrees(nodes: dict, edges: list[dict]) -> None:
    """cited_by / cites: how many distinct nodes cite it / it cites."""
    pairs = {(e["source"], e["target"]) for e in edges}
    cited_by, cites = Counter(t for _, t in pairs), Counter(s for s, _ in pairs)
    for key, node in nodes.items():
        node["cited_by"], node["cites"] = cited_by[key], cites[key]


def _fingerprint(db: sqlite_utils.Database) -> str:
    """Changes whenever a document is (re)ingested or removed."""
    row = next(db.query("select count(*) as n, max(ingested_at) as at, "
                        "(select count(*) from refs) as r, (select total(n_mentions) from refs) as m from documents"))
    return f"{row['n']}|{row['at']}|{row['r']}|{row['m']}"


def ensure_graph(db: sqlite_utils.Database) -> None:
    """Build the graph unless it is up to date with the store."""
    if "nodes" in db.table_names() and "meta" in db.table_names():
        stored = next(db.query("select value from meta where key = 'graph_fingerprint'"), None)
        if stored and stored["value"] == _fingerprint(db):
            return
    build_graph(db)


def load_graph(db: sqlite_utils.Database) -> nx.MultiDiGraph:
    """The citation graph as networkx: node attributes from `nodes`, one edge per citing row.

    Edge keys are 'doc_id:ref_seq'; attributes that are unknown are left out, so the
    graph writes to GraphML and GEXF as it is.
    """
    ensure_graph(db)
    graph = nx.MultiDiGraph()
    for node in db["nodes"].rows:
        attrs = {k: v for k, v in node.items() if v is not None and k not in ("node_id", "doc_ids")}
        attrs["absent"] = bool(node["absent"])
        attrs["label"] = label(node)
        graph.add_node(node["node_id"], **attrs)
    for edge in db["edges"].rows:
        graph.add_edge(edge["source"], edge["target"], key=f"{edge['doc_id']}:{edge['ref_seq']}",
                       relation=edge["relation"], n_mentions=edge["n_mentions"], doc_id=edge["doc_id"])
    return graph


def label(node: dict) -> str:
    """'14/CT-TTg (2019)', or the file of a stored document without a number."""
    if node.get("so_hieu"):
        return f"{node['so_hieu']} ({node['year']})" if node.get("year") else node["so_hieu"]
    return (node.get("title") or node["node_id"])[:40]


def find_nodes(db: sqlite_utils.Database, text: str) -> list[dict]:
    """The nodes a user means by text: a số hiệu typed leniently, or a stored file / doc_id.

    'nd 45/2020' → [the node 45/2020/NĐ-CP|2020|national]; '14/CT-TTg' → both years.
    """
    ensure_graph(db)
    nodes = {n["node_id"]: n for n in db["nodes"].rows}
    found = [nodes[k] for k in match_id(text, nodes)]
    if found:
        return found
    doc = find_document(db, text)
    if doc:
        return [n for n in nodes.values() if doc["doc_id"] in json.loads(n["doc_ids"])]
    return []


def cites(db: sqlite_utils.Database, node_ids: Iterable[str]) -> list[dict]:
    """What the given nodes cite, in the order the citing text first names them."""
    ensure_graph(db)
    out, seen = [], set()
    for node_id in node_ids:
        for row in db.query(
                """select e.source as citing, e.relation, n.so_hieu, n.year, n.jurisdiction, n.type,
                          max(e.n_mentions) as n_mentions, n.absent, n.title, n.node_id
                   from edges e join nodes n on n.node_id = e.target where e.source = ?
                   group by n.node_id, e.relation order by min(e.ref_seq)""", [node_id]):
            if (row["citing"], row["node_id"], row["relation"]) not in seen:
                seen.add((row["citing"], row["node_id"], row["relation"]))
                out.append({**row, "absent": bool(row["absent"])})
    return out


def cited_by(db: sqlite_utils.Database, node_ids: Iterable[str], doc_type: Optional[str] = None,
             transitive: bool = False) -> list[dict]:
    """Who cites the given nodes; with transitive, who cites those, and so on (depth says how far).

    doc_type keeps citing documents of one type, by ký hiệu or name: 'KH', 'Kế hoạch', 'ke hoach'.
    A plan citing a decision that cites the decree is found at depth 2 even when doc_type
    leaves the decision out.
    """
    ensure_graph(db)
    wanted_type = type_filter(doc_type)
    frontier, seen, out = list(node_ids), set(node_ids), []
    depth = 0
    while frontier and (depth == 0 or transitive):
        depth += 1
        next_frontier = []
        for target in frontier:
            for row in db.query(
                    """select n.node_id, n.so_hieu, n.year, n.type, n.jurisdiction, group_concat(distinct e.relation) as relation,
                              max(e.n_mentions) as n_mentions, n.title, n.absent,
                              group_concat(distinct d.source_name) as source, e.target as via
                       from edges e join nodes n on n.node_id = e.source left join documents d on d.doc_id = e.doc_id
                       where e.target = ? group by n.node_id order by n.year, n.so_hieu""", [target]):
                if row["node_id"] in seen:
                    continue
                seen.add(row["node_id"])
                next_frontier.append(row["node_id"])
                if wanted_type is None or fold(row["type"] or "") == wanted_type:
                    out.append({"depth": depth, **row, "absent": bool(row["absent"])})
        frontier = next_frontier
    return out


def type_filter(text: Optional[str]) -> Optional[str]:
    """'KH' / 'Kế hoạch' / 'ke hoach' → 'ke hoach' (the folded type name); None for no filter."""
    if not text:
        return None
    folded = fold(text.strip())
    for t in doc_types():
        if folded in (fold(t.name), fold(t.abbreviation)):
            return fold(t.name)
    return folded


def export_graph(db: sqlite_utils.Database, fmt: str, out: Path | None = None, progress: bool = False) -> str:
    """The graph as GraphML, GEXF or node-link JSON; written to out, or returned as text.

    progress shows a bar of the two steps (load, write) on stderr.
    """
    bar = tqdm(total=2, unit="step", disable=not progress, file=sys.stderr, desc="graph: load")
    graph = load_graph(db)
    bar.update()
    bar.set_description(f"graph: {fmt}")
    if fmt == "json":
        text = json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, indent=1)
    elif fmt == "graphml":
        text = "\n".join(nx.generate_graphml(graph))
    elif fmt == "gexf":
        text = "\n".join(nx.generate_gexf(graph))
    else:
        raise ValueError(f"unknown graph format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if out:
        Path(out).write_text(text, encoding="utf-8")
    bar.update()
    bar.close()
    return text


def neighbourhood(db: sqlite_utils.Database, node_ids: Iterable[str]) -> nx.MultiDiGraph:
    """The nodes, what they cite and what cites them, with only the edges touching the nodes."""
    graph = load_graph(db)
    centre = set(node_ids)
    edges = [(u, v, k) for u, v, k in graph.edges(keys=True) if u in centre or v in centre]
    around = graph.edge_subgraph(edges).copy()
    around.add_nodes_from((n, graph.nodes[n]) for n in centre)
    return around


def draw(db: sqlite_utils.Database, node_ids: list[str], out: Path) -> Path:
    """A picture of the neighbourhood: citing documents left, the document centre, cited right.

    Blue: stored; grey: only cited; edge colour is the relation. The file type follows
    out's suffix (.png, .svg, .pdf).
    """
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    graph = neighbourhood(db, node_ids)
    centre = set(node_ids)
    def order(node: str) -> tuple:
        relations = {d["relation"] for *_, d in graph.edges(node, data=True)} | \
                    {d["relation"] for *_, d in graph.in_edges(node, data=True)}
        return ("mentions" in relations and len(relations) == 1, graph.nodes[node].get("type") or "", node)

    left = sorted((n for n in graph if n not in centre and any(graph.has_edge(n, c) for c in centre)), key=order)
    right = sorted((n for n in graph if n not in centre and n not in left), key=order)
    rows = max(len(left), len(right), len(centre), 1)
    positions = {}
    for x, column in ((0.0, left), (1.0, sorted(centre)), (2.0, right)):
        for i, node in enumerate(column):
            positions[node] = (x, -(i - (len(column) - 1) / 2))
    fig, ax = plt.subplots(figsize=(12, max(3.0, 0.32 * rows)))
    colors = ["#ff9f40" if n in centre else "#cccccc" if graph.nodes[n].get("absent") else "#7fb3e6" for n in graph]
    edge_colors = [RELATION_COLORS.get(d.get("relation"), "#9a9a9a") for _, _, d in graph.edges(data=True)]
    nx.draw_networkx_nodes(graph, positions, node_color=colors, node_size=120, ax=ax)
    nx.draw_networkx_edges(graph, positions, edge_color=edge_colors, arrows=True, arrowsize=8, width=0.8,
                           alpha=0.7, ax=ax, connectionstyle="arc3,rad=0.05")
    for node, (x, y) in positions.items():
        ha = "right" if x < 1 else "left" if x > 1 else "center"
        ax.text(x + (-0.04 if x < 1 else 0.04 if x > 1 else 0), y + (0.35 if x == 1 else 0),
                graph.nodes[node].get("label", node), fontsize=7, ha=ha, va="center")
    for relation, color in RELATION_COLORS.items():
        if relation in {d.get("relation") for _, _, d in graph.edges(data=True)}:
            ax.plot([], [], color=color, label=relation)
    ax.legend(loc="lower center", fontsize=7, ncol=4, frameon=False, bbox_to_anchor=(0.5, 1.0))
    ax.set_xlim(-1.2, 3.2)
    ax.axis("off")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return out
