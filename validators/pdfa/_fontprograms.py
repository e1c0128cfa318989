"""Font programs pikepdf refuses: CFF with their own FontMatrix, multiple master fonts, TrueType CIDSets.

**Compact font programs (FontFile3 /Type1C or /CIDFontType0C) whose FontMatrix is not
[0.001 0 0 0.001 0 0].** A font program drawn on a 2048-unit grid says so in its FontMatrix
([1/2048 0 0 1/2048 0 0]), and its advance widths are in those units. pikepdf reads the widths as
thousandths of text space and so refuses such a program whole, which leaves unchecked every rule it
checks on a font's program: each shown code selects a glyph the program has, not .notdef
(ISO 19005-2 6.2.11.4.1-2, 6.2.11.8-1), the widths of the font dictionary agree with the program's
within 1 unit (6.2.11.5-1, ISO 19005-1 6.3.6), a subset's /CharSet or /CIDSet lists its glyphs
(6.2.11.4.2, 6.3.5). veraPDF takes a program's width as the charstring width times FontMatrix[0]
times 1000. `rescaled_cff` writes the same program in the default FontMatrix, each charstring's
width so multiplied: the glyphs, their names, the charset, the CIDs and the Private dictionaries'
other entries stay as they were (a charset naming a glyph twice, which fontTools would rename
unseen, is not rewritten). The copy that pikepdf checks again holds that program, so pikepdf makes
every check above on the program with its widths as veraPDF reads them. Only the top dictionary's
FontMatrix is settled: a CID-keyed program's Font DICTs with their own FontMatrix are read
differently by the CFF specification (as a product with the top one) and by veraPDF (which ignores
them), and stay refused.

A program's built-in encoding matters only when the font dictionary names no base encoding; when it
does, a built-in ExpertEncoding (which pikepdf refuses as well) is written as StandardEncoding, which
changes nothing pikepdf or veraPDF reads for that font.

**Multiple master instances** (/MMType1), which pikepdf refuses whole. ISO 32000-1 9.6.2.3 defines
the font dictionary of a multiple master instance as that of a Type 1 font but for its /Subtype, and
veraPDF applies its Type 1 rules to it (embedding, glyphs, widths, /CharSet). In the copy pikepdf
checks again the instance is a /Type1 font, so those rules are checked; its program, if embedded, is
read as any Type 1 or compact program.

**/CIDSet of a subset CIDFontType2** (ISO 19005-2 6.2.11.4.2-2: a CIDSet, if present, identifies all
CIDs present in the embedded program), which pikepdf does not check and refuses, leaving the font's
glyphs and widths unchecked. `check_cidset` checks it as veraPDF does: the CIDs present are, under
an /Identity CIDToGIDMap, those below the number of horizontal metrics of the program's hhea table,
and under a CIDToGIDMap stream, every CID the stream maps to a glyph index below the program's
number of glyphs; each of them but CID 0 shall be in the CIDSet, and each CID the CIDSet sets from 1
up shall be present. The copy pikepdf checks again has no /CIDSet (PDF/A-2 and PDF/A-3 do not require
one), so pikepdf checks the rest of the font.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace

import pikepdf
from fontTools.cffLib import CFFFontSet, parseCharset, parseCharset0, readCard8
from fontTools.pens.basePen import NullPen
from fontTools.ttLib import TTFont

from validators.pdfa._problem import Problem

log = logging.getLogger(__name__)

PROGRAM_RULE = "pikepdf:font-program"
ENCODING_RULE = "pikepdf:font-encoding"
CIDSET_CLAUSE = "6.2.11.4.2-2"
CIDSET_MESSAGE = "/CIDSet on a CIDFontType2 subset is not checked"
MMTYPE1_RULE = "pikepdf:font-mmtype1"
MMTYPE1_MESSAGE = "multiple master fonts are not supported"
_MATRIX_MESSAGE = re.compile(r"^(?:Type 1 font|CIDFontType0): CFF FontMatrix \[[^\]]*\] is not supported$")
_EXPERT_MESSAGE = "Type 1 font: CFF ExpertEncoding is not supported"
_FONT_WHERE = re.compile(r"^obj (\d+) (\d+) \(Font\)$")
_DEFAULT_MATRIX = (0.001, 0, 0, 0.001, 0, 0)
# Charstring operators that end the part of a Type 2 charstring where its width may be written
_STACK_CLEARING = frozenset(
    {
        "hstem",
        "hstemhm",
        "vstem",
        "vstemhm",
        "cntrmask",
        "hintmask",
        "hmoveto",
        "vmoveto",
        "rmoveto",
        "endchar",
    }
)
_MAX_GLYPHS = 65536
_MAX_PROGRAM_BYTES = 32 * 1024 * 1024
_MAX_CIDSET_BYTES = 8192  # CIDs 0..65535
_SHOWN = 10


FontProgramProblem = Problem


@dataclass(slots=True)
class Settlement:
    """What `settle` did to the copy and found.

    Attributes:
        candidates: pikepdf findings (rule, where, message) the edits answer, settled if the second
            check does not make them again.
        problems: What the checks of this module found.
    """

    candidates: set[tuple[str, str, str]] = field(default_factory=set)
    problems: list[FontProgramProblem] = field(default_factory=list)


def is_matrix_refusal(rule: str, message: str) -> bool:
    """True for pikepdf's refusal of a compact font program's FontMatrix (or, with it, its ExpertEncoding)."""
    if rule == PROGRAM_RULE:
        return _MATRIX_MESSAGE.match(message) is not None
    return rule == ENCODING_RULE and message == _EXPERT_MESSAGE


def is_cidset_refusal(rule: str, message: str) -> bool:
    """True for pikepdf's refusal to check the /CIDSet of a subset CIDFontType2."""
    return rule.endswith(f":{CIDSET_CLAUSE}") and message == CIDSET_MESSAGE


def is_mmtype1_refusal(rule: str, message: str) -> bool:
    """True for pikepdf's refusal of a multiple master font."""
    return rule == MMTYPE1_RULE and message == MMTYPE1_MESSAGE


def is_refusal(rule: str, message: str) -> bool:
    """True for the refusals this module settles."""
    return (
        is_matrix_refusal(rule, message)
        or is_cidset_refusal(rule, message)
        or is_mmtype1_refusal(rule, message)
    )


def _font(pdf: pikepdf.Pdf, where: str) -> pikepdf.Dictionary | None:
    m = _FONT_WHERE.match(where)
    if m is None:
        return None  # a direct font dictionary: pikepdf names it by its path, which is not followed
    try:
        found = pdf.get_object(int(m.group(1)), int(m.group(2)))
    except (pikepdf.PdfError, ValueError):
        return None
    return found if isinstance(found, pikepdf.Dictionary) else None


def _descriptor(font: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    """The font descriptor of a simple font, or of a Type 0 font's descendant."""
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or len(descendants) != 1:
            return None
        cidfont = descendants[0]
        if not isinstance(cidfont, pikepdf.Dictionary):
            return None
        font = cidfont
    descriptor = font.get("/FontDescriptor")
    return descriptor if isinstance(descriptor, pikepdf.Dictionary) else None


def _builtin_encoding_used(font: pikepdf.Dictionary) -> bool:
    """True if codes of a simple font are read through its program's built-in encoding."""
    encoding = font.get("/Encoding")
    if isinstance(encoding, pikepdf.Name):
        return False
    return not (
        isinstance(encoding, pikepdf.Dictionary) and isinstance(encoding.get("/BaseEncoding"), pikepdf.Name)
    )


def _duplicate_names(top: object) -> bool:
    """True if the charset as stored names a glyph (or a CID) twice; fontTools renames such glyphs."""
    offset = top.rawDict.get("charset", 0)  # type: ignore[attr-defined]
    if offset <= 2:
        return False  # a predefined charset
    file = top.file  # type: ignore[attr-defined]
    file.seek(offset)
    fmt = readCard8(file)
    is_cid = hasattr(top, "ROS")
    count = top.numGlyphs  # type: ignore[attr-defined]
    strings = top.strings  # type: ignore[attr-defined]
    names = (
        parseCharset0(count, file, strings, is_cid)
        if fmt == 0
        else parseCharset(count, file, strings, is_cid, fmt)
    )
    return any(n > 1 for n in Counter(names).values())


def _has_width(program: list[object]) -> bool:
    """True if a Type 2 charstring (without subroutine calls) begins with its width.

    The width is an extra first operand of the first stack-clearing operator (Adobe Technical Note
    #5177, 4.1): an odd operand count, or even for hmoveto and vmoveto.
    """
    count = 0
    for token in program:
        if not isinstance(token, str):
            count += 1
            continue
        if token in _STACK_CLEARING:
            parity = token in ("hmoveto", "vmoveto")
            return count > 0 and bool((count % 2) ^ parity)
        return False  # an operator that takes no width before it
    return False


def rescaled_cff(data: bytes, *, standard_encoding: bool) -> bytes | None:
    """*data*, a bare CFF program, written in the default FontMatrix with its widths scaled to it.

    Args:
        data: The program.
        standard_encoding: Write a built-in ExpertEncoding as StandardEncoding.

    Returns:
        The new program, or None if it cannot be written so (a FontMatrix in a Font DICT, a
        charset naming a glyph twice, a FontMatrix with no horizontal scale, or a program fontTools
        cannot read or write).
    """
    if len(data) > _MAX_PROGRAM_BYTES:
        return None
    try:
        font_set = CFFFontSet()
        font_set.decompile(io.BytesIO(data), None)
        if len(font_set.fontNames) != 1:
            return None
        top = font_set[font_set.fontNames[0]]
        if _duplicate_names(top):
            return None
        matrix = tuple(top.rawDict.get("FontMatrix", _DEFAULT_MATRIX))
        scale = float(matrix[0]) * 1000 if len(matrix) == 6 else 0.0
        if not scale > 0:
            return None
        privates = []
        if hasattr(top, "FDArray"):
            for fd in top.FDArray:
                if "FontMatrix" in fd.rawDict:
                    return None
                privates.append(fd.Private)
        else:
            privates.append(top.Private)
        charset = list(top.charset)
        if len(charset) > _MAX_GLYPHS:
            return None
        strings = top.CharStrings
        widths: dict[str, float] = {}
        for name in charset:
            charstring = strings[name]
            charstring.draw(NullPen())
            widths[name] = float(charstring.width) * scale
        # Widths are rewritten in each charstring, which is simplest without subroutines
        font_set.desubroutinize()
        for private in privates:
            private.nominalWidthX = 0
            private.defaultWidthX = 0
        for name in charset:
            charstring = strings[name]
            charstring.decompile()
            program = list(charstring.program)
            body = program[1:] if _has_width(program) else program
            width = widths[name]
            charstring.program = [round(width) if abs(width - round(width)) < 1e-6 else width, *body]
        top.FontMatrix = list(_DEFAULT_MATRIX)
        if standard_encoding and top.rawDict.get("Encoding") == 1:
            top.Encoding = "StandardEncoding"
        out = io.BytesIO()
        # fontTools asks the font holding the CFF table whether to recompute bounding boxes
        font_set.compile(out, SimpleNamespace(recalcBBoxes=False))
        rewritten = out.getvalue()
        # What pikepdf reads of the new program must be what the old one said
        check = CFFFontSet()
        check.decompile(io.BytesIO(rewritten), None)
        new_top = check[check.fontNames[0]]
        if list(new_top.charset) != charset:
            return None
        for name in charset:
            charstring = new_top.CharStrings[name]
            charstring.draw(NullPen())
            if abs(float(charstring.width) - widths[name]) > 0.01:
                return None
    except Exception as e:  # noqa: BLE001 - fontTools trusts its input: a program it fails on stays refused
        log.debug("Cannot rewrite the CFF program in the default FontMatrix: %s", e)
        return None
    return rewritten


def _rescale(font: pikepdf.Dictionary, where: str) -> bool:
    """Put in the copy *font*'s compact program rewritten in the default FontMatrix."""
    descriptor = _descriptor(font)
    program = descriptor.get("/FontFile3") if descriptor is not None else None
    if not isinstance(program, pikepdf.Stream) or program.get("/Subtype") not in (
        "/Type1C",
        "/CIDFontType0C",
    ):
        return False
    try:
        data = program.read_bytes()
    except pikepdf.PdfError as e:
        log.debug("Cannot read the font program of %s: %s", where, e)
        return False
    simple = font.get("/Subtype") != "/Type0"
    rewritten = rescaled_cff(data, standard_encoding=simple and not _builtin_encoding_used(font))
    if rewritten is None:
        return False
    program.write(rewritten)
    log.debug("Font program of %s rewritten in the default FontMatrix for the second check", where)
    return True


def _cidset_bits(data: bytes) -> set[int]:
    """The CIDs a /CIDSet sets: bit 0x80 of byte 0 is CID 0."""
    return {i * 8 + bit for i, byte in enumerate(data) if byte for bit in range(8) if byte & (0x80 >> bit)}


def _cid_to_gid(value: object) -> list[int] | None:
    """A CIDToGIDMap stream as a list of glyph indices by CID (a last odd byte is a high byte)."""
    if not isinstance(value, pikepdf.Stream):
        return None
    data = value.read_bytes()[: 2 * _MAX_GLYPHS]
    if len(data) % 2:
        data += b"\0"
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]


def check_cidset(cidfont: pikepdf.Dictionary, where: str) -> list[FontProgramProblem] | None:
    """Check the /CIDSet of a subset CIDFontType2 against its program (ISO 19005-2 6.2.11.4.2-2).

    Returns:
        The problems found, or None if the check could not be made (the font's parts cannot be
        read); the refusal then stands.
    """
    descriptor = cidfont.get("/FontDescriptor")
    if not isinstance(descriptor, pikepdf.Dictionary):
        return None
    cidset, program = descriptor.get("/CIDSet"), descriptor.get("/FontFile2")
    if not isinstance(cidset, pikepdf.Stream) or not isinstance(program, pikepdf.Stream):
        return None
    try:
        bits = _cidset_bits(cidset.read_bytes()[:_MAX_CIDSET_BYTES])
        mapping = _cid_to_gid(cidfont.get("/CIDToGIDMap"))
        font = TTFont(io.BytesIO(program.read_bytes()), lazy=True)
        glyphs = int(font["maxp"].numGlyphs)
        metrics = int(font["hhea"].numberOfHMetrics)
    except Exception as e:  # noqa: BLE001 - a program fontTools cannot read is not judged here
        log.debug("Cannot read the CIDSet or program of %s: %s", where, e)
        return None
    if mapping is None:
        present = range(1, min(metrics, _MAX_GLYPHS))

        def holds(cid: int) -> bool:
            return cid < glyphs

    else:
        present = range(1, len(mapping))

        def holds(cid: int) -> bool:
            return cid < len(mapping) and mapping[cid] < glyphs

    lacking = [cid for cid in present if holds(cid) and cid not in bits]
    extra = sorted(cid for cid in bits if cid > 0 and not holds(cid))
    if not lacking and not extra:
        return []
    message = "the /CIDSet does not identify exactly the CIDs present in the font program"
    if lacking:
        message += f"; not in /CIDSet: {', '.join(map(str, lacking[:_SHOWN]))}"
        message += f" and {len(lacking) - _SHOWN} more" if len(lacking) > _SHOWN else ""
    if extra:
        message += f"; not in the program: {', '.join(map(str, extra[:_SHOWN]))}"
        message += f" and {len(extra) - _SHOWN} more" if len(extra) > _SHOWN else ""
    return [FontProgramProblem(CIDSET_CLAUSE, where, message)]


def _settle_cidset(font: pikepdf.Dictionary, where: str, found: Settlement) -> bool:
    if font.get("/Subtype") != "/Type0":
        return False
    descendants = font.get("/DescendantFonts")
    if not isinstance(descendants, pikepdf.Array) or len(descendants) != 1:
        return False
    cidfont = descendants[0]
    if not isinstance(cidfont, pikepdf.Dictionary) or cidfont.get("/Subtype") != "/CIDFontType2":
        return False
    problems = check_cidset(cidfont, where)
    if problems is None:
        return False
    found.problems.extend(problems)
    del cidfont.FontDescriptor["/CIDSet"]
    return True


def settle(pdf: pikepdf.Pdf, findings: list[tuple[str, str, str]]) -> Settlement:
    """Check what pikepdf refused in font programs, and edit the copy *pdf* so that it checks the rest.

    Args:
        pdf: The copy of the document that pikepdf checks again; edited in place.
        findings: pikepdf's findings on the document, as (rule, where, message).

    Returns:
        The refusals the edits answer and the problems found.
    """
    found = Settlement()
    done: dict[tuple[str, str], bool] = {}
    for rule, where, message in findings:
        if is_matrix_refusal(rule, message):
            kind = "matrix"
        elif is_cidset_refusal(rule, message):
            kind = "cidset"
        elif is_mmtype1_refusal(rule, message):
            kind = "mmtype1"
        else:
            continue
        if (kind, where) not in done:
            font = _font(pdf, where)
            ok = False
            if font is None:
                pass
            elif kind == "matrix":
                ok = _rescale(font, where)
            elif kind == "cidset":
                ok = _settle_cidset(font, where, found)
            elif font.get("/Subtype") == "/MMType1":
                font.Subtype = pikepdf.Name.Type1
                ok = True
            done[(kind, where)] = ok
        if done[(kind, where)]:
            found.candidates.add((rule, where, message))
    return found
