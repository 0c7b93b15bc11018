"""The Vietnamese knowledge vanban relies on, loaded once from CSV files in models/data.

Extending it is a data change: add a row to the CSV, no code.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


def read_csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass(frozen=True)
class DocType:
    name: str  # "Quyết định"
    abbreviation: str  # "QĐ" ("" for types without one: Luật, Công văn)


@dataclass(frozen=True)
class Agency:
    abbreviation: str  # "BTTTT"
    name: str  # "Bộ Thông tin và Truyền thông"
    level: str  # "national" or "province"


@lru_cache(maxsize=None)
def doc_types() -> tuple[DocType, ...]:
    """Document types, longest name first so 'Thông tư liên tịch' wins over 'Thông tư'."""
    rows = [DocType(r["name"], r["abbreviation"]) for r in read_csv("doc_types.csv")]
    return tuple(sorted(rows, key=lambda t: -len(t.name)))


@lru_cache(maxsize=None)
def type_by_abbreviation() -> dict[str, str]:
    """'QĐ' → 'Quyết định'; the first listed name wins for shared abbreviations."""
    out: dict[str, str] = {}
    for row in read_csv("doc_types.csv"):
        if row["abbreviation"]:
            out.setdefault(row["abbreviation"].upper(), row["name"])
    return out


@lru_cache(maxsize=None)
def agencies() -> dict[str, Agency]:
    """Agency abbreviations as they appear in ký hiệu: 'BTTTT' → Bộ Thông tin và Truyền thông."""
    return {r["abbreviation"].upper(): Agency(r["abbreviation"], r["name"], r["level"])
            for r in read_csv("agencies.csv")}


@lru_cache(maxsize=None)
def provinces() -> tuple[str, ...]:
    """Province names, longest first so 'Thừa Thiên Huế' wins over 'Huế'."""
    return tuple(sorted((r["name"] for r in read_csv("provinces.csv")), key=lambda n: -len(n)))
