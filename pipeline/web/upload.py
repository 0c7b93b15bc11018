"""Ingest from the browser, off unless the server is started with --allow-upload: files
sent with the token are saved into an inbox folder and ingested one by one in a
background thread; each batch's page shows how far it got and each file's outcome.
"""
from __future__ import annotations

import hmac
import itertools
import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import regex

MAX_UPLOAD_BYTES = 200 * 2 ** 20  # one request: a batch of scanned PDFs, not a whole archive
UNSAFE_NAME = regex.compile(r"[^\p{L}\p{N}._ -]+")


def new_token() -> str:
    """A token to print at start when VANBAN_TOKEN gives none."""
    return secrets.token_urlsafe(18)


def safe_name(name: str) -> str:
    """A file name that stays inside the inbox: 'a/../Kế hoạch 187.pdf' → 'Kế hoạch 187.pdf'.

    >>> safe_name("../../etc/.bashrc"), safe_name("C:\\\\Users\\\\x\\\\Báo cáo số 5.docx")
    ('bashrc', 'Báo cáo số 5.docx')
    """
    base = regex.split(r"[\\/]", name)[-1]
    return UNSAFE_NAME.sub("_", base).strip(" .") or "tep"


@dataclass
class FileOutcome:
    name: str
    path: Path
    state: str = "waiting"  # waiting, running, ok, partial, skipped, failed
    documents: int = 0
    pages: int = 0
    reason: str = ""


@dataclass
class UploadJob:
    id: int
    files: list[FileOutcome]
    started: float = field(default_factory=time.time)
    finished: Optional[float] = None

    @property
    def done(self) -> int:
        return sum(f.state not in ("waiting", "running") for f in self.files)


class Uploads:
    """The inbox, the token and the batches sent so far."""

    def __init__(self, db_path: Path, inbox: Path, token: str):
        self.db_path, self.inbox, self.token = Path(db_path), Path(inbox), token
        self.jobs: dict[int, UploadJob] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        # one writer at a time: SQLite takes one, and two ingests would only wait for each other
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="vanban-ingest")

    def allowed(self, token: Optional[str]) -> bool:
        """True for the server's token (compared in constant time)."""
        return bool(token) and hmac.compare_digest(token.encode(), self.token.encode())

    def accept(self, files: list[tuple[str, bytes]]) -> UploadJob:
        """Save (name, content) pairs into the inbox and queue their ingest."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        outcomes = []
        for name, content in files:
            path = self._free_path(safe_name(name))
            path.write_bytes(content)
            outcomes.append(FileOutcome(path.name, path))
        with self._lock:
            job = UploadJob(next(self._ids), outcomes)
            self.jobs[job.id] = job
        self._pool.submit(self._run, job)
        return job

    def _free_path(self, name: str) -> Path:
        path = self.inbox / name
        for n in itertools.count(1):
            if not path.exists():
                return path
            path = self.inbox / f"{Path(name).stem}-{n}{Path(name).suffix}"
        raise AssertionError("unreachable")

    def _run(self, job: UploadJob) -> None:
        from vanban.pipeline.reading.ingest import describe, ingest

        for outcome in job.files:
            outcome.state = "running"
            try:
                summary = ingest([outcome.path], self.db_path, jobs=1, progress=False)
            except Exception as exc:  # the batch goes on; the reason is shown beside the file
                outcome.state, outcome.reason = "failed", describe(exc)
                continue
            if summary.failures:
                outcome.state, outcome.reason = "failed", summary.failures[0].reason
            elif summary.skipped:
                outcome.state = "skipped"
            else:
                outcome.state = "partial" if summary.parts_skipped else "ok"  # partial: read, but not whole
                outcome.documents, outcome.pages = summary.documents, summary.pages
                outcome.reason = "; ".join(part.reason for part in summary.parts_skipped)
        job.finished = time.time()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
