"""The pages' words in Vietnamese and English (data/labels.csv), and numbers and dates as
each language writes them: 1.234,5 and 03/10/2022 in Vietnamese, 1,234.5 and 2022-10-03
in English.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import Optional

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


@lru_cache(maxsize=None)
def labels() -> dict[str, dict[str, str]]:
    """key → {"vi": …, "en": …}, read once from data/labels.csv."""
    with resources.files("vanban.pipeline.web").joinpath("data/labels.csv").open(encoding="utf-8") as fh:
        return {row["key"]: {"vi": row["vi"], "en": row["en"]} for row in csv.DictReader(fh)}


def language(requested: Optional[str]) -> str:
    """'en' when asked for English, else Vietnamese."""
    return requested if requested in LANGUAGES else DEFAULT_LANGUAGE


def label(key: str, lang: str = DEFAULT_LANGUAGE, **values) -> str:
    """The label in lang, its {placeholders} filled.

    >>> label("cited_by_count", "vi", n="1.234")
    '1.234 văn bản trích dẫn'
    """
    text = labels()[key][lang]
    return text.format(**values) if values else text


def format_number(value, lang: str = DEFAULT_LANGUAGE, places: Optional[int] = None) -> str:
    """A number as the language writes it; integers keep no decimals.

    >>> format_number(1234.5), format_number(1234.5, "en"), format_number(216300000000)
    ('1.234,5', '1,234.5', '216.300.000.000')
    """
    if value is None:
        return ""
    if places is None:
        places = 0 if float(value) == int(value) else len(f"{float(value):g}".split(".")[-1]) if "." in f"{float(value):g}" else 0
    text = f"{float(value):,.{places}f}"
    if lang == "vi":
        text = text.translate(str.maketrans({",": ".", ".": ","}))
    return text


def format_date(value: Optional[str], lang: str = DEFAULT_LANGUAGE) -> str:
    """A stored date (YYYY-MM-DD, or a part of it) as the language writes it.

    >>> format_date("2022-10-03"), format_date("2022-05"), format_date("2022-10-03", "en")
    ('03/10/2022', '05/2022', '2022-10-03')
    """
    if not value:
        return ""
    if lang != "vi":
        return value
    return "/".join(reversed(value.split("-")))
