"""The presentation: a Kazakh title slide, bullets, a native chart and a table, each with speaker notes.

python-pptx keeps a chart's data in an embedded workbook written by XlsxWriter, which stamps its own core
properties with the current time; the embedded workbook is rewritten with the deck's dates so that the
deck's bytes are reproducible too.
"""

from __future__ import annotations

import io
import re
import zipfile

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Emu, Pt

from samples import _text
from samples._zip import app_xml, normalise

# Layouts of python-pptx's default template.
_TITLE, _TITLE_AND_CONTENT, _TITLE_ONLY = 0, 1, 5
_W3CDTF = "%Y-%m-%dT%H:%M:%SZ"


def _notes(slide, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text


def _fixed_dates(xlsx: bytes, meta: _text.Meta) -> bytes:
    """The embedded workbook with the deck's created/modified dates and fixed zip timestamps."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        core = z.read("docProps/core.xml").decode()
    for tag, when in (("created", meta.created), ("modified", meta.modified)):
        core = re.sub(
            rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)", rf"\g<1>{when.strftime(_W3CDTF)}\g<2>", core
        )
    return normalise(xlsx, {"docProps/core.xml": core.encode()})


def presentation() -> bytes:
    """Build the four-slide Kazakh presentation (4:3, python-pptx's template).

    Returns:
        The PPTX bytes.
    """
    meta = _text.SLIDES_META
    deck = Presentation()
    # The template's layouts are 4:3; widening the slides would leave every placeholder on the left.
    width = deck.slide_width

    title, subtitle, notes = _text.SLIDE_TITLE
    slide = deck.slides.add_slide(deck.slide_layouts[_TITLE])
    slide.shapes.title.text = title
    slide.placeholders[1].text = subtitle
    _notes(slide, notes)

    heading, bullets, notes = _text.SLIDE_BULLETS
    slide = deck.slides.add_slide(deck.slide_layouts[_TITLE_AND_CONTENT])
    slide.shapes.title.text = heading
    body = slide.placeholders[1].text_frame
    for i, (level, text) in enumerate(bullets):
        paragraph = body.paragraphs[0] if i == 0 else body.add_paragraph()
        paragraph.text, paragraph.level = text, level
    _notes(slide, notes)

    heading, series, notes = _text.SLIDE_CHART
    slide = deck.slides.add_slide(deck.slide_layouts[_TITLE_ONLY])
    slide.shapes.title.text = heading
    data = CategoryChartData(number_format="0.0")
    data.categories = _text.MONTHS_KK
    data.add_series(series, [round(100 * (got - bad) / got, 1) for _, got, bad in _text.REPORT_BY_MONTH])
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED,
        Emu(width // 12),
        Emu(1700000),
        Emu(width * 5 // 6),
        Emu(4700000),
        data,
    )
    chart = frame.chart
    chart.has_title = False  # the slide title says it; the automatic one would repeat the series name
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = 90, 100
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format, plot.data_labels.number_format_is_linked = "0.0", False
    plot.data_labels.font.size = Pt(12)
    workbook = chart.part.chart_workbook
    workbook.update_from_xlsx_blob(_fixed_dates(workbook.xlsx_part.blob, meta))
    _notes(slide, notes)

    heading, header, rows, notes = _text.SLIDE_TABLE
    slide = deck.slides.add_slide(deck.slide_layouts[_TITLE_ONLY])
    slide.shapes.title.text = heading
    table = slide.shapes.add_table(
        len(rows) + 1, len(header), Emu(width // 12), Emu(1800000), Emu(width * 5 // 6), Emu(2800000)
    ).table
    for col, (text, share) in enumerate(zip(header, (50, 22, 28), strict=True)):
        table.columns[col].width = Emu(width * 5 // 6 * share // 100)
        table.cell(0, col).text = text
    for r, row in enumerate(rows, start=1):
        for col, text in enumerate(row):
            table.cell(r, col).text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(18)
    _notes(slide, notes)

    core = deck.core_properties
    core.title, core.subject, core.author = meta.title, meta.subject, meta.author
    core.keywords, core.language, core.comments = meta.keywords, meta.language, meta.description
    core.category, core.last_modified_by, core.revision = meta.category, meta.author, 4
    core.created, core.modified = meta.created, meta.modified

    buf = io.BytesIO()
    deck.save(buf)
    return normalise(buf.getvalue(), {"docProps/app.xml": app_xml(company=_text.ORGANISATION)})
