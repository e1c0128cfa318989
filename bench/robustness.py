"""Robustness run: convert every office document under a folder and account for each one.

    .venv/bin/python bench/robustness.py CORPUS_DIR [--profile final] [--workers N] [--timeout S]

Prints converted, quarantined by reason, timeouts, engine restarts, leftover soffice processes (must be
0) and peak memory (this process tree's largest resident set, sampled), and writes every result as JSON
lines to ``bench-out/robustness.jsonl``. Every file must end converted or quarantined; the run must
never stall (a watchdog fails it if no document finishes for 5 × the per-document timeout).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sys
import threading
import time
from pathlib import Path

from converter import Converter

OFFICE_SUFFIXES = {
    ".docx", ".docm", ".dotx", ".dotm", ".doc", ".dot", ".rtf", ".odt", ".ott", ".fodt",
    ".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlt", ".csv", ".ods", ".ots", ".fods",
    ".pptx", ".pptm", ".potx", ".ppsx", ".ppt", ".pps", ".odp", ".otp", ".fodp",
}  # fmt: skip


def _soffice_pids() -> set[int]:
    pids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                argv0 = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0", 1)[0]
            except OSError:
                continue
            if argv0.endswith(b"soffice.bin"):
                pids.add(int(entry))
    return pids


def _tree(root: int) -> tuple[set[int], int]:
    """The descendants of *root*, and the resident memory (KiB) of *root* and all of them."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        parent[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry)] = int(line.split()[1])
    total = rss.get(root, 0)
    below: set[int] = set()
    for pid in parent:
        p = parent[pid]
        while p not in (0, 1):
            if p == root:
                below.add(pid)
                total += rss.get(pid, 0)
                break
            p = parent.get(p, 0)
    return below, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--profile", default="final")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--out", type=Path, default=Path("bench-out/robustness"))
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()

    files = sorted(p for p in args.corpus.rglob("*") if p.is_file() and p.suffix.lower() in OFFICE_SUFFIXES)
    if args.limit:
        files = files[: args.limit]
    if not files:
        print(f"no office documents under {args.corpus}", file=sys.stderr)
        return 2
    mine: set[int] = set()  # soffice processes this run started (other programs may run their own)
    peak = 0
    last_progress = time.monotonic()
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.wait(0.5):
            below, rss = _tree(os.getpid())
            peak = max(peak, rss)
            mine.update(below & _soffice_pids())
            if time.monotonic() - last_progress > 5 * args.timeout + 60:
                print("STALLED: no document finished for too long", file=sys.stderr)
                os._exit(3)

    threading.Thread(target=sample, daemon=True).start()
    counts: collections.Counter[str] = collections.Counter()
    reasons: collections.Counter[str] = collections.Counter()
    args.out.mkdir(parents=True, exist_ok=True)
    log_path = args.out.parent / "robustness.jsonl"
    t0 = time.monotonic()
    with Converter(workers=args.workers, profile=args.profile, timeout_s=args.timeout, overwrite=True,
                   write_report=False) as conv, log_path.open("w", encoding="utf-8") as log:
        # Outputs of same-named files in different folders replace each other: this run counts
        # outcomes, it does not keep outputs.
        results = conv.convert_many(files, output_dir=args.out)
        for n, r in enumerate(results, start=1):
            last_progress = time.monotonic()
            counts[str(r.status)] += 1
            if not r.ok:
                code = next((f.code for f in r.findings if f.severity == "error"), r.exit_code.name)
                reasons[code] += 1
            log.write(json.dumps(r.to_report(), ensure_ascii=False) + "\n")
            if n % 50 == 0:
                print(f"  {n}/{len(files)} ...", file=sys.stderr, flush=True)
        restarts = conv.pool.restarts
    stop.set()
    elapsed = time.monotonic() - t0
    time.sleep(1)
    leftover = mine & _soffice_pids()
    print(f"files:             {len(files)}  ({elapsed:.0f}s, {len(files) / elapsed:.2f} files/s, "
          f"{args.workers} workers)")
    print(f"converted:         {counts['converted']}")
    print(f"quarantined:       {counts['quarantined']}")
    for code, n in reasons.most_common():
        print(f"  {code:<24} {n}")
    print(f"timeouts:          {reasons['engine_timeout']}")
    print(f"engine restarts:   {restarts}")
    print(f"leftover soffice:  {len(leftover)}")
    print(f"peak memory:       {peak / 1024:.0f} MiB (this process tree, sampled every 0.5 s)")
    print(f"results:           {log_path}")
    accounted = counts["converted"] + counts["quarantined"] == len(files)
    return 0 if accounted and not leftover else 1


if __name__ == "__main__":
    sys.exit(main())
