"""Pages told apart by the table or index they belong to, and by whether the page cache holds them."""
from __future__ import annotations

import os
import sqlite3

from vanban.pipeline.dev.page_owners import NEW, advise, page_owners, resident_pages
from vanban.pipeline.dev.scale_bench import evict_page_cache


def small_store(path):
    conn = sqlite3.connect(path)
    conn.execute("create table wide (id integer primary key, body text)")
    conn.execute("create table narrow (id integer primary key, n integer)")
    conn.execute("create index narrow_n on narrow(n)")
    conn.executemany("insert into wide (body) values (?)", [("x" * 3000,) for _ in range(200)])
    conn.executemany("insert into narrow (n) values (?)", [(i,) for i in range(2000)])
    conn.commit()
    conn.close()


def test_every_page_has_its_table_or_index(tmp_path):
    path = tmp_path / "s.db"
    small_store(path)
    owners = page_owners(path)
    counts = owners.count(range(1, len(owners.owner)))
    assert counts["wide"] >= 200 > counts["narrow"] > 0 and counts["narrow_n"] > 0
    assert owners.count([len(owners.owner) + 5]) == {NEW: 1}  # a page the file did not have yet


def test_a_table_read_from_a_cold_start_is_what_the_page_cache_holds(tmp_path):
    path = tmp_path / "s.db"
    small_store(path)
    owners = page_owners(path)
    assert owners.count(resident_pages(path, owners.page_size))["wide"] >= 200  # written and read: in memory
    evict_page_cache(path)
    assert resident_pages(path, owners.page_size) == []
    conn = sqlite3.connect(path)
    assert conn.execute("select count(*) from narrow where n >= 0").fetchone()[0] == 2000  # the index alone
    conn.close()
    counts = owners.count(resident_pages(path, owners.page_size))
    assert counts["narrow_n"] > 0 and counts["wide"] < 20  # the kernel reads a little ahead, no more


def test_an_empty_file_holds_no_pages(tmp_path):
    (tmp_path / "empty.db").touch()
    assert resident_pages(tmp_path / "empty.db", 4096) == []


def test_read_ahead_is_advised_on_every_descriptor_open_on_the_store_and_no_other(tmp_path):
    small_store(tmp_path / "s.db")
    small_store(tmp_path / "other.db")
    connections = [sqlite3.connect(tmp_path / "s.db") for _ in range(2)] + [sqlite3.connect(tmp_path / "other.db")]
    for conn in connections:
        conn.execute("select count(*) from narrow").fetchone()  # SQLite opens the file when first read
    assert advise(tmp_path / "s.db", os.POSIX_FADV_RANDOM) == 2
    assert advise(tmp_path / "s.db", os.POSIX_FADV_NORMAL) == 2
    for conn in connections:
        conn.close()
    assert advise(tmp_path / "s.db", os.POSIX_FADV_NORMAL) == 0
