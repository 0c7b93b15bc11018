"""vanban.pipeline.store.export and `vanban show`: how a document was read travels with it."""
import json

from click.testing import CliRunner

from vanban.pipeline.cli.main import main

PLAN = "ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\nSố: 206/KH-UBND\nLạng Sơn, ngày 20 tháng 10 năm 2021\nKẾ HOẠCH\nChuyển đổi số\n"


def test_warnings_are_exported_and_shown(tmp_path):
    misnamed = tmp_path / "kh206.pdf"  # text named .pdf: read as text, with a warning
    misnamed.write_text(PLAN, encoding="utf-8")
    db = str(tmp_path / "v.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(misnamed), "--db", db, "--jobs", "1"]).exit_code == 0
    shown = runner.invoke(main, ["show", "206/KH-UBND", "--db", db])
    assert "note: named .pdf but its content is TEXT" in shown.output
    exported = runner.invoke(main, ["export", "--format", "jsonl", "--db", db])
    record = json.loads(exported.output.splitlines()[0])
    assert record["identity"]["id"] == "206/KH-UBND" and record["warnings"] == ["named .pdf but its content is TEXT; read as TEXT"]


def test_every_file_has_its_line_by_file_though_two_give_the_same_text(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    (folder / "copy").mkdir(parents=True)
    (folder / "kh206.txt").write_text(PLAN, encoding="utf-8")
    (folder / "copy" / "kh206.txt").write_text(PLAN, encoding="utf-8")  # the same bytes elsewhere
    (folder / "kh206-utf16.txt").write_bytes(PLAN.encode("utf-16"))  # the same text saved another way
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "docs", "--db", "v.db", "--jobs", "1"]).exit_code == 0
    exported = runner.invoke(main, ["export", "--format", "jsonl", "--by", "file", "--db", "v.db"])
    records = [json.loads(line) for line in exported.output.splitlines()]
    assert sorted(r["source"] for r in records) == ["docs/copy/kh206.txt", "docs/kh206-utf16.txt", "docs/kh206.txt"]
    assert {r["identity"]["id"] for r in records} == {"206/KH-UBND"}
