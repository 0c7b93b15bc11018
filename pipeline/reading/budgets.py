"""What one file may cost: memory, time, pixels, inflated bytes, text size.

A hostile or broken file (a 1 KB PDF with one 14,400-point page, a DOCX whose XML
inflates to 1 GiB, a 30 MB text, 2,000 blank scanned pages) must not take the
machine or the batch with it. Each limit has a default, an environment variable and
an ingest option (README, "Bad input"); a file over one is reported with its path,
page and the limit's name, and the batch goes on.

    VANBAN_FILE_TIMEOUT=60 vanban ingest scans/       # at most a minute a file
    vanban ingest scans/ --memory-limit 1024 --ocr-timeout 30
"""
from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass, fields
from typing import Optional

from vanban.models.records import UnreadableFile

MB = 1 << 20


@dataclass(frozen=True)
class Budgets:
    """The limits every file is read under; each field's env variable is VANBAN_ + its name in capitals."""

    # address space a file may take in its reader process and the tesseract it starts
    # (RLIMIT_AS), beside what the reader maps when it starts (its libraries, copied from
    # the process it was forked from): one 300 dpi page takes about 300 MB
    memory_mb: int = 2048
    # wall time to read one file, OCR included (a 10-page scan takes about 30 s on one core)
    file_timeout: float = 600.0
    # one tesseract call on one page (an A4 page at 300 dpi takes 2-4 s)
    ocr_timeout: float = 120.0
    # pixels of one page image handed to OCR: A4 at 300 dpi is 8.7 Mpx, A3 17.4 Mpx; a bigger
    # page is rendered at a lower dpi (at 36 Mpx a grey page is 36 MB before tesseract's copies)
    page_pixels: int = 36_000_000
    # bytes a DOCX may inflate to, all its members together, read from the ZIP directory
    unzipped_mb: int = 256
    # a text file (or one JSONL line) read at once; analysis takes about 12 s a MB
    text_mb: int = 20
    # pages of one document: a PDF's, a multi-page TIFF's, a group of page images' (a 200,000-page
    # PDF can be 1 MB: the same page listed again and again)
    pages: int = 2000

    @classmethod
    def from_env(cls, **overrides) -> "Budgets":
        """Defaults, then VANBAN_<NAME> variables, then overrides that are not None.

        >>> Budgets.from_env(file_timeout=30).file_timeout
        30.0
        """
        values = {}
        for f in fields(cls):
            raw = os.environ.get(f"VANBAN_{f.name.upper()}")
            kind = int if f.type == "int" else float
            if raw:
                try:
                    values[f.name] = kind(raw)
                except ValueError as exc:
                    raise ValueError(f"VANBAN_{f.name.upper()}={raw!r} is not a number") from exc
            if overrides.get(f.name) is not None:
                values[f.name] = kind(overrides[f.name])
        budgets = cls(**values)
        for f in fields(budgets):
            if getattr(budgets, f.name) <= 0:
                raise ValueError(f"the {f.name} limit must be above 0")
        return budgets


class OverBudget(UnreadableFile):
    """A file over one of its limits: the message names the limit and how to raise it."""

    def __init__(self, limit: str, message: str, page: Optional[int] = None):
        super().__init__(f"over the {limit} limit: {message}")
        self.limit, self.page = limit, page

    def __reduce__(self):  # raised in a worker, rebuilt in the parent
        return (_rebuild, (self.limit, str(self), self.page))


def _rebuild(limit: str, text: str, page: Optional[int]) -> OverBudget:
    error = OverBudget(limit, "", page)
    error.args = (text,)
    return error


_current = Budgets()
_deadline: Optional[float] = None


def current() -> Budgets:
    """The budgets of the file being read in this process."""
    return _current


def enter_worker(budgets: Budgets) -> None:
    """Set this worker's budgets and its memory limit (children such as tesseract inherit it).

    The limit is counted from the address space the worker already has: a process forked
    from a large one (a Ray worker maps 1.3 GB, a test runner some 800 MB) would otherwise
    start over its limit, and fail whichever allocation first needs a new mapping.
    """
    global _current
    _current = budgets
    limit = (budgets.memory_mb + mapped_mb()) * MB
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):  # a platform without RLIMIT_AS: the wall-time limit still holds
        pass


def lift_memory_limit() -> None:
    """Give this worker its address space back, up to the hard limit: it ran out and ends."""
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    except (ValueError, OSError):
        pass


def mapped_mb() -> int:
    """This process's address space (VmSize) in MB; 0 where /proc does not tell."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def start_file(budgets: Optional[Budgets] = None) -> None:
    """The clock for one file starts now."""
    global _current, _deadline
    if budgets is not None:
        _current = budgets
    _deadline = time.monotonic() + _current.file_timeout


def check_time(page: Optional[int] = None) -> None:
    """Raise OverBudget when the file being read has used its time (checked between pages)."""
    if _deadline is not None and time.monotonic() > _deadline:
        where = f" (reached at page {page})" if page else ""
        raise OverBudget("file time", f"reading took more than {_current.file_timeout:g} s{where}; "
                         "split the file, or raise --file-timeout (VANBAN_FILE_TIMEOUT)", page)


def remaining() -> Optional[float]:
    """Seconds left for the file being read (None: no clock running)."""
    return None if _deadline is None else max(0.0, _deadline - time.monotonic())

