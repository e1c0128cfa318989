"""Durable file placement (public: `watch` uses it too): temp file in the destination folder, fsync,
rename, fsync the folder.

A reader never sees a partial file, and a placed file survives a power cut.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(dest: Path, *, overwrite: bool = True) -> Iterator[IO[bytes]]:
    """Open a temp file beside *dest*; on clean exit it is fsynced and renamed over *dest*.

    With ``overwrite=False`` an existing *dest* is never replaced (FileExistsError), even if it
    appears while writing: the file is linked into place, which fails rather than clobbers.
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if overwrite:
            os.replace(tmp, dest)
        else:
            os.link(tmp, dest)
            tmp.unlink()
        _fsync_dir(dest.parent)
    finally:
        tmp.unlink(missing_ok=True)


def place_file(src: Path, dest: Path, *, overwrite: bool = True) -> None:
    """Copy *src* to *dest* durably and atomically."""
    with src.open("rb") as s, atomic_writer(dest, overwrite=overwrite) as d:
        shutil.copyfileobj(s, d, 1 << 20)


def write_bytes_atomic(dest: Path, data: bytes, *, overwrite: bool = True) -> None:
    with atomic_writer(dest, overwrite=overwrite) as f:
        f.write(data)
