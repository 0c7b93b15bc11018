"""Which table or index each page of a store belongs to, and which pages the page cache holds.

`vanban bench --scale N --cold --pages` counts, by table and index, the pages an ingest
brought into memory from a cold start: what it read from the disk, or wrote (a page written
is read first, unless it is new). The kernel's read-ahead is turned off for the store's
descriptors meanwhile (advise), or pages beside the ones SQLite asked for would count too:
at 1,000,000 documents they doubled the megabytes read, but not the time, which goes with the
random reads SQLite waits for. At 1,000,000 documents those pages, not the statements
run, are what the store's side of the ingest ratio grows with; knowing which b-trees they
lie in says which to merge or drop.

The owners come from SQLite's `dbstat` table (one pass over the file: 90 s at 1,000,000
documents, which leaves the store in the page cache: evict it after); residency from
mincore(2) on a read-only mapping of the file, as util-linux `fincore` counts it.
"""
from __future__ import annotations

import array
import ctypes
import ctypes.util
import mmap
import os
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

NEW = "(new pages)"  # past the end of the file when the owners were read: a b-tree grew


@dataclass
class PageOwners:
    """owner[p] indexes names for SQLite page p (1-based; 0: no owner, a free page)."""
    page_size: int
    owner: array.array
    names: list[str]

    def count(self, pages) -> Counter:
        """How many of the given page numbers each table or index owns."""
        counts: Counter = Counter()
        for page in pages:
            if page >= len(self.owner):
                counts[NEW] += 1
            elif self.owner[page]:
                counts[self.names[self.owner[page] - 1]] += 1
            else:
                counts["(free pages)"] += 1
        return counts


def page_owners(path: Path) -> PageOwners:
    """The table or index of every page of the store at path (read-only)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        page_size, pages = (conn.execute(f"pragma {p}").fetchone()[0] for p in ("page_size", "page_count"))
        owner, names, ids = array.array("H", bytes(2 * (pages + 1))), [], {}
        for page, name in conn.execute("select pageno, name from dbstat"):
            if name not in ids:
                names.append(name)
                ids[name] = len(names)
            owner[page] = ids[name]
    finally:
        conn.close()
    return PageOwners(page_size, owner, names)


def advise(path: Path, advice: int) -> int:
    """posix_fadvise(advice) on every descriptor this process has open on the file at path (SQLite's
    connections' own: the kernel keeps read-ahead per open file); how many there were."""
    target, advised = os.path.realpath(path), 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == target:
                os.posix_fadvise(int(fd), 0, 0, advice)
                advised += 1
        except OSError:  # closed meanwhile (the listing's own descriptor)
            continue
    return advised


def resident_pages(path: Path, page_size: int) -> list[int]:
    """The SQLite pages (1-based) of the file at path that the page cache holds, any part of them."""
    size = path.stat().st_size
    if not size:
        return []
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    os_page = mmap.PAGESIZE
    vector = ctypes.create_string_buffer(-(-size // os_page))
    fd = os.open(path, os.O_RDONLY)
    try:
        address = libc.mmap(None, size, mmap.PROT_READ, mmap.MAP_SHARED, fd, 0)
        if address in (None, ctypes.c_void_p(-1).value):
            raise OSError(ctypes.get_errno(), f"mmap {path}")
        try:
            if libc.mincore(address, size, vector) != 0:
                raise OSError(ctypes.get_errno(), f"mincore {path}")
        finally:
            libc.munmap(address, size)
    finally:
        os.close(fd)
    return sorted({offset // page_size + 1 for index, flag in enumerate(vector.raw) if flag & 1
                   for offset in range(index * os_page, min((index + 1) * os_page, size), min(os_page, page_size))})
