"""The `vanban` command line. Each command is a thin layer over a Python function.

    vanban ingest corpus/                 # read, OCR, extract and store a folder
    vanban search "ke hoach chuyen doi so"
    vanban show 187/KH-UBND
    vanban export --format jsonl -o outputs/vanban.jsonl
    vanban eval --gold ../shared/gold
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from vanban.pipeline import store

DB_OPTION = click.option("--db", "db_path", type=click.Path(path_type=Path), default=store.DEFAULT_DB,
                         show_default=True, help="SQLite file to read or write.")


def emit_rows(rows: list[dict], fmt: str, columns: list[str]) -> None:
    """Print rows as a table for people, JSON or CSV for scripts."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return
    widths = {c: min(max([len(c)] + [len(str(r.get(c) if r.get(c) is not None else "")) for r in rows]), 60)
              for c in columns}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns))
    for r in rows:
        click.echo("  ".join(str(r.get(c) if r.get(c) is not None else "")[:60].ljust(widths[c]) for c in columns))


FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                             show_default=True, help="table for people; json or csv for scripts.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """vanban: document intelligence for Vietnamese official documents.

    Ingest a folder of PDFs (born-digital or scanned), DOCX, images, TXT/MD or JSONL;
    find each document's identity (số/ký hiệu, ngày, cơ quan ban hành, người ký),
    its references, targets and figures; store everything in one SQLite file.

    Start with:  vanban ingest corpus/   then   vanban search "chuyen doi so".
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@DB_OPTION
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: all cores).")
@click.option("--force", is_flag=True, help="Re-ingest files already in the store.")
@click.option("--strict", is_flag=True, help="Exit non-zero if any file fails.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def ingest(paths, db_path, jobs, force, strict, quiet, as_json):
    """Ingest files and folders into the store.

    Reads PDF (text layer, or OCR with Tesseract for scanned pages), DOCX, PNG/JPG/TIFF,
    TXT/MD and JSONL (one document per line with a "text" field). Each file is one
    transaction: re-running skips what is done, a killed batch resumes. Files that
    cannot be read are listed with their reason and logged in the ingest_log table.

    Example:  vanban ingest corpus/ --db outputs/vanban.db
    """
    from vanban.pipeline.reading.ingest import ingest as run_ingest

    summary = run_ingest(paths, db_path, jobs=jobs, force=force, progress=not quiet)
    if as_json:
        click.echo(json.dumps({"files": summary.files, "skipped": summary.skipped, "documents": summary.documents,
                               "pages": summary.pages, "ocr_pages": summary.ocr_pages,
                               "failures": [{"path": f.path, "reason": f.reason} for f in summary.failures]},
                              ensure_ascii=False, indent=1))
    else:
        click.echo("\n".join(summary.lines()))
    nothing = summary.files > 0 and summary.documents == 0 and summary.skipped == 0
    if nothing or (strict and summary.failures):
        sys.exit(1)


@main.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File to write (default: stdout).")
def export(db_path, fmt, output):
    """Export every document as JSON lines (the contract in shared/EXPORT.md)."""
    from vanban.pipeline.store.export import write_jsonl

    db = store.open_db(db_path)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            n = write_jsonl(db, fh)
        click.echo(f"wrote {n} documents to {output}", err=True)
    else:
        write_jsonl(db, sys.stdout)


@main.command(name="eval")
@DB_OPTION
@click.option("--gold", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("../shared/gold"),
              show_default=True, help="Folder of gold answers (identity.json, references/, targets/).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--errors", is_flag=True, help="List every disagreement with the gold.")
@click.option("--evidence-gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Also score DTI evidence: a JSON of indicator/province pairs (tests/fixtures/evidence_gold.json).")
def evaluate(db_path, gold, as_json, errors, evidence_gold):
    """Score the stored documents against gold answers: precision/recall/F1 per field.

    Documents are matched to gold by file stem and scored per corpus variant (the
    folder they came from: seeds as text, text-layer PDFs, scanned PDFs).
    """
    from vanban.pipeline.dev.evaluation.run import evaluate as run_eval, render

    db = store.open_db(db_path)
    report = run_eval(db, gold)
    if evidence_gold:
        from vanban.pipeline.dev.evaluation.evidence import score_evidence

        report["evidence"] = score_evidence(db, evidence_gold)
    click.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json else render(report, errors))


@main.command()
@click.argument("query")
@DB_OPTION
@click.option("--limit", default=20, show_default=True)
@FORMAT_OPTION
def search(query, db_path, limit, fmt):
    """Full-text search; diacritics optional: "ke hoach chuyen doi so" finds "Kế hoạch chuyển đổi số"."""
    from vanban.pipeline.store.search import search as run_search

    hits = run_search(store.open_db(db_path), query, limit)
    rows = [{"so_hieu": h.so_hieu, "source": h.source, "page": h.page, "kind": h.kind, "text": h.text} for h in hits]
    if fmt != "table":
        emit_rows(rows, fmt, list(rows[0]) if rows else ["so_hieu", "source", "page", "kind", "text"])
        return
    for h in hits:
        marked, pos = [], 0
        for a, b in h.highlights:
            if a >= pos:
                marked += [h.text[pos:a], click.style(h.text[a:b], bold=True, fg="yellow")]
                pos = b
        marked.append(h.text[pos:])
        click.echo(f"{h.so_hieu or '—'}  {Path(h.source).name} p.{h.page}  [{h.kind}]")
        click.echo("  " + "".join(marked)[:400])
    if not hits:
        click.echo("no match", err=True)


@main.command()
@click.argument("doc")
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="The export record as JSON.")
@click.option("--html", "as_html", is_flag=True, help="The text as HTML, references and figures highlighted.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, help="File for --html (default: stdout).")
def show(doc, db_path, as_json, as_html, output):
    """Show one document: identity, references and figures. DOC is a số hiệu, file name or id."""
    from vanban.pipeline.store.export import document_record
    from vanban.pipeline.store.search import find_document

    db = store.open_db(db_path)
    row = find_document(db, doc)
    if not row:
        raise click.ClickException(f"no document matches {doc!r}; try `vanban search` to find it")
    if as_html:
        from vanban.pipeline.reports.annotate import write_document_html

        page = write_document_html(db, row, output)
        click.echo(f"wrote {output}" if output else page, err=bool(output))
        return
    record = document_record(db, row)
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False, indent=1))
        return
    click.echo(f"{record['source']}  ({record['pages']} pages, {record['ocr_pages']} OCR)")
    for key, value in record["identity"].items():
        note = record["identity_notes"].get(key)
        click.echo(f"  {key:13} {value if value is not None else '—'}" + (f"   ({note})" if note else ""))
    for warning in record["warnings"]:
        click.echo(f"  note: {warning}")
    click.echo(f"references: {len(record['references'])}")
    for r in record["references"]:
        click.echo(f"  {r['relation']:12} {r['id']:24} {r['year'] or '':5} {r['jurisdiction'] or ''}")
    click.echo(f"measures: {len(record['measures'])}")
    for m in record["measures"]:
        click.echo(f"  {m['kind']:7} {m['value']:>14g} {m['unit']:6} {m['metric'] or ''}")


@main.command()
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("corpus"),
              show_default=True, help="Folder with pdf/, scanned/ and seeds/ (made by setup.sh).")
@click.option("--jobs", "-j", type=int, default=2, show_default=True, help="Parallel OCR processes, for both sides.")
@click.option("--ocr-pages", type=int, default=12, show_default=True,
              help="Scanned pages to OCR on each side (0 skips OCR, the slow part).")
@click.option("--audit-docs", type=int, default=10_000, show_default=True,
              help="Size of the synthetic corpus the audit is timed on (0 skips it).")
@click.option("--rounds", type=int, default=3, show_default=True,
              help="Text-layer rounds, raw and vanban taking turns; each side's best is reported.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def bench(corpus, jobs, ocr_pages, audit_docs, rounds, as_json):
    """Throughput per stage and peak memory, beside raw pypdfium2 and raw tesseract.

    Example:  vanban bench --jobs 2
    """
    from vanban.pipeline.dev.bench import render, run_bench

    report = run_bench(corpus, jobs=jobs, ocr_pages=ocr_pages, audit_docs=audit_docs, rounds=rounds)
    click.echo(json.dumps(report, indent=1) if as_json else render(report))


# Feature commands live in their own modules (pipeline/cli_<feature>.py), each with a
# register(group) function; add one line here per module.
COMMAND_MODULES: list[str] = ["vanban.pipeline.cli.graph", "vanban.pipeline.cli.audit", "vanban.pipeline.cli.evidence", "vanban.pipeline.cli.measures"]


def _register_feature_commands() -> None:
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(main)


_register_feature_commands()

if __name__ == "__main__":
    main()
