"""The PDF and image route: PDFs, scans and images to a validated PDF/A, with OCR where text is missing.

`pdf_to_pdfa` decides per document from its text layer, page by page (DESIGN §4):

- a PDF that already passes `validate_pdfa` for the requested flavour keeps its bytes;
- a scan (no page has text) goes through ocrmypdf with ``--output-type pdfa-N``: Ghostscript, if
  ocrmypdf falls back to it, only ever sees pages without text, which the Ghostscript 10.0.0 regressions
  do not touch;
- a born-digital PDF (every page has text) needs no OCR and reaches PDF/A through qujat's own pikepdf
  post-processing; its fonts must already be embedded, or it is quarantined with that reason;
- a mixed PDF has only its pages without text OCR'd, by ocrmypdf's default mode limited with
  ``--pages`` and ``--output-type pdf`` (no Ghostscript at all, pages rasterised with pypdfium2); the
  pages with text are copied through untouched, and pikepdf writes the PDF/A;
- an image (TIFF, multi-page and CCITT G4 included, JPEG, PNG) goes through ocrmypdf like a scan, after
  an alpha channel is flattened onto white (ocrmypdf and img2pdf refuse alpha) and a missing resolution
  is assumed.

Every result passes the `validators.pdfa` gate before it is placed; a flavour the validator did not
approve is never claimed. Everything that cannot become PDF/A raises `PdfRouteError` with a reason code
for the pipeline's quarantine. ocrmypdf and Tesseract run only through `converter._ocr`, bounded by the
document's timeout.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
import pikepdf.pdfa
from PIL import Image, UnidentifiedImageError

from converter import _ocr
from converter.exceptions import ExitCode
from converter.files import place_file
from converter.postprocess import make_pdfa
from converter.result import Severity
from validators import ValidationReport, claimed_flavour, validate_pdfa
from validators.pdfa import Flavour

log = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_LANGUAGES",
    "PdfRouteError",
    "PdfRouteResult",
    "pdf_to_pdfa",
]

DEFAULT_LANGUAGES = "kaz+rus+eng"
_INPUT_FORMATS = frozenset({"pdf", "tiff", "jpeg", "png"})
_PDFA_OUTPUT_TYPE = {1: "pdfa-1", 2: "pdfa-2", 3: "pdfa-3"}
# A recorded resolution is believed if it is in this range (a fax's 204x98 dpi included) and makes a
# page no larger than A2. Otherwise it is not what a scanner wrote: a camera JPEG's default 72 dpi on
# 4000 pixels, or a JFIF aspect ratio read as dpi, would make a page metres wide.
_DPI_RANGE = (50, 2400)
_MAX_PAGE_INCHES = 24.0
# what goes to ocrmypdf unconverted: it refuses CMYK without an ICC profile, and a CMYK image under
# PDF/A's sRGB output intent fails ISO 19005 6.2.4.3 anyway
_IMAGE_MODES = frozenset({"1", "L", "RGB"})
_TEXT_OPS = frozenset({"Tj", "TJ", "'", '"'})
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
_MIN_TOOL_TIMEOUT = 30.0  # a helper step (pdftotext) is given at least this even when the budget is spent

# PdfRouteError codes and the CLI exit code each maps to (converter.exceptions.ExitCode)
EXIT_CODES: dict[str, ExitCode] = {
    "pdf_encrypted": ExitCode.encrypted_input,
    "pdf_damaged": ExitCode.input_file,
    "image_damaged": ExitCode.input_file,
    "image_too_large": ExitCode.input_file,
    "fonts_not_embedded": ExitCode.pdfa_conversion_failed,
    "pdfa_failed": ExitCode.pdfa_conversion_failed,
    "page_count_changed": ExitCode.invalid_output,
    "ocr_timeout": ExitCode.child_process_error,
    "ocr_failed": ExitCode.child_process_error,
    "ocr_missing": ExitCode.missing_dependency,
    "ocr_language_missing": ExitCode.missing_dependency,
}


class PdfRouteError(Exception):
    """The document cannot become a validated PDF/A; quarantine it with ``code`` as the reason.

    Attributes:
        code: Reason code (a key of `EXIT_CODES`): ``pdf_encrypted``, ``pdf_damaged``, ``image_damaged``,
            ``image_too_large``, ``fonts_not_embedded``, ``pdfa_failed``, ``page_count_changed``,
            ``ocr_timeout``, ``ocr_failed``, ``ocr_missing``, ``ocr_language_missing``.
        message: What happened and what to do, for the report.
        report: For ``pdfa_failed``, the validator's verdict on the candidate.
        candidate: For ``pdfa_failed``, the rejected PDF (``<stem>.rejected.pdf`` in the caller's work
            folder, for the caller to keep aside in quarantine or delete), else None.
        findings: Findings collected before the failure (such as ``signature_not_carried``).
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        report: ValidationReport | None = None,
        candidate: Path | None = None,
        findings: tuple[tuple[str, str, str], ...] = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.report = report
        self.candidate = candidate
        self.findings = findings

    @property
    def exit_code(self) -> ExitCode:
        return EXIT_CODES.get(self.code, ExitCode.other_error)


@dataclass(frozen=True, slots=True, kw_only=True)
class PdfRouteResult:
    """What the PDF/image route did with one document.

    Attributes:
        dest: The PDF/A written (validated for ``flavour``).
        flavour: The flavour the validator approved (the one requested).
        route: ``kept`` (already PDF/A: a byte copy), ``ocr`` (a scan or image, OCR'd throughout),
            ``born_digital`` (no OCR; PDF/A by pikepdf) or ``mixed`` (only the pages without text OCR'd).
        kept_original: True if *dest* is a byte copy of the input.
        pages: Pages in the input (frames for an image); the output has as many.
        ocr_pages: Pages OCR'd.
        text_pages_after: Output pages with extractable text.
        ocr_confidence: Tesseract's word confidences (`converter._ocr.confidence_summary`), or None
            when nothing was OCR'd.
        findings: ``(code, severity, message)`` for the report: ``signature_not_carried``,
            ``pdf_repaired``, ``pdf_changed``, ``pages_deskewed``, ``pages_without_text``,
            ``image_alpha_flattened``, ``image_dpi_assumed``.
        validation: The gate's verdict on *dest*.
        tools: Versions of the OCR tools used, for the report.
        timings: Seconds per stage.
    """

    dest: Path
    flavour: str
    route: str
    kept_original: bool
    pages: int
    ocr_pages: int
    text_pages_after: int
    ocr_confidence: dict[str, float | int] | None
    findings: tuple[tuple[str, str, str], ...]
    validation: ValidationReport
    tools: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class _Route:
    src: Path
    dest: Path
    flavour: Flavour
    languages: str
    deadline: float
    work: Path
    jobs: int | None
    deskew: bool
    producer: str
    timings: dict[str, float] = field(default_factory=dict)
    findings: list[tuple[str, str, str]] = field(default_factory=list)
    tools: dict[str, str] = field(default_factory=dict)

    def find(self, code: str, severity: Severity, message: str) -> None:
        log.info("%s: %s", self.src.name, message)
        self.findings.append((code, str(severity), message))

    def fail(self, code: str, message: str, *, candidate: Path | None = None, **kw: Any) -> PdfRouteError:
        log.warning("%s: %s (%s)", self.src.name, message, code)
        if candidate is not None and candidate.is_file():
            # out of the private folder, which is removed on return: the caller keeps it aside
            kept = self.work.parent / f"{self.src.stem}.rejected.pdf"
            shutil.move(candidate, kept)
            candidate = kept
        return PdfRouteError(code, message, findings=tuple(self.findings), candidate=candidate, **kw)

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def stage(self, name: str, since: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + time.monotonic() - since


def pdf_to_pdfa(
    src: Path,
    dest: Path,
    *,
    input_format: str,
    flavour: str,
    work_dir: Path,
    languages: str = DEFAULT_LANGUAGES,
    timeout_s: float = 600.0,
    image_dpi: int = 300,
    jobs: int | None = None,
    deskew: bool = True,
    producer: str = "qujat",
) -> PdfRouteResult:
    """Turn a PDF or an image into a validated PDF/A, OCR'ing the pages that have no text.

    Args:
        src: The input (never modified).
        dest: Where the PDF/A goes (written atomically; only ever a validated file).
        input_format: ``pdf``, ``tiff``, ``jpeg`` or ``png`` (`validators.inputs.InputFormat` value).
        flavour: ``1b``, ``2b``, ``2u`` or ``3b``.
        work_dir: A folder for intermediate files (a private subfolder is made and removed).
        languages: Tesseract languages for OCR, ``kaz+rus+eng`` by default.
        timeout_s: Wall-clock budget for the document; OCR is killed when it runs out.
        image_dpi: Resolution to assume for an image that records none (or an implausible one).
        jobs: ocrmypdf worker processes (default: one per CPU).
        deskew: Straighten the pages that are OCR'd (ocrmypdf ``--deskew``); the PDF/A then shows the
            straightened images. With a skewed text layer, poppler's pdftotext breaks the last word of
            many lines in two (word recall 0.93 on generated scans at 1.5 degrees, about 1.0 deskewed).
            False keeps the scanned images exactly as they were.
        producer: Recorded as the PDF's producer, with the OCR engine versions when OCR ran.

    Returns:
        What was done; ``dest`` holds a PDF/A that passed `validate_pdfa` for *flavour*.

    Raises:
        PdfRouteError: The document was not converted; ``code`` is the quarantine reason and
            ``exit_code`` the CLI exit code.
        ValueError: An unknown *input_format* or *flavour*.
    """
    if input_format not in _INPUT_FORMATS:
        raise ValueError(f"input_format must be one of {sorted(_INPUT_FORMATS)}, not {input_format!r}")
    fl = Flavour(flavour)
    work_dir.mkdir(parents=True, exist_ok=True)
    route = _Route(
        src=src,
        dest=dest,
        flavour=fl,
        languages=languages,
        deadline=time.monotonic() + timeout_s,
        work=Path(tempfile.mkdtemp(prefix="pdfroute-", dir=work_dir)),
        jobs=jobs,
        deskew=deskew,
        producer=producer,
    )
    t = time.monotonic()
    try:
        if input_format == "pdf":
            return _from_pdf(route)
        return _from_image(route, image_dpi)
    finally:
        shutil.rmtree(route.work, ignore_errors=True)
        log.debug("%s: PDF route took %.1fs", src.name, time.monotonic() - t)


# -- PDF input -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PageScan:
    has_text: bool
    unembedded_fonts: frozenset[str]


def _from_pdf(route: _Route) -> PdfRouteResult:
    t = time.monotonic()
    signed, pages = _inspect_pdf(route)
    route.stage("inspect", t)
    kept = _keep_if_pdfa(route, pages)
    if kept is not None:
        return kept
    t = time.monotonic()
    source = route.work / "input.pdf"
    try:
        signers = _working_copy(route, source, strip_signatures=signed)
        # judged on the copy: what OCR sees, without the signature stamps removed from it
        scans = _scan_pages(source)
    except pikepdf.PdfError as e:
        raise route.fail("pdf_damaged", f"the PDF is damaged and cannot be read: {e}") from e
    except (RecursionError, ValueError, KeyError, AttributeError, TypeError) as e:
        raise route.fail("pdf_damaged", f"the PDF's structure is damaged: {e}") from e
    finally:
        route.stage("inspect", t)
    if signed:
        by = f" (signed by {'; '.join(signers)})" if signers else ""
        route.find(
            "signature_not_carried",
            Severity.WARNING,
            f"the PDF is digitally signed{by}; a converted copy cannot carry the signature (its bytes "
            "differ), so the copy has no signature field or stamp; the signed original is unchanged "
            "and is the record of the signature",
        )
    image_only = [i + 1 for i, s in enumerate(scans) if not s.has_text]
    unembedded = sorted({f for s in scans if s.has_text for f in s.unembedded_fonts})
    if unembedded and len(image_only) < pages:
        raise route.fail(
            "fonts_not_embedded",
            f"fonts used for text are not embedded ({', '.join(unembedded[:5])}"
            f"{' ...' if len(unembedded) > 5 else ''}); PDF/A requires embedded fonts, and embedding them "
            "would need Ghostscript, which corrupts text PDFs in this version: ask the sender for a copy "
            'exported with fonts embedded ("PDF/A" or "embed fonts" in the export options)',
        )
    staged = route.work / "pdfa.pdf"
    confidence = None
    if len(image_only) == pages:
        name, ocr_pages = "ocr", pages
        # A tagged PDF without any text has nothing its tags could describe; ocrmypdf would refuse it.
        confidence = _ocr_to_pdfa(route, source, staged, extra_args=("--tagged-pdf-mode", "ignore"))
    elif not image_only:
        name, ocr_pages = "born_digital", 0
        _pikepdf_pdfa(route, source, staged)
    else:
        name, ocr_pages = "mixed", len(image_only)
        ocr_out = route.work / "ocr.pdf"
        # Default mode refuses pages with text only among those it is asked to OCR; the others are
        # copied as they are. --output-type pdf keeps Ghostscript out; a tagged born-digital part is
        # not a reason to refuse OCR of its scanned pages.
        confidence = _ocr_run(
            route,
            source,
            ocr_out,
            output_type="pdf",
            pages=image_only,
            extra_args=("--tagged-pdf-mode", "ignore"),
        )
        _pikepdf_pdfa(route, ocr_out, staged)
    log.info("%s: %s route, %d of %d page(s) OCR'd", route.src.name, name, ocr_pages, pages)
    return _finish(route, staged, name=name, pages=pages, ocr_pages=ocr_pages, confidence=confidence)


def _inspect_pdf(route: _Route) -> tuple[bool, int]:
    """Open the PDF and refuse what cannot be converted; return (signed, pages)."""
    src = route.src
    try:
        with pikepdf.open(src) as pdf:
            if pdf.is_encrypted:
                raise route.fail(
                    "pdf_encrypted",
                    "the PDF is encrypted (an owner password restricts it); PDF/A forbids encryption: ask "
                    "the sender for an unprotected copy",
                )
            _check_damage(route, pdf)
            signed = _is_signed(pdf)
            pages = len(pdf.pages)
    except pikepdf.PasswordError as e:
        raise route.fail(
            "pdf_encrypted", "the PDF needs a password to open; ask the sender for an unprotected copy"
        ) from e
    except pikepdf.PdfError as e:
        raise route.fail("pdf_damaged", f"the PDF is damaged and cannot be read: {e}") from e
    except (RecursionError, ValueError, KeyError, AttributeError, TypeError) as e:
        # malformed object structure (a page tree loop, a stream that is not one)
        raise route.fail("pdf_damaged", f"the PDF's structure is damaged: {e}") from e
    if not pages:
        raise route.fail("pdf_damaged", "the PDF has no pages")
    return signed, pages


def _scan_pages(path: Path) -> list[_PageScan]:
    with pikepdf.open(path) as pdf:
        return [_scan_page(page) for page in pdf.pages]


def _check_damage(route: _Route, pdf: pikepdf.Pdf) -> None:
    warnings = pdf.get_warnings()
    if not warnings:
        return
    for w in warnings:
        log.debug("%s: qpdf: %s", route.src.name, w)
    with route.src.open("rb") as f:
        f.seek(max(route.src.stat().st_size - 1024, 0))
        tail = f.read()
    # qpdf rebuilds a missing cross-reference table by scanning, and for a file cut off in transfer
    # that silently yields fewer objects, pages or fonts. A file without its end is refused; a whole
    # file with a wrong table is repaired, and the report says so.
    if b"%%EOF" not in tail or any("can't find startxref" in w for w in warnings):
        raise route.fail(
            "pdf_damaged",
            "the PDF is truncated (it has no end-of-file marker and its cross-reference table is missing); "
            "it was probably cut off while being copied: ask for the file again",
        )
    route.find(
        "pdf_repaired",
        Severity.WARNING,
        f"the PDF had structural errors that were repaired on reading ({warnings[0].split(': ', 1)[-1]})",
    )


def _is_signed(pdf: pikepdf.Pdf) -> bool:
    if "/Perms" in pdf.Root:
        return True
    acro = pdf.Root.get("/AcroForm")
    if not isinstance(acro, pikepdf.Dictionary):
        return False
    return any(f.get("/FT") == "/Sig" for f in _fields(acro.get("/Fields")))


def _fields(fields: Any) -> Iterator[pikepdf.Dictionary]:
    seen: set[tuple[int, int]] = set()
    todo = list(fields) if isinstance(fields, pikepdf.Array) else []
    while todo:
        f = todo.pop()
        if not isinstance(f, pikepdf.Dictionary):
            continue
        if f.is_indirect:
            if f.objgen in seen:
                continue
            seen.add(f.objgen)
        yield f
        kids = f.get("/Kids")
        if isinstance(kids, pikepdf.Array):
            todo.extend(kids)


def _scan_page(page: pikepdf.Page) -> _PageScan:
    """Does the page show text (as ocrmypdf judges it: any text-showing operator), and in which fonts?"""
    has_text = False
    unembedded: set[str] = set()
    seen: set[tuple[int, int]] = set()
    todo: list[tuple[pikepdf.Object, Any]] = [(page.obj, page.obj.get("/Resources"))]
    while todo:
        container, resources = todo.pop()
        font = None
        for instruction in pikepdf.parse_content_stream(container, "Tf Tj TJ ' \" Do"):
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                continue
            operands, name = instruction.operands, str(instruction.operator)
            if name == "Tf" and operands:
                font = _resource(resources, "/Font", operands[0])
            elif name in _TEXT_OPS:
                has_text = True
                if font is not None and not _font_embedded(font):
                    unembedded.add(_font_name(font))
            elif name == "Do" and operands:
                xobj = _resource(resources, "/XObject", operands[0])
                if isinstance(xobj, pikepdf.Stream) and xobj.get("/Subtype") == "/Form":
                    if xobj.objgen in seen:
                        continue
                    seen.add(xobj.objgen)
                    todo.append((xobj, xobj.get("/Resources", resources)))
    return _PageScan(has_text=has_text, unembedded_fonts=frozenset(unembedded))


def _font_name(font: pikepdf.Dictionary) -> str:
    base = font.get("/BaseFont")
    if not isinstance(base, pikepdf.Name):
        return "(unnamed)"
    # names are bytes; a Chinese font is often named in GBK, not UTF-8
    return bytes(base.unparse()).decode("utf-8", "replace").lstrip("/")


def _resource(resources: Any, kind: str, name: Any) -> Any:
    if not isinstance(resources, pikepdf.Dictionary):
        return None
    group = resources.get(kind)
    if not isinstance(group, pikepdf.Dictionary):
        return None
    return group.get(name) if isinstance(name, pikepdf.Name) else None


def _font_embedded(font: Any) -> bool:
    if not isinstance(font, pikepdf.Dictionary):
        return True  # not a font we can judge; the validator will
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are content streams in the file
    if font.get("/Subtype") == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, pikepdf.Array) or len(descendants) == 0:
            return False
        font = descendants[0]
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(k in descriptor for k in _FONT_FILES)


def _keep_if_pdfa(route: _Route, pages: int) -> PdfRouteResult | None:
    """An input that already passes the gate for the flavour is placed byte for byte."""
    if claimed_flavour(route.src) is None:
        return None
    t = time.monotonic()
    report = validate_pdfa(route.src, route.flavour)
    route.stage("validate_input", t)
    if not report.passed:
        log.debug(
            "%s claims PDF/A but fails %s: %s",
            route.src.name,
            route.flavour,
            "; ".join(f.message for f in report.failures[:3]),
        )
        return None
    text_pages = _text_pages(route, route.src, pages)
    if text_pages < pages:
        route.find(
            "pages_without_text",
            Severity.INFO,
            f"{pages - text_pages} of {pages} page(s) have no text layer; the file was already PDF/A-"
            f"{route.flavour} and was kept unchanged, without OCR",
        )
    _place(route, route.src)
    return PdfRouteResult(
        dest=route.dest,
        flavour=route.flavour.value,
        route="kept",
        kept_original=True,
        pages=pages,
        ocr_pages=0,
        text_pages_after=text_pages,
        ocr_confidence=None,
        findings=tuple(route.findings),
        validation=report,
        tools={},
        timings=dict(route.timings),
    )


def _working_copy(route: _Route, dest: Path, *, strip_signatures: bool) -> list[str]:
    """Write the input as qpdf reads it (repaired); return the signers of the signatures removed.

    A signature covers the exact bytes of the signed file: in a rewritten copy it can only fail to
    verify, and its visible stamp would claim a signature the copy does not have. So the copy loses
    the signature fields and their widgets (pikepdf's PDF/A allowlist rejects interactive forms
    anyway), and the report names the signers instead. For PDF/A-2 and -3, a PDF/A-1 input's /CIDSet
    entries are dropped (see `_drop_cidsets`).
    """
    signers: list[str] = []
    with pikepdf.open(route.src) as pdf:
        if strip_signatures:
            signers = _remove_signatures(pdf)
        if route.flavour.part > 1:
            _drop_cidsets(pdf)
        _name_identity_cidtogidmaps(pdf)
        pdf.save(dest)
    return signers


def _remove_signatures(pdf: pikepdf.Pdf) -> list[str]:
    if "/Perms" in pdf.Root:
        del pdf.Root["/Perms"]
    acro = pdf.Root.get("/AcroForm")
    if not isinstance(acro, pikepdf.Dictionary):
        return []
    signers: list[str] = []
    widgets: set[tuple[int, int]] = set()
    for f in _fields(acro.get("/Fields")):
        if f.get("/FT") != "/Sig":
            continue
        value = f.get("/V")
        if isinstance(value, pikepdf.Dictionary):
            who = str(value.get("/Name", "")) or "an unnamed signer"
            when = str(value.get("/M", ""))
            signers.append(f"{who} ({when})" if when else who)
        kids = f.get("/Kids")
        for w in [*(kids if isinstance(kids, pikepdf.Array) else []), f]:
            if isinstance(w, pikepdf.Dictionary) and w.is_indirect:
                widgets.add(w.objgen)
    fields = acro.get("/Fields")
    if isinstance(fields, pikepdf.Array):
        kept = [f for f in fields if not (f.is_indirect and f.objgen in widgets)]
        acro.Fields = pikepdf.Array(kept)
        if not kept:
            del pdf.Root["/AcroForm"]
        elif "/SigFlags" in acro:
            del acro["/SigFlags"]
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            kept = [a for a in annots if not (a.is_indirect and a.objgen in widgets)]
            if len(kept) != len(annots):
                page.obj.Annots = pikepdf.Array(kept)
    return signers


def _name_identity_cidtogidmaps(pdf: pikepdf.Pdf) -> None:
    # An embedded CIDFontType2 without /CIDToGIDMap maps CIDs to glyphs by identity (ISO 32000-1
    # table 117, the default); PDF/A requires the entry to be written out (ISO 19005-2 6.2.11.3.2).
    # Writing the default changes no glyph drawn.
    for obj in pdf.objects:
        if (
            isinstance(obj, pikepdf.Dictionary)
            and obj.get("/Subtype") == "/CIDFontType2"
            and "/CIDToGIDMap" not in obj
        ):
            obj.CIDToGIDMap = pikepdf.Name.Identity


def _drop_cidsets(pdf: pikepdf.Pdf) -> None:
    # PDF/A-1 requires a /CIDSet for subset CID fonts; PDF/A-2 and -3 make it optional but require it
    # to be complete when present (ISO 19005-2 6.2.11.4.2), which pikepdf cannot verify. The entry
    # only lists glyphs the font program already holds, so removing it loses nothing.
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor" and "/CIDSet" in obj:
            del obj["/CIDSet"]


# -- image input ---------------------------------------------------------------------------------------


def _from_image(route: _Route, image_dpi: int) -> PdfRouteResult:
    t = time.monotonic()
    source, pages, assumed_dpi = _prepare_image(route, image_dpi)
    route.stage("inspect", t)
    staged = route.work / "pdfa.pdf"
    confidence = _ocr_to_pdfa(route, source, staged, image_dpi=assumed_dpi)
    return _finish(route, staged, name="ocr", pages=pages, ocr_pages=pages, confidence=confidence)


def _frame_dpi(img: Image.Image) -> tuple[float, float] | None:
    dpi = img.info.get("dpi")
    try:
        x, y = float(dpi[0]), float(dpi[1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError):
        return None
    lo, hi = _DPI_RANGE
    if not (lo <= x <= hi and lo <= y <= hi):
        return None
    if max(img.width / x, img.height / y) > _MAX_PAGE_INCHES:
        return None
    return x, y


def _flatten(frame: Image.Image) -> Image.Image:
    """A frame img2pdf can embed: alpha composited onto white, 16-bit and float modes brought to 8 bits."""
    if frame.mode == "P":
        frame = frame.convert("RGBA" if "transparency" in frame.info else "RGB")
    if frame.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        frame = frame.point(lambda v: v / 256).convert("L")
    elif frame.mode == "F":
        frame = frame.convert("L")
    if frame.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = frame.convert("RGBA")
        base = Image.new("RGB", rgba.size, (255, 255, 255))
        base.paste(rgba, mask=rgba.getchannel("A"))
        frame = base if frame.mode.startswith(("RGB", "P")) else base.convert("L")
    if frame.mode not in _IMAGE_MODES:
        # CMYK through Pillow's naive formula: without a colour-managed conversion the tones shift a
        # little, which the finding says; the text is what OCR and the archive need.
        frame = frame.convert("RGB")
    return frame


def _prepare_image(route: _Route, image_dpi: int) -> tuple[Path, int, int | None]:
    """Check every frame decodes; rewrite the image if ocrmypdf would refuse it. Return (path, pages, dpi)."""
    src = route.src
    try:
        with Image.open(src) as img:
            pages = getattr(img, "n_frames", 1)
            rewrite = False
            alpha = False
            dpi_ok = True
            cmyk = False
            first_dpi: tuple[float, float] | None = None
            for i in range(pages):
                img.seek(i)
                img.load()  # decode now: a truncated image fails here, not inside ocrmypdf
                frame_dpi = _frame_dpi(img)
                if frame_dpi is None:
                    dpi_ok = False
                elif first_dpi is None:
                    first_dpi = frame_dpi
                has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
                    img.mode == "P" and "transparency" in img.info
                )
                alpha = alpha or has_alpha
                cmyk = cmyk or img.mode == "CMYK"
                if has_alpha or img.mode not in _IMAGE_MODES | {"P"}:
                    rewrite = True
            if alpha:
                route.find(
                    "image_alpha_flattened",
                    Severity.INFO,
                    "the image has transparency; it was placed on a white page (PDF/A pages are opaque)",
                )
            if cmyk:
                route.find(
                    "colour_converted",
                    Severity.INFO,
                    "the image's CMYK colour was converted to RGB to match the PDF/A output intent",
                )
            if not dpi_ok:
                route.find(
                    "image_dpi_assumed",
                    Severity.INFO,
                    f"the image records no usable resolution; {image_dpi} dpi was assumed for the page size",
                )
            passed_dpi = _dpi_argument(first_dpi if dpi_ok else None, image_dpi)
            if not rewrite:
                return src, pages, passed_dpi
            frames = []
            for i in range(pages):
                img.seek(i)
                frames.append(_flatten(img.copy()))
    except Image.DecompressionBombError as e:
        raise route.fail(
            "image_too_large", f"the image is too large to convert safely ({e}); split or downscale it"
        ) from e
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as e:
        raise route.fail("image_damaged", f"the image is damaged and cannot be decoded: {e}") from e
    dest = route.work / ("image.tiff" if pages > 1 else "image.png")
    dpi = first_dpi if dpi_ok and first_dpi is not None else (image_dpi, image_dpi)
    if pages > 1:
        # LZW keeps every mode lossless; the frames are multi-page like the original.
        frames[0].save(dest, compression="tiff_lzw", save_all=True, append_images=frames[1:], dpi=dpi)
    else:
        frames[0].save(dest, dpi=dpi)
    return dest, pages, passed_dpi


def _dpi_argument(recorded: tuple[float, float] | None, assumed: int) -> int | None:
    """The ``--image-dpi`` to give ocrmypdf: the assumed one, or a believed one it would doubt itself."""
    if recorded is None:
        return assumed
    # ocrmypdf refuses a recorded resolution of 96x96 or less as "not credible" unless told again
    if recorded <= (96.0, 96.0):
        return round(recorded[0])
    return None


# -- OCR, PDF/A, gate ----------------------------------------------------------------------------------


def _ocr_run(
    route: _Route,
    source: Path,
    dest: Path,
    *,
    output_type: str,
    pages: list[int] | None = None,
    image_dpi: int | None = None,
    extra_args: tuple[str, ...] = (),
) -> dict[str, float | int] | None:
    tools = _ocr.probe()
    if not tools.usable:
        raise route.fail(
            "ocr_missing",
            "OCR needs ocrmypdf and Tesseract, and "
            f"{'ocrmypdf' if tools.ocrmypdf is None else 'tesseract'} is not installed: see `qujat doctor`",
        )
    missing = tools.missing_languages(route.languages)
    if missing:
        raise route.fail(
            "ocr_language_missing",
            f"Tesseract has no language pack for {', '.join(missing)}; install tesseract-ocr-"
            f"{missing[0]} (Debian) or change the OCR languages",
        )
    route.tools.update(tools.versions())
    t = time.monotonic()
    deskew = route.deskew
    try:
        while True:
            budget = route.remaining()
            if budget <= 0:
                raise route.fail("ocr_timeout", "the document's time budget ran out before OCR could start")
            try:
                run = _ocr.run_ocrmypdf(
                    source,
                    dest,
                    output_type=output_type,
                    languages=route.languages,
                    timeout_s=budget,
                    work_dir=route.work,
                    image_dpi=image_dpi,
                    pages=pages,
                    jobs=route.jobs,
                    deskew=deskew,
                    extra_args=extra_args,
                )
                break
            except _ocr.OcrError as e:
                if deskew and e.code == "ocr_failed":
                    # Deskewing fails on degenerate pages (a 2x2 pixel image) that OCR itself handles;
                    # the straightening is worth one more try, not a quarantine.
                    log.warning("%s: OCR with deskew failed (%s); trying without", route.src.name, e.message)
                    deskew = False
                    continue
                code = {
                    "ocr_timeout": "ocr_timeout",
                    "ocr_missing": "ocr_missing",
                    "ocr_encrypted": "pdf_encrypted",
                    "ocr_input": "pdf_damaged" if source.suffix == ".pdf" else "image_damaged",
                }.get(e.code, "ocr_failed")
                raise route.fail(code, e.message) from e
    finally:
        route.stage("ocr", t)
    if deskew:
        route.find(
            "pages_deskewed",
            Severity.INFO,
            "pages were straightened (deskewed) before OCR; the PDF/A shows the straightened scan images",
        )
    return run.confidence


def _ocr_to_pdfa(
    route: _Route,
    source: Path,
    staged: Path,
    *,
    image_dpi: int | None = None,
    extra_args: tuple[str, ...] = (),
) -> dict[str, float | int] | None:
    """OCR a scan or an image (no page has text) with ocrmypdf's PDF/A output; return the confidences.

    ocrmypdf keeps a CMYK image as DeviceCMYK under an sRGB output intent, which it calls PDF/A but
    ISO 19005 does not (6.2.4.3). Then OCR runs once more with Ghostscript converting colour to RGB:
    safe here, as nothing on these pages is text but ocrmypdf's own layer.
    """
    ocr_out = route.work / "ocr.pdf"
    output_type = _PDFA_OUTPUT_TYPE[route.flavour.part]
    confidence = _ocr_run(
        route, source, ocr_out, output_type=output_type, image_dpi=image_dpi, extra_args=extra_args
    )
    report = _check_ocr_pdfa(route, ocr_out)
    if not report.passed and any(
        "Device" in f.message and "OutputIntent" in f.message for f in report.failures
    ):
        log.info(
            "%s: device colour without a matching output intent; OCR again converting to RGB", route.src.name
        )
        colour_args = ("--pdfa-backend", "ghostscript", "--color-conversion-strategy", "RGB")
        ocr_out.unlink(missing_ok=True)
        confidence = _ocr_run(
            route,
            source,
            ocr_out,
            output_type=output_type,
            image_dpi=image_dpi,
            extra_args=extra_args + colour_args,
        )
        report = _check_ocr_pdfa(route, ocr_out)
        route.find(
            "colour_converted",
            Severity.INFO,
            "the scan's CMYK colour was converted to RGB (Ghostscript) to match the PDF/A output intent",
        )
    _finish_ocr_pdfa(route, ocr_out, staged, report)
    return confidence


def _check_ocr_pdfa(route: _Route, ocr_out: Path) -> ValidationReport:
    base = Flavour.PDFA_2B if route.flavour is Flavour.PDFA_2U else route.flavour
    t = time.monotonic()
    try:
        return validate_pdfa(ocr_out, base)
    finally:
        route.stage("validate_pdf", t)


def _finish_ocr_pdfa(route: _Route, ocr_out: Path, staged: Path, report: ValidationReport) -> None:
    """ocrmypdf's PDF/A as it is when the validator approves it, else qujat's post-processing.

    ocrmypdf may have converted colour with Ghostscript and declared a matching output intent (CMYK
    for a CMYK scan); `pikepdf.pdfa.prepare` would replace that intent with sRGB and undo the match.
    """
    if not report.passed:
        log.debug("%s: ocrmypdf's PDF/A is not approved; post-processing it", route.src.name)
        _pikepdf_pdfa(route, ocr_out, staged)
        return
    if route.flavour is not Flavour.PDFA_2U:
        shutil.move(ocr_out, staged)
        return
    try:
        # Tesseract's text layer maps every glyph to Unicode; the gate checks it before U is believed.
        with pikepdf.open(ocr_out) as pdf:
            with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
                xmp["pdfaid:conformance"] = "U"
            pdf.save(staged, **pikepdf.pdfa.resolve_save_kwargs("2b"))
    except pikepdf.PdfError as e:
        raise route.fail("pdfa_failed", f"ocrmypdf's PDF/A could not be declared PDF/A-2u: {e}") from e


def _pikepdf_pdfa(route: _Route, source: Path, staged: Path) -> None:
    """qujat's PDF/A post-processing (`converter.postprocess`); the verdict is the gate's, in `_finish`."""
    engines = ", ".join(f"{k} {v}" for k, v in route.tools.items() if k != "ghostscript")
    producer = f"{route.producer} ({engines})" if engines else route.producer
    t = time.monotonic()
    try:
        changes = make_pdfa(source, staged, route.flavour, metadata={}, producer=producer)
    except (pikepdf.PdfError, ValueError, KeyError, TypeError) as e:
        raise route.fail("pdfa_failed", f"the PDF could not be rewritten as PDF/A: {e}") from e
    finally:
        route.stage("postprocess_pdf", t)
    for change in changes:
        route.find("pdf_changed", Severity.INFO, change)


def _text_pages(route: _Route, pdf: Path, pages: int) -> int:
    """Pages with extractable text, as poppler's pdftotext reads them (form feed between pages)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        log.warning("pdftotext is not installed; pages with text are not counted")
        return 0
    t = time.monotonic()
    try:
        run = _ocr.run_bounded(
            [exe, "-q", "-enc", "UTF-8", str(pdf), "-"],
            timeout_s=max(route.remaining(), _MIN_TOOL_TIMEOUT),
        )
    except (OSError, TimeoutError) as e:
        log.warning("%s: pdftotext failed: %s", route.src.name, e)
        return 0
    finally:
        route.stage("text_count", t)
    if run.returncode != 0:
        log.debug("pdftotext exited %d: %s", run.returncode, run.stderr)
    chunks = run.stdout.decode("utf-8", "replace").split("\f")[:pages]
    return sum(1 for c in chunks if c.strip())


def _finish(
    route: _Route,
    staged: Path,
    *,
    name: str,
    pages: int,
    ocr_pages: int,
    confidence: dict[str, float | int] | None,
) -> PdfRouteResult:
    try:
        with pikepdf.open(staged) as pdf:
            out_pages = len(pdf.pages)
    except pikepdf.PdfError as e:
        raise route.fail("pdfa_failed", f"the PDF/A written cannot be read back: {e}") from e
    if out_pages != pages:
        raise route.fail(
            "page_count_changed",
            f"the output has {out_pages} page(s) where the input has {pages}; it was not archived",
        )
    t = time.monotonic()
    report = validate_pdfa(staged, route.flavour)  # the gate: judge the bytes that will be placed
    route.stage("validate_pdf", t)
    if not report.passed:
        first = report.failures[0] if report.failures else None
        detail = f"{first.rule}: {first.message}" if first else "no detail"
        raise route.fail(
            "pdfa_failed",
            f"the PDF does not pass PDF/A-{route.flavour} validation ({detail}; "
            f"{len(report.failures)} finding(s)); it was kept aside, not archived",
            report=report,
            candidate=staged,
        )
    text_pages = _text_pages(route, staged, pages)
    if text_pages < pages:
        route.find(
            "pages_without_text",
            Severity.WARNING,
            f"{pages - text_pages} of {pages} page(s) have no text layer after conversion"
            + (" (blank, or nothing OCR could read)" if ocr_pages else ""),
        )
    _place(route, staged)
    return PdfRouteResult(
        dest=route.dest,
        flavour=route.flavour.value,
        route=name,
        kept_original=False,
        pages=pages,
        ocr_pages=ocr_pages,
        text_pages_after=text_pages,
        ocr_confidence=confidence,
        findings=tuple(route.findings),
        validation=report,
        tools=dict(route.tools),
        timings=dict(route.timings),
    )


def _place(route: _Route, path: Path) -> None:
    t = time.monotonic()
    try:
        place_file(path, route.dest)
    finally:
        route.stage("place", t)
