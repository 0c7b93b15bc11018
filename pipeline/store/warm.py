"""Read ahead the index pages the corpus update, or saving, is about to touch, several at once.

At 1,000,000 documents the store (22 GB) is mostly on disk, and each new citation lands
on a random leaf of every index keyed by the document it cites: the corpus update, one
connection, then waits for those pages one after another. This disk serves random 4 KB
reads about five times faster sixteen at a time than one at a time (9,800 against 48,000
a second, measured with the page cache dropped), so when an update starts, a pool of
reading connections descends to the leaves it will need, each over a share of the keys
in one statement per probe (Python is not in the loop per key, and takes the GIL once a
share), while the update resolves and matches; it then finds them in the page cache.
Saving reads ahead too (saver.py): the leaves a window of files' rows go to in the indexes
on a random key (cited numbers, hashes, paths), before it saves them.

Warming only reads, from connections of its own, so what is written is the same with or
without it. It costs CPU, wasted when the pages are in memory anyway: a store under
WARM_FROM_BYTES is never read ahead, and a larger one only while the reads ahead find
pages on the disk (each thread's own count of bytes read from it); otherwise one call in
SAMPLE_EVERY looks again.
"""
from __future__ import annotations

import json
import sqlite3
from concurrent.futures import Future
from functools import lru_cache
from typing import Iterable, Optional

from vanban.pipeline.store.fanout import ReadingPool, store_file

THREADS = 16  # reads in flight: 5× one at a time on this disk
SHARE = 64  # keys per task at most: enough to pay for a task, small enough to spread a batch
WARM_FROM_BYTES = 1 << 30  # a smaller store stays in the page cache: nothing to read ahead
SAMPLE_EVERY = 20  # calls, while the reads ahead find everything in memory

# what a probe descends to, for keys given as a JSON array (a key with several columns is an
# array too, read by position): one leaf per key, never a whole range (a decree cited
# 100,000 times is one leaf, not its 100,000 citations)
_KEY = "json_extract(k.value, '$[{}]')"
PROBES = {
    # each cited document's row, where its new citations go, what citations say of it
    "nodes": "nodes where node_id = k.value",
    "edges_target": f"edges indexed by edges_target where target = {_KEY.format(0)} and source >= {_KEY.format(1)} "
                    "order by source",  # where the citing document's edge goes: a decree's range is long
    "cited_values": "cited_values where node_id = k.value",
    "cited_titles": "titles where kind = 'cited' and key = k.value",
    # the new documents' own: where their edges and renditions go by node; the numbers named
    "edges_source": "edges indexed by edges_source where source = k.value",
    "renditions_node": "renditions indexed by renditions_node where node_id = k.value",
    "renditions_number": "renditions indexed by renditions_number where so_hieu = k.value",
    # where a new file's rows go in the indexes on a random key (saving, saver.py); a cited
    # number's citations by year and jurisdiction: the new one goes after the last
    "refs_ref_id": f"refs indexed by refs_ref_id where ref_id = {_KEY.format(0)} and year is {_KEY.format(1)} "
                   f"and jurisdiction is {_KEY.format(2)} order by doc_id desc",
    "refs_open": "refs indexed by refs_open where ref_id = k.value and (year is null or jurisdiction is null) "
                 "order by doc_id desc",
    "renditions_sha": "renditions indexed by renditions_sha where sha256 = k.value",
    "renditions_source_name": "renditions indexed by renditions_source_name where source_name = k.value",
    "files": "files where path = k.value",
    "files_sha": "files indexed by files_sha where file_sha256 = k.value",
    "file_renditions": "file_renditions where path = k.value",
}


class Warmer(ReadingPool):
    """A pool of read-only connections to one store that fetch index pages ahead of its writer.

    >>> import tempfile
    >>> from vanban.pipeline import store
    >>> tmp = tempfile.TemporaryDirectory()
    >>> db = store.open_db(f"{tmp.name}/vanban.db")
    >>> warmer = Warmer(store_file(db.conn), min_bytes=0)
    >>> warmer.warm({"nodes": ["187/KH-UBND|2022|Tuyên Quang"], "renditions_number": ["187/KH-UBND"]})
    True
    >>> warmer.wait()
    2
    >>> warmer.close(); tmp.cleanup()
    """

    name = "vanban-warm"

    def __init__(self, path: str, threads: int = THREADS, min_bytes: Optional[int] = None):
        super().__init__(path, threads, min_bytes)
        self._pending: list[Future] = []

    def least_bytes(self) -> int:
        return WARM_FROM_BYTES

    def sample_every(self) -> int:
        return SAMPLE_EVERY

    def warm(self, wanted: dict[str, Iterable]) -> bool:
        """Start reading the leaves each probe of PROBES descends to for its keys (scalars, or
        tuples for a key of several columns), without waiting for them; False when not worth it."""
        if not self.worth_using():
            return False
        jobs = [(probe, key) for probe, keys in wanted.items()
                for key in sorted({json.dumps(list(k) if isinstance(k, tuple) else k, ensure_ascii=False)
                                   for k in keys})]
        if not jobs:
            return True
        share = min(SHARE, -(-len(jobs) // self.threads))
        pool = self.executor()
        with self._lock:
            self._pending = [f for f in self._pending if not f.done()]
            self._pending += [pool.submit(self._read, jobs[i:i + share]) for i in range(0, len(jobs), share)]
        return True

    def wait(self) -> int:
        """Wait for every read started; how many keys they looked up (a failed read, such as an
        older store's missing index, counts none: warming is only ever a help)."""
        with self._lock:
            pending, self._pending = self._pending, []
        return sum(f.result() if not f.exception() else 0 for f in pending)

    def _read(self, jobs: list[tuple[str, str]]) -> int:
        _, self._on_disk = self.counted(_probe, jobs)
        return len(jobs)


def _probe(conn: sqlite3.Connection, jobs: list[tuple[str, str]]) -> None:
    by_probe: dict[str, list[str]] = {}
    for probe, key in jobs:
        by_probe.setdefault(probe, []).append(key)
    for probe, keys in by_probe.items():  # one row back: the GIL is taken once, not once a key
        conn.execute(f"select count((select 1 from {PROBES[probe]} limit 1)) from json_each(?) k",
                     ["[" + ",".join(keys) + "]"]).fetchone()


@lru_cache(maxsize=None)
def warmer_for(path: str) -> Warmer:
    """The process's warmer of the store at path (its threads idle between batches)."""
    return Warmer(path)


def read_ahead(conn: sqlite3.Connection, wanted: dict[str, Iterable]) -> bool:
    """Start reading, for conn's store, the leaves each probe of PROBES descends to for its keys;
    False when the store is not read ahead (small, or lately found in memory)."""
    return warmer_for(store_file(conn)).warm(wanted)
