"""``qujat watch``: the watched-folder daemon.

File-system events (watchdog; a polling observer for SMB/NFS) are hints; a periodic reconciliation scan
of every inbox finds what events missed, the backlog at start-up and files on shares where inotify is
blind. A file is taken only when complete: its size and mtime unchanged over the stability window, it
opens, and no Office (``~$name``) or LibreOffice (``.~lock.name#``) lock file sits beside it. Lock files
are never touched. Taking a file means hashing it and recording a pending job in the journal; from
there `watch.jobs` carries it to its outputs or to quarantine.

One daemon per journal: a kernel lock on ``state/daemon.lock`` (released even by kill -9), so at start-up
every claim in the journal is stale and goes back to the queue. On SIGTERM the daemon takes nothing new,
lets the documents in hand finish for ``shutdown_grace_seconds``, then stops the engine and returns their
claims.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from converter import Converter, OutputFileError, sha256_file
from watch._dispatch import Dispatcher
from watch._fs import (
    Placer,
    default_placer,
    hold_lock,
    is_disk_full,
    is_ignored,
    lock_file_beside,
    sweep_partials,
    use_private_tmp,
    walk_inputs,
)
from watch.config import Config, Route
from watch.jobs import Outcome, Processor, Target
from watch.journal import TERMINAL, Job, JobState, Journal

log = logging.getLogger(__name__)

__all__ = ["Daemon"]

_TICK_S = 0.1


@dataclass(slots=True)
class _Candidate:
    """A file seen in an inbox and not yet taken."""

    signature: tuple[int, int] | None
    since: float
    waiting_for_lock: bool = False


class _Hints(FileSystemEventHandler):
    """Turns file-system events into paths worth a look; the scan stays the source of truth."""

    def __init__(self, sink: queue.Queue[Path]) -> None:
        self.sink = sink

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("created", "modified", "closed"):
            self.sink.put(Path(str(event.src_path)))
        elif event.event_type == "moved":
            self.sink.put(Path(str(event.dest_path)))


class Daemon:
    """The watched-folder daemon; `run` blocks until `stop` is set.

    Args:
        cfg: A validated `Config`.
        converter: A converter to use (default: one started by `run` from the configuration).
        polling: Use a polling observer (overrides the configuration when given).
        placer: Durable copy into destinations (tests inject a full disk here).
        stop: Set it (from a signal handler) to shut down gracefully.
        private_tmp: Keep the converter's temp folders in ``state/tmp``, cleared at start-up (the
            command line sets it; it changes a process-wide setting).
    """

    def __init__(
        self,
        cfg: Config,
        *,
        converter: Converter | None = None,
        polling: bool | None = None,
        placer: Placer = default_placer,
        stop: threading.Event | None = None,
        private_tmp: bool = False,
    ) -> None:
        self.private_tmp = private_tmp
        self.cfg = cfg
        self.settings = cfg.daemon
        self.converter = converter
        self.polling = self.settings.polling if polling is None else polling
        self.placer = placer
        self.stop = stop or threading.Event()
        self._hints: queue.Queue[Path] = queue.Queue()
        self._candidates: dict[Path, _Candidate] = {}
        self._active: set[str] = set()
        self._left_alone: set[tuple[str, int, int]] = set()
        self._routes = {r.name: r for r in cfg.routes}
        self.ready = threading.Event()

    # -- targets ---------------------------------------------------------------------------------------

    def _target(self, job: Job) -> Target:
        route = self._routes[job.route]
        rel = Path(job.rel)
        src = Path(job.source)
        # A retried job's input already sits in quarantine: quarantined again, it stays where it is.
        quarantine = src if src.is_relative_to(self.cfg.quarantine) else self.cfg.quarantine / rel
        return Target(
            out_dir=route.output / rel.parent,
            quarantine=quarantine,
            originals_dir=self.cfg.originals / datetime.now().date().isoformat(),
        )

    # -- intake ----------------------------------------------------------------------------------------

    def _hint(self, path: Path) -> None:
        if path in self._candidates or str(path) in self._active:
            return
        route = self.cfg.route_of(path)
        if route is None:
            return
        rel = path.relative_to(route.inbox)
        if any(is_ignored(part) for part in rel.parts) or (not route.recursive and len(rel.parts) > 1):
            return
        if path.is_dir():
            for p in walk_inputs(path, recursive=route.recursive):
                self._hint(p)
            return
        self._candidates[path] = _Candidate(signature=None, since=time.monotonic())

    def _scan(self, journal: Journal) -> None:
        self._active = journal.active_sources()
        for route in self.cfg.routes:
            for path in walk_inputs(route.inbox, recursive=route.recursive):
                self._hint(path)

    def _intake(self, journal: Journal) -> None:
        now = time.monotonic()
        window = self.settings.stability_s
        for path, cand in list(self._candidates.items()):
            if str(path) in self._active:
                del self._candidates[path]
                continue
            try:
                st = path.stat()
            except OSError:
                del self._candidates[path]  # gone (renamed or taken away): a new event will bring it back
                continue
            sig = (st.st_size, st.st_mtime_ns)
            if cand.signature != sig:
                cand.signature, cand.since = sig, now
                continue
            if now - cand.since < window:
                continue
            lock = lock_file_beside(path)
            if lock is not None:
                if not cand.waiting_for_lock:
                    log.info("%s is open in an editor (lock file %s): waiting", path.name, lock.name)
                    cand.waiting_for_lock = True
                cand.since = now  # the window starts again once the editor lets go
                continue
            try:
                with path.open("rb") as f:
                    f.read(1)
            except OSError as e:
                log.debug("%s cannot be opened yet (%s)", path, e)
                cand.since = now
                continue
            key = (str(path), st.st_size, st.st_mtime_ns)
            if key in self._left_alone:
                del self._candidates[path]
                continue
            route = self.cfg.route_of(path)
            assert route is not None
            known = journal.latest_for_source(path)
            if (
                known is not None
                and known.state in TERMINAL
                and known.original == str(path)
                and (known.size, known.mtime_ns) == sig
            ):
                # Finished, but the original could not be moved away (read-only share): not new.
                self._left_alone.add(key)
                del self._candidates[path]
                continue
            self._take(journal, route, path, sig)
            del self._candidates[path]

    def _take(self, journal: Journal, route: Route, path: Path, sig: tuple[int, int]) -> None:
        try:
            sha = sha256_file(path)
        except OSError as e:
            log.warning("cannot read %s (%s); will look again", path, e.strerror or e)
            return
        rel = path.relative_to(route.inbox).as_posix()
        job = journal.add(
            sha256=sha,
            source=path,
            rel=rel,
            route=route.name,
            profile=str(route.profile),
            pdfa=str(route.pdfa),
            size=sig[0],
            mtime_ns=sig[1],
            detail={"route": route.name},
        )
        self._active.add(str(path))
        log.info("taken %s (route %s, job %d)", rel, route.name, job.id)

    # -- the loop --------------------------------------------------------------------------------------

    def _observer(self) -> BaseObserver:
        obs: BaseObserver = PollingObserver(timeout=1.0) if self.polling else Observer()
        handler = _Hints(self._hints)
        for r in self.cfg.routes:
            obs.schedule(handler, str(r.inbox), recursive=r.recursive)
        return obs

    def _on_outcome(self, job: Job, outcome: Outcome) -> None:
        if outcome in (Outcome.PLACED, Outcome.DUPLICATE, Outcome.QUARANTINED, Outcome.GONE):
            self._active.discard(job.source)

    def run(self) -> None:
        """Watch until `stop` is set, then shut down gracefully.

        Raises:
            OutputFileError: Another daemon runs with this journal.
            MissingDependencyError: LibreOffice is missing.
        """
        cfg, s = self.cfg, self.settings
        lock = hold_lock(cfg.state / "daemon.lock")
        if lock is None:
            raise OutputFileError(
                f"another qujat watch is running with the journal in {cfg.state}",
                tip="stop it first (systemctl stop qujat), or give this configuration its own state folder",
            )
        journal = Journal(cfg.journal_path)
        converter = self.converter
        observer: BaseObserver | None = None
        disp: Dispatcher | None = None
        try:
            sweep_partials([r.output for r in cfg.routes] + [cfg.originals, cfg.quarantine, cfg.reports])
            if self.private_tmp:
                use_private_tmp(cfg.state / "tmp")
            n = journal.reclaim(all_claims=True)
            if n:
                log.warning("resuming: %d job(s) a stopped daemon had in hand go back to the queue", n)
            if converter is None:
                converter = Converter(workers=s.workers or None, sandbox=s.sandbox)
            processor = Processor(
                journal,
                converter,
                staging_root=cfg.state / "staging",
                target=self._target,
                timeout_s=s.timeout_s,
                max_attempts=s.max_attempts,
                placer=self.placer,
                stopping=self.stop,
            )
            disp = Dispatcher(
                journal,
                processor,
                slots=converter.workers * 2,  # one converting and one post-processing per worker
                claim_ttl_s=s.claim_timeout_s,
                retry_interval_s=s.retry_interval_s,
                on_outcome=self._on_outcome,
            )
            orphans = [
                j.id
                for j in journal.jobs(JobState.PENDING, JobState.CONVERTED)
                if j.route not in self._routes
            ]
            if orphans:
                log.warning(
                    "%d job(s) belong to routes no longer configured; left pending: %s",
                    len(orphans),
                    ", ".join(map(str, orphans[:10])),
                )
                disp.exclude(orphans)
            observer = self._observer()
            try:
                observer.start()
            except OSError as e:
                # inotify refuses when its per-user watch limit is reached (ENOSPC, misleadingly): poll.
                log.warning("file-system events unavailable (%s); polling instead", e)
                self.polling = True
                observer = self._observer()
                observer.start()
            log.info(
                "watching %s (%s); %d worker(s); stability window %.1fs",
                ", ".join(f"{r.inbox} → {r.profile}" for r in cfg.routes),
                "polling" if self.polling else "events",
                converter.workers,
                s.stability_s,
            )
            self._scan(journal)
            next_scan = time.monotonic() + s.scan_interval_s
            backoff_until, failing = 0.0, False
            self.ready.set()
            while not self.stop.is_set():
                while True:
                    try:
                        self._hint(self._hints.get_nowait())
                    except queue.Empty:
                        break
                now = time.monotonic()
                if now < backoff_until:
                    disp.pump(claim=False)
                    self.stop.wait(_TICK_S)
                    continue
                try:
                    if now >= next_scan:
                        self._scan(journal)
                        next_scan = now + s.scan_interval_s
                    if not disp.paused:
                        self._intake(journal)
                    disp.pump()
                    if failing:
                        log.warning("the journal is writable again: intake resumed")
                        failing = False
                except Exception as e:  # noqa: BLE001 - the daemon never stops on one file or a full disk
                    # The journal itself cannot be written (its disk is full, or it is locked too long):
                    # wait a retry interval rather than spin and flood the log.
                    if not failing:
                        if is_disk_full(e) or isinstance(e, sqlite3.Error):
                            log.error(
                                "the journal cannot be written (%s): intake paused; retrying every %g s",
                                e,
                                s.retry_interval_s,
                            )
                        else:
                            log.exception("intake failed; will look again in %g s", s.retry_interval_s)
                    failing = True
                    backoff_until = time.monotonic() + s.retry_interval_s
                self.stop.wait(_TICK_S)
            log.info("stopping: taking nothing new; %d document(s) in hand", disp.busy)
        finally:
            self.ready.set()
            if observer is not None:
                observer.stop()
            if disp is not None:
                if not disp.wait_idle(s.shutdown_grace_s):
                    log.warning(
                        "documents still in hand after %.0fs: stopping the engine, releasing them",
                        s.shutdown_grace_s,
                    )
                    if converter is not None:
                        converter.close(kill=True)
                    disp.wait_idle(60.0)
                disp.close()
            if converter is not None and self.converter is None:
                converter.close()
            if observer is not None:
                observer.join(timeout=10)
            try:
                journal.reclaim(all_claims=True)
            finally:
                journal.close()
                lock.close()
            log.info("stopped")
