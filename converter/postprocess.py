"""PDF/A post-processing: turn LibreOffice's PDF into a PDF/A file whose bytes pikepdf has verified.

LibreOffice 7.4's "PDF/A" export is close but not conformant: it writes a trailer ``/DocChecksum``
(outside every PDF/A allowlist) and a catalog ``/OpenAction``; its XMP carries the export time, not the
document's dates. This module removes those, writes the source metadata into XMP and DocInfo (pikepdf
keeps the two in step), attaches the working ODF for PDF/A-3b (``/AFRelationship /Source``), applies
`pikepdf.pdfa.prepare` and writes with the save settings PDF/A needs. It does not judge the result:
the caller's gate (`validators.pdfa`) validates the written bytes.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pikepdf
import pikepdf.pdfa

from validators.pdfa import Flavour

log = logging.getLogger(__name__)

_ODF_MIME = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".odg": "application/vnd.oasis.opendocument.graphics",
}


def _xmp_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    if dt.tzinfo is None:  # LibreOffice hands dates over without a zone; OOXML stores them in UTC
        dt = dt.replace(tzinfo=UTC)
    return dt.isoformat()


def _set_metadata(pdf: pikepdf.Pdf, meta: dict[str, Any], producer: str) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        if meta.get("title"):
            xmp["dc:title"] = meta["title"]
        if meta.get("subject"):
            xmp["dc:description"] = meta["subject"]
        if meta.get("author"):
            xmp["dc:creator"] = [meta["author"]]
        keywords = [k for k in meta.get("keywords") or [] if k]
        if keywords:
            xmp["pdf:Keywords"] = ", ".join(keywords)
            xmp["dc:subject"] = set(keywords)
        if meta.get("language"):
            xmp["dc:language"] = {meta["language"]}
        created = _xmp_date(meta.get("created"))
        modified = _xmp_date(meta.get("modified"))
        if created:
            xmp["xmp:CreateDate"] = created
        if modified:
            xmp["xmp:ModifyDate"] = modified
        xmp["pdf:Producer"] = producer
    if meta.get("language") and "/Lang" not in pdf.Root:
        pdf.Root.Lang = pikepdf.String(meta["language"])


def _fix_tabs(pdf: pikepdf.Pdf) -> None:
    # LibreOffice 7.4 writes a page's tab order as the string (S) where PDF requires the name /S
    # (ISO 32000-1 table 30); rewriting it as the name it means loses nothing.
    for page in pdf.pages:
        tabs = page.obj.get("/Tabs")
        if isinstance(tabs, pikepdf.String) and str(tabs) in ("R", "C", "S"):
            page.obj.Tabs = pikepdf.Name("/" + str(tabs))


def _remove_transitions(pdf: pikepdf.Pdf) -> list[str]:
    # Impress exports slide transitions (/Trans, /Dur): display effects for a slide show, nothing an
    # archived page shows, and outside what the PDF/A validators approve.
    pages = 0
    for page in pdf.pages:
        removed = False
        for key in ("/Trans", "/Dur"):
            if key in page.obj:
                del page.obj[key]
                removed = True
        pages += removed
    return [f"slide transitions removed from {pages} page(s)"] if pages else []


_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "vnd.sun.star.script:", "macro:")


def _remove_script_actions(pdf: pikepdf.Pdf) -> list[str]:
    # A link whose target runs code (LibreOffice writes a document's javascript:/macro: hyperlinks as
    # /URI actions): an archive copy keeps the text, not the trap.
    removed = 0
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        keep = []
        for annot in annots:
            action = annot.get("/A") if isinstance(annot, pikepdf.Dictionary) else None
            uri = (
                str(action.get("/URI", "")).strip().lower() if isinstance(action, pikepdf.Dictionary) else ""
            )
            if action is not None and (action.get("/S") == "/JavaScript" or uri.startswith(_SCRIPT_SCHEMES)):
                removed += 1
                continue
            keep.append(annot)
        if len(keep) != len(annots):
            page.obj.Annots = pikepdf.Array(keep)
    return [f"removed {removed} link(s) that would run code"] if removed else []


def _attach_source(pdf: pikepdf.Pdf, attachment: Path) -> None:
    spec = pikepdf.AttachedFileSpec(
        pdf,
        attachment.read_bytes(),
        description="Working copy of this document (OpenDocument)",
        filename=attachment.name,
        mime_type=_ODF_MIME.get(attachment.suffix.lower(), "application/octet-stream"),
        creation_date="",
        mod_date="",
    )
    spec.obj.AFRelationship = pikepdf.Name.Source  # ISO 19005-3 6.8: how the file relates to the PDF
    # pikepdf.pdfa.prepare lists every embedded file in the catalog's /AF; adding it here too would
    # list it twice.
    pdf.attachments[attachment.name] = spec


def make_pdfa(
    src: Path,
    dest: Path,
    flavour: Flavour,
    *,
    metadata: dict[str, Any],
    producer: str,
    attachment: Path | None = None,
) -> list[str]:
    """Write *src* (LibreOffice's PDF) to *dest* as PDF/A of *flavour*.

    Args:
        src: The engine's PDF.
        dest: Where to write (a staging path; routing places it later).
        flavour: The target flavour. 2u is written as 2b, then declared U: pikepdf writes 1b/2b/3b, and
            the caller's gate checks the Unicode-mapping rule that U adds.
        metadata: Source document properties (title, subject, author, keywords, created, modified, language).
        producer: The ``pdf:Producer`` to record.
        attachment: For 3b, the file to embed as the source (``/AFRelationship /Source``).

    Returns:
        What was removed or changed that a reviewer may want to know (for findings).

    Raises:
        pikepdf.PdfError: The engine's PDF cannot be read.
    """
    base = "2b" if flavour is Flavour.PDFA_2U else flavour.value
    with pikepdf.open(src) as pdf:
        if "/DocChecksum" in pdf.trailer:
            del pdf.trailer["/DocChecksum"]
        if "/OpenAction" in pdf.Root:
            del pdf.Root["/OpenAction"]
        _fix_tabs(pdf)
        changes = _remove_transitions(pdf) + _remove_script_actions(pdf)
        _set_metadata(pdf, metadata, producer)
        if attachment is not None and flavour is Flavour.PDFA_3B:
            _attach_source(pdf, attachment)
        pikepdf.pdfa.prepare(pdf, base)
        pdf.save(dest, **pikepdf.pdfa.resolve_save_kwargs(base))
    if flavour is Flavour.PDFA_2U:
        with pikepdf.open(dest, allow_overwriting_input=True) as pdf:
            with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
                xmp["pdfaid:conformance"] = "U"
            pdf.save(dest, **pikepdf.pdfa.resolve_save_kwargs("2b"))
    return changes
