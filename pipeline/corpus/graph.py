"""The citation graph: every document, stored or only cited, and who cites whom.

A node is one document, identified by (số hiệu, year, jurisdiction) because numbers
restart every year: `14/CT-TTg|2018|national` and `14/CT-TTg|2019|national` are two
directives. The renditions of a stored document (its PDF, scan, text copy) and the
citations of it are one node; a document only cited is a node marked absent; a stored
document with no số hiệu that no citation matches is `doc:<doc_id>` (its header-less
twins join it).

`build_graph(db)` keeps two tables anyone can query with SQL or Datasette up to date,
looking only at what changed since the last update (new renditions, and what
`corpus_dirty` names); `build_graph(db, full=True)` works everything out again:

    nodes(node_id, so_hieu, id_key, id_number, year, jurisdiction, type, date, title, doc_id, doc_ids,
          absent, cited_by, cites)
    edges(doc_id, ref_seq, source, target, relation, n_mentions)   -- one row per citation of a
                                                                    -- document's primary rendition

and `graph_counts(name, n)` says how many nodes, only-cited nodes ('absent') and edges there
are, moved by each write (store.count_graph), not counted again.

e.g. which plans cite Nghị định 45/2020/NĐ-CP:

    select s.so_hieu, s.title from edges e join nodes s on s.node_id = e.source
    where e.target = '45/2020/NĐ-CP|2020|national' and s.type = 'Kế hoạch';

Lookups (`find_nodes`, `cites`, `cited_by`) go through the indexes on nodes(id_key),
nodes(id_number) and edges(target, source, …). `load_graph(db)` gives the whole graph as a
networkx MultiDiGraph for algorithms and export.
"""
from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import networkx as nx
from tqdm import tqdm
import sqlite_utils

from vanban.extras import need
from vanban.models.knowledge import doc_types
from vanban.models.vietnamese import fold
from vanban.pipeline.corpus.resolve import (TITLE_SIMILARITY, NewEvidence, ResolveSummary, folded_title, id_key,
                                            id_number, match_id, match_rendition, node_key, resolve_refs,
                                            resolve_stated, title_candidates, title_similarity, typed_numbers)
from vanban.pipeline.store import VOTED_COLUMNS, apply_votes, count_graph, edge_exists, vote
from vanban.pipeline.store.facets import scope_tokens
from vanban.pipeline.store.schema import DOCUMENT_COLUMNS, GRAPH_COUNTS, graph_counted
from vanban.pipeline.store.search import find_document
from vanban.pipeline.store.warm import read_ahead

EXPORT_FORMATS = ("graphml", "gexf", "json")
RELATION_COLORS = {"legal_basis": "#1f77b4", "implements": "#2ca02c", "guides": "#9467bd", "amends": "#d62728",
                   "replaces": "#d62728", "repeals": "#d62728", "mentions": "#9a9a9a"}


@dataclass
class GraphSummary:
    renditions: int  # renditions (re)matched by this update
    nodes: int  # nodes rewritten
    edges: int  # citation edges written or retargeted
    resolved: ResolveSummary = field(default_factory=ResolveSummary)  # what resolution found

    def lines(self) -> list[str]:
        return [f"renditions matched: {self.renditions}", f"nodes updated: {self.nodes}",
                f"edges updated: {self.edges}", *self.resolved.lines()]


def graph_totals(db: sqlite_utils.Database) -> dict:
    """How big the graph is: stored and only-cited nodes, edges (as graph_counts keeps them; counted
    over the tables if a row of it was deleted by hand)."""
    counts = dict(db.conn.execute("select name, n from graph_counts"))
    if set(counts) != set(GRAPH_COUNTS):
        counts = graph_counted(db.conn)
    return {"nodes": counts["nodes"], "stored": counts["nodes"] - counts["absent"], "absent": counts["absent"],
            "edges": counts["edges"]}


def build_graph(db: sqlite_utils.Database, full: bool = False, progress: bool = False) -> GraphSummary:
    """Bring the corpus tables up to date with the store, in one transaction.

    Incremental (the default) looks only at what changed since the last update: new
    renditions (node_id still null) and what `corpus_dirty` names (removed or replaced
    files). full=True forgets every derived value and works out all of them again;
    both give the same tables. progress: a bar over the renditions matched, on stderr.
    """
    with db.atomic():
        if full:
            _reset(db)
        return _update(db, progress)


def ensure_graph(db: sqlite_utils.Database) -> None:
    """Update the graph if anything changed since the last update (two index probes)."""
    conn = db.conn
    if conn.execute("select 1 from renditions where node_id is null limit 1").fetchone() or \
            conn.execute("select 1 from corpus_dirty limit 1").fetchone():
        build_graph(db)


def _reset(db: sqlite_utils.Database) -> None:
    for table in ("edges", "nodes", "document_matches", "titles", "cited_values", "corpus_dirty"):
        db.conn.execute(f"delete from [{table}]")
    db.conn.executemany("insert or replace into graph_counts (name, n) values (?, 0)",
                        [[name] for name in GRAPH_COUNTS])
    db.conn.execute("update renditions set node_id = null, is_primary = 0")
    db.conn.execute("update refs set resolved_year = null, resolved_jurisdiction = null, resolution_note = null")


def _update(db: sqlite_utils.Database, progress: bool = False) -> GraphSummary:
    conn = db.conn
    summary = ResolveSummary()
    pending = [r[0] for r in conn.execute("select doc_id from renditions where node_id is null order by rowid")]
    dirty = conn.execute("select kind, key from corpus_dirty").fetchall()
    touched = {key for kind, key in dirty if kind == "node"}
    ids = {key for kind, key in dirty if kind == "id"}
    recount = {key for kind, key in dirty if kind == "row"}  # cited by a removed rendition
    forced = set(ids)  # numbers whose citations or documents went: everything of them resolves again
    evidence = NewEvidence()
    stated = set()  # (document cited, citing rendition) of the new citations naming it in full
    own = {}  # rendition → its document, as its header names it (a local one's)
    for doc_id in pending:
        for ref_id, year, jurisdiction, rowid in conn.execute(
                "select ref_id, year, jurisdiction, rowid from refs where doc_id = ?", [doc_id]):
            ids.add(ref_id)
            evidence.cited(ref_id, year, jurisdiction, doc_id, rowid)
            if year is not None and jurisdiction is not None:
                stated.add((node_key(ref_id, year, jurisdiction), doc_id))
        for so_hieu, year, province, rowid in conn.execute(
                "select so_hieu, year, province, rowid from renditions where doc_id = ? and so_hieu is not null",
                [doc_id]):
            ids.add(so_hieu)
            evidence.stored(so_hieu, year, province, rowid)
            own[doc_id] = node_key(so_hieu, year, province)
    _read_ahead_update(db, stated, own, ids)
    # 1. citations: stated values, then the ids whose open citations may now resolve differently
    changed = resolve_stated(db, pending)
    changed.update(resolve_refs(db, sorted(ids), summary, evidence, forced))
    _index_cited_titles(db, changed)
    # 2. renditions: which document each is (new ones, and the ones what changed may re-key)
    todo = dict.fromkeys(pending)
    for so_hieu in sorted(ids):  # only a header without year or province takes them from citations
        todo.update(dict.fromkeys(r[0] for r in conn.execute(
            "select doc_id from renditions where so_hieu = ? and node_id is not null "
            "and (year is null or province is null)", [so_hieu])))
    for node in sorted(touched):
        todo.update(dict.fromkeys(r[0] for r in conn.execute("select doc_id from renditions where node_id = ?",
                                                             [node])))
    todo.update(dict.fromkeys(_headerless_cited_anew(db, changed)))
    matched = 0
    bar = tqdm(total=len(todo), unit="doc", desc="graph", disable=not progress, file=sys.stderr)
    while todo:
        doc_id = next(iter(todo))
        del todo[doc_id]
        old, new = _match(db, doc_id, summary)
        matched += 1
        bar.update(1)
        if old != new:
            touched.update(n for n in (old, new) if n)
            if old and old.startswith("doc:"):  # its header-less twins follow it
                todo.update(dict.fromkeys(r[0] for r in conn.execute(
                    "select doc_id from renditions where node_id = ?", [old])))
    bar.close()
    # 3. each touched document's best rendition, and the edges it gives; cited_by and what
    # citations say of a document (cited_values) move by the edges that appear or go, so a
    # decree cited a million times is not counted again
    targets: set[str] = set(recount)
    cited_by: Counter = Counter()
    votes: Counter = Counter()
    edges = 0
    before = {}  # every touched document's edges go first: a rendition moving between
    for node in sorted(touched):  # documents keeps its edges' keys
        before[node] = set()
        for target, *values in conn.execute(
                f"select e.target, {VOTED_COLUMNS} from edges e "
                "left join refs r on r.doc_id = e.doc_id and r.seq = e.ref_seq where e.source = ?", [node]):
            before[node].add(target)
            vote(votes, target, values, -1)
        count_graph(db, edges=-conn.execute("delete from edges where source = ?", [node]).rowcount)
    stored = {}  # node → has a rendition after this update
    new_edges: list[tuple] = []
    for node in sorted(touched):
        primary = _choose_primary(db, node)
        stored[node] = primary is not None
        after: set[str] = set()
        if primary:
            new_edges += _edges_of(db, node, primary, after, votes)
        cited_by.update(dict.fromkeys(after - before[node], 1))
        cited_by.subtract(dict.fromkeys(before[node] - after, 1))
        targets |= before[node] | after
    edges += _write_edges(db, new_edges)
    for (doc_id, seq), (old, new) in changed.items():  # citations retargeted in untouched documents
        row = conn.execute(f"select e.source, e.target, {VOTED_COLUMNS} from edges e "
                           "join refs r on r.doc_id = e.doc_id and r.seq = e.ref_seq "
                           "where e.doc_id = ? and e.ref_seq = ?", [doc_id, seq]).fetchone()
        if row and row[1] != new:
            source, was, *values = row
            vote(votes, was, values, -1)
            if new == source:
                count_graph(db, edges=-conn.execute("delete from edges where doc_id = ? and ref_seq = ?",
                                                    [doc_id, seq]).rowcount)
            else:
                had_new = edge_exists(db, source, new)
                conn.execute("update edges set target = ? where doc_id = ? and ref_seq = ?", [new, doc_id, seq])
                cited_by[new] += not had_new
                vote(votes, new, values, 1)
            cited_by[was] -= not edge_exists(db, source, was)
            targets.update((source, was, new))
            edges += 1
    _describe_only_cited(db, votes, stored, targets)
    # 4. the node rows of everything touched, with their degrees
    nodes = sorted(touched | targets)
    for node in nodes:
        if node in touched:
            _write_node(db, node, cited_by[node])
        else:
            _recount_node(db, node, cited_by[node], stored[node])
    conn.execute("delete from corpus_dirty")
    return GraphSummary(matched, len(nodes), edges, summary)


def _read_ahead_update(db: sqlite_utils.Database, stated: set[tuple], own: dict, ids: set[str]) -> None:
    """Start fetching what the update reads of the numbers the new renditions name (their open
    citations, their stored documents), of the documents they cite (their titles, where their
    new edges go, their rows, what citations say of them) and of their own documents, while it
    resolves and matches (warm.py; a large store only). In the order the update reads them: the
    reading threads take them first come, first served, and resolving, which comes first, had
    waited for its pages behind the edges' (fetched last, they were needed first)."""
    targets, theirs = {target for target, _ in stated}, set(own.values())
    read_ahead(db.conn, {"refs_open": ids, "renditions_number": ids, "cited_titles": targets,
                         "renditions_node": theirs, "edges_source": theirs,
                         "edges_target": {(target, own.get(doc_id, "")) for target, doc_id in stated},
                         "nodes": targets | theirs, "cited_values": targets})


def _describe_only_cited(db: sqlite_utils.Database, votes: Counter, stored: dict, targets: set) -> None:
    """What citations say of the documents not stored (cited_values), moved by this update's votes.

    A stored document is described by its primary rendition, so its citations' values are not
    kept (one random page fewer per citation of it); a document that lost its last rendition is
    counted again from its edges, and an only-cited one that gained a rendition drops its values.
    stored: touched nodes → have a rendition now; filled in here for the targets.
    """
    conn = db.conn
    absent_before = {}  # node → its row's absent flag before this update (None: no row)
    for node in sorted(targets | set(stored)):
        row = conn.execute("select absent from nodes where node_id = ?", [node]).fetchone()
        absent_before[node] = row[0] if row else None
        stored.setdefault(node, absent_before[node] == 0)
    recount = {node for node, now in stored.items() if absent_before[node] == 0 and not now}
    apply_votes(db, Counter({key: n for key, n in votes.items() if not stored[key[0]] and key[0] not in recount}))
    for node in sorted(recount | {node for node, now in stored.items() if now and absent_before[node]}):
        conn.execute("delete from cited_values where node_id = ?", [node])
    for node in sorted(recount):
        again: Counter = Counter()
        for values in conn.execute(f"select {VOTED_COLUMNS} from edges e join refs r "
                                   "on r.doc_id = e.doc_id and r.seq = e.ref_seq where e.target = ?", [node]):
            vote(again, node, values, 1)
        apply_votes(db, again)


def _index_cited_titles(db: sqlite_utils.Database, changed: dict) -> None:
    """Titles of the cited documents, once per (document, title), for header-less matching."""
    rows = set()
    for (doc_id, seq), (_, new) in changed.items():
        ref = db.conn.execute("select type, title, resolved_jurisdiction from refs where doc_id = ? and seq = ?",
                              [doc_id, seq]).fetchone()
        if ref and ref[1] and ref[0] and ref[2]:
            rows.add(("cited", new, ref[0], ref[2], folded_title(ref[1]), scope_tokens("cited", ref[0], ref[2])))
    db.conn.executemany("insert or ignore into titles (kind, key, type, jurisdiction, title, scope) "
                        "values (?, ?, ?, ?, ?, ?)", sorted(rows))


def _headerless_cited_anew(db: sqlite_utils.Database, changed: dict) -> list[str]:
    """Stored header-less renditions whose title a changed citation carries (they may now be it)."""
    cited = set()
    for (doc_id, seq) in changed:
        ref = db.conn.execute("select type, title, resolved_jurisdiction, ref_id, resolved_year from refs "
                              "where doc_id = ? and seq = ?", [doc_id, seq]).fetchone()
        # a document stored with its header is not a header-less one (match_rendition's rule)
        if ref and ref[0] and ref[1] and ref[2] and not db.conn.execute(
                "select 1 from renditions where so_hieu = ? and year is ? limit 1", ref[3:]).fetchone():
            cited.add(ref[:3])
    counts: dict = {}  # each word's rarity counted once for all the titles
    # only a title this similar can make a rendition that document: the others' matches stand
    return [c["key"] for type_, title, jurisdiction in sorted(cited)
            for c in title_candidates(db, "headerless", {"type": type_, "title": title, "province": jurisdiction},
                                      counts) if title_similarity(title, c["title"]) >= TITLE_SIMILARITY]


def _match(db: sqlite_utils.Database, doc_id: str, summary: ResolveSummary) -> tuple[Optional[str], str]:
    """Match one rendition; write its document_matches row and node id. (old node, new node)."""
    cursor = db.conn.execute("select * from renditions where doc_id = ?", [doc_id])
    doc = dict(zip([c[0] for c in cursor.description], cursor.fetchone()))
    row = match_rendition(db, doc, summary)
    node = row.pop("node_id")
    columns = ", ".join(row)
    db.conn.execute(f"insert or replace into document_matches ({columns}) values ({', '.join('?' * len(row))})",
                    list(row.values()))
    db.conn.execute("update renditions set node_id = ?, jurisdiction = ? where doc_id = ?",
                    [node, row["jurisdiction"], doc_id])
    if not doc["so_hieu"] and doc["title"] and doc["type"] and doc["province"]:
        db.conn.execute("insert or ignore into titles (kind, key, type, jurisdiction, title, scope) "
                        "values (?, ?, ?, ?, ?, ?)", ["headerless", doc_id, doc["type"], doc["province"],
                                                      folded_title(doc["title"]),
                                                      scope_tokens("headerless", doc["type"], doc["province"])])
    return doc["node_id"], node


def _choose_primary(db: sqlite_utils.Database, node: str) -> Optional[str]:
    """The rendition that speaks for a document: the larger share of text-layer pages,
    then a PDF or DOCX over a text copy, then the earliest stored."""
    rows = db.conn.execute("select doc_id, pages, ocr_pages, source_name, rowid from renditions where node_id = ?",
                           [node]).fetchall()
    if not rows:
        return None
    def rank(row):
        doc_id, pages, ocr_pages, name, rowid = row
        suffix = Path(name or "").suffix.lower()
        return ((ocr_pages or 0) / max(pages or 1, 1), FORMAT_RANK.get(suffix, len(FORMAT_RANK)), rowid)
    best = min(rows, key=rank)[0]
    db.conn.execute("update renditions set is_primary = (doc_id = ?) where node_id = ?", [best, node])
    return best


FORMAT_RANK = {".pdf": 0, ".docx": 1, ".doc": 1, ".odt": 1}  # then images, text and the rest


def _edges_of(db: sqlite_utils.Database, node: str, doc_id: str, targets: set, votes: Counter) -> list[tuple]:
    """The edge rows of a document's primary rendition (but the citations of itself); what they
    cite goes into targets, what they say of it into votes. Any edges the rendition had go."""
    rows = []
    for seq, ref_id, year, jurisdiction, relation, n_mentions, *values in db.conn.execute(
            "select r.seq, r.ref_id, r.resolved_year, r.resolved_jurisdiction, r.relation, r.n_mentions, "
            f"{VOTED_COLUMNS} from refs r where r.doc_id = ?", [doc_id]):
        target = node_key(ref_id, year, jurisdiction)
        if target != node:
            rows.append((doc_id, seq, node, target, relation, n_mentions))
            targets.add(target)
            vote(votes, target, values, 1)
    # its edges went with its document's (every touched document's go first); any left go here, counted
    count_graph(db, edges=-db.conn.execute("delete from edges where doc_id = ?", [doc_id]).rowcount)
    return rows


def _write_edges(db: sqlite_utils.Database, rows: list[tuple]) -> int:
    """Insert an update's edges in the order of the index by target: the leaves of edges_target
    they go to (a random one per citation) are then visited once each, in the order they lie
    on disk after a bulk build, where the order of the citing documents jumps between them."""
    db.conn.executemany("insert into edges (doc_id, ref_seq, source, target, relation, n_mentions) "
                        "values (?, ?, ?, ?, ?, ?)", sorted(rows, key=lambda row: (row[3], row[2])))
    count_graph(db, edges=len(rows))
    return len(rows)


def _recount_node(db: sqlite_utils.Database, node: str, cited_by_change: int, stored: bool) -> None:
    """A node only cited by what changed (its own renditions did not): a stored document's
    row changes only by its count of citing documents (one statement, not a rewrite); an
    only-cited one's, by what its citations say too."""
    if not stored:  # no rendition of its own either before or now
        _write_node(db, node, cited_by_change, only_cited=True)
    elif cited_by_change:
        db.conn.execute("update nodes set cited_by = cited_by + ? where node_id = ?", [cited_by_change, node])


def _write_node(db: sqlite_utils.Database, node: str, cited_by_change: int = 0, only_cited: bool = False) -> None:
    """The node row of one document: from its primary rendition, else from its citations, else none.

    cited_by_change: how many citing documents this update added (or, negative, removed);
    only_cited: the caller knows it has no rendition (so it cites nothing).
    """
    conn = db.conn
    old = conn.execute("select cited_by, id_key, id_number, absent from nodes where node_id = ?", [node]).fetchone()
    cited_by = (old[0] if old else 0) + cited_by_change
    cites = 0 if only_cited else \
        conn.execute("select count(distinct target) from edges where source = ?", [node]).fetchone()[0]
    primary = None if only_cited else conn.execute(
        "select d.doc_id, d.type, d.date, d.title, m.resolved_id, m.resolved_year, m.resolved_date, m.jurisdiction, "
        "d.issuer, d.source_name "
        "from renditions d left join document_matches m on m.doc_id = d.doc_id "
        "where d.node_id = ? and d.is_primary = 1", [node]).fetchone()
    if primary:
        doc_id, type_, date, title, so_hieu, year, resolved_date, jurisdiction, issuer, source_name = primary
        doc_ids = [r[0] for r in conn.execute("select doc_id from renditions where node_id = ? order by rowid", [node])]
        row = {"node_id": node, "so_hieu": so_hieu, "year": year, "jurisdiction": jurisdiction, "type": type_,
               "date": resolved_date or date, "title": title, "doc_id": doc_id, "doc_ids": json.dumps(doc_ids),
               "absent": 0, "issuer": issuer, "source_name": source_name}
    elif cited_by:
        said: dict = defaultdict(dict)
        for field, value, n in conn.execute("select field, value, n from cited_values where node_id = ?", [node]):
            said[field][value] = n
        row = {**_absent_node(node, said), "doc_ids": "[]", "absent": 1, "source_name": None}
    else:
        conn.execute("delete from nodes where node_id = ?", [node])
        if old:
            count_graph(db, nodes=-1, absent=-(old[3] == 1))
        return
    row.update(cited_by=cited_by, cites=cites, id_key=id_key(row["so_hieu"] or ""),
               id_number=id_number(row["so_hieu"] or ""))
    if old and tuple(old[1:]) == (row["id_key"], row["id_number"], row["absent"]):
        # the same lookup keys: an update that leaves their indexes alone (random pages fewer)
        changed = [c for c in row if c not in ("node_id", "id_key", "id_number", "absent")]
        conn.execute(f"update nodes set {', '.join(f'{c} = ?' for c in changed)} where node_id = ?",
                     [*(row[c] for c in changed), node])
    else:
        conn.execute(f"insert or replace into nodes ({', '.join(row)}) values ({', '.join('?' * len(row))})",
                     list(row.values()))
        count_graph(db, nodes=not old, absent=(row["absent"] == 1) - bool(old and old[3] == 1))


def _absent_node(key: str, said: dict) -> dict:
    """A document known only from citations: the type, title, date and issuer they give most often
    (said: field → {value: how many citations give it})."""
    def most_common(field: str):
        counts = said.get(field) or {}
        return max(counts, key=lambda v: (counts[v], len(v), v)) if counts else None

    so_hieu, year, jurisdiction = key.split("|")
    return {"node_id": key, "so_hieu": so_hieu, "year": int(year) if year else None,
            "jurisdiction": jurisdiction or None, "type": most_common("type"), "date": most_common("date"),
            "title": most_common("title"), "issuer": most_common("issuer"), "doc_id": None}


def load_graph(db: sqlite_utils.Database, node_ids: Optional[Iterable[str]] = None) -> nx.MultiDiGraph:
    """The citation graph as networkx: node attributes from `nodes`, one edge per citing row.

    Edge keys are 'doc_id:ref_seq'; attributes that are unknown are left out, so the
    graph writes to GraphML and GEXF as it is. With node_ids, only the edges touching
    them and the nodes at their ends, read through the edges' indexes.
    """
    ensure_graph(db)
    graph = nx.MultiDiGraph()
    if node_ids is None:
        nodes, edges = db["nodes"].rows, db["edges"].rows
    else:
        centre = sorted(set(node_ids))
        marks = ", ".join("?" * len(centre))
        edges = list(db.query(f"select * from edges where source in ({marks}) union "
                              f"select * from edges where target in ({marks})", centre + centre))
        ends = sorted(set(centre) | {e["source"] for e in edges} | {e["target"] for e in edges})
        nodes = [n for chunk in range(0, len(ends), 500) for n in db.query(
            f"select * from nodes where node_id in ({', '.join('?' * len(ends[chunk:chunk + 500]))})",
            ends[chunk:chunk + 500])]
    for node in nodes:
        attrs = {k: v for k, v in node.items() if v is not None and k not in ("node_id", "doc_ids")}
        attrs["absent"] = bool(node["absent"])
        attrs["label"] = label(node)
        graph.add_node(node["node_id"], **attrs)
    for edge in edges:
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
    Answered through indexes: the exact id key, else the nodes sharing the typed number.
    """
    ensure_graph(db)
    key = id_key(text)
    found = _node_rows(db, "select * from nodes where id_key = ?", [key]) if key else []
    if not found:
        candidates = {}
        for number in typed_numbers(text):
            candidates.update((n["node_id"], n) for n in _node_rows(db, "select * from nodes where id_number = ?",
                                                                    [number]))
        found = [candidates[k] for k in match_id(text, candidates)]
    if found:
        return found
    doc = find_document(db, text)
    if doc and doc.get("node_id"):
        return _node_rows(db, "select * from nodes where node_id = ?", [doc["node_id"]])
    return []


def _node_rows(db: sqlite_utils.Database, sql: str, params: list) -> list[dict]:
    cursor = db.conn.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def find_documents(db: sqlite_utils.Database, text: str) -> list[dict]:
    """The stored documents text names (one row each, its primary rendition): by số hiệu as
    the corpus resolved it (a header-less plan known by its citations' number too), by
    doc_id or by file name.

    'show 204/KH-UBND' finds the header-less plan seed 000 when another document cites it
    by that number with its title.
    """
    found = find_nodes(db, text)
    nodes = [n for n in found if n["doc_id"]]
    if nodes:
        return [row for n in nodes
                for row in db.query(f"select {DOCUMENT_COLUMNS} from documents where doc_id = ?", [n["doc_id"]])]
    if found:  # only cited: no file to look for by name (that look-up reads every path)
        return []
    doc = find_document(db, text)
    return [doc] if doc else []


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
    # from edges_target (covering) and each citing node's row: its file is its primary rendition's,
    # the one whose citations its edges are
    while frontier and (depth == 0 or transitive):
        depth += 1
        next_frontier = []
        for target in frontier:
            for row in db.query(
                    """select n.node_id, n.so_hieu, n.year, n.type, n.jurisdiction, group_concat(distinct e.relation) as relation,
                              max(e.n_mentions) as n_mentions, n.title, n.absent, n.source_name as source,
                              e.target as via
                       from edges e join nodes n on n.node_id = e.source
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
    return load_graph(db, node_ids)


def draw(db: sqlite_utils.Database, node_ids: list[str], out: Path) -> Path:
    """A picture of the neighbourhood: citing documents left, the document centre, cited right.

    Blue: stored; grey: only cited; edge colour is the relation. The file type follows
    out's suffix (.png, .svg, .pdf).
    """
    matplotlib = need("matplotlib", "vanban graph draw")
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
