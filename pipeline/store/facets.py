"""Filter tokens inside the FTS indexes, so a full-text query filters through the index.

A search for common words ('chính quyền điện tử') among the plans of one province and
year would otherwise read every match in the store and drop most after: at 1,000,000
documents that is hundreds of thousands of passages. Each passage row carries its
document's type, province and year as tokens in a `facets` column, and each row of
`titles` its kind, type and jurisdiction in `scope`; the MATCH expression asks for them
beside the words, and FTS5 skips through the long posting lists to the few rows that
hold the rare tokens.

    >>> facet_tokens("Kế hoạch", "Lạng Sơn", 2019)
    'tkehoach plangson y2019'
    >>> facet_match(doc_type="Kế hoạch", year=2019)
    'facets : ("tkehoach" "y2019")'
"""
from __future__ import annotations

from typing import Optional

import regex

from vanban.models.vietnamese import fold

_NOT_ALNUM = regex.compile(r"[^\p{L}\p{N}]+")


def token(prefix: str, value) -> Optional[str]:
    """One value as one token: 'p' + 'Bà Rịa - Vũng Tàu' → 'pbariavungtau'; None for no value."""
    if value is None or value == "":
        return None
    word = _NOT_ALNUM.sub("", fold(str(value)))
    return prefix + word if word else None


def _joined(*tokens: Optional[str]) -> str:
    return " ".join(t for t in tokens if t)


def facet_tokens(doc_type: Optional[str], province: Optional[str], year: Optional[int]) -> str:
    """The `facets` column of a passage: its document's type, province and year."""
    return _joined(token("t", doc_type), token("p", province), token("y", year))


def scope_tokens(kind: str, doc_type: Optional[str], jurisdiction: Optional[str]) -> str:
    """The `scope` column of a title: which titles (cited, headerless), of what type and jurisdiction,
    as one token. Lookups always give all three, and one token's posting list is as short as the
    scope is narrow; three tokens' lists are each as long as a third of the titles, and reading
    them made a title lookup four times as costly at 1,000,000 documents.

    >>> scope_tokens("headerless", "Kế hoạch", "Lạng Sơn")
    'kheaderlesstkehoachjlangson'
    """
    return "".join(t for t in (token("k", kind), token("t", doc_type), token("j", jurisdiction)) if t)


def _match(column: str, tokens: str) -> str:
    return f'{column} : ({" ".join(f"{chr(34)}{t}{chr(34)}" for t in tokens.split())})' if tokens else ""


def facet_match(doc_type: Optional[str] = None, province: Optional[str] = None, year: Optional[int] = None) -> str:
    """The FTS5 expression keeping passages of that type, province and year ('' for no filter)."""
    return _match("facets", facet_tokens(doc_type, province, year))


def scope_match(kind: str, doc_type: Optional[str], jurisdiction: Optional[str]) -> str:
    """The FTS5 expression keeping titles of that kind, type and jurisdiction."""
    return _match("scope", scope_tokens(kind, doc_type, jurisdiction))
