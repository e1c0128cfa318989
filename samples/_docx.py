"""Word documents: the shared page and style set-up, core properties, the three letters and the memo.

python-docx's default template is US Letter with Calibri/Cambria theme fonts; Cambria's stand-in on Linux
(Caladea) has no Cyrillic, so every document here names fonts that cover Kazakh (Times New Roman and Arial,
which LibreOffice replaces metric for metric by Liberation Serif and Liberation Sans) and uses A4 pages
with the wide left (binding) margin usual in Kazakh and Russian official letters.
"""

from __future__ import annotations

import io

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from samples._text import ORGANISATION, Change, Letter, Memo, Meta, Remark
from samples._zip import app_xml, normalise

_COMMENT_STYLES = (
    f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="CommentText">'
    '<w:name w:val="annotation text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/>'
    '<w:unhideWhenUsed/><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>',
    f'<w:style {nsdecls("w")} w:type="character" w:styleId="CommentReference">'
    '<w:name w:val="annotation reference"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>',
)

BODY_FONT = "Times New Roman"
HEADING_FONT = "Arial"


def new_document(meta: Meta, *, size_pt: float = 12) -> Document:
    """A blank A4 document with Kazakh-safe fonts, the document language and its core properties set.

    Args:
        meta: Core properties; `meta.language` also becomes the default proofing language.
        size_pt: Body text size in points.

    Returns:
        The python-docx document, ready for content.
    """
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance = section.footer_distance = Mm(10)
    _set_default_run(document, meta.language, size_pt)
    for level in (1, 2, 3):
        _set_fonts(document.styles[f"Heading {level}"].element, HEADING_FONT)
    for name in ("Title", "Subtitle"):
        _set_fonts(document.styles[name].element, HEADING_FONT)
    set_core(document, meta)
    return document


def _set_default_run(document: Document, language: str, size_pt: float) -> None:
    """Replace the theme fonts and en-US language of the template's document defaults."""
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT)
    half_points = str(round(size_pt * 2))
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), half_points)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), language)
    lang.set(qn("w:eastAsia"), language)
    normal = document.styles["Normal"].paragraph_format
    normal.space_after = Pt(6)
    normal.line_spacing = 1.0


def _set_fonts(element, font: str) -> None:
    """Name `font` for every script of a style or rPr element, dropping theme references that win over it."""
    rpr = element if element.tag == qn("w:rPr") else element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), font)


def set_core(document: Document, meta: Meta) -> None:
    """Set every core property, with fixed dates so that two runs give the same bytes."""
    core = document.core_properties
    core.title = meta.title
    core.subject = meta.subject
    core.author = meta.author
    core.last_modified_by = meta.author
    core.keywords = meta.keywords
    core.language = meta.language
    core.comments = meta.description
    core.category = meta.category
    core.created = meta.created
    core.modified = meta.modified
    core.revision = 3


def to_bytes(document: Document) -> bytes:
    """Serialise a document with fixed zip timestamps."""
    buf = io.BytesIO()
    document.save(buf)
    return normalise(buf.getvalue(), {"docProps/app.xml": app_xml(company=ORGANISATION)})


def letter(text: Letter) -> bytes:
    """Build an official letter: letterhead, date and reference, addressee, subject, body, signature.

    Args:
        text: The letter's words, in one language.

    Returns:
        The DOCX bytes.
    """
    document = new_document(text.meta, size_pt=13 if text.meta.language != "en-GB" else 11.5)
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for i, line in enumerate(text.letterhead):
        run = head.add_run(line)
        run.bold = i == 0
        run.font.size = Pt(13 if i == 0 else 9)
        run.font.name = HEADING_FONT
        if i < len(text.letterhead) - 1:
            run.add_break()
    _bottom_rule(head)

    # Date left, reference right: one tab stop at the right margin, as in a paper letter's blank.
    dated = document.add_paragraph()
    dated.paragraph_format.tab_stops.add_tab_stop(Mm(170), alignment=WD_TAB_ALIGNMENT.RIGHT)
    dated.add_run(f"{text.date}\t{text.ref}")

    to = document.add_paragraph()
    to.paragraph_format.left_indent = Mm(95)
    to.paragraph_format.space_before = Pt(12)
    for i, line in enumerate(text.addressee):
        run = to.add_run(line)
        run.bold = i == 0
        if i < len(text.addressee) - 1:
            run.add_break()

    subject = document.add_paragraph()
    subject.paragraph_format.space_before = Pt(12)
    subject.add_run(text.subject).italic = True

    salutation = document.add_paragraph(text.salutation)
    if text.meta.language != "en-GB":
        salutation.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for paragraph in text.body:
        body = document.add_paragraph(paragraph)
        body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        body.paragraph_format.first_line_indent = Mm(12.5) if text.meta.language != "en-GB" else None

    document.add_paragraph(text.enclosure).paragraph_format.space_before = Pt(12)
    document.add_paragraph(text.closing).paragraph_format.space_before = Pt(12)
    sign = document.add_paragraph()
    sign.paragraph_format.tab_stops.add_tab_stop(Mm(170), alignment=WD_TAB_ALIGNMENT.RIGHT)
    sign.add_run(text.position).bold = True
    sign.add_run("\t")
    sign.add_run(text.signatory).bold = True

    executor = document.add_paragraph()
    executor.paragraph_format.space_before = Pt(48)
    executor.add_run(text.executor).font.size = Pt(9)
    return to_bytes(document)


def _bottom_rule(paragraph) -> None:
    """Draw the letterhead's rule as a paragraph border (no drawing objects, nothing to lose)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    bottom = borders.makeelement(
        qn("w:bottom"), {qn("w:val"): "double", qn("w:sz"): "6", qn("w:space"): "4", qn("w:color"): "1F3864"}
    )
    borders.append(bottom)
    # pBdr sits after keepNext..pageBreakBefore and before shd/tabs/spacing in CT_PPr's sequence.
    spacing = ppr.find(qn("w:spacing"))
    jc = ppr.find(qn("w:jc"))
    anchor = spacing if spacing is not None else jc
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        ppr.append(borders)


def memo(text: Memo) -> bytes:
    """Build a memo under review: tracked insertions and deletions and comments by named reviewers.

    python-docx 1.2 writes comments (``Document.add_comment``) but not revisions, so each `Change` becomes a
    ``w:ins`` or ``w:del`` element with author and date around its run. Comment dates are fixed afterwards:
    python-docx stamps them with the current time.

    Args:
        text: The memo; its body paragraphs are sequences of plain strings, `Change` and `Remark` segments.

    Returns:
        The DOCX bytes.
    """
    document = new_document(text.meta, size_pt=11.5)
    document.add_paragraph("MEMORANDUM", style="Title")
    for label, value in text.head:
        line = document.add_paragraph()
        line.paragraph_format.tab_stops.add_tab_stop(Mm(25))
        line.paragraph_format.space_after = Pt(2)
        line.add_run(label).bold = True
        line.add_run("\t" + value)
    _bottom_rule(document.paragraphs[-1])

    # Revision ids are unique per document; starting at 100 keeps them visibly apart from comment ids.
    revision = iter(range(100, 1000))
    for segments in text.body:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(6)
        for segment in segments:
            if isinstance(segment, Change):
                paragraph._p.append(_revision(segment, next(revision)))
            elif isinstance(segment, Remark):
                run = paragraph.add_run(segment.text)
                document.add_comment(run, segment.comment, author=segment.author, initials=segment.initials)
            else:
                paragraph.add_run(segment)
    document.add_paragraph(text.signature).paragraph_format.space_before = Pt(18)

    # python-docx refers to these two styles from every comment but does not define them.
    for xml in _COMMENT_STYLES:
        document.styles.element.append(parse_xml(xml))
    comments = next(rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.COMMENTS)
    for element in comments.element.iterchildren(qn("w:comment")):
        element.set(qn("w:date"), _w3cdtf(text.commented))
    # Word's "Track Changes" switch: edits made after opening are tracked too. Its place in CT_Settings is
    # before defaultTabStop.
    settings = document.settings.element
    settings.find(qn("w:defaultTabStop")).addprevious(settings.makeelement(qn("w:trackRevisions"), {}))
    return to_bytes(document)


def _w3cdtf(when) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _revision(change: Change, revision_id: int):
    """A ``w:ins`` or ``w:del`` element holding one run of `change.text`."""
    if change.kind not in ("ins", "del"):
        raise ValueError(f"unknown change kind {change.kind!r}")
    attrs = {qn("w:id"): str(revision_id), qn("w:author"): change.author, qn("w:date"): _w3cdtf(change.date)}
    wrapper = OxmlElement(f"w:{change.kind}", attrs)
    run = OxmlElement("w:r")
    # Deleted text lives in w:delText; a w:t inside w:del is invalid and Word refuses the file.
    text = OxmlElement("w:delText" if change.kind == "del" else "w:t")
    text.text = change.text
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(text)
    wrapper.append(run)
    return wrapper
