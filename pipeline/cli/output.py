"""One output convention for every command that prints rows, after sqlite-utils' output_options.

`--format table|json|csv|nl` (nl: one JSON object a line), `-o/--output FILE` instead of
stdout, `--limit N` (0: all; the table has a default, scripts get every row). When rows
were left out, stderr says so: "showing 20 of 153 passages; --limit 0 for all".

    vanban search "ke hoach chuyen doi so" --format json -o hits.json
    vanban measures --kind target --limit 0 --format csv
    vanban cited-by "nd 47/2020" -o cited_by.csv     # the format follows the suffix
"""
from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional, Sequence, TextIO

import click

ROW_FORMATS = ("table", "json", "csv", "nl")
DEFAULT_TABLE_LIMIT = 20  # a screenful of rows for people; json/csv/nl get every row
FILE_ONLY = ("xlsx", "png")  # binary: written to -o, never to a terminal
SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".jsonl": "nl", ".ndjson": "nl", ".html": "html", ".htm": "html",
                  ".xlsx": "xlsx", ".png": "png"}
MAX_LIMIT = 2**63 - 1  # SQLite's largest integer: a bigger --limit is a usage error, not a crash
CELL_WIDTH = 60  # longest cell in the table; json/csv keep the whole text
# A spreadsheet runs a cell starting with these as a formula (=HYPERLINK(…), =cmd|…, +…, -…, @…);
# tab and CR let one hide behind whitespace. OWASP's CSV-injection advice: a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def output_options(formats: Sequence[str] = ROW_FORMATS, table_limit: Optional[int] = DEFAULT_TABLE_LIMIT,
                   file_only: Sequence[str] = FILE_ONLY, noun: str = "rows"):
    """Add --format, -o/--output and --limit to a command, which receives them as one `out: Output`.

    table_limit is the table's default --limit (0: every row; None: the command prints one
    record and takes no --limit). Formats in file_only need -o.

    >>> from click.testing import CliRunner
    >>> @click.command()
    ... @output_options(noun="figures")
    ... def figures(out):
    ...     out.rows([{"so_hieu": "206/KH-UBND", "value": 40.0}] * 3, ["so_hieu", "value"])
    >>> print(CliRunner().invoke(figures, ["--format", "nl", "--limit", "1"]).stdout, end="")
    {"so_hieu": "206/KH-UBND", "value": 40.0}
    """
    formats = tuple(formats)

    def decorator(command: Callable) -> Callable:
        @functools.wraps(command)
        def wrapper(*args, fmt: Optional[str], output: Optional[Path], limit: Optional[int] = None, **kwargs):
            fmt = _resolve_format(fmt, output, formats, file_only)
            if limit is None:
                limit = (table_limit or 0) if fmt == "table" else 0
            out = Output(fmt, output, limit, noun)
            try:
                return command(*args, out=out, **kwargs)
            finally:
                out.say_what_was_cut()

        if table_limit is not None:
            default = f"{table_limit} in the table" if table_limit else "all in the table"
            wrapper = click.option("--limit", type=click.IntRange(min=0, max=MAX_LIMIT), default=None, metavar="N",
                                   help=f"At most N {noun}; 0 for all. Default: {default}, all for "
                                        "json/csv/nl.")(wrapper)
        wrapper = click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
                               callback=check_output, metavar="FILE",
                               help="Write to FILE instead of stdout.")(wrapper)
        needs_file = [f for f in formats if f in file_only]
        return click.option(
            "--format", "fmt", type=click.Choice(formats), default=None,
            help="table for people; json, csv or nl (one JSON object a line) for scripts"
                 + (f"; {'/'.join(needs_file)} need -o" if needs_file else "")
                 + ". Default: from -o's suffix (.json, .csv, .jsonl …), else table.")(wrapper)

    return decorator


def _resolve_format(fmt: Optional[str], output: Optional[Path], formats: tuple, file_only: Sequence[str]) -> str:
    """--format as given, else what -o's suffix names (out.csv → csv), else table."""
    from_suffix = SUFFIX_FORMATS.get(output.suffix.lower()) if output else None
    if fmt is None:
        fmt = from_suffix if from_suffix in formats else "table"
    if fmt in file_only:
        if output is None:
            raise click.UsageError(f"--format {fmt} writes a file: add -o FILE (e.g. -o outputs/report.{fmt})")
        if from_suffix and from_suffix != fmt:
            raise click.UsageError(f"--format {fmt} but -o {output} ends in {output.suffix}: name it .{fmt}")
    return fmt


def check_output(ctx: click.Context, param: click.Parameter, path: Optional[Path]) -> Optional[Path]:
    """A file we can write: not a folder, in a folder we may write to (missing folders are made on writing)."""
    if path is None:
        return None
    if path.is_dir():
        raise click.BadParameter(f"{path} is a folder; name a file in it, e.g. {path / 'out.json'}",
                                 ctx=ctx, param=param)
    if path.exists() and not os.access(path, os.W_OK):
        raise click.BadParameter(f"cannot write {path}: it is read-only", ctx=ctx, param=param)
    parent = path.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise click.BadParameter(f"cannot write {path}: {parent} is not a folder you may write to",
                                 ctx=ctx, param=param)
    return path


@dataclass
class Output:
    """Where and how a command writes: the format, the -o file (None: stdout), the --limit (0: all)."""

    format: str
    path: Optional[Path] = None
    limit: int = 0
    noun: str = "rows"
    _cut: Optional[tuple[int, int]] = None

    def cut(self, items: list, total: Optional[int] = None) -> list:
        """The first --limit items; what was left out is said on stderr when the command ends.

        total: how many there are when items holds only the first ones (asked with a limit).
        """
        total = len(items) if total is None else total
        if self.limit and total > self.limit:
            self._cut = (self.limit, total)
            return items[:self.limit]
        return items

    def cut_stream(self, items: Iterable) -> Iterator:
        """The first --limit items of a stream, as they come; the rest are counted (read to the
        end) and said on stderr when the command ends, as cut does."""
        total = 0
        for item in items:
            total += 1
            if not self.limit or total <= self.limit:
                yield item
        if self.limit and total > self.limit:
            self._cut = (self.limit, total)

    def say_what_was_cut(self) -> None:
        if self._cut:
            click.echo(f"showing {self._cut[0]} of {self._cut[1]} {self.noun}; --limit 0 for all", err=True)

    def rows(self, rows: list[dict], columns: list[str], table_rows: Optional[list[dict]] = None) -> list[dict]:
        """Cut rows to --limit and write them; returns the rows written.

        json/nl/csv carry every field of the rows; the table shows columns, from table_rows
        when given (the same rows dressed for people: '216,3 tỷ đồng' for 216300000000).
        """
        kept = self.cut(rows)
        if self.format == "table" and not kept and self.path is None:
            return kept  # no header over nothing; the command says what it did not find
        if self.format == "table":
            self.write(table(table_rows[:len(kept)] if table_rows is not None else kept, columns), len(kept))
        else:
            self.write(format_rows(kept, self.format, columns), len(kept))
        return kept

    def record(self, record: dict, text: str) -> None:
        """One object (show, eval, ingest's summary): JSON for scripts, text for people."""
        if self.format == "json":
            self.write(json.dumps(record, ensure_ascii=False, indent=1))
        elif self.format == "nl":
            self.write(json.dumps(record, ensure_ascii=False))
        else:
            self.write(text)

    def write(self, text: str, count: Optional[int] = None) -> None:
        """text to -o (saying so on stderr) or to stdout."""
        newline = bool(text) and not text.endswith("\n")  # nothing for no rows of nl
        if self.path is None:
            click.echo(text, nl=newline)
            return
        with self.open() as fh:
            click.echo(text, file=fh, nl=newline)
        self.wrote(count)

    @contextlib.contextmanager
    def sink(self) -> Iterator[TextIO]:
        """Where to write text bit by bit: the -o file, else stdout."""
        if self.path is None:
            yield sys.stdout  # as click.echo finds it (a test runner's capture too)
            return
        with self.open() as fh:
            yield fh

    def target(self) -> Path:
        """The -o file, its folder made if missing: for a library function that writes it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return self.path

    def open(self):
        """The -o file, open for writing text."""
        return open(self.target(), "w", encoding="utf-8", newline="")

    def wrote(self, count: Optional[int] = None, detail: str = "") -> None:
        """'wrote 20 figures to outputs/x.csv' on stderr, after a library function wrote -o itself."""
        what = f"{count} {self.noun} to " if count is not None else ""
        click.echo(f"wrote {what}{self.path}{detail}", err=True)


def safe_cell(value):
    """A CSV/XLSX cell a spreadsheet shows as text: a string that would start a formula gets a
    leading apostrophe; numbers (a negative change of -3.5) stay numbers.

    >>> safe_cell("=HYPERLINK(A1)"), safe_cell("-5% hộ nghèo"), safe_cell(-3.5)
    ("'=HYPERLINK(A1)", "'-5% hộ nghèo", -3.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def format_rows(rows: list[dict], fmt: str, columns: list[str]) -> str:
    """Rows as one JSON array, JSON lines (nl) or CSV; CSV cells that hold lists hold their JSON,
    and no cell holds a formula (safe_cell)."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=1)
    if fmt == "nl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt != "csv":
        raise ValueError(f"rows cannot be written as {fmt}")
    fields = list(dict.fromkeys(k for r in rows for k in r)) or columns
    buffer = io.StringIO()
    # CRLF, as RFC 4180 has it: a cell holding a lone CR is then quoted too
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({k: safe_cell(json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v)
                      for k, v in r.items()} for r in rows)
    return buffer.getvalue()


def table(rows: list[dict], columns: list[str]) -> str:
    """Aligned columns for a terminal, each cell cut at CELL_WIDTH characters."""
    def cell(row: dict, column: str) -> str:
        value = row.get(column)
        return "" if value is None else str(value)[:CELL_WIDTH]

    widths = {c: max([len(c)] + [len(cell(r, c)) for r in rows]) for c in columns}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns)]
    lines += ["  ".join(cell(r, c).ljust(widths[c]) for c in columns).rstrip() for r in rows]
    return "\n".join(lines)
