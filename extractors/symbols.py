"""Check a ký hiệu against what ký hiệu are made of, and repair small OCR damage.

A ký hiệu is pieces joined by '-' and '/': a document type (QĐ, KH, NQ), an issuing body
(UBND, BTTTT, TU), the Quốc hội with its term (QH15), or a unit of the body (THH, TTHC).
Types, bodies and terms are listed in models/data (doc_types.csv, agencies.csv,
legislatures.csv); units are not, so an unknown piece in clean capitals stands as read.

OCR damages pieces in a few ways, each undone here only when one listed piece fits:
a letter doubled (`QĐĐ` → QĐ), one letter too many, too few or misread in a long piece
(`BTTTTI`, `BTTIT` → BTTTT), a term's digits read as letters (`QHIS` → QH15), junk around
it (`KH-UBND_`, a fraction slash `⁄`). A piece that is damaged and fits nothing, or fits
several, is kept as read and the check says it is doubtful.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import regex

from vanban.models.knowledge import agencies, doc_types, legislatures
from vanban.models.vietnamese import within_one_edit

# slashes a scan or a font gives for '/': fraction slash, division slash, full-width solidus
SLASH_LOOKALIKES = "\u2044\u2215\uff0f"
SLASH_TABLE = str.maketrans({c: "/" for c in SLASH_LOOKALIKES})
SEPARATOR_SPLIT = regex.compile(r"([-/])")
# characters a ký hiệu never starts or ends with: OCR's underline, dots, quotes, dashes
EDGE_JUNK = regex.compile(r"^[\W_]+|[\W_]+$")
# capitals and digits, and the small letters real ký hiệu use after a capital: TTg, CTr, QĐi, CTrTT
CLEAN_PIECE = regex.compile(r"^[A-ZĐƯ0-9&](?:[A-ZĐƯ0-9&]|(?<=[A-ZĐ])[gri])*$")
# a piece ending with the Quốc hội's term: QH15, UBTVQH14, ĐĐQH15 (a delegation)
TERM_PIECE = regex.compile(r"^(?P<head>[A-ZĐ]*QH)(?P<term>[0-9A-Za-z|]{1,2})$")
# what OCR reads a term's digits as
DIGIT_LOOKALIKES = str.maketrans({"I": "1", "l": "1", "i": "1", "|": "1", "S": "5", "s": "5", "O": "0", "o": "0",
                                  "D": "0", "Z": "2", "z": "2", "B": "8", "G": "6", "T": "7"})
THIN_GLYPHS = frozenset("I1LJ|!")  # what a stamp's edge or a thin stroke reads as
MIN_FUZZY_LENGTH = 4  # shorter pieces are too many within one letter of each other (KH, KL, KT …)


@dataclass(frozen=True)
class SymbolCheck:
    """A ký hiệu as checked: repaired when one listed form fits, else as read.

    `status` is 'valid' (every piece listed or clean), 'repaired' (`note` says what
    changed) or 'doubtful' (a damaged piece nothing listed fits; `note` says which).
    """

    symbol: str
    status: str
    note: Optional[str] = None


@lru_cache(maxsize=None)
def known_pieces() -> dict[str, str]:
    """Every listed piece by its capitals, to its written form: 'TTG' → 'TTg', 'QĐ' → 'QĐ', 'QH15' → 'QH15'."""
    pieces = {t.abbreviation.upper(): t.abbreviation for t in doc_types() if t.abbreviation}
    pieces.update({a.abbreviation.upper(): a.abbreviation for a in agencies().values() if a.abbreviation})
    pieces.update({code: code for code in legislatures()})
    return pieces


def check_symbol(symbol: str, year: Optional[int] = None) -> SymbolCheck:
    """The ký hiệu checked piece by piece against the knowledge tables (`year`: the document's).

    >>> check_symbol("QĐĐ-BCĐ")
    SymbolCheck(symbol='QĐ-BCĐ', status='repaired', note='QĐĐ read as QĐ')
    >>> check_symbol("186/QHIS".split("/", 1)[1], year=2025).symbol, check_symbol("KH-UBND_").symbol
    ('QH15', 'KH-UBND')
    >>> check_symbol("CV-TTỹ").status
    'doubtful'
    """
    written = EDGE_JUNK.sub("", symbol.translate(SLASH_TABLE).replace(" ", ""))
    notes, doubts = [], []
    if written != symbol.replace(" ", ""):
        notes.append(f"{symbol!r} trimmed to {written!r}")
    out = []
    for piece in SEPARATOR_SPLIT.split(written):
        if piece in ("-", "/", ""):
            out.append(piece)
            continue
        fixed, doubt = _check_piece(piece, year)
        if doubt:
            doubts.append(doubt)
        elif fixed != piece:
            notes.append(f"{piece} read as {fixed}")
        out.append(fixed)
    repaired = "".join(out)
    if doubts:
        return SymbolCheck(repaired, "doubtful", "; ".join(doubts))
    if notes:
        return SymbolCheck(repaired, "repaired", "; ".join(notes))
    return SymbolCheck(repaired, "valid")


def _check_piece(piece: str, year: Optional[int]) -> tuple[str, Optional[str]]:
    """(the piece as it should read, a doubt or None)."""
    known = known_pieces()
    upper = piece.upper()
    if upper in known:
        return known[upper], None
    term = TERM_PIECE.match(piece)
    if term:
        return _check_term(piece, term.group("head"), term.group("term"), year)
    if len(upper) == 1:  # no listed piece is one letter but a type's first (L, Lệnh): a piece cut short
        near = sorted(known[k] for k in _one_edit_away(upper))
        return piece, f"{piece!r} is a piece cut short" + (f" (could be {' or '.join(near)})" if near else "")
    barred = _bar_misread(upper)
    if barred:
        return barred, None
    if CLEAN_PIECE.match(piece):
        undoubled = _undoubled(upper)
        if undoubled:
            return undoubled, None
        near = _thin_glyph_misreads(upper) if len(upper) >= MIN_FUZZY_LENGTH else set()
        if len(near) == 1:
            return known[near.pop()], None
        # a unit of the body (THH, TTHC), or a body abbreviated its own way (STTT): taken as written
        return piece, None
    # small letters or symbols a listed piece does not have: damage
    cleaned = regex.sub(r"[^\p{L}\d&]", "", piece).upper()
    candidates = {known[c] for c in ({cleaned} & known.keys() or _one_edit_away(cleaned))} if cleaned else set()
    if len(candidates) == 1 and len(cleaned) >= 2:
        return candidates.pop(), None
    return piece, f"{piece!r} is no listed type, body or term" + (
        f" (could be {' or '.join(sorted(candidates))})" if candidates else "")


def _check_term(piece: str, head: str, term: str, year: Optional[int]) -> tuple[str, Optional[str]]:
    """'QHIS' → 'QH15'; a term that cannot be read is taken from the year when one term sat in it."""
    digits = term.translate(DIGIT_LOOKALIKES)
    code = f"QH{digits}" if digits.isdigit() else None
    terms = legislatures()
    if code in terms and (year is None or terms[code].first_year <= year <= terms[code].last_year):
        return head + digits, None
    sitting = [c for c, t in terms.items() if year and t.first_year <= year <= t.last_year]
    if len(sitting) == 1:
        return head + sitting[0][2:], None
    return piece, f"{piece!r}: no term of the Quốc hội reads so" + (f" in {year}" if year else "")


def _bar_misread(upper: str) -> Optional[str]:
    """The one listed piece the word becomes with the bar of one Đ added or dropped: OCR and fonts
    confuse them both ways ('UBNĐ' → 'UBND', 'BCD' → 'BCĐ')."""
    swapped = {upper[:i] + ("Đ" if ch == "D" else "D") + upper[i + 1:] for i, ch in enumerate(upper) if ch in "DĐ"}
    found = swapped & known_pieces().keys()
    return known_pieces()[found.pop()] if len(found) == 1 else None


def _undoubled(upper: str) -> Optional[str]:
    """A listed piece the word becomes with one doubled letter read once: 'QĐĐ' → 'QĐ'."""
    for i in range(1, len(upper)):
        if upper[i] == upper[i - 1]:
            single = upper[:i] + upper[i + 1:]
            if single in known_pieces():
                return known_pieces()[single]
    return None


def _thin_glyph_misreads(upper: str) -> set[str]:
    """Listed pieces a clean reading becomes once one thin glyph OCR added or misread is undone:
    'BTTTTI' (an I from a stamp's edge), 'BTTIT' (a T read as I). A letter missing is no OCR
    sign: offices shorten their own abbreviations ('STTT' stays as printed)."""
    out = set()
    for i, ch in enumerate(upper):
        if ch not in THIN_GLYPHS:
            continue
        dropped = upper[:i] + upper[i + 1:]
        if dropped in known_pieces():
            out.add(dropped)
        out |= {k for k in known_pieces() if len(k) == len(upper) and k[:i] == upper[:i] and k[i + 1:] == upper[i + 1:]
                and k[i] != ch}
    return out


def _one_edit_away(upper: str) -> set[str]:
    """The listed pieces (capitals) one letter added, dropped or changed away from `upper`."""
    return {k for k in known_pieces() if abs(len(k) - len(upper)) <= 1 and len(k) >= 2
            and within_one_edit(k, upper)}
