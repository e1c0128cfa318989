"""Identification by bytes and the pre-engine safety checks (`validators.inputs`), on inputs the tests
build themselves."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile
from odf.opendocument import OpenDocumentText
from odf.text import P

from validators.inputs import DocKind, InputFormat, InputLimits, check_input


def _docx_bytes() -> bytes:
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("Сәлем")
    d.save(buf)
    return buf.getvalue()


def _rezip(
    data: bytes, dest: Path, *, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> Path:
    zin = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, (replace or {}).get(info.filename, zin.read(info)))
        for name, body in (add or {}).items():
            zout.writestr(name, body)
    return dest


def test_identifies_by_bytes_not_name(tmp_path: Path) -> None:
    misnamed = tmp_path / "report.pdf"
    misnamed.write_bytes(_docx_bytes())
    rep = check_input(misnamed)
    assert rep.format is InputFormat.DOCX and rep.kind is DocKind.TEXT and rep.passed


def test_spreadsheet_and_odf(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    xlsx = tmp_path / "a.bin"
    wb.save(xlsx)
    assert check_input(xlsx).format is InputFormat.XLSX
    odt = tmp_path / "b.bin"
    doc = OpenDocumentText()
    doc.text.addElement(P(text="x"))
    doc.save(str(odt))
    assert check_input(odt).format is InputFormat.ODT


def test_macro_enabled_docx_is_noted(tmp_path: Path) -> None:
    data = _docx_bytes().replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.document.main+xml", 1
    )
    src = _rezip(data, tmp_path / "m.docm", add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really"})
    rep = check_input(src)
    assert rep.macros and rep.passed and any(f.rule == "input:macros" for f in rep.findings)


def test_encrypted_ooxml(tmp_path: Path) -> None:
    plain = tmp_path / "p.docx"
    plain.write_bytes(_docx_bytes())
    enc = tmp_path / "e.docx"
    with plain.open("rb") as fin, enc.open("wb") as fout:
        f = OOXMLFile(fin)
        f.encrypt("secret", fout)
    rep = check_input(enc)
    assert rep.encrypted and not rep.passed and rep.reason and rep.reason.rule == "input:encrypted"
    assert "password" in rep.reason.message


def test_encrypted_odf(tmp_path: Path) -> None:
    odt = tmp_path / "x.odt"
    doc = OpenDocumentText()
    doc.save(str(odt))
    manifest = (
        zipfile.ZipFile(odt)
        .read("META-INF/manifest.xml")
        .replace(
            b"</manifest:manifest>",
            b'<manifest:file-entry manifest:full-path="y" manifest:media-type="text/xml">'
            b"<manifest:encryption-data/></manifest:file-entry></manifest:manifest>",
        )
    )
    enc = _rezip(odt.read_bytes(), tmp_path / "enc.odt", replace={"META-INF/manifest.xml": manifest})
    rep = check_input(enc)
    assert rep.reason is not None and rep.reason.rule == "input:encrypted"


def test_zip_bomb_measured_while_decompressing(tmp_path: Path) -> None:
    bomb = _rezip(_docx_bytes(), tmp_path / "bomb.docx", add={"word/media/pad.bin": b"\0" * (8 << 20)})
    rep = check_input(bomb, InputLimits(max_ratio=100))
    assert rep.reason is not None and rep.reason.rule == "input:zip-bomb"
    small_budget = check_input(bomb, InputLimits(max_uncompressed_mb=4, max_ratio=10_000))
    assert small_budget.reason is not None and small_budget.reason.rule == "input:zip-bomb"


def test_path_traversal(tmp_path: Path) -> None:
    src = _rezip(_docx_bytes(), tmp_path / "t.docx", add={"../../evil.txt": b"x"})
    rep = check_input(src)
    assert rep.reason is not None and rep.reason.rule == "input:zip-path-traversal"


def test_entity_declaration_rejected(tmp_path: Path) -> None:
    data = _docx_bytes()
    doc_xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    evil = doc_xml.replace(b"?>", b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>', 1)
    src = _rezip(data, tmp_path / "ent.docx", replace={"word/document.xml": evil})
    rep = check_input(src)
    assert rep.reason is not None and rep.reason.rule == "input:xml-entities"
    assert rep.reason.where == "word/document.xml"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.csv", "Аты;Саны\nқағаз;12\n", InputFormat.CSV),
        ("a.txt", "a\tb\n1\t2\n3\t4\n", InputFormat.CSV),
        ("a.docx", "<html><body>Session expired</body></html>", InputFormat.UNKNOWN),
    ],
)
def test_text_inputs(tmp_path: Path, name: str, content: str, expected: InputFormat) -> None:
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    rep = check_input(p)
    assert rep.format is expected
    assert rep.passed is (expected is not InputFormat.UNKNOWN)


def test_empty_and_truncated(tmp_path: Path) -> None:
    empty = tmp_path / "e.docx"
    empty.write_bytes(b"")
    assert check_input(empty).reason.rule == "input:empty"  # type: ignore[union-attr]
    cut = tmp_path / "cut.docx"
    cut.write_bytes(_docx_bytes()[:3000])
    assert check_input(cut).reason.rule == "input:corrupt"  # type: ignore[union-attr]


def test_external_references_noted(tmp_path: Path) -> None:
    data = _docx_bytes()
    z = zipfile.ZipFile(io.BytesIO(data))
    rels = z.read("word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"'
        b' Target="file:///etc/passwd" TargetMode="External"/>'
        b'<Relationship Id="rIdH" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'hyperlink" Target="https://example.org/" TargetMode="External"/></Relationships>',
    )
    doc = z.read("word/document.xml").replace(
        b"<w:body>",
        b"<w:body><w:p><w:r><w:instrText>"
        b' INCLUDEPICTURE "http://127.0.0.1/x.png" \\d </w:instrText></w:r></w:p>',
        1,
    )
    src = _rezip(
        data, tmp_path / "ext.docx", replace={"word/_rels/document.xml.rels": rels, "word/document.xml": doc}
    )
    rep = check_input(src)
    assert rep.passed and rep.external == {"linked picture", "INCLUDEPICTURE field"}
    assert any(f.rule == "input:external-content" for f in rep.findings)
    plain = tmp_path / "plain.docx"
    plain.write_bytes(data)
    assert check_input(plain).external == set()
