"""`vanban audit`: missing, conflicting and malformed references across the corpus.

    vanban audit                                   # a table, by kind
    vanban audit --kind conflicting_date --format json
    vanban audit --format html -o outputs/audit.html
    vanban ingest inbox/ && vanban audit --fail-on conflicting_date   # exit 3 gates the job
"""
from __future__ import annotations

import json
import sys
from collections import Counter

import click

from vanban.pipeline import store
from vanban.pipeline.corpus.audit import KINDS
from vanban.pipeline.cli.main import DB_OPTION

FAIL_EXIT = 3


def register(group: click.Group) -> None:
    group.add_command(audit_command)


@click.command(name="audit")
@DB_OPTION
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS),
              help="Only findings of this kind (repeatable; default: every kind).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "html"]), default="table",
              show_default=True, help="table for people; json or csv for scripts; html for a report with links.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="File to write (default: stdout).")
@click.option("--fail-on", "fail_on", multiple=True, type=click.Choice([*KINDS, "any"]),
              help=f"Exit {FAIL_EXIT} when a finding of this kind exists (repeatable), to gate an ingestion job.")
@click.option("--bench", "bench_docs", type=int, default=None, hidden=True,
              help="Time the audit of a synthetic store of this many documents instead.")
def audit_command(db_path, kinds, fmt, output, fail_on, bench_docs):
    """Find what the corpus cites but lacks, and citations that contradict each other.

    Kinds: conflicting_date (17/NQ-CP cited as 09/3/2019 and as 07/3/2019),
    suspected_year_typo (04/KH-UBND of 11/01/2021 and of 11/01/2022, same subject),
    type_symbol_mismatch (Quyết định số 2323/BTTTT-THH), missing_number / missing_date
    (Số: /BC-STTTT, ngày  tháng 5 năm 2022), cites_future, unresolved, and
    missing_document: what to go and collect, most cited first, by issuer and type.

    Example:  vanban audit --format html -o outputs/audit.html
    """
    if bench_docs:
        from vanban.pipeline.dev.audit_bench import bench_audit

        click.echo(json.dumps(bench_audit(bench_docs), indent=1))
        return
    from vanban.pipeline.corpus.audit import audit
    from vanban.pipeline.reports.audit import RENDERERS

    gate = set(KINDS) if "any" in fail_on else set(fail_on)
    shown = set(kinds) or set(KINDS)
    findings = audit(store.open_db(db_path), kinds=shown | gate)
    text = RENDERERS[fmt]([f for f in findings if f.kind in shown])
    if output:
        with open(output, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        counts = Counter(f.kind for f in findings if f.kind in shown)
        click.echo(f"wrote {sum(counts.values())} findings to {output}: "
                   + (", ".join(f"{k} {n}" for k, n in counts.items()) or "none"), err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))
    failing = Counter(f.kind for f in findings if f.kind in gate)
    if failing:
        click.echo("failing: " + ", ".join(f"{k} {n}" for k, n in failing.items()), err=True)
        sys.exit(FAIL_EXIT)
