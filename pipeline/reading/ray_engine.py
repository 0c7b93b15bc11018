"""`vanban ingest --engine ray`: files read on a Ray cluster, the store written here.

The driver (this process) plans units of work (work_units.py) and keeps at most
`IN_FLIGHT_PER_CPU` × the cluster's CPUs of them in flight (`ray.wait`), so its memory
stays flat however many files there are; each file's documents come back as (path,
result), the same pairs the local engine yields, to the same writer loop of
`ingest.ingest`: per-file transactions, skip/resume, renditions, failure log.

- A file is a unit; small text-like files are batched; a PDF of more than
  `pages_per_task` pages is split into page ranges that are OCRed on any node, then one
  unit assembles the document from them exactly as the local reader does.
- On a node, units are read by a `WorkerPool` of one forked process under the same
  per-file budgets (memory as RLIMIT_AS on top of what the Ray worker maps, file time
  watched); each Ray task also asks for `memory=` so a node is not over-committed.
- A task whose worker or node dies is retried by Ray (`MAX_RETRIES`); a batch that
  still fails is split and each file retried alone, so only the file that kills its
  reader is reported, and only after its retries.
- Workers read the files where the driver sees them (a shared filesystem: the same
  absolute path on every node) or, with ship_files, get their bytes through Ray's
  object store.

    vanban ingest /srv/archive --engine ray --address 10.0.0.5:6379
    RAY_ADDRESS=auto vanban ingest /srv/archive --engine ray --ship-files
"""
from __future__ import annotations

import logging
import os
import shutil
import socket
import sys
import tempfile
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Optional

from vanban.extras import need
from vanban.pipeline.reading.budgets import MB, Budgets
from vanban.pipeline.reading.readers import EXTENSIONS, TRANSCRIPTION_SUFFIX, page_images
from vanban.pipeline.reading.work_units import ReadUnit, driver_settings, pdf_page_count, read_unit
from vanban.pipeline.reading.workers import WorkerCrashed, WorkerPool

MAX_RETRIES = 3  # Ray's retries of a task whose worker or node died
IN_FLIGHT_PER_CPU = 2  # units in flight per cluster CPU: each node always has the next one queued
PAGES_PER_TASK = 8  # a longer PDF is OCRed in ranges of this many pages (about 12 s of one core)
SMALL_FILE = 256 * 1024  # text-like files up to this size travel in batches …
BATCH_FILES = 16  # … of at most this many
CONNECT_TIMEOUT = 5.0  # seconds to reach a cluster's address before saying it is unreachable
FEATURE = "vanban ingest --engine ray"


class ClusterUnreachable(ConnectionError):
    """The Ray cluster named by --address (RAY_ADDRESS) cannot be joined."""


@dataclass
class _Ranged:
    """A long PDF being OCRed in page ranges on the cluster."""

    label: str
    unit: ReadUnit
    left: int  # ranges not back yet
    pages: list = field(default_factory=list)
    failed: bool = False
    data: object = None  # the object-store reference of its bytes, with ship_files


@dataclass
class _Job:
    units: list  # ReadUnit
    labels: list  # the paths as ingest gave them
    ranged: Optional[_Ranged] = None  # a range of this file's pages, or (units[0].given) its assembly


class RayEngine:
    """Reads files on a Ray cluster for `ingest.ingest(…, engine=RayEngine(address))`.

    >>> from vanban.pipeline.reading.ingest import ingest  # doctest: +SKIP
    >>> ingest([Path("corpus/scanned")], engine=RayEngine("10.0.0.5:6379")).ocr_pages  # doctest: +SKIP
    71
    """

    def __init__(self, address: Optional[str] = None, ship_files: bool = False, pages_per_task: int = PAGES_PER_TASK,
                 num_cpus: Optional[int] = None):
        self.address = address or os.environ.get("RAY_ADDRESS") or None
        self.ship_files, self.pages_per_task, self.num_cpus = ship_files, max(1, pages_per_task), num_cpus
        self.notes: list[str] = []
        self.ray = None

    # --- joining the cluster -------------------------------------------------------

    def connect(self, progress: bool = False) -> bool:
        """Join the cluster (or start a local Ray runtime on all cores); True when this call started Ray."""
        ray = self.ray = need("ray", FEATURE)
        if ray.is_initialized():
            return False
        address = self.address
        if address and address not in ("auto", "local"):
            check_reachable(address)
        try:
            context = ray.init(address=address, num_cpus=None if address else self.num_cpus, log_to_driver=False,
                               logging_level=logging.WARNING, configure_logging=False)
        except Exception as exc:  # ConnectionError, or a RuntimeError for a port that is not Ray's
            why = str(exc).strip().rstrip(".")
            if not address:
                raise ClusterUnreachable(f"could not start a local Ray runtime: {why}") from exc
            raise ClusterUnreachable(f"cannot join the Ray cluster at {address}: {why}; check --address "
                                     "(RAY_ADDRESS), and that `ray status` works there") from exc
        cpus = int(ray.cluster_resources().get("CPU", 0))
        nodes = sum(1 for node in ray.nodes() if node.get("Alive"))
        where = f"joined the Ray cluster at {address}" if address else "started a local Ray runtime"
        self.notes.append(f"ray: {where}: {nodes} node(s), {cpus} CPU(s)")
        url = getattr(context, "dashboard_url", None)
        if url:
            self.notes.append(f"ray dashboard: http://{url}" if "://" not in url else f"ray dashboard: {url}")
        if progress:
            for note in self.notes:
                print(note, file=sys.stderr)
        return True

    # --- the engine ------------------------------------------------------------------

    def results(self, paths: list[str], jobs: int, limits: Budgets, progress: bool = False,
                on_pages: Optional[Callable[[str, int], None]] = None) -> Iterator[tuple[str, object]]:
        """(path, (documents, warnings)) or (path, exception) for every path, in the order files finish."""
        if not paths:
            return
        started = self.connect(progress)
        try:
            yield from self._run(paths, limits, on_pages or (lambda path, n: None))
        finally:
            if started:
                self.ray.shutdown()

    def _run(self, paths: list[str], limits: Budgets, on_pages: Callable[[str, int], None]
             ) -> Iterator[tuple[str, object]]:
        ray = self.ray
        memory = _task_memory(ray, limits.memory_mb * MB)
        task = ray.remote(_read_task).options(num_cpus=1, memory=memory, max_retries=MAX_RETRIES,
                                              retry_exceptions=False)
        capacity = max(2, IN_FLIGHT_PER_CPU * int(ray.cluster_resources().get("CPU", 1)))
        plan, urgent = self._plan(paths), deque()
        pending: dict = {}
        while True:
            while len(pending) < capacity:
                job = urgent.popleft() if urgent else next(plan, None)
                if job is None:
                    break
                pending[task.remote(job.units, limits, self._shipped(job))] = job
            if not pending:
                return
            [ref], _ = ray.wait(list(pending), num_returns=1)
            job = pending.pop(ref)
            try:
                results = ray.get(ref)
            except ray.exceptions.RayError as exc:  # retried MAX_RETRIES times already, or the task's own bug
                if len(job.units) > 1:  # which file of the batch? each is tried by itself
                    urgent.extend(_Job([unit], [label]) for unit, label in zip(job.units, job.labels))
                    continue
                results = [_lost(exc)]
            yield from self._finished(job, results, urgent, on_pages)

    def _finished(self, job: _Job, results: list, urgent: deque, on_pages) -> Iterator[tuple[str, object]]:
        """Hand a finished job's files to the writer; a range goes to its file, which is assembled when complete."""
        ranged = job.ranged
        if ranged is None or job.units[0].pages is None:  # whole files, or a long PDF assembled
            if ranged is not None:
                ranged.data = None
            yield from zip(job.labels, results)
            return
        [result] = results
        ranged.left -= 1
        if ranged.failed:
            return
        if isinstance(result, Exception):  # a range over a budget or crashing: the file fails, once
            ranged.failed, ranged.data = True, None
            yield ranged.label, result
            return
        ranged.pages += result
        on_pages(ranged.label, len(result))
        if not ranged.left:
            urgent.appendleft(_Job([replace(ranged.unit, given=tuple(ranged.pages))], [ranged.label], ranged))

    def _plan(self, paths: list[str]) -> Iterator[_Job]:
        """Jobs in the order of paths: a long PDF's ranges, a file alone, or a batch of small files."""
        env = driver_settings()
        batch: list[tuple[ReadUnit, str]] = []
        for label in paths:
            unit = ReadUnit(os.path.abspath(label), label, env=env)
            count = pdf_page_count(Path(unit.path))
            if count > self.pages_per_task:
                ranged = _Ranged(label, unit, left=-(-count // self.pages_per_task))
                if self.ship_files:
                    ranged.data = self.ray.put(Path(unit.path).read_bytes())
                for first in range(1, count + 1, self.pages_per_task):
                    yield _Job([replace(unit, pages=(first, min(count, first + self.pages_per_task - 1)))],
                               [label], ranged)
            elif not count and _small(Path(unit.path)):
                batch.append((unit, label))
                if len(batch) == BATCH_FILES:
                    yield _Job([u for u, _ in batch], [lb for _, lb in batch])
                    batch = []
            else:
                yield _Job([unit], [label])
        if batch:
            yield _Job([u for u, _ in batch], [lb for _, lb in batch])

    def _shipped(self, job: _Job) -> Optional[list]:
        """With ship_files, each unit's files as (name, bytes or object reference): the file and the
        companions its reader looks at (the other page images of its document; the image a '_gt' text transcribes)."""
        if not self.ship_files:
            return None
        if job.ranged is not None and job.ranged.data is not None:
            return [[(Path(job.units[0].path).name, job.ranged.data)]]
        return [_companions(Path(unit.path)) for unit in job.units]


def check_reachable(address: str) -> None:
    """Raise ClusterUnreachable, within CONNECT_TIMEOUT, when nothing answers at address
    ('10.0.0.5:6379', 'ray://10.0.0.5:10001')."""
    hostport = address.split("://", 1)[-1].rstrip("/")
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        raise ClusterUnreachable(f"--address {address!r} is not host:port (such as 10.0.0.5:6379), 'auto' "
                                 "or ray://host:port")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
    except OSError as exc:
        raise ClusterUnreachable(f"no Ray cluster answers at {address} ({exc.strerror or exc}); start one "
                                 "(ray start --head) or check --address (RAY_ADDRESS)") from None


def _task_memory(ray, wanted: int) -> int:
    """The memory a task asks for: the file's budget, or a node's whole memory when smaller (else it never runs)."""
    largest = max((node["Resources"].get("memory", 0) for node in ray.nodes() if node.get("Alive")), default=0)
    return int(min(wanted, largest)) if largest else 0


def _small(path: Path) -> bool:
    """A file cheap to read (text, JSONL, DOCX) and small: batched with others."""
    try:
        size = path.stat().st_size
    except OSError:
        return True  # its reader reports why
    return size <= SMALL_FILE and path.suffix.lower() not in EXTENSIONS["image"] | EXTENSIONS["legacy"]


def _companions(path: Path) -> list[tuple[str, bytes]]:
    """The file's bytes, and those of the files beside it that its reader reads or looks for."""
    files = [(path.name, path.read_bytes())] if path.is_file() else []
    if path.suffix.lower() in EXTENSIONS["image"]:
        files += [(p.name, p.read_bytes()) for p in page_images(path) if p != path]
    elif path.stem.endswith(TRANSCRIPTION_SUFFIX):  # its image need only be there, by name
        stem = path.stem[: -len(TRANSCRIPTION_SUFFIX)]
        files += [(p.name, b"") for p in path.parent.glob(stem + ".*") if p.suffix.lower() in EXTENSIONS["image"]]
    return files


def _lost(exc: Exception) -> Exception:
    """Why a file's task failed for good: its worker or node died MAX_RETRIES + 1 times, or vanban's own error."""
    ray = sys.modules["ray"]
    if isinstance(exc, ray.exceptions.RayTaskError):
        cause = exc.cause if isinstance(getattr(exc, "cause", None), Exception) else RuntimeError(str(exc))
        return cause
    return WorkerCrashed(f"the Ray worker reading this file died {MAX_RETRIES + 1} times ({type(exc).__name__}), "
                         "the last time reading it alone; a node lost, or the file crashes the reader: "
                         "re-run to retry it, or report it with this file")


# --- on a Ray worker ---------------------------------------------------------------------

_pool: Optional[WorkerPool] = None
_pool_limits: Optional[Budgets] = None


def _worker_pool(limits: Budgets) -> WorkerPool:
    """This Ray worker's reader process, kept from one task to the next (forking one costs more than a small file).

    Its memory budget counts from what it inherits: a Ray worker maps about 1.3 GB (its
    libraries, the object store) before reading anything (budgets.enter_worker).
    """
    global _pool, _pool_limits
    if _pool is None or _pool_limits != limits:
        if _pool is not None:
            _pool.stop()
        # forked from this Ray worker, as Ray's own fork support allows: under a fork server here
        # a reader over a tight memory budget died of SIGABRT instead of reporting it
        _pool, _pool_limits = WorkerPool(1, limits, read_unit, start="fork"), limits
    return _pool


def _read_task(units: list, limits: Budgets, shipped: Optional[list]) -> list:
    """A Ray task: each unit's result (documents and warnings, OCRed pages, or the file's exception), in order."""
    folder = tempfile.mkdtemp(prefix="vanban-shipped-") if shipped else None
    try:
        if shipped:
            units = [_unpack(unit, files, Path(folder) / str(i)) for i, (unit, files) in enumerate(zip(units, shipped))]
        results = {id(unit): result for unit, result in _worker_pool(limits).run(units)}
        return [results[id(unit)] for unit in units]
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _unpack(unit: ReadUnit, files: list, folder: Path) -> ReadUnit:
    """Write a shipped file (and its companions) into folder; the unit then reads the copy."""
    folder.mkdir(parents=True)
    for name, data in files:
        if not isinstance(data, bytes):  # a long PDF's bytes, put once in the object store for all its ranges
            data = sys.modules["ray"].get(data)
        (folder / name).write_bytes(data)
    return replace(unit, path=str(folder / Path(unit.path).name))
