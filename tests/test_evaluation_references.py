"""Tests for vanban.pipeline.dev.evaluation.references.score_references."""
import json

from vanban.pipeline.dev.evaluation.references import score_references


def test_score_matches_on_id_and_year_and_skips_optional(tmp_path):
    gold = {"file": "x.txt", "references": [
        {"id": "742/QĐ-UBND", "year": 2022, "dates": ["2022-06-24"], "jurisdiction": "Tuyên Quang",
         "relation": "legal_basis"},
        {"id": "468/QĐ-TTg", "year": None, "dates": [], "jurisdiction": "national", "relation": "mentions"},
        {"id": "TCVN 11930:2017", "year": 2017, "dates": [], "jurisdiction": "national", "relation": "mentions",
         "optional": True},
    ]}
    (tmp_path / "x.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    predicted = {"x.txt": [
        {"id": "742/QĐ-UBND", "year": 2022, "date": "2022-06-24", "jurisdiction": "Tuyên Quang", "relation": "mentions"},
        {"id": "468/QĐ-TTg", "year": 2021, "date": None, "jurisdiction": "national", "relation": "mentions"},
        {"id": "TCVN 11930:2017", "year": 2017},
        {"id": "1/QĐ-UBND", "year": 2020},
    ]}
    s = score_references(tmp_path, predicted)
    assert (s["tp"], s["fp"], s["fn"]) == (2, 1, 0)
    assert s["date_accuracy"] == 1.0 and s["relation_accuracy"] == 0.5
    assert s["files"]["x.txt"]["extras"] == ["1/QĐ-UBND (2020)"]
