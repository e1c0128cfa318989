"""PDF/A verdicts: `validate_pdfa` checks a written file against one ISO 19005 flavour.

Built on `pikepdf.pdfa`, an allowlist validator for 1b, 2b and 3b. 2u is checked as 2b plus the
Unicode-mapping rule for text fonts (ISO 19005-2 clause 6.2.11.7.2).
"""

from __future__ import annotations

import logging
from enum import StrEnum
from pathlib import Path

import pikepdf
import pikepdf.pdfa

from validators._report import Finding, FindingKind, ValidationReport

log = logging.getLogger(__name__)

__all__ = ["Flavour", "claimed_flavour", "validate_pdfa"]


class Flavour(StrEnum):
    """The PDF/A flavours qujat writes and checks."""

    PDFA_1B = "1b"
    PDFA_2B = "2b"
    PDFA_2U = "2u"
    PDFA_3B = "3b"

    @property
    def part(self) -> int:
        return int(self.value[0])

    @property
    def conformance(self) -> str:
        return self.value[1].upper()


def claimed_flavour(path: str | Path) -> str | None:
    """Return the flavour a PDF claims in its XMP (``"2b"``), or None if it claims none."""
    try:
        with pikepdf.open(path) as pdf:
            meta = pdf.open_metadata()
            part = meta.get("pdfaid:part")
            conformance = meta.get("pdfaid:conformance")
    except (pikepdf.PdfError, OSError, ValueError) as e:
        log.debug("No PDF/A claim readable in %s: %s", path, e)
        return None
    if not part or not conformance:
        return None
    return f"{str(part).strip()}{str(conformance).strip().lower()}"


def _unmapped_text_fonts(pdf: pikepdf.Pdf) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[tuple[int, int]] = set()
    for pageno, page in enumerate(pdf.pages, start=1):
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for name, font in fonts.items():
            key = font.objgen
            if key in seen and key != (0, 0):
                continue
            seen.add(key)
            if "/ToUnicode" in font:
                continue
            encoding = font.get("/Encoding")
            # Simple fonts with a standard encoding map to Unicode by name (ISO 19005-2 6.2.11.7.2).
            if font.get("/Subtype") != "/Type0" and encoding in (
                "/WinAnsiEncoding",
                "/MacRomanEncoding",
                "/StandardEncoding",
            ):
                continue
            findings.append(
                Finding(
                    rule="ISO_19005_2:6.2.11.7.2-1",
                    where=f"page {pageno} font {name} ({font.get('/BaseFont', '?')})",
                    message="font has no /ToUnicode map, so its text cannot be extracted as Unicode",
                )
            )
    return findings


def validate_pdfa(path: str | Path, flavour: str | Flavour) -> ValidationReport:
    """Check a PDF file against a PDF/A flavour.

    Args:
        path: The PDF to check.
        flavour: ``"1b"``, ``"2b"``, ``"2u"`` or ``"3b"``.

    Returns:
        The verdict, listing every finding.

    Raises:
        ValueError: If the flavour is not one qujat checks (1a and 2a are not supported).
    """
    try:
        fl = Flavour(str(flavour).lower())
    except ValueError:
        raise ValueError(f"PDF/A-{flavour} is not supported; choose 1b, 2b, 2u or 3b") from None
    path = Path(path)
    base = "2b" if fl is Flavour.PDFA_2U else fl.value
    findings: list[Finding] = []
    try:
        report = pikepdf.pdfa.validate_written(path, base)
    except OSError as e:
        return ValidationReport.from_findings(
            path, "pdfa", [Finding(rule="file:unreadable", message=str(e))], flavour=fl.value
        )
    for f in report.findings:
        if fl is Flavour.PDFA_2U and "pdfaid" in f.message.lower() and "conformance" in f.message.lower():
            continue  # pikepdf checks 2b: a "U" conformance claim is ours to judge below
        kind = FindingKind.UNSUPPORTED if f.kind == "unsupported" else FindingKind.VIOLATION
        findings.append(Finding(rule=f.rule, where=f.where, message=f.message, kind=kind))
    if fl is Flavour.PDFA_2U:
        try:
            with pikepdf.open(path) as pdf:
                findings.extend(_unmapped_text_fonts(pdf))
        except pikepdf.PdfError as e:
            findings.append(Finding(rule="file:unreadable", message=str(e)))
    return ValidationReport.from_findings(path, "pdfa", findings, flavour=fl.value)
