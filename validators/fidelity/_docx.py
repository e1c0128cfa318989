"""Inventory of a WordprocessingML package (DOCX, DOCM, DOTX): text, structure, fonts and linked content.

It reads the package's XML directly (with lxml, entities off), because python-docx stops short of most of
what a fidelity check needs: footnotes, comments, tracked changes, fields, content controls, charts,
equations and theme fonts are all outside its object model.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from validators.fidelity._model import Inventory
from validators.fidelity._util import (
    MAX_PARAGRAPHS,
    join_text,
    local,
    normalise,
    parse_part,
)

log = logging.getLogger(__name__)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
V = "urn:schemas-microsoft-com:vml"
VO = "urn:schemas-microsoft-com:office:office"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
EXT_PROPS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

_w = f"{{{W}}}"
# Relationship types whose External target is content the document shows (not a hyperlink).
_CONTENT_RELS = (
    "/image",
    "/oleObject",
    "/attachedTemplate",
    "/subDocument",
    "/frame",
    "/package",
    "/aFChunk",
)
_LINK_FIELDS = ("INCLUDEPICTURE", "INCLUDETEXT", "LINK", "IMPORT")
# Fields whose shown result changes by itself when the document is opened, printed or laid out again:
# their text is left out of the comparison (today's date is not a loss of last year's).
_VOLATILE_FIELDS = frozenset(
    {
        "DATE", "TIME", "PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "PRINTDATE", "SAVEDATE",
        "EDITTIME", "NUMWORDS", "NUMCHARS", "FILESIZE", "PAGEREF", "USERNAME", "FILENAME",
    }
)  # fmt: skip


_INDEX_FIELDS = frozenset({"XE", "TC", "TA", "RD", "INDEX", "TOA"})


def _field_kind(instr: str) -> str:
    words = instr.split()
    return words[0].upper() if words else ""


_FIELD_TARGET = re.compile(r'^\s*\w+\s+(?:\\\w\s+)*"?([^"\\]+)"?')


def font_key(ch: str) -> str:
    """Which of a run's four font slots Word uses for *ch* (ASCII, high ANSI, East Asian, complex)."""
    cp = ord(ch)
    if cp < 0x80:
        return "ascii"
    if 0x0590 <= cp <= 0x08FF or 0x0900 <= cp <= 0x0DFF or 0x0E00 <= cp <= 0x0E7F or 0xFB1D <= cp <= 0xFEFF:
        return "cs"
    if 0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF or 0xFF00 <= cp <= 0xFFEF:
        return "eastAsia"
    return "hAnsi"


_THEME_SLOT = {
    "minorHAnsi": ("minor", "latin"),
    "minorAscii": ("minor", "latin"),
    "majorHAnsi": ("major", "latin"),
    "majorAscii": ("major", "latin"),
    "minorEastAsia": ("minor", "ea"),
    "majorEastAsia": ("major", "ea"),
    "minorBidi": ("minor", "cs"),
    "majorBidi": ("major", "cs"),
}
_KEYS = ("ascii", "hAnsi", "eastAsia", "cs")


def _rfonts(rpr: etree._Element | None, theme: dict[tuple[str, str], str]) -> dict[str, str]:
    """The fonts a ``w:rPr`` sets, per slot, theme references resolved."""
    out: dict[str, str] = {}
    if rpr is None:
        return out
    rf = rpr.find(f"{_w}rFonts")
    if rf is None:
        return out
    for key in _KEYS:
        th = rf.get(f"{_w}{key}Theme")
        if th and th in _THEME_SLOT and theme.get(_THEME_SLOT[th]):
            out[key] = theme[_THEME_SLOT[th]]
        elif rf.get(f"{_w}{key}"):
            out[key] = rf.get(f"{_w}{key}", "")
    return out


def _on(el: etree._Element | None) -> bool:
    return el is not None and el.get(f"{_w}val", "true") not in ("0", "false", "off")


@dataclass(slots=True)
class _Style:
    kind: str
    based_on: str | None
    fonts: dict[str, str]
    outline: int | None
    vanish: bool | None


@dataclass(slots=True)
class _Styles:
    styles: dict[str, _Style] = field(default_factory=dict)
    default_para: str | None = None
    default_fonts: dict[str, str] = field(default_factory=dict)

    def chain(self, style_id: str | None) -> list[_Style]:
        out: list[_Style] = []
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            st = self.styles[style_id]
            out.append(st)
            style_id = st.based_on
        return out


def _load_styles(root: etree._Element | None, theme: dict[tuple[str, str], str]) -> _Styles:
    st = _Styles()
    if root is None:
        return st
    rpr_default = root.find(f"{_w}docDefaults/{_w}rPrDefault/{_w}rPr")
    st.default_fonts = _rfonts(rpr_default, theme)
    for s in root.iter(f"{_w}style"):
        sid = s.get(f"{_w}styleId")
        if not sid:
            continue
        based = s.find(f"{_w}basedOn")
        outline_el = s.find(f"{_w}pPr/{_w}outlineLvl")
        outline = None
        if outline_el is not None:
            try:
                outline = int(outline_el.get(f"{_w}val", "9"))
            except ValueError:
                outline = None
        rpr = s.find(f"{_w}rPr")
        vanish_el = rpr.find(f"{_w}vanish") if rpr is not None else None
        st.styles[sid] = _Style(
            kind=s.get(f"{_w}type", "paragraph"),
            based_on=based.get(f"{_w}val") if based is not None else None,
            fonts=_rfonts(rpr, theme),
            outline=outline,
            vanish=_on(vanish_el) if vanish_el is not None else None,
        )
        if s.get(f"{_w}type") == "paragraph" and s.get(f"{_w}default") in ("1", "true"):
            st.default_para = sid
    return st


def _theme_fonts(root: etree._Element | None) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    if root is None:
        return out
    for which in ("major", "minor"):
        el = root.find(f".//{{{A}}}{which}Font")
        if el is None:
            continue
        for slot in ("latin", "ea", "cs"):
            f = el.find(f"{{{A}}}{slot}")
            if f is not None and f.get("typeface"):
                out[(which, slot)] = f.get("typeface", "")
    return out


def _rels(zf: zipfile.ZipFile, part: str, notes: list[str]) -> dict[str, tuple[str, str, bool]]:
    """Relationship id -> (type, target resolved against the part, external)."""
    folder, name = posixpath.split(part)
    root = parse_part(zf, posixpath.join(folder, "_rels", name + ".rels"), notes)
    out: dict[str, tuple[str, str, bool]] = {}
    if root is None:
        return out
    for rel in root.iter(f"{{{PKG_REL}}}Relationship"):
        external = rel.get("TargetMode") == "External"
        target = rel.get("Target", "")
        if not external:
            target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
            if rel.get("Target", "").startswith("/"):
                target = rel.get("Target", "").lstrip("/")
        out[rel.get("Id", "")] = (rel.get("Type", ""), target, external)
    return out


def main_part(zf: zipfile.ZipFile, notes: list[str]) -> str | None:
    """The package's main part, from ``_rels/.rels`` (the ``officeDocument`` relationship)."""
    for typ, target, _ in _rels(zf, "", notes).values():
        if typ.endswith("/officeDocument"):
            return target
    return None


def drop_fallbacks(root: etree._Element) -> None:
    """Remove ``mc:Fallback`` branches so content written twice (DrawingML and VML) is counted once."""
    for fb in list(root.iter(f"{{{MC}}}Fallback")):
        parent = fb.getparent()
        if parent is not None:
            parent.remove(fb)


class _Walker:
    """Walks one part's XML, collecting visible text per paragraph, hidden text and fonts per run."""

    def __init__(self, styles: _Styles, theme: dict[tuple[str, str], str]) -> None:
        self.styles = styles
        self.theme = theme
        self.paragraphs: list[str] = []
        self.hidden: list[str] = []
        self.fonts: dict[str, set[str]] = {}
        self.headings = 0
        # Open complex fields: [instruction so far, in the result part yet?]
        self.fields: list[list[Any]] = []

    def _volatile_result(self) -> bool:
        """Inside the shown result of a field that changes by itself (a date, a page number)?"""
        return any(res and _field_kind(instr) in _VOLATILE_FIELDS for instr, res in self.fields)

    def walk_paragraph(self, p: etree._Element) -> None:
        ppr = p.find(f"{_w}pPr")
        pstyle_el = ppr.find(f"{_w}pStyle") if ppr is not None else None
        pstyle = pstyle_el.get(f"{_w}val") if pstyle_el is not None else self.styles.default_para
        pchain = self.styles.chain(pstyle)
        outline: int | None = None
        direct = ppr.find(f"{_w}outlineLvl") if ppr is not None else None
        if direct is not None:
            try:
                outline = int(direct.get(f"{_w}val", "9"))
            except ValueError:
                outline = None
        else:
            outline = next((s.outline for s in pchain if s.outline is not None), None)
        buf: list[str] = []
        self._collect(p, buf, pchain)
        text = normalise("".join(buf))
        if text:
            if len(self.paragraphs) < MAX_PARAGRAPHS:
                self.paragraphs.append(text)
            if outline is not None and outline < 9:
                self.headings += 1

    def _collect(self, el: etree._Element, buf: list[str], pchain: list[_Style]) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == f"{_w}p":  # a paragraph in a text box: its own paragraph
                self.walk_paragraph(child)
                continue
            if tag in (f"{_w}del", f"{_w}moveFrom", f"{_w}pPr", f"{_w}rPr"):
                continue  # deleted text is not in the document as it reads now
            if tag == f"{_w}r":
                self._run(child, buf, pchain)
                continue
            if tag == f"{_w}fldSimple" and _field_kind(child.get(f"{_w}instr", "")) in _VOLATILE_FIELDS:
                continue
            self._collect(child, buf, pchain)

    def _run(self, r: etree._Element, buf: list[str], pchain: list[_Style]) -> None:
        rpr = r.find(f"{_w}rPr")
        rstyle_el = rpr.find(f"{_w}rStyle") if rpr is not None else None
        rchain = self.styles.chain(rstyle_el.get(f"{_w}val") if rstyle_el is not None else None)
        vanish_el = rpr.find(f"{_w}vanish") if rpr is not None else None
        if vanish_el is not None:
            hidden = _on(vanish_el)
        else:
            hidden = bool(next((s.vanish for s in rchain + pchain if s.vanish is not None), False))
        pieces: list[str] = []
        for child in r:
            name = local(child.tag)
            if name == "fldChar":
                kind = child.get(f"{_w}fldCharType")
                if kind == "begin":
                    self.fields.append(["", False])
                elif kind == "separate" and self.fields:
                    self.fields[-1][1] = True
                elif kind == "end" and self.fields:
                    self.fields.pop()
                continue
            if name == "instrText" and self.fields:
                self.fields[-1][0] += child.text or ""
                continue
            if self._volatile_result():
                continue
            if name == "t":
                pieces.append(child.text or "")
            elif name in ("tab", "ptab", "br", "cr"):
                pieces.append(" ")
            elif name == "noBreakHyphen":
                pieces.append("-")
            elif name == "sym":
                pass
            elif name not in ("rPr", "instrText", "delText", "fldChar"):
                # drawings and text boxes inside the run carry their own paragraphs
                for p in child.iter(f"{_w}p"):
                    if p.getparent() is not None and local(p.getparent().tag) == "txbxContent":
                        self.walk_paragraph(p)
        text = "".join(pieces)
        if not text:
            return
        if hidden:
            self.hidden.append(text)
            return
        buf.append(text)
        fonts: dict[str, str] = {}
        for level in (
            [_rfonts(rpr, self.theme)] + [s.fonts for s in rchain + pchain] + [self.styles.default_fonts]
        ):
            for k, v in level.items():
                fonts.setdefault(k, v)
        cs = rpr is not None and (_on(rpr.find(f"{_w}rtl")) or _on(rpr.find(f"{_w}cs")))
        for ch in set(text):
            if ch.isspace():
                continue
            key = "cs" if cs else font_key(ch)
            family = fonts.get(key) or fonts.get("hAnsi") or fonts.get("ascii")
            if family:
                self.fonts.setdefault(family, set()).add(ch)


def _field_instructions(root: etree._Element) -> list[str]:
    """The instruction of every field: ``w:fldSimple`` and complex fields (``w:instrText`` runs)."""
    out = [fs.get(f"{_w}instr", "") for fs in root.iter(f"{_w}fldSimple")]
    current: list[str] | None = None
    stack: list[list[str]] = []
    for el in root.iter(f"{_w}fldChar", f"{_w}instrText"):
        if local(el.tag) == "instrText":
            if current is not None:
                current.append(el.text or "")
            continue
        kind = el.get(f"{_w}fldCharType")
        if kind == "begin":
            if current is not None:
                stack.append(current)
            current = []
        elif kind == "separate" and current is not None:
            out.append("".join(current))
            current = stack.pop() if stack else None
            if current is not None:
                stack.append(current)
                current = None
        elif kind == "end":
            if current is not None:  # a field with no result part
                out.append("".join(current))
            current = stack.pop() if stack else None
    return [i.strip() for i in out if i.strip()]


def inventory_docx(path: Path, fmt: str) -> Inventory:
    """Inventory a WordprocessingML package. See `validators.fidelity.inventory`."""
    notes: list[str] = []
    counts: Counter[str] = Counter()
    external: list[str] = []
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        main = main_part(zf, notes) or "word/document.xml"
        rels = _rels(zf, main, notes)
        theme_part = next((t for typ, t, ext in rels.values() if typ.endswith("/theme") and not ext), None)
        theme = _theme_fonts(parse_part(zf, theme_part, notes) if theme_part else None)
        styles_part = next((t for typ, t, ext in rels.values() if typ.endswith("/styles") and not ext), None)
        styles = _load_styles(parse_part(zf, styles_part, notes) if styles_part else None, theme)
        walker = _Walker(styles, theme)

        doc = parse_part(zf, main, notes)
        if doc is None:
            raise ValueError(f"{main} is missing or unreadable")
        drop_fallbacks(doc)
        body = doc.find(f"{_w}body")
        parts: list[tuple[str, etree._Element, dict[str, tuple[str, str, bool]]]] = [(main, doc, rels)]
        header_parts = footer_parts = 0
        for typ, target, ext in rels.values():
            if ext:
                continue
            kind = typ.rsplit("/", 1)[-1]
            if kind in ("header", "footer", "footnotes", "endnotes", "comments"):
                root = parse_part(zf, target, notes)
                if root is None:
                    continue
                drop_fallbacks(root)
                parts.append((target, root, _rels(zf, target, notes)))
                if kind in ("header", "footer") and _has_content(root):
                    if kind == "header":
                        header_parts += 1
                    else:
                        footer_parts += 1

        body_paras: list[str] = []
        distinct: set[str] = set()
        notes_paras: list[str] = []
        for part, root, prels in parts:
            kind = part.rsplit("/", 1)[-1]
            is_comments = kind.startswith("comments")
            if not is_comments:
                before = len(walker.paragraphs)
                for p in _top_paragraphs(root):
                    walker.walk_paragraph(p)
                (body_paras if part == main else notes_paras).extend(walker.paragraphs[before:])
            _count_part(root, counts, prels, external, distinct)
        comments_part = next((r for p, r, _ in parts if p.rsplit("/", 1)[-1].startswith("comments")), None)
        counts["comments"] = (
            sum(1 for _ in comments_part.iter(f"{_w}comment")) if comments_part is not None else 0
        )
        counts["headers"] = header_parts
        counts["footers"] = footer_parts
        counts["sections"] = sum(1 for _ in body.iter(f"{_w}sectPr")) if body is not None else 0
        counts["paragraphs"] = len(body_paras)
        counts["headings"] = walker.headings

        # Remote templates and other linked parts hang off the settings part.
        settings_part = next((t for typ, t, ext in rels.values() if typ.endswith("/settings")), None)
        if settings_part:
            for typ, target, ext in _rels(zf, settings_part, notes).values():
                if ext and typ.endswith(_CONTENT_RELS):
                    external.append(target)

        embedded: list[str] = []
        font_table = next((t for typ, t, ext in rels.values() if typ.endswith("/fontTable")), None)
        ft = parse_part(zf, font_table, notes) if font_table else None
        if ft is not None:
            for f in ft.iter(f"{_w}font"):
                if any(local(c.tag).startswith("embed") for c in f):
                    embedded.append(f.get(f"{_w}name", ""))

        pages = _app_pages(parse_part(zf, "docProps/app.xml", notes) if "docProps/app.xml" in names else None)
        macros = any(n.lower().endswith("vbaproject.bin") for n in names) or fmt in ("docm", "dotm")

    tables = tuple(_table_shape(t) for t in doc.iter(f"{_w}tbl"))
    counts["tables"] = len(tables)
    counts["images_distinct"] = len(distinct)
    fonts = {f: "".join(sorted(chars))[:2000] for f, chars in sorted(walker.fonts.items())}
    return Inventory(
        path=str(path),
        format=fmt,
        kind="text",
        text=join_text(body_paras + notes_paras),
        paragraphs=tuple(body_paras + notes_paras),
        counts=dict(counts),
        tables=tables,
        fonts=fonts,
        embedded_fonts=tuple(e for e in embedded if e),
        pages=pages,
        macros=macros,
        external=tuple(dict.fromkeys(external)),
        hidden_text=normalise(" ".join(walker.hidden)),
        deleted_text="\n".join(
            t
            for t in (
                normalise("".join(x.text or "" for x in d.iter(f"{_w}delText"))) for d in doc.iter(f"{_w}del")
            )
            if t
        ),
        notes=tuple(notes),
    )


def _top_paragraphs(root: etree._Element) -> list[etree._Element]:
    """Paragraphs not inside another paragraph (those in text boxes are walked from their run)."""
    out = []
    for p in root.iter(f"{_w}p"):
        anc = p.getparent()
        inside = False
        while anc is not None:
            if anc.tag == f"{_w}p":
                inside = True
                break
            anc = anc.getparent()
        if not inside:
            out.append(p)
    return out


def _has_content(root: etree._Element) -> bool:
    if any((t.text or "").strip() for t in root.iter(f"{_w}t")):
        return True
    return any(True for _ in root.iter(f"{_w}drawing", f"{_w}pict", f"{_w}fldSimple", f"{_w}instrText"))


def _table_shape(tbl: etree._Element) -> tuple[int, int]:
    rows = len(tbl.findall(f"{_w}tr"))
    cols = len(tbl.findall(f"{_w}tblGrid/{_w}gridCol"))
    if not cols:
        cols = max((len(tr.findall(f"{_w}tc")) for tr in tbl.findall(f"{_w}tr")), default=0)
    return rows, cols


def _count_part(
    root: etree._Element,
    counts: Counter[str],
    rels: dict[str, tuple[str, str, bool]],
    external: list[str],
    distinct: set[str],
) -> None:
    """Add one part's structures to *counts*; linked content targets go to *external*, and the picture
    files shown to *distinct* (a picture used twice is stored once in a PDF)."""
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        ns, _, name = tag[1:].partition("}")
        if ns == W:
            if name == "footnoteReference":
                counts["footnotes"] += 1
            elif name == "endnoteReference":
                counts["endnotes"] += 1
            elif name == "ins" and el.find(f"{_w}r") is not None or name == "moveTo":
                counts["tracked_insertions"] += 1
            elif name == "del" and el.find(f"{_w}r") is not None or name == "moveFrom":
                counts["tracked_deletions"] += 1
            elif name == "bookmarkStart":
                if not el.get(f"{_w}name", "").startswith("_"):
                    counts["bookmarks"] += 1
            elif name == "hyperlink":
                if el.get(f"{{{R}}}id"):
                    counts["hyperlinks_external"] += 1
                elif el.get(f"{_w}anchor"):
                    counts["hyperlinks_internal"] += 1
            elif name == "sdt" and el.find(f"{_w}sdtPr/{_w}docPartObj") is None:
                counts["content_controls"] += 1
        elif ns == A and name == "blip":
            embed, link = el.get(f"{{{R}}}embed"), el.get(f"{{{R}}}link")
            if link and link in rels and rels[link][2]:
                external.append(rels[link][1])
            # A picture is a blip inside pic:pic; a blip elsewhere fills a shape or the page background,
            # which the converter keeps as a fill, not as a picture.
            parent = el.getparent()
            grand = parent.getparent() if parent is not None else None
            if grand is not None and local(grand.tag) == "pic":
                distinct.add(rels[embed][1] if embed in rels else (embed or link or ""))
                counts["images"] += 1
        elif ns == V and name == "imagedata":
            rid = el.get(f"{{{R}}}id") or el.get(f"{{{VO}}}relid")
            if rid and rid in rels and rels[rid][2]:
                external.append(rels[rid][1])
            parent = el.getparent()
            in_object = (
                parent is not None
                and parent.getparent() is not None
                and (local(parent.getparent().tag) == "object")
            )
            shape_id = parent.get("id", "") if parent is not None else ""
            if "watermark" in shape_id.lower():
                counts["watermarks"] += 1  # converters turn it into a page background
            elif not in_object:  # an OLE object's preview picture is the object, not an image
                counts["images"] += 1
                distinct.add(rels[rid][1] if rid in rels else (rid or ""))
        elif ns == "http://schemas.openxmlformats.org/drawingml/2006/main" and name == "graphicData":
            uri = el.get("uri", "")
            if uri.endswith("/chart") or "chartex" in uri:
                counts["charts"] += 1
            elif uri.endswith("/diagram"):
                counts["smartart"] += 1
        elif ns == VO and name == "OLEObject":
            counts["ole_objects"] += 1
            rid = el.get(f"{{{R}}}id")
            if el.get("Type") == "Link" and rid and rid in rels:
                external.append(rels[rid][1])
        elif ns == M and name == "oMath":
            anc = el.getparent()
            nested = False
            while anc is not None:
                if anc.tag == f"{{{M}}}oMath":
                    nested = True
                    break
                anc = anc.getparent()
            if not nested:
                counts["equations"] += 1
    for instr in _field_instructions(root):
        kind = instr.split(None, 1)[0].upper() if instr.split() else ""
        if kind == "HYPERLINK":
            counts["hyperlinks_internal" if "\\l" in instr else "hyperlinks_external"] += 1
        elif kind == "TOC":
            counts["tables_of_contents"] += 1
        elif kind in _INDEX_FIELDS or (kind == "PAGEREF" and "_Toc" in instr):
            pass  # index entries and a table of contents' page numbers are not fields in ODF
        elif kind in _LINK_FIELDS:
            m = _FIELD_TARGET.match(instr)
            external.append(m.group(1).strip() if m else instr)
            counts["fields"] += 1
        else:
            counts["fields"] += 1
    for typ, target, ext in rels.values():
        if ext and typ.endswith(_CONTENT_RELS) and typ.endswith(("/subDocument", "/frame", "/aFChunk")):
            external.append(target)
    for key in ("footnotes", "endnotes", "tracked_insertions", "tracked_deletions", "bookmarks", "images"):
        counts.setdefault(key, 0)
    for key in ("hyperlinks_external", "hyperlinks_internal", "content_controls", "charts", "smartart"):
        counts.setdefault(key, 0)
    for key in ("ole_objects", "equations", "fields", "tables_of_contents"):
        counts.setdefault(key, 0)


def _app_pages(root: etree._Element | None) -> int | None:
    if root is None:
        return None
    el = root.find(f"{{{EXT_PROPS}}}Pages")
    if el is None or not (el.text or "").strip().isdigit():
        return None
    return int((el.text or "0").strip())
