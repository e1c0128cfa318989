"""The sample generator: every good file opens and holds what it claims; every bad file is bad as claimed."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx
import msoffcrypto
import olefile
import openpyxl
import pptx
import pytest
from lxml import etree

import samples
from samples import _text
from samples._bad import PASSWORD
from samples._text import KAZAKH_LETTERS, LETTER_EN, LETTER_KK, LETTER_RU


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return samples.generate(tmp_path_factory.mktemp("samples"))


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def _decrypt(path: Path) -> bytes:
    with path.open("rb") as f:
        office = msoffcrypto.OfficeFile(f)
        assert office.is_encrypted()
        office.load_key(password=PASSWORD)
        plain = io.BytesIO()
        office.decrypt(plain)
    return plain.getvalue()


def test_names_and_folders(made: dict[str, Path]) -> None:
    assert set(made) == set(samples.GOOD) | set(samples.BAD)
    for name, path in made.items():
        assert path.is_file() and path.stat().st_size > 0, name
        assert path.parent.name == ("bad" if name.startswith("bad-") else "good")


def test_cyrillic_file_name(made: dict[str, Path]) -> None:
    assert made["letter-kk"].name == "хат-қазақша.docx"
    assert made["letter-kk"].parent.joinpath("хат-қазақша.docx").exists()


@pytest.mark.parametrize(
    ("name", "text"), [("letter-kk", LETTER_KK), ("letter-ru", LETTER_RU), ("letter-en", LETTER_EN)]
)
def test_letter_content_and_core_properties(made: dict[str, Path], name: str, text) -> None:
    body = _docx_text(made[name])
    for line in (*text.letterhead, text.subject, *text.body, text.signatory):
        assert line in body
    core = docx.Document(str(made[name])).core_properties
    assert core.title == text.meta.title
    assert core.author == text.meta.author
    assert core.language == text.meta.language
    assert core.subject and core.keywords
    assert core.created == text.meta.created.replace(tzinfo=core.created.tzinfo)
    assert core.modified == text.meta.modified.replace(tzinfo=core.modified.tzinfo)


def test_kazakh_letter_has_every_kazakh_letter(made: dict[str, Path]) -> None:
    body = _docx_text(made["letter-kk"])
    assert set(KAZAKH_LETTERS) <= set(body), set(KAZAKH_LETTERS) - set(body)


def test_encrypted_docx_is_ole_with_encrypted_package(made: dict[str, Path]) -> None:
    path = made["bad-encrypted"]
    assert path.suffix == ".docx"
    assert olefile.isOleFile(str(path))
    with olefile.OleFileIO(str(path)) as ole:
        assert ole.exists("EncryptedPackage")
        assert ole.exists("EncryptionInfo")
    assert _decrypt(path) == made["letter-kk"].read_bytes()


def test_truncated_docx_is_not_a_valid_zip(made: dict[str, Path]) -> None:
    data = made["bad-truncated"].read_bytes()
    assert data.startswith(b"PK\x03\x04")  # it still looks like a zip to a naive sniffer
    assert not zipfile.is_zipfile(made["bad-truncated"])
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(data))


def test_fake_docx_is_html(made: dict[str, Path]) -> None:
    path = made["bad-fake-docx"]
    assert path.suffix == ".docx"
    assert not zipfile.is_zipfile(path)
    assert path.read_bytes().lstrip().lower().startswith(b"<!doctype html")


def test_deterministic(made: dict[str, Path], tmp_path: Path) -> None:
    again = samples.generate(tmp_path)

    def digest(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    # Encrypted files carry a fresh salt and OLE timestamps per run; their decrypted content is checked above.
    stable = [name for name in made if not name.startswith("bad-encrypted")]
    assert {n: digest(made[n]) for n in stable} == {n: digest(again[n]) for n in stable}
    assert {n: again[n].relative_to(tmp_path) for n in again} == {
        n: made[n].relative_to(made[n].parent.parent) for n in made
    }


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def test_report_structure(made: dict[str, Path]) -> None:
    path = made["report-ru"]
    assert path.name == "отчёт-2025.docx"
    document = docx.Document(str(path))
    styles = [p.style.name if p.style else "" for p in document.paragraphs]
    assert styles.count("Heading 1") >= 5
    assert styles.count("Heading 2") >= 4
    assert len(document.inline_shapes) == 2  # logo and chart
    assert len(document.tables) == 2
    for table in document.tables:
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None
    assert "Поступило" in [c.text for c in document.tables[0].rows[0].cells]
    core = document.core_properties
    assert core.language == "ru-RU"
    assert core.title == _text.REPORT_META.title
    assert core.subject and core.keywords and core.author == "Г. Кахарманов"
    assert core.created.year == 2026 and core.modified > core.created


def test_report_footnotes_are_real(made: dict[str, Path]) -> None:
    path = made["report-ru"]
    content_types = _part(path, "[Content_Types].xml").decode()
    assert 'PartName="/word/footnotes.xml"' in content_types
    assert "wordprocessingml.footnotes+xml" in content_types
    assert b"relationships/footnotes" in _part(path, "word/_rels/document.xml.rels")
    footnotes = etree.fromstring(_part(path, "word/footnotes.xml"))
    notes = {
        note.get(f"{W}id"): "".join(note.itertext())
        for note in footnotes.iter(f"{W}footnote")
        if note.get(f"{W}type") is None
    }
    body = etree.fromstring(_part(path, "word/document.xml"))
    referenced = [ref.get(f"{W}id") for ref in body.iter(f"{W}footnoteReference")]
    assert referenced == ["1", "2", "3"]
    assert set(notes) == set(referenced)
    assert "ISO/IEC 26300" in notes["1"]
    assert b"w:footnotePr" in _part(path, "word/settings.xml")


def test_report_header_and_page_numbers(made: dict[str, Path]) -> None:
    section = docx.Document(str(made["report-ru"])).sections[0]
    assert "Отчёт за 2025 год" in section.header.paragraphs[0].text
    footer = section.footer.paragraphs[0]._p
    instructions = [t.text.strip() for t in footer.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert section.page_width is not None and section.page_height is not None
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_memo_tracked_changes_and_comments(made: dict[str, Path]) -> None:
    path = made["memo-en"]
    body = etree.fromstring(_part(path, "word/document.xml"))
    insertions = list(body.iter(f"{W}ins"))
    deletions = list(body.iter(f"{W}del"))
    assert len(insertions) == 3 and len(deletions) == 2
    for change in insertions + deletions:
        assert change.get(f"{W}author") == "Әйгерім Сұлтанбекова"
        assert change.get(f"{W}date") == "2026-01-22T10:05:00Z"
    assert [t.text for d in deletions for t in d.iter(f"{W}delText")] == ["one year", "ten"]
    document = docx.Document(str(path))
    comments = list(document.comments)
    assert len(comments) == 3
    assert {c.author for c in comments} == {"Әйгерім Сұлтанбекова", "Ғалым Қаһарманов"}
    assert any("заң бөлімімен" in c.text for c in comments)
    assert all(c.timestamp is not None and c.timestamp.year == 2026 for c in comments)
    assert len(list(body.iter(f"{W}commentReference"))) == 3
    assert b"w:trackRevisions" in _part(path, "word/settings.xml")
    styles = _part(path, "word/styles.xml")
    assert b'w:styleId="CommentText"' in styles and b'w:styleId="CommentReference"' in styles
    assert document.core_properties.author == "Ғалым Қаһарманов"


def test_budget_workbook(made: dict[str, Path]) -> None:
    path = made["budget"]
    assert path.name == "бюджет-2025.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Жиынтық", "1-тоқсан", "2-тоқсан", "3-тоқсан", "4-тоқсан"]
    summary, q1 = wb["Жиынтық"], wb["1-тоқсан"]
    assert "A1:G1" in {str(r) for r in summary.merged_cells.ranges}
    assert "A1:F1" in {str(r) for r in q1.merged_cells.ranges}
    assert summary["C4"].value == "='1-тоқсан'!C5+'2-тоқсан'!C5+'3-тоқсан'!C5+'4-тоқсан'!C5"
    assert summary["C12"].value == "=SUM(C4:C11)"
    assert q1["C13"].value == "=SUM(C5:C12)"
    assert "₸" in q1["C5"].number_format and "₸" in summary["C12"].number_format
    assert summary["F12"].number_format == "0.0%"
    assert q1["C2"].is_date and q1["C2"].number_format == "DD.MM.YYYY"
    assert {"Жылдық_жоспар", "Жылдық_нақты"} <= set(wb.defined_names)
    assert wb.defined_names["Жылдық_жоспар"].attr_text == "'Жиынтық'!$C$12"
    assert any(c.value == "=Жылдық_нақты/Жылдық_жоспар" for row in summary.iter_rows() for c in row)
    with zipfile.ZipFile(path) as z:
        assert "xl/charts/chart1.xml" in z.namelist()
        assert b"barChart" in z.read("xl/charts/chart1.xml")
        assert b"drawingml.chart+xml" in z.read("[Content_Types].xml")
    assert len(summary._charts) == 1
    props = wb.properties
    assert props.title == _text.BUDGET_META.title and props.language == "kk-KZ"
    assert props.creator == "Ғалия Өтепова" and props.keywords and props.subject
    assert props.created == _text.BUDGET_META.created and props.modified == _text.BUDGET_META.modified


def test_encrypted_xlsx(made: dict[str, Path]) -> None:
    path = made["bad-encrypted-xlsx"]
    with olefile.OleFileIO(str(path)) as ole:
        assert ole.exists("EncryptedPackage")
    assert _decrypt(path) == made["budget"].read_bytes()


def test_presentation(made: dict[str, Path]) -> None:
    path = made["presentation"]
    assert path.name == "таныстырылым-2025.pptx"
    deck = pptx.Presentation(str(path))
    slides = list(deck.slides)
    assert len(slides) == 4
    assert slides[0].shapes.title.text == _text.SLIDES_META.title
    bullets = slides[1].placeholders[1].text_frame.paragraphs
    assert [p.level for p in bullets] == [0, 0, 0, 1, 0]
    assert "түрлендірілді" in bullets[0].text
    charts = [s.chart for s in slides[2].shapes if s.has_chart]
    assert len(charts) == 1
    assert list(charts[0].plots[0].categories) == list(_text.MONTHS_KK)
    tables = [s.table for s in slides[3].shapes if s.has_table]
    assert len(tables) == 1 and tables[0].cell(0, 0).text == "Қадам"
    for slide in slides:
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()
    core = deck.core_properties
    assert core.language == "kk-KZ" and core.author == "Ғалым Қаһарманов"
    assert core.title == _text.SLIDES_META.title and core.subject and core.keywords
    assert core.created == _text.SLIDES_META.created.replace(tzinfo=core.created.tzinfo)
    assert core.modified == _text.SLIDES_META.modified.replace(tzinfo=core.modified.tzinfo)


@pytest.mark.parametrize("name", sorted(samples.GOOD))
def test_good_files_have_no_stale_template_parts(made: dict[str, Path], name: str) -> None:
    with zipfile.ZipFile(made[name]) as z:
        assert "docProps/thumbnail.jpeg" not in z.namelist()
        assert b"<Application>qujat samples</Application>" in z.read("docProps/app.xml")
        assert {info.date_time for info in z.infolist()} == {(2026, 1, 14, 9, 0, 0)}


@pytest.mark.parametrize("name", sorted(samples.GOOD))
def test_core_properties_complete(made: dict[str, Path], name: str) -> None:
    ns = {
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "dc": "http://purl.org/dc/elements/1.1/",
        "dcterms": "http://purl.org/dc/terms/",
    }
    core = etree.fromstring(_part(made[name], "docProps/core.xml"))
    for tag in ("dc:title", "dc:subject", "dc:creator", "cp:keywords", "dc:language"):
        assert (core.findtext(tag, namespaces=ns) or "").strip(), tag
    assert core.findtext("dc:language", namespaces=ns) in {"kk-KZ", "ru-RU", "en-GB"}
    created = core.findtext("dcterms:created", namespaces=ns)
    modified = core.findtext("dcterms:modified", namespaces=ns)
    assert created.startswith("2026-01-") and modified.startswith("2026-01-") and created <= modified
