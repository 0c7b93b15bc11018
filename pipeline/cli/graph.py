"""Citation-graph commands: cites, cited-by, graph build/export/draw.

    vanban cited-by "nd 45/2020" --type KH          # which plans cite Nghị định 45/2020/NĐ-CP
    vanban cites 187/KH-UBND --format csv
    vanban graph export --format graphml -o outputs/citations.graphml
    vanban graph draw 204/KH-UBND -o outputs/204.png
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from vanban.pipeline.cli.options import DB_OPTION, QUIET_OPTION, nothing_found, open_store, show_progress
from vanban.pipeline.cli.output import check_output, output_options
from vanban.pipeline.corpus import graph

CITES_COLUMNS = ["relation", "so_hieu", "year", "jurisdiction", "type", "n_mentions", "absent", "title"]
CITED_BY_COLUMNS = ["depth", "so_hieu", "year", "type", "jurisdiction", "relation", "n_mentions", "source", "title"]


def _nodes(db, text: str, stored_only: bool = False) -> list[dict]:
    """The nodes text names, or an error that says what to try."""
    nodes = graph.find_nodes(db, text)
    if stored_only and any(n["doc_id"] for n in nodes):
        nodes = [n for n in nodes if n["doc_id"]]
    if not nodes:
        raise click.ClickException(f"no document matches {text!r}; try a số hiệu such as 45/2020/NĐ-CP, "
                                   "a file name, or `vanban search`")
    if len(nodes) > 1:
        click.echo("several documents match: " + ", ".join(n["node_id"] for n in nodes)
                   + " (add the year to pick one)", err=True)
    return nodes


@click.command()
@click.argument("doc")
@DB_OPTION
@output_options(noun="citations")
def cites(doc, db_path, out):
    """What a document cites: relation, số hiệu, year, jurisdiction, whether it is stored.

    DOC is a số hiệu typed any way (187/KH-UBND, kh 187), a file name or a doc_id.
    Exits 1 when it cites nothing.

    \b
    Example:
      vanban cites 206/KH-UBND --format csv -o outputs/206_cites.csv
    """
    db = open_store(db_path)
    rows = graph.cites(db, [n["node_id"] for n in _nodes(db, doc, stored_only=True)])
    out.rows(rows, CITES_COLUMNS)
    if not rows:
        nothing_found(f"{doc} cites no document")


@click.command(name="cited-by")
@click.argument("doc")
@click.option("--type", "doc_type", default=None, help="Only citing documents of this type: KH, QĐ, 'Kế hoạch' …")
@click.option("--transitive", is_flag=True, help="Also documents citing the citing documents, at any depth.")
@DB_OPTION
@output_options(noun="documents")
def cited_by(doc, doc_type, transitive, db_path, out):
    """Which documents cite DOC (a số hiệu typed any way: '45/2020/NĐ-CP', 'nd 45/2020').

    Exits 1 when no stored document cites it.

    \b
    Example:
      vanban cited-by "nd 45/2020" --type KH     # which plans cite Nghị định 45/2020/NĐ-CP
    """
    db = open_store(db_path)
    nodes = _nodes(db, doc)
    rows = graph.cited_by(db, [n["node_id"] for n in nodes], doc_type, transitive)
    # "via" tells which of several matched documents (or which step of a chain) is cited
    out.rows(rows, CITED_BY_COLUMNS + (["via"] if transitive or len(nodes) > 1 else []))
    if not rows:
        nothing_found(f"no stored document cites {doc}" + (f" among type {doc_type}" if doc_type else ""))


@click.group(name="graph")
def graph_group():
    """The citation graph: nodes are documents (số hiệu, year, jurisdiction), edges are citations.

    Stored in the tables nodes and edges of the database, rebuilt when the store changes.

    \b
    Example:
      vanban graph build && vanban graph draw 204/KH-UBND -o outputs/204.png
    """


@graph_group.command(name="build")
@DB_OPTION
@QUIET_OPTION
@click.option("--full", is_flag=True, help="Forget every derived value and work all of them out again "
                                           "(the same tables as the incremental update, which ingest runs).")
def build(db_path, quiet, full):
    """Bring the citation graph up to date: resolve years and header-less documents, group
    each document's renditions, update nodes and edges for what changed (--full: everything).

    \b
    Example:
      vanban graph build --full --db outputs/vanban.db    # nodes: 102 (5 stored, 97 only cited)
    """
    db = open_store(db_path)
    summary = graph.build_graph(db, full=full, progress=show_progress(quiet))
    totals = graph.graph_totals(db)
    click.echo("\n".join([f"nodes: {totals['nodes']} ({totals['stored']} stored, {totals['absent']} only cited)",
                          f"edges: {totals['edges']}", *summary.lines()]))


@graph_group.command(name="export")
@click.option("--format", "fmt", type=click.Choice(graph.EXPORT_FORMATS), default="graphml", show_default=True,
              help="graphml or gexf for Gephi, yEd, Cytoscape; json (node-link) for scripts.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, callback=check_output,
              metavar="FILE", help="Write to FILE instead of stdout.")
@DB_OPTION
@QUIET_OPTION
def export(fmt, output, db_path, quiet):
    """Write the whole graph for Gephi, yEd, Cytoscape (graphml, gexf) or scripts (node-link json).

    \b
    Example:
      vanban graph export --format gexf -o outputs/citations.gexf
    """
    db = open_store(db_path)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
    text = graph.export_graph(db, fmt, output, progress=show_progress(quiet))
    if output:
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text + "\n")


@graph_group.command(name="draw")
@click.argument("doc")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, callback=check_output,
              metavar="FILE", help="Picture to write: .png, .svg or .pdf (default: outputs/graph_<số hiệu>.png).")
@DB_OPTION
def draw(doc, output, db_path):
    """Draw DOC with what cites it (left) and what it cites (right).

    \b
    Example:
      vanban graph draw 204/KH-UBND -o outputs/204.png
    """
    db = open_store(db_path)
    nodes = _nodes(db, doc)
    if output is None:
        name = "".join(c if c.isalnum() else "_" for c in (nodes[0]["so_hieu"] or nodes[0]["node_id"]))
        output = Path("outputs") / f"graph_{name}.png"
    output.parent.mkdir(parents=True, exist_ok=True)
    graph.draw(db, [n["node_id"] for n in nodes], output)
    click.echo(f"wrote {output}", err=True)


def register(group: click.Group) -> None:
    """Add cites, cited-by and graph to the vanban command group."""
    for command in (cites, cited_by, graph_group):
        group.add_command(command)
