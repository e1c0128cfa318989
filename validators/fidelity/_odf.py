"""Inventory of OpenDocument files (ODT, ODS, ODP, packaged or flat), in the vocabulary of `Inventory`.

The parts are read with lxml (entities off). Spreadsheet rows and columns that ODF writes once with a
repeat count are expanded only as far as they hold something: a row of 16384 empty repeated cells costs
one step, and a repeated non-empty cell is expanded up to a bound, never to the end of the sheet.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from validators.fidelity._docx import font_key
from validators.fidelity._model import Cell, Inventory, Sheet
from validators.fidelity._util import (
    MAX_CELLS,
    MAX_PARAGRAPHS,
    MAX_PART_BYTES,
    col_letters,
    join_text,
    local,
    normalise,
    parse_part,
    parser,
)

log = logging.getLogger(__name__)

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
XLINK = "http://www.w3.org/1999/xlink"
PRES = "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
CHART = "urn:oasis:names:tc:opendocument:xmlns:chart:1.0"
MATHML = "http://www.w3.org/1998/Math/MathML"
CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"

_t, _tb, _d, _o, _s = f"{{{TEXT}}}", f"{{{TABLE}}}", f"{{{DRAW}}}", f"{{{OFFICE}}}", f"{{{STYLE}}}"

#: Most times a repeated non-empty row or cell is expanded.
MAX_REPEAT = 1000
_MAX_ROW = 1_048_576
_MAX_COL = 16_384

_FIELDS = frozenset(
    [
        "page-number",
        "page-count",
        "page-continuation",
        "date",
        "time",
        "author-name",
        "author-initials",
        "title",
        "subject",
        "description",
        "keywords",
        "file-name",
        "chapter",
        "sequence",
        "sequence-ref",
        "bookmark-ref",
        "reference-ref",
        "note-ref",
        "user-defined",
        "variable-get",
        "variable-set",
        "variable-input",
        "user-field-get",
        "user-field-input",
        "expression",
        "initial-creator",
        "creation-date",
        "creation-time",
        "modification-date",
        "modification-time",
        "print-date",
        "print-time",
        "printed-by",
        "editing-cycles",
        "editing-duration",
        "word-count",
        "character-count",
        "paragraph-count",
        "page-variable-get",
        "page-variable-set",
        "template-name",
        "sender-firstname",
        "sender-lastname",
        "sender-company",
        "placeholder",
        "conditional-text",
        "hidden-text",
        "hidden-paragraph",
        "text-input",
        "drop-down",
        "database-display",
        "database-name",
        "database-next",
        "database-row-number",
        "database-row-select",
        "script",
        "execute-macro",
        "dde-connection",
        "creator",
        "meta-field",
        "table-count",
        "image-count",
        "object-count",
        "sheet-name",
    ]
)
_VOLATILE = re.compile(r"\b(TODAY|NOW|RAND|RANDBETWEEN|OFFSET|INDIRECT|INFO|CELL)\s*\(", re.IGNORECASE)
_EPOCH = date(1899, 12, 30)
_DURATION = re.compile(r"^-?P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$")
_FORMAT = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.text-template": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.spreadsheet-template": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/vnd.oasis.opendocument.presentation-template": "odp",
    "application/vnd.oasis.opendocument.graphics": "odg",
}


class _Package:
    """The parts of a packaged or flat ODF file."""

    def __init__(self, path: Path, notes: list[str]) -> None:
        self.content: etree._Element | None = None
        self.styles: etree._Element | None = None
        self.meta: etree._Element | None = None
        self.mimetype = ""
        self.names: set[str] = set()
        self.media: dict[str, str] = {}
        self.objects: dict[str, etree._Element] = {}
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                self.names = set(zf.namelist())
                if "mimetype" in self.names:
                    self.mimetype = zf.read("mimetype")[:200].decode("ascii", "replace").strip()
                self.content = parse_part(zf, "content.xml", notes)
                self.styles = parse_part(zf, "styles.xml", notes)
                self.meta = parse_part(zf, "meta.xml", notes)
                manifest = parse_part(zf, "META-INF/manifest.xml", notes)
                if manifest is not None:
                    for fe in manifest.iter(f"{{{MANIFEST}}}file-entry"):
                        self.media[fe.get(f"{{{MANIFEST}}}full-path", "")] = fe.get(
                            f"{{{MANIFEST}}}media-type", ""
                        )
                    self.mimetype = self.mimetype or self.media.get("/", "")
                for name in self.names:
                    if name.endswith("/content.xml") and name.count("/") == 1:
                        obj = parse_part(zf, name, notes)
                        if obj is not None:
                            self.objects[name.split("/", 1)[0]] = obj
        else:
            if path.stat().st_size > MAX_PART_BYTES:
                raise ValueError("flat ODF file over the size bound")
            root = etree.parse(str(path), parser()).getroot()
            self.mimetype = root.get(f"{_o}mimetype", "")
            self.content = self.styles = self.meta = root

    def object_kind(self, href: str) -> str:
        """``chart``, ``formula`` or ``object`` for an embedded object's href (``./Object 1``)."""
        name = href.removeprefix("./").rstrip("/")
        media = self.media.get(name + "/", "") or self.media.get(name, "")
        obj = self.objects.get(name)
        if "chart" in media or (obj is not None and obj.find(f".//{{{CHART}}}chart") is not None):
            return "chart"
        if "formula" in media or (obj is not None and obj.find(f".//{{{MATHML}}}math") is not None):
            return "formula"
        return "object"


def _is_external(href: str) -> bool:
    return bool(href) and ("://" in href or href.startswith(("/", "../", "\\\\")))


class _Fonts:
    """Style name -> font family, following parent styles, for attributing characters to fonts."""

    def __init__(self, roots: list[etree._Element | None]) -> None:
        self.faces: dict[str, str] = {}
        self.own: dict[tuple[str, str], dict[str, str]] = {}
        self.parent: dict[tuple[str, str], str] = {}
        self.display_none: set[str] = set()
        self.default: dict[str, dict[str, str]] = {}
        self.hidden_tables: set[str] = set()
        self._cache: dict[tuple[str, str], dict[str, str]] = {}
        for root in roots:
            if root is None:
                continue
            for ff in root.iter(f"{_s}font-face"):
                fam = ff.get(f"{{{SVG}}}font-family", "") or ff.get(f"{_s}name", "")
                self.faces[ff.get(f"{_s}name", "")] = fam.strip("'\"")
            for st in root.iter(f"{_s}style", f"{_s}default-style"):
                family = st.get(f"{_s}family", "")
                tp = st.find(f"{_s}text-properties")
                fonts: dict[str, str] = {}
                if tp is not None:
                    for key, attr in (
                        ("latin", "font-name"),
                        ("ea", "font-name-asian"),
                        ("cs", "font-name-complex"),
                    ):
                        v = tp.get(f"{_s}{attr}")
                        if v:
                            fonts[key] = v
                    if tp.get(f"{_t}display") == "none":
                        self.display_none.add(st.get(f"{_s}name", ""))
                tbp = st.find(f"{_s}table-properties")
                if tbp is not None and tbp.get(f"{_tb}display") == "false":
                    self.hidden_tables.add(st.get(f"{_s}name", ""))
                if local(st.tag) == "default-style":
                    self.default[family] = fonts
                    continue
                skey = (family, st.get(f"{_s}name", ""))
                self.own[skey] = fonts
                if st.get(f"{_s}parent-style-name"):
                    self.parent[skey] = st.get(f"{_s}parent-style-name", "")

    def resolve(self, family: str, name: str | None) -> dict[str, str]:
        key = (family, name or "")
        if key not in self._cache:
            self._cache[key] = self._resolve(family, name)
        return self._cache[key]

    def _resolve(self, family: str, name: str | None) -> dict[str, str]:
        out: dict[str, str] = {}
        seen: set[str] = set()
        while name and name not in seen:
            seen.add(name)
            for k, v in self.own.get((family, name), {}).items():
                out.setdefault(k, v)
            name = self.parent.get((family, name))
        for k, v in self.default.get(family, {}).items():
            out.setdefault(k, v)
        return {k: self.faces.get(v, v) for k, v in out.items()}


class _TextWalker:
    """Collects paragraphs, hidden text and fonts per character from text content."""

    def __init__(self, fonts: _Fonts) -> None:
        self.fonts = fonts
        self.paragraphs: list[str] = []
        self.hidden: list[str] = []
        self._pending: dict[tuple[tuple[str, str], ...], set[str]] = {}

    def paragraph(self, p: etree._Element, store: bool = True) -> str:
        pfonts = self.fonts.resolve("paragraph", p.get(f"{_t}style-name"))
        buf: list[str] = []
        self._inline(p, buf, pfonts, p.get(f"{_t}style-name", "") in self.fonts.display_none)
        text = normalise("".join(buf))
        if text and store and len(self.paragraphs) < MAX_PARAGRAPHS:
            self.paragraphs.append(text)
        return text

    def _add(self, text: str, fonts: dict[str, str], buf: list[str], hidden: bool) -> None:
        if not text:
            return
        if hidden:
            self.hidden.append(text)
            return
        buf.append(text)
        # Characters are attributed to fonts once per distinct font setting, at the end (`font_chars`):
        # per piece of text that would cost a lookup per character.
        self._pending.setdefault(tuple(sorted(fonts.items())), set()).update(text)

    def font_chars(self) -> dict[str, str]:
        """Requested font family -> the distinct characters set in it."""
        chars: dict[str, set[str]] = {}
        for setting, pending in self._pending.items():
            fonts = dict(setting)
            for ch in pending:
                if ch.isspace():
                    continue
                key = {"ascii": "latin", "hAnsi": "latin", "eastAsia": "ea", "cs": "cs"}[font_key(ch)]
                fam = fonts.get(key) or fonts.get("latin")
                if fam:
                    chars.setdefault(fam, set()).add(ch)
        return {f: "".join(sorted(c))[:2000] for f, c in sorted(chars.items())}

    def _inline(self, el: etree._Element, buf: list[str], fonts: dict[str, str], hidden: bool) -> None:
        self._add(el.text or "", fonts, buf, hidden)
        for child in el:
            tag = child.tag
            if isinstance(tag, str):
                ns, _, name = tag[1:].partition("}")
                if ns == TEXT and name == "span":
                    sname = child.get(f"{_t}style-name")
                    sf = self.fonts.resolve("text", sname)
                    merged = {**fonts, **sf}
                    self._inline(child, buf, merged, hidden or (sname or "") in self.fonts.display_none)
                elif ns == TEXT and name == "s" or ns == TEXT and name in ("tab", "line-break"):
                    buf.append(" ")
                elif ns == TEXT and name in ("note", "note-citation", "tracked-changes", "bookmark"):
                    pass  # a note's body is walked as its own paragraphs
                elif ns == OFFICE and name in ("annotation", "annotation-end"):
                    pass
                elif ns == DRAW:
                    pass  # frames (text boxes, images) hold their own paragraphs
                elif ns == TEXT and name in ("hidden-text", "hidden-paragraph"):
                    self.hidden.append(child.get(f"{_t}string-value", ""))
                else:
                    self._inline(child, buf, fonts, hidden)
            self._add(child.tail or "", fonts, buf, hidden)


def _paragraphs(root: etree._Element, *, skip_notes: bool = False) -> list[etree._Element]:
    """text:p and text:h under *root*, outside annotations and tracked deletions."""
    out = []
    for p in root.iter(f"{_t}p", f"{_t}h"):
        anc = p.getparent()
        skip = False
        while anc is not None and anc is not root:
            name = local(anc.tag)
            if name in ("annotation", "tracked-changes") or (skip_notes and name == "notes"):
                skip = True
                break
            anc = anc.getparent()
        if not skip:
            out.append(p)
    return out


def _count_common(pkg: _Package, root: etree._Element, counts: Counter[str], external: list[str]) -> None:
    """Images, charts, equations, objects, comments and links under *root*."""
    for key in ("images", "charts", "equations", "ole_objects", "comments"):
        counts.setdefault(key, 0)
    for el in root.iter(f"{_d}image"):
        frame = el.getparent()
        if frame is not None and (
            frame.find(f"{_d}object") is not None
            or frame.find(f"{_d}object-ole") is not None
            or frame.find(f"{_tb}table") is not None
        ):
            continue  # the replacement picture of an object or a presentation table
        if _inside(el, "notes"):
            continue
        href = el.get(f"{{{XLINK}}}href", "")
        if _is_external(href):
            external.append(href)
        counts["images"] += 1
    for el in root.iter(f"{_d}object", f"{_d}object-ole"):
        if _inside(el, "notes"):
            continue
        href = el.get(f"{{{XLINK}}}href", "")
        if _is_external(href):
            external.append(href)
        kind = pkg.object_kind(href) if local(el.tag) == "object" else "object"
        counts[{"chart": "charts", "formula": "equations", "object": "ole_objects"}[kind]] += 1
    counts["comments"] += sum(1 for _ in root.iter(f"{_o}annotation"))
    for a in root.iter(f"{_t}a", f"{_d}a"):
        href = a.get(f"{{{XLINK}}}href", "")
        counts["hyperlinks_internal" if href.startswith("#") else "hyperlinks_external"] += 1


def _inside(el: etree._Element, name: str) -> bool:
    anc = el.getparent()
    while anc is not None:
        if local(anc.tag) == name:
            return True
        anc = anc.getparent()
    return False


def _page_count(pkg: _Package) -> int | None:
    if pkg.meta is None:
        return None
    st = pkg.meta.find(f".//{{{META}}}document-statistic")
    if st is None or not st.get(f"{{{META}}}page-count", "").isdigit():
        return None
    return int(st.get(f"{{{META}}}page-count", "0"))


def inventory_odf(path: Path) -> Inventory:
    """Inventory an OpenDocument file. See `validators.fidelity.inventory`."""
    notes: list[str] = []
    pkg = _Package(path, notes)
    if pkg.content is None:
        raise ValueError("content.xml is missing or unreadable")
    fmt = _FORMAT.get(pkg.mimetype, "odt")
    body = pkg.content.find(f"{_o}body")
    if body is None:
        raise ValueError("the document has no office:body")
    fonts = _Fonts([pkg.styles, pkg.content] if pkg.styles is not pkg.content else [pkg.content])
    macros = any(n.startswith(("Basic/", "Scripts/")) for n in pkg.names) or any(
        True for _ in pkg.content.iter(f"{{{OFFICE}}}event-listener")
    )
    if body.find(f"{_o}spreadsheet") is not None:
        return _spreadsheet(path, pkg, body.find(f"{_o}spreadsheet"), fonts, notes, macros)
    if body.find(f"{_o}presentation") is not None or body.find(f"{_o}drawing") is not None:
        pres = body.find(f"{_o}presentation")
        if pres is None:
            pres = body.find(f"{_o}drawing")
        return _presentation(path, pkg, pres, fonts, notes, macros, "odp" if fmt != "odg" else "odg")
    text_el = body.find(f"{_o}text")
    if text_el is None:
        raise ValueError("unknown ODF body")
    return _text(path, pkg, text_el, fonts, notes, macros)


def _text(
    path: Path, pkg: _Package, body: etree._Element, fonts: _Fonts, notes: list[str], macros: bool
) -> Inventory:
    counts: Counter[str] = Counter()
    external: list[str] = []
    walker = _TextWalker(fonts)
    body_paras: list[str] = []
    headings = 0
    note_paras: list[etree._Element] = []
    for p in _paragraphs(body):
        if _inside(p, "note-body"):
            note_paras.append(p)
            continue
        text = walker.paragraph(p)
        if text:
            body_paras.append(text)
            if local(p.tag) == "h":
                headings += 1
    other_paras: list[str] = []
    for p in note_paras:
        t = walker.paragraph(p)
        if t:
            other_paras.append(t)
    header_count = footer_count = 0
    if pkg.styles is not None:
        for mp in pkg.styles.iter(f"{_s}master-page"):
            for hf in mp:
                name = local(hf.tag)
                if not name.startswith(("header", "footer")) or hf.get(f"{_s}display") == "false":
                    continue
                texts = [walker.paragraph(p) for p in _paragraphs(hf)]
                has = any(texts) or any(True for _ in hf.iter(f"{_d}frame", f"{_t}page-number"))
                other_paras.extend(t for t in texts if t)
                if has:
                    if name.startswith("header"):
                        header_count += 1
                    else:
                        footer_count += 1
        if pkg.styles is not pkg.content:
            _count_common(pkg, pkg.styles, counts, external)
    _count_common(pkg, body, counts, external)
    tables = tuple(_table_shape(t) for t in body.iter(f"{_tb}table"))
    roots = [body]
    if pkg.styles is not None and pkg.styles is not pkg.content:
        roots.extend(pkg.styles.iter(f"{_s}master-page"))
    for el in (e for r in roots for e in r.iter()):
        tag = el.tag
        if not isinstance(tag, str):
            continue
        ns, _, name = tag[1:].partition("}")
        if ns == TEXT:
            if name == "note":
                counts["endnotes" if el.get(f"{_t}note-class") == "endnote" else "footnotes"] += 1
            elif name == "changed-region":
                kinds = {local(c.tag) for c in el}
                if "insertion" in kinds:
                    counts["tracked_insertions"] += 1
                if "deletion" in kinds:
                    counts["tracked_deletions"] += 1
            elif name in ("bookmark", "bookmark-start"):
                if not el.get(f"{_t}name", "").startswith("_"):
                    counts["bookmarks"] += 1
            elif name == "section":
                counts["sections"] += 1
                src = el.find(f"{_t}section-source")
                if src is not None and _is_external(src.get(f"{{{XLINK}}}href", "")):
                    external.append(src.get(f"{{{XLINK}}}href", ""))
            elif name == "table-of-content":
                counts["tables_of_contents"] += 1
            elif name in _FIELDS and not _inside(el, "table-of-content"):
                counts["fields"] += 1
        elif ns == LOEXT and name == "content-control":
            counts["content_controls"] += 1
    counts["headers"] = header_count
    counts["footers"] = footer_count
    counts["paragraphs"] = len(body_paras)
    counts["headings"] = headings
    counts["tables"] = len(tables)
    for key in ("footnotes", "endnotes", "tracked_insertions", "tracked_deletions", "bookmarks", "images"):
        counts.setdefault(key, 0)
    for key in ("hyperlinks_external", "hyperlinks_internal", "content_controls", "charts", "ole_objects"):
        counts.setdefault(key, 0)
    for key in ("equations", "fields", "comments", "sections", "tables_of_contents"):
        counts.setdefault(key, 0)
    return Inventory(
        path=str(path),
        format="odt",
        kind="text",
        text=join_text(body_paras + other_paras),
        paragraphs=tuple(body_paras + other_paras),
        counts=dict(counts),
        tables=tables,
        fonts=walker.font_chars(),
        pages=_page_count(pkg),
        macros=macros,
        external=tuple(dict.fromkeys(external)),
        hidden_text=normalise(" ".join(walker.hidden)),
        deleted_text=normalise(
            " ".join(
                " ".join(d.itertext()) for d in body.iter(f"{_t}deletion") if _inside(d, "tracked-changes")
            )
        ),
        notes=tuple(notes),
    )


def _rows_of(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (not those of nested tables), in order."""
    out: list[etree._Element] = []

    def walk(el: etree._Element) -> None:
        for child in el:
            name = local(child.tag)
            if name == "table-row":
                out.append(child)
            elif name in ("table-rows", "table-header-rows", "table-row-group"):
                walk(child)

    walk(table)
    return out


def _repeat(el: etree._Element, attr: str) -> int:
    try:
        return max(1, int(el.get(f"{_tb}{attr}", "1")))
    except ValueError:
        return 1


def _table_shape(table: etree._Element) -> tuple[int, int]:
    rows = sum(min(_repeat(r, "number-rows-repeated"), _MAX_ROW) for r in _rows_of(table))
    cols = 0

    def walk(el: etree._Element) -> None:
        nonlocal cols
        for child in el:
            name = local(child.tag)
            if name == "table-column":
                cols += min(_repeat(child, "number-columns-repeated"), _MAX_COL)
            elif name in ("table-columns", "table-header-columns", "table-column-group"):
                walk(child)

    walk(table)
    return min(rows, _MAX_ROW), min(cols, _MAX_COL)


def _serial(value: str) -> float | None:
    """An ODF date (``2025-01-31`` or ``2025-01-31T12:00:00``) as a spreadsheet serial number."""
    try:
        if "T" in value:
            dt = datetime.fromisoformat(value)
            return (dt.date() - _EPOCH).days + (dt.hour * 3600 + dt.minute * 60 + dt.second) / 86400
        return float((date.fromisoformat(value) - _EPOCH).days)
    except ValueError:
        return None


def _duration(value: str) -> float | None:
    """An ODF time (``PT12H30M00S``) as a fraction of a day."""
    m = _DURATION.match(value)
    if not m:
        return None
    d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
    total = d + (h * 3600 + mi * 60 + s) / 86400
    return -total if value.startswith("-") else total


def _cell_value(cell: etree._Element) -> Cell | None:
    vt = cell.get(f"{_o}value-type")
    cvt = cell.get(f"{{{CALCEXT}}}value-type")
    if vt in ("float", "percentage", "currency"):
        try:
            return ("n", float(cell.get(f"{_o}value", "nan")))
        except ValueError:
            return None
    if vt == "date":
        v = _serial(cell.get(f"{_o}date-value", ""))
        return ("n", v) if v is not None else None
    if vt == "time":
        v = _duration(cell.get(f"{_o}time-value", ""))
        return ("n", v) if v is not None else None
    if vt == "boolean":
        return ("b", cell.get(f"{_o}boolean-value", "false") == "true")
    text = "\n".join(cell_text(p) for p in cell.iter(f"{_t}p") if not _inside_annotation(p, cell))
    if vt == "string" or text:
        if cvt == "error" or (cell.get(f"{_tb}formula") and text.startswith(("#", "Err:"))):
            return ("e", text)
        sv = cell.get(f"{_o}string-value")
        return ("s", sv if sv is not None else text)
    return None


def cell_text(el: etree._Element) -> str:
    """A cell paragraph's text as the cell holds it: ``text:s`` runs of spaces, tabs and line breaks kept."""
    out = [el.text or ""]
    for child in el:
        name = local(child.tag)
        if name == "s":
            try:
                out.append(" " * max(1, int(child.get(f"{_t}c", "1"))))
            except ValueError:
                out.append(" ")
        elif name == "tab":
            out.append("\t")
        elif name == "line-break":
            out.append("\n")
        elif name != "annotation":
            out.append(cell_text(child))
        out.append(child.tail or "")
    return "".join(out).replace("\u00a0", " ")


def _inside_annotation(p: etree._Element, stop: etree._Element) -> bool:
    anc = p.getparent()
    while anc is not None and anc is not stop:
        if local(anc.tag) == "annotation":
            return True
        anc = anc.getparent()
    return False


def _spreadsheet(
    path: Path, pkg: _Package, body: etree._Element, fonts: _Fonts, notes: list[str], macros: bool
) -> Inventory:
    counts: Counter[str] = Counter()
    external: list[str] = []
    sheets: list[Sheet] = []
    texts: list[str] = []
    budget = MAX_CELLS
    for table in body.findall(f"{_tb}table"):
        name = table.get(f"{_tb}name", "")
        hidden = table.get(f"{_tb}style-name", "") in fonts.hidden_tables
        cells: dict[str, Cell] = {}
        formulas: dict[str, str] = {}
        volatile: list[str] = []
        merged = 0
        truncated = False
        row = 0
        src = table.find(f"{_tb}table-source")
        if src is not None:
            external.append(src.get(f"{{{XLINK}}}href", ""))
        for tr in _rows_of(table):
            rrep = _repeat(tr, "number-rows-repeated")
            row_cells: list[tuple[int, Cell | None, str | None, bool]] = []
            col = 0
            for tc in tr:
                cname = local(tc.tag)
                if cname not in ("table-cell", "covered-table-cell"):
                    continue
                crep = _repeat(tc, "number-columns-repeated")
                value = _cell_value(tc) if cname == "table-cell" else None
                formula = tc.get(f"{_tb}formula")
                span = _repeat(tc, "number-columns-spanned") > 1 or _repeat(tc, "number-rows-spanned") > 1
                if value is None and formula is None and not span:
                    col += crep  # empty: a repeat count costs nothing
                    continue
                for i in range(min(crep, MAX_REPEAT)):
                    if col + i < _MAX_COL:
                        row_cells.append((col + i + 1, value, formula, span))
                col += crep
            if not row_cells:
                row += rrep
                continue
            for _ in range(min(rrep, MAX_REPEAT)):
                row += 1
                if row > _MAX_ROW:
                    break
                for c, value, formula, span in row_cells:
                    addr = f"{col_letters(c)}{row}"
                    if span:
                        merged += 1
                    if value is not None:
                        cells[addr] = value
                        if value[0] == "s" and not hidden:
                            texts.append(normalise(str(value[1])))
                    if formula is not None:
                        formulas[addr] = formula
                        if _VOLATILE.search(formula):
                            volatile.append(addr)
                    budget -= 1
                if budget <= 0:
                    truncated = True
                    break
            if rrep > MAX_REPEAT:
                row += rrep - MAX_REPEAT
            if truncated:
                notes.append(f"sheet {name!r}: stopped after {MAX_CELLS} cells")
                break
        sheets.append(
            Sheet(
                name=name,
                hidden=hidden,
                cells=cells,
                formulas=formulas,
                volatile=tuple(volatile),
                merged=merged,
                truncated=truncated,
            )
        )
        for f in formulas.values():
            if "'file:" in f or "'http" in f:
                external.append(f)
    _count_common(pkg, body, counts, external)
    counts["sheets"] = len(sheets)
    counts["hidden_sheets"] = sum(1 for s in sheets if s.hidden)
    counts["formulas"] = sum(len(s.formulas) for s in sheets)
    counts["merged_cells"] = sum(s.merged for s in sheets)
    counts["pivot_tables"] = sum(1 for _ in body.iter(f"{_tb}data-pilot-table"))
    counts["data_validations"] = sum(1 for _ in body.iter(f"{_tb}content-validation"))
    cond = sum(1 for _ in body.iter(f"{{{CALCEXT}}}conditional-format"))
    auto = pkg.content.find(f"{_o}automatic-styles") if pkg.content is not None else None
    if auto is not None:
        cond += sum(
            1
            for st in auto.iter(f"{_s}style")
            if st.get(f"{_s}family") == "table-cell" and st.find(f"{_s}map") is not None
        )
    counts["sparklines"] = sum(1 for _ in body.iter(f"{{{CALCEXT}}}sparkline"))
    counts["conditional_formats"] = cond
    counts["conditional_formats_advanced"] = sum(
        1 for _ in body.iter(f"{{{CALCEXT}}}color-scale", f"{{{CALCEXT}}}data-bar", f"{{{CALCEXT}}}icon-set")
    )
    # Print titles and areas come back from Excel files as names; Excel does not count them as names.
    counts["defined_names"] = sum(
        1
        for el in body.iter(f"{_tb}named-range", f"{_tb}named-expression")
        if not el.get(f"{_tb}name", "").startswith(("_xlnm.", "Excel_BuiltIn_"))
    )
    return Inventory(
        path=str(path),
        format="ods",
        kind="spreadsheet",
        text=join_text(texts),
        counts=dict(counts),
        macros=macros,
        external=tuple(dict.fromkeys(e for e in external if e)),
        sheets=tuple(sheets),
        notes=tuple(notes),
    )


_SHAPES = frozenset(
    [
        "frame",
        "custom-shape",
        "rect",
        "ellipse",
        "line",
        "connector",
        "g",
        "polygon",
        "polyline",
        "path",
        "circle",
        "regular-polygon",
        "measure",
        "caption",
        "control",
    ]
)


def _presentation(
    path: Path,
    pkg: _Package,
    body: etree._Element,
    fonts: _Fonts,
    notes: list[str],
    macros: bool,
    fmt: str,
) -> Inventory:
    counts: Counter[str] = Counter()
    external: list[str] = []
    walker = _TextWalker(fonts)
    paras: list[str] = []
    hidden_pages = set()
    auto = pkg.content.find(f"{_o}automatic-styles") if pkg.content is not None else None
    if auto is not None:
        for st in auto.iter(f"{_s}style"):
            dp = st.find(f"{_s}drawing-page-properties")
            if dp is not None and dp.get(f"{{{PRES}}}visibility") == "hidden":
                hidden_pages.add(st.get(f"{_s}name", ""))
    pages = body.findall(f"{_d}page")
    tables: list[tuple[int, int]] = []
    hidden_paras: list[str] = []
    for page in pages:
        hidden = page.get(f"{_d}style-name", "") in hidden_pages
        if hidden:
            counts["hidden_slides"] += 1
        for shape in page:
            name = local(shape.tag)
            if name not in _SHAPES:
                continue
            if shape.get(f"{{{PRES}}}placeholder") == "true":
                continue  # an empty placeholder shows nothing
            counts["shapes"] += 1
        for p in _paragraphs(page, skip_notes=True):
            t = walker.paragraph(p)
            if t:
                (hidden_paras if hidden else paras).append(t)
        for t in page.iter(f"{_tb}table"):
            if not _inside(t, "notes"):
                tables.append(_table_shape(t))
        nt = page.find(f"{{{PRES}}}notes")
        frames = (
            [f for f in nt.iter(f"{_d}frame") if f.get(f"{{{PRES}}}class") == "notes"]
            if nt is not None
            else []
        )
        if any(walker.paragraph(p, store=False) for f in frames for p in f.iter(f"{_t}p")):
            counts["notes"] += 1
    _count_common(pkg, body, counts, external)
    counts["slides"] = len(pages)
    counts["tables"] = len(tables)
    counts.setdefault("shapes", 0)
    counts.setdefault("notes", 0)
    counts.setdefault("hidden_slides", 0)
    return Inventory(
        path=str(path),
        format=fmt,
        kind="presentation",
        text=join_text(paras),
        paragraphs=tuple(paras),
        counts=dict(counts),
        tables=tuple(tables),
        fonts=walker.font_chars(),
        pages=len(pages),
        macros=macros,
        external=tuple(dict.fromkeys(external)),
        hidden_text=normalise(" ".join(hidden_paras)),
        notes=tuple(notes),
    )
