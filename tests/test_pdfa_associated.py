"""Tests of PDF/A-3 associated files outside the catalog and FileAttachment annotations
(`validators.pdfa._associated`, `_annots`): permitted files pass, and every rule of ISO 19005-3 6.8 still
fails a file that breaks it, wherever the file specification is listed.
"""

from __future__ import annotations

import io
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
    for key, value in changes.items():
        if value is None:
            del spec[f"/{key}"]
        else:
            spec[f"/{key}"] = value
    return pdf.make_indirect(spec)


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
    for key, value in keys.items():
        if value is None:
            del annot[f"/{key}"]
        else:
            annot[f"/{key}"] = value
    return pdf.make_indirect(annot)


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
