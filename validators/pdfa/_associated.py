"""Associated files (/AF) on the parts of a PDF/A-3 document, which pikepdf.pdfa reads on the catalog only.

ISO 19005-3 6.8 asks that each embedded file be associated with the document or with a part of it
(veraPDF's 6.8-4: the file specification is listed in an /AF array, ISO 32000-2 14.13): the catalog's,
or a page's, an annotation's, an XObject's, a structure element's. pikepdf checks the file
specifications of the catalog's /AF and refuses the key everywhere else, so a file specification
listed only there goes unchecked and the document fails as "not supported".

`to_catalog` prepares a copy of the document for a second pikepdf check: the file specifications an
object's /AF lists are appended to the catalog's /AF, and the object's key taken out. pikepdf then
checks each of them as a file specification (6.8-1 to 6.8-3, the embedded file streams, the limits),
and which embedded files are associated (6.8-4) is as it was: the same file specifications are listed
in an /AF array that associates, only in another one. Nothing is added that was not listed before.

Only the /AF of the parts veraPDF reads it on is moved (`holders`): a page of the page tree, an
annotation of a page's /Annots, an XObject of a page's or a form's resources. An /AF anywhere else (the
page tree's root, an outline item, an output intent, a graphics state...) associates nothing for
veraPDF: moving it to the catalog would associate a file that is not, so it stays refused.

Left as pikepdf left it (the refusal stands): an /AF that is not an array of indirect dictionaries, a
catalog /AF that is not an array, an /AF in a direct object, an /AF of any other part.

`unassociated` applies 6.8-3 and 6.8-4 as veraPDF does, to every dictionary typed /Filespec among the
file's objects and their direct parts (a link's target, a private key's value, an object nothing
refers to), with /EF or without; pikepdf applies them only to those it meets where embedded files are
listed, and the edits of the copy can take the others out of its sight.

`reached` names what the moved arrays and the listed file specifications lead pikepdf to: only its
refusals of those embedded files are to be settled by the second check (a refusal the second check
does not repeat because the copy no longer holds the object is not settled).
"""

from __future__ import annotations

import logging
import re

import pikepdf

from validators.pdfa import _thread_warnings
from validators.pdfa._embedded import EF_KEYS
from validators.pdfa._problem import object_at

log = logging.getLogger(__name__)

RULE = "pikepdf:associated-files"
MESSAGE = "associated files (/AF) are not supported"
_UNCHECKED = "unrecognized key(s) /AF are not checked"
_ROLE_WHERE = re.compile(r"^obj (\d+) (\d+) \(\w+\)$")
_KEY_WHERE = re.compile(r"^obj (\d+) (\d+) \(\w+\) /AF$")


def refused_object(rule: str, where: str, message: str) -> tuple[int, int] | None:
    """The object whose /AF a pikepdf finding refuses, or None if the finding is not such a refusal.

    pikepdf refuses the key in three ways: the file-wide check of every object (``pikepdf:associated-
    files`` at ``obj N G``), a role listing /AF as not supported (an annotation's, a form XObject's: at
    ``obj N G (Role) /AF``), and a role not listing it (a page's: ``unrecognized key(s) /AF``).
    """
    if rule == RULE and message == MESSAGE:
        return object_at(where)
    if rule.startswith("pikepdf:schema-") and message == MESSAGE:
        m = _KEY_WHERE.match(where)
    elif rule.startswith("pikepdf:schema-") and message == _UNCHECKED:
        m = _ROLE_WHERE.match(where)
    else:
        return None
    return (int(m.group(1)), int(m.group(2))) if m else None


def _file_specifications(value: object) -> list[pikepdf.Dictionary] | None:
    """The indirect dictionaries an /AF value lists, or None if it is not an array of only those."""
    if not isinstance(value, pikepdf.Array):
        return None
    listed = []
    for item in value:
        if not isinstance(item, pikepdf.Dictionary) or not item.is_indirect:
            return None
        listed.append(item)
    return listed


_MAX_FORM_DEPTH = 16


def holders(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """The objects whose /AF veraPDF counts (besides the catalog and structure elements, left refused):
    pages of the page tree, the annotations of their /Annots, the XObjects of their resources and of
    the forms' resources within."""
    found: set[tuple[int, int]] = set()
    seen_resources: set[tuple[int, int]] = set()

    def xobjects(resources: object, depth: int) -> None:
        if not isinstance(resources, pikepdf.Dictionary) or depth > _MAX_FORM_DEPTH:
            return
        if resources.is_indirect:
            if resources.objgen in seen_resources:
                return
            seen_resources.add(resources.objgen)
        named = resources.get("/XObject")
        if not isinstance(named, pikepdf.Dictionary):
            return
        for _name, xobject in named.items():
            if not isinstance(xobject, pikepdf.Stream) or not xobject.is_indirect or xobject.objgen in found:
                continue
            found.add(xobject.objgen)
            if xobject.get("/Subtype") == "/Form":
                xobjects(xobject.get("/Resources"), depth + 1)

    for page in pdf.pages:
        obj = page.obj
        found.add(obj.objgen)
        annots = obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            found.update(a.objgen for a in annots if isinstance(a, pikepdf.Dictionary) and a.is_indirect)
        xobjects(obj.get("/Resources"), 0)
    return found


def reached(specs: list[pikepdf.Dictionary]) -> set[tuple[int, int]]:
    """The file specifications *specs* and the embedded file streams of their /EF."""
    found: set[tuple[int, int]] = set()
    for spec in specs:
        if spec.is_indirect:
            found.add(spec.objgen)
        files = spec.get("/EF")
        if isinstance(files, pikepdf.Dictionary):
            found.update(
                stream.objgen
                for key in EF_KEYS
                if isinstance(stream := files.get(key), pikepdf.Stream) and stream.is_indirect
            )
    return found


def to_catalog(
    pdf: pikepdf.Pdf, objgens: set[tuple[int, int]], counted: set[tuple[int, int]]
) -> tuple[set[tuple[int, int]], list[pikepdf.Dictionary]]:
    """In the copy *pdf*, move the /AF file specifications of the objects *objgens* to the catalog's /AF.

    Only objects among *counted* are moved: `holders` of the document as it was, before any edit
    (other edits make objects XObjects that were not: a tiling pattern drawn as a form).
    Returns the objects whose /AF was moved, and the file specifications those arrays listed.
    """
    catalog_af = pdf.Root.get("/AF")
    if catalog_af is None:
        catalog_af = pikepdf.Array()
    elif not isinstance(catalog_af, pikepdf.Array):
        log.debug("The catalog's /AF is not an array: other /AF arrays are not moved to it")
        return set(), []
    listed = {item.objgen for item in catalog_af if isinstance(item, pikepdf.Object) and item.is_indirect}
    moved: set[tuple[int, int]] = set()
    moved_specs: list[pikepdf.Dictionary] = []
    for objgen in sorted(objgens):
        if objgen not in counted:
            log.debug("obj %d %d: an /AF veraPDF does not count as associating; left refused", *objgen)
            continue
        try:
            obj = pdf.get_object(objgen)
        except (pikepdf.PdfError, ValueError):
            continue
        holder = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
        if not isinstance(holder, pikepdf.Dictionary) or objgen == pdf.Root.objgen:
            continue
        specs = _file_specifications(holder.get("/AF"))
        if specs is None:
            log.debug("obj %d %d: /AF is not an array of indirect file specifications", *objgen)
            continue
        for spec in specs:
            if spec.objgen not in listed:
                catalog_af.append(spec)
                listed.add(spec.objgen)
        del holder["/AF"]
        moved.add(objgen)
        moved_specs.extend(specs)
    if moved:
        pdf.Root.AF = catalog_af
    return moved, moved_specs


_LISTED_PREFIX = "QujatAttachment"


def list_embedded(pdf: pikepdf.Pdf, spec: pikepdf.Dictionary) -> bool:
    """In the copy *pdf*, list the indirect file specification *spec* in the embedded files name tree.

    A FileAttachment annotation's file specification is checked by pikepdf only where it meets it as
    a file specification: the name tree is such a place, and listing it there associates nothing
    (6.8-4 asks for an /AF array). Returns False if the tree is not one this can add to.
    """
    if not spec.is_indirect:
        return False
    names = pdf.Root.get("/Names")
    if names is None:
        names = pdf.Root.Names = pikepdf.Dictionary()
    if not isinstance(names, pikepdf.Dictionary):
        return False
    tree = names.get("/EmbeddedFiles")
    if tree is None:
        tree = names.EmbeddedFiles = pdf.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array()))
    if not isinstance(tree, pikepdf.Dictionary):
        return False
    key = pikepdf.String(f"{_LISTED_PREFIX}{spec.objgen[0]}")
    pairs = tree.get("/Names")
    kids = tree.get("/Kids")
    if isinstance(pairs, pikepdf.Array) and kids is None:
        pairs.append(key)
        pairs.append(spec)
        return True
    if isinstance(kids, pikepdf.Array) and pairs is None:
        leaf = pikepdf.Dictionary(Names=pikepdf.Array([key, spec]), Limits=pikepdf.Array([key, key]))
        kids.append(pdf.make_indirect(leaf))
        return True
    return False


_MAX_PARTS = 200_000
_UNREAD = "qujat:file-specifications"
_FILESPEC_RULE_AFREL = "6.8-3"
_FILESPEC_RULE_ASSOCIATED = "6.8-4"


def unassociated(pdf: pikepdf.Pdf) -> list[tuple[str, str, str, bool]]:
    """(clause, where, message, not checked) for each file specification (``/Type /Filespec``) that
    breaks ISO 19005-3 6.8-3 (no /AFRelationship) or 6.8-4 (listed in no /AF array that associates).

    veraPDF applies both to every dictionary typed /Filespec among the file's objects and their direct
    parts, the trailer's, and the dictionaries content streams give as operands (marked-content property
    lists, inline images), with /EF or without: pikepdf only to those it meets where embedded files are
    listed.
    Associating arrays are the catalog's and those of `holders` (structure elements and marked-content
    property lists, which veraPDF counts too, are not read here: a file associated only through them
    is reported, and was refused before).
    """
    counted = holders(pdf) | {pdf.Root.objgen}
    associated: set[tuple[int, int]] = set()
    for objgen in counted:
        try:
            obj = pdf.get_object(objgen)
        except (pikepdf.PdfError, ValueError):
            continue
        holder = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
        value = holder.get("/AF") if isinstance(holder, pikepdf.Dictionary) else None
        if isinstance(value, pikepdf.Array):
            associated.update(
                item.objgen for item in value if isinstance(item, pikepdf.Object) and item.is_indirect
            )
    walk = _SpecWalk(associated)
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
            walk.parts_of(obj, f"obj {obj.objgen[0]} {obj.objgen[1]}")
    # The trailer is no object of the file, and content streams hold dictionaries as operands
    walk.parts_of(pdf.trailer, "trailer")
    for stream, where in _content_streams(pdf):
        walk.operands_of(stream, where)
    if walk.parts >= _MAX_PARTS:
        walk.problems.append(
            (
                _UNREAD,
                "document",
                "file specifications beyond the first parts were not checked",
                True,
            )
        )
    return walk.problems


class _SpecWalk:
    """Finds the dictionaries typed /Filespec in objects and their direct parts, and their problems."""

    def __init__(self, associated: set[tuple[int, int]]) -> None:
        self.associated = associated
        self.problems: list[tuple[str, str, str, bool]] = []
        self.parts = 0

    def parts_of(self, obj: pikepdf.Object, where: str) -> None:
        pending: list[tuple[pikepdf.Object, str]] = [(obj, where)]
        while pending and self.parts < _MAX_PARTS:
            self.parts += 1
            value, at = pending.pop()
            top: pikepdf.Object = value.stream_dict if isinstance(value, pikepdf.Stream) else value
            if isinstance(top, pikepdf.Dictionary):
                if top.get("/Type") == "/Filespec":
                    self.problems.extend(_spec_problems(top, value, at, self.associated))
                items = [(k, v) for k, v in top.items()]
            elif isinstance(top, pikepdf.Array):
                items = [(f"[{i}]", v) for i, v in enumerate(top)]
            else:
                continue
            pending.extend(
                (v, f"{at} {k}" if k.startswith("/") else f"{at}{k}")
                for k, v in items
                if isinstance(v, pikepdf.Dictionary | pikepdf.Array) and not v.is_indirect
            )

    def operands_of(self, stream: pikepdf.Object, where: str) -> None:
        """The dictionaries a content stream gives as operands: property lists, inline images."""
        try:
            if not _may_name_filespec(stream):
                return
            # A damaged stream's warnings are pikepdf's own check's to report, not this reader's
            with _thread_warnings.recording():
                for instruction in pikepdf.parse_content_stream(stream, "BDC DP BI ID EI"):
                    self._operands(instruction, where)
        except Exception as e:  # noqa: BLE001 - qpdf raises what it likes on a damaged stream
            log.debug("%s: content not read for file specifications: %s", where, e)
            self.problems.append(
                (_UNREAD, where, "the content could not be read for file specifications", True)
            )

    def _operands(self, instruction: object, where: str) -> None:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            self.parts_of(instruction.iimage.obj, f"{where} inline image")
            return
        if isinstance(instruction, pikepdf.ContentStreamInstruction):
            for operand in instruction.operands:
                if isinstance(operand, pikepdf.Dictionary | pikepdf.Array) and not operand.is_indirect:
                    self.parts_of(operand, f"{where} {instruction.operator}")


def _may_name_filespec(content: pikepdf.Object) -> bool:
    """False if the content (a stream, or a page's streams) cannot hold the name /Filespec.

    A name is spelled with its letters or with ``#`` escapes: data with neither "Filesp" nor "#"
    names no /Filespec, and need not be parsed.
    """
    parts: list[object]
    if isinstance(content, pikepdf.Stream):
        parts = [content]
    else:
        contents = content.get("/Contents")
        parts = [*contents] if isinstance(contents, pikepdf.Array) else [contents]
    for part in parts:
        if not isinstance(part, pikepdf.Stream):
            return True  # let the parser say what it is
        data = part.read_bytes()
        if b"Filesp" in data or b"#" in data:
            return True
    return False


def _content_streams(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Object, str]]:
    """Pages (their contents as one), form XObjects, tiling patterns and Type 3 glyph procedures."""
    found: list[tuple[pikepdf.Object, str]] = []
    for number, page in enumerate(pdf.pages, start=1):
        if "/Contents" in page.obj:
            found.append((page.obj, f"page {number} content"))
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            if obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1:
                found.append((obj, f"obj {obj.objgen[0]} {obj.objgen[1]} content"))
        elif isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type3":
            procs = obj.get("/CharProcs")
            if isinstance(procs, pikepdf.Dictionary):
                found.extend(
                    (proc, f"obj {obj.objgen[0]} {obj.objgen[1]} glyph {name}")
                    for name, proc in procs.items()
                    if isinstance(proc, pikepdf.Stream)
                )
    return found


def _spec_problems(
    spec: pikepdf.Dictionary, value: object, where: str, associated: set[tuple[int, int]]
) -> list[tuple[str, str, str, bool]]:
    found = []
    if "/AFRelationship" not in spec:
        found.append(
            (_FILESPEC_RULE_AFREL, where, "the file specification does not contain /AFRelationship", False)
        )
    if not (isinstance(value, pikepdf.Object) and value.is_indirect and value.objgen in associated):
        found.append(
            (
                _FILESPEC_RULE_ASSOCIATED,
                where,
                "the file specification is not associated with the document or a part of it: no /AF array"
                " of the catalog, a page, an annotation or an XObject lists it",
                False,
            )
        )
    return found
