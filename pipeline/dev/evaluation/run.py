"""`vanban eval`: score what the store holds against a folder of gold answers."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import sqlite_utils

from vanban.pipeline.dev.evaluation.identity import score_identity
from vanban.pipeline.store.export import iter_documents


def variant_of(source: str) -> str:
    """The corpus variant a document belongs to: the folder it came from ('seeds', 'pdf', 'scanned')."""
    return Path(source.split("#")[0]).parent.name or "."


def _by_variant(db: sqlite_utils.Database, gold_keys: set[str]) -> dict[str, dict[str, dict]]:
    """{variant: {gold key: export record}} for the documents whose file stem a gold key names."""
    stems = {Path(k).stem: k for k in gold_keys}
    grouped: dict[str, dict[str, dict]] = defaultdict(dict)
    for record in iter_documents(db, by_file=True):  # each file judged on its own reading
        key = stems.get(Path(record["source"].split("#")[0]).stem)
        if key:
            grouped[variant_of(record["source"])][key] = record
    return grouped


def evaluate(db: sqlite_utils.Database, gold_dir: Path) -> dict:
    """Scores per variant and per part (identity, references, measures) for what gold covers."""
    gold_dir = Path(gold_dir)
    identity_file = gold_dir / "identity.json"
    keys = set()
    if identity_file.exists():
        import json
        keys |= set(json.loads(identity_file.read_text(encoding="utf-8")))
    for sub in ("references", "targets"):
        keys |= {p.stem + ".txt" for p in (gold_dir / sub).glob("*.json")}
    report = {}
    for variant, records in sorted(_by_variant(db, keys).items()):
        part = {"documents": len(records)}
        if identity_file.exists():
            part["identity"] = score_identity(identity_file, {k: r["identity"] for k, r in records.items()})
        if (gold_dir / "references").is_dir():
            from vanban.pipeline.dev.evaluation.references import score_references
            part["references"] = score_references(gold_dir / "references",
                                                  {k: r["references"] for k, r in records.items()})
        if (gold_dir / "targets").is_dir():
            from vanban.pipeline.dev.evaluation.measures import score_measures
            part["measures"] = score_measures(gold_dir, {k: r["measures"] for k, r in records.items()})
        report[variant] = part
    return report


def _fmt(value) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def render(report: dict, show_errors: bool = False) -> str:
    """The report as text tables: one block per variant and part."""
    if not report:
        return "no stored document matches a gold file: ingest the seed corpus first (vanban ingest corpus/)"
    lines = []
    evidence = report.get("evidence")
    for variant, part in report.items():
        if variant == "evidence":
            continue
        lines.append(f"== {variant} ({part['documents']} documents)")
        ident = part.get("identity")
        if ident:
            lines.append(f"identity{'':8}{'accuracy':>9}{'precision':>10}{'recall':>8}{'f1':>7}")
            for field, s in ident["fields"].items():
                lines.append(f"  {field:14}{s['accuracy']:>9.3f}{s['precision']:>10.3f}{s['recall']:>8.3f}{s['f1']:>7.3f}")
            if show_errors:
                lines += [f"    ! {e}" for e in ident["errors"]]
        for name in ("references", "measures"):
            scores = part.get(name)
            if not scores:
                continue
            lines.append(name)
            for key, value in scores.items():
                if isinstance(value, (int, float)):
                    lines.append(f"  {key:28}{_fmt(value):>8}")
            if show_errors:
                for key, value in scores.items():
                    if isinstance(value, (dict, list)) and key not in ("fields",):
                        lines.append(f"    {key}: {value}")
    if evidence:
        lines.append(f"== DTI evidence ({evidence['pairs']} indicator/province pairs)")
        lines.append(f"  top-1 accuracy {evidence['top1']:.3f}   top-3 accuracy {evidence['top3']:.3f}")
        if show_errors:
            lines += [f"    ! {e}" for e in evidence["errors"]]
    return "\n".join(lines)
