"""Texts as web pages with their references and figures marked.

`annotate(text, records)` is the pure part: a text and records carrying spans into it
(references, measures) give an HTML fragment, each reference mention marked with its
relation (LEGAL_BASIS, IMPLEMENTS, MENTIONS …) and each figure TARGET / ACTUAL /
FIGURE, with a legend. `render_document_html(db, row)` makes a whole page of one stored
document: the same marks, placed by the cleaned-text spans the store keeps and linked
to the document's node in the citation graph, then the references and figures tables.
"Căn cứ Nghị định số 45/2020/NĐ-CP ngày 08/4/2020" is shown marked LEGAL_BASIS with a
link to 45/2020/NĐ-CP (2020).
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

import regex
import sqlite_utils

from vanban.models.records import Measure, Reference, Span
from vanban.pipeline.corpus.graph import ensure_graph, label
from vanban.pipeline.store import text_of

# label -> (colour, what it means, in the documents' own words)
LABELS = {"LEGAL_BASIS": ("#9cc9f5", "căn cứ"), "IMPLEMENTS": ("#a8e6a1", "thực hiện"),
          "GUIDES": ("#d6c1f0", "hướng dẫn"), "AMENDS": ("#f5a3a3", "sửa đổi"), "REPLACES": ("#f5a3a3", "thay thế"),
          "REPEALS": ("#f5a3a3", "bãi bỏ"), "MENTIONS": ("#dddddd", "nhắc đến"),
          "TARGET": ("#ffd27f", "chỉ tiêu"), "ACTUAL": ("#ffe9b3", "kết quả đạt được"), "FIGURE": ("#f2f2c4", "số liệu")}
OTHER_COLOUR = "#dddddd"
MEASURE_LABELS = {"target": "TARGET", "actual": "ACTUAL"}
FRAGMENT_STYLE = """<style>.vb-text{white-space:pre-wrap;line-height:1.9}
.vb-text mark{padding:.1em .25em;border-radius:.3em}
.vb-label{font-size:.7em;font-weight:bold;margin-left:.4em;vertical-align:middle}
.vb-label a{color:inherit}.vb-key{padding:0 .4em;border-radius:.3em;font-size:.8em;font-weight:bold}</style>"""
PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.6}}
table{{border-collapse:collapse;font-size:.9em}}td,th{{border-bottom:1px solid #ddd;padding:.2em .5em;text-align:left}}
tr:target{{background:#fff3c4}}</style></head>
<body><h1>{title}</h1>{identity}<h2>Text</h2>{text}<h2 id="references">References</h2>{references}
<h2 id="measures">Figures</h2>{measures}</body></html>
"""


@dataclass
class Mark:
    """One marked place of a text: its span, its label, and what it stands for."""

    span: Span  # start/end: offsets into the text being marked
    label: str  # "LEGAL_BASIS", "TARGET" …
    note: str = ""  # "45/2020/NĐ-CP (2020)", "90 %"
    url: str = ""  # "#node-…", "#measure-3": where the note links to


def anchor(node_id: str) -> str:
    """'45/2020/NĐ-CP|2020|national' → 'node-45-2020-NĐ-CP-2020-national' (a valid HTML id)."""
    return "node-" + regex.sub(r"[^\p{L}\p{N}]+", "-", node_id).strip("-")


def annotate(text: str, records: Iterable) -> str:
    """HTML of `text` with the references and figures of `records` marked, and a legend.

    Records are `Reference`s (every mention marked with its relation), `Measure`s and
    `Mark`s, their spans' `start`/`end` being offsets into `text` (a Document's cleaned
    text and the records found in it). Everything is escaped; a span outside the text or
    without cleaned-text offsets, or one overlapping an earlier mark, is left unmarked.

    >>> from vanban.extractors.references import find_references
    >>> text = "Căn cứ Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ <về dữ liệu>;"
    >>> page = annotate(text, find_references(text))
    >>> print(page[page.index("<mark"):page.index("</mark>") + 7])
    <mark style="background:#9cc9f5">Nghị định số 47/2020/NĐ-CP ngày 09/4/2020<span class="vb-label">LEGAL_BASIS 47/2020/NĐ-CP</span></mark>
    >>> "&lt;về dữ liệu&gt;" in page
    True
    """
    marks = _without_overlaps([m for m in _marks(records)
                               if m.span.start is not None and 0 <= m.span.start < m.span.end <= len(text)])
    out, at = [], 0
    for mark in marks:
        out.append(html.escape(text[at:mark.span.start]))
        colour = LABELS.get(mark.label, (OTHER_COLOUR,))[0]
        tag = f"{mark.label} {mark.note}".strip()
        if mark.url.startswith(("#", "https://", "http://")):
            tag = f'<a href="{html.escape(mark.url)}">{html.escape(tag)}</a>'
        else:
            tag = html.escape(tag)
        out.append(f'<mark style="background:{colour}">{html.escape(text[mark.span.start:mark.span.end])}'
                   f'<span class="vb-label">{tag}</span></mark>')
        at = mark.span.end
    out.append(html.escape(text[at:]))
    legend = " · ".join(f'<span class="vb-key" style="background:{LABELS.get(name, (OTHER_COLOUR,))[0]}">'
                        f'{html.escape(name)}</span> {html.escape(LABELS.get(name, ("", ""))[1])}'.rstrip()
                        for name in dict.fromkeys(m.label for m in marks))
    return (f'<div class="vanban-annotate">{FRAGMENT_STYLE}<p class="vb-legend">{legend}</p>'
            f'<div class="vb-text">{"".join(out)}</div></div>')


def _marks(records: Iterable) -> Iterable[Mark]:
    for record in records:
        if isinstance(record, Mark):
            yield record
        elif isinstance(record, Reference):
            for mention in record.mentions:
                yield Mark(mention.span, record.relation.upper(), record.id)
        elif isinstance(record, Measure):
            yield Mark(record.span, MEASURE_LABELS.get(record.kind, "FIGURE"), f"{record.value:g} {record.unit}")
        else:
            raise TypeError(f"annotate marks References, Measures and Marks, not {type(record).__name__}")


def document_marks(db: sqlite_utils.Database, row: dict) -> tuple[list[Mark], list[dict], list[dict]]:
    """(marks at the stored cleaned-text spans, the document's references with their nodes, its measures).

    A store upgraded from version 1 has no cleaned-text offsets (only page offsets) until
    its files are ingested again: its marks have none, and `annotate` leaves them out.
    """
    ensure_graph(db)
    key = row["doc_id"]
    references = list(db.query(
        """select r.*, e.target as node_id, n.so_hieu as node_so_hieu, n.year as node_year, n.absent, n.cited_by,
                  n.title as node_title from refs r
           left join edges e on e.doc_id = r.doc_id and e.ref_seq = r.seq left join nodes n on n.node_id = e.target
           where r.doc_id = ? order by r.seq""", [key]))
    measures = list(db.query("select * from measures where doc_id = ? order by seq", [key]))
    marks = []
    for ref in references:
        target = {"so_hieu": ref["node_so_hieu"] or ref["ref_id"], "year": ref["node_year"] or ref["year"],
                  "node_id": ref["node_id"] or ref["ref_id"]}
        for mention in json.loads(ref["mentions"] or "[]"):
            marks.append(Mark(Span.from_stored(mention), (ref["relation"] or "mentions").upper(), label(target),
                              "#" + anchor(target["node_id"])))
    for measure in measures:
        marks.append(Mark(Span.from_stored(measure), MEASURE_LABELS.get(measure["kind"], "FIGURE"),
                          f"{measure['value']:g} {measure['unit']}", f"#measure-{measure['seq']}"))
    return marks, references, measures


def _without_overlaps(marks: list[Mark]) -> list[Mark]:
    """One mark at a time: keep the earliest, and the reference when two start together."""
    kept: list[Mark] = []
    for mark in sorted(marks, key=lambda m: (m.span.start, m.label in MEASURE_LABELS.values() or m.label == "FIGURE")):
        if not kept or mark.span.start >= kept[-1].span.end:
            kept.append(mark)
    return kept


def render_document_html(db: sqlite_utils.Database, row: dict) -> str:
    """A self-contained HTML page for the stored document row (a documents table row)."""
    marks, references, measures = document_marks(db, row)
    text = annotate(text_of(db, row["doc_id"]), marks)
    title = row["so_hieu"] or row["title"] or row["source_name"]
    return PAGE.format(title=html.escape(title), identity=_identity_table(row), text=text,
                       references=_references_table(references), measures=_measures_table(measures))


def _table(header: list[str], rows: list[tuple[str, list]]) -> str:
    """rows are (html id, cells); every cell is escaped."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(f'<tr id="{row_id}">' + "".join(f"<td>{_cell(c)}</td>" for c in cells) + "</tr>"
                   for row_id, cells in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _cell(value) -> str:
    return html.escape("" if value is None else str(value))


def _identity_table(row: dict) -> str:
    fields = ["source", "type", "so_hieu", "date", "issuer", "province", "title", "signer", "signer_title"]
    return _table(["field", "value"], [("", [f, row[f]]) for f in fields])


def _references_table(references: list[dict]) -> str:
    rows, seen = [], set()
    for ref in references:
        node_id = ref["node_id"] or ref["ref_id"]
        row_id = anchor(node_id) if node_id not in seen else ""
        seen.add(node_id)
        stored = "" if ref["absent"] is None else "only cited" if ref["absent"] else "stored"
        rows.append((row_id, [ref["relation"], ref["ref_id"], ref["year"] or ref["resolved_year"], ref["jurisdiction"],
                              ref["n_mentions"], stored, ref["cited_by"], ref["title"] or ref["node_title"], node_id]))
    return _table(["relation", "số hiệu", "year", "jurisdiction", "mentions", "in store", "cited by", "title", "node"],
                  rows)


def _measures_table(measures: list[dict]) -> str:
    return _table(["kind", "value", "unit", "metric", "scope", "year", "quote"],
                  [(f"measure-{m['seq']}", [m["kind"], f"{m['value']:g}", m["unit"], m["metric"], m["scope"],
                                            m["year"], m["quote"]]) for m in measures])


def write_document_html(db: sqlite_utils.Database, row: dict, out: Optional[Path]) -> str:
    """Render the document; write it to out when given. Returns the HTML."""
    page = render_document_html(db, row)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(page, encoding="utf-8")
    return page
