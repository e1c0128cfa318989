"""``qujat batch``: convert a tree into a mirrored tree, in parallel, resumably.

The journal lives in ``DST/.qujat/`` with the private staging area. A run first takes every file of the
source tree into the journal (a file the journal already knows, unchanged, keeps its job: finished
documents are never converted again), then runs the jobs over a `converter.Converter` pool, showing
progress on a terminal, and ends with ``DST/reports/summary.csv``, ``documents.csv`` and
``summary.html``. Killed (Ctrl-C, SIGTERM, kill -9) and run again with the same arguments, it carries
on where it stopped. Sources are only read: quarantined inputs are copied to ``DST/quarantine/``.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from converter import BadArgsError, Converter, Flavour, OutputFileError, Profile, sha256_file
from watch._dispatch import Dispatcher
from watch._fs import Placer, default_placer, hold_lock, sweep_partials, use_private_tmp, walk_inputs
from watch.jobs import Outcome, Processor, Target
from watch.journal import TERMINAL, Job, JobState, Journal
from watch.summary import Summary, summarize, write_summary

log = logging.getLogger(__name__)

__all__ = ["BatchOptions", "BatchResult", "run_batch"]

STATE_DIR = ".qujat"
_TICK_S = 0.05


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchOptions:
    """What ``qujat batch`` was asked to do.

    Attributes:
        src: The source tree (only read).
        dst: The output tree (mirrors *src*; holds the journal, reports and quarantine).
        profile: Conversion profile for every document.
        pdfa: PDF/A flavour.
        workers: LibreOffice workers (0: CPU count).
        timeout_s: LibreOffice's deadline per document.
        sandbox: LibreOffice sandbox mode.
        retry_failed: Convert again the inputs an earlier run quarantined.
        max_attempts: A document whose conversion keeps being interrupted is quarantined after this.
        broker: Broker URL: convert on ``qujat worker`` hosts through it instead of locally (see
            `watch.distributed`); *workers* then counts documents on the broker (twice as many at once).
        result_backend: Where workers store results (default: the Redis broker).
    """

    src: Path
    dst: Path
    profile: Profile = Profile.FINAL
    pdfa: Flavour = Flavour.PDFA_2B
    workers: int = 0
    timeout_s: float = 120.0
    sandbox: str = "auto"
    retry_failed: bool = False
    max_attempts: int = 5
    broker: str | None = None
    result_backend: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchResult:
    """How a batch ended.

    Attributes:
        summary: Counts over every input of this run (including those finished by earlier runs).
        reports: The summary files written.
        interrupted: Stopped by a signal before the end.
        disk_full: Stopped because an output disk filled up.
        resumed: Inputs finished by an earlier run and not touched now.
        seconds: Wall time of this run.
    """

    summary: Summary
    reports: tuple[Path, ...]
    interrupted: bool
    disk_full: bool
    resumed: int
    seconds: float


class _Progress:
    """A progress bar with ETA and per-outcome counts, on a terminal's stderr only."""

    def __init__(self, total: int, done_before: int, stream: TextIO | None) -> None:
        self.total = total
        self.done_before = done_before
        self.stream = stream
        self.counts: dict[str, int] = {}
        self.t0 = time.monotonic()
        self.last = 0.0

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1
        self.draw()

    def draw(self, *, force: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.2:
            return
        self.last = now
        done_now = sum(self.counts.values())
        done = self.done_before + done_now
        width = 24
        fill = int(width * done / self.total) if self.total else width
        eta = ""
        if done_now and done < self.total:
            secs = (now - self.t0) / done_now * (self.total - done)
            eta = f" ETA {int(secs // 60)}m{int(secs % 60):02d}s"
        counts = " ".join(f"{k} {v}" for k, v in sorted(self.counts.items()))
        before = f" (earlier runs {self.done_before})" if self.done_before else ""
        self.stream.write(
            f"\r\033[K[{'#' * fill}{'.' * (width - fill)}] {done}/{self.total}{before} {counts}{eta}"
        )
        self.stream.flush()

    def clear(self) -> None:
        if self.stream is not None:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _check_paths(src: Path, dst: Path) -> None:
    if not src.is_dir():
        raise BadArgsError(
            f"source {src} is not a folder", tip="qujat batch SRC DST: SRC is a folder of documents"
        )
    if src == dst:
        raise BadArgsError(
            "source and destination are the same folder", tip="give an empty or new DST folder"
        )
    if src.is_relative_to(dst):
        raise BadArgsError(
            f"the source {src} is inside the destination {dst}",
            tip="outputs would mix with inputs; pick a DST outside SRC",
        )


def _intake(journal: Journal, opts: BatchOptions, src: Path, dst: Path) -> list[int]:
    """One job id per input file of the tree, reusing the journal's job for every unchanged file."""
    ids: list[int] = []
    for path in walk_inputs(src, skip=dst if dst.is_relative_to(src) else None):
        try:
            st = path.stat()
        except OSError as e:
            log.warning("cannot read %s: %s; skipped", path, e.strerror or e)
            continue
        rel = path.relative_to(src).as_posix()
        known = journal.latest_for_source(path)
        if (
            known is not None
            and known.state is not JobState.GONE
            and (known.size, known.mtime_ns, known.profile, known.pdfa)
            == (st.st_size, st.st_mtime_ns, str(opts.profile), str(opts.pdfa))
        ):
            if opts.retry_failed and known.state is JobState.QUARANTINED:
                journal.retry(known.id, path)
            ids.append(known.id)
            continue
        try:
            sha = sha256_file(path)
        except OSError as e:
            log.warning("cannot read %s: %s; skipped", path, e.strerror or e)
            continue
        job = journal.add(
            sha256=sha,
            source=path,
            rel=rel,
            route="batch",
            profile=str(opts.profile),
            pdfa=str(opts.pdfa),
            size=st.st_size,
            mtime_ns=st.st_mtime_ns,
        )
        ids.append(job.id)
    return ids


def run_batch(
    opts: BatchOptions,
    *,
    converter: Converter | None = None,
    stop: threading.Event | None = None,
    progress: TextIO | None = None,
    placer: Placer = default_placer,
    private_tmp: bool = False,
) -> BatchResult:
    """Convert the tree *opts.src* into *opts.dst*; resumable.

    Args:
        opts: `BatchOptions`.
        converter: A converter to use (default: one started here with ``opts.workers``).
        stop: Set it (from a signal handler) to stop claiming and finish the documents in hand.
        progress: Stream for the progress bar (None: no bar).
        placer: Durable copy into the destination (tests inject a full disk here).
        private_tmp: Keep the converter's temp folders in ``DST/.qujat/tmp``, cleared at start-up (the
            command line sets it; it changes a process-wide setting).

    Returns:
        A `BatchResult`; its summary counts every input of the tree.

    Raises:
        BadArgsError: SRC is not a folder, or SRC and DST overlap wrongly.
        OutputFileError: Another ``qujat batch`` is writing into DST.
        MissingDependencyError: LibreOffice is missing.
    """
    t0 = time.monotonic()
    src, dst = opts.src.resolve(), opts.dst.resolve()
    _check_paths(src, dst)
    state = dst / STATE_DIR
    lock = hold_lock(state / "lock")
    if lock is None:
        raise OutputFileError(
            f"another qujat batch is writing into {dst}", tip="wait for it to finish, or choose another DST"
        )
    stop = stop or threading.Event()
    own_converter = converter is None
    journal = Journal(state / "journal.sqlite")
    try:
        sweep_partials([dst])
        if private_tmp:
            use_private_tmp(state / "tmp")
        reclaimed = journal.reclaim(all_claims=True)
        if reclaimed:
            log.info("resuming: %d document(s) a stopped run had in hand go back to the queue", reclaimed)
        ids = _intake(journal, opts, src, dst)
        id_set = set(ids)
        done_before = sum(1 for j in journal.jobs(*TERMINAL) if j.id in id_set)
        # Pending jobs over other trees or older versions of a file are not this run's work; a later run
        # over their tree takes those files again (intake treats a gone job as unknown). Jobs already
        # converted are finished here: only their placing was left.
        for j in journal.jobs(JobState.PENDING):
            if j.id not in id_set:
                journal.finish(j.id, JobState.GONE, detail={"reason": "not in this run's source tree"})
        staging = state / "staging"
        remaining = len(ids) - done_before
        if converter is None and remaining and opts.broker:
            from watch.distributed import remote_converter

            converter = remote_converter(
                opts.broker,
                area=state / "remote",
                backend=opts.result_backend,
                inflight=opts.workers,
                stop=stop,
                active_keys=lambda: {
                    f"{j.sha256}-{j.profile}-{j.pdfa}" for j in journal.jobs(JobState.CONVERTED)
                },
            )
        if converter is None and remaining:
            converter = Converter(workers=opts.workers or None, sandbox=opts.sandbox)
        log.info(
            "%d input(s): %d finished by an earlier run, %d to convert", len(ids), done_before, remaining
        )
        disk_full = threading.Event()

        def result() -> BatchResult:
            summary = summarize([j for j in journal.jobs() if j.id in id_set])
            reports = write_summary(summary, dst / "reports", title=f"qujat batch: {src.name}")
            return BatchResult(
                summary=summary,
                reports=tuple(reports),
                interrupted=stop.is_set(),
                disk_full=disk_full.is_set(),
                resumed=done_before,
                seconds=time.monotonic() - t0,
            )

        if not remaining or converter is None:
            return result()  # nothing to convert: no engine started
        bar = _Progress(len(ids), done_before, progress)
        finished: set[int] = set()

        def on_outcome(job: Job, outcome: Outcome) -> None:
            if outcome in (Outcome.PLACED, Outcome.DUPLICATE, Outcome.QUARANTINED, Outcome.GONE):
                if job.id in id_set and job.id not in finished:
                    finished.add(job.id)
                    bar.add("converted" if outcome is Outcome.PLACED else str(outcome))
            elif outcome is Outcome.DISK_FULL:
                disk_full.set()

        processor = Processor(
            journal,
            converter,
            staging_root=staging,
            target=lambda job: Target(
                out_dir=dst / Path(job.rel).parent,
                quarantine=dst / "quarantine" / job.rel,
                originals_dir=None,
            ),
            timeout_s=opts.timeout_s,
            max_attempts=opts.max_attempts,
            placer=placer,
            stopping=stop,
        )
        workers = converter.workers
        disp = Dispatcher(
            journal,
            processor,
            slots=workers * 2,  # one converting and one post-processing per worker
            claim_ttl_s=max(opts.timeout_s * 3, 600.0),
            on_outcome=on_outcome,
        )
        try:
            while len(finished) < remaining and not stop.is_set() and not disk_full.is_set():
                disp.pump()
                bar.draw()
                time.sleep(_TICK_S)
            if disk_full.is_set():
                log.error(
                    "the output disk is full: stopped after %d document(s); nothing partial was written. "
                    "Free some space and run the same command again to carry on",
                    len(finished),
                )
            if stop.is_set():
                log.warning("interrupted: finishing the %d document(s) in hand", disp.busy)
            disp.wait_idle()
        finally:
            bar.clear()
            disp.close()
        return result()
    finally:
        if own_converter and converter is not None:
            converter.close(kill=stop.is_set())
        journal.close()
        lock.close()


def print_summary(result: BatchResult, stream: TextIO = sys.stderr) -> None:
    s = result.summary
    parts = ", ".join(f"{k} {v}" for k, v in sorted(s.outcomes.items()))
    stream.write(f"{s.total} input(s): {parts}  ({result.seconds:.0f}s")
    stream.write(f"; {result.resumed} finished by an earlier run)\n" if result.resumed else ")\n")
    if s.exit_names:
        stream.write("quarantined: " + ", ".join(f"{k} {v}" for k, v in sorted(s.exit_names.items())) + "\n")
    if s.findings:
        top = sorted(s.findings.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
        stream.write("findings: " + ", ".join(f"{k} {v}" for k, v in top) + "\n")
    stream.write(f"summary: {', '.join(str(p) for p in result.reports)}\n")
