"""A second adversarial review of the modules that settle pikepdf.pdfa's refusals.

`tests/test_pdfa_audit.py` reviewed the colour, form, pattern, annotation-markup, graphics and XMP
modules. This one reviews the rest: Type 3 fonts (`_type3`), font programs and CMaps (`_fontprograms`,
`_cmaps`), PDF/A-1 /CharSet (`_charset`), signatures, actions, output intents and optional content,
the PDF/A-1 version (`_version`), unused resources (`_unused`), embedded files (`_embedded`, the
FileAttachment path of `_annots`) and the 3b flavour's associated files. Each test builds, with pikepdf,
a document that breaks one rule inside one such construct, and asks for its rejection with the rule's
id; tests that document a false approval found (and fixed) in this review say so, naming the rule.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest

from tests.test_pdfa_catalog import _goto, _signed
from tests.test_pdfa_fontprog import SHOW_CIDS, _cidfont_type2, _embedded_cmap, _type1c, _with_font
from tests.test_pdfa_type3 import PAGE_TEXT, SQUARE, TRIANGLE, _font
from tests.test_validators_pdfa import _check, _edited, _rules, _write_pdfa


@pytest.fixture(scope="module")
def pdfa1b() -> bytes:
    return _write_pdfa("1b")


@pytest.fixture(scope="module")
def pdfa2b() -> bytes:
    return _write_pdfa("2b")


@pytest.fixture(scope="module")
def pdfa3b() -> bytes:
    return _write_pdfa("3b")


def _spec(flavour: str) -> str:
    return f"ISO_19005_{flavour[0]}"


def _passes(tmp_path: Path, data: bytes, flavour: str) -> None:
    report = _check(tmp_path, data, flavour)
    assert report.passed, [f.to_dict() for f in report.findings]


def _fails_with(tmp_path: Path, data: bytes, flavour: str, rule: str) -> None:
    report = _check(tmp_path, data, flavour)
    assert not report.passed, "approved"
    assert rule in _rules(report), [f.to_dict() for f in report.findings]


def _form(pdf: pikepdf.Pdf, content: bytes, **keys: object) -> pikepdf.Stream:
    form = pdf.make_stream(content, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 50, 50])
    for key, value in keys.items():
        form[f"/{key}"] = value
    return form


def _doc(
    flavour: str, glyphs: dict[str, bytes] | None = None, *, text: bytes = PAGE_TEXT, edit=None
) -> bytes:
    """A PDF/A of *flavour* whose page shows *text* in the Type 3 font /T3 (as `tests.test_pdfa_type3`)."""
    with pikepdf.open(io.BytesIO(_write_pdfa(flavour))) as pdf:
        font = _font(pdf, glyphs if glyphs is not None else {"square": SQUARE, "triangle": TRIANGLE})
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(T3=font))
        page.Contents = pdf.make_stream(text)
        if edit is not None:
            edit(pdf, font)
        buf = io.BytesIO()
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    return buf.getvalue()


def _helvetica() -> pikepdf.Dictionary:
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )


# --- Type 3 fonts (`_type3`) ---------------------------------------------------------------------------


@pytest.mark.parametrize(("flavour", "clause"), [("1b", "6.3.4-1"), ("2b", "6.2.11.4.1-1")])
def test_type3_glyph_showing_text_in_a_font_not_embedded(tmp_path: Path, flavour: str, clause: str) -> None:
    glyphs = {"square": b"1000 0 d0 BT /Hv 1 Tf (x) Tj ET", "triangle": TRIANGLE}

    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        font.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(Hv=_helvetica()))

    _fails_with(tmp_path, _doc(flavour, glyphs, edit=edit), flavour, f"{_spec(flavour)}:{clause}")


@pytest.mark.parametrize(("flavour", "clause"), [("1b", "6.2.10-1"), ("2b", "6.2.2-1")])
def test_type3_glyph_drawing_a_form_with_an_undefined_operator(
    tmp_path: Path, flavour: str, clause: str
) -> None:
    def glyphs_drawing(content: bytes):
        def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
            inner = _form(pdf, content)
            outer = _form(pdf, b"/In Do", Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(In=inner)))
            font.CharProcs.square = pdf.make_stream(b"1000 0 d0 /Out Do")
            font.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Out=outer))

        return edit

    _passes(tmp_path, _doc(flavour, edit=glyphs_drawing(b"0 0 5 5 re f")), flavour)
    _fails_with(
        tmp_path, _doc(flavour, edit=glyphs_drawing(b"qujatop")), flavour, f"{_spec(flavour)}:{clause}"
    )


@pytest.mark.parametrize(("flavour", "clause"), [("1b", "6.2.4-3"), ("2b", "6.2.8-3")])
def test_type3_glyph_drawing_an_interpolated_image(tmp_path: Path, flavour: str, clause: str) -> None:
    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        image = pdf.make_stream(
            b"\x00" * 4,
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Image,
            Width=2,
            Height=2,
            ColorSpace=pikepdf.Name.DeviceGray,
            BitsPerComponent=8,
            Interpolate=True,
        )
        font.CharProcs.square = pdf.make_stream(b"1000 0 0 0 750 750 d1 q 750 0 0 750 0 0 cm /Im Do Q")
        font.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im=image))

    _fails_with(tmp_path, _doc(flavour, edit=edit), flavour, f"{_spec(flavour)}:{clause}")


@pytest.mark.parametrize(
    "text",
    [
        b"BT /T3 12 Tf 10 10 Td [(ab) 20 (c)] TJ ET",
        b"BT /T3 12 Tf 14 TL 10 10 Td (c) ' ET",
        b'BT /T3 12 Tf 14 TL 10 10 Td 0 0 (c) " ET',
    ],
    ids=["TJ", "quote", "double-quote"],
)
def test_type3_code_without_glyph_shown_by_every_text_operator(tmp_path: Path, text: bytes) -> None:
    _fails_with(tmp_path, _doc("2b", text=text), "2b", "ISO_19005_2:6.2.11.4.1-2")


def test_type3_font_set_by_a_graphics_state(tmp_path: Path) -> None:
    # The font is selected by /Font of a graphics state, not by Tf: the codes it shows are still checked
    def set_by_gs(text: bytes):
        def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
            state = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, Font=pikepdf.Array([font, 12]))
            page = pdf.pages[0].obj
            page.Resources.ExtGState = pikepdf.Dictionary(GF=state)
            page.Contents = pdf.make_stream(text)

        return edit

    _passes(tmp_path, _doc("2b", edit=set_by_gs(b"/GF gs BT 10 10 Td (ab) Tj ET")), "2b")
    data = _doc("2b", edit=set_by_gs(b"/GF gs BT 10 10 Td (abc) Tj ET"))
    _fails_with(tmp_path, data, "2b", "ISO_19005_2:6.2.11.4.1-2")


def test_type3_text_in_an_annotation_appearance(tmp_path: Path) -> None:
    def shown_by_annotation(text: bytes):
        def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
            appearance = _form(pdf, text, Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(T3=font)))
            annot = pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Square,
                Rect=[10, 10, 60, 60],
                F=4,
                AP=pikepdf.Dictionary(N=appearance),
            )
            page = pdf.pages[0].obj
            page.Annots = pikepdf.Array([pdf.make_indirect(annot)])
            page.Contents = pdf.make_stream(b"")
            page.Resources = pikepdf.Dictionary()

        return edit

    _passes(tmp_path, _doc("2b", edit=shown_by_annotation(PAGE_TEXT)), "2b")
    data = _doc("2b", edit=shown_by_annotation(b"BT /T3 12 Tf 10 10 Td (abc) Tj ET"))
    _fails_with(tmp_path, data, "2b", "ISO_19005_2:6.2.11.4.1-2")


def test_type3_text_in_a_tiling_pattern(tmp_path: Path) -> None:
    def shown_by_pattern(text: bytes):
        def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
            pattern = pdf.make_stream(
                text,
                Type=pikepdf.Name.Pattern,
                PatternType=1,
                PaintType=1,
                TilingType=1,
                BBox=[0, 0, 50, 50],
                XStep=50,
                YStep=50,
                Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(T3=font)),
            )
            page = pdf.pages[0].obj
            page.Resources = pikepdf.Dictionary(Pattern=pikepdf.Dictionary(P0=pattern))
            page.Contents = pdf.make_stream(b"/Pattern cs /P0 scn 0 0 100 100 re f")

        return edit

    # (The conforming case stays refused: Type 3 text in a tiling pattern is not handed over)
    data = _doc("2b", edit=shown_by_pattern(b"BT /T3 12 Tf 10 10 Td (abc) Tj ET"))
    assert not _check(tmp_path, data, "2b").passed


def test_type3_font_in_inherited_page_resources(tmp_path: Path) -> None:
    # The page has no /Resources of its own: it inherits those of its /Pages node
    def inherited(text: bytes):
        def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
            page = pdf.pages[0].obj
            del page["/Resources"]
            pdf.Root.Pages.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(T3=font))
            page.Contents = pdf.make_stream(text)

        return edit

    # (The conforming case stays refused: fonts in inherited page resources are not handed over)
    data = _doc("2b", edit=inherited(b"BT /T3 12 Tf 10 10 Td (abc) Tj ET"))
    assert not _check(tmp_path, data, "2b").passed


def test_type3_glyph_with_an_lzw_inline_image_1b(tmp_path: Path) -> None:
    bitmap = b"800 0 0 0 8 8 d1\nq 8 0 0 8 0 0 cm\nBI /W 8 /H 8 /IM true /BPC 1 /F /LZW ID\n"
    bitmap += b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01" + b"\nEI\nQ"
    glyphs = {"square": SQUARE, "triangle": bitmap}
    _fails_with(tmp_path, _doc("1b", glyphs), "1b", "ISO_19005_1:6.1.10-2")


def test_type3_glyph_nesting_too_deep_1b(tmp_path: Path) -> None:
    glyphs = {"square": b"1000 0 d0 " + b"q " * 30 + b"0 0 750 750 re f" + b" Q" * 30, "triangle": TRIANGLE}
    _fails_with(tmp_path, _doc("1b", glyphs), "1b", "ISO_19005_1:6.1.12-8")


def test_type3_glyph_soft_mask_1b(tmp_path: Path) -> None:
    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        group = _form(pdf, b"0 0 5 5 re f", Group=pikepdf.Dictionary(S=pikepdf.Name.Transparency))
        mask = pikepdf.Dictionary(Type=pikepdf.Name.Mask, S=pikepdf.Name.Luminosity, G=group)
        state = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, SMask=mask)
        font.CharProcs.square = pdf.make_stream(b"1000 0 d0 /M gs 0 0 750 750 re f")
        font.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(M=state))

    _fails_with(tmp_path, _doc("1b", edit=edit), "1b", "ISO_19005_1:6.4-1")


def test_type3_text_in_a_soft_mask_group(tmp_path: Path) -> None:
    def in_mask(text: bytes):
        def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
            group = _form(
                pdf,
                text,
                Group=pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB),
                Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(T3=font)),
            )
            mask = pikepdf.Dictionary(Type=pikepdf.Name.Mask, S=pikepdf.Name.Luminosity, G=group)
            state = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, SMask=mask)
            page = pdf.pages[0].obj
            page.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(M=state))
            page.Contents = pdf.make_stream(b"/M gs 0 0 100 100 re f")

        return edit

    _passes(tmp_path, _doc("2b", edit=in_mask(PAGE_TEXT)), "2b")
    data = _doc("2b", edit=in_mask(b"BT /T3 12 Tf 10 10 Td (abc) Tj ET"))
    _fails_with(tmp_path, data, "2b", "ISO_19005_2:6.2.11.4.1-2")


def test_type3_glyph_stream_with_an_external_file_key(tmp_path: Path) -> None:
    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        font.CharProcs.square.F = pikepdf.String("glyph.bin")

    _fails_with(tmp_path, _doc("2b", edit=edit), "2b", "ISO_19005_2:6.1.7.1-3")


# --- PDF/A-1 /CharSet by glyphs used (`_charset`) --------------------------------------------------------

_SUBSET = {"units": 1000, "widths": [1229, 1100], "name": "/ABCDEF+Test"}


def test_charset_glyph_shown_only_in_an_annotation_appearance_1b(tmp_path: Path) -> None:
    base = _with_font("1b", b"BT /F1 12 Tf 10 10 Td (A) Tj ET", _type1c(charset="/A", **_SUBSET))

    def edit(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        appearance = _form(
            pdf, b"BT /F1 12 Tf 1 1 Td (B) Tj ET", Resources=pikepdf.Dictionary(Font=page.Resources.Font)
        )
        annot = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Square,
            Rect=[10, 10, 60, 60],
            F=4,
            AP=pikepdf.Dictionary(N=appearance),
        )
        page.Annots = pikepdf.Array([pdf.make_indirect(annot)])

    _fails_with(tmp_path, _edited(base, edit), "1b", "ISO_19005_1:6.3.5-2")


def test_charset_glyph_shown_with_a_font_set_by_a_graphics_state_1b(tmp_path: Path) -> None:
    base = _with_font("1b", b"BT /F1 12 Tf 10 10 Td (A) Tj ET", _type1c(charset="/A", **_SUBSET))

    def edit(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        font = page.Resources.Font.F1
        state = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, Font=pikepdf.Array([font, 12]))
        page.Resources.ExtGState = pikepdf.Dictionary(GF=state)
        page.Contents = pdf.make_stream(b"BT /F1 12 Tf 10 10 Td (A) Tj ET /GF gs BT 10 30 Td (B) Tj ET")

    _fails_with(tmp_path, _edited(base, edit), "1b", "ISO_19005_1:6.3.5-2")


def test_charset_glyph_shown_in_a_type3_glyph_1b(tmp_path: Path) -> None:
    base = _with_font("1b", b"BT /F1 12 Tf 10 10 Td (A) Tj ET", _type1c(charset="/A", **_SUBSET))

    def edit(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        t3 = _font(pdf, {"square": b"1000 0 d0 BT /F1 1 Tf (B) Tj ET", "triangle": TRIANGLE})
        t3.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=page.Resources.Font.F1))
        page.Resources.Font.T3 = t3
        page.Contents = pdf.make_stream(b"BT /F1 12 Tf 10 10 Td (A) Tj /T3 12 Tf (a) Tj ET")

    _fails_with(tmp_path, _edited(base, edit), "1b", "ISO_19005_1:6.3.5-2")


# --- the PDF version of a PDF/A-1 file (`_version`) ------------------------------------------------------


def _saved(data: bytes, **options) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        buf = io.BytesIO()
        pdf.save(buf, compress_streams=False, fix_metadata_version=False, **options)
    return buf.getvalue()


def test_pdfa1_later_version_with_object_streams(tmp_path: Path, pdfa1b: bytes) -> None:
    data = _saved(pdfa1b, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    assert data.startswith(b"%PDF-1.5")
    _fails_with(tmp_path, data, "1b", "ISO_19005_1:6.1.4-3")


def test_pdfa1_later_version_classic_xref_passes(tmp_path: Path, pdfa1b: bytes) -> None:
    data = _saved(pdfa1b, object_stream_mode=pikepdf.ObjectStreamMode.disable, force_version="1.6")
    assert data.startswith(b"%PDF-1.6")
    _passes(tmp_path, data, "1b")


def test_pdfa1_later_version_with_optional_content(tmp_path: Path, pdfa1b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        group = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("L")))
        pdf.Root.OCProperties = pikepdf.Dictionary(
            OCGs=[group], D=pikepdf.Dictionary(Name=pikepdf.String("D"), Order=[group])
        )
        pdf.Root.Version = pikepdf.Name("/1.5")

    data = _saved(
        _edited(pdfa1b, edit), object_stream_mode=pikepdf.ObjectStreamMode.disable, force_version="1.5"
    )
    _fails_with(tmp_path, data, "1b", "ISO_19005_1:6.1.13-1")


def test_pdfa1_later_version_with_transparency(tmp_path: Path, pdfa1b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        page.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)
        pdf.Root.Version = pikepdf.Name("/1.7")

    data = _saved(
        _edited(pdfa1b, edit), object_stream_mode=pikepdf.ObjectStreamMode.disable, force_version="1.7"
    )
    _fails_with(tmp_path, data, "1b", "ISO_19005_1:6.4-3")


# --- unused resources (`_unused`) -----------------------------------------------------------------------


def _button_with_states(bad_state: bytes):
    def edit(pdf: pikepdf.Pdf) -> None:
        inner = _form(pdf, bad_state)
        on = _form(pdf, b"/In Do", Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(In=inner)))
        off = _form(pdf, b"0 0 5 5 re S")
        widget = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Btn,
                T=pikepdf.String("check"),
                Rect=[10, 10, 60, 60],
                F=4,
                AS=pikepdf.Name.Off,
                V=pikepdf.Name.Off,
                AP=pikepdf.Dictionary(N=pikepdf.Dictionary(On=on, Off=off)),
            )
        )
        pdf.pages[0].obj.Annots = pikepdf.Array([widget])
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[widget])

    return edit


def test_appearance_state_not_shown_is_still_checked(tmp_path: Path, pdfa2b: bytes) -> None:
    _passes(tmp_path, _edited(pdfa2b, _button_with_states(b"0 0 5 5 re f")), "2b")
    _fails_with(tmp_path, _edited(pdfa2b, _button_with_states(b"qujatop")), "2b", "ISO_19005_2:6.2.2-1")


def test_unused_form_sharing_resources_with_a_used_one(tmp_path: Path, pdfa2b: bytes) -> None:
    # The unused form and the page share one resource dictionary: the form the page draws stays checked
    def edit(pdf: pikepdf.Pdf) -> None:
        bad = _form(pdf, b"qujatop")
        unused = _form(pdf, b"qujatop")
        resources = pdf.make_indirect(pikepdf.Dictionary(XObject=pikepdf.Dictionary(Bad=bad, Spare=unused)))
        unused.Resources = resources
        page = pdf.pages[0].obj
        page.Resources = resources
        page.Contents = pdf.make_stream(b"/Bad Do")

    _fails_with(tmp_path, _edited(pdfa2b, edit), "2b", "ISO_19005_2:6.2.2-1")


def test_form_drawn_by_a_used_form_of_an_unused_parent(tmp_path: Path, pdfa2b: bytes) -> None:
    # One form is both an unused resource (/Spare) and drawn by the page (/Used): it is checked
    def edit(pdf: pikepdf.Pdf) -> None:
        bad = _form(pdf, b"0 0 5 5 re f qujatop")
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Used=bad, Spare=bad))
        page.Contents = pdf.make_stream(b"/Used Do")

    _fails_with(tmp_path, _edited(pdfa2b, edit), "2b", "ISO_19005_2:6.2.2-1")


def test_form_used_through_an_inline_image_colour_space_name(tmp_path: Path, pdfa2b: bytes) -> None:
    # An inline image names a colour space resource: device CMYK under an sRGB OutputIntent, with an
    # unused form beside it that breaks a content rule (so resource use is worked out)
    def edit(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(
            ColorSpace=pikepdf.Dictionary(CMYK=pikepdf.Name.DeviceCMYK),
            XObject=pikepdf.Dictionary(Spare=_form(pdf, b"qujatop")),
        )
        page.Contents = pdf.make_stream(
            b"q 10 0 0 10 0 0 cm BI /W 1 /H 1 /CS /CMYK /BPC 8 ID \x00\x00\x00\x00 EI Q"
        )

    _fails_with(tmp_path, _edited(pdfa2b, edit), "2b", "ISO_19005_2:6.2.4.3-3")


# --- signatures (`_signatures`) ------------------------------------------------------------------------


def test_3b_signature_byte_range(tmp_path: Path, pdfa3b: bytes) -> None:
    _passes(tmp_path, _signed(pdfa3b), "3b")
    _fails_with(tmp_path, _signed(pdfa3b, short_by=1), "3b", "ISO_19005_3:6.4.3-1")


def test_byte_range_one_byte_short(tmp_path: Path, pdfa2b: bytes) -> None:
    _fails_with(tmp_path, _signed(pdfa2b, short_by=1), "2b", "ISO_19005_2:6.4.3-1")


def _second_signature(contents: bytes):
    def extra(pdf: pikepdf.Pdf) -> None:
        sig = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name("/Sig"),
                Filter=pikepdf.Name("/Adobe.PPKLite"),
                SubFilter=pikepdf.Name("/adbe.pkcs7.detached"),
                Contents=pikepdf.String(contents),
                ByteRange=pikepdf.Array([0, 10, 20, 30]),
            )
        )
        parent = pdf.make_indirect(
            pikepdf.Dictionary(FT=pikepdf.Name("/Sig"), T=pikepdf.String("Second"), V=sig)
        )
        kid = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                Parent=parent,
                F=132,
                Rect=[0, 0, 0, 0],
                P=pdf.pages[0].obj,
                AP=pikepdf.Dictionary(N=_form(pdf, b"")),
            )
        )
        parent.Kids = [kid]
        pdf.pages[0].obj.Annots.append(kid)
        pdf.Root.AcroForm.Fields.append(parent)

    return extra


def test_second_signature_in_a_field_hierarchy_is_checked(tmp_path: Path, pdfa2b: bytes) -> None:
    # The second signature's field is the parent of its widget; its /ByteRange is wrong as well
    report = _check(tmp_path, _signed(pdfa2b, extra=_second_signature(b"not a signature")), "2b")
    assert not report.passed
    assert {"ISO_19005_2:6.4.3-1", "ISO_19005_2:6.4.3-2"} <= _rules(report), report.failures


# --- actions (`_actions`) ------------------------------------------------------------------------------


def _open_action(value):
    def edit(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = value(pdf)

    return edit


@pytest.mark.parametrize("flavour", ["1b", "2b", "3b"])
def test_open_action_next_as_a_dictionary(tmp_path: Path, flavour: str) -> None:
    def value(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        action = _goto(pdf)
        action.Next = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        return action

    clause = "6.6.1-1" if flavour == "1b" else "6.5.1-1"
    _fails_with(
        tmp_path, _edited(_write_pdfa(flavour), _open_action(value)), flavour, f"{_spec(flavour)}:{clause}"
    )


@pytest.mark.parametrize(
    "action",
    ["/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView", "/Sound", "/Movie", "/ImportData", "/ResetForm"],
)
def test_open_action_types_not_permitted(tmp_path: Path, pdfa2b: bytes, action: str) -> None:
    data = _edited(pdfa2b, _open_action(lambda pdf: pikepdf.Dictionary(S=pikepdf.Name(action))))
    _fails_with(tmp_path, data, "2b", "ISO_19005_2:6.5.1-1")


def test_open_action_named_next_is_checked_1b(tmp_path: Path, pdfa1b: bytes) -> None:
    def value(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        return pikepdf.Dictionary(
            S=pikepdf.Name.URI,
            URI=pikepdf.String("https://example.org/"),
            Next=[pikepdf.Dictionary(S=pikepdf.Name.Named, N=pikepdf.Name("/Print"))],
        )

    _fails_with(tmp_path, _edited(pdfa1b, _open_action(value)), "1b", "ISO_19005_1:6.6.1-2")


def test_refused_link_action_next_is_checked(tmp_path: Path, pdfa2b: bytes) -> None:
    # The link's action has a file specification dictionary as /F (a key pikepdf refuses); its /Next
    # is a Launch action
    def edit(pdf: pikepdf.Pdf) -> None:
        action = pikepdf.Dictionary(
            S=pikepdf.Name.GoToR,
            F=pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F=pikepdf.String("other.pdf")),
            D=pikepdf.Array([0, pikepdf.Name.Fit]),
            Next=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("x.exe")),
        )
        link = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=[10, 10, 60, 60],
            F=4,
            A=action,
        )
        pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(link)])

    assert not _check(tmp_path, _edited(pdfa2b, edit), "2b").passed


def test_open_action_with_page_additional_actions(tmp_path: Path, pdfa2b: bytes) -> None:
    # The open action is settled; the page's additional actions below the catalog stay checked
    def edit(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = _goto(pdf)
        pdf.pages[0].obj.AA = pikepdf.Dictionary(
            O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("1"))
        )

    _fails_with(tmp_path, _edited(pdfa2b, edit), "2b", "ISO_19005_2:6.5.2-2")


# --- output intents (`_output_intents`) ------------------------------------------------------------------


def _pdfx_intent(pdf: pikepdf.Pdf, *, same_profile: bool, s: str = "/GTS_PDFX") -> pikepdf.Dictionary:
    first = pdf.Root.OutputIntents[0]
    profile = first.DestOutputProfile
    if not same_profile:
        profile = pdf.make_stream(profile.read_bytes(), N=3)
    return pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name(s),
        OutputConditionIdentifier=pikepdf.String("Custom"),
        DestOutputProfile=profile,
    )


@pytest.mark.parametrize("flavour", ["1b", "2b", "3b"])
def test_second_pdfa_intent_with_another_profile(tmp_path: Path, flavour: str) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OutputIntents.append(_pdfx_intent(pdf, same_profile=False, s="/GTS_PDFA1"))

    clause = "6.2.2-2" if flavour == "1b" else "6.2.3-2"
    _fails_with(tmp_path, _edited(_write_pdfa(flavour), edit), flavour, f"{_spec(flavour)}:{clause}")


@pytest.mark.parametrize("flavour", ["1b", "3b"])
def test_pdfx_intent_with_another_profile(tmp_path: Path, flavour: str) -> None:
    def edit(same: bool):
        def apply(pdf: pikepdf.Pdf) -> None:
            pdf.Root.OutputIntents.append(_pdfx_intent(pdf, same_profile=same))

        return apply

    _passes(tmp_path, _edited(_write_pdfa(flavour), edit(True)), flavour)
    clause = "6.2.2-2" if flavour == "1b" else "6.2.3-2"
    _fails_with(tmp_path, _edited(_write_pdfa(flavour), edit(False)), flavour, f"{_spec(flavour)}:{clause}")


def test_pdfx_intent_with_a_profile_ref_3b(tmp_path: Path, pdfa3b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        intent = _pdfx_intent(pdf, same_profile=True)
        intent.DestOutputProfileRef = pikepdf.Dictionary(URLs=[])
        pdf.Root.OutputIntents.append(intent)

    _fails_with(tmp_path, _edited(pdfa3b, edit), "3b", "ISO_19005_3:6.2.3-3")


def test_pdfe_intent_does_not_hide_an_unchecked_profile(tmp_path: Path, pdfa2b: bytes) -> None:
    # An ISO_PDFE1 intent whose profile is not the GTS_PDFA1 one
    def edit(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OutputIntents.append(_pdfx_intent(pdf, same_profile=False, s="/ISO_PDFE1"))

    _fails_with(tmp_path, _edited(pdfa2b, edit), "2b", "ISO_19005_2:6.2.3-2")


# --- optional content (`_optional_content`) ---------------------------------------------------------------


def _optional_content(configure):
    def edit(pdf: pikepdf.Pdf) -> None:
        one = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("One")))
        two = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("Two")))
        default = pikepdf.Dictionary(Name=pikepdf.String("Default"), Order=[one, two])
        other = pikepdf.Dictionary(Name=pikepdf.String("Other"), Order=[two, one])
        pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=[one, two], D=default, Configs=[other])
        configure(default, other, one, two)

    return edit


def _nothing(*_args) -> None:
    return None


@pytest.mark.parametrize(
    ("configure", "clause"),
    [
        (lambda d, o, one, two: o.__setitem__("/AS", pikepdf.Array([])), "6.9-4"),
        (lambda d, o, one, two: o.__delitem__("/Name"), "6.9-1"),
        (lambda d, o, one, two: d.__setitem__("/Name", pikepdf.String("")), "6.9-1"),
        (lambda d, o, one, two: o.__setitem__("/Name", pikepdf.String("Default")), "6.9-2"),
        (lambda d, o, one, two: o.__setitem__("/Order", pikepdf.Array([one])), "6.9-3"),
        (lambda d, o, one, two: o.__setitem__("/Order", pikepdf.Array([one, pikepdf.Array([])])), "6.9-3"),
    ],
    ids=["configs-AS", "configs-no-name", "empty-name", "duplicate-name", "configs-order", "nested-order"],
)
@pytest.mark.parametrize("flavour", ["2b", "3b"])
def test_optional_content_configurations(tmp_path: Path, flavour: str, configure, clause: str) -> None:
    _passes(tmp_path, _edited(_write_pdfa(flavour), _optional_content(_nothing)), flavour)
    data = _edited(_write_pdfa(flavour), _optional_content(configure))
    _fails_with(tmp_path, data, flavour, f"{_spec(flavour)}:{clause}")


def test_optional_content_group_hides_nothing_below(tmp_path: Path, pdfa2b: bytes) -> None:
    # A form made optional by /OC still has its content checked
    def edit(pdf: pikepdf.Pdf) -> None:
        _optional_content(_nothing)(pdf)
        group = pdf.Root.OCProperties.OCGs[0]
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Fm=_form(pdf, b"qujatop", OC=group)))
        page.Contents = pdf.make_stream(b"/Fm Do")

    _fails_with(tmp_path, _edited(pdfa2b, edit), "2b", "ISO_19005_2:6.2.2-1")


# --- CMaps (`_cmaps`) ------------------------------------------------------------------------------------

_JAPAN1 = ("Adobe", "Japan1", 2)


def test_cmap_vertical_in_its_stream_only(tmp_path: Path) -> None:
    font = _cidfont_type2(encoding=_embedded_cmap(wmode=1, dict_wmode=0), system_info=_JAPAN1)
    _fails_with(tmp_path, _with_font("2b", SHOW_CIDS, font), "2b", "ISO_19005_2:6.2.11.3.3-2")


def test_cmap_using_an_embedded_cmap(tmp_path: Path) -> None:
    # /UseCMap names an embedded CMap stream, not a predefined CMap (6.2.11.3.3-3)
    def encoding(pdf: pikepdf.Pdf) -> pikepdf.Stream:
        cmap = _embedded_cmap()(pdf)
        cmap.UseCMap = _embedded_cmap()(pdf)
        return cmap

    font = _cidfont_type2(encoding=encoding, system_info=_JAPAN1)
    _fails_with(tmp_path, _with_font("2b", SHOW_CIDS, font), "2b", "ISO_19005_2:6.2.11.3.3-3")


def test_vertical_cmap_with_a_using_reference_and_wrong_widths(tmp_path: Path) -> None:
    # Both refusals at once: vertical writing and a predefined CMap used
    font = _cidfont_type2(
        encoding=_embedded_cmap(wmode=1, use="/V"), system_info=_JAPAN1, w=[1, [600, 900, 800]]
    )
    assert not _check(tmp_path, _with_font("2b", SHOW_CIDS, font), "2b").passed


@pytest.mark.parametrize(("flavour", "clause"), [("1b", "6.3.6-1"), ("3b", "6.2.11.5-1")])
def test_identity_v_widths_are_checked(tmp_path: Path, flavour: str, clause: str) -> None:
    font = _cidfont_type2(encoding="/Identity-V", w=[1, [600, 900, 800]], cidset=bytes([0xF0]))
    _fails_with(tmp_path, _with_font(flavour, SHOW_CIDS, font), flavour, f"{_spec(flavour)}:{clause}")


def test_identity_v_cidset_1b(tmp_path: Path) -> None:
    # PDF/A-1 asks a subset CIDFont for a complete /CIDSet (6.3.5-3), vertical or not
    font = _cidfont_type2(encoding="/Identity-V")
    _fails_with(tmp_path, _with_font("1b", SHOW_CIDS, font), "1b", "ISO_19005_1:6.3.5-3")
    short = _cidfont_type2(encoding="/Identity-V", cidset=bytes([0x40]))
    _fails_with(tmp_path, _with_font("1b", SHOW_CIDS, short), "1b", "ISO_19005_1:6.3.5-3")


# --- font programs (`_fontprograms`) -----------------------------------------------------------------------


def test_cidset_of_a_truetype_subset_1b(tmp_path: Path) -> None:
    _passes(tmp_path, _with_font("1b", SHOW_CIDS, _cidfont_type2(cidset=bytes([0xF0]))), "1b")
    short = _cidfont_type2(cidset=bytes([0xD0]))
    _fails_with(tmp_path, _with_font("1b", SHOW_CIDS, short), "1b", "ISO_19005_1:6.3.5-3")


def test_cidset_of_a_truetype_subset_3b(tmp_path: Path) -> None:
    short = _cidfont_type2(cidset=bytes([0xD0]))
    _fails_with(tmp_path, _with_font("3b", SHOW_CIDS, short), "3b", "ISO_19005_3:6.2.11.4.2-2")


def test_cidset_with_a_glyph_missing_from_the_program(tmp_path: Path) -> None:
    # CID 5 is shown but the program has glyphs 0..3 only
    data = _with_font("2b", b"BT /F1 12 Tf 10 10 Td <0005> Tj ET", _cidfont_type2(cidset=bytes([0xF0])))
    _fails_with(tmp_path, data, "2b", "ISO_19005_2:6.2.11.4.1-2")


@pytest.mark.parametrize(("flavour", "clause"), [("1b", "6.3.5-2"), ("3b", "6.2.11.4.2-1")])
def test_cff_font_matrix_subset_charset(tmp_path: Path, flavour: str, clause: str) -> None:
    font = _type1c(name="/ABCDEF+Test", charset="/A")
    data = _with_font(flavour, b"BT /F1 12 Tf 10 10 Td (AB) Tj ET", font)
    _fails_with(tmp_path, data, flavour, f"{_spec(flavour)}:{clause}")


@pytest.mark.parametrize(("flavour", "clause"), [("1b", "6.3.6-1"), ("3b", "6.2.11.5-1")])
def test_cff_font_matrix_widths(tmp_path: Path, flavour: str, clause: str) -> None:
    _passes(tmp_path, _with_font(flavour, b"BT /F1 12 Tf 10 10 Td (AB) Tj ET", _type1c()), flavour)
    data = _with_font(flavour, b"BT /F1 12 Tf 10 10 Td (AB) Tj ET", _type1c(widths=[600, 700]))
    _fails_with(tmp_path, data, flavour, f"{_spec(flavour)}:{clause}")


def test_multiple_master_instance_charset_1b(tmp_path: Path) -> None:
    def make(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        font = _type1c(units=1000, widths=[1229, 1100], name="/ABCDEF+Test", charset="/A")(pdf)
        font.Subtype = pikepdf.Name.MMType1
        return font

    data = _with_font("1b", b"BT /F1 12 Tf 10 10 Td (AB) Tj ET", make)
    _fails_with(tmp_path, data, "1b", "ISO_19005_1:6.3.5-2")


def test_multiple_master_instance_without_widths(tmp_path: Path) -> None:
    def make(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        font = _type1c(units=1000, widths=[1229, 1100])(pdf)
        font.Subtype = pikepdf.Name.MMType1
        del font["/Widths"]
        return font

    data = _with_font("2b", b"BT /F1 12 Tf 10 10 Td (AB) Tj ET", make)
    _fails_with(tmp_path, data, "2b", "ISO_19005_2:6.2.11.2-6")


def test_multiple_master_instance_in_a_type3_glyph(tmp_path: Path) -> None:
    # A font pikepdf refuses inside a font pikepdf refuses: both settled, the inner one still checked
    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        inner = _type1c(units=1000, widths=[1229, 1100])(pdf)
        inner.Subtype = pikepdf.Name.MMType1
        del inner.FontDescriptor["/FontFile3"]
        font.CharProcs.square = pdf.make_stream(b"1000 0 d0 BT /In 1 Tf (A) Tj ET")
        font.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(In=pdf.make_indirect(inner)))

    assert not _check(tmp_path, _doc("2b", edit=edit), "2b").passed


def test_cff_font_matrix_in_a_type3_glyph(tmp_path: Path) -> None:
    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        inner = _type1c(widths=[600, 700])(pdf)
        font.CharProcs.square = pdf.make_stream(b"1000 0 d0 BT /In 1 Tf (AB) Tj ET")
        font.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(In=pdf.make_indirect(inner)))

    assert not _check(tmp_path, _doc("2b", edit=edit), "2b").passed


# --- embedded files: PDF/A-2 (`_embedded`, `_annots`) and PDF/A-3 ------------------------------------------


def _filespec(
    pdf: pikepdf.Pdf, payload: bytes, *, uf_payload: bytes | None = None, **keys
) -> pikepdf.Dictionary:
    stream = pdf.make_stream(payload, Type=pikepdf.Name.EmbeddedFile)
    ef = pikepdf.Dictionary(F=stream)
    if uf_payload is not None:
        ef.UF = pdf.make_stream(uf_payload, Type=pikepdf.Name.EmbeddedFile)
    spec = pikepdf.Dictionary(
        Type=pikepdf.Name.Filespec, F=pikepdf.String("inner.pdf"), UF=pikepdf.String("inner.pdf"), EF=ef
    )
    for key, value in keys.items():
        spec[f"/{key}"] = value
    return pdf.make_indirect(spec)


def _embedding(payload: bytes, *, associated: bool = False, **keys):
    def edit(pdf: pikepdf.Pdf) -> None:
        spec = _filespec(pdf, payload, **keys)
        pdf.Root.Names = pikepdf.Dictionary(
            EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("inner.pdf"), spec]))
        )
        if associated:
            pdf.Root.AF = pikepdf.Array([spec])

    return edit


def test_2b_embedded_file_under_uf_is_checked(tmp_path: Path, pdfa2b: bytes) -> None:
    # /EF holds the file twice: a PDF/A file under /F, and another file under /UF
    def edit(pdf: pikepdf.Pdf) -> None:
        spec = _filespec(pdf, pdfa2b, uf_payload=b"plain text")
        pdf.Root.Names = pikepdf.Dictionary(
            EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("inner.pdf"), spec]))
        )

    _passes(tmp_path, _edited(pdfa2b, _embedding(pdfa2b)), "2b")
    _fails_with(tmp_path, _edited(pdfa2b, edit), "2b", "ISO_19005_2:6.8-5")


def test_2b_embedded_pdfa1_with_a_cross_reference_stream(
    tmp_path: Path, pdfa2b: bytes, pdfa1b: bytes
) -> None:
    inner = _saved(pdfa1b, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    _passes(tmp_path, _edited(pdfa2b, _embedding(pdfa1b)), "2b")
    _fails_with(tmp_path, _edited(pdfa2b, _embedding(inner)), "2b", "ISO_19005_2:6.8-5")


def test_2b_embedded_pdfa3_file(tmp_path: Path, pdfa2b: bytes, pdfa3b: bytes) -> None:
    _fails_with(tmp_path, _edited(pdfa2b, _embedding(pdfa3b)), "2b", "ISO_19005_2:6.8-5")


def test_2b_embedded_file_stream_with_an_external_file_key(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        _embedding(pdfa2b)(pdf)
        pdf.Root.Names.EmbeddedFiles.Names[1].EF.F.F = pikepdf.String("elsewhere.pdf")

    _fails_with(tmp_path, _edited(pdfa2b, edit), "2b", "ISO_19005_2:6.1.7.1-3")


def test_2b_embedded_file_in_a_name_tree_kid(tmp_path: Path, pdfa2b: bytes) -> None:
    def tree(payload: bytes):
        def edit(pdf: pikepdf.Pdf) -> None:
            spec = _filespec(pdf, payload)
            kid = pdf.make_indirect(
                pikepdf.Dictionary(
                    Names=pikepdf.Array([pikepdf.String("inner.pdf"), spec]),
                    Limits=pikepdf.Array([pikepdf.String("inner.pdf"), pikepdf.String("inner.pdf")]),
                )
            )
            pdf.Root.Names = pikepdf.Dictionary(EmbeddedFiles=pikepdf.Dictionary(Kids=[kid]))

        return edit

    _passes(tmp_path, _edited(pdfa2b, tree(pdfa2b)), "2b")
    _fails_with(tmp_path, _edited(pdfa2b, tree(b"plain text")), "2b", "ISO_19005_2:6.8-5")


def _attachment_annot(spec_of):
    def edit(pdf: pikepdf.Pdf) -> None:
        annot = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.FileAttachment,
            Rect=[10, 10, 60, 60],
            F=4,
            FS=spec_of(pdf),
            AP=pikepdf.Dictionary(N=_form(pdf, b"0 0 10 10 re S")),
        )
        pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(annot)])

    return edit


def test_2b_file_attachment_whose_appearance_breaks_a_rule(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        _attachment_annot(lambda p: _filespec(p, pdfa2b))(pdf)
        pdf.pages[0].obj.Annots[0].AP.N.write(b"0.5 0.5 0.5 0.5 k 0 0 10 10 re f")

    _passes(tmp_path, _edited(pdfa2b, _attachment_annot(lambda p: _filespec(p, pdfa2b))), "2b")
    _fails_with(tmp_path, _edited(pdfa2b, edit), "2b", "ISO_19005_2:6.2.4.3-3")


def test_2b_file_attachment_of_a_related_files_spec(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _edited(pdfa2b, _attachment_annot(lambda p: _filespec(p, b"plain", RF=pikepdf.Dictionary())))
    assert not _check(tmp_path, data, "2b").passed


def test_2b_file_attachment_embedding_a_non_pdfa_under_uf(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _edited(pdfa2b, _attachment_annot(lambda p: _filespec(p, pdfa2b, uf_payload=b"plain")))
    _fails_with(tmp_path, data, "2b", "ISO_19005_2:6.8-5")


@pytest.mark.parametrize("flavour", ["1b", "3b"])
def test_file_attachment_outside_pdfa2(tmp_path: Path, flavour: str) -> None:
    # PDF/A-1 forbids embedded files; in PDF/A-3 the attachment's file specification lacks
    # /AFRelationship and /Subtype
    data = _edited(_write_pdfa(flavour), _attachment_annot(lambda p: _filespec(p, b"plain")))
    assert not _check(tmp_path, data, flavour).passed


def test_3b_embedded_file_of_any_type_passes(tmp_path: Path, pdfa3b: bytes) -> None:
    edit = _embedding(b"plain text", associated=True, AFRelationship=pikepdf.Name.Data)

    def with_subtype(pdf: pikepdf.Pdf) -> None:
        edit(pdf)
        pdf.Root.Names.EmbeddedFiles.Names[1].EF.F.Subtype = pikepdf.Name("/text/plain")

    _passes(tmp_path, _edited(pdfa3b, with_subtype), "3b")


@pytest.mark.parametrize(
    ("associated", "relationship", "subtype", "clause"),
    [
        (True, None, "/text/plain", "6.8-3"),
        (True, pikepdf.Name.Data, None, "6.8-1"),
        (True, pikepdf.Name.Data, "/plain", "6.8-1"),
        (False, pikepdf.Name.Data, "/text/plain", "6.8-4"),
    ],
    ids=["no-relationship", "no-subtype", "subtype-not-mime", "not-associated"],
)
@pytest.mark.parametrize("with_form", [False, True], ids=["", "with-form"])
def test_3b_embedded_file_rules(
    tmp_path: Path, pdfa3b: bytes, associated: bool, relationship, subtype, clause: str, with_form: bool
) -> None:
    # With an interactive form, pikepdf walks nothing below the catalog in its first check
    def edit(pdf: pikepdf.Pdf) -> None:
        keys = {"AFRelationship": relationship} if relationship is not None else {}
        _embedding(b"plain text", associated=associated, **keys)(pdf)
        if subtype is not None:
            pdf.Root.Names.EmbeddedFiles.Names[1].EF.F.Subtype = pikepdf.Name(subtype)
        if with_form:
            pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([]))

    _fails_with(tmp_path, _edited(pdfa3b, edit), "3b", f"ISO_19005_3:{clause}")


@pytest.mark.parametrize(
    "refusal",
    ["open-action", "optional-content", "pdfx-intent"],
)
def test_3b_embedded_file_below_a_settled_catalog_refusal(
    tmp_path: Path, pdfa3b: bytes, refusal: str
) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        _embedding(b"plain text", associated=True)(pdf)  # no /AFRelationship, no /Subtype
        if refusal == "open-action":
            pdf.Root.OpenAction = _goto(pdf)
        elif refusal == "optional-content":
            _optional_content(_nothing)(pdf)
        else:
            pdf.Root.OutputIntents.append(_pdfx_intent(pdf, same_profile=True))

    assert not _check(tmp_path, _edited(pdfa3b, edit), "3b").passed


# --- text the fonts' checks must see: glyphs, patterns, soft masks (`_type3`, `_fonts`, `_charset`) -------


def _glyph_with_text(body: bytes):
    """A Type 3 glyph that shows text in /F1 (a compact font with glyphs A and B) and in a Type 3 /In."""

    def edit(pdf: pikepdf.Pdf, font: pikepdf.Dictionary) -> None:
        f1 = pdf.make_indirect(_type1c(units=1000, widths=[1229, 1100])(pdf))
        inner = _font(pdf, {"dot": b"500 0 d0 0 0 500 500 re f"})
        font.CharProcs.square = pdf.make_stream(b"1000 0 d0 " + body)
        font.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=f1, In=inner))

    return edit


@pytest.mark.parametrize(
    "body",
    [
        b"BT /F1 1 Tf (ABC) Tj ET",
        b"BT /F1 1 Tf ET q BT /In 1 Tf (a) Tj ET Q BT (ABC) Tj ET",
        b"BT /In 1 Tf (a) Tj /F1 1 Tf (ABC) Tj ET",
    ],
    ids=["plain", "font-restored-by-Q", "font-switched"],
)
@pytest.mark.parametrize(("flavour", "clause"), [("1b", "6.3.5-1"), ("2b", "6.2.11.4.1-2")])
def test_type3_glyph_text_in_another_font_is_checked(
    tmp_path: Path, flavour: str, clause: str, body: bytes
) -> None:
    # Only the Type 3 text leaves the glyph handed over: text in /F1 stays, whatever the font state did
    _passes(tmp_path, _doc(flavour, edit=_glyph_with_text(b"BT /F1 1 Tf (AB) Tj ET")), flavour)
    _fails_with(tmp_path, _doc(flavour, edit=_glyph_with_text(body)), flavour, f"{_spec(flavour)}:{clause}")


def _tiling(pdf: pikepdf.Pdf, content: bytes, resources: pikepdf.Dictionary) -> pikepdf.Stream:
    return pdf.make_stream(
        content,
        Type=pikepdf.Name.Pattern,
        PatternType=1,
        PaintType=1,
        TilingType=1,
        BBox=[0, 0, 50, 50],
        XStep=50,
        YStep=50,
        Resources=resources,
    )


def _text_in(where: str, text: bytes):
    """Show *text* in /F1 only from a pattern of a form or of an appearance, or from a soft mask."""

    def edit(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        fonts = pikepdf.Dictionary(Font=page.Resources.Font)
        painting = b"/Pattern cs /P0 scn 0 0 50 50 re f"
        if where == "soft-mask":
            group = _form(
                pdf,
                text,
                Resources=fonts,
                Group=pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB),
            )
            mask = pikepdf.Dictionary(Type=pikepdf.Name.Mask, S=pikepdf.Name.Luminosity, G=group)
            page.Resources.ExtGState = pikepdf.Dictionary(M=pikepdf.Dictionary(SMask=mask))
            page.Contents = pdf.make_stream(b"/M gs 0 0 10 10 re f")
            return
        patterns = pikepdf.Dictionary(Pattern=pikepdf.Dictionary(P0=_tiling(pdf, text, fonts)))
        form = _form(pdf, painting, Resources=patterns)
        if where == "form-pattern":
            page.Resources.XObject = pikepdf.Dictionary(Fm=form)
            page.Contents = pdf.make_stream(b"/Fm Do")
        else:
            annot = pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Square,
                Rect=[10, 10, 60, 60],
                F=4,
                AP=pikepdf.Dictionary(N=form),
            )
            page.Annots = pikepdf.Array([pdf.make_indirect(annot)])
            page.Contents = pdf.make_stream(b"")

    return edit


_PLACES = ["form-pattern", "appearance-pattern", "soft-mask"]


@pytest.mark.parametrize("where", _PLACES)
def test_2u_text_in_patterns_and_soft_masks_needs_a_mapping(tmp_path: Path, where: str) -> None:
    # False approval found: ISO 19005-2 6.2.11.7.2-1. The fonts' Unicode check walked the tiling patterns
    # of page resources only, and no soft mask group: text shown there went unchecked
    font = _cidfont_type2(cidset=bytes([0xF0]))
    data = _edited(_with_font("2u", b"", font), _text_in(where, b"BT /F1 12 Tf 1 1 Td <0001> Tj ET"))
    _fails_with(tmp_path, data, "2u", "ISO_19005_2:6.2.11.7.2-1")


@pytest.mark.parametrize("where", _PLACES)
def test_charset_glyph_shown_in_patterns_and_soft_masks_1b(tmp_path: Path, where: str) -> None:
    # False approval found: ISO 19005-1 6.3.5-2. The glyphs a PDF/A-1 /CharSet must list were collected
    # without the text of patterns in forms and appearances, and of soft mask groups
    base = _with_font("1b", b"", _type1c(charset="/A", **_SUBSET))
    data = _edited(base, _text_in(where, b"BT /F1 12 Tf 1 1 Td (B) Tj ET"))
    _fails_with(tmp_path, data, "1b", "ISO_19005_1:6.3.5-2")


def test_charset_listing_the_glyphs_of_a_pattern_passes_1b(tmp_path: Path) -> None:
    base = _with_font("1b", b"", _type1c(charset="/A/B", **_SUBSET))
    data = _edited(base, _text_in("form-pattern", b"BT /F1 12 Tf 1 1 Td (B) Tj ET"))
    _passes(tmp_path, data, "1b")


def _form_in_callers_font(text: bytes):
    """The page selects /F1 and draws a form that shows *text* without a Tf of its own."""

    def edit(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        form = _form(pdf, text, Resources=pikepdf.Dictionary(Font=page.Resources.Font))
        page.Resources.XObject = pikepdf.Dictionary(Fm=form)
        page.Contents = pdf.make_stream(b"BT /F1 12 Tf ET /Fm Do")

    return edit


def test_2u_form_text_in_the_callers_font_needs_a_mapping(tmp_path: Path) -> None:
    # False approval found: ISO 19005-2 6.2.11.7.2-1. A form's text shown in the font its caller
    # selected was not counted, so the font's Unicode mapping went unchecked
    base = _with_font("2u", b"", _cidfont_type2(cidset=bytes([0xF0])))
    data = _edited(base, _form_in_callers_font(b"BT 1 1 Td <0001> Tj ET"))
    _fails_with(tmp_path, data, "2u", "ISO_19005_2:6.2.11.7.2-1")


def test_charset_form_text_in_the_callers_font_1b(tmp_path: Path) -> None:
    # False approval found: ISO 19005-1 6.3.5-2, for the same reason
    base = _with_font("1b", b"", _type1c(charset="/A", **_SUBSET))
    _passes(tmp_path, _edited(base, _form_in_callers_font(b"BT 1 1 Td (A) Tj ET")), "1b")
    data = _edited(base, _form_in_callers_font(b"BT 1 1 Td (B) Tj ET"))
    _fails_with(tmp_path, data, "1b", "ISO_19005_1:6.3.5-2")
