"""The store as the web pages read it: read-only connections, one per thread, and answers
kept while the store does not change.

Every page reads through a connection opened `mode=ro`, so no route can write to the
store even by mistake (only the upload's ingest, in its own connection, writes). Slow
corpus-wide answers (the audit: about 35 s at 100,000 documents; a province's DTI evidence:
7 s) are worked out once per state of the store, in a background thread, while the page
says it is working and reloads.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as StillRunning
from pathlib import Path
from typing import Callable, Hashable
from urllib.parse import quote

import sqlite_utils

from vanban.pipeline import store

# a background answer finished within this many seconds is shown at once (a small store's
# audit or evidence); a longer one shows a page that reloads until it is there
WAIT_SECONDS = 2.0
BACKGROUND_WORKERS = 1  # two cores shared with the page requests: one long answer at a time


class StoreBusy(Exception):
    """The store has changes the corpus update has not placed yet (an ingest is running)."""


class StoreReader:
    """Read-only access to the store at path, shared by the request threads.

    >>> reader = StoreReader("outputs/vanban.db")  # doctest: +SKIP
    >>> reader.db().execute("select count(*) from documents").fetchone()  # doctest: +SKIP
    (5,)
    """

    def __init__(self, path: Path | str):
        self.path = Path(path).resolve()
        self._local = threading.local()
        self._memo: dict[Hashable, tuple[tuple, object]] = {}
        self._jobs: dict[Hashable, tuple[tuple, Future, float]] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(BACKGROUND_WORKERS, thread_name_prefix="vanban-web")

    def prepare(self) -> None:
        """Open the store once for writing (schema upgrade, pending corpus update) before serving,
        so the read-only connections find it up to date."""
        from vanban.pipeline.corpus.graph import ensure_graph

        db = store.open_db(self.path, create=False)
        ensure_graph(db)
        db.conn.close()

    def db(self) -> sqlite_utils.Database:
        """This thread's read-only connection."""
        db = getattr(self._local, "db", None)
        if db is None:
            conn = sqlite3.connect(f"file:{quote(str(self.path))}?mode=ro", uri=True)
            conn.execute(f"PRAGMA busy_timeout = {store.BUSY_TIMEOUT_MS}")
            db = self._local.db = sqlite_utils.Database(conn)
        return db

    def state(self) -> tuple:
        """Changes whenever a commit lands: the sizes and times of the store and its write-ahead log."""
        stamp = []
        for path in (self.path, self.path.with_name(self.path.name + "-wal")):
            try:
                info = path.stat()
                stamp += [info.st_mtime_ns, info.st_size]
            except FileNotFoundError:
                stamp += [0, 0]
        return tuple(stamp)

    def memo(self, key: Hashable, compute: Callable[[sqlite_utils.Database], object]):
        """compute(db), kept until the store changes."""
        state = self.state()
        with self._lock:
            kept = self._memo.get(key)
        if kept and kept[0] == state:
            return kept[1]
        value = compute(self.db())
        with self._lock:
            self._memo[key] = (state, value)
        return value

    def background(self, key: Hashable, compute: Callable[[sqlite_utils.Database], object],
                   wait: float = WAIT_SECONDS) -> tuple[bool, object]:
        """(True, compute(db)) when the answer for this state of the store is ready within
        wait seconds; (False, seconds it has been running) otherwise. Worked out once, in a
        background thread with its own connection; an error is raised to the caller."""
        state = self.state()
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job[0] != state:
                job = (state, self._pool.submit(lambda: compute(self.db())), time.monotonic())
                self._jobs[key] = job
        _, future, started = job
        try:
            return True, future.result(timeout=wait)
        except StillRunning:
            return False, time.monotonic() - started

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
