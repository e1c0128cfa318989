"""Reproducible packages: fixed zip entry timestamps and atomic writes.

python-docx, python-pptx and openpyxl stamp every zip entry with the current time, so two runs differ
even when every part is identical. Rewriting the archive with one fixed timestamp, in the library's own entry
order (python-docx and python-pptx put ``[Content_Types].xml`` first, openpyxl last: both occur in the
wild), makes the bytes depend on the content alone.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

THUMBNAIL = "docProps/thumbnail.jpeg"
ROOT_RELS = "_rels/.rels"

#: The timestamp of every zip entry (zip stores local time with two-second resolution and no zone).
ZIP_TIME = (2026, 1, 14, 9, 0, 0)


def normalise(
    data: bytes, replace: Mapping[str, bytes] | None = None, *, drop_thumbnail: bool = True
) -> bytes:
    """Rewrite a zip package with fixed timestamps and attributes.

    Args:
        data: The bytes of an OOXML (or any zip) package.
        replace: Entry name -> new content, for parts the libraries leave stale (``docProps/app.xml``).
        drop_thumbnail: Remove ``docProps/thumbnail.jpeg`` and its package relationship: the libraries'
            templates carry a preview of an empty document, which contradicts the content.

    Returns:
        The same entries in the same order, deflated, each stamped with `ZIP_TIME`.
    """
    replace = dict(replace or {})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        if drop_thumbnail and THUMBNAIL in src.namelist():
            replace[ROOT_RELS] = _without_target(replace.get(ROOT_RELS) or src.read(ROOT_RELS), THUMBNAIL)
        for info in src.infolist():
            if drop_thumbnail and info.filename == THUMBNAIL:
                continue
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            # MS-DOS as the creating system, as Office itself writes: no Unix mode bits that vary by umask.
            entry.create_system = 0
            entry.external_attr = 0
            dst.writestr(entry, replace.get(info.filename) or src.read(info))
    return out.getvalue()


def _without_target(rels: bytes, target: str) -> bytes:
    """A relationships part without the relationships pointing at `target`."""
    root = etree.fromstring(rels)
    for rel in list(root):
        if rel.get("Target", "").lstrip("/") == target:
            root.remove(rel)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def app_xml(*, company: str) -> bytes:
    """Extended properties naming this generator and no statistics.

    The libraries' templates carry another application's name and counts of an empty document (Pages 1,
    Words 0); a fidelity check that trusts ``Pages`` would compare against a number nobody measured.

    Args:
        company: The organisation named in the properties.

    Returns:
        The bytes of ``docProps/app.xml``.
    """
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        "<Application>qujat samples</Application>"
        f"<Company>{escape(company)}</Company>"
        "</Properties>"
    ).encode()


def write_atomic(path: Path, data: bytes) -> Path:
    """Write bytes to a temporary file beside `path`, then rename it into place.

    Args:
        path: Destination; its folder must exist.
        data: The file's content.

    Returns:
        `path`, for chaining.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
