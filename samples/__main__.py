"""``python -m samples [OUT_DIR]``: write the sample documents and list them."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from samples import generate

DEFAULT_OUT = Path(__file__).resolve().parent / "files"


def main(argv: list[str] | None = None) -> int:
    """Generate the samples and print one line per file.

    Args:
        argv: Command-line arguments without the program name; `sys.argv` when None.

    Returns:
        The exit code, 0.
    """
    parser = argparse.ArgumentParser(prog="python -m samples", description=__doc__)
    parser.add_argument(
        "out_dir", nargs="?", type=Path, default=DEFAULT_OUT, help="output folder (default: samples/files)"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    written = generate(args.out_dir)
    for name, path in written.items():
        print(f"{name:<20} {path.stat().st_size:>8} B  {path}")
    print(f"{len(written)} files in {time.perf_counter() - start:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
