"""Saving files' documents in a thread of its own, in the order given, while the caller reads on.

At 1,000,000 documents saving a file waits for a dozen random leaves, one after another: its
citations' places in the index by number, its content hashes. Saved one by one between reads,
those waits also held back the worker processes, which get their next file only when the
batch's loop comes back to them. A Saver takes each file's documents at once and saves them
in order from its own thread; up to AHEAD files wait, and the leaves they will write are read
ahead (warm.py, a large store only), several at once, while the files before them are saved.

The store's connection is used by the saver's thread only, from the first file handed over
until the saver is closed; each file is still one transaction, so a crash loses at most the
files waiting, which a new run reads again.
"""
from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Iterable, Optional

import sqlite_utils

from vanban.models.records import Document
from vanban.pipeline.store import save_documents
from vanban.pipeline.store.warm import store_file, warmer_for

AHEAD = 32  # files waiting at most: enough to read ahead, few enough to hold in memory


def saving_keys(path: str, file_sha256: str, documents: Iterable[Document]) -> dict[str, set]:
    """What saving a file's documents writes into indexes by something else than the new rendition
    (whose own rows go at the right end of theirs), as warm.PROBES keys."""
    documents = list(documents)
    return {"refs_number": {(r.id, r.year, r.jurisdiction) for d in documents for r in d.references},
            "renditions_sha": {d.sha256 for d in documents},
            "renditions_number": {d.identity.id for d in documents if d.identity.id},
            "files_sha": {file_sha256} if file_sha256 else set(), "files": {path}}


class Saver:
    """Saves (path, file hash, documents) in the order given from a thread of its own.

    >>> import tempfile
    >>> from vanban.pipeline import store
    >>> tmp = tempfile.TemporaryDirectory()
    >>> db = store.open_db(f"{tmp.name}/vanban.db")
    >>> with Saver(db) as saver:
    ...     saver.save("a.txt", "f1", [])
    >>> store.is_done(db, "a.txt", "f1")
    True
    >>> tmp.cleanup()
    """

    def __init__(self, db: sqlite_utils.Database, ahead: int = AHEAD):
        self.db, self.ahead = db, ahead
        self._warmer = warmer_for(store_file(db.conn))  # asked here, not from the saving thread's connection
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="vanban-save")
        self._waiting: deque[Future] = deque()

    def save(self, path: str, file_sha256: str, documents: list[Document]) -> None:
        """Save a file's documents after those handed over before (store.save_documents); its
        leaves are read ahead meanwhile. A failed save is raised here, or by close."""
        self._warmer.warm(saving_keys(path, file_sha256, documents))
        self.call(save_documents, path, file_sha256, documents)

    def call(self, function: Callable[..., Any], *args: Any) -> None:
        """function(db, *args) in the saver's thread, after what was handed over before (any
        other write to the store while the saver is open, such as logging a failure)."""
        while len(self._waiting) >= self.ahead or self._waiting and self._waiting[0].done():
            self._waiting.popleft().result()
        self._waiting.append(self._pool.submit(function, self.db, *args))

    def close(self) -> None:
        """Wait for every file handed over; raise the first failure, once all are done."""
        error: Optional[BaseException] = None
        while self._waiting:
            future = self._waiting.popleft()
            if future.exception() is not None and error is None:
                error = future.exception()
        self._pool.shutdown(wait=True)
        if error is not None:
            raise error

    def __enter__(self) -> "Saver":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
