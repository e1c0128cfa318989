"""The ``qujat report`` command: one self-contained HTML review page for a folder of conversion reports.

It owns reading every ``<stem>.qujat.json`` under a folder (and nothing else: no document is opened),
ordering the documents worst first (errors, then warnings, then clean), and writing ``review.html``
beside them atomically: one file, UTF-8, inline CSS, no scripts and no external assets, so it opens the
same from a file share, an e-mail attachment or an archive years later. Links to the sources, outputs
and reports are relative, so the folder can be moved as a whole.
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from converter.exceptions import ExitCode
from converter.files import write_bytes_atomic
from validators.fidelity import ReviewPolicy

log = logging.getLogger(__name__)

__all__ = ["Document", "build_page", "load_reports", "main", "write_review"]

REPORT_GLOB = "*.qujat.json"
PAGE_NAME = "review.html"
#: Longest value shown for a finding's source or output value; the report keeps the whole value.
_MAX_VALUE_CHARS = 300
_SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One document's report, as the review page needs it.

    Attributes:
        report: The ``.qujat.json`` file.
        data: Its parsed content ({} when it could not be read).
        problem: Why the report could not be read, or ''.
        review_reasons: The findings that send the document to review under the policy.
    """

    report: Path
    data: dict[str, Any] = field(default_factory=dict)
    problem: str = ""
    review_reasons: tuple[dict[str, Any], ...] = ()

    @property
    def findings(self) -> list[dict[str, Any]]:
        found = self.data.get("findings")
        return [f for f in found if isinstance(f, dict)] if isinstance(found, list) else []

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.get("severity") == severity)

    @property
    def quarantined(self) -> bool:
        return self.data.get("status") == "quarantined"

    @property
    def name(self) -> str:
        src = (self.data.get("input") or {}).get("path") if isinstance(self.data.get("input"), dict) else None
        if isinstance(src, str) and src:
            return Path(src).name
        return self.report.name.removesuffix(".qujat.json")

    @property
    def rank(self) -> int:
        """0: errors (or quarantined, or unreadable report), 1: warnings, 2: clean."""
        if self.problem or self.quarantined or self.count("error"):
            return 0
        return 1 if self.count("warning") else 2

    def sort_key(self) -> tuple[int, bool, int, int, str]:
        # An unreadable report leads: nothing at all is known about that document.
        return (
            self.rank,
            not self.problem,
            -self.count("error"),
            -self.count("warning"),
            self.name.casefold(),
        )


def load_reports(folder: Path, *, policy: ReviewPolicy | None = None) -> list[Document]:
    """Every ``*.qujat.json`` under *folder* (recursively), worst first.

    Args:
        folder: The output folder of a conversion run.
        policy: Decides which findings send a document to review (default: `ReviewPolicy()`).

    Returns:
        One `Document` per report; a report that cannot be read is a `Document` with ``problem`` set,
        listed among the worst.
    """
    policy = policy or ReviewPolicy()
    docs: list[Document] = []
    for path in sorted(folder.rglob(REPORT_GLOB)):
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as e:  # json.JSONDecodeError and UnicodeDecodeError are ValueErrors
            log.warning("cannot read the report %s: %s", path, e)
            docs.append(Document(report=path, problem=f"the report cannot be read: {e}"))
            continue
        doc = Document(report=path, data=data)
        reasons = tuple(policy.review_reasons(doc.findings))
        docs.append(Document(report=path, data=data, review_reasons=reasons))
    docs.sort(key=Document.sort_key)
    return docs


# -- HTML ----------------------------------------------------------------------------------------------

_CSS = """
:root { --err: #b3261e; --warn: #8a5a00; --info: #3b5b8c; --ok: #1e6b35; --line: #d9dce1; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
       color: #1b1d21; background: #f6f7f9; }
header { background: #20324d; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header p { margin: 0; color: #c9d3e3; font-size: 13px; }
main { padding: 18px 28px 40px; max-width: 1200px; }
.summary { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 18px; }
.tile { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 16px;
        min-width: 130px; }
.tile b { display: block; font-size: 24px; }
.tile.err b { color: var(--err); } .tile.warn b { color: var(--warn); } .tile.ok b { color: var(--ok); }
.doc { background: #fff; border: 1px solid var(--line); border-left: 6px solid var(--ok);
       border-radius: 6px; margin: 0 0 12px; padding: 12px 16px; }
.doc.r0 { border-left-color: var(--err); } .doc.r1 { border-left-color: var(--warn); }
.doc h2 { margin: 0; font-size: 17px; font-weight: 600; overflow-wrap: anywhere; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; border-radius: 10px; padding: 1px 9px;
         margin-left: 6px; vertical-align: 2px; color: #fff; background: var(--ok); }
.badge.error { background: var(--err); } .badge.warning { background: var(--warn); }
.badge.info { background: var(--info); } .badge.review { background: #5b2a86; }
.meta { color: #50555e; font-size: 13px; margin: 4px 0 8px; overflow-wrap: anywhere; }
.links a { margin-right: 14px; font-size: 13px; }
a { color: #1d4f91; }
table { border-collapse: collapse; width: 100%; margin-top: 8px; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-top: 1px solid var(--line); }
th { font-size: 12px; color: #50555e; font-weight: 600; border-top: none; }
td.sev { white-space: nowrap; font-weight: 600; }
tr.error td.sev { color: var(--err); } tr.warning td.sev { color: var(--warn); }
tr.info td.sev { color: var(--info); }
td code { white-space: nowrap; }
td code, .val { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px;
                overflow-wrap: anywhere; }
.val { color: #50555e; display: block; margin-top: 3px; }
details summary { cursor: pointer; color: #1d4f91; font-size: 13px; margin-top: 6px; }
.empty { color: #50555e; }
"""


def _as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _href(target: str | None, base: Path) -> str | None:
    """A relative, percent-encoded link from *base* (the page's folder) to *target*, or None."""
    if not target:
        return None
    try:
        rel = os.path.relpath(Path(target), base)
    except ValueError:  # another drive on Windows: no relative path exists
        return None
    return quote(Path(rel).as_posix(), safe="/._-~")


def _link(label: str, target: str | None, base: Path) -> str:
    href = _href(target, base)
    if href is None:
        return ""
    return f'<a href="{_e(href)}">{_e(label)}</a>'


def _value(v: Any) -> str:
    if v is None:
        return ""
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
    return text if len(text) <= _MAX_VALUE_CHARS else text[: _MAX_VALUE_CHARS - 1] + "…"


def _findings_table(findings: list[dict[str, Any]]) -> str:
    order = {s: i for i, s in enumerate(_SEVERITIES)}
    rows = []
    for f in sorted(findings, key=lambda f: order.get(str(f.get("severity")), 3)):
        sev = str(f.get("severity", ""))
        values = []
        if f.get("source_value") is not None:
            values.append(f"original: {_value(f.get('source_value'))}")
        if f.get("output_value") is not None:
            values.append(f"now: {_value(f.get('output_value'))}")
        vals = "".join(f'<span class="val">{_e(v)}</span>' for v in values)
        rows.append(
            f'<tr class="{_e(sev)}"><td class="sev">{_e(sev)}</td>'
            f"<td><code>{_e(f.get('code', ''))}</code></td>"
            f"<td>{_e(f.get('where', ''))}</td><td>{_e(f.get('message', ''))}{vals}</td></tr>"
        )
    return (
        "<table><thead><tr><th>severity</th><th>what</th><th>where</th><th>details</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _document(doc: Document, base: Path) -> str:
    data = doc.data
    inp = _as_dict(data.get("input"))
    badges = []
    for sev in _SEVERITIES:
        n = doc.count(sev)
        if n and sev != "info":
            badges.append(f'<span class="badge {sev}">{n} {sev}{"s" if n != 1 else ""}</span>')
    if doc.problem:
        badges.append('<span class="badge error">report unreadable</span>')
    elif doc.quarantined:
        badges.append('<span class="badge error">quarantined</span>')
    if doc.review_reasons:
        badges.append('<span class="badge review">needs review</span>')
    if not badges:
        badges.append('<span class="badge">clean</span>')
    links = [_link("original", inp.get("path"), base)]
    for o in _as_list(data.get("outputs")):
        if isinstance(o, dict):
            label = str(o.get("format", "output")).upper()
            if o.get("pdfa_flavour"):
                label += f" (PDF/A-{o.get('pdfa_flavour')})"
            if o.get("valid") is False:
                label += " — failed validation"
            links.append(_link(label, o.get("path"), base))
    for q in _as_list(data.get("quarantined")):
        links.append(_link(f"quarantined: {Path(str(q)).name}", str(q), base))
    links.append(_link("report (JSON)", str(doc.report), base))
    meta = []
    if data:
        meta.append(f"{_e(data.get('status', '?'))} · {_e(data.get('exit_name', '?'))}")
        if data.get("profile"):
            meta.append(f"profile {_e(data.get('profile'))}")
        if inp.get("format"):
            meta.append(f"from {_e(str(inp.get('format')).upper())}")
        if data.get("created"):
            meta.append(_e(data.get("created")))
    message = _e(doc.problem or data.get("message", ""))
    findings = doc.findings
    if findings:
        serious = any(f.get("severity") in ("error", "warning") for f in findings)
        body = (
            f"<details{' open' if serious else ''}><summary>{len(findings)} finding"
            f"{'s' if len(findings) != 1 else ''}</summary>{_findings_table(findings)}</details>"
        )
    else:
        body = '<p class="empty">Nothing was lost or changed that qujat could detect.</p>'
    return (
        f'<section class="doc r{doc.rank}"><h2>{_e(doc.name)}{"".join(badges)}</h2>'
        f'<div class="meta">{" · ".join(meta)}</div><div class="meta">{message}</div>'
        f'<div class="links">{"".join(x for x in links if x)}</div>{body}</section>'
    )


def build_page(docs: list[Document], base: Path, *, title: str = "qujat review") -> str:
    """The review page for *docs* (already ordered), with links relative to *base*.

    Args:
        docs: From `load_reports`.
        base: The folder the page is written to.
        title: The page title.

    Returns:
        The whole HTML document.
    """
    errors = sum(1 for d in docs if d.rank == 0)
    warnings = sum(1 for d in docs if d.rank == 1)
    clean = sum(1 for d in docs if d.rank == 2)
    review = sum(1 for d in docs if d.review_reasons or d.rank == 0)
    created = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    tiles = (
        f'<div class="tile"><b>{len(docs)}</b>documents</div>'
        f'<div class="tile err"><b>{errors}</b>with errors</div>'
        f'<div class="tile warn"><b>{warnings}</b>with warnings only</div>'
        f'<div class="tile ok"><b>{clean}</b>clean</div>'
        f'<div class="tile"><b>{review}</b>to review</div>'
    )
    body = (
        "".join(_document(d, base) for d in docs) or '<p class="empty">No conversion reports were found.</p>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # Nothing may load: the page is data, and a hostile file name must not turn it into a program.
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{_e(title)}</h1><p>{_e(base.name or str(base))} · {len(docs)} document(s) · "
        f"made {created} · worst first</p></header>"
        f'<main><div class="summary">{tiles}</div>{body}</main></body></html>\n'
    )


def write_review(folder: Path, *, policy: ReviewPolicy | None = None, title: str | None = None) -> Path:
    """Write ``review.html`` for every report under *folder*, atomically.

    Args:
        folder: The output folder of a conversion run.
        policy: Which findings send a document to review (default: `ReviewPolicy()`).
        title: The page title (default: ``qujat review: <folder name>``).

    Returns:
        The page's path.

    Raises:
        OSError: The page cannot be written.
    """
    folder = Path(folder)
    docs = load_reports(folder, policy=policy)
    page = build_page(docs, folder.resolve(), title=title or f"qujat review: {folder.resolve().name}")
    dest = folder / PAGE_NAME
    write_bytes_atomic(dest, page.encode("utf-8"))
    log.info("Wrote %s (%d documents)", dest, len(docs))
    return dest


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="qujat report",
        description="Write DIR/review.html: every document converted into DIR (from its .qujat.json "
        "report), worst first, with what was lost or changed and links to the original, outputs and report.",
        epilog="Exit codes: 0 page written, 1 bad arguments, 5 the page cannot be written, "
        "9 the review policy file is invalid.",
    )
    p.add_argument("folder", type=Path, metavar="DIR", help="folder holding the *.qujat.json reports")
    p.add_argument(
        "--policy", type=Path, metavar="TOML", help="review policy: which findings need review (see docs)"
    )
    p.add_argument("--title", help="page title")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Write an HTML review page for the conversion reports in a folder (``qujat report``).

    Args:
        argv: Arguments after ``report`` (default: ``sys.argv[1:]``).

    Returns:
        The exit code.
    """
    try:
        args = _parser().parse_args(list(argv) if argv is not None else None)
    except SystemExit as e:
        return int(ExitCode.ok) if e.code in (0, None) else int(ExitCode.bad_args)
    if not args.folder.is_dir():
        print(f"ERROR: {args.folder} is not a folder", file=sys.stderr)
        return int(ExitCode.bad_args)
    policy = None
    if args.policy is not None:
        try:
            policy = ReviewPolicy.from_toml(args.policy)
        except (OSError, ValueError) as e:
            print(f"ERROR: the review policy cannot be used: {e}", file=sys.stderr)
            return int(ExitCode.invalid_config)
    try:
        page = write_review(args.folder, policy=policy, title=args.title)
    except OSError as e:
        print(f"ERROR: cannot write {args.folder / PAGE_NAME}: {e}", file=sys.stderr)
        print("TIP: check that the folder is writable", file=sys.stderr)
        return int(ExitCode.file_access_error)
    print(page)
    return int(ExitCode.ok)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
