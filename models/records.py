"""Typed records that flow through vanban.

Every fact carries a `Span`: extractors set its offsets into the *cleaned* text they
were given; the pipeline adds where the same words stand on the source page with
`vanban.extractors.cleaning.offsets.OffsetMap`. Neither half ever changes meaning.
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
    turned: int = 0  # degrees clockwise OCR turned the page to read it upright (a scan fed on its side)


@dataclass(frozen=True)
class Span:
    """Where a fact stands, twice: in the document's cleaned text and on its source page.

    `start`/`end` index `Document.text`; `page`/`page_start`/`page_end` index that
    page's `Page.text` (None until the pipeline places the span). A span running on
    to the next page ends where its words on the first page end.

    >>> text = "Căn cứ Nghị định số 45/2020/NĐ-CP"
    >>> span = Span(7, 33, page=1, page_start=11, page_end=37)  # its page reads "**Căn cứ** Nghị …"
    >>> text[span.start:span.end]
    'Nghị định số 45/2020/NĐ-CP'
    >>> span.stored()
    {'clean_start': 7, 'clean_end': 33, 'page': 1, 'page_start': 11, 'page_end': 37}
    """

    start: int
    end: int
    page: Optional[int] = None  # 1-based
    page_start: Optional[int] = None
    page_end: Optional[int] = None

    def stored(self) -> dict:
        """The span as the store writes it (columns, and fields of refs.mentions)."""
        return {"clean_start": self.start, "clean_end": self.end, "page": self.page,
                "page_start": self.page_start, "page_end": self.page_end}

    @classmethod
    def from_stored(cls, row) -> "Span":
        """The span of a stored row or mention: the inverse of `stored`."""
        return cls(row["clean_start"], row["clean_end"], row["page"], row["page_start"], row["page_end"])


STORED_SPAN = tuple(Span(0, 0).stored())  # the columns every stored fact carries


@dataclass
class Mention:
    """One place a document is cited: the words as the cleaned text gives them, and their span."""

    text: str
    span: Span


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
    spans: dict = field(default_factory=dict)  # field -> Span: where the header states it ("id", "date")

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
    # why the id may be misread (a damaged ký hiệu no listed form fits), None when it checks out
    doubtful: Optional[str] = None


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
    span: Span = Span(0, 0)  # of the figure itself ("90%")
    quote: str = ""


@dataclass
class Passage:
    """A block of cleaned text: a heading, a paragraph, a list item, a footnote."""

    kind: str  # "header", "heading", "paragraph", "item", "footnote", "recipients", "signature"
    level: int  # depth in the body hierarchy (0 = top)
    span: Span
    text: str
    label: Optional[str] = None  # "I.", "1.1.", "a)", "-", "Phần II"


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
