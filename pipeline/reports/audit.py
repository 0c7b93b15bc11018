"""Audit findings as a table for people, JSON or CSV for scripts, and an HTML report, each
written as the findings come (WRITERS: nothing holds them all) or as one string (to_table …).

    vanban audit                       # the table
    vanban audit --format html -o outputs/audit.html
"""
from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, TextIO

from vanban.pipeline.corpus.audit import KINDS, Finding
from vanban.pipeline.cli.output import safe_cell
from vanban.pipeline.reports.spool import Spool

TITLES = {
    "conflicting_date": "One document cited with different dates",
    "suspected_year_typo": "Same number, day and subject, different year: a mistyped year",
    "type_symbol_mismatch": "Written type disagrees with the ký hiệu",
    "malformed_number": "Ký hiệu that fits no known form: misread or mistyped",
    "missing_number": "Header leaves the number blank",
    "missing_date": "Header leaves the day blank",
    "cites_future": "Citation dated after the citing document",
    "unresolved": "Citation whose year or jurisdiction cannot be determined",
    "missing_document": "Cited but not in the corpus: documents to collect",
}


def _group(finding: Finding) -> str:
    """Missing documents are listed under their issuer and type: 'Thủ tướng Chính phủ — Quyết định'."""
    return f"{finding.facts.get('issuer') or 'issuer unknown'} — {finding.facts.get('type') or 'type unknown'}"


def write_json(findings: Iterable[Finding], out: TextIO) -> None:
    """One JSON array, written finding by finding: the text json.dumps(list, indent=1) gives,
    without the list."""
    first = True
    for f in findings:  # indent=1 inside the array: every line of an item one space in
        item = json.dumps(f.export(), ensure_ascii=False, indent=1).replace("\n", "\n ")
        out.write(("[\n " if first else ",\n ") + item)
        first = False
    out.write("[]" if first else "\n]")


def write_nl(findings: Iterable[Finding], out: TextIO) -> None:
    """One JSON object a line."""
    for f in findings:
        out.write(json.dumps(f.export(), ensure_ascii=False) + "\n")


CSV_HEADER = ["kind", "id", "year", "documents", "detail", "page", "quote"]


def csv_row(f: Finding) -> list:
    """A finding's CSV row: documents joined by ';', the first quote as evidence; a quote or file
    name starting with = stays text (safe_cell)."""
    first = f.evidence[0] if f.evidence else None
    return [safe_cell(v) for v in (f.kind, f.id or "", f.year or "", ";".join(Path(d).name for d in f.documents),
                                   f.detail, first.page if first else "", first.quote if first else "")]


def csv_writer(out: TextIO):
    """A CSV writer of findings' rows to out, its header written (CRLF, as RFC 4180 has it)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    return writer


def write_csv(findings: Iterable[Finding], out: TextIO) -> None:
    """One row per finding (csv_row)."""
    writer = csv_writer(out)
    for f in findings:
        writer.writerow(csv_row(f))


def write_table(findings: Iterable[Finding], out: TextIO, quotes: int = 2) -> None:
    """Findings under one heading per kind, each with its first quotes: for reading in a terminal.
    Each kind's lines wait in a spool until every finding is in (a heading gives its count)."""
    spool, counts, groups = Spool(), Counter(), {}
    for f in findings:
        counts[f.kind] += 1
        lines = []
        if f.kind == "missing_document" and _group(f) != groups.get(f.kind):
            groups[f.kind] = _group(f)
            lines.append(f"  -- {groups[f.kind]}")
        lines.append(f"  {f.id or '—'}  {f.year or ''}  {f.detail}")
        lines.append(f"      in: {', '.join(Path(d).name for d in f.documents)}")
        lines += [f"      {Path(e.source).name} p.{e.page}: “{e.quote}”" for e in f.evidence[:quotes]]
        spool.write(f.kind, "".join(line + "\n" for line in lines))
    for kind in KINDS:
        if counts[kind]:
            out.write(f"== {kind} ({counts[kind]}): {TITLES[kind]}\n")
            spool.copy(kind, out)
            out.write("\n")
    out.write("summary: " + (", ".join(f"{k} {counts[k]}" for k in KINDS if counts[k]) or "no findings"))


def _link(source: str) -> str:
    path = Path(source.split("#")[0])
    href = path.resolve().as_uri() if path.is_absolute() or path.exists() else html.escape(str(path))
    return f'<a href="{html.escape(href)}">{html.escape(path.name)}</a>'


def write_html(findings: Iterable[Finding], out: TextIO) -> None:
    """A standalone page: a section per kind, each finding with links to its documents and its
    quotes; missing documents in a table per issuer and type (they come in that order). Each
    kind's rows wait in a spool until every finding is in (the contents give the counts)."""
    spool, counts, groups = Spool(), Counter(), {}
    for f in findings:
        counts[f.kind] += 1
        group = _group(f) if f.kind == "missing_document" else ""
        if groups.get(f.kind) != group:
            if f.kind in groups:
                spool.write(f.kind, "</table>\n")
            groups[f.kind] = group
            spool.write(f.kind, (f"<h3>{html.escape(group)}</h3>\n" if group else "") + "<table><tr><th>id</th>"
                        "<th>year</th><th>finding</th><th>documents</th><th>evidence</th></tr>\n")
        spool.write(f.kind, _html_row(f) + "\n")
    out.write("<!doctype html><html lang='vi'><meta charset='utf-8'><title>vanban audit</title>\n"
              "<style>body{font-family:sans-serif;max-width:70em;margin:auto}td{vertical-align:top;padding:.2em .5em}"
              "tr:nth-child(even){background:#f4f4f4}q{color:#444}h3{color:#555}</style>\n<h1>vanban audit</h1><ul>\n")
    out.write("".join(f"<li><a href='#{k}'>{TITLES[k]}</a>: {counts[k]}</li>\n" for k in KINDS if counts[k]))
    out.write("</ul>\n")
    for kind in KINDS:
        if counts[kind]:
            out.write(f"<h2 id='{kind}'>{html.escape(TITLES[kind])} ({counts[kind]})</h2>\n")
            spool.copy(kind, out)
            out.write("</table>\n")
    out.write(("" if counts else "<p>No findings.</p>\n") + "</html>\n")


def _html_row(f: Finding) -> str:
    evidence = "<br>".join(f"{_link(e.source)} p.{e.page}: <q>{html.escape(e.quote)}</q>" for e in f.evidence)
    return (f"<tr><td>{html.escape(f.id or '—')}</td><td>{f.year or ''}</td><td>{html.escape(f.detail)}</td>"
            f"<td>{'<br>'.join(_link(d) for d in f.documents)}</td><td>{evidence}</td></tr>")


# every format written as the findings come: a million documents' findings are never held at once
WRITERS = {"table": write_table, "json": write_json, "nl": write_nl, "csv": write_csv, "html": write_html}


def _text(write: Callable[[Iterable[Finding], TextIO], None]) -> Callable[[Iterable[Finding]], str]:
    def render(findings: Iterable[Finding]) -> str:
        out = io.StringIO()
        write(findings, out)
        return out.getvalue()
    render.__doc__ = f"{write.__name__}'s text, as one string."
    return render


to_table, to_json, to_nl, to_csv, to_html = (_text(WRITERS[f]) for f in ("table", "json", "nl", "csv", "html"))
