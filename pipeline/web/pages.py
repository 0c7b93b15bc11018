"""vanban's own pages: each reads the store through the library's functions and fills a
template. Handlers take the Starlette request and the app's `Site` (store reader,
templates, upload settings) and return a response; a bad parameter raises a 400, a
missing document a 404, both shown as pages.
"""
from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Optional
from urllib.parse import quote, urlencode

from vanban.pipeline.corpus import graph
from vanban.pipeline.corpus.audit import KINDS
from vanban.pipeline.store.search import renditions_of, search
from vanban.pipeline.web import i18n
from vanban.pipeline.web.audit_spool import spool_audit
from vanban.pipeline.web.graph_svg import neighbourhood_svg
from vanban.pipeline.web.text import citation_anchor, document_text

RESULTS_PER_PAGE = 20
MAX_SEARCH_PAGES = 25  # search ranks every match before cutting: deep pages cost more, nobody reads them
CITED_BY_ROWS = 200  # rows of a cited-by table; a decree cited by thousands gives a count and the Datasette link
DOC_CITED_BY_ROWS = 20
QUOTE_CONTEXT = 120  # characters each side of a citation in its quote
FAILURES_SHOWN = 20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVIDENCE_COLUMNS = ["indicator", "name", "status", "rank", "kind", "document", "page", "value", "unit", "score",
                    "quote", "reason", "source"]


class PageError(Exception):
    """What a page answers instead: 400 for a bad parameter, 404 for a missing document, with
    one sentence a person can act on."""

    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


def _int(request, name: str, low: int = 0, high: int = 10_000) -> Optional[int]:
    """An optional integer parameter, or a 400 naming it."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise PageError(400, f"{name}={raw!r}: expected a whole number from {low} to {high}")
    return int(raw)


def _text(request, name: str, limit: int = 300) -> Optional[str]:
    raw = request.query_params.get(name, "").strip()
    if len(raw) > limit:
        raise PageError(400, f"{name}: longer than {limit} characters")
    return raw or None


def doc_url(row: dict) -> str:
    """'/doc/204/KH-UBND' for a stored document known by its number, else '/doc/<doc_id>'."""
    number = row.get("so_hieu") or row.get("known_id")
    key = number if number and row.get("unique", True) else row.get("doc_id")
    return "/doc/" + quote(key or "", safe="/")


# -- / ---------------------------------------------------------------------------------------------

def corpus_overview(db) -> dict:
    """Counts for the overview, through the renditions' indexes (covering: no row is read)."""
    def grouped(column: str, index: str) -> list[tuple]:
        rows = db.conn.execute(
            f"select {column}, count(*) from renditions indexed by {index} where is_primary = 1 group by {column}"
        ).fetchall()
        pending = Counter(r[0] for r in db.conn.execute(
            f"select {column} from renditions where node_id is null"))
        counts = Counter(dict(rows)) + pending
        return sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))

    by_type = grouped("type", "renditions_primary")
    documents = sum(n for _, n in by_type)  # primary renditions, and those not placed yet: the documents view's
    renditions, pages, ocr_pages = db.conn.execute(
        "select count(*), total(pages), total(ocr_pages) from renditions indexed by renditions_primary").fetchone()
    failures = db.conn.execute("select count(*) from ingest_log").fetchone()[0]
    latest = [dict(zip(("path", "page", "reason", "at"), r)) for r in db.conn.execute(
        "select path, page, reason, at from ingest_log order by at desc limit ?", [FAILURES_SHOWN])]
    return {"documents": documents, "renditions": renditions, "pages": int(pages), "ocr_pages": int(ocr_pages),
            "failures": failures, "latest_failures": latest, "graph": graph.graph_totals(db),
            "by_type": by_type,
            "by_year": sorted(grouped("year", "renditions_primary"), key=lambda kv: -(kv[0] or 0)),
            "by_province": grouped("province", "renditions_province")}


def overview(request, site):
    stats = site.reader.memo("overview", corpus_overview)
    return site.render(request, "index.html", stats=stats)


# -- /search ---------------------------------------------------------------------------------------

def search_page(request, site):
    query = _text(request, "q")
    doc_type, province = _text(request, "type", 60), _text(request, "province", 60)
    year = _int(request, "year", 1900, 2100)
    page = _int(request, "page", 1, MAX_SEARCH_PAGES) or 1
    hits, more = [], False
    if query:
        wanted = page * RESULTS_PER_PAGE
        found = search(site.reader.db(), query, wanted + 1, doc_type=doc_type, province=province, year=year)
        more = len(found) > wanted and page < MAX_SEARCH_PAGES
        hits = found[(page - 1) * RESULTS_PER_PAGE:wanted]
    stats = site.reader.memo("overview", corpus_overview)
    filters = {"q": query, "type": doc_type, "province": province, "year": year}
    return site.render(request, "search.html", query=query, hits=[_snippet(h) for h in hits], more=more,
                       page=page, filters=filters, stats=stats, first=(page - 1) * RESULTS_PER_PAGE)


def _snippet(hit) -> dict:
    """A hit with its text cut around the first matched word, as (text, highlighted?) pieces."""
    spans = [s for s in hit.highlights]
    text = hit.text
    start = max(0, spans[0][0] - 160) if spans else 0
    end = min(len(text), start + 480)
    pieces, at = [], start
    for a, b in spans:
        if a < at or b > end:
            continue
        pieces += [(text[at:a], False), (text[a:b], True)]
        at = b
    pieces.append((text[at:end], False))
    return {"hit": hit, "pieces": pieces, "before": start > 0, "after": end < len(text)}


# -- /doc/… ----------------------------------------------------------------------------------------

def document_page(request, site):
    key = request.path_params["key"].strip()
    if not key or len(key) > 300:
        raise PageError(400, "a document is named by its số hiệu (187/KH-UBND) or its doc id")
    db = site.reader.db()
    rows = graph.find_documents(db, key)
    if not rows:
        raise PageError(404, f"no document matches {key!r}")
    row = rows[0]
    lang = site.lang(request)
    text, references, measures = document_text(db, row, lambda n: i18n.label("page_marker", lang, page=n))
    citing = graph.cited_by(db, [row["node_id"]]) if row.get("node_id") else []
    return site.render(request, "doc.html", row=row, name=row["so_hieu"] or row["known_id"] or row["source_name"], others=rows[1:], renditions=renditions_of(db, row["doc_id"]),
                       text=text, references=_references(references), measures=measures,
                       citing=citing[:DOC_CITED_BY_ROWS], citing_total=len(citing),
                       identity_notes=json.loads(row.get("identity_notes") or "{}"),
                       warnings=json.loads(row.get("warnings") or "[]"))


def _references(references: list[dict]) -> list[dict]:
    """One row per cited document (its first citation's row), with where it links."""
    out, seen = [], set()
    for ref in references:
        node_id = ref["node_id"] or ref["ref_id"]
        if node_id in seen:
            continue
        seen.add(node_id)
        stored = ref["absent"] == 0
        out.append({**ref, "anchor": graph_anchor(node_id), "stored": stored,
                    "url": "/doc/" + quote(ref["node_so_hieu"] or ref["ref_id"], safe="/") if stored
                    else "/cited-by?" + urlencode({"id": ref["node_so_hieu"] or ref["ref_id"]})})
    return out


def graph_anchor(node_id: str) -> str:
    from vanban.pipeline.reports.annotate import anchor

    return anchor(node_id)


def original_file(request, site):
    """A rendition's file as stored on this machine (only files the store names)."""
    doc_id = request.path_params["doc_id"]
    row = site.reader.db().conn.execute("select source from renditions where doc_id = ?", [doc_id]).fetchone()
    if not row:
        raise PageError(404, f"no rendition {doc_id!r}")
    path = Path(row[0].split("#")[0])
    if not path.is_file():
        raise PageError(404, f"{path.name}: the file is no longer where it was ingested from")
    return site.file(path)


# -- /cited-by -------------------------------------------------------------------------------------

def cited_by_page(request, site):
    text = _text(request, "id", 120)
    doc_type = _text(request, "type", 40)
    transitive = request.query_params.get("transitive", "")
    if transitive not in ("", "0", "1", "on"):
        raise PageError(400, f"transitive={transitive!r}: expected 1 or 0")
    transitive = transitive in ("1", "on")
    if not text:
        return site.render(request, "cited_by.html", text=None, doc_type=doc_type, transitive=transitive)
    db = site.reader.db()
    nodes = graph.find_nodes(db, text)
    if not nodes:
        raise PageError(404, f"no document matches {text!r}")
    ids = [n["node_id"] for n in nodes]
    rows = graph.cited_by(db, ids, doc_type, transitive)
    shown = [{**r, **_citation(db, r)} for r in rows[:CITED_BY_ROWS]]
    svg = neighbourhood_svg(nodes[0], [r for r in rows if r["via"] == nodes[0]["node_id"]],
                            graph.cites(db, [nodes[0]["node_id"]]),
                            link=lambda r: site.url(request, _node_url(r)),
                            more_label=lambda n: f"+{i18n.format_number(n, site.lang(request))}")
    return site.render(request, "cited_by.html", text=text, doc_type=doc_type, transitive=transitive, nodes=nodes,
                       rows=shown, total=len(rows), svg=svg)


def _node_url(row: dict) -> str:
    if row.get("absent"):
        return "/cited-by?" + urlencode({"id": row.get("so_hieu") or row["node_id"]})
    return "/doc/" + quote(row.get("so_hieu") or row.get("doc_id") or row["node_id"], safe="/")


def _citation(db, row: dict) -> dict:
    """The citing document's date, and the words around its first citation of `via`, with the page
    and the anchor of that place on the citing document's page."""
    found = db.conn.execute(
        """select n.date, n.doc_id, r.mentions from edges e join nodes n on n.node_id = e.source
           join refs r on r.doc_id = e.doc_id and r.seq = e.ref_seq
           where e.source = ? and e.target = ? order by e.ref_seq limit 1""", [row["node_id"], row["via"]]).fetchone()
    if not found:
        return {"date": None, "quote": None, "page": None, "link": _node_url(row)}
    date, doc_id, mentions = found
    mention = (json.loads(mentions or "[]") or [{}])[0]
    quote_text, page = None, mention.get("page")
    if mention.get("clean_start") is not None:
        start = max(0, mention["clean_start"] - QUOTE_CONTEXT)
        quote_text = db.conn.execute("select substr(clean_text, ?, ?) from texts where doc_id = ?",
                                     [start + 1, mention["clean_end"] - start + QUOTE_CONTEXT, doc_id]).fetchone()[0]
    link = "/doc/" + quote(row.get("so_hieu") or doc_id, safe="/") + "#" + citation_anchor(row["via"])
    return {"date": date, "quote": quote_text, "page": page, "link": link, "mention": mention.get("text")}


# -- /evidence -------------------------------------------------------------------------------------

def _evidence_params(request) -> tuple[Optional[str], Optional[int]]:
    return _text(request, "province", 60), _int(request, "year", 1900, 2100)


def _evidence(province: str, year: Optional[int]):
    def compute(db) -> dict:
        from vanban.models.dti import catalogue
        from vanban.pipeline.corpus.evidence import THRESHOLD, find_evidence

        cat = catalogue(year)
        results = [r.as_dict() for r in find_evidence(db, province, year, cat=cat)]
        return {"results": results, "meta": {"province": province, "year": year, "catalogue_version": cat.version,
                                             "threshold": THRESHOLD}}
    return compute


def evidence_page(request, site):
    province, year = _evidence_params(request)
    stats = site.reader.memo("overview", corpus_overview)
    if not province:
        return site.render(request, "evidence.html", province=None, year=year, stats=stats)
    ready, value = site.reader.background(("evidence", province, year), _evidence(province, year))
    if not ready:
        return site.working(request, value)
    found = sum(1 for r in value["results"] if r["status"] == "found")
    return site.render(request, "evidence.html", province=province, year=year, stats=stats, found=found, **value)


def evidence_download(request, site):
    province, year = _evidence_params(request)
    if not province:
        raise PageError(400, "province is required: /evidence.xlsx?province=Tuyên Quang")
    _, value = site.reader.background(("evidence", province, year), _evidence(province, year), wait=None)
    stem = "minh-chung-" + "".join(c if c.isalnum() else "-" for c in province) + (f"-{year}" if year else "")
    if request.url.path.endswith(".xlsx"):
        from vanban.pipeline.reports.evidence import write_xlsx

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "evidence.xlsx"
            write_xlsx(path, value["results"], **value["meta"])
            content = path.read_bytes()
        return site.download(content, XLSX_TYPE, f"{stem}.xlsx")
    from vanban.pipeline.cli.output import format_rows  # the CLI's CSV: no cell starts a formula

    rows = [{"indicator": r["indicator"], "name": r["name"], "status": r["status"], "rank": rank if e else None,
             **{c: e.get(c) for c in EVIDENCE_COLUMNS[4:]}}
            for r in value["results"] for rank, e in enumerate(r["evidence"] or [{}], 1)]
    return site.download(format_rows(rows, "csv", EVIDENCE_COLUMNS), "text/csv; charset=utf-8", f"{stem}.csv")


# -- /audit ----------------------------------------------------------------------------------------

def _audit_kind(request) -> Optional[str]:
    kind = _text(request, "kind", 40)
    if kind and kind not in KINDS:
        raise PageError(400, f"kind={kind!r}: choose one of {', '.join(KINDS)}")
    return kind


def audit_page(request, site):
    kind = _audit_kind(request)
    ready, value = site.reader.background("audit", spool_audit)
    if not ready:
        return site.working(request, value)
    return site.render(request, "audit.html", kind=kind, kinds=KINDS, counts=value.counts, total=value.total(kind),
                       findings=value.first[kind])


def audit_download(request, site):
    kind = _audit_kind(request)
    _, value = site.reader.background("audit", spool_audit, wait=None)
    return site.download(value.csv(kind), "text/csv; charset=utf-8", f"kiem-tra{'-' + kind if kind else ''}.csv")


# -- /upload ---------------------------------------------------------------------------------------

async def upload_page(request, site):
    if site.uploads is None:
        return site.render(request, "upload.html", status_code=403 if request.method == "POST" else 200)
    if request.method == "GET":
        return site.render(request, "upload.html", inbox=site.uploads.inbox)
    from vanban.pipeline.web.upload import MAX_UPLOAD_BYTES

    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_UPLOAD_BYTES:
        raise PageError(413 if length.isdigit() else 411, "an upload is at most 200 MB, with its length")
    async with request.form(max_files=200) as form:
        token = form.get("token") or request.headers.get("x-vanban-token")
        if not site.uploads.allowed(token if isinstance(token, str) else None):
            raise PageError(403, "the token is missing or wrong: it is printed when the server starts")
        files = [(f.filename or "tep", await f.read()) for f in form.getlist("files") if hasattr(f, "read")]
    files = [(name, content) for name, content in files if content]
    if not files:
        raise PageError(400, "no file was sent")
    job = site.uploads.accept(files)
    return site.redirect(site.url(request, f"/upload/{job.id}"))


def upload_job_page(request, site):
    if site.uploads is None:
        raise PageError(404, "uploads are off")
    job = site.uploads.jobs.get(int(request.path_params["job"]))
    if job is None:
        raise PageError(404, "no such upload batch")
    return site.render(request, "upload_job.html", job=job, refresh=job.finished is None)
