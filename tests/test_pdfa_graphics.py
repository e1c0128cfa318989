"""PDF/A graphics and images that pikepdf.pdfa refuses and qujat checks itself.

Overprint mode with ICCBased CMYK colour (ISO 19005-2 6.2.4.2-2), halftones (6.2.5), JPEG 2000 images
(6.2.8.3), image metadata streams and file specification thumbnails. Each test PDF is built here:
a PDF/A written by pikepdf.pdfa, then edited.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pikepdf
import pytest

from tests.test_validators_pdfa import _check, _edited, _rules, _write_pdfa
from validators.pdfa import _jpx


def _failures(report) -> list[dict]:
    return [f.to_dict() for f in report.findings]


def _icc(space: bytes, device_class: bytes = b"prtr", version: int = 4) -> bytes:
    """An ICC profile header (ICC.1 7.2): all that the PDF/A checks of a colour space read."""
    header = bytearray(128)
    header[0:4] = struct.pack(">I", 128)
    header[8] = version
    header[12:16] = device_class
    header[16:20] = space
    header[20:24] = b"Lab "
    header[36:40] = b"acsp"
    return bytes(header)


# --- overprint mode and ICCBased CMYK (ISO 19005-2 6.2.4.2-2) -----------------------------------------


_OPM = "ISO_19005_2:6.2.4.2-2"
_FILL = b"0.2 0.4 0.6 0 sc 10 10 50 50 re f"
_STROKE = b"0.2 0.4 0.6 0 SC 10 10 50 50 re S"


def _overprint(
    base: bytes,
    content: bytes,
    *,
    op: bool = True,
    op_fill: bool | None = None,
    components: int = 4,
    version: int = 4,
    form: bytes | None = None,
    default_cmyk: bool = False,
    annotation: bytes | None = None,
) -> bytes:
    """*base* whose page draws *content* with /GS0 (OPM 1) and /CS0 (ICCBased) in its resources."""

    def edit(pdf: pikepdf.Pdf) -> None:
        space = b"CMYK" if components == 4 else b"RGB "
        profile = pdf.make_stream(_icc(space, version=version), N=components)
        gs = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OPM=1, OP=op)
        if op_fill is not None:
            gs.op = op_fill
        colour_spaces = pikepdf.Dictionary(CS0=pikepdf.Array([pikepdf.Name.ICCBased, profile]))
        if default_cmyk:
            colour_spaces.DefaultCMYK = pikepdf.Array([pikepdf.Name.ICCBased, profile])
        resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(GS0=gs), ColorSpace=colour_spaces)
        if form is not None:
            xobject = pdf.make_stream(
                form,
                Type=pikepdf.Name.XObject,
                Subtype=pikepdf.Name.Form,
                BBox=[0, 0, 200, 200],
                Resources=pikepdf.Dictionary(ColorSpace=colour_spaces, ExtGState=pikepdf.Dictionary(GS0=gs)),
            )
            resources.XObject = pikepdf.Dictionary(Fm0=xobject)
        page = pdf.pages[0].obj
        page.Resources = resources
        page.Contents = pdf.make_stream(content)
        if annotation is not None:
            appearance = pdf.make_stream(
                annotation,
                Type=pikepdf.Name.XObject,
                Subtype=pikepdf.Name.Form,
                BBox=[0, 0, 20, 20],
                Resources=resources,
            )
            annot = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Square,
                    Rect=[10, 10, 30, 30],
                    F=4,
                    AP=pikepdf.Dictionary(N=appearance),
                )
            )
            page.Annots = pdf.make_indirect(pikepdf.Array([annot]))

    return _edited(base, edit)


@pytest.mark.parametrize(
    ("content", "kwargs"),
    [
        # ICCBased RGB: the rule is about CMYK only
        (b"/GS0 gs /CS0 cs 0.2 0.4 0.6 sc 10 10 50 50 re f", {"components": 3}),
        # Stroke overprinting off, CMYK used only for stroking
        (b"/GS0 gs /CS0 CS " + _STROKE, {"op": False, "op_fill": True}),
        # Fill overprinting off (it follows /OP when /op is absent), CMYK used only for filling
        (b"/GS0 gs /CS0 cs " + _FILL, {"op": False}),
        # The graphics state is restored before CMYK colour is used
        (b"q /GS0 gs Q /CS0 cs " + _FILL, {}),
        # No painting operator uses the colour
        (b"/GS0 gs /CS0 cs 0.2 0.4 0.6 0 sc 10 10 50 50 re n", {}),
        # DeviceCMYK without a /DefaultCMYK is device colour, not ICCBased (and is refused for the
        # sRGB OutputIntent anyway, so here DeviceGray)
        (b"/GS0 gs 0.5 g 10 10 50 50 re f", {}),
    ],
)
def test_overprint_mode_conforming(tmp_path: Path, pdfa2b: bytes, content: bytes, kwargs: dict) -> None:
    report = _check(tmp_path, _overprint(pdfa2b, content, **kwargs), "2b")
    assert report.passed, _failures(report)


@pytest.mark.parametrize(
    ("content", "kwargs"),
    [
        (b"/GS0 gs /CS0 cs " + _FILL, {}),
        (b"/GS0 gs /CS0 CS " + _STROKE, {}),
        # /op on alone, CMYK fill
        (b"/GS0 gs /CS0 cs " + _FILL, {"op": False, "op_fill": True}),
        # Text filled in CMYK is a use of fill colour as a path is
        (b"/GS0 gs /CS0 cs 0.2 0.4 0.6 0 sc 10 10 50 50 re B", {}),
        # The colour is used in a Form XObject drawn under the graphics state
        (b"/GS0 gs /Fm0 Do", {"form": b"/CS0 cs " + _FILL}),
        # DeviceCMYK stands for the resources' ICCBased /DefaultCMYK
        (b"/GS0 gs 0.2 0.4 0.6 0 k 10 10 50 50 re f", {"default_cmyk": True}),
        # An annotation's appearance stream
        (b"", {"annotation": b"/GS0 gs /CS0 cs " + _FILL}),
        # A Form XObject that no page draws
        (b"", {"form": b"/GS0 gs /CS0 cs " + _FILL}),
    ],
)
def test_overprint_mode_with_iccbased_cmyk_fails(
    tmp_path: Path, pdfa2b: bytes, content: bytes, kwargs: dict
) -> None:
    report = _check(tmp_path, _overprint(pdfa2b, content, **kwargs), "2b")
    assert _opm_rules(report) == {_OPM}, _failures(report)
    assert not any(f.kind == "unsupported" for f in report.failures), _failures(report)


def _opm_rules(report) -> set[str]:
    return {f.rule for f in report.failures if "overprint" in f.message}


def test_overprint_mode_is_no_rule_of_pdfa1(tmp_path: Path, pdfa1b: bytes) -> None:
    # ISO 19005-1 does not restrict overprint mode
    data = _overprint(pdfa1b, b"/GS0 gs /CS0 cs " + _FILL, version=2)
    report = _check(tmp_path, data, "1b")
    assert report.passed, _failures(report)


# --- halftones (ISO 19005-2 6.2.5) -----------------------------------------------------------------------


def _halftone(base: bytes, halftone, *, soft_mask: bool = False) -> bytes:
    def edit(pdf: pikepdf.Pdf) -> None:
        gs = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, HT=halftone(pdf))
        if soft_mask:
            # /S must be /Alpha or /Luminosity: pikepdf checks it only below a graphics state it accepts
            group = pdf.make_stream(
                b"",
                Type=pikepdf.Name.XObject,
                Subtype=pikepdf.Name.Form,
                BBox=[0, 0, 1, 1],
                Group=pikepdf.Dictionary(S=pikepdf.Name.Transparency),
            )
            gs.SMask = pikepdf.Dictionary(Type=pikepdf.Name.Mask, S=pikepdf.Name.Colour, G=group)
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(GS0=gs))
        page.Contents = pdf.make_stream(b"/GS0 gs")

    return _edited(base, edit)


def _screen(**extra) -> pikepdf.Dictionary:
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Halftone,
        HalftoneType=1,
        Frequency=90,
        Angle=45,
        SpotFunction=pikepdf.Name.Round,
        **extra,
    )


@pytest.mark.parametrize(
    "halftone",
    [
        lambda pdf: _screen(),
        lambda pdf: pikepdf.Name.Default,
        # Type 5: primary colourants without transfer functions, others with one, /Default free
        lambda pdf: pikepdf.Dictionary(
            Type=pikepdf.Name.Halftone,
            HalftoneType=5,
            Cyan=_screen(),
            Black=_screen(),
            Gold=_screen(TransferFunction=pikepdf.Name.Identity),
            Default=_screen(TransferFunction=pikepdf.Name.Identity),
        ),
    ],
)
def test_halftone_conforming(tmp_path: Path, pdfa2b: bytes, halftone) -> None:
    report = _check(tmp_path, _halftone(pdfa2b, halftone), "2b")
    assert report.passed, _failures(report)


@pytest.mark.parametrize(
    ("halftone", "rule"),
    [
        (
            lambda pdf: pikepdf.Dictionary(Type=pikepdf.Name.Halftone, HalftoneType=10, Xsquare=5, Ysquare=5),
            "6.2.5-4",
        ),
        (lambda pdf: pikepdf.Name.Coarse, "6.2.5-4"),
        (lambda pdf: _screen(HalftoneName=pikepdf.String("Coarse")), "6.2.5-5"),
        (lambda pdf: _screen(TransferFunction=pikepdf.Name.Identity), "6.2.5-6"),
        (
            lambda pdf: pikepdf.Dictionary(
                Type=pikepdf.Name.Halftone, HalftoneType=5, Gold=_screen(), Default=_screen()
            ),
            "6.2.5-6",
        ),
        (
            lambda pdf: pikepdf.Dictionary(
                Type=pikepdf.Name.Halftone,
                HalftoneType=5,
                Magenta=_screen(TransferFunction=pikepdf.Name.Identity),
                Default=_screen(),
            ),
            "6.2.5-6",
        ),
        (
            lambda pdf: pikepdf.Dictionary(
                Type=pikepdf.Name.Halftone,
                HalftoneType=5,
                Cyan=pikepdf.Dictionary(Type=pikepdf.Name.Halftone, HalftoneType=6, Width=2, Height=2),
                Default=_screen(),
            ),
            "6.2.5-4",
        ),
    ],
)
def test_halftone_fails(tmp_path: Path, pdfa2b: bytes, halftone, rule: str) -> None:
    report = _check(tmp_path, _halftone(pdfa2b, halftone), "2b")
    assert _rules(report) == {f"ISO_19005_2:{rule}"}, _failures(report)


def test_halftone_does_not_hide_the_graphics_state(tmp_path: Path, pdfa2b: bytes) -> None:
    report = _check(tmp_path, _halftone(pdfa2b, lambda pdf: _screen(), soft_mask=True), "2b")
    assert not report.passed
    assert "pikepdf:schema-SoftMaskDict" in _rules(report), _failures(report)


def test_halftones_in_pdfa1(tmp_path: Path, pdfa1b: bytes) -> None:
    # ISO 19005-1 has no rule on halftones
    report = _check(tmp_path, _halftone(pdfa1b, lambda pdf: _screen()), "1b")
    assert report.passed, _failures(report)


# --- JPEG 2000 images (ISO 19005-2 6.2.8.3) ---------------------------------------------------------------


def _box(kind: bytes, content: bytes) -> bytes:
    return struct.pack(">I", 8 + len(content)) + kind + content


def _colr(meth: int = 1, approx: int = 0, enum_cs: int = 16, profile: bytes = b"") -> bytes:
    spec = bytes([meth, 0, approx])
    spec += struct.pack(">I", enum_cs) if meth == 1 else profile
    return _box(b"colr", spec)


def _jp2(*, channels: int = 3, bpc: int = 7, colours: list[bytes] | None = None, bpcc: bool = False) -> bytes:
    """A JP2 file (ISO/IEC 15444-1 Annex I) of 4 x 4 pixels: its boxes, and a codestream stub."""
    ihdr = _box(b"ihdr", struct.pack(">IIHBBBB", 4, 4, channels, bpc, 7, 0, 0))
    header = ihdr + (_box(b"bpcc", bytes([7] * channels)) if bpcc else b"")
    header += b"".join(_colr() for _ in range(1)) if colours is None else b"".join(colours)
    return (
        _box(b"jP  ", b"\r\n\x87\n")
        + _box(b"ftyp", b"jp2 \x00\x00\x00\x00jp2 ")
        + _box(b"jp2h", header)
        + _box(b"jp2c", b"\xff\x4f\xff\x51\xff\xd9")
    )


def _with_jpx(base: bytes, jp2: bytes, *, colour_space=None, smask_space=None) -> bytes:
    def edit(pdf: pikepdf.Pdf) -> None:
        image = pdf.make_stream(jp2, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=4, Height=4)
        image.Filter = pikepdf.Name.JPXDecode
        if colour_space is not None:
            image.ColorSpace = colour_space
        if smask_space is not None:
            image.SMask = pdf.make_stream(
                b"\x00" * 16,
                Type=pikepdf.Name.XObject,
                Subtype=pikepdf.Name.Image,
                Width=4,
                Height=4,
                BitsPerComponent=8,
                ColorSpace=smask_space,
            )
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = pdf.make_stream(b"q 40 0 0 40 10 10 cm /Im0 Do Q")

    return _edited(base, edit)


def test_jp2_header_is_read() -> None:
    header = _jpx.read_header(
        _jp2(channels=4, bpc=15, colours=[_colr(approx=1), _colr(meth=2, profile=b"x")])
    )
    assert (header.channels, header.bit_depth, header.specs, header.approx) == (4, 16, 2, 1)
    assert (header.method, header.enum_cs, header.bpcc) == (1, 16, False)
    # Not a JP2 file (a bare codestream): nothing is read
    assert _jpx.read_header(b"\xff\x4f\xff\x51").channels == 0


@pytest.mark.parametrize(
    ("jp2", "colour_space"),
    [
        # Enumerated sRGB, no /ColorSpace in the dictionary
        (_jp2(), None),
        (_jp2(channels=1, colours=[_colr(enum_cs=17)]), None),
        # Several colour specifications, exactly one with APPROX 1
        (_jp2(colours=[_colr(enum_cs=16), _colr(meth=2, approx=1, profile=_icc(b"RGB ", b"mntr"))]), None),
        # /ColorSpace overrides the data's colour specifications, whatever they are
        (_jp2(colours=[_colr(meth=4), _colr(enum_cs=19)]), pikepdf.Name.DeviceRGB),
        (_jp2(bpc=15), None),
    ],
)
def test_jpeg2000_conforming(tmp_path: Path, pdfa2b: bytes, jp2: bytes, colour_space) -> None:
    report = _check(tmp_path, _with_jpx(pdfa2b, jp2, colour_space=colour_space), "2b")
    assert report.passed, _failures(report)


@pytest.mark.parametrize(
    ("jp2", "colour_space", "rule"),
    [
        (_jp2(channels=5), None, "6.2.8.3-1"),
        (_jp2(channels=2), pikepdf.Name.DeviceRGB, "6.2.8.3-1"),
        # Two specifications, neither with APPROX 1: also no METH to tell which a reader uses
        (_jp2(colours=[_colr(), _colr(enum_cs=17)]), None, "6.2.8.3-2 6.2.8.3-3"),
        (_jp2(colours=[_colr(approx=1), _colr(approx=1)]), None, "6.2.8.3-2"),
        (_jp2(colours=[_colr(meth=4)]), None, "6.2.8.3-3"),
        (_jp2(colours=[_colr(enum_cs=19)]), None, "6.2.8.3-4"),
        (_jp2(bpc=40), None, "6.2.8.3-5"),
        (_jp2(bpcc=True), pikepdf.Name.DeviceRGB, "6.2.8.3-5"),
        # Signed samples: veraPDF reads the depth as a signed byte
        (_jp2(bpc=0x87), None, "6.2.8.3-5"),
        # The data's colour is the image's: CMYK needs a CMYK OutputIntent, the sRGB one is not
        (_jp2(channels=4, colours=[_colr(enum_cs=12)]), None, "6.2.4.3-3"),
        (_jp2(colours=[_colr(meth=2, profile=_icc(b"RGB ", b"abst"))]), None, "6.2.4.2-1"),
    ],
)
def test_jpeg2000_fails(tmp_path: Path, pdfa2b: bytes, jp2: bytes, colour_space, rule: str) -> None:
    report = _check(tmp_path, _with_jpx(pdfa2b, jp2, colour_space=colour_space), "2b")
    assert _rules(report) == {f"ISO_19005_2:{r}" for r in rule.split()}, _failures(report)


def test_jpeg2000_does_not_hide_its_soft_mask(tmp_path: Path, pdfa2b: bytes) -> None:
    # A soft mask image must be DeviceGray; pikepdf checks it only below an image it accepts
    data = _with_jpx(pdfa2b, _jp2(), smask_space=pikepdf.Name.DeviceRGB)
    report = _check(tmp_path, data, "2b")
    assert not report.passed
    assert "pikepdf:schema-SMaskImage" in _rules(report), _failures(report)


def test_jpeg2000_stays_refused_in_pdfa1(tmp_path: Path, pdfa1b: bytes) -> None:
    report = _check(tmp_path, _with_jpx(pdfa1b, _jp2()), "1b")
    assert not report.passed
    assert any("JPEG 2000" in f.message for f in report.failures), _failures(report)


# --- image metadata and file specification thumbnails --------------------------------------------------


_IMAGE_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" {body}/>
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""


def _gray_image(pdf: pikepdf.Pdf, **extra) -> pikepdf.Stream:
    return pdf.make_stream(
        b"\x80" * 16,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=4,
        Height=4,
        BitsPerComponent=8,
        ColorSpace=pikepdf.Name.DeviceGray,
        **extra,
    )


def _with_image_metadata(base: bytes, body: str) -> bytes:
    def edit(pdf: pikepdf.Pdf) -> None:
        xmp = pdf.make_stream(
            _IMAGE_XMP.format(body=body).encode(), Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML
        )
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=_gray_image(pdf, Metadata=xmp)))
        page.Contents = pdf.make_stream(b"q 40 0 0 40 10 10 cm /Im0 Do Q")

    return _edited(base, edit)


def test_image_metadata_conforming(tmp_path: Path, pdfa2b: bytes) -> None:
    body = 'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="image/raw"'
    report = _check(tmp_path, _with_image_metadata(pdfa2b, body), "2b")
    assert report.passed, _failures(report)


def test_image_metadata_is_checked(tmp_path: Path, pdfa2b: bytes) -> None:
    # A property no schema declares (ISO 19005-2 6.6.2.3.1)
    body = 'xmlns:qj="http://example.org/ns/qujat/" qj:box="7"'
    report = _check(tmp_path, _with_image_metadata(pdfa2b, body), "2b")
    assert _rules(report) == {"ISO_19005_2:6.6.2.3.1-1"}, _failures(report)


def _with_thumbnail(base: bytes, colour_space: pikepdf.Name) -> bytes:
    def edit(pdf: pikepdf.Pdf) -> None:
        spec = pikepdf.AttachedFileSpec(pdf, b"shelf list\n", filename="shelf.txt", mime_type="text/plain")
        pdf.attachments["shelf.txt"] = spec
        filespec = pdf.Root.Names.EmbeddedFiles.Names[1]
        filespec.AFRelationship = pikepdf.Name.Supplement
        thumb = _gray_image(pdf)
        thumb.ColorSpace = colour_space
        filespec.Thumb = thumb
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary()

    return _edited(base, edit)


def test_thumbnail_conforming(tmp_path: Path) -> None:
    report = _check(tmp_path, _with_thumbnail(_write_pdfa("3b"), pikepdf.Name.DeviceGray), "3b")
    assert report.passed, _failures(report)


def test_thumbnail_is_an_image_held_to_the_image_rules(tmp_path: Path) -> None:
    # DeviceCMYK with the sRGB OutputIntent (ISO 19005-3 6.2.4.3)
    report = _check(tmp_path, _with_thumbnail(_write_pdfa("3b"), pikepdf.Name.DeviceCMYK), "3b")
    assert _rules(report) == {"ISO_19005_3:6.2.4.3-3"}, _failures(report)
