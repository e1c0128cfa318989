"""``qujat batch --broker`` over ``qujat worker`` processes, as users run them: a real redis-server on a free
loopback port, two workers standing in for two hosts (each with its own LibreOffice and work folder), one
of them killed with SIGKILL in the middle of a document and started again. Every input must end converted
or quarantined exactly once, with nothing partial, and with the outcomes a local batch gives.

Also, without LibreOffice or Redis: the worker task's rules for a key folder (reuse a published result,
quarantine after deliveries that died, skip a task whose input is gone).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from converter import ExitCode
from tests.conftest import descendants
from tests.test_watch import QUJAT, converted_events, journal_rows, partial_files, variant, wait_for

REDIS_SERVER = shutil.which("redis-server")
QUEUE = "qujat"
try:
    import celery  # noqa: F401

    HAVE_CELERY = True
except ImportError:
    HAVE_CELERY = False

needs_celery = pytest.mark.skipif(
    not HAVE_CELERY, reason="celery is not installed (pip install -e '.[distributed]')"
)
needs_redis = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server is not installed (apt-get install redis-server)"
)


# -- a broker and workers --------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[str]:
    """A private redis-server on a free loopback port, nothing saved to disk; stopped at the end."""
    assert REDIS_SERVER is not None
    port = _free_port()
    folder = tmp_path / "redis"
    folder.mkdir()
    proc = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(folder), "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: _redis_ping(port), 20, "redis-server to answer")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


class Workers:
    """``qujat worker`` subprocesses, each in its own session (a host of its own, as far as signals go)."""

    def __init__(self, broker: str, root: Path) -> None:
        self.broker = broker
        self.root = root
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.seen: set[int] = set()  # every process ever seen below a worker: none may outlive the test
        self._watch = threading.Event()
        self._watcher = threading.Thread(target=self._note_children, daemon=True)
        self._watcher.start()

    def log(self, name: str) -> Path:
        return self.root / f"{name}.log"

    def start(self, name: str, work: str) -> subprocess.Popen[bytes]:
        p = subprocess.Popen(
            [QUJAT, "worker", "--broker", self.broker, "--workers", "1", "--name", f"{name}@test"]
            + ["--work-dir", str(self.root / work), "--timeout", "120", "--visibility-timeout", "15"]
            + ["--log-file", str(self.log(name))],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.procs[name] = p
        return p

    def _note_children(self) -> None:
        while not self._watch.wait(0.2):
            for p in list(self.procs.values()):
                if p.poll() is None:
                    self.seen |= descendants(p.pid)

    def stop(self) -> None:
        self._watch.set()
        self._watcher.join(5)
        for p in self.procs.values():
            if p.poll() is None:
                p.terminate()
        for p in self.procs.values():
            try:
                p.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(10)


def _alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


@pytest.fixture
def workers(broker: str, tmp_path: Path) -> Iterator[Workers]:
    w = Workers(broker, tmp_path)
    try:
        yield w
    finally:
        w.stop()
        try:
            wait_for(lambda: not _alive(w.seen), 30, "every soffice and engine process of the workers to end")
        finally:
            for pid in _alive(w.seen):
                os.kill(pid, signal.SIGKILL)


def _status(broker: str) -> dict[str, Any]:
    p = subprocess.run(
        [QUJAT, "status", "--broker", broker, "--json", "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def _taken_and_finished(log: Path) -> tuple[int, int]:
    """Documents a worker's log says it took, and finished (converted or quarantined)."""
    try:
        lines = log.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0, 0
    taken = sum(1 for line in lines if "] taking " in line)
    return taken, sum(1 for line in lines if re.search(r": (converted|quarantined) in [0-9.]+s$", line))


def _holding(log: Path) -> bool:
    taken, finished = _taken_and_finished(log)
    return taken > finished


# -- the run ---------------------------------------------------------------------------------------------


def _tree(samples: dict[str, Path], src: Path) -> int:
    names = ("letter-kk", "letter-ru", "letter-en", "memo-en", "report-ru", "budget", "presentation")
    for i in range(9):
        s = samples[names[i % len(names)]]
        variant(s, src / f"бөлім-{i % 3}" / f"{i:03d}-{s.name}", i)
    for bad in ("bad-truncated", "bad-encrypted"):
        shutil.copyfile(samples[bad], src / samples[bad].name)
    shutil.copyfile(src / "бөлім-0" / f"000-{samples['letter-kk'].name}", src / "көшірме.docx")  # same bytes
    return 12


def _outcomes(db: Path) -> dict[str, tuple[object, ...]]:
    return {
        str(r["rel"]): (r["state"], r["exit_name"], bool(r["duplicate_of"]), r["findings"])
        for r in journal_rows(db)
    }


def _files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".qujat" not in p.parts and "reports" not in p.parts
    }


def _summary(dst: Path) -> dict[tuple[str, str], int]:
    with (dst / "reports" / "summary.csv").open(encoding="utf-8") as f:
        return {(row["kind"], row["key"]): int(row["count"]) for row in csv.DictReader(f)}


@pytest.mark.soffice
@needs_celery
@needs_redis
def test_two_workers_one_killed_mid_document(
    samples: dict[str, Path], tmp_path: Path, broker: str, workers: Workers
) -> None:
    src, dst, local = tmp_path / "src", tmp_path / "dst", tmp_path / "dst-local"
    total = _tree(samples, src)
    workers.start("a", "host-a")
    workers.start("b", "host-b")
    wait_for(lambda: _status(broker)["alive"] == 2, 120, "two workers to answer")

    batch = subprocess.Popen(
        [QUJAT, "batch", str(src), str(dst), "--broker", broker, "--profile", "final"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Kill worker a while it holds a document it has not finished: its message must come back.
        log_a = workers.log("a")
        # Its first documents, on a LibreOffice just started, are its slowest: a wide window to kill it in
        # while the other worker converts too.
        wait_for(lambda: _holding(log_a), 120, "worker a to be in a document", interval=0.02)
        workers.procs["a"].send_signal(signal.SIGKILL)
        workers.procs["a"].wait(10)
        st = _status(broker)
        assert st["alive"] == 1 and st["waiting"] + st["in_hand"] >= 1
        workers.start("a2", "host-a")  # the host comes back
        out, err = batch.communicate(timeout=240)
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait(10)
    assert batch.returncode == int(ExitCode.batch_incomplete), err  # the two broken inputs
    st = _status(broker)
    assert st["alive"] == 2 and st["waiting"] == 0 and st["per_minute"] > 0
    assert "delivery 2" in workers.log("b").read_text() + workers.log("a2").read_text(), (
        "the killed worker's document was delivered again"
    )

    db = dst / ".qujat" / "journal.sqlite"
    rows = journal_rows(db)
    assert len(rows) == total and all(r["state"] in ("placed", "quarantined") for r in rows)
    assert set(converted_events(db).values()) == {1}, "no document converted (recorded) twice"
    assert not partial_files(dst)
    assert list((dst / ".qujat" / "remote").iterdir()) == [], "key folders are tidied once placed"
    summary = _summary(dst)
    assert summary[("total", "inputs")] == total
    assert sum(v for (kind, _k), v in summary.items() if kind == "outcome") == total
    assert summary[("outcome", "quarantined")] == 2 and summary[("outcome", "duplicate")] == 1
    for r in rows:
        for out_path in json.loads(str(r["outputs"])):
            assert Path(out_path).stat().st_size > 0
    assert "(2)" not in " ".join(_files(dst)), "no output placed twice under a second name"

    # The same tree converted locally gives the same outcomes and the same files.
    workers.stop()
    p = subprocess.run(
        [QUJAT, "batch", str(src), str(local), "--profile", "final", "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == int(ExitCode.batch_incomplete), p.stderr
    assert _outcomes(db) == _outcomes(local / ".qujat" / "journal.sqlite")
    assert _files(dst) == _files(local)


# -- the key folder rules, without a broker ----------------------------------------------------------------


class _Task:
    class request:  # noqa: N801 - the shape of Celery's task.request
        id = "t1"
        retries = 0

    def retry(self, **kw: Any) -> Exception:
        raise AssertionError("no retry expected")


class _NoConverter:
    workers = 1

    def convert(self, *a: Any, **kw: Any) -> Any:
        raise AssertionError("nothing may be converted here")


@needs_celery
def test_key_folder_rules(tmp_path: Path) -> None:
    from typing import cast

    from converter import Converter
    from watch.distributed import _convert_once, _WorkerState, result_from_report

    state = _WorkerState(
        converter=cast(Converter, _NoConverter()), max_deliveries=3, timeout_s=120, name="w@test"
    )
    kd = tmp_path / "abc-final-2b"
    (kd / "in").mkdir(parents=True)
    src = kd / "in" / "letter.docx"

    # No input: an old task nobody waits for does nothing and leaves nothing.
    assert _convert_once(_Task(), state, kd, src, "final", "2b", 60)["status"] == "stale"
    assert sorted(p.name for p in kd.iterdir()) == ["in"]

    # Three deliveries died with this document: the fourth quarantines it without converting.
    src.write_bytes(b"PK\x03\x04 not really")
    (kd / "deliveries").mkdir()
    for i in range(3):
        (kd / "deliveries" / f"host-{i}").touch()
    payload = _convert_once(_Task(), state, kd, src, "final", "2b", 60)
    assert payload["status"] == "done"
    r = result_from_report(payload["report"], kd / "done")
    assert r.exit_code is ExitCode.child_process_error and r.reason == "worker_lost"
    assert (kd / "done" / "result.json").is_file()
    assert len(list((kd / "deliveries").iterdir())) == 3, "its own marker is removed"
    assert not [p for p in kd.iterdir() if p.name.startswith("work-")]

    # Published: any further delivery returns the same result and converts nothing.
    again = _convert_once(_Task(), state, kd, src, "final", "2b", 60)
    assert again["reused"] and again["report"] == payload["report"]


@pytest.mark.soffice
@needs_celery
@needs_redis
@pytest.mark.slow  # timing-sensitive: overran 240 s once on a loaded machine; run with --run-slow
def test_batch_killed_and_resumed_on_the_broker(
    samples: dict[str, Path], tmp_path: Path, broker: str, workers: Workers
) -> None:
    src, dst = tmp_path / "src", tmp_path / "dst"
    names = ("letter-kk", "letter-ru", "letter-en", "memo-en")
    for i in range(10):
        variant(samples[names[i % 4]], src / f"{i:02d}.docx", i)
    workers.start("w", "host-w")
    wait_for(lambda: _status(broker)["alive"] == 1, 120, "the worker to answer")
    db = dst / ".qujat" / "journal.sqlite"

    def placed() -> int:
        return sum(1 for r in journal_rows(db) if r["state"] == "placed") if db.exists() else 0

    cmd = [QUJAT, "batch", str(src), str(dst), "--broker", broker, "--profile", "working"]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: placed() >= 3, 180, "three documents placed")
    finally:
        p.kill()  # the batch's host dies; tasks it queued stay on the broker
        p.wait(10)
    stamps = {
        out: Path(out).stat().st_mtime_ns
        for r in journal_rows(db)
        if r["state"] == "placed"
        for out in json.loads(str(r["outputs"]))
    }
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=240)
    assert again.returncode == 0, again.stderr
    assert "finished by an earlier run" in again.stderr
    for out, mtime in stamps.items():
        assert Path(out).stat().st_mtime_ns == mtime, f"{out} was written again"
    rows = journal_rows(db)
    assert len(rows) == 10 and {r["state"] for r in rows} == {"placed"}
    assert set(converted_events(db).values()) == {1}
    assert not partial_files(dst)
    assert sorted(p.name for p in dst.glob("*.odt")) == [f"{i:02d}.odt" for i in range(10)]
    # The tasks the killed batch left behind found their key folders swept and wrote nothing.
    wait_for(lambda: _status(broker)["waiting"] + _status(broker)["in_hand"] == 0, 60, "an empty queue")
    assert list((dst / ".qujat" / "remote").iterdir()) == []


def _redis(broker: str, *args: str) -> bytes:
    port = int(broker.rsplit(":", 1)[1].split("/")[0])
    cmd = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(cmd.encode())
        return s.recv(1024)


@pytest.mark.soffice
@needs_celery
@needs_redis
def test_lost_messages_are_queued_again(
    samples: dict[str, Path], tmp_path: Path, broker: str, workers: Workers
) -> None:
    """Redis can lose a message a worker popped but had not yet recorded (killed in between): the batch
    notices a task nobody took while the queue is empty, and queues it again."""
    src, dst = tmp_path / "src", tmp_path / "dst"
    for i in range(6):
        variant(samples["letter-en"], src / f"{i}.docx", i)
    w = workers.start("w", "host-w")
    wait_for(lambda: _status(broker)["alive"] == 1, 120, "the worker to answer")
    os.kill(w.pid, signal.SIGSTOP)  # it takes nothing while the messages disappear
    try:
        p = subprocess.Popen(
            [QUJAT, "batch", str(src), str(dst), "--broker", broker, "--profile", "working"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_for(lambda: _redis(broker, "LLEN", QUEUE).strip().endswith(b"6"), 60, "six queued tasks")
        assert _redis(broker, "DEL", QUEUE).startswith(b":1")
    finally:
        os.kill(w.pid, signal.SIGCONT)
    try:
        _out, err = p.communicate(timeout=180)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait(10)
    assert p.returncode == 0, err
    assert err.count("its message was lost") == 6
    assert set(converted_events(dst / ".qujat" / "journal.sqlite").values()) == {1}
    assert len(list(dst.glob("*.odt"))) == 6


@needs_celery
def test_status_without_a_broker_exits_3(tmp_path: Path) -> None:
    from watch.distributed import status_main

    assert status_main(["--broker", f"redis://127.0.0.1:{_free_port()}/0", "--timeout", "0.5"]) == int(
        ExitCode.missing_dependency
    )
