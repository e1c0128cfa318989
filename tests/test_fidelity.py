"""Fidelity without LibreOffice: inventories of hand-built files, and outputs that really lost something."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.test_fidelity_docs import (
    CHART,
    COMMENTED,
    EQUATION,
    FOOTNOTED,
    HEADING,
    IMAGE,
    LINKED_IMAGE,
    ODT_CHART,
    ODT_COMMENTED,
    ODT_EQUATION,
    ODT_FOOTNOTED,
    ODT_HEADING,
    ODT_IMAGE,
    ODT_TABLE,
    TABLE,
    TRACKED,
    make_docx,
    make_odf,
    make_pdf,
    make_xlsx,
    para,
)
from validators.fidelity import (
    FidelityFinding,
    FidelitySeverity,
    ReviewPolicy,
    UnsupportedFormat,
    compare,
    compare_files,
    inventory,
)

TEXT = "The archive keeps every record for ten years after the case is closed."
PARTS = {
    "heading": (HEADING, ODT_HEADING),
    "table": (TABLE, ODT_TABLE),
    "image": (IMAGE, ODT_IMAGE),
    "chart": (CHART, ODT_CHART),
    "comment": (COMMENTED, ODT_COMMENTED),
    "footnote": (FOOTNOTED, ODT_FOOTNOTED),
    "equation": (EQUATION, ODT_EQUATION),
}
EXPECTED_CODE = {
    "heading": "heading_lost",
    "table": "table_lost",
    "image": "image_lost",
    "chart": "chart_lost",
    "comment": "comment_lost",
    "footnote": "footnote_lost",
    "equation": "equation_lost",
}


def _docx(tmp_path: Path, name: str = "source.docx", **kw: object) -> Path:
    body = "".join(p for p, _ in PARTS.values()) + para(TEXT)
    return make_docx(tmp_path / name, body, comment=True, footnote=True, **kw)  # type: ignore[arg-type]


def _odt(tmp_path: Path, *, without: str | None = None, extra: str = "", text: str = TEXT) -> Path:
    body = "".join(o for k, (_, o) in PARTS.items() if k != without) + f"<text:p>{text}</text:p>" + extra
    return make_odf(tmp_path / f"out-{without or 'full'}.odt", body)


def _problems(findings: list[FidelityFinding]) -> list[FidelityFinding]:
    return [f for f in findings if f.severity is not FidelitySeverity.INFO]


# -- inventories ---------------------------------------------------------------------------------------


def test_docx_inventory_counts_every_part(tmp_path: Path) -> None:
    inv = inventory(_docx(tmp_path))
    c = inv.counts
    assert (c["tables"], c["images"], c["charts"], c["comments"], c["footnotes"], c["equations"]) == (
        1,
        1,
        1,
        1,
        1,
        1,
    )
    assert c["headings"] == 1
    assert inv.tables == ((3, 2),)
    assert "Archive law, article 12." in inv.text  # footnote text belongs to the document's text
    assert "Please check" not in inv.text  # comments do not
    assert inv.fonts["Arial"]  # the heading style's font
    assert "T" in inv.fonts["Times New Roman"]  # the document default
    json.dumps(inv.to_dict(), ensure_ascii=False)


def test_odt_inventory_matches_the_docx_vocabulary(tmp_path: Path) -> None:
    src, out = inventory(_docx(tmp_path)), inventory(_odt(tmp_path))
    for key in ("tables", "images", "charts", "comments", "footnotes", "equations", "headings"):
        assert src.counts[key] == out.counts[key], key
    assert out.tables == src.tables
    assert _problems(compare(src, out, profile="working")) == []


def test_tracked_changes_are_counted_and_deleted_text_left_out(tmp_path: Path) -> None:
    inv = inventory(make_docx(tmp_path / "t.docx", TRACKED))
    assert inv.counts["tracked_insertions"] == 1 and inv.counts["tracked_deletions"] == 1
    assert "three years" in inv.text and "one year" not in inv.text
    assert inv.deleted_text == "one year"


# -- losses --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("part", sorted(PARTS))
def test_each_lost_part_is_reported(tmp_path: Path, part: str) -> None:
    src = inventory(_docx(tmp_path))
    out = inventory(_odt(tmp_path, without=part))
    findings = compare(src, out, profile="working")
    hits = [f for f in findings if f.code == EXPECTED_CODE[part]]
    assert hits, [f.code for f in findings]
    assert hits[0].severity in (FidelitySeverity.WARNING, FidelitySeverity.ERROR)
    assert hits[0].where == out.path.rsplit("/", 1)[-1]
    assert hits[0].source_value == 1 and hits[0].output_value == 0


def test_lost_text_is_quoted(tmp_path: Path) -> None:
    src = inventory(_docx(tmp_path))
    out = inventory(_odt(tmp_path, text="The archive keeps every record."))
    [f] = [f for f in compare(src, out) if f.code == "text_changed"]
    assert f.severity is not FidelitySeverity.INFO
    assert "ten years after the case is closed" in f.message
    assert f.source_value == [TEXT]


def test_comments_and_tracked_changes_in_a_final(tmp_path: Path) -> None:
    src = inventory(_docx(tmp_path))
    out = inventory(_odt(tmp_path))
    assert {f.code for f in compare(src, out, profile="final")} >= {"comments_in_final"}
    assert "comments_in_final" not in {f.code for f in compare(src, out, profile="working")}
    tracked = make_odf(
        tmp_path / "tracked.odt",
        '<text:tracked-changes><text:changed-region text:id="c1"><text:insertion><office:change-info>'
        "<dc:creator>A</dc:creator></office:change-info></text:insertion></text:changed-region>"
        '</text:tracked-changes><text:p>Kept for <text:change-start text:change-id="c1"/>three years'
        '<text:change-end text:change-id="c1"/></text:p>',
    )
    findings = compare(inventory(make_docx(tmp_path / "t.docx", TRACKED)), inventory(tracked))
    assert "tracked_changes_in_final" in {f.code for f in findings}
    assert "tracked_changes_lost" in {f.code for f in findings}  # the deletion is gone


def test_macros_dropped(tmp_path: Path) -> None:
    src = make_docx(tmp_path / "macro.docm", para(TEXT), macros=True)
    assert inventory(src).format == "docm"
    findings = compare_files(src, {"odt": make_odf(tmp_path / "o.odt", f"<text:p>{TEXT}</text:p>")})
    [f] = [f for f in findings if f.code == "macros_dropped"]
    assert f.severity is FidelitySeverity.WARNING and f.where == ""


def test_linked_image_not_fetched_is_reported(tmp_path: Path) -> None:
    src = inventory(make_docx(tmp_path / "linked.docx", LINKED_IMAGE + para(TEXT)))
    assert src.external == ("http://example.invalid/logo.png",)
    out = inventory(make_odf(tmp_path / "o.odt", f"<text:p>{TEXT}</text:p>"))
    [f] = [f for f in compare(src, out) if f.code == "external_content_blocked"]
    assert f.severity is FidelitySeverity.WARNING and "example.invalid" in f.message


def test_hidden_sheet_and_merged_cells_and_defined_names(tmp_path: Path) -> None:
    src = make_xlsx(
        tmp_path / "m.xlsx",
        {
            "Sheet1": '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
            '<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'
        },
    )
    out = make_odf(
        tmp_path / "m.ods",
        '<table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row></table:table>",
        kind="spreadsheet",
    )
    codes = {f.code for f in compare(inventory(src), inventory(out))}
    assert {"merged_cells_lost", "defined_name_lost"} <= codes


# -- spreadsheets --------------------------------------------------------------------------------------

_SHEET = (
    "<sheetData>"
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Статья</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Сумма</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>Қағаз</t></is></c><c r="B2"><v>1500.5</v></c></row>'
    '<row r="3"><c r="A3" t="inlineStr"><is><t>Барлығы</t></is></c>'
    '<c r="B3"><f>SUM(B2:B2)</f>{cached}</c></row>'
    "</sheetData>"
)


def _ods(tmp_path: Path, b3: str, name: str = "out.ods", extra: str = "") -> Path:
    def s(text: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'

    return make_odf(
        tmp_path / name,
        '<table:table table:name="Sheet1"><table:table-column table:number-columns-repeated="2"/>'
        f"<table:table-row>{s('Статья')}{s('Сумма')}</table:table-row>"
        f'<table:table-row>{s("Қағаз")}<table:table-cell office:value-type="float" office:value="1500.5">'
        "<text:p>1500.5</text:p></table:table-cell></table:table-row>"
        f"<table:table-row>{s('Барлығы')}{b3}</table:table-row></table:table>{extra}",
        kind="spreadsheet",
    )


def test_cells_compare_exactly_when_nothing_changed(tmp_path: Path) -> None:
    src = make_xlsx(tmp_path / "b.xlsx", {"Sheet1": _SHEET.format(cached="<v>1500.5</v>")})
    out = _ods(
        tmp_path,
        '<table:table-cell table:formula="of:=SUM([.B2:.B2])" office:value-type="float" '
        'office:value="1500.5">'
        "<text:p>1500.5</text:p></table:table-cell>",
    )
    s, o = inventory(src), inventory(out)
    assert s.sheets[0].cells == o.sheets[0].cells
    assert not [f for f in compare(s, o) if f.code in ("cell_value_changed", "formula_lost")]


def test_changed_value_is_reported_with_its_address(tmp_path: Path) -> None:
    src = make_xlsx(tmp_path / "b.xlsx", {"Sheet1": _SHEET.format(cached="<v>1500.5</v>")})
    out = _ods(
        tmp_path,
        '<table:table-cell table:formula="of:=SUM([.B2:.B2])" office:value-type="float" office:value="1501">'
        "<text:p>1501</text:p></table:table-cell>",
    )
    [f] = [f for f in compare(inventory(src), inventory(out)) if f.code == "cell_value_changed"]
    assert f.severity is FidelitySeverity.ERROR
    assert f.where.endswith("Sheet1!B3") and (f.source_value, f.output_value) == (1500.5, 1501)


def test_formula_turned_into_a_value(tmp_path: Path) -> None:
    src = make_xlsx(tmp_path / "b.xlsx", {"Sheet1": _SHEET.format(cached="<v>1500.5</v>")})
    out = _ods(
        tmp_path,
        '<table:table-cell office:value-type="float" office:value="1500.5"><text:p>1500.5</text:p>'
        "</table:table-cell>",
    )
    findings = compare(inventory(src), inventory(out))
    [f] = [f for f in findings if f.code == "formula_lost"]
    assert "B3" in f.message and f.severity is FidelitySeverity.WARNING
    assert not [f for f in findings if f.code == "cell_value_changed"]


def test_values_not_stored_are_not_invented_differences(tmp_path: Path) -> None:
    src = make_xlsx(tmp_path / "b.xlsx", {"Sheet1": _SHEET.format(cached="")})
    assert inventory(src).sheets[0].not_stored == ("B3",)
    out = _ods(
        tmp_path,
        '<table:table-cell table:formula="of:=SUM([.B2:.B2])" office:value-type="float" '
        'office:value="1500.5">'
        "<text:p>1500.5</text:p></table:table-cell>",
    )
    findings = compare(inventory(src), inventory(out))
    assert not [f for f in findings if f.code == "cell_value_changed"]
    [f] = [f for f in findings if f.code == "values_not_stored"]
    assert f.severity is FidelitySeverity.INFO and f.source_value == "not stored"


def test_openpyxl_workbook_compares_cell_exact(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["Статья", "Сумма"])
    ws.append(["Қағаз", 1500.5])
    ws.append(["Барлығы", "=SUM(B2:B2)"])
    wb.save(tmp_path / "b.xlsx")
    s = inventory(tmp_path / "b.xlsx")
    assert s.sheets[0].formulas == {"B3": "SUM(B2:B2)"} and s.sheets[0].not_stored == ("B3",)
    out = _ods(
        tmp_path,
        '<table:table-cell table:formula="of:=SUM([.B2:.B2])" office:value-type="float" '
        'office:value="1500.5">'
        "<text:p>1500.5</text:p></table:table-cell>",
    )
    assert _problems(compare(s, inventory(out))) == []


def test_chart_lost_from_a_spreadsheet(tmp_path: Path) -> None:
    src = make_xlsx(tmp_path / "c.xlsx", {"Sheet1": _SHEET.format(cached="<v>1500.5</v>")}, chart_on="Sheet1")
    assert inventory(src).counts["charts"] == 1
    out = _ods(
        tmp_path,
        '<table:table-cell table:formula="of:=SUM([.B2:.B2])" office:value-type="float" '
        'office:value="1500.5"/>',
    )
    [f] = [f for f in compare(inventory(src), inventory(out)) if f.code == "chart_lost"]
    assert f.severity is FidelitySeverity.ERROR


def test_repeated_cells_are_bounded(tmp_path: Path) -> None:
    """A sheet that repeats a filled cell across every column and row must not explode."""
    body = (
        '<table:table table:name="Huge"><table:table-column table:number-columns-repeated="16384"/>'
        '<table:table-row table:number-rows-repeated="1048575"><table:table-cell office:value-type="float" '
        'office:value="1" table:number-columns-repeated="16384"/></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        "</table:table>"
    )
    path = make_odf(tmp_path / "huge.ods", body, kind="spreadsheet")
    t = time.monotonic()
    inv = inventory(path)
    assert time.monotonic() - t < 10
    cells = inv.sheets[0].cells
    assert 0 < len(cells) <= 1_000_000
    assert cells["A1"] == ("n", 1.0)


# -- PDF -----------------------------------------------------------------------------------------------


def test_pdf_inventory_and_losses(tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    pdf = make_pdf(tmp_path / "o.pdf", ["The archive keeps every record.", "Second page"])
    inv = inventory(pdf)
    assert inv.pages == 2 and inv.pdf_fonts == {"Helvetica": False}
    assert inv.page_texts[0] == "The archive keeps every record."
    src = inventory(make_docx(tmp_path / "s.docx", para(TEXT) + IMAGE, pages=3))
    codes = {f.code: f for f in compare(src, inv)}
    assert codes["page_count_changed"].source_value == 3 and codes["page_count_changed"].output_value == 2
    assert codes["font_not_embedded"].severity is FidelitySeverity.ERROR
    assert codes["image_lost"].severity is FidelitySeverity.WARNING
    assert codes["text_changed"].severity is not FidelitySeverity.INFO
    assert "comment_lost" not in codes  # a PDF cannot say whether comments were kept


# -- fonts ---------------------------------------------------------------------------------------------


@pytest.mark.skipif(not shutil.which("fc-match"), reason="fontconfig is not installed")
def test_fonts_substituted_and_fallback(tmp_path: Path) -> None:
    from validators.fidelity import resolve_font

    body = (
        para("Қазақ тілі: әғқңөұүһі", font="Cambria")
        + para("Plain text", font="Calibri")
        + para("Other font", font="Qujat Nonexistent Sans")
    )
    src = make_docx(tmp_path / "f.docx", body)
    out = make_odf(
        tmp_path / "f.odt", "<text:p>Қазақ тілі: әғқңөұүһі</text:p><text:p>Plain text Other font</text:p>"
    )
    findings = compare_files(src, {"odt": out})
    by = {(f.code, f.source_value): f for f in findings}
    if resolve_font("Calibri").family == "Carlito":
        assert by[("font_substituted", "Calibri")].severity is FidelitySeverity.INFO
    assert by[("font_substituted", "Qujat Nonexistent Sans")].severity is FidelitySeverity.WARNING
    cambria = resolve_font("Cambria")
    if cambria.missing("ә"):
        f = by[("font_fallback", "Cambria")]
        assert f.severity is FidelitySeverity.WARNING and "ә" in f.output_value["missing"]


# -- compare_files, safety, policy ---------------------------------------------------------------------


def test_compare_files_reports_source_findings_once(tmp_path: Path) -> None:
    src = make_docx(tmp_path / "macro.docm", para(TEXT), macros=True)
    outs = {
        "odt": make_odf(tmp_path / "o.odt", f"<text:p>{TEXT}</text:p>"),
        "pdf": make_pdf(tmp_path / "o.pdf", [TEXT]),
    }
    findings = compare_files(src, outs)
    assert [f.code for f in findings].count("macros_dropped") == 1
    ranks = [f.severity.rank for f in findings]
    assert ranks == sorted(ranks, reverse=True)


def test_entity_attack_is_not_parsed(tmp_path: Path) -> None:
    body = para(TEXT)
    path = make_docx(tmp_path / "x.docx", body)
    # Rewrite the main part with an entity declaration: the input checks refuse it before any parser.
    import zipfile

    evil = tmp_path / "evil.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(evil, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "word/document.xml":
                data = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "boom">]>' + data
            zout.writestr(item, data)
    with pytest.raises(UnsupportedFormat):
        inventory(evil)
    [f] = compare_files(evil, {"odt": make_odf(tmp_path / "o.odt", "<text:p/>")})
    assert f.code == "fidelity_unchecked"


def test_unreadable_output_is_a_finding(tmp_path: Path) -> None:
    broken = tmp_path / "broken.odt"
    broken.write_bytes(b"PK\x03\x04 truncated")
    findings = compare_files(_docx(tmp_path), {"odt": broken})
    assert any(f.code == "fidelity_unchecked" and f.where == "broken.odt" for f in findings)


def test_review_policy_defaults_and_toml(tmp_path: Path) -> None:
    warn = FidelityFinding(code="font_substituted", severity=FidelitySeverity.WARNING, where="", message="m")
    final = FidelityFinding(
        code="comments_in_final", severity=FidelitySeverity.WARNING, where="", message="m"
    )
    err = FidelityFinding(code="table_lost", severity=FidelitySeverity.ERROR, where="", message="m")
    policy = ReviewPolicy()
    assert not policy.needs_review([warn])
    assert policy.needs_review([final]) and policy.needs_review([err])
    assert policy.needs_review([err.to_dict()])  # report dictionaries work too
    toml = tmp_path / "policy.toml"
    toml.write_text(
        '[review]\nmin_severity = "warning"\nignore = ["table_lost"]\n'
        '[review.codes]\ncomments_in_final = "error"\n',
        encoding="utf-8",
    )
    custom = ReviewPolicy.from_toml(toml)
    assert custom.needs_review([warn]) and not custom.needs_review([err]) and not custom.needs_review([final])
    toml.write_text('min_severity = "loud"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="loud"):
        ReviewPolicy.from_toml(toml)


def test_presentation_slide_and_notes_lost(tmp_path: Path) -> None:
    pptx = pytest.importorskip("pptx")
    prs = pptx.Presentation()
    for title in ("Бірінші слайд", "Второй слайд"):
        slide = prs.slides.add_slide(prs.slide_layouts[1])
        slide.shapes.title.text = title
        slide.notes_slide.notes_text_frame.text = "Speaker notes"
    prs.save(tmp_path / "p.pptx")
    src = inventory(tmp_path / "p.pptx")
    assert src.counts["slides"] == 2 and src.counts["notes"] == 2
    odp = make_odf(
        tmp_path / "p.odp",
        '<draw:page draw:name="1"><draw:frame presentation:class="title"><draw:text-box><text:p>Бірінші слайд'
        "</text:p></draw:text-box></draw:frame></draw:page>",
        kind="presentation",
    )
    codes = {f.code for f in _problems(compare(src, inventory(odp)))}
    assert {"slide_lost", "speaker_notes_lost", "text_changed"} <= codes


def test_volatile_field_results_are_not_text(tmp_path: Path) -> None:
    """Today's date in a DATE field is not a change of the text; a DOCPROPERTY result is text."""
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Dated </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> DATE \\@ "dd.MM.yyyy" </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>01.01.2026</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        '<w:p><w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple></w:p>'
        '<w:p><w:fldSimple w:instr=" DOCPROPERTY Company "><w:r><w:t>ACME</w:t></w:r></w:fldSimple></w:p>'
    )
    inv = inventory(make_docx(tmp_path / "f.docx", body))
    assert inv.text == "Dated ACME"
    assert inv.counts["fields"] == 3


def test_colour_scale_lost_in_strict_odf(tmp_path: Path) -> None:
    sheet = (
        '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
        '<conditionalFormatting sqref="A1:A5"><cfRule type="colorScale" priority="1"><colorScale>'
        '<cfvo type="min"/><cfvo type="max"/><color rgb="FFFF0000"/><color rgb="FF00FF00"/></colorScale>'
        "</cfRule></conditionalFormatting>"
    )
    src = inventory(make_xlsx(tmp_path / "cf.xlsx", {"Sheet1": sheet}))
    assert src.counts["conditional_formats_advanced"] == 1
    out = make_odf(
        tmp_path / "cf.ods",
        '<table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="float" '
        'office:value="1"/></table:table-row></table:table>',
        kind="spreadsheet",
    )
    [f] = [f for f in compare(src, inventory(out)) if f.code == "conditional_format_lost"]
    assert f.severity is FidelitySeverity.WARNING and "colour scale" in f.message


def test_cell_text_keeps_spaces_tabs_and_lines(tmp_path: Path) -> None:
    sheet = (
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">a  b\tc\nd</t></is></c>'
        "</row></sheetData>"
    )
    src = inventory(make_xlsx(tmp_path / "s.xlsx", {"Sheet1": sheet}))
    out = make_odf(
        tmp_path / "s.ods",
        '<table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="string">'
        "<text:p>a <text:s/>b<text:tab/>c</text:p><text:p>d</text:p></table:table-cell></table:table-row>"
        "</table:table>",
        kind="spreadsheet",
    )
    assert inventory(out).sheets[0].cells["A1"] == src.sheets[0].cells["A1"] == ("s", "a  b\tc\nd")


def test_unreadable_source_format_uses_the_odf_copy(tmp_path: Path) -> None:
    """A CSV original is not inventoried: the ODS stands in for it against the PDF."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    src = tmp_path / "letter.csv"
    src.write_text("name;text\nrecord;" + TEXT + "\nother;row\n", encoding="utf-8")
    ods = make_odf(
        tmp_path / "letter.ods",
        '<table:table table:name="letter"><table:table-row><table:table-cell office:value-type="string">'
        f"<text:p>{TEXT}</text:p></table:table-cell></table:table-row></table:table>",
        kind="spreadsheet",
    )
    pdf = make_pdf(tmp_path / "letter.pdf", ["The archive keeps every record."])
    findings = compare_files(src, {"ods": ods, "pdf": pdf})
    codes = {f.code: f for f in findings}
    assert codes["fidelity_partial"].severity is FidelitySeverity.INFO
    assert codes["text_changed"].where == "letter.pdf"


def test_comments_missing_from_a_pdf_matter_only_without_an_odf_copy(tmp_path: Path) -> None:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    src = make_docx(tmp_path / "c.docx", COMMENTED, comment=True)
    pdf = make_pdf(tmp_path / "c.pdf", ["Reviewed paragraph."])
    only_pdf = compare_files(src, {"pdf": pdf}, profile="archive")
    assert any(f.code == "comment_lost" and f.severity is FidelitySeverity.WARNING for f in only_pdf)
    odt = make_odf(tmp_path / "c.odt", ODT_COMMENTED)
    both = compare_files(src, {"odt": odt, "pdf": pdf}, profile="final")
    assert not [f for f in both if f.code == "comment_lost"]
    assert [f.where for f in both if f.code == "comments_in_final"] == ["c.odt"]


RTF = (
    r"{\rtf1\ansi\ansicpg1251\deff0{\fonttbl{\f0\froman\fcharset204 Times New Roman;}{\f1\fswiss Cambria;}}"
    r"{\header\pard Header text\par}"
    "\n"
    r"\pard\f0 \'cf\'f0\'e8\'e2\'e5\'f2 \u1179?\u1201?\u1171?\par"
    r"\pard\f1 Cambria words{\v hidden words}{\deleted gone words} kept\par"
    r"\trowd\cellx2000\cellx4000\pard\intbl A1\cell B1\cell\row"
    r"\trowd\cellx2000\cellx4000\pard\intbl A2\cell B2\cell\row"
    r"\pard After the table{\super\chftn}{\*\footnote\pard{\super\chftn} A note.}\par"
    r"{\*\atnid R}{\*\annotation\pard A comment.}"
    r"{\*\shppict{\pict\pngblip 89504e47}}{\nonshppict{\pict\wmetafile8 0100}}"
    r'{\field{\*\fldinst INCLUDEPICTURE "http://example.invalid/a.png" \\d}{\fldrslt }}'
    r"{\field{\*\fldinst DATE}{\fldrslt 01.01.2020}}\par}"
)


def test_rtf_inventory(tmp_path: Path) -> None:
    path = tmp_path / "doc.rtf"
    path.write_text(RTF, encoding="ascii")
    inv = inventory(path)
    assert inv.format == "rtf"
    assert "Привет құғ" in inv.text and "Cambria words kept" in inv.text and "A note." in inv.text
    assert "01.01.2020" not in inv.text  # a DATE field's result updates itself
    assert inv.hidden_text == "hidden words" and inv.deleted_text == "gone words"
    c = inv.counts
    assert (c["tables"], c["table_rows"], c["footnotes"], c["comments"], c["images"], c["headers"]) == (
        1,
        2,
        1,
        1,
        1,
        1,
    )
    assert inv.external == ("http://example.invalid/a.png",)
    assert "қ" in inv.fonts["Times New Roman"] and "C" in inv.fonts["Cambria"]


def test_results_depending_on_today_are_not_differences(tmp_path: Path) -> None:
    sheet = (
        '<sheetData><row r="1"><c r="A1"><f>TODAY()</f><v>45000</v></c><c r="B1"><f>A1-10</f><v>44990</v></c>'
        '<c r="C1"><f>B1*2</f><v>89980</v></c><c r="D1"><f>1+1</f><v>2</v></c></row></sheetData>'
    )
    src = inventory(make_xlsx(tmp_path / "v.xlsx", {"Sheet1": sheet}))
    assert set(src.sheets[0].volatile) == {"A1", "B1", "C1"}

    def cell(addr: str, formula: str, value: float) -> str:
        return (
            f'<table:table-cell table:formula="of:={formula}" office:value-type="float" '
            f'office:value="{value}"/>'
        )

    out = make_odf(
        tmp_path / "v.ods",
        '<table:table table:name="Sheet1"><table:table-row>'
        + cell("A1", "TODAY()", 46000)
        + cell("B1", "[.A1]-10", 45990)
        + cell("C1", "[.B1]*2", 91980)
        + cell("D1", "1+1", 3)
        + "</table:table-row></table:table>",
        kind="spreadsheet",
    )
    changed = [f for f in compare(src, inventory(out)) if f.code == "cell_value_changed"]
    assert [f.where.rsplit("!", 1)[-1] for f in changed] == ["D1"]


def test_hidden_slide_is_not_missing_from_the_pdf(tmp_path: Path) -> None:
    pptx = pytest.importorskip("pptx")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    prs = pptx.Presentation()
    for title in ("Shown slide", "Secret slide"):
        prs.slides.add_slide(prs.slide_layouts[5]).shapes.title.text = title
    prs.slides[1]._element.set("show", "0")
    prs.save(tmp_path / "h.pptx")
    src = inventory(tmp_path / "h.pptx")
    assert src.counts["hidden_slides"] == 1 and "Secret" not in src.text and src.hidden_text == "Secret slide"
    findings = compare(src, inventory(make_pdf(tmp_path / "h.pdf", ["Shown slide"])))
    codes = {f.code: f.severity for f in findings}
    assert "slide_lost" not in codes and "text_changed" not in codes
    assert codes["hidden_text"] is FidelitySeverity.WARNING
