"""The bench runs end to end on a small corpus and reports every figure it promises (no timing asserted)."""
import shutil
from pathlib import Path

import pytest

from vanban.pipeline.dev.bench import render, run_bench

CORPUS = Path(__file__).parent.parent / "corpus"


@pytest.mark.skipif(not (CORPUS / "pdf").is_dir(), reason="corpus/pdf is made by setup.sh")
def test_bench_reports_text_layer_figures_side_by_side(tmp_path):
    (tmp_path / "pdf").mkdir()
    shutil.copy(sorted((CORPUS / "pdf").glob("*.pdf"))[0], tmp_path / "pdf")
    report = run_bench(tmp_path, jobs=1, ocr_pages=0, audit_docs=0, rounds=2)
    text = report["text_layer"]
    assert text["raw_pypdfium2"]["pages"] == text["vanban_ingest"]["pages"] > 0
    assert set(text["vanban_ingest"]["stages_pages_per_s"]) >= {"read", "normalise", "structure", "identity", "store"}
    assert text["vanban_ingest"]["model_load_seconds"] > 0
    out = render(report)
    assert text["raw_pdfplumber"]["pages"] > 0
    assert "raw pypdfium2" in out and "best of 2 rounds" in out and "pdfplumber" in out and "peak RSS" in out


def test_bench_without_a_corpus_folder_says_so_but_scale_needs_none(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from vanban.pipeline.cli.main import main
    import vanban.pipeline.dev.scale_bench as scale_bench
    monkeypatch.chdir(tmp_path)  # no corpus/ here
    result = CliRunner().invoke(main, ["bench", "--ocr-pages", "0"])
    assert result.exit_code == 2 and "setup.sh" in result.output
    asked = []
    monkeypatch.setattr(scale_bench, "bench_scale", lambda n, **options: asked.append(options) or {"documents": n})
    monkeypatch.setattr(scale_bench, "render", lambda report: f"scale {report['documents']}")
    result = CliRunner().invoke(main, ["bench", "--scale", "50", "--quiet"])
    assert result.exit_code == 0 and "scale 50" in result.output
    assert CliRunner().invoke(main, ["bench", "--scale", "50", "--quiet", "--store-folder", "kept"]).exit_code == 0
    assert [(o["folder"], o["reuse"]) for o in asked] == [(None, False), (Path("kept"), True)]


def test_bench_cold_goes_with_scale_and_says_when_it_cannot_drop_pages(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from vanban.pipeline.cli.main import main
    import vanban.pipeline.dev.scale_bench as scale_bench
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["bench", "--cold"])
    assert result.exit_code == 2 and "--scale" in result.output
    asked = []
    monkeypatch.setattr(scale_bench, "bench_scale", lambda n, **options: asked.append(options) or {"documents": n})
    monkeypatch.setattr(scale_bench, "render", lambda report: f"scale {report['documents']}")
    assert CliRunner().invoke(main, ["bench", "--scale", "50", "--cold", "-q"]).exit_code == 0
    assert asked[-1]["cold"] is True and asked[-1]["pages"] is False
    result = CliRunner().invoke(main, ["bench", "--scale", "50", "--pages"])
    assert result.exit_code == 2 and "--cold" in result.output
    assert CliRunner().invoke(main, ["bench", "--scale", "50", "--cold", "--pages", "-q"]).exit_code == 0
    assert asked[-1]["pages"] is True

    def no_fadvise(n, **options):
        scale_bench.require_eviction()
    monkeypatch.delattr(scale_bench.os, "posix_fadvise", raising=False)
    monkeypatch.setattr(scale_bench, "bench_scale", no_fadvise)
    result = CliRunner().invoke(main, ["bench", "--scale", "50", "--cold", "-q"])
    assert result.exit_code == 1 and "run without --cold" in result.output and "Traceback" not in result.output
