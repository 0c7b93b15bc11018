"""Score DTI evidence against a gold file of indicator/province pairs: top-1 and top-3 accuracy.

Gold (tests/fixtures/evidence_gold.json): {"pairs": [{"province", "year", "indicator",
"expected": [{"document"} | {"quote"} | {"value", "unit"}], "note"}]}. A pair with
`expected: []` says the corpus holds no evidence; it is right when none is reported.
"""
from __future__ import annotations

import json
from pathlib import Path

import regex
import sqlite_utils

from vanban.models.vietnamese import fold
from vanban.pipeline.corpus.evidence import find_evidence


def _squash(text: str) -> str:
    return " ".join(regex.split(r"[^\p{L}\p{N}%]+", fold(text or ""))).strip()


def matches(item: dict, expected: dict) -> bool:
    """True when an evidence item (Evidence as a dict) is the expected one."""
    if "document" in expected:
        return _squash(item["document"]) == _squash(expected["document"])
    if "quote" in expected:
        return _squash(expected["quote"]) in _squash(item["quote"])
    if "value" in expected and item.get("value") is not None:
        unit_ok = "unit" not in expected or fold(item.get("unit") or "") == fold(expected["unit"])
        return unit_ok and abs(item["value"] - expected["value"]) <= 1e-6 * max(1.0, abs(expected["value"]))
    return False


def score_evidence(db: sqlite_utils.Database, gold_file: Path | str) -> dict:
    """{"top1": …, "top3": …, "pairs": n, "errors": [pairs wrong at rank 1]}."""
    pairs = json.loads(Path(gold_file).read_text(encoding="utf-8"))["pairs"]
    top1 = top3 = 0
    errors = []
    for pair in pairs:
        result = find_evidence(db, pair["province"], pair.get("year"), [pair["indicator"]], limit=3)[0]
        items = [e.__dict__ for e in result.evidence]
        if not pair["expected"]:
            right1 = right3 = not items
        else:
            ranks = [i for i, item in enumerate(items) if any(matches(item, x) for x in pair["expected"])]
            right1, right3 = bool(ranks) and ranks[0] == 0, bool(ranks) and ranks[0] < 3
        top1 += right1
        top3 += right3
        if not right1:
            errors.append({"province": pair["province"], "indicator": pair["indicator"],
                           "got": [(i["document"], i["quote"][:80], i["score"]) for i in items]})
    n = len(pairs)
    return {"top1": round(top1 / n, 4) if n else 0.0, "top3": round(top3 / n, 4) if n else 0.0, "pairs": n,
            "errors": errors}
