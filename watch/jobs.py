"""One job's way through a watched folder or a batch: claim → (duplicate?) → snapshot → convert → plan →
route (place outputs, report and original, or quarantine).

The converter writes into a private staging folder per job, never into an output folder. Once the
conversion finished, the journal records a *plan* (every destination name, chosen once) before anything
is placed, and routing carries the plan out idempotently, each file through `converter.files`. A process
killed at any point therefore either redoes an unfinished conversion in staging (nothing was placed) or
finishes the same plan under the same names: nothing is placed twice, and no file appears half-written.
Originals are moved (watched folders) only after every output and the report are durable.

Problems with the environment (output disk full, engine that cannot start, shutdown in progress) are not
the document's fault: the job goes back to the queue and the caller is told to pause; only a verdict on
the document quarantines it.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from converter import ConversionResult, Converter, ExitCode, Status, sha256_file, write_bytes_atomic
from watch._fs import Placer, default_placer, free_name, is_disk_full, move_durably
from watch.journal import Job, JobState, Journal

log = logging.getLogger(__name__)

__all__ = ["Outcome", "Processor", "Target"]

REPORT_SUFFIX = ".qujat.json"


class Outcome(StrEnum):
    PLACED = "placed"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"
    GONE = "gone"
    WAIT = "wait"  # an earlier job over the same bytes is still under way
    RETRY = "retry"  # released: try again later (engine or qujat problem, or shutting down)
    DISK_FULL = "disk_full"  # released: an output or staging disk is full; pause intake


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """Where one job's files go.

    Attributes:
        out_dir: Folder for the outputs and the report (the input's subfolder mirrored).
        quarantine: Path the quarantined input takes (``<name>.reason.json`` beside it).
        originals_dir: Folder the original moves to once placed; None leaves it where it is (batch),
            and then a quarantined input is copied, not moved.
    """

    out_dir: Path
    quarantine: Path
    originals_dir: Path | None


@dataclass
class _Reservations:
    """Destination names chosen by plans not yet carried out: two jobs never pick the same name."""

    names: set[Path] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Processor:
    """Runs claimed jobs to their end. Safe to call from several threads at once.

    Args:
        journal: The journal.
        converter: A `converter.Converter` (its ``convert`` is thread-safe).
        staging_root: Private folder for snapshots and converter outputs, one subfolder per job.
        target: Where a job's files go.
        timeout_s: LibreOffice's deadline per document.
        max_attempts: A job claimed more often than this without finishing is quarantined.
        placer: Copies a finished file into its destination durably (tests inject a full disk here).
        stopping: Set while shutting down: engine failures then release the job instead of
            quarantining it.
    """

    def __init__(
        self,
        journal: Journal,
        converter: Converter,
        *,
        staging_root: Path,
        target: Callable[[Job], Target],
        timeout_s: float = 120.0,
        max_attempts: int = 5,
        placer: Placer = default_placer,
        stopping: threading.Event | None = None,
    ) -> None:
        self.journal = journal
        self.converter = converter
        self.staging_root = staging_root
        self.target = target
        self.timeout_s = timeout_s
        self.max_attempts = max_attempts
        self.placer = placer
        self.stopping = stopping or threading.Event()
        self._reserved = _Reservations()
        converted = journal.jobs(JobState.CONVERTED)
        for job in converted:
            self._reserved.names.update(Path(p) for p in _plan_destinations(job.plan))
        # Staging of any job not mid-routing is a killed attempt's leftover: it is redone from scratch.
        keep = {str(j.id) for j in converted}
        if staging_root.is_dir():
            for d in staging_root.iterdir():
                if d.name not in keep:
                    shutil.rmtree(d, ignore_errors=True)

    # -- entry -----------------------------------------------------------------------------------------

    def process(self, job: Job) -> Outcome:
        """Carry a claimed job as far as it goes; never raises for a problem with the document."""
        try:
            if job.state is JobState.CONVERTED:
                return self._route(job)
            return self._run(job)
        except Exception as e:  # noqa: BLE001 - one job's failure must not stop the daemon
            full = is_disk_full(e)
            if full:
                log.error(
                    "%s: cannot write (%s): the disk is full; the job is kept and retried when space returns",
                    job.rel,
                    e,
                )
            else:
                log.exception("%s: job %d failed inside qujat; it goes back to the queue", job.rel, job.id)
            try:
                self.journal.release(job.id, f"{type(e).__name__}: {e}", counts=not full)
            except Exception as e2:  # noqa: BLE001 - the journal's disk may be the full one
                log.error("cannot release job %d in the journal (%s); the restart will", job.id, e2)
            return Outcome.DISK_FULL if full else Outcome.RETRY

    def _staging(self, job: Job) -> Path:
        return self.staging_root / str(job.id)

    def _run(self, job: Job) -> Outcome:
        src = Path(job.source)
        if job.attempts > self.max_attempts:
            return self._plan_quarantine(
                job,
                None,
                {
                    "exit_name": ExitCode.child_process_error.name,
                    "exit_code": int(ExitCode.child_process_error),
                    "message": f"{job.name}: {job.attempts - 1} attempts to convert this document were cut "
                    "short (qujat stopped or failed while converting it); it may crash the engine or qujat "
                    "itself, so it was set aside. The log says more; 'qujat retry' tries again",
                    "findings": [],
                },
            )
        first = self.journal.first_with_key(job)
        if first is not None:
            if first.state in (JobState.PENDING, JobState.CLAIMED, JobState.CONVERTED):
                self.journal.release(job.id, f"waits for job {first.id} over the same bytes", counts=False)
                return Outcome.WAIT
            if first.state is JobState.QUARANTINED and first.plan:
                if not src.exists():
                    return self._gone(job)
                reason = dict(first.plan.get("reason", {}))
                reason["duplicate_of"] = first.id
                return self._plan_quarantine(job, None, reason, duplicate_of=first.id)
            if (
                first.state is JobState.PLACED
                and first.outputs
                and all(Path(p).exists() for p in first.outputs)
            ):
                if not src.exists():
                    return self._gone(job)
                return self._plan_duplicate(job, first)
        if not src.exists():
            return self._gone(job)
        staging = self._staging(job)
        shutil.rmtree(staging, ignore_errors=True)  # whatever a killed attempt left: ours, never placed
        snap = staging / "in" / src.name
        default_placer(src, snap)
        sha = sha256_file(snap)
        if sha != job.sha256:
            # Changed after intake despite the stability window: convert what we hold, keyed by its bytes.
            log.warning("%s changed after it was taken; converting the bytes read now", job.rel)
            self.journal.set_sha(job.id, sha)
            job = self.journal.get(job.id) or job
        r = self.converter.convert(
            snap,
            profile=job.profile,
            pdfa=job.pdfa,
            output_dir=staging / "out",
            quarantine_dir=staging / "rejected",
            overwrite=True,
            timeout_s=self.timeout_s,
        )
        env = self._environmental(r)
        if env is not None:
            outcome, why = env
            log.warning("%s: %s; the job goes back to the queue", job.rel, why)
            self.journal.release(job.id, why, counts=False)
            return outcome
        identified = {
            "format": r.input_format,
            "kind": r.kind,
            "size": r.input_size,
            "encrypted": r.encrypted,
            "macros": r.macros,
            "signed": r.signed,
        }
        versions = {
            **r.versions,
            **({"engine": f"{r.engine.get('name')} {r.engine.get('version')}"} if r.engine else {}),
        }
        events: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
            ("identified", "ok" if r.input_format != "unknown" else "failed", identified, {}),
            (
                "converted",
                "ok" if r.status is Status.CONVERTED else "failed",
                {
                    "exit_name": r.exit_code.name,
                    "message": r.message,
                    "timings": r.timings,
                    "engine": r.engine,
                },
                versions,
            ),
        ]
        if r.outputs or r.quarantined:
            events.append(
                (
                    "validated",
                    "ok" if r.outputs and all(o.valid for o in r.outputs) and not r.quarantined else "failed",
                    {
                        "outputs": [
                            {"format": o.format, "valid": o.valid, "pdfa": o.pdfa_flavour, "sha256": o.sha256}
                            for o in r.outputs
                        ],
                        "rejected": [p.name for p in r.quarantined],
                    },
                    {},
                )
            )
        if r.status is Status.CONVERTED:
            return self._plan_place(job, r, events)
        reason = {
            "exit_name": r.exit_code.name,
            "exit_code": int(r.exit_code),
            "message": r.message,
            "findings": [f.to_dict() for f in r.findings],
        }
        return self._plan_quarantine(job, r, reason, events=events)

    def _environmental(self, r: ConversionResult) -> tuple[Outcome, str] | None:
        """Whether a failed result says more about this machine than about the document."""
        if r.status is Status.CONVERTED:
            return None
        # Shutting down stops the engine under the documents in hand: that verdict is not theirs.
        if self.stopping.is_set() and r.exit_code in (
            ExitCode.child_process_error,
            ExitCode.missing_dependency,
        ):
            return Outcome.RETRY, "stopped while converting"
        if r.exit_code is ExitCode.file_access_error:
            return Outcome.DISK_FULL, f"cannot write into the staging folder ({r.message})"
        if r.exit_code is ExitCode.missing_dependency:
            return Outcome.DISK_FULL, f"the engine is unavailable ({r.message})"
        return None

    def _gone(self, job: Job) -> Outcome:
        log.info("%s was removed before it could be converted", job.rel)
        self.journal.finish(job.id, JobState.GONE, detail={"reason": "removed before it was converted"})
        shutil.rmtree(self._staging(job), ignore_errors=True)
        return Outcome.GONE

    # -- plans -----------------------------------------------------------------------------------------

    def _taken(self, p: Path) -> bool:
        return p in self._reserved.names or p.exists() or p.is_symlink()

    def _reserve_outputs(self, out_dir: Path, stem: str, exts: list[str]) -> dict[str, Path]:
        """Free names ``<stem>.<ext>`` for every ext together (``<stem> (2).<ext>`` ... on a clash)."""
        with self._reserved.lock:
            n = 1
            while True:
                base = stem if n == 1 else f"{stem} ({n})"
                names = {ext: out_dir / f"{base}{ext}" for ext in exts}
                if not any(self._taken(p) for p in names.values()):
                    self._reserved.names.update(names.values())
                    return names
                n += 1

    def _reserve_one(self, dest: Path) -> Path:
        with self._reserved.lock:
            p = free_name(dest, self._taken)
            self._reserved.names.add(p)
            return p

    def _original_dest(self, job: Job, tgt: Target) -> str | None:
        if tgt.originals_dir is None:
            return None
        return str(self._reserve_one(tgt.originals_dir / job.rel))

    def _plan_place(
        self, job: Job, r: ConversionResult, events: list[tuple[str, str, dict[str, Any], dict[str, Any]]]
    ) -> Outcome:
        tgt = self.target(job)
        stem = Path(job.rel).stem
        exts = ["." + o.format for o in r.outputs] + [REPORT_SUFFIX]
        names = self._reserve_outputs(tgt.out_dir, stem, exts)
        files = [[str(o.path), str(names["." + o.format])] for o in r.outputs]
        original = self._original_dest(job, tgt)
        report: dict[str, Any] = dict(r.to_report())
        report["input"] = {**report["input"], "path": original or job.source, "name": job.name}
        report["outputs"] = [{**o.to_dict(), "path": str(names["." + o.format])} for o in r.outputs]
        report["job"] = {
            "id": job.id,
            "route": job.route,
            "source": job.source,
            "sha256": job.sha256,
            "original": original,
            "duplicate_of": None,
        }
        staged_report = self._staging(job) / "report" / f"{stem}{REPORT_SUFFIX}"
        write_bytes_atomic(staged_report, _json(report))
        files.append([str(staged_report), str(names[REPORT_SUFFIX])])
        plan = {"kind": "place", "files": files, "original": original}
        findings = sorted({f.code for f in r.findings})
        job = self.journal.converted(
            job.id, plan, exit_name=r.exit_code.name, message=r.message, findings=findings, events=events
        )
        return self._route(job)

    def _plan_duplicate(self, job: Job, first: Job) -> Outcome:
        tgt = self.target(job)
        stem = Path(job.rel).stem
        by_ext: dict[str, Path] = {}
        for p in map(Path, first.outputs):
            ext = REPORT_SUFFIX if p.name.endswith(REPORT_SUFFIX) else p.suffix
            by_ext[ext] = p
        files: list[list[str]] = []
        # The same bytes under the same name in the same place: the outputs are already there.
        same_place = all(p.parent == tgt.out_dir and p.name == f"{stem}{ext}" for ext, p in by_ext.items())
        original = self._original_dest(job, tgt)
        if not same_place:
            names = self._reserve_outputs(tgt.out_dir, stem, list(by_ext))
            report_src = by_ext.get(REPORT_SUFFIX)
            for ext, p in by_ext.items():
                if ext != REPORT_SUFFIX:
                    files.append([str(p), str(names[ext])])
            if report_src is not None:
                try:
                    report = json.loads(report_src.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    report = {}
                report.setdefault("input", {})
                report["input"] = {**report["input"], "path": original or job.source, "name": job.name}
                for o in report.get("outputs", []):
                    o["path"] = str(names.get("." + str(o.get("format")), o.get("path")))
                report["job"] = {
                    "id": job.id,
                    "route": job.route,
                    "source": job.source,
                    "sha256": job.sha256,
                    "original": original,
                    "duplicate_of": first.id,
                }
                staged = self._staging(job) / "report" / f"{stem}{REPORT_SUFFIX}"
                write_bytes_atomic(staged, _json(report))
                files.append([str(staged), str(names[REPORT_SUFFIX])])
        plan = {"kind": "place", "files": files, "original": original, "reuse": list(first.outputs)}
        job = self.journal.converted(
            job.id,
            plan,
            exit_name=first.exit_name or ExitCode.ok.name,
            message=f"same bytes as job {first.id} ({first.rel}): its outputs were copied, not reconverted",
            findings=list(first.findings),
            duplicate_of=first.id,
            events=[("duplicate", "ok", {"duplicate_of": first.id, "of": first.rel}, {})],
        )
        return self._route(job)

    def _plan_quarantine(
        self,
        job: Job,
        r: ConversionResult | None,
        reason: dict[str, Any],
        *,
        duplicate_of: int | None = None,
        events: Sequence[tuple[str, str, dict[str, Any], dict[str, Any]]] = (),
    ) -> Outcome:
        tgt = self.target(job)
        # A retried input already lies in quarantine: quarantined again, it stays where it is.
        dest = tgt.quarantine
        same_copy = (
            tgt.originals_dir is None
            and dest.is_file()
            and dest.stat().st_size == job.size
            and sha256_file(dest) == job.sha256
        )
        # A copy of these very bytes already there (a batch retried with --retry-failed) is reused.
        if dest != Path(job.source) and not same_copy:
            dest = self._reserve_one(tgt.quarantine)
        kept: list[list[str]] = []
        if r is not None:
            # Outputs the converter set aside (a PDF that failed PDF/A, an ODF beside it) stay reviewable.
            staged = [p for p in r.quarantined if p.exists()] + [o.path for o in r.outputs if o.path.exists()]
            for p in staged:
                kept.append([str(p), str(dest.with_name(dest.name + ".outputs") / p.name)])
        reason = {
            **reason,
            "job": job.id,
            "input": job.source,
            "name": job.name,
            "sha256": job.sha256,
            "route": job.route,
            "profile": job.profile,
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "kept_outputs": [k[1] for k in kept],
        }
        staged_reason = self._staging(job) / "reason" / (dest.name + ".reason.json")
        write_bytes_atomic(staged_reason, _json(reason))
        plan = {
            "kind": "quarantine",
            "dest": str(dest),
            "reason_file": [str(staged_reason), str(dest.with_name(dest.name + ".reason.json"))],
            "kept": kept,
            "move": tgt.originals_dir is not None,
            "reason": {k: reason[k] for k in ("exit_name", "exit_code", "message", "findings")},
        }
        codes = sorted({str(f.get("code")) for f in reason.get("findings", []) if isinstance(f, dict)})
        job = self.journal.converted(
            job.id,
            plan,
            exit_name=str(reason["exit_name"]),
            message=str(reason["message"]),
            findings=codes,
            duplicate_of=duplicate_of,
            events=list(events),
        )
        return self._route(job)

    # -- routing ---------------------------------------------------------------------------------------

    def _route(self, job: Job) -> Outcome:
        plan = job.plan or {}
        if plan.get("kind") == "quarantine":
            return self._do_quarantine(job, plan)
        return self._do_place(job, plan)

    def _do_place(self, job: Job, plan: dict[str, Any]) -> Outcome:
        for src, dest in plan.get("files", []):
            self.placer(Path(src), Path(dest))
        outputs = [dest for _src, dest in plan.get("files", [])] or list(plan.get("reuse", []))
        original = plan.get("original")
        kept_at: str | None = job.source
        if original:
            src = Path(job.source)
            if src.exists() or Path(original).exists():
                kept_at = original if self._move_original(src, Path(original)) else job.source
            else:
                log.warning("%s vanished after its conversion; its outputs are placed", job.source)
                kept_at = None
        outcome = Outcome.DUPLICATE if job.duplicate_of else Outcome.PLACED
        self.journal.finish(
            job.id, JobState.PLACED, outputs=outputs, original=kept_at, detail={"outcome": str(outcome)}
        )
        self._done(job, plan)
        log.info("%s → %s", job.rel, ", ".join(Path(p).name for p in outputs))
        return outcome

    def _do_quarantine(self, job: Job, plan: dict[str, Any]) -> Outcome:
        dest = Path(plan["dest"])
        for src, to in plan.get("kept", []):
            if Path(src).exists():
                self.placer(Path(src), Path(to))
        reason_src, reason_dest = plan["reason_file"]
        if Path(reason_src).exists():
            self.placer(Path(reason_src), Path(reason_dest))
        src = Path(job.source)
        kept_at = job.source
        if plan.get("move"):
            if (src.exists() or dest.exists()) and self._move_original(src, dest):
                kept_at = str(dest)
        elif src.exists():
            self.placer(src, dest)
        self.journal.finish(
            job.id,
            JobState.QUARANTINED,
            outputs=[k[1] for k in plan.get("kept", [])],
            original=kept_at,
            detail={"exit_name": plan["reason"]["exit_name"], "quarantine": str(dest)},
        )
        self._done(job, plan)
        log.warning(
            "%s quarantined [%s]: %s", job.rel, plan["reason"]["exit_name"], plan["reason"]["message"]
        )
        return Outcome.QUARANTINED

    def _move_original(self, src: Path, dest: Path) -> bool:
        """Move an original out of its inbox; False (and it stays) where the inbox will not let go of it.

        A disk-full error propagates (the job pauses); any other failure (a read-only share, a file held
        open on Windows) must not hold the finished job hostage: the original stays, the journal says so,
        and intake never takes that unchanged file again.
        """
        try:
            move_durably(src, dest, self.placer)
        except OSError as e:
            if is_disk_full(e):
                raise
            log.error(
                "cannot move %s to %s (%s); it stays where it is and will not be taken again", src, dest, e
            )
            return False
        return True

    def _done(self, job: Job, plan: dict[str, Any]) -> None:
        with self._reserved.lock:
            self._reserved.names.difference_update(Path(p) for p in _plan_destinations(plan))
        shutil.rmtree(self._staging(job), ignore_errors=True)


def _plan_destinations(plan: dict[str, Any] | None) -> list[str]:
    if not plan:
        return []
    out = [dest for _src, dest in plan.get("files", [])] + [dest for _s, dest in plan.get("kept", [])]
    for key in ("original", "dest"):
        if plan.get(key):
            out.append(plan[key])
    if plan.get("reason_file"):
        out.append(plan["reason_file"][1])
    return out


def _json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8") + b"\n"
