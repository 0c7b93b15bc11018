"""`vanban evidence`: ranked DTI indicator evidence for a province, as a table, JSON, CSV, XLSX or HTML."""
from __future__ import annotations

import json
from pathlib import Path

import click

from vanban.pipeline.cli.main import DB_OPTION, emit_rows


@click.command()
@click.option("--province", required=True, help='Province as written in the documents, e.g. "Tuyên Quang".')
@click.option("--year", type=int, default=None, help="Assessment year: picks the catalogue and prefers evidence of that year.")
@click.option("--indicator", "codes", multiple=True, help="Only this indicator code (repeatable), e.g. 6.8.")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx", "html"]), default="table",
              show_default=True, help="table for people; json/csv for scripts; xlsx/html to attach (need -o).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File to write.")
@click.option("--limit", default=3, show_default=True, help="Evidence items per indicator.")
@click.option("--threshold", type=float, default=None, help="Minimum score (default: vanban.pipeline.corpus.evidence.THRESHOLD).")
def evidence(province, year, codes, db_path, fmt, output, limit, threshold):
    """Find evidence for every DTI indicator of a province, best first.

    Each item names the document (số hiệu or file), page, quote, value and unit for
    figures, a score and a one-line reason. Indicators without evidence above the
    threshold are reported as such.

    Example:  vanban evidence --province "Tuyên Quang" --indicator 6.8 --format json
    """
    from vanban.models.dti import catalogue
    from vanban.pipeline import store
    from vanban.pipeline.corpus.evidence import THRESHOLD, find_evidence
    from vanban.pipeline.reports.evidence import write_html, write_xlsx

    threshold = THRESHOLD if threshold is None else threshold
    cat = catalogue(year)
    unknown = [c for c in codes if not cat.get(c)]
    if unknown:
        raise click.BadParameter(f"no indicator {', '.join(unknown)} in the {cat.version} catalogue", param_hint="--indicator")
    results = [r.as_dict() for r in find_evidence(store.open_db(db_path), province, year, list(codes) or None,
                                                  limit=limit, threshold=threshold, cat=cat)]
    if not any(r["evidence"] for r in results):
        click.echo(f"no evidence found for {province!r}; is the province spelt as in the documents "
                   f"(see `vanban search`)?", err=True)
    meta = dict(province=province, year=year, catalogue_version=cat.version, threshold=threshold)
    if fmt in ("xlsx", "html"):
        if not output:
            raise click.UsageError(f"--format {fmt} writes a file: add -o FILE")
        (write_xlsx if fmt == "xlsx" else write_html)(output, results, **meta)
        click.echo(f"wrote {sum(1 for r in results if r['evidence'])}/{len(results)} indicators with evidence "
                   f"to {output}", err=True)
        return
    if fmt == "json":
        text = json.dumps(results, ensure_ascii=False, indent=1)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            click.echo(text)
        return
    rows = []
    for r in results:
        best = r["evidence"][0] if r["evidence"] else {}
        rows.append({"indicator": r["indicator"], "name": r["name"] or "(unnamed)", "status": r["status"],
                     "document": best.get("document"), "page": best.get("page"),
                     "value": best.get("value"), "unit": best.get("unit"), "score": best.get("score"),
                     "quote": best.get("quote"), "reason": best.get("reason")})
    columns = ["indicator", "name", "status", "document", "page", "value", "unit", "score", "quote", "reason"]
    if output:
        import contextlib
        with open(output, "w", encoding="utf-8") as fh, contextlib.redirect_stdout(fh):
            emit_rows(rows, fmt, columns)
    else:
        emit_rows(rows, fmt, columns)


def register(group: click.Group) -> None:
    group.add_command(evidence)
