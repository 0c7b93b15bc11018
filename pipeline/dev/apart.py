"""Run a piece of a benchmark in a child process of its own.

A bench reports peak RSS as what vanban needs for the work it times. Building a store of a
million documents in the bench's process would leave its heap behind (about 670 MB at
1,000,000 documents) under everything measured after it; in a forked child it is the
child's, and gone when the child ends. The scale bench runs the audit and evidence apart too,
each in a process as the CLI would, so one's heap is not counted under the other's.

    >>> apart(sum, [1, 2, 3])
    6
"""
from __future__ import annotations

import multiprocessing
import traceback
from typing import Any, Callable


def apart(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """function(*args, **kwargs) run in a forked child; its result (or its error) comes back pickled."""
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)

    def child() -> None:
        try:
            send.send((True, function(*args, **kwargs)))
        except BaseException as error:  # carried to the parent, with where it happened
            send.send((False, f"{type(error).__name__}: {error}\n{traceback.format_exc()}"))

    # not a daemon: the scaffolding may start processes of its own (the evidence bench ingests)
    process = fork.Process(target=child)
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
