"""The ``qujat validate`` command: verdicts on existing PDF/A and ODF files, one line per file.

It owns argument parsing, finding the files (folders with ``--recursive``), telling a PDF from an ODF
file by its bytes, running the checks in a process pool with a bounded queue, the output (text or JSON
lines on stdout, progress and summary on stderr) and the exit code. The checks themselves are
`validators.pdfa` and `validators.odf`. Usage and exit codes: ``docs/validate.md``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import traceback
import zipfile
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any, TextIO

import pikepdf

from validators._report import Finding, FindingKind, ValidationReport
from validators.odf import ODF_MEDIA_TYPE_PREFIX, validate_odf
from validators.pdfa import Flavour, claimed_flavour, prepare, validate_pdfa

log = logging.getLogger(__name__)

__all__ = ["ExitCode", "main"]


class ExitCode(IntEnum):
    """Exit codes of ``qujat validate`` (OCRmyPDF's numbers where the meaning is the same).

    When several apply, the most urgent wins, in this order: 130, 1, 15, 2, 10, 4, 0.
    """

    OK = 0  # every file was checked and passed
    BAD_ARGS = 1
    INPUT_FILE = 2  # a path could not be read, or is neither a PDF nor an ODF file
    ODF_FAILED = 4  # an ODF file failed (and no PDF/A failed)
    PDFA_FAILED = 10  # a PDF failed its PDF/A flavour, or claims none
    OTHER = 15  # a validator crashed: a bug or a broken installation, never a verdict
    INTERRUPTED = 130


_PRIORITY = (
    ExitCode.OTHER,
    ExitCode.INPUT_FILE,
    ExitCode.PDFA_FAILED,
    ExitCode.ODF_FAILED,
    ExitCode.OK,
)

_FLAVOURS = ("auto", *(f.value for f in Flavour))


# --- one file (runs in a worker process) ----------------------------------------------------------------


def _sniff(path: Path) -> str | None:
    """Return ``"pdf"``, ``"odf"`` or None, from the file's bytes alone."""
    with path.open("rb") as f:
        head = f.read(65536)
    # PDF readers accept the header anywhere in the first kilobyte; so does this.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                if "mimetype" in names:
                    with zf.open("mimetype") as m:
                        return "odf" if m.read(100).startswith(ODF_MEDIA_TYPE_PREFIX.encode()) else None
                # A damaged package without its mimetype is still an ODF file to be failed, not skipped;
                # OOXML also has a manifest-like part, but never this one.
                if "META-INF/manifest.xml" in names and "[Content_Types].xml" not in names:
                    return "odf"
        except Exception:  # a damaged or encrypted zip: judge by the first entry's name alone
            return "odf" if head[30:38] == b"mimetype" else None
        return None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<") and b"urn:oasis:names:tc:opendocument:xmlns:office:1.0" in head:
        return "odf"  # flat ODF: a single XML document in the office namespace
    return None


def _claimed(path: Path) -> tuple[str | None, list[Finding]]:
    """Map the flavour a PDF claims onto one qujat checks, with a note when they differ."""
    claim = claimed_flavour(path)
    if claim is None:
        return None, []
    try:
        return Flavour(claim).value, []
    except ValueError:
        pass
    part, level = claim[:1], claim[1:]
    if part in ("1", "2", "3") and level in ("a", "u"):
        # Level A and U include every level B rule: checking B is sound, but says nothing about the rest.
        note = Finding(
            rule="pdfa:claim-checked-as-b",
            message=f"the file claims PDF/A-{part}{level.upper()}; only the PDF/A-{part}B rules were checked",
            kind=FindingKind.NOTE,
        )
        return f"{part}b", [note]
    return claim, []


def _check(path_str: str, flavour: str, schema_dir: str | None, extended: bool) -> dict[str, Any]:
    """Check one file; return a picklable result (never raises for a bad file)."""
    path = Path(path_str)
    try:
        kind = _sniff(path)
    except OSError as e:
        return _error(path_str, "file:unreadable", f"cannot read the file: {e.strerror or e}")
    if kind is None:
        return _error(path_str, "file:unknown-format", "neither a PDF nor an ODF file (judged by its bytes)")
    try:
        if kind == "odf":
            report = validate_odf(path, schema_dir=schema_dir, extended=extended)
        else:
            report = _check_pdf(path, flavour)
    except Exception as e:  # a crashed validator is a bug to report, not a verdict
        log.debug("Validator crashed on %s", path, exc_info=True)
        result = _error(path_str, "internal:crash", f"the validator crashed: {type(e).__name__}: {e}")
        result["status"] = "crash"
        result["traceback"] = traceback.format_exc()
        return result
    d = report.to_dict()
    d["path"] = path_str
    d["status"] = "checked"
    return d


def _check_pdf(path: Path, flavour: str) -> ValidationReport:
    notes: list[Finding] = []
    if flavour == "auto":
        claimed, notes = _claimed(path)
        if claimed is None:
            finding = Finding(
                rule="pdfa:no-claim",
                message="not PDF/A: the file claims no PDF/A flavour in its XMP metadata",
            )
            try:
                pikepdf.open(path).close()
            except (pikepdf.PdfError, OSError, ValueError) as e:
                # No claim could be read because the PDF itself cannot be: say that, not "no claim".
                finding = Finding(rule="pdfa:unreadable", message=f"the PDF cannot be read: {e}")
            return ValidationReport.from_findings(path, "pdfa", [finding])
        try:
            Flavour(claimed)
        except ValueError:
            finding = Finding(
                rule="pdfa:flavour-unsupported",
                message=f"the file claims PDF/A-{claimed}, which qujat does not check (1b, 2b, 2u, 3b)",
                kind=FindingKind.UNSUPPORTED,
            )
            return ValidationReport.from_findings(path, "pdfa", [finding], flavour=claimed)
        flavour = claimed
    report = validate_pdfa(path, flavour)
    if not notes:
        return report
    return ValidationReport.from_findings(path, "pdfa", [*report.findings, *notes], flavour=report.flavour)


def _error(path: str, rule: str, message: str) -> dict[str, Any]:
    finding = Finding(rule=rule, message=message, where=path).to_dict()
    return {
        "path": path,
        "kind": None,
        "flavour": None,
        "passed": False,
        "findings": [finding],
        "status": "error",
    }


def _crash(path: str) -> dict[str, Any]:
    result = _error(path, "internal:worker-died", "a checking process died while this file was in flight")
    result["status"] = "crash"
    return result


# --- arguments and files --------------------------------------------------------------------------------


class _ArgumentError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    # argparse exits with 2 on a bad argument; 2 is this command's "bad input file", so raise instead.
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _ArgumentError(message)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="qujat validate",
        description="Check PDF/A and ODF files; one line per file, exit code by the worst verdict.",
        epilog="Exit codes: 0 all passed, 10 a PDF/A failed, 4 an ODF failed, 2 a path unreadable or "
        "neither PDF nor ODF, 1 bad arguments, 15 validator crash, 130 interrupted.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="PDF or ODF files, or folders (with --recursive)")
    p.add_argument(
        "--flavour",
        choices=_FLAVOURS,
        default="auto",
        help="PDF/A flavour to check PDFs against; auto (default) uses the one each file claims",
    )
    p.add_argument("-r", "--recursive", action="store_true", help="walk folders given as PATH")
    p.add_argument("--workers", type=int, default=None, help="parallel processes (default: CPU count)")
    p.add_argument("--json", action="store_true", help="print one JSON object per file instead of text")
    p.add_argument("--odf-schema", metavar="DIR", help="folder with the OASIS ODF RelaxNG schemas")
    p.add_argument(
        "--extended",
        action="store_true",
        help="accept extended ODF (foreign markup such as loext:) instead of requiring strict ODF",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="log details and show tracebacks")
    return p


def _files(paths: list[str], recursive: bool) -> Iterator[str]:
    """Yield the files to check lazily, so a tree of 100,000 files is never listed in memory at once."""
    for arg in paths:
        if os.path.isdir(arg):
            for top, dirs, names in os.walk(arg, onerror=lambda e: log.warning("Cannot list %s", e.filename)):
                dirs.sort()
                for name in sorted(names):
                    yield os.path.join(top, name)
        else:
            yield arg


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# --- output ---------------------------------------------------------------------------------------------


def _label(result: dict[str, Any]) -> str:
    if result["kind"] == "odf":
        return "ODF"
    if result["flavour"] is None:
        return "not PDF/A"
    return f"PDF/A-{result['flavour']}"


def _line(result: dict[str, Any]) -> str:
    path = result["path"]
    if result["status"] != "checked":
        return f"ERROR {path}: {result['findings'][0]['message']}"
    if result["passed"]:
        return f"PASS {path} ({_label(result)})"
    failures = [f for f in result["findings"] if f["kind"] != FindingKind.NOTE]
    # A rule the file breaks says more than a construct that was not checked: show one first
    first = next((f for f in failures if f["kind"] == FindingKind.VIOLATION), failures[0])
    where = f" [{first['where']}]" if first["where"] else ""
    more = f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""
    return f"FAIL {path} ({_label(result)}): {first['rule']}: {first['message']}{where}{more}"


def _exit_code(result: dict[str, Any]) -> ExitCode:
    if result["status"] == "crash":
        return ExitCode.OTHER
    if result["status"] == "error":
        return ExitCode.INPUT_FILE
    if result["passed"]:
        return ExitCode.OK
    return ExitCode.PDFA_FAILED if result["kind"] == "pdfa" else ExitCode.ODF_FAILED


@dataclass(slots=True)
class _Run:
    json: bool
    verbose: bool
    out: TextIO
    err: TextIO
    progress: bool
    counts: dict[str, int] = field(default_factory=lambda: {"passed": 0, "failed": 0, "errors": 0})
    codes: set[ExitCode] = field(default_factory=set)
    started: float = field(default_factory=time.monotonic)

    def emit(self, result: dict[str, Any]) -> None:
        code = _exit_code(result)
        self.codes.add(code)
        key = (
            "passed"
            if code is ExitCode.OK
            else "errors"
            if code in (ExitCode.INPUT_FILE, ExitCode.OTHER)
            else "failed"
        )
        self.counts[key] += 1
        if self.progress:
            self.err.write("\r\x1b[K")  # clear the progress line before a result lands on the terminal
        if self.json:
            record = {k: result[k] for k in ("path", "kind", "flavour", "passed", "findings")}
            self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            self.out.write(_line(result) + "\n")
        self.out.flush()
        if self.verbose and result.get("traceback"):
            self.err.write(result["traceback"])
        if self.progress:
            done = sum(self.counts.values())
            self.err.write(
                f"checked {done} files: {self.counts['failed']} failed, {self.counts['errors']} errors"
            )
            self.err.flush()

    def summary(self, interrupted: bool = False) -> str:
        total = sum(self.counts.values())
        took = time.monotonic() - self.started
        c = self.counts
        text = f"{total} files checked in {took:.1f}s: {c['passed']} passed, {c['failed']} failed"
        return text + f", {c['errors']} errors" + (" (interrupted)" if interrupted else "")

    def exit_code(self) -> ExitCode:
        return next(code for code in _PRIORITY if code in self.codes or code is ExitCode.OK)


# --- main -----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run ``qujat validate``.

    Args:
        argv: The arguments after ``validate`` (``sys.argv[1:]`` when None).

    Returns:
        The exit code (see `ExitCode` and ``docs/validate.md``).
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        workers = _cpu_count() if args.workers is None else args.workers
        if workers < 1:
            raise _ArgumentError("--workers must be at least 1")
        if args.odf_schema is not None and not os.path.isdir(args.odf_schema):
            raise _ArgumentError(f"--odf-schema {args.odf_schema}: not a folder")
        if not args.recursive:
            for p in args.paths:
                if os.path.isdir(p):
                    raise _ArgumentError(f"{p} is a folder; add --recursive to check the files inside it")
    except _ArgumentError as e:
        parser.print_usage(sys.stderr)
        print(f"ERROR: {e}", file=sys.stderr)
        return ExitCode.BAD_ARGS
    except SystemExit as e:  # --help
        return int(e.code or 0)

    _configure_logging(args.verbose)
    run = _Run(
        json=args.json, verbose=args.verbose, out=sys.stdout, err=sys.stderr, progress=sys.stderr.isatty()
    )
    job = (args.flavour, args.odf_schema, args.extended)
    try:
        if workers == 1:
            for n, path in enumerate(_files(args.paths, args.recursive)):
                if n == 1:
                    prepare()  # a run of more than one file: ready the process as a worker is readied
                run.emit(_check(path, *job))
        else:
            _run_pool(run, _files(args.paths, args.recursive), job, workers)
    except KeyboardInterrupt:
        if run.progress:
            sys.stderr.write("\r\x1b[K")
        print(run.summary(interrupted=True), file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return run.exit_code()
    if run.progress:
        sys.stderr.write("\r\x1b[K")
    print(run.summary(), file=sys.stderr)
    return run.exit_code()


def _pool(workers: int) -> ProcessPoolExecutor:
    # Each worker is readied for a long run (validators.pdfa.prepare) before its first file
    return ProcessPoolExecutor(max_workers=workers, initializer=prepare)


def _run_pool(run: _Run, files: Iterator[str], job: tuple[str, str | None, bool], workers: int) -> None:
    # At most a few tasks per worker are queued: the file walk stays lazy and memory stays flat however
    # large the tree, while each worker always has its next file ready.
    limit = workers * 4
    pool = _pool(workers)
    pending: dict[Future[dict[str, Any]], str] = {}
    try:
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < limit:
                path = next(files, None)
                if path is None:
                    exhausted = True
                    break
                pending[pool.submit(_check, path, *job)] = path
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                path = pending.pop(future)
                try:
                    run.emit(future.result())
                except BrokenProcessPool:
                    broken = True
                    run.emit(_crash(path))
            if broken:
                # A worker died (killed, out of memory) and took the pool with it: every file then in
                # flight is reported, since which one killed it cannot be told, and a fresh pool goes on.
                for path in pending.values():
                    run.emit(_crash(path))
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = _pool(workers)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _configure_logging(verbose: bool) -> None:
    # The library adds no handlers; the command decides what the user sees on stderr.
    root = logging.getLogger("validators")
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
