"""Logging for ``qujat watch`` and ``qujat batch``: the current document on every record, text or JSON
lines, to stderr or a file. Only the command-line entry points call `configure`; the library adds no
handlers.
"""

from __future__ import annotations

import logging
from pathlib import Path

from converter import logs
from converter.logs import document

__all__ = ["configure", "document"]


def configure(*, verbosity: int = 0, json_logs: bool = False, log_file: Path | None = None) -> None:
    """Send records to *log_file* (appending) or stderr: INFO by default, DEBUG with ``-v``.

    A daemon's log is its only voice, so INFO (each document taken, placed or quarantined) is the
    default here, unlike ``qujat convert``.
    """
    quiet = {name: logging.WARNING for name in ("watchdog", "PIL", "validators")}
    # converter logs each engine retry at WARNING and each stage at INFO; INFO from it is too chatty for a
    # daemon log that records one line per document.
    quiet["converter"] = logging.WARNING
    logs.configure(
        level=logging.DEBUG if verbosity > 0 else logging.INFO,
        json_logs=json_logs,
        log_file=log_file,
        quiet={} if verbosity > 0 else quiet,
    )
