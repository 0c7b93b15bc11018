"""Map offsets in cleaned text back to (page, offset) in the source pages.

Cleaning joins lines, drops page numbers and markdown marks and moves footnotes, so
the cleaned text is built from runs copied out of the pages. Each run remembers where
it came from; a lookup is a binary search over the runs.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace

from vanban.models.records import Span


@dataclass
class OffsetMap:
    clean_starts: list = field(default_factory=list)  # start of each run in cleaned text
    pages: list = field(default_factory=list)  # page number of each run
    source_starts: list = field(default_factory=list)  # start of each run in the page text
    copied: list = field(default_factory=list)  # True: run is a verbatim copy; False: inserted

    def add_run(self, clean_start: int, page: int, source_start: int, copied: bool = True) -> None:
        self.clean_starts.append(clean_start)
        self.pages.append(page)
        self.source_starts.append(source_start)
        self.copied.append(copied)

    def locate(self, clean_offset: int) -> tuple[int, int]:
        """(page, offset in that page's text) of a cleaned-text offset."""
        i = max(bisect.bisect_right(self.clean_starts, clean_offset) - 1, 0)
        if not self.clean_starts:
            return (1, clean_offset)
        delta = clean_offset - self.clean_starts[i] if self.copied[i] else 0
        return self.pages[i], self.source_starts[i] + delta

    def span(self, start: int, end: int) -> tuple[int, int, int]:
        """(page, start, end) in the page of the cleaned span [start, end).

        Only copied characters are mapped: a span opening on an inserted run (a bullet,
        a joining space) starts at the next copied one. A span crossing a page break
        ends with the last character copied from the page of its start.
        """
        if not self.clean_starts:
            return (1, start, end)
        first = max(bisect.bisect_right(self.clean_starts, start) - 1, 0)
        last = max(bisect.bisect_right(self.clean_starts, max(end - 1, start)) - 1, first)
        # the first copied run gives the page and the start; the last copied run on that page, the end
        i = next((k for k in range(first, last + 1) if self.copied[k]), first)
        page = self.pages[i]
        into = max(start, self.clean_starts[i]) - self.clean_starts[i] if self.copied[i] else 0
        source_start = self.source_starts[i] + into
        j = next((k for k in range(last, i, -1) if self.copied[k] and self.pages[k] == page), i)
        if not self.copied[j]:
            return page, source_start, source_start
        run_end = end if j == last else self.clean_starts[j + 1]  # a run before the span's last is whole
        return page, source_start, max(self.source_starts[j] + run_end - self.clean_starts[j], source_start)

    def place(self, span: Span) -> Span:
        """The cleaned-text span with where it stands on its page added."""
        page, page_start, page_end = self.span(span.start, span.end)
        return replace(span, page=page, page_start=page_start, page_end=page_end)


class CleanTextBuilder:
    """Accumulates cleaned text and its offset map together."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.map = OffsetMap()

    def copy(self, text: str, page: int, source_start: int) -> None:
        """Append text copied verbatim from page text at source_start."""
        if text:
            self.map.add_run(self.length, page, source_start, True)
            self.parts.append(text)
            self.length += len(text)

    def insert(self, text: str, page: int, source_at: int) -> None:
        """Append text that is not in the source (a joining space, a newline)."""
        if text:
            self.map.add_run(self.length, page, source_at, False)
            self.parts.append(text)
            self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)
