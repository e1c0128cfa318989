"""`compare`: what an output lost or changed against its source, as findings a records clerk can act on.

Only what both inventories can hold is compared (a PDF has no tracked changes to lose). Text is compared
as words, order aside: a PDF moves footnotes to the foot of each page and repeats headers, which changes
the order but loses nothing; a word of the source missing from the output is what counts. Spreadsheets
are compared cell by cell.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from validators.fidelity._fonts import resolve_font
from validators.fidelity._model import Cell, FidelityFinding, FidelitySeverity, Inventory, Sheet
from validators.fidelity._util import split_address

log = logging.getLogger(__name__)

INFO, WARNING, ERROR = FidelitySeverity.INFO, FidelitySeverity.WARNING, FidelitySeverity.ERROR

# Letters and digits apart: a PDF glues a footnote's number to the word before it ("кириллицы3").
# Chinese, Japanese and Korean are written without spaces: each ideograph or syllable is its own token, so a
# line break that a PDF puts inside a run of them changes nothing.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_WORD = re.compile(rf"[{_CJK}]|[^\W\d_{_CJK}]+|\d+")
_COMPOUND = re.compile(r"(\w+)-(\w+)")
#: Share of the source's words missing from an output above which text is an error, and a warning.
TEXT_ERROR_SHARE = 0.10
TEXT_WARNING_SHARE = 0.02
#: Cells reported one by one before the rest are summarised.
MAX_CELL_FINDINGS = 10
_MAX_QUOTES = 3
_QUOTE_CHARS = 160
_WORD_FORMATS = frozenset({"docx", "docm", "dotx", "dotm"})


@dataclass(frozen=True, slots=True)
class _Rule:
    code: str
    one: str  # "a table", said of one
    many: str  # "tables", said of several
    severity: FidelitySeverity
    presence: bool = False  # formats count these differently: only "all of them gone" is a loss


# Count name -> what losing some of them is called. The order is the order findings are reported in.
_RULES: dict[str, _Rule] = {
    "sheets": _Rule("sheet_lost", "a sheet", "sheets", ERROR),
    "slides": _Rule("slide_lost", "a slide", "slides", ERROR),
    "tables": _Rule("table_lost", "a table", "tables", ERROR),
    "images": _Rule("image_lost", "a picture", "pictures", ERROR),
    "charts": _Rule("chart_lost", "a chart", "charts", ERROR),
    "pivot_tables": _Rule("pivot_table_lost", "a pivot table", "pivot tables", ERROR),
    "equations": _Rule("equation_lost", "an equation", "equations", ERROR),
    "ole_objects": _Rule("object_lost", "an embedded object", "embedded objects", ERROR),
    "footnotes": _Rule("footnote_lost", "a footnote", "footnotes", ERROR),
    "endnotes": _Rule("endnote_lost", "an endnote", "endnotes", ERROR),
    "comments": _Rule("comment_lost", "a comment", "comments", WARNING),
    "notes": _Rule("speaker_notes_lost", "a slide's speaker notes", "slides' speaker notes", WARNING),
    "headers": _Rule("header_lost", "a page header", "page headers", WARNING, presence=True),
    "footers": _Rule("footer_lost", "a page footer", "page footers", WARNING, presence=True),
    "headings": _Rule("heading_lost", "a heading", "headings", WARNING),
    "shapes": _Rule("shape_lost", "a shape", "shapes", WARNING),
    "hyperlinks_external": _Rule("hyperlink_lost", "a web link", "web links", WARNING),
    "hyperlinks_internal": _Rule("hyperlink_lost", "an internal link", "internal links", WARNING),
    "bookmarks": _Rule("bookmark_lost", "a bookmark", "bookmarks", WARNING),
    "fields": _Rule("field_lost", "a field", "fields", WARNING),
    "tables_of_contents": _Rule("toc_lost", "a table of contents", "tables of contents", WARNING),
    "content_controls": _Rule(
        "content_control_lost", "a content control (form field)", "content controls (form fields)", WARNING
    ),
    "merged_cells": _Rule("merged_cells_lost", "a merged cell range", "merged cell ranges", WARNING),
    "data_validations": _Rule(
        "data_validation_lost", "a data-validation rule", "data-validation rules", WARNING, presence=True
    ),
    "conditional_formats": _Rule(
        "conditional_format_lost", "a conditional format", "conditional formats", WARNING, presence=True
    ),
    "conditional_formats_advanced": _Rule(
        "conditional_format_lost",
        "a colour scale, data bar or icon set",
        "colour scales, data bars or icon sets",
        WARNING,
    ),
    "sparklines": _Rule(
        "sparkline_lost", "a sparkline (in-cell chart)", "sparklines (in-cell charts)", WARNING
    ),
    "defined_names": _Rule("defined_name_lost", "a named range", "named ranges", WARNING),
}
# What a PDF inventory can say that is comparable: links it draws as annotations may be added by the
# exporter (footnote anchors become internal links), so only web links and pictures are compared.
_PDF_KEYS = frozenset({"images", "hyperlinks_external", "comments"})
# Losses a PDF shows that the ODF copy may make good: when the ODF keeps them, the PDF's loss is no news.
_PDF_ONLY_LOSSES = {"comment_lost": "comments", "speaker_notes_lost": "notes"}


def _name(inv: Inventory) -> str:
    return Path(inv.path).name


def _plural(n: int, rule: _Rule) -> str:
    return rule.one if n == 1 else f"{n} {rule.many}"


def compare(source: Inventory, output: Inventory, *, profile: str = "final") -> list[FidelityFinding]:
    """Compare a source's inventory with one output's.

    Args:
        source: Inventory of the file that was converted.
        output: Inventory of one of its outputs (ODF or PDF).
        profile: The conversion profile (``working``, ``final``, ``archive``); in ``final`` and
            ``archive``, comments and tracked changes left in an output are findings.

    Returns:
        Findings, most important kinds first. Findings about the source as a whole (macros, fonts) have an
        empty ``where`` and come out the same for every output of one source.
    """
    out: list[FidelityFinding] = []
    where = _name(output)
    out.extend(_source_level(source, output, profile))
    out.extend(_text(source, output, where))
    out.extend(_counts(source, output, where))
    out.extend(_tables(source, output, where))
    if source.kind == "spreadsheet" and output.kind == "spreadsheet":
        out.extend(_cells(source, output, where))
    out.extend(_pages(source, output, where))
    out.extend(_external(source, output, where))
    out.extend(_final(source, output, where, profile))
    if output.format == "pdf":
        missing = sorted(n for n, embedded in output.pdf_fonts.items() if not embedded)
        if missing:
            out.append(
                FidelityFinding(
                    code="font_not_embedded",
                    severity=ERROR,
                    where=where,
                    message=f"the PDF does not carry the font(s) {', '.join(missing)}; it may look different "
                    "on another computer, and it cannot be an archival PDF/A",
                    output_value=missing,
                )
            )
    for f in out:
        log.debug("%s: %s %s", f.where or _name(source), f.severity, f.code)
    return out


def _source_level(source: Inventory, output: Inventory, profile: str) -> list[FidelityFinding]:
    out: list[FidelityFinding] = []
    if source.macros and not output.macros:
        out.append(
            FidelityFinding(
                code="macros_dropped",
                severity=WARNING,
                where="",
                message="the document contained macros (small programs); they were removed and were never "
                "run. Anything they would have filled in or calculated is missing",
                source_value=True,
                output_value=False,
            )
        )
    out.extend(_fonts(source))
    if source.hidden_text and output.format == "pdf":
        words = source.hidden_text.split()
        out.append(
            FidelityFinding(
                code="hidden_text",
                severity=WARNING,
                where=_name(output),
                message=f"the document has hidden text or hidden slides ({len(words)} words, beginning "
                f"“{_quote(source.hidden_text, 60)}”); it does not appear in the PDF",
                source_value=_quote(source.hidden_text, 200),
            )
        )
    return out


def _fonts(source: Inventory) -> list[FidelityFinding]:
    out: list[FidelityFinding] = []
    embedded = {e.casefold() for e in source.embedded_fonts}
    for family, chars in source.fonts.items():
        if family.casefold() in embedded:
            continue
        r = resolve_font(family)
        if not r.available:
            out.append(
                FidelityFinding(
                    code="fonts_unchecked",
                    severity=INFO,
                    where="",
                    message=f"could not ask this computer's font list which font stands in for “{family}” "
                    "(fontconfig is missing)",
                    source_value=family,
                )
            )
            continue
        if not r.exact:
            compatible = r.metric_compatible
            out.append(
                FidelityFinding(
                    code="font_substituted",
                    severity=INFO if compatible else WARNING,
                    where="",
                    message=(
                        f"the font “{family}” is not installed; “{r.family}” was used, which has the same "
                        "letter widths, so lines and pages break as in the original"
                        if compatible
                        else f"the font “{family}” is not installed; “{r.family}” was used instead. Its "
                        "letters have other widths, so lines and pages may break differently and the "
                        "document may look different"
                    ),
                    source_value=family,
                    output_value=r.family,
                )
            )
        missing = r.missing(chars)
        if missing:
            out.append(
                FidelityFinding(
                    code="font_fallback",
                    severity=WARNING,
                    where="",
                    message=f"the font “{r.family}” (used for “{family}”) has no shapes for {len(missing)} "
                    f"character(s) of this document ({_chars(missing)}); they were drawn from another font "
                    "and may look out of place",
                    source_value=family,
                    output_value={"font": r.family, "missing": missing[:200]},
                )
            )
    return out


def _chars(chars: str, limit: int = 20) -> str:
    shown = " ".join(chars[:limit])
    return shown + (" …" if len(chars) > limit else "")


def _quote(text: str, limit: int = _QUOTE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _text(source: Inventory, output: Inventory, where: str) -> list[FidelityFinding]:
    if source.kind == "spreadsheet" and output.kind == "spreadsheet":
        return []  # compared cell by cell instead
    src_words = _words(source.text)
    if not src_words or (output.format == "pdf" and not output.page_texts and output.notes):
        return []
    available = Counter(_words(output.text))
    # pdftotext joins a word hyphenated at a line end ("long-" / "term" -> "longterm"): credit the parts.
    for a, b in _COMPOUND.findall(source.text.casefold()):
        if available[a + b] > 0 and (available[a] == 0 or available[b] == 0):
            available[a + b] -= 1
            available[a] += 1
            available[b] += 1
    missing_total = sum(max(0, n - available[w]) for w, n in Counter(src_words).items())
    if not missing_total:
        return []
    share = missing_total / len(src_words)
    # The passages to quote: the paragraphs that lost the most words.
    pool = Counter(available)
    worst: list[tuple[int, str, list[str]]] = []
    for para in source.paragraphs:
        gone = []
        for w in _words(para):
            if pool[w] > 0:
                pool[w] -= 1
            else:
                gone.append(w)
        if gone:
            worst.append((len(gone), para, gone))
    worst.sort(key=lambda t: -t[0])
    quotes = [
        f"“{_quote(p)}” (missing: {', '.join(dict.fromkeys(g[:8]))})" for _, p, g in worst[:_MAX_QUOTES]
    ]
    # An ODF copy should hold the words exactly; a PDF's text comes back through layout (hyphens, glyph
    # mapping), so it is allowed a little more before a warning.
    per_paragraph = 5 if output.format == "pdf" else 3
    if share >= TEXT_ERROR_SHARE and missing_total >= 5:
        severity = ERROR
    elif (
        share >= TEXT_WARNING_SHARE
        or missing_total >= (20 if output.format == "pdf" else 5)
        or (worst and worst[0][0] >= per_paragraph)
    ):
        severity = WARNING
    else:
        severity = INFO
    if source.kind == "spreadsheet" and severity is ERROR:
        severity = WARNING  # a sheet's print-out need not show every cell
    pct = 100 * (1 - share)
    what = "the PDF" if output.format == "pdf" else f"the {output.format.upper()} file"
    msg = (
        f"{missing_total} of the {len(src_words)} words of the original are not in {what} "
        f"({pct:.1f}% of the text is there)"
    )
    if quotes:
        msg += "; most affected: " + "; ".join(quotes)
    return [
        FidelityFinding(
            code="text_changed",
            severity=severity,
            where=where,
            message=msg,
            source_value=[q for _, q, _ in worst[:_MAX_QUOTES]],
            output_value=round(pct, 2),
        )
    ]


def _counts(source: Inventory, output: Inventory, where: str) -> list[FidelityFinding]:
    out: list[FidelityFinding] = []
    merged_codes: dict[str, FidelityFinding] = {}
    for key, rule in _RULES.items():
        if output.format == "pdf" and key not in _PDF_KEYS:
            continue
        s, o = source.count(key), output.count(key)
        if s is None or o is None or o >= s:
            continue
        if key == "images" and output.format == "pdf":
            s = min(s, source.count("images_distinct") or s)
            if o >= s:
                continue
        lost = s - o
        severity = rule.severity
        if rule.presence and o > 0:
            severity = INFO
        if key == "images" and output.format == "pdf":
            severity = WARNING  # a PDF may draw a picture as vector art, or share one used twice
        in_what = "the PDF" if output.format == "pdf" else f"the {output.format.upper()} file"
        message = (
            f"{_plural(lost, rule)} of the original {'is' if lost == 1 else 'are'} missing from "
            f"{in_what} (original: {s}, now: {o})"
        )
        gained = (output.count("images") or 0) - (source.count("images") or 0)
        if key == "charts" and output.format != "pdf" and gained >= lost:
            # The converter could not read the chart (newer chart types) and kept the picture Office
            # stores beside it: it still shows, but its figures are gone.
            severity = WARNING
            message = (
                f"{_plural(lost, rule)} of the original became {'a picture' if lost == 1 else 'pictures'} in "
                f"{in_what}: {'it shows' if lost == 1 else 'they show'} as before, but the figures behind "
                f"{'it' if lost == 1 else 'them'} can no longer be read or edited"
            )
        f = FidelityFinding(
            code=rule.code,
            severity=severity,
            where=where,
            message=message,
            source_value=s,
            output_value=o,
        )
        if rule.code in merged_codes:  # two counts with one code (internal and web links): report once
            prev = merged_codes[rule.code]
            out[out.index(prev)] = f = FidelityFinding(
                code=prev.code,
                severity=max(prev.severity, severity, key=lambda x: x.rank),
                where=where,
                message=prev.message + "; " + f.message,
                source_value=(prev.source_value or 0) + s,
                output_value=(prev.output_value or 0) + o,
            )
        else:
            out.append(f)
        merged_codes[rule.code] = f
    if (source.count("tracked_insertions") or source.count("tracked_deletions")) and output.format != "pdf":
        s = (source.count("tracked_insertions") or 0) + (source.count("tracked_deletions") or 0)
        o = (output.count("tracked_insertions") or 0) + (output.count("tracked_deletions") or 0)
        if output.count("tracked_insertions") is not None and o < s:
            out.append(
                FidelityFinding(
                    code="tracked_changes_lost",
                    severity=WARNING,
                    where=where,
                    message=f"the original has {s} tracked change(s) (insertions and deletions not yet "
                    f"accepted); the {output.format.upper()} file has {o}: the record of who changed what "
                    "is gone",
                    source_value=s,
                    output_value=o,
                )
            )
    if output.format == "pdf" and (source.count("notes") or 0) > 0:
        n = source.count("notes") or 0
        out.append(
            FidelityFinding(
                code="speaker_notes_lost",
                severity=WARNING,
                where=where,
                message=f"the speaker notes of {n} slide(s) are not in the PDF",
                source_value=n,
                output_value=0,
            )
        )
    if (source.count("smartart") or 0) > 0 and output.format != "pdf":
        out.append(
            FidelityFinding(
                code="smartart_flattened",
                severity=WARNING,
                where=where,
                message=f"{source.count('smartart')} SmartArt diagram(s) became plain drawings: check that "
                "they still show, and know that they can no longer be edited as diagrams",
                source_value=source.count("smartart"),
            )
        )
    if (source.count("hidden_sheets") or 0) > (
        output.count("hidden_sheets") or 0
    ) and output.kind == "spreadsheet":
        out.append(
            FidelityFinding(
                code="hidden_sheet_shown",
                severity=WARNING,
                where=where,
                message="a sheet hidden in the original is visible in the output",
                source_value=source.count("hidden_sheets"),
                output_value=output.count("hidden_sheets"),
            )
        )
    return out


def _tables(source: Inventory, output: Inventory, where: str) -> list[FidelityFinding]:
    if (
        not source.tables
        or not output.tables
        or output.format == "pdf"
        or len(source.tables) != len(output.tables)
    ):
        return []
    out = []
    for i, (a, b) in enumerate(zip(source.tables, output.tables, strict=True), 1):
        if a[0] > b[0] or a[1] > b[1]:
            out.append(
                FidelityFinding(
                    code="table_changed",
                    severity=WARNING,
                    where=f"{where}: table {i}",
                    message=f"table {i} had {a[0]} rows and {a[1]} columns; it now has {b[0]} rows and "
                    f"{b[1]} columns",
                    source_value=list(a),
                    output_value=list(b),
                )
            )
    return out


def _same(a: Cell, b: Cell | None) -> bool:
    if b is None:
        return a[0] == "s" and a[1] == ""
    if a[0] == "e" or b[0] == "e":
        return a[0] == b[0] or (a[0] == "e" and b[0] == "s" and str(b[1]).startswith(("#", "Err:")))
    if a[0] in ("n", "b") and b[0] in ("n", "b"):
        x, y = float(a[1]), float(b[1])
        return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(x) and math.isnan(y))
    if a[0] == "s" and b[0] == "s":
        return str(a[1]).replace("\r\n", "\n").replace("\u00a0", " ") == str(b[1]).replace("\u00a0", " ")
    return False


def _show(cell: Cell | None) -> Any:
    if cell is None:
        return None
    v = cell[1]
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _shown(cell: Cell | None) -> str:
    if cell is None:
        return "empty"
    v = _show(cell)
    return f"“{_quote(v, 60)}”" if isinstance(v, str) else str(v)


def _order(addr: str) -> tuple[int, int]:
    try:
        return split_address(addr)
    except ValueError:
        return (0, 0)


def _pair_sheets(source: tuple[Sheet, ...], output: tuple[Sheet, ...]) -> list[tuple[Sheet, Sheet | None]]:
    """Source sheets with their output sheets: by name, then the unmatched ones in order (renamed)."""
    by_name = {s.name: s for s in output}
    matched = {s.name for s in source if s.name in by_name}
    spare = [s for s in output if s.name not in matched]
    pairs: list[tuple[Sheet, Sheet | None]] = []
    for sheet in source:
        if sheet.name in by_name:
            pairs.append((sheet, by_name[sheet.name]))
        else:
            pairs.append((sheet, spare.pop(0) if spare else None))
    return pairs


def _range(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    a, _, b = ref.replace("$", "").partition(":")
    try:
        return split_address(a), split_address(b or a)
    except ValueError:
        return (0, 0), (-1, -1)


def _within(addr: str, rng: tuple[tuple[int, int], tuple[int, int]]) -> bool:
    r, c = _order(addr)
    (r1, c1), (r2, c2) = rng
    return r1 <= r <= r2 and c1 <= c <= c2


def _cells(source: Inventory, output: Inventory, where: str) -> list[FidelityFinding]:
    out: list[FidelityFinding] = []
    not_stored = 0
    changed: list[tuple[str, str, Cell, Cell | None]] = []
    pivot_changed: dict[str, list[str]] = {}
    total_changed = 0
    for sheet, other in _pair_sheets(source.sheets, output.sheets):
        if other is not None and other.name != sheet.name:
            out.append(
                FidelityFinding(
                    code="sheet_renamed",
                    severity=WARNING,
                    where=f"{where}: {other.name}",
                    message=f"the sheet “{sheet.name}” is called “{other.name}” in the output; formulas and "
                    "links elsewhere that name it may no longer find it",
                    source_value=sheet.name,
                    output_value=other.name,
                )
            )
        if other is None:
            if sheet.cells:
                out.append(
                    FidelityFinding(
                        code="sheet_lost",
                        severity=ERROR,
                        where=f"{where}: {sheet.name}",
                        message=f"the sheet “{sheet.name}” ({len(sheet.cells)} filled cells) is not in the "
                        "output",
                        source_value=sheet.name,
                    )
                )
            continue
        not_stored += len(sheet.not_stored)
        volatile = set(sheet.volatile)
        pivots = [_range(r) for r in sheet.pivot_ranges]
        for addr in sorted(sheet.cells, key=_order):
            if addr in volatile:
                continue
            a, b = sheet.cells[addr], other.cells.get(addr)
            if not _same(a, b):
                if any(_within(addr, r) for r in pivots):
                    pivot_changed.setdefault(sheet.name, []).append(addr)
                    continue
                total_changed += 1
                if len(changed) < MAX_CELL_FINDINGS:
                    changed.append((sheet.name, addr, a, b))
        lost = [a for a in sorted(sheet.formulas, key=_order) if a not in other.formulas]
        if lost:
            shown = ", ".join(lost[:10]) + (f" and {len(lost) - 10} more" if len(lost) > 10 else "")
            out.append(
                FidelityFinding(
                    code="formula_lost",
                    severity=WARNING,
                    where=f"{where}: {sheet.name}",
                    message=f"{len(lost)} formula(s) on sheet “{sheet.name}” became fixed values ({shown}): "
                    "they will no longer recalculate when the figures they use change",
                    source_value={a: sheet.formulas[a] for a in lost[:10]},
                    output_value=len(lost),
                )
            )
    for name, addr, a, b in changed:
        out.append(
            FidelityFinding(
                code="cell_value_changed",
                severity=ERROR,
                where=f"{where}: {name}!{addr}",
                message=f"cell {addr} on sheet “{name}” held {_shown(a)} in the original and holds "
                f"{_shown(b)} in the output",
                source_value=_show(a),
                output_value=_show(b),
            )
        )
    if total_changed > len(changed):
        out.append(
            FidelityFinding(
                code="cell_value_changed",
                severity=ERROR,
                where=where,
                message=f"{total_changed} cells differ in all; the first {len(changed)} are listed one by "
                "one",
                source_value=total_changed,
            )
        )
    for name, addrs in pivot_changed.items():
        shown = ", ".join(addrs[:10]) + (f" and {len(addrs) - 10} more" if len(addrs) > 10 else "")
        out.append(
            FidelityFinding(
                code="pivot_table_changed",
                severity=WARNING,
                where=f"{where}: {name}",
                message=f"a pivot table on sheet “{name}” was rebuilt by the converter and {len(addrs)} of "
                f"its cells read differently ({shown}); labels such as “Grand Total” are often renamed, "
                "check the figures",
                output_value=len(addrs),
            )
        )
    if not_stored:
        out.append(
            FidelityFinding(
                code="values_not_stored",
                severity=INFO,
                where=where,
                message=f"the original does not store the results of {not_stored} formula(s) (the program "
                "that wrote it never calculated them); the output shows freshly calculated results, which "
                "could not be checked against the original",
                source_value="not stored",
                output_value=not_stored,
            )
        )
    return out


def _pages(source: Inventory, output: Inventory, where: str) -> list[FidelityFinding]:
    if output.format != "pdf" or output.pages is None:
        return []
    if source.kind == "presentation":
        shown = (source.count("slides") or 0) - (source.count("hidden_slides") or 0)
        if output.pages < shown:
            return [
                FidelityFinding(
                    code="slide_lost",
                    severity=ERROR,
                    where=where,
                    message=f"the presentation has {shown} slides to show; the PDF has {output.pages} pages",
                    source_value=shown,
                    output_value=output.pages,
                )
            ]
        return []
    if source.format in _WORD_FORMATS and source.pages and source.pages != output.pages:
        return [
            FidelityFinding(
                code="page_count_changed",
                severity=WARNING,
                where=where,
                message=f"Word counted {source.pages} page(s) for the original; the PDF has {output.pages}. "
                "Page references (“see page 3”) and the look of the pages may no longer match",
                source_value=source.pages,
                output_value=output.pages,
            )
        ]
    return []


def _external(source: Inventory, output: Inventory, where: str) -> list[FidelityFinding]:
    kept = set(output.external)
    blocked = [t for t in source.external if t not in kept]
    if not blocked:
        return []
    shown = ", ".join(_quote(t, 80) for t in blocked[:5]) + (" …" if len(blocked) > 5 else "")
    return [
        FidelityFinding(
            code="external_content_blocked",
            severity=WARNING,
            where=where,
            message=f"the original shows {len(blocked)} item(s) kept outside the file ({shown}); for safety "
            "they were not fetched, so the output shows an empty frame, a placeholder or the last saved "
            "copy instead",
            source_value=blocked[:20],
        )
    ]


def _final(source: Inventory, output: Inventory, where: str, profile: str) -> list[FidelityFinding]:
    if profile not in ("final", "archive"):
        return []
    out = []
    tracked = (output.count("tracked_insertions") or 0) + (output.count("tracked_deletions") or 0)
    if tracked:
        out.append(
            FidelityFinding(
                code="tracked_changes_in_final",
                severity=WARNING,
                where=where,
                message=f"the record still contains {tracked} tracked change(s) that nobody accepted or "
                "rejected; a final record should show one agreed text",
                output_value=tracked,
            )
        )
    if output.format == "pdf" and source.deleted_text:
        # A deleted passage the PDF prints more often than the kept text has it: the export drew the
        # change markup (struck-through deletions next to the insertions).
        src_text, out_text = source.text.casefold(), output.text.casefold()
        passages = [p for p in source.deleted_text.casefold().split("\n") if len(p) >= 2]
        shown = [p for p in passages if out_text.count(p) > src_text.count(p)]
        if passages and len(shown) * 2 >= len(passages):
            out.append(
                FidelityFinding(
                    code="tracked_changes_in_final",
                    severity=WARNING,
                    where=where,
                    message=f"the PDF shows the tracked changes: {len(shown)} passage(s) deleted in the "
                    f"original (such as “{_quote(shown[0], 60)}”) are still printed next to the text that "
                    "replaced them; accept or reject the changes and convert again",
                    source_value=shown[:10],
                )
            )
    comments = output.count("comments") or 0
    if comments:
        out.append(
            FidelityFinding(
                code="comments_in_final",
                severity=WARNING,
                where=where,
                message=f"the record still contains {comments} reviewer comment(s); check that they belong "
                "in a final record",
                output_value=comments,
            )
        )
    return out


def dedupe(findings: list[FidelityFinding]) -> list[FidelityFinding]:
    """Drop repeats (the same finding about the source, made once per output), keeping order."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for f in findings:
        key = (f.code, f.where, f.message)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def compare_files(
    source: Path, outputs: Mapping[str, Path], *, profile: str = "final"
) -> list[FidelityFinding]:
    """Inventory a source and its outputs (each once) and compare them.

    Args:
        source: The file that was converted.
        outputs: Output format (``"odt"``, ``"ods"``, ``"odp"``, ``"pdf"``) -> output file.
        profile: The conversion profile (see `compare`).

    Returns:
        Every output's findings, findings about the source as a whole only once. A file that cannot be
        inventoried gives one ``fidelity_unchecked`` finding (info for a format fidelity does not read,
        warning for a file it failed to read) instead of raising.
    """
    from validators.fidelity._inventory import RefusedInput, UnsupportedFormat, inventory

    findings: list[FidelityFinding] = []
    invs: dict[str, Inventory] = {}
    for fmt, path in outputs.items():
        try:
            invs[fmt] = inventory(path)
        except Exception as e:  # a damaged output must not stop the report; it is a finding
            log.warning("cannot inventory %s: %s", path, e)
            findings.append(_unchecked(Path(path).name, e))
    try:
        src = inventory(source)
    except UnsupportedFormat as e:
        # DOC, XLS, PPT, RTF: the ODF copy stands in for the original. Its fonts are the ones the
        # original asked for, and what it holds can still be compared with the PDF.
        proxy = (
            None
            if isinstance(e, RefusedInput)
            else next((i for i in invs.values() if i.format != "pdf"), None)
        )
        findings.append(
            FidelityFinding(
                code="fidelity_unchecked" if proxy is None else "fidelity_partial",
                severity=INFO,
                where="",
                message=f"what the conversion kept was not checked: {e}"
                if proxy is None
                else f"the original cannot be read for comparison ({e}); only its fonts, and the "
                f"{proxy.format.upper()} copy against the PDF, were checked",
            )
        )
        if proxy is not None:
            for inv in invs.values():
                findings.extend(_safe_compare(proxy, inv, profile))
        return sort_findings(dedupe(findings)) if proxy is not None else [findings[-1]]
    except Exception as e:  # damaged beyond reading (bad zip, broken XML...): a finding, not a crash
        log.warning("cannot inventory %s: %s", source, e)
        return [_unchecked(Path(source).name, e), *findings]
    for inv in invs.values():
        for f in _safe_compare(src, inv, profile):
            key = _PDF_ONLY_LOSSES.get(f.code)
            if (
                key
                and inv.format == "pdf"
                and any(
                    (i.count(key) or 0) >= (src.count(key) or 0) for i in invs.values() if i.format != "pdf"
                )
            ):
                continue
            findings.append(f)
    return sort_findings(dedupe(findings))


def _safe_compare(source: Inventory, output: Inventory, profile: str) -> list[FidelityFinding]:
    """`compare`, with a failure of the comparison itself turned into a finding: fidelity reports on a
    conversion, it must never be the reason one fails."""
    try:
        return compare(source, output, profile=profile)
    except Exception as e:
        log.exception("comparing %s with %s failed", source.path, output.path)
        return [_unchecked(Path(output.path).name, e)]


def _unchecked(name: str, e: BaseException) -> FidelityFinding:
    return FidelityFinding(
        code="fidelity_unchecked",
        severity=WARNING,
        where=name,
        message=f"{name} could not be read to check what the conversion kept: {e}",
    )


def sort_findings(findings: list[FidelityFinding]) -> list[FidelityFinding]:
    """Errors first, then warnings, then notes; otherwise in the order found."""
    return sorted(findings, key=lambda f: -f.severity.rank)
