"""Logging for qujat's command-line programs: the current document on every record, text or JSON lines,
to stderr or a file.

The library itself adds no handlers; only the command-line entry points call `configure` (``qujat
convert`` here, ``qujat watch``/``batch``/``worker`` through `watch`). `document` marks the records
made while one document is in hand, so interleaved logs of parallel work stay readable.
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

__all__ = ["DocumentFilter", "JsonFormatter", "TextFormatter", "configure", "document"]

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
    """Adds ``record.document`` (unless the record already names one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "document", ""):
            record.document = _document.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, document, message (and exception)."""

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


class TextFormatter(logging.Formatter):
    """``[time ]LEVEL: [document] message``; the level only for warnings and worse."""

    def __init__(self, *, timestamps: bool = False) -> None:
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


def configure(
    *,
    level: int = logging.WARNING,
    json_logs: bool = False,
    log_file: Path | None = None,
    quiet: dict[str, int] | None = None,
) -> None:
    """Send log records to *log_file* (appending, with timestamps) or stderr.

    Args:
        level: The root level.
        json_logs: JSON lines instead of text.
        log_file: A file to append to instead of stderr.
        quiet: Logger name → level, for libraries too chatty at *level*.
    """
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(DocumentFilter())
    handler.setFormatter(JsonFormatter() if json_logs else TextFormatter(timestamps=log_file is not None))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # fontTools warns about every embedded subset font LibreOffice stamps with a zero date; pikepdf about
    # every old-style metadata date it reads. The report carries what matters.
    defaults = {"fontTools": logging.ERROR, "pikepdf": logging.ERROR} if level > logging.DEBUG else {}
    for name, lvl in {**defaults, **(quiet or {})}.items():
        logging.getLogger(name).setLevel(lvl)
