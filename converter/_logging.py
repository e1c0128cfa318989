"""Logging helpers: the current document on every record, and the CLI's handlers.

The library itself adds no handlers; only `configure` (called by the CLI) does.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

_document: contextvars.ContextVar[str] = contextvars.ContextVar("qujat_document", default="")


@contextlib.contextmanager
def document(name: str) -> Iterator[None]:
    """Mark log records made inside the block as concerning document *name*."""
    token = _document.set(name)
    try:
        yield
    finally:
        _document.reset(token)


class DocumentFilter(logging.Filter):
    """Adds ``record.document`` so interleaved batch logs stay readable."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.document = _document.get()
        return True


class JsonFormatter(logging.Formatter):
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
    def format(self, record: logging.LogRecord) -> str:
        doc = getattr(record, "document", "")
        prefix = f"{record.levelname}: " if record.levelno >= logging.WARNING else ""
        where = f"[{doc}] " if doc else ""
        return f"{prefix}{where}{record.getMessage()}"


def configure(*, verbosity: int = 0, json_logs: bool = False) -> None:
    """Send log records to stderr: warnings by default, INFO with -v, DEBUG with -vv."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(DocumentFilter())
    handler.setFormatter(JsonFormatter() if json_logs else _TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    level = logging.WARNING if verbosity <= 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    root.setLevel(level)
    if verbosity < 3:
        logging.getLogger("pikepdf").setLevel(max(level, logging.WARNING))
        # fontTools warns about every embedded subset font LibreOffice stamps with a zero date.
        logging.getLogger("fontTools").setLevel(logging.ERROR)
