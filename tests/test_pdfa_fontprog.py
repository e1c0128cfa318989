"""Font programs and CMaps that pikepdf.pdfa refuses, checked by `_fontprograms` and `_cmaps`.

Every font is built here: CFF and TrueType programs with fontTools' FontBuilder, the PDF around them
with pikepdf. Each construct is approved when it conforms, and rejected with the rule it breaks when
it does not, including rules that only pikepdf's second check (of the edited copy) can see.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

from tests.test_validators_pdfa import _check, _edited, _rules, _write_pdfa
from validators.pdfa import _fontprograms

SHOW_AB = b"BT /F1 12 Tf 10 10 Td (AB) Tj ET"
SHOW_CIDS = b"BT /F1 12 Tf 10 10 Td <00010002> Tj ET"


def _box(pen) -> None:
    pen.moveTo((50, 0))
    pen.lineTo((450, 0))
    pen.lineTo((450, 600))
    pen.closePath()


def _cff(units: int, widths: dict[str, int]) -> bytes:
    """A bare CFF program (FontFile3 /Type1C); a units-per-em other than 1000 sets its FontMatrix."""
    builder = FontBuilder(units, isTTF=False)
    order = [".notdef", *widths]
    builder.setupGlyphOrder(order)
    charstrings = {}
    for name in order:
        pen = T2CharStringPen(widths.get(name, units // 2), None)
        _box(pen)
        charstrings[name] = pen.getCharString()
    builder.setupCFF("Test", {"FullName": "Test"}, charstrings, {})
    return builder.font["CFF "].compile(builder.font)


def _truetype(widths: list[int]) -> bytes:
    """A TrueType program (FontFile2): glyph *i* is ``g<i>`` of advance ``widths[i]``, glyph 0 .notdef."""
    builder = FontBuilder(1000, isTTF=True)
    order = [".notdef", *(f"g{i}" for i in range(1, len(widths)))]
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({0x41 + i - 1: f"g{i}" for i in range(1, len(widths))})
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        _box(pen)
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (w, 50) for name, w in zip(order, widths, strict=True)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupOS2()
    builder.setupPost()
    builder.setupNameTable({"familyName": "Test", "styleName": "Regular"})
    buf = io.BytesIO()
    builder.save(buf)
    return buf.getvalue()


def _descriptor(pdf: pikepdf.Pdf, name: str, flags: int, **entries: object) -> pikepdf.Dictionary:
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor,
            FontName=pikepdf.Name(name),
            Flags=flags,
            FontBBox=[0, -200, 1000, 800],
            ItalicAngle=0,
            Ascent=800,
            Descent=-200,
            CapHeight=700,
            StemV=80,
            **entries,
        )
    )


_BLANK: dict[str, bytes] = {}


def _blank(flavour: str) -> bytes:
    if flavour not in _BLANK:
        if flavour == "2u":
            _BLANK[flavour] = _write_pdfa("2b").replace(b"<pdfaid:conformance>B<", b"<pdfaid:conformance>U<")
        else:
            _BLANK[flavour] = _write_pdfa(flavour)
    return _BLANK[flavour]


def _with_font(flavour: str, content: bytes, make_font) -> bytes:
    """A PDF/A file showing *content* with the font ``make_font(pdf)`` as /F1."""

    def edit(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.Resources = pikepdf.Dictionary(
            Font=pikepdf.Dictionary(F1=pdf.make_indirect(make_font(pdf)))
        )
        pdf.pages[0].obj.Contents = pdf.make_stream(content)

    return _edited(_blank(flavour), edit)


# --- CFF programs with their own FontMatrix ----------------------------------------------------------

# Widths in the program's 2048 units, and in thousandths as the font dictionary gives them
CFF_WIDTHS = {"A": 1229, "B": 1100}
PDF_WIDTHS = [600, 537]


def _type1c(*, widths=PDF_WIDTHS, units=2048, name="/Test", charset: str | None = None, program=None):
    def make(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        data = program if program is not None else _cff(units, CFF_WIDTHS)
        entries: dict[str, object] = {"FontFile3": pdf.make_stream(data, Subtype=pikepdf.Name.Type1C)}
        if charset is not None:
            entries["CharSet"] = pikepdf.String(charset)
        return pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name(name),
            FirstChar=65,
            LastChar=66,
            Widths=list(widths),
            Encoding=pikepdf.Name.WinAnsiEncoding,
            FontDescriptor=_descriptor(pdf, name, 32, **entries),
        )

    return make


def test_cff_font_matrix_is_refused_by_pikepdf(tmp_path: Path) -> None:
    # What the module settles: without it the conforming file below would be rejected unchecked
    data = _with_font("2b", SHOW_AB, _type1c())
    pike = pikepdf.pdfa.validate_written(io.BytesIO(data), "2b")
    assert [f.rule for f in pike.findings] == ["pikepdf:font-program"]
    assert _fontprograms.is_refusal(pike.findings[0].rule, pike.findings[0].message)


@pytest.mark.parametrize("flavour", ["1b", "2b", "2u", "3b"])
def test_cff_font_matrix_with_scaled_widths_passes(tmp_path: Path, flavour: str) -> None:
    report = _check(tmp_path, _with_font(flavour, SHOW_AB, _type1c()), flavour)
    assert report.passed, report.failures


def test_cff_font_matrix_widths_are_compared_after_scaling(tmp_path: Path) -> None:
    # The program's widths as written (1229, 1100 in 2048ths of an em) are not thousandths
    report = _check(tmp_path, _with_font("2b", SHOW_AB, _type1c(widths=[1229, 1100])), "2b")
    assert "ISO_19005_2:6.2.11.5-1" in _rules(report)
    assert "pikepdf:font-program" not in _rules(report)


def test_cff_font_matrix_width_off_by_more_than_one_fails(tmp_path: Path) -> None:
    report = _check(tmp_path, _with_font("1b", SHOW_AB, _type1c(widths=[600, 539])), "1b")
    assert _rules(report) == {"ISO_19005_1:6.3.6-1"}


def test_cff_font_matrix_glyph_missing_fails(tmp_path: Path) -> None:
    # C (code 67) is not in the program: pikepdf's glyph check runs on the rescaled copy
    def make(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        font = _type1c()(pdf)
        font.LastChar = 67
        font.Widths = [*PDF_WIDTHS, 500]
        return font

    report = _check(tmp_path, _with_font("2b", b"BT /F1 12 Tf 10 10 Td (ABC) Tj ET", make), "2b")
    assert _rules(report) == {"ISO_19005_2:6.2.11.4.1-2"}


def test_cff_font_matrix_subset_charset(tmp_path: Path) -> None:
    whole = _with_font("2b", SHOW_AB, _type1c(name="/ABCDEF+Test", charset="/A/B"))
    assert _check(tmp_path, whole, "2b").passed
    short = _with_font("2b", SHOW_AB, _type1c(name="/ABCDEF+Test", charset="/A"))
    assert _rules(_check(tmp_path, short, "2b")) == {"ISO_19005_2:6.2.11.4.2-1"}


def test_cff_font_matrix_without_unicode_mapping_fails_2u(tmp_path: Path) -> None:
    # Glyph names the Adobe Glyph List does not know, and no /ToUnicode: fine for 2b, not for level U
    def make(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        font = _type1c(program=_cff(2048, {"A1": 1229, "B1": 1100}))(pdf)
        font.Encoding = pikepdf.Dictionary(
            BaseEncoding=pikepdf.Name.WinAnsiEncoding,
            Differences=[65, pikepdf.Name("/A1"), pikepdf.Name("/B1")],
        )
        return font

    assert _check(tmp_path, _with_font("2b", SHOW_AB, make), "2b").passed
    # A file the Unicode check fails gets no second check: the program's refusal stays beside it
    report = _check(tmp_path, _with_font("2u", SHOW_AB, make), "2u")
    assert {f.rule for f in report.findings if f.kind == "violation"} == {"ISO_19005_2:6.2.11.7.2-1"}


def test_cff_rescaling_keeps_glyphs_and_scales_widths() -> None:
    rewritten = _fontprograms.rescaled_cff(_cff(2048, CFF_WIDTHS), standard_encoding=False)
    assert rewritten is not None
    from fontTools.cffLib import CFFFontSet
    from fontTools.pens.basePen import NullPen

    font_set = CFFFontSet()
    font_set.decompile(io.BytesIO(rewritten), None)
    top = font_set[font_set.fontNames[0]]
    assert "FontMatrix" not in top.rawDict
    assert list(top.charset) == [".notdef", "A", "B"]
    widths = {}
    for name in ("A", "B"):
        charstring = top.CharStrings[name]
        charstring.draw(NullPen())
        widths[name] = charstring.width
    assert widths == pytest.approx({"A": 1229 * 1000 / 2048, "B": 1100 * 1000 / 2048}, abs=0.001)


def test_unreadable_cff_stays_refused(tmp_path: Path) -> None:
    assert _fontprograms.rescaled_cff(b"\x01\x00\x04\x04garbage", standard_encoding=False) is None


# --- multiple master instances ----------------------------------------------------------------------


def _mmtype1(**kwargs):
    def make(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        font = _type1c(units=1000, widths=[1229, 1100], **kwargs)(pdf)
        font.Subtype = pikepdf.Name.MMType1
        font.BaseFont = pikepdf.Name("/TestMM_400_600_")
        return font

    return make


@pytest.mark.parametrize("flavour", ["1b", "2b"])
def test_embedded_multiple_master_instance_passes(tmp_path: Path, flavour: str) -> None:
    data = _with_font(flavour, SHOW_AB, _mmtype1())
    pike = pikepdf.pdfa.validate_written(io.BytesIO(data), flavour)
    assert [f.rule for f in pike.findings] == [_fontprograms.MMTYPE1_RULE]
    report = _check(tmp_path, data, flavour)
    assert report.passed, report.failures


def test_multiple_master_instance_is_checked_as_type1(tmp_path: Path) -> None:
    def make(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        font = _mmtype1()(pdf)
        font.LastChar = 67
        font.Widths = [1229, 1100, 500]
        return font

    missing = _with_font("2b", b"BT /F1 12 Tf 10 10 Td (ABC) Tj ET", make)
    assert _rules(_check(tmp_path, missing, "2b")) == {"ISO_19005_2:6.2.11.4.1-2"}

    def unembedded(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        font = _mmtype1()(pdf)
        del font.FontDescriptor["/FontFile3"]
        return font

    report = _check(tmp_path, _with_font("2b", SHOW_AB, unembedded), "2b")
    assert _rules(report) == {"ISO_19005_2:6.2.11.4.1-1"}


# --- CIDSet of a subset CIDFontType2 -----------------------------------------------------------------

TT_WIDTHS = [500, 600, 700, 800]  # .notdef, g1, g2, g3: CIDs 0..3 under /Identity


def _cidfont_type2(
    *,
    cidset: bytes | None = None,
    cid_to_gid: bytes | None = None,
    encoding: object = "/Identity-H",
    w: list | None = None,
    name: str = "/ABCDEF+Test",
    extra: dict | None = None,
    system_info=("Adobe", "Identity", 0),
):
    def make(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
        entries: dict[str, object] = {"FontFile2": pdf.make_stream(_truetype(TT_WIDTHS))}
        if cidset is not None:
            entries["CIDSet"] = pdf.make_stream(cidset)
        registry, ordering, supplement = system_info
        cidfont = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.CIDFontType2,
            BaseFont=pikepdf.Name(name),
            CIDSystemInfo=pikepdf.Dictionary(
                Registry=pikepdf.String(registry), Ordering=pikepdf.String(ordering), Supplement=supplement
            ),
            FontDescriptor=_descriptor(pdf, name, 4, **entries),
            DW=1000,
            W=w if w is not None else [1, [600, 700, 800]],
            CIDToGIDMap=pdf.make_stream(cid_to_gid) if cid_to_gid is not None else pikepdf.Name.Identity,
            **(extra or {}),
        )
        enc = encoding(pdf) if callable(encoding) else pikepdf.Name(encoding)
        return pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=pikepdf.Name(name),
            Encoding=enc,
            DescendantFonts=[pdf.make_indirect(cidfont)],
        )

    return make


def test_cidset_listing_every_cid_passes(tmp_path: Path) -> None:
    data = _with_font("2b", SHOW_CIDS, _cidfont_type2(cidset=bytes([0xF0])))
    pike = pikepdf.pdfa.validate_written(io.BytesIO(data), "2b")
    assert any(_fontprograms.is_cidset_refusal(f.rule, f.message) for f in pike.findings)
    report = _check(tmp_path, data, "2b")
    assert report.passed, report.failures


def test_cidset_without_cid_0_passes(tmp_path: Path) -> None:
    # veraPDF does not ask for CID 0 (.notdef)
    assert _check(tmp_path, _with_font("2b", SHOW_CIDS, _cidfont_type2(cidset=bytes([0x70]))), "2b").passed


@pytest.mark.parametrize(
    ("cidset", "why"),
    [(bytes([0xD0]), "not in /CIDSet: 2"), (bytes([0xF8]), "not in the program: 4"), (bytes([0x40]), "3")],
)
def test_cidset_listing_too_few_or_too_many_cids_fails(tmp_path: Path, cidset: bytes, why: str) -> None:
    for flavour in ("2b", "3b"):
        report = _check(tmp_path, _with_font(flavour, SHOW_CIDS, _cidfont_type2(cidset=cidset)), flavour)
        spec = "ISO_19005_2" if flavour == "2b" else "ISO_19005_3"
        assert _rules(report) == {f"{spec}:6.2.11.4.2-2"}
        assert why in report.failures[0].message
        assert report.failures[0].kind == "violation"


def test_cidset_with_cid_to_gid_map_stream(tmp_path: Path) -> None:
    # CIDs 1 and 2 map to glyphs 2 and 1; the map holds 3 CIDs, so those are the CIDs present
    mapping = bytes([0, 0, 0, 2, 0, 1])
    widths = [1, [700, 600]]
    ok = _cidfont_type2(cidset=bytes([0x60]), cid_to_gid=mapping, w=widths)
    assert _check(tmp_path, _with_font("2b", SHOW_CIDS, ok), "2b").passed
    short = _cidfont_type2(cidset=bytes([0x40]), cid_to_gid=mapping, w=widths)
    assert _rules(_check(tmp_path, _with_font("2b", SHOW_CIDS, short), "2b")) == {"ISO_19005_2:6.2.11.4.2-2"}
    # CID 3 is beyond the map
    extra = _cidfont_type2(cidset=bytes([0x70]), cid_to_gid=mapping, w=widths)
    assert _rules(_check(tmp_path, _with_font("2b", SHOW_CIDS, extra), "2b")) == {"ISO_19005_2:6.2.11.4.2-2"}


def test_cidset_does_not_hide_the_rest_of_the_font(tmp_path: Path) -> None:
    # A width off by 100: pikepdf sees it in the copy without the CIDSet
    data = _with_font("2b", SHOW_CIDS, _cidfont_type2(cidset=bytes([0xF0]), w=[1, [600, 800, 800]]))
    assert _rules(_check(tmp_path, data, "2b")) == {"ISO_19005_2:6.2.11.5-1"}


# --- vertical writing ----------------------------------------------------------------------------


def test_identity_v_passes(tmp_path: Path) -> None:
    font = _cidfont_type2(encoding="/Identity-V", extra={"W2": [1, [-1000, 250, 880]], "DW2": [880, -1000]})
    data = _with_font("2b", SHOW_CIDS, font)
    pike = pikepdf.pdfa.validate_written(io.BytesIO(data), "2b")
    assert {f.rule for f in pike.findings} == {"pikepdf:font-vertical"}
    report = _check(tmp_path, data, "2b")
    assert report.passed, report.failures


def test_identity_v_is_checked_as_identity_h(tmp_path: Path) -> None:
    wrong = _with_font("2b", SHOW_CIDS, _cidfont_type2(encoding="/Identity-V", w=[1, [600, 900, 800]]))
    assert _rules(_check(tmp_path, wrong, "2b")) == {"ISO_19005_2:6.2.11.5-1"}
    # CID 5 is not in the program
    missing = _with_font("2b", b"BT /F1 12 Tf 10 10 Td <0005> Tj ET", _cidfont_type2(encoding="/Identity-V"))
    assert _rules(_check(tmp_path, missing, "2b")) == {"ISO_19005_2:6.2.11.4.1-2"}


def _embedded_cmap(
    *, wmode: int = 0, dict_wmode: int | None = None, use: str | None = None, body_use: str = ""
):
    """An embedded CMap, Adobe-Japan1-2, mapping the two-byte codes 0001..0003 to CIDs 1..3."""
    text = f"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo 3 dict dup begin
  /Registry (Adobe) def
  /Ordering (Japan1) def
  /Supplement 2 def
end def
/CMapName /Test-Japan1 def
/CMapType 1 def
{body_use}
/WMode {wmode} def
1 begincodespacerange
<0000> <00FF>
endcodespacerange
1 begincidrange
<0001> <0003> 1
endcidrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
""".encode()

    def make(pdf: pikepdf.Pdf) -> pikepdf.Stream:
        stream = pdf.make_stream(
            text,
            Type=pikepdf.Name.CMap,
            CMapName=pikepdf.Name("/Test-Japan1"),
            CIDSystemInfo=pikepdf.Dictionary(
                Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Japan1"), Supplement=2
            ),
            WMode=wmode if dict_wmode is None else dict_wmode,
        )
        if use is not None:
            stream.UseCMap = pikepdf.Name(use)
        return pdf.make_indirect(stream)

    return make


JAPAN1 = ("Adobe", "Japan1", 2)


def test_embedded_cmap_of_wmode_1_passes(tmp_path: Path) -> None:
    font = _cidfont_type2(encoding=_embedded_cmap(wmode=1), system_info=JAPAN1)
    report = _check(tmp_path, _with_font("2b", SHOW_CIDS, font), "2b")
    assert report.passed, report.failures


def test_embedded_cmap_of_wmode_1_is_still_checked(tmp_path: Path) -> None:
    mismatch = _cidfont_type2(encoding=_embedded_cmap(wmode=0, dict_wmode=1), system_info=JAPAN1)
    assert _rules(_check(tmp_path, _with_font("2b", SHOW_CIDS, mismatch), "2b")) == {
        "ISO_19005_2:6.2.11.3.3-2"
    }
    wrong = _cidfont_type2(encoding=_embedded_cmap(wmode=1), system_info=JAPAN1, w=[1, [600, 900, 800]])
    assert _rules(_check(tmp_path, _with_font("2b", SHOW_CIDS, wrong), "2b")) == {"ISO_19005_2:6.2.11.5-1"}
    # The CIDFont's character collection must be the CMap's (6.2.11.3.1)
    korea = _cidfont_type2(encoding=_embedded_cmap(wmode=1), system_info=("Adobe", "Korea1", 2))
    assert "ISO_19005_2:6.2.11.3.1-1" in _rules(_check(tmp_path, _with_font("2b", SHOW_CIDS, korea), "2b"))


# --- CMaps that use another CMap ---------------------------------------------------------------------


@pytest.mark.parametrize("how", ["key", "operator"])
def test_cmap_using_a_predefined_cmap_passes(tmp_path: Path, how: str) -> None:
    cmap = _embedded_cmap(use="/H") if how == "key" else _embedded_cmap(body_use="/H usecmap")
    report = _check(
        tmp_path, _with_font("2b", SHOW_CIDS, _cidfont_type2(encoding=cmap, system_info=JAPAN1)), "2b"
    )
    assert report.passed, report.failures


def test_cmap_using_an_unknown_cmap_fails(tmp_path: Path) -> None:
    cmap = _embedded_cmap(use="/Qujat-Private-H")
    report = _check(
        tmp_path, _with_font("2b", SHOW_CIDS, _cidfont_type2(encoding=cmap, system_info=JAPAN1)), "2b"
    )
    assert _rules(report) == {"ISO_19005_2:6.2.11.3.3-3"}


def test_cmap_using_a_predefined_cmap_is_still_checked(tmp_path: Path) -> None:
    wrong = _cidfont_type2(encoding=_embedded_cmap(use="/H"), system_info=JAPAN1, w=[1, [600, 900, 800]])
    assert _rules(_check(tmp_path, _with_font("2b", SHOW_CIDS, wrong), "2b")) == {"ISO_19005_2:6.2.11.5-1"}
    newer = _cidfont_type2(encoding=_embedded_cmap(use="/H"), system_info=("Adobe", "Japan1", 4))
    assert _rules(_check(tmp_path, _with_font("2b", SHOW_CIDS, newer), "2b")) == {"ISO_19005_2:6.2.11.3.1-1"}


def test_code_left_to_the_predefined_cmap_is_not_checked(tmp_path: Path) -> None:
    # <2121> is outside the embedded CMap's codespace: /H may map it, which is not checked here
    data = _with_font(
        "2b",
        b"BT /F1 12 Tf 10 10 Td <00012121> Tj ET",
        _cidfont_type2(encoding=_embedded_cmap(use="/H"), system_info=JAPAN1),
    )
    report = _check(tmp_path, data, "2b")
    assert not report.passed
    assert [(f.rule, f.kind) for f in report.failures] == [("pikepdf:font-cmap", "unsupported")]
    assert "outside the embedded CMap's codespace" in report.failures[0].message
    assert "/H" in report.failures[0].message


def test_code_the_embedded_cmap_leaves_unmapped_is_not_checked(tmp_path: Path) -> None:
    # <0004> is in the embedded codespace but not mapped there: /H may map it
    data = _with_font(
        "2b",
        b"BT /F1 12 Tf 10 10 Td <00010004> Tj ET",
        _cidfont_type2(encoding=_embedded_cmap(use="/H"), system_info=JAPAN1),
    )
    report = _check(tmp_path, data, "2b")
    assert [(f.rule, f.kind) for f in report.failures] == [("pikepdf:font-cmap", "unsupported")]
    assert report.failures[0].message.startswith("code <0004> is not mapped by the embedded CMap")
    # Without a CMap it uses, the same code selects .notdef: a violation (ISO 19005-2 6.2.11.8)
    plain = _with_font(
        "2b",
        b"BT /F1 12 Tf 10 10 Td <00010004> Tj ET",
        _cidfont_type2(encoding=_embedded_cmap(), system_info=JAPAN1),
    )
    assert _rules(_check(tmp_path, plain, "2b")) == {"ISO_19005_2:6.2.11.8-1"}


def test_cmap_using_a_predefined_cmap_stays_refused_in_pdfa_1(tmp_path: Path) -> None:
    # ISO 19005-1 asks every CMap but Identity-H and Identity-V to be embedded, and /H is not
    font = _cidfont_type2(encoding=_embedded_cmap(use="/H"), system_info=JAPAN1, name="/Test")
    report = _check(tmp_path, _with_font("1b", SHOW_CIDS, font), "1b")
    assert not report.passed
    assert {f.kind for f in report.failures} == {"unsupported"}
