"""Vietnamese dates in every written form, as ISO strings.

`ngày 24/6/2022`, `ngày 24 tháng 6 năm 2022`, `23/11/ 2020`, `24-6-2022`, `24.6.2022`,
and a header with the day left blank, `ngày   tháng 5 năm 2022` → `2022-05` (with the month
too, `ngày   tháng   năm 2022` → `2022`: find_year_only_date, for headers).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator, Optional

import regex

DAY = r"(?P<day>[0-3]?\d)"
MONTH = r"(?P<month>1 [0-2](?=\s*[/\-.])|[01]?\d)"  # 'ngày 20/1 2/2018': OCR split the month
YEAR = r"(?P<year>(?:19|20)\d ?\d)"  # 'năm 202 5': a year cut in two by the page's markup
SEP = r"\s*[/\-.]\s*"

# 24/6/2022, 23/11/ 2020, 24-6-2022; the year must not run on into more digits.
NUMERIC_DATE = rf"{DAY}{SEP}{MONTH}{SEP}{YEAR}(?!\d)"
# ngày 24 tháng 6 năm 2022 (or 'tháng 6, năm 2022'); the day may be blank in a header (ngày  tháng 5 năm 2022)
# In scans the day is often handwritten or stamped over: OCR reads 'Ø3' (03), or junk
# ('|3', '{') that is dropped, leaving a month date.
# It also reads 1 as a letter: 'l6' (16), 'tháng 0I' (01), 'tháng II' (11); not '|', which
# is a stamp's edge as often as a 1.
OCR_ZERO = "OoØø"
OCR_ONE = "Il"
OCR_DAY = rf"(?P<day>[0-3{OCR_ZERO}{OCR_ONE}]?[\d{OCR_ZERO}])"
WORDED_MONTH = rf"(?P<month>[01{OCR_ZERO}{OCR_ONE}]?[\d{OCR_ONE}])"
# The words of a worded date in any case, their vowel under any tone mark: OCR reads
# 'ngảy', 'thảng', 'nãm' where the print says 'ngày', 'tháng', 'năm' (and a text typed
# without marks, 'ngay 12 thang 3 nam 2024'); only in the whole pattern are they a date.
DAY_WORD = r"(?i:ng[aàáảãạ]y)"
MONTH_WORD = r"(?i:th[aàáảãạ]ng)"
YEAR_WORD = r"(?i:n[aàáảãạăằắẳẵặâầấẩẫậ]m)"
WORDED_DATE = (rf"{DAY_WORD}\s*(?:{OCR_DAY}(?=[\s,]|{MONTH_WORD})|[^\s\d]{{1,3}}|\S{{1,3}}(?=\s*{MONTH_WORD}))?"
               rf"\s*{MONTH_WORD}\s*{WORDED_MONTH}\s*,?\s*{YEAR_WORD}\s*{YEAR}(?!\d)")

# ngày … tháng … năm 2021: a header printed with the day and month left for the pen, which
# OCR reads as nothing or junk ('ngày 2# tháng   năm 2021'); the year alone is still known
YEAR_ONLY_DATE_RE = regex.compile(rf"{DAY_WORD}\s*\S{{0,3}}\s*{MONTH_WORD}\s*\S{{0,3}}\s*{YEAR_WORD}\s*"
                                  rf"{YEAR}(?!\d)")

_OCR_DIGITS = str.maketrans({**{c: "0" for c in OCR_ZERO}, **{c: "1" for c in OCR_ONE}})
# 'ngày 24/6/22': a year of two digits, after 'ngày' only (elsewhere 24/6/22 may be a count or a number)
SHORT_YEAR_DATE = rf"(?<={DAY_WORD}\s{{1,3}}){DAY}\s*/\s*{MONTH}\s*/\s*(?P<year>\d\d)(?![\d/])"
DATE_RE = regex.compile(rf"(?:{WORDED_DATE})|(?:(?<!\d){NUMERIC_DATE})|(?:{SHORT_YEAR_DATE})", regex.V1)
SHORT_YEAR_PIVOT = 50  # '22' is 2022, '98' 1998


@dataclass
class DateMatch:
    iso: str  # "2022-06-24", or "2022-05" when the day is blank ("2022": day and month)
    start: int
    end: int
    year: int


def to_iso(day: Optional[str], month: str, year: str) -> Optional[str]:
    """('24', '6', '2022') → '2022-06-24'; None for an impossible date like 31/2."""
    y, m = int(year.replace(" ", "")), int(month.translate(_OCR_DIGITS).replace(" ", ""))
    if y < 100:
        y += 2000 if y < SHORT_YEAR_PIVOT else 1900
    day = day.translate(_OCR_DIGITS) if day else day
    if not 1 <= m <= 12:
        return None
    if not day:
        return f"{y:04d}-{m:02d}"
    try:
        return dt.date(y, m, int(day)).isoformat()
    except ValueError:
        return None


def find_dates(text: str, start: int = 0, end: Optional[int] = None) -> Iterator[DateMatch]:
    """Every valid date in text[start:end], with offsets into text.

    >>> [d.iso for d in find_dates("ngày 24/6/2022 và ngày 08 tháng 4 năm 2020")]
    ['2022-06-24', '2020-04-08']
    """
    for m in DATE_RE.finditer(text, start, len(text) if end is None else end):
        iso = to_iso(m.group("day"), m.group("month"), m.group("year"))
        if iso is None and m.group(0)[:1] in "nN":
            # a worded date whose day OCR misread ('ngày 84 tháng 5 năm 2019'): keep the month
            iso = to_iso(None, m.group("month"), m.group("year"))
        if iso:
            yield DateMatch(iso, m.start(), m.end(), int(iso[:4]))


def find_year_only_date(text: str, start: int = 0, end: Optional[int] = None) -> Optional[DateMatch]:
    """A worded date whose day and month are blank or unreadable, as its year ('2021'), where
    find_dates finds none. For a document's own header only: a citation gives a full date or none.

    >>> find_year_only_date("Quảng Ngãi, ngày 2# tháng   năm 2021").iso
    '2021'
    """
    m = YEAR_ONLY_DATE_RE.search(text, start, len(text) if end is None else end)
    if not m:
        return None
    year = int(m.group("year").replace(" ", ""))
    return DateMatch(f"{year:04d}", m.start(), m.end(), year)


def parse_date(text: str) -> Optional[str]:
    """The first date in text as ISO, or None: 'ngày 20 tháng 10 năm 2021' → '2021-10-20'."""
    return next((d.iso for d in find_dates(text)), None)
