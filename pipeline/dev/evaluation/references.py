"""Score exported references against the hand-checked gold for the seed documents.

Matching follows gold/README.md: a reference matches on (id, year), the year ignored
when gold has none; a date is right if it equals any gold date; `optional` gold items
count neither as hits nor as misses (a prediction matching one is not an extra).
"""
from __future__ import annotations

import json
from pathlib import Path

from vanban.pipeline.dev.evaluation.common import Score


def _key_matches(gold: dict, pred: dict) -> bool:
    return gold["id"] == pred.get("id") and (gold.get("year") is None or gold["year"] == pred.get("year"))


def score_references(gold_dir: Path, predicted: dict[str, list[dict]]) -> dict:
    """Precision, recall, F1 and field accuracies over every gold file that has a prediction.

    `predicted` maps a seed file name ('002_54fdccef18f1f473.txt') to its exported
    reference dicts (EXPORT.md shape: id, year, date, jurisdiction, relation …).
    """
    gold_dir = Path(gold_dir)
    score = Score()
    dates, jurisdictions, relations = [0, 0], [0, 0], [0, 0]
    per_file = {}
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        name = gold.get("file", path.stem + ".txt")
        if name not in predicted:
            continue
        preds = list(predicted[name])
        used = set()
        misses, wrong = [], []
        for g in gold["references"]:
            hit = next((i for i, p in enumerate(preds) if i not in used and _key_matches(g, p)), None)
            if hit is None:
                if not g.get("optional"):
                    score.false_neg += 1
                    misses.append(g["id"] + f" ({g.get('year')})")
                continue
            used.add(hit)
            if g.get("optional"):
                continue
            score.true_pos += 1
            p = preds[hit]
            if g.get("dates"):
                dates[1] += 1
                ok = p.get("date") in g["dates"]
                dates[0] += ok
                if not ok:
                    wrong.append(f"{g['id']}: date {p.get('date')} not in {g['dates']}")
            jurisdictions[1] += 1
            if p.get("jurisdiction") == g.get("jurisdiction"):
                jurisdictions[0] += 1
            else:
                wrong.append(f"{g['id']}: jurisdiction {p.get('jurisdiction')} != {g.get('jurisdiction')}")
            relations[1] += 1
            if p.get("relation") == g.get("relation"):
                relations[0] += 1
            else:
                wrong.append(f"{g['id']}: relation {p.get('relation')} != {g.get('relation')}")
        extras = [f"{p.get('id')} ({p.get('year')})" for i, p in enumerate(preds) if i not in used]
        score.false_pos += len(extras)
        per_file[name] = {"misses": misses, "extras": extras, "wrong": wrong}
    def ratio(pair):
        return pair[0] / pair[1] if pair[1] else 1.0
    return {**score.as_dict(), "date_accuracy": ratio(dates), "jurisdiction_accuracy": ratio(jurisdictions),
            "relation_accuracy": ratio(relations), "files": per_file}
