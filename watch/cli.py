"""The ``qujat`` subcommands of watched folders and batches: ``init``, ``watch``, ``batch``, ``retry`` and
``journal``, found by ``qujat`` through the ``qujat.commands`` entry-point group.

Each ``*_main(argv) -> int`` parses its arguments, configures logging, installs signal handlers and maps
exceptions to one ``ERROR:`` line, a ``TIP:`` and converter's exit codes (9 for a bad configuration,
12 for a batch with inputs that did not convert, 130 when interrupted).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from converter import ExitCode, QujatError, write_bytes_atomic
from watch import _log
from watch.config import load_config

log = logging.getLogger(__name__)


class _ArgParser(argparse.ArgumentParser):
    """argparse exits 2 on bad usage; qujat's code for bad arguments is 1."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"ERROR: {message}", file=sys.stderr)
        raise SystemExit(int(ExitCode.bad_args))


def _error(message: str, tip: str = "") -> None:
    red, reset = ("\033[31m", "\033[0m") if sys.stderr.isatty() else ("", "")
    print(f"{red}ERROR:{reset} {message}", file=sys.stderr)
    if tip:
        print(f"TIP: {tip}", file=sys.stderr)


def _run(
    parser: argparse.ArgumentParser, argv: Sequence[str], body: Callable[[argparse.Namespace], int]
) -> int:
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as e:
        return int(e.code) if isinstance(e.code, int) else int(ExitCode.bad_args)
    try:
        return body(args)
    except QujatError as e:
        _error(e.message, e.tip)
        return int(e.exit_code)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return int(ExitCode.ctrl_c)
    except Exception as e:  # noqa: BLE001 - the last line of defence prints one line, not a traceback
        if getattr(args, "verbose", 0):
            log.exception("%s", e)
        _error(f"{type(e).__name__}: {e}", "run again with -v for the traceback, and report it")
        return int(ExitCode.other_error)


def _graceful(stop: threading.Event, what: str) -> dict[int, object]:
    """First SIGINT/SIGTERM: set *stop*. Second: leave at once (the journal makes that safe)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            print(
                f"\n{signal.Signals(signum).name} again: stopping at once; run again to resume.",
                file=sys.stderr,
            )
            os._exit(int(ExitCode.ctrl_c))
        log.warning("%s: %s (once more to stop at once)", signal.Signals(signum).name, what)
        stop.set()

    return {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}


# -- init ----------------------------------------------------------------------------------------------


def init_main(argv: Sequence[str]) -> int:
    """Set up watched folders: a commented qujat.toml and its folders."""
    p = _ArgParser(
        prog="qujat init",
        description="Write a commented example qujat.toml into DIR and make the folders it names: "
        "inbox/working, inbox/final, inbox/archive, out/..., originals, quarantine, reports and state.",
    )
    p.add_argument("dir", type=Path, metavar="DIR", help="folder to set up (created if missing)")
    p.add_argument("--force", action="store_true", help="replace an existing qujat.toml")

    def body(args: argparse.Namespace) -> int:
        from watch.config import init_layout

        path = init_layout(args.dir, overwrite=args.force)
        print(f"wrote {path}")
        print(f"start watching with: qujat watch --config {path}")
        return 0

    return _run(p, argv, body)


# -- watch ---------------------------------------------------------------------------------------------


def watch_main(argv: Sequence[str]) -> int:
    """Run the watched-folder daemon (see docs/watch.md)."""
    p = _ArgParser(
        prog="qujat watch",
        description="Watch the inboxes a qujat.toml names and convert each complete file dropped there: "
        "outputs and a report into the route's output folder, the original into originals/<date>/, "
        "or the file with <name>.reason.json into quarantine. Stops gracefully on SIGTERM or Ctrl-C.",
        epilog="exit codes: 0 stopped cleanly, 1 bad arguments, 3 LibreOffice missing, 5 another daemon "
        "uses this journal, 9 invalid configuration.",
    )
    p.add_argument("--config", type=Path, required=True, metavar="FILE", help="the qujat.toml")
    p.add_argument("--polling", action="store_true", help="poll instead of inotify (SMB/NFS shares)")
    p.add_argument("--log-file", type=Path, metavar="F", help="append the log here instead of stderr")
    p.add_argument("--json-logs", action="store_true", help="log JSON lines")
    p.add_argument("--check", action="store_true", help="validate the configuration and exit")
    p.add_argument("-v", "--verbose", action="count", default=0, help="debug logging")

    def body(args: argparse.Namespace) -> int:
        cfg = load_config(args.config, create_folders=not args.check)
        if args.check:
            print(
                f"{args.config}: valid; {len(cfg.routes)} route(s): " + ", ".join(r.name for r in cfg.routes)
            )
            return 0
        _log.configure(verbosity=args.verbose, json_logs=args.json_logs, log_file=args.log_file)
        from watch.daemon import Daemon

        stop = threading.Event()
        old = _graceful(stop, "finishing the documents in hand, then stopping")
        try:
            Daemon(cfg, polling=args.polling or None, stop=stop, private_tmp=True).run()
        finally:
            for s, h in old.items():
                signal.signal(s, h)  # type: ignore[arg-type]
        return 0

    return _run(p, argv, body)


# -- batch ---------------------------------------------------------------------------------------------


def batch_main(argv: Sequence[str]) -> int:
    """Convert a folder tree into a mirrored tree, in parallel and resumably."""
    p = _ArgParser(
        prog="qujat batch",
        description="Convert every document under SRC into the same place under DST (outputs and a report "
        "per document), with LibreOffice workers in parallel. Interrupted or killed, the same command "
        "carries on without converting finished documents again (the journal is in DST/.qujat). Ends "
        "with DST/reports/summary.csv, documents.csv and summary.html.",
        epilog="exit codes: 0 every input converted, 1 bad arguments, 3 LibreOffice missing, 5 another "
        "batch writes into DST, 12 some inputs did not convert (quarantined, vanished or not reached), "
        "130 interrupted.",
    )
    p.add_argument("src", type=Path, metavar="SRC", help="folder of documents (only read)")
    p.add_argument("dst", type=Path, metavar="DST", help="output folder (mirrors SRC)")
    p.add_argument(
        "--profile",
        choices=["working", "final", "archive"],
        default="final",
        help="working: ODF; final: ODF + PDF/A (default); archive: PDF/A",
    )
    p.add_argument(
        "--pdfa", choices=["1b", "2b", "2u", "3b"], default="2b", help="PDF/A flavour (default 2b)"
    )
    p.add_argument("--workers", type=int, default=0, metavar="N", help="LibreOffice workers (default: CPUs)")
    p.add_argument("--timeout", type=float, default=120.0, metavar="S", help="seconds per document (120)")
    p.add_argument(
        "--sandbox",
        choices=["auto", "require", "off"],
        default="auto",
        help="run LibreOffice in a bubblewrap sandbox: auto (where it starts), require, off",
    )
    p.add_argument(
        "--retry-failed", action="store_true", help="convert again what an earlier run quarantined"
    )
    p.add_argument(
        "--broker",
        metavar="URL",
        help="convert on 'qujat worker' hosts through this broker (redis://host:6379/0) instead of here; "
        "SRC and DST must be on storage every worker mounts at the same path (docs/distributed.md)",
    )
    p.add_argument("--result-backend", metavar="URL", help="with --broker: result store (the broker)")
    p.add_argument("--log-file", type=Path, metavar="F", help="append the log here instead of stderr")
    p.add_argument("--json-logs", action="store_true", help="log JSON lines")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar, warnings only")
    p.add_argument("-v", "--verbose", action="count", default=0, help="debug logging")

    def body(args: argparse.Namespace) -> int:
        from converter import BadArgsError, Flavour, Profile
        from watch.batch import BatchOptions, print_summary, run_batch

        if args.workers < 0 or args.timeout <= 0:
            raise BadArgsError("--workers must be >= 0 and --timeout > 0")
        _log.configure(verbosity=args.verbose, json_logs=args.json_logs, log_file=args.log_file)
        bar = sys.stderr.isatty() and not args.quiet and not args.json_logs and args.log_file is None
        if bar or args.quiet:
            # The bar shows progress; per-document INFO lines would tear it.
            logging.getLogger("watch").setLevel(logging.WARNING)
        opts = BatchOptions(
            src=args.src,
            dst=args.dst,
            profile=Profile(args.profile),
            pdfa=Flavour(args.pdfa),
            workers=args.workers,
            timeout_s=args.timeout,
            sandbox=args.sandbox,
            retry_failed=args.retry_failed,
            broker=args.broker,
            result_backend=args.result_backend,
        )
        stop = threading.Event()
        old = _graceful(stop, "finishing the documents in hand; run the same command again to resume")
        try:
            result = run_batch(opts, stop=stop, progress=sys.stderr if bar else None, private_tmp=True)
        finally:
            for s, h in old.items():
                signal.signal(s, h)  # type: ignore[arg-type]
        print_summary(result)
        if result.interrupted:
            return int(ExitCode.ctrl_c)
        return 0 if result.summary.complete else int(ExitCode.batch_incomplete)

    return _run(p, argv, body)


# -- retry ---------------------------------------------------------------------------------------------


def retry_main(argv: Sequence[str]) -> int:
    """Send quarantined watched-folder jobs back to the queue."""
    p = _ArgParser(
        prog="qujat retry",
        description="Send quarantined jobs back to the queue: the running daemon (or the next one started) "
        "converts them again from where they lie in quarantine. Their old reason files move to "
        "reports/retried/. For batches, run 'qujat batch SRC DST --retry-failed'.",
    )
    p.add_argument("--config", type=Path, required=True, metavar="FILE", help="the qujat.toml")
    g = p.add_mutually_exclusive_group()
    g.add_argument("job_ids", nargs="*", type=int, default=[], metavar="JOB_ID", help="jobs to retry")
    g.add_argument("--all", action="store_true", help="every quarantined job")

    def body(args: argparse.Namespace) -> int:
        from converter import BadArgsError
        from watch._fs import move_durably
        from watch.journal import Job, JobState, Journal

        cfg = load_config(args.config)
        if not args.all and not args.job_ids:
            raise BadArgsError(
                "give JOB_ID(s) or --all", tip="'qujat journal list --config FILE' shows the jobs"
            )
        with Journal(cfg.journal_path) as journal:
            pairs: list[tuple[int, Job | None]]
            if args.all:
                pairs = [(j.id, j) for j in journal.jobs(JobState.QUARANTINED)]
            else:
                pairs = [(i, journal.get(i)) for i in args.job_ids]
            retried = 0
            for jid, job in pairs:
                if job is None or job.state is not JobState.QUARANTINED:
                    print(f"job {jid}: not quarantined; left alone", file=sys.stderr)
                    continue
                where = Path(job.original or job.source)
                if not where.exists():
                    print(f"job {job.id}: its input {where} is no longer there; left alone", file=sys.stderr)
                    continue
                reason = where.with_name(where.name + ".reason.json")
                if reason.exists():
                    move_durably(reason, cfg.reports / "retried" / f"{job.id}-{reason.name}")
                journal.retry(job.id, where)
                retried += 1
                print(f"job {job.id}: {job.rel} queued again")
        print(f"{retried} job(s) queued again")
        return 0

    return _run(p, argv, body)


# -- journal -------------------------------------------------------------------------------------------


def journal_main(argv: Sequence[str]) -> int:
    """List jobs or export the provenance log (JSON lines) of a journal."""
    p = _ArgParser(
        prog="qujat journal",
        description="Read the journal of watched folders (--config) or of a batch (--batch DST).",
    )
    p.add_argument(
        "action",
        choices=["list", "export"],
        help="list: one line per job; export: every event "
        "(received, identified, converted, validated, placed, quarantined ...) as JSON lines",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--config", type=Path, metavar="FILE", help="the qujat.toml of the watched folders")
    src.add_argument("--batch", type=Path, metavar="DST", help="a batch's output folder")
    p.add_argument(
        "--out", type=Path, metavar="F", help="write the export to F (atomically) instead of stdout"
    )
    p.add_argument("--state", default=None, help="list only jobs in this state")

    def body(args: argparse.Namespace) -> int:
        from converter import ConfigError
        from watch.batch import STATE_DIR
        from watch.journal import JobState, Journal

        if args.config is not None:
            path = load_config(args.config, create_folders=False).journal_path
        else:
            path = args.batch / STATE_DIR / "journal.sqlite"
        if not path.exists():
            raise ConfigError(
                f"no journal at {path}", tip="has the daemon or batch run with this folder yet?"
            )
        with Journal(path) as journal:
            if args.action == "export":
                buf = io.StringIO()
                n = journal.export_jsonl(buf)
                if args.out is not None:
                    write_bytes_atomic(args.out, buf.getvalue().encode("utf-8"))
                    print(f"{n} event(s) → {args.out}", file=sys.stderr)
                else:
                    sys.stdout.write(buf.getvalue())
                return 0
            states = (JobState(args.state),) if args.state else ()
            for j in journal.jobs(*states):
                extra = f" duplicate of {j.duplicate_of}" if j.duplicate_of else ""
                print(f"{j.id}\t{j.state}\t{j.route}\t{j.rel}\t{j.exit_name or ''}{extra}")
        return 0

    return _run(p, argv, body)
