"""Bulk ingestion: a folder of files in, whole documents in SQLite out.

Files are read and extracted in worker processes (`jobs`, default all cores) and
written by this process one file per transaction. A file already ingested with the
same content is skipped, so re-running is idempotent and a killed batch resumes.
A file that cannot be read is logged with its reason; the batch goes on.
"""
from __future__ import annotations

import hashlib
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

from tqdm import tqdm

from vanban.models.records import Document, IngestFailure, UnreadableFile
from vanban.pipeline import store
from vanban.pipeline.reading.analyse import build_document
from vanban.pipeline.corpus.graph import ensure_graph
from vanban.pipeline.reading.readers import read_documents
from vanban.pipeline.reading.signature_ocr import rescue_signer


@dataclass
class IngestSummary:
    files: int = 0
    skipped: int = 0
    documents: int = 0
    pages: int = 0
    ocr_pages: int = 0
    removed: int = 0  # files forgotten by prune
    failures: list = field(default_factory=list)  # IngestFailure

    def lines(self) -> list[str]:
        out = [f"files: {self.files} ({self.skipped} already ingested, skipped)",
               f"documents: {self.documents}", f"pages: {self.pages}", f"OCR pages: {self.ocr_pages}",
               f"failures: {len(self.failures)}"] + ([f"removed: {self.removed}"] if self.removed else [])
        out += [f"  {failure}" for failure in self.failures]
        return out

    def as_dict(self) -> dict:
        """The summary for scripts: `vanban ingest --format json`."""
        return {"files": self.files, "skipped": self.skipped, "documents": self.documents, "pages": self.pages,
                "ocr_pages": self.ocr_pages, "removed": self.removed,
                "failures": [{"path": f.path, "reason": f.reason, "page": f.page} for f in self.failures]}


def discover(paths: Iterable[Path]) -> list[Path]:
    """Every file under the given files and folders, hidden ones left out, in a stable order."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*")
                            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.append(path)
    return found


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
    """Read and extract every document of one file (runs in a worker process)."""
    documents, warnings = [], []
    for label, pages, notes in read_documents(Path(path), ocr_jobs=ocr_jobs, progress=progress):
        doc = build_document(label, pages)
        doc.warnings += notes
        if doc.ocr_pages:
            rescue_signer(Path(path), doc)  # a red seal over the name: look again without it
        documents.append(doc)
    return documents, warnings


def _results(paths: list[str], jobs: int, progress: bool = False) -> Iterator[tuple[str, object]]:
    """(path, (documents, warnings)) or (path, exception), in the order of paths."""
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            try:
                # read here, one file at a time: its OCR pages get a bar of their own
                yield path, process_file(path, ocr_jobs=max(jobs, 1), progress=progress)
            except Exception as exc:  # a reader or extractor failure must not stop the batch
                yield path, exc
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [(path, pool.submit(process_file, path)) for path in paths]
        for path, future in futures:
            try:
                yield path, future.result()
            except Exception as exc:
                yield path, exc


def describe(exc: Exception) -> str:
    if isinstance(exc, UnreadableFile):
        return str(exc)
    return f"internal error while extracting ({type(exc).__name__}: {exc}); please report it with this file"


def ingest(paths: Iterable[Path], db_path: Path = store.DEFAULT_DB, jobs: Optional[int] = None,
           force: bool = False, progress: bool = True, prune: bool = False) -> IngestSummary:
    """Ingest files and folders into the store at db_path and return what happened.

    ingest([Path("corpus/seeds")]) reads the five seed plans into outputs/vanban.db;
    a second call finds them done and skips them. Files are known by their resolved
    absolute path and content: the same folder typed another way, or a file moved or
    copied, is not read again; an edited file replaces what it gave before. With
    prune, files gone from the given folders are forgotten.
    """
    jobs = jobs or os.cpu_count() or 1
    db = store.open_db(db_path)
    summary = IngestSummary()
    todo: list[str] = []
    keys: dict[str, str] = {}  # path as given → resolved absolute path, the store's key
    hashes: dict[str, Optional[str]] = {}
    for path in discover(paths):
        summary.files += 1
        keys[str(path)] = key = store.path_text(path.resolve())
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
    for path, result in _results(todo, jobs, progress):
        bar.update(1)
        if isinstance(result, Exception):
            failure = IngestFailure(path, describe(result), getattr(result, "page", None))
            summary.failures.append(failure)
            store.log_failure(db, keys[path], failure.reason, failure.page, hashes.get(path))
            bar.write(f"skipped {failure}", file=sys.stderr)
            continue
        documents, _ = result
        store.save_documents(db, keys[path], hashes[path] or "", documents)
        summary.documents += len(documents)
        summary.pages += sum(len(d.pages) for d in documents)
        summary.ocr_pages += sum(d.ocr_pages for d in documents)
    bar.close()
    # corpus-wide, for what changed only: citation years, header-less documents, renditions, the graph
    ensure_graph(db)
    return summary


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
