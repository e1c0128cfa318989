"""Accuracy and speed of `validators.pdfa` on the veraPDF PDF/A conformance corpus.

Each corpus file says in its name what a correct validator answers (``...-pass-a.pdf`` or
``...-fail-b.pdf``) and its top folder (``PDF_A-2b``) the flavour to check it against. For each flavour
this prints the number of files, false approvals (a ``fail`` file approved: the figure an archive cares
about), false rejections, acceptance (share of ``pass`` files approved) and files per second, in one
process: by the wall clock, and by the CPU time of this process (the figure that other work on a busy
machine does not distort).

Speed is measured as a long batch would see it: before any file is timed, the process is readied as
`qujat validate` readies each of its workers (`validators.pdfa.prepare`: one generated document per
flavour, not taken from the corpus, showing text in embedded fonts, then ``gc.freeze``), so that what a
process does once (loading each flavour's schemas and the font readers) is not charged to a folder of
a handful of files. ``--unprepared`` times the files in a fresh process instead.

A flavour folder of ten files takes a tenth of a second, so one slow moment of a shared machine moves
its figure by a third. ``--repeat N`` times each folder N times and prints the median rate; before
each pass the validator forgets what it kept from files it has seen (`validators.pdfa._accel.forget`),
so every pass is a first meeting with those files. Verdicts are tallied from the first pass.

Usage::

    python bench/pdfa_corpus.py CORPUS_DIR [--flavour 2b] [--unprepared] [--repeat N]
        [--show-false-approvals] [--show-rejections]

CORPUS_DIR is the corpus root (holding ``pdfa/PDF_A-*``), its ``pdfa`` folder, or one ``PDF_A-*`` folder.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from validators import ValidationReport
from validators.pdfa import Flavour, prepare, validate_pdfa
from validators.pdfa._accel import forget

log = logging.getLogger(__name__)

UNSUPPORTED = frozenset({"1a", "2a", "3a", "3u", "4", "4e", "4f"})


@dataclass(slots=True)
class Tally:
    """Figures for one flavour."""

    files: int = 0
    passes: int = 0
    accepted: int = 0
    false_approvals: list[Path] = field(default_factory=list)
    rejections: list[tuple[Path, list[str]]] = field(default_factory=list)
    # Per timed pass over the folder: wall-clock and CPU seconds
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)

    @property
    def acceptance(self) -> float:
        return 100.0 * self.accepted / self.passes if self.passes else 100.0

    def rate(self, cpu: bool) -> float:
        """Files per second: the median over the passes."""
        times = self.cpu_seconds if cpu else self.seconds
        rates = [self.files / t for t in times if t > 0]
        return statistics.median(rates) if rates else 0.0


def flavour_folders(root: Path) -> list[Path]:
    """The ``PDF_A-*`` folders under *root* (or *root* itself if it is one)."""
    if root.name.startswith("PDF_A-"):
        return [root]
    if (root / "pdfa").is_dir():
        root = root / "pdfa"
    return sorted(p for p in root.iterdir() if p.is_dir() and p.name.startswith("PDF_A-"))


def expected_pass(path: Path) -> bool | None:
    """True for a ``-pass-`` file, False for ``-fail-``, None if the name says neither."""
    if "-pass-" in path.name:
        return True
    if "-fail-" in path.name:
        return False
    return None


def run(root: Path, only: str | None, repeat: int = 1) -> tuple[dict[str, Tally], dict[str, int]]:
    tallies: dict[str, Tally] = {}
    skipped: dict[str, int] = {}
    for folder in flavour_folders(root):
        flavour = folder.name.removeprefix("PDF_A-").lower()
        if only is not None and flavour != only:
            continue
        files = [p for p in sorted(folder.rglob("*.pdf")) if expected_pass(p) is not None]
        if flavour in UNSUPPORTED or flavour not in set(Flavour):
            skipped[flavour] = len(files)
            continue
        tally = tallies.setdefault(flavour, Tally())
        for timed_pass in range(repeat):
            forget()  # each pass meets the files for the first time
            seconds = cpu_seconds = 0.0
            for path in files:
                start, cpu_start = time.perf_counter(), time.process_time()
                report = validate_pdfa(path, flavour)
                seconds += time.perf_counter() - start
                cpu_seconds += time.process_time() - cpu_start
                if timed_pass == 0:
                    _tally(tally, path, report)
            tally.seconds.append(seconds)
            tally.cpu_seconds.append(cpu_seconds)
    return tallies, skipped


def _tally(tally: Tally, path: Path, report: ValidationReport) -> None:
    tally.files += 1
    if expected_pass(path):
        tally.passes += 1
        if report.passed:
            tally.accepted += 1
        else:
            tally.rejections.append((path, [f"{f.rule} ({f.kind}) {f.message}" for f in report.failures]))
    elif report.passed:
        tally.false_approvals.append(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="corpus root, its pdfa folder, or one PDF_A-* folder")
    parser.add_argument("--flavour", help="check only this flavour (1b, 2b, 2u, 3b)")
    parser.add_argument(
        "--unprepared", action="store_true", help="time files in a fresh process (no prepare)"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N", help="time each folder N times; print the median"
    )
    parser.add_argument("--show-false-approvals", action="store_true", help="list fail files approved")
    parser.add_argument("--show-rejections", action="store_true", help="list pass files rejected, and why")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"ERROR: {args.corpus} is not a folder", file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.WARNING)
    # pikepdf's font reader warns about odd fonts in the corpus; the verdicts are what matter here
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    if not args.unprepared:
        prepare()
    if args.repeat < 1:
        print("ERROR: --repeat must be at least 1", file=sys.stderr)
        return 1
    tallies, skipped = run(args.corpus, args.flavour.lower() if args.flavour else None, args.repeat)

    print(
        f"{'flavour':<8} {'files':>6} {'false approvals':>16} {'false rejections':>17} "
        f"{'acceptance':>11} {'files/s':>8} {'CPU files/s':>12}"
    )
    for flavour, t in sorted(tallies.items()):
        rate, cpu_rate = t.rate(cpu=False), t.rate(cpu=True)
        print(
            f"{flavour:<8} {t.files:>6} {len(t.false_approvals):>16} {len(t.rejections):>17} "
            f"{t.acceptance:>10.1f}% {rate:>8.0f} {cpu_rate:>12.0f}"
        )
    for flavour, n in sorted(skipped.items()):
        print(f"{flavour:<8} {n:>6} not supported")
    for flavour, t in sorted(tallies.items()):
        if args.show_false_approvals and t.false_approvals:
            print(f"\nFalse approvals, PDF/A-{flavour}:")
            for path in t.false_approvals:
                print(f"  {path}")
        if args.show_rejections and t.rejections:
            print(f"\nRejected pass files, PDF/A-{flavour}:")
            for path, reasons in t.rejections:
                print(f"  {path}")
                for reason in reasons[:8]:
                    print(f"      {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
