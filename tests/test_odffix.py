"""The strict-ODF repair: LibreOffice 7.4's out-of-1.3 habits are repaired and the result validates."""

from __future__ import annotations

import zipfile
from pathlib import Path

from odf.opendocument import OpenDocumentText
from odf.text import P

from converter.odffix import repair_strict_odf
from validators import validate_odf

_BODY = (
    '<text:p><draw:rect draw:name="r" svg:width="2cm" svg:height="1cm" style:rel-width="50%" '
    'text:anchor-type="paragraph"/></text:p>'
    '<text:p><text:text-input>a<text:s text:c="3"/>b</text:text-input></text:p>'
    '<text:p><draw:frame draw:name="f" svg:width="1cm" svg:height="1cm" text:anchor-type="paragraph">'
    "<draw:image><text:p/></draw:image></draw:frame></text:p>"
)


_XMLNS = (
    b'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ',
    b'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ',
    b'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ',
)


def _odt_with_habits(tmp_path: Path) -> Path:
    src = tmp_path / "plain.odt"
    doc = OpenDocumentText()
    doc.text.addElement(P(text="x"))
    doc.save(str(src))
    out = tmp_path / "habits.odt"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "content.xml":
                text = data.decode()
                head, _, tail = text.partition("<office:text>")
                data = (head + "<office:text>" + _BODY + tail.split("</office:text>", 1)[1]).encode()
                data = data.replace(b"</office:body>", b"</office:text></office:body>", 1)
                # odfpy declares only the namespaces it has seen used, which depends on what the
                # process did before: add the missing ones.
                missing = b"".join(decl for decl in _XMLNS if decl.split(b"=")[0] not in data)
                data = data.replace(b"<office:document-content ", b"<office:document-content " + missing, 1)
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(b"<manifest:manifest ", b'<manifest:manifest manifest:version="1.2" ', 1)
            zout.writestr(info, data, compress_type=info.compress_type)
    return out


def test_repairs_then_validates(tmp_path: Path) -> None:
    odt = _odt_with_habits(tmp_path)
    before = validate_odf(odt)
    assert not before.passed
    changes = repair_strict_odf(odt)
    assert any("style:rel-width" in c for c in changes)
    assert any("input field" in c for c in changes)
    assert any("image placeholder" in c for c in changes)
    after = validate_odf(odt)
    assert after.passed, after.failures
    content = zipfile.ZipFile(odt).read("content.xml").decode()
    assert "a   b" in content and "draw:image" not in content
    assert zipfile.ZipFile(odt).namelist()[0] == "mimetype"


def test_clean_package_untouched(tmp_path: Path) -> None:
    src = tmp_path / "plain.odt"
    doc = OpenDocumentText()
    doc.text.addElement(P(text="Сәлем"))
    doc.save(str(src))
    before = src.read_bytes()
    assert repair_strict_odf(src) == []
    assert src.read_bytes() == before
