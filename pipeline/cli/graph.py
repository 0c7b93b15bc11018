"""Citation-graph commands: cites, cited-by, graph build/export/draw.

    vanban cited-by "nd 45/2020" --type KH          # which plans cite Nghị định 45/2020/NĐ-CP
    vanban cites 187/KH-UBND --csv
    vanban graph export --format graphml -o outputs/citations.graphml
    vanban graph draw 204/KH-UBND -o outputs/204.png
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from vanban.pipeline.corpus import graph
from vanban.pipeline import store

CITES_COLUMNS = ["relation", "so_hieu", "year", "jurisdiction", "type", "n_mentions", "absent", "title"]
CITED_BY_COLUMNS = ["depth", "so_hieu", "year", "type", "jurisdiction", "relation", "n_mentions", "source", "title"]


def output_options(command):
    """--json / --csv: rows for scripts instead of a table."""
    command = click.option("--csv", "as_csv", is_flag=True, help="Print rows as CSV.")(command)
    return click.option("--json", "as_json", is_flag=True, help="Print rows as JSON.")(command)


def emit(rows: list[dict], as_json: bool, as_csv: bool, columns: list[str]) -> None:
    from vanban.pipeline.cli.main import emit_rows

    emit_rows(rows, "json" if as_json else "csv" if as_csv else "table", columns)


def _nodes(db, text: str, stored_only: bool = False) -> list[dict]:
    """The nodes text names, or a usage error that says what to try."""
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
@output_options
def cites(doc, db_path, as_json, as_csv):
    """What a document cites: relation, số hiệu, year, jurisdiction, whether it is stored.

    DOC is a số hiệu typed any way (187/KH-UBND, kh 187), a file name or a doc_id.
    Example:  vanban cites 206/KH-UBND --csv
    """
    db = store.open_db(db_path)
    rows = graph.cites(db, [n["node_id"] for n in _nodes(db, doc, stored_only=True)])
    emit(rows, as_json, as_csv, CITES_COLUMNS + (["node_id"] if as_json or as_csv else []))


@click.command(name="cited-by")
@click.argument("doc")
@click.option("--type", "doc_type", default=None, help="Only citing documents of this type: KH, QĐ, 'Kế hoạch' …")
@click.option("--transitive", is_flag=True, help="Also documents citing the citing documents, at any depth.")
@output_options
def cited_by(doc, db_path, doc_type, transitive, as_json, as_csv):
    """Which documents cite DOC (a số hiệu typed any way: '45/2020/NĐ-CP', 'nd 45/2020').

    Example:  vanban cited-by "nd 45/2020" --type KH   (which plans cite Nghị định 45/2020/NĐ-CP)
    """
    db = store.open_db(db_path)
    nodes = _nodes(db, doc)
    rows = graph.cited_by(db, [n["node_id"] for n in nodes], doc_type, transitive)
    # "via" tells which of several matched documents (or which step of a chain) is cited
    columns = CITED_BY_COLUMNS + (["node_id", "via"] if as_json or as_csv
                                  else ["via"] if transitive or len(nodes) > 1 else [])
    emit(rows, as_json, as_csv, columns)
    if not rows:
        click.echo("no stored document cites it", err=True)


@click.group(name="graph")
def graph_group():
    """The citation graph: nodes are documents (số hiệu, year, jurisdiction), edges are citations.

    Stored in the tables nodes and edges of the database, rebuilt when the store changes.
    """


@graph_group.command(name="build")
def build(db_path):
    """Resolve years and header-less documents across the store, then rebuild nodes and edges."""
    summary = graph.build_graph(store.open_db(db_path))
    click.echo("\n".join(summary.lines()))


@graph_group.command(name="export")
@click.option("--format", "fmt", type=click.Choice(graph.EXPORT_FORMATS), default="graphml", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File to write (default: stdout).")
def export(db_path, fmt, output):
    """Write the whole graph for Gephi, yEd, Cytoscape (graphml, gexf) or scripts (node-link json).

    Example:  vanban graph export --format gexf -o outputs/citations.gexf
    """
    text = graph.export_graph(store.open_db(db_path), fmt, output)
    if output:
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text + "\n")


@graph_group.command(name="draw")
@click.argument("doc")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Picture to write: .png, .svg or .pdf (default: outputs/graph_<số hiệu>.png).")
def draw(doc, db_path, output):
    """Draw DOC with what cites it (left) and what it cites (right).

    Example:  vanban graph draw 204/KH-UBND -o outputs/204.png
    """
    db = store.open_db(db_path)
    nodes = _nodes(db, doc)
    if output is None:
        name = "".join(c if c.isalnum() else "_" for c in (nodes[0]["so_hieu"] or nodes[0]["node_id"]))
        output = Path("outputs") / f"graph_{name}.png"
    graph.draw(db, [n["node_id"] for n in nodes], output)
    click.echo(f"wrote {output}", err=True)


def register(group: click.Group) -> None:
    """Add cites, cited-by and graph to the vanban command group, each with the shared --db option.

    vanban.pipeline.cli.main is imported here rather than at the top: `python -m vanban.pipeline.cli.main` loads
    cli.py a second time as vanban.pipeline.cli.main, and that copy registers feature commands while
    this module would still be loading.
    """
    from vanban.pipeline.cli.main import DB_OPTION

    for command in (cites, cited_by, build, export, draw):
        if not any(p.name == "db_path" for p in command.params):
            DB_OPTION(command)
    for command in (cites, cited_by, graph_group):
        group.add_command(command)
