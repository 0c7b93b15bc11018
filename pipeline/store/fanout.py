"""Read the rows of many keys at once, over several connections, when the store is on the disk.

A filtered search at 1,000,000 documents ranks its 100 candidate passages: about 80 random
pages of the passages table, read one after another by one connection when they are not in
memory (25–30 ms of a cold search's 30–50). This disk serves random reads several at a time
far faster than one at a time, and SQLite lets Python's GIL go while it waits for one; so
the keys are shared among a few read-only connections, each in a thread of its own, whose
statements wait for their pages together (p95 27 ms instead of 50, measured cold on that store).

A store under FROM_BYTES stays in the page cache, where the threads would only cost, and a
connection inside a transaction may see rows the others cannot: both read on that connection.

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
from typing import Optional, Sequence

from vanban.pipeline.store.warm import WARM_FROM_BYTES, store_file

THREADS = 8  # statements waiting at once: 4 and 8 measured alike, against one
FROM_BYTES = WARM_FROM_BYTES  # a smaller store stays in the page cache: nothing to wait for
MOST_KEYS = 10_000  # parameters in one statement, well under SQLite's limit (32,766)


class Fanout:
    """A pool of read-only connections to one store that run one statement over shares of its keys."""

    def __init__(self, path: str, threads: int = THREADS, min_bytes: Optional[int] = None):
        self.path, self.threads, self.min_bytes = path, threads, min_bytes
        self._pool: Optional[ThreadPoolExecutor] = None
        self._local = threading.local()
        self._lock = threading.Lock()

    def active(self) -> bool:
        """Is the store large enough to be read this way (checked at each call: stores grow)?"""
        least = FROM_BYTES if self.min_bytes is None else self.min_bytes
        try:
            return bool(self.path) and os.path.getsize(self.path) >= least
        except OSError:
            return False

    def rows(self, sql: str, keys: Sequence, params: Sequence = ()) -> list[tuple]:
        """sql's rows, run once per share of keys; sql holds `{keys}` where the share's
        placeholders go (before params). Rows come share by share: sort them if order matters."""
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="vanban-fanout")
        share = min(MOST_KEYS, -(-len(keys) // self.threads))
        shares = [keys[i:i + share] for i in range(0, len(keys), share)]
        return [row for part in self._pool.map(lambda s: _run(self._connection(), sql, s, params), shares)
                for row in part]

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:  # one per thread, read-only: it cannot write or create the store
            conn = self._local.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        return conn


@lru_cache(maxsize=None)
def fanout_for(path: str) -> Fanout:
    """The process's pool for the store at path (its threads idle between calls)."""
    return Fanout(path)


def rows(conn: sqlite3.Connection, sql: str, keys: Sequence, params: Sequence = ()) -> list[tuple]:
    """sql's rows for keys (see Fanout.rows), over several connections when conn's store is on
    the disk and conn is outside a transaction, else on conn itself, as the same statements."""
    keys = list(keys)
    if not keys:
        return []
    fanout = fanout_for(store_file(conn))
    if not conn.in_transaction and fanout.active():
        return fanout.rows(sql, keys, params)
    return [row for i in range(0, len(keys), MOST_KEYS) for row in _run(conn, sql, keys[i:i + MOST_KEYS], params)]


def _run(conn: sqlite3.Connection, sql: str, keys: Sequence, params: Sequence) -> list[tuple]:
    return conn.execute(sql.format(keys=", ".join("?" * len(keys))), [*keys, *params]).fetchall()
