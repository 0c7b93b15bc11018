"""pipeline/dev/apart.py: a bench's scaffolding runs in a child process."""
import resource

import pytest

from vanban.pipeline.dev.apart import apart


def _fill(megabytes: int) -> int:
    block = bytearray(megabytes * 2 ** 20)
    block[::4096] = b"x" * len(block[::4096])  # touched, so it is resident
    return len(block) // 2 ** 20


def _fail() -> None:
    raise ValueError("no such corpus")


def test_the_result_comes_back_and_the_memory_stays_in_the_child():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert apart(_fill, 400) == 400
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KB: not the child's 400 MB


def test_an_error_in_the_child_is_raised_with_where_it_happened():
    with pytest.raises(RuntimeError, match="ValueError: no such corpus") as caught:
        apart(_fail)
    assert "_fail" in str(caught.value)
