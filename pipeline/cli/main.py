"""The `vanban` command line. Each command is a thin layer over a Python function.

    vanban ingest corpus/                 # read, OCR, extract and store a folder
    vanban search "ke hoach chuyen doi so"
    vanban show 187/KH-UBND
    vanban export --format jsonl -o outputs/vanban.jsonl
    vanban eval --gold ../shared/gold

Options shared by every command live in options.py (--db, -q, exit codes) and output.py
(--format, -o, --limit).
"""
from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import click

from vanban.extras import MissingExtra
from vanban.pipeline.cli.options import (DB_OPTION, QUIET_OPTION, check_store_file, nothing_found, open_store,
                                         show_progress, store_error)
from vanban.pipeline.cli.output import check_output, output_options


class VanbanGroup(click.Group):
    """Turns the errors a user can meet (a file that is not a store, a file that cannot be
    read or written, an optional package not installed) into one line and exit 1 instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # `vanban search … | head`: the reader has what it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(1)
        except MissingExtra as exc:  # an optional package a feature needs: say which extra installs it
            raise click.ClickException(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            raise click.ClickException(store_error(exc, ctx.params.get("db_path") or "the store")) from exc
        except UnicodeEncodeError as exc:  # an argument with bytes that are not UTF-8 reached the store
            bad = exc.object.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace") \
                if isinstance(exc.object, str) else "an argument"
            raise click.ClickException(f"{bad!r} is not UTF-8 text: type it in UTF-8") from exc
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            raise click.ClickException(f"{where}{exc.strerror or exc}") from exc


@click.group(cls=VanbanGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vanban", message="vanban %(version)s")
def main() -> None:
    """vanban: document intelligence for Vietnamese official documents.

    Ingest a folder of PDFs (born-digital or scanned), DOCX, images, HTML, TXT/MD or JSONL;
    find each document's identity (số/ký hiệu, ngày, cơ quan ban hành, người ký),
    its references, targets and figures; store everything in one SQLite file.

    \b
    Start with:
      vanban ingest corpus/
      vanban search "chuyen doi so"
      vanban cited-by "nd 47/2020" --type KH

    Commands that print rows take --format table|json|csv|nl, -o FILE and --limit N
    (0: all). --db (or the VANBAN_DB variable) names the store; only ingest creates one.

    \b
    Exit codes:
      0  done
      1  nothing found, or the command failed (no store at --db, no such document)
      2  usage error (an unknown option, a bad value)
      3  `vanban audit --fail-on` matched
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@DB_OPTION
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default and most: the number of cores).")
@click.option("--force-jobs", is_flag=True, help="Allow --jobs above the number of cores.")
@click.option("--force", is_flag=True, help="Re-ingest files already in the store.")
@click.option("--strict", is_flag=True, help="Exit 1 if any file fails.")
@click.option("--prune", is_flag=True, help="Forget files gone from the given folders (and their documents).")
@click.option("--follow-symlinks", is_flag=True, help="Also follow symlinks that lead out of the given folders.")
@click.option("--memory-limit", type=click.IntRange(min=64), default=None, metavar="MB",
              help="Memory one file may take to read, beside what its worker process maps when it "
                   "starts [env VANBAN_MEMORY_MB; default: 2048].")
@click.option("--file-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="S",
              help="Seconds to read one file [env VANBAN_FILE_TIMEOUT; default: 600].")
@click.option("--ocr-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="S",
              help="Seconds for Tesseract on one page [env VANBAN_OCR_TIMEOUT; default: 120].")
@click.option("--page-pixels", type=click.IntRange(min=1), default=None, metavar="N",
              help="Pixels of one page image for OCR; bigger pages are scaled down [env VANBAN_PAGE_PIXELS; "
                   "default: 36000000].")
@click.option("--unzipped-limit", type=click.IntRange(min=1), default=None, metavar="MB",
              help="What a DOCX may inflate to [env VANBAN_UNZIPPED_MB; default: 256].")
@click.option("--text-limit", type=click.IntRange(min=1), default=None, metavar="MB",
              help="Size of a text file or JSONL line [env VANBAN_TEXT_MB; default: 20].")
@click.option("--page-limit", type=click.IntRange(min=1), default=None, metavar="N",
              help="Pages of one document: a PDF, a multi-page TIFF, a group of page images [env VANBAN_PAGES; "
                   "default: 2000].")
@click.option("--ocr", "ocr_mode", type=click.Choice(["auto", "force", "never"]), default=None,
              help="OCR pages without a usable text layer (auto), every page (force) or none (never) "
                   "[env VANBAN_OCR; default: auto].")
@click.option("--ocr-lang", default=None, metavar="LANGS",
              help="Tesseract languages, joined by '+' [env VANBAN_OCR_LANG; default: vie].")
@click.option("--dpi", type=click.IntRange(min=70, max=1200), default=None,
              help="Resolution PDF pages are rendered at for OCR [env VANBAN_DPI; default: 300].")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Read files in this machine's worker processes, or on a Ray cluster (README, "
                   "'Running on a cluster'); the store is written here either way.")
@click.option("--address", envvar="RAY_ADDRESS", default=None, metavar="HOST:PORT",
              help="With --engine ray: the cluster to join [env RAY_ADDRESS; default: a local Ray runtime "
                   "on all cores].")
@click.option("--ship-files", is_flag=True,
              help="With --engine ray: send each file's bytes to the workers through Ray's object store "
                   "(for nodes that do not see the files' folder).")
@QUIET_OPTION
@output_options(formats=("table", "json"), table_limit=None, noun="summary")
def ingest(paths, db_path, jobs, force_jobs, force, strict, prune, follow_symlinks, memory_limit, file_timeout,
           ocr_timeout, page_pixels, unzipped_limit, text_limit, page_limit, ocr_mode, ocr_lang, dpi, engine, address,
           ship_files, quiet, out):
    """Ingest files and folders into the store (created if missing).

    Reads PDF (text layer, or OCR with Tesseract for scanned pages), DOCX, legacy .doc/.rtf/.odt
    (through LibreOffice), PNG/JPG/TIFF (page images 'name_1.jpg', 'name_2.jpg' are one document;
    'name_gt.txt' beside 'name.jpg' is its transcription, not a document), HTML (a web page, or a
    Word document saved as "Web Page", often named .doc), TXT/MD and JSONL (one
    document per line with a "text" field). Each file is saved whole or not at all (on a
    large store a window of files shares one transaction): re-running skips what is done, a
    killed batch resumes. Files are known
    by absolute path and content: a moved or copied file is not read again, an edited
    one replaces its old document. Files that cannot be read are listed with their
    reason and logged in the ingest_log table; a JSONL line that cannot be read is
    listed under "parts skipped" with its file, and the rest of the file is stored.
    Paths not read at all (hidden, symlinks out of the folders, loops, FIFOs and devices,
    the store itself) are listed with why. Each file is read within budgets (memory,
    time, page pixels, inflated size, text size: README, "Bad input"); one over a budget
    is reported with the limit's name and the batch goes on.
    Exits 1 when nothing could be ingested, or with --strict when any file failed.

    \b
    Example:
      vanban ingest corpus/seeds --db outputs/vanban.db --format json
      vanban ingest scans/ --file-timeout 120 --memory-limit 1024
      vanban ingest scans/ --ocr force --ocr-lang vie+eng --dpi 400
      vanban ingest /srv/archive --engine ray --address 10.0.0.5:6379
    """
    from vanban.pipeline.reading.budgets import Budgets
    from vanban.pipeline.reading.ingest import ingest as run_ingest

    check_store_file(db_path)
    from vanban.pipeline.reading.ocr import OcrSettings

    # worker processes read the OCR settings from the environment, as they read the budgets
    for name, value in (("VANBAN_OCR", ocr_mode), ("VANBAN_OCR_LANG", ocr_lang), ("VANBAN_DPI", dpi)):
        if value is not None:
            os.environ[name] = str(value)
    try:
        OcrSettings.from_env()
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc

    try:
        limits = Budgets.from_env(memory_mb=memory_limit, file_timeout=file_timeout, ocr_timeout=ocr_timeout,
                                  page_pixels=page_pixels, unzipped_mb=unzipped_limit, text_mb=text_limit,
                                  pages=page_limit)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    reader = None
    if engine == "ray":
        from vanban.pipeline.reading.ray_engine import RayEngine

        reader = RayEngine(address, ship_files=ship_files)
    elif address or ship_files:
        raise click.UsageError("--address and --ship-files go with --engine ray")
    try:
        summary = run_ingest(paths, db_path, jobs=jobs, force=force, progress=show_progress(quiet), prune=prune,
                             follow_symlinks=follow_symlinks, budgets=limits, force_jobs=force_jobs, engine=reader)
    except ConnectionError as exc:  # ray_engine.ClusterUnreachable: one line, what to check
        raise click.ClickException(str(exc)) from exc
    for note in summary.notes:
        click.echo(note, err=True)
    out.record(summary.as_dict(), "\n".join(summary.lines()))
    nothing = summary.files > 0 and summary.documents == 0 and summary.skipped == 0
    if nothing or (strict and summary.failures):
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@DB_OPTION
def remove(paths, db_path):
    """Forget files, or every file under folders, and the documents only they gave.

    The files need not exist any more. A document another file still gives stays.

    \b
    Example:
      vanban remove corpus/scanned/003_6f5f874d7ff688a6.pdf
    """
    from vanban.pipeline.reading.ingest import remove as run_remove

    open_store(db_path)  # exits 1, creating nothing, when there is no store
    removed = run_remove(paths, db_path)
    click.echo(f"removed: {removed} file(s)")
    if not removed:
        sys.exit(1)


@main.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True,
              help="One JSON object a line, one line a document.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, callback=check_output,
              metavar="FILE", help="Write to FILE instead of stdout.")
@click.option("--by", "by", type=click.Choice(["document", "file"]), default="document", show_default=True,
              help="document: each real document once, with its renditions (the files it came from); "
                   "file: each file's own reading, as evaluation scores it.")
def export(db_path, fmt, output, by):
    """Export every document as JSON lines (the contract in shared/EXPORT.md).

    \b
    Example:
      vanban export -o outputs/vanban.jsonl
      vanban export --by file -o outputs/files.jsonl      # a scan apart from its text twin
      vanban export | jq -r 'select(.identity.province == "Tuyên Quang") | .identity.id'
    """
    from vanban.pipeline.store.export import write_jsonl

    db = open_store(db_path)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        with open(output, "w", encoding="utf-8") as fh:
            n = write_jsonl(db, fh, by_file=by == "file")
        click.echo(f"wrote {n} {'files' if by == 'file' else 'documents'} to {output}", err=True)
    else:
        write_jsonl(db, sys.stdout, by_file=by == "file")


@main.command(name="eval")
@DB_OPTION
@click.option("--gold", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("../shared/gold"),
              show_default=True, help="Folder of gold answers (identity.json, references/, targets/).")
@click.option("--errors", is_flag=True, help="List every disagreement with the gold.")
@click.option("--evidence-gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Also score DTI evidence: a JSON of indicator/province pairs (tests/fixtures/evidence_gold.json).")
@output_options(formats=("table", "json"), table_limit=None, noun="scores")
def evaluate(db_path, gold, errors, evidence_gold, out):
    """Score the stored documents against gold answers: precision/recall/F1 per field.

    Documents are matched to gold by file stem and scored per corpus variant (the
    folder they came from: seeds as text, text-layer PDFs, scanned PDFs).

    \b
    Example:
      vanban eval --gold ../shared/gold --errors       # e.g. số hiệu 187/KH-UBND read as 187/KH-UB
      vanban eval --gold ../shared/gold --format json -o outputs/eval.json
    """
    from vanban.pipeline.dev.evaluation.run import evaluate as run_eval, render

    db = open_store(db_path)
    report = run_eval(db, gold)
    if evidence_gold:
        from vanban.pipeline.dev.evaluation.evidence import score_evidence

        report["evidence"] = score_evidence(db, evidence_gold)
    out.record(report, render(report, errors))


@main.command()
@click.argument("query")
@DB_OPTION
@click.option("--type", "doc_type", default=None, help="Only documents of this type: 'Kế hoạch', 'Quyết định' …")
@click.option("--province", default=None, help="Only documents of this province: 'Tuyên Quang'.")
@click.option("--year", type=int, default=None, help="Only documents of this year.")
@output_options(noun="passages")
def search(query, db_path, doc_type, province, year, out):
    """Full-text search, best first; diacritics optional.

    Every word must appear; "ke hoach chuyen doi so" finds "Kế hoạch chuyển đổi số".
    Exits 1 when nothing matches.

    \b
    Example:
      vanban search "chuyen doi so cap xa" --limit 5
      vanban search "chữ ký số" --type "Kế hoạch" --province "Tuyên Quang" --year 2022
      vanban search "chữ ký số" --format csv -o outputs/chu_ky_so.csv
    """
    from vanban.pipeline.store.search import count_matches, search as run_search

    db = open_store(db_path)
    filters = {"doc_type": doc_type, "province": province, "year": year}
    # a negative LIMIT is no limit in SQLite; with a limit, the matches are counted apart
    hits = run_search(db, query, out.limit or -1, **filters)
    total = count_matches(db, query, **filters) if out.limit and len(hits) == out.limit else None
    hits = out.cut(hits, total)
    if out.format != "table":
        out.rows([{"doc_id": h.doc_id, "so_hieu": h.so_hieu, "source": h.source, "page": h.page, "kind": h.kind,
                   "text": h.text} for h in hits], ["so_hieu", "source", "page", "kind", "text"])
    elif hits:
        out.write("\n".join(_search_hit(h) for h in hits), len(hits))
    if not hits:
        nothing_found(f"no passage has every word of {query!r}")


def _search_hit(hit) -> str:
    """Where the passage is, then its first 400 characters with the query's words in bold."""
    marked, pos = [], 0
    for a, b in hit.highlights:
        if a >= pos:
            marked += [hit.text[pos:a], click.style(hit.text[a:b], bold=True, fg="yellow")]
            pos = b
    marked.append(hit.text[pos:])
    return f"{hit.so_hieu or '—'}  {Path(hit.source).name} p.{hit.page}  [{hit.kind}]\n  " + "".join(marked)[:400]


@main.command()
@click.argument("doc")
@DB_OPTION
@output_options(formats=("table", "json", "html"), table_limit=None, noun="document")
def show(doc, db_path, out):
    """Show one document: identity, references and figures.

    DOC is a số hiệu typed any way (187/KH-UBND, kh 187), a file name or a doc_id.
    --format json gives the export record; html the text with every reference and
    figure highlighted.

    \b
    Example:
      vanban show 206/KH-UBND
      vanban show 204/KH-UBND -o outputs/204.html
    """
    from vanban.pipeline.corpus.graph import find_documents
    from vanban.pipeline.store.export import corpus_record

    db = open_store(db_path)
    rows = find_documents(db, doc)
    if not rows:
        raise click.ClickException(f"no document matches {doc!r}; try `vanban search` to find it")
    if len(rows) > 1:
        click.echo(f"{len(rows)} documents match {doc!r}: " + ", ".join(r["so_hieu"] or r["source"] for r in rows)
                   + "; showing the first (add the year or the province to choose)", err=True)
    row = rows[0]
    if out.format == "html":
        from vanban.pipeline.reports.annotate import render_document_html

        out.write(render_document_html(db, row))
        return
    record = corpus_record(db, row)
    out.record(record, _document_text(record))


def _document_text(record: dict) -> str:
    """The export record for reading in a terminal."""
    lines = [f"{record['source']}  ({record['pages']} pages, {record['ocr_pages']} OCR)"]
    for key, value in record["identity"].items():
        note = record["identity_notes"].get(key)
        lines.append(f"  {key:13} {value if value is not None else '—'}" + (f"   ({note})" if note else ""))
    lines += [f"  note: {warning}" for warning in record["warnings"]]
    lines.append(f"renditions: {len(record['renditions'])}")
    lines += [f"  {'*' if r['primary'] else ' '} {r['source']}  ({r['pages']} pages, {r['ocr_pages']} OCR, {r['method']})"
              for r in record["renditions"]]
    lines.append(f"references: {len(record['references'])}")
    lines += [f"  {r['relation']:12} {r['id']:24} {r['year'] or '':5} {r['jurisdiction'] or ''}"
              for r in record["references"]]
    lines.append(f"measures: {len(record['measures'])}")
    lines += [f"  {m['kind']:7} {m['value']:>14g} {m['unit']:6} {m['metric'] or ''}" for m in record["measures"]]
    return "\n".join(lines)


@main.command()
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=Path("corpus"),
              show_default=True, help="Folder with pdf/, scanned/ and seeds/ (made by setup.sh; not needed by --scale).")
@click.option("--jobs", "-j", type=int, default=2, show_default=True, help="Parallel OCR processes, for both sides.")
@click.option("--ocr-pages", type=int, default=12, show_default=True,
              help="Scanned pages to OCR on each side (0 skips OCR, the slow part).")
@click.option("--audit-docs", type=int, default=10_000, show_default=True,
              help="Size of the synthetic corpus the audit is timed on (0 skips it).")
@click.option("--rounds", type=int, default=3, show_default=True,
              help="Text-layer rounds, raw and vanban taking turns; each side's best is reported.")
@click.option("--scale", type=click.IntRange(min=1), default=None, metavar="N",
              help="Instead: the corpus layer on a synthetic store of N documents (ingest ratio, lookups, "
                   "audit, evidence, peak RSS).")
@click.option("--store-folder", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="With --scale: keep the synthetic store in DIR, and measure again on the one an earlier "
                   "run left there (same N) instead of building it (36–52 minutes at 1,000,000).")
@click.option("--cold", is_flag=True,
              help="With --scale: drop the store's pages from the page cache before each ingest into it, as "
                   "after a reboot (this file's pages alone; no root needed). Without it the page cache holds "
                   "what earlier work left there, and at 1,000,000 documents the ingest ratio depends on it.")
@click.option("--pages", is_flag=True,
              help="With --scale and --cold: count, by table and index, the store's pages the ingest read or "
                   "wrote (which b-trees the store's side waits on); reading each page's owner first takes a "
                   "pass over the store (90 s at 1,000,000 documents).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="ray: instead, OCR pages/s of ingest on a loopback Ray cluster with 1 and 2 worker nodes "
                   "beside the local engine, the driver's peak RSS and a 24-hour capacity table (--ocr-pages).")
@QUIET_OPTION
@output_options(formats=("table", "json"), table_limit=None, noun="figures")
def bench(corpus, jobs, ocr_pages, audit_docs, rounds, scale, store_folder, cold, pages, engine, quiet, out):
    """Throughput per stage and peak memory, beside raw pypdfium2 and raw tesseract.

    Times the Kế hoạch, Quyết định and Báo cáo PDFs of corpus/pdf (text layer) and
    corpus/scanned (OCR), the extractors over corpus/seeds, and the audit.

    \b
    Example:
      vanban bench --jobs 2 --ocr-pages 4 --format json -o outputs/bench.json
      vanban bench --scale 100000
      vanban bench --scale 1000000 --store-folder /var/tmp/vanban-scale
      vanban bench --scale 1000000 --store-folder /var/tmp/vanban-scale --cold
      vanban bench --scale 100000 --cold --pages
      vanban bench --engine ray --ocr-pages 12
    """
    if cold and not scale:
        raise click.BadParameter("drops a synthetic store's pages: give --scale N with it", param_hint="'--cold'")
    if pages and not (scale and cold):
        raise click.BadParameter("counts the pages a cold ingest touches: give --scale N --cold with it",
                                 param_hint="'--pages'")
    if not scale and not corpus.is_dir():  # the synthetic store needs no corpus: any folder will do
        raise click.BadParameter(f"{corpus} is not a folder: run setup.sh in the repository, or give --corpus",
                                 param_hint="'--corpus'")
    if engine == "ray":
        from vanban.pipeline.dev.ray_bench import bench_ray, render as render_ray

        report = bench_ray(corpus, pages=max(1, ocr_pages), progress=show_progress(quiet))
        out.record(report, render_ray(report))
        return
    if scale:
        from vanban.pipeline.dev.scale_bench import PageCacheUnsupported, bench_scale, render as render_scale

        try:
            report = bench_scale(scale, folder=store_folder, reuse=store_folder is not None, cold=cold,
                                 pages=pages, progress=show_progress(quiet))
        except PageCacheUnsupported as exc:
            raise click.ClickException(str(exc)) from exc
        out.record(report, render_scale(report))
        return
    from vanban.pipeline.dev.bench import render, run_bench

    report = run_bench(corpus, jobs=jobs, ocr_pages=ocr_pages, audit_docs=audit_docs, rounds=rounds,
                       progress=show_progress(quiet))
    out.record(report, render(report))


# Feature commands live in their own modules (pipeline/cli/<feature>.py), each with a
# register(group) function; add one line here per module.
COMMAND_MODULES: list[str] = ["vanban.pipeline.cli.graph", "vanban.pipeline.cli.audit", "vanban.pipeline.cli.evidence",
                              "vanban.pipeline.cli.measures", "vanban.pipeline.cli.serve"]


def _register_feature_commands() -> None:
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(main)


_register_feature_commands()

if __name__ == "__main__":
    main()
