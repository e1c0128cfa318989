"""Run summaries: counts by outcome and by finding code, and one row per input, as CSV and HTML.

The numbers come from the journal, so a batch resumed three times still sums to its inputs.
"""

from __future__ import annotations

import csv
import html
import io
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from converter import write_bytes_atomic
from watch.journal import Job, JobState

__all__ = ["Summary", "summarize", "write_summary"]


def outcome_of(job: Job) -> str:
    """A job's outcome word: converted, duplicate, quarantined, gone, or unfinished."""
    if job.state is JobState.PLACED:
        return "duplicate" if job.duplicate_of else "converted"
    if job.state in (JobState.QUARANTINED, JobState.GONE):
        return str(job.state)
    return "unfinished"


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """Counts over one run's inputs.

    Attributes:
        total: Inputs.
        outcomes: Inputs per outcome (converted, duplicate, quarantined, gone, unfinished).
        exit_names: Quarantined inputs per exit-code name.
        findings: Inputs per finding code.
        jobs: The jobs, one per input.
    """

    total: int
    outcomes: dict[str, int]
    exit_names: dict[str, int]
    findings: dict[str, int]
    jobs: tuple[Job, ...]

    @property
    def complete(self) -> bool:
        """Every input converted (or a duplicate of a converted one)."""
        return self.outcomes.get("converted", 0) + self.outcomes.get("duplicate", 0) == self.total


def summarize(jobs: list[Job]) -> Summary:
    outcomes: Counter[str] = Counter(outcome_of(j) for j in jobs)
    exits: Counter[str] = Counter(j.exit_name or "" for j in jobs if j.state is JobState.QUARANTINED)
    findings: Counter[str] = Counter(code for j in jobs for code in set(j.findings))
    return Summary(
        total=len(jobs),
        outcomes=dict(outcomes),
        exit_names=dict(exits),
        findings=dict(findings),
        jobs=tuple(jobs),
    )


def _rank(job: Job) -> tuple[int, str]:
    order = {"unfinished": 0, "quarantined": 1, "gone": 2, "converted": 3, "duplicate": 4}
    return (order[outcome_of(job)] * 1000 - len(job.findings), job.rel)


def summary_csv(s: Summary) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["kind", "key", "count"])
    w.writerow(["total", "inputs", s.total])
    for k, v in sorted(s.outcomes.items()):
        w.writerow(["outcome", k, v])
    for k, v in sorted(s.exit_names.items()):
        w.writerow(["exit_name", k, v])
    for k, v in sorted(s.findings.items(), key=lambda kv: (-kv[1], kv[0])):
        w.writerow(["finding", k, v])
    return buf.getvalue().encode("utf-8")


def documents_csv(s: Summary) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["job", "input", "outcome", "exit_name", "findings", "outputs", "duplicate_of", "sha256"])
    for j in sorted(s.jobs, key=_rank):
        w.writerow(
            [
                j.id,
                j.rel,
                outcome_of(j),
                j.exit_name or "",
                " ".join(j.findings),
                " ".join(j.outputs),
                j.duplicate_of or "",
                j.sha256,
            ]
        )
    # A BOM so that spreadsheet programs read the Cyrillic names as UTF-8.
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def summary_html(s: Summary, title: str) -> bytes:
    e = html.escape

    def table(rows: list[tuple[str, int]], head: str) -> str:
        body = "".join(f"<tr><td>{e(k)}</td><td class=n>{v}</td></tr>" for k, v in rows)
        return f"<table><tr><th>{e(head)}</th><th>count</th></tr>{body}</table>"

    docs = "".join(
        "<tr class='{cls}'><td>{rel}</td><td>{out}</td><td>{exit}</td><td>{fnd}</td>"
        "<td>{msg}</td></tr>".format(
            cls=e(outcome_of(j)),
            rel=e(j.rel),
            out=e(outcome_of(j)),
            exit=e(j.exit_name or ""),
            fnd=e(", ".join(j.findings)),
            msg=e(j.message or ""),
        )
        for j in sorted(s.jobs, key=_rank)
    )
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }} table {{ border-collapse: collapse; margin-bottom: 1.5em; }}
td, th {{ border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }}
td.n {{ text-align: right; }} tr.quarantined, tr.unfinished {{ background: #fde8e8; }}
tr.gone {{ background: #f4f4f4; }}
</style></head><body>
<h1>{e(title)}</h1>
<p>{s.total} input(s); written {e(stamp)}. Documents are listed worst first.</p>
<h2>Outcomes</h2>{table(sorted(s.outcomes.items()), "outcome")}
<h2>Quarantined, by exit code</h2>{table(sorted(s.exit_names.items()), "exit code")}
<h2>Findings</h2>{table(sorted(s.findings.items(), key=lambda kv: (-kv[1], kv[0])), "finding code")}
<h2>Documents</h2>
<table><tr><th>input</th><th>outcome</th><th>exit code</th><th>findings</th><th>message</th></tr>
{docs}</table>
</body></html>
"""
    return page.encode("utf-8")


def write_summary(s: Summary, folder: Path, *, title: str) -> list[Path]:
    """Write ``summary.csv``, ``documents.csv`` and ``summary.html`` into *folder*, each atomically."""
    out = [folder / "summary.csv", folder / "documents.csv", folder / "summary.html"]
    write_bytes_atomic(out[0], summary_csv(s))
    write_bytes_atomic(out[1], documents_csv(s))
    write_bytes_atomic(out[2], summary_html(s, title))
    return out
