"""Save files in the order they come, their index leaves read first.

A file's rows go to a random leaf of every index on a random key: ten or so cited numbers
(`refs_ref_id`), its hashes, its path. At 1,000,000 documents those leaves are mostly on the
disk, and saving waits for them one after another. On a store over warm.WARM_FROM_BYTES a
Saver holds up to WINDOW files back (for HOLD_SECONDS at most: a file read by OCR is saved
about as it comes), has warm.py's reading connections fetch all their leaves, several at
once, waits for them, then saves the files from the page cache, in one transaction: a page
many of them write (a table's last leaf, an FTS segment, an index leaf two files share) goes to
the WAL once, not once a file. At 1,000,000 documents that halved the MB written for 1,000
documents (README); a crash loses the window, which resume saves again. Nothing reads
beside the writer: reads still queued while it saves would slow each of its statements (they
wait for the GIL), as reading ahead file by file did. Measured cold on that store, 1,000
documents, FTS5's merging off: 2.2–2.3 s against 2.7–3.0 s (README).

A smaller store saves each file as it comes, in its own transaction, as `save_documents`
does. What is written is the same either way, in the same order; files held back when the
caller stops (an error, Ctrl-C) are saved on the way out, so nothing read is lost.

    >>> import tempfile
    >>> from vanban.pipeline import store
    >>> tmp = tempfile.TemporaryDirectory()
    >>> db = store.open_db(f"{tmp.name}/vanban.db")
    >>> with Saver(db) as saver:
    ...     saver.save("/corpus/a.txt", "ab12", [])
    >>> db.execute("select path, status from files").fetchall()
    [('/corpus/a.txt', 'ok')]
    >>> tmp.cleanup()
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable

import sqlite_utils

from vanban.models.records import Document
from vanban.pipeline.store import path_text, write_documents
from vanban.pipeline.store.fanout import store_file
from vanban.pipeline.store.warm import warmer_for

WINDOW = 64  # files held back on a large store: their leaves read together, few to redo after a crash
HOLD_SECONDS = 2.0  # nor longer, counted from the first held (checked as each file arrives)


def saving_keys(path: str, file_sha256: str, documents: Iterable[Document]) -> dict[str, set]:
    """What saving this file looks up in the indexes on a random key, by warm.py probe."""
    documents = list(documents)
    references = [r for doc in documents for r in doc.references if r.id]
    return {"refs_ref_id": {(r.id, r.year, r.jurisdiction) for r in references},
            "refs_open": {r.id for r in references if r.year is None or r.jurisdiction is None},
            "renditions_number": {doc.identity.id for doc in documents if doc.identity.id},
            "renditions_sha": {doc.sha256 for doc in documents},
            "renditions_source_name": {path_text(Path(doc.source.split("#")[0]).name) for doc in documents},
            "files": {path}, "file_renditions": {path}, "files_sha": {file_sha256}}


class Saver:
    """save_documents for a stream of files, WINDOW at a time on a large store, their leaves read first."""

    def __init__(self, db: sqlite_utils.Database, window: int = WINDOW):
        self.db, self.window = db, window
        self._warmer = warmer_for(store_file(db.conn))
        self._held: list = []
        self._since = 0.0  # when the oldest file held arrived

    def save(self, path: str, file_sha256: str, documents: list[Document]) -> None:
        """Save this file's documents, now or with the files held back around it."""
        if not self._held:
            self._since = time.monotonic()
        self._held.append((path, file_sha256, documents))
        if (len(self._held) >= self.window or time.monotonic() - self._since >= HOLD_SECONDS
                or not self._warmer.active()):
            self.flush()

    def flush(self) -> None:
        """Save every file held back, in order, after reading their leaves ahead (when worth it)."""
        held, self._held = self._held, []
        wanted: dict[str, set] = {}
        for path, file_sha256, documents in held if len(held) > 1 else []:
            for probe, keys in saving_keys(path, file_sha256, documents).items():
                wanted.setdefault(probe, set()).update(keys)
        # the reads finish before saving starts: threads still reading beside the writer
        # would slow it (each of its statements waits for the GIL), more than they save
        if wanted and self._warmer.warm(wanted):
            self._warmer.wait()
        if held:  # in one transaction (a lone file: the one save_documents would give it)
            with self.db.atomic():
                for item in held:
                    write_documents(self.db, *item)

    def __enter__(self) -> "Saver":
        return self

    def __exit__(self, *exc) -> None:
        self.flush()
