"""The evidence report: HTML that a browser renders, XLSX that openpyxl reads."""
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from vanban.pipeline import store
from vanban.pipeline.cli.main import main
from vanban.pipeline.corpus.evidence import THRESHOLD, find_evidence
from vanban.pipeline.reading.ingest import ingest
from vanban.pipeline.reports.evidence import render_html, write_xlsx
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "seeds.db"
    ingest([SEEDS], path, jobs=1, progress=False)
    return path, [r.as_dict() for r in find_evidence(store.open_db(path), "Tuyên Quang", 2021)]


META = dict(province="Tuyên Quang", year=2021, catalogue_version="DTI 2021 (cấp tỉnh)", threshold=THRESHOLD)


def test_html_has_a_row_per_indicator_and_lists_the_missing(results):
    page = render_html(results[1], **META)
    assert page.count('<td class="code">') == 98
    assert "48-NQ/TU" in page and "chưa có minh chứng" in page
    assert "Chỉ số chưa có minh chứng" in page and "chưa xác định tên chỉ số" in page
    assert "<script" not in page and "http" not in page.split("<body>")[0]


def test_xlsx_opens_with_openpyxl(results, tmp_path):
    load_workbook = pytest.importorskip("openpyxl", reason="XLSX needs the xlsx extra").load_workbook
    path = tmp_path / "r.xlsx"
    write_xlsx(path, results[1], **META)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Minh chứng", "Tất cả", "Chưa có", "Thông tin"]
    rows = list(wb["Minh chứng"].iter_rows(values_only=True))
    assert len(rows) == 99 and rows[0][0] == "Mã"
    row_21 = next(r for r in rows if r[0] == "2.1")
    assert row_21[5] == "48-NQ/TU" and row_21[4] == "có minh chứng"
    missing = [r[0] for r in wb["Chưa có"].iter_rows(min_row=2, values_only=True)]
    assert "1.4" in missing and "3.4" in missing and "2.1" not in missing


def test_cli_writes_html_and_xlsx(results, tmp_path):
    pytest.importorskip("openpyxl", reason="XLSX needs the xlsx extra")
    db = str(results[0])
    for fmt in ("html", "xlsx"):
        out = tmp_path / f"r.{fmt}"
        res = CliRunner().invoke(main, ["evidence", "--province", "Tuyên Quang", "--db", db, "--format", fmt,
                                        "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert out.stat().st_size > 1000
    res = CliRunner().invoke(main, ["evidence", "--province", "Tuyên Quang", "--db", db, "--format", "xlsx"])
    assert res.exit_code == 2 and "-o FILE" in res.output


@pytest.mark.slow
def test_html_renders_in_headless_chromium(results, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        pytest.skip("chromium not installed (Debian package: chromium)")
    html_path = tmp_path / "report.html"
    html_path.write_text(render_html(results[1], **META), encoding="utf-8")
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(flags + ["--dump-dom", html_path.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "48-NQ/TU" in dom.stdout and "Chỉ số chưa có minh chứng" in dom.stdout
    assert dom.stdout.count('<td class="code">') == 98
    png = tmp_path / "report.png"
    shot = subprocess.run(flags + [f"--screenshot={png}", "--window-size=1280,2000", html_path.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert shot.returncode == 0 and png.exists(), shot.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20000
