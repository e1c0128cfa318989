"""File-system rules of the watched folders: which names are never touched, lock files, durable moves,
free names, and the leftovers of a killed process.

Content is always written through `converter.files`; this module only links, renames and unlinks.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from converter import place_file, sha256_file

log = logging.getLogger(__name__)

# Names of temporary and system files that are never inputs ("~WRx" are Word's own temp files). "~$x" are
# Office owner (lock) files and ".~lock.x#" LibreOffice's; both are also never moved or deleted, since the
# editor holding them needs them.
_IGNORED_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", "~")
_IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
# converter.files.atomic_writer's temp files: ".<dest name>.<random>.part".
_PARTIAL = re.compile(r"^\..+\.[A-Za-z0-9_]{6,}\.part$")


def is_ignored(name: str) -> bool:
    """True for lock files, hidden files and the temp files of editors, browsers and copy tools."""
    low = name.lower()
    return name.startswith((".", "~$", "~WR")) or low in _IGNORED_NAMES or low.endswith(_IGNORED_SUFFIXES)


def lock_file_beside(path: Path) -> Path | None:
    """The Office or LibreOffice lock file next to *path*, if one exists: the file is open in an editor.

    Word names its owner file ``~$`` plus the name, dropping the first one or two characters of longer
    names (``~$cument.docx`` for ``document.docx``); LibreOffice writes ``.~lock.<name>#``.
    """
    name = path.name
    candidates = {f"~${name}", f"~${name[1:]}", f"~${name[2:]}", f".~lock.{name}#"}
    for c in candidates:
        p = path.with_name(c)
        if len(c) > 2 and p.exists():
            return p
    return None


def is_disk_full(exc: BaseException) -> bool:
    """True for "no space left" (or quota) errors, from the OS or from SQLite."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    # SQLite says "database or disk is full", or "disk I/O error" when the WAL cannot grow.
    return isinstance(exc, sqlite3.OperationalError) and any(
        word in str(exc).lower() for word in ("full", "disk i/o")
    )


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


Placer = Callable[[Path, Path], None]


def default_placer(src: Path, dest: Path) -> None:
    """Copy *src* to *dest* durably and atomically (replacing what this job placed there before)."""
    place_file(src, dest, overwrite=True)


def move_durably(src: Path, dest: Path, placer: Placer = default_placer) -> None:
    """Move *src* to *dest* without ever overwriting, durably; idempotent after a crash half-way.

    On one file system: hard link, fsync, unlink (a crash leaves both names, never neither). Across file
    systems: durable copy, then unlink. A *dest* that already holds the same bytes counts as done.

    Raises:
        FileExistsError: *dest* holds different content.
        FileNotFoundError: Neither *src* nor *dest* exists.
    """
    if src == dest or (src.exists() and src.resolve() == dest.resolve()):
        return  # already in place: unlinking "the source" would remove the only copy
    if dest.exists():
        if src.exists():
            if os.path.samefile(src, dest) or sha256_file(src) == sha256_file(dest):
                _unlink(src)
                return
            raise FileExistsError(errno.EEXIST, "a different file is already there", str(dest))
        return  # moved before a restart
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dest)
        fsync_dir(dest.parent)
    except OSError as e:
        if e.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK):
            raise
        placer(src, dest)
    _unlink(src)


def _unlink(path: Path) -> None:
    path.unlink()
    fsync_dir(path.parent)


def free_name(dest: Path, taken: Callable[[Path], bool]) -> Path:
    """*dest*, or ``<stem> (2)<suffix>``, ``(3)`` ... : the first name not *taken*."""
    if not taken(dest):
        return dest
    n = 2
    while True:
        cand = dest.with_name(f"{dest.stem} ({n}){dest.suffix}")
        if not taken(cand):
            return cand
        n += 1


def sweep_partials(folders: list[Path]) -> int:
    """Remove temp files a killed qujat left half-written in its own output folders; returns how many.

    Only names `converter.files.atomic_writer` makes are removed: a reader never took them for a file.
    """
    n = 0
    for folder in folders:
        for p in _walk(folder):
            if _PARTIAL.match(p.name):
                try:
                    p.unlink()
                    n += 1
                    log.info("removed the partial temp file %s a stopped run left", p)
                except OSError as e:
                    log.warning("cannot remove the partial temp file %s: %s", p, e)
    return n


def _walk(folder: Path) -> Iterator[Path]:
    if not folder.is_dir():
        return
    for root, _dirs, files in os.walk(folder):
        for f in files:
            yield Path(root, f)


def walk_inputs(folder: Path, *, recursive: bool = True, skip: Path | None = None) -> Iterator[Path]:
    """Files under *folder* that may be inputs (not ignored, not in an ignored folder), sorted."""
    if not folder.is_dir():
        return
    for root, dirs, files in os.walk(folder):
        rootp = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (skip is None or (rootp / d) != skip))
        if not recursive:
            dirs[:] = []
        for f in sorted(files):
            if not is_ignored(f):
                yield rootp / f


def use_private_tmp(folder: Path) -> None:
    """Empty *folder* and make it this process's temp folder (`tempfile.tempdir`).

    The converter stages every document in temp folders; a process killed with SIGKILL cannot remove
    them, so the daemon and batches keep them in their own state folder and clear it at start-up, under
    their lock. Only entry points call this: it changes a process-wide setting.
    """
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    tempfile.tempdir = str(folder)


def hold_lock(path: Path) -> IO[bytes] | None:
    """Take an exclusive lock on *path* for the life of the returned file; None if another process holds it.

    The lock is the kernel's (flock): it dies with the process, even on kill -9, so a crash never leaves a
    stale lock behind.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    f = path.open("a+b")
    try:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.close()
        return None
    return f
