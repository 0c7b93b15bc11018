"""`vanban evidence`: ranked DTI indicator evidence for a province, as a table, JSON, CSV, XLSX or HTML.

    vanban evidence --province "Tuyên Quang" --indicator 6.8
    vanban evidence --province "Tuyên Quang" --year 2022 -o outputs/evidence.xlsx
"""
from __future__ import annotations

import click

from vanban.pipeline.cli.options import DB_OPTION, QUIET_OPTION, nothing_found, open_store, show_progress
from vanban.pipeline.cli.output import output_options

COLUMNS = ["indicator", "name", "status", "document", "page", "value", "unit", "score", "quote", "reason"]


@click.command()
@click.option("--province", required=True, help='Province as written in the documents, e.g. "Tuyên Quang".')
@click.option("--year", type=int, default=None, help="Assessment year: picks the catalogue and prefers evidence of that year.")
@click.option("--indicator", "codes", multiple=True, help="Only this indicator code (repeatable), e.g. 6.8.")
@click.option("--top", type=click.IntRange(min=1), default=3, show_default=True,
              help="Evidence items kept per indicator (json/nl/xlsx/html show them all; table and csv the best).")
@click.option("--threshold", type=float, default=None, help="Minimum score (default: vanban.pipeline.corpus.evidence.THRESHOLD).")
@DB_OPTION
@QUIET_OPTION
@output_options(formats=("table", "json", "csv", "nl", "xlsx", "html"), table_limit=0, noun="indicators")
def evidence(province, year, codes, top, threshold, db_path, quiet, out):
    """Find evidence for every DTI indicator of a province, best first.

    Each item names the document (số hiệu or file), page, quote, value and unit for
    figures, a score and a one-line reason. Indicators without evidence above the
    threshold are reported as such; exits 1 when no indicator has any.

    \b
    Example:
      vanban evidence --province "Tuyên Quang" --indicator 2.1 --format json
      (2.1 is proven by Nghị quyết 48-NQ/TU về chuyển đổi số)
      vanban evidence --province "Tuyên Quang" -o outputs/evidence.xlsx
    """
    from vanban.models.dti import catalogue
    from vanban.pipeline.corpus.evidence import THRESHOLD, find_evidence
    from vanban.pipeline.reports.evidence import render_html, write_xlsx

    threshold = THRESHOLD if threshold is None else threshold
    cat = catalogue(year)
    unknown = [c for c in codes if not cat.get(c)]
    if unknown:
        raise click.BadParameter(f"no indicator {', '.join(unknown)} in the {cat.version} catalogue", param_hint="--indicator")
    db = open_store(db_path)
    results = [r.as_dict() for r in find_evidence(db, province, year, list(codes) or None, limit=top,
                                                  threshold=threshold, cat=cat, progress=show_progress(quiet))]
    results = out.cut(results)
    meta = dict(province=province, year=year, catalogue_version=cat.version, threshold=threshold)
    if out.format == "xlsx":
        write_xlsx(out.target(), results, **meta)
        out.wrote(len(results))
    elif out.format == "html":
        out.write(render_html(results, **meta), len(results))
    elif out.format in ("json", "nl"):
        out.rows(results, COLUMNS)
    else:
        out.rows([_best(r) for r in results], COLUMNS)
    if not any(r["evidence"] for r in results):
        nothing_found(f"no evidence found for {province!r}; is the province spelt as in the documents "
                      f"(see `vanban search`)?")


def _best(result: dict) -> dict:
    """An indicator and its best evidence, on one row."""
    best = result["evidence"][0] if result["evidence"] else {}
    return {"indicator": result["indicator"], "name": result["name"] or "(unnamed)", "status": result["status"],
            **{c: best.get(c) for c in COLUMNS[3:]}}


def register(group: click.Group) -> None:
    group.add_command(evidence)
