"""The ``qujat`` command line: ``convert`` and ``doctor`` here; other packages add subcommands
(``validate``, ``batch``, ``watch`` ...) through the ``qujat.commands`` entry-point group.

The library raises and returns results; only this module turns them into output lines, one red
``ERROR:`` line with a ``TIP:`` where there is a remedy, tracebacks only with ``-v``, and exit codes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import TextIO

from converter import logs
from converter.api import Converter
from converter.exceptions import BadArgsError, ConfigError, ExitCode, InputFileError, QujatError
from converter.result import ConversionResult, Status
from validators.fidelity import ReviewPolicy

log = logging.getLogger(__name__)

_EPILOG = """\
exit codes: 0 ok, 1 bad arguments, 2 input unreadable/unknown/damaged/unsafe, 3 missing dependency,
4 an ODF output failed validation, 5 output exists or cannot be written, 7 engine failed or timed out,
8 encrypted or rights-protected input, 9 invalid review policy, 10 PDF/A validation failed,
11 converted but needs review (fidelity findings over the policy), 15 other error, 130 interrupted.
With several inputs, the exit code is that of the first input (in argument order) that failed.
"""


class _Interrupted(Exception):
    pass


def _on_signal(signum: int, frame: FrameType | None) -> None:
    raise _Interrupted(signal.Signals(signum).name)


def _version() -> str:
    try:
        return metadata.version("qujat")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _plugin_commands() -> dict[str, metadata.EntryPoint]:
    return {ep.name: ep for ep in metadata.entry_points(group="qujat.commands")}


def _plugin_summary(ep: metadata.EntryPoint) -> str:
    """A subcommand's one-line help; a command whose package cannot load says so instead of breaking
    every other command (an optional extra, such as Celery for ``worker``, may not be installed)."""
    try:
        doc = (ep.load().__doc__ or "").strip().splitlines()
    except Exception as e:  # noqa: BLE001 - any import failure of an optional command
        return f"(unavailable: {type(e).__name__}: {e})"
    return doc[0] if doc else f"see 'qujat {ep.name} --help'"


def _parser(plugins: dict[str, metadata.EntryPoint]) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="qujat",
        description="Convert office documents to strict ODF and validated PDF/A, with a report per document.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"qujat {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    c = sub.add_parser(
        "convert",
        help="convert documents",
        description="Convert documents. For each INPUT writes <stem>.odt|.ods|.odp and/or <stem>.pdf and the "
        "report <stem>.qujat.json into --out. A PDF that fails PDF/A validation is kept aside in "
        "--out/quarantine with <name>.reason.json, never placed as PDF/A.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("inputs", nargs="+", metavar="INPUT", type=Path, help="documents to convert")
    c.add_argument(
        "--profile",
        choices=["working", "final", "archive"],
        default="final",
        help="working: ODF; final: ODF + PDF/A (default); archive: PDF/A",
    )
    c.add_argument(
        "--pdfa",
        choices=["1b", "2b", "2u", "3b"],
        default="2b",
        help="PDF/A flavour (default 2b); 3b embeds the ODF working copy",
    )
    c.add_argument(
        "--out", type=Path, default=None, metavar="DIR", help="output folder (default: beside each input)"
    )
    c.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="LibreOffice worker processes (default: CPU count, at most one per input)",
    )
    c.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        metavar="S",
        help="seconds allowed per document in LibreOffice (default 120)",
    )
    c.add_argument("--overwrite", action="store_true", help="replace existing outputs")
    c.add_argument(
        "--odf-dialect",
        choices=["strict", "extended"],
        default="strict",
        help="strict ODF 1.3 (default) or LibreOffice's extended dialect",
    )
    c.add_argument(
        "--sandbox",
        choices=["auto", "require", "off"],
        default="auto",
        help="run LibreOffice in a bubblewrap sandbox: auto (where it starts), require, off",
    )
    c.add_argument(
        "--review-policy",
        type=Path,
        metavar="TOML",
        help="which findings send a document to review (exit 11); see docs/fidelity.md",
    )
    c.add_argument("--no-fidelity", action="store_true", help="skip comparing sources with outputs")
    c.add_argument("--json", action="store_true", help="print one JSON report per input (JSON lines)")
    c.add_argument("--json-logs", action="store_true", help="log to stderr as JSON lines")
    c.add_argument("-v", "--verbose", action="count", default=0, help="more logging; -vv for engine output")
    c.add_argument("-q", "--quiet", action="store_true", help="no progress display")

    sub.add_parser("doctor", help="check the installation and say how to fix gaps")
    for name in sorted(plugins):
        sub.add_parser(name, help=_plugin_summary(plugins[name]), add_help=False)
    return p


class _Progress:
    """A one-line counter on a terminal's stderr; silent otherwise."""

    def __init__(self, total: int, stream: TextIO, enabled: bool) -> None:
        self.total, self.stream, self.enabled = total, stream, enabled and total > 1
        self.done = self.failed = 0
        self.t0 = time.monotonic()

    def update(self, result: ConversionResult) -> None:
        self.done += 1
        self.failed += not result.ok
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.t0
        eta = elapsed / self.done * (self.total - self.done)
        self.stream.write(
            f"\r\033[K[{self.done}/{self.total}] ok {self.done - self.failed}, failed {self.failed}, "
            f"ETA {eta:.0f}s"
        )
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _line(r: ConversionResult) -> str:
    secs = r.timings.get("total", 0.0)
    if r.status is Status.CONVERTED:
        parts = []
        for o in r.outputs:
            label = f" (PDF/A-{o.pdfa_flavour})" if o.pdfa_flavour else ("" if o.valid else " (INVALID)")
            parts.append(f"{o.path}{label}")
        warn = sum(1 for f in r.findings if f.severity != "info")
        extra = f"  [{warn} finding(s), see {r.report_path}]" if warn else ""
        if r.exit_code is ExitCode.fidelity_below_threshold:
            extra = f"  [NEEDS REVIEW: {warn} finding(s), see {r.report_path}]"
        return f"converted    {r.input} → {', '.join(parts)}  {secs:.1f}s{extra}"
    reason = next((f.code for f in r.findings if f.severity == "error"), r.exit_code.name)
    return f"quarantined  {r.input}  [{reason}] {r.message}"


def _convert(args: argparse.Namespace) -> int:
    missing = [p for p in args.inputs if not p.is_file()]
    if missing:
        raise InputFileError(
            f"input not found or not a file: {missing[0]}", tip="check the path; folders need 'qujat batch'"
        )
    workers = args.workers or min(os.cpu_count() or 1, len(args.inputs))
    if workers < 1:
        raise BadArgsError("--workers must be at least 1")
    policy = None
    if args.review_policy is not None:
        try:
            policy = ReviewPolicy.from_toml(args.review_policy)
        except (OSError, ValueError) as e:
            raise ConfigError(f"cannot use the review policy {args.review_policy}: {e}") from e
    progress = _Progress(
        len(args.inputs), sys.stderr, sys.stderr.isatty() and not args.quiet and not args.json
    )
    order = {p: i for i, p in enumerate(args.inputs)}
    first_failure: tuple[int, ExitCode] | None = None
    with Converter(
        workers=workers,
        sandbox=args.sandbox,
        odf_dialect=args.odf_dialect,
        profile=args.profile,
        pdfa=args.pdfa,
        output_dir=args.out,
        timeout_s=args.timeout,
        overwrite=args.overwrite,
        fidelity=not args.no_fidelity,
        review_policy=policy,
    ) as conv:
        for r in conv.convert_many(args.inputs):
            progress.clear()
            if args.json:
                print(json.dumps(r.to_report(), ensure_ascii=False), flush=True)
            else:
                print(_line(r), flush=True)
            progress.update(r)
            if not r.ok:
                idx = order.get(r.input, len(order))
                if first_failure is None or idx < first_failure[0]:
                    first_failure = (idx, r.exit_code)
    progress.clear()
    return int(first_failure[1]) if first_failure else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (the console script exits with it)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    plugins = _plugin_commands()
    if argv and argv[0] in plugins:
        try:
            command = plugins[argv[0]].load()
        except ImportError as e:
            print(f"ERROR: 'qujat {argv[0]}' cannot run here: {e}", file=sys.stderr)
            print(
                "TIP: install the extra it needs, e.g. .venv/bin/pip install 'qujat[distributed]'",
                file=sys.stderr,
            )
            return int(ExitCode.missing_dependency)
        return int(command(argv[1:]))
    parser = _parser(plugins)
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on bad usage; ours is 1
        return int(ExitCode.bad_args) if e.code not in (0, None) else 0
    if args.command is None:
        parser.print_help(sys.stderr)
        return int(ExitCode.bad_args)
    if args.command == "doctor":
        from converter import doctor

        return doctor.run()
    level = logging.WARNING if args.verbose <= 0 else logging.INFO if args.verbose == 1 else logging.DEBUG
    logs.configure(level=level, json_logs=args.json_logs)
    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        return _convert(args)
    except _Interrupted as e:
        print(f"\nInterrupted ({e}); LibreOffice workers stopped.", file=sys.stderr)
        return int(ExitCode.ctrl_c)
    except QujatError as e:
        _error(e.message, e.tip, args.verbose)
        return int(e.exit_code)
    except Exception as e:  # noqa: BLE001 - the last line of defence prints one line, not a traceback
        _error(f"{type(e).__name__}: {e}", "run again with -v for the traceback, and report it", args.verbose)
        return int(ExitCode.other_error)
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _error(message: str, tip: str, verbose: int) -> None:
    red, reset = ("\033[31m", "\033[0m") if sys.stderr.isatty() else ("", "")
    if verbose:
        log.exception("%s", message)
    print(f"{red}ERROR:{reset} {message}", file=sys.stderr)
    if tip:
        print(f"TIP: {tip}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
