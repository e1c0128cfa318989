"""Batches beyond one machine: ``qujat worker``, ``qujat status`` and ``qujat batch --broker``'s side.

Celery carries one task per document; Redis (or RabbitMQ) is the broker. The roles:

- ``qujat worker`` owns a local `converter.Converter` pool and converts one document per task. Tasks are
  acknowledged late with a prefetch of one, so the message of a worker killed mid-task stays on the
  broker and is delivered to another worker (with Redis, once the transport's ``visibility_timeout``
  has run out).
- ``qujat batch --broker`` runs the local batch unchanged (journal, claims, plans, routing, summary) and
  hands only the conversion itself to a worker through `RemoteConverter`. The batch process is the only
  one that opens the SQLite journal; workers never do, so the journal is never shared between hosts.

A task carries paths, never contents: SRC and DST are on shared storage mounted at the same path on
every host. Each task works in a *key folder* ``DST/.qujat/remote/<sha256>-<profile>-<pdfa>/``:

- ``in/<name>``: the input, linked there by the batch;
- ``work-<id>/``: one delivery's private conversion, never read by anyone else;
- ``done/``: the published result (outputs and ``result.json``), renamed into place in one step by the
  first delivery to finish. A later delivery of the same key (a redelivery, a duplicate task, a task
  from an earlier run of the batch) finds ``done/`` and converts nothing;
- ``deliveries/``: one marker per delivery in progress, removed when it ends. Markers left behind are
  deliveries whose worker died; once there are ``max_deliveries`` of them the document is quarantined
  instead of being handed to yet another worker. Counting on the shared storage works with any broker.

The batch places the published outputs into DST through its own plan, as a local batch does, so the
outcomes are the same and nothing is placed twice.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import logging
import os
import shutil
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from celery import Celery
from celery.result import AsyncResult
from celery.worker.control import inspect_command
from kombu.utils.url import maybe_sanitize_url

from converter import (
    ConversionResult,
    Converter,
    ExitCode,
    MissingDependencyError,
    OutputFile,
    ReportFinding,
    Severity,
    Status,
    place_file,
    sha256_file,
    write_bytes_atomic,
)
from watch import _log
from watch._fs import fsync_dir

log = logging.getLogger(__name__)

__all__ = [
    "QUEUE",
    "TASK",
    "RemoteConverter",
    "make_app",
    "remote_converter",
    "status",
    "status_main",
    "worker_main",
]

TASK = "qujat.convert"
QUEUE = "qujat"
DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MAX_DELIVERIES = 3
DEFAULT_INFLIGHT = 16  # batch: documents on the broker at once is twice this (one waiting per one converting)
_RESULT = "result.json"
_MACHINE_RETRIES = 3  # a worker whose machine fails (disk full, engine down) hands the task on this often
_RETRY_COUNTDOWN_S = 5.0
_POLL_S = 0.25
_WAIT_WARN_S = 600.0
_LOST_CHECK_S = 5.0
_RATE_WINDOW_S = 300.0


def default_visibility_timeout(timeout_s: float) -> float:
    """A little above the longest a task may take: the engine's deadline twice (it retries a crashed or
    timed-out document once) plus a minute of validation and placing."""
    return 2 * timeout_s + 60.0


def default_backend(broker: str) -> str:
    """The result store: the broker itself when it is Redis, Celery's reply queues (``rpc://``) otherwise."""
    return broker if broker.startswith(("redis://", "rediss://", "redis+socket://")) else "rpc://"


def make_app(
    broker: str,
    *,
    backend: str | None = None,
    visibility_timeout_s: float | None = None,
) -> Celery:
    """The Celery app of workers, batches and ``qujat status`` (with the ``qujat.convert`` task).

    Args:
        broker: Broker URL (``redis://host:6379/0``, ``amqp://user:pw@host//``).
        backend: Result store URL (default: `default_backend`).
        visibility_timeout_s: Redis only: how long a message delivered to a worker stays invisible to the
            others before it is delivered again (default: `default_visibility_timeout` of 120 s).

    Returns:
        A configured app, not set as Celery's current app.
    """
    vt = visibility_timeout_s or default_visibility_timeout(DEFAULT_TIMEOUT_S)
    app = Celery("qujat", broker=broker, backend=backend or default_backend(broker), set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options={
            "visibility_timeout": vt,
            # Look for messages of dead workers often enough that one comes back soon after its
            # visibility timeout, not up to ten sweeps later (kombu's default throttle).
            "unacked_restore_interval": max(1.0, min(10.0, vt / 4)),
            "unacked_restore_throttle": 1,
        },
        result_backend_transport_options={"visibility_timeout": vt},
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=10,
        task_default_queue=QUEUE,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        # No expiry: Celery then stores results with SET, not redis-py's deprecated SETEX, whose
        # DeprecationWarning, raised in one task's thread, lands inside pikepdf's process-wide warning
        # capture while another task validates its PDF/A and fails that PDF as unparsable. The batch
        # deletes each result once recorded (forget), so nothing accumulates.
        result_expires=None,
        task_track_started=True,
        # Flower (and qujat status) watch these events.
        worker_send_task_events=True,
        task_send_sent_event=True,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        worker_cancel_long_running_tasks_on_connection_loss=False,
    )
    app.task(name=TASK, bind=True, acks_late=True, reject_on_worker_lost=True)(_convert_task)
    return app


# -- reports across the wire ---------------------------------------------------------------------------


def _relative(report: dict[str, Any], base: Path) -> dict[str, Any]:
    """The report with output and set-aside paths relative to *base* (the folder is renamed later)."""

    def rel(p: str) -> str:
        try:
            return Path(p).relative_to(base).as_posix()
        except ValueError:
            return p

    out = dict(report)
    out["outputs"] = [{**o, "path": rel(str(o["path"]))} for o in report.get("outputs", [])]
    out["quarantined"] = [rel(str(p)) for p in report.get("quarantined", [])]
    return out


def result_from_report(report: dict[str, Any], base: Path) -> ConversionResult:
    """Rebuild a `ConversionResult` from its ``to_report()`` form, relative paths resolved under *base*."""
    inp = report.get("input", {})
    return ConversionResult(
        input=Path(inp.get("path", "")),
        status=Status(report["status"]),
        exit_code=ExitCode(int(report["exit_code"])),
        message=str(report.get("message", "")),
        profile=str(report.get("profile", "")),
        pdfa_flavour=report.get("pdfa_flavour"),
        input_sha256=inp.get("sha256"),
        input_size=int(inp.get("size") or 0),
        input_format=str(inp.get("format", "unknown")),
        kind=str(inp.get("kind", "unknown")),
        encrypted=bool(inp.get("encrypted")),
        macros=bool(inp.get("macros")),
        signed=bool(inp.get("signed")),
        outputs=tuple(
            OutputFile(
                path=base / o["path"],
                sha256=o["sha256"],
                size=int(o["size"]),
                format=o["format"],
                pdfa_flavour=o.get("pdfa_flavour"),
                valid=bool(o["valid"]),
                validation=tuple(o.get("validation", ())),
            )
            for o in report.get("outputs", [])
        ),
        quarantined=tuple(base / p for p in report.get("quarantined", [])),
        findings=tuple(
            ReportFinding(
                code=f["code"],
                severity=Severity(f["severity"]),
                message=f.get("message", ""),
                where=f.get("where", ""),
                source_value=f.get("source_value"),
                output_value=f.get("output_value"),
            )
            for f in report.get("findings", [])
        ),
        metadata=dict(report.get("metadata", {})),
        timings=dict(report.get("timings", {})),
        engine=dict(report.get("engine", {})),
        versions=dict(report.get("versions", {})),
        created=str(report.get("created", "")),
    )


# -- the worker side -----------------------------------------------------------------------------------


@dataclass
class _WorkerState:
    """What the task needs in a ``qujat worker`` process, and the counts ``qujat status`` reads."""

    converter: Converter
    max_deliveries: int
    timeout_s: float
    name: str
    visibility_timeout_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    started: float = field(default_factory=time.time)
    in_hand: int = 0
    done: int = 0
    warned_timeout: bool = False
    recent: deque[float] = field(default_factory=lambda: deque(maxlen=10_000))

    def finished(self) -> None:
        now = time.time()
        with self.lock:
            self.done += 1
            self.recent.append(now)

    def snapshot(self) -> dict[str, Any]:
        now = time.time()
        with self.lock:
            recent = sum(1 for t in self.recent if t >= now - _RATE_WINDOW_S)
            return {
                "libreoffice": self.converter.workers,
                "in_hand": self.in_hand,
                "done": self.done,
                "done_recently": recent,
                "window_s": min(_RATE_WINDOW_S, now - self.started),
                "uptime_s": round(now - self.started, 1),
                "visibility_timeout_s": self.visibility_timeout_s,
                "pid": os.getpid(),
            }


_STATE: _WorkerState | None = None


@inspect_command()
def qujat_stats(state: Any) -> dict[str, Any]:
    """``qujat status`` asks every worker this over the broker's broadcast queue."""
    return _STATE.snapshot() if _STATE is not None else {}


def _read_published(done: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((done / _RESULT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _poison(src: Path, profile: str, lost: int) -> ConversionResult:
    msg = (
        f"{src.name}: {lost} worker(s) stopped while converting this document (killed, or crashed with "
        "it); it may bring the engine or the worker down, so it was set aside instead of being handed to "
        "another worker. The workers' logs say more; 'qujat batch --retry-failed' tries again"
    )
    return ConversionResult(
        input=src,
        status=Status.QUARANTINED,
        exit_code=ExitCode.child_process_error,
        message=msg,
        profile=profile,
        pdfa_flavour=None,
        findings=(ReportFinding(code="worker_lost", severity=Severity.ERROR, message=msg),),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _publish(key_dir: Path, work: Path, r: ConversionResult, worker: str) -> dict[str, Any]:
    """Write ``result.json`` into *work* and rename it to ``done/``: the first delivery to finish wins."""
    payload = {
        "status": "done",
        "key": key_dir.name,
        "report": _relative(dict(r.to_report()), work),
        "worker": worker,
        "reused": False,
    }
    write_bytes_atomic(work / _RESULT, json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8"))
    done = key_dir / "done"
    try:
        os.rename(work, done)
    except OSError as e:
        if e.errno not in (errno.ENOTEMPTY, errno.EEXIST):
            raise
        # Another delivery of the same key published first; its result stands and ours is dropped.
        shutil.rmtree(work, ignore_errors=True)
        other = _read_published(done)
        if other is None:
            raise
        log.info("%s: another delivery published this document first; its result stands", r.input.name)
        return {**other, "reused": True}
    fsync_dir(key_dir)
    return payload


def _convert_task(
    self: Any, *, key_dir: str, source: str, profile: str, pdfa: str, timeout_s: float
) -> dict[str, Any]:
    """The ``qujat.convert`` task: convert *source* once per key, publishing into *key_dir*/done."""
    state = _STATE
    if state is None:
        raise RuntimeError("the qujat.convert task runs only inside 'qujat worker'")
    kd, src = Path(key_dir), Path(source)
    with _log.document(src.name):
        with state.lock:
            state.in_hand += 1
        try:
            return _convert_once(self, state, kd, src, profile, pdfa, timeout_s)
        finally:
            with state.lock:
                state.in_hand -= 1


def _convert_once(
    task: Any, state: _WorkerState, kd: Path, src: Path, profile: str, pdfa: str, timeout_s: float
) -> dict[str, Any]:
    done = kd / "done"
    published = _read_published(done)
    if published is not None:
        log.info("%s: already converted by an earlier delivery; nothing to do", src.name)
        return {**published, "reused": True}
    if not src.is_file():
        # The batch that queued it finished without it (or swept its folder): nobody waits for this task.
        log.info("%s: its input is gone (an old task no batch waits for); skipped", src.name)
        return {"status": "stale", "key": kd.name}
    marker = kd / "deliveries" / f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:12]}"
    try:
        marker.parent.mkdir(exist_ok=True)
        lost = sum(1 for _ in marker.parent.iterdir())
        marker.touch(exist_ok=False)
    except FileNotFoundError:
        return {"status": "stale", "key": kd.name}
    if timeout_s > state.timeout_s and not state.warned_timeout:
        state.warned_timeout = True
        log.warning(
            "%s: the batch allows %.0f s per document, more than this worker's --timeout %.0f s: a long "
            "conversion may outlive the broker's visibility timeout and be delivered twice",
            src.name,
            timeout_s,
            state.timeout_s,
        )
    work = kd / f"work-{uuid.uuid4().hex[:12]}"
    try:
        work.mkdir()
        if lost >= state.max_deliveries:
            log.error("%s: %d earlier deliveries died with it; quarantined", src.name, lost)
            r = _poison(src, profile, lost)
        else:
            log.info(
                "taking %s (task %s%s)",
                src.name,
                task.request.id,
                f", delivery {lost + 1}" if lost else "",
            )
            t0 = time.monotonic()
            r = state.converter.convert(
                src,
                profile=profile,
                pdfa=pdfa,
                output_dir=work / "out",
                quarantine_dir=work / "rejected",
                overwrite=True,
                timeout_s=timeout_s,
            )
            if r.retryable:
                # This machine, not the document, failed: hand the task to another worker (or this one
                # later) a few times before the batch hears of it.
                shutil.rmtree(work, ignore_errors=True)
                if task.request.retries < _MACHINE_RETRIES:
                    log.warning("%s: %s (%s); handed back to the queue", src.name, r.reason, r.message)
                    raise task.retry(countdown=_RETRY_COUNTDOWN_S, max_retries=_MACHINE_RETRIES)
                return {"status": "unpublished", "key": kd.name, "report": dict(r.to_report())}
            log.info("%s: %s in %.1fs", src.name, r.status, time.monotonic() - t0)
        payload = _publish(kd, work, r, state.name)
        state.finished()
        return payload
    except FileNotFoundError:
        if not kd.is_dir():
            shutil.rmtree(work, ignore_errors=True)
            return {"status": "stale", "key": kd.name}
        raise
    finally:
        marker.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)  # a published delivery's folder is ``done/`` by now


# -- the batch side ------------------------------------------------------------------------------------


class RemoteConverter:
    """Stands in for `converter.Converter` inside a batch: each ``convert`` is a task on the broker.

    The batch's `watch.jobs.Processor` calls `convert` from its threads exactly as it calls a local
    converter; the result's outputs lie in the key folder's ``done/`` on the shared storage and are
    placed by the batch's own plan.

    Args:
        broker: Broker URL.
        area: The key folders' parent (``DST/.qujat/remote``: same file system as DST).
        backend: Result store URL (default: `default_backend`).
        inflight: Reported as ``workers``: the batch keeps twice this many documents on the broker.
        stop: Set when the batch is stopping: waits end at once and the documents go back to its queue.
        active_keys: Keys of the jobs whose plans still refer to their key folder (converted, not yet
            placed); `close` and the start-up sweep remove every other key folder. A document queued
            again (resumed, ``--retry-failed``) is therefore converted afresh, and a task an earlier run
            left on the broker finds no input and does nothing.

    Raises:
        MissingDependencyError: The broker cannot be reached.
    """

    def __init__(
        self,
        broker: str,
        *,
        area: Path,
        backend: str | None = None,
        inflight: int = DEFAULT_INFLIGHT,
        stop: threading.Event | None = None,
        active_keys: Callable[[], set[str]] | None = None,
    ) -> None:
        self.broker = broker
        self.area = area
        self.workers = max(1, inflight)
        self.stop = stop or threading.Event()
        self.active_keys = active_keys
        self.app = make_app(broker, backend=backend)
        self._lock = threading.Lock()
        self._vt_checked = float("-inf")
        self._worker_vt = 0.0
        _check_broker(self.app, broker)
        self.area.mkdir(parents=True, exist_ok=True)
        self._sweep()
        alive = _ping(self.app, 2.0)
        if alive:
            log.info("%d qujat worker(s) answer on %s", len(alive), maybe_sanitize_url(broker))
        else:
            log.warning(
                "no qujat worker answers on %s yet: documents wait in the queue until one starts "
                "('qujat worker --broker URL')",
                maybe_sanitize_url(broker),
            )

    def _sweep(self) -> None:
        if self.active_keys is None or not self.area.is_dir():
            return
        keep = self.active_keys()
        for d in self.area.iterdir():
            if d.name not in keep:
                shutil.rmtree(d, ignore_errors=True)

    def convert(self, src: str | Path, **options: Any) -> ConversionResult:
        """Convert *src* (a snapshot on the shared storage) on some worker and wait for the result.

        Returns:
            The worker's result; when the batch stops first, a ``child_process_error`` result that the
            batch, stopping, takes as "not converted, back to the queue".

        Raises:
            RuntimeError: The task failed inside the worker, or its input vanished: the batch releases
                the job and tries again later.
        """
        src = Path(src)
        profile, pdfa = str(options.get("profile", "final")), str(options.get("pdfa", "2b"))
        timeout_s = float(options.get("timeout_s", DEFAULT_TIMEOUT_S))
        key = f"{sha256_file(src)}-{profile}-{pdfa}"
        key_dir = self.area / key
        inp = key_dir / "in" / src.name
        if not inp.exists():
            inp.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(src, inp)  # same file system: no second copy of the bytes
                fsync_dir(inp.parent)
            except FileExistsError:
                pass
            except OSError:
                place_file(src, inp, overwrite=False)
        kwargs = {
            "key_dir": str(key_dir),
            "source": str(inp),
            "profile": profile,
            "pdfa": pdfa,
            "timeout_s": timeout_s,
        }
        payload = self._wait(kwargs, src.name, timeout_s)
        if payload is None:
            return ConversionResult(
                input=src,
                status=Status.QUARANTINED,
                exit_code=ExitCode.child_process_error,
                message=f"{src.name}: the batch stopped while a worker had it; it goes back to the queue",
                profile=profile,
                pdfa_flavour=None,
            )
        status = payload.get("status")
        if status == "stale":
            raise RuntimeError(f"the worker found no input at {inp}")
        base = key_dir / "done" if status == "done" else key_dir
        return result_from_report(payload["report"], base)

    def _send(self, kwargs: dict[str, Any]) -> AsyncResult:
        task_id = uuid.uuid4().hex
        self.app.send_task(
            TASK,
            kwargs=kwargs,
            task_id=task_id,
            queue=QUEUE,
            retry=True,
            retry_policy={"max_retries": 10, "interval_start": 0.5, "interval_step": 1, "interval_max": 5},
        )
        log.debug("%s: queued as task %s", Path(kwargs["source"]).name, task_id)
        return AsyncResult(task_id, app=self.app)

    def _lost_after_s(self, timeout_s: float) -> float:
        """How long a task may stay untaken, with the queue empty, before its message counts as lost.

        A message a dead worker held comes back once the workers' visibility timeout has run out (they
        report it); past that, plus their restore sweep and a margin, nothing will bring it back.
        """
        now = time.monotonic()
        with self._lock:
            if now - self._vt_checked >= 60:
                self._vt_checked = now
                stats = _broadcast_stats(self.app, 1.0)
                self._worker_vt = max(
                    (float(s.get("visibility_timeout_s", 0)) for s in stats.values()), default=0
                )
            vt = self._worker_vt or default_visibility_timeout(timeout_s)
        return vt + 2 * min(10.0, vt / 4) + 30.0

    def _queue_depth(self) -> int | None:
        try:
            return _queue_depth(self.app)
        except Exception as e:  # noqa: BLE001 - unknown: assume messages are waiting
            log.debug("cannot count the queue: %s", e)
            return None

    def _wait(self, kwargs: dict[str, Any], name: str, timeout_s: float) -> dict[str, Any] | None:
        res = self._send(kwargs)
        sent = last_check = last_warn = t0 = time.monotonic()
        while not self.stop.is_set():
            try:
                if res.ready():
                    break
                now = time.monotonic()
                if now - last_check >= _LOST_CHECK_S and now - sent >= self._lost_after_s(timeout_s):
                    last_check = now
                    # Redis hands a message to a worker (BRPOP) before the worker records it as unacked: a
                    # worker killed in between takes the message with it, and nothing redelivers it. A
                    # task never started while the queue is empty is such a one; it is queued again (a
                    # duplicate of a live message would find the result published and do nothing).
                    if res.state == "PENDING" and self._queue_depth() == 0:
                        log.warning(
                            "%s: no worker took it in %.0f s and the queue is empty: its message was lost "
                            "(a worker killed as it received it, or a broker restarted); queued again",
                            name,
                            now - sent,
                        )
                        with contextlib.suppress(Exception):
                            res.forget()
                        res = self._send(kwargs)
                        sent = now
            except Exception as e:  # noqa: BLE001 - a broker restart must not lose the batch's place
                log.warning("%s: cannot reach the broker or the result store (%s); retrying", name, e)
                self.stop.wait(5.0)
                continue
            now = time.monotonic()
            if now - last_warn >= _WAIT_WARN_S:
                last_warn = now
                log.warning(
                    "%s: waiting %.0f min for a worker; are workers running? ('qujat status --broker URL')",
                    name,
                    (now - t0) / 60,
                )
            self.stop.wait(_POLL_S)
        else:
            return None
        try:
            if res.failed():
                raise RuntimeError(f"task {res.id} failed in the worker: {res.result!r}")
            payload = res.result
        finally:
            with contextlib.suppress(Exception):
                res.forget()
        if not isinstance(payload, dict):
            raise RuntimeError(f"task {res.id} returned {type(payload).__name__}, not a result")
        return cast("dict[str, Any]", payload)

    def wait_ready(self) -> None:
        """Nothing to start here: the workers own the engines."""

    def close(self, *, kill: bool = False) -> None:
        """Remove the key folders no unfinished job needs."""
        try:
            self._sweep()
        except OSError as e:
            log.warning("cannot tidy %s: %s", self.area, e)


def remote_converter(
    broker: str,
    *,
    area: Path,
    backend: str | None = None,
    inflight: int = 0,
    stop: threading.Event | None = None,
    active_keys: Callable[[], set[str]] | None = None,
) -> Converter:
    """A `RemoteConverter` typed as the `converter.Converter` a batch expects.

    The batch uses a converter only through ``convert``, ``workers`` and ``close``, which
    `RemoteConverter` provides; the cast says so to the type checker.
    """
    rc = RemoteConverter(
        broker,
        area=area,
        backend=backend,
        inflight=inflight or DEFAULT_INFLIGHT,
        stop=stop,
        active_keys=active_keys,
    )
    return cast(Converter, rc)


# -- operations ----------------------------------------------------------------------------------------


def _check_broker(app: Celery, broker: str) -> None:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=2, interval_start=0.5, interval_step=0.5, timeout=5)
    except Exception as e:  # noqa: BLE001 - kombu raises many kinds; all mean "cannot reach it"
        raise MissingDependencyError(
            f"cannot reach the broker at {maybe_sanitize_url(broker)}: {e}",
            tip="is redis-server (or RabbitMQ) running and reachable from this host? Check the URL",
        ) from e


def _ping(app: Celery, timeout_s: float) -> list[str]:
    try:
        replies = app.control.ping(timeout=timeout_s) or []
    except Exception as e:  # noqa: BLE001
        log.debug("ping failed: %s", e)
        return []
    return sorted(name for r in replies for name in r)


def _queue_depth(app: Celery) -> int:
    """Messages waiting in the queue (not those workers hold).

    Raises:
        Exception: The broker cannot be reached.
    """
    with app.connection_for_write() as conn:
        # A passive declare counts the messages without creating the queue (AMQP and Redis alike); Redis
        # drops a list once it is empty, and then the queue "does not exist": nothing waits.
        try:
            return int(conn.default_channel.queue_declare(queue=QUEUE, passive=True)[1])
        except conn.channel_errors:
            return 0


def _broadcast_stats(app: Celery, timeout_s: float) -> dict[str, dict[str, Any]]:
    """Every answering worker's `qujat_stats`, by worker name."""
    try:
        replies = app.control.broadcast("qujat_stats", reply=True, timeout=timeout_s) or []
    except Exception as e:  # noqa: BLE001
        log.debug("broadcast failed: %s", e)
        return {}
    workers: dict[str, dict[str, Any]] = {}
    for r in replies:
        for name, stats in r.items():
            workers[name] = stats if isinstance(stats, dict) else {}
    return workers


def status(broker: str, *, backend: str | None = None, timeout_s: float = 2.0) -> dict[str, Any]:
    """Queue depth, the workers alive and how fast they convert.

    Args:
        broker: Broker URL.
        backend: Result store URL.
        timeout_s: How long to wait for workers' answers.

    Returns:
        ``{"broker", "queue", "waiting", "alive", "workers": {name: stats}, "in_hand", "per_minute"}``.

    Raises:
        MissingDependencyError: The broker cannot be reached.
    """
    app = make_app(broker, backend=backend)
    _check_broker(app, broker)
    waiting = _queue_depth(app)
    workers = _broadcast_stats(app, timeout_s)
    per_minute = 0.0
    for s in workers.values():
        window = float(s.get("window_s") or 0)
        if window >= 1:
            per_minute += float(s.get("done_recently", 0)) / window * 60
    return {
        "broker": maybe_sanitize_url(broker),
        "queue": QUEUE,
        "waiting": int(waiting),
        "alive": len(workers),
        "workers": workers,
        "in_hand": sum(int(s.get("in_hand", 0)) for s in workers.values()),
        "per_minute": round(per_minute, 1),
    }


def status_main(argv: Sequence[str]) -> int:
    """Show the documents waiting on a broker, the workers alive and documents per minute."""
    from watch.cli import _ArgParser, _run

    p = _ArgParser(
        prog="qujat status",
        description="Show the documents waiting on the broker, the qujat workers alive and how many "
        "documents they convert per minute (over the last five minutes).",
        epilog="exit codes: 0 shown, 1 bad arguments, 3 the broker cannot be reached.",
    )
    p.add_argument("--broker", required=True, metavar="URL", help="broker URL, e.g. redis://host:6379/0")
    p.add_argument("--result-backend", metavar="URL", help="result store (default: the Redis broker)")
    p.add_argument("--timeout", type=float, default=2.0, metavar="S", help="wait for workers' answers (2)")
    p.add_argument("--json", action="store_true", help="print JSON")

    def body(args: argparse.Namespace) -> int:
        s = status(args.broker, backend=args.result_backend, timeout_s=args.timeout)
        if args.json:
            print(json.dumps(s, indent=2))
            return 0
        print(f"broker {s['broker']}: queue {s['queue']}: {s['waiting']} waiting, {s['in_hand']} in hand")
        print(f"workers alive: {s['alive']}; {s['per_minute']} document(s) per minute")
        for name, w in sorted(s["workers"].items()):
            print(
                f"  {name}: {w.get('libreoffice', '?')} LibreOffice, {w.get('in_hand', 0)} in hand, "
                f"{w.get('done', 0)} done, up {float(w.get('uptime_s', 0)) / 60:.0f} min"
            )
        return 0

    return _run(p, argv, body)


def worker_main(argv: Sequence[str]) -> int:
    """Convert documents queued by 'qujat batch --broker' with this host's LibreOffice pool."""
    from watch.cli import _ArgParser, _run

    p = _ArgParser(
        prog="qujat worker",
        description="Take documents from the broker and convert them with this host's LibreOffice pool; "
        "run one per host, with SRC and DST of the batches mounted at the same paths as on the host that "
        "runs 'qujat batch --broker'. Stops gracefully on SIGTERM or Ctrl-C (the documents in hand "
        "finish); killed, its documents go to another worker once the visibility timeout runs out.",
        epilog="exit codes: 0 stopped, 1 bad arguments, 3 LibreOffice missing or the broker unreachable.",
    )
    p.add_argument("--broker", required=True, metavar="URL", help="broker URL, e.g. redis://host:6379/0")
    p.add_argument("--result-backend", metavar="URL", help="result store (default: the Redis broker)")
    p.add_argument("--workers", type=int, default=0, metavar="N", help="LibreOffice processes (CPUs)")
    p.add_argument(
        "--concurrency",
        type=int,
        default=0,
        metavar="N",
        help="documents in hand at once (default: twice --workers: one converting, one validating)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        metavar="S",
        help="the longest per-document deadline batches use (120); sets the visibility timeout",
    )
    p.add_argument(
        "--visibility-timeout",
        type=float,
        default=0,
        metavar="S",
        help="Redis: seconds before a dead worker's document goes to another (default: 2 x timeout + 60)",
    )
    p.add_argument(
        "--max-deliveries",
        type=int,
        default=DEFAULT_MAX_DELIVERIES,
        metavar="N",
        help="quarantine a document after N deliveries died with it (3)",
    )
    p.add_argument("--work-dir", type=Path, metavar="DIR", help="local folder for LibreOffice profiles")
    p.add_argument("--name", metavar="NAME", help="worker name (default: qujat-<pid>@<host>)")
    p.add_argument(
        "--sandbox", choices=["auto", "require", "off"], default="auto", help="LibreOffice sandbox mode"
    )
    p.add_argument("--log-file", type=Path, metavar="F", help="append the log here instead of stderr")
    p.add_argument("--json-logs", action="store_true", help="log JSON lines")
    p.add_argument("-v", "--verbose", action="count", default=0, help="debug logging")

    def body(args: argparse.Namespace) -> int:
        from converter import BadArgsError

        global _STATE
        if args.workers < 0 or args.concurrency < 0 or args.timeout <= 0 or args.max_deliveries < 1:
            raise BadArgsError(
                "--workers, --concurrency >= 0, --timeout > 0 and --max-deliveries >= 1, please"
            )
        _log.configure(verbosity=args.verbose, json_logs=args.json_logs, log_file=args.log_file)
        logging.getLogger("celery").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
        vt = args.visibility_timeout or default_visibility_timeout(args.timeout)
        app = make_app(args.broker, backend=args.result_backend, visibility_timeout_s=vt)
        _check_broker(app, args.broker)
        name = args.name or f"qujat-{os.getpid()}@{socket.gethostname()}"
        if args.work_dir is not None:
            args.work_dir.mkdir(parents=True, exist_ok=True)
        converter = Converter(workers=args.workers or None, sandbox=args.sandbox, work_dir=args.work_dir)
        killed = True
        try:
            converter.wait_ready()
            concurrency = args.concurrency or 2 * converter.workers
            _STATE = _WorkerState(
                converter=converter,
                max_deliveries=args.max_deliveries,
                timeout_s=args.timeout,
                name=name,
                visibility_timeout_s=vt,
            )
            log.info(
                "%s: %d LibreOffice, %d document(s) at once, queue %s on %s, visibility timeout %.0fs",
                name,
                converter.workers,
                concurrency,
                QUEUE,
                maybe_sanitize_url(args.broker),
                vt,
            )
            w = app.Worker(
                hostname=name,
                pool_cls="threads",
                concurrency=concurrency,
                queues=[QUEUE],
                loglevel="DEBUG" if args.verbose else "INFO",
                without_mingle=True,
                without_gossip=True,
                quiet=True,
                no_color=True,
            )
            # Celery's start-up set its own levels; one line per document is ours to write.
            logging.getLogger("celery").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
            w.start()
            killed = False
            return int(w.exitcode or 0)
        finally:
            _STATE = None
            converter.close(kill=killed)

    return _run(p, argv, body)
