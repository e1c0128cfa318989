"""The engine pool: N worker slots, each a long-lived thread that owns one worker process.

Callers block in `EnginePool.run` while a slot converts their document; several callers run at once,
so post-processing of one document overlaps the engine work of the next. A slot restarts its worker
after a timeout or crash, recycles it after ``max_jobs`` conversions or when soffice grows past
``max_rss_mb``, and probes it through the UNO bridge when it has been idle.

Slots start their processes from their own thread on purpose: the sandbox's ``--die-with-parent``
(PR_SET_PDEATHSIG) fires when the *thread* that spawned it exits, so a worker must be spawned by a
thread that lives as long as the worker.
"""

from __future__ import annotations

import logging
import queue
import shutil
import tempfile
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from converter._engine.launcher import Engine
from converter._engine.worker import (
    DocumentRejected,
    EngineCrashed,
    EngineError,
    EngineStartFailed,
    WorkerProcess,
)

log = logging.getLogger(__name__)

_IDLE_PROBE_S = 30.0
_PROBE_TIMEOUT_S = 15.0


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineJob:
    """One load of one document, storing every requested target.

    Attributes:
        source: The input file (copied into the worker's folder; the worker never sees the original).
        suffix: The extension LibreOffice should see (from identification, not the file name).
        targets: ``"odf"`` and/or ``"pdf"``.
        pdf_version: LibreOffice's SelectPdfVersion: 1, 2 or 3 (PDF/A-1b, -2b, -3b).
        import_filter: An explicit import filter (CSV), or None to let LibreOffice detect.
        filter_options: Import filter options.
        timeout_s: Deadline for the whole load-and-store.
    """

    source: Path
    suffix: str
    targets: tuple[str, ...]
    pdf_version: int = 2
    import_filter: str | None = None
    filter_options: str | None = None
    timeout_s: float = 120.0


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineResult:
    """What the engine produced: files moved into *staging* (owned by the caller from now on)."""

    kind: str
    files: dict[str, Path]
    metadata: dict[str, Any]
    stats: dict[str, Any]
    timings: dict[str, float]
    engine_version: str
    sandboxed: bool
    worker_restarts: int = 0
    staging: Path = field(default_factory=Path)


_STOP = object()


class _Slot(threading.Thread):
    def __init__(self, pool: EnginePool, index: int) -> None:
        super().__init__(name=f"qujat-engine-{index}", daemon=True)
        self.pool = pool
        self.index = index
        self.worker = WorkerProcess(pool.engine, pool.root / f"w{index}", index)
        self.ready = threading.Event()
        self.start_error: EngineError | None = None

    def run(self) -> None:
        try:
            self._ensure_started()
        except EngineError as e:
            self.start_error = e
        finally:
            self.ready.set()
        while True:
            item = self.pool._jobs.get()
            if item is _STOP:
                break
            job, fut, staging = item
            if not fut.set_running_or_notify_cancel():
                continue
            if self.pool._closed:
                fut.set_exception(EngineStartFailed("closed", "the engine pool is closed"))
                continue
            try:
                fut.set_result(self._convert(job, staging))
            except BaseException as e:  # noqa: BLE001 - every failure goes back to the caller
                fut.set_exception(e)
        self.worker.close()
        self.worker.cleanup()

    def _ensure_started(self) -> None:
        w = self.worker
        if w.alive and self._needs_recycle():
            log.info("worker %d: recycling after %d jobs", self.index, w.jobs_done)
            w.close()
        if w.alive and time.monotonic() - w.last_used > _IDLE_PROBE_S:
            try:
                w.request({"op": "ping"}, _PROBE_TIMEOUT_S)
            except EngineError as e:
                log.warning("worker %d: health probe failed (%s); restarting", self.index, e)
        if not w.alive:
            if self.pool._closed:
                raise EngineStartFailed("closed", "the engine pool is closed")
            w.start(self.pool.engine_startup_timeout)
            self.pool._count_start()
            started = getattr(self.pool.engine, "started", None)
            if started is not None:
                started(w.workdir)

    def _needs_recycle(self) -> bool:
        w = self.worker
        if w.jobs_done >= self.pool.max_jobs:
            return True
        if self.pool.max_rss_mb and w.jobs_done and w.jobs_done % 10 == 0:
            try:
                rss = int(w.request({"op": "ping"}, _PROBE_TIMEOUT_S).get("rss_kb", 0))
            except EngineError:
                return False  # it died; the caller restarts it
            if rss > self.pool.max_rss_mb * 1024:
                log.info("worker %d: soffice uses %d MiB; recycling", self.index, rss // 1024)
                return True
        return False

    def _convert(self, job: EngineJob, staging: Path) -> EngineResult:
        self._ensure_started()
        w = self.worker
        jobdir = w.workdir / "job"
        shutil.rmtree(jobdir, ignore_errors=True)
        jobdir.mkdir()
        src = jobdir / f"input{job.suffix}"
        shutil.copyfile(job.source, src)
        outs = {t: jobdir / f"output.{'odf' if t == 'odf' else 'pdf'}" for t in job.targets}
        req = {
            "op": "convert",
            "input": w.engine_path(src),
            "import_filter": job.import_filter,
            "filter_options": job.filter_options,
            "outputs": [
                {"target": t, "path": w.engine_path(p), "pdf_version": job.pdf_version}
                for t, p in outs.items()
            ],
        }
        try:
            reply = w.request(req, job.timeout_s)
        except EngineError:
            self.pool._count_failure()
            raise
        w.jobs_done += 1
        if not reply.get("ok"):
            raise DocumentRejected(str(reply.get("error", "engine_error")), str(reply.get("message", "")))
        files: dict[str, Path] = {}
        for target, path in outs.items():
            if not path.is_file() or path.stat().st_size == 0:
                raise EngineCrashed("no_output", f"LibreOffice reported success but wrote no {target} output")
            dest = staging / path.name
            shutil.move(path, dest)
            files[target] = dest
        shutil.rmtree(jobdir, ignore_errors=True)
        return EngineResult(
            kind=str(reply["kind"]),
            files=files,
            metadata=dict(reply.get("metadata") or {}),
            stats=dict(reply.get("stats") or {}),
            timings={k: float(v) for k, v in (reply.get("timings") or {}).items()},
            engine_version=w.version,
            sandboxed=w.sandboxed,
            staging=staging,
        )


class EnginePool:
    """A pool of engine workers.

    Args:
        engine: What to run in each worker (`converter._engine.launcher.LibreOffice`, or a fake).
        workers: Number of worker processes.
        max_jobs: Recycle a worker after this many conversions.
        max_rss_mb: Recycle a worker whose soffice grows past this resident size (0: never).
        startup_timeout_s: Time a worker may take to become ready.
        work_root: Folder for worker folders and staging (default: the system temp folder).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        workers: int = 1,
        max_jobs: int = 200,
        max_rss_mb: int = 2048,
        startup_timeout_s: float = 90.0,
        work_root: Path | None = None,
    ) -> None:
        self.engine = engine
        self.max_jobs = max_jobs
        self.max_rss_mb = max_rss_mb
        self.engine_startup_timeout = startup_timeout_s
        self.root = Path(tempfile.mkdtemp(prefix="qujat-", dir=work_root))
        self._jobs: queue.Queue[Any] = queue.Queue()
        self._lock = threading.Lock()
        self.starts = 0
        self.failures = 0
        self._closed = False
        self._slots = [_Slot(self, i) for i in range(max(1, workers))]
        for s in self._slots:
            s.start()

    def _count_start(self) -> None:
        with self._lock:
            self.starts += 1

    def _count_failure(self) -> None:
        with self._lock:
            self.failures += 1

    @property
    def size(self) -> int:
        """The number of worker slots."""
        return len(self._slots)

    @property
    def restarts(self) -> int:
        """How many times a worker was started beyond the first start of each slot."""
        return max(0, self.starts - len(self._slots))

    def wait_ready(self) -> None:
        """Block until every slot has tried its first start; raise if none could start."""
        for s in self._slots:
            s.ready.wait()
        errors = [s.start_error for s in self._slots if s.start_error is not None]
        if errors and len(errors) == len(self._slots):
            raise errors[0]

    def worker_pids(self) -> list[int]:
        return [pid for s in self._slots if (pid := s.worker.pid) is not None]

    def run(self, job: EngineJob) -> EngineResult:
        """Convert one document on the next free worker; blocks until done.

        Raises:
            EngineTimeout, EngineCrashed: The worker failed (it has been replaced).
            DocumentRejected: LibreOffice could not handle the document.
            EngineStartFailed: No worker could be started.
        """
        if self._closed:
            raise EngineStartFailed("closed", "the engine pool is closed")
        staging = Path(tempfile.mkdtemp(prefix="job-", dir=self.root))
        fut: Future[EngineResult] = Future()
        self._jobs.put((job, fut, staging))
        try:
            return fut.result()
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def close(self, *, kill: bool = False) -> None:
        """Stop every worker: politely, or at once with ``kill=True`` (on interrupt)."""
        if self._closed:
            return
        self._closed = True
        if kill:
            for s in self._slots:
                s.worker.signal_kill()
        for _ in self._slots:
            self._jobs.put(_STOP)
        for s in self._slots:
            s.join(timeout=30)
            if s.is_alive():
                s.worker.kill()
        shutil.rmtree(self.root, ignore_errors=True)
