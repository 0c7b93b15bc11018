"""Datasette over the same store, under /data/: every table and column described in
Vietnamese and English (data/tables.csv, data/columns.csv), and canned queries for the
questions an office asks most.

    /data/vanban/documents                       the documents, faceted, filtered
    /data/vanban/passages?_search=chuyen+doi+so  full-text search, diacritics optional
    /data/vanban/ke_hoach_can_cu_nghi_dinh?so_hieu=47/2020/NĐ-CP
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from pathlib import Path

from vanban.extras import need
from vanban.pipeline.store.schema import FTS, HEADERLESS_FTS

BASE_URL = "/data/"

# canned queries: name in the URL → title, description, SQL (named parameters become a form)
QUERIES = {
    "ke_hoach_can_cu_nghi_dinh": {
        "title": "Kế hoạch căn cứ một nghị định — Plans whose legal basis is a decree",
        "description": "Gõ số hiệu của nghị định, ví dụ 47/2020/NĐ-CP. — Type the decree's number, e.g. 47/2020/NĐ-CP.",
        "sql": """select s.so_hieu, s.year, s.jurisdiction, s.date, s.title, e.n_mentions
from nodes t join edges e on e.target = t.node_id join nodes s on s.node_id = e.source
where t.so_hieu = :so_hieu and t.type = 'Nghị định' and s.type = 'Kế hoạch' and e.relation = 'legal_basis'
order by s.year, s.so_hieu""",
    },
    "van_ban_duoc_trich_dan_nhung_chua_co": {
        "title": "Văn bản được trích dẫn nhưng chưa có — Documents cited but not in the store",
        "description": "Những gì cần thu thập thêm, văn bản được trích dẫn nhiều nhất trước. — What to collect, "
                       "the most cited first.",
        "sql": """select so_hieu, year, jurisdiction, type, date, title, cited_by
from nodes where absent = 1 order by cited_by desc, so_hieu limit 1000""",
    },
}


@lru_cache(maxsize=None)
def _rows(name: str) -> list[dict]:
    with resources.files("vanban.pipeline.web").joinpath(f"data/{name}").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def table_descriptions() -> dict[str, str]:
    """table → 'Vietnamese — English'."""
    return {r["table"]: f"{r['vi']} — {r['en']}" for r in _rows("tables.csv")}


@lru_cache(maxsize=None)
def _columns() -> dict[tuple[str, str], dict]:
    return {(r["table"], r["column"]): r for r in _rows("columns.csv")}


def column_description(table: str, column: str) -> str | None:
    """'Vietnamese — English' for a column: the table's own row, else the row every table shares ('*')."""
    row = _columns().get((table, column)) or _columns().get(("*", column))
    return f"{row['vi']} — {row['en']}" if row else None


def described_tables(conn) -> dict[str, list[str]]:
    """The tables and views a person sees in Datasette, with their columns (FTS shadow tables left out)."""
    shadow = tuple(f"{fts}_" for fts in [*FTS, HEADERLESS_FTS])
    out = {}
    for (name,) in conn.execute("select name from sqlite_master where type in ('table', 'view') order by name"):
        if not name.startswith(shadow) and not name.startswith("sqlite_"):
            out[name] = [row[1] for row in conn.execute(f"pragma table_info([{name}])")]
    return out


def metadata(database: str, conn) -> dict:
    """Datasette metadata for the store named database (its file stem)."""
    descriptions = table_descriptions()
    tables = {name: {"description": descriptions.get(name, ""),
                     "columns": {c: column_description(name, c) or "" for c in columns}}
              for name, columns in described_tables(conn).items()}
    return {"title": "vanban", "description": "Kho văn bản hành chính — Vietnamese administrative documents",
            "databases": {database: {"tables": tables, "queries": QUERIES}}}


def datasette_app(path: Path):
    """The Datasette ASGI app for the store at path, its URLs under BASE_URL."""
    import sqlite3

    Datasette = need("datasette.app", "vanban serve").Datasette
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        meta = metadata(Path(path).stem, conn)
    finally:
        conn.close()
    return Datasette(files=[str(path)], metadata=meta,
                     settings={"base_url": BASE_URL, "suggest_facets": False}).app()
