"""A document never makes the engine read a local file or reach the network.

The test builds a DOCX whose pictures are *linked* (not embedded) to a canary file on disk and to a
canary URL on a loopback HTTP server it runs itself, converts it with the real engine, and checks that
the server saw no request and that no output carries an image.
"""

from __future__ import annotations

import http.server
import io
import re
import threading
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from PIL import Image

from converter import ExitCode, Status

pytestmark = pytest.mark.soffice


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []
    body = b""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        _Canary.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(_Canary.body)

    def log_message(self, *args: object) -> None:
        pass


def _png(color: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), color).save(buf, "PNG")
    return buf.getvalue()


def _linked_docx(path: Path, targets: list[str], placeholder: bytes) -> None:
    """A DOCX with one picture per target, each linked by an external relationship (r:link)."""
    d = docx.Document()
    d.add_paragraph("Linked pictures follow.")
    for _ in targets:
        d.add_picture(io.BytesIO(placeholder))
    raw = io.BytesIO()
    d.save(raw)
    zin = zipfile.ZipFile(raw)
    doc_xml = zin.read("word/document.xml").decode()
    rels = zin.read("word/_rels/document.xml.rels").decode()
    embeds = re.findall(r'r:embed="(rId\d+)"', doc_xml)
    assert len(embeds) == len(targets)
    extra = ""
    for i, (rid, target) in enumerate(zip(embeds, targets, strict=True)):
        link = f"rIdLink{i}"
        doc_xml = doc_xml.replace(f'r:embed="{rid}"', f'r:link="{link}"', 1)
        extra += (
            f'<Relationship Id="{link}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/image" Target="{target}" TargetMode="External"/>'
        )
    rels = rels.replace("</Relationships>", extra + "</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename.startswith("word/media/"):
                continue  # nothing embedded: the only pictures are the linked ones
            data = {"word/document.xml": doc_xml.encode(), "word/_rels/document.xml.rels": rels.encode()}.get(
                info.filename, zin.read(info)
            )
            zout.writestr(info.filename, data)


def test_linked_images_are_not_fetched(engine, tmp_path: Path) -> None:
    canary_png = _png((255, 0, 128))
    canary_file = tmp_path / "canary.png"
    canary_file.write_bytes(canary_png)
    _Canary.body, _Canary.hits = canary_png, []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/canary.png"
        src = tmp_path / "linked.docx"
        _linked_docx(src, [canary_file.as_uri(), url], _png((0, 0, 0)))
        r = engine.convert(src, output_dir=tmp_path / "out")
    finally:
        server.shutdown()
    # Converted, and sent to review: what the links pointed at is missing from the outputs.
    assert r.status is Status.CONVERTED and r.exit_code is ExitCode.fidelity_below_threshold, r.findings
    assert _Canary.hits == [], "the engine fetched a linked URL"
    blocked = [f for f in r.findings if f.code == "external_content_blocked"]
    assert blocked and blocked[0].severity == "warning" and "linked picture" in blocked[0].message
    odt = zipfile.ZipFile(r.output("odt").path)
    assert not [n for n in odt.namelist() if n.startswith("Pictures/")], (
        "a linked picture was embedded in the ODF"
    )
    with pikepdf.open(r.output("pdf").path) as pdf:
        images = [name for page in pdf.pages for name in page.get_images()]
    assert images == [], "a linked picture was embedded in the PDF"
