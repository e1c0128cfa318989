"""The library entry points: `convert` for one document, `Converter` for a reusable engine pool."""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any

from converter._engine.launcher import Engine, LibreOffice
from converter._engine.pool import EnginePool
from converter._engine.worker import EngineError
from converter._pipeline import run_one, versions
from converter.exceptions import EngineFailedError, MissingDependencyError
from converter.options import ConvertOptions
from converter.result import ConversionResult

log = logging.getLogger(__name__)

__all__ = ["Converter", "convert"]


class Converter:
    """A pool of LibreOffice workers that converts documents; use it as a context manager.

    Args:
        workers: Worker processes, each with its own soffice (default: CPU count).
        max_jobs_per_worker: Recycle a worker after this many documents (bounds memory).
        max_rss_mb: Recycle a worker whose soffice grows past this (0: never).
        memory_limit_mb: Hard address-space limit of each soffice (0: none); a document that needs more
            fails with ``engine_crashed`` instead of exhausting the machine.
        sandbox: ``"auto"`` (bubblewrap where it starts), ``"require"`` or ``"off"``.
        odf_dialect: ``"strict"`` ODF 1.3 (default) or LibreOffice's ``"extended"`` dialect.
        engine: Replace the engine (tests pass a fake that hangs or crashes).
        work_dir: Folder for the workers' and the staging's temporary files (default: the system temp
            folder); removed on close.
        defaults: Default `ConvertOptions` fields for every call (profile, pdfa, output_dir, ...).

    Raises:
        MissingDependencyError: LibreOffice is not installed.

    Example:
        >>> with Converter(workers=2, profile="final") as c:
        ...     for result in c.convert_many(paths, output_dir="out"):
        ...         print(result.status, result.outputs)
    """

    def __init__(
        self,
        *,
        workers: int | None = None,
        max_jobs_per_worker: int = 200,
        max_rss_mb: int = 2048,
        memory_limit_mb: int = 4096,
        sandbox: str = "auto",
        odf_dialect: str = "strict",
        engine: Engine | None = None,
        work_dir: str | Path | None = None,
        **defaults: Any,
    ) -> None:
        self.defaults = ConvertOptions.make(odf_dialect=odf_dialect, **defaults)
        self.workers = workers or os.cpu_count() or 1
        if engine is None:
            lo = LibreOffice(sandbox=sandbox, odf_dialect=odf_dialect, memory_limit_mb=memory_limit_mb)
            if not Path(lo.soffice).exists():
                raise MissingDependencyError(
                    "LibreOffice is not installed (no soffice.bin found)",
                    tip="run 'make setup', or: apt-get install libreoffice-writer libreoffice-calc "
                    "libreoffice-impress python3-uno",
                )
            engine = lo
        self.engine = engine
        self._pool: EnginePool | None = EnginePool(
            engine,
            workers=self.workers,
            max_jobs=max_jobs_per_worker,
            max_rss_mb=max_rss_mb,
            work_root=Path(work_dir) if work_dir is not None else None,
        )
        self._versions = versions()

    def __enter__(self) -> Converter:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close(kill=exc_type is not None)

    @property
    def pool(self) -> EnginePool:
        if self._pool is None:
            raise RuntimeError("this Converter is closed")
        return self._pool

    def _options(self, overrides: dict[str, Any]) -> ConvertOptions:
        if not overrides:
            return self.defaults
        base = {
            "profile": self.defaults.profile,
            "pdfa": self.defaults.pdfa,
            "output_dir": self.defaults.output_dir,
            "quarantine_dir": self.defaults.quarantine_dir,
            "timeout_s": self.defaults.timeout_s,
            "overwrite": self.defaults.overwrite,
            "odf_dialect": self.defaults.odf_dialect,
            "limits": self.defaults.limits,
            "write_report": self.defaults.write_report,
            "output_stem": self.defaults.output_stem,
            "fidelity": self.defaults.fidelity,
            "review_policy": self.defaults.review_policy,
        }
        unknown = set(overrides) - set(base)
        if unknown:
            raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return ConvertOptions.make(**{**base, **overrides})

    def wait_ready(self) -> None:
        """Block until every worker has started (the first conversion then pays no start-up).

        Raises:
            EngineFailedError: No worker could start.
        """
        try:
            self.pool.wait_ready()
        except EngineError as e:
            raise EngineFailedError(f"LibreOffice could not be started: {e}") from e

    def convert(self, src: str | Path, **options: Any) -> ConversionResult:
        """Convert one document.

        Args:
            src: The input file.
            **options: `ConvertOptions` fields overriding the defaults (profile, pdfa, output_dir,
                quarantine_dir, timeout_s, overwrite, limits, write_report).

        Returns:
            The result; a document that could not be converted is a result with ``status`` quarantined
            and an ``exit_code``, not an exception.
        """
        return run_one(Path(src), self._options(options), self.pool, self._versions)

    def convert_many(self, sources: Iterable[str | Path], **options: Any) -> Iterator[ConversionResult]:
        """Convert documents in parallel over the pool, yielding each result as it completes.

        Sources are consumed lazily, with a bounded number in flight, so a generator over a huge tree
        is fine.
        """
        opts = self._options(options)
        pool = self.pool
        in_flight = self.workers * 2  # one converting and one post-processing per worker
        done: queue.Queue[Future[ConversionResult]] = queue.Queue()
        slots = threading.Semaphore(in_flight)

        def _finished(f: Future[ConversionResult]) -> None:
            done.put(f)
            slots.release()

        ex = ThreadPoolExecutor(max_workers=in_flight, thread_name_prefix="qujat-doc")
        try:
            submitted = 0
            for src in sources:
                while not slots.acquire(timeout=0.05):
                    while not done.empty():
                        submitted -= 1
                        yield done.get().result()
                fut = ex.submit(run_one, Path(src), opts, pool, self._versions)
                fut.add_done_callback(_finished)
                submitted += 1
            while submitted:
                submitted -= 1
                yield done.get().result()
        except GeneratorExit:
            # The caller stopped iterating: drop what has not started, let what is in flight finish.
            ex.shutdown(wait=True, cancel_futures=True)
            raise
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM): stop the engine now, so the documents in flight fail at once
            # instead of finishing first. The Converter is closed afterwards.
            ex.shutdown(wait=False, cancel_futures=True)
            self.close(kill=True)
            raise
        ex.shutdown(wait=True)

    def close(self, *, kill: bool = False) -> None:
        """Stop every worker; no soffice survives. ``kill=True`` stops them at once."""
        if self._pool is not None:
            self._pool.close(kill=kill)
            self._pool = None


def convert(src: str | Path, **options: Any) -> ConversionResult:
    """Convert one document with a one-worker engine started for the call.

    Args:
        src: The input file.
        **options: profile (``"final"``), pdfa (``"2b"``), output_dir (beside the input),
            timeout_s (120), overwrite (False), quarantine_dir, sandbox, odf_dialect, limits.

    Returns:
        The `ConversionResult` (also written as ``<stem>.qujat.json`` beside the outputs).
    """
    engine_keys = {"sandbox", "odf_dialect", "engine"}
    engine_opts = {k: options.pop(k) for k in list(options) if k in engine_keys}
    with Converter(workers=1, **engine_opts) as c:
        return c.convert(src, **options)
