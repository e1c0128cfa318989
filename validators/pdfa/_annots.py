"""Annotation types PDF/A permits and pikepdf.pdfa refuses: FreeText, Redact, Watermark, FileAttachment...

ISO 19005-1 6.5 and ISO 19005-2/3 6.3 ask the same of every annotation type they permit: the /F key
with the Print flag set and the hidden ones clear, an appearance dictionary holding only /N (with the
exceptions the standard names), appearance streams that meet the content rules, colours that agree
with the OutputIntent. pikepdf checks that for the markup annotations it knows (Square, Ink...) and
refuses the others at their /Subtype, checking nothing below.

`hand_over` prepares a copy of the document for a second pikepdf check: each refused annotation of
these types becomes a Square annotation, which pikepdf checks by the same rules, after the keys only its
own type defines have been checked here and taken out (a Redact annotation's overlay appearance /RO,
a Form XObject, is drawn on the page instead, so that its content is checked too). A TrapNet
annotation with /FontFauxing (fonts that would need checking) stays refused, and so does any type
whose own keys are not as ISO 32000-1 defines them.

A FileAttachment annotation embeds a file: in PDF/A-2 it is handed over only when its file
specification passes `_embedded`'s checks, the embedded file being checked by this validator in turn
(ISO 19005-2 6.8); in PDF/A-3, which permits a file of any type, its file specification (indirect) is
listed in the copy's embedded files name tree, where pikepdf checks it as ISO 19005-3 6.8 asks
(`_associated`); in PDF/A-1, which forbids the type, it stays as pikepdf left it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import pikepdf

from validators.pdfa import _associated, _embedded

log = logging.getLogger(__name__)

RULE = "pikepdf:schema-Annot"
MESSAGE = "annotation type not supported"
_WHERE = re.compile(r"^obj (\d+) (\d+) \(Annot\) /Subtype$")
_RO_PREFIX = "QujatOverlay"


def _name(value: object) -> bool:
    return isinstance(value, pikepdf.Name)


def _string(value: object) -> bool:
    return isinstance(value, pikepdf.String)


def _text(value: object) -> bool:
    return isinstance(value, pikepdf.String | pikepdf.Stream)


def _integer(low: int, high: int) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high

    return check


def _numbers(*lengths: int) -> Callable[[object], bool]:
    def check(value: object) -> bool:
        if not isinstance(value, pikepdf.Array) or len(value) not in lengths:
            return False
        return all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)

    return check


def _boolean(value: object) -> bool:
    return isinstance(value, bool)


def _fixed_print(value: object) -> bool:
    if not isinstance(value, pikepdf.Dictionary):
        return False
    allowed = {"/Type": _name, "/Matrix": _numbers(6), "/H": _number, "/V": _number}
    return all(key in allowed and allowed[key](value.get(key)) for key in value.keys())  # noqa: SIM118 - pikepdf iterates keys as Objects


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _array(value: object) -> bool:
    return isinstance(value, pikepdf.Array)


def _form(value: object) -> bool:
    return isinstance(value, pikepdf.Stream) and value.get("/Subtype") == "/Form"


# The keys each type defines beyond those of markup annotations (ISO 32000-1 Tables 174, 190, 191, 192,
# 193), with what their values must be
_OWN_KEYS: dict[str, dict[str, Callable[[object], bool]]] = {
    "/FreeText": {
        "/DA": _string,
        "/Q": _integer(0, 2),
        "/DS": _string,
        "/CL": _numbers(4, 6),
        "/IT": _name,
    },
    "/Redact": {
        "/RO": _form,
        "/OverlayText": _text,
        "/Repeat": _boolean,
        "/DA": _string,
        "/Q": _integer(0, 2),
    },
    "/Watermark": {"/FixedPrint": _fixed_print},
    "/PrinterMark": {"/MN": _name},
    "/TrapNet": {"/LastModified": _string, "/Version": _array, "/AnnotStates": _array},
    "/FileAttachment": {"/FS": lambda v: isinstance(v, pikepdf.Dictionary), "/Name": _name},
}


def is_annot_finding(rule: str, message: str) -> bool:
    """True for pikepdf's refusal of an annotation type it does not check."""
    return rule == RULE and message == MESSAGE


def _pages_of_annotations(pdf: pikepdf.Pdf) -> dict[tuple[int, int], pikepdf.Dictionary]:
    owners: dict[tuple[int, int], pikepdf.Dictionary] = {}
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            for annot in annots:
                if isinstance(annot, pikepdf.Dictionary) and annot.is_indirect:
                    owners.setdefault(annot.objgen, page.obj)
    return owners


def hand_over(
    pdf: pikepdf.Pdf, wheres: list[str], part: int, validate: _embedded.Validate
) -> tuple[dict[str, str], list[_embedded.EmbeddedProblem], list[pikepdf.Dictionary]]:
    """Turn the refused annotations at *wheres* into Square annotations in *pdf* (a copy).

    *validate* checks a file a FileAttachment annotation embeds (see `_embedded.Validate`).

    Returns the locations handed over, each with the annotation's own subtype (pikepdf's refusal there
    is settled if the second check does not refuse it again; the others stay refused), the problems
    of the files FileAttachment annotations embed (PDF/A-2), and the file specifications of the
    FileAttachment annotations listed in the name tree (PDF/A-3).
    """
    handed: dict[str, str] = {}
    listed: list[pikepdf.Dictionary] = []
    attachments = _embedded.Checker(validate)
    overlays: dict[tuple[int, int], tuple[pikepdf.Dictionary, list[pikepdf.Stream]]] = {}
    owners: dict[tuple[int, int], pikepdf.Dictionary] | None = None
    for where in wheres:
        m = _WHERE.match(where)
        if m is None:
            continue
        try:
            annot = pdf.get_object(int(m.group(1)), int(m.group(2)))
        except (pikepdf.PdfError, ValueError):
            continue
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        subtype = str(annot.get("/Subtype"))
        own = _OWN_KEYS.get(subtype)
        if own is None:
            continue
        if subtype == "/TrapNet" and "/FontFauxing" in annot:
            log.debug("%s: TrapNet annotations with /FontFauxing are not checked", where)
            continue
        bad = [key for key in own if key in annot and not own[key](annot.get(key))]
        if bad:
            log.debug("%s: %s not as ISO 32000-1 defines them", where, ", ".join(bad))
            continue
        if subtype == "/FileAttachment":
            if "/FS" not in annot or part not in (2, 3):
                continue
            if part == 3:
                # PDF/A-3 permits a file of any type: pikepdf checks its file specification where
                # it meets one, in the embedded files name tree
                spec = annot.FS
                if not isinstance(spec, pikepdf.Dictionary) or not _associated.list_embedded(pdf, spec):
                    continue
                listed.append(spec)
            else:
                before = len(attachments.problems)
                attachments.filespec(annot.FS, f"{where.removesuffix(' /Subtype')} /FS")
                if any(p.unsupported for p in attachments.problems[before:]):
                    continue  # a file that could not be checked: the refusal stands
        overlay = annot.get("/RO")
        if isinstance(overlay, pikepdf.Stream):
            if owners is None:
                owners = _pages_of_annotations(pdf)
            page = owners.get(annot.objgen)
            if page is None:
                log.debug("%s: a Redact overlay (/RO) on no page is not checked", where)
                continue
            overlays.setdefault(page.objgen, (page, []))[1].append(overlay)
        for key in own:
            if key in annot:
                del annot[key]
        annot.Subtype = pikepdf.Name.Square
        handed[where] = subtype
    for page, streams in overlays.values():
        _draw(pdf, page, streams)
    return handed, [p for p in attachments.problems if not p.unsupported], listed


def in_own_words(f_where: str, message: str, handed: dict[str, str]) -> str:
    """*message*, from the second check, with a handed-over annotation's own subtype for /Square."""
    for where, subtype in handed.items():
        if f_where.startswith(where.removesuffix("(Annot) /Subtype")):
            return message.replace("/Square", subtype)
    return message


def _draw(pdf: pikepdf.Pdf, page: pikepdf.Dictionary, forms: list[pikepdf.Stream]) -> None:
    """Draw *forms* at the end of *page*'s content, under names of their own."""
    resources = page.get("/Resources")
    if not isinstance(resources, pikepdf.Dictionary):
        resources = pikepdf.Dictionary()
        page.Resources = resources
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary):
        xobjects = pikepdf.Dictionary()
        resources.XObject = xobjects
    ops = []
    for i, form in enumerate(forms):
        name = f"/{_RO_PREFIX}{i}"
        xobjects[name] = form
        ops.append(f"q {name} Do Q".encode())
    contents = page.get("/Contents")
    drawn = pdf.make_stream(b"\n".join(ops))
    if isinstance(contents, pikepdf.Array):
        contents.append(drawn)
    elif isinstance(contents, pikepdf.Stream):
        page.Contents = pikepdf.Array([contents, drawn])
    else:
        page.Contents = drawn
