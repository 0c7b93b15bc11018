"""Score extracted percentages against the hand-checked gold of the seeds.

Gold (`gold/targets/<stem>.json`) lists every percentage of a seed in document order.
A predicted percentage matches a gold one on value; the two lists are aligned in
order (a longest common subsequence on value, ties broken by how much the quotes
share), so two `100%` in a row pair with the right neighbours. Kind must be equal;
scope is compared as the set of levels (tỉnh / huyện / xã) it names.
"""
from __future__ import annotations

import json
from pathlib import Path

import regex

from vanban.models.vietnamese import fold, nfc

# Compared with their diacritics: folded, 'vùng xa' (remote) would read as 'xã'.
LEVELS = ("tỉnh", "huyện", "xã")


def scope_levels(scope: str | None) -> frozenset:
    """'từ cấp tỉnh đến cấp xã' → {'tỉnh', 'xã'}; 'thôn, bản vùng sâu, vùng xa' → {}."""
    words = set(regex.findall(r"\w+", nfc(scope or "").lower()))
    return frozenset(level for level in LEVELS if level in words)


def _words(quote: str | None) -> set:
    return set(regex.findall(r"\w+", fold(quote or "")))


def _similarity(a: dict, b: dict) -> float:
    wa, wb = _words(a.get("quote")), _words(b.get("quote"))
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def _same(a: dict, b: dict) -> bool:
    return abs(a["value"] - b["value"]) < 1e-6


def align(gold: list[dict], predicted: list[dict]) -> list[tuple[int, int]]:
    """Index pairs (gold, predicted) of equal value: in order first, then what is left."""
    pairs = _in_order(gold, predicted)
    return pairs + _out_of_order(gold, predicted, pairs)


def _out_of_order(gold: list[dict], predicted: list[dict], pairs: list) -> list[tuple[int, int]]:
    """Pair what is left by value and quote: footnotes move to the end of the cleaned text."""
    free_gold = [i for i in range(len(gold)) if i not in {a for a, _ in pairs}]
    free_pred = [j for j in range(len(predicted)) if j not in {b for _, b in pairs}]
    extra = []
    for i in free_gold:
        same = [j for j in free_pred if _same(gold[i], predicted[j])]
        if same:
            j = max(same, key=lambda j: _similarity(gold[i], predicted[j]))
            extra.append((i, j))
            free_pred.remove(j)
    return extra


def _in_order(gold: list[dict], predicted: list[dict]) -> list[tuple[int, int]]:
    """Longest common subsequence on value; a pair's shared quote words break ties."""
    n, m = len(gold), len(predicted)

    def pair_score(i: int, j: int) -> float:
        return 1 + 0.01 * _similarity(gold[i], predicted[j]) + best[i + 1][j + 1]

    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1])
            if _same(gold[i], predicted[j]):
                best[i][j] = max(best[i][j], pair_score(i, j))
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if _same(gold[i], predicted[j]) and abs(best[i][j] - pair_score(i, j)) < 1e-9:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def score_measures(gold_dir: Path, predicted: dict[str, list[dict]]) -> dict:
    """Precision, recall, F1, kind and scope accuracy of the percentages, with per-file misses.

    `predicted` maps a seed file name ('001_7c7853e00c4cb2fd.txt') to its exported
    measures; only those with unit '%' are scored.
    """
    totals = {"gold": 0, "predicted": 0, "matched": 0, "kind": 0, "scope": 0, "year": 0}
    files = {}
    for path in sorted(Path(gold_dir, "targets").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        gold = data["percentages"]
        pred = [m for m in predicted.get(data["file"], []) if m.get("unit") == "%"]
        pairs = align(gold, pred)
        matched_gold = {i for i, _ in pairs}
        matched_pred = {j for _, j in pairs}
        wrong_kind = [(gold[i], pred[j]) for i, j in pairs if gold[i]["kind"] != pred[j].get("kind")]
        wrong_scope = [(gold[i], pred[j]) for i, j in pairs
                       if scope_levels(gold[i].get("scope")) != scope_levels(pred[j].get("scope"))]
        totals["gold"] += len(gold)
        totals["predicted"] += len(pred)
        totals["matched"] += len(pairs)
        totals["kind"] += len(pairs) - len(wrong_kind)
        totals["scope"] += len(pairs) - len(wrong_scope)
        totals["year"] += sum(gold[i].get("year") == pred[j].get("year") for i, j in pairs)
        files[data["file"]] = {
            "misses": [g for i, g in enumerate(gold) if i not in matched_gold],
            "extras": [p for j, p in enumerate(pred) if j not in matched_pred],
            "wrong_kind": [{"gold": g["kind"], "predicted": p.get("kind"), "quote": g["quote"]}
                           for g, p in wrong_kind],
            "wrong_scope": [{"gold": g.get("scope"), "predicted": p.get("scope"), "quote": g["quote"]}
                            for g, p in wrong_scope],
            "wrong_year": [{"gold": gold[i].get("year"), "predicted": pred[j].get("year"), "quote": gold[i]["quote"]}
                           for i, j in pairs if gold[i].get("year") != pred[j].get("year")],
        }
    precision = _ratio(totals["matched"], totals["predicted"])
    recall = _ratio(totals["matched"], totals["gold"])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision, "recall": recall, "f1": f1,
        "kind_accuracy": _ratio(totals["kind"], totals["matched"]),
        "scope_accuracy": _ratio(totals["scope"], totals["matched"]),
        "year_accuracy": _ratio(totals["year"], totals["matched"]),
        "counts": totals, "files": files,
    }
