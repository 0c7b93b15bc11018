"""Run a piece of a benchmark in a child process of its own.

A bench reports peak RSS as what vanban needs for the work it times. Building a store of a
million documents in the bench's process would leave its heap behind (about 670 MB at
1,000,000 documents) under everything measured after it; in a child it is the child's, and
gone when the child ends. The scale bench runs the audit and evidence apart too, each in a
process as the CLI would, so one's heap is not counted under the other's.

The child is a new interpreter (spawned), not a fork: a fork copies a process whose other
threads (Ray's, a tqdm monitor's, a native library's) may hold locks or half-made state; such
a child died of SIGSEGV once in a full test run, where many libraries had been loaded.

    >>> apart(sum, [1, 2, 3])
    6
"""
from __future__ import annotations

import multiprocessing
import traceback
from typing import Any, Callable


def apart(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """function(*args, **kwargs) run in a child process; its result (or its error) comes back pickled.

    function and its arguments go to the child pickled too: a module's function, not a closure.
    """
    spawn = multiprocessing.get_context("spawn")
    receive, send = spawn.Pipe(duplex=False)
    # not a daemon: the scaffolding may start processes of its own (the evidence bench ingests)
    process = spawn.Process(target=_child, args=(send, function, args, kwargs))
    process.start()
    send.close()
    try:
        ok, value = receive.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"{getattr(function, '__name__', function)} ended without a result "
                           f"(exit code {process.exitcode})") from None
    process.join()
    if not ok:
        raise RuntimeError(f"{getattr(function, '__name__', function)} failed in its child process: {value}")
    return value


def _child(send, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    try:
        send.send((True, function(*args, **kwargs)))
    except BaseException as error:  # carried to the parent, with where it happened
        send.send((False, f"{type(error).__name__}: {error}\n{traceback.format_exc()}"))
