"""Figure commands: list targets, actuals and amounts; compare one metric across documents.

    vanban measures --kind target --metric "ho so cong viec"
    vanban measures --unit VND --province "Lạng Sơn" --format csv
    vanban measures compare --metric "hồ sơ công việc" -o outputs/ho_so.png
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from vanban.pipeline.cli.options import DB_OPTION, nothing_found, open_store
from vanban.pipeline.cli.output import Output, output_options, table
from vanban.pipeline.corpus import measures as mq


@click.group(name="measures", invoke_without_command=True)
@click.option("--kind", type=click.Choice(mq.KINDS), default=None, help="target (set), actual (reported) or other.")
@click.option("--metric", default=None, help="Words of the metric or quote; diacritics optional.")
@click.option("--unit", default=None, help="%, VND (or đồng) or a counted noun such as 'chứng thư số'.")
@click.option("--province", default=None, help="The issuing province, diacritics optional: 'lang son'.")
@click.option("--year", type=int, default=None, help="The year a figure is for (a target's deadline, an actual's date).")
@click.option("--doc", "doc", default=None, help="One document: số hiệu, file name or doc_id.")
@DB_OPTION
@output_options(noun="figures")
@click.pass_context
def measures(ctx, kind, metric, unit, province, year, doc, db_path, out):
    """Targets, actuals, percentages and amounts found in the stored documents.

    With no subcommand, lists the figures matching every option given: the table shows
    values as people write them ('55,82%', '216,3 tỷ đồng'), json/csv/nl the raw numbers.
    Exits 1 when no figure matches.
    `vanban measures compare --metric …` lines one metric up across documents and years.

    \b
    Examples:
      vanban measures --kind target --metric "ho so cong viec"
      vanban measures --unit VND --province "lang son" --format csv
      vanban measures compare --metric "hồ sơ công việc" -o outputs/ho_so.png
    """
    if ctx.invoked_subcommand is not None:
        return
    db = open_store(db_path)
    doc_id = None
    if doc:
        from vanban.pipeline.store.search import find_document

        row = find_document(db, doc)
        if not row:
            raise click.ClickException(f"no document matches {doc!r}; try a số hiệu such as 206/KH-UBND, "
                                       "a file name, or `vanban search`")
        doc_id = row["doc_id"]
    rows = mq.list_measures(db, kind=kind, metric=metric, unit=unit, province=province, year=year, doc_id=doc_id)
    out.rows([{c: r[c] for c in mq.DATA_COLUMNS} for r in rows], mq.TABLE_COLUMNS,
             table_rows=[{**r, "value": mq.format_value(r["value"], r["unit"])} for r in rows])
    if not rows:
        nothing_found("no figure matches")


@measures.command(name="compare")
@click.option("--metric", required=True, help="Words of the metric; diacritics optional: 'ho so cong viec'.")
@click.option("--province", default=None, help="Only documents of this province, diacritics optional.")
@click.option("--kind", type=click.Choice(mq.KINDS), default=None, help="Only targets, actuals or others.")
@DB_OPTION
@output_options(formats=("table", "json", "csv", "nl", "png", "html"), table_limit=0, file_only=("png", "html"),
                noun="figures")
@click.pass_context
def compare(ctx, metric, province, kind, db_path, out):
    """The same metric across documents and years, targets beside actuals.

    Figures are grouped by their metric with the levels (tại cấp tỉnh/huyện/xã) taken out,
    so the 90% / 80% / 60% of one sentence fall in one group, each row keeping its scope.
    json/csv/nl give one row per figure with its group. A chart (-o FILE.png, or .html
    for the chart and the tables): triangles are targets and circles actuals; each scope
    has its colour; figures without a year sit in a "no year" column.

    \b
    Example:
      vanban measures compare --metric "hồ sơ công việc" -o outputs/ho_so.png
    """
    groups = mq.compare_measures(open_store(_db_path(ctx, db_path)), metric, province=province, kind=kind)
    if not groups:
        nothing_found(f"no figure's metric or quote contains {metric!r}; "
                      "try fewer words, or `vanban measures` to see what is stored")
    groups = _cut(groups, out)
    if out.format in ("png", "html"):
        written, left_out = mq.draw_comparison(groups, out.target())
        out.wrote(detail=f" (the {left_out} smallest groups are not drawn)" if left_out else "")
    elif out.format != "table":
        out.rows(mq.comparison_rows(groups), mq.COMPARE_DATA_COLUMNS)
    else:
        out.write("\n\n".join(
            click.style(group.label, bold=True) + f"  ({group.unit}, {len(group.rows)} figures)\n"
            + table([{**r, "value": mq.format_value(r["value"], r["unit"])} for r in group.rows],
                    mq.COMPARE_TABLE_COLUMNS) for group in groups))


def _cut(groups: list[mq.MetricGroup], out: Output) -> list[mq.MetricGroup]:
    """The groups holding the first --limit figures, in order."""
    kept = out.cut([(i, row) for i, group in enumerate(groups) for row in group.rows])
    return [dataclasses.replace(group, rows=[row for j, row in kept if j == i])
            for i, group in enumerate(groups) if any(j == i for j, _ in kept)]


def _db_path(ctx: click.Context, db_path: Path) -> Path:
    """`vanban measures --db X compare` means X too: the group's --db counts when compare has none."""
    if ctx.get_parameter_source("db_path") == click.core.ParameterSource.DEFAULT:
        return ctx.parent.params.get("db_path") or db_path
    return db_path


def register(group: click.Group) -> None:
    """Add the measures group (and its compare command)."""
    group.add_command(measures)
