"""Interactive forms (ISO 19005-1 6.6 and 6.9, ISO 19005-2 6.4), which pikepdf.pdfa refuses outright.

pikepdf refuses a catalog with /AcroForm, and so checks nothing below the catalog: not the pages, not
the outlines, nothing. What PDF/A asks of a form, in veraPDF's rules:

- the interactive form dictionary has no NeedAppearances true (ISO 19005-1 6.9-1, ISO 19005-2
  6.4.1-3) and, in PDF/A-2 and PDF/A-3, no XFA (6.4.2-1);
- a form field has no /AA (ISO 19005-1 6.6.2-2, ISO 19005-2 6.4.1-2);
- a widget annotation has neither /A nor /AA (ISO 19005-1 6.6.1-3 and 6.6.2-1, ISO 19005-2 6.4.1-1),
  and in PDF/A-1 an appearance (6.9-2). Widgets on pages are annotations like any other, which
  pikepdf checks once it walks the pages.

`check_form` checks the form dictionary and its field tree. The rest of the document is checked by
pikepdf again on a copy without /AcroForm (see `validators.pdfa._recheck`). The signatures of
signature fields, which PDF/A-2 6.4.3 constrains, are handed to a checker given by the caller
(`_signatures`); without one, signature fields are not checked. Unknown form dictionary keys are not
checked: such files stay refused.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

import pikepdf

from validators.pdfa._problem import Problem, where_of

log = logging.getLogger(__name__)

RULE = "pikepdf:schema-Catalog"
MESSAGE = "interactive forms (/AcroForm) are not supported"
_UNCHECKED = "pikepdf:schema-AcroForm"
# ISO 32000-1 Table 218; /XFA is checked on its own
_FORM_KEYS = frozenset({"/Fields", "/NeedAppearances", "/SigFlags", "/CO", "/DR", "/DA", "/Q", "/XFA"})
_MAX_DEPTH = 32
_MAX_FIELDS = 100_000


FormProblem = Problem


class _Problem(Protocol):
    @property
    def clause(self) -> str: ...
    @property
    def where(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def unsupported(self) -> bool: ...


# Checks the signature of a signature field: (field, where) -> problems
SignatureCheck = Callable[[pikepdf.Dictionary, str], Sequence[_Problem]]


def check_form(
    pdf: pikepdf.Pdf, part: int, signature_check: SignatureCheck | None = None
) -> list[FormProblem]:
    """Check the interactive form dictionary of *pdf* and its fields against ISO 19005-*part*.

    Args:
        pdf: The document.
        part: ISO 19005 part.
        signature_check: Checks the signature of a signature field; without it, signature fields are
            reported as not checked.
    """
    problems: list[FormProblem] = []

    def rule(part1: str, part23: str) -> str:
        return part1 if part == 1 else part23

    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, pikepdf.Dictionary):
        return [FormProblem(_UNCHECKED, "/AcroForm", "the interactive form is not a dictionary", True)]
    where = where_of(form, "/AcroForm")
    unknown = sorted(set(form.keys()) - _FORM_KEYS)
    if unknown:
        problems.append(
            FormProblem(_UNCHECKED, where, f"form keys {', '.join(unknown)} are not checked", True)
        )
    if form.get("/NeedAppearances") is True:
        problems.append(FormProblem(rule("6.9-1", "6.4.1-3"), where, "NeedAppearances is true"))
    if "/XFA" in form:
        if part == 1:
            problems.append(FormProblem(_UNCHECKED, where, "XFA in a PDF/A-1 form is not checked", True))
        else:
            problems.append(FormProblem("6.4.2-1", where, "the form contains XFA"))
    fields = form.get("/Fields")
    if fields is not None and not isinstance(fields, pikepdf.Array):
        problems.append(FormProblem(_UNCHECKED, where, "/Fields is not an array", True))
        return problems
    seen: set[tuple[int, int]] = set()
    pending: list[tuple[object, int, str | None]] = [(f, 0, None) for f in fields or []]
    while pending:
        node, depth, inherited_type = pending.pop()
        if len(seen) > _MAX_FIELDS or depth > _MAX_DEPTH:
            problems.append(
                FormProblem(_UNCHECKED, where, "the field tree is too large or deep to check", True)
            )
            break
        if not isinstance(node, pikepdf.Dictionary):
            problems.append(FormProblem(_UNCHECKED, where, "a field is not a dictionary", True))
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        node_where = where_of(node, f"{where} field")
        field_type = str(node.get("/FT")) if isinstance(node.get("/FT"), pikepdf.Name) else inherited_type
        if field_type == "/Sig":
            if signature_check is None:
                problems.append(FormProblem(_UNCHECKED, node_where, "signature fields are not checked", True))
                continue
            if "/V" in node:
                found = signature_check(node, node_where)
                problems.extend(FormProblem(p.clause, p.where, p.message, p.unsupported) for p in found)
        widget = node.get("/Subtype") == "/Widget"
        # A field and its widget may be one dictionary; a dictionary with /T or /Kids is a field
        is_field = not widget or "/T" in node or "/Kids" in node or "/FT" in node
        if "/AA" in node:
            if widget:
                problems.append(FormProblem(rule("6.6.2-1", "6.4.1-1"), node_where, "a widget has /AA"))
            if is_field:
                problems.append(FormProblem(rule("6.6.2-2", "6.4.1-2"), node_where, "a form field has /AA"))
        if widget and "/A" in node:
            problems.append(FormProblem(rule("6.6.1-3", "6.4.1-1"), node_where, "a widget has an action /A"))
        if widget and part == 1 and "/AP" not in node:
            problems.append(FormProblem("6.9-2", node_where, "a widget has no appearance /AP"))
        kids = node.get("/Kids")
        if kids is not None:
            if not isinstance(kids, pikepdf.Array):
                problems.append(FormProblem(_UNCHECKED, node_where, "/Kids is not an array", True))
                continue
            pending.extend((kid, depth + 1, field_type) for kid in kids)
    return problems


ANNOT_RULE = "pikepdf:schema-Annot"
ANNOT_MESSAGE = "annotation type not supported"
# ISO 32000-1 Tables 164, 168, 188 and 220 to 232: the keys of a widget annotation and of the field it
# may be merged with. /OC is not among them: not checked. The signature field keys /Lock and /SV (Table
# 232), which only say what a signature locks and how it is to be made, are allowed on signature fields
_WIDGET_KEYS = frozenset(
    [
        "/Type",
        "/Subtype",
        "/Rect",
        "/Contents",
        "/P",
        "/NM",
        "/M",
        "/F",
        "/AP",
        "/AS",
        "/Border",
        "/BS",
        "/C",
        "/StructParent",
        "/H",
        "/MK",
        "/Parent",
        "/T",
        "/TU",
        "/TM",
        "/Ff",
        "/V",
        "/DV",
        "/DA",
        "/Q",
        "/DS",
        "/RV",
        "/Opt",
        "/TI",
        "/I",
        "/MaxLen",
        "/Kids",
        "/FT",
        "/A",
        "/AA",
    ]
)
_SIG_FIELD_KEYS = frozenset(["/Lock", "/SV"])
# Appearance characteristics (Table 189) other than the icons /I, /RI and /IX, which are form XObjects
_MK_KEYS = frozenset(["/R", "/BC", "/BG", "/CA", "/RC", "/AC", "/TP", "/IF"])
# Annotation flags (Table 165)
_INVISIBLE, _HIDDEN, _PRINT, _NOVIEW, _TOGGLE_NOVIEW = 1, 2, 4, 32, 256


def _field_type(widget: pikepdf.Dictionary) -> str | None:
    node: object = widget
    for _ in range(_MAX_DEPTH):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        ft = node.get("/FT")
        if isinstance(ft, pikepdf.Name):
            return str(ft)
        node = node.get("/Parent")
    return None


def _zero_rect(rect: object) -> bool:
    if not isinstance(rect, pikepdf.Array) or len(rect) != 4:
        return False
    try:
        x1, y1, x2, y2 = (float(v) for v in rect)
    except (TypeError, ValueError):
        return False
    return x1 == x2 and y1 == y2


def check_widget(
    widget: pikepdf.Dictionary, part: int, output_intent: str | None
) -> tuple[list[FormProblem], list[pikepdf.Stream]]:
    """Check a widget annotation as veraPDF checks annotations (ISO 19005-1 6.5, ISO 19005-2 6.3).

    Returns:
        The problems, and the appearance streams, which pikepdf is to check as Form XObjects.
    """
    where = where_of(widget, "widget")
    problems: list[FormProblem] = []

    def rule(part1: str, part23: str) -> str:
        return part1 if part == 1 else part23

    keys = set(widget.keys()) - _WIDGET_KEYS
    if keys & _SIG_FIELD_KEYS and _field_type(widget) == "/Sig":
        keys -= _SIG_FIELD_KEYS
    unknown = sorted(keys)
    mk = widget.get("/MK")
    if isinstance(mk, pikepdf.Dictionary):
        unknown.extend(f"/MK {k}" for k in sorted(set(mk.keys()) - _MK_KEYS))
    if unknown:
        return [FormProblem(ANNOT_RULE, where, f"widget keys {', '.join(unknown)} are not checked", True)], []
    if "/A" in widget:
        problems.append(FormProblem(rule("6.6.1-3", "6.4.1-1"), where, "a widget has an action /A"))
    if "/AA" in widget:
        problems.append(FormProblem(rule("6.6.2-1", "6.4.1-1"), where, "a widget has /AA"))
    flags = widget.get("/F")
    if not isinstance(flags, int) or isinstance(flags, bool):
        problems.append(FormProblem(rule("6.5.3-2", "6.3.2-1"), where, "a widget has no annotation flags /F"))
    else:
        hidden = _INVISIBLE | _HIDDEN | _NOVIEW | (0 if part == 1 else _TOGGLE_NOVIEW)
        if not flags & _PRINT or flags & hidden:
            problems.append(FormProblem(rule("6.5.3-2", "6.3.2-2"), where, f"a widget has flags {flags}"))
    if part == 1:
        ca = widget.get("/CA")
        if ca is not None and ca != 1:
            problems.append(FormProblem("6.5.3-1", where, "a widget has /CA other than 1.0"))
        if ("/C" in widget or "/IC" in widget) and output_intent != "RGB":
            problems.append(
                FormProblem("6.5.3-3", where, "a widget has colours /C without an RGB OutputIntent")
            )
    streams: list[pikepdf.Stream] = []
    ap = widget.get("/AP")
    if ap is None:
        if part == 1:
            problems.append(FormProblem("6.9-2", where, "a widget has no appearance /AP"))
        elif not _zero_rect(widget.get("/Rect")):
            problems.append(FormProblem("6.3.3-1", where, "a widget has no appearance /AP"))
        return problems, streams
    if not isinstance(ap, pikepdf.Dictionary):
        return [*problems, FormProblem(ANNOT_RULE, where, "/AP is not a dictionary", True)], streams
    if set(ap.keys()) != {"/N"}:
        problems.append(FormProblem(rule("6.5.3-4", "6.3.3-2"), where, "the appearance has other than /N"))
    normal = ap.get("/N")
    if _field_type(widget) == "/Btn":
        states = list(normal.values()) if isinstance(normal, pikepdf.Dictionary) else []
        if not states or not all(isinstance(s, pikepdf.Stream) for s in states):
            problems.append(
                FormProblem(rule("6.5.3-5", "6.3.3-3"), where, "a button's /N is not a dictionary of streams")
            )
        else:
            streams.extend(s for s in states if isinstance(s, pikepdf.Stream))
    elif isinstance(normal, pikepdf.Stream):
        streams.append(normal)
    else:
        problems.append(
            FormProblem(rule("6.5.3-6", "6.3.3-4"), where, "the normal appearance /N is not a stream")
        )
    return problems, streams


def hand_over_widgets(
    pdf: pikepdf.Pdf, part: int, output_intent: str | None
) -> tuple[list[FormProblem], set[tuple[int, int]]]:
    """Check the widgets of the pages, which pikepdf refuses, and prepare the copy *pdf* for its second check.

    Each checked widget leaves its page's /Annots, and its appearance streams join the /XObject
    resources of a page with resources of its own, where pikepdf checks them as Form XObjects.

    Args:
        pdf: The copy of the document; it is modified.
        part: ISO 19005 part.
        output_intent: pikepdf's reading of the OutputIntent colour space.

    Returns:
        The problems, and the widgets checked here.
    """
    problems: list[FormProblem] = []
    checked: set[tuple[int, int]] = set()
    appearances: list[pikepdf.Stream] = []
    # Where the appearances go: the resources of the first page that has its own
    host = next(
        (r for page in pdf.pages if isinstance(r := page.obj.get("/Resources"), pikepdf.Dictionary)), None
    )
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            continue
        keep = []
        for annot in annots:
            if (
                not isinstance(annot, pikepdf.Dictionary)
                or not annot.is_indirect
                or annot.get("/Subtype") != "/Widget"
            ):
                keep.append(annot)
                continue
            key = annot.objgen
            found, streams = check_widget(annot, part, output_intent)
            problems.extend(found)
            if streams and host is None:
                # Nowhere for pikepdf to check the appearances: the widget stays on its page, where
                # pikepdf refuses it again
                keep.append(annot)
                continue
            appearances.extend(streams)
            checked.add(key)
        if len(keep) != len(annots):
            page.obj.Annots = pikepdf.Array(keep)
    if host is not None and appearances:
        xobjects = host.get("/XObject")
        if not isinstance(xobjects, pikepdf.Dictionary):
            xobjects = host["/XObject"] = pikepdf.Dictionary()
        for index, stream in enumerate(appearances):
            xobjects[pikepdf.Name(f"/QujatAppearance{index}")] = stream
    return problems, checked
