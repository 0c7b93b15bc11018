"""Vietnamese written numbers: decimal comma, dot thousands, and money scale words.

`38,72` → 38.72, `40.369.000.000` → 40369000000, `1,0` → 1.0, `216,3 tỷ` → 216300000000.
A dot followed by one or two digits is read as a decimal point (`2.5%` in
English-style text), any other irregular grouping (`558.6160`) is not a number.
"""
from __future__ import annotations

import math
from typing import Optional

import regex

# One written figure: digits with dot or comma groups. The look-arounds keep it from
# starting or ending inside a longer token (`45/2020`, `1.2.3`, `4.0`-style versions
# are filtered by parse_number, not here).
NUMBER = r"(?<![\d.,])\d+(?:[.,]\d+)*(?![\d])"
NUMBER_RE = regex.compile(NUMBER)
# The whole of a figure parse_number reads, with no look-arounds: the caller cut it out.
FIGURE_RE = regex.compile(r"\d+(?:[.,]\d+)*")

# Scale words of money amounts; `tỉ` is a common spelling of `tỷ`; `nghìn tỷ` is a thousand of them.
SCALES = {"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
SCALE_WORDS = r"(?:nghìn|ngàn)\s+t[ỷỉ]|nghìn|ngàn|triệu|tỷ|tỉ"
SCALE = rf"(?P<scale>{SCALE_WORDS})"
# the smaller part of an amount written in two, `3 tỷ 500 triệu đồng`
LOWER_PART = r"(?P<lower>\d{1,3})\s*(?P<lower_scale>triệu|nghìn|ngàn)"


def parse_number(text: str) -> Optional[float]:
    """Read one Vietnamese-written figure, or None when its grouping is irregular.

    >>> parse_number("198.431.057.000"), parse_number("55,82"), parse_number("558.6160")
    (198431057000.0, 55.82, None)
    """
    text = text.strip()
    if not FIGURE_RE.fullmatch(text):
        return None
    if "," in text:
        whole, _, decimals = text.rpartition(",")
        if "," in whole or "." in decimals:
            return None
        if not _thousands_ok(whole):
            return None
        return float(whole.replace(".", "") + "." + decimals)
    if "." not in text:
        return float(text)
    if _thousands_ok(text):
        return float(text.replace(".", ""))
    whole, _, decimals = text.partition(".")
    # English-style decimal point: a single dot and one or two decimals (`2.5`).
    if "." not in decimals and len(decimals) <= 2:
        return float(text)
    return None


def _thousands_ok(text: str) -> bool:
    """'40.369.000' groups by three after the first group; '1.2.3' does not."""
    groups = text.split(".")
    return 1 <= len(groups[0]) <= 3 if len(groups) > 1 and all(
        len(g) == 3 for g in groups[1:]) else len(groups) == 1


def scale_of(word: Optional[str]) -> float:
    """Multiplier of a money scale word, or of two: 'tỷ' → 1e9, 'nghìn tỷ' → 1e12; none → 1.

    >>> scale_of("tỷ"), scale_of("nghìn  tỷ"), scale_of(None)
    (1000000000.0, 1000000000000.0, 1.0)
    """
    return float(math.prod(SCALES.get(w, 1.0) for w in (word or "").lower().split()))
