"""Accuracy and speed of `validators.pdfa` on the veraPDF PDF/A conformance corpus.

Each corpus file says in its name what a correct validator answers (``...-pass-a.pdf`` or
``...-fail-b.pdf``) and its top folder (``PDF_A-2b``) the flavour to check it against. For each flavour
this prints the number of files, false approvals (a ``fail`` file approved: the figure an archive cares
about), false rejections, acceptance (share of ``pass`` files approved) and files per second, in one
process: by the wall clock, and by the CPU time of this process (the figure that other work on a busy
machine does not distort).

Speed is measured as a long batch would see it: before each flavour's files are timed, the validator
checks one small document of that flavour (generated here, not taken from the corpus, showing text),
so that what a process does once (loading that flavour's schemas, reading the Adobe Glyph List) is not
charged to a folder of a handful of files.

Usage::

    python bench/pdfa_corpus.py CORPUS_DIR [--flavour 2b] [--show-false-approvals] [--show-rejections]

CORPUS_DIR is the corpus root (holding ``pdfa/PDF_A-*``), its ``pdfa`` folder, or one ``PDF_A-*`` folder.
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from validators.pdfa import Flavour, validate_pdfa

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
    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @property
    def acceptance(self) -> float:
        return 100.0 * self.accepted / self.passes if self.passes else 100.0


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


def _warm_up_document(flavour: str) -> bytes:
    """A one-page document claiming *flavour* that shows text (its verdict does not matter)."""
    import pikepdf
    import pikepdf.pdfa

    blank = pikepdf.new()
    blank.add_blank_page(page_size=(200, 200))
    claimed = io.BytesIO()
    pikepdf.pdfa.save(blank, claimed, "2b" if flavour == "2u" else flavour)
    with pikepdf.open(io.BytesIO(claimed.getvalue())) as pdf:
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name("/WarmUp"),
            Encoding=pikepdf.Dictionary(Differences=[65, pikepdf.Name("/A"), pikepdf.Name("/B")]),
        )
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(font)))
        page.Contents = pdf.make_stream(b"BT /F1 12 Tf 10 10 Td (AB) Tj ET")
        out = io.BytesIO()
        pdf.save(out)
    data = out.getvalue()
    if flavour == "2u":
        data = data.replace(b"<pdfaid:conformance>B<", b"<pdfaid:conformance>U<")
    return data


def _warm_up(flavour: str) -> None:
    """Check one generated document of *flavour*, untimed."""
    try:
        data = _warm_up_document(flavour)
    except Exception as e:  # noqa: BLE001 - a warm-up that fails only makes the first file slower
        log.warning("No warm-up for PDF/A-%s: %s", flavour, e)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "warm-up.pdf"
        path.write_bytes(data)
        validate_pdfa(path, flavour)


def run(root: Path, only: str | None) -> tuple[dict[str, Tally], dict[str, int]]:
    tallies: dict[str, Tally] = {}
    skipped: dict[str, int] = {}
    for folder in flavour_folders(root):
        flavour = folder.name.removeprefix("PDF_A-").lower()
        if only is not None and flavour != only:
            continue
        files = sorted(folder.rglob("*.pdf"))
        if flavour in UNSUPPORTED or flavour not in set(Flavour):
            skipped[flavour] = len(files)
            continue
        tally = tallies.setdefault(flavour, Tally())
        _warm_up(flavour)
        for path in files:
            expected = expected_pass(path)
            if expected is None:
                continue
            start, cpu_start = time.perf_counter(), time.process_time()
            report = validate_pdfa(path, flavour)
            tally.seconds += time.perf_counter() - start
            tally.cpu_seconds += time.process_time() - cpu_start
            tally.files += 1
            if expected:
                tally.passes += 1
                if report.passed:
                    tally.accepted += 1
                else:
                    tally.rejections.append(
                        (path, [f"{f.rule} ({f.kind}) {f.message}" for f in report.failures])
                    )
            elif report.passed:
                tally.false_approvals.append(path)
    return tallies, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="corpus root, its pdfa folder, or one PDF_A-* folder")
    parser.add_argument("--flavour", help="check only this flavour (1b, 2b, 2u, 3b)")
    parser.add_argument("--show-false-approvals", action="store_true", help="list fail files approved")
    parser.add_argument("--show-rejections", action="store_true", help="list pass files rejected, and why")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"ERROR: {args.corpus} is not a folder", file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.WARNING)
    # pikepdf's font reader warns about odd fonts in the corpus; the verdicts are what matter here
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    tallies, skipped = run(args.corpus, args.flavour.lower() if args.flavour else None)

    print(
        f"{'flavour':<8} {'files':>6} {'false approvals':>16} {'false rejections':>17} "
        f"{'acceptance':>11} {'files/s':>8} {'CPU files/s':>12}"
    )
    for flavour, t in sorted(tallies.items()):
        rate = t.files / t.seconds if t.seconds else 0.0
        cpu_rate = t.files / t.cpu_seconds if t.cpu_seconds else 0.0
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
