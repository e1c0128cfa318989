"""The job journal: the source of truth for watched folders and batches (SQLite in WAL mode).

A job per input, keyed by the sha256 taken at intake. States move::

    pending → claimed → converted → placed
                              └──→ quarantined
    (pending → gone: the file was removed before it was taken)

``converted`` means the conversion finished and its *plan* (where every output, the report and the
original go, or the quarantine) is durable in the journal; routing then runs the plan idempotently, so a
process killed half-way through placing finishes the same plan after a restart, under the same names.
A claim names its owner and expires; start-up (under the single-daemon lock) returns every claim to
``pending``. Each job keeps events (received, identified, converted, validated, placed, quarantined ...)
with time, tool versions and outcome: the provenance log `export_jsonl` writes.

Every write is a short transaction with ``synchronous=FULL``: a state the journal reports survives a
power cut. One connection is shared by the threads of one process, behind a lock.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

log = logging.getLogger(__name__)

__all__ = ["Job", "JobState", "Journal", "TERMINAL"]

SCHEMA_VERSION = 1


class JobState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    CONVERTED = "converted"
    PLACED = "placed"
    QUARANTINED = "quarantined"
    GONE = "gone"


TERMINAL = frozenset({JobState.PLACED, JobState.QUARANTINED, JobState.GONE})
ACTIVE = (JobState.PENDING, JobState.CLAIMED, JobState.CONVERTED)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    source TEXT NOT NULL,
    rel TEXT NOT NULL,
    route TEXT NOT NULL,
    profile TEXT NOT NULL,
    pdfa TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT,
    claim_expires REAL,
    duplicate_of INTEGER,
    exit_name TEXT,
    message TEXT,
    findings TEXT,
    plan TEXT,
    outputs TEXT,
    original TEXT,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_key ON jobs (sha256, profile, pdfa);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state);
CREATE INDEX IF NOT EXISTS jobs_source ON jobs (source);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs (id),
    time TEXT NOT NULL,
    event TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL,
    versions TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_job ON events (job_id);
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class Job:
    """One input as the journal knows it.

    Attributes:
        id: The job number.
        sha256: Of the input's bytes at intake; with profile and pdfa, the key that finds duplicates.
        source: Where the input was found (inbox or batch source tree).
        rel: Its path relative to the inbox or source root (outputs mirror it).
        route: The route's name (``batch`` for batches).
        profile: Conversion profile.
        pdfa: PDF/A flavour.
        size: Size at intake.
        mtime_ns: Modification time at intake.
        state: `JobState`.
        attempts: How many times it was claimed.
        duplicate_of: The job whose conversion this one reuses, if any.
        exit_name: The converter's exit-code name once known.
        message: The converter's (or qujat's) message.
        findings: Finding codes.
        plan: What routing does (see `watch.jobs`).
        outputs: Paths of the placed outputs.
        original: Where the original is kept.
    """

    id: int
    sha256: str
    source: str
    rel: str
    route: str
    profile: str
    pdfa: str
    size: int
    mtime_ns: int
    state: JobState
    attempts: int = 0
    claimed_by: str | None = None
    duplicate_of: int | None = None
    exit_name: str | None = None
    message: str | None = None
    findings: tuple[str, ...] = ()
    plan: dict[str, Any] | None = None
    outputs: tuple[str, ...] = ()
    original: str | None = None
    created: float = 0.0
    updated: float = 0.0

    @property
    def name(self) -> str:
        return Path(self.rel).name


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _row(r: sqlite3.Row) -> Job:
    return Job(
        id=r["id"],
        sha256=r["sha256"],
        source=r["source"],
        rel=r["rel"],
        route=r["route"],
        profile=r["profile"],
        pdfa=r["pdfa"],
        size=r["size"],
        mtime_ns=r["mtime_ns"],
        state=JobState(r["state"]),
        attempts=r["attempts"],
        claimed_by=r["claimed_by"],
        duplicate_of=r["duplicate_of"],
        exit_name=r["exit_name"],
        message=r["message"],
        findings=tuple(json.loads(r["findings"] or "[]")),
        plan=json.loads(r["plan"]) if r["plan"] else None,
        outputs=tuple(json.loads(r["outputs"] or "[]")),
        original=r["original"],
        created=r["created"],
        updated=r["updated"],
    )


class Journal:
    """The SQLite journal. Thread-safe within one process; several processes may open it (WAL).

    Args:
        path: The database file (created with its folder).
        busy_timeout_s: How long a write waits for another process's transaction.
    """

    def __init__(self, path: Path, *, busy_timeout_s: float = 30.0) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
        )
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: a transaction the journal reported committed is on disk even after a power cut.
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.executescript(_SCHEMA)
        with self._tx() as db:
            db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions ----------------------------------------------------------------------------------

    class _Tx:
        def __init__(self, journal: Journal) -> None:
            self.j = journal

        def __enter__(self) -> sqlite3.Connection:
            self.j._lock.acquire()
            try:
                self.j._db.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.j._lock.release()
                raise
            return self.j._db

        def __exit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
            try:
                self.j._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
            finally:
                self.j._lock.release()

    def _tx(self) -> Journal._Tx:
        return Journal._Tx(self)

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._db.execute(sql, args))

    # -- reading ---------------------------------------------------------------------------------------

    def get(self, job_id: int) -> Job | None:
        rows = self._query("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return _row(rows[0]) if rows else None

    def jobs(self, *states: JobState) -> list[Job]:
        """Jobs in any of *states* (all jobs without arguments), oldest first."""
        if states:
            marks = ",".join("?" * len(states))
            rows = self._query(f"SELECT * FROM jobs WHERE state IN ({marks}) ORDER BY id", tuple(states))
        else:
            rows = self._query("SELECT * FROM jobs ORDER BY id")
        return [_row(r) for r in rows]

    def latest_for_source(self, source: Path) -> Job | None:
        rows = self._query("SELECT * FROM jobs WHERE source = ? ORDER BY id DESC LIMIT 1", (str(source),))
        return _row(rows[0]) if rows else None

    def active_sources(self) -> set[str]:
        """Sources of jobs not yet finished: the scan leaves these files alone."""
        marks = ",".join("?" * len(ACTIVE))
        return {r[0] for r in self._query(f"SELECT source FROM jobs WHERE state IN ({marks})", ACTIVE)}

    def first_with_key(self, job: Job) -> Job | None:
        """The earliest other job over the same bytes, profile and flavour that did not vanish."""
        rows = self._query(
            "SELECT * FROM jobs WHERE sha256 = ? AND profile = ? AND pdfa = ? AND id < ? AND state != ? "
            "AND duplicate_of IS NULL ORDER BY id LIMIT 1",
            (job.sha256, job.profile, job.pdfa, job.id, JobState.GONE),
        )
        return _row(rows[0]) if rows else None

    def counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self._query("SELECT state, COUNT(*) FROM jobs GROUP BY state")}

    def events(self, job_id: int | None = None) -> list[dict[str, Any]]:
        sql = (
            "SELECT e.*, j.sha256, j.rel, j.route, j.source FROM events e JOIN jobs j ON j.id = e.job_id"
            + (" WHERE e.job_id = ?" if job_id is not None else "")
            + " ORDER BY e.id"
        )
        out = []
        for r in self._query(sql, (job_id,) if job_id is not None else ()):
            out.append(
                {
                    "job": r["job_id"],
                    "time": r["time"],
                    "event": r["event"],
                    "outcome": r["outcome"],
                    "route": r["route"],
                    "name": r["rel"],
                    "source": r["source"],
                    "sha256": r["sha256"],
                    "detail": json.loads(r["detail"]),
                    "versions": json.loads(r["versions"]),
                }
            )
        return out

    def export_jsonl(self, out: IO[str]) -> int:
        """Write every event as one JSON line (the provenance log); returns how many."""
        n = 0
        for e in self.events():
            out.write(json.dumps(e, ensure_ascii=False) + "\n")
            n += 1
        return n

    # -- writing ---------------------------------------------------------------------------------------

    def add(
        self,
        *,
        sha256: str,
        source: Path,
        rel: str,
        route: str,
        profile: str,
        pdfa: str,
        size: int,
        mtime_ns: int,
        detail: dict[str, Any] | None = None,
    ) -> Job:
        """Record a new input as a pending job, with its ``received`` event."""
        now = time.time()
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO jobs (sha256, source, rel, route, profile, pdfa, size, mtime_ns, state, "
                "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (sha256, str(source), rel, route, profile, pdfa, size, mtime_ns, JobState.PENDING, now, now),
            )
            job_id = int(cur.lastrowid or 0)
            self._event(db, job_id, "received", "ok", {"size": size, **(detail or {})})
        job = self.get(job_id)
        assert job is not None
        return job

    def event(
        self,
        job_id: int,
        event: str,
        outcome: str,
        detail: dict[str, Any] | None = None,
        versions: dict[str, Any] | None = None,
    ) -> None:
        with self._tx() as db:
            self._event(db, job_id, event, outcome, detail or {}, versions or {})

    @staticmethod
    def _event(
        db: sqlite3.Connection,
        job_id: int,
        event: str,
        outcome: str,
        detail: dict[str, Any],
        versions: dict[str, Any] | None = None,
    ) -> None:
        db.execute(
            "INSERT INTO events (job_id, time, event, outcome, detail, versions) VALUES (?, ?, ?, ?, ?, ?)",
            (
                job_id,
                _now_iso(),
                event,
                outcome,
                json.dumps(detail, ensure_ascii=False, default=str),
                json.dumps(versions or {}, ensure_ascii=False),
            ),
        )

    def claim_next(
        self, owner: str, ttl_s: float, *, skip: set[int] | frozenset[int] = frozenset()
    ) -> Job | None:
        """Claim the oldest pending (or converted and unclaimed) job not in *skip*; None if there is none."""
        now = time.time()
        with self._tx() as db:
            rows = list(
                db.execute(
                    "SELECT id, state FROM jobs WHERE (state = ? OR (state = ? AND claimed_by IS NULL)) "
                    "ORDER BY id LIMIT ?",
                    (JobState.PENDING, JobState.CONVERTED, len(skip) + 1),
                )
            )
            pick = next((r for r in rows if r["id"] not in skip), None)
            if pick is None:
                return None
            new_state = JobState.CLAIMED if pick["state"] == JobState.PENDING else JobState.CONVERTED
            db.execute(
                "UPDATE jobs SET state = ?, attempts = attempts + 1, claimed_by = ?, claim_expires = ?, "
                "updated = ? WHERE id = ?",
                (new_state, owner, now + ttl_s, now, pick["id"]),
            )
        return self.get(pick["id"])

    def claim(self, job_id: int, owner: str, ttl_s: float) -> Job | None:
        """Claim one given job if it is pending or unclaimed-converted."""
        now = time.time()
        with self._tx() as db:
            r = db.execute("SELECT state, claimed_by FROM jobs WHERE id = ?", (job_id,)).fetchone()
            if r is None:
                return None
            if r["state"] == JobState.PENDING:
                new_state = JobState.CLAIMED
            elif r["state"] == JobState.CONVERTED and r["claimed_by"] is None:
                new_state = JobState.CONVERTED
            else:
                return None
            db.execute(
                "UPDATE jobs SET state = ?, attempts = attempts + 1, claimed_by = ?, claim_expires = ?, "
                "updated = ? WHERE id = ?",
                (new_state, owner, now + ttl_s, now, job_id),
            )
        return self.get(job_id)

    def release(self, job_id: int, reason: str, *, counts: bool = True) -> None:
        """Give a claim back: a claimed job returns to pending, a converted one stays converted.

        Args:
            job_id: The job.
            reason: Recorded with the ``released`` event.
            counts: Whether the claim counts as an attempt; False when the document is not to blame
                (it waits for a duplicate, the disk is full, the daemon is stopping).
        """
        now = time.time()
        with self._tx() as db:
            db.execute(
                "UPDATE jobs SET state = CASE WHEN state = ? THEN ? ELSE state END, claimed_by = NULL, "
                "claim_expires = NULL, attempts = attempts - ?, updated = ? WHERE id = ? AND state IN (?, ?)",
                (
                    JobState.CLAIMED,
                    JobState.PENDING,
                    0 if counts else 1,
                    now,
                    job_id,
                    JobState.CLAIMED,
                    JobState.CONVERTED,
                ),
            )
            self._event(db, job_id, "released", "retry", {"reason": reason})

    def reclaim(self, *, all_claims: bool = False) -> int:
        """Return expired claims (all of them with *all_claims*: start-up) to the queue; returns how many."""
        now = time.time()
        cond = "claimed_by IS NOT NULL" if all_claims else "claimed_by IS NOT NULL AND claim_expires < ?"
        args: tuple[Any, ...] = () if all_claims else (now,)
        with self._tx() as db:
            rows = list(db.execute(f"SELECT id, claimed_by FROM jobs WHERE {cond}", args))
            for r in rows:
                db.execute(
                    "UPDATE jobs SET state = CASE WHEN state = ? THEN ? ELSE state END, claimed_by = NULL, "
                    "claim_expires = NULL, updated = ? WHERE id = ?",
                    (JobState.CLAIMED, JobState.PENDING, now, r["id"]),
                )
                self._event(db, r["id"], "reclaimed", "retry", {"previous_owner": r["claimed_by"]})
        return len(rows)

    def set_sha(self, job_id: int, sha256: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE jobs SET sha256 = ?, updated = ? WHERE id = ?", (sha256, time.time(), job_id))

    def converted(
        self,
        job_id: int,
        plan: dict[str, Any],
        *,
        exit_name: str,
        message: str,
        findings: list[str],
        duplicate_of: int | None = None,
        events: Sequence[tuple[str, str, dict[str, Any], dict[str, Any]]] = (),
    ) -> Job:
        """Record the conversion's verdict and the routing plan, with its events, in one transaction."""
        with self._tx() as db:
            db.execute(
                "UPDATE jobs SET state = ?, plan = ?, exit_name = ?, message = ?, findings = ?, "
                "duplicate_of = ?, updated = ? WHERE id = ?",
                (
                    JobState.CONVERTED,
                    json.dumps(plan, ensure_ascii=False),
                    exit_name,
                    message,
                    json.dumps(findings),
                    duplicate_of,
                    time.time(),
                    job_id,
                ),
            )
            for event, outcome, detail, versions in events:
                self._event(db, job_id, event, outcome, detail, versions)
        job = self.get(job_id)
        assert job is not None
        return job

    def finish(
        self,
        job_id: int,
        state: JobState,
        *,
        outputs: Sequence[str] = (),
        original: str | None = None,
        detail: dict[str, Any] | None = None,
        exit_name: str | None = None,
        message: str | None = None,
    ) -> None:
        """Move a job to a terminal state with its event (``placed``, ``quarantined`` or ``gone``)."""
        assert state in TERMINAL
        with self._tx() as db:
            db.execute(
                "UPDATE jobs SET state = ?, outputs = ?, original = ?, claimed_by = NULL, "
                "claim_expires = NULL, exit_name = COALESCE(?, exit_name), "
                "message = COALESCE(?, message), updated = ? WHERE id = ?",
                (
                    state,
                    json.dumps(list(outputs), ensure_ascii=False),
                    original,
                    exit_name,
                    message,
                    time.time(),
                    job_id,
                ),
            )
            self._event(
                db,
                job_id,
                str(state),
                "ok" if state is JobState.PLACED else str(state),
                {"outputs": list(outputs), "original": original, **(detail or {})},
            )

    def retry(self, job_id: int, source: Path) -> bool:
        """Send a quarantined job back to the queue, its input now at *source*; False if not quarantined."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE jobs SET state = ?, source = ?, plan = NULL, attempts = 0, claimed_by = NULL, "
                "duplicate_of = NULL, updated = ? WHERE id = ? AND state = ?",
                (JobState.PENDING, str(source), time.time(), job_id, JobState.QUARANTINED),
            )
            if cur.rowcount:
                self._event(db, job_id, "retried", "ok", {"source": str(source)})
            return bool(cur.rowcount)
