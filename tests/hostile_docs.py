"""Builders of hostile office documents for `test_hostile.py`: every file is written by hand from XML text.

Each builder returns bytes or writes one file and knows nothing about the engine. Canary content (a
file on disk, or a URL on the test's loopback server) is passed in, so a test can tell afterwards
whether the engine reached for it. The packages are minimal but complete enough that LibreOffice 7.4
opens them: a builder that produced a file the engine rejects outright would prove nothing.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from PIL import Image

# A string no real document holds, ASCII and Cyrillic (Kazakh letters included), so a leak is found
# whichever way an output encodes text.
CANARY_TEXT = "QJCANARY7F3A Канарейка-Қөңіл"
CANARY_ASCII = "QJCANARY7F3A"
# A colour no generated sample uses: a picture of it in an output can only have come from the canary.
CANARY_RGB = (23, 229, 97)

_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_R = "http://schemas.openxmlformats.org/package/2006/relationships"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def png(color: tuple[int, int, int], size: int = 48) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), color).save(buf, "PNG")
    return buf.getvalue()


def bomb_png(side: int = 50_000) -> bytes:
    """A valid 1-bit greyscale PNG of *side* x *side* pixels that compresses to a few hundred KiB.

    Decoded naively into 32-bit pixels it needs ``4 * side**2`` bytes (10 GB at 50000).
    """
    row = b"\x00" + b"\x00" * ((side + 7) // 8)  # filter byte "none", then black pixels
    comp = zlib.compressobj(9)
    idat = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def write_canaries(folder: Path) -> dict[str, Path]:
    """Write the canary files the hostile documents point at: text, picture and workbook."""
    import openpyxl

    folder.mkdir(parents=True, exist_ok=True)
    txt = folder / "canary.txt"
    txt.write_text(CANARY_TEXT + "\n", encoding="utf-8")
    pic = folder / "canary.png"
    pic.write_bytes(png(CANARY_RGB))
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active["A1"] = CANARY_TEXT
    book = folder / "canary.xlsx"
    wb.save(book)
    return {"txt": txt, "png": pic, "xlsx": book}


# -- packages ------------------------------------------------------------------------------------------


def _zip(path: Path, parts: dict[str, bytes | str], *, first: tuple[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        if first is not None:  # ODF's mimetype: first, stored
            z.writestr(first[0], first[1], compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _rels(rels: list[tuple[str, str, str, bool]]) -> str:
    """Relationships part from (id, type suffix, target, external)."""
    items = "".join(
        f'<Relationship Id="{rid}" Type="{_R}/{kind}" Target={quoteattr(target)}'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for rid, kind, target, external in rels
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG_R}">'
        f"{items}</Relationships>"
    )


def docx(
    path: Path,
    body: str,
    *,
    rels: list[tuple[str, str, str, bool]] = (),  # type: ignore[assignment]
    media: dict[str, bytes] | None = None,
    settings: str | None = None,
    settings_rels: list[tuple[str, str, str, bool]] = (),  # type: ignore[assignment]
) -> Path:
    """Write a DOCX whose body is *body* (WordprocessingML paragraphs), with extra relationships."""
    overrides = (
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.document.main+xml"/>'
    )
    doc_rels = list(rels)
    parts: dict[str, bytes | str] = {}
    if settings is not None:
        overrides += (
            '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.settings+xml"/>'
        )
        doc_rels.append(("rIdSettings", "settings", "settings.xml", False))
        parts["word/settings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="{_W}" '
            f'xmlns:r="{_R}">{settings}</w:settings>'
        )
        if settings_rels:
            parts["word/_rels/settings.xml.rels"] = _rels(list(settings_rels))
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        '<Default Extension="svg" ContentType="image/svg+xml"/>'
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>'
        f"{overrides}</Types>"
    )
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG_R}">'
        f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    parts["word/document.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W}" xmlns:r="{_R}" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
        'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office">'
        f"<w:body><w:p><w:r><w:t>Hostile test document.</w:t></w:r></w:p>{body}</w:body></w:document>"
    )
    parts["word/_rels/document.xml.rels"] = _rels(doc_rels)
    for name, data in (media or {}).items():
        parts[f"word/media/{name}"] = data
    return _zip(path, parts)


def fld_simple(instr: str, shown: str = "field") -> str:
    return (
        f"<w:p><w:fldSimple w:instr={quoteattr(' ' + instr + ' ')}><w:r><w:t>{escape(shown)}</w:t></w:r>"
        "</w:fldSimple></w:p>"
    )


def fld_complex(instr: str, shown: str = "field") -> str:
    return (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instr)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r><w:t>{escape(shown)}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def inline_picture(rid: str, *, attr: str = "r:embed", cx: int = 914400, cy: int = 914400) -> str:
    """A DrawingML inline picture whose blip is relationship *rid* (embedded or, with r:link, linked)."""
    return (
        "<w:p><w:r><w:drawing>"
        f'<wp:inline><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="1" name="Picture 1"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="p"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip {attr}="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def ole_link(ole_rid: str, preview_rid: str) -> str:
    """A VML linked OLE object (Type="Link") with an embedded preview picture."""
    return (
        '<w:p><w:r><w:object w:dxaOrig="1440" w:dyaOrig="1440">'
        '<v:shape id="_x0000_i1025" type="#_x0000_t75" style="width:72pt;height:72pt" o:ole="">'
        f'<v:imagedata r:id="{preview_rid}" o:title=""/></v:shape>'
        f'<o:OLEObject Type="Link" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" DrawAspect="Content" '
        f'r:id="{ole_rid}" UpdateMode="Always"><o:LinkType>EnhancedMetaFile</o:LinkType>'
        "<o:LockedField>false</o:LockedField></o:OLEObject></w:object></w:r></w:p>"
    )


def hyperlink(rid: str, text: str) -> str:
    return f'<w:p><w:hyperlink r:id="{rid}"><w:r><w:t>{escape(text)}</w:t></w:r></w:hyperlink></w:p>'


def svg_with_refs(hrefs: list[str]) -> bytes:
    images = "".join(
        f'<image x="0" y="{i * 50}" width="48" height="48" href={quoteattr(h)} xlink:href={quoteattr(h)}/>'
        for i, h in enumerate(hrefs)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="200" viewBox="0 0 100 200">'
        f'<rect x="60" y="0" width="30" height="30" fill="#000080"/>{images}</svg>'
    ).encode()


def xlsx(
    path: Path,
    sheet_data: str,
    *,
    dimension: str = "A1",
    external_book: str | None = None,
) -> Path:
    """Write an XLSX with one sheet; *external_book* adds an externalLink part pointing at that URL."""
    overrides = (
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    )
    wb_rels = [("rId1", "worksheet", "worksheets/sheet1.xml", False)]
    ext_refs = ""
    parts: dict[str, bytes | str] = {}
    if external_book is not None:
        overrides += (
            '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>'
        )
        wb_rels.append(("rId2", "externalLink", "externalLinks/externalLink1.xml", False))
        ext_refs = '<externalReferences><externalReference r:id="rId2"/></externalReferences>'
        # No cached values: only reading the linked workbook could give the formula its value.
        parts["xl/externalLinks/externalLink1.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><externalLink xmlns="{_SML}">'
            f'<externalBook xmlns:r="{_R}" r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
            "</externalBook></externalLink>"
        )
        parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = _rels(
            [("rId1", "externalLinkPath", external_book, True)]
        )
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>'
    )
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{_PKG_R}">'
        f'<Relationship Id="rId1" Type="{_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{_SML}" xmlns:r="{_R}">'
        f'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>{ext_refs}</workbook>'
    )
    parts["xl/_rels/workbook.xml.rels"] = _rels(wb_rels)
    parts["xl/worksheets/sheet1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_SML}" xmlns:r="{_R}">'
        f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>'
    )
    return _zip(path, parts)


# -- ODF -----------------------------------------------------------------------------------------------

_ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:ooo="http://openoffice.org/2004/office" '
    'xmlns:dom="http://www.w3.org/2001/xml-events"'
)
_ODF_MIME = {
    "text": "application/vnd.oasis.opendocument.text",
    "spreadsheet": "application/vnd.oasis.opendocument.spreadsheet",
}


def flat_odf(path: Path, kind: str, body: str, *, head: str = "") -> Path:
    """Write a flat ODF file (``.fodt``/``.fods``) whose office body of *kind* is *body*."""
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><office:document {_ODF_NS} office:version="1.3" '
        f'office:mimetype="{_ODF_MIME[kind]}">{head}<office:body><office:{kind}>{body}</office:{kind}>'
        "</office:body></office:document>",
        encoding="utf-8",
    )
    return path


def odf(path: Path, kind: str, body: str, *, head: str = "", extra: dict[str, str] | None = None) -> Path:
    """Write a packaged ODF file (``.odt``/``.ods``); *extra* parts are listed in the manifest as XML."""
    extra = extra or {}
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NS} office:version="1.3">'
        f"{head}<office:body><office:{kind}>{body}</office:{kind}></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        f'manifest:media-type="{_ODF_MIME[kind]}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        + "".join(
            f'<manifest:file-entry manifest:full-path="{n}" manifest:media-type="text/xml"/>' for n in extra
        )
        + "</manifest:manifest>"
    )
    return _zip(
        path,
        {"content.xml": content, **extra, "META-INF/manifest.xml": manifest},
        first=("mimetype", _ODF_MIME[kind]),
    )


_BASIC_DTD = '<!DOCTYPE {root} PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{dtd}">'


def basic_library(marker: Path) -> dict[str, str]:
    """The parts of a document Basic library whose ``Standard.Module1.Main`` writes *marker*."""
    return {
        "Basic/script-lc.xml": '<?xml version="1.0" encoding="UTF-8"?>'
        + _BASIC_DTD.format(root="library:libraries", dtd="libraries.dtd")
        + '<library:libraries xmlns:library="http://openoffice.org/2000/library" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<library:library library:name="Standard" library:link="false"/></library:libraries>',
        "Basic/Standard/script-lb.xml": '<?xml version="1.0" encoding="UTF-8"?>'
        + _BASIC_DTD.format(root="library:library", dtd="library.dtd")
        + '<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" '
        'library:readonly="false" library:passwordprotected="false">'
        '<library:element library:name="Module1"/></library:library>',
        "Basic/Standard/Module1.xml": '<?xml version="1.0" encoding="UTF-8"?>'
        + _BASIC_DTD.format(root="script:module", dtd="module.dtd")
        + '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
        f'script:language="StarBasic">Sub Main\nOpen "{marker}" For Output As #1\nPrint #1, "ran"\n'
        "Close #1\nEnd Sub\n</script:module>",
    }
