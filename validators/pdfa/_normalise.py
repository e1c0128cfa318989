"""Neutral edits that let pikepdf.pdfa check what it stopped short of.

pikepdf checks an object against an allowlist schema, and when the schema fails it checks nothing
below the object. Two of its refusals are about things ISO 19005 does not care about:

- a key that ISO 32000-1 does not define for the object (a writer's private key: veraPDF follows only
  the keys its object model defines, and pikepdf applies the file-wide rules, such as filters and
  implementation limits, to every object anyway);
- a graphics state opacity (/CA, /ca) written as 0.9999999 or 1.0000001. ISO 19005-1 6.4 asks for
  1.0, and veraPDF's rules (6.4-5, 6.4-6) take any value within one millionth of 1.0 as 1.0, as
  a reader holding reals at single precision would. (An annotation's /CA, 6.5.3-1, must be exactly
  1.0; only findings on graphics states are settled.)

- in PDF/A-1, a page's /Tabs (the tab order among its annotations, PDF 1.5): a key PDF 1.4 does not
  define, which changes nothing drawn and which no rule of ISO 19005-1 concerns;
- a document information entry written as an indirect string: a string all the same (ISO 32000-1
  7.3.10), which pikepdf's schema wants written in place.

- a font set by a graphics state parameter dictionary (/Font in an ExtGState, ISO 32000-1 Table 58),
  which pikepdf neither follows nor checks: in the copy the font moves to the content stream's font
  resources and a Tf follows the gs that set it, which is what the gs does, so that pikepdf checks the
  font and the text shown with it.

- a key of the trailer that ISO 32000-1 does not define (such as /DocChecksum), which no rule of
  ISO 19005 concerns, and for which pikepdf, whose walk starts at the trailer, checks nothing at all.

A copy of the document so edited (keys removed, values written as 1 or in place) is checked by
pikepdf again; what it finds there joins what it found before.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pikepdf

# "unrecognized key(s) /A, /B are not checked" (pikepdf's message, cut at its maximum length)
_UNRECOGNISED = re.compile(r"^unrecognized key\(s\) (.*) are not checked$")
_OBJECT_WHERE = re.compile(r"^obj (\d+) (\d+) \((\w+)\)$")

_STREAM_KEYS = "/Length /Filter /DecodeParms /F /FFilter /FDecodeParms /DL"
# The keys ISO 32000-1 defines (and ISO 32000-2 adds) for the objects whose private keys are settled:
# a key named here is never treated as private, whether or not pikepdf knows it
_DEFINED_KEYS: dict[str, frozenset[str]] = {
    name: frozenset(keys.split())
    for name, keys in {
        # ISO 32000-1 Table 28
        "Catalog": "/Type /Version /Extensions /Pages /PageLabels /Names /Dests /ViewerPreferences"
        " /PageLayout /PageMode /Outlines /Threads /OpenAction /AA /URI /AcroForm /Metadata"
        " /StructTreeRoot /MarkInfo /Lang /SpiderInfo /OutputIntents /PieceInfo /OCProperties /Perms"
        " /Legal /Requirements /Collection /NeedsRendering /DSS /AF /DPartRoot",
        # Table 30
        "Page": "/Type /Parent /LastModified /Resources /MediaBox /CropBox /BleedBox /TrimBox /ArtBox"
        " /BoxColorInfo /Contents /Rotate /Group /Thumb /B /Dur /Trans /Annots /AA /Metadata /PieceInfo"
        " /StructParents /ID /PZ /SeparationInfo /Tabs /TemplateInstantiated /PresSteps /UserUnit /VP"
        " /AF /OutputIntents /DPart",
        # Table 89
        "ImageXObject": f"{_STREAM_KEYS} /Type /Subtype /Width /Height /ColorSpace /BitsPerComponent"
        " /Intent /ImageMask /Mask /Decode /Interpolate /Alternates /SMask /SMaskInData /Name"
        " /StructParent /ID /OPI /Metadata /OC /AF /Measure /PtData",
        # Table 95
        "FormXObject": f"{_STREAM_KEYS} /Type /Subtype /FormType /BBox /Matrix /Resources /Group /Ref"
        " /Metadata /PieceInfo /LastModified /StructParent /StructParents /OPI /OC /Name /AF /Measure"
        " /PtData",
        # Table 44; /EP is ISO 32000-2's, which PDF/A-2 and PDF/A-3 do not build on. /Thumb is too,
        # but it holds an image, which `_images` hands to pikepdf rather than let it go unchecked
        "FileSpec": "/Type /FS /F /UF /DOS /Mac /Unix /ID /V /EF /RF /Desc /CI /AFRelationship /Thumb",
        # Table 58
        "ExtGState": "/Type /LW /LC /LJ /ML /D /RI /OP /op /OPM /Font /BG /BG2 /UCR /UCR2 /TR /TR2 /HT"
        " /FL /SM /SA /BM /SMask /CA /ca /AIS /TK /UseBlackPtComp /HTO",
    }.items()
}
_ALPHA_KEYS = ("/CA", "/ca")
_MAX_DEPTH = 16
# veraPDF's tolerance for an opacity of 1.0 (ISO 19005-1 6.4-5 and 6.4-6)
_ALPHA_TOLERANCE = 1e-6


def private_keys(rule: str, where: str, message: str) -> tuple[tuple[int, int], list[str]] | None:
    """The object and keys of a pikepdf finding about keys ISO 32000-1 does not define there.

    Returns:
        The object's number and generation and its private keys, or None if the finding is of
        another kind, is about a direct object, names a defined key, or was cut short.
    """
    m = _OBJECT_WHERE.match(where)
    found = _UNRECOGNISED.match(message)
    if m is None or found is None or rule != f"pikepdf:schema-{m.group(3)}":
        return None
    defined = _DEFINED_KEYS.get(m.group(3))
    keys = found.group(1).split(", ")
    if defined is None or found.group(1).endswith("...") or not all(k.startswith("/") for k in keys):
        return None
    if any(k in defined for k in keys):
        return None
    return (int(m.group(1)), int(m.group(2))), keys


_LATER_KEY = re.compile(r"^obj (\d+) (\d+) \(Page\) (/Tabs)$")
_INFO_WHERE = re.compile(r"^obj \d+ \d+ \(Info\) (/\w+)$")
_INDIRECT = re.compile(r"^'\d+ \d+ R' ")


def later_key(rule: str, where: str, message: str) -> tuple[tuple[int, int], list[str]] | None:
    """The page and key of pikepdf's refusal of /Tabs in PDF/A-1, or None for any other finding."""
    m = _LATER_KEY.match(where)
    if m is None or rule != "pikepdf:schema-Page" or message != f"{m.group(3)} is not part of PDF 1.4":
        return None
    return (int(m.group(1)), int(m.group(2))), [m.group(3)]


def indirect_info_key(rule: str, where: str, message: str) -> str | None:
    """The key of pikepdf's refusal of an indirect document information value, or None."""
    m = _INFO_WHERE.match(where)
    if m is None or rule != "pikepdf:schema-Info" or _INDIRECT.match(message) is None:
        return None
    return m.group(1)


def inline_info_string(pdf: pikepdf.Pdf, key: str) -> bool:
    """Write an indirect string of the document information in place; False if it is not one."""
    info = pdf.trailer.get("/Info")
    if not isinstance(info, pikepdf.Dictionary) or key not in info:
        return False
    raw = info.get(key)
    if not isinstance(raw, pikepdf.String):
        return False
    info[key] = pikepdf.String(bytes(raw))
    return True


def remove_keys(pdf: pikepdf.Pdf, objgen: tuple[int, int], keys: list[str]) -> bool:
    """Remove *keys* from an object of *pdf*; False if the object or a key is not there."""
    try:
        obj = pdf.get_object(*objgen)
    except (pikepdf.PdfError, ValueError):
        return False
    target = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
    if not isinstance(target, pikepdf.Dictionary) or not all(k in target for k in keys):
        return False
    for key in keys:
        del target[key]
    return True


def _one_at_reader_precision(value: object) -> bool:
    """True for a real other than 1 that is within one millionth of 1.0."""
    # pikepdf hands back reals as Decimal
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal) or value == 1:
        return False
    try:
        return abs(float(value) - 1.0) < _ALPHA_TOLERANCE
    except (TypeError, ValueError, OverflowError):
        return False


def _is_annotation(obj: pikepdf.Dictionary) -> bool:
    # Every annotation has /Subtype and /Rect (ISO 32000-1 Table 164); no graphics state has either
    return obj.get("/Type") == "/Annot" or ("/Subtype" in obj and "/Rect" in obj)


def round_alpha(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """Write as 1 every graphics state /CA and /ca that is 1.0 at a reader's precision.

    An annotation's /CA is left as it is: ISO 19005-1 6.5.3-1 asks for exactly 1.0 there, and the
    copy must not hide a value pikepdf was not able to check (in an annotation it refused).

    Returns:
        The objects changed.
    """
    changed: set[tuple[int, int]] = set()

    def visit(obj: object, owner: tuple[int, int], depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        if isinstance(obj, pikepdf.Dictionary):
            for key in _ALPHA_KEYS if not _is_annotation(obj) else ():
                if key in obj and _one_at_reader_precision(obj.get(key)):
                    obj[key] = 1
                    changed.add(owner)
            children = list(obj.values())
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            return
        for child in children:
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect:
                visit(child, owner, depth + 1)

    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary):
            visit(obj, obj.objgen, 0)
    return changed


GS_FONT_MESSAGE = "fonts set by graphics state parameter dictionaries are not supported"
_GS_FONT_PREFIX = "QujatGSFont"


def _gs_fonts(resources: object) -> dict[str, tuple[pikepdf.Object, int | float | Decimal]]:
    """The graphics states of *resources* that set a font: name -> (font, size)."""
    if not isinstance(resources, pikepdf.Dictionary):
        return {}
    states = resources.get("/ExtGState")
    if not isinstance(states, pikepdf.Dictionary):
        return {}
    found: dict[str, tuple[pikepdf.Object, int | float | Decimal]] = {}
    for name, state in states.items():
        entry = state.get("/Font") if isinstance(state, pikepdf.Dictionary) else None
        if (
            isinstance(entry, pikepdf.Array)
            and len(entry) == 2
            and isinstance(entry[0], pikepdf.Dictionary)
            and isinstance(entry[1], int | float | Decimal)
            and not isinstance(entry[1], bool)
        ):
            found[name] = (entry[0], entry[1])
    return found


def fonts_from_graphics_states(pdf: pikepdf.Pdf) -> int:
    """Move fonts set by graphics states into Tf operators and font resources; return streams changed."""
    changed = 0
    targets: list[tuple[pikepdf.Object, pikepdf.Dictionary]] = []
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        if isinstance(resources, pikepdf.Dictionary):
            targets.append((page.obj, resources))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Form":
            resources = obj.get("/Resources")
            if isinstance(resources, pikepdf.Dictionary):
                targets.append((obj, resources))
    for owner, resources in targets:
        fonts = _gs_fonts(resources)
        if not fonts:
            continue
        try:
            content = pikepdf.parse_content_stream(pikepdf.Page(owner) if "/Contents" in owner else owner)
        except (pikepdf.PdfError, ValueError, TypeError):
            continue
        font_resources = resources.get("/Font")
        if not isinstance(font_resources, pikepdf.Dictionary):
            if font_resources is not None:
                continue
            font_resources = resources["/Font"] = pikepdf.Dictionary()
        names: dict[str, pikepdf.Name] = {}
        rewritten: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
        for instruction in content:
            rewritten.append(instruction)
            if (
                not isinstance(instruction, pikepdf.ContentStreamInstruction)
                or str(instruction.operator) != "gs"
            ):
                continue
            operands = list(instruction.operands)
            key = str(operands[0]) if len(operands) == 1 and isinstance(operands[0], pikepdf.Name) else None
            if key not in fonts:
                continue
            font, size = fonts[key]
            if key not in names:
                names[key] = pikepdf.Name(f"/{_GS_FONT_PREFIX}{len(font_resources)}")
                font_resources[names[key]] = font
            rewritten.append(pikepdf.ContentStreamInstruction([names[key], size], pikepdf.Operator("Tf")))
        if not names:
            continue
        data = pikepdf.unparse_content_stream(rewritten)
        if isinstance(owner, pikepdf.Stream):
            owner.write(data)
        else:
            owner["/Contents"] = pdf.make_stream(data)
        changed += 1
    # Only now, as a graphics state may serve several streams
    for _owner, resources in targets:
        states = resources.get("/ExtGState")
        for name in _gs_fonts(resources):
            if isinstance(states, pikepdf.Dictionary):
                del states[name]["/Font"]
    return changed


# ISO 32000-1 Tables 15 and 17: the keys of a trailer and of a cross-reference stream's dictionary
# (/DocChecksum, which some writers add, is defined by neither)
_TRAILER_KEYS = frozenset(
    [
        *("/Size", "/Prev", "/Root", "/Encrypt", "/Info", "/ID", "/XRefStm"),
        *(
            "/Type",
            "/W",
            "/Index",
            "/Filter",
            "/DecodeParms",
            "/Length",
            "/F",
            "/FFilter",
            "/FDecodeParms",
            "/DL",
        ),
    ]
)


def trailer_private_keys(rule: str, where: str, message: str) -> list[str] | None:
    """The keys of pikepdf's refusal of trailer keys ISO 32000-1 does not define, or None.

    No rule of ISO 19005 concerns such a key (veraPDF reads the trailer for /Root, /Info, /ID and
    /Encrypt only), but pikepdf's walk starts at the trailer, so refusing one leaves the whole file
    unchecked.
    """
    found = _UNRECOGNISED.match(message)
    if rule != "pikepdf:schema-Trailer" or where != "trailer (Trailer)" or found is None:
        return None
    keys = found.group(1).split(", ")
    if found.group(1).endswith("...") or not all(k.startswith("/") and k not in _TRAILER_KEYS for k in keys):
        return None
    return keys


def remove_trailer_keys(pdf: pikepdf.Pdf, keys: list[str]) -> bool:
    """Remove *keys* from the trailer of *pdf*; False if a key is not there."""
    if not all(k in pdf.trailer for k in keys):
        return False
    for key in keys:
        del pdf.trailer[key]
    return True
