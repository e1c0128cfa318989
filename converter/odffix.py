"""ODF post-processing: repair what LibreOffice 7.4 writes outside strict ODF 1.3, where that loses nothing
a strict reader would have shown.

Seen on real files, with the profile's DefaultVersion set to strict 1.3: ODF 1.4 attributes such as
``style:rel-width``/``style:rel-height`` on shapes, ``form:input-required`` on check boxes and radio
buttons, ``clear`` on line breaks, ``smil:dur``/``smil:fill`` on ``anim:command``; ``text:s`` inside
``text:text-input``; and empty ``draw:image`` placeholders (PPTX notes and placeholders) with neither a
link nor data. Attributes strict 1.3 does not define are dropped (a strict reader ignores them anyway);
spaces are written as characters; empty placeholders are removed. Everything else is left as it is and
reported by the validator. Each repair is returned as a sentence for the report.
"""

from __future__ import annotations

import collections
import logging
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from validators import grammar_for

log = logging.getLogger(__name__)

_NS = {
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}
_ODF_NS = "urn:oasis:names:tc:opendocument:xmlns:"
_PARTS = ("content.xml", "styles.xml")
_IMAGE = f"{{{_NS['draw']}}}image"
_FRAME = f"{{{_NS['draw']}}}frame"
_HREF = f"{{{_NS['xlink']}}}href"
_BINARY = f"{{{_NS['office']}}}binary-data"
_TEXT_INPUT = f"{{{_NS['text']}}}text-input"
_SPACE = f"{{{_NS['text']}}}s"
_COUNT = f"{{{_NS['text']}}}c"
_PREFIX = {uri: p for p, uri in _NS.items()} | {
    "urn:oasis:names:tc:opendocument:xmlns:form:1.0": "form",
    "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0": "svg",
    "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0": "fo",
    "urn:oasis:names:tc:opendocument:xmlns:table:1.0": "table",
}


def _name(clark: str) -> str:
    if not clark.startswith("{"):
        return clark
    uri, _, local = clark[1:].partition("}")
    # ODF's own namespaces end in their conventional prefix: ...:xmlns:presentation:1.0
    prefix = _PREFIX.get(uri) or (uri.split(":")[-2] if uri.startswith(_ODF_NS) else uri)
    return f"{prefix}:{local}"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def _repair_tree(root: etree._Element, changes: collections.Counter[str]) -> bool:
    grammar = grammar_for("1.3")
    if grammar is None:  # pragma: no cover - the tables ship with validators
        return False
    changed = False
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag == _IMAGE and el.get(_HREF) is None and el.find(_BINARY) is None:
            frame = el.getparent()
            frame.remove(el)
            if frame.tag == _FRAME and not any(isinstance(c.tag, str) for c in frame):
                frame.getparent().remove(frame)
            changes["removed an empty image placeholder (no picture, no link)"] += 1
            changed = True
            continue
        if el.tag == _SPACE and el.getparent() is not None and el.getparent().tag == _TEXT_INPUT:
            spaces = " " * int(el.get(_COUNT, "1") or 1)
            parent = el.getparent()
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + spaces + (el.tail or "")
            else:
                parent.text = (parent.text or "") + spaces + (el.tail or "")
            parent.remove(el)
            changes["wrote spaces in an input field as characters"] += 1
            changed = True
            continue
        allowed = grammar.attributes.get(el.tag)
        if allowed is None or el.tag not in grammar.attributes:
            continue
        for attr in list(el.attrib):
            uri = attr[1:].partition("}")[0] if attr.startswith("{") else ""
            if attr in allowed or (uri and not uri.startswith(_ODF_NS) and uri not in _PREFIX):
                continue  # allowed, or foreign: the validator judges foreign names
            del el.attrib[attr]
            changes[f"dropped {_name(attr)} from <{_name(el.tag)}> (not part of ODF 1.3)"] += 1
            changed = True
    return changed


_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "vnd.sun.star.script:", "macro:")
_UNWRAP = {f"{{{_NS['text']}}}a", f"{{{_NS['draw']}}}a"}


def _remove_script_links(root: etree._Element, changes: collections.Counter[str]) -> bool:
    changed = False
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        href = (el.get(_HREF) or "").strip().lower()
        if not href.startswith(_SCRIPT_SCHEMES):
            continue
        parent = el.getparent()
        if parent is None:
            continue
        if el.tag in _UNWRAP:
            # Keep the linked text or shape, drop only the link: splice the children into the parent.
            index = parent.index(el)
            if el.text:
                prev = el.getprevious()
                if prev is not None:
                    prev.tail = (prev.tail or "") + el.text
                else:
                    parent.text = (parent.text or "") + el.text
            for offset, child in enumerate(list(el)):
                parent.insert(index + offset, child)
            if el.tail:
                last = parent[index + len(el) - 1] if len(el) else el.getprevious()
                if last is not None and last is not el:
                    last.tail = (last.tail or "") + el.tail
                else:
                    parent.text = (parent.text or "") + el.tail
            parent.remove(el)
        else:
            parent.remove(el)  # an event listener or other element whose only job is to run the script
        changes["removed a hyperlink that would run code"] += 1
        changed = True
    return changed


def remove_script_links(path: Path) -> list[str]:
    """Remove hyperlinks and event bindings that would run code (``javascript:``, ``macro:`` ...).

    Applies to either dialect: it is about safety, not strictness. Returns one sentence per kind.
    """
    return _rewrite_parts(path, _remove_script_links)


def repair_strict_odf(path: Path) -> list[str]:
    """Repair an ODF package in place (it is a staged output, not an original).

    Args:
        path: A packaged ODF file written by LibreOffice in strict 1.3 mode.

    Returns:
        One sentence per kind of repair, with counts; empty when nothing needed repair.
    """
    return _rewrite_parts(path, _repair_tree)


def _rewrite_parts(path: Path, fix: Callable[[etree._Element, collections.Counter[str]], bool]) -> list[str]:
    changes: collections.Counter[str] = collections.Counter()
    new_parts: dict[str, bytes] = {}
    with zipfile.ZipFile(path) as zf:
        # Embedded objects (charts, formulas) are sub-documents with parts of their own.
        parts = [n for n in zf.namelist() if n.rsplit("/", 1)[-1] in _PARTS]
        for part in parts:
            try:
                root = etree.fromstring(zf.read(part), _parser())
            except etree.XMLSyntaxError as e:
                log.warning("%s: %s is not well-formed; left for the validator: %s", path.name, part, e)
                continue
            if fix(root, changes):
                new_parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
        if not new_parts:
            return []
        tmp = path.with_suffix(path.suffix + ".fix")
        with zipfile.ZipFile(tmp, "w") as out:
            for info in zf.infolist():
                data = new_parts.get(info.filename) or zf.read(info)
                # mimetype stays first and stored; the rest keep their compression.
                out.writestr(info, data, compress_type=info.compress_type)
    shutil.move(tmp, path)
    return [f"{text} ×{n}" if n > 1 else text for text, n in changes.items()]
