"""Wall time and success count of ways to turn office documents into ODF + PDF, against qujat.

Over the same input documents this times:

naive
    A per-file shell-style loop: ``soffice --headless --convert-to odt|ods|odp`` then ``--convert-to pdf``,
    two LibreOffice starts per file, one fresh private profile per run, a timeout on every call.
unoserver
    One warm ``unoserver`` (private profile), timed only once it answers; each file goes through
    ``unoconvert`` twice (ODF, then PDF), one after the other, as a single server is used.
unoserver-api
    The same, through unoserver's Python client in this process: no ``unoconvert`` start-up per call.
qujat
    ``qujat convert FILES --profile final --json`` as one subprocess, its start-up included: ODF, verified
    PDF/A-2b and a report per file, over its pool of workers (CPU count by default).

Success is both outputs present and non-empty (naive, unoserver), or ``status == "converted"`` in qujat's
JSON line for the file. Inputs are copied first under ``bench-out/inputs`` with a numbered name, so that
files sharing a name in different folders of a corpus do not overwrite each other's outputs.

Usage::

    python bench/convert_bench.py [INPUT_DIR] [--limit N] [--repeat N] [--methods naive,unoserver,...]

INPUT_DIR (default ``samples/files/good``) is searched recursively for office documents. Prints a table,
writes the same figures to ``bench-out/bench.json``, and checks that no soffice outlives the script.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import json
import logging
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

# The ODF type LibreOffice should write for each input extension (lower-cased).
ODF_FOR = {
    **dict.fromkeys(
        ["doc", "docx", "docm", "dot", "dotx", "dotm", "rtf", "odt", "ott", "fodt", "wpd", "txt"], "odt"
    ),
    **dict.fromkeys(["xls", "xlsx", "xlsm", "xlt", "xltx", "xltm", "ods", "ots", "fods", "csv"], "ods"),
    **dict.fromkeys(
        ["ppt", "pptx", "pptm", "pot", "potx", "potm", "pps", "ppsx", "odp", "otp", "fodp"], "odp"
    ),
}
METHODS = ("naive", "unoserver", "unoserver-api", "qujat")
BIN = Path(sys.executable).parent  # the venv's bin: unoserver, unoconvert and qujat live beside python


@dataclass(slots=True)
class FileOutcome:
    """One input's fate in one run of one method."""

    name: str
    source: str
    ok: bool
    seconds: float | None = None
    error: str = ""


@dataclass(slots=True)
class Run:
    """One timed pass of one method over all inputs."""

    method: str
    wall_s: float
    outcomes: list[FileOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def succeeded(self) -> int:
        return sum(o.ok for o in self.outcomes)


@dataclass(frozen=True, slots=True)
class Doc:
    """An input: the original path, and the numbered copy every method reads."""

    source: Path
    staged: Path

    @property
    def odf_ext(self) -> str:
        return ODF_FOR[self.staged.suffix.lower().lstrip(".")]


# --- processes ----------------------------------------------------------------------------------------


def _kill_group(proc: subprocess.Popen[bytes], grace_s: float = 0.0) -> None:
    """Stop *proc*'s whole process group (soffice forks oosplash and soffice.bin under it)."""
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        pgid = proc.pid
    if grace_s:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace_s)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def run_group(cmd: Sequence[str], *, timeout_s: float) -> tuple[int | None, str]:
    """Run *cmd* in its own session; on timeout kill the group. Returns (exit code or None, output tail)."""
    proc = subprocess.Popen(
        list(cmd), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout_s)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, code = b"", None
    finally:
        # A clean exit of the launcher can still leave a child behind: sweep the group either way.
        _kill_group(proc)
    return code, out.decode(errors="replace").strip()[-400:]


def _processes() -> dict[int, tuple[int, str]]:
    """Every process: pid → (parent pid, command line)."""
    procs = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            ppid = int((d / "stat").read_text().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        procs[int(d.name)] = (ppid, cmd)
    return procs


def soffice_processes(marker: str) -> tuple[dict[int, str], dict[int, str]]:
    """soffice processes (by ``pgrep -af soffice``), split into this run's and everyone else's.

    A process is this run's when it or an ancestor names *marker* (the output folder) on its command line:
    naive and unoserver profiles live there, and qujat's worker folders too since its TMPDIR points there.
    Other people's LibreOffice on a shared machine is not ours to judge.
    """
    try:
        out = subprocess.run(
            ["pgrep", "-af", "soffice"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired) as e:
        log.warning("pgrep failed: %s", e)
        return {}, {}
    procs = _processes()
    mine, others = {}, {}
    for line in out.splitlines():
        pid_s, _, cmd = line.partition(" ")
        pid, chain, seen = int(pid_s), int(pid_s), set()
        while chain > 1 and chain not in seen and chain in procs:
            seen.add(chain)
            if marker in procs[chain][1]:
                mine[pid] = cmd
                break
            chain = procs[chain][0]
        else:
            others[pid] = cmd
    return mine, others


def leftover_soffice(marker: str, wait_s: float = 10.0) -> tuple[dict[int, str], dict[int, str]]:
    """This run's soffice processes after giving exiting ones *wait_s* seconds; also the others."""
    deadline = time.monotonic() + wait_s
    while True:
        mine, others = soffice_processes(marker)
        if not mine or time.monotonic() > deadline:
            return mine, others
        time.sleep(0.5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def soffice_version(soffice: str, scratch: Path) -> str:
    with tempfile.TemporaryDirectory(dir=scratch) as prof:
        code, out = run_group(
            [soffice, f"-env:UserInstallation={Path(prof).as_uri()}", "--version"], timeout_s=60
        )
    return out.splitlines()[-1] if code == 0 and out else "unknown"


def tool_version(cmd: Sequence[str]) -> str:
    try:
        res = subprocess.run(list(cmd), capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (res.stdout or res.stderr).strip().splitlines()[-1] if (res.stdout or res.stderr) else "unknown"


def outputs_ok(*paths: Path) -> bool:
    return all(p.is_file() and p.stat().st_size > 0 for p in paths)


# --- inputs -------------------------------------------------------------------------------------------


def find_inputs(root: Path, limit: int | None) -> list[Path]:
    """Office documents under *root*, recursively, in a stable order; other files are skipped."""
    found, skipped = [], 0
    for p in sorted(root.rglob("*")):
        if not p.is_file() or any(part.startswith(".") for part in p.relative_to(root).parts):
            continue
        if p.suffix.lower().lstrip(".") in ODF_FOR:
            found.append(p)
        else:
            skipped += 1
    if skipped:
        log.info("Skipped %d file(s) that are not office documents", skipped)
    return found[:limit] if limit else found


def stage(paths: list[Path], dest: Path) -> list[Doc]:
    """Copy inputs to *dest* as ``NNN-name`` so equal names from different folders stay apart."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    docs = []
    for i, p in enumerate(paths, 1):
        staged = dest / f"{i:03d}-{p.name}"
        shutil.copyfile(p, staged)
        docs.append(Doc(p, staged))
    return docs


# --- (a) naive ----------------------------------------------------------------------------------------


def bench_naive(docs: list[Doc], out: Path, *, soffice: str, timeout_s: float) -> Run:
    """Two cold soffice starts per file (ODF, then PDF) sharing one fresh profile per run."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    profile = out / "profile"
    run = Run("naive", 0.0)
    t0 = time.monotonic()
    for doc in docs:
        t1, errors = time.monotonic(), []
        for ext in (doc.odf_ext, "pdf"):
            cmd = [soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                   "--convert-to", ext, "--outdir", str(out), str(doc.staged)]
            code, tail = run_group(cmd, timeout_s=timeout_s)
            if code is None:
                errors.append(f"{ext}: timed out after {timeout_s:.0f}s")
                # A killed soffice can leave its profile's lock file behind: clear it for the next start.
                (profile / ".lock").unlink(missing_ok=True)
            elif not outputs_ok(out / f"{doc.staged.stem}.{ext}"):
                last = tail.splitlines()[-1] if tail else ""
                errors.append(f"{ext}: no output (exit {code}) {last}".strip())
        ok = outputs_ok(out / f"{doc.staged.stem}.{doc.odf_ext}", out / f"{doc.staged.stem}.pdf")
        run.outcomes.append(FileOutcome(doc.staged.name, str(doc.source), ok, time.monotonic() - t1,
                                        "; ".join(errors)))
        log.info("naive         %-4s %s", "ok" if ok else "FAIL", doc.staged.name)
    run.wall_s = time.monotonic() - t0
    return run


# --- (b) unoserver ------------------------------------------------------------------------------------


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout_s: float) -> None:
        super().__init__()
        self.timeout_s = timeout_s

    def make_connection(self, host: tuple[str, dict[str, str]] | str) -> http.client.HTTPConnection:
        conn = super().make_connection(host)
        conn.timeout = self.timeout_s
        return conn


class UnoServer:
    """A ``unoserver`` process with a private LibreOffice profile; stopped as a process group."""

    def __init__(self, workdir: Path, *, timeout_s: float) -> None:
        self.workdir, self.timeout_s = workdir, timeout_s
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = self.uno_port = 0
        self.starts = 0

    def start(self, ready_budget_s: float = 90.0) -> float:
        """Start the server and wait until its ``info`` call answers; returns the seconds it took."""
        self.port, self.uno_port = free_port(), free_port()
        profile = self.workdir / f"profile-{self.starts}"
        self.starts += 1
        cmd = [str(BIN / "unoserver"), "--interface", "127.0.0.1", "--port", str(self.port),
               "--uno-port", str(self.uno_port), "--user-installation", str(profile),
               "--conversion-timeout", str(int(self.timeout_s))]
        t0 = time.monotonic()
        with (self.workdir / "unoserver.log").open("ab") as logf:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=logf, stderr=logf,
                                         start_new_session=True)
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}",
                                          transport=_TimeoutTransport(10.0))
        # unoserver itself sleeps a fixed 7 s before serving; poll rather than guess how long.
        while time.monotonic() - t0 < ready_budget_s:
            if self.proc.poll() is not None:
                raise RuntimeError(f"unoserver exited with {self.proc.returncode}; see unoserver.log")
            try:
                proxy.info()
                return time.monotonic() - t0
            except (OSError, xmlrpc.client.Error, http.client.HTTPException):
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"unoserver did not answer within {ready_budget_s:.0f}s")

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def healthy(self) -> bool:
        """Whether the server still reaches a working LibreOffice (its ``info`` call goes through UNO)."""
        if not self.alive:
            return False
        proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}", transport=_TimeoutTransport(15.0))
        try:
            proxy.info()
        except (OSError, xmlrpc.client.Error, http.client.HTTPException):
            return False
        return True

    def restart(self) -> None:
        self.stop(grace_s=2.0)
        self.start()

    def stop(self, grace_s: float = 10.0) -> None:
        if self.proc is not None:
            _kill_group(self.proc, grace_s=grace_s)
            self.proc = None


def _unoconvert_cli(port: int, src: Path, target: Path, ext: str, timeout_s: float) -> str:
    """One conversion with the ``unoconvert`` command; returns an error text, empty on success."""
    cmd = [str(BIN / "unoconvert"), "--host", "127.0.0.1", "--port", str(port),
           "--convert-to", ext, str(src), str(target)]
    code, tail = run_group(cmd, timeout_s=timeout_s)
    if code is None:
        return f"{ext}: unoconvert timed out"
    if not outputs_ok(target):
        return f"{ext}: exit {code} {tail.splitlines()[-1] if tail else ''}".strip()
    return ""


def _unoconvert_api(port: int, src: Path, target: Path, ext: str, timeout_s: float) -> str:
    """The same through unoserver's Python client in this process (no client start-up per call)."""
    from unoserver.client import UnoClient

    # The client's XML-RPC proxy takes no timeout; the socket default is its only bound.
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout_s)
    try:
        UnoClient("127.0.0.1", str(port)).convert(inpath=str(src), outpath=str(target), convert_to=ext)
    except Exception as e:  # noqa: BLE001 - any client failure is a failed file, not a failed bench
        return f"{ext}: {type(e).__name__}: {str(e)[-300:]}"
    finally:
        socket.setdefaulttimeout(old)
    return "" if outputs_ok(target) else f"{ext}: no output"


def bench_unoserver(docs: list[Doc], out: Path, *, timeout_s: float, api: bool = False) -> Run:
    """Sequential conversions (ODF, then PDF per file) against one warm server.

    With ``api`` the calls go through unoserver's Python client in-process; otherwise each is an
    ``unoconvert`` command, as a shell script would run it.
    """
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    server = UnoServer(out, timeout_s=timeout_s)
    run = Run("unoserver-api" if api else "unoserver", 0.0)
    convert_one = _unoconvert_api if api else _unoconvert_cli
    try:
        ready = server.start()
        run.notes.append(f"server ready after {ready:.1f}s (not timed)")
        t0 = time.monotonic()
        for doc in docs:
            t1, errors = time.monotonic(), []
            for ext in (doc.odf_ext, "pdf"):
                target = out / f"{doc.staged.stem}.{ext}"
                # A little over the server's own --conversion-timeout, so that one fires first.
                error = convert_one(server.port, doc.staged, target, ext, timeout_s + 15)
                if error:
                    errors.append(error)
                    # On --conversion-timeout unoserver kills LibreOffice, but may go on answering (or
                    # hanging) instead of exiting. A service manager would restart it: so do we, timed.
                    if not server.healthy():
                        note = f"server unhealthy after {doc.staged.name} {ext}; restarted"
                        log.warning("%s", note)
                        run.notes.append(note)
                        server.restart()
            ok = outputs_ok(out / f"{doc.staged.stem}.{doc.odf_ext}", out / f"{doc.staged.stem}.pdf")
            run.outcomes.append(FileOutcome(doc.staged.name, str(doc.source), ok, time.monotonic() - t1,
                                            "; ".join(errors)))
            log.info("%-13s %-4s %s", run.method, "ok" if ok else "FAIL", doc.staged.name)
        run.wall_s = time.monotonic() - t0
    finally:
        server.stop()
    return run


# --- (c) qujat ----------------------------------------------------------------------------------------


def bench_qujat(docs: list[Doc], out: Path, *, timeout_s: float, workers: int | None) -> Run:
    """``qujat convert`` over all files in one subprocess, timed from launch to exit."""
    shutil.rmtree(out, ignore_errors=True)
    (out / "tmp").mkdir(parents=True)
    # Its worker folders (and so its sandboxes' command lines) land here, which tells its soffice apart.
    env = {**os.environ, "TMPDIR": str(out / "tmp")}
    cmd = [str(BIN / "qujat"), "convert", *(str(d.staged) for d in docs), "--profile", "final",
           "--out", str(out / "out"), "--overwrite", "--json", "--quiet", "--timeout", str(timeout_s)]
    if workers:
        cmd += ["--workers", str(workers)]
    # The whole batch's limit: every file timing out in turn on one worker, plus start-up.
    batch_timeout = 120 + len(docs) * (timeout_s + 30)
    run = Run("qujat", 0.0)
    t0 = time.monotonic()
    with (out / "qujat.stderr").open("wb") as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err,
                                start_new_session=True, env=env)
        try:
            stdout, _ = proc.communicate(timeout=batch_timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            stdout = b""
            run.notes.append(f"qujat killed after {batch_timeout:.0f}s")
        finally:
            _kill_group(proc)
    run.wall_s = time.monotonic() - t0
    run.notes.append(f"exit status {proc.returncode}")
    reports = {}
    for line in stdout.decode(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                rep = json.loads(line)
                reports[Path(rep["input"]["path"]).name] = rep
            except (ValueError, KeyError, TypeError):
                log.warning("qujat printed a line that is not a report: %.200s", line)
    for doc in docs:
        rep = reports.get(doc.staged.name)
        if rep is None:
            run.outcomes.append(FileOutcome(doc.staged.name, str(doc.source), False, None, "no JSON report"))
            continue
        ok = rep.get("status") == "converted"
        error = ""
        if not ok:
            codes = [f"{f.get('code')}: {f.get('message', '')}" for f in rep.get("findings", [])
                     if f.get("severity") == "error"]
            error = f"{rep.get('exit_name')}: {rep.get('message', '')}"
            if codes:
                error += f" [{'; '.join(codes)}]"
        secs = rep.get("timings", {}).get("total")
        run.outcomes.append(FileOutcome(doc.staged.name, str(doc.source), ok, secs, error))
        log.info("qujat         %-4s %s", "ok" if ok else "FAIL", doc.staged.name)
    return run


# --- report -------------------------------------------------------------------------------------------


def summarise(runs: dict[str, list[Run]], n_files: int) -> dict[str, dict[str, float | int]]:
    """Per method: median wall time over the repeats, and the lowest success count among them.

    The fastest run is kept too: on a machine shared with other work it is the least disturbed one.
    """
    rows = {}
    for method, rs in runs.items():
        wall = statistics.median(r.wall_s for r in rs)
        rows[method] = {
            "files": n_files,
            "succeeded": min(r.succeeded for r in rs),
            "wall_s": round(wall, 2),
            "s_per_file": round(wall / n_files, 3) if n_files else 0.0,
            "fastest_wall_s": round(min(r.wall_s for r in rs), 2),
        }
    return rows


def ratios(rows: dict[str, dict[str, float | int]]) -> dict[str, float | None]:
    q = rows.get("qujat", {}).get("wall_s")
    out: dict[str, float | None] = {}
    for other in ("naive", "unoserver", "unoserver-api"):
        w = rows.get(other, {}).get("wall_s")
        out[f"{other.replace('-', '_')}_over_qujat"] = round(float(w) / float(q), 2) if w and q else None
    return out


def ratios_per_repeat(runs: dict[str, list[Run]]) -> dict[str, list[float]]:
    """The ratios within each repeat: its methods ran minutes apart, so under similar load."""
    q = runs.get("qujat", [])
    out = {}
    for other, rs in runs.items():
        if other != "qujat" and q:
            out[f"{other.replace('-', '_')}_over_qujat"] = [
                round(o.wall_s / r.wall_s, 2) for o, r in zip(rs, q, strict=False) if r.wall_s
            ]
    return out


def table(rows: dict[str, dict[str, float | int]], rat: dict[str, float | None], cpus: int) -> str:
    lines = [f"{'method':<13} {'files':>5} {'succeeded':>9} {'wall s':>9} {'s/file':>8}"]
    for method, r in rows.items():
        lines.append(
            f"{method:<13} {r['files']:>5} {r['succeeded']:>9} {r['wall_s']:>9.1f} {r['s_per_file']:>8.2f}"
        )
    for key, value in rat.items():
        label = key.replace("_over_", "/").replace("_", "-")
        lines.append(f"{label:<20} {'n/a' if value is None else f'{value:.2f}x'}")
    lines.append(f"CPUs: {cpus}; load average now {os.getloadavg()[0]:.1f}")
    return "\n".join(lines)


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("input_dir", nargs="?", type=Path, default=Path("samples/files/good"),
                   help="folder of documents, searched recursively (default: samples/files/good)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="first N documents (default: all)")
    p.add_argument("--repeat", type=int, default=1, metavar="N", help="timed runs per method (default 1)")
    p.add_argument("--methods", default=",".join(METHODS), help="comma-separated subset (default: all)")
    p.add_argument("--timeout", type=float, default=120.0, metavar="S", help="per call or file (default 120)")
    p.add_argument("--workers", type=int, default=None, metavar="N", help="qujat workers (default: CPUs)")
    p.add_argument("--out", type=Path, default=Path("bench-out"), metavar="DIR", help="default bench-out")
    p.add_argument("-v", "--verbose", action="store_true", help="log every file")
    args = p.parse_args(argv)
    args.methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    if bad := [m for m in args.methods if m not in METHODS]:
        p.error(f"unknown method(s): {', '.join(bad)}")
    if args.repeat < 1 or (args.limit is not None and args.limit < 1):
        p.error("--repeat and --limit must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("unoserver").setLevel(logging.WARNING)  # its client logs every call at INFO
    if not args.input_dir.is_dir():
        print(f"ERROR: {args.input_dir} is not a folder", file=sys.stderr)
        return 1
    soffice = shutil.which("soffice")
    if soffice is None:
        print("ERROR: soffice not found; run 'make setup'", file=sys.stderr)
        return 3
    if "unoserver" in args.methods and not (BIN / "unoserver").exists():
        print("ERROR: unoserver is not installed; run: pip install -e '.[bench]'", file=sys.stderr)
        return 3
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    docs = stage(find_inputs(args.input_dir, args.limit), out / "inputs")
    if not docs:
        print(f"ERROR: no office documents under {args.input_dir}", file=sys.stderr)
        return 2
    cpus = os.cpu_count() or 1
    lo_version = soffice_version(soffice, out)
    marker = str(out)
    left_after_method: list[dict[str, object]] = []
    host: dict[str, object] = {"cpus": cpus, "machine": platform.machine()}
    host["load_avg_at_start"] = os.getloadavg()
    report: dict[str, object] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "host": host,
        "versions": {
            "libreoffice": lo_version,
            "unoserver": tool_version([str(BIN / "unoserver"), "--version"]),
            "qujat": tool_version([str(BIN / "qujat"), "--version"]),
        },
        "input_dir": str(args.input_dir),
        "limit": args.limit,
        "repeat": args.repeat,
        "timeout_s": args.timeout,
    }
    print(f"{len(docs)} document(s) from {args.input_dir}; {cpus} CPU(s); {lo_version}", file=sys.stderr)
    runs: dict[str, list[Run]] = {}
    try:
        for i in range(args.repeat):
            for method in args.methods:
                print(f"[{i + 1}/{args.repeat}] {method} ...", file=sys.stderr, flush=True)
                dest = out / method
                if method == "naive":
                    run = bench_naive(docs, dest, soffice=soffice, timeout_s=args.timeout)
                elif method == "unoserver":
                    run = bench_unoserver(docs, dest, timeout_s=args.timeout)
                elif method == "unoserver-api":
                    run = bench_unoserver(docs, dest, timeout_s=args.timeout, api=True)
                else:
                    run = bench_qujat(docs, dest, timeout_s=args.timeout, workers=args.workers)
                left, _ = leftover_soffice(marker)
                if left:
                    log.warning("%s left %d soffice process(es): %s", method, len(left), sorted(left))
                    left_after_method += [{"after": method, "pid": k, "cmd": v[:99]} for k, v in left.items()]
                print(f"    {run.succeeded}/{len(docs)} in {run.wall_s:.1f}s", file=sys.stderr)
                runs.setdefault(method, []).append(run)
    finally:
        leftover, others = leftover_soffice(marker)
        for pid in leftover:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if leftover:
            log.warning("Killed this run's leftover soffice process(es): %s", sorted(leftover))
        report["soffice_left_after_method"] = left_after_method
        report["soffice_still_running_at_end"] = [{"pid": p, "cmd": c[:300]} for p, c in leftover.items()]
        report["soffice_of_others_at_end"] = len(others)
    rows = summarise(runs, len(docs))
    rat = ratios(rows)
    host["load_avg_at_end"] = os.getloadavg()
    report.update({"results": rows, "ratios": rat, "ratios_per_repeat": ratios_per_repeat(runs)})
    report["runs"] = {m: [{"wall_s": round(r.wall_s, 3), "succeeded": r.succeeded, "notes": r.notes,
                           "files": [asdict(o) for o in r.outcomes]} for r in rs] for m, rs in runs.items()}
    (out / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(rows, rat, cpus))
    for method, rs in runs.items():
        for o in rs[-1].outcomes:
            if not o.ok:
                print(f"  {method} failed {o.name}: {o.error}")
    if leftover:
        print(f"WARNING: {len(leftover)} soffice process(es) of this run were still running (now killed):")
        for p, c in leftover.items():
            print(f"  {p} {c[:200]}")
    else:
        extra = f" ({len(others)} soffice process(es) of others on the machine)" if others else ""
        print(f"No soffice process of this run left running{extra}.")
    print(f"Figures: {out / 'bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
