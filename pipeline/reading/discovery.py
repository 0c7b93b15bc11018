"""Which files under the given folders are read, and why each of the others is not.

Every path met is either listed to be read or passed over with its reason: hidden,
a symlink leading out of the given folders (followed only with follow_symlinks), a
symlink loop, a dangling symlink, a special file (a FIFO, a device such as /dev/zero,
a socket: opening one could hang), the store itself, a folder that cannot be listed.
Nothing is opened here, only listed and stat'ed.
"""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

# the store and the files SQLite keeps beside it
STORE_SUFFIXES = ("", "-wal", "-shm", "-journal")


@dataclass
class Passed:
    """A path that is not read, and why."""

    path: Path
    reason: str


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    passed: list[Passed] = field(default_factory=list)


def _special(mode: int) -> str | None:
    """'a FIFO', 'a device' … for a mode that is neither a regular file nor a folder."""
    for test, what in ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return what
    return None


def _inside(path: str, folders: Iterable[str]) -> bool:
    return any(path == folder or path.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders)


def discover(paths: Iterable[Path], follow_symlinks: bool = False, store: Path | None = None) -> Discovery:
    """The files to read under paths, in a stable order, and every path passed over with its reason.

    >>> found = discover([Path("corpus/seeds")])  # doctest: +SKIP
    >>> [p.name for p in found.files][:1], found.passed  # doctest: +SKIP
    (['kh187_tuyen_quang.txt'], [Passed(path=PosixPath('corpus/seeds/.DS_Store'), reason='hidden')])
    """
    paths = [Path(p) for p in paths]
    roots = [os.path.realpath(p) for p in paths if p.is_dir()]
    store_files = {os.path.realpath(str(store) + suffix) for suffix in STORE_SUFFIXES} if store else set()
    found = Discovery()
    seen: dict[str, Path] = {}  # real path → the path it was first listed by

    def consider(path: Path, ancestors: frozenset[str], given: bool) -> None:
        link = path.is_symlink()
        try:
            info = os.stat(path)  # follows symlinks
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                found.passed.append(Passed(path, "symlink loop"))
            elif link:
                found.passed.append(Passed(path, f"dangling symlink (to {os.readlink(path)})"))
            else:
                found.passed.append(Passed(path, f"cannot be read: {exc.strerror}"))
            return
        real = os.path.realpath(path)
        if link and not given and not follow_symlinks and not _inside(real, roots):
            found.passed.append(Passed(path, f"symlink to {real}, outside the given folders; "
                                             "--follow-symlinks reads it"))
            return
        if real in store_files:
            found.passed.append(Passed(path, "the store itself"))
            return
        if stat.S_ISDIR(info.st_mode):
            if real in ancestors:
                found.passed.append(Passed(path, f"symlink loop (back to {real})"))
                return
            if real in seen:
                found.passed.append(Passed(path, f"same folder as {seen[real]}"))
                return
            seen[real] = path
            try:
                entries = sorted(os.scandir(path), key=lambda e: os.fsencode(e.name))
            except OSError as exc:
                found.passed.append(Passed(path, f"folder cannot be listed: {exc.strerror}"))
                return
            for entry in entries:
                child = path / entry.name
                if entry.name.startswith("."):
                    found.passed.append(Passed(child, "hidden folder" if entry.is_dir(follow_symlinks=False)
                                               else "hidden"))
                else:
                    consider(child, ancestors | {real}, False)
            return
        special = _special(info.st_mode)
        if special:
            found.passed.append(Passed(path, f"{special}, not a file: never opened"))
        elif real in seen:
            found.passed.append(Passed(path, f"same file as {seen[real]}"))
        else:
            seen[real] = path
            found.files.append(path)

    for path in paths:
        consider(path, frozenset(), True)
    return found
