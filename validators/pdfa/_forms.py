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
pikepdf again on a copy without /AcroForm (see `validators.pdfa._recheck`). Signature fields, whose
signatures PDF/A-2 6.4.3 constrains, are not checked here, nor are unknown form dictionary keys:
such files stay refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pikepdf

log = logging.getLogger(__name__)

RULE = "pikepdf:schema-Catalog"
MESSAGE = "interactive forms (/AcroForm) are not supported"
_UNCHECKED = "pikepdf:schema-AcroForm"
# ISO 32000-1 Table 218; /XFA is checked on its own
_FORM_KEYS = frozenset({"/Fields", "/NeedAppearances", "/SigFlags", "/CO", "/DR", "/DA", "/Q", "/XFA"})
_MAX_DEPTH = 32
_MAX_FIELDS = 100_000


@dataclass(frozen=True, slots=True)
class FormProblem:
    """A violation of *clause*, or (unsupported) a part of the form not checked."""

    clause: str
    where: str
    message: str
    unsupported: bool = False


def _where(obj: object, fallback: str) -> str:
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return f"obj {obj.objgen[0]} {obj.objgen[1]}"
    return fallback


def check_form(pdf: pikepdf.Pdf, part: int) -> list[FormProblem]:
    """Check the interactive form dictionary of *pdf* and its fields against ISO 19005-*part*."""
    problems: list[FormProblem] = []

    def rule(part1: str, part23: str) -> str:
        return part1 if part == 1 else part23

    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, pikepdf.Dictionary):
        return [FormProblem(_UNCHECKED, "/AcroForm", "the interactive form is not a dictionary", True)]
    where = _where(form, "/AcroForm")
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
        node_where = _where(node, f"{where} field")
        field_type = str(node.get("/FT")) if isinstance(node.get("/FT"), pikepdf.Name) else inherited_type
        if field_type == "/Sig":
            problems.append(FormProblem(_UNCHECKED, node_where, "signature fields are not checked", True))
            continue
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
