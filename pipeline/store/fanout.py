"""Read the rows of many keys at once, over several connections, when the store is on the disk.

A search at 1,000,000 documents ranks its 100 candidate passages: about 80 random pages of the
passages table, which one connection reads one after another when they are not in memory. This
disk serves random reads several at a time far faster than one at a time, and SQLite lets
Python's GIL go while it waits; so the keys are shared among a few read-only connections, each
in a thread of its own, whose statements wait for their pages together. Measured cold on that
store, 200 filtered searches taking turns with the previous release: p95 29.6–38.9 ms against
40.5–93.7, p50 18.5–21.8 against 21.9–40.8 (README).

A store under FROM_BYTES stays in the page cache, where the threads would only cost, as they do
for a larger store while they find its pages in memory (ReadingPool); and a connection inside a
transaction may see rows the others cannot: these read on that connection.

    >>> import tempfile
    >>> from vanban.pipeline import store
    >>> tmp = tempfile.TemporaryDirectory()
    >>> db = store.open_db(f"{tmp.name}/vanban.db")
    >>> db.conn.execute("create table t (k integer primary key, v text)")  # doctest: +ELLIPSIS
    <sqlite3.Cursor ...>
    >>> with db.conn:
    ...     _ = db.conn.executemany("insert into t values (?, ?)", [(k, f"v{k}") for k in range(10)])
    >>> sorted(Fanout(store_file(db.conn), min_bytes=0).rows("select v from t where k in ({keys})", [2, 5, 7]))
    [('v2',), ('v5',), ('v7',)]
    >>> tmp.cleanup()
"""
from __future__ import annotations

import os
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Optional, Sequence

THREADS = 8  # statements waiting at once: 4 and 8 measured alike, against one
FROM_BYTES = 1 << 30  # a smaller store stays in the page cache: nothing to wait for
SAMPLE_EVERY = 20  # calls, while the threads find every page in memory
MOST_KEYS = 10_000  # parameters in one statement, well under SQLite's limit (32,766)
THREAD_IO = Path("/proc/thread-self/io")  # Linux: what this thread read from the disk (/proc/self/io: this process)


def store_file(conn: sqlite3.Connection) -> str:
    """The file of conn's main database ('' in memory)."""
    return next((row[2] for row in conn.execute("pragma database_list") if row[1] == "main"), "")


def disk_bytes(counters: Path = THREAD_IO, field: str = "read_bytes") -> Optional[int]:
    """Bytes this thread (or what counters counts) has read from the disk, not the page cache
    (field="write_bytes": has given the disk to write); None where Linux does not say."""
    try:
        return int(next(line for line in counters.read_text().splitlines()
                        if line.startswith(field + ":")).split()[1])
    except (OSError, StopIteration, ValueError):
        return None


class ReadingPool:
    """Threads, each with a read-only connection of its own to one store, used only while the store
    is large enough to be on the disk and its pages are found there (this one and warm.py's
    reading ahead). In memory the threads only cost (handing work to them, and each connection's
    own page cache to fill): each thread counts its own reads from the disk, and while they find
    every page in memory, one call in sample_every() uses them, to look again."""
    name = "vanban-fanout"

    def __init__(self, path: str, threads: int = THREADS, min_bytes: Optional[int] = None):
        self.path, self.threads, self.min_bytes = path, threads, min_bytes
        self._pool: Optional[ThreadPoolExecutor] = None
        self._local = threading.local()
        self._lock = threading.Lock()  # a server's threads may use one store's pool
        self._on_disk = True  # did the latest call's threads find pages on the disk?
        self._calls = 0

    def least_bytes(self) -> int:
        return FROM_BYTES

    def sample_every(self) -> int:
        return SAMPLE_EVERY

    def worth_using(self) -> bool:
        """Should this call use the threads: a store on the disk whose pages were found there lately?"""
        self._calls += 1
        return self.active() and (self._on_disk or self._calls % self.sample_every() == 0)

    def counted(self, work, *args):
        """work(connection, *args) on this thread's connection, and whether it read from the disk."""
        before = disk_bytes()
        result = work(self.connection(), *args)
        after = disk_bytes()
        return result, before is None or after is None or after > before

    def active(self) -> bool:
        """Is the store large enough to be read this way (checked at each call: stores grow)?"""
        least = self.least_bytes() if self.min_bytes is None else self.min_bytes
        try:
            return bool(self.path) and os.path.getsize(self.path) >= least
        except OSError:
            return False

    def executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix=self.name)
            return self._pool

    def connection(self) -> sqlite3.Connection:
        """This thread's connection, read-only: it cannot write or create the store."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        return conn

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool:
            pool.shutdown(wait=True)


class Fanout(ReadingPool):
    """A pool that runs one statement over shares of its keys at once."""

    def rows(self, sql: str, keys: Sequence, params: Sequence = ()) -> list[tuple]:
        """sql's rows, run once per share of keys; sql holds `{keys}` where the share's
        placeholders go (before params). Rows come share by share: sort them if order matters."""
        share = min(MOST_KEYS, -(-len(keys) // self.threads))
        shares = [keys[i:i + share] for i in range(0, len(keys), share)]
        parts = list(self.executor().map(lambda s: self.counted(_run, sql, s, params), shares))
        self._on_disk = any(on_disk for _, on_disk in parts)
        return [row for part, _ in parts for row in part]


@lru_cache(maxsize=None)
def fanout_for(path: str) -> Fanout:
    """The process's pool for the store at path (its threads idle between calls)."""
    return Fanout(path)


def pool(conn: sqlite3.Connection) -> Optional[Fanout]:
    """The pool to read for conn with now (counted as a call), or None to read on conn itself:
    its store is small, or its pages lately in memory, or conn is inside a transaction."""
    fanout = fanout_for(store_file(conn))
    return fanout if not conn.in_transaction and fanout.worth_using() else None


def rows(conn: sqlite3.Connection, sql: str, keys: Sequence, params: Sequence = ()) -> list[tuple]:
    """sql's rows for keys (see Fanout.rows), over several connections when pool(conn) says so,
    else on conn itself, as the same statements."""
    keys = list(keys)
    if not keys:
        return []
    fanout = pool(conn)
    if fanout:
        return fanout.rows(sql, keys, params)
    return [row for i in range(0, len(keys), MOST_KEYS) for row in _run(conn, sql, keys[i:i + MOST_KEYS], params)]


def _run(conn: sqlite3.Connection, sql: str, keys: Sequence, params: Sequence) -> list[tuple]:
    return conn.execute(sql.format(keys=", ".join("?" * len(keys))), [*keys, *params]).fetchall()
