"""The multi-page report: headings, tables, images, real footnotes, and page-numbered headers and footers.

python-docx has no footnote API, so `Footnotes` writes the part itself: ``word/footnotes.xml`` with the
separator notes Word expects, its relationship from the main document (the content type override follows
from the part), the ``footnotePr`` entry in settings, the two footnote styles, and ``w:footnoteReference``
runs in the text.
"""

from __future__ import annotations

import io
import math
import re

from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, nsmap, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree
from PIL import Image, ImageDraw, ImageFont

from samples import _text
from samples._docx import new_document, to_bytes

_FOOTNOTE_MARK = re.compile(r"\[\[(\d+)\]\]")
_STYLES = (
    f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="FootnoteText">'
    '<w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>',
    f'<w:style {nsdecls("w")} w:type="character" w:styleId="FootnoteReference">'
    '<w:name w:val="footnote reference"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>',
)


class Footnotes:
    """Collects footnotes while the body is written, then adds the footnotes part to the package."""

    def __init__(self, document: Document) -> None:
        self._document = document
        self._notes: list[str] = []

    def reference(self, paragraph: Paragraph, text: str) -> int:
        """Append a footnote reference run to `paragraph` and remember the note's text.

        Args:
            paragraph: Where the superscript number goes.
            text: The note.

        Returns:
            The footnote's id (1, 2, ...; ids -1 and 0 are the separators).
        """
        self._notes.append(text)
        note_id = len(self._notes)
        paragraph._p.append(
            parse_xml(
                f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:footnoteReference w:id="{note_id}"/></w:r>'
            )
        )
        return note_id

    def finish(self) -> None:
        """Write the footnotes part, its relationship, the styles and the settings entry."""
        root = etree.Element(qn("w:footnotes"), nsmap={"w": nsmap["w"]})
        for note_id, kind, mark in ((-1, "separator", "w:separator"), (0, "continuationSeparator", None)):
            note = etree.SubElement(root, qn("w:footnote"), {qn("w:type"): kind, qn("w:id"): str(note_id)})
            p = etree.SubElement(note, qn("w:p"))
            ppr = etree.SubElement(p, qn("w:pPr"))
            etree.SubElement(ppr, qn("w:spacing"), {qn("w:after"): "0", qn("w:line"): "240"})
            run = etree.SubElement(p, qn("w:r"))
            etree.SubElement(run, qn(mark or "w:continuationSeparator"))
        for note_id, text in enumerate(self._notes, start=1):
            note = etree.SubElement(root, qn("w:footnote"), {qn("w:id"): str(note_id)})
            p = etree.SubElement(note, qn("w:p"))
            ppr = etree.SubElement(p, qn("w:pPr"))
            etree.SubElement(ppr, qn("w:pStyle"), {qn("w:val"): "FootnoteText"})
            ref = etree.SubElement(p, qn("w:r"))
            rpr = etree.SubElement(ref, qn("w:rPr"))
            etree.SubElement(rpr, qn("w:rStyle"), {qn("w:val"): "FootnoteReference"})
            etree.SubElement(ref, qn("w:footnoteRef"))
            run = etree.SubElement(p, qn("w:r"))
            t = etree.SubElement(run, qn("w:t"))
            t.text = " " + text
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

        main = self._document.part
        main.relate_to(
            Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, main.package), RT.FOOTNOTES
        )
        styles = self._document.styles.element
        for xml in _STYLES:
            styles.append(parse_xml(xml))
        # Word writes the separator ids into settings, so a sample that looks like Word's output carries
        # them too. footnotePr precedes compat in CT_Settings.
        settings = self._document.settings.element
        settings.find(qn("w:compat")).addprevious(
            parse_xml(
                f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
            )
        )


def _field(paragraph: Paragraph, instruction: str, cached: str) -> None:
    """Append a complex field (begin, instruction, separate, cached result, end) to `paragraph`."""
    for xml in (
        '<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {{ns}}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {{ns}}><w:t>{cached}</w:t></w:r>",
        '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml.format(ns=nsdecls("w"))))


def _mark_header_row(row) -> None:
    """Mark a table row as a header row, repeated on every page the table spans."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {}))
    for cell in row.cells:
        tcpr = cell._tc.get_or_add_tcPr()
        tcpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="D9E2F3"/>'))
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


def _table(
    document: Document, header: tuple[str, ...], rows: list[tuple[str, ...]], widths_mm: tuple[int, ...]
) -> None:
    """A grid table with a repeating header row and a bold last (total) row."""
    table = document.add_table(rows=1, cols=len(header), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    _mark_header_row(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.text = text
            if i >= 2 or (i == 1 and text[:1].isdigit()):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for cell in table.rows[-1].cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        # Widths live twice in WordprocessingML (grid columns and cells); set both so no reader must choose.
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(10)


def _num(n: int) -> str:
    """A Russian-style number: non-breaking space between thousands."""
    return f"{n:,}".replace(",", _text.NBSP)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",")


def _by_type_rows() -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [
        (kind, formats, _num(got), _num(ok), _num(got - ok), _pct(ok, got))
        for kind, formats, got, ok in _text.REPORT_BY_TYPE
    ]
    got = sum(r[2] for r in _text.REPORT_BY_TYPE)
    ok = sum(r[3] for r in _text.REPORT_BY_TYPE)
    rows.append(("Итого", "", _num(got), _num(ok), _num(got - ok), _pct(ok, got)))
    return rows


def _by_month_rows() -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [
        (month, _num(got), _num(got - bad), _num(bad), _pct(got - bad, got))
        for month, got, bad in _text.REPORT_BY_MONTH
    ]
    got = sum(r[1] for r in _text.REPORT_BY_MONTH)
    bad = sum(r[2] for r in _text.REPORT_BY_MONTH)
    rows.append(("Итого", _num(got), _num(got - bad), _num(bad), _pct(got - bad, got)))
    return rows


def chart_png() -> bytes:
    """A bar chart of the monthly success rate, drawn with Pillow (labels are digits: any font has them).

    Returns:
        PNG bytes, identical on every run with the same Pillow.
    """
    width, height, left, bottom, top = 1200, 560, 90, 70, 30
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    low, high = 90.0, 100.0
    plot_h = height - bottom - top

    def y(value: float) -> float:
        return top + plot_h * (high - value) / (high - low)

    for tick in range(90, 101, 2):
        draw.line([(left, y(tick)), (width - 20, y(tick))], fill="#D0D7E2", width=1)
        draw.text((left - 12, y(tick)), str(tick), fill="#333333", font=font, anchor="rm")
    draw.line([(left, top), (left, height - bottom)], fill="#333333", width=2)
    draw.line([(left, height - bottom), (width - 20, height - bottom)], fill="#333333", width=2)
    months = _text.REPORT_BY_MONTH
    slot = (width - 20 - left) / len(months)
    for i, (_, got, bad) in enumerate(months):
        rate = 100 * (got - bad) / got
        x0 = left + i * slot + slot * 0.18
        x1 = left + (i + 1) * slot - slot * 0.18
        draw.rectangle([(x0, y(rate)), (x1, height - bottom)], fill="#2F5597")
        draw.text(((x0 + x1) / 2, y(rate) - 6), f"{rate:.1f}", fill="#1F3864", font=font, anchor="md")
        draw.text(
            ((x0 + x1) / 2, height - bottom + 12), f"{i + 4:02d}.2025", fill="#333333", font=font, anchor="mt"
        )
    return _png(image)


def logo_png() -> bytes:
    """The centre's (invented) emblem: a page with a folded corner inside a ring of sixteen rays.

    Returns:
        PNG bytes with transparency.
    """
    size = 400
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    c = size / 2
    draw.ellipse([(8, 8), (size - 8, size - 8)], fill="#1F3864")
    draw.ellipse([(40, 40), (size - 40, size - 40)], fill="#F2C12E")
    draw.ellipse([(58, 58), (size - 58, size - 58)], fill="#1F3864")
    for k in range(16):
        a = 2 * math.pi * k / 16
        inner, outer, half = 70, 120, 0.09
        pts = [
            (c + inner * math.cos(a - half), c + inner * math.sin(a - half)),
            (c + outer * math.cos(a), c + outer * math.sin(a)),
            (c + inner * math.cos(a + half), c + inner * math.sin(a + half)),
        ]
        draw.polygon(pts, fill="#F2C12E")
    draw.polygon([(150, 120), (225, 120), (255, 150), (255, 285), (150, 285)], fill="white")
    draw.polygon([(225, 120), (225, 150), (255, 150)], fill="#C9D3E6")
    for row in range(165, 270, 22):
        draw.line([(165, row), (240, row)], fill="#2F5597", width=6)
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=9)
    return buf.getvalue()


def _paragraph_with_notes(document: Document, text: str, notes: Footnotes) -> Paragraph:
    """A justified body paragraph; each "[[n]]" becomes a reference to footnote n of the report."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(12.5)
    pieces = _FOOTNOTE_MARK.split(text)
    for i, piece in enumerate(pieces):
        if i % 2 == 0:
            if piece:
                paragraph.add_run(piece)
        else:
            notes.reference(paragraph, _text.REPORT_FOOTNOTES[int(piece) - 1])
    return paragraph


def _header_footer(document: Document) -> None:
    section = document.sections[0]
    left, right = _text.REPORT_HEADER
    header = section.header.paragraphs[0]
    header.paragraph_format.tab_stops.add_tab_stop(Mm(170), alignment=WD_TAB_ALIGNMENT.RIGHT)
    header.add_run(f"{left}\t{right}").font.size = Pt(9)
    header.style = document.styles["Header"]

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, middle, after = _text.REPORT_FOOTER
    footer.add_run(before)
    _field(footer, "PAGE", "1")
    footer.add_run(middle)
    _field(footer, "NUMPAGES", "4")
    if after:
        footer.add_run(after)


def report() -> bytes:
    """Build the Russian report (with a Kazakh summary): 4 pages with LibreOffice's fonts.

    Returns:
        The DOCX bytes.
    """
    document = new_document(_text.REPORT_META, size_pt=12)
    notes = Footnotes(document)
    _header_footer(document)
    for kind, payload in _text.REPORT_BLOCKS:
        if kind == "logo":
            document.add_picture(io.BytesIO(logo_png()), width=Mm(30))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "title":
            document.add_paragraph(str(payload), style="Title")
        elif kind == "subtitle":
            document.add_paragraph(str(payload), style="Subtitle")
        elif kind == "h1":
            document.add_heading(str(payload), level=1)
        elif kind == "h2":
            document.add_heading(str(payload), level=2)
        elif kind == "p":
            _paragraph_with_notes(document, str(payload), notes)
        elif kind in ("bullets", "numbers"):
            style = "List Bullet" if kind == "bullets" else "List Number"
            for item in payload:  # type: ignore[attr-defined]
                document.add_paragraph(item, style=style)
        elif kind == "table":
            key = str(payload)
            document.add_paragraph(_text.REPORT_TABLE_CAPTIONS[key], style="Caption")
            header: tuple[str, ...]
            if key == "by-type":
                header = (
                    "Тип документа",
                    "Форматы",
                    "Поступило",
                    "Конвертировано",
                    "Отклонено",
                    "Успешно, %",
                )
                _table(document, header, _by_type_rows(), (38, 28, 24, 32, 24, 24))
            else:
                header = ("Месяц", "Поступило", "Конвертировано", "Отклонено", "Успешно, %")
                _table(document, header, _by_month_rows(), (34, 30, 34, 30, 30))
        elif kind == "figure":
            document.add_picture(io.BytesIO(chart_png()), width=Mm(160))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = document.add_paragraph(str(payload), style="Caption")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "pagebreak":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:  # pragma: no cover - a typo in _text
            raise ValueError(f"unknown report block {kind!r}")
    notes.finish()
    return to_bytes(document)
