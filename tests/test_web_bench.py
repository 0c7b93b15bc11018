"""The web bench on a small synthetic store: every kind of page answers, with figures."""
import pytest

pytest.importorskip("starlette")
pytest.importorskip("datasette")

from vanban.pipeline.dev.web_bench import render, run  # noqa: E402

pytestmark = pytest.mark.slow


def test_web_bench_times_every_kind_of_page(tmp_path):
    report = run(500, tmp_path, requests=6)
    assert set(report["pages"]) == {"overview", "search", "search, filtered", "document", "cited-by", "evidence",
                                    "audit", "datasette table"}
    for kind, figures in report["pages"].items():
        assert figures["statuses"] == [200], kind
        assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
    assert "audit" in report["cold_seconds"]
    assert "p95 ms" in render(report)
