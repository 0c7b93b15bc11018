"""Score exported identities against gold/identity.json."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from vanban.models.vietnamese import fix_d, fold, nfc
from vanban.pipeline.dev.evaluation.common import Score

FIELDS = ("type", "id", "number", "symbol", "date", "issuer", "province", "place", "signer", "signer_title")


def _same(field: str, predicted: Optional[str], expected: Optional[str]) -> bool:
    if predicted is None or expected is None:
        return predicted is None and expected is None
    if field in ("issuer", "signer", "signer_title", "place", "province", "type"):
        return fold(predicted).strip() == fold(expected).strip()
    return fix_d(nfc(predicted)).replace(" ", "") == fix_d(nfc(expected)).replace(" ", "")


def score_identity(gold_file: Path, predicted: dict[str, dict]) -> dict:
    """Per-field accuracy and precision/recall/F1 over the gold documents present in predicted.

    predicted maps a gold key ("001_7c7853e00c4cb2fd.txt") to an exported identity dict.
    A null gold value expects a null prediction; a wrong non-null prediction counts as
    both a false positive and (when gold is non-null) a false negative.
    """
    gold = json.loads(Path(gold_file).read_text(encoding="utf-8"))
    per_field = {f: Score() for f in FIELDS + ("title",)}
    correct = {f: 0 for f in per_field}
    errors = []
    compared = 0
    for key, expected in gold.items():
        if key not in predicted:
            continue
        compared += 1
        got = predicted[key]
        for f in FIELDS:
            ok = _same(f, got.get(f), expected.get(f))
            _count(per_field[f], ok, got.get(f), expected.get(f))
            correct[f] += ok
            if not ok:
                errors.append(f"{key} {f}: got {got.get(f)!r}, gold {expected.get(f)!r}")
        want = expected.get("title_contains")
        ok = bool(want) and fold(want) in fold(got.get("title") or "")
        ok = ok or (not want and not got.get("title"))
        _count(per_field["title"], ok, got.get("title"), want)
        correct["title"] += ok
        if not ok:
            errors.append(f"{key} title: got {got.get('title')!r}, gold contains {want!r}")
    return {"documents": compared,
            "fields": {f: {"accuracy": round(correct[f] / compared, 4) if compared else 0.0, **s.as_dict()}
                       for f, s in per_field.items()},
            "errors": errors}


def _count(score: Score, ok: bool, got, want) -> None:
    if ok and got is not None:
        score.true_pos += 1
    elif not ok:
        if got is not None:
            score.false_pos += 1
        if want is not None:
            score.false_neg += 1
