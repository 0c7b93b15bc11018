"""Bulk ingestion: a folder of files in, whole documents in SQLite out.

Files are read and extracted in worker processes (`jobs`, default all cores, at most
as many as there are cores unless forced), each file under the budgets of
`budgets.py` (memory, time, pixels, inflated size, text size), and written by this
process (store/saver.py: a file per transaction, or on a large store a window of files per
transaction, which a crash loses and the next run saves). A file already ingested with the
same content is skipped, so re-running is idempotent and a killed batch resumes. A file that cannot
be read, or is over a budget, or crashes its worker twice, is logged with its reason;
a path not read at all (hidden, a symlink out of the folder, a FIFO …) is listed with
why (`discovery.py`); the batch goes on.
"""
from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Iterable, Iterator, Optional

from tqdm import tqdm

from vanban.models.records import Document, IngestFailure, UnreadableFile
from vanban.pipeline import store
from vanban.pipeline.reading.analyse import build_document
from vanban.pipeline.reading.budgets import Budgets
from vanban.pipeline.reading.discovery import discover as walk
from vanban.pipeline.corpus.graph import ensure_graph
from vanban.pipeline.reading.readers import Skipped, read_documents, refused_unread
from vanban.pipeline.reading.signature_ocr import rescue_signer
from vanban.pipeline.reading.work_units import driver_settings, use_driver_settings
from vanban.pipeline.reading.workers import WorkerPool
from vanban.pipeline.store.saver import Saver


@dataclass
class IngestSummary:
    files: int = 0
    skipped: int = 0
    documents: int = 0
    pages: int = 0
    ocr_pages: int = 0
    removed: int = 0  # files forgotten by prune
    failures: list = field(default_factory=list)  # IngestFailure
    parts_skipped: list = field(default_factory=list)  # IngestFailure: a part of a file read otherwise
    not_read: list = field(default_factory=list)  # discovery.Passed: paths passed over, with why
    notes: list = field(default_factory=list)  # about the run itself (--jobs lowered …)

    def lines(self) -> list[str]:
        out = [f"files: {self.files} ({self.skipped} already ingested, skipped)",
               f"documents: {self.documents}", f"pages: {self.pages}", f"OCR pages: {self.ocr_pages}",
               f"failures: {len(self.failures)}"] + ([f"removed: {self.removed}"] if self.removed else [])
        out += [f"  {failure}" for failure in self.failures]
        if self.parts_skipped:
            out += [f"parts skipped: {len(self.parts_skipped)}"] + [f"  {part}" for part in self.parts_skipped]
        if self.not_read:
            out += [f"not read: {len(self.not_read)}"]
            out += [f"  {store.path_text(p.path)}: {p.reason}" for p in self.not_read]
        return out

    def as_dict(self) -> dict:
        """The summary for scripts: `vanban ingest --format json`."""
        return {"files": self.files, "skipped": self.skipped, "documents": self.documents, "pages": self.pages,
                "ocr_pages": self.ocr_pages, "removed": self.removed,
                "failures": [{"path": f.path, "reason": f.reason, "page": f.page} for f in self.failures],
                "parts_skipped": [{"path": f.path, "reason": f.reason} for f in self.parts_skipped],
                "not_read": [{"path": store.path_text(p.path), "reason": p.reason} for p in self.not_read],
                "notes": self.notes}


def discover(paths: Iterable[Path]) -> list[Path]:
    """Every file under the given files and folders that ingest reads, in a stable order
    (what it passes over, and why: discovery.discover)."""
    return walk(paths).files


def file_hash(path: Path) -> Optional[str]:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def process_file(path: str, ocr_jobs: int = 1, progress: bool = False) -> tuple[list[Document], list[str]]:
    """Read and extract every document of one file (runs in a worker process); with them, the
    parts of the file left out (readers.Skipped: a bad JSONL line), which the summary lists."""
    documents, skipped = [], []
    for label, pages, notes in read_documents(Path(path), ocr_jobs=ocr_jobs, progress=progress):
        doc = build_document(label, pages)
        doc.warnings += notes
        skipped += [str(note) for note in notes if isinstance(note, Skipped)]
        if doc.ocr_pages:
            rescue_signer(Path(path), doc)  # a red seal over the name: look again without it
        documents.append(doc)
    return documents, skipped


def _read(path: str, progress: bool, ocr_jobs: int = 1, env: tuple = ()) -> tuple[list[Document], list[str]]:
    """A worker's task: one file (its OCR pages get a bar when it is the only worker), read with
    the batch's VANBAN_* settings (env: the fork server's may be older)."""
    use_driver_settings(env)
    return process_file(path, ocr_jobs=ocr_jobs, progress=progress)


def _results(paths: list[str], jobs: int, limits: Budgets, progress: bool = False) -> Iterator[tuple[str, object]]:
    """(path, (documents, warnings)) or (path, exception), in the order files finish.

    Always in worker processes, one file each at a time, so that no file can take this
    process's memory or time; a single file gets every core for its OCR pages.
    """
    workers = max(1, min(jobs, len(paths)))
    task = partial(_read, ocr_jobs=jobs if len(paths) == 1 else 1, env=driver_settings())
    with WorkerPool(workers, limits, task, progress=progress) as pool:
        yield from pool.run(paths)


def describe(exc: Exception) -> str:
    if isinstance(exc, UnreadableFile):
        return str(exc)
    return f"internal error while extracting ({type(exc).__name__}: {exc}); please report it with this file"


def ingest(paths: Iterable[Path], db_path: Path = store.DEFAULT_DB, jobs: Optional[int] = None,
           force: bool = False, progress: bool = True, prune: bool = False, follow_symlinks: bool = False,
           budgets: Optional[Budgets] = None, force_jobs: bool = False, engine=None) -> IngestSummary:
    """Ingest files and folders into the store at db_path and return what happened.

    ingest([Path("corpus/seeds")]) reads the five seed plans into outputs/vanban.db;
    a second call finds them done and skips them. Files are known by their resolved
    absolute path and content: the same folder typed another way, or a file moved or
    copied, is not read again; an edited file replaces what it gave before. With
    prune, files gone from the given folders are forgotten. Symlinks are followed only
    inside the given folders unless follow_symlinks; budgets default to Budgets.from_env().
    engine reads the files elsewhere and yields the same (path, result) pairs as this
    machine's worker pool (ray_engine.RayEngine); the store is written here either way.
    """
    paths = list(paths)
    limits = budgets or Budgets.from_env()
    cores = os.cpu_count() or 1
    summary = IngestSummary()
    if jobs and jobs > cores and not force_jobs:
        summary.notes.append(f"--jobs {jobs} is more than the {cores} cores: using {cores} (--force-jobs insists)")
    jobs = max(1, jobs if jobs and force_jobs else min(jobs or cores, cores))
    db = store.open_db(db_path)
    todo: list[str] = []
    keys: dict[str, str] = {}  # path as given → resolved absolute path, the store's key
    hashes: dict[str, Optional[str]] = {}
    found = walk(paths, follow_symlinks=follow_symlinks, store=Path(db_path))
    summary.not_read = found.passed
    for path in found.files:
        summary.files += 1
        keys[str(path)] = key = store.path_text(path.resolve())
        if refusal := refused_unread(path, limits.text_mb):  # not hashed either: it would be read whole
            _fail(db, summary, key, IngestFailure(str(path), describe(refusal)), None)
            continue
        hashes[str(path)] = digest = file_hash(path)
        if not force and digest and store.is_done(db, key, digest):
            summary.skipped += 1
        elif not force and digest and (known := store.known_content(db, digest)) is not None:
            store.save_documents(db, key, digest, [], reuse=known)  # moved or copied: nothing to read
            summary.skipped += 1
        else:
            todo.append(str(path))
    if prune:
        summary.removed = store.remove_paths(db, _gone(db, paths, set(keys.values())))
    bar = tqdm(total=len(todo), unit="file", disable=not progress, file=sys.stderr, desc="ingest")
    ocr_seen: dict[str, int] = {}  # OCR pages an engine reported before their file was done

    def ocr_progress(path: str, pages: int) -> None:
        ocr_seen[path] = ocr_seen.get(path, 0) + pages
        bar.set_postfix_str(f"OCR pages: {summary.ocr_pages + sum(ocr_seen.values())}")

    results = engine.results(todo, jobs, limits, progress, on_pages=ocr_progress) if engine \
        else _results(todo, jobs, limits, progress)
    with Saver(db) as saver:  # a large store's files saved a window at a time, their leaves read first
        for path, result in results:
            bar.update(1)
            ocr_seen.pop(path, None)
            if isinstance(result, Exception):
                failure = IngestFailure(path, describe(result), getattr(result, "page", None))
                _fail(db, summary, keys[path], failure, hashes.get(path))
                continue
            documents, skipped = result
            saver.save(keys[path], hashes[path] or "", documents)
            for reason in skipped:  # the documents keep it too, as a warning
                summary.parts_skipped.append(part := IngestFailure(path, reason))
                tqdm.write(f"part skipped: {part}", file=sys.stderr)
            summary.documents += len(documents)
            summary.pages += sum(len(d.pages) for d in documents)
            summary.ocr_pages += sum(d.ocr_pages for d in documents)
            if summary.ocr_pages:
                bar.set_postfix_str(f"OCR pages: {summary.ocr_pages + sum(ocr_seen.values())}")
    bar.close()
    summary.notes += getattr(engine, "notes", [])
    # corpus-wide, for what changed only: citation years, header-less documents, renditions, the graph
    ensure_graph(db)
    return summary


def _fail(db, summary: IngestSummary, key: str, failure: IngestFailure, digest: Optional[str]) -> None:
    """Count, log and tell a file that gave nothing (key: its path in the store); tqdm.write
    prints above a progress bar, if one is running."""
    summary.failures.append(failure)
    store.log_failure(db, key, failure.reason, failure.page, digest)
    tqdm.write(f"skipped {failure}", file=sys.stderr)


def _gone(db, paths: Iterable[Path], present: set[str]) -> list[str]:
    """Stored files inside the given folders that are no longer there."""
    gone = []
    for path in paths:
        if Path(path).is_dir():
            gone += [p for p in store.files_under(db, store.path_text(Path(path).resolve())) if p not in present]
    return gone


def remove(paths: Iterable[Path], db_path: Path = store.DEFAULT_DB) -> int:
    """Forget files, or every file under folders, whether or not they still exist; returns how many.

    A document another file still gives stays.
    """
    db = store.open_db(db_path, create=False)
    keys = []
    for path in paths:
        resolved = store.path_text(Path(path).resolve())
        keys += store.files_under(db, resolved) or [resolved]
    removed = store.remove_paths(db, keys)
    ensure_graph(db)
    return removed
