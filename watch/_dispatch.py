"""The claim loop shared by the daemon and batches: claim jobs from the journal up to a number of slots,
run them on threads, and turn their outcomes into waits, retries and a pause while a disk is full.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from watch._log import document
from watch.jobs import Outcome, Processor
from watch.journal import Job, Journal

log = logging.getLogger(__name__)

_WAIT_S = 0.5  # a job waiting for an earlier one over the same bytes looks again this soon
_RETRY_S = 5.0  # a job released after a failure inside qujat is not taken again sooner


def owner_id() -> str:
    """Who holds a claim: host, process and start time, so a restarted process never mistakes one."""
    return f"{socket.gethostname()}:{os.getpid()}:{int(time.time())}"


class Dispatcher:
    """Claims and runs jobs. Call `pump` often from one thread; `wait_idle` at the end.

    Args:
        journal: The journal.
        processor: Runs one claimed job.
        slots: Jobs in flight at once.
        claim_ttl_s: How long a claim lasts before it looks stale.
        retry_interval_s: While paused, how often one job tries again.
        on_outcome: Called (from `pump`'s thread) with each finished job and its outcome.
    """

    def __init__(
        self,
        journal: Journal,
        processor: Processor,
        *,
        slots: int,
        claim_ttl_s: float,
        retry_interval_s: float = 10.0,
        on_outcome: Callable[[Job, Outcome], None] | None = None,
    ) -> None:
        self.journal = journal
        self.processor = processor
        self.slots = max(1, slots)
        self.claim_ttl_s = claim_ttl_s
        self.retry_interval_s = retry_interval_s
        self.on_outcome = on_outcome
        self.owner = owner_id()
        self._executor = ThreadPoolExecutor(max_workers=self.slots, thread_name_prefix="qujat-job")
        self._in_flight: dict[int, tuple[Job, Future[Outcome]]] = {}
        self._deferred: dict[int, float] = {}
        self._paused_until: float | None = None
        self._lock = threading.Lock()

    @property
    def paused(self) -> bool:
        return self._paused_until is not None

    @property
    def busy(self) -> int:
        return len(self._in_flight)

    def exclude(self, job_ids: list[int]) -> None:
        """Never claim these jobs (a batch leaves other runs' jobs alone)."""
        self._deferred.update({jid: float("inf") for jid in job_ids})

    def pump(self, *, claim: bool = True) -> int:
        """Collect finished jobs, then claim new ones into free slots; returns how many finished."""
        finished = self._reap()
        if not claim:
            return finished
        now = time.monotonic()
        if self._paused_until is not None:
            if now < self._paused_until or self._in_flight:
                return finished
            # Try one job; its outcome lifts or renews the pause.
            self._claim_into_slots(limit=1)
            self._paused_until = now + self.retry_interval_s
            return finished
        self._claim_into_slots(limit=self.slots - len(self._in_flight))
        return finished

    def _claim_into_slots(self, limit: int) -> None:
        now = time.monotonic()
        self._deferred = {k: t for k, t in self._deferred.items() if t > now}
        for _ in range(max(0, limit)):
            skip = set(self._in_flight) | set(self._deferred)
            job = self.journal.claim_next(self.owner, self.claim_ttl_s, skip=skip)
            if job is None:
                return
            self._in_flight[job.id] = (job, self._executor.submit(self._run, job))

    def _run(self, job: Job) -> Outcome:
        with document(job.rel):
            return self.processor.process(job)

    def _reap(self) -> int:
        done = [(jid, jf) for jid, jf in self._in_flight.items() if jf[1].done()]
        for jid, (job, fut) in done:
            del self._in_flight[jid]
            outcome = fut.result()
            now = time.monotonic()
            if outcome is Outcome.WAIT:
                self._deferred[jid] = now + _WAIT_S
            elif outcome is Outcome.RETRY:
                self._deferred[jid] = now + _RETRY_S
            elif outcome is Outcome.DISK_FULL:
                if self._paused_until is None:
                    log.error(
                        "intake paused: an output or staging disk is full (or the engine is unavailable); "
                        "nothing partial was written; retrying every %g s",
                        self.retry_interval_s,
                    )
                self._paused_until = now + self.retry_interval_s
            elif self._paused_until is not None:
                log.warning("space is back: intake resumed")
                self._paused_until = None
            if self.on_outcome is not None:
                self.on_outcome(job, outcome)
        return len(done)

    def wait_idle(self, timeout_s: float | None = None) -> bool:
        """Wait for jobs in flight (without claiming more); True when none is left."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while self._in_flight:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            self._reap()
            time.sleep(0.05)
        return True

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
