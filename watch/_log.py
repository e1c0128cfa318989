"""Logging for ``qujat watch`` and ``qujat batch``: the current document on every record, text or JSON
lines, to stderr or a file. Only the command-line entry points call `configure`; the library adds no
handlers.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

_document: contextvars.ContextVar[str] = contextvars.ContextVar("qujat_watch_document", default="")


@contextlib.contextmanager
def document(name: str) -> Iterator[None]:
    """Mark records logged inside the block as concerning document *name*."""
    token = _document.set(name)
    try:
        yield
    finally:
        _document.reset(token)


class _DocumentFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "document", ""):
            record.document = _document.get()
        return True


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "document": getattr(record, "document", ""),
            "message": record.getMessage(),
        }
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


class _TextFormatter(logging.Formatter):
    def __init__(self, *, timestamps: bool) -> None:
        super().__init__()
        self.timestamps = timestamps

    def format(self, record: logging.LogRecord) -> str:
        doc = getattr(record, "document", "")
        stamp = (
            datetime.fromtimestamp(record.created).isoformat(sep=" ", timespec="seconds") + " "
            if self.timestamps
            else ""
        )
        level = f"{record.levelname}: " if record.levelno >= logging.WARNING else ""
        where = f"[{doc}] " if doc else ""
        text = f"{stamp}{level}{where}{record.getMessage()}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def configure(*, verbosity: int = 0, json_logs: bool = False, log_file: Path | None = None) -> None:
    """Send records to *log_file* (appending) or stderr: INFO by default, DEBUG with ``-v``.

    A daemon's log is its only voice, so INFO (each document taken, placed or quarantined) is the
    default here, unlike ``qujat convert``.
    """
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_DocumentFilter())
    handler.setFormatter(_JsonFormatter() if json_logs else _TextFormatter(timestamps=log_file is not None))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    level = logging.DEBUG if verbosity > 0 else logging.INFO
    root.setLevel(level)
    # fontTools warns about every embedded subset font LibreOffice stamps with a zero date.
    logging.getLogger("fontTools").setLevel(logging.ERROR if verbosity <= 0 else logging.DEBUG)
    for noisy in ("watchdog", "PIL", "validators"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbosity <= 0 else logging.DEBUG)
    # pikepdf warns about every old-style metadata date it reads; the report carries what matters.
    logging.getLogger("pikepdf").setLevel(logging.ERROR if verbosity <= 0 else logging.DEBUG)
    # converter logs each engine retry at WARNING and each stage at INFO; INFO from it is too chatty for a
    # daemon log that records one line per document.
    logging.getLogger("converter").setLevel(logging.WARNING if verbosity <= 0 else logging.DEBUG)
