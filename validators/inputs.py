"""Input identification and safety checks: what a file really is, and whether it may reach the engine.

Identification reads bytes and container members, never the extension (CSV, which has no signature, is
the one exception: a text file is CSV only when named so or when its lines share a delimiter). The
safety checks reject what must not reach LibreOffice: encrypted or rights-protected files, zip bombs
(entry count, total size and ratio measured while decompressing, not as the zip headers claim), path
traversal in zip entries, XML with DTDs or entity declarations, and files over the size limit. A rejection
is a verdict with a reason code (``input:encrypted``, ``input:zip-bomb``...), never an exception.
"""

from __future__ import annotations

import csv
import logging
import re
import struct
import zipfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath

import defusedxml.ElementTree as SafeET
import olefile

from validators._report import Finding, FindingKind

log = logging.getLogger(__name__)

__all__ = ["DocKind", "InputFormat", "InputLimits", "InputReport", "check_input"]


class DocKind(StrEnum):
    """What kind of document a format holds, which decides its ODF target."""

    TEXT = "text"
    SPREADSHEET = "spreadsheet"
    PRESENTATION = "presentation"
    DRAWING = "drawing"
    PDF = "pdf"
    IMAGE = "image"
    UNKNOWN = "unknown"


class InputFormat(StrEnum):
    DOCX = "docx"
    DOCM = "docm"
    DOTX = "dotx"
    DOTM = "dotm"
    XLSX = "xlsx"
    XLSM = "xlsm"
    XLTX = "xltx"
    XLTM = "xltm"
    PPTX = "pptx"
    PPTM = "pptm"
    POTX = "potx"
    PPSX = "ppsx"
    PPSM = "ppsm"
    DOC = "doc"
    XLS = "xls"
    PPT = "ppt"
    RTF = "rtf"
    ODT = "odt"
    OTT = "ott"
    ODS = "ods"
    OTS = "ots"
    ODP = "odp"
    OTP = "otp"
    ODG = "odg"
    FODT = "fodt"
    FODS = "fods"
    FODP = "fodp"
    CSV = "csv"
    PDF = "pdf"
    TIFF = "tiff"
    JPEG = "jpeg"
    PNG = "png"
    ENCRYPTED_OOXML = "encrypted-ooxml"  # an OLE2 wrapper around an encrypted OOXML package
    OLE2 = "ole2"  # an OLE2 container holding no Office document we know
    UNKNOWN = "unknown"

    @property
    def kind(self) -> DocKind:
        return _KIND.get(self, DocKind.UNKNOWN)


_KIND = {
    **dict.fromkeys(("docx", "docm", "dotx", "dotm", "doc", "rtf", "odt", "ott", "fodt"), DocKind.TEXT),
    **dict.fromkeys(
        ("xlsx", "xlsm", "xltx", "xltm", "xls", "ods", "ots", "fods", "csv"), DocKind.SPREADSHEET
    ),
    **dict.fromkeys(
        ("pptx", "pptm", "potx", "ppsx", "ppsm", "ppt", "odp", "otp", "fodp"), DocKind.PRESENTATION
    ),
    "odg": DocKind.DRAWING,
    "pdf": DocKind.PDF,
    **dict.fromkeys(("tiff", "jpeg", "png"), DocKind.IMAGE),
}
_KIND = {InputFormat(k): v for k, v in _KIND.items()}

_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": InputFormat.DOCX,
    "application/vnd.ms-word.document.macroenabled.main+xml": InputFormat.DOCM,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": InputFormat.DOTX,
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml": InputFormat.DOTM,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": InputFormat.XLSX,
    "application/vnd.ms-excel.sheet.macroenabled.main+xml": InputFormat.XLSM,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": InputFormat.XLTX,
    "application/vnd.ms-excel.template.macroenabled.main+xml": InputFormat.XLTM,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": InputFormat.PPTX,
    "application/vnd.ms-powerpoint.presentation.macroenabled.main+xml": InputFormat.PPTM,
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": InputFormat.POTX,
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": InputFormat.PPSX,
    "application/vnd.ms-powerpoint.slideshow.macroenabled.main+xml": InputFormat.PPSM,
}
_ODF_MIME = {
    "application/vnd.oasis.opendocument.text": InputFormat.ODT,
    "application/vnd.oasis.opendocument.text-template": InputFormat.OTT,
    "application/vnd.oasis.opendocument.spreadsheet": InputFormat.ODS,
    "application/vnd.oasis.opendocument.spreadsheet-template": InputFormat.OTS,
    "application/vnd.oasis.opendocument.presentation": InputFormat.ODP,
    "application/vnd.oasis.opendocument.presentation-template": InputFormat.OTP,
    "application/vnd.oasis.opendocument.graphics": InputFormat.ODG,
}
_FLAT_ODF = {
    InputFormat.ODT: InputFormat.FODT,
    InputFormat.ODS: InputFormat.FODS,
    InputFormat.ODP: InputFormat.FODP,
}
_CSV_NAMES = {".csv", ".tsv", ".tab", ".txt"}
# Entity declarations, internal DTD subsets and DTDs fetched from a URL or an absolute path are attacks
# (entity expansion, external entities). A bare public DTD name is not: LibreOffice writes
# <!DOCTYPE ... "libraries.dtd"> into the Basic parts of every ODF file with macros, and never loads it.
_XML_DANGER = re.compile(
    rb"<!ENTITY|<!DOCTYPE[^>\[]*\[|<!DOCTYPE[^>]*(?:SYSTEM|PUBLIC)[^>]*[\"'](?:[a-z][a-z0-9+.-]*:|/|\\\\)",
    re.IGNORECASE,
)
# References that make an office program fetch content from outside the file. Hyperlinks are not among
# them: following one is the reader's choice, not the converter's.
_EXTERNAL_REL = re.compile(
    rb'<Relationship\b[^>]*\bType="[^"]*/(image|oleObject|attachedTemplate|externalLinkPath|subDocument|frame|'
    rb'package|audio|video)"[^>]*\bTargetMode="External"|<Relationship\b[^>]*\bTargetMode="External"[^>]*\bType='
    rb'"[^"]*/(image|oleObject|attachedTemplate|externalLinkPath|subDocument|frame|package|audio|video)"'
)
# Inside an SVG picture: an <image> or <use> fetching a file or URL (LibreOffice 7.4 embeds a local file
# such a picture points to when it is not sandboxed).
_EXTERNAL_SVG = re.compile(rb"""\bhref\s*=\s*["'](?:file:|https?:|ftp:|//|\\\\)""", re.IGNORECASE)
# Hyperlinks that would run code when followed: removed from the outputs and reported.
_SCRIPT_LINK = re.compile(
    rb"""(?:Target|href)\s*=\s*["']\s*(?:javascript|vbscript|vnd\.sun\.star\.script|macro):""", re.IGNORECASE
)
_EXTERNAL_XML = re.compile(
    rb"\b(INCLUDEPICTURE|INCLUDETEXT|DDEAUTO|DDE|WEBSERVICE|FILTERXML)\b|office:dde-source|text:dde-connection|"
    rb"<(?:draw:image|draw:object|draw:object-ole|draw:plugin|text:section-source|table:table-source)\b[^>]*"
    rb'xlink:href="(?:file:|https?:|ftp:|//|\\\\|/)'
)
_CHUNK = 1 << 20
_MACROS = "the document carries macros; they are never run and are not carried over"
_SIGNED = "the document is digitally signed; a converted copy cannot carry the signature"


@dataclass(frozen=True, slots=True, kw_only=True)
class InputLimits:
    """Limits an input must stay within to reach the engine.

    Attributes:
        max_file_mb: Largest input file.
        max_zip_entries: Most members in a zip package.
        max_uncompressed_mb: Largest total of decompressed members, measured while decompressing.
        max_ratio: Largest compression ratio of a member that decompresses to over 1 MiB.
    """

    max_file_mb: int = 512
    max_zip_entries: int = 20_000
    max_uncompressed_mb: int = 2048
    max_ratio: int = 200


@dataclass(slots=True, kw_only=True)
class InputReport:
    """What an input is and whether it may be converted.

    Attributes:
        path: The file.
        format: Identified format.
        size: Bytes.
        encrypted: Password-protected (OOXML, OLE2, ODF, PDF user password).
        external: Kinds of external content the document refers to (linked pictures, remote templates,
            external workbooks, INCLUDEPICTURE/DDE fields, SVG references ...); the engine never fetches them.
        script_links: Hyperlinks with ``javascript:``, ``macro:``, ``vnd.sun.star.script:`` targets.
        irm: Protected by Information Rights Management.
        macros: Carries macros (VBA, Basic, scripts).
        signed: Carries a digital signature.
        csv_delimiter: For CSV, the delimiter found.
        text_encoding: For CSV, ``utf-8`` or ``cp1251``.
        findings: Every rejection reason (violations) and note.
    """

    path: Path
    format: InputFormat = InputFormat.UNKNOWN
    size: int = 0
    encrypted: bool = False
    irm: bool = False
    macros: bool = False
    signed: bool = False
    csv_delimiter: str | None = None
    text_encoding: str | None = None
    external: set[str] = field(default_factory=set)
    script_links: bool = False
    findings: list[Finding] = field(default_factory=list)

    @property
    def kind(self) -> DocKind:
        return self.format.kind

    @property
    def passed(self) -> bool:
        return not any(f.kind is not FindingKind.NOTE for f in self.findings)

    @property
    def reason(self) -> Finding | None:
        """The first finding that rejects the file, or None."""
        return next((f for f in self.findings if f.kind is not FindingKind.NOTE), None)

    def reject(self, rule: str, message: str, where: str = "") -> None:
        log.info("%s: %s (%s)", self.path.name, message, rule)
        self.findings.append(Finding(rule=rule, message=message, where=where))

    def note(self, rule: str, message: str, where: str = "") -> None:
        self.findings.append(Finding(rule=rule, message=message, where=where, kind=FindingKind.NOTE))


def check_input(path: str | Path, limits: InputLimits | None = None) -> InputReport:
    """Identify a file by its bytes and run the safety checks on it.

    Args:
        path: The input file.
        limits: Size and zip limits (defaults: `InputLimits()`).

    Returns:
        The report; ``report.passed`` is False when the file must not reach the engine, and
        ``report.reason`` then says why.

    Raises:
        OSError: The file cannot be read at all (missing, permission denied).
    """
    limits = limits or InputLimits()
    path = Path(path)
    rep = InputReport(path=path, size=path.stat().st_size)
    if rep.size == 0:
        rep.reject("input:empty", "the file is empty")
        return rep
    if rep.size > limits.max_file_mb * 1024 * 1024:
        rep.reject(
            "input:too-large", f"the file is {rep.size // 2**20} MiB; the limit is {limits.max_file_mb} MiB"
        )
        return rep
    with path.open("rb") as f:
        head = f.read(8192)
    if head.startswith(b"PK\x03\x04"):
        _check_zip(rep, limits)
    elif head.startswith(olefile.MAGIC):
        _check_ole(rep)
    elif head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        rep.format = InputFormat.RTF
    elif b"%PDF-" in head[:1024]:
        rep.format = InputFormat.PDF
        _check_pdf(rep)
    elif head.startswith((b"II*\x00", b"MM\x00*")):
        rep.format = InputFormat.TIFF
    elif head.startswith(b"\xff\xd8\xff"):
        rep.format = InputFormat.JPEG
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        rep.format = InputFormat.PNG
    elif _looks_like_flat_odf(head):
        _check_flat_odf(rep, limits)
        _note_scripts_and_external(rep)
    else:
        _check_text(rep, head)
    if rep.format is InputFormat.UNKNOWN and rep.passed:
        rep.reject(
            "input:unknown-format",
            "this is not a document qujat can convert: not an office document, PDF or image, "
            "whatever its name says",
        )
    return rep


# -- zip packages (OOXML, ODF) -------------------------------------------------------------------------


def _check_zip(rep: InputReport, limits: InputLimits) -> None:
    try:
        zf = zipfile.ZipFile(rep.path)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        rep.reject("input:corrupt", f"the file is damaged: it is not a complete zip package ({e})")
        return
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if len(infos) > limits.max_zip_entries:
            rep.reject(
                "input:zip-bomb",
                f"the package has {len(infos)} members; the limit is {limits.max_zip_entries}",
            )
            return
        for info in infos:
            p = PurePosixPath(info.filename.replace("\\", "/"))
            if p.is_absolute() or ".." in p.parts or (p.parts and ":" in p.parts[0]):
                rep.reject(
                    "input:zip-path-traversal", "a package member points outside the package", info.filename
                )
        if any(i.flag_bits & 0x1 for i in infos):
            rep.encrypted = True
        if "mimetype" in names:
            _identify_odf(rep, zf, names)
        elif "[Content_Types].xml" in names:
            _identify_ooxml(rep, zf, names)
        if rep.encrypted and not any(f.rule == "input:encrypted" for f in rep.findings):
            _reject_encrypted(rep)
            return
        if rep.format is not InputFormat.UNKNOWN:
            _scan_members(rep, zf, infos, limits)
        _note_scripts_and_external(rep)


def _note_scripts_and_external(rep: InputReport) -> None:
    if rep.script_links:
        rep.note(
            "input:script-links",
            "the document has hyperlinks that would run code when followed (javascript:, macro: ...); "
            "they are removed from the outputs",
        )
    if rep.external:
        rep.note(
            "input:external-content",
            "the document refers to content outside the file (" + ", ".join(sorted(rep.external)) + "); "
            "it was not fetched: the outputs show only what the file itself contains",
        )


def _scan_members(
    rep: InputReport, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: InputLimits
) -> None:
    """Decompress every member once, counting real bytes (headers can lie) and scanning XML for DTDs."""
    budget = limits.max_uncompressed_mb * 1024 * 1024
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        is_xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
        is_rels = info.filename.lower().endswith(".rels")
        is_svg = info.filename.lower().endswith(".svg")
        size = 0
        tail = b""  # the end of the previous chunk, so that a match across chunks is not missed
        dtd_seen = False
        try:
            with zf.open(info) as member:
                while chunk := member.read(_CHUNK):
                    size += len(chunk)
                    total += len(chunk)
                    if total > budget:
                        rep.reject(
                            "input:zip-bomb",
                            f"the package decompresses to over {limits.max_uncompressed_mb} MiB",
                            info.filename,
                        )
                        return
                    if size > _CHUNK and size > limits.max_ratio * max(info.compress_size, 1):
                        rep.reject(
                            "input:zip-bomb",
                            f"a member expands more than {limits.max_ratio} times (a decompression bomb)",
                            info.filename,
                        )
                        return
                    if not (is_xml or is_svg):
                        continue
                    window = tail + chunk
                    if is_svg:
                        # An SVG's own DTD line is ordinary; only what it fetches matters here.
                        if _EXTERNAL_SVG.search(window):
                            rep.external.add("linked content in an SVG picture")
                        tail = chunk[-512:]
                        continue
                    _note_external(rep, window, is_rels)
                    if not dtd_seen and _XML_DANGER.search(window):
                        dtd_seen = True
                        rep.reject(
                            "input:xml-entities",
                            "an XML part declares a DTD or entities, which office documents never need "
                            "(an entity-expansion or external-entity attack)",
                            info.filename,
                        )
                    tail = chunk[-512:]
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as e:
            rep.reject(
                "input:corrupt", f"the file is damaged: a package member cannot be read ({e})", info.filename
            )
            return


def _note_external(rep: InputReport, data: bytes, is_rels: bool) -> None:
    if _SCRIPT_LINK.search(data):
        rep.script_links = True
    if is_rels:
        for m in _EXTERNAL_REL.finditer(data):
            kind = (m.group(1) or m.group(2)).decode()
            rep.external.add(
                {
                    "image": "linked picture",
                    "oleObject": "linked object",
                    "attachedTemplate": "remote template",
                    "externalLinkPath": "external workbook",
                    "subDocument": "linked sub-document",
                    "frame": "linked frame",
                }.get(kind, f"linked {kind}")
            )
        return
    for m in _EXTERNAL_XML.finditer(data):
        word = (m.group(1) or b"").decode()
        if word in ("INCLUDEPICTURE", "INCLUDETEXT"):
            rep.external.add(f"{word} field")
        elif word in ("DDE", "DDEAUTO") or not word and b"dde" in m.group(0):
            rep.external.add("DDE link")
        elif word in ("WEBSERVICE", "FILTERXML"):
            rep.external.add(f"{word} formula")
        else:
            rep.external.add("linked content")


def _identify_odf(rep: InputReport, zf: zipfile.ZipFile, names: set[str]) -> None:
    try:
        mime = zf.read("mimetype")[:200].decode("ascii", errors="replace").strip()
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as e:
        rep.reject("input:corrupt", f"the file is damaged: {e}")
        return
    rep.format = _ODF_MIME.get(mime, InputFormat.UNKNOWN)
    if "META-INF/manifest.xml" in names:
        try:
            manifest = zf.read("META-INF/manifest.xml")
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            manifest = b""
        if b"encryption-data" in manifest:
            rep.encrypted = True
    if any(n.startswith(("Basic/", "Scripts/")) and not n.endswith(("script-lc.xml", "/")) for n in names):
        rep.macros = True
        rep.note("input:macros", _MACROS)
    if any("documentsignatures.xml" in n or "macrosignatures.xml" in n for n in names):
        rep.signed = True
        rep.note("input:signed", _SIGNED)


def _identify_ooxml(rep: InputReport, zf: zipfile.ZipFile, names: set[str]) -> None:
    try:
        raw = zf.read("[Content_Types].xml")
        if _XML_DANGER.search(raw):
            rep.reject(
                "input:xml-entities", "[Content_Types].xml declares a DTD or entities", "[Content_Types].xml"
            )
            return
        root = SafeET.fromstring(raw)
    except Exception as e:  # noqa: BLE001 - defusedxml raises several unrelated types
        rep.reject("input:corrupt", f"the file is damaged: its content-type list cannot be read ({e})")
        return
    for el in root:
        ctype = (el.get("ContentType") or "").lower()
        if ctype in _OOXML_MAIN:
            rep.format = _OOXML_MAIN[ctype]
            break
    lowered = {n.lower() for n in names}
    if any(n.endswith("vbaproject.bin") for n in lowered):
        rep.macros = True
        rep.note("input:macros", _MACROS)
    if any(n.startswith("_xmlsignatures/") for n in lowered):
        rep.signed = True
        rep.note("input:signed", _SIGNED)


# -- OLE2 (legacy Office, encrypted OOXML) -------------------------------------------------------------


def _check_ole(rep: InputReport) -> None:
    try:
        ole = olefile.OleFileIO(str(rep.path))
    except (OSError, ValueError, struct.error, IndexError) as e:
        rep.reject("input:corrupt", f"the file is damaged: its OLE2 container cannot be read ({e})")
        return
    with ole:
        streams = {"/".join(s) for s in ole.listdir(streams=True, storages=True)}
        lowered = {s.lower() for s in streams}
        if "encryptedpackage" in lowered:
            rep.format = InputFormat.ENCRYPTED_OOXML
            if any("drmencryptedtransform" in s or "drmencrypteddataspace" in s for s in lowered):
                rep.irm = True
                rep.reject(
                    "input:irm-protected",
                    "the document is protected by Information Rights Management; ask its owner for an "
                    "unprotected copy (qujat cannot and must not remove the protection)",
                )
            else:
                _reject_encrypted(rep)
            return
        if "worddocument" in lowered:
            rep.format = InputFormat.DOC
            rep.encrypted = _doc_encrypted(ole)
        elif "workbook" in lowered or "book" in lowered:
            rep.format = InputFormat.XLS
            rep.encrypted = _xls_encrypted(ole, "Workbook" if ole.exists("Workbook") else "Book")
        elif "powerpoint document" in lowered:
            rep.format = InputFormat.PPT
            rep.encrypted = "encryptedsummary" in lowered
        else:
            rep.format = InputFormat.OLE2
            rep.reject("input:unknown-format", "this OLE2 file holds no Word, Excel or PowerPoint document")
            return
        if any(s.startswith(("macros", "_vba_project_cur", "vba/")) or "/vba/" in s for s in lowered):
            rep.macros = True
            rep.note("input:macros", _MACROS)
        if any(s.startswith(("_signatures", "\x05digitalsignature", "_xmlsignatures")) for s in lowered):
            rep.signed = True
            rep.note("input:signed", _SIGNED)
        if rep.encrypted:
            _reject_encrypted(rep)


def _doc_encrypted(ole: olefile.OleFileIO) -> bool:
    # FIB base: the 16-bit flags word at offset 0x0A; fEncrypted is 0x0100, fObfuscated (XOR) 0x8000.
    with ole.openstream("WordDocument") as s:
        fib = s.read(12)
    if len(fib) < 12:
        return False
    flags = struct.unpack_from("<H", fib, 0x0A)[0]
    return bool(flags & 0x0100)


def _xls_encrypted(ole: olefile.OleFileIO, stream: str) -> bool:
    # A FILEPASS record (0x002F) in the workbook globals substream, before its EOF record (0x000A).
    with ole.openstream(stream) as s:
        data = s.read(1 << 20)
    pos = 0
    while pos + 4 <= len(data):
        rtype, size = struct.unpack_from("<HH", data, pos)
        if rtype == 0x002F:
            return True
        if rtype == 0x000A:
            return False
        pos += 4 + size
    return False


def _reject_encrypted(rep: InputReport) -> None:
    rep.encrypted = True
    rep.reject(
        "input:encrypted",
        "the document is password-protected; open it in its office program, remove the password "
        "(File > Info > Protect Document, or Save As without a password) and submit it again",
    )


# -- PDF -----------------------------------------------------------------------------------------------


def _check_pdf(rep: InputReport) -> None:
    import pikepdf  # only PDFs need it; keeps identification of office files light

    try:
        with pikepdf.open(rep.path) as pdf:
            if pdf.is_encrypted:
                rep.encrypted = True
                rep.reject(
                    "input:encrypted",
                    "the PDF is encrypted (it has an owner password that restricts it); PDF/A forbids "
                    "encryption: ask the sender for an unprotected copy",
                )
            if "/Perms" in pdf.Root or _has_signature(pdf):
                rep.signed = True
                rep.note("input:signed", _SIGNED)
    except pikepdf.PasswordError:
        rep.reject(
            "input:encrypted",
            "the PDF needs a password to open; ask the sender for an unprotected copy",
        )
        rep.encrypted = True
    except pikepdf.PdfError as e:
        rep.reject("input:corrupt", f"the PDF is damaged beyond repair: {e}")


def _has_signature(pdf: object) -> bool:
    acro = getattr(pdf, "Root").get("/AcroForm")  # noqa: B009
    if acro is None:
        return False
    return any(f.get("/FT") == "/Sig" for f in acro.get("/Fields", []))


# -- flat ODF and text ---------------------------------------------------------------------------------


def _looks_like_flat_odf(head: bytes) -> bool:
    return b"<office:document" in head and b"urn:oasis:names:tc:opendocument:xmlns:office" in head


def _check_flat_odf(rep: InputReport, limits: InputLimits) -> None:
    m = re.search(rb'office:mimetype="([^"]+)"', rep.path.read_bytes()[: 64 * 1024])
    packaged = _ODF_MIME.get(m.group(1).decode("ascii", "replace")) if m else None
    rep.format = _FLAT_ODF.get(packaged, InputFormat.UNKNOWN) if packaged else InputFormat.UNKNOWN
    with rep.path.open("rb") as f:
        tail = b""
        while chunk := f.read(_CHUNK):
            if _XML_DANGER.search(tail + chunk):
                rep.reject("input:xml-entities", "the flat ODF file declares a DTD or entities")
                return
            _note_external(rep, tail + chunk, False)
            tail = chunk[-512:]


def _check_text(rep: InputReport, head: bytes) -> None:
    if b"\x00" in head:
        return
    try:
        sample = head.decode("utf-8")
        rep.text_encoding = "utf-8"
    except UnicodeDecodeError as e:
        if e.start > len(head) - 4:  # a multi-byte character cut by the sample's end
            sample = head[: e.start].decode("utf-8")
            rep.text_encoding = "utf-8"
        else:
            sample = head.decode("cp1251", errors="replace")
            rep.text_encoding = "cp1251"
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    if sample.lstrip().startswith(("<", "{\\")) or len(lines) < 1:
        return
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t|")
        delimiter: str | None = dialect.delimiter
    except csv.Error:
        delimiter = None
    named_csv = rep.path.suffix.lower() in _CSV_NAMES
    if delimiter and (named_csv or (len(lines) >= 2 and all(ln.count(delimiter) >= 1 for ln in lines[:20]))):
        rep.format = InputFormat.CSV
        rep.csv_delimiter = delimiter
    elif named_csv and len(lines) >= 1:
        rep.format = InputFormat.CSV
        rep.csv_delimiter = ","
