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
    """Agency abbreviations as they appear in ký hiệu: 'BTTTT' → Bộ Thông tin và Truyền thông.

    A body that signs with no abbreviation of its own (Bộ Chính trị: '-NQ/TW') is keyed by
    its name in capitals, which no piece of a ký hiệu can equal.
    """
    return {(r["abbreviation"] or r["name"]).upper(): Agency(r["abbreviation"], r["name"], r["level"])
            for r in read_csv("agencies.csv")}


@lru_cache(maxsize=None)
def provinces() -> tuple[str, ...]:
    """Province names, longest first so 'Thừa Thiên Huế' wins over 'Huế'."""
    return tuple(sorted((r["name"] for r in read_csv("provinces.csv")), key=lambda n: -len(n)))


@dataclass(frozen=True)
class Law:
    name: str  # "Luật An toàn thông tin mạng"
    number: str  # "86/2015/QH13"
    date: str  # "2015-11-19", the day the Quốc hội passed it
    aliases: tuple  # other names it is cited by: ("Luật Ban hành VBQPPL",)


@lru_cache(maxsize=None)
def laws() -> tuple[Law, ...]:
    """Laws a document may cite by name only, one row per version (a name may have several).

    'Luật Giao dịch điện tử' is 51/2005/QH11 or 20/2023/QH15: the cited date decides.
    """
    return tuple(Law(r["name"], r["number"], r["date"],
                     tuple(a for a in r["aliases"].split("|") if a))
                 for r in read_csv("laws.csv"))


@lru_cache(maxsize=None)
def surnames() -> frozenset[str]:
    """Vietnamese family names, lower-cased: a signer's name starts with one."""
    return frozenset(r["surname"].lower() for r in read_csv("surnames.csv"))
