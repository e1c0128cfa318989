"""Inventory of a PresentationML package (PPTX, PPTM, PPSX, POTX): slides, shapes, images, tables, charts,
notes, comments and the fonts text is set in.
"""

from __future__ import annotations

import logging
import zipfile
from collections import Counter
from pathlib import Path

from lxml import etree

from validators.fidelity._docx import _rels, drop_fallbacks, font_key, main_part
from validators.fidelity._model import Inventory
from validators.fidelity._util import join_text, local, normalise, parse_part

log = logging.getLogger(__name__)

P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_p, _a = f"{{{P}}}", f"{{{A}}}"
_SHAPES = ("sp", "pic", "graphicFrame", "grpSp", "cxnSp", "contentPart")
_MEDIA = ("/image", "/oleObject", "/video", "/audio", "/media")


def _theme(
    zf: zipfile.ZipFile, master_rels: dict[str, tuple[str, str, bool]], notes: list[str]
) -> dict[str, str]:
    out: dict[str, str] = {}
    part = next((t for typ, t, ext in master_rels.values() if typ.endswith("/theme") and not ext), None)
    root = parse_part(zf, part, notes) if part else None
    if root is None:
        return out
    for which, key in (("major", "mj"), ("minor", "mn")):
        el = root.find(f".//{_a}{which}Font")
        if el is None:
            continue
        for slot, short in (("latin", "lt"), ("ea", "ea"), ("cs", "cs")):
            f = el.find(f"{_a}{slot}")
            if f is not None and f.get("typeface"):
                out[f"+{key}-{short}"] = f.get("typeface", "")
    return out


def inventory_pptx(path: Path, fmt: str) -> Inventory:
    """Inventory a PresentationML package. See `validators.fidelity.inventory`."""
    notes: list[str] = []
    counts: Counter[str] = Counter()
    external: list[str] = []
    paras: list[str] = []
    hidden_paras: list[str] = []
    chars: dict[str, set[str]] = {}
    tables: list[tuple[int, int]] = []
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        main = main_part(zf, notes) or "ppt/presentation.xml"
        pres = parse_part(zf, main, notes)
        if pres is None:
            raise ValueError(f"{main} is missing or unreadable")
        rels = _rels(zf, main, notes)
        theme: dict[str, str] = {}
        slides: list[str] = []
        for sid in pres.iter(f"{_p}sldId"):
            rid = sid.get(f"{{{R}}}id", "")
            if rid in rels:
                slides.append(rels[rid][1])
        for part in slides:
            root = parse_part(zf, part, notes)
            if root is None:
                continue
            drop_fallbacks(root)
            srels = _rels(zf, part, notes)
            if not theme:
                layout = next((t for typ, t, _ in srels.values() if typ.endswith("/slideLayout")), None)
                if layout:
                    lrels = _rels(zf, layout, notes)
                    master = next((t for typ, t, _ in lrels.values() if typ.endswith("/slideMaster")), None)
                    if master:
                        theme = _theme(zf, _rels(zf, master, notes), notes)
            hidden = root.get("show") in ("0", "false")
            if hidden:
                counts["hidden_slides"] += 1  # not shown, not printed: its text is hidden text
            target = hidden_paras if hidden else paras
            tree = root.find(f"{_p}cSld/{_p}spTree")
            if tree is not None:
                for shape in tree:
                    name = local(shape.tag)
                    if name not in _SHAPES:
                        continue
                    if name == "sp" and _empty_placeholder(shape):
                        continue
                    counts["shapes"] += 1
                for sp in tree.iter(f"{_p}sp"):
                    title = _is_title(sp)
                    for p in sp.iter(f"{_a}p"):
                        t = _paragraph(p, theme, title, chars)
                        if t:
                            target.append(t)
                for gf in tree.iter(f"{_p}graphicFrame"):
                    for tbl in gf.iter(f"{_a}tbl"):
                        rows = tbl.findall(f"{_a}tr")
                        tables.append((len(rows), len(tbl.findall(f"{_a}tblGrid/{_a}gridCol"))))
                        for p in tbl.iter(f"{_a}p"):
                            t = _paragraph(p, theme, False, chars)
                            if t:
                                target.append(t)
                    for gd in gf.iter(f"{_a}graphicData"):
                        uri = gd.get("uri", "")
                        if uri.endswith("/chart") or "chartex" in uri:
                            counts["charts"] += 1
                        elif uri.endswith("/diagram"):
                            counts["smartart"] += 1
                        elif uri.endswith("/ole"):
                            for ole in gd.iter(f"{_p}oleObj"):
                                rid = ole.get(f"{{{R}}}id", "")
                                if ole.find(f"{_p}link") is not None and rid in srels:
                                    external.append(srels[rid][1])  # linked, not embedded: never fetched
                                else:
                                    counts["ole_objects"] += 1
                # An object's preview picture is part of the object.
                counts["images"] += sum(
                    1
                    for pic in tree.iter(f"{_p}pic")
                    if not any(local(a.tag) == "oleObj" for a in pic.iterancestors())
                )
            for typ, t, ext in srels.values():
                if ext and typ.endswith(_MEDIA):
                    external.append(t)
                elif typ.endswith("/notesSlide") and not ext:
                    nroot = parse_part(zf, t, notes)
                    if nroot is not None and _notes_text(nroot):
                        counts["notes"] += 1
                elif typ.endswith("/comments") and not ext:
                    croot = parse_part(zf, t, notes)
                    if croot is not None:
                        counts["comments"] += sum(1 for el in croot.iter() if local(el.tag) == "cm")
        macros = any(n.lower().endswith("vbaproject.bin") for n in names) or fmt in ("pptm", "ppsm", "potm")
    counts["slides"] = len(slides)
    counts["tables"] = len(tables)
    for key in (
        "hidden_slides",
        "shapes",
        "charts",
        "smartart",
        "ole_objects",
        "images",
        "notes",
        "comments",
    ):
        counts.setdefault(key, 0)
    return Inventory(
        path=str(path),
        format=fmt,
        kind="presentation",
        text=join_text(paras),
        paragraphs=tuple(paras),
        counts=dict(counts),
        tables=tuple(tables),
        fonts={f: "".join(sorted(c))[:2000] for f, c in sorted(chars.items())},
        pages=len(slides),
        macros=macros,
        external=tuple(dict.fromkeys(external)),
        hidden_text=normalise(" ".join(hidden_paras)),
        notes=tuple(notes),
    )


def _ph(sp: etree._Element) -> etree._Element | None:
    return sp.find(f"{_p}nvSpPr/{_p}nvPr/{_p}ph")


def _empty_placeholder(sp: etree._Element) -> bool:
    if _ph(sp) is None:
        return False
    return not any((t.text or "").strip() for t in sp.iter(f"{_a}t"))


def _is_title(sp: etree._Element) -> bool:
    ph = _ph(sp)
    return ph is not None and ph.get("type") in ("title", "ctrTitle")


def _paragraph(p: etree._Element, theme: dict[str, str], title: bool, chars: dict[str, set[str]]) -> str:
    buf: list[str] = []
    for r in p:
        name = local(r.tag)
        if name == "br":
            buf.append(" ")
            continue
        if name not in ("r", "fld"):
            continue
        if name == "fld" and r.get("type", "").startswith(("slidenum", "datetime")):
            continue  # slide numbers and dates are recalculated where they are shown
        t = r.find(f"{_a}t")
        text = t.text if t is not None and t.text else ""
        buf.append(text)
        rpr = r.find(f"{_a}rPr")
        for ch in set(text):
            if ch.isspace():
                continue
            slot = {"ascii": "latin", "hAnsi": "latin", "eastAsia": "ea", "cs": "cs"}[font_key(ch)]
            face = None
            if rpr is not None:
                el = rpr.find(f"{_a}{slot}")
                if el is not None:
                    face = el.get("typeface")
            if not face:
                face = f"+{'mj' if title else 'mn'}-{'lt' if slot == 'latin' else slot}"
            face = theme.get(face, face) if face.startswith("+") else face
            if face and not face.startswith("+"):
                chars.setdefault(face, set()).add(ch)
    return normalise("".join(buf))


def _notes_text(root: etree._Element) -> str:
    out: list[str] = []
    for sp in root.iter(f"{_p}sp"):
        ph = _ph(sp)
        if ph is not None and ph.get("type") == "body":
            out.extend(t.text or "" for t in sp.iter(f"{_a}t"))
    return normalise(" ".join(out))
