"""Tests of `validators.pdfa._unused`: a resource no content stream uses is not checked for its content."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from tests.test_validators_pdfa import _check, _edited, _rules, _write_pdfa
from validators.pdfa import _unused

# An operator ISO 32000-1 does not define (ISO 19005-1 6.2.10-1, ISO 19005-2 6.2.2-1)
_BAD_CONTENT = b"0 0 10 10 re f UnknownOperator"


def _with_form(page_content: bytes, form_content: bytes = _BAD_CONTENT, **form_keys: object):
    def edit(pdf: pikepdf.Pdf) -> None:
        form = pdf.make_stream(form_content, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
        form.BBox = [0, 0, 10, 10]
        for key, value in form_keys.items():
            form[f"/{key}"] = value
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=form))
        page.Contents = pdf.make_stream(page_content)

    return edit


@pytest.mark.parametrize("flavour", ["1b", "2b"])
def test_unused_form_is_not_checked(tmp_path: Path, flavour: str) -> None:
    data = _edited(_write_pdfa(flavour), _with_form(b"0 0 5 5 re S"))
    report = _check(tmp_path, data, flavour)
    assert report.passed, [f.to_dict() for f in report.findings]


@pytest.mark.parametrize("flavour", ["1b", "2b"])
def test_drawn_form_is_checked(tmp_path: Path, flavour: str) -> None:
    data = _edited(_write_pdfa(flavour), _with_form(b"q /X0 Do Q"))
    report = _check(tmp_path, data, flavour)
    assert not report.passed
    assert any(f.where.startswith("obj ") and "content" in f.where for f in report.failures)


def test_form_drawn_from_another_form_is_checked(tmp_path: Path) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        inner = pdf.make_stream(_BAD_CONTENT, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
        inner.BBox = [0, 0, 10, 10]
        outer = pdf.make_stream(b"/Inner Do", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
        outer.BBox = [0, 0, 10, 10]
        outer.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Inner=inner))
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Outer=outer))
        page.Contents = pdf.make_stream(b"/Outer Do")

    assert not _check(tmp_path, _edited(_write_pdfa("2b"), edit), "2b").passed


def test_form_drawn_by_an_annotation_appearance_is_checked(tmp_path: Path) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        _with_form(b"0 0 5 5 re S")(pdf)
        page = pdf.pages[0].obj
        form = page.Resources.XObject.X0
        appearance = pdf.make_stream(b"/X0 Do", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
        appearance.BBox = [0, 0, 10, 10]
        appearance.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=form))
        annot = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Square,
            Rect=[0, 0, 10, 10],
            F=4,
            AP=pikepdf.Dictionary(N=appearance),
        )
        page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annot)]))

    assert not _check(tmp_path, _edited(_write_pdfa("2b"), edit), "2b").passed


def test_file_structure_rules_apply_to_unused_streams(tmp_path: Path) -> None:
    # ISO 19005-2 6.1.7.1: no stream dictionary has /F, used or not
    edit = _with_form(b"0 0 5 5 re S", F=pikepdf.String("elsewhere.bin"))
    report = _check(tmp_path, _edited(_write_pdfa("2b"), edit), "2b")
    assert "ISO_19005_2:6.1.7.1-3" in _rules(report)


def test_unused_entries_are_listed(tmp_path: Path) -> None:
    data = _edited(_write_pdfa("2b"), _with_form(b"0 0 5 5 re S"))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        unused = _unused.find_unused(pdf)
        assert [(category, name) for _, category, name, _ in unused.entries] == [("/XObject", "/X0")]


def test_nothing_is_unused_when_a_content_stream_cannot_be_read() -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        _with_form(b"")(pdf)
        pdf.pages[0].obj.Contents = pdf.make_stream(b"not zlib at all", Filter=pikepdf.Name.FlateDecode)

    with pikepdf.open(io.BytesIO(_edited(_write_pdfa("2b"), edit))) as pdf:
        assert not _unused.find_unused(pdf)
