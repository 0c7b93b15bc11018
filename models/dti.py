"""The provincial Digital Transformation Index (DTI) catalogue, versioned by assessment year.

Everything here is data in models/data: `dti_catalogues.csv` lists one catalogue per
assessment year (the indicator file, the evidence-hints file, the deciding document);
adding a year is adding a row there and two CSV files, no code.

Evidence hints say what satisfies an indicator, as matchable terms:
`concepts` are ';'-separated ideas that evidence must all mention, each a '|'-list of
alternatives ("dịch vụ công|DVCTT;mức độ 4|toàn trình" for 6.8); `excludes` are terms
that point at a neighbouring indicator instead; `doc_types`/`issuers` constrain a
document that establishes something; `units` are the counted nouns a count may carry.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex

from vanban.models.knowledge import read_csv
from vanban.models.vietnamese import fold, nfc

FIGURE_KINDS = ("percentage", "count", "money")

_NON_WORD = regex.compile(r"[^\p{L}\p{N}]+")
# Old-style tone placement at a syllable's end ("hoá", "uỷ") written the modern way ("hóa", "ủy").
_OLD_TONE = regex.compile(r"([ou])([àáảãạèéẻẽẹỳýỷỹỵ])(?!\p{L})")


def _modern_tone(m) -> str:
    """'oá' → 'óa': the tone mark moves to the first vowel."""
    base, *marks = unicodedata.normalize("NFD", m.group(2))
    return nfc(m.group(1) + "".join(marks)) + base


def match_key(text: str) -> str:
    """Text reduced for term matching: abbreviations expanded, lower case, tone marks placed
    one way, punctuation to spaces. Diacritics stay: folded, 'bản' would match 'ban hành'.

    >>> match_key("Tỷ lệ DVCTT được cá thể hoá")
    'tỷ lệ dvctt dịch vụ công trực tuyến được cá thể hóa'
    """
    text = expand_abbreviations(nfc(text or "")).lower()
    text = _OLD_TONE.sub(_modern_tone, text)
    return " ".join(_NON_WORD.split(text)).strip()


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


def contains_term(key: str, term: "Term") -> bool:
    """Whole-word containment of a term in a reduced text; text typed without
    diacritics ('ke hoach chuyen doi so') is compared folded."""
    if not term.key:
        return False
    if f" {term.key} " in f" {key} ":
        return True
    return not has_diacritics(key) and f" {term.folded} " in f" {key} "


@dataclass(frozen=True)
class Term:
    text: str  # as written in the hints: "mức độ 4"
    key: str  # reduced by match_key: "mức độ 4"

    @property
    def folded(self) -> str:
        return fold(self.key)


@dataclass(frozen=True)
class Concept:
    """One idea evidence must mention, in any of its wordings."""

    terms: tuple  # tuple[Term, ...]

    def find(self, key: str) -> Optional[Term]:
        """The first wording of this concept present in key, or None."""
        return next((t for t in self.terms if contains_term(key, t)), None)


def _terms(cell: str) -> tuple:
    return tuple(Term(t.strip(), match_key(t)) for t in (cell or "").split("|") if t.strip())


def _concepts(cell: str) -> tuple:
    return tuple(Concept(_terms(part)) for part in (cell or "").split(";") if part.strip())


@dataclass(frozen=True)
class Indicator:
    """One component indicator (chỉ số thành phần): '6.8 Tỷ lệ DVCTT mức độ 4 hoặc toàn trình'."""

    code: str
    main_index_code: str
    main_index_name: str
    name: str  # "" when the catalogue could not name it (kept as a doubt, never guessed)
    evidence_kind: str  # document / percentage / count / money / boolean ("" when unnamed)
    seed_status: str
    note: str
    concepts: tuple = ()  # tuple[Concept, ...]
    excludes: tuple = ()  # tuple[Term, ...]
    doc_types: tuple = ()  # ("Nghị quyết", …)
    issuers: tuple = ()  # tuple[Term, ...]: "Tỉnh ủy", "Ban Chấp hành"
    units: tuple = ()  # tuple[Term, ...]: counted nouns, "điểm cầu"

    @property
    def named(self) -> bool:
        return bool(self.name)

    @property
    def is_figure(self) -> bool:
        """True when a value (percentage, count, money) answers the indicator."""
        return self.evidence_kind in FIGURE_KINDS

    @property
    def sort_key(self) -> tuple:
        return tuple(int(p) for p in self.code.split("."))


@dataclass(frozen=True)
class Catalogue:
    year: int  # assessment year: DTI 2021 is assessed in 2022 on 2021 facts
    version: str
    source_decision: str
    note: str
    indicators: tuple  # tuple[Indicator, ...], in code order

    def get(self, code: str) -> Optional[Indicator]:
        return next((i for i in self.indicators if i.code == code), None)


@lru_cache(maxsize=None)
def catalogue_years() -> tuple:
    return tuple(sorted(int(r["year"]) for r in read_csv("dti_catalogues.csv")))


def catalogue_year_for(year: Optional[int]) -> int:
    """The catalogue that applies to an assessment year: the newest not after it.

    A year before the first catalogue gets the first one; no year gets the newest.
    >>> catalogue_year_for(2023)
    2021
    """
    years = catalogue_years()
    if year is None:
        return years[-1]
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else years[0]


@lru_cache(maxsize=None)
def catalogue(year: Optional[int] = None) -> Catalogue:
    """The indicator catalogue for an assessment year (see catalogue_year_for)."""
    wanted = catalogue_year_for(year)
    row = next(r for r in read_csv("dti_catalogues.csv") if int(r["year"]) == wanted)
    hints = {h["code"]: h for h in read_csv(row["hints"])} if row["hints"] else {}
    indicators = []
    for r in read_csv(row["file"]):
        h = hints.get(r["code"], {})
        indicators.append(Indicator(
            code=r["code"], main_index_code=r["main_index_code"], main_index_name=r["main_index_name"],
            name=r["name"], evidence_kind=r["evidence_kind"], seed_status=r["seed_status"], note=r["note"],
            concepts=_concepts(h.get("concepts", "")), excludes=_terms(h.get("excludes", "")),
            doc_types=tuple(t.strip() for t in h.get("doc_types", "").split("|") if t.strip()),
            issuers=_terms(h.get("issuers", "")), units=_terms(h.get("units", ""))))
    indicators.sort(key=lambda i: i.sort_key)
    return Catalogue(wanted, row["version"], row["source_decision"], row["note"], tuple(indicators))


@lru_cache(maxsize=None)
def abbreviations() -> dict:
    """Abbreviations of the field as written (case matters: 'AI' is not 'ai'): 'DVCTT' → 'dịch vụ công trực tuyến'."""
    return {r["abbreviation"]: r["expansion"] for r in read_csv("abbreviations.csv")}


@lru_cache(maxsize=None)
def _abbreviation_pattern():
    names = sorted(abbreviations(), key=len, reverse=True)
    return regex.compile(r"(?<![\p{L}\p{N}])(" + "|".join(regex.escape(n) for n in names) + r")(?![\p{L}\p{N}])")


def expand_abbreviations(text: str) -> str:
    """Write each abbreviation's expansion after it, so either wording matches.

    >>> expand_abbreviations("Tỷ lệ DVCTT mức độ 4")
    'Tỷ lệ DVCTT (dịch vụ công trực tuyến) mức độ 4'
    """
    return _abbreviation_pattern().sub(lambda m: f"{m.group(1)} ({abbreviations()[m.group(1)]})", text)
