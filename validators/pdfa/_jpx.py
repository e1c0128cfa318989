"""JPEG 2000 images (ISO 19005-2 6.2.8.3), which pikepdf.pdfa refuses.

A JPXDecode image carries a JP2 file (ISO/IEC 15444-1 Annex I): a signature box, a file type box and
a JP2 header box (``jp2h``) holding an image header box (``ihdr``: size, number of components, bit
depth), perhaps a bits per component box (``bpcc``, when components differ in depth) and one or
more colour specification boxes (``colr``: method, precedence, APPROX, then an enumerated colour
space or an ICC profile). ISO 19005-2 6.2.8.3, as veraPDF tests it on the header boxes:

- 6.2.8.3-1: the number of colour channels is 1, 3 or 4;
- 6.2.8.3-2: with several colour specifications, exactly one has APPROX 1 (the one a reader uses);
- 6.2.8.3-3: its METH is 1 (enumerated), 2 (restricted ICC) or 3 (any ICC);
- 6.2.8.3-4: its enumerated colour space is not 19 (CIEJab);
- 6.2.8.3-5: one bit depth for all components (no ``bpcc`` box), from 1 to 38.

Rules 2 to 4 do not apply when the image dictionary has a /ColorSpace, which then overrides the
colour specification in the data (ISO 32000-1 8.9.5). Without one, the image's colour is the data's:
an enumerated CMYK space is device colour and needs a CMYK OutputIntent (6.2.4.3-3), and an ICC
profile is held to what 6.2.4.2-1 asks of every input profile.

Only the header boxes are read, within fixed bounds; the codestream is not decoded. JPEG 2000 is
PDF 1.5, after ISO 19005-1's PDF 1.4, so in PDF/A-1 pikepdf's refusal stands. `prepare_image` edits
the copy pikepdf checks again: the image loses its JPXDecode filter, and gains a stand-in CIE colour
space if it has none, so that pikepdf checks the rest of the image dictionary and what hangs below.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass, field

import pikepdf

from validators.pdfa._problem import Problem

log = logging.getLogger(__name__)

RULE = "pikepdf:schema-ImageXObject"
MESSAGE = "JPEG 2000 images are not supported"
NO_COLOUR_SPACE = "image has no /ColorSpace"
_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_MAX_BOXES = 1024
# Enumerated colour spaces (ISO/IEC 15444-1 Table I.10, 15444-2 Table M.25) that are device CMYK
_ENUM_CMYK = 12
_ENUM_CIEJAB = 19
_ICC_CLASSES = frozenset({b"prtr", b"mntr", b"scnr", b"spac"})
_ICC_SPACES = frozenset({b"RGB ", b"CMYK", b"GRAY", b"Lab "})
_STAND_IN = {"/WhitePoint": [0.9505, 1.0, 1.089]}


JpxProblem = Problem


@dataclass(slots=True)
class JpxHeader:
    """What the JP2 header boxes say, read as veraPDF reads them.

    Attributes:
        channels: NC of the image header box (0 if there is none).
        bit_depth: Bit depth of the image header box: its BPC field plus one, BPC read as a signed
            byte (0 if there is no image header box).
        bpcc: True if there is a bits per component box.
        specs: Number of colour specification boxes.
        approx: Number of those with APPROX 1.
        method: METH of the colour specification a reader uses (None if there is no telling).
        enum_cs: Its enumerated colour space, if METH is 1.
        profile: Its ICC profile, if METH is 2.
    """

    channels: int = 0
    bit_depth: int = 0
    bpcc: bool = False
    specs: int = 0
    approx: int = 0
    method: int | None = None
    enum_cs: int | None = None
    profile: bytes | None = None
    colours: list[tuple[int, int, int | None, bytes | None]] = field(default_factory=list)


def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """The boxes between *start* and *end*: (type, content start, content end)."""
    found: list[tuple[bytes, int, int]] = []
    at = start
    while at + 8 <= end and len(found) < _MAX_BOXES:
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        header = 8
        if length == 1:
            if at + 16 > end:
                break
            (length,) = struct.unpack(">Q", data[at + 8 : at + 16])
            header = 16
        elif length == 0:
            length = end - at
        if length < header or at + length > end:
            break
        found.append((kind, at + header, at + length))
        at += length
    return found


def read_header(data: bytes) -> JpxHeader:
    """Read the JP2 header boxes of *data*; what is missing or broken keeps its default."""
    header = JpxHeader()
    if not data.startswith(_SIGNATURE):
        return header
    top = _boxes(data, len(_SIGNATURE), len(data))
    jp2h = next(((s, e) for kind, s, e in top if kind == b"jp2h"), None)
    if jp2h is None:
        return header
    for kind, s, e in _boxes(data, *jp2h):
        if kind == b"ihdr" and e - s == 14:
            header.channels = struct.unpack(">H", data[s + 8 : s + 10])[0]
            header.bit_depth = struct.unpack(">b", data[s + 10 : s + 11])[0] + 1
        elif kind == b"bpcc":
            header.bpcc = True
        elif kind == b"colr" and e - s >= 3:
            meth, approx = data[s], data[s + 2]
            enum_cs = struct.unpack(">I", data[s + 3 : s + 7])[0] if meth == 1 and e - s >= 7 else None
            profile = data[s + 3 : e] if meth == 2 else None
            header.specs += 1
            header.approx += approx == 1
            header.colours.append((meth, approx, enum_cs, profile))
    # The specification a reader uses: the first with APPROX 1, else the only one
    chosen = [c for c in header.colours if c[1] == 1] or (header.colours if header.specs == 1 else [])
    if chosen:
        header.method = chosen[0][0]
        enums = [c[2] for c in chosen if c[2] is not None]
        header.enum_cs = enums[0] if enums else None
        header.profile = chosen[0][3]
    return header


def _profile_problem(profile: bytes) -> str | None:
    """What 6.2.4.2-1 finds wrong with an ICC profile's header, or None."""
    if len(profile) < 128:
        return "the ICC profile is shorter than its header"
    device_class, space = profile[12:16], profile[16:20]
    if device_class not in _ICC_CLASSES:
        return f"the ICC profile's device class is {device_class!r}"
    if space not in _ICC_SPACES:
        return f"the ICC profile's colour space is {space!r}"
    if profile[8] >= 5:
        return f"the ICC profile's version is {profile[8]}"
    return None


def is_jpx(image: pikepdf.Stream) -> bool:
    """True if *image* is filtered by JPXDecode alone (the only way this module reads it)."""
    filters = image.get("/Filter")
    if isinstance(filters, pikepdf.Array) and len(filters) == 1:
        filters = filters[0]
    return isinstance(filters, pikepdf.Name) and filters == "/JPXDecode"


def check_image(image: pikepdf.Stream, where: str, output_intent: str | None) -> list[JpxProblem]:
    """Check one JPXDecode image against ISO 19005-2 6.2.8.3 (and its colour, if it has no space)."""
    try:
        data = image.read_raw_bytes()
    except pikepdf.PdfError as e:
        return [JpxProblem(RULE, where, f"cannot read the JPEG 2000 data: {e}", True)]
    header = read_header(data)
    problems: list[JpxProblem] = []

    def bad(clause: str, message: str) -> None:
        problems.append(JpxProblem(clause, where, message))

    if header.channels not in (1, 3, 4):
        bad("6.2.8.3-1", f"the JPEG 2000 data has {header.channels} colour channels, not 1, 3 or 4")
    if header.bpcc:
        bad("6.2.8.3-5", "the JPEG 2000 data has components of different bit depths (bpcc box)")
    elif not 1 <= header.bit_depth <= 38:
        bad("6.2.8.3-5", f"the JPEG 2000 data has bit depth {header.bit_depth}, not 1 to 38")
    if "/ColorSpace" in image or image.get("/ImageMask") is True:
        return problems
    if header.specs != 1 and header.approx != 1:
        bad(
            "6.2.8.3-2",
            f"the JPEG 2000 data has {header.specs} colour specifications, "
            f"{header.approx} of them with APPROX 1",
        )
    if header.method not in (1, 2, 3):
        bad(
            "6.2.8.3-3",
            "the JPEG 2000 data has no colour specification a reader would use"
            if header.method is None
            else f"the colour specification of the JPEG 2000 data has METH {header.method}",
        )
    if header.enum_cs == _ENUM_CIEJAB:
        bad("6.2.8.3-4", "the JPEG 2000 data uses the enumerated colour space 19 (CIEJab)")
    if header.enum_cs == _ENUM_CMYK and header.method == 1 and output_intent != "CMYK":
        bad(
            "6.2.4.3-3", f"JPEG 2000 image in enumerated CMYK with {output_intent or 'no PDF/A OutputIntent'}"
        )
    if header.method == 2 and header.profile is not None:
        problem = _profile_problem(header.profile)
        if problem is not None:
            bad("6.2.4.2-1", f"JPEG 2000 colour specification: {problem}")
    return problems


def jpx_images(pdf: pikepdf.Pdf) -> list[pikepdf.Stream]:
    """Every image XObject of *pdf* with a JPXDecode filter."""
    found = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
            filters = obj.get("/Filter")
            names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
            if any(isinstance(n, pikepdf.Name) and n == "/JPXDecode" for n in names):
                found.append(obj)
    return found


def prepare_image(pdf: pikepdf.Pdf, image: pikepdf.Stream) -> bool:
    """Edit a JPXDecode image of the copy *pdf* for pikepdf to check; False if it cannot be."""
    if not is_jpx(image):
        return False
    colour_space = image.get("/ColorSpace")
    mask = image.get("/Mask")
    if colour_space is None and image.get("/ImageMask") is not True:
        if isinstance(mask, pikepdf.Array) and len(mask) != 2:
            # A colour key mask counts the data's components, which a stand-in space cannot match
            return False
        image["/ColorSpace"] = pikepdf.Array([pikepdf.Name.CalGray, pikepdf.Dictionary(_STAND_IN)])
    del image["/Filter"]
    if "/DecodeParms" in image:
        del image["/DecodeParms"]
    if "/BitsPerComponent" not in image:
        image["/BitsPerComponent"] = 1 if image.get("/ImageMask") is True else 8
    return True
