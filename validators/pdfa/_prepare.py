"""Readying a process for a long run of PDF/A checks: what the first files would otherwise pay for.

The first file of each flavour loads that flavour's role schemas; the first TrueType or compact font
imports the fontTools table modules pikepdf reads (glyf, loca, hmtx, cmap, post, CFF); the first text
in an old encoding imports its codec. On a shelf of thousands of files that is nothing; on a batch of
ten it is a third of the time, and it lands on whichever file comes first. `prepare` pays it up front,
by checking one small generated document per flavour that shows text in a TrueType, a compact (CFF)
and a standard Type 1 font. Its verdicts are not used. The caller may add readying of its own (the
validator compiles the predicates of all its role schemas, see `validators.pdfa._accel`).

Then, if asked, it freezes the garbage collector's view of every object alive at that point
(`gc.freeze`): modules, schemas, tables. They live as long as the process, and without this each full
collection walks all of them again, a pause of tens of milliseconds every few hundred files.
"""

from __future__ import annotations

import codecs
import gc
import io
import logging
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pikepdf.pdfa

log = logging.getLogger(__name__)

_done = False
_lock = threading.Lock()

# Codecs pikepdf and fontTools look up by name while reading fonts and text strings
_CODECS = ("mac_roman", "cp1252", "utf_16_be", "latin_1")


def prepare(
    check: Callable[[Path, str], object],
    flavours: tuple[str, ...],
    *,
    freeze: bool,
    also: Callable[[], object] | None = None,
) -> None:
    """Check a generated document of each of *flavours* with *check*, once per process; then call *also*
    (more readying), then freeze."""
    global _done
    with _lock:
        if _done:
            return
        _done = True
        # Nothing here may fail the caller (a pool worker that raised here would break the whole pool):
        # an unready process is only slower on its first files
        try:
            for name in _CODECS:
                codecs.lookup(name)
            with tempfile.TemporaryDirectory(prefix="qujat-prepare-") as tmp:
                for flavour in flavours:
                    try:
                        path = Path(tmp) / f"prepare-{flavour}.pdf"
                        path.write_bytes(_document(flavour))
                        check(path, flavour)
                    except Exception as e:  # noqa: BLE001
                        log.debug("Could not prepare PDF/A-%s checks: %s", flavour, e)
            if also is not None:
                also()
        except Exception as e:  # noqa: BLE001
            log.debug("Could not prepare PDF/A checks: %s", e)
        if freeze:
            gc.collect()
            gc.freeze()


def _document(flavour: str) -> bytes:
    """One page claiming *flavour* that shows text in a TrueType, a CFF and a Type 1 font."""
    blank = pikepdf.new()
    blank.add_blank_page(page_size=(200, 200))
    claimed = io.BytesIO()
    pikepdf.pdfa.save(blank, claimed, "2b" if flavour == "2u" else flavour)
    with pikepdf.open(io.BytesIO(claimed.getvalue())) as pdf:
        fonts = pikepdf.Dictionary(
            F1=_simple_font(pdf, "/TrueType", "/FontFile2", _truetype(), None),
            F2=_simple_font(pdf, "/Type1", "/FontFile3", _cff(), "/Type1C"),
            F3=pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
                )
            ),
        )
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(Font=fonts)
        page.Contents = pdf.make_stream(
            b"BT /F1 12 Tf 10 10 Td (AB) Tj /F2 12 Tf (AB) Tj /F3 12 Tf (AB) Tj ET"
        )
        out = io.BytesIO()
        pdf.save(out)
    data = out.getvalue()
    if flavour == "2u":
        data = data.replace(b"<pdfaid:conformance>B<", b"<pdfaid:conformance>U<")
    return data


def _simple_font(
    pdf: pikepdf.Pdf, subtype: str, key: str, program: bytes, program_format: str | None
) -> pikepdf.Object:
    """An indirect simple font of *subtype* showing A and B, its *program* embedded under *key*."""
    embedded = pdf.make_stream(program)
    if program_format is not None:
        embedded.Subtype = pikepdf.Name(program_format)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor,
        FontName=pikepdf.Name("/Prepared"),
        Flags=32,
        FontBBox=[0, 0, 500, 700],
        ItalicAngle=0,
        Ascent=700,
        Descent=0,
        CapHeight=700,
        StemV=80,
    )
    descriptor[pikepdf.Name(key)] = embedded
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name(subtype),
            BaseFont=pikepdf.Name("/Prepared"),
            FirstChar=65,
            LastChar=66,
            Widths=[500, 500],
            Encoding=pikepdf.Name.WinAnsiEncoding,
            FontDescriptor=pdf.make_indirect(descriptor),
        )
    )


def _builder(ttf: bool) -> Any:
    from fontTools.fontBuilder import FontBuilder

    builder = FontBuilder(1000, isTTF=ttf)
    builder.setupGlyphOrder([".notdef", "A", "B"])
    builder.setupCharacterMap({65: "A", 66: "B"})
    return builder


def _truetype() -> bytes:
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    builder = _builder(ttf=True)
    glyphs = {}
    for name in (".notdef", "A", "B"):
        pen = TTGlyphPen(None)
        pen.moveTo((0, 0))
        pen.lineTo((500, 0))
        pen.lineTo((500, 700))
        pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    return _finish(builder)


def _cff() -> bytes:
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    builder = _builder(ttf=False)
    charstrings = {}
    for name in (".notdef", "A", "B"):
        pen = T2CharStringPen(500, None)
        pen.moveTo((0, 0))
        pen.lineTo((500, 0))
        pen.lineTo((500, 700))
        pen.closePath()
        charstrings[name] = pen.getCharString()
    builder.setupCFF("Prepared", {"FullName": "Prepared"}, charstrings, {})
    font = _finish_font(builder)
    return bytes(font["CFF "].compile(font))


def _finish_font(b: Any) -> Any:
    """The font of FontBuilder *b*, given the tables every font needs."""
    b.setupHorizontalMetrics({name: (500, 0) for name in (".notdef", "A", "B")})
    b.setupHorizontalHeader(ascent=700, descent=0)
    b.setupNameTable({"familyName": "Prepared", "styleName": "Regular"})
    b.setupOS2()
    b.setupPost()
    return b.font


def _finish(builder: Any) -> bytes:
    out = io.BytesIO()
    _finish_font(builder).save(out)
    return out.getvalue()
