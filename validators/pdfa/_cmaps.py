"""CMaps of composite fonts that pikepdf refuses: vertical writing, and CMaps that use a predefined CMap.

ISO 19005-2 6.2.11.3 asks of a Type 0 font's CMap (veraPDF's tests 6.2.11.3.1-1 and 6.2.11.3.3-1..3):

- the CIDSystemInfo of the CIDFont and of the CMap agree (same Registry and Ordering, the CIDFont's
  Supplement no greater), unless the CMap is Identity-H or Identity-V;
- a CMap is Identity-H, Identity-V, one of the predefined CMaps of ISO 32000-1 Table 118, or embedded;
- an embedded CMap's /WMode entry is the WMode its stream defines;
- an embedded CMap refers (/UseCMap) to no CMap but a predefined one of Table 118.

pikepdf checks each of these, and refuses the font whole, unchecked below, when it meets **vertical
writing** (Identity-V, an embedded CMap of WMode 1, a CIDFont with vertical metrics /W2 or /DW2) or an
embedded CMap that **uses a predefined CMap**. Neither is a violation, and ISO 19005 has no rule that
reads vertical metrics: the width rule (6.2.11.5) and veraPDF's test of it compare the horizontal
widths (/W, /DW) with the program's. So the copy that pikepdf checks again is written horizontal: the
Type 0 font's /Identity-V becomes /Identity-H (both read each two bytes as the CID), an embedded CMap's
WMode 1 becomes 0 in its dictionary and its stream (after pikepdf checked they agree), and the CIDFont
loses /W2 and /DW2; pikepdf then checks the font's CMap, CIDSystemInfo, glyphs, widths and program as
for any horizontal font.

For an embedded CMap that uses a predefined CMap (ISO 19005-2 and -3 only: PDF/A-1 requires every
CMap but Identity-H and Identity-V to be embedded, and the referred CMap is not), the copy drops the
reference (/UseCMap and any ``usecmap``), so that pikepdf decodes the text shown with the font
through the embedded CMap alone. The mappings of the predefined CMap are not available here, so a
code that the embedded CMap does not map (pikepdf then reports it as .notdef or outside every
codespace range) may be mapped by the predefined one: such findings of the second check are turned
into "not checked" findings, never dropped.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import pikepdf

log = logging.getLogger(__name__)

VERTICAL_RULE = "pikepdf:font-vertical"
CMAP_RULE = "pikepdf:font-cmap"
USECMAP_CLAUSE = "6.2.11.3.3-3"
_VERTICAL_IDENTITY = "vertical writing (Identity-V)"
_VERTICAL_WMODE = "vertical writing (WMode 1)"
_VERTICAL_METRICS = {"CIDFont has /W2": "/W2", "CIDFont has /DW2": "/DW2"}
_USECMAP_KEY = re.compile(r"^the CMap refers to another CMap \(/UseCMap\): (/\S+)$")
_USECMAP_OPERATOR = "the CMap refers to another CMap (usecmap)"
_FONT_WHERE = re.compile(r"^obj (\d+) (\d+) \(Font\)$")
_USECMAP_TOKEN = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+usecmap\b")
_WMODE_ONE = re.compile(rb"/WMode\s+1\s+def\b")
# What pikepdf reports of a code an embedded CMap does not map
_UNMAPPED = re.compile(r"^code <[0-9a-f]+> is not mapped to a CID; it selects the \.notdef glyph \(CID 0\)$")
_NO_CODESPACE = re.compile(r"^bytes [0-9a-f]* at offset \d+ match no codespace range$")
_MAX_CMAP_BYTES = 4 * 1024 * 1024

# ISO 32000-1 Table 118: the predefined CMaps a PDF/A-2 or PDF/A-3 file may use without embedding
PREDEFINED = frozenset(
    """GB-EUC-H GB-EUC-V GBpc-EUC-H GBpc-EUC-V GBK-EUC-H GBK-EUC-V GBKp-EUC-H GBKp-EUC-V GBK2K-H GBK2K-V
    UniGB-UCS2-H UniGB-UCS2-V UniGB-UTF16-H UniGB-UTF16-V B5pc-H B5pc-V HKscs-B5-H HKscs-B5-V ETen-B5-H
    ETen-B5-V ETenms-B5-H ETenms-B5-V CNS-EUC-H CNS-EUC-V UniCNS-UCS2-H UniCNS-UCS2-V UniCNS-UTF16-H
    UniCNS-UTF16-V 83pv-RKSJ-H 90ms-RKSJ-H 90ms-RKSJ-V 90msp-RKSJ-H 90msp-RKSJ-V 90pv-RKSJ-H Add-RKSJ-H
    Add-RKSJ-V EUC-H EUC-V Ext-RKSJ-H Ext-RKSJ-V H V UniJIS-UCS2-H UniJIS-UCS2-V UniJIS-UCS2-HW-H
    UniJIS-UCS2-HW-V UniJIS-UTF16-H UniJIS-UTF16-V KSC-EUC-H KSC-EUC-V KSCms-UHC-H KSCms-UHC-V
    KSCms-UHC-HW-H KSCms-UHC-HW-V KSCpc-EUC-H UniKS-UCS2-H UniKS-UCS2-V UniKS-UTF16-H UniKS-UTF16-V
    Identity-H Identity-V""".split()  # noqa: SIM905 - a table, one name after another
)


@dataclass(frozen=True, slots=True)
class CMapProblem:
    """Something of a CMap this module could not check (a violation is pikepdf's to find)."""

    clause: str
    where: str
    message: str
    unsupported: bool = True


@dataclass(slots=True)
class Settlement:
    """What `settle` did to the copy.

    Attributes:
        candidates: pikepdf findings (rule, where, message) the edits answer, settled if the second
            check does not make them again.
        referred: For each font whose CMap's reference to a predefined CMap was dropped, the name
            of that CMap.
    """

    candidates: set[tuple[str, str, str]] = field(default_factory=set)
    referred: dict[str, str] = field(default_factory=dict)


def _is_usecmap(rule: str, message: str) -> bool:
    if rule == CMAP_RULE:
        return _USECMAP_KEY.match(message) is not None
    return rule.endswith(f":{USECMAP_CLAUSE}") and message == _USECMAP_OPERATOR


def is_refusal(rule: str, message: str) -> bool:
    """True for pikepdf's refusals of vertical writing and of CMaps that use another CMap."""
    if rule == VERTICAL_RULE:
        return message in (_VERTICAL_IDENTITY, _VERTICAL_WMODE) or message in _VERTICAL_METRICS
    return _is_usecmap(rule, message)


def _font(pdf: pikepdf.Pdf, where: str) -> pikepdf.Dictionary | None:
    m = _FONT_WHERE.match(where)
    if m is None:
        return None
    try:
        font = pdf.get_object(int(m.group(1)), int(m.group(2)))
    except (pikepdf.PdfError, ValueError):
        return None
    if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != "/Type0":
        return None
    return font


def _cidfont(font: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    descendants = font.get("/DescendantFonts")
    if isinstance(descendants, pikepdf.Array) and len(descendants) == 1:
        cidfont = descendants[0]
        if isinstance(cidfont, pikepdf.Dictionary):
            return cidfont
    return None


def _cmap_bytes(stream: pikepdf.Stream, where: str) -> bytes | None:
    try:
        data = stream.read_bytes()
    except pikepdf.PdfError as e:
        log.debug("Cannot read the CMap of %s: %s", where, e)
        return None
    return data if len(data) <= _MAX_CMAP_BYTES else None


def _horizontal_wmode(font: pikepdf.Dictionary, where: str) -> bool:
    """In the copy, write an embedded CMap of WMode 1 as WMode 0, in its dictionary and its stream."""
    cmap = font.get("/Encoding")
    if not isinstance(cmap, pikepdf.Stream):
        return False
    data = _cmap_bytes(cmap, where)
    if data is None or len(_WMODE_ONE.findall(data)) != 1:
        return False
    cmap.write(_WMODE_ONE.sub(b"/WMode 0 def", data))
    if "/WMode" in cmap:
        cmap.WMode = 0
    return True


def _drop_reference(font: pikepdf.Dictionary, where: str) -> str | None:
    """In the copy, drop an embedded CMap's references to predefined CMaps; return the CMap referred to."""
    cmap = font.get("/Encoding")
    if not isinstance(cmap, pikepdf.Stream):
        return None
    data = _cmap_bytes(cmap, where)
    if data is None:
        return None
    names = {m.group(1).decode("latin-1") for m in _USECMAP_TOKEN.finditer(data)}
    key = cmap.get("/UseCMap")
    if key is not None:
        if not isinstance(key, pikepdf.Name):
            return None
        names.add(str(key)[1:])
    # The tokens are counted against the operators: a usecmap this pattern does not see stays refused
    if (
        len(names) != 1
        or not names <= PREDEFINED
        or len(_USECMAP_TOKEN.findall(data)) != data.count(b"usecmap")
    ):
        return None
    if "/UseCMap" in cmap:
        del cmap["/UseCMap"]
    if data.count(b"usecmap"):
        cmap.write(_USECMAP_TOKEN.sub(b"", data))
    return names.pop()


def settle(pdf: pikepdf.Pdf, part: int, findings: list[tuple[str, str, str]]) -> Settlement:
    """Edit the copy *pdf* so that pikepdf checks the fonts it refused for their CMaps or vertical writing.

    Args:
        pdf: The copy of the document that pikepdf checks again; edited in place.
        part: The part of ISO 19005 checked.
        findings: pikepdf's findings on the document, as (rule, where, message).

    Returns:
        The refusals the edits answer, and the fonts whose CMap no longer refers to another.
    """
    found = Settlement()
    done: dict[tuple[str, str], bool] = {}
    for rule, where, message in findings:
        if not is_refusal(rule, message):
            continue
        usecmap = _is_usecmap(rule, message)
        if usecmap and part == 1:
            continue
        key = ("usecmap" if usecmap else message, where)
        if key not in done:
            font = _font(pdf, where)
            ok = False
            if font is None:
                pass
            elif usecmap:
                referred = _drop_reference(font, where)
                if referred is not None:
                    found.referred[where] = referred
                    ok = True
            elif message == _VERTICAL_IDENTITY:
                ok = font.get("/Encoding") == "/Identity-V"
                if ok:
                    font.Encoding = pikepdf.Name("/Identity-H")
            elif message == _VERTICAL_WMODE:
                ok = _horizontal_wmode(font, where)
            else:
                cidfont = _cidfont(font)
                metrics = _VERTICAL_METRICS[message]
                ok = cidfont is not None and metrics in cidfont
                if cidfont is not None and ok:
                    del cidfont[metrics]
            done[key] = ok
            if ok:
                log.debug("Font %s written without %s for the second check", where, key[0])
        if done[key]:
            found.candidates.add((rule, where, message))
    return found


def through_referred(rule: str, where: str, message: str, referred: dict[str, str]) -> CMapProblem | None:
    """For a finding of the second check on a code that only the referred CMap may map, what stands instead.

    Returns:
        A "not checked" problem in place of the finding, or None if the finding stands as it is.
    """
    name = referred.get(where)
    if name is None:
        return None
    if rule.endswith(":6.2.11.8-1") and _UNMAPPED.match(message):
        what = message.split(" is not mapped")[0] + " is not mapped by the embedded CMap"
    elif rule == "pikepdf:text-decode" and _NO_CODESPACE.match(message):
        what = message.split(" match no")[0] + " are outside the embedded CMap's codespace ranges"
    else:
        return None
    return CMapProblem(
        CMAP_RULE, where, f"{what}; the predefined CMap /{name} it uses, which may map them, is not checked"
    )
