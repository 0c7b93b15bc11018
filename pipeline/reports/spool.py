"""Text written in parts under keys, kept in unnamed temporary files, read back key by key.

A report grouped by kind (the audit's table and page, its CSV per kind on the web) writes each
finding under its kind as it comes and puts the parts together at the end, so it holds none of
them: a million documents' audit is 400,000 findings. The system deletes the files once nothing
holds the spool.

    >>> import io
    >>> spool = Spool()
    >>> spool.write("b", "beta\\n"); spool.write("a", "alpha\\n"); spool.write("b", "bêta\\n")
    >>> out = io.StringIO(); spool.copy("b", out); out.getvalue()
    'beta\\nbêta\\n'
    >>> b"".join(spool.chunks("a")), list(spool.chunks("none"))
    (b'alpha\\n', [])
"""
from __future__ import annotations

import codecs
import os
import tempfile
from typing import IO, Hashable, Iterator, TextIO

CHUNK = 1 << 16  # bytes read at a time


class Spool:
    def __init__(self):
        self._files: dict[Hashable, IO[str]] = {}

    def file(self, key: Hashable) -> IO[str]:
        """key's file, to write text to (made on first use; newlines kept as written)."""
        if key not in self._files:
            self._files[key] = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")
        return self._files[key]

    def write(self, key: Hashable, text: str) -> None:
        self.file(key).write(text)

    def chunks(self, key: Hashable) -> Iterator[bytes]:
        """What was written under key, CHUNK bytes at a time (UTF-8): read by offset, so two readers
        at once do not move each other's place."""
        fh = self._files.get(key)
        if fh is None:
            return
        fh.flush()
        offset = 0
        while chunk := os.pread(fh.fileno(), CHUNK, offset):
            offset += len(chunk)
            yield chunk

    def copy(self, key: Hashable, out: TextIO) -> None:
        """What was written under key, onto out."""
        decoder = codecs.getincrementaldecoder("utf-8")()  # a character may straddle two chunks
        for chunk in self.chunks(key):
            out.write(decoder.decode(chunk))
        out.write(decoder.decode(b"", final=True))
