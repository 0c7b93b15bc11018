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
