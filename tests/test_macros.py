"""No code runs: a Basic macro bound to the document's load event never executes, and is reported.

The fixture was checked by hand to be live: loaded visibly with macro security "low" and
MacroExecutionMode ALWAYS_EXECUTE_NO_WARN, LibreOffice 7.4 runs its load-event macro and the marker
appears. qujat's hidden load, NEVER_EXECUTE and hardened profile must each keep it from running.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.soffice

_BASIC_DTD = '<!DOCTYPE {root} PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "{dtd}">'


def macro_odt(path: Path, marker: Path) -> Path:
    """Write an ODT whose Basic macro, bound to the load event, writes *marker*."""
    module = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + _BASIC_DTD.format(root="script:module", dtd="module.dtd")
        + '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" '
        f'script:language="StarBasic">Sub Main\nOpen "{marker}" For Output As #1\nPrint #1, "ran"\nClose #1\n'
        "End Sub\n</script:module>"
    )
    library = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + _BASIC_DTD.format(root="library:library", dtd="library.dtd")
        + '<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" '
        'library:readonly="false" library:passwordprotected="false">'
        '<library:element library:name="Module1"/></library:library>'
    )
    libraries = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + _BASIC_DTD.format(root="library:libraries", dtd="libraries.dtd")
        + '<library:libraries xmlns:library="http://openoffice.org/2000/library" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<library:library library:name="Standard" library:link="false"/></library:libraries>'
    )
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:ooo="http://openoffice.org/2004/office" '
        # The event name is a QName: without this declaration LibreOffice silently drops the binding.
        'xmlns:dom="http://www.w3.org/2001/xml-events"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.3">'
        "<office:scripts><office:event-listeners>"
        '<script:event-listener script:language="ooo:script" script:event-name="dom:load" '
        'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document" '
        'xlink:type="simple"/></office:event-listeners></office:scripts>'
        "<office:body><office:text><text:p>Бұл құжатта макрос бар.</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        + "".join(
            f'<manifest:file-entry manifest:full-path="{part}" manifest:media-type="text/xml"/>'
            for part in ("Basic/script-lc.xml", "Basic/Standard/script-lb.xml", "Basic/Standard/Module1.xml")
        )
        + "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        for name, data in (
            ("content.xml", content),
            ("Basic/script-lc.xml", libraries),
            ("Basic/Standard/script-lb.xml", library),
            ("Basic/Standard/Module1.xml", module),
            ("META-INF/manifest.xml", manifest),
        ):
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize("sandbox", ["auto", "off"])
def test_load_event_macro_never_runs(tmp_path: Path, sandbox: str) -> None:
    # sandbox="off" tests the profile and load arguments alone: the marker's folder is then writable.
    from converter import Converter, ExitCode, Status

    marker = tmp_path / "marker.txt"
    src = macro_odt(tmp_path / "макрос.odt", marker)
    with Converter(workers=1, sandbox=sandbox) as c:
        r = c.convert(src, output_dir=tmp_path / "out")
    # Converted, and sent to review (macros dropped is a loss the policy flags by default).
    assert r.status is Status.CONVERTED and r.exit_code is ExitCode.fidelity_below_threshold, r.findings
    assert not marker.exists(), "a document macro ran during conversion"
    assert r.macros and any(f.code == "macros_dropped" for f in r.findings)
