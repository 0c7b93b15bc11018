"""Worker processes that read files: each file's cost bounded, a crash isolated to its file.

A `concurrent.futures` pool breaks whole when one worker dies (an out-of-memory kill),
failing every pending file with it, and its workers outlive a killed parent. Here each
worker reads one file at a time under `budgets` (a memory limit set in the worker, the
file's wall time watched by this process); a worker that dies is replaced, and the file
it held is read once more, alone, so that the file, not a neighbour, is blamed when it
dies again. Workers are forked from a fork server (a clean process, not this one with its
threads), die with the pool's process and are stopped when the batch ends or is interrupted.
"""
from __future__ import annotations

import errno
import multiprocessing
import os
import select
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Callable, Iterable, Iterator, Optional

from vanban.models.records import UnreadableFile
from vanban.pipeline.reading import budgets as budget
from vanban.pipeline.reading.budgets import Budgets, OverBudget

# seconds past a file's time limit before its worker is killed: the worker checks its own
# clock between pages and reports the page; this catches a file stuck inside one call
KILL_GRACE = 15.0


class WorkerCrashed(UnreadableFile):
    """The process reading a file died, and died again reading it alone."""


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    path: Optional[str] = None  # the file it is reading
    started: float = 0.0
    alone: bool = False  # a second try, with no other file in flight
    next: Optional[str] = None  # sent ahead, read when path is done: the worker never waits for this process


def _die_with(pool: int) -> None:
    """End this worker, and its process group (its tesseract children), when the pool's process
    ends. Its parent is the fork server, which outlives the pool while a worker holds its pipe:
    the worker watches the pool's process itself (a pidfd, readable once that process is gone)."""
    try:
        pidfd = os.pidfd_open(pool)
    except ProcessLookupError:  # the pool ended before this worker began
        os._exit(1)
    except (OSError, AttributeError):  # no pidfd here (not Linux ≥ 5.3): the pool's stop() must do
        return

    def watch() -> None:
        select.select([pidfd], [], [])
        os.killpg(os.getpgrp(), signal.SIGKILL)
    threading.Thread(target=watch, daemon=True, name="vanban-pool-watch").start()


def _serve(conn: Connection, pool: int, limits: Budgets, task: Callable) -> None:
    """A worker's life: read the files it is sent, one at a time, until told to stop."""
    os.setpgrp()  # its tesseract children can be killed with it; Ctrl-C goes to the parent only
    _die_with(pool)
    budget.enter_worker(limits)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        path, progress = message
        budget.start_file(limits)
        try:
            try:
                reply = (path, task(path, progress), None)
            except Exception as exc:
                if _out_of_memory(exc):
                    raise MemoryError(str(exc)) from exc
                raise
        except MemoryError:
            budget.lift_memory_limit()  # saying so takes memory too; the process ends next
            conn.send((path, None, OverBudget(
                "memory", f"reading needed more than {limits.memory_mb} MB beside what its reader process "
                          "maps; raise --memory-limit (VANBAN_MEMORY_MB) if the machine has it")))
            os._exit(0)  # a process that ran out of memory is not trusted with the next file
        except Exception as exc:  # the file's failure, sent back to be reported
            reply = (path, None, exc)
        try:
            conn.send(reply)
        except Exception as exc:  # a result or an exception that does not pickle
            conn.send((path, None, RuntimeError(f"{type(exc).__name__}: {exc}")))


def _out_of_memory(exc: BaseException) -> bool:
    """Under the address-space limit an allocation can fail as something other than MemoryError:
    mmap's ENOMEM, or a library's shared object that cannot be mapped when first imported."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOMEM:
        return True
    return isinstance(exc, ImportError) and "failed to map segment" in str(exc)


class WorkerPool:
    """`jobs` worker processes running task(path, progress) under budgets.

    >>> with WorkerPool(2, Budgets.from_env(), read) as pool:  # doctest: +SKIP
    ...     for path, result in pool.run(["kh187.pdf", "qd742.docx"]):
    ...         print(path, result)
    """

    def __init__(self, jobs: int, limits: Budgets, task: Callable, progress: bool = False,
                 start: str = "forkserver"):
        self.jobs, self.limits, self.task, self.progress = max(1, jobs), limits, task, progress
        # a fork server: a clean single-threaded process the workers are forked from. Forking this
        # process instead copies whatever threads it has mid-state (a server's, a Ray client's), and
        # a worker forked so crashed on healthy files, which were then blamed for it
        self.context = multiprocessing.get_context(start)
        if start == "forkserver":
            self.context.set_forkserver_preload(["vanban.pipeline.reading.preload"])
        self.workers: list[_Worker] = []

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _start(self) -> _Worker:
        parent_end, child_end = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child_end, os.getpid(), self.limits, self.task),
                                       daemon=True, name="vanban-reader")
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self.workers.append(worker)
        return worker

    def _idle(self) -> _Worker:
        for worker in self.workers:
            if worker.path is None:
                return worker
        return self._start()

    def _give(self, path: str, alone: bool = False) -> None:
        worker = self._idle()
        worker.path, worker.started, worker.alone = path, time.monotonic(), alone
        self._send(worker, path)  # a worker that died meanwhile is found by run(), which reads path again

    def _send_ahead(self, queue: deque) -> None:
        """Each busy worker gets its next file now, so it starts as soon as it is done."""
        for worker in self.workers:
            if worker.path and not worker.alone and worker.next is None and queue:
                if self._send(worker, queue[0]):
                    worker.next = queue.popleft()

    def _send(self, worker: _Worker, path: str) -> bool:
        """Hand worker a file; False when its pipe is closed: it has just ended (its last file over
        the memory budget, or killed), and run() has yet to read why."""
        try:
            worker.conn.send((path, self.progress and self.jobs == 1))
            return True
        except OSError:  # BrokenPipeError, ConnectionResetError
            return False

    def _advance(self, worker: _Worker) -> None:
        """The worker's file is done: the one sent ahead, if any, is the one it reads now."""
        worker.path, worker.next, worker.started = worker.next, None, time.monotonic()

    def _kill(self, worker: _Worker) -> None:
        """Kill a worker and whatever it started (its process group), and forget it."""
        try:
            os.killpg(worker.process.pid, signal.SIGKILL)
        except OSError:  # not yet its own group leader
            worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        self.workers.remove(worker)

    def _fill(self, queue: deque, again: deque) -> None:
        """Give idle workers files: the next queued ones, or one file to retry alone once all are idle."""
        busy = sum(1 for w in self.workers if w.path)
        if again:
            if not busy:  # a file whose worker died is read again with nothing beside it
                self._give(again.popleft(), alone=True)
            return
        while queue and busy < self.jobs:
            self._give(queue.popleft())
            busy += 1
        self._send_ahead(queue)

    def run(self, paths: Iterable[str]) -> Iterator[tuple[str, object]]:
        """(path, result) or (path, exception) for every path, in the order they finish."""
        queue, again = deque(paths), deque()
        limit = self.limits.file_timeout + KILL_GRACE
        self._fill(queue, again)
        while any(w.path for w in self.workers):
            busy = [w for w in self.workers if w.path]
            timeout = max(0.0, min(w.started + limit - time.monotonic() for w in busy))
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
            finished = []
            for worker in busy:
                path = worker.path
                if worker.conn.poll():
                    try:
                        got, result, error = worker.conn.recv()
                    except (EOFError, OSError):
                        got = None
                    if got == path:
                        finished.append((path, error if error is not None else result))
                        if not worker.process.is_alive() or isinstance(error, OverBudget) and error.limit == "memory":
                            worker.path = None  # its own file is done; the one sent ahead goes back
                            self._requeue(worker, queue)
                            self._kill(worker)
                        else:
                            self._advance(worker)
                        continue
                if not worker.process.is_alive():
                    code = worker.process.exitcode
                    self._requeue(worker, queue)
                    self._kill(worker)
                    if worker.alone:
                        finished.append((path, WorkerCrashed(_death(code))))
                    else:
                        again.append(path)
                elif time.monotonic() > worker.started + limit:
                    self._requeue(worker, queue)
                    self._kill(worker)
                    finished.append((path, OverBudget(
                        "file time", f"reading took more than {self.limits.file_timeout:g} s; split the file, "
                                     "or raise --file-timeout (VANBAN_FILE_TIMEOUT)")))
            self._fill(queue, again)  # before handing results over: workers read while they are stored
            yield from finished

    @staticmethod
    def _requeue(worker: _Worker, queue: deque) -> None:
        """A worker about to be killed: the file sent ahead to it, not begun, goes back to the queue's front."""
        if worker.next is not None:
            queue.appendleft(worker.next)
            worker.next = None

    def stop(self) -> None:
        """Ask idle workers to leave, kill busy ones; none outlives the batch."""
        for worker in list(self.workers):
            if worker.path is None:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
                worker.process.join(2)
            if worker.process.is_alive() or worker.path:
                self._kill(worker)
            elif worker in self.workers:
                worker.conn.close()
                self.workers.remove(worker)


def _death(code: Optional[int]) -> str:
    """Why a worker ended, for the report: -9 is SIGKILL, most often the out-of-memory killer."""
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        why = " (most often the system's out-of-memory killer)" if -code == signal.SIGKILL else ""
        cause = f"was killed by {name}{why}"
    else:
        cause = f"exited with code {code}"
    return (f"the process reading this file {cause}, twice, the second time reading it alone; "
            "the file crashes the reader: please report it with this file")
