"""Does ``qujat batch --broker`` scale with workers? The same documents through one ``qujat worker`` and
through two, each worker with one LibreOffice, over a private redis-server on a loopback port.

Each run starts its workers, waits until they answer (LibreOffice started), then times
``qujat batch SRC DST --broker URL`` from start to exit: intake, queueing, conversion, placing and the
summary. Every document is a distinct file (the samples, each copied with a different comment in its
properties), so the batch's duplicate detection converts nothing less in either run.

Usage::

    python bench/scale_bench.py [--docs 80] [--profile final] [--concurrency 1] [--out bench-out/scale.json]

Prints both throughputs (documents per minute) and their ratio, with the CPU seconds the workers and the
batch used and the load the rest of the machine put on it meanwhile (in cores: on a shared machine the
second worker may find no free core); writes them to ``--out``. Needs
``redis-server`` and ``pip install -e '.[distributed]'``. Leaves no redis, worker or soffice behind.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUJAT = str(Path(sys.executable).with_name("qujat"))
sys.path.insert(0, str(REPO))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(cond, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out after {timeout:.0f}s waiting for {what}")


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _variant(src: Path, dest: Path, n: int) -> None:
    """*src* with a numbered comment in docProps/core.xml: new bytes, same document."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/core.xml":
                data = data.rstrip() + f"<!-- qujat scale bench {n} -->".encode()
            zout.writestr(info, data)


def _inputs(root: Path, n: int) -> Path:
    from samples import generate

    made = generate(root / "samples")
    good = [p for name, p in made.items() if not name.startswith("bad-")]
    src = root / "src"
    for i in range(n):
        s = good[i % len(good)]
        _variant(s, src / f"{i % 4}" / f"{i:03d}-{s.name}", i)
    return src


def _machine_busy_s() -> float:
    """CPU seconds the whole machine has spent busy (every process, every core) since boot."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _tree_cpu_s(root_pid: int) -> float:
    """CPU seconds of *root_pid* and every process below it (reaped children included)."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                st = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry)] = st
            children.setdefault(int(st[1]), []).append(int(entry))
    total, todo, seen = 0, [root_pid], set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in stats:
            continue
        seen.add(pid)
        st = stats[pid]
        total += sum(int(x) for x in st[11:15])  # utime, stime, cutime, cstime
        todo.extend(children.get(pid, []))
    return total / os.sysconf("SC_CLK_TCK")


def _phase_s(db: Path) -> float:
    """Seconds from a journal's first ``received`` event to its last ``placed`` or ``quarantined``."""
    with sqlite3.connect(db, timeout=30) as c:
        first = c.execute("SELECT MIN(time) FROM events WHERE event = 'received'").fetchone()[0]
        last = c.execute("SELECT MAX(time) FROM events WHERE event IN ('placed', 'quarantined')").fetchone()[
            0
        ]
    return (datetime.fromisoformat(last) - datetime.fromisoformat(first)).total_seconds()


def _workers_alive(broker: str) -> int:
    p = subprocess.run(
        [QUJAT, "status", "--broker", broker, "--json", "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return int(json.loads(p.stdout)["alive"]) if p.returncode == 0 else 0


def _run(
    broker: str, root: Path, src: Path, n_workers: int, profile: str, concurrency: int
) -> dict[str, object]:
    procs = []
    try:
        for i in range(n_workers):
            procs.append(
                subprocess.Popen(
                    [QUJAT, "worker", "--broker", broker, "--workers", "1", "--concurrency", str(concurrency)]
                    + ["--name", f"bench{n_workers}-{i}@local", "--work-dir", str(root / f"w{n_workers}-{i}")]
                    + ["--log-file", str(root / f"w{n_workers}-{i}.log")],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        _wait(lambda: _workers_alive(broker) == n_workers, 180, f"{n_workers} worker(s) to answer")
        dst = root / f"dst-{n_workers}"
        workers_cpu0 = sum(_tree_cpu_s(pr.pid) for pr in procs)
        own0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy0 = _machine_busy_s()
        t0 = time.monotonic()
        p = subprocess.run(
            [QUJAT, "batch", str(src), str(dst), "--broker", broker, "--profile", profile, "-q"],
            capture_output=True,
            text=True,
            timeout=3600,
        )
        seconds = time.monotonic() - t0
        busy = _machine_busy_s() - busy0
        own1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        batch_cpu = (own1.ru_utime + own1.ru_stime) - (own0.ru_utime + own0.ru_stime)
        workers_cpu = sum(_tree_cpu_s(pr.pid) for pr in procs) - workers_cpu0
        if p.returncode not in (0, 12):
            raise SystemExit(f"batch failed ({p.returncode}): {p.stderr}")
        phase = _phase_s(dst / ".qujat" / "journal.sqlite")
        with (dst / "reports" / "summary.csv").open(encoding="utf-8") as f:
            counts = {row["key"]: int(row["count"]) for row in csv.DictReader(f) if row["kind"] == "outcome"}
        docs = sum(counts.values())
        return {
            "workers": n_workers,
            "documents": docs,
            "outcomes": counts,
            "seconds": round(seconds, 2),
            "per_minute": round(docs / seconds * 60, 1),
            # From the first document taken into the journal to the last one placed: the batch's start-up
            # and summary left out.
            "phase_seconds": round(phase, 2),
            "phase_per_minute": round(docs / phase * 60, 1),
            "workers_cpu_s": round(workers_cpu, 1),
            "batch_cpu_s": round(batch_cpu, 1),
            # What the rest of the machine (other users, redis) kept busy meanwhile, in cores.
            "other_load_cores": round(max(0.0, busy - workers_cpu - batch_cpu) / seconds, 2),
        }
    finally:
        for pr in procs:
            if pr.poll() is None:
                pr.terminate()
        for pr in procs:
            try:
                pr.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(pr.pid, signal.SIGKILL)
                pr.wait(10)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=80, help="documents per run (80)")
    ap.add_argument("--profile", choices=["working", "final", "archive"], default="final")
    ap.add_argument(
        "--concurrency", type=int, default=1, help="documents in hand per worker (1: one per LibreOffice)"
    )
    ap.add_argument("--out", type=Path, default=REPO / "bench-out" / "scale.json")
    args = ap.parse_args()
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        print("redis-server is not installed (apt-get install redis-server)", file=sys.stderr)
        return 3
    with tempfile.TemporaryDirectory(prefix="qujat-scale-") as tmp:
        root = Path(tmp)
        src = _inputs(root, args.docs)
        port = _free_port()
        (root / "redis").mkdir()
        redis = subprocess.Popen(
            [redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--dir", str(root / "redis")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait(lambda: _ping(port), 20, "redis-server")
            broker = f"redis://127.0.0.1:{port}/0"
            one = _run(broker, root, src, 1, args.profile, args.concurrency)
            two = _run(broker, root, src, 2, args.profile, args.concurrency)
        finally:
            redis.terminate()
            try:
                redis.wait(10)
            except subprocess.TimeoutExpired:
                redis.kill()
    ratio = float(two["per_minute"]) / float(one["per_minute"])  # type: ignore[arg-type]
    phase_ratio = float(two["phase_per_minute"]) / float(one["phase_per_minute"])  # type: ignore[arg-type]
    print(
        f"{'workers':>8} {'docs':>6} {'seconds':>9} {'docs/min':>9} {'(conversion phase)':>19}"
        f" {'worker CPU s':>13} {'batch CPU s':>12} {'other load':>11}"
    )
    for r in (one, two):
        print(
            f"{r['workers']:>8} {r['documents']:>6} {r['seconds']:>9} {r['per_minute']:>9}"
            f" {r['phase_per_minute']:>19} {r['workers_cpu_s']:>13} {r['batch_cpu_s']:>12}"
            f" {r['other_load_cores']:>11}"
        )
    print(
        f"two workers / one worker: {ratio:.2f}x wall clock, {phase_ratio:.2f}x conversion phase"
        f"  ({os.cpu_count()} CPU(s), profile {args.profile}, {args.concurrency} document(s) per worker)"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "runs": [one, two],
                "ratio": round(ratio, 2),
                "phase_ratio": round(phase_ratio, 2),
                "cpus": os.cpu_count(),
                "profile": args.profile,
                "concurrency_per_worker": args.concurrency,
                "python": platform.python_version(),
                "load_average": os.getloadavg(),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
