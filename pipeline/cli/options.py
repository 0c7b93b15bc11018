"""What every command shares: the store (--db, VANBAN_DB), -q, the exit codes.

    vanban search "chuyen doi so" --db /tmp/x.db
    VANBAN_DB=/tmp/x.db vanban show 204/KH-UBND
"""
from __future__ import annotations

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
    return store.open_db(path)


def nothing_found(message: str) -> NoReturn:
    """Say on stderr that nothing matched and exit 1, like grep: the output stays valid ([] for JSON)."""
    click.echo(message, err=True)
    raise click.exceptions.Exit(EXIT_NOTHING)
