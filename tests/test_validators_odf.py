"""Tests for `validators.odf`: strict ODF passes, and each kind of damage fails with a finding naming it.

Damaged packages are made here by rewriting a good one with zipfile; LibreOffice outputs (marked
``soffice``) come from one profile set to write strict ODF 1.3.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from validators import FindingKind
from validators.odf import validate_odf

SCHEMA_DIR = Path(__file__).parents[2] / "shared" / "odf-schema"
needs_schema = pytest.mark.skipif(not SCHEMA_DIR.is_dir(), reason="OASIS ODF schemas not available")

MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"

# LibreOffice's Save/ODF/DefaultVersion value for "ODF 1.3" without extensions (SvtSaveOptions'
# ODFVER_013); its default writes ODF 1.3 extended, with loext: markup.
ODF_1_3_STRICT = 10


# --- building documents ---------------------------------------------------------------------------------


def _odfpy_text(path: Path) -> Path:
    """Write a small text document with odfpy (which writes no foreign markup)."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, P

    doc = OpenDocumentText()
    bold = Style(name="Bold", family="paragraph")
    bold.addElement(TextProperties(fontweight="bold"))
    doc.styles.addElement(bold)
    doc.text.addElement(H(outlinelevel=1, text="Есеп"))
    doc.text.addElement(P(text="Қазақ тілі, русский, English.", stylename=bold))
    doc.save(str(path))
    return path


def _odfpy_spreadsheet(path: Path) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Бюджет")
    table.addElement(TableColumn())
    row = TableRow()
    cell = TableCell(valuetype="float", value=42)
    cell.addElement(P(text="42"))
    row.addElement(cell)
    table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def _rewrite(
    src: Path,
    dst: Path,
    *,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
    mimetype_compressed: bool = False,
    mimetype_last: bool = False,
    mimetype_extra: bytes = b"",
) -> Path:
    """Copy a package entry by entry, changing what the test asks for."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin:
        entries = [(i.filename, replace.get(i.filename, zin.read(i))) for i in zin.infolist()]
    entries = [(n, d) for n, d in entries if n not in drop] + list((add or {}).items())
    if mimetype_last:
        entries.sort(key=lambda e: e[0] == "mimetype")
    with zipfile.ZipFile(dst, "w") as zout:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_DEFLATED if mimetype_compressed else zipfile.ZIP_STORED
                info.extra = mimetype_extra
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    return dst


def _add_manifest_version(src: Path, dst: Path, version: str = "1.2") -> Path:
    # odfpy 1.4 writes no manifest:version, which ODF 1.2 made required.
    with zipfile.ZipFile(src) as z:
        manifest = z.read("META-INF/manifest.xml")
    fixed = manifest.replace(
        b"<manifest:manifest ", f'<manifest:manifest manifest:version="{version}" '.encode(), 1
    )
    return _rewrite(src, dst, replace={"META-INF/manifest.xml": fixed})


@pytest.fixture
def good(tmp_path: Path) -> Path:
    """A valid ODF 1.2 text document written by odfpy (with the manifest version it leaves out)."""
    return _add_manifest_version(_odfpy_text(tmp_path / "raw.odt"), tmp_path / "good.odt")


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def _rules(report) -> set[str]:
    return {f.rule for f in report.failures}


# --- good documents -------------------------------------------------------------------------------------


def test_odfpy_document_passes_once_the_manifest_has_its_version(good: Path) -> None:
    report = validate_odf(good)
    assert report.passed, report.findings
    assert report.kind == "odf"
    assert report.findings == ()


def test_odfpy_writes_no_foreign_markup_but_omits_manifest_version(tmp_path: Path) -> None:
    report = validate_odf(_odfpy_text(tmp_path / "raw.odt"))
    assert not report.passed
    assert [(f.rule, f.where) for f in report.failures] == [
        ("odf:missing-attribute", "META-INF/manifest.xml line 2")
    ]
    assert "manifest:version" in report.failures[0].message


def test_odfpy_spreadsheet_passes(tmp_path: Path) -> None:
    doc = _add_manifest_version(_odfpy_spreadsheet(tmp_path / "raw.ods"), tmp_path / "good.ods")
    assert validate_odf(doc).passed


@needs_schema
def test_odfpy_documents_agree_with_relaxng(good: Path, tmp_path: Path) -> None:
    ods = _add_manifest_version(_odfpy_spreadsheet(tmp_path / "raw.ods"), tmp_path / "good.ods")
    for doc in (good, ods):
        report = validate_odf(doc, schema_dir=SCHEMA_DIR)
        assert report.passed, report.findings
        assert _relaxng_ok(doc)


# --- package damage -------------------------------------------------------------------------------------


def test_compressed_mimetype_fails(good: Path, tmp_path: Path) -> None:
    report = validate_odf(_rewrite(good, tmp_path / "bad.odt", mimetype_compressed=True))
    assert _rules(report) == {"odf:mimetype-compressed"}


def test_mimetype_not_first_fails(good: Path, tmp_path: Path) -> None:
    report = validate_odf(_rewrite(good, tmp_path / "bad.odt", mimetype_last=True))
    assert _rules(report) == {"odf:mimetype-not-first"}
    assert "'styles.xml' comes first" in report.failures[0].message


def test_mimetype_with_extra_field_fails(good: Path, tmp_path: Path) -> None:
    # An "extended timestamp" extra field (header 0x5455), as zip tools add by default.
    extra = b"\x55\x54\x05\x00\x01\x00\x00\x00\x00"
    report = validate_odf(_rewrite(good, tmp_path / "bad.odt", mimetype_extra=extra))
    assert _rules(report) == {"odf:mimetype-extra-field"}


def test_mimetype_disagreeing_with_manifest_fails(good: Path, tmp_path: Path) -> None:
    bad = _rewrite(
        good, tmp_path / "bad.odt", replace={"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}
    )
    assert _rules(validate_odf(bad)) == {"odf:mimetype-mismatch"}


def test_undeclared_part_fails(good: Path, tmp_path: Path) -> None:
    report = validate_odf(_rewrite(good, tmp_path / "bad.odt", add={"Pictures/smuggled.png": b"\x89PNG"}))
    assert [(f.rule, f.where) for f in report.failures] == [("odf:undeclared-part", "Pictures/smuggled.png")]


def test_signature_files_need_no_manifest_entry(good: Path, tmp_path: Path) -> None:
    signatures = (
        b'<?xml version="1.0"?><dsig:document-signatures '
        b'xmlns:dsig="urn:oasis:names:tc:opendocument:xmlns:digitalsignature:1.0" dsig:version="1.2"/>'
    )
    doc = _rewrite(good, tmp_path / "signed.odt", add={"META-INF/documentsignatures.xml": signatures})
    assert validate_odf(doc).passed


def test_manifest_entry_without_part_fails(good: Path, tmp_path: Path) -> None:
    report = validate_odf(_rewrite(good, tmp_path / "bad.odt", drop=("meta.xml",)))
    assert _rules(report) == {"odf:missing-part"}
    assert "'meta.xml'" in report.failures[0].message
    assert report.failures[0].where.startswith("META-INF/manifest.xml line ")


def test_missing_manifest_fails(good: Path, tmp_path: Path) -> None:
    report = validate_odf(_rewrite(good, tmp_path / "bad.odt", drop=("META-INF/manifest.xml",)))
    assert "odf:manifest-missing" in _rules(report)


def test_path_traversal_entry_is_reported_and_not_read(good: Path, tmp_path: Path) -> None:
    report = validate_odf(
        _rewrite(good, tmp_path / "bad.odt", add={"../../evil.xml": b"<x/>", "/abs.xml": b"<x/>"})
    )
    unsafe = [f for f in report.failures if f.rule == "odf:unsafe-path"]
    assert {f.where for f in unsafe} == {"../../evil.xml", "/abs.xml"}
    assert "odf:undeclared-part" not in _rules(report)  # unsafe names are never treated as parts


def test_encrypted_document_cannot_be_checked(good: Path, tmp_path: Path) -> None:
    manifest = _part(good, "META-INF/manifest.xml").replace(
        b'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
        b'manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data '
        b'manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA"><manifest:algorithm '
        b'manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
        b'<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:iteration-count="1024" '
        b'manifest:salt="AAAA"/></manifest:encryption-data></manifest:file-entry>',
    )
    assert manifest != _part(good, "META-INF/manifest.xml")
    bad = _rewrite(
        good, tmp_path / "enc.odt", replace={"META-INF/manifest.xml": manifest, "content.xml": b"\x93\x00"}
    )
    report = validate_odf(bad)
    assert not report.passed
    assert [(f.rule, f.kind) for f in report.failures] == [("odf:encrypted", FindingKind.UNSUPPORTED)]


def test_not_a_zip_or_xml_fails_without_raising(tmp_path: Path) -> None:
    junk = tmp_path / "junk.odt"
    junk.write_bytes(b"\x00\x01 not a document")
    assert _rules(validate_odf(junk)) == {"odf:malformed-xml"}


def test_missing_file_is_a_finding(tmp_path: Path) -> None:
    report = validate_odf(tmp_path / "absent.odt")
    assert _rules(report) == {"file:unreadable"}


# --- XML damage and hostile XML -------------------------------------------------------------------------


def test_malformed_xml_names_part_and_line(good: Path, tmp_path: Path) -> None:
    content = _part(good, "content.xml").replace(b"<office:body>", b"\n\n<office:body><text:p>", 1)
    report = validate_odf(_rewrite(good, tmp_path / "bad.odt", replace={"content.xml": content}))
    malformed = [f for f in report.failures if f.rule == "odf:malformed-xml"]
    assert len(malformed) == 1
    assert malformed[0].where.startswith("content.xml line ")


ENTITY_BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE office:document-content [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:text><text:p>&f;</text:p></office:text></office:body></office:document-content>
"""


def test_entity_bomb_is_refused_without_expanding(good: Path, tmp_path: Path) -> None:
    bad = _rewrite(good, tmp_path / "bomb.odt", replace={"content.xml": ENTITY_BOMB})
    started = time.monotonic()
    report = validate_odf(bad)
    assert time.monotonic() - started < 5  # expanded, it would be 2.4e10 characters
    found = [f for f in report.failures if f.rule == "odf:entity-declaration"]
    assert [f.where for f in found] == ["content.xml line 2"]


def test_external_entity_is_refused(good: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    xxe = (
        f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY s SYSTEM "{secret.as_uri()}">]>\n'
        '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'office:version="1.2"><office:meta>&s;</office:meta></office:document-meta>'
    ).encode()
    report = validate_odf(_rewrite(good, tmp_path / "xxe.odt", replace={"meta.xml": xxe}))
    assert _rules(report) == {"odf:entity-declaration"}
    assert "do not read me" not in repr(report)


def test_application_parts_are_held_to_safety_only(good: Path, tmp_path: Path) -> None:
    # LibreOffice writes an empty accelerator file, and old office suites a DTD in their Basic parts.
    manifest = _part(good, "META-INF/manifest.xml").replace(
        b"</manifest:manifest>",
        b'<manifest:file-entry manifest:full-path="Configurations2/accelerator/current.xml" '
        b'manifest:media-type=""/><manifest:file-entry manifest:full-path="Basic/script-lc.xml" '
        b'manifest:media-type="text/xml"/></manifest:manifest>',
    )
    doc = _rewrite(
        good,
        tmp_path / "app.odt",
        replace={"META-INF/manifest.xml": manifest},
        add={
            "Configurations2/accelerator/current.xml": b"",
            "Basic/script-lc.xml": b'<?xml version="1.0"?>\n<!DOCTYPE lib:lib PUBLIC "-//x" "l.dtd">\n<a/>',
        },
    )
    report = validate_odf(doc)
    assert report.passed, report.failures
    assert [f.rule for f in report.findings] == ["odf:doctype"]


# --- grammar --------------------------------------------------------------------------------------------


def _with_content(good: Path, dst: Path, old: bytes, new: bytes) -> Path:
    content = _part(good, "content.xml")
    assert old in content
    return _rewrite(good, dst, replace={"content.xml": content.replace(old, new, 1)})


def test_unknown_element_fails(good: Path, tmp_path: Path) -> None:
    bad = _with_content(good, tmp_path / "bad.odt", b"<office:text>", b"<office:text><text:paragraph/>")
    report = validate_odf(bad)
    assert [(f.rule, f.where) for f in report.failures] == [("odf:unknown-element", "content.xml line 2")]
    assert "<text:paragraph>" in report.failures[0].message


def test_missing_required_attribute_fails(good: Path, tmp_path: Path) -> None:
    bad = _with_content(
        good,
        tmp_path / "bad.odt",
        b"<office:body>",
        b'<office:automatic-styles><style:style style:family="paragraph"/></office:automatic-styles>'
        b"<office:body>",
    )
    report = validate_odf(bad)
    assert _rules(report) == {"odf:missing-attribute"}
    assert "style:name" in report.failures[0].message


def test_missing_office_version_fails(good: Path, tmp_path: Path) -> None:
    bad = _with_content(good, tmp_path / "bad.odt", b' office:version="1.2"', b"")
    report = validate_odf(bad)
    assert [(f.rule, f.where) for f in report.failures] == [("odf:missing-version", "content.xml line 2")]


def test_misplaced_element_and_unknown_attribute_fail(good: Path, tmp_path: Path) -> None:
    bad = _with_content(
        good, tmp_path / "bad.odt", b"<office:text>", b'<office:text text:colour="red"><office:body/>'
    )
    assert _rules(validate_odf(bad)) == {"odf:misplaced-element", "odf:unknown-attribute"}


def test_image_without_link_or_data_fails(good: Path, tmp_path: Path) -> None:
    frame = (
        b'<text:p><draw:frame xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        b'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" draw:name="f" '
        b'svg:width="1cm" svg:height="1cm"><draw:image><text:p/></draw:image></draw:frame></text:p>'
    )
    bad = _with_content(good, tmp_path / "bad.odt", b"<office:text>", b"<office:text>" + frame)
    report = validate_odf(bad)
    assert [f.rule for f in report.failures] == ["odf:missing-attribute"]
    assert "neither an xlink:href nor an <office:binary-data>" in report.failures[0].message


def test_libreoffice_extensions_are_foreign_in_strict_odf(good: Path, tmp_path: Path) -> None:
    loext = b"urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
    bad = _with_content(
        good,
        tmp_path / "ext.odt",
        b"<office:text>",
        b'<office:text xmlns:loext="' + loext + b'"><loext:p/><text:p loext:marker-style-name="x"/>',
    )
    strict = validate_odf(bad)
    assert _rules(strict) == {"odf:foreign-element", "odf:foreign-attribute"}
    extended = validate_odf(bad, extended=True)
    assert extended.passed
    assert {f.kind for f in extended.findings} == {FindingKind.NOTE}


def test_every_finding_is_collected(good: Path, tmp_path: Path) -> None:
    content = _part(good, "content.xml").replace(b"<office:text>", b"<office:text><text:bogus/>", 1)
    bad = _rewrite(
        good,
        tmp_path / "many.odt",
        replace={"content.xml": content},
        add={"extra.bin": b"x"},
        mimetype_compressed=True,
        drop=("meta.xml",),
    )
    assert _rules(validate_odf(bad)) == {
        "odf:mimetype-compressed",
        "odf:undeclared-part",
        "odf:missing-part",
        "odf:unknown-element",
    }


# --- flat ODF -------------------------------------------------------------------------------------------

FLAT = b"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:body><office:text><text:p>\xd2\x9a\xd0\xb0\xd0\xb7\xd0\xb0\xd2\x9b</text:p></office:text></office:body>
</office:document>
"""


def test_flat_odf_passes(tmp_path: Path) -> None:
    flat = tmp_path / "flat.fodt"
    flat.write_bytes(FLAT)
    assert validate_odf(flat).passed


def test_flat_odf_with_unknown_element_fails(tmp_path: Path) -> None:
    flat = tmp_path / "flat.fodt"
    flat.write_bytes(FLAT.replace(b"text:p>", b"text:para>"))
    report = validate_odf(flat)
    assert [(f.rule, f.where) for f in report.failures] == [("odf:unknown-element", "flat.fodt line 5")]


@needs_schema
def test_flat_odf_against_relaxng(tmp_path: Path) -> None:
    flat = tmp_path / "flat.fodt"
    flat.write_bytes(FLAT)
    assert validate_odf(flat, schema_dir=SCHEMA_DIR).passed
    # The grammar tables cannot see order; the schema can: office:body must come last.
    flat.write_bytes(FLAT.replace(b"</office:body>", b"</office:body><office:meta/>"))
    report = validate_odf(flat, schema_dir=SCHEMA_DIR)
    assert _rules(report) == {"odf:schema"}


# --- RelaxNG --------------------------------------------------------------------------------------------


def _relaxng_ok(path: Path) -> bool:
    """The schema's verdict alone, computed independently of the validator."""
    version_of = {"1.2": "OpenDocument-v1.2-os", "1.3": "OpenDocument-v1.3"}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            parts = {n: z.read(n) for n in z.namelist() if n.rsplit("/", 1)[-1] in _STANDARD}
            manifest = z.read("META-INF/manifest.xml")
    else:
        parts, manifest = {path.name: path.read_bytes()}, None
    ok = True
    version = None
    for data in parts.values():
        root = etree.fromstring(data)
        if root.tag == "{http://www.w3.org/1998/Math/MathML}math":
            continue  # a formula object: MathML, outside the ODF schema
        version = root.get("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}version")
        schema = etree.RelaxNG(etree.parse(str(SCHEMA_DIR / f"{version_of[version]}-schema.rng")))
        ok &= schema.validate(root)
    if manifest is not None:
        schema = etree.RelaxNG(etree.parse(str(SCHEMA_DIR / f"{version_of[version]}-manifest-schema.rng")))
        ok &= schema.validate(etree.fromstring(manifest))
    return ok


_STANDARD = ("content.xml", "styles.xml", "meta.xml", "settings.xml")


@needs_schema
def test_schema_check_reports_part_and_line(good: Path, tmp_path: Path) -> None:
    bad = _with_content(good, tmp_path / "bad.odt", b"<office:text>", b"<office:text><text:bogus/>")
    report = validate_odf(bad, schema_dir=SCHEMA_DIR)
    schema = [f for f in report.failures if f.rule == "odf:schema"]
    assert schema and all(f.where.startswith("content.xml") for f in schema)
    assert not _relaxng_ok(bad)


def _long_spreadsheet(path: Path, rows: int, *, bad_row: int | None = None) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Long")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for i in range(rows):
        row = TableRow()
        for value in (i, i * 2):
            cell = TableCell(valuetype="nonsense" if i == bad_row else "float", value=value)
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    raw = path.with_suffix(".raw")
    doc.save(str(raw))
    return _add_manifest_version(raw, path)


@needs_schema
def test_long_tables_are_validated_in_chunks_with_the_same_verdict(tmp_path: Path) -> None:
    # 300 rows are validated as chunks of rows (libxml2's RelaxNG slows with the cube of a run of rows);
    # a bad value in a late chunk must still fail, exactly as one whole-document validation says.
    good = _long_spreadsheet(tmp_path / "long.ods", 300)
    bad = _long_spreadsheet(tmp_path / "bad.ods", 300, bad_row=280)
    assert validate_odf(good).passed and validate_odf(bad).passed  # values are the schema's to judge
    assert validate_odf(good, schema_dir=SCHEMA_DIR).passed is _relaxng_ok(good) is True
    report = validate_odf(bad, schema_dir=SCHEMA_DIR)
    assert _rules(report) == {"odf:schema"}
    assert _relaxng_ok(bad) is False


def test_missing_schema_folder_raises(good: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        validate_odf(good, schema_dir=tmp_path / "nowhere")


def test_schema_for_other_version_is_reported_unchecked(good: Path, tmp_path: Path) -> None:
    (tmp_path / "schemas").mkdir()  # a folder without the 1.2 schema files
    report = validate_odf(good, schema_dir=tmp_path / "schemas")
    assert {(f.rule, f.kind) for f in report.failures} == {
        ("odf:schema-unavailable", FindingKind.UNSUPPORTED)
    }


# --- LibreOffice strict ODF 1.3 -------------------------------------------------------------------------

_PROFILE = f"""<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Save/ODF"><prop oor:name="DefaultVersion" oor:op="fuse">
<value>{ODF_1_3_STRICT}</value></prop></item>
</oor:items>
"""


@pytest.fixture(scope="module")
def libreoffice_outputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Convert DOCX, RTF, XLSX, CSV and PPTX with LibreOffice set to strict ODF 1.3, one call per target."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    import docx
    import openpyxl
    import pptx

    base = tmp_path_factory.mktemp("lo")
    profile, src, out = base / "profile", base / "in", base / "out"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
    src.mkdir()

    d = docx.Document()
    d.add_heading("Жылдық есеп", 1)
    d.add_paragraph("Годовой отчёт. ").add_run("Annual report.").bold = True
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Қаржы"
    d.add_paragraph("Бірінші", style="List Bullet")
    d.sections[0].header.paragraphs[0].text = "Header"
    d.save(src / "report.docx")
    (src / "letter.rtf").write_text(r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 Hello \b bold\b0 .\par}", "ascii")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = 1, 2, "=SUM(A1:A2)"
    ws.merge_cells("B1:C1")
    wb.create_sheet("Екінші")["A1"] = "мәтін"
    wb.save(src / "budget.xlsx")
    (src / "plain.csv").write_text("a,b\n1,2\n", "utf-8")
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Слайд"
    slide.placeholders[1].text = "Мазмұны"
    deck.save(src / "deck.pptx")

    jobs = {
        "odt": ["report.docx", "letter.rtf"],
        "ods": ["budget.xlsx", "plain.csv"],
        "odp": ["deck.pptx"],
        "fodt": ["report.docx"],
        "fods": ["budget.xlsx"],
    }
    for target, names in jobs.items():
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                *(str(src / n) for n in names),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    outputs = sorted(out.iterdir())
    assert len(outputs) == 7, outputs
    return outputs


_EXTENSION_NAME = re.compile(rb"[<\s](?:loext|calcext|officeooo|field|tableooo|drawooo):[\w-]")


def _xml_parts(path: Path) -> list[bytes]:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return [z.read(n) for n in z.namelist() if n.endswith(".xml")]
    return [path.read_bytes()]


@pytest.mark.soffice
def test_profile_setting_makes_libreoffice_write_strict_odf_1_3(libreoffice_outputs: list[Path]) -> None:
    for path in libreoffice_outputs:
        parts = _xml_parts(path)
        assert any(b'office:version="1.3"' in p for p in parts), path.name
        # LibreOffice still declares the loext namespace in the manifest, but uses no name from it.
        assert not any(_EXTENSION_NAME.search(p) for p in parts), path.name


@pytest.mark.soffice
def test_libreoffice_strict_outputs_pass(libreoffice_outputs: list[Path]) -> None:
    for path in libreoffice_outputs:
        report = validate_odf(path)
        assert report.passed, (path.name, report.findings)


@pytest.mark.soffice
@needs_schema
def test_libreoffice_outputs_agree_with_relaxng(libreoffice_outputs: list[Path]) -> None:
    for path in libreoffice_outputs:
        report = validate_odf(path, schema_dir=SCHEMA_DIR)
        assert report.passed == _relaxng_ok(path), (path.name, report.findings)
        assert report.passed, (path.name, report.findings)


@pytest.mark.soffice
def test_libreoffice_output_mutations_fail(libreoffice_outputs: list[Path], tmp_path: Path) -> None:
    odt = next(p for p in libreoffice_outputs if p.name == "report.odt")
    assert _rules(validate_odf(_rewrite(odt, tmp_path / "a.odt", mimetype_compressed=True))) == {
        "odf:mimetype-compressed"
    }
    content = _part(odt, "content.xml").replace(b"<office:body>", b"<office:body><text:bogus/>", 1)
    report = validate_odf(_rewrite(odt, tmp_path / "b.odt", replace={"content.xml": content}))
    assert _rules(report) == {"odf:unknown-element"}
    report = validate_odf(_rewrite(odt, tmp_path / "c.odt", add={"evil.xml": b"<x/>"}))
    assert _rules(report) == {"odf:undeclared-part"}


def test_validators_imports_nothing_from_converter_or_watch() -> None:
    code = (
        "import sys, validators.odf, validators.cli; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('converter', 'watch')]; "
        "sys.exit(1 if bad else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).parents[1]).returncode == 0
