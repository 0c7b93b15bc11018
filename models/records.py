"""Typed records that flow through vanban.

Every fact carries character offsets into the text it was found in. Extractors
return offsets into the *cleaned* text they were given; the pipeline maps them
back to (page, offset) of the source page with `vanban.extractors.cleaning.offsets.OffsetMap`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Optional


@dataclass
class Page:
    """One page of a source file as read, before any repair."""

    number: int  # 1-based
    text: str
    method: str  # "text" (PDF text layer), "ocr", "plain" (txt/md/docx/jsonl)
    ocr_confidence: Optional[float] = None


@dataclass
class Mention:
    """Where a fact stands: page number and offsets into that page's source text."""

    page: int
    start: int
    end: int
    text: str


@dataclass
class Identity:
    """Who issued a document, when, under which number: the header facts.

    Fields the text does not state stay None; `notes` says why for each.
    """

    type: Optional[str] = None  # "Kế hoạch"
    id: Optional[str] = None  # "187/KH-UBND"
    number: Optional[str] = None  # "187"
    symbol: Optional[str] = None  # "KH-UBND"
    date: Optional[str] = None  # "2022-10-03" or "2022-05" when the day is blank
    issuer: Optional[str] = None  # "Ủy ban nhân dân tỉnh Tuyên Quang"
    province: Optional[str] = None  # "Tuyên Quang"
    place: Optional[str] = None  # "Tuyên Quang"
    title: Optional[str] = None  # trích yếu
    signer: Optional[str] = None
    signer_title: Optional[str] = None
    notes: dict = field(default_factory=dict)  # field -> reason it is null or inferred
    spans: dict = field(default_factory=dict)  # field -> (start, end) in cleaned text

    def export(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "spans"}


@dataclass
class Reference:
    """One cited document, with every place the citing text mentions it."""

    id: str  # "45/2020/NĐ-CP"
    type: Optional[str] = None
    number: Optional[str] = None
    symbol: Optional[str] = None
    year: Optional[int] = None
    date: Optional[str] = None
    issuer: Optional[str] = None
    jurisdiction: Optional[str] = None
    relation: str = "mentions"
    title: Optional[str] = None
    mentions: list = field(default_factory=list)  # list[Mention]
    # every date the document was cited with, in order; `date` is the first
    dates: list = field(default_factory=list)


@dataclass
class Measure:
    """A figure a document sets or reports: 90% of …, 216,3 tỷ đồng, 87 điểm cầu."""

    value: float
    unit: str  # "%", "VND" or the counted noun
    kind: str = "other"  # target / actual / other
    metric: Optional[str] = None
    scope: Optional[str] = None
    year: Optional[int] = None
    as_of: Optional[str] = None
    bound: Optional[str] = None  # "min", "max", "approx", "range" …
    page: Optional[int] = None
    start: int = 0
    end: int = 0
    quote: str = ""


@dataclass
class Passage:
    """A block of cleaned text: a heading, a paragraph, a list item, a footnote."""

    kind: str  # "header", "heading", "paragraph", "item", "footnote", "recipients", "signature"
    level: int  # depth in the body hierarchy (0 = top)
    start: int  # offsets into cleaned text
    end: int
    text: str
    label: Optional[str] = None  # "I.", "1.1.", "a)", "-", "Phần II"
    page: Optional[int] = None  # where it starts in the source, set by the pipeline
    page_start: Optional[int] = None


@dataclass
class Document:
    """Everything vanban knows about one source file."""

    source: str
    sha256: str
    pages: list = field(default_factory=list)  # list[Page]
    text: str = ""  # cleaned text
    identity: Identity = field(default_factory=Identity)
    passages: list = field(default_factory=list)  # list[Passage]
    references: list = field(default_factory=list)  # list[Reference]
    measures: list = field(default_factory=list)  # list[Measure]
    warnings: list = field(default_factory=list)  # str

    @property
    def ocr_pages(self) -> int:
        return sum(1 for p in self.pages if p.method == "ocr")


@dataclass
class IngestFailure:
    """A file that could not be ingested, and what the user can do about it."""

    path: str
    reason: str
    page: Optional[int] = None

    def __str__(self) -> str:
        where = f"{self.path} (page {self.page})" if self.page else self.path
        return f"{where}: {self.reason}"


class UnreadableFile(Exception):
    """Raised by readers for a file that cannot be read; the message says why."""
