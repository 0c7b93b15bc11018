"""One CLI convention: --format table|json|csv|nl, -o FILE, --limit, --version, --db and VANBAN_DB, exit codes."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from vanban.pipeline.cli.main import main
from vanban.pipeline.reading.ingest import ingest
from tests.conftest import SEEDS

# One read command of each kind, with arguments that find something in the seeds.
READS = {
    "search": ["search", "chuyen doi so"],
    "show": ["show", "206/KH-UBND"],
    "cites": ["cites", "206/KH-UBND"],
    "cited-by": ["cited-by", "nd 47/2020"],
    "measures": ["measures", "--unit", "VND"],
    "measures compare": ["measures", "compare", "--metric", "ho so cong viec"],
    "audit": ["audit"],
    "evidence": ["evidence", "--province", "Tuyên Quang", "--indicator", "2.1"],
}
ROWS = [name for name in READS if name != "show"]  # show prints one record


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli_output") / "seeds.db"
    ingest([SEEDS], path, jobs=2, progress=False)
    return str(path)


def run(*args, code: int = 0, env=None):
    result = CliRunner().invoke(main, [str(a) for a in args], env=env)
    assert result.exit_code == code, result.output
    return result


@pytest.mark.parametrize("name", READS)
def test_every_read_command_prints_valid_json(db, name):
    data = json.loads(run(*READS[name], "--format", "json", "--db", db).stdout)
    assert isinstance(data, dict if name == "show" else list) and data


@pytest.mark.parametrize("name", ROWS)
def test_nl_is_one_json_object_a_line_and_csv_has_a_header(db, name):
    lines = run(*READS[name], "--format", "nl", "--db", db).stdout.splitlines()
    assert lines and all(isinstance(json.loads(line), dict) for line in lines)
    table = list(csv.DictReader(io.StringIO(run(*READS[name], "--format", "csv", "--db", db).stdout)))
    assert table and len(table[0]) > 1


def test_the_seeds_answer_in_every_format(db):
    rows = json.loads(run("cited-by", "nd 47/2020", "--format", "json", "--db", db).stdout)
    assert "206/KH-UBND" in {r["so_hieu"] for r in rows}
    record = json.loads(run("show", "206/KH-UBND", "--format", "json", "--db", db).stdout)
    assert record["identity"]["province"] == "Lạng Sơn"
    evidence = json.loads(run(*READS["evidence"], "--format", "json", "--db", db).stdout)
    assert evidence[0]["evidence"][0]["document"] == "48-NQ/TU"


def test_output_file_takes_the_rows_and_names_itself_on_stderr(db, tmp_path):
    out = tmp_path / "new" / "ho_so.json"
    result = run("measures", "--metric", "ho so cong viec", "-o", out, "--db", db)
    assert not result.stdout and f"to {out}" in result.stderr
    assert {r["unit"] for r in json.loads(out.read_text(encoding="utf-8"))} == {"%"}  # format from the suffix
    run("search", "chuyen doi so", "--format", "csv", "-o", tmp_path / "hits.txt", "--db", db)
    assert (tmp_path / "hits.txt").read_text(encoding="utf-8").startswith("doc_id,so_hieu,source")


def test_output_to_a_folder_is_a_usage_error(db, tmp_path):
    result = run("search", "chuyen doi so", "-o", tmp_path, "--db", db, code=2)
    assert "is a folder" in result.output


def test_limit_cuts_the_table_says_so_and_zero_means_all(db):
    cut = run("search", "chuyen doi so", "--db", db)
    total = len(json.loads(run("search", "chuyen doi so", "--format", "json", "--db", db).stdout))
    assert total > 20 and f"showing 20 of {total} passages; --limit 0 for all" in cut.stderr
    every = run("search", "chuyen doi so", "--limit", "0", "--format", "nl", "--db", db)
    assert len(every.stdout.splitlines()) == total and "showing" not in every.stderr
    three = run("measures", "--limit", "3", "--format", "csv", "--db", db)
    assert len(list(csv.DictReader(io.StringIO(three.stdout)))) == 3 and "showing 3 of" in three.stderr


def test_nothing_found_exits_1_with_valid_json(db):
    result = run("search", "khong co tu nay", "--format", "json", "--db", db, code=1)
    assert json.loads(result.stdout) == [] and "no passage" in result.stderr
    assert "no document matches" in run("show", "999/XX-YY", "--db", db, code=1).output


def test_version():
    assert run("--version").stdout.startswith("vanban ")


def test_help_documents_the_exit_codes():
    text = run("--help").stdout
    assert "Exit codes" in text and "--fail-on" in text and "VANBAN_DB" in text


@pytest.mark.parametrize("args", [["search", "chuyen doi so"], ["show", "206/KH-UBND"], ["measures"], ["audit"],
                                  ["cited-by", "nd 47/2020"], ["export"], ["graph", "build"]])
def test_a_missing_store_exits_1_and_creates_nothing(tmp_path, args):
    missing = tmp_path / "nowhere" / "v.db"
    result = run(*args, "--db", missing, code=1)
    assert f"no store at {missing}" in result.output and "vanban ingest" in result.output
    assert list(tmp_path.iterdir()) == []


def test_vanban_db_names_the_default_store(db, tmp_path):
    result = run("show", "206/KH-UBND", "--format", "json", env={"VANBAN_DB": db})
    assert json.loads(result.stdout)["identity"]["id"] == "206/KH-UBND"
    run("measures", "compare", "--metric", "ho so cong viec", env={"VANBAN_DB": db})
    missing = tmp_path / "v.db"
    assert "no store at" in run("search", "so", env={"VANBAN_DB": str(missing)}, code=1).output
    assert not missing.exists()



# What a hostile document can put in a quote, a title or a số hiệu (OWASP's CSV injection list).
FORMULAS = ['=HYPERLINK("http://evil.example","Kế hoạch")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)",
            "\t=1+1", "\r=1+1"]


def test_csv_cells_never_start_a_formula():
    from vanban.pipeline.cli.output import format_rows
    rows = [{"quote": text, "value": -3.5} for text in FORMULAS]
    parsed = list(csv.DictReader(io.StringIO(format_rows(rows, "csv", ["quote", "value"]), newline="")))
    assert [r["quote"] for r in parsed] == ["'" + text for text in FORMULAS]
    assert {r["value"] for r in parsed} == {"-3.5"}  # a negative number is a number, not neutralised


def test_xlsx_cells_never_hold_a_formula(tmp_path):
    load_workbook = pytest.importorskip("openpyxl", reason="XLSX needs the xlsx extra").load_workbook
    from vanban.pipeline.reports.evidence import write_xlsx
    evidence = [{"kind": "figure", "document": text, "page": 1, "quote": text, "value": -3.5, "unit": "%",
                 "as_of": "2022", "score": 0.9, "reason": text, "source": text} for text in FORMULAS]
    results = [{"indicator": "2.1", "main_index": "=1+1", "name": "@x", "evidence_kind": "figure",
                "status": "found", "evidence": evidence}]
    path = tmp_path / "r.xlsx"
    write_xlsx(path, results, province="=Tuyên Quang", year=2022, catalogue_version="1", threshold=0.5)
    cells = [cell for sheet in load_workbook(path) for row in sheet.iter_rows() for cell in row
             if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'" + FORMULAS[0] in texts and "'=Tuyên Quang" in texts
    assert -3.5 in {c.value for c in cells}  # numbers stay numbers
