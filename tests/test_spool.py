"""vanban.pipeline.reports.spool: text kept by key in temporary files, read back as written."""
from __future__ import annotations

import io

from vanban.pipeline.reports import spool as spooling
from vanban.pipeline.reports.spool import Spool


def test_text_comes_back_as_written_whatever_the_chunks(monkeypatch):
    monkeypatch.setattr(spooling, "CHUNK", 1)  # every character of more than one byte straddles chunks
    spool = Spool()
    parts = ["Kế hoạch số 204/KH-UBND\r\n", "“Chuyển đổi số” — đ/Đ\n", "\n"]
    for part in parts:
        spool.write("kind", part)
        spool.write(None, part.upper())
    out = io.StringIO()
    spool.copy("kind", out)
    assert out.getvalue() == "".join(parts)  # CRLF kept: nothing is translated
    assert b"".join(spool.chunks(None)) == "".join(parts).upper().encode("utf-8")


def test_two_readers_keep_their_own_place_and_a_key_never_written_is_empty(monkeypatch):
    monkeypatch.setattr(spooling, "CHUNK", 3)
    spool = Spool()
    spool.write("a", "abcdef")
    one, two = spool.chunks("a"), spool.chunks("a")
    assert [next(one), next(two), next(one), next(two)] == [b"abc", b"abc", b"def", b"def"]
    out = io.StringIO()
    spool.copy("never", out)
    assert list(spool.chunks("never")) == [] and out.getvalue() == ""
