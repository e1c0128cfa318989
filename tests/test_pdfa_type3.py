"""PDF/A verdicts on documents with Type 3 fonts (validators.pdfa._type3), in every flavour."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest

from tests.test_validators_pdfa import _check, _rules, _write_pdfa
from validators.pdfa import _type3

SQUARE = b"1000 0 0 0 750 750 d1\n0 0 750 750 re f"
TRIANGLE = b"800 0 d0\n0 0 m 375 750 l 750 0 l f"
PAGE_TEXT = b"BT /T3 12 Tf 10 10 Td (abab) Tj ET"

Edit = Callable[[pikepdf.Pdf, pikepdf.Dictionary], None]


def _font(pdf: pikepdf.Pdf, glyphs: dict[str, bytes], names: list[str] | None = None) -> pikepdf.Dictionary:
    """A Type 3 font whose codes 97, 98, ... name the glyphs in order."""
    names = names if names is not None else list(glyphs)
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type3,
            FontBBox=pikepdf.Array([0, 0, 750, 750]),
            FontMatrix=pikepdf.Array([0.001, 0, 0, 0.001, 0, 0]),
            CharProcs=pikepdf.Dictionary({f"/{n}": pdf.make_stream(data) for n, data in glyphs.items()}),
            Encoding=pikepdf.Dictionary(
                Type=pikepdf.Name.Encoding,
                Differences=pikepdf.Array([97, *(pikepdf.Name(f"/{n}") for n in names)]),
            ),
            FirstChar=97,
            LastChar=96 + len(names),
            Widths=pikepdf.Array([_width(glyphs.get(n, b"0 0 d0")) for n in names]),
        )
    )


def _width(glyph: bytes) -> int:
    return int(glyph.split()[0])


def _doc(
    flavour: str,
    glyphs: dict[str, bytes] | None = None,
    *,
    text: bytes = PAGE_TEXT,
    names: list[str] | None = None,
    edit: Edit | None = None,
) -> bytes:
    """A PDF/A of *flavour* (2u: claiming level U) whose page shows *text* in the Type 3 font /T3."""
    base = _write_pdfa("2b" if flavour == "2u" else flavour)
    if flavour == "2u":
        base = base.replace(b"<pdfaid:conformance>B<", b"<pdfaid:conformance>U<")
    with pikepdf.open(io.BytesIO(base)) as pdf:
        font = _font(pdf, glyphs if glyphs is not None else {"square": SQUARE, "triangle": TRIANGLE}, names)
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(T3=font))
        page.Contents = pdf.make_stream(text)
        if edit is not None:
            edit(pdf, font)
        buf = io.BytesIO()
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    data = buf.getvalue()
    # Every document here is one pikepdf refuses for its Type 3 font: what follows is our verdict
    pike = pikepdf.pdfa.validate_written(io.BytesIO(data), "2b" if flavour == "2u" else flavour)
    assert any(_type3.is_type3_finding(f.rule, f.message) for f in pike.findings)
    return data


def _passes(tmp_path: Path, data: bytes, flavour: str) -> None:
    report = _check(tmp_path, data, flavour)
    assert report.passed, [f.to_dict() for f in report.findings]


def _fails_with(tmp_path: Path, data: bytes, flavour: str, rule: str) -> set[str]:
    report = _check(tmp_path, data, flavour)
    assert not report.passed
    assert rule in _rules(report), [f.to_dict() for f in report.findings]
    return _rules(report)


# -- conforming Type 3 fonts ----------------------------------------------------------------------


@pytest.mark.parametrize("flavour", ["1b", "2b", "3b"])
def test_conforming_type3_font_passes(tmp_path: Path, flavour: str) -> None:
    _passes(tmp_path, _doc(flavour), flavour)


def test_conforming_type3_font_passes_2u(tmp_path: Path) -> None:
    # Glyph names the Adobe Glyph List lists map the codes to Unicode
    glyphs = {"A": SQUARE, "B": TRIANGLE}
    _passes(tmp_path, _doc("2u", glyphs), "2u")


def test_2u_type3_font_mapped_by_tounicode_passes(tmp_path: Path) -> None:
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CMapName /T3Map def 1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"2 beginbfchar <61> <25A0> <62> <25B2> endbfchar endcmap\n"
        b"CMapName currentdict /CMap defineresource pop end end\n"
    )

    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        font.ToUnicode = pdf.make_stream(cmap)

    _passes(tmp_path, _doc("2u", edit=edit), "2u")


@pytest.mark.parametrize("flavour", ["1b", "2b"])
def test_glyph_resources_from_the_font_pass(tmp_path: Path, flavour: str) -> None:
    glyphs = {"square": b"1000 0 d0 /Op gs 0 0 750 750 re f", "triangle": TRIANGLE}

    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        state = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, LW=2)
        font.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(Op=state))

    _passes(tmp_path, _doc(flavour, glyphs, edit=edit), flavour)


def test_type3_text_in_a_form_xobject_passes(tmp_path: Path) -> None:
    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        form = pdf.make_stream(
            PAGE_TEXT,
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=pikepdf.Array([0, 0, 200, 200]),
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(T3=font)),
        )
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm=form))
        page.Contents = pdf.make_stream(b"q /Fm Do Q")

    _passes(tmp_path, _doc("2b", edit=edit), "2b")


def test_text_rendering_mode_3_needs_no_glyph(tmp_path: Path) -> None:
    # Code 99 names no glyph procedure, but invisible text is not rendered (6.2.11.4.1-2)
    data = _doc("2b", text=b"BT /T3 12 Tf 3 Tr 10 10 Td (abc) Tj ET")
    _passes(tmp_path, data, "2b")


def test_other_text_on_the_page_is_still_checked(tmp_path: Path) -> None:
    # Only the Type 3 text leaves the copy pikepdf checks again: the rest of the page stays
    data = _doc("2b", text=PAGE_TEXT + b"\n0.5 0.5 0.5 0.5 k")
    _fails_with(tmp_path, data, "2b", "ISO_19005_2:6.2.4.3-3")


# -- what the glyph procedures draw ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("flavour", "rule"), [("1b", "ISO_19005_1:6.2.3.3-2"), ("2b", "ISO_19005_2:6.2.4.3-3")]
)
def test_device_cmyk_in_a_glyph_with_an_rgb_output_intent(tmp_path: Path, flavour: str, rule: str) -> None:
    glyphs = {"square": b"1000 0 0 0 750 750 d1\n1 0 0 0 k 0 0 750 750 re f", "triangle": TRIANGLE}
    _fails_with(tmp_path, _doc(flavour, glyphs), flavour, rule)


def test_device_cmyk_in_an_unused_glyph_is_still_checked(tmp_path: Path) -> None:
    # veraPDF checks every glyph procedure of the font, shown or not
    glyphs = {"square": SQUARE, "triangle": TRIANGLE, "circle": b"500 0 d0 0 0 1 0 k"}
    _fails_with(tmp_path, _doc("2b", glyphs, names=["square", "triangle"]), "2b", "ISO_19005_2:6.2.4.3-3")


@pytest.mark.parametrize(("flavour", "rule"), [("1b", "ISO_19005_1:6.2.10-1"), ("2b", "ISO_19005_2:6.2.2-1")])
def test_undefined_operator_in_a_glyph(tmp_path: Path, flavour: str, rule: str) -> None:
    glyphs = {"square": SQUARE + b" qujatop", "triangle": TRIANGLE}
    _fails_with(tmp_path, _doc(flavour, glyphs), flavour, rule)


def test_transparency_in_a_glyph_fails_1b(tmp_path: Path) -> None:
    glyphs = {"square": b"1000 0 d0 /Half gs 0 0 750 750 re f", "triangle": TRIANGLE}

    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        state = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=0.5)
        font.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(Half=state))

    data = _doc("1b", glyphs, edit=edit)
    report = _check(tmp_path, data, "1b")
    assert not report.passed
    assert "ISO_19005_1:6.4-6" in _rules(report), [f.to_dict() for f in report.findings]
    # PDF/A-2 permits transparency: the same glyph passes there
    _passes(tmp_path, _doc("2b", glyphs, edit=edit), "2b")


def test_2b_glyph_without_font_resources_naming_a_page_resource(tmp_path: Path) -> None:
    # A font without /Resources finds its glyphs' resources on the page (ISO 32000-1 9.6.5); PDF/A-2 asks
    # every content stream for an explicitly associated resource dictionary
    glyphs = {"square": b"1000 0 d0 /Op gs 0 0 750 750 re f", "triangle": TRIANGLE}

    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        state = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, LW=2)
        pdf.pages[0].obj.Resources.ExtGState = pikepdf.Dictionary(Op=state)

    _fails_with(tmp_path, _doc("2b", glyphs, edit=edit), "2b", "ISO_19005_2:6.2.2-2")
    # PDF/A-1 has no such rule: the glyph uses the page's graphics state
    _passes(tmp_path, _doc("1b", glyphs, edit=edit), "1b")


def test_nested_type3_font_is_checked(tmp_path: Path) -> None:
    def nested(cmyk: bool) -> Edit:
        def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
            inner_glyph = b"500 0 d0 " + (b"1 0 0 0 k " if cmyk else b"") + b"0 0 500 500 re f"
            inner = _font(pdf, {"dot": inner_glyph})
            font.CharProcs.square = pdf.make_stream(b"1000 0 d0 BT /In 1 Tf (a) Tj ET")
            font.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(In=inner))

        return edit

    _passes(tmp_path, _doc("2b", edit=nested(False)), "2b")
    _fails_with(tmp_path, _doc("2b", edit=nested(True)), "2b", "ISO_19005_2:6.2.4.3-3")


# -- the font dictionary and the glyphs shown -----------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "rule"),
    [
        ("/FontMatrix", None, "ISO_19005_2:6.2.11.2"),
        ("/FontBBox", pikepdf.Array([0, 0, 750]), "ISO_19005_2:6.2.11.2"),
        ("/Encoding", pikepdf.Name.WinAnsiEncoding, "ISO_19005_2:6.2.11.2"),
        ("/FirstChar", None, "ISO_19005_2:6.2.11.2-4"),
        ("/LastChar", pikepdf.Name("/b"), "ISO_19005_2:6.2.11.2-5"),
        ("/Widths", pikepdf.Array([1000]), "ISO_19005_2:6.2.11.2-6"),
    ],
)
def test_bad_font_dictionary(tmp_path: Path, key: str, value: object, rule: str) -> None:
    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        if value is None:
            del font[key]
        else:
            font[key] = value

    _fails_with(tmp_path, _doc("2b", edit=edit), "2b", rule)


def test_bad_font_dictionary_1b(tmp_path: Path) -> None:
    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        font.Widths = pikepdf.Array([1000, 800, 800])

    _fails_with(tmp_path, _doc("1b", edit=edit), "1b", "ISO_19005_1:6.3.2-6")


@pytest.mark.parametrize(
    ("flavour", "rule"), [("1b", "ISO_19005_1:6.3.5-1"), ("2b", "ISO_19005_2:6.2.11.4.1-2")]
)
def test_code_without_glyph_procedure(tmp_path: Path, flavour: str, rule: str) -> None:
    # Code 99 has no name in /Differences, so no glyph procedure
    data = _doc(flavour, text=b"BT /T3 12 Tf 10 10 Td (abc) Tj ET")
    _fails_with(tmp_path, data, flavour, rule)


@pytest.mark.parametrize(
    ("flavour", "rule"), [("1b", "ISO_19005_1:6.3.6-1"), ("2b", "ISO_19005_2:6.2.11.5-1")]
)
def test_widths_disagree_with_the_glyph_procedures(tmp_path: Path, flavour: str, rule: str) -> None:
    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        font.Widths = pikepdf.Array([1000, 700])

    _fails_with(tmp_path, _doc(flavour, edit=edit), flavour, rule)


def test_width_within_one_unit_passes(tmp_path: Path) -> None:
    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        font.Widths = pikepdf.Array([999.5, 801])

    _passes(tmp_path, _doc("2b", edit=edit), "2b")


def test_notdef_reference(tmp_path: Path) -> None:
    glyphs = {".notdef": b"0 0 d0", "triangle": TRIANGLE}
    _fails_with(tmp_path, _doc("2b", glyphs), "2b", "ISO_19005_2:6.2.11.8-1")
    # PDF/A-1 has no rule on .notdef: a .notdef with a glyph procedure is a glyph like any other
    _passes(tmp_path, _doc("1b", glyphs), "1b")


def test_glyph_without_d0_or_d1(tmp_path: Path) -> None:
    glyphs = {"square": b"0 0 750 750 re f", "triangle": TRIANGLE}
    _fails_with(tmp_path, _doc("2b", glyphs), "2b", "ISO_19005_2:6.2.11.2")


# -- level U --------------------------------------------------------------------------------------


@pytest.mark.parametrize("names", [["square", "triangle"], ["uni0041", "B.alt"]])
def test_2u_unmapped_type3_font(tmp_path: Path, names: list[str]) -> None:
    # veraPDF maps a Type 3 glyph name only if the Adobe Glyph List lists it as it stands
    glyphs = dict(zip(names, [SQUARE, TRIANGLE], strict=True))
    data = _doc("2u", glyphs)
    _fails_with(tmp_path, data, "2u", "ISO_19005_2:6.2.11.7.2-1")
    assert "ISO_19005_2:6.2.11.7.2-1" not in _rules(_check(tmp_path, data, "2b"))


# -- bounds ---------------------------------------------------------------------------------------


def test_too_many_glyphs_stay_unchecked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_type3, "_MAX_GLYPHS", 1)
    report = _check(tmp_path, _doc("2b"), "2b")
    assert not report.passed
    assert {f.rule for f in report.findings} == {"pikepdf:font-type3"}


def test_glyph_showing_itself_is_bounded(tmp_path: Path) -> None:
    # A glyph that shows its own font: the nesting is followed no deeper than the bound
    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        font.CharProcs.square = pdf.make_stream(b"1000 0 d0 BT /Self 1 Tf (a) Tj ET")
        font.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(Self=font))

    _passes(tmp_path, _doc("2b", edit=edit), "2b")


def test_2u_text_shown_by_a_glyph_needs_a_mapping(tmp_path: Path) -> None:
    # A glyph procedure is a content stream: a Type 3 font it shows text with must map to Unicode too
    def nested(name: str) -> Edit:
        def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
            inner = _font(pdf, {name: b"500 0 d0 0 0 500 500 re f"})
            font.CharProcs.A = pdf.make_stream(b"1000 0 d0 BT /In 1 Tf (a) Tj ET")
            font.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(In=inner))

        return edit

    glyphs = {"A": SQUARE, "B": TRIANGLE}
    _passes(tmp_path, _doc("2u", glyphs, edit=nested("period")), "2u")
    _fails_with(tmp_path, _doc("2u", glyphs, edit=nested("dot")), "2u", "ISO_19005_2:6.2.11.7.2-1")


@pytest.mark.parametrize("flavour", ["1b", "2b"])
def test_bitmap_glyphs_drawn_with_inline_image_masks_pass(tmp_path: Path, flavour: str) -> None:
    # As TeX bitmap fonts draw their glyphs: d1, then an inline image mask painted in the text colour
    bitmap = b"800 0 0 0 8 8 d1\nq 8 0 0 8 0 0 cm\nBI /W 8 /H 8 /IM true /BPC 1 /D [1 0] ID\n"
    bitmap += bytes(range(0x41, 0x49)) + b"\nEI\nQ"
    glyphs = {"square": SQUARE, "triangle": bitmap}
    data = _doc(flavour, glyphs, text=b"0 0 1 rg BT /T3 12 Tf 10 10 Td (abab) Tj ET")
    _passes(tmp_path, data, flavour)


@pytest.mark.parametrize("flavour", ["1b", "2b"])
def test_type3_font_on_many_pages(tmp_path: Path, flavour: str) -> None:
    # As pdfTeX writes bitmap fonts: one font, every page's resources holding it
    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        for _ in range(40):
            pdf.add_blank_page(page_size=(200, 200))
            page = pdf.pages[-1].obj
            page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(T3=font))
            page.Contents = pdf.make_stream(PAGE_TEXT)

    _passes(tmp_path, _doc(flavour, edit=edit), flavour)
