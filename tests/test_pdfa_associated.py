"""Tests of PDF/A-3 associated files outside the catalog and FileAttachment annotations
(`validators.pdfa._associated`, `_annots`): permitted files pass, and every rule of ISO 19005-3 6.8 still
fails a file that breaks it, wherever the file specification is listed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from tests.test_validators_pdfa import _write_pdfa
from validators.pdfa import validate_pdfa

Edit = Callable[[pikepdf.Pdf, pikepdf.Dictionary], None]


def _spec(pdf: pikepdf.Pdf, **changes: object) -> pikepdf.Dictionary:
    """An indirect file specification of an embedded CSV file, as ISO 19005-3 6.8 wants it."""
    data = pdf.make_stream(b"\xd0\xb0\xd1\x82,\xd2\x9b\xd2\xb1\xd0\xbd\n1,2\n")  # Kazakh column names
    data.Type = pikepdf.Name.EmbeddedFile
    data.Subtype = pikepdf.Name("/text/csv")
    data.Params = pikepdf.Dictionary(ModDate=pikepdf.String("D:20260101000000Z"))
    if changes.pop("no_mime", False):
        del data["/Subtype"]
    spec = pikepdf.Dictionary(
        Type=pikepdf.Name.Filespec,
        F=pikepdf.String("kesté.csv"),
        UF=pikepdf.String("кесте.csv"),
        EF=pikepdf.Dictionary(F=data),
        AFRelationship=pikepdf.Name.Data,
        Desc=pikepdf.String("Деректер кестесі"),
    )
    return pdf.make_indirect(_changed(spec, changes))


def _changed(dictionary: pikepdf.Dictionary, changes: dict[str, object]) -> pikepdf.Dictionary:
    """*dictionary* with each key of *changes* set to its value, or taken out where the value is None."""
    for key, value in changes.items():
        if value is None:
            del dictionary[f"/{key}"]
        else:
            dictionary[f"/{key}"] = value
    return dictionary


def _attachment(pdf: pikepdf.Pdf, spec: pikepdf.Object, **keys: object) -> pikepdf.Dictionary:
    appearance = pdf.make_stream(
        b"0 0 1 rg 0 0 10 10 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10]
    )
    annot = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FileAttachment,
        Rect=[10, 10, 20, 20],
        F=4,
        FS=spec,
        Contents=pikepdf.String("кесте"),
        Name=pikepdf.Name.Paperclip,
        AP=pikepdf.Dictionary(N=appearance),
    )
    return pdf.make_indirect(_changed(annot, keys))


def _document(tmp_path: Path, edit: Edit) -> Path:
    with pikepdf.open(io.BytesIO(_write_pdfa("3b"))) as pdf:
        edit(pdf, pdf.pages[0].obj)
        out = io.BytesIO()
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    path = tmp_path / "doc.pdf"
    path.write_bytes(out.getvalue())
    return path


def _page_af(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    page.AF = pikepdf.Array([_spec(pdf)])


def _page_and_tree(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    spec = _spec(pdf)
    page.AF = pikepdf.Array([spec])
    pdf.Root.Names = pikepdf.Dictionary(
        EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("кесте.csv"), spec]))
    )


def _page_and_catalog(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    first, second = _spec(pdf), _spec(pdf)
    page.AF = pikepdf.Array([first, second])
    pdf.Root.AF = pikepdf.Array([first])


def _form_af(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    form = pdf.make_stream(
        b"0 0 1 rg 0 0 5 5 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 5, 5]
    )
    form.AF = pikepdf.Array([_spec(pdf)])
    page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fx=form))
    page.Contents = pdf.make_stream(b"q /Fx Do Q")


def _attached_and_catalog(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    spec = _spec(pdf)
    page.Annots = pikepdf.Array([_attachment(pdf, spec)])
    pdf.Root.AF = pikepdf.Array([spec])


def _attached_and_annotation(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    spec = _spec(pdf)
    page.Annots = pikepdf.Array([_attachment(pdf, spec, AF=pikepdf.Array([spec]))])


@pytest.mark.parametrize(
    "edit",
    [_page_af, _page_and_tree, _page_and_catalog, _form_af, _attached_and_catalog, _attached_and_annotation],
    ids=[
        "page",
        "page and name tree",
        "page and catalog",
        "form XObject",
        "attached, catalog",
        "attached, annotation",
    ],
)
def test_permitted_associations_pass(tmp_path: Path, edit: Edit) -> None:
    report = validate_pdfa(_document(tmp_path, edit), "3b")
    assert report.passed, report.findings


def _attached_not_associated(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    page.Annots = pikepdf.Array([_attachment(pdf, _spec(pdf))])


def _page_spec(**changes: object) -> Edit:
    def edit(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
        page.AF = pikepdf.Array([_spec(pdf, **changes)])

    return edit


def _attached_spec(**changes: object) -> Edit:
    def edit(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
        spec = _spec(pdf, **changes)
        page.Annots = pikepdf.Array([_attachment(pdf, spec, AF=pikepdf.Array([spec]))])

    return edit


def _attached_hidden(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    spec = _spec(pdf)
    page.Annots = pikepdf.Array([_attachment(pdf, spec, AF=pikepdf.Array([spec]), F=2)])


@pytest.mark.parametrize(
    "edit,rule",
    [
        (_attached_not_associated, "ISO_19005_3:6.8-4"),
        (_page_spec(AFRelationship=None), "ISO_19005_3:6.8-3"),
        (_page_spec(UF=None), "ISO_19005_3:6.8-2"),
        (_page_spec(no_mime=True), "ISO_19005_3:6.8-1"),
        (_attached_spec(AFRelationship=None), "ISO_19005_3:6.8-3"),
        (_attached_spec(no_mime=True), "ISO_19005_3:6.8-1"),
        (_attached_hidden, "ISO_19005_3:6.3.2-2"),
    ],
    ids=[
        "attached, not associated",
        "page, no AFRelationship",
        "page, no UF",
        "page, no MIME type",
        "attached, no AFRelationship",
        "attached, no MIME type",
        "attached, hidden",
    ],
)
def test_each_rule_still_fails_the_file(tmp_path: Path, edit: Edit, rule: str) -> None:
    report = validate_pdfa(_document(tmp_path, edit), "3b")
    assert not report.passed
    assert rule in {f.rule for f in report.failures if f.kind == "violation"}, report.findings


def _direct_in_af(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    page.AF = pikepdf.Array([pikepdf.Dictionary(dict(_spec(pdf).items()))])


def _direct_attachment(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    spec = _spec(pdf)
    page.Annots = pikepdf.Array([_attachment(pdf, pikepdf.Dictionary(dict(spec.items())))])
    pdf.Root.AF = pikepdf.Array([spec])


def _catalog_af_not_an_array(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    page.AF = pikepdf.Array([_spec(pdf)])
    pdf.Root.AF = pikepdf.Dictionary(Odd=1)


@pytest.mark.parametrize(
    "edit",
    [_direct_in_af, _direct_attachment, _catalog_af_not_an_array],
    ids=[
        "direct file specification in /AF",
        "direct attached file specification",
        "catalog /AF not an array",
    ],
)
def test_what_cannot_be_moved_stays_refused(tmp_path: Path, edit: Edit) -> None:
    report = validate_pdfa(_document(tmp_path, edit), "3b")
    assert not report.passed


def test_pdfa2_page_af_is_left_as_pikepdf_leaves_it(tmp_path: Path) -> None:
    with pikepdf.open(io.BytesIO(_write_pdfa("2b"))) as pdf:
        _page_af(pdf, pdf.pages[0].obj)
        out = io.BytesIO()
        pdf.save(out)
    path = tmp_path / "a2.pdf"
    path.write_bytes(out.getvalue())
    report = validate_pdfa(path, "2b")
    assert not report.passed
    assert any("/AF" in f.message or "associated" in f.message for f in report.failures), report.findings


# -- /AF where veraPDF does not count it, and files the copy leaves out --------------------------------


def _on_pages_root(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    pdf.Root.Pages.AF = pikepdf.Array([_spec(pdf)])


def _on_output_intent(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    pdf.Root.OutputIntents[0].AF = pikepdf.Array([_spec(pdf)])


def _on_graphics_state(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    state = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, LW=1, AF=pikepdf.Array([_spec(pdf)]))
    )
    page.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(G0=state))
    page.Contents = pdf.make_stream(b"/G0 gs 0 0 1 rg 0 0 5 5 re f")


def _on_outline_item(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    outlines = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines, Count=1))
    item = pdf.make_indirect(
        pikepdf.Dictionary(Title=pikepdf.String("Кесте"), Parent=outlines, Dest=[page, pikepdf.Name.Fit])
    )
    item.AF = pikepdf.Array([_spec(pdf)])
    outlines.First = outlines.Last = item
    pdf.Root.Outlines = outlines


@pytest.mark.parametrize(
    "edit",
    [_on_pages_root, _on_output_intent, _on_graphics_state, _on_outline_item],
    ids=["page tree root", "output intent", "graphics state", "outline item"],
)
def test_af_veraPDF_does_not_count_associates_nothing(tmp_path: Path, edit: Edit) -> None:
    """Moving these to the catalog would associate a file veraPDF finds not associated (6.8-4)."""
    report = validate_pdfa(_document(tmp_path, edit), "3b")
    assert not report.passed


def _hidden_under_private_key(trigger: Edit) -> Edit:
    def edit(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
        trigger(pdf, page)
        # A file specification breaking every 6.8 rule, reachable only through a private key, which
        # the copy for the second check takes out
        pdf.Root.QujatPrivate = _spec(pdf, no_mime=True, UF=None, AFRelationship=None)

    return edit


def _harmless_private_key(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    _page_af(pdf, page)
    pdf.Root.QujatPrivate = pdf.make_indirect(pikepdf.Dictionary(Note=pikepdf.String("private")))


def test_a_private_key_beside_a_page_af_is_only_a_private_key(tmp_path: Path) -> None:
    assert validate_pdfa(_document(tmp_path, _harmless_private_key), "3b").passed


@pytest.mark.parametrize(
    "trigger",
    [_page_af, _attached_and_catalog, _form_af],
    ids=["page /AF", "FileAttachment", "form XObject /AF"],
)
def test_an_embedded_file_the_copy_leaves_out_stays_refused(tmp_path: Path, trigger: Edit) -> None:
    report = validate_pdfa(_document(tmp_path, _hidden_under_private_key(trigger)), "3b")
    assert not report.passed


# -- every file specification, wherever it is (6.8-3 and 6.8-4 as veraPDF applies them) ----------------


def _pattern_af(where: str) -> Edit:
    """A tiling pattern the page paints with, and a file specification its /AF (or the catalog's) lists."""

    def edit(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
        spec = _spec(pdf)
        pattern = pdf.make_stream(
            b"0 0 1 rg 0 0 5 5 re f",
            PatternType=1,
            PaintType=1,
            TilingType=1,
            BBox=[0, 0, 10, 10],
            XStep=10,
            YStep=10,
            Resources=pikepdf.Dictionary(),
        )
        if where == "pattern":
            pattern.AF = pikepdf.Array([spec])
        else:
            pdf.Root.AF = pikepdf.Array([spec])
        page.Resources = pikepdf.Dictionary(Pattern=pikepdf.Dictionary(P0=pattern))
        page.Contents = pdf.make_stream(b"/Pattern cs /P0 scn 0 0 100 100 re f")

    return edit


def test_a_tiling_patterns_af_associates_nothing(tmp_path: Path) -> None:
    """The pattern is drawn as a Form XObject in the copy; its /AF is still not one veraPDF counts."""
    assert validate_pdfa(_document(tmp_path, _pattern_af("catalog")), "3b").passed
    report = validate_pdfa(_document(tmp_path, _pattern_af("pattern")), "3b")
    assert not report.passed
    assert "ISO_19005_3:6.8-4" in {f.rule for f in report.failures if f.kind == "violation"}


def _go_to_remote(typed: bool, *, good: bool = False) -> Edit:
    """A link to another file, named by a file specification without /EF."""

    def edit(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
        spec = pikepdf.Dictionary(F=pikepdf.String("басқа.pdf"))
        if typed:
            spec.Type = pikepdf.Name.Filespec
        if good:
            spec.UF = pikepdf.String("басқа.pdf")
            spec.AFRelationship = pikepdf.Name.Unspecified
        spec = pdf.make_indirect(spec)
        if good:
            pdf.Root.AF = pikepdf.Array([spec])
        action = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Action, S=pikepdf.Name.GoToR, F=spec, D=pikepdf.Array([0, pikepdf.Name.Fit])
            )
        )
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[0, 0, 10, 10],
            F=4,
            Border=[0, 0, 0],
            A=action,
        )
        page.Annots = pikepdf.Array([pdf.make_indirect(link)])

    return edit


def _typed_spec_under_private_key(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
    pdf.Root.QujatPrivate = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("a.txt"))
    )


@pytest.mark.parametrize(
    "edit,rules",
    [
        (_go_to_remote(typed=True), {"ISO_19005_3:6.8-3", "ISO_19005_3:6.8-4"}),
        (_typed_spec_under_private_key, {"ISO_19005_3:6.8-3", "ISO_19005_3:6.8-4"}),
    ],
    ids=["link to another file", "under a private key"],
)
def test_a_file_specification_without_ef_is_checked_too(tmp_path: Path, edit: Edit, rules: set[str]) -> None:
    report = validate_pdfa(_document(tmp_path, edit), "3b")
    assert not report.passed
    assert rules <= {f.rule for f in report.failures if f.kind == "violation"}, report.findings


def test_an_untyped_file_specification_is_a_file_name(tmp_path: Path) -> None:
    # veraPDF reads a dictionary as a file specification by its /Type
    assert validate_pdfa(_document(tmp_path, _go_to_remote(typed=False)), "3b").passed
    # A typed one with all 6.8 asks, listed in the catalog's /AF: pikepdf does not check files that
    # are not embedded, so it is refused as not checked, never approved unchecked
    report = validate_pdfa(_document(tmp_path, _go_to_remote(typed=True, good=True)), "3b")
    assert not report.passed
    assert all(f.kind == "unsupported" for f in report.failures), report.findings


def test_an_unreferenced_file_specification_is_checked(tmp_path: Path) -> None:
    base = _write_pdfa("3b")
    size = int(re.search(rb"/Size (\d+)", base[base.rindex(b"trailer") :]).group(1))
    start = len(base)
    body = b"%d 0 obj\n<< /Type /Filespec /F (a.txt) >>\nendobj\n" % size
    xref = len(base) + len(body)
    trailer = base[base.rindex(b"trailer") : base.rindex(b"startxref")].replace(
        b"/Size %d" % size,
        b"/Size %d /Prev %d" % (size + 1, int(base[base.rindex(b"startxref") + 10 :].split()[0])),
    )
    update = (
        body + b"xref\n%d 1\n%010d 00000 n \n" % (size, start) + trailer + b"startxref\n%d\n%%%%EOF\n" % xref
    )
    path = tmp_path / "update.pdf"
    path.write_bytes(base + update)
    report = validate_pdfa(path, "3b")
    assert not report.passed
    assert "ISO_19005_3:6.8-4" in {f.rule for f in report.failures}, report.findings


def _in_trailer(typed: bool) -> Edit:
    def edit(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
        pdf.trailer.QujatNote = pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec if typed else pikepdf.Name.Note, F=pikepdf.String("a.txt")
        )

    return edit


def _in_content(operands: bytes) -> Edit:
    def edit(pdf: pikepdf.Pdf, page: pikepdf.Dictionary) -> None:
        page.Contents = pdf.make_stream(operands)

    return edit


_PROPERTIES = b"/Span << /Note << /Type /%s /F (a.txt) >> >> BDC 0 0 1 rg 0 0 5 5 re f EMC"
_POINT = b"/Tag << /Note << /Type /%s /F (a.txt) >> >> DP"
_INLINE = b"q 10 0 0 10 50 50 cm BI /W 1 /H 1 /BPC 8 /CS /G /F /AHx /DP << /N << /Type /%s >> >> ID 80> EI Q"


@pytest.mark.parametrize(
    "typed_edit,untyped_edit",
    [
        (_in_trailer(True), _in_trailer(False)),
        (_in_content(_PROPERTIES % b"Filespec"), _in_content(_PROPERTIES % b"Note")),
        (_in_content(_POINT % b"Filespec"), _in_content(_POINT % b"Note")),
        (_in_content(_INLINE % b"Filespec"), _in_content(_INLINE % b"Note")),
    ],
    ids=["trailer", "marked-content property list", "marked point", "inline image"],
)
def test_direct_file_specifications_outside_objects_are_checked(
    tmp_path: Path, typed_edit: Edit, untyped_edit: Edit
) -> None:
    """A direct file specification can be listed in no /AF array: 6.8-4 fails it wherever it is."""
    assert validate_pdfa(_document(tmp_path, untyped_edit), "3b").passed
    report = validate_pdfa(_document(tmp_path, typed_edit), "3b")
    assert not report.passed
    assert {"ISO_19005_3:6.8-3", "ISO_19005_3:6.8-4"} <= {f.rule for f in report.failures}, report.findings


def test_content_that_cannot_be_read_is_refused_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """qpdf raises what it likes on a damaged stream (an IndexError, seen in the corpus)."""

    def damaged(*_args: object, **_kwargs: object) -> None:
        raise IndexError("vector::_M_range_check")

    # Content that may name /Filespec (the word is in a string), so that it is parsed
    path = _document(tmp_path, _in_content(b"/Span << /Alt (see Filespec) >> BDC 0 0 1 rg 0 0 5 5 re f EMC"))
    assert validate_pdfa(path, "3b").passed
    monkeypatch.setattr(pikepdf, "parse_content_stream", damaged)
    report = validate_pdfa(path, "3b")
    assert not report.passed
    assert [f.rule for f in report.failures] == ["qujat:file-specifications"]
    assert all(f.kind == "unsupported" for f in report.failures)


def test_an_escaped_name_in_content_is_still_read(tmp_path: Path) -> None:
    """/Files#70ec is /Filespec: content holding no "Filesp" but a # escape is parsed too."""
    report = validate_pdfa(_document(tmp_path, _in_content(_PROPERTIES % b"Files#70ec")), "3b")
    assert not report.passed
    assert {"ISO_19005_3:6.8-3", "ISO_19005_3:6.8-4"} <= {f.rule for f in report.failures}, report.findings
