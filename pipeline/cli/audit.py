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

from vanban.pipeline.cli.options import DB_OPTION, EXIT_FAIL_ON, QUIET_OPTION, open_store, show_progress
from vanban.pipeline.cli.output import output_options
from vanban.pipeline.corpus.audit import KINDS


def register(group: click.Group) -> None:
    group.add_command(audit_command)


@click.command(name="audit")
@DB_OPTION
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS),
              help="Only findings of this kind (repeatable; default: every kind).")
@click.option("--fail-on", "fail_on", multiple=True, type=click.Choice([*KINDS, "any"]),
              help=f"Exit {EXIT_FAIL_ON} when a finding of this kind exists (repeatable), to gate an ingestion job.")
@click.option("--bench", "bench_docs", type=int, default=None, hidden=True,
              help="Time the audit of a synthetic store of this many documents instead.")
@QUIET_OPTION
@output_options(formats=("table", "json", "csv", "nl", "html"), table_limit=0, noun="findings")
def audit_command(db_path, kinds, fail_on, bench_docs, quiet, out):
    """Find what the corpus cites but lacks, and citations that contradict each other.

    Kinds: conflicting_date (17/NQ-CP cited as 09/3/2019 and as 07/3/2019),
    suspected_year_typo (04/KH-UBND of 11/01/2021 and of 11/01/2022, same subject),
    type_symbol_mismatch (Quyết định số 2323/BTTTT-THH), malformed_number (a ký hiệu
    that fits no known form: Nghị quyết số 48-NQ/T), missing_number / missing_date
    (Số: /BC-STTTT, ngày  tháng 5 năm 2022), cites_future, unresolved, and
    missing_document: what to go and collect, most cited first, by issuer and type.
    Finding nothing is a clean corpus: exit 0.

    \b
    Example:
      vanban audit --format html -o outputs/audit.html
      vanban audit --kind conflicting_date --fail-on any    # exit 3: 17/NQ-CP has two dates
    """
    if bench_docs:
        from vanban.pipeline.dev.audit_bench import bench_audit

        click.echo(json.dumps(bench_audit(bench_docs), indent=1))
        return
    from vanban.pipeline.corpus.audit import iter_audit
    from vanban.pipeline.reports.audit import WRITERS

    gate = set(KINDS) if "any" in fail_on else set(fail_on)
    shown = set(kinds) or set(KINDS)
    failing, counts = Counter(), Counter()
    # a bar on stderr, unless findings stream onto the same terminal (the table waits for the end)
    progress = show_progress(quiet) and not (out.path is None and out.format in ("json", "nl", "csv")
                                             and sys.stdout.isatty())

    def shown_findings():  # every format is written as the findings come: none is held
        for finding in iter_audit(open_store(db_path), kinds=shown | gate, progress=progress):
            if finding.kind in gate:
                failing[finding.kind] += 1
            if finding.kind in shown:
                yield finding

    def counted(findings):
        for finding in findings:
            counts[finding.kind] += 1
            yield finding

    with out.sink() as fh:
        WRITERS[out.format](counted(out.cut_stream(shown_findings())), fh)
        if out.format in ("json", "table"):  # the text ends on its last line
            fh.write("\n")
    if out.path:
        out.wrote(sum(counts.values()), ": " + (", ".join(f"{k} {n}" for k, n in counts.items()) or "none"))
    if failing:
        click.echo("failing: " + ", ".join(f"{k} {n}" for k, n in failing.items()), err=True)
        raise click.exceptions.Exit(EXIT_FAIL_ON)
