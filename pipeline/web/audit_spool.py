"""The audit as the /audit pages show it, without holding its findings.

At 1,000,000 documents the audit finds about 400,000 things: as one list in the server, 1.4 GB.
The pages show how many there are of each kind and the first few hundred; the download gives
every one. So the server keeps the counts, the first `rows` findings of all kinds and of each
kind, and writes every finding as it comes to CSV in unnamed temporary files (one for all, one
per kind: reports/spool.py), which a download streams and the system deletes once nothing
holds them.

    >>> import tempfile
    >>> from vanban.pipeline import store
    >>> tmp = tempfile.TemporaryDirectory()
    >>> spool = spool_audit(store.open_db(f"{tmp.name}/vanban.db"))
    >>> spool.total(None), b"".join(spool.csv(None))
    (0, b'kind,id,year,documents,detail,page,quote\\r\\n')
    >>> tmp.cleanup()
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterator, Optional

import sqlite_utils

from vanban.pipeline.corpus.audit import KINDS, Finding, iter_audit
from vanban.pipeline.reports.audit import csv_row, csv_writer
from vanban.pipeline.reports.spool import Spool

ROWS = 300  # findings a page shows, of all kinds or of one


@dataclass
class AuditSpool:
    counts: Counter  # kind → how many
    first: dict  # None (every kind) or a kind → its first findings, at most ROWS
    spool: Spool  # under None or a kind: the CSV of every such finding

    def total(self, kind: Optional[str]) -> int:
        return self.counts[kind] if kind else sum(self.counts.values())

    def csv(self, kind: Optional[str]) -> Iterator[bytes]:
        """The CSV of every finding (of one kind), a chunk at a time."""
        return self.spool.chunks(kind)


def spool_audit(db: sqlite_utils.Database, rows: int = ROWS) -> AuditSpool:
    """Audit db, keeping what the pages show and spooling the CSV (see the module's docstring)."""
    spool = Spool()
    writers = {kind: csv_writer(spool.file(kind)) for kind in (None, *KINDS)}
    counts: Counter = Counter()
    first: dict[Optional[str], list[Finding]] = {kind: [] for kind in writers}
    for finding in iter_audit(db):
        counts[finding.kind] += 1
        row = csv_row(finding)
        for kind in (None, finding.kind):
            writers[kind].writerow(row)
            if len(first[kind]) < rows:
                first[kind].append(finding)
    return AuditSpool(counts, first, spool)
