"""Warnings recorded by the thread that asked for them, for pikepdf.pdfa's parse checks.

pikepdf.pdfa parses content streams and CMaps inside ``warnings.catch_warnings(record=True)`` and
takes any warning recorded as a parse problem. That context manager swaps process-wide state: while
one thread is inside it, a warning raised by any other thread (another document's parse, a
spreadsheet reader in the fidelity check, a task queue's client) is recorded as this document's
parse problem, and a file is rejected for another's fault; two threads inside it at once restore
each other's state in the wrong order, and a parse warning can go unrecorded.

`install` gives those two pikepdf modules a `warnings` of their own, whose ``catch_warnings`` holds a
process-wide lock for the duration of the block (so only one block at a time changes the global
state) and records only the warnings of the thread that opened it; other threads' warnings go on
to where they would have gone. Everything else is the standard module's.
"""

from __future__ import annotations

import contextlib
import threading
import types
import warnings
from collections.abc import Iterator
from typing import Any

_lock = threading.RLock()
_installed = False


class _Recorder(contextlib.AbstractContextManager["list[warnings.WarningMessage] | None"]):
    """``catch_warnings`` that records (if asked) only the current thread's warnings."""

    def __init__(self, *, record: bool = False, **kwargs: Any) -> None:
        self._record = record
        self._inner = warnings.catch_warnings(record=False, **kwargs)
        self._log: list[warnings.WarningMessage] = []

    def __enter__(self) -> list[warnings.WarningMessage] | None:
        _lock.acquire()
        try:
            self._inner.__enter__()
        except BaseException:
            _lock.release()
            raise
        if self._record:
            owner = threading.get_ident()
            elsewhere = warnings.showwarning
            log = self._log

            def show(
                message: Any, category: Any, filename: Any, lineno: Any, file: Any = None, line: Any = None
            ) -> None:
                if threading.get_ident() == owner:
                    log.append(warnings.WarningMessage(message, category, filename, lineno, file, line))
                else:
                    elsewhere(message, category, filename, lineno, file, line)

            warnings.showwarning = show
            return log
        return None

    def __exit__(self, *exc: Any) -> None:
        try:
            self._inner.__exit__(*exc)
        finally:
            _lock.release()


def _module() -> types.ModuleType:
    """A stand-in for the ``warnings`` module: the standard one, with a thread-aware ``catch_warnings``."""
    stand_in = types.ModuleType("warnings")
    stand_in.__dict__.update({k: v for k, v in vars(warnings).items() if not k.startswith("__")})
    stand_in.catch_warnings = _Recorder  # type: ignore[attr-defined]
    return stand_in


def install() -> bool:
    """Give pikepdf.pdfa's content and CMap parsers the thread-aware ``warnings`` (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return True
        try:
            from pikepdf.pdfa import _cmap, _content
        except ImportError:
            return False
        stand_in = _module()
        for module in (_content, _cmap):
            if getattr(module, "warnings", None) is warnings:
                module.warnings = stand_in  # type: ignore[attr-defined]
        _installed = True
        return True


@contextlib.contextmanager
def recording() -> Iterator[list[warnings.WarningMessage]]:
    """The guarded recorder, as pikepdf's parsers use it (for tests and for our own parsers)."""
    with _Recorder(record=True) as log:
        warnings.simplefilter("always")
        assert log is not None
        yield log
