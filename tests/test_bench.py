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
