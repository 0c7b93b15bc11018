"""The ASGI app `vanban serve` runs: vanban's pages, Datasette under /data/, and the
safety every response gets.

    from vanban.pipeline.web.app import create_app
    app = create_app("outputs/vanban.db")            # read-only
    uvicorn.run(app, host="127.0.0.1", port=8001)

Safe by default: every value is escaped by the templates (autoescape) and `annotate`;
each response carries a Content-Security-Policy (no script on vanban's pages; Datasette's
own inline scripts on its pages), nosniff and no framing; an error is a page saying what
to do, never a stack trace; without uploads, any method but GET and HEAD is refused.

Starlette, Jinja2 and Datasette (the `web` extra) are imported when the app is made, so
the package imports without them.
"""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import urlencode

from vanban.extras import need
from vanban.pipeline.web import i18n, pages
from vanban.pipeline.web.datasette_app import BASE_URL, datasette_app
from vanban.pipeline.web.reader import StoreBusy, StoreReader
from vanban.pipeline.web.upload import Uploads

LOG = logging.getLogger("vanban.web")
PAGE_CSP = ("default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Datasette's pages run inline scripts of their own (facets, the SQL editor)
DATA_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
           (b"x-frame-options", b"DENY")]
READ_METHODS = {"GET", "HEAD"}
WORKING_REFRESH_SECONDS = 3


class Site:
    """What every page needs: the store, the templates, the language, the upload settings."""

    def __init__(self, reader: StoreReader, uploads: Optional[Uploads]):
        from jinja2 import Environment, PackageLoader, select_autoescape

        self.reader, self.uploads = reader, uploads
        self.env = Environment(loader=PackageLoader("vanban.pipeline.web", "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True))
        self.env.globals.update(kinds_label=lambda k, lang: i18n.label(f"kind_{k}", lang), data_url=self.data_url)

    @staticmethod
    def lang(request) -> str:
        return i18n.language(request.query_params.get("lang"))

    def url(self, request, path: str, **params) -> str:
        """path with params (those that are None left out), keeping the page's language."""
        wanted = {k: v for k, v in params.items() if v not in (None, "", False)}
        if self.lang(request) != i18n.DEFAULT_LANGUAGE:
            wanted["lang"] = self.lang(request)
        if not wanted:
            return path
        return path + ("&" if "?" in path else "?") + urlencode(wanted)

    def data_url(self, table: str = "", **params) -> str:
        """A Datasette page of the store: data_url('documents', so_hieu='187/KH-UBND')."""
        path = BASE_URL + self.reader.path.stem + (f"/{table}" if table else "")
        return path + ("?" + urlencode(params) if params else "")

    def render(self, request, template: str, status_code: int = 200, **context):
        from starlette.responses import HTMLResponse

        lang = self.lang(request)
        context.update(
            request=request, lang=lang, upload_on=self.uploads is not None,
            t=lambda key, **values: i18n.label(key, lang, **values),
            num=lambda value, places=None: i18n.format_number(value, lang, places),
            date=lambda value: i18n.format_date(value, lang),
            url=lambda path, **params: self.url(request, path, **params),
            doc_url=lambda row: self.url(request, pages.doc_url(row)),
            other_language=self._other_language(request))
        return HTMLResponse(self.env.get_template(template).render(**context), status_code=status_code)

    def _other_language(self, request) -> str:
        params = {k: v for k, v in request.query_params.items() if k != "lang"}
        if self.lang(request) == i18n.DEFAULT_LANGUAGE:
            params["lang"] = "en"
        return request.url.path + ("?" + urlencode(params) if params else "")

    def file(self, path: Path):
        """A file the store names, shown in the browser (a PDF opens at #page=n)."""
        from starlette.responses import FileResponse

        return FileResponse(path, filename=path.name, content_disposition_type="inline")

    def download(self, content: str | bytes | Iterator[bytes], media_type: str, filename: str):
        """A file to save: its content, or its chunks streamed as they are read."""
        from urllib.parse import quote

        from starlette.responses import Response, StreamingResponse

        headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"}
        if isinstance(content, (str, bytes)):
            return Response(content, media_type=media_type, headers=headers)
        return StreamingResponse(content, media_type=media_type, headers=headers)

    def nothing(self):
        from starlette.responses import Response

        return Response(status_code=204)

    def redirect(self, url: str):
        """After a form is posted: see the result at url."""
        from starlette.responses import RedirectResponse

        return RedirectResponse(url, status_code=303)

    def working(self, request, seconds: float):
        """The page a slow answer shows while it is worked out; it reloads by itself (no script)."""
        return self.render(request, "working.html", seconds=int(seconds), refresh=WORKING_REFRESH_SECONDS)

    def error(self, request, status: int, detail: str):
        key = f"error_{status}" if f"error_{status}" in i18n.labels() else "error_400"
        return self.render(request, "error.html", status_code=status, status=status, title_key=key, detail=detail)


def create_app(db_path: Path | str, uploads: Optional[Uploads] = None, datasette: bool = True):
    """The whole server as one ASGI app over the store at db_path (which must exist).

    uploads: the inbox and token when --allow-upload is given; None keeps every route read-only.
    """
    need("starlette", "vanban serve")
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.exceptions import HTTPException
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    reader = StoreReader(db_path)
    reader.prepare()
    site = Site(reader, uploads)

    def page(handler):
        async def endpoint(request):
            result = handler(request, site)
            return await result if hasattr(result, "__await__") else result
        return endpoint

    def sync_page(handler):
        # the store's reads block: run them in the thread pool, each thread with its own connection
        async def endpoint(request):
            return await run_in_threadpool(handler, request, site)
        return endpoint

    routes = [
        Route("/", sync_page(pages.overview)),
        Route("/search", sync_page(pages.search_page)),
        Route("/doc/{key:path}", sync_page(pages.document_page)),
        Route("/file/{doc_id}", sync_page(pages.original_file)),
        Route("/cited-by", sync_page(pages.cited_by_page)),
        Route("/evidence", sync_page(pages.evidence_page)),
        Route("/evidence.xlsx", sync_page(pages.evidence_download)),
        Route("/evidence.csv", sync_page(pages.evidence_download)),
        Route("/audit", sync_page(pages.audit_page)),
        Route("/audit.csv", sync_page(pages.audit_download)),
        Route("/upload", page(pages.upload_page), methods=["GET", "POST"]),
        Route("/upload/{job:int}", sync_page(pages.upload_job_page)),
        Mount("/static", StaticFiles(packages=[("vanban.pipeline.web", "static")]), name="static"),
        # Datasette's pages name no icon: the browser asks the site's root for one
        Route("/favicon.ico", page(lambda request, site: site.nothing())),
    ]

    async def http_error(request, exc: HTTPException):
        return site.error(request, exc.status_code, exc.detail if isinstance(exc.detail, str) else "")

    async def page_error(request, exc: pages.PageError):
        return site.error(request, exc.status, exc.detail)

    async def server_error(request, exc: Exception):
        if isinstance(exc, StoreBusy) or (isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc)):
            # an ingest elsewhere has changes the corpus update has not placed yet
            return site.error(request, 503, "the store is being updated by an ingest: reload in a moment")
        LOG.exception("error on %s", request.url.path)
        return site.error(request, 500, "something went wrong on the server; the log says what")

    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error, pages.PageError: page_error,
                                                                Exception: server_error})
    data = datasette_app(reader.path) if datasette else None
    return SafeApp(app, data, site, uploads is not None)


class SafeApp:
    """Routes /data/ to Datasette and the rest to vanban's pages; adds the security headers to
    every response and refuses every write method unless uploads are on (and then only /upload)."""

    def __init__(self, pages_app, data_app, site: Site, uploads_on: bool):
        self.pages_app, self.data_app, self.site, self.uploads_on = pages_app, data_app, site, uploads_on

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.pages_app(scope, receive, send)
        path = scope["path"]
        is_data = path == BASE_URL.rstrip("/") or path.startswith(BASE_URL)
        csp = (DATA_CSP if is_data else PAGE_CSP).encode()

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-security-policy"]
                message = {**message, "headers": headers + [(b"content-security-policy", csp), *HEADERS]}
            await send(message)

        if scope["method"] not in READ_METHODS and not (self.uploads_on and path == "/upload"):
            from starlette.requests import Request

            request = Request(scope, receive)
            response = self.site.error(request, 405, "this server is read-only: start it with --allow-upload "
                                                     "to ingest files from the browser")
            response.headers["allow"] = "GET, HEAD"
            return await response(scope, receive, send_with_headers)
        if is_data and self.data_app is not None:
            if path == BASE_URL.rstrip("/"):
                scope = {**scope, "path": BASE_URL, "raw_path": BASE_URL.encode()}
            return await self.data_app(scope, receive, send_with_headers)
        return await self.pages_app(scope, receive, send_with_headers)
