"""Figure commands: list targets, actuals and amounts; compare one metric across documents.

    vanban measures --kind target --metric "ho so cong viec"
    vanban measures --unit VND --province "Lạng Sơn" --format csv
    vanban measures compare --metric "hồ sơ công việc" -o outputs/ho_so.png
"""
from __future__ import annotations

from pathlib import Path

import click

from vanban.pipeline.corpus import measures as mq
from vanban.pipeline import store


@click.group(name="measures", invoke_without_command=True)
@click.option("--kind", type=click.Choice(mq.KINDS), default=None, help="target (set), actual (reported) or other.")
@click.option("--metric", default=None, help="Words of the metric or quote; diacritics optional.")
@click.option("--unit", default=None, help="%, VND (or đồng) or a counted noun such as 'chứng thư số'.")
@click.option("--province", default=None, help="The issuing province, diacritics optional: 'lang son'.")
@click.option("--year", type=int, default=None, help="The year a figure is for (a target's deadline, an actual's date).")
@click.option("--doc", "doc", default=None, help="One document: số hiệu, file name or doc_id.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table for people (values as '55,82%', '216,3 tỷ đồng'); json or csv with raw numbers.")
@click.option("--limit", type=int, default=100, show_default=True, help="At most this many rows; 0 for all.")
@click.pass_context
def measures(ctx, db_path, kind, metric, unit, province, year, doc, fmt, limit):
    """Targets, actuals, percentages and amounts found in the stored documents.

    With no subcommand, lists the figures matching every option given.
    `vanban measures compare --metric …` lines one metric up across documents and years.

    \b
    Examples:
      vanban measures --kind target --metric "ho so cong viec"
      vanban measures --unit VND --province "lang son" --format csv
      vanban measures compare --metric "hồ sơ công việc" -o outputs/ho_so.png
    """
    if ctx.invoked_subcommand is not None:
        return
    db = store.open_db(db_path)
    doc_id = None
    if doc:
        from vanban.pipeline.store.search import find_document

        row = find_document(db, doc)
        if not row:
            raise click.ClickException(f"no document matches {doc!r}; try a số hiệu such as 206/KH-UBND, "
                                       "a file name, or `vanban search`")
        doc_id = row["doc_id"]
    rows = mq.list_measures(db, kind=kind, metric=metric, unit=unit, province=province, year=year, doc_id=doc_id)
    total = len(rows)
    if limit:
        rows = rows[:limit]
    from vanban.pipeline.cli.main import emit_rows

    if fmt == "table":
        emit_rows([{**r, "value": mq.format_value(r["value"], r["unit"])} for r in rows], fmt, mq.TABLE_COLUMNS)
    else:
        emit_rows([{c: r[c] for c in mq.DATA_COLUMNS} for r in rows], fmt, mq.DATA_COLUMNS)
    if not total:
        click.echo("no figure matches", err=True)
    elif total > len(rows):
        click.echo(f"showing {len(rows)} of {total} figures; --limit 0 for all", err=True)


@measures.command(name="compare")
@click.option("--metric", required=True, help="Words of the metric; diacritics optional: 'ho so cong viec'.")
@click.option("--province", default=None, help="Only documents of this province, diacritics optional.")
@click.option("--kind", type=click.Choice(mq.KINDS), default=None, help="Only targets, actuals or others.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Chart to write: .png (x = year, y = value) or .html (the chart and the tables).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="table for people; json or csv with raw numbers, one row per figure with its group.")
@click.pass_context
def compare(ctx, db_path, metric, province, kind, output, fmt):
    """The same metric across documents and years, targets beside actuals.

    Figures are grouped by their metric with the levels (tại cấp tỉnh/huyện/xã) taken out,
    so the 90% / 80% / 60% of one sentence fall in one group, each row keeping its scope.
    In the chart, triangles are targets and circles actuals; each scope has its colour;
    figures without a year sit in a "no year" column.

    \b
    Example:
      vanban measures compare --metric "hồ sơ công việc" -o outputs/ho_so.png
    """
    db_path = _db_path(ctx, db_path)
    groups = mq.compare_measures(store.open_db(db_path), metric, province=province, kind=kind)
    if not groups:
        raise click.ClickException(f"no figure's metric or quote contains {metric!r}; "
                                   "try fewer words, or `vanban measures` to see what is stored")
    from vanban.pipeline.cli.main import emit_rows

    if fmt != "table":
        emit_rows(mq.comparison_rows(groups), fmt, mq.COMPARE_DATA_COLUMNS)
    else:
        for group in groups:
            click.echo(click.style(f"{group.label}", bold=True) + f"  ({group.unit}, {len(group.rows)} figures)")
            emit_rows([{**r, "value": mq.format_value(r["value"], r["unit"])} for r in group.rows], "table",
                      mq.COMPARE_TABLE_COLUMNS)
            click.echo()
    if output:
        written, left_out = mq.draw_comparison(groups, output)
        click.echo(f"wrote {written}" + (f" (the {left_out} smallest groups are not drawn)" if left_out else ""),
                   err=True)


def _db_path(ctx: click.Context, db_path: Path) -> Path:
    """`vanban measures --db X compare` means X too: the group's --db counts when compare has none."""
    if ctx.get_parameter_source("db_path") == click.core.ParameterSource.DEFAULT:
        return ctx.parent.params.get("db_path") or db_path
    return db_path


def register(group: click.Group) -> None:
    """Add the measures group (and its compare command) with the shared --db option.

    vanban.pipeline.cli.main is imported here, not at the top: `python -m vanban.pipeline.cli.main` loads cli.py
    a second time as vanban.pipeline.cli.main, which registers feature commands while this module loads.
    """
    from vanban.pipeline.cli.main import DB_OPTION

    for command in (measures, compare):
        if not any(p.name == "db_path" for p in command.params):
            DB_OPTION(command)
    group.add_command(measures)
