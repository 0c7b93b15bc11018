"""What every command shares: the store (--db, VANBAN_DB), -q, the exit codes.

    vanban search "chuyen doi so" --db /tmp/x.db
    VANBAN_DB=/tmp/x.db vanban show 204/KH-UBND
"""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import NoReturn

import click
import sqlite_utils

from vanban.pipeline import store

# The exit codes, documented in `vanban --help` and the README.
EXIT_OK = 0
EXIT_NOTHING = 1  # nothing found, or the command failed
EXIT_USAGE = 2  # click's own code for a usage error
EXIT_FAIL_ON = 3  # `vanban audit --fail-on` matched

DB_OPTION = click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=store.DEFAULT_DB,
                         envvar="VANBAN_DB", show_envvar=True, show_default=True, help="The SQLite store.")

QUIET_OPTION = click.option("--quiet", "-q", is_flag=True, help="No progress bar.")


def show_progress(quiet: bool) -> bool:
    """A progress bar on stderr unless -q, or stderr is a file or a pipe (a log has no use for one)."""
    return not quiet and sys.stderr.isatty()


def open_store(path: Path) -> sqlite_utils.Database:
    """The store at path for a command that reads it: exits 1 if there is none, and creates nothing.

    Only `vanban ingest` makes a store; a mistyped --db must not leave an empty one behind.
    """
    if not Path(path).is_file():
        raise click.ClickException(f"no store at {path}: run `vanban ingest FOLDER --db {path}` first")
    check_store_file(path)
    return store.open_db(path)


def check_store_file(path: Path) -> None:
    """Exit 1 when path exists but is not a vanban store: another program's SQLite file gets no
    vanban tables written into it, and a file that is not SQLite is said to be so."""
    if not Path(path).is_file() or Path(path).stat().st_size == 0:
        return
    try:
        with sqlite3.connect(f"file:{Path(path).absolute()}?mode=ro", uri=True) as conn:
            tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(store_error(exc, path)) from exc
    if tables and "meta" not in tables:
        names = ", ".join(sorted(tables)[:5])
        raise click.ClickException(f"{path} is another program's SQLite file (tables {names}), not a vanban store; "
                                   "name a new file with --db")


def store_error(exc: sqlite3.DatabaseError, path: Path | str = "the store") -> str:
    """What a user can do about an SQLite error, in one line.

    >>> store_error(sqlite3.OperationalError("database or disk is full"), "v.db")
    'v.db: the disk is full; free some space and run again (what was stored is kept)'
    """
    text = str(exc)
    if "disk is full" in text or "disk I/O error" in text:
        return f"{path}: the disk is full; free some space and run again (what was stored is kept)"
    if "readonly" in text or "read-only" in text:
        return f"{path}: the store is read-only; make it writable, or copy it somewhere you may write"
    if "locked" in text or "busy" in text:
        return f"{path}: another process (a second vanban ingest?) holds the store; wait for it and run again"
    if "not a database" in text or "malformed" in text:
        return f"{path} is not a vanban store ({text}); is --db a file made by `vanban ingest`?"
    return f"the store cannot be read ({text}); is --db a file made by `vanban ingest`?"


def nothing_found(message: str) -> NoReturn:
    """Say on stderr that nothing matched and exit 1, like grep: the output stays valid ([] for JSON)."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(EXIT_NOTHING)
