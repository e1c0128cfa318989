"""Hostile and broken input: no document makes the engine fetch, read or run anything outside itself.

Every document is built here (`tests/hostile_docs.py`), pointing at canaries the test owns: a loopback
HTTP server counting requests, and canary files holding a unique ASCII/Cyrillic string, a picture of a
unique colour and a workbook holding that string. Each is converted by the real engine, with the bubblewrap
sandbox (``auto``) and, for the file and network vectors, with the profile and load arguments alone
(``off``). Then: the server saw no request, no output (ODF parts, PDF text, PDF pictures) carries canary
content, no marker file appeared, every input ended converted or quarantined within the timeout, and a
document that refers to outside content reports ``external_content_blocked``.

Checked by hand with plain ``soffice --headless --convert-to pdf``, a fresh default profile and no sandbox
(LibreOffice 7.4), so that the tests are not vacuous: a flat ODT's ``draw:image`` to a local file embeds
the canary picture, the same to a URL fetches it (the server saw the request) and embeds it, and an
embedded SVG's ``<image href="file://...">`` embeds the local picture. With qujat's profile and load
arguments alone (``sandbox="off"``) the flat-ODF links are stopped but the SVG one still leaks; only the
sandbox stops it. The other vectors leaked nothing even unprotected: 7.4 shows an INCLUDEPICTURE or
INCLUDETEXT field's stored result, never updates the template, OLE, external-workbook, DDE or
table-source links in a headless load, and does not call WEBSERVICE then; they are kept as regression
guards. The absurd-cell files kept plain soffice busy past two minutes; the bomb picture did not.
"""

from __future__ import annotations

import http.server
import io
import shutil
import subprocess
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from converter import ConversionResult, Converter, Status
from tests import hostile_docs as H

pytestmark = pytest.mark.soffice

TIMEOUT_S = 60


class _Canary(http.server.BaseHTTPRequestHandler):
    """Answers every GET with canary content (picture or text), so a fetch would also show in outputs."""

    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        _Canary.hits.append(self.path)
        if self.path.endswith(".png"):
            body, ctype = H.png(H.CANARY_RGB), "image/png"
        else:
            body = f"<a>{H.CANARY_TEXT}</a>".encode()
            ctype = "text/xml; charset=utf-8"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Hostile:
    """One hostile input and what the checks expect of it."""

    name: str
    path: Path
    external: bool = True  # refers to outside content: external_content_blocked must be reported
    marker: Path | None = None  # a code-execution vector: this file must never appear
    unsandboxed: bool = True  # a file/network/code vector: also converted with sandbox="off"
    urls: list[str] = field(default_factory=list)  # loopback paths this document points at


def build(folder: Path, canaries: dict[str, Path], port: int) -> list[Hostile]:
    """Write every hostile document into *folder*; each URL path names its document."""
    folder.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{port}"
    png_uri, txt_uri, xlsx_uri = (canaries[k].as_uri() for k in ("png", "txt", "xlsx"))
    docs: list[Hostile] = []

    def add(name: str, path: Path, **kw: object) -> None:
        docs.append(Hostile(name=name, path=path, **kw))  # type: ignore[arg-type]

    # 1. INCLUDEPICTURE, as a simple and as a complex field, to a URL and to a local file.
    for style, field_xml in (("simple", H.fld_simple), ("complex", H.fld_complex)):
        url = f"/includepicture-{style}.png"
        body = field_xml(f'INCLUDEPICTURE "{base}{url}" \\d') + field_xml(f'INCLUDEPICTURE "{png_uri}" \\d')
        add(f"includepicture-{style}", H.docx(folder / f"includepicture-{style}.docx", body), urls=[url])
    # 2. INCLUDETEXT of a local text file.
    add(
        "includetext",
        H.docx(
            folder / "includetext.docx",
            H.fld_complex(f'INCLUDETEXT "{txt_uri}"') + H.fld_simple(f'INCLUDETEXT "{txt_uri}"'),
        ),
    )
    # 3. Remote template (the classic template-injection vector).
    add(
        "remote-template",
        H.docx(
            folder / "remote-template.docx",
            "",
            settings='<w:attachedTemplate r:id="rIdT"/>',
            settings_rels=[("rIdT", "attachedTemplate", f"{base}/remote-template.dotm", True)],
        ),
        urls=["/remote-template.dotm"],
    )
    # 4. Linked OLE object to a local workbook (and one on the server).
    add(
        "ole-link",
        H.docx(
            folder / "ole-link.docx",
            H.ole_link("rIdOle", "rIdPrev") + H.ole_link("rIdOle2", "rIdPrev"),
            rels=[
                ("rIdOle", "oleObject", xlsx_uri, True),
                ("rIdOle2", "oleObject", f"{base}/ole-link.xlsx", True),
                ("rIdPrev", "image", "media/preview.png", False),
            ],
            media={"preview.png": H.png((0, 0, 0))},
        ),
        urls=["/ole-link.xlsx"],
    )
    # 5. External workbook reference, no cached value.
    add(
        "xlsx-external-book",
        H.xlsx(
            folder / "xlsx-external-book.xlsx",
            '<row r="1"><c r="A1"><f>[1]Sheet1!A1</f></c><c r="B1"><f>[1]Sheet1!$A$1&amp;"!"</f></c></row>',
            external_book=xlsx_uri,
        ),
    )
    # 6. WEBSERVICE and FILTERXML(WEBSERVICE()), no cached values: recalculated on load.
    add(
        "xlsx-webservice",
        H.xlsx(
            folder / "xlsx-webservice.xlsx",
            f'<row r="1"><c r="A1" t="str"><f>WEBSERVICE("{base}/webservice")</f></c></row>'
            f'<row r="2"><c r="A2" t="str"><f>FILTERXML(WEBSERVICE("{base}/filterxml"),"//a")</f></c></row>',
            dimension="A1:A2",
        ),
        urls=["/webservice", "/filterxml"],
    )
    # 7. DDE: a DDEAUTO field (a shell command on Windows, soffice's own DDE server for a local file),
    # and a spreadsheet DDE link and DDE() formula to the canary workbook.
    add(
        "docx-ddeauto",
        H.docx(
            folder / "docx-ddeauto.docx",
            H.fld_complex(f'DDEAUTO soffice "{canaries["xlsx"]}" "Sheet1.A1" \\a')
            + H.fld_complex('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"'),
        ),
    )
    dde_source = (
        f'<office:dde-source office:dde-application="soffice" office:dde-topic="{canaries["xlsx"]}" '
        'office:dde-item="Sheet1.A1" office:automatic-update="true"/>'
    )
    add(
        "ods-dde",
        H.odf(
            folder / "ods-dde.ods",
            "spreadsheet",
            f"<table:dde-links><table:dde-link>{dde_source}<table:table>"
            '<table:table-column/><table:table-row><table:table-cell office:value-type="string">'
            "<text:p>placeholder</text:p></table:table-cell></table:table-row></table:table></table:dde-link>"
            '</table:dde-links><table:table table:name="Sheet1"><table:table-column/><table:table-row>'
            f'<table:table-cell table:formula="of:=DDE(&quot;soffice&quot;;&quot;{canaries["xlsx"]}&quot;;'
            '&quot;Sheet1.A1&quot;)"/></table:table-row></table:table>',
        ),
    )
    # 8. Flat ODF: linked pictures (local file, URL) and a linked sheet.
    for where, href, urls in (
        ("file", png_uri, []),
        ("http", f"{base}/fodt-image.png", ["/fodt-image.png"]),
    ):
        add(
            f"fodt-image-{where}",
            H.flat_odf(
                folder / f"fodt-image-{where}.fodt",
                "text",
                '<text:p>Linked picture:<draw:frame draw:name="p" text:anchor-type="as-char" svg:width="2cm" '
                f'svg:height="2cm"><draw:image xlink:href="{href}" xlink:type="simple" xlink:show="embed" '
                'xlink:actuate="onLoad"/></draw:frame></text:p>',
            ),
            urls=urls,
        )
    add(
        "fods-table-source",
        H.flat_odf(
            folder / "fods-table-source.fods",
            "spreadsheet",
            '<table:table table:name="Linked"><table:table-source table:mode="copy-all" '
            f'xlink:href="{xlsx_uri}" xlink:type="simple" table:table-name="Sheet1" '
            'table:filter-name="Calc MS Excel 2007 XML"/><table:table-column/><table:table-row>'
            '<table:table-cell office:value-type="string"><text:p>placeholder</text:p></table:table-cell>'
            "</table:table-row></table:table>",
        ),
    )
    # 9. An embedded SVG picture whose SVG refers to a local file and a URL.
    add(
        "docx-svg-refs",
        H.docx(
            folder / "docx-svg-refs.docx",
            H.inline_picture("rIdSvg"),
            rels=[("rIdSvg", "image", "media/image1.svg", False)],
            media={"image1.svg": H.svg_with_refs([png_uri, f"{base}/svg-image.png"])},
        ),
        urls=["/svg-image.png"],
    )
    # 10. Script hyperlinks. The ODT carries a document macro the link names, so running it would show.
    for fmt in ("docx", "odt"):
        marker = folder / f"marker-hyperlink-{fmt}.txt"
        script = "vnd.sun.star.script:Standard.Module1.Main?language=Basic&location=document"
        links = ["javascript:alert(document.cookie)", script, "macro:///Standard.Module1.Main()"]
        if fmt == "docx":
            path = H.docx(
                folder / "hyperlinks-docx.docx",
                "".join(H.hyperlink(f"rIdH{i}", f"link {i}") for i in range(len(links))),
                rels=[(f"rIdH{i}", "hyperlink", u, True) for i, u in enumerate(links)],
            )
        else:
            path = H.odf(
                folder / "hyperlinks-odt.odt",
                "text",
                "".join(
                    f'<text:p><text:a xlink:type="simple" xlink:href="{u.replace("&", "&amp;")}">link {i}'
                    "</text:a></text:p>"
                    for i, u in enumerate(links)
                ),
                extra=H.basic_library(marker),
            )
        add(f"hyperlinks-{fmt}", path, external=False, marker=marker)
    # 11. A decompression-bomb picture. 12. Absurd cell counts.
    add(
        "png-bomb",
        H.docx(
            folder / "png-bomb.docx",
            H.inline_picture("rIdBomb"),
            rels=[("rIdBomb", "image", "media/bomb.png", False)],
            media={"bomb.png": H.bomb_png()},
        ),
        external=False,
        unsandboxed=False,
    )
    corner = "<text:p>corner</text:p>"
    add(
        "ods-huge-repeats",
        H.odf(
            folder / "ods-huge-repeats.ods",
            "spreadsheet",
            '<table:table table:name="Sheet1"><table:table-column table:number-columns-repeated="16384"/>'
            '<table:table-row table:number-rows-repeated="1048575">'
            '<table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row>'
            '<table:table-cell table:number-columns-repeated="16383"/>'
            f'<table:table-cell office:value-type="string">{corner}</table:table-cell></table:table-row>'
            "</table:table>",
        ),
        external=False,
        unsandboxed=False,
    )
    add(
        "xlsx-far-corner",
        H.xlsx(
            folder / "xlsx-far-corner.xlsx",
            '<row r="1"><c r="A1" t="inlineStr"><is><t>origin</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>corner</t></is></c></row>',
            dimension="A1:XFD1048576",
        ),
        external=False,
        unsandboxed=False,
    )
    return docs


# Script URL schemes a hyperlink must not carry into an output unreported.
_SCRIPT_SCHEMES = (b"javascript:", b"vnd.sun.star.script:", b"macro:")
_GOOD = ("letter-kk", "budget")


# -- what an output may not contain ----------------------------------------------------------------------


def _canary_colour(im: Image.Image) -> bool:
    """Whether a picture holds a patch of the canary colour (within JPEG re-encoding error)."""
    rgb = im.convert("RGB")
    if rgb.width * rgb.height > 512 * 512:
        rgb = rgb.resize((min(rgb.width, 512), min(rgb.height, 512)), Image.Resampling.NEAREST)
    colours: list[tuple[int, tuple[int, int, int]]] = rgb.getcolors(512 * 512) or []  # type: ignore[assignment]
    near = sum(n for n, c in colours if max(abs(a - b) for a, b in zip(c, H.CANARY_RGB, strict=True)) <= 8)
    return near >= 16


def _text_leak(data: bytes) -> bool:
    return H.CANARY_ASCII.encode() in data or "Канарейка".encode() in data


def leaks(path: Path) -> list[str]:
    """Every place canary content shows in one output file (ODF package or PDF)."""
    found: list[str] = []
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                data = z.read(info)
                if _text_leak(data):
                    found.append(f"{path.name}:{info.filename}: canary text")
                if not info.filename.endswith(".xml") and len(data) > 8:
                    try:
                        with Image.open(io.BytesIO(data)) as im:
                            if _canary_colour(im):
                                found.append(f"{path.name}:{info.filename}: canary picture")
                    except (OSError, ValueError, Image.DecompressionBombError):
                        pass
    elif path.read_bytes()[:5] == b"%PDF-":
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
        if _text_leak(text):
            found.append(f"{path.name}: canary text")
        with pikepdf.open(path) as pdf:
            for n, page in enumerate(pdf.pages, 1):
                for name, obj in page.get_images().items():
                    try:
                        pic = pikepdf.PdfImage(obj).as_pil_image()
                    except Exception:  # noqa: BLE001 - an undecodable picture cannot be the canary
                        continue
                    if _canary_colour(pic):
                        found.append(f"{path.name}: page {n} picture {name}: canary picture")
    return found


def script_links(path: Path) -> list[str]:
    """Script URLs an output still carries (ODF hyperlinks, PDF link actions)."""
    found: list[str] = []
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            for n in z.namelist():
                if n.endswith(".xml"):
                    data = z.read(n)
                    found += [f"{path.name}:{n}: {s.decode()}" for s in _SCRIPT_SCHEMES if s in data]
    elif path.read_bytes()[:5] == b"%PDF-":
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                for annot in page.get("/Annots", []):
                    action = annot.get("/A")
                    if action is not None and "/URI" in action:
                        uri = bytes(action.URI)
                        found += [
                            f"{path.name}: {uri.decode(errors='replace')}"
                            for s in _SCRIPT_SCHEMES
                            if uri.lower().startswith(s)
                        ]
                    elif action is not None and action.get("/S") in ("/JavaScript", "/Launch"):
                        found.append(f"{path.name}: {action.get('/S')} action")
    return found


# -- fixtures: one server, one set of documents, one batch per sandbox mode -----------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv.server_address[1]
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(10)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, server: int) -> list[Hostile]:
    folder = tmp_path_factory.mktemp("hostile")
    return build(folder / "docs", H.write_canaries(folder / "canaries"), server)


@dataclass
class Batch:
    mode: str
    converter: Converter
    results: dict[str, ConversionResult]
    hits: list[str]
    seconds: float
    docs: dict[str, Hostile]


@pytest.fixture(scope="module", params=["auto", "off"])
def batch(
    request: pytest.FixtureRequest,
    hostile: list[Hostile],
    samples: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Batch]:
    """Every hostile document of this sandbox mode (and, sandboxed, two good samples) in one batch."""
    mode = request.param
    docs = [d for d in hostile if mode == "auto" or d.unsandboxed]
    # The slow ones first: they then hold a worker while the quick ones share the others.
    docs.sort(key=lambda d: d.unsandboxed)
    out = tmp_path_factory.mktemp(f"out-{mode}")
    inputs = [d.path for d in docs]
    if mode == "auto":
        for name in _GOOD:
            dest = out.parent / f"good-{mode}" / samples[name].name
            dest.parent.mkdir(exist_ok=True)
            shutil.copyfile(samples[name], dest)
            inputs.append(dest)
    by_path = {d.path: d.name for d in docs} | {p: p.name for p in inputs[len(docs) :]}
    _Canary.hits = []
    with Converter(workers=3, sandbox=mode) as c:
        t = time.monotonic()
        results = {by_path[r.input]: r for r in c.convert_many(inputs, output_dir=out, timeout_s=TIMEOUT_S)}
        seconds = time.monotonic() - t
        yield Batch(mode, c, results, list(_Canary.hits), seconds, {d.name: d for d in docs})


def _result(batch: Batch, name: str) -> ConversionResult:
    if name not in batch.docs:
        pytest.skip(f"{name} is a resource vector: converted only in the sandbox")
    return batch.results[name]


def _check(batch: Batch, name: str, *, reported: bool = True) -> None:
    """The checks every hostile document must pass."""
    r = _result(batch, name)
    doc = batch.docs[name]
    assert r.status in (Status.CONVERTED, Status.QUARANTINED), (r.status, r.findings)
    # No stall: the engine's deadline, one retry on another worker, and post-processing.
    assert r.timings.get("total", 0.0) < 2 * TIMEOUT_S + 30, r.timings
    codes = [f.code for f in r.findings]
    if batch.mode == "auto":
        # Otherwise the "sandboxed" run silently proved only what the "off" run proves.
        assert "engine_not_sandboxed" not in codes, "bubblewrap did not start: the sandbox is untested"
    hits = [h for h in batch.hits if h in doc.urls]
    assert hits == [], f"[{batch.mode}] the engine fetched {hits} for {name}"
    files = [o.path for o in r.outputs] + list(r.quarantined)
    found = [leak for f in files if f.is_file() for leak in leaks(f)]
    assert found == [], f"[{batch.mode}] canary content in the outputs of {name}: {found}"
    if doc.marker is not None:
        assert not doc.marker.exists(), f"[{batch.mode}] {name} ran code: {doc.marker.name} appeared"
    if doc.external and reported:
        assert "external_content_blocked" in codes, f"[{batch.mode}] {name}: not reported: {codes}"


# -- the vectors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["includepicture-simple", "includepicture-complex"])
def test_includepicture_field(batch: Batch, name: str) -> None:
    _check(batch, name)


def test_includetext_field(batch: Batch) -> None:
    _check(batch, "includetext")


def test_remote_template(batch: Batch) -> None:
    _check(batch, "remote-template")


def test_ole_link(batch: Batch) -> None:
    _check(batch, "ole-link")


def test_xlsx_external_workbook(batch: Batch) -> None:
    _check(batch, "xlsx-external-book")


def test_xlsx_webservice(batch: Batch) -> None:
    _check(batch, "xlsx-webservice")


@pytest.mark.parametrize("name", ["docx-ddeauto", "ods-dde"])
def test_dde(batch: Batch, name: str) -> None:
    _check(batch, name)


@pytest.mark.parametrize("name", ["fodt-image-file", "fodt-image-http", "fods-table-source"])
def test_flat_odf_links(batch: Batch, name: str) -> None:
    _check(batch, name)


def test_svg_with_external_refs(batch: Batch) -> None:
    # Seen: unsandboxed, LibreOffice 7.4 renders an SVG's file:// <image> into both outputs whatever the
    # profile says. So without the sandbox qujat refuses such a document instead of converting it.
    _check(batch, "docx-svg-refs")
    if batch.mode == "off":
        assert _result(batch, "docx-svg-refs").reason == "external_content_unsandboxed"


def test_svg_with_external_refs_is_reported(batch: Batch) -> None:
    r = _result(batch, "docx-svg-refs")
    assert "external_content_blocked" in [f.code for f in r.findings]


@pytest.mark.parametrize("name", ["hyperlinks-docx", "hyperlinks-odt"])
def test_script_hyperlinks_never_run(batch: Batch, name: str) -> None:
    _check(batch, name)


@pytest.mark.parametrize("name", ["hyperlinks-docx", "hyperlinks-odt"])
def test_script_hyperlinks_dropped_and_reported(batch: Batch, name: str) -> None:
    r = _result(batch, name)
    kept = [s for o in r.outputs for s in script_links(o.path)]
    assert kept == [], f"[{batch.mode}] script links kept in the outputs: {kept}"
    assert "script_links_removed" in [f.code for f in r.findings]


def test_decompression_bomb_picture(batch: Batch) -> None:
    _check(batch, "png-bomb")


@pytest.mark.parametrize("name", ["ods-huge-repeats", "xlsx-far-corner"])
def test_absurd_cell_counts(batch: Batch, name: str) -> None:
    _check(batch, name)


def test_no_request_at_all(batch: Batch) -> None:
    # Wider than the per-document checks: a request for any path (a template, a DTD, a favicon).
    assert batch.hits == [], f"[{batch.mode}] the loopback server was reached: {batch.hits}"


def test_mixed_batch_leaves_the_pool_alive(batch: Batch, samples: dict[str, Path], tmp_path: Path) -> None:
    if batch.mode != "auto":
        pytest.skip("the mixed batch runs sandboxed")
    expected = set(batch.docs) | {samples[n].name for n in _GOOD}
    assert set(batch.results) == expected
    stuck = {
        n: r.status
        for n, r in batch.results.items()
        if r.status not in (Status.CONVERTED, Status.QUARANTINED)
    }
    assert stuck == {}
    for name in _GOOD:
        assert batch.results[samples[name].name].outputs, batch.results[samples[name].name].findings
    src = tmp_path / samples["letter-ru"].name
    shutil.copyfile(samples["letter-ru"], src)
    r = batch.converter.convert(src, output_dir=tmp_path / "out", timeout_s=TIMEOUT_S)
    assert r.status is Status.CONVERTED and r.output("pdf") and r.output("odt"), r.findings
