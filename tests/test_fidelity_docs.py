"""Builders of small office files with exactly the parts a fidelity test needs (no tests here).

DOCX, XLSX and ODF packages are written from their XML, so a test can make an "output" that really
lost one table, comment or chart, without LibreOffice.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pikepdf

W_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def png() -> bytes:
    """A 2x2 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# -- DOCX ----------------------------------------------------------------------------------------------


def para(text: str, *, font: str | None = None, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/></w:rPr>' if font else ""
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


TABLE = (
    "<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
    + "".join(
        "<w:tr>"
        + "".join(f"<w:tc><w:p><w:r><w:t>cell {r}{c}</w:t></w:r></w:p></w:tc>" for c in "ab")
        + "</w:tr>"
        for r in "123"
    )
    + "</w:tbl>"
)


def _drawing(graphic: str) -> str:
    return (
        '<w:p><w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr id="1" name="x"/>'
        f"<a:graphic>{graphic}</a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


IMAGE = _drawing(
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
    '<pic:blipFill><a:blip r:embed="rIdImg"/></pic:blipFill></pic:pic></a:graphicData>'
)
LINKED_IMAGE = _drawing(
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
    '<pic:blipFill><a:blip r:link="rIdLinked"/></pic:blipFill></pic:pic></a:graphicData>'
)
CHART = _drawing(
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
    '<c:chart r:id="rIdChart"/></a:graphicData>'
)
COMMENTED = (
    '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Reviewed paragraph.</w:t></w:r>'
    '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
)
FOOTNOTED = (
    '<w:p><w:r><w:t>Statement with a source.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>'
)
EQUATION = "<w:p><m:oMathPara><m:oMath><m:r><m:t>E=mc2</m:t></m:r></m:oMath></m:oMathPara></w:p>"
TRACKED = (
    '<w:p><w:r><w:t xml:space="preserve">Kept for </w:t></w:r>'
    '<w:del w:id="7" w:author="A"><w:r><w:delText>one year</w:delText></w:r></w:del>'
    '<w:ins w:id="8" w:author="A"><w:r><w:t>three years</w:t></w:r></w:ins></w:p>'
)
HEADING = para("Scope of the policy", style="Heading1")

STYLES = (
    f"<w:styles {W_NS}><w:docDefaults><w:rPrDefault><w:rPr>"
    '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>'
    "</w:rPr></w:rPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:outlineLvl w:val="0"/></w:pPr>'
    '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr></w:style>'
    "</w:styles>"
)


def make_docx(
    path: Path,
    body: str,
    *,
    macros: bool = False,
    pages: int | None = None,
    comment: bool = False,
    footnote: bool = False,
) -> Path:
    """A DOCX (or, with *macros*, a DOCM) whose body is *body* (``w:p``/``w:tbl`` markup)."""
    main = (
        "application/vnd.ms-word.document.macroEnabled.main+xml"
        if macros
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    overrides = f'<Override PartName="/word/document.xml" ContentType="{main}"/>'
    doc_rels = [
        f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/>',
        f'<Relationship Id="rIdImg" Type="{REL}/image" Target="media/image1.png"/>',
        f'<Relationship Id="rIdChart" Type="{REL}/chart" Target="charts/chart1.xml"/>',
        f'<Relationship Id="rIdLinked" Type="{REL}/image" Target="http://example.invalid/logo.png" '
        'TargetMode="External"/>',
    ]
    parts: dict[str, bytes | str] = {
        "word/styles.xml": STYLES,
        "word/media/image1.png": png(),
        "word/charts/chart1.xml": '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>',
    }
    if comment:
        overrides += (
            '<Override PartName="/word/comments.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
        )
        doc_rels.append(f'<Relationship Id="rIdComments" Type="{REL}/comments" Target="comments.xml"/>')
        parts["word/comments.xml"] = (
            f'<w:comments {W_NS}><w:comment w:id="0" w:author="Reviewer">'
            "<w:p><w:r><w:t>Please check the dates.</w:t></w:r></w:p></w:comment></w:comments>"
        )
    if footnote:
        doc_rels.append(f'<Relationship Id="rIdFoot" Type="{REL}/footnotes" Target="footnotes.xml"/>')
        parts["word/footnotes.xml"] = (
            f'<w:footnotes {W_NS}><w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>'
            "<w:r><w:t>Archive law, article 12.</w:t></w:r></w:p></w:footnote></w:footnotes>"
        )
    if macros:
        parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not a real project"
        doc_rels.append(
            '<Relationship Id="rIdVba" '
            'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
            'Target="vbaProject.bin"/>'
        )
    root_rels = [f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>']
    if pages is not None:
        root_rels.append(
            f'<Relationship Id="rId2" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
        )
        parts["docProps/app.xml"] = (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>Microsoft Office Word</Application><Pages>{pages}</Pages></Properties>"
        )
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        f"{overrides}</Types>"
    )
    rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts["_rels/.rels"] = f'<Relationships xmlns="{rels_ns}">{"".join(root_rels)}</Relationships>'
    parts["word/_rels/document.xml.rels"] = (
        f'<Relationships xmlns="{rels_ns}">{"".join(doc_rels)}</Relationships>'
    )
    parts["word/document.xml"] = f"<w:document {W_NS}><w:body>{body}<w:sectPr/></w:body></w:document>"
    return _zip(path, parts)


def _zip(path: Path, parts: dict[str, bytes | str], first: tuple[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        if first:
            zf.writestr(zipfile.ZipInfo(first[0]), first[1], compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


# -- ODF -----------------------------------------------------------------------------------------------

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:chart="urn:oasis:names:tc:opendocument:xmlns:chart:1.0" '
    'xmlns:math="http://www.w3.org/1998/Math/MathML"'
)
ODT_TABLE = (
    '<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/>'
    + "".join(
        "<table:table-row>"
        + "".join(f"<table:table-cell><text:p>cell {r}{c}</text:p></table:table-cell>" for c in "ab")
        + "</table:table-row>"
        for r in "123"
    )
    + "</table:table>"
)
ODT_IMAGE = (
    '<text:p><draw:frame draw:name="i1"><draw:image xlink:href="Pictures/image1.png"/></draw:frame></text:p>'
)
ODT_CHART = (
    '<text:p><draw:frame draw:name="c1"><draw:object xlink:href="./Object 1"/>'
    '<draw:image xlink:href="./ObjectReplacements/Object 1"/></draw:frame></text:p>'
)
ODT_COMMENTED = (
    "<text:p><office:annotation><dc:creator>Reviewer</dc:creator><text:p>Please check the dates.</text:p>"
    "</office:annotation>Reviewed paragraph.</text:p>"
)
ODT_FOOTNOTED = (
    '<text:p>Statement with a source.<text:note text:id="n1" text:note-class="footnote">'
    "<text:note-citation>1</text:note-citation><text:note-body><text:p>Archive law, article 12.</text:p>"
    "</text:note-body></text:note></text:p>"
)
ODT_EQUATION = (
    '<text:p><draw:frame draw:name="f1"><draw:object xlink:href="./Object 2"/>'
    '<draw:image xlink:href="./ObjectReplacements/Object 2"/></draw:frame></text:p>'
)
ODT_HEADING = '<text:h text:outline-level="1">Scope of the policy</text:h>'


def make_odf(path: Path, body: str, *, kind: str = "text", automatic_styles: str = "") -> Path:
    """An ODF package whose ``office:body`` holds ``office:{kind}`` with *body*, plus a chart object
    (``Object 1``) and a formula object (``Object 2``) for frames to point at."""
    mime = {
        "text": "application/vnd.oasis.opendocument.text",
        "spreadsheet": "application/vnd.oasis.opendocument.spreadsheet",
        "presentation": "application/vnd.oasis.opendocument.presentation",
    }[kind]
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mime}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="Object 1/" '
        'manifest:media-type="application/vnd.oasis.opendocument.chart"/>'
        '<manifest:file-entry manifest:full-path="Object 2/" '
        'manifest:media-type="application/vnd.oasis.opendocument.formula"/>'
        "</manifest:manifest>"
    )
    parts: dict[str, bytes | str] = {
        "META-INF/manifest.xml": manifest,
        "content.xml": (
            f'<office:document-content {ODF_NS} office:version="1.3">'
            f"<office:automatic-styles>{automatic_styles}</office:automatic-styles>"
            f"<office:body><office:{kind}>{body}</office:{kind}></office:body></office:document-content>"
        ),
        "styles.xml": f'<office:document-styles {ODF_NS} office:version="1.3"/>',
        "Pictures/image1.png": png(),
        "Object 1/content.xml": (
            f"<office:document-content {ODF_NS}><office:body><office:chart><chart:chart/></office:chart>"
            "</office:body></office:document-content>"
        ),
        "Object 2/content.xml": '<math:math xmlns:math="http://www.w3.org/1998/Math/MathML"/>',
    }
    return _zip(path, parts, first=("mimetype", mime.encode()))


# -- XLSX ----------------------------------------------------------------------------------------------

X_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def make_xlsx(path: Path, sheets: dict[str, str], *, chart_on: str | None = None) -> Path:
    """An XLSX whose sheets hold the given ``sheetData`` (plus ``mergeCells``...) markup."""
    rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    wb_sheets = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(sheets, 1))
    wb_rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i, _ in enumerate(sheets, 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i, _ in enumerate(sheets, 1)
    )
    parts: dict[str, bytes | str] = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{rels_ns}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook {X_NS} xmlns:r="{REL}"><sheets>{wb_sheets}</sheets>'
            '<definedNames><definedName name="Total">Sheet1!$B$3</definedName></definedNames></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{rels_ns}">{wb_rels}</Relationships>',
    }
    for i, (name, data) in enumerate(sheets.items(), 1):
        drawing = ""
        if name == chart_on:
            drawing = '<drawing r:id="rIdD"/>'
            parts[f"xl/worksheets/_rels/sheet{i}.xml.rels"] = (
                f'<Relationships xmlns="{rels_ns}"><Relationship Id="rIdD" Type="{REL}/drawing" '
                'Target="../drawings/drawing1.xml"/></Relationships>'
            )
            parts["xl/drawings/drawing1.xml"] = (
                '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"/>'
            )
            parts["xl/drawings/_rels/drawing1.xml.rels"] = (
                f'<Relationships xmlns="{rels_ns}"><Relationship Id="rIdC" Type="{REL}/chart" '
                'Target="../charts/chart1.xml"/></Relationships>'
            )
            parts["xl/charts/chart1.xml"] = (
                '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>'
            )
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'<worksheet {X_NS} xmlns:r="{REL}">{data}{drawing}</worksheet>'
        )
    return _zip(path, parts)


# -- PDF -----------------------------------------------------------------------------------------------


def make_pdf(path: Path, pages: list[str]) -> Path:
    """A PDF with one line of text per page, set in Helvetica, which is not embedded."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    for text in pages:
        stream = pikepdf.Stream(pdf, f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
        page = pikepdf.Page(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, 612, 792],
                Contents=stream,
                Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
            )
        )
        pdf.pages.append(page)
    pdf.save(path)
    return path
