"""vanban serve, in-process (Starlette's TestClient): every page, its parameters, its errors,
its safety headers, Datasette under /data/ with its descriptions, and uploads.

The browser tests (tests/test_web_browser.py) drive the same pages in Chromium.
"""
from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest

pytest.importorskip("datasette")
pytest.importorskip("starlette")

from starlette.testclient import TestClient  # noqa: E402

from tests.conftest import SEEDS  # noqa: E402
from vanban.pipeline.web import i18n  # noqa: E402
from vanban.pipeline.web.app import create_app  # noqa: E402
from vanban.pipeline.web.datasette_app import column_description, described_tables, table_descriptions  # noqa: E402
from vanban.pipeline.web.upload import Uploads  # noqa: E402

# a plan whose title carries markup: every page must show it as text
SCRIPT_PLAN = """UỶ BAN NHÂN DÂN
TỈNH TUYÊN QUANG
Số: 99/KH-UBND
Tuyên Quang, ngày 05 tháng 3 năm 2023
KẾ HOẠCH
Thử <script>alert("xss")</script> chuyển đổi số

Căn cứ Nghị định số 47/2020/NĐ-CP ngày 09/4/2020 của Chính phủ;
I. MỤC TIÊU
- Phấn đấu 80% hồ sơ <b>công việc</b> được xử lý trên môi trường mạng.
"""
TOKEN = "kiem-tra-token"


def build_web_store(folder: Path) -> Path:
    """The seed plans and the plan with <script> in its title, ingested into folder/vanban.db."""
    from vanban.pipeline.reading.ingest import ingest

    extra = folder / "extra"
    extra.mkdir(parents=True, exist_ok=True)
    (extra / "099_script.txt").write_text(SCRIPT_PLAN, encoding="utf-8")
    path = folder / "vanban.db"
    summary = ingest([SEEDS, extra], path, jobs=1, progress=False)
    assert not summary.failures
    return path


@pytest.fixture(scope="module")
def web_store(tmp_path_factory) -> Path:
    return build_web_store(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(web_store):
    with TestClient(create_app(web_store), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def upload_client(web_store, tmp_path_factory):
    inbox = tmp_path_factory.mktemp("inbox")
    with TestClient(create_app(web_store, Uploads(web_store, inbox, TOKEN)), raise_server_exceptions=False) as c:
        yield c, inbox


PAGES = ["/", "/search?q=chuyen+doi+so", "/doc/187/KH-UBND", "/cited-by?id=47/2020/NĐ-CP&type=KH",
         "/evidence?province=Tuyên Quang", "/audit", "/upload", "/cited-by", "/evidence", "/search"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_with_the_safety_headers(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    csp = response.headers["content-security-policy"]
    assert "script-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert '<html lang="vi">' in response.text


def test_english_labels_and_vietnamese_numbers(client):
    vi, en = client.get("/"), client.get("/?lang=en")
    assert "Kho văn bản" in vi.text and "The document store" in en.text
    assert '<html lang="en">' in en.text and "lang=en" in en.text  # links keep the language
    assert i18n.format_number(1234.5) == "1.234,5" and i18n.format_date("2022-10-03") == "03/10/2022"


def test_search_finds_the_same_documents_with_and_without_diacritics(client):
    def documents(q):
        return sorted(set(__import__("re").findall(r'data-doc="([0-9a-z]+)"', client.get("/search", params={"q": q}).text)))
    with_marks, without = documents("chuyển đổi số"), documents("chuyen doi so")
    assert with_marks and with_marks == without


def test_search_filters_and_highlights(client):
    page = client.get("/search", params={"q": "chuyen doi so", "type": "Kế hoạch", "province": "Lạng Sơn"}).text
    assert "206/KH-UBND" in page and "187/KH-UBND" not in page
    assert "<mark>chuyển đổi số</mark>" in page.replace("<mark>chuyển</mark> <mark>đổi</mark> <mark>số</mark>",
                                                        "<mark>chuyển đổi số</mark>")


def test_document_page_marks_references_figures_and_pages(client):
    page = client.get("/doc/187/KH-UBND").text
    assert "LEGAL_BASIS" in page and "TARGET" in page  # marks from the stored spans, and the legend
    assert 'class="vb-legend"' in page
    assert 'id="cite-' in page
    assert "/file/" in page  # the original file


def test_document_page_of_a_long_pdf_has_page_markers(client, web_store, tmp_path):
    pdfs = sorted((SEEDS.parent / "pdf").glob("001_*.pdf"))
    if not pdfs:
        pytest.skip("corpus/pdf is empty: run setup.sh")
    from vanban.pipeline.reading.ingest import ingest

    path = tmp_path / "pdf.db"
    ingest(pdfs, path, jobs=1, progress=False)
    with TestClient(create_app(path, datasette=False)) as c:
        page = c.get("/doc/187/KH-UBND").text
    assert 'class="page-marker" id="page-2"' in page and "Trang 2" in page


def test_markup_in_a_title_is_shown_as_text(client):
    for url in ("/doc/99/KH-UBND", "/search?q=thu+chuyen+doi+so", "/cited-by?id=47/2020/NĐ-CP"):
        page = client.get(url).text
        assert "<script>" not in page, url
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in client.get("/doc/99/KH-UBND").text


def test_cited_by_links_to_the_citation_in_the_citing_plan(client):
    page = client.get("/cited-by", params={"id": "47/2020/NĐ-CP", "type": "KH"}).text
    assert "204/KH-UBND" in page and "<svg" in page
    assert 'href="/doc/204/KH-UBND#cite-47-2020-NĐ-CP-2020-national"' in page
    target = client.get("/doc/204/KH-UBND").text
    assert 'id="cite-47-2020-NĐ-CP-2020-national"></span><mark' in target


@pytest.mark.parametrize("url, status", [("/doc/99999/XX-YY", 404), ("/cited-by?id=99999/XX-YY", 404),
                                         ("/search?q=a&year=abc", 400), ("/audit?kind=nope", 400),
                                         ("/cited-by?id=x&transitive=maybe", 400), ("/nothing-here", 404),
                                         ("/evidence.xlsx", 400)])
def test_errors_are_pages_without_stack_traces(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert "Traceback" not in response.text and "<h1>" in response.text


def test_evidence_downloads(client):
    xlsx = client.get("/evidence.xlsx", params={"province": "Tuyên Quang"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    rows = list(csv.DictReader(io.StringIO(client.get("/evidence.csv", params={"province": "Tuyên Quang"}).text)))
    assert rows and {"indicator", "document", "page", "quote", "score", "reason"} <= set(rows[0])


def test_audit_filters_and_csv(client):
    page = client.get("/audit", params={"kind": "missing_document"}).text
    assert "Văn bản được trích dẫn nhưng chưa có" in page
    rows = list(csv.DictReader(io.StringIO(client.get("/audit.csv", params={"kind": "missing_document"}).text)))
    assert rows and {r["kind"] for r in rows} == {"missing_document"}


def test_no_route_writes_without_uploads(client, web_store):
    before = web_store.stat().st_mtime_ns
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/upload").status_code == 405
        assert getattr(client, method)("/data/vanban/documents").status_code == 405
    assert "--allow-upload" in client.get("/upload").text
    assert web_store.stat().st_mtime_ns == before


def test_datasette_serves_the_store_with_descriptions_and_canned_queries(client):
    assert client.get("/data/vanban/documents.json").status_code == 200
    page = client.get("/data/vanban/documents").text
    assert "Mỗi văn bản thật một dòng" in page
    plans = client.get("/data/vanban/ke_hoach_can_cu_nghi_dinh.json",
                       params={"so_hieu": "47/2020/NĐ-CP", "_shape": "array"}).json()
    assert {"204/KH-UBND", "206/KH-UBND"} <= {r["so_hieu"] for r in plans}
    missing = client.get("/data/vanban/van_ban_duoc_trich_dan_nhung_chua_co.json", params={"_shape": "array"}).json()
    assert missing and all(r["so_hieu"] for r in missing)


def test_every_table_and_column_is_described(web_store):
    import sqlite3

    tables = table_descriptions()
    for table, columns in described_tables(sqlite3.connect(web_store)).items():
        assert table in tables, f"table {table}: add it to pipeline/web/data/tables.csv"
        for column in columns:
            assert column_description(table, column), f"{table}.{column}: add it to pipeline/web/data/columns.csv"


def test_upload_needs_the_token_then_ingests_in_the_background(upload_client):
    client, inbox = upload_client
    files = {"files": ("ke hoach.txt", SCRIPT_PLAN.replace("99/KH-UBND", "98/KH-UBND").encode(), "text/plain")}
    refused = client.post("/upload", files=files, data={"token": "wrong"}, follow_redirects=False)
    assert refused.status_code == 403 and not list(inbox.iterdir())
    assert client.post("/upload", files=files, follow_redirects=False).status_code == 403
    accepted = client.post("/upload", files=files, data={"token": TOKEN}, follow_redirects=False)
    assert accepted.status_code == 303
    job = accepted.headers["location"]
    for _ in range(120):
        page = client.get(job).text
        if "Xong." in page:
            break
        time.sleep(0.5)
    assert "đã nạp: 1 văn bản" in page
    assert (inbox / "ke hoach.txt").is_file()
    assert client.get("/doc/98/KH-UBND").status_code == 200


def test_an_upload_read_in_part_says_what_was_left_out(upload_client):
    client, _ = upload_client
    body = json.dumps({"id": "a", "text": SCRIPT_PLAN.replace("99/KH-UBND", "97/KH-UBND")}) + "\n{broken\n"
    accepted = client.post("/upload", files={"files": ("lo.jsonl", body.encode(), "application/x-ndjson")},
                           data={"token": TOKEN}, follow_redirects=False)
    for _ in range(120):
        page = client.get(accepted.headers["location"]).text
        if "Xong." in page:
            break
        time.sleep(0.5)
    assert "đã nạp: 1 văn bản" in page and "bỏ qua: line 2 skipped" in page


def test_the_overview_counts_from_indexes_without_reading_a_row(web_store):
    from vanban.pipeline import store
    from vanban.pipeline.web.pages import corpus_overview
    db = store.open_db(web_store)
    read = []
    db.conn.set_trace_callback(read.append)
    stats = corpus_overview(db)
    db.conn.set_trace_callback(None)
    assert stats["documents"] == db.execute("select count(*) from documents").fetchone()[0] > 0
    assert (stats["renditions"], stats["pages"], stats["ocr_pages"]) == db.execute(
        "select count(*), total(pages), total(ocr_pages) from renditions").fetchone()
    scans = [step for sql in read if "from renditions" in sql
             for (_, _, _, step) in db.execute("explain query plan " + sql) if step.startswith("SCAN")]
    assert scans and all("COVERING INDEX" in step for step in scans), scans
