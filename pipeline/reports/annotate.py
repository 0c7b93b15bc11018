"""One stored document as a web page: its cleaned text with references and figures marked.

Each reference mention is a displaCy span labelled with its relation (LEGAL_BASIS,
IMPLEMENTS, MENTIONS …) and linked to its node in the citation graph, listed under
the text with its số hiệu, year, jurisdiction and who else cites it; each figure is a
span labelled TARGET / ACTUAL / FIGURE. "Căn cứ Nghị định số 45/2020/NĐ-CP ngày
08/4/2020" is shown marked LEGAL_BASIS with a link to 45/2020/NĐ-CP (2020).

Mentions and measures are stored as page offsets; they are placed in the cleaned
text through the passages table (page_start ↔ clean_start) and then by finding their
text nearest that point, since cleaning joins wrapped lines.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import regex
import sqlite_utils

from vanban.pipeline.corpus.graph import ensure_graph, label

COLORS = {"LEGAL_BASIS": "#9cc9f5", "IMPLEMENTS": "#a8e6a1", "GUIDES": "#d6c1f0", "AMENDS": "#f5a3a3",
          "REPLACES": "#f5a3a3", "REPEALS": "#f5a3a3", "MENTIONS": "#dddddd",
          "TARGET": "#ffd27f", "ACTUAL": "#ffe9b3", "FIGURE": "#f2f2c4"}
MEASURE_LABELS = {"target": "TARGET", "actual": "ACTUAL"}
PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.6}}
table{{border-collapse:collapse;font-size:.9em}}td,th{{border-bottom:1px solid #ddd;padding:.2em .5em;text-align:left}}
tr:target{{background:#fff3c4}}</style></head>
<body><h1>{title}</h1>{identity}<h2>Text</h2>{text}<h2 id="references">References</h2>{references}
<h2 id="measures">Figures</h2>{measures}</body></html>
"""


@dataclass
class Span:
    start: int  # offsets into the cleaned text
    end: int
    label: str  # "LEGAL_BASIS", "TARGET" …
    link_text: str  # what the span links to: "45/2020/NĐ-CP (2020)", "90 %"
    url: str  # "#node-…" or "#measure-3"


def anchor(node_id: str) -> str:
    """'45/2020/NĐ-CP|2020|national' → 'node-45-2020-NĐ-CP-2020-national' (a valid HTML id)."""
    return "node-" + regex.sub(r"[^\p{L}\p{N}]+", "-", node_id).strip("-")


def locate(clean_text: str, passages: list[dict], page: Optional[int], start: int, text: str) -> Optional[tuple[int, int]]:
    """Where a page-offset span with this text stands in the cleaned text, or None.

    The passage starting last before it on its page gives the rough place; the
    occurrence of the text (spaces free to differ) nearest that place wins.
    """
    if not text.strip():
        return None
    before = [p for p in passages if p["page"] == page and p["page_start"] is not None and p["page_start"] <= start]
    guess = start
    if before:
        passage = max(before, key=lambda p: p["page_start"])
        guess = passage["clean_start"] + (start - passage["page_start"])
    pattern = r"\s+".join(regex.escape(word) for word in text.split())
    found = [(m.start(), m.end()) for m in regex.finditer(pattern, clean_text)]
    return min(found, key=lambda span: abs(span[0] - guess)) if found else None


def document_spans(db: sqlite_utils.Database, row: dict) -> tuple[list[Span], list[dict], list[dict]]:
    """(spans in text order without overlaps, the document's references with their nodes, its measures)."""
    ensure_graph(db)
    key, text = row["doc_id"], row["clean_text"] or ""
    passages = list(db.query("select page, page_start, clean_start from passages where doc_id = ?", [key]))
    references = list(db.query(
        """select r.*, e.target as node_id, n.so_hieu as node_so_hieu, n.year as node_year, n.absent, n.cited_by,
                  n.title as node_title from refs r
           left join edges e on e.doc_id = r.doc_id and e.ref_seq = r.seq left join nodes n on n.node_id = e.target
           where r.doc_id = ? order by r.seq""", [key]))
    measures = list(db.query("select * from measures where doc_id = ? order by seq", [key]))
    spans = []
    for ref in references:
        target = {"so_hieu": ref["node_so_hieu"] or ref["ref_id"], "year": ref["node_year"] or ref["year"],
                  "node_id": ref["node_id"] or ref["ref_id"]}
        for mention in json.loads(ref["mentions"] or "[]"):
            place = locate(text, passages, mention["page"], mention["start"], mention["text"])
            if place:
                spans.append(Span(*place, (ref["relation"] or "mentions").upper(), label(target),
                                  "#" + anchor(target["node_id"])))
    for measure in measures:
        place = locate(text, passages, measure["page"], measure["start"], measure["quote"] or "")
        if place:
            spans.append(Span(*place, MEASURE_LABELS.get(measure["kind"], "FIGURE"),
                              f"{measure['value']:g} {measure['unit']}", f"#measure-{measure['seq']}"))
    return _without_overlaps(spans), references, measures


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """displaCy marks one span at a time: keep the earliest, and the reference when two overlap."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.label in MEASURE_LABELS.values() or s.label == "FIGURE")):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def render_document_html(db: sqlite_utils.Database, row: dict) -> str:
    """A self-contained HTML page for the stored document row (a documents table row)."""
    from spacy import displacy

    spans, references, measures = document_spans(db, row)
    text = displacy.render({"text": row["clean_text"] or "", "title": None,
                            "ents": [{"start": s.start, "end": s.end, "label": s.label,
                                      "kb_id": s.link_text, "kb_url": s.url} for s in spans]},
                           style="ent", manual=True, page=False, jupyter=False, options={"colors": COLORS})
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
