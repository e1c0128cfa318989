"""Tests of `validators.pdfa._annots`: annotation types PDF/A permits and pikepdf.pdfa does not check."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from tests.test_validators_pdfa import _check, _edited, _rules, _write_pdfa


def _with_annot(subtype: str, *, flags: int | None = 4, appearance: bytes | None = b"0 0 10 10 re S", **keys):
    def edit(pdf: pikepdf.Pdf) -> None:
        annot = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name(subtype), Rect=[10, 10, 60, 60]
        )
        if flags is not None:
            annot.F = flags
        if appearance is not None:
            normal = pdf.make_stream(appearance, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
            normal.BBox = [0, 0, 50, 50]
            annot.AP = pikepdf.Dictionary(N=normal)
        for key, value in keys.items():
            annot[f"/{key}"] = value(pdf) if callable(value) else value
        page = pdf.pages[0].obj
        page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annot)]))

    return edit


_CONFORMING = [
    ("/FreeText", {"DA": pikepdf.String("/Helv 12 Tf 0 g"), "Q": 1}),
    ("/Watermark", {}),
    ("/Redact", {"OverlayText": pikepdf.String("withheld"), "Repeat": False}),
    ("/PrinterMark", {"MN": pikepdf.Name("/ColorBar")}),
]


@pytest.mark.parametrize(("subtype", "keys"), _CONFORMING, ids=[s for s, _ in _CONFORMING])
def test_permitted_annotation_types_pass(tmp_path: Path, subtype: str, keys: dict) -> None:
    report = _check(tmp_path, _edited(_write_pdfa("2b"), _with_annot(subtype, **keys)), "2b")
    assert report.passed, [f.to_dict() for f in report.findings]


def test_freetext_in_pdfa1_passes(tmp_path: Path) -> None:
    edit = _with_annot("/FreeText", DA=pikepdf.String("/Helv 12 Tf 0 g"))
    report = _check(tmp_path, _edited(_write_pdfa("1b"), edit), "1b")
    assert report.passed, [f.to_dict() for f in report.findings]


@pytest.mark.parametrize("subtype", ["/FreeText", "/Watermark", "/Redact"])
def test_missing_flags_fail(tmp_path: Path, subtype: str) -> None:
    report = _check(tmp_path, _edited(_write_pdfa("2b"), _with_annot(subtype, flags=None)), "2b")
    assert "ISO_19005_2:6.3.2-1" in _rules(report)


def test_hidden_annotation_fails(tmp_path: Path) -> None:
    report = _check(tmp_path, _edited(_write_pdfa("2b"), _with_annot("/FreeText", flags=4 | 2)), "2b")
    assert "ISO_19005_2:6.3.2-2" in _rules(report)


def test_missing_appearance_fails(tmp_path: Path) -> None:
    report = _check(tmp_path, _edited(_write_pdfa("2b"), _with_annot("/Watermark", appearance=None)), "2b")
    assert "ISO_19005_2:6.3.3-1" in _rules(report)


def test_appearance_content_is_checked(tmp_path: Path) -> None:
    # An undefined operator in the appearance stream (ISO 19005-2 6.2.2)
    edit = _with_annot("/FreeText", appearance=b"0 0 10 10 re S UnknownOperator")
    assert not _check(tmp_path, _edited(_write_pdfa("2b"), edit), "2b").passed


def test_redact_overlay_content_is_checked(tmp_path: Path) -> None:
    def overlay(pdf: pikepdf.Pdf) -> pikepdf.Stream:
        form = pdf.make_stream(
            b"0 0 1 0 k 0 0 5 5 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form
        )
        form.BBox = [0, 0, 10, 10]
        return form

    clean = _with_annot("/Redact", RO=lambda pdf: _plain_overlay(pdf))
    assert _check(tmp_path, _edited(_write_pdfa("2b"), clean), "2b").passed
    # DeviceCMYK in the overlay with the RGB OutputIntent pikepdf wrote (ISO 19005-2 6.2.4.3)
    report = _check(tmp_path, _edited(_write_pdfa("2b"), _with_annot("/Redact", RO=overlay)), "2b")
    assert "ISO_19005_2:6.2.4.3-3" in _rules(report)


def _plain_overlay(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    form = pdf.make_stream(b"0 0 5 5 re S", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form)
    form.BBox = [0, 0, 10, 10]
    return form


def test_badly_typed_own_key_stays_refused(tmp_path: Path) -> None:
    report = _check(tmp_path, _edited(_write_pdfa("2b"), _with_annot("/FreeText", Q=7)), "2b")
    assert "pikepdf:schema-Annot" in _rules(report)


def test_trapnet_with_font_fauxing_stays_refused(tmp_path: Path) -> None:
    edit = _with_annot("/TrapNet", FontFauxing=pikepdf.Array([]), Version=pikepdf.Array([]))
    report = _check(tmp_path, _edited(_write_pdfa("2b"), edit), "2b")
    assert "pikepdf:schema-Annot" in _rules(report)
