"""The budget workbook: quarter sheets, a summary with formulas across sheets, defined names and a chart.

Formulas are stored without cached results (openpyxl does not calculate); a consumer that shows values
must recalculate, which is itself something a conversion check should notice.
"""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from samples import _text
from samples._zip import app_xml, normalise

#: Tenge with the kk-KZ locale tag (LCID 0x43F), as Excel writes a currency format chosen from its list.
TENGE = "#,##0 [$₸-43F]"
PERCENT = "0.0%"
DATE = "DD.MM.YYYY"

#: Named on every styled font: a Font() without a name rendered (LibreOffice 7.4) in Caladea, Cambria's
#: stand-in, which has no Cyrillic, so the Kazakh title fell back to yet another serif.
_FONT = "Calibri"
_HEAD_FILL = PatternFill("solid", fgColor="D9E2F3")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="8EA9DB")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FIRST_ROW = 5  # first article row on a quarter sheet
_SUMMARY_FIRST_ROW = 4


def _title(ws: Worksheet, text: str, last_column: str) -> None:
    """A merged, centred title row."""
    ws["A1"] = text
    ws.merge_cells(f"A1:{last_column}1")
    ws["A1"].font = Font(name=_FONT, bold=True, size=13, color="1F3864")
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 36


def _header(ws: Worksheet, row: int, labels: tuple[str, ...]) -> None:
    ws.row_dimensions[row].height = 32
    for col, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = _HEAD_FILL
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _layout(ws: Worksheet, widths: tuple[int, ...], header_row: int) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[chr(64 + col)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _quarter(ws: Worksheet, quarter: int) -> int:
    """Fill one quarter sheet; return the row of its total."""
    name, last_day = _text.BUDGET_QUARTERS[quarter]
    _title(ws, f"{_text.BUDGET_ORG}: 2025 жылғы бюджеттің орындалуы, {name}", "F")
    ws["A2"], ws["C2"] = "Есеп күні:", last_day
    ws["C2"].number_format = DATE
    _header(ws, _FIRST_ROW - 1, _text.BUDGET_COLUMNS)
    for i, (article, by_quarter) in enumerate(_text.BUDGET_LINES):
        row = _FIRST_ROW + i
        plan, actual = by_quarter[quarter]
        ws.append([i + 1, article, plan, actual, f"=D{row}-C{row}", f'=IF(C{row}=0,"",D{row}/C{row})'])
    total = _FIRST_ROW + len(_text.BUDGET_LINES)
    last = total - 1
    ws.append(
        ["", "Барлығы", f"=SUM(C{_FIRST_ROW}:C{last})", f"=SUM(D{_FIRST_ROW}:D{last})", f"=D{total}-C{total}",
         f"=D{total}/C{total}"]
    )  # fmt: skip
    _format_rows(ws, _FIRST_ROW, total, money=("C", "D", "E"), percent=("F",))
    _layout(ws, (5, 40, 16, 16, 14, 12), _FIRST_ROW - 1)
    return total


def _format_rows(
    ws: Worksheet, first: int, total: int, *, money: tuple[str, ...], percent: tuple[str, ...]
) -> None:
    for row in ws.iter_rows(min_row=first, max_row=total):
        for cell in row:
            cell.border = _BOX
            if cell.column_letter in money:
                cell.number_format = TENGE
            elif cell.column_letter in percent:
                cell.number_format = PERCENT
            if cell.row == total:
                cell.font = Font(name=_FONT, bold=True)
                cell.fill = _TOTAL_FILL


def _summary(ws: Worksheet, quarter_total_row: int) -> None:
    _title(ws, f"{_text.BUDGET_ORG}: 2025 жылғы бюджеттің жиынтық орындалуы", "G")
    first = _SUMMARY_FIRST_ROW
    _header(ws, first - 1, (*_text.BUDGET_COLUMNS, "Үлесі, %"))
    ws.cell(row=first - 1, column=3, value="Жылдық жоспар, ₸")
    sheets = [f"'{name}'" for name, _ in _text.BUDGET_QUARTERS]
    total = first + len(_text.BUDGET_LINES)
    for i, (article, _) in enumerate(_text.BUDGET_LINES):
        row, source = first + i, _FIRST_ROW + i
        plan = "=" + "+".join(f"{sheet}!C{source}" for sheet in sheets)
        actual = "=" + "+".join(f"{sheet}!D{source}" for sheet in sheets)
        ws.append([i + 1, article, plan, actual, f"=D{row}-C{row}", f"=D{row}/C{row}", f"=D{row}/$D${total}"])
    last = total - 1
    ws.append(
        ["", "Барлығы", f"=SUM(C{first}:C{last})", f"=SUM(D{first}:D{last})", f"=D{total}-C{total}",
         f"=D{total}/C{total}", f"=SUM(G{first}:G{last})"]
    )  # fmt: skip
    _format_rows(ws, first, total, money=("C", "D", "E"), percent=("F", "G"))
    _layout(ws, (5, 40, 18, 18, 14, 12, 10), first - 1)

    # Names a reader can use in a formula of their own; the summary line below uses them itself.
    wb = ws.parent
    for name, column in (("Жылдық_жоспар", "C"), ("Жылдық_нақты", "D")):
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{ws.title}'!${column}${total}")
    note = total + 2
    ws[f"B{note}"] = "Жылдық орындалу (атаулы ауқымдар бойынша):"
    ws[f"D{note}"] = "=Жылдық_нақты/Жылдық_жоспар"
    ws[f"D{note}"].number_format = PERCENT
    ws[f"D{note}"].font = Font(name=_FONT, bold=True)

    # The chart's own small table: quarter totals, each a reference into its quarter sheet.
    top = note + 2
    _header(ws, top, ("", "Тоқсан", "Жоспар, ₸", "Нақты, ₸"))
    for i, sheet in enumerate(sheets):
        row = top + 1 + i
        ws[f"B{row}"] = _text.BUDGET_QUARTERS[i][0]
        ws[f"C{row}"] = f"={sheet}!C{quarter_total_row}"
        ws[f"D{row}"] = f"={sheet}!D{quarter_total_row}"
        for col in "BCD":
            ws[f"{col}{row}"].border = _BOX
        ws[f"C{row}"].number_format = ws[f"D{row}"].number_format = TENGE

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = _text.BUDGET_CHART_TITLE
    chart.y_axis.title = "₸"
    chart.y_axis.numFmt = "#,##0"
    # openpyxl 3.1 marks axes deleted unless told otherwise: Excel would draw a chart without axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    data = Reference(ws, min_col=3, max_col=4, min_row=top, max_row=top + len(sheets))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, min_row=top + 1, max_row=top + len(sheets)))
    chart.width, chart.height = 18, 9
    ws.add_chart(chart, f"F{note}")


def budget() -> bytes:
    """Build the budget workbook.

    Returns:
        The XLSX bytes.
    """
    wb = Workbook()
    summary = wb.active
    summary.title = _text.BUDGET_SUMMARY
    quarter_total = 0
    for quarter, (name, _) in enumerate(_text.BUDGET_QUARTERS):
        quarter_total = _quarter(wb.create_sheet(name), quarter)
    _summary(summary, quarter_total)
    wb.active = 0

    meta = _text.BUDGET_META
    props = wb.properties
    props.title, props.subject, props.creator = meta.title, meta.subject, meta.author
    props.keywords, props.language, props.description = meta.keywords, meta.language, meta.description
    props.category, props.lastModifiedBy = meta.category, meta.author
    props.created, props.modified = meta.created, meta.modified

    # ExcelWriter rather than Workbook.save: save() overwrites `modified` with the current time.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return normalise(buf.getvalue(), {"docProps/app.xml": app_xml(company=_text.ORGANISATION)})
