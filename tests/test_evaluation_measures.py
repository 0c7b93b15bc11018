"""pipeline/dev/evaluation/measures.py: a figure scored for its kind, scope and year, and the misses listed."""
import json

from vanban.pipeline.dev.evaluation.measures import score_measures


def test_a_figures_wrong_year_is_listed_with_its_quote(tmp_path):
    (tmp_path / "targets").mkdir()
    quote = "Phấn đấu đến năm 2025, 90% hồ sơ được xử lý trên môi trường mạng"
    gold = {"value": 90.0, "unit": "%", "kind": "target", "scope": None, "year": 2025, "quote": quote}
    (tmp_path / "targets" / "a.json").write_text(json.dumps({"file": "a.txt", "percentages": [gold]}), encoding="utf-8")
    result = score_measures(tmp_path, {"a.txt": [{**gold, "year": 2024}]})
    assert result["year_accuracy"] == 0.0 and result["kind_accuracy"] == 1.0
    assert result["files"]["a.txt"]["wrong_year"] == [{"gold": 2025, "predicted": 2024, "quote": quote}]
