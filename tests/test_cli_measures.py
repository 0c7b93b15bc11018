"""`vanban measures` and `vanban measures compare` on a store of the seeds."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from PIL import Image

from vanban.pipeline.cli.main import main
from vanban.pipeline.reading.ingest import ingest
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli_measures") / "v.db"
    ingest([SEEDS], path, jobs=2, progress=False)
    return path


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_bare_measures_lists_a_readable_table(db):
    out = run("measures", "--kind", "target", "--metric", "ho so cong viec", "--db", db).stdout
    assert out.splitlines()[0].split() == ["document", "page", "kind", "value", "metric", "scope", "year", "as_of"]
    assert "206/KH-UBND" in out and "40%" in out and "cấp xã" in out


def test_money_in_the_table_reads_as_ty_dong(db):
    out = run("measures", "--unit", "VND", "--province", "lang son", "--db", db).stdout
    assert "216,3 tỷ đồng" in out


def test_json_and_csv_keep_raw_numbers(db):
    rows = json.loads(run("measures", "--doc", "206/KH-UBND", "--unit", "VND", "--format", "json",
                          "--db", db).stdout)
    assert 216_300_000_000.0 in [r["value"] for r in rows]
    assert {"doc_id", "so_hieu", "value", "unit", "kind", "metric", "scope", "year", "quote"} <= set(rows[0])
    text = run("measures", "--year", "2021", "--kind", "target", "--format", "csv", "--db", db).stdout
    table = list(csv.DictReader(io.StringIO(text)))
    assert table and {r["year"] for r in table} == {"2021"} and float(table[0]["value"]) >= 0


def test_limit_says_how_many_were_left_out(db):
    result = run("measures", "--limit", "2", "--format", "json", "--db", db)
    assert len(json.loads(result.stdout)) == 2 and "--limit 0 for all" in result.stderr


def test_an_unknown_document_says_what_to_try(db):
    result = CliRunner().invoke(main, ["measures", "--doc", "999/XX", "--db", str(db)])
    assert result.exit_code != 0 and "no document matches" in result.output


def test_compare_prints_groups_and_writes_charts(db, tmp_path):
    result = run("measures", "compare", "--metric", "hồ sơ công việc", "--db", db)
    assert result.stdout.startswith("hồ sơ công việc được xử lý trên môi trường mạng")
    assert "2030" in result.stdout and "100%" in result.stdout
    result = run("measures", "compare", "--metric", "hồ sơ công việc", "-o", tmp_path / "c.png", "--db", db)
    assert not result.stdout and f"wrote {tmp_path / 'c.png'}" in result.stderr
    with Image.open(tmp_path / "c.png") as image:
        assert image.format == "PNG"
    run("measures", "--db", db, "compare", "--metric", "ho so cong viec", "-o", tmp_path / "c.html")
    assert "<img" in (tmp_path / "c.html").read_text(encoding="utf-8")


def test_compare_as_json_has_one_row_per_figure_with_its_group(db):
    rows = json.loads(run("measures", "compare", "--metric", "ho so cong viec", "--province", "lạng sơn",
                          "--format", "json", "--db", db).stdout)
    assert {r["so_hieu"] for r in rows} == {"206/KH-UBND"}
    assert {r["metric_key"] for r in rows} >= {"ho so cong viec duoc xu ly tren moi truong mang"}


def test_compare_with_no_match_fails_helpfully(db):
    result = CliRunner().invoke(main, ["measures", "compare", "--metric", "khong co gi", "--db", str(db)])
    assert result.exit_code == 1 and "vanban measures" in result.output


def test_a_chart_needs_a_file(db):
    result = CliRunner().invoke(main, ["measures", "compare", "--metric", "ho so", "--format", "png", "--db", str(db)])
    assert result.exit_code == 2 and "-o FILE" in result.output
