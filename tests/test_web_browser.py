"""vanban serve in a real browser: Debian's Chromium, driven by Playwright (executable_path:
no browser is downloaded), against `vanban serve` started on a free port over the seed
plans and a plan carrying <script> in its title. Each page's screenshot is saved to a
temporary folder, or to the folder VANBAN_SCREENSHOTS names: the README's pictures are made with
`VANBAN_SCREENSHOTS=outputs/screenshots python3 -m pytest tests/test_web_browser.py` (a plain
test run leaves the checkout as it was).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_web import TOKEN, build_web_store

sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("datasette")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("VANBAN_SCREENSHOTS") or Path(tempfile.gettempdir()) / "vanban-screenshots")
START_SECONDS = 60

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Chromium: setup.sh installs Debian's")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`vanban serve --allow-upload` on a free port; yields its base URL."""
    folder = tmp_path_factory.mktemp("served")
    db = build_web_store(folder)
    port = free_port()
    env = {**os.environ, "VANBAN_TOKEN": TOKEN}
    process = subprocess.Popen([sys.executable, "-m", "vanban.pipeline.cli.main", "serve", "--db", str(db),
                                "--port", str(port), "--allow-upload", "--inbox", str(folder / "inbox")],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            urllib.request.urlopen(base + "/static/vanban.css", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"vanban serve did not start: {process.stdout.read()[-2000:]}")
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="vi-VN")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.on("dialog", lambda dialog: page.console_errors.append(f"dialog: {dialog.message}") or dialog.dismiss())
    yield page
    context.close()


def wait_past_working(page, selector: str) -> None:
    """A slow answer shows a page that reloads itself until the answer is there."""
    page.wait_for_selector(selector, timeout=120_000)


PAGES = [("overview", "/"), ("overview-en", "/?lang=en"), ("search", "/search?q=chuyen+doi+so"),
         ("document", "/doc/187/KH-UBND"), ("cited-by", "/cited-by?id=47/2020/NĐ-CP&type=KH"),
         ("evidence", "/evidence?province=Tuyên Quang"), ("audit", "/audit"), ("upload", "/upload"),
         ("error-404", "/doc/99999/XX-YY"), ("datasette-documents", "/data/vanban/documents"),
         ("datasette-canned-query", "/data/vanban/ke_hoach_can_cu_nghi_dinh?so_hieu=47/2020/NĐ-CP"),
         ("datasette-search", "/data/vanban/passages?_search=chuyen+doi+so")]


@pytest.mark.parametrize("name, path", PAGES, ids=[name for name, _ in PAGES])
def test_every_page_loads_without_console_errors(server, page, name, path):
    response = page.goto(server + path)
    if path.startswith(("/evidence", "/audit")):
        wait_past_working(page, "table")
    page.wait_for_load_state("networkidle")
    errors = page.console_errors
    if name == "error-404":  # the browser reports the page's own status; nothing else may fail
        assert response.status == 404
        errors = [e for e in errors if "status of 404" not in e]
    assert errors == [], errors
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


def documents_found(page, server, query: str) -> set[str]:
    page.goto(server + "/")
    page.fill("header input[name=q]", query)
    page.press("header input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    return set(page.locator("li.hit").evaluate_all("items => items.map(i => i.dataset.doc)"))


def test_the_same_search_with_and_without_diacritics_finds_the_same_documents(server, page):
    with_marks = documents_found(page, server, "kế hoạch chuyển đổi số")
    without = documents_found(page, server, "ke hoach chuyen doi so")
    assert with_marks and with_marks == without
    assert page.locator("p.snippet mark").count() > 0


def test_from_cited_by_a_click_reaches_the_plan_and_its_highlighted_citation(server, page):
    page.goto(server + "/cited-by?id=47/2020/NĐ-CP&type=KH")
    page.locator("a.citing", has_text="204/KH-UBND").click()
    page.wait_for_url("**/doc/204/KH-UBND#cite-*")
    assert "204/KH-UBND" in page.locator("h1").inner_text()
    cited = page.locator(":target + mark")
    assert "47/2020/NĐ-CP" in cited.inner_text()
    assert cited.evaluate("m => getComputedStyle(m).outlineStyle") == "solid"
    box = cited.bounding_box()
    assert box and 0 <= box["y"] < 900  # scrolled to it
    page.screenshot(path=SCREENSHOTS / "document-citation.png")
    assert page.console_errors == []


def test_an_evidence_xlsx_downloads_and_opens(server, page, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    page.goto(server + "/evidence?province=Tuyên Quang")
    wait_past_working(page, "a.download")
    with page.expect_download() as download:
        page.locator("a.download", has_text="XLSX").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    workbook = openpyxl.load_workbook(path)
    assert {"Minh chứng", "Tất cả", "Chưa có", "Thông tin"} <= set(workbook.sheetnames)
    assert workbook["Minh chứng"].max_row > 90  # one row per indicator


def test_an_upload_without_the_token_is_refused(server, page):
    page.goto(server + "/upload")
    page.set_input_files("input[name=files]", files=[{"name": "ke-hoach.txt", "mimeType": "text/plain",
                                                        "buffer": "Số: 5/KH-UBND".encode()}])
    page.fill("input[name=token]", "not-the-token")
    with page.expect_navigation() as navigation:
        page.click("form.upload button[type=submit]")
    assert navigation.value.status == 403
    assert "403" in page.locator("h1").inner_text()
    bare = page.request.post(server + "/upload", multipart={
        "files": {"name": "a.txt", "mimeType": "text/plain", "buffer": b"x"}})
    assert bare.status == 403


def test_a_script_in_a_title_is_shown_as_text(server, page):
    page.goto(server + "/doc/99/KH-UBND")
    page.wait_for_load_state("networkidle")
    assert '<script>alert("xss")</script>' in page.locator("p.lead").inner_text()
    assert page.locator("main script").count() == 0
    assert page.console_errors == []  # no alert() dialog, no CSP report
    page.screenshot(path=SCREENSHOTS / "escaped-title.png")
