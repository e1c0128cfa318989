"""Tests of `validators.pdfa._charset`: a PDF/A-1 /CharSet lists the glyphs the text uses."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from tests.test_pdfa_fontprog import _type1c, _with_font
from tests.test_validators_pdfa import _check, _edited, _rules

# A subset whose program has A and B, at 1000 units a glyph's width is what the dictionary says
_PROGRAM = {"units": 1000, "widths": [1229, 1100]}


def _subset(charset: str):
    return _type1c(name="/ABCDEF+Test", charset=charset, **_PROGRAM)


@pytest.mark.parametrize(
    ("content", "charset"),
    [
        (b"BT /F1 12 Tf 10 10 Td (AB) Tj ET", "/A/B"),
        # Names beyond the program's
        (b"BT /F1 12 Tf 10 10 Td (AB) Tj ET", "/A/B/Y/Z"),
        # A glyph of the program that no text shows need not be listed
        (b"BT /F1 12 Tf 10 10 Td (A) Tj ET", "/A"),
    ],
    ids=["exact", "extra-names", "unused-glyph-unlisted"],
)
def test_charset_listing_the_used_glyphs_passes_1b(tmp_path: Path, content: bytes, charset: str) -> None:
    report = _check(tmp_path, _with_font("1b", content, _subset(charset)), "1b")
    assert report.passed, [f.to_dict() for f in report.findings]


def test_charset_without_a_used_glyph_fails_1b(tmp_path: Path) -> None:
    report = _check(tmp_path, _with_font("1b", b"BT /F1 12 Tf 10 10 Td (AB) Tj ET", _subset("/A")), "1b")
    assert "ISO_19005_1:6.3.5-2" in _rules(report)
    assert any("uses: B" in f.message for f in report.failures)


def test_glyph_shown_from_a_form_counts(tmp_path: Path) -> None:
    # B is shown only inside a Form XObject the page draws
    base = _with_font("1b", b"BT /F1 12 Tf 10 10 Td (A) Tj ET", _subset("/A"))

    def edit(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        form = pdf.make_stream(
            b"BT /F1 12 Tf 10 30 Td (B) Tj ET", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form
        )
        form.BBox = [0, 0, 200, 200]
        form.Resources = pikepdf.Dictionary(Font=page.Resources.Font)
        page.Resources.XObject = pikepdf.Dictionary(X0=form)
        page.Contents = pdf.make_stream(page.Contents.read_bytes() + b" /X0 Do")

    report = _check(tmp_path, _edited(base, edit), "1b")
    assert "ISO_19005_1:6.3.5-2" in _rules(report)


def test_part_2_still_asks_for_exactly_the_program(tmp_path: Path) -> None:
    # ISO 19005-2 6.2.11.4.2: the program's glyphs, used or not
    report = _check(tmp_path, _with_font("2b", b"BT /F1 12 Tf 10 10 Td (A) Tj ET", _subset("/A")), "2b")
    assert "ISO_19005_2:6.2.11.4.2-1" in _rules(report)
