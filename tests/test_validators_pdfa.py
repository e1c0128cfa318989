"""Tests of `validators.pdfa`: PDFs built here with pikepdf, then broken byte by byte, one rule at a time."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest

from validators.pdfa import Flavour, claimed_flavour, validate_pdfa

CORPUS = Path(__file__).parents[2] / "shared" / "corpus"


def _write_pdfa(flavour: str, content: bytes = b"") -> bytes:
    """A one-page PDF/A written and approved by pikepdf.pdfa, with a classic xref table and plain streams."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    if content:
        pdf.pages[0].obj.Contents = pdf.make_stream(content)
    buf = io.BytesIO()
    pikepdf.pdfa.save(
        pdf, buf, flavour, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False
    )
    return buf.getvalue()


def _fix_xref(data: bytes) -> bytes:
    """Rewrite the xref table and startxref after an edit that moved objects (one xref section only)."""
    offsets = {int(m.group(1)): m.start() for m in re.finditer(rb"(?m)^(\d+) +0 obj", data)}
    start = data.rindex(b"\nxref") + 1
    size = max(offsets) + 1
    rows = [b"0000000000 65535 f \n"] + [
        (b"%010d 00000 n \n" % offsets[n]) if n in offsets else b"0000000000 00000 f \n"
        for n in range(1, size)
    ]
    trailer = data[data.index(b"trailer", start) : data.index(b"startxref", start)]
    return (
        data[:start] + b"xref\n0 %d\n" % size + b"".join(rows) + trailer + b"startxref\n%d\n%%%%EOF\n" % start
    )


def _check(tmp_path: Path, data: bytes, flavour: str):
    path = tmp_path / "candidate.pdf"
    path.write_bytes(data)
    return validate_pdfa(path, flavour)


def _rules(report) -> set[str]:
    return {f.rule for f in report.failures}


def _with_metadata(base: bytes, xmp: bytes) -> bytes:
    """*base* with its XMP packet replaced, written by qpdf with a classic xref table."""
    with pikepdf.open(io.BytesIO(base)) as pdf:
        pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        buf = io.BytesIO()
        # fix_metadata_version would have pikepdf rewrite the packet, and the test is about its exact form
        pdf.save(
            buf,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            compress_streams=False,
            fix_metadata_version=False,
        )
    return buf.getvalue()


# -- the baseline ---------------------------------------------------------------------------------


@pytest.mark.parametrize("flavour", ["1b", "2b", "3b"])
def test_pikepdf_pdfa_output_passes(tmp_path: Path, flavour: str) -> None:
    report = _check(tmp_path, _write_pdfa(flavour), flavour)
    assert report.passed, [f.to_dict() for f in report.findings]
    assert report.kind == "pdfa"
    assert report.flavour == flavour


def test_report_to_dict_shape(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, pdfa2b.replace(b"%PDF-1.", b"%PDX-1.", 1), "2b")
    finding = report.to_dict()["findings"][0]
    assert set(finding) == {"rule", "where", "message", "kind"}


@pytest.mark.parametrize("flavour", ["1a", "2a", "3u", "4"])
def test_unsupported_flavours_raise(tmp_path: Path, pdfa2b: bytes, flavour: str) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdfa2b)
    with pytest.raises(ValueError, match="not supported"):
        validate_pdfa(path, flavour)


def test_flavour_enum() -> None:
    assert Flavour("2u").part == 2
    assert Flavour.PDFA_2U.conformance == "U"
    assert [str(f) for f in Flavour] == ["1b", "2b", "2u", "3b"]


def test_claimed_flavour(tmp_path: Path, pdfa2b: bytes) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(pdfa2b)
    assert claimed_flavour(path) == "2b"
    path.write_bytes(pdfa2b.replace(b"<pdfaid:conformance>B<", b"<pdfaid:conformance>U<"))
    assert claimed_flavour(path) == "2u"
    plain = tmp_path / "plain.pdf"
    pikepdf.new().save(plain)
    assert claimed_flavour(plain) is None


# -- file structure (clause 6.1) ------------------------------------------------------------------


def test_broken_header(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, pdfa2b.replace(b"%PDF-1.", b"%PDX-1.", 1), "2b")
    assert "ISO_19005_2:6.1.2-1" in _rules(report)


def test_header_not_at_offset_zero(tmp_path: Path, pdfa1b: bytes) -> None:
    report = _check(tmp_path, _fix_xref(b"\n" + pdfa1b), "1b")
    assert "ISO_19005_1:6.1.2-1" in _rules(report)


def test_missing_binary_comment(tmp_path: Path, pdfa2b: bytes) -> None:
    eol = pdfa2b.index(b"\n")
    broken = pdfa2b[: eol + 1] + b"%abcd" + pdfa2b[eol + 6 :]
    assert len(broken) == len(pdfa2b)
    report = _check(tmp_path, broken, "2b")
    assert _rules(report) == {"ISO_19005_2:6.1.2-2"}


def test_wrong_stream_length(tmp_path: Path, pdfa2b: bytes) -> None:
    m = re.search(rb"/Length (\d\d\d)\b", pdfa2b)
    assert m is not None
    broken = pdfa2b[: m.start(1)] + b"%d" % (int(m.group(1)) - 1) + pdfa2b[m.end(1) :]
    report = _check(tmp_path, broken, "2b")
    assert "ISO_19005_2:6.1.7.1-1" in _rules(report)


def test_stream_keyword_followed_by_cr_alone(tmp_path: Path, pdfa2b: bytes) -> None:
    broken = pdfa2b.replace(b"stream\n", b"stream\r", 1)
    report = _check(tmp_path, broken, "2b")
    assert "ISO_19005_2:6.1.7.1-2" in _rules(report)


def test_stream_keyword_followed_by_space(tmp_path: Path, pdfa1b: bytes) -> None:
    report = _check(tmp_path, _fix_xref(pdfa1b.replace(b"stream\n", b"stream \n", 1)), "1b")
    assert "ISO_19005_1:6.1.7-2" in _rules(report)


def test_endstream_without_eol(tmp_path: Path, pdfa2b: bytes) -> None:
    broken = _fix_xref(pdfa2b.replace(b"\nendstream", b"endstream", 1))
    report = _check(tmp_path, broken, "2b")
    assert "ISO_19005_2:6.1.7.1-2" in _rules(report)


def test_missing_trailer_id(tmp_path: Path, pdfa2b: bytes) -> None:
    m = re.search(rb"/ID \[<[0-9a-f]+><[0-9a-f]+>\]", pdfa2b)
    assert m is not None
    broken = pdfa2b[: m.start()] + b" " * (m.end() - m.start()) + pdfa2b[m.end() :]
    report = _check(tmp_path, broken, "2b")
    assert "ISO_19005_2:6.1.3-1" in _rules(report)


def test_garbage_after_eof(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, pdfa2b + b"garbage\n", "2b")
    assert _rules(report) == {"ISO_19005_2:6.1.3-3"}


@pytest.mark.parametrize("tail", [b"", b"\r\n", b"\r"])
def test_single_eol_after_eof_is_fine(tmp_path: Path, pdfa2b: bytes, tail: bytes) -> None:
    assert pdfa2b.endswith(b"%%EOF\n")
    report = _check(tmp_path, pdfa2b[:-1] + tail, "2b")
    assert report.passed, [f.to_dict() for f in report.findings]


def test_two_eols_after_xref_keyword(tmp_path: Path, pdfa1b: bytes) -> None:
    report = _check(tmp_path, pdfa1b.replace(b"\nxref\n", b"\nxref\n\n", 1), "1b")
    assert "ISO_19005_1:6.1.4-2" in _rules(report)


def test_subsection_header_with_two_spaces(tmp_path: Path, pdfa1b: bytes) -> None:
    broken = re.sub(rb"\nxref\n0 (\d+)\n", rb"\nxref\n0  \1\n", pdfa1b)
    report = _check(tmp_path, broken, "1b")
    assert "ISO_19005_1:6.1.4-1" in _rules(report)


def test_short_xref_entry(tmp_path: Path, pdfa2b: bytes) -> None:
    broken = re.sub(rb"(\d{10} 00000 n) \n", rb"\1\n", pdfa2b, count=1)
    report = _check(tmp_path, broken, "2b")
    assert "pdf:xref-entry" in _rules(report)


def test_endobj_not_on_its_own_line(tmp_path: Path, pdfa2b: bytes) -> None:
    broken = pdfa2b.replace(b">>\nendobj", b">> endobj", 1)
    report = _check(tmp_path, broken, "2b")
    assert "ISO_19005_2:6.1.9-1" in _rules(report)


def test_obj_header_with_two_spaces(tmp_path: Path, pdfa1b: bytes) -> None:
    report = _check(tmp_path, _fix_xref(pdfa1b.replace(b"\n7 0 obj", b"\n7  0 obj", 1)), "1b")
    assert "ISO_19005_1:6.1.8-1" in _rules(report)


def test_hex_string_with_non_hex_digit(tmp_path: Path, pdfa2b: bytes) -> None:
    m = re.search(rb"/ID \[<([0-9a-f])", pdfa2b)
    assert m is not None
    broken = pdfa2b[: m.start(1)] + b"z" + pdfa2b[m.end(1) :]
    report = _check(tmp_path, broken, "2b")
    assert "ISO_19005_2:6.1.6-2" in _rules(report)


def test_odd_hex_string_inside_an_object_stream(tmp_path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.Root.PieceInfo = pdf.make_indirect(pikepdf.Dictionary(Note=pikepdf.String(b"\x01\x02\x03")))
    buf = io.BytesIO()
    pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=False)
    data = buf.getvalue()
    assert b"<010203>" in data
    report = _check(tmp_path, data.replace(b"<010203>", b"<01020 >"), "2b")
    assert "ISO_19005_2:6.1.6-1" in _rules(report)


def test_object_at_a_wrong_offset_is_still_checked(tmp_path: Path, pdfa1b: bytes) -> None:
    # Shift every object by one byte without fixing the xref table: readers still find them
    broken = pdfa1b.replace(b"\n1 0 obj", b"\n 1 0 obj", 1)
    report = _check(tmp_path, broken, "1b")
    assert "ISO_19005_1:6.1.8-1" in _rules(report)


def test_encrypted_file(tmp_path: Path, pdfa2b: bytes) -> None:
    with pikepdf.open(io.BytesIO(pdfa2b)) as pdf:
        buf = io.BytesIO()
        pdf.save(buf, encryption=pikepdf.Encryption(owner="o", user="", aes=True))
    report = _check(tmp_path, buf.getvalue(), "2b")
    assert "ISO_19005_2:6.1.3-2" in _rules(report)


def test_file_that_needs_a_password_is_named_as_the_file(tmp_path: Path, pdfa2b: bytes) -> None:
    with pikepdf.open(io.BytesIO(pdfa2b)) as pdf:
        buf = io.BytesIO()
        pdf.save(buf, encryption=pikepdf.Encryption(owner="o", user="secret", aes=True))
    report = _check(tmp_path, buf.getvalue(), "2b")
    assert not report.passed
    assert "ISO_19005_2:6.1.3-2" in _rules(report)
    unreadable = [f for f in report.findings if f.rule == "pikepdf:internal"]
    assert unreadable and "password" in unreadable[0].message
    # Not the name of an in-memory copy with its address, which means nothing to a reader
    assert all("BytesIO" not in f.where and "BytesIO" not in f.message for f in report.findings)
    assert unreadable[0].where == "the file"


def test_every_finding_is_collected(tmp_path: Path, pdfa2b: bytes) -> None:
    eol = pdfa2b.index(b"\n")
    broken = b"%PDX" + pdfa2b[4 : eol + 1] + b"%abcd" + pdfa2b[eol + 6 :] + b"junk"
    report = _check(tmp_path, broken, "2b")
    assert {"ISO_19005_2:6.1.2-1", "ISO_19005_2:6.1.2-2", "ISO_19005_2:6.1.3-3"} <= _rules(report)


def test_truncated_file_is_a_verdict_not_an_exception(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, pdfa2b[: len(pdfa2b) // 2], "2b")
    assert not report.passed


# -- no OutputIntent ------------------------------------------------------------------------------


def _without_output_intent(base: bytes, *, alpha: float | None = None, group: bool = False) -> bytes:
    with pikepdf.open(io.BytesIO(base)) as pdf:
        del pdf.Root.OutputIntents
        page = pdf.pages[0].obj
        if alpha is not None:
            gs = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=alpha)
            page.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(GS1=gs))
            page.Contents = pdf.make_stream(b"/GS1 gs")
        if group:
            page.Group = pikepdf.Dictionary(
                S=pikepdf.Name.Transparency,
                CS=pikepdf.Array([pikepdf.Name.CalRGB, pikepdf.Dictionary(WhitePoint=[1, 1, 1])]),
            )
        buf = io.BytesIO()
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    return buf.getvalue()


@pytest.mark.parametrize("flavour", ["1b", "2b"])
def test_no_output_intent_and_no_device_colour_passes(tmp_path: Path, flavour: str) -> None:
    report = _check(tmp_path, _without_output_intent(_write_pdfa(flavour)), flavour)
    assert report.passed, [f.to_dict() for f in report.findings]


def test_transparency_without_output_intent_needs_a_blending_space(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, _without_output_intent(pdfa2b, alpha=0.5), "2b")
    assert _rules(report) == {"ISO_19005_2:6.2.10-2"}
    report = _check(tmp_path, _without_output_intent(pdfa2b, alpha=0.5, group=True), "2b")
    assert "ISO_19005_2:6.2.10-2" not in _rules(report)


# -- XMP properties and extension schemas ---------------------------------------------------------

_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
      <pdfaid:part>2</pdfaid:part>
      <pdfaid:conformance>{conformance}</pdfaid:conformance>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:qj="http://example.org/ns/qujat/">
      <qj:shelfmark>{shelfmark}</qj:shelfmark>
    </rdf:Description>
    {extension}
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""

_EXTENSION = """<rdf:Description rdf:about=""
        xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
        xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
        xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
      <pdfaExtension:schemas>
        <rdf:Bag>
          <rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>qujat archive schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>http://example.org/ns/qujat/</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>qj</pdfaSchema:prefix>
            <pdfaSchema:property>
              <rdf:Seq>
                <rdf:li rdf:parseType="Resource">
                  <pdfaProperty:name>shelfmark</pdfaProperty:name>
                  <pdfaProperty:valueType>{value_type}</pdfaProperty:valueType>
                  {category}
                  <pdfaProperty:description>Where the record is shelved</pdfaProperty:description>
                </rdf:li>
              </rdf:Seq>
            </pdfaSchema:property>
          </rdf:li>
        </rdf:Bag>
      </pdfaExtension:schemas>
    </rdf:Description>"""


def _xmp(
    *,
    conformance: str = "B",
    shelfmark: str = "42",
    declared: bool = True,
    value_type: str = "Integer",
    category: str = "<pdfaProperty:category>external</pdfaProperty:category>",
) -> bytes:
    extension = _EXTENSION.format(value_type=value_type, category=category) if declared else ""
    return _XMP.format(conformance=conformance, shelfmark=shelfmark, extension=extension).encode()


def test_property_declared_by_extension_schema_passes(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, _with_metadata(pdfa2b, _xmp()), "2b")
    assert report.passed, [f.to_dict() for f in report.findings]


def test_undeclared_property_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, _with_metadata(pdfa2b, _xmp(declared=False)), "2b")
    assert _rules(report) == {"ISO_19005_2:6.6.2.3.1-1"}
    assert any("qj:shelfmark" in f.message for f in report.failures)


def test_declared_property_of_the_wrong_type_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, _with_metadata(pdfa2b, _xmp(shelfmark="shelf 4")), "2b")
    assert _rules(report) == {"ISO_19005_2:6.6.2.3.1-2"}


def test_extension_schema_without_category_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, _with_metadata(pdfa2b, _xmp(category="")), "2b")
    assert "ISO_19005_2:6.6.2.3.3-9" in _rules(report)


def test_extension_schema_with_undefined_value_type_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, _with_metadata(pdfa2b, _xmp(value_type="Shelfmark")), "2b")
    assert "ISO_19005_2:6.6.2.3.3-8" in _rules(report)


def test_predefined_exif_property_passes(tmp_path: Path, pdfa2b: bytes) -> None:
    xmp = _xmp(declared=False).replace(
        b'<rdf:Description rdf:about="" xmlns:qj="http://example.org/ns/qujat/">\n'
        b"      <qj:shelfmark>42</qj:shelfmark>",
        b'<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/">\n'
        b"      <exif:PixelXDimension>640</exif:PixelXDimension>",
    )
    report = _check(tmp_path, _with_metadata(pdfa2b, xmp), "2b")
    assert report.passed, [f.to_dict() for f in report.findings]


_PAGE_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:qj="http://example.org/ns/qujat/">
      <qj:{name}>7</qj:{name}>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


@pytest.mark.parametrize(("name", "rules"), [("shelfmark", set()), ("box", {"ISO_19005_2:6.6.2.3.1-1"})])
def test_page_metadata_uses_the_catalog_declarations(
    tmp_path: Path, pdfa2b: bytes, name: str, rules: set[str]
) -> None:
    with pikepdf.open(io.BytesIO(_with_metadata(pdfa2b, _xmp()))) as pdf:
        xmp = _PAGE_XMP.format(name=name).encode()
        page = pdf.pages[0].obj
        page.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        buf = io.BytesIO()
        pdf.save(buf)
    report = _check(tmp_path, buf.getvalue(), "2b")
    assert _rules(report) == rules, [f.to_dict() for f in report.findings]


def test_page_metadata_properties_are_not_read_in_pdfa1(tmp_path: Path, pdfa1b: bytes) -> None:
    # veraPDF reads the properties of the catalog's packet alone in PDF/A-1: an undeclared one in a
    # page's packet is no fault there (it is in PDF/A-2, above)
    with pikepdf.open(io.BytesIO(pdfa1b)) as pdf:
        page = pdf.pages[0].obj
        xmp = _PAGE_XMP.format(name="box").encode()
        page.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        buf = io.BytesIO()
        pdf.save(buf)
    report = _check(tmp_path, buf.getvalue(), "1b")
    assert report.passed, [f.to_dict() for f in report.findings]


@pytest.mark.parametrize(("about", "passes"), [('rdf:about="uuid:1234"', True), ("", False)])
def test_descriptions_about_different_resources(
    tmp_path: Path, pdfa2b: bytes, about: str, passes: bool
) -> None:
    xmp = _xmp().replace(
        b'<rdf:Description rdf:about="" xmlns:qj=', b"<rdf:Description " + about.encode() + b" xmlns:qj="
    )
    report = _check(tmp_path, _with_metadata(pdfa2b, xmp), "2b")
    assert report.passed is passes, [f.to_dict() for f in report.findings]


# -- PDF/A-2u -------------------------------------------------------------------------------------


def test_2u_claim_passes_as_2u_and_2b(tmp_path: Path, pdfa2b: bytes) -> None:
    data = pdfa2b.replace(b"<pdfaid:conformance>B<", b"<pdfaid:conformance>U<")
    assert data != pdfa2b
    for flavour in ("2u", "2b"):
        report = _check(tmp_path, data, flavour)
        assert report.passed, (flavour, [f.to_dict() for f in report.findings])


def test_2u_needs_a_u_claim(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, pdfa2b, "2u")
    assert _rules(report) == {"ISO_19005_2:6.6.4-3"}


def _with_font(base: bytes, font: dict) -> bytes:
    with pikepdf.open(io.BytesIO(base)) as pdf:
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(
            Font=pikepdf.Dictionary(F1=pdf.make_indirect(pikepdf.Dictionary(font)))
        )
        page.Contents = pdf.make_stream(b"BT /F1 12 Tf 10 10 Td (ab) Tj ET")
        buf = io.BytesIO()
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    return buf.getvalue()


def test_2u_font_without_unicode_mapping(tmp_path: Path, pdfa2b: bytes) -> None:
    base = pdfa2b.replace(b"<pdfaid:conformance>B<", b"<pdfaid:conformance>U<")
    font = {
        "/Type": pikepdf.Name.Font,
        "/Subtype": pikepdf.Name.Type1,
        "/BaseFont": pikepdf.Name("/Custom"),
        "/Encoding": pikepdf.Dictionary(
            Differences=pikepdf.Array([97, pikepdf.Name("/g1"), pikepdf.Name("/g2")])
        ),
    }
    report = _check(tmp_path, _with_font(base, font), "2u")
    assert "ISO_19005_2:6.2.11.7.2-1" in _rules(report)
    # The same font is no Unicode problem for 2b (its other faults are pikepdf's to report)
    assert "ISO_19005_2:6.2.11.7.2-1" not in _rules(_check(tmp_path, _with_font(base, font), "2b"))


@pytest.mark.parametrize(
    ("name", "mapped"), [("A", True), ("uni0041", False), ("A.sc", False), ("a17", True)]
)
def test_2u_glyph_names_map_only_as_listed(tmp_path: Path, pdfa2b: bytes, name: str, mapped: bool) -> None:
    # veraPDF maps a glyph name through the Adobe Glyph List verbatim (or the ZapfDingbats set): the
    # list's naming conventions (uniXXXX, suffixes) do not count
    base = pdfa2b.replace(b"<pdfaid:conformance>B<", b"<pdfaid:conformance>U<")
    font = {
        "/Type": pikepdf.Name.Font,
        "/Subtype": pikepdf.Name.Type1,
        "/BaseFont": pikepdf.Name("/Custom"),
        "/Encoding": pikepdf.Dictionary(
            Differences=pikepdf.Array([97, pikepdf.Name(f"/{name}"), pikepdf.Name("/b")])
        ),
    }
    rules = _rules(_check(tmp_path, _with_font(base, font), "2u"))
    assert ("ISO_19005_2:6.2.11.7.2-1" not in rules) is mapped, rules


def test_2u_font_with_standard_encoding_is_mapped(tmp_path: Path, pdfa2b: bytes) -> None:
    base = pdfa2b.replace(b"<pdfaid:conformance>B<", b"<pdfaid:conformance>U<")
    font = {
        "/Type": pikepdf.Name.Font,
        "/Subtype": pikepdf.Name.Type1,
        "/BaseFont": pikepdf.Name("/Custom"),
        "/Encoding": pikepdf.Name.WinAnsiEncoding,
    }
    report = _check(tmp_path, _with_font(base, font), "2u")
    assert not {r for r in _rules(report) if r.startswith("ISO_19005_2:6.2.11.7.2")}


def test_2u_tounicode_to_feff_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    base = pdfa2b.replace(b"<pdfaid:conformance>B<", b"<pdfaid:conformance>U<")
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <00> <FF> "
        b"endcodespacerange\n2 beginbfchar <61> <FEFF> <62> <0062> endbfchar\nendcmap end end\n"
    )
    with pikepdf.open(io.BytesIO(base)) as pdf:
        tounicode = pdf.make_stream(cmap)
        font = {
            "/Type": pikepdf.Name.Font,
            "/Subtype": pikepdf.Name.Type1,
            "/BaseFont": pikepdf.Name("/Custom"),
            "/Encoding": pikepdf.Name.WinAnsiEncoding,
            "/ToUnicode": tounicode,
        }
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(
            Font=pikepdf.Dictionary(F1=pdf.make_indirect(pikepdf.Dictionary(font)))
        )
        page.Contents = pdf.make_stream(b"BT /F1 12 Tf 10 10 Td (ab) Tj ET")
        buf = io.BytesIO()
        pdf.save(buf)
    report = _check(tmp_path, buf.getvalue(), "2u")
    assert "ISO_19005_2:6.2.11.7.2-2" in _rules(report)


# -- the veraPDF corpus ---------------------------------------------------------------------------


@pytest.mark.corpus
def test_no_false_approvals_on_the_developer_corpus() -> None:
    root = CORPUS / "pdfa"
    if not root.is_dir():
        pytest.skip(f"corpus not present at {root}")
    approved: list[str] = []
    checked = 0
    for folder in sorted(root.glob("PDF_A-*")):
        flavour = folder.name.removeprefix("PDF_A-").lower()
        if flavour not in set(Flavour):
            continue
        for path in sorted(folder.rglob("*-fail-*.pdf")):
            checked += 1
            if validate_pdfa(path, flavour).passed:
                approved.append(str(path.relative_to(root)))
    assert checked > 0
    assert approved == []


# --- shadings -------------------------------------------------------------------------------------------


def _with_shading(
    base: bytes,
    *,
    colour_space: object = None,
    function: object = None,
    extgstate: dict | None = None,
    default_rgb: bool = False,
) -> bytes:
    """*base* with an axial shading painted by sh (as LibreOffice paints gradients), written by qpdf."""
    with pikepdf.open(io.BytesIO(base)) as pdf:
        if function is None:
            function = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 0, 0], C1=[0, 0, 1], N=1)
        shading = pdf.make_indirect(
            pikepdf.Dictionary(
                ShadingType=2,
                ColorSpace=pikepdf.Name.DeviceRGB if colour_space is None else colour_space,
                Coords=[0, 0, 200, 200],
                Extend=[True, True],
                Function=function,
            )
        )
        page = pdf.pages[0].obj
        resources = pikepdf.Dictionary(Shading=pikepdf.Dictionary(Sh1=shading))
        content = b"q 0 0 100 100 re W n /Sh1 sh Q"
        if extgstate is not None:
            resources.ExtGState = pikepdf.Dictionary(GS1=pikepdf.Dictionary(extgstate))
            content = b"q /GS1 gs 0 0 100 100 re W n /Sh1 sh Q"
        if default_rgb:
            icc = next(iter(pdf.Root.OutputIntents)).DestOutputProfile
            resources.ColorSpace = pikepdf.Dictionary(DefaultRGB=pikepdf.Array([pikepdf.Name.ICCBased, icc]))
        page.Resources = resources
        page.Contents = pdf.make_stream(content)
        buf = io.BytesIO()
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    return buf.getvalue()


def test_shading_in_the_output_intent_colour_space_passes(tmp_path: Path, pdfa2b: bytes) -> None:
    # pikepdf.pdfa reports sh and /Shading resources as unchecked; our checks settle both
    report = _check(tmp_path, _with_shading(pdfa2b), "2b")
    assert report.passed, report.failures


def test_shading_in_device_cmyk_with_an_rgb_output_intent_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    function = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 0, 0, 0], N=1)
    data = _with_shading(pdfa2b, colour_space=pikepdf.Name.DeviceCMYK, function=function)
    report = _check(tmp_path, data, "2b")
    assert not report.passed
    assert "ISO_19005_2:6.2.4.3-3" in _rules(report)


def test_shading_in_device_rgb_without_output_intent_fails(tmp_path: Path, pdfa1b: bytes) -> None:
    with pikepdf.open(io.BytesIO(_with_shading(pdfa1b))) as pdf:
        del pdf.Root.OutputIntents
        buf = io.BytesIO()
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    report = _check(tmp_path, buf.getvalue(), "1b")
    assert not report.passed
    assert "ISO_19005_1:6.2.3.3-1" in _rules(report)


def test_shading_with_a_device_independent_default_passes(tmp_path: Path, pdfa2b: bytes) -> None:
    function = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 0, 0, 0], N=1)
    data = _with_shading(pdfa2b, colour_space=pikepdf.Name.DeviceCMYK, function=function, default_rgb=True)
    # A DefaultRGB does not stand in for DeviceCMYK
    assert "ISO_19005_2:6.2.4.3-3" in _rules(_check(tmp_path, data, "2b"))
    assert _check(tmp_path, _with_shading(pdfa2b, default_rgb=True), "2b").passed


def test_shading_with_a_malformed_function_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    # Two outputs for a colour space of three components
    function = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 0], C1=[0, 1], N=1)
    report = _check(tmp_path, _with_shading(pdfa2b, function=function), "2b")
    assert "pikepdf:schema-Shading" in _rules(report)


def test_shading_with_a_pattern_colour_space_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, _with_shading(pdfa2b, colour_space=pikepdf.Name.Pattern), "2b")
    assert "pikepdf:schema-Shading" in _rules(report)


def test_shading_resource_missing_from_the_stream_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    with pikepdf.open(io.BytesIO(_with_shading(pdfa2b))) as pdf:
        pdf.pages[0].obj.Contents = pdf.make_stream(b"/Sh2 sh")
        buf = io.BytesIO()
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    assert "ISO_19005_2:6.2.2-2" in _rules(_check(tmp_path, buf.getvalue(), "2b"))


def test_resources_beside_a_shading_are_still_checked(tmp_path: Path, pdfa2b: bytes) -> None:
    # pikepdf checks nothing below a resource dictionary it refuses for its /Shading: a transfer function
    # in a graphics state there (ISO 19005-2 6.2.5) must still be found
    data = _with_shading(pdfa2b, extgstate={"/TR": pikepdf.Name.Identity})
    report = _check(tmp_path, data, "2b")
    assert not report.passed
    assert any("ExtGState" in f.where for f in report.failures), report.failures


def test_shading_colour_space_structure_is_checked(tmp_path: Path, pdfa2b: bytes) -> None:
    # An ICCBased space whose profile is not an ICC profile, used only by a shading
    with pikepdf.open(io.BytesIO(_with_shading(pdfa2b))) as pdf:
        stream = pdf.make_stream(b"not an ICC profile" * 10, N=3)
        shading = pdf.pages[0].obj.Resources.Shading.Sh1
        shading.ColorSpace = pikepdf.Array([pikepdf.Name.ICCBased, stream])
        buf = io.BytesIO()
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    report = _check(tmp_path, buf.getvalue(), "2b")
    assert not report.passed
    assert any("ICCBased" in f.where or "ICC" in f.message for f in report.failures), report.failures


@pytest.mark.soffice
def test_libreoffice_gradient_passes(tmp_path: Path) -> None:
    # A PPTX shape with a gradient fill: LibreOffice paints it with sh and an axial shading in DeviceRGB
    pptx = pytest.importorskip("pptx")
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    from converter import convert

    prs = pptx.Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(1), Inches(1), Inches(4), Inches(3))
    shape.fill.gradient()
    shape.fill.gradient_stops[0].color.rgb = RGBColor(255, 0, 0)
    shape.fill.gradient_stops[1].color.rgb = RGBColor(0, 0, 255)
    src = tmp_path / "gradient.pptx"
    prs.save(src)
    result = convert(src, profile="archive", output_dir=tmp_path / "out")
    placed = [o.path for o in result.outputs] + list(result.quarantined)
    pdfs = [p for p in placed if p.suffix == ".pdf"]
    assert pdfs, result
    with pikepdf.open(pdfs[0]) as pdf:
        assert any(isinstance(o, pikepdf.Dictionary) and "/ShadingType" in o for o in pdf.objects)
    report = validate_pdfa(pdfs[0], "2b")
    assert report.passed, report.failures
    # The same file with its shading moved to DeviceCMYK (the OutputIntent is sRGB) fails
    with pikepdf.open(pdfs[0]) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and "/ShadingType" in obj:
                obj.ColorSpace = pikepdf.Name.DeviceCMYK
                obj.Function = pikepdf.Dictionary(
                    FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 0, 0, 0], N=1
                )
        broken = tmp_path / "cmyk.pdf"
        pdf.save(broken)
    assert "ISO_19005_2:6.2.4.3-3" in {f.rule for f in validate_pdfa(broken, "2b").failures}


# --- embedded files (ISO 19005-2 6.8) -------------------------------------------------------------------


def _with_attachment(base: bytes, payload: bytes, *, drop_uf: bool = False) -> bytes:
    """*base* with *payload* embedded through the /EmbeddedFiles name tree (no PDF/A-3 /AF)."""
    with pikepdf.open(io.BytesIO(base)) as pdf:
        pdf.attachments["inner.pdf"] = pikepdf.AttachedFileSpec(
            pdf, payload, filename="inner.pdf", mime_type="application/pdf"
        )
        del pdf.Root.AF
        if drop_uf:
            del pdf.Root.Names.EmbeddedFiles.Names[1].UF
        buf = io.BytesIO()
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    return buf.getvalue()


@pytest.mark.parametrize("inner", ["1b", "2b"])
def test_embedded_pdfa_file_passes(tmp_path: Path, pdfa2b: bytes, inner: str) -> None:
    report = _check(tmp_path, _with_attachment(pdfa2b, _write_pdfa(inner)), "2b")
    assert report.passed, report.failures


def test_embedded_file_that_is_not_pdfa_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    for payload in (b"plain text", _fix_xref(pdfa2b.replace(b"pdfaid:part", b"pdfaid:qart"))):
        report = _check(tmp_path, _with_attachment(pdfa2b, payload), "2b")
        assert "ISO_19005_2:6.8-5" in _rules(report)


def test_embedded_pdfa_file_that_breaks_a_rule_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    # Claims PDF/A-2b, but the header's binary comment is gone (6.1.2)
    inner = _write_pdfa("2b")
    broken = inner.replace(inner.split(b"\n")[1], b"%" + b"a" * (len(inner.split(b"\n")[1]) - 1), 1)
    assert not _check(tmp_path, broken, "2b").passed
    report = _check(tmp_path, _with_attachment(pdfa2b, broken), "2b")
    assert "ISO_19005_2:6.8-5" in _rules(report)


def test_embedded_file_without_uf_fails(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, _with_attachment(pdfa2b, _write_pdfa("2b"), drop_uf=True), "2b")
    assert "ISO_19005_2:6.8-2" in _rules(report)


def test_embedded_files_nest_only_so_deep(tmp_path: Path, pdfa2b: bytes) -> None:
    nested = _write_pdfa("2b")
    for _ in range(3):
        nested = _with_attachment(pdfa2b, nested)
    report = _check(tmp_path, nested, "2b")
    assert not report.passed


# --- refusals settled by a second check of a neutrally edited copy ----------------------------------------


def _edited(base: bytes, edit) -> bytes:
    with pikepdf.open(io.BytesIO(base)) as pdf:
        edit(pdf)
        buf = io.BytesIO()
        pdf.save(buf, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    return buf.getvalue()


def test_private_catalog_key_passes(tmp_path: Path, pdfa2b: bytes) -> None:
    # ISO 32000-1 defines no /QujatShelfmark: veraPDF ignores it, and so do we once pikepdf saw the rest
    data = _edited(pdfa2b, lambda pdf: pdf.Root.__setitem__("/QujatShelfmark", pikepdf.String("A-17")))
    assert _check(tmp_path, data, "2b").passed


def test_private_key_does_not_hide_what_is_below(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        # pikepdf checks nothing below a page with a key it does not know, such as the graphics state
        # in its resources with a transfer function (ISO 19005-2 6.2.5)
        page = pdf.pages[0].obj
        page.QujatNote = 1
        gs = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, TR=pikepdf.Name.Identity)
        page.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(GS1=gs))
        page.Contents = pdf.make_stream(b"/GS1 gs")

    data = _edited(pdfa2b, edit)
    pike = pikepdf.pdfa.validate_written(io.BytesIO(data), "2b")
    assert not any(f.where.endswith("/TR") for f in pike.findings)
    report = _check(tmp_path, data, "2b")
    assert not report.passed
    assert any(f.where.endswith("/TR") for f in report.failures), report.failures


def test_defined_key_unknown_to_pikepdf_is_not_settled(tmp_path: Path, pdfa2b: bytes) -> None:
    # /Legal is an ISO 32000-1 catalog key: not a private key, so pikepdf's refusal stands
    data = _edited(pdfa2b, lambda pdf: pdf.Root.__setitem__("/Legal", pikepdf.Dictionary()))
    assert not _check(tmp_path, data, "2b").passed


@pytest.mark.parametrize(("alpha", "passes"), [("1.0000001", True), ("0.9999999", True), ("0.99999", False)])
def test_pdfa1_opacity_within_a_millionth_of_one(
    tmp_path: Path, pdfa1b: bytes, alpha: str, passes: bool
) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        value = pikepdf.Object.parse(alpha.encode())
        gs = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, CA=value, ca=value))
        pdf.pages[0].obj.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(GS1=gs))
        pdf.pages[0].obj.Contents = pdf.make_stream(b"/GS1 gs")

    report = _check(tmp_path, _edited(pdfa1b, edit), "1b")
    assert report.passed is passes, report.failures
    if not passes:
        assert "ISO_19005_1:6.4-5" in _rules(report)


# --- Separation and DeviceN colour spaces --------------------------------------------------------------


def _with_separation(
    base: bytes, *, alternate: str = "/DeviceRGB", second_tint: bytes | None = None
) -> bytes:
    """*base* with a Separation colour space used by cs/scn (and a second one of the same name)."""

    def edit(pdf: pikepdf.Pdf) -> None:
        n = {"/DeviceRGB": 3, "/DeviceCMYK": 4, "/DeviceGray": 1}[alternate]

        def tint(program: bytes) -> pikepdf.Stream:
            return pdf.make_stream(program, FunctionType=4, Domain=[0, 1], Range=[0, 1] * n)

        spaces = pikepdf.Dictionary(
            CS0=pikepdf.Array(
                [pikepdf.Name.Separation, pikepdf.Name.Spot, pikepdf.Name(alternate), tint(b"{dup dup}")]
            )
        )
        if second_tint is not None:
            spaces.CS1 = pikepdf.Array(
                [pikepdf.Name.Separation, pikepdf.Name.Spot, pikepdf.Name(alternate), tint(second_tint)]
            )
        pdf.pages[0].obj.Resources = pikepdf.Dictionary(ColorSpace=spaces)
        pdf.pages[0].obj.Contents = pdf.make_stream(b"/CS0 cs 0.5 scn 0 0 10 10 re f")

    return _edited(base, edit)


def test_separation_with_an_alternate_of_the_output_intent_passes(tmp_path: Path, pdfa2b: bytes) -> None:
    assert _check(tmp_path, _with_separation(pdfa2b), "2b").passed


def test_separation_with_a_device_cmyk_alternate_and_an_rgb_intent_fails(
    tmp_path: Path, pdfa2b: bytes
) -> None:
    data = _with_separation(pdfa2b, alternate="/DeviceCMYK")
    assert "ISO_19005_2:6.2.4.3-3" in _rules(_check(tmp_path, data, "2b"))


def test_separations_of_one_name_must_agree(tmp_path: Path, pdfa2b: bytes) -> None:
    data = _with_separation(pdfa2b, second_tint=b"{0.5 mul dup dup}")
    assert "ISO_19005_2:6.2.4.4-2" in _rules(_check(tmp_path, data, "2b"))


def test_devicen_spot_colourant_needs_a_colorants_entry(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        tint = pdf.make_stream(b"{pop pop 0 0 0}", FunctionType=4, Domain=[0, 1, 0, 1], Range=[0, 1] * 3)
        space = pikepdf.Array(
            [pikepdf.Name.DeviceN, [pikepdf.Name.Spot, pikepdf.Name.Varnish], pikepdf.Name.DeviceRGB, tint]
        )
        pdf.pages[0].obj.Resources = pikepdf.Dictionary(ColorSpace=pikepdf.Dictionary(CS0=space))
        pdf.pages[0].obj.Contents = pdf.make_stream(b"/CS0 cs 0.5 0.5 scn 0 0 10 10 re f")

    assert "ISO_19005_2:6.2.4.4-1" in _rules(_check(tmp_path, _edited(pdfa2b, edit), "2b"))


# --- interactive forms -----------------------------------------------------------------------------------


def _with_form(base: bytes, *, widget_extra: dict | None = None, form_extra: dict | None = None) -> bytes:
    """*base* with a one-field form: a text field merged with its widget, which has an appearance."""

    def edit(pdf: pikepdf.Pdf) -> None:
        page = pdf.pages[0].obj
        appearance = pdf.make_stream(
            b"0 0 1 rg 0 0 50 20 re f",
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=[0, 0, 50, 20],
        )
        appearance.Resources = pikepdf.Dictionary()
        widget = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                FT=pikepdf.Name.Tx,
                T=pikepdf.String("name"),
                Rect=[10, 10, 60, 30],
                P=page,
                AP=pikepdf.Dictionary(N=appearance),
                **{"F": 4, **(widget_extra or {})},
            )
        )
        page.Annots = pikepdf.Array([widget])
        if "/Resources" not in page:
            page.Resources = pikepdf.Dictionary()
        pdf.Root.AcroForm = pdf.make_indirect(pikepdf.Dictionary(Fields=[widget], **(form_extra or {})))

    return _edited(base, edit)


def test_form_with_a_text_field_passes(tmp_path: Path, pdfa2b: bytes) -> None:
    assert _check(tmp_path, _with_form(pdfa2b), "2b").passed


@pytest.mark.parametrize(
    ("widget_extra", "form_extra", "rule"),
    [
        ({}, {"NeedAppearances": True}, "ISO_19005_2:6.4.1-3"),
        ({"AA": pikepdf.Dictionary()}, {}, "ISO_19005_2:6.4.1-2"),
        (
            {"A": pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("x"))},
            {},
            "ISO_19005_2:6.4.1-1",
        ),
        ({"F": 6}, {}, "ISO_19005_2:6.3.2-2"),
        ({}, {"XFA": pikepdf.Array()}, "ISO_19005_2:6.4.2-1"),
    ],
)
def test_form_rules(tmp_path: Path, pdfa2b: bytes, widget_extra: dict, form_extra: dict, rule: str) -> None:
    report = _check(tmp_path, _with_form(pdfa2b, widget_extra=widget_extra, form_extra=form_extra), "2b")
    assert rule in _rules(report), report.failures


def test_widget_appearance_is_checked_by_pikepdf(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        # The appearance paints in DeviceCMYK under an sRGB OutputIntent (ISO 19005-2 6.2.4.3)
        pdf.pages[0].obj.Annots[0].AP.N.write(b"0 0 0 1 k 0 0 50 20 re f")

    report = _check(tmp_path, _edited(_with_form(pdfa2b), edit), "2b")
    assert "ISO_19005_2:6.2.4.3-3" in _rules(report), report.failures


def test_everything_below_a_catalog_with_a_form_is_still_checked(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].obj.Contents = pdf.make_stream(b"0 0 0 1 k 0 0 10 10 re f")

    report = _check(tmp_path, _edited(_with_form(pdfa2b), edit), "2b")
    assert "ISO_19005_2:6.2.4.3-3" in _rules(report), report.failures


def test_font_set_by_a_graphics_state_is_checked(tmp_path: Path, pdfa1b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        # A font that is not embedded (ISO 19005-1 6.3.4), set by gs rather than Tf
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
        gs = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, Font=pikepdf.Array([font, 12]))
        pdf.pages[0].obj.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(GS1=gs))
        pdf.pages[0].obj.Contents = pdf.make_stream(b"BT /GS1 gs 10 10 Td (A) Tj ET")

    pike = pikepdf.pdfa.validate_written(io.BytesIO(_edited(pdfa1b, edit)), "1b")
    assert not any(f.rule.startswith("ISO_19005_1:6.3.") for f in pike.findings)
    report = _check(tmp_path, _edited(pdfa1b, edit), "1b")
    assert not report.passed
    assert any(f.rule.startswith("ISO_19005_1:6.3.") for f in report.failures), report.failures


def test_separation_as_a_group_colour_space_stays_refused(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        tint = pdf.make_stream(b"{dup dup}", FunctionType=4, Domain=[0, 1], Range=[0, 1] * 3)
        space = pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name.Spot, pikepdf.Name.DeviceRGB, tint])
        pdf.pages[0].obj.Group = pikepdf.Dictionary(
            Type=pikepdf.Name.Group, S=pikepdf.Name.Transparency, CS=space
        )

    assert not _check(tmp_path, _edited(pdfa2b, edit), "2b").passed


# --- patterns ----------------------------------------------------------------------------------------


def _with_tiling_pattern(base: bytes, cell: bytes, *, paint_type: int = 1) -> bytes:
    def edit(pdf: pikepdf.Pdf) -> None:
        pattern = pdf.make_stream(
            cell,
            Type=pikepdf.Name.Pattern,
            PatternType=1,
            PaintType=paint_type,
            TilingType=1,
            BBox=[0, 0, 10, 10],
            XStep=10,
            YStep=10,
            Resources=pikepdf.Dictionary(),
        )
        pdf.pages[0].obj.Resources = pikepdf.Dictionary(Pattern=pikepdf.Dictionary(P0=pattern))
        select = b"/Pattern cs /P0 scn" if paint_type == 1 else b"/CS0 cs 1 0 0 /P0 scn"
        if paint_type != 1:
            spaces = pikepdf.Dictionary(CS0=pikepdf.Array([pikepdf.Name.Pattern, pikepdf.Name.DeviceRGB]))
            pdf.pages[0].obj.Resources.ColorSpace = spaces
        pdf.pages[0].obj.Contents = pdf.make_stream(b"q " + select + b" 0 0 100 100 re f Q")

    return _edited(base, edit)


def test_coloured_tiling_pattern_passes(tmp_path: Path, pdfa2b: bytes) -> None:
    assert _check(tmp_path, _with_tiling_pattern(pdfa2b, b"1 0 0 rg 0 0 5 5 re f"), "2b").passed


def test_tiling_pattern_cell_is_checked(tmp_path: Path, pdfa2b: bytes) -> None:
    # The cell paints in DeviceCMYK under an sRGB OutputIntent (ISO 19005-2 6.2.4.3)
    report = _check(tmp_path, _with_tiling_pattern(pdfa2b, b"0 0 0 1 k 0 0 5 5 re f"), "2b")
    assert "ISO_19005_2:6.2.4.3-3" in _rules(report), report.failures


def test_uncoloured_tiling_pattern_stays_refused(tmp_path: Path, pdfa2b: bytes) -> None:
    assert not _check(tmp_path, _with_tiling_pattern(pdfa2b, b"0 0 5 5 re f", paint_type=2), "2b").passed


@pytest.mark.parametrize(("family", "rule"), [("/DeviceRGB", None), ("/DeviceCMYK", "ISO_19005_2:6.2.4.3-3")])
def test_shading_pattern(tmp_path: Path, pdfa2b: bytes, family: str, rule: str | None) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        n = 3 if family == "/DeviceRGB" else 4
        function = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0] * n, C1=[1] * n, N=1)
        shading = pikepdf.Dictionary(
            ShadingType=2, ColorSpace=pikepdf.Name(family), Coords=[0, 0, 100, 0], Function=function
        )
        pattern = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.Pattern, PatternType=2, Shading=shading)
        )
        pdf.pages[0].obj.Resources = pikepdf.Dictionary(Pattern=pikepdf.Dictionary(P0=pattern))
        pdf.pages[0].obj.Contents = pdf.make_stream(b"/Pattern cs /P0 scn 0 0 100 100 re f")

    report = _check(tmp_path, _edited(pdfa2b, edit), "2b")
    if rule is None:
        assert report.passed, report.failures
    else:
        assert rule in _rules(report), report.failures


def test_shading_met_only_by_the_second_check_stays_refused(tmp_path: Path, pdfa2b: bytes) -> None:
    # With a form in the catalog pikepdf walks no page in its first check; the sh it meets in the
    # second is one no check of ours looked at
    data = _with_form(_with_shading(pdfa2b))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert "/Shading" in pdf.pages[0].obj.Resources
    report = _check(tmp_path, data, "2b")
    assert not report.passed
    assert "pikepdf:shading" in _rules(report), report.failures


def test_shading_in_a_tiling_pattern_stays_refused(tmp_path: Path, pdfa2b: bytes) -> None:
    def edit(pdf: pikepdf.Pdf) -> None:
        pattern = pdf.pages[0].obj.Resources.Pattern.P0
        function = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0], C1=[1, 1, 1], N=1)
        shading = pikepdf.Dictionary(
            ShadingType=2, ColorSpace=pikepdf.Name.DeviceRGB, Coords=[0, 0, 10, 0], Function=function
        )
        pattern.Resources = pikepdf.Dictionary(Shading=pikepdf.Dictionary(Sh0=shading))

    data = _edited(_with_tiling_pattern(pdfa2b, b"/Sh0 sh"), edit)
    assert not _check(tmp_path, data, "2b").passed
