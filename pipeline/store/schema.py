"""The store's schema: every table, view and index, and the migrations that bring an
older store up to date. No other module creates a table.

A *rendition* is one file's reading of a document (the signed PDF, its scan, a text
copy); the real *document* is (số hiệu, year, jurisdiction), or a header-less text
matched by title. `renditions.node_id` names the document a rendition belongs to and
`is_primary` marks the one rendition that speaks for it (text layer over OCR). The
view `documents` shows each real document once (and a rendition not yet placed by the
corpus update as itself); `citations` and `figures` are the refs
and measures of those primary renditions. `refs`, `measures`, `passages` and `pages`
keep what every file gave on its own, as provenance. A rendition's cleaned text is a row of
`texts`, apart from its `renditions` row (the view `documents` joins it back).

`ensure_schema(db)` creates a new store or upgrades an old one, in one transaction.
"""
from __future__ import annotations

import sqlite3
from dataclasses import fields

import sqlite_utils

from vanban.models.records import STORED_SPAN, Measure
from vanban.pipeline.store.facets import facet_tokens, scope_tokens

SCHEMA_VERSION = 19
# the measures table mirrors the record, its span stored as both spans' columns
MEASURE_COLUMNS = tuple(c for f in fields(Measure) for c in (STORED_SPAN if f.name == "span" else (f.name,)))

# FTS over the text as written and its folded twin: unicode61 strips tone marks and
# other diacritics, but đ/Đ are letters of their own, so the folded column (đ → d)
# lets "chuyen doi so" match as well as "chuyển đổi số", in vanban, Datasette and
# `sqlite-utils search` alike.
FTS_TOKENIZER = "unicode61 remove_diacritics 2"



def _columns(record) -> str:
    """A dataclass's fields as column definitions, typed from their annotations; a span is its five columns."""
    def sql_type(annotation: str) -> str:
        return "real" if "float" in annotation else "integer" if "int" in annotation else "text"
    return ", ".join(", ".join(f'"{c}" integer' for c in STORED_SPAN) if str(f.type) == "Span"
                     else f'"{f.name}" {sql_type(str(f.type))}' for f in fields(record))


TABLES = {
    "meta": """create table meta (key text primary key, value text)""",
    "renditions": """create table renditions (
        doc_id text primary key, sha256 text, source text, source_name text, pages integer, ocr_pages integer,
        type text, so_hieu text, number text, symbol text, date text, year integer, issuer text, province text,
        place text, title text, signer text, signer_title text, identity_notes text, warnings text,
        ingested_at text,
        jurisdiction text, node_id text, is_primary integer not null default 0,
        identity_spans text)""",  # where the header states its number and date: {"id": span, "date": span}
    # a rendition's text (tens of KB for a real document) in a table of its own: in its renditions
    # row it spilled onto overflow pages, read through to reach any column after it (node_id,
    # is_primary: every `documents` filter) and written again whole by every corpus update of the row
    "texts": """create table texts (doc_id text primary key references renditions(doc_id), clean_text text)""",
    "pages": """create table pages (
        doc_id text references renditions(doc_id), page integer, method text, ocr_confidence real, text text,
        primary key (doc_id, page))""",
    "passages": """create table passages (
        doc_id text references renditions(doc_id), seq integer, kind text, level integer, label text,
        page integer, page_start integer, clean_start integer, clean_end integer, text text, text_folded text,
        page_end integer, facets text, primary key (doc_id, seq))""",  # facets: store/facets.py
    "refs": """create table refs (
        doc_id text references renditions(doc_id), seq integer, ref_id text, type text, number text,
        symbol text, year integer, date text, dates text, issuer text, jurisdiction text, relation text,
        title text, mentions text, n_mentions integer,
        resolved_year integer, resolved_jurisdiction text, resolution_note text,
        doubtful text,  -- why the ký hiệu may be misread (extractors/symbols.py), null when it checks out
        primary key (doc_id, seq))""",
    "measures": f"""create table measures (
        doc_id text references renditions(doc_id), seq integer, {_columns(Measure)}, primary key (doc_id, seq))""",
    # what was ingested from where: one row per file (resolved absolute path)
    "files": """create table files (path text primary key, file_sha256 text, status text, doc_ids text, at text)""",
    "file_renditions": """create table file_renditions (
        path text references files(path), doc_id text, primary key (path, doc_id))""",
    # one row per file, content and reason: a failure that recurs on every run is counted, not repeated
    # (file_sha256 '' when the file could not be hashed; `at` is when it was last seen)
    "ingest_log": """create table ingest_log (id integer primary key, path text, page integer, reason text,
        at text, file_sha256 text not null default '', count integer not null default 1, first_at text,
        unique (path, file_sha256, reason))""",
    # how each rendition is known in the corpus: its header, or the citation carrying its title
    "document_matches": """create table document_matches (
        doc_id text primary key, resolved_id text, resolved_year integer, resolved_date text,
        jurisdiction text, method text, similarity real, reason text)""",
    # keyed by node_id alone (without rowid): the corpus update reads and rewrites the rows of
    # the documents new ones cite, one B-tree descent each instead of an index's and the table's
    "nodes": """create table nodes (
        node_id text primary key, so_hieu text, id_key text, id_number text, year integer, jurisdiction text,
        type text, date text, title text, doc_id text, doc_ids text, absent integer, cited_by integer,
        cites integer, issuer text,
        source_name text) without rowid""",  # its primary rendition's file: what cited-by lists of a citing one
    # keyed by (doc_id, ref_seq) alone (without rowid): its indexes then hold that key, so the
    # citations of a document are found, and named, from edges_target without reading the table
    "edges": """create table edges (
        doc_id text, ref_seq integer, source text, target text, relation text, n_mentions integer,
        primary key (doc_id, ref_seq)) without rowid""",
    # what the corpus update still has to look at: 'node' ids whose rows may be stale and
    # document 'id's whose citations may resolve differently (written with the change itself,
    # so a crash between a write and the update loses nothing)
    "corpus_dirty": """create table corpus_dirty (kind text, key text, primary key (kind, key))""",
    # titles a header-less document may be matched by: citations' titles and header-less renditions
    "titles": """create table titles (
        id integer primary key, kind text, key text, type text, jurisdiction text, title text, scope text,
        unique (kind, key, title))""",
    # how many citations of a document give each type, date, title and issuer: a document known only
    # from citations is described by the most frequent, kept by deltas as edges come and go (only
    # while it is only cited: a stored one is described by its primary rendition)
    "cited_values": """create table cited_values (
        node_id text, field text, value text, n integer, primary key (node_id, field, value)) without rowid""",
    # how many nodes, only-cited nodes and edges the graph has, moved by what writes them (store.count_graph):
    # counting 10,000,000 edges took 5 s at 1,000,000 documents, after every update (triggers kept them
    # too, at a quarter more time for a corpus update)
    "graph_counts": """create table graph_counts (name text primary key, n integer not null) without rowid""",
}

# graph_counts' rows as the counts they keep ('absent': nodes only cited)
GRAPH_COUNTS = {"nodes": "select count(*) from nodes", "absent": "select count(*) from nodes where absent = 1",
                "edges": "select count(*) from edges"}


def graph_counted(conn: sqlite3.Connection) -> dict[str, int]:
    """graph_counts' values counted over the whole tables (what the kept rows must equal)."""
    return {name: conn.execute(sql).fetchone()[0] for name, sql in GRAPH_COUNTS.items()}

VIEWS = {
    # a rendition the corpus update has not placed yet (node_id null) stands for itself
    # known_*: the identity the corpus gives a header-less document (the citation carrying its title)
    # (the text's join is left out of a query that does not read clean_text: its key is unique)
    "documents": """create view documents as select r.*, t.clean_text, m.resolved_id as known_id,
        m.resolved_year as known_year, m.resolved_date as known_date, m.method as known_by from renditions r
        left join texts t on t.doc_id = r.doc_id
        left join document_matches m on m.doc_id = r.doc_id where r.is_primary = 1 or r.node_id is null""",
    "citations": """create view citations as select r.* from refs r
        join renditions d indexed by renditions_source on d.doc_id = r.doc_id
        where d.is_primary = 1 or d.node_id is null""",
    "figures": """create view figures as select m.* from measures m
        join renditions d indexed by renditions_source on d.doc_id = m.doc_id
        where d.is_primary = 1 or d.node_id is null""",
}


def _declared(table: str) -> list[tuple]:
    """table's columns as TABLES defines it today (pragma table_info rows), from an in-memory copy."""
    memory = sqlite3.connect(":memory:")
    memory.execute(TABLES[table])
    return memory.execute(f"pragma table_info([{table}])").fetchall()


# the documents view's columns but the text: what a look-up returns (the text is read when shown)
DOCUMENT_COLUMNS = ", ".join([*(row[1] for row in _declared("renditions")), "known_id", "known_year", "known_date",
                              "known_by"])

INDEXES = [
    # the corpus update's probes by number and year stay in indexes, and so do the audit's (the
    # years a number's stored documents have): a random page of the renditions table each, else
    "create index if not exists renditions_number on renditions(so_hieu, year, province, jurisdiction, "
    "is_primary, node_id)",
    "create index if not exists renditions_incomplete on renditions(so_hieu) where year is null or province is null",
    "create index if not exists renditions_node on renditions(node_id, is_primary)",
    # the overview's counts (documents by type and year, renditions, pages, OCR pages) from the index alone
    "create index if not exists renditions_primary on renditions(is_primary, type, year, pages, ocr_pages)",
    # a province's documents without reading the rows; and the provinces stored, one probe each
    "create index if not exists renditions_province on renditions(province, is_primary, node_id)",
    "create index if not exists renditions_source_name on renditions(source_name)",
    "create index if not exists renditions_pending on renditions(doc_id) where node_id is null",
    # the same text read again is the rendition already stored (doc_ids are ordinals, not hashes)
    "create index if not exists renditions_sha on renditions(sha256)",
    # what the corpus update and the audit ask of a citing rendition (does it speak for its document,
    # its file, its date) without reading its row: a random page of the largest table each, and
    # at 1,000,000 documents most of an update's waiting on the disk
    "create index if not exists renditions_source on renditions(doc_id, is_primary, node_id, source, "
    "source_name, date)",
    # doc_id too: the files citing a number (resolution notes, the audit) named from indexes alone
    "create index if not exists refs_ref_id on refs(ref_id, year, jurisdiction, doc_id)",
    # the citations the corpus update re-resolves: a decree's few without a year, not its 100,000;
    # with what resolving reads of each, so their rows stay unread
    "create index if not exists refs_open on refs(ref_id, doc_id, seq, year, jurisdiction, resolved_year, "
    "resolved_jurisdiction, resolution_note) where year is null or jurisdiction is null",
    # the audit's malformed numbers: the few doubtful citations, without reading the rest
    "create index if not exists refs_doubtful on refs(doc_id) where doubtful is not null",
    # the jurisdictions citations name, a probe each (store.jurisdictions_cited) where listing them read
    # every citation (20 s at 1,000,000 documents); a few dozen values, so a new citation lands on
    # one of a few dozen leaves, always in memory. Partial, on a condition only that skip scan
    # writes: SQLite took it for `ref_id = ? and jurisdiction is ? and rowid < ?` instead of
    # refs_ref_id, and read a whole province's citations (a corpus update ten times slower)
    "create index if not exists refs_jurisdiction on refs(jurisdiction) where jurisdiction > ''",
    "create index if not exists measures_kind on measures(kind)",
    "create index if not exists files_sha on files(file_sha256)",
    "create index if not exists file_renditions_doc on file_renditions(doc_id)",
    "create index if not exists titles_kind on titles(kind, type, jurisdiction)",
    "create index if not exists nodes_id_key on nodes(id_key)",
    "create index if not exists nodes_id_number on nodes(id_number)",
    # who cites a document, with how, from the index alone: its citing documents' rows are the
    # only other pages cited-by reads (one random page each, where the edge's row made two)
    "create index if not exists edges_target on edges(target, source, relation, n_mentions)",
    # the audit's documents to collect without reading the stored ones; not by cited_by, which
    # every new citation of one moves (two more random pages per citation)
    "create index if not exists nodes_absent on nodes(absent) where absent = 1",
    "create index if not exists edges_source on edges(source, target)",
]

FTS = {
    "passages_fts": ("passages", ["text", "text_folded", "facets"]),
    "titles_fts": ("titles", ["title", "scope"]),
}
# the header-less renditions' titles again, in an index of their own (contentless: the rows are
# in titles). A header-less look-up (may a newly cited title be one of them? is this one a
# twin?) then reads posting lists as long as their titles', where in titles_fts a word's list
# runs through the million cited titles holding it too: 0.62 against 0.18 ms a look-up at
# 1,000,000 documents (29,000 header-less titles among 1,090,000)
HEADERLESS_FTS = "headerless_titles_fts"


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the store, or upgrade it to SCHEMA_VERSION, in one write transaction.

    BEGIN IMMEDIATE takes the write lock before looking, so two processes opening a
    new store at once do not both try to create it.
    """
    if _version(db) == SCHEMA_VERSION:
        return
    conn = db.conn
    conn.execute("begin immediate")
    try:
        version = _version(db)
        if version == 0:
            _create(db)
        elif version < SCHEMA_VERSION:
            _drop_views(db)  # an old view may name what a step changes (SQLite checks views on a rename)
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](db)
            _finish(db)
        elif version > SCHEMA_VERSION:
            raise RuntimeError(f"this store was written by a newer vanban (schema {version}, this release "
                               f"reads {SCHEMA_VERSION}): upgrade vanban")
        conn.execute("insert or replace into meta (key, value) values ('schema_version', ?)",
                     [str(SCHEMA_VERSION)])
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise


def _version(db: sqlite_utils.Database) -> int:
    """0 for an empty file; the version in meta otherwise (version 1 stores wrote it too)."""
    try:
        row = db.conn.execute("select value from meta where key = 'schema_version'").fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(row[0]) if row else 0


def _create(db: sqlite_utils.Database) -> None:
    for ddl in TABLES.values():
        db.conn.execute(ddl)
    _finish(db)


def _finish(db: sqlite_utils.Database) -> None:
    """Views, indexes and FTS tables (with their triggers), for a new or migrated store.

    Columns a later version added come first: an old store's step runs this with today's
    indexes, which may need them (a version 7 store and refs_doubtful, version 10's).
    """
    _add_missing_columns(db)
    _drop_views(db)
    for ddl in VIEWS.values():
        db.conn.execute(ddl)
    for ddl in INDEXES:
        _drop_if_redefined(db, ddl)
        db.conn.execute(ddl)
    for fts, (table, columns) in FTS.items():
        if fts not in db.table_names():
            _create_fts(db, fts, table, columns)
    if HEADERLESS_FTS not in db.table_names():
        _create_headerless_fts(db)
    _count_graph(db)


def _count_graph(db: sqlite_utils.Database) -> None:
    """graph_counts' missing rows counted (a new store's: 0)."""
    conn = db.conn
    if {row[0] for row in conn.execute("select name from graph_counts")} != set(GRAPH_COUNTS):
        conn.executemany("insert or ignore into graph_counts (name, n) values (?, ?)", graph_counted(conn).items())


def _drop_if_redefined(db: sqlite_utils.Database, ddl: str) -> None:
    """Drop the index ddl creates if the store has it under another definition (an older release's
    columns), so it is built again as defined now, once, whichever step of an upgrade gets here first."""
    prefix = "create index if not exists "
    name = ddl[len(prefix):].split(" ", 1)[0]
    row = db.conn.execute("select sql from sqlite_master where type = 'index' and name = ?", [name]).fetchone()
    if row and row[0] != "CREATE INDEX " + ddl[len(prefix):]:  # as SQLite keeps it: keyword upper, no "if not exists"
        db.conn.execute(f"drop index [{name}]")


def _drop_views(db: sqlite_utils.Database) -> None:
    """The views, made again by _finish (a version 1 store's `documents` is a table: left alone)."""
    for (name,) in db.conn.execute("select name from sqlite_master where type = 'view'").fetchall():
        if name in VIEWS:
            db.conn.execute(f"drop view [{name}]")


def _create_fts(db: sqlite_utils.Database, fts: str, table: str, columns: list[str]) -> None:
    """An external-content FTS5 table kept up to date by triggers, named as sqlite-utils and
    Datasette expect (`<table>_fts`, `content="<table>"`), written by hand because
    sqlite-utils' enable_fts commits the transaction it runs in."""
    cols = ", ".join(f"[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    conn = db.conn
    conn.execute(f"""create virtual table [{fts}] using fts5 ({cols}, tokenize='{FTS_TOKENIZER}', content="{table}")""")
    conn.execute(f"create trigger [{table}_ai] after insert on [{table}] begin "
                 f"insert into [{fts}] (rowid, {cols}) values (new.rowid, {new}); end")
    conn.execute(f"create trigger [{table}_ad] after delete on [{table}] begin "
                 f"insert into [{fts}] ([{fts}], rowid, {cols}) values ('delete', old.rowid, {old}); end")
    conn.execute(f"create trigger [{table}_au] after update on [{table}] begin "
                 f"insert into [{fts}] ([{fts}], rowid, {cols}) values ('delete', old.rowid, {old}); "
                 f"insert into [{fts}] (rowid, {cols}) values (new.rowid, {new}); end")


def _create_headerless_fts(db: sqlite_utils.Database) -> None:
    """HEADERLESS_FTS, kept by triggers on titles that act on header-less rows only, filled
    with the ones stored (a contentless FTS5 table deletes a row given the values it indexed)."""
    conn, fts = db.conn, HEADERLESS_FTS
    put = f"insert into {fts} (rowid, title, scope) select new.id, new.title, new.scope where new.kind = 'headerless'"
    drop = (f"insert into {fts} ({fts}, rowid, title, scope) "
            "select 'delete', old.id, old.title, old.scope where old.kind = 'headerless'")
    conn.execute(f"create virtual table {fts} using fts5 (title, scope, tokenize='{FTS_TOKENIZER}', content='')")
    conn.execute(f"create trigger titles_headerless_ai after insert on titles begin {put}; end")
    conn.execute(f"create trigger titles_headerless_ad after delete on titles begin {drop}; end")
    conn.execute(f"create trigger titles_headerless_au after update on titles begin {drop}; {put}; end")
    conn.execute(f"insert into {fts} (rowid, title, scope) select id, title, scope from titles "
                 "where kind = 'headerless'")


def _add_missing_columns(db: sqlite_utils.Database) -> None:
    """Tables that exist but lack columns the current definition has get them (ALTER TABLE ADD)."""
    for table, ddl in TABLES.items():
        if table not in db.table_names():
            db.conn.execute(ddl)
            continue
        have = {row[1] for row in db.conn.execute(f"pragma table_info([{table}])")}
        for _, name, kind, notnull, default, _ in _declared(table):
            if name not in have:
                extra = f" not null default {default}" if notnull else ""
                db.conn.execute(f"alter table [{table}] add column [{name}] {kind}{extra}")


def _from_v1(db: sqlite_utils.Database) -> None:
    """Version 1 (one `documents` table of every file's documents, graph tables rebuilt
    wholesale, FTS over folded text only) to version 2."""
    conn = db.conn
    _drop_fts(db, "passages_fts")
    for table in ("edges", "nodes", "document_matches"):  # derived: rebuilt by the corpus update
        conn.execute(f"drop table if exists [{table}]")
    conn.execute("alter table documents rename to renditions")
    old_log = "ingest_log" in db.table_names()
    if old_log:
        conn.execute("alter table ingest_log rename to ingest_log_v1")
    _add_missing_columns(db)
    _spans_from_v1(db)
    if old_log:
        conn.execute("insert or ignore into ingest_log (path, page, reason, at) "
                     "select path, page, reason, max(at) from ingest_log_v1 group by path, reason")
        conn.execute("drop table ingest_log_v1")
    conn.execute("insert or ignore into file_renditions (path, doc_id) select f.path, j.value "
                 "from files f, json_each(f.doc_ids) j")
    _finish(db)
    conn.execute("insert into passages_fts (passages_fts) values ('rebuild')")


def _spans_from_v1(db: sqlite_utils.Database) -> None:
    """Version 1 kept only page offsets, as `start`/`end` (measures, refs.mentions): they become
    page_start/page_end; the cleaned-text offsets stay null until the file is ingested again."""
    conn = db.conn
    conn.execute('update measures set page_start = start, page_end = "end"')
    for column in ("start", "end"):
        conn.execute(f"alter table measures drop column [{column}]")
    conn.execute("""update refs set mentions = (
        select json_group_array(json_object('text', json_extract(j.value, '$.text'), 'clean_start', null,
            'clean_end', null, 'page', json_extract(j.value, '$.page'),
            'page_start', json_extract(j.value, '$.start'), 'page_end', json_extract(j.value, '$.end')))
        from json_each(refs.mentions) j) where mentions is not null""")


def _from_v2(db: sqlite_utils.Database) -> None:
    """Version 2's ingest_log (one row per path and reason) to one row per path, content hash and
    reason with a count: the old rows keep the hash their file has now, if it failed."""
    conn = db.conn
    conn.execute("alter table ingest_log rename to ingest_log_v2")
    conn.execute(TABLES["ingest_log"])
    conn.execute("""insert or ignore into ingest_log (path, page, reason, at, file_sha256, count, first_at)
        select l.path, l.page, l.reason, l.at, coalesce(f.file_sha256, ''), 1, l.at from ingest_log_v2 l
        left join files f on f.path = l.path and f.status = 'failed' order by l.at""")
    conn.execute("drop table ingest_log_v2")


def _from_v3(db: sqlite_utils.Database) -> None:
    """Version 3 to 4: filter tokens in the FTS indexes (passages' facets, titles' scope) and the
    citation counts only-cited documents are described by, and each node's issuer. Rewrites both
    FTS indexes: minutes for a store of a million documents, once."""
    conn = db.conn
    _add_missing_columns(db)
    conn.create_function("facet_tokens", 3, facet_tokens, deterministic=True)
    conn.create_function("scope_tokens", 3, scope_tokens, deterministic=True)
    conn.execute("update passages set facets = (select facet_tokens(r.type, r.province, r.year) "
                 "from renditions r where r.doc_id = passages.doc_id)")
    conn.execute("update titles set scope = scope_tokens(kind, type, jurisdiction)")
    for fts, (table, columns) in FTS.items():
        _drop_fts(db, fts)
        _create_fts(db, fts, table, columns)
        conn.execute(f"insert into [{fts}] ([{fts}]) values ('rebuild')")
    conn.execute(CITED_VALUES)
    conn.execute(NODE_ISSUERS)


# cited_values (store.VOTED) counted from every edge of a document not stored, at once: edges read in their
# stored order with each one's refs row beside it (by target through the index, the refs rows are read in
# random order: 4× slower)
CITED_VALUES = """insert into cited_values (node_id, field, value, n)
    select target, field, value, count(*) from (
        select e.target, f.field, case f.field when 'type' then r.type when 'date' then r.date
                                               when 'title' then r.title else r.issuer end as value
        from edges e not indexed join refs r on r.doc_id = e.doc_id and r.seq = e.ref_seq
        cross join (select 'type' as field union all select 'date' union all select 'title'
                    union all select 'issuer') f
        where e.target not in (select node_id from nodes where absent = 0))
    where coalesce(value, '') != '' group by target, field, value"""


# what graph._write_node gives a node's issuer: its primary rendition's, or the citations' most frequent
NODE_ISSUERS = """update nodes set issuer = case when absent = 0
    then (select issuer from renditions r where r.doc_id = nodes.doc_id)
    else (select value from cited_values v where v.node_id = nodes.node_id and v.field = 'issuer'
          order by n desc, length(value) desc, value desc limit 1) end"""


def _from_v4(db: sqlite_utils.Database) -> None:
    """Version 4 to 5: renditions indexed by number and year, and the few without year or province."""
    db.conn.execute("drop index if exists renditions_so_hieu")
    _finish(db)


def _from_v5(db: sqlite_utils.Database) -> None:
    """Version 5 to 6: no index of citations by number and ký hiệu. The audit groups them set-wise
    now, and every citation saved paid for it: ten random index pages a document."""
    db.conn.execute("drop index if exists refs_number")


def _from_v6(db: sqlite_utils.Database) -> None:
    """Version 6 to 7: renditions indexed by number, year and province (a number's documents
    grouped without reading their rows)."""
    db.conn.execute("drop index if exists renditions_so_hieu_year")
    _finish(db)


def _from_v7(db: sqlite_utils.Database) -> None:
    """Version 7 to 8: nodes keyed by node_id alone (a table without rowid)."""
    _without_rowid(db, "nodes", "node_id")
    _finish(db)


def _without_rowid(db: sqlite_utils.Database, table: str, key: str) -> None:
    """table made again as TABLES defines it (without rowid), its rows copied in key order; its
    indexes dropped, for _finish to build again."""
    conn = db.conn
    columns = ", ".join(f"[{row[1]}]" for row in conn.execute(f"pragma table_info([{table}])"))
    for (index,) in conn.execute("select name from sqlite_master where type = 'index' and tbl_name = ? "
                                 "and sql is not null", [table]).fetchall():
        conn.execute(f"drop index [{index}]")
    conn.execute(f"alter table [{table}] rename to [{table}_old]")
    conn.execute(TABLES[table])
    conn.execute(f"insert into [{table}] ({columns}) select {columns} from [{table}_old] order by {key}")
    conn.execute(f"drop table [{table}_old]")


def _from_v8(db: sqlite_utils.Database) -> None:
    """Version 8 to 9: what citations say is kept for documents only cited, the index of those
    no longer orders them by cited_by, and a title's scope is one token (its FTS index rewritten)."""
    conn = db.conn
    conn.execute("drop index if exists nodes_absent")
    conn.execute("delete from cited_values where node_id in (select node_id from nodes where absent = 0)")
    _drop_fts(db, "titles_fts")
    conn.create_function("scope_tokens", 3, scope_tokens, deterministic=True)
    conn.execute("update titles set scope = scope_tokens(kind, type, jurisdiction)")
    _finish(db)
    conn.execute("insert into titles_fts (titles_fts) values ('rebuild')")


def _drop_fts(db: sqlite_utils.Database, fts: str) -> None:
    """An FTS table and the triggers that keep it, for _finish to create again."""
    table = FTS[fts][0]
    db.conn.execute(f"drop table if exists [{fts}]")
    for trigger in ("ai", "ad", "au"):
        db.conn.execute(f"drop trigger if exists [{table}_{trigger}]")


def _from_v9(db: sqlite_utils.Database) -> None:
    """Version 9 to 10: why a citation's ký hiệu is doubtful (null in rows saved before; a file
    ingested again fills it: _finish adds the column)."""
    _finish(db)


def _from_v10(db: sqlite_utils.Database) -> None:
    """Version 10 to 11: renditions found by their content hash, for the ordered doc_ids new ones
    get (the stored ones keep theirs: content hashes, which sort before every new one), and their
    files by doc_id; edges keyed by (doc_id, ref_seq) alone (a table without rowid)."""
    _without_rowid(db, "edges", "doc_id, ref_seq")
    _finish(db)


def _from_v11(db: sqlite_utils.Database) -> None:
    """Version 11 to 12: the indexes of citations by number (with the citing rendition), of open
    citations (with what resolving them reads) and of renditions by doc_id and by number (with what
    is asked of a citing or a stored one) cover those reads. _finish builds each again from its
    table, as its definition changed: minutes at 1,000,000 documents, once."""
    _finish(db)


def _from_v12(db: sqlite_utils.Database) -> None:
    """Version 12 to 13: each rendition's text moves to `texts`, out of its row (which is
    written again without it: minutes at 1,000,000 documents, once)."""
    conn = db.conn
    _add_missing_columns(db)  # the texts table
    if "clean_text" in {row[1] for row in conn.execute("pragma table_info(renditions)")}:
        conn.execute("insert or replace into texts (doc_id, clean_text) select doc_id, clean_text from renditions")
        conn.execute("alter table renditions drop column clean_text")
    _finish(db)


def _from_v13(db: sqlite_utils.Database) -> None:
    """Version 13 to 14: a stored document's node names its primary rendition's file, and the index of
    citations by cited document holds their relation and mentions (built again by _finish)."""
    _add_missing_columns(db)
    db.conn.execute("""update nodes set source_name = (select d.source_name from renditions d
                       indexed by renditions_source where d.doc_id = nodes.doc_id) where doc_id is not null""")
    _finish(db)


def _from_v14(db: sqlite_utils.Database) -> None:
    """Version 14 to 15: the index of renditions by type and year holds their pages (built again by _finish)."""
    _finish(db)


def _from_v15(db: sqlite_utils.Database) -> None:
    """Version 15 to 16: the graph's nodes and edges counted once (by _finish), then kept by deltas.

    The last step of every upgrade: counts an earlier step's _finish made are made again here, after
    whatever the steps between rewrote (nodes and edges made again without rowid, from versions 7 and 10).
    """
    _add_missing_columns(db)
    db.conn.execute("delete from graph_counts")
    _finish(db)


def _from_v16(db: sqlite_utils.Database) -> None:
    """Version 16 to 17: the index of citations by jurisdiction (built by _finish; with the next
    step, 26 s for a 1,000,000-document store, once)."""
    _finish(db)


def _from_v17(db: sqlite_utils.Database) -> None:
    """Version 17 to 18: the index of citations by jurisdiction made partial (built again by _finish)."""
    _finish(db)


def _from_v18(db: sqlite_utils.Database) -> None:
    """Version 18 to 19: the header-less titles' own index (made and filled by _finish)."""
    _finish(db)


MIGRATIONS = {1: _from_v1, 2: _from_v2, 3: _from_v3, 4: _from_v4, 5: _from_v5, 6: _from_v6,
              7: _from_v7, 8: _from_v8, 9: _from_v9, 10: _from_v10, 11: _from_v11,
              12: _from_v12, 13: _from_v13, 14: _from_v14, 15: _from_v15,
              16: _from_v16, 17: _from_v17, 18: _from_v18}  # from version n to n + 1
