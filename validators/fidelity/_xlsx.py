"""Inventory of a SpreadsheetML package (XLSX, XLSM, XLTX): every cell's stored value and formula, and
the workbook's structures (merged cells, charts, pivot tables, validation, conditional formats, names).

Cells are read from the sheet XML in one pass, which gives the formula and the result the file stored
side by side (openpyxl needs two loads for that) and stays bounded on huge sheets; openpyxl supplies the
rules for which number formats are dates.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from validators.fidelity._docx import _rels, main_part
from validators.fidelity._model import Cell, Inventory, Sheet
from validators.fidelity._util import (
    MAX_CELLS,
    col_letters,
    join_text,
    local,
    normalise,
    parse_part,
    read_part,
    split_address,
)

log = logging.getLogger(__name__)

S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_x = f"{{{S}}}"
_VOLATILE = re.compile(r"\b(TODAY|NOW|RAND|RANDBETWEEN|OFFSET|INDIRECT|INFO|CELL)\s*\(", re.IGNORECASE)
_EPOCH = date(1899, 12, 30)
_ADDR = re.compile(r"^([A-Z]+)(\d+)$")
# Conditional formats that colour by value (scales, bars, icons): strict ODF has no markup for them.
_ADVANCED_CF = frozenset({"colorScale", "dataBar", "iconSet"})
_SPARKLINE = "{http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}sparkline"
_EVENT_TAGS = [
    f"{{{S}}}{name}"
    for name in ("row", "c", "mergeCell", "dataValidation", "conditionalFormatting", "cfRule")
] + [_SPARKLINE]


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _cell_fonts(root: etree._Element | None) -> list[str]:
    """Per cell format index (``s`` attribute), the name of its font."""
    if root is None:
        return []
    fonts = []
    fonts_el = root.find(f"{_x}fonts")
    if fonts_el is not None:
        for f in fonts_el.findall(f"{_x}font"):
            n = f.find(f"{_x}name")
            fonts.append(n.get("val", "") if n is not None else "")
    out: list[str] = []
    xfs = root.find(f"{_x}cellXfs")
    for xf in xfs.findall(f"{_x}xf") if xfs is not None else []:
        try:
            out.append(fonts[int(xf.get("fontId", "0"))])
        except (ValueError, IndexError):
            out.append("")
    return out


def _shared_strings(root: etree._Element | None) -> list[str]:
    if root is None:
        return []
    out = []
    for si in root.findall(f"{_x}si"):
        out.append("".join(t.text or "" for t in si.iter(f"{_x}t") if local(t.getparent().tag) != "rPh"))
    return out


def _iso_serial(value: str) -> float | None:
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (dt.date() - _EPOCH).days + (dt.hour * 3600 + dt.minute * 60 + dt.second) / 86400


def inventory_xlsx(path: Path, fmt: str) -> Inventory:
    """Inventory a SpreadsheetML package. See `validators.fidelity.inventory`."""
    notes: list[str] = []
    counts: Counter[str] = Counter()
    external: list[str] = []
    sheets: list[Sheet] = []
    texts: list[str] = []
    chars: dict[str, set[str]] = {}
    budget = MAX_CELLS
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        main = main_part(zf, notes) or "xl/workbook.xml"
        wb = parse_part(zf, main, notes)
        if wb is None:
            raise ValueError(f"{main} is missing or unreadable")
        rels = _rels(zf, main, notes)

        def target(kind: str) -> str | None:
            return next((t for typ, t, ext in rels.values() if typ.endswith(kind) and not ext), None)

        sst_part, styles_part = target("/sharedStrings"), target("/styles")
        strings = _shared_strings(parse_part(zf, sst_part, notes) if sst_part else None)
        font_of = _cell_fonts(parse_part(zf, styles_part, notes) if styles_part else None)
        for dn in wb.iter(f"{_x}definedName"):
            if not dn.get("name", "").startswith("_xlnm."):
                counts["defined_names"] += 1
        for typ, t, ext in rels.values():
            if typ.endswith("/externalLink") and not ext:
                for _, link, ext2 in _rels(zf, t, notes).values():
                    if ext2:
                        external.append(link)
                counts["external_links"] += 1
        counts["pivot_tables"] = sum(1 for n in names if re.match(r"xl/pivotTables/pivotTable\d+\.xml$", n))
        for el in wb.iter(f"{_x}sheet"):
            rid = el.get(f"{{{R}}}id", "")
            name = el.get("name", "")
            hidden = el.get("state", "visible") in ("hidden", "veryHidden")
            if rid not in rels:
                continue
            typ, part, _ = rels[rid]
            prels = _rels(zf, part, notes)
            if typ.endswith("/chartsheet"):
                counts["charts"] += _charts_of(zf, prels, notes)
                sheets.append(Sheet(name=name, hidden=hidden))
                continue
            sheet, used, (dv, cf, cfa, spark) = _sheet(
                zf, part, name, hidden, strings, font_of, budget, notes, chars
            )
            pivots = _pivot_ranges(zf, prels, notes)
            if pivots:
                sheet = replace(sheet, pivot_ranges=pivots)
            budget -= used
            counts["data_validations"] += dv
            counts["conditional_formats"] += cf
            counts["conditional_formats_advanced"] += cfa
            counts["sparklines"] += spark
            sheets.append(sheet)
            if not hidden:
                texts.extend(normalise(str(v[1])) for v in sheet.cells.values() if v[0] == "s")
            counts["charts"] += _charts_of(zf, prels, notes)
            counts["images"] += _images_of(zf, prels, notes, external)
            for typ2, t2, ext2 in prels.values():
                if typ2.endswith("/comments") and not ext2:
                    root = parse_part(zf, t2, notes)
                    counts["comments"] += sum(1 for _ in root.iter(f"{_x}comment")) if root is not None else 0
                elif ext2 and typ2.endswith(("/oleObject", "/image")):
                    external.append(t2)
        macros = any(n.lower().endswith("vbaproject.bin") for n in names) or fmt in ("xlsm", "xltm")
    sheets = _propagate_volatile(sheets)
    counts["sheets"] = len(sheets)
    counts["hidden_sheets"] = sum(1 for s in sheets if s.hidden)
    counts["formulas"] = sum(len(s.formulas) for s in sheets)
    counts["merged_cells"] = sum(s.merged for s in sheets)
    for key in ("charts", "images", "comments", "defined_names", "external_links"):
        counts.setdefault(key, 0)
    for key in ("data_validations", "conditional_formats", "conditional_formats_advanced", "pivot_tables"):
        counts.setdefault(key, 0)
    for key in ("sparklines",):
        counts.setdefault(key, 0)
    return Inventory(
        path=str(path),
        format=fmt,
        kind="spreadsheet",
        text=join_text(texts),
        counts=dict(counts),
        fonts={f: "".join(sorted(c))[:2000] for f, c in sorted(chars.items())},
        macros=macros,
        external=tuple(dict.fromkeys(external)),
        sheets=tuple(sheets),
        notes=tuple(notes),
    )


_REF = re.compile(
    r"(?:(?:'((?:[^']|'')+)'|([^\s'!(),:;=+\-*/&^<>\"]+))!)?"
    r"(?:\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?|\$?([A-Z]{1,3}):\$?([A-Z]{1,3}))"
)
_MAX_PROPAGATE = 50_000
_BOX_OVER = 200


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _propagate_volatile(sheets: list[Sheet]) -> list[Sheet]:
    """Mark formulas that depend, directly or through other cells, on a volatile one (TODAY, RAND...).

    Their stored results were true when the file was saved and are not expected to match a fresh
    calculation. References are read from the formula text; a workbook with more formulas than the bound
    is left as it is.
    """
    total = sum(len(s.formulas) for s in sheets)
    if not any(s.volatile for s in sheets) or total > _MAX_PROPAGATE:
        return sheets
    vol: dict[str, set[tuple[int, int]]] = {s.name: set() for s in sheets}
    rects: dict[tuple[str, str], list[tuple[str, int, int, int, int]]] = {}
    for s in sheets:
        for addr in s.volatile:
            vol[s.name].add(split_address(addr))
        for addr, f in s.formulas.items():
            found = []
            for m in _REF.finditer(f):
                sheet = (m.group(1) or "").replace("''", "'") or m.group(2) or s.name
                if m.group(3):
                    r1, c1 = int(m.group(4)), _col(m.group(3))
                    r2, c2 = (int(m.group(6)), _col(m.group(5))) if m.group(5) else (r1, c1)
                else:
                    r1, r2, c1, c2 = 1, 1_048_576, _col(m.group(7)), _col(m.group(8))
                found.append((sheet, min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
            rects[(s.name, addr)] = found
    changed = True
    rounds = 0
    while changed and rounds < 50:
        changed, rounds = False, rounds + 1
        boxes = {
            name: (min(r for r, _ in v), min(c for _, c in v), max(r for r, _ in v), max(c for _, c in v))
            for name, v in vol.items()
            if v
        }
        for (name, addr), refs in rects.items():
            here = split_address(addr)
            if here in vol[name]:
                continue
            for sheet, r1, c1, r2, c2 in refs:
                cells = vol.get(sheet)
                if not cells:
                    continue
                if len(cells) > _BOX_OVER:  # many volatile cells: their bounding box is close enough
                    br1, bc1, br2, bc2 = boxes[sheet]
                    hit = not (br2 < r1 or br1 > r2 or bc2 < c1 or bc1 > c2)
                else:
                    hit = any(r1 <= r <= r2 and c1 <= c <= c2 for r, c in cells)
                if hit:
                    vol[name].add(here)
                    changed = True
                    break
    out = []
    for s in sheets:
        marked = tuple(a for a in s.formulas if split_address(a) in vol[s.name])
        out.append(replace(s, volatile=marked) if marked != s.volatile else s)
    return out


def _pivot_ranges(
    zf: zipfile.ZipFile, prels: dict[str, tuple[str, str, bool]], notes: list[str]
) -> tuple[str, ...]:
    out = []
    for typ, t, ext in prels.values():
        if typ.endswith("/pivotTable") and not ext:
            root = parse_part(zf, t, notes)
            loc = root.find(f"{_x}location") if root is not None else None
            if loc is not None and loc.get("ref"):
                out.append(loc.get("ref", ""))
    return tuple(out)


def _charts_of(zf: zipfile.ZipFile, prels: dict[str, tuple[str, str, bool]], notes: list[str]) -> int:
    n = 0
    for typ, t, ext in prels.values():
        if typ.endswith("/drawing") and not ext:
            n += sum(1 for typ2, _, e2 in _rels(zf, t, notes).values() if typ2.endswith("/chart") and not e2)
    return n


def _images_of(
    zf: zipfile.ZipFile, prels: dict[str, tuple[str, str, bool]], notes: list[str], external: list[str]
) -> int:
    n = 0
    for typ, t, ext in prels.values():
        if typ.endswith("/drawing") and not ext:
            root = parse_part(zf, t, notes)
            drels = _rels(zf, t, notes)
            if root is None:
                continue
            for pic in root.iter("{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}pic"):
                n += 1
                for blip in pic.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"):
                    link = blip.get(f"{{{R}}}link")
                    if link and link in drels and drels[link][2]:
                        external.append(drels[link][1])
    return n


def _sheet(
    zf: zipfile.ZipFile,
    part: str,
    name: str,
    hidden: bool,
    strings: list[str],
    font_of: list[str],
    budget: int,
    notes: list[str],
    chars: dict[str, set[str]],
) -> tuple[Sheet, int, tuple[int, int, int, int]]:
    """One worksheet's cells, formulas and merged ranges, with its data-validation,
    conditional-format and sparkline counts; *budget* cells at most."""
    data = read_part(zf, part, notes)
    cells: dict[str, Cell] = {}
    formulas: dict[str, str] = {}
    not_stored: list[str] = []
    volatile: list[str] = []
    merged = dv = cf = cf_advanced = sparklines = 0
    truncated = False
    used = 0
    if data is None:
        return Sheet(name=name, hidden=hidden), 0, (0, 0, 0, 0)
    shared: dict[str, str] = {}
    row_no = 0
    col_no = 0
    row_el: etree._Element | None = None  # the row whose cells are being read
    events = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=_EVENT_TAGS,  # only the elements counted: an event per <v> or <t> would double the time
        resolve_entities=False,
        no_network=True,
    )
    for _, el in events:
        tag = el.tag
        if tag == f"{_x}row":
            if el is not row_el:  # a row without cells still takes its place
                row_no = _int(el.get("r"), row_no + 1)
            row_el = None
            el.clear()
            continue
        if tag == f"{_x}mergeCell":
            merged += 1
        elif tag == f"{_x}dataValidation":
            dv += 1
        elif tag == f"{_x}conditionalFormatting":
            cf += 1
        elif tag == f"{_x}cfRule" and el.get("type") in _ADVANCED_CF:
            cf_advanced += 1
        elif tag == _SPARKLINE:
            sparklines += 1
        if tag != f"{_x}c":
            continue
        # A cell's end comes before its row's: the row number is taken from the parent when first seen
        # (``r`` may be left out, rows and cells then count on from the previous ones).
        parent = el.getparent()
        if parent is not None and parent is not row_el:
            row_el = parent
            row_no = _int(parent.get("r"), row_no + 1)
            col_no = 0
        ref = el.get("r")
        if ref is None:
            col_no += 1
            ref = f"{col_letters(col_no)}{row_no}"
        else:
            m = _ADDR.match(ref)
            if m:
                col_no = 0
                for ch in m.group(1):
                    col_no = col_no * 26 + ord(ch) - 64
        t = el.get("t", "n")
        f_el = el.find(f"{_x}f")
        v_el = el.find(f"{_x}v")
        try:
            style = int(el.get("s", "0"))
        except ValueError:
            style = 0
        if f_el is not None:
            ftext = f_el.text or ""
            if f_el.get("t") == "shared":
                si = f_el.get("si", "")
                if ftext:
                    shared[si] = ftext
                else:
                    ftext = shared.get(si, "(shared)")
            formulas[ref] = ftext or "(array)"
            if _VOLATILE.search(ftext):
                volatile.append(ref)
        value: Cell | None = None
        raw = v_el.text if v_el is not None else None
        if t == "inlineStr":
            is_el = el.find(f"{_x}is")
            if is_el is not None:
                value = ("s", "".join(x.text or "" for x in is_el.iter(f"{_x}t")))
        elif raw is None:
            if f_el is not None:
                not_stored.append(ref)
        elif t == "s":
            try:
                value = ("s", strings[int(raw)])
            except (ValueError, IndexError):
                value = ("s", "")
        elif t == "str":
            value = ("s", raw)
        elif t == "b":
            value = ("b", raw.strip() in ("1", "true"))
        elif t == "e":
            value = ("e", raw)
        elif t == "d":
            serial = _iso_serial(raw)
            value = ("n", serial) if serial is not None else ("s", raw)
        else:
            try:
                value = ("n", float(raw))
            except ValueError:
                value = ("s", raw)
        if value is not None and not (value[0] == "s" and value[1] == "" and f_el is None):
            cells[ref] = value
            if value[0] == "s" and 0 <= style < len(font_of) and font_of[style]:
                chars.setdefault(font_of[style], set()).update(c for c in str(value[1]) if not c.isspace())
        used += 1
        el.clear()
        if used >= budget:
            truncated = True
            notes.append(f"sheet {name!r}: stopped after {MAX_CELLS} cells")
            break
    return (
        Sheet(
            name=name,
            hidden=hidden,
            cells=cells,
            formulas=formulas,
            not_stored=tuple(not_stored),
            volatile=tuple(volatile),
            merged=merged,
            truncated=truncated,
        ),
        used,
        (dv, cf, cf_advanced, sparklines),
    )
