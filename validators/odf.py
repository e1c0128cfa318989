"""ODF verdicts: `validate_odf` checks an OpenDocument package or flat ODF file against the standard.

It owns four layers of checks, each reported as findings rather than stopping at the first:

- the package (OASIS ODF 1.3 part 2, Packages): the ``mimetype`` entry, the manifest against the zip's
  contents, unsafe entry names, compression methods, encryption;
- the XML of every part, parsed without a DTD, entity expansion or network access;
- the grammar of ``content.xml``, ``styles.xml``, ``meta.xml`` and ``settings.xml`` (and the manifest):
  elements, attributes and required attributes per ODF version (tables in `validators._odf_grammar`);
- optionally, the OASIS RelaxNG schemas, when the caller supplies a folder holding them (qujat does not
  ship them).

"Strict" here is the standard's *conforming OpenDocument document*: markup the schema does not define
(LibreOffice's ``loext:``, ``officeooo:``, ``calcext:``) makes a document an *extended* one, which fails
unless ``extended=True`` is asked for.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from validators._odf_grammar import Grammar, grammar_for, is_odf_namespace, prefixed
from validators._report import Finding, FindingKind, ValidationReport

log = logging.getLogger(__name__)

__all__ = ["ODF_MEDIA_TYPE_PREFIX", "validate_odf"]

ODF_MEDIA_TYPE_PREFIX = "application/vnd.oasis.opendocument."

OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE_VERSION = f"{{{OFFICE_NS}}}version"
_MANIFEST_VERSION = f"{{{MANIFEST_NS}}}version"
_FULL_PATH = f"{{{MANIFEST_NS}}}full-path"
_MEDIA_TYPE = f"{{{MANIFEST_NS}}}media-type"
_FILE_ENTRY = f"{{{MANIFEST_NS}}}file-entry"
_ENCRYPTION_DATA = f"{{{MANIFEST_NS}}}encryption-data"

# The root element each standard part must have (ODF's conformance clause for documents).
_PART_ROOTS = {
    "content.xml": f"{{{OFFICE_NS}}}document-content",
    "styles.xml": f"{{{OFFICE_NS}}}document-styles",
    "meta.xml": f"{{{OFFICE_NS}}}document-meta",
    "settings.xml": f"{{{OFFICE_NS}}}document-settings",
}
_FLAT_ROOT = f"{{{OFFICE_NS}}}document"
_MATH_ROOT = "{http://www.w3.org/1998/Math/MathML}math"
_MANIFEST = "META-INF/manifest.xml"
_DRAW_NS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
# Elements whose image or object data is either linked (xlink:href) or inline (office:binary-data).
_IMAGE_DATA = frozenset(f"{{{_DRAW_NS}}}{name}" for name in ("image", "fill-image", "object-ole"))
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_BINARY_DATA = f"{{{OFFICE_NS}}}binary-data"

# An XML part above this size is not read: the validator must not be the zip bomb's victim. Real content
# parts of a few hundred megabytes exist (large spreadsheets), so the limit is generous.
MAX_PART_BYTES = 512 * 1024 * 1024
# A broken document can repeat one mistake a hundred thousand times; past this many per rule and part
# the rest are counted, not listed (the verdict is the same).
MAX_FINDINGS_PER_RULE = 50

_SCHEMA_FILES = {
    ("1.3", "document"): ("OpenDocument-v1.3-schema.rng", "OpenDocument-v1.3-os-schema.rng"),
    ("1.3", "manifest"): (
        "OpenDocument-v1.3-manifest-schema.rng",
        "OpenDocument-v1.3-os-manifest-schema.rng",
    ),
    ("1.3", "signatures"): ("OpenDocument-v1.3-dsig-schema.rng", "OpenDocument-v1.3-os-dsig-schema.rng"),
    ("1.2", "document"): ("OpenDocument-v1.2-os-schema.rng", "OpenDocument-v1.2-schema.rng"),
    ("1.2", "manifest"): (
        "OpenDocument-v1.2-os-manifest-schema.rng",
        "OpenDocument-v1.2-manifest-schema.rng",
    ),
    ("1.2", "signatures"): ("OpenDocument-v1.2-os-dsig-schema.rng", "OpenDocument-v1.2-dsig-schema.rng"),
}


@dataclass(slots=True)
class _Collector:
    """Findings for one file, with a per-rule cap so a pathological file stays readable."""

    findings: list[Finding] = field(default_factory=list)
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(
        self, rule: str, message: str, where: str = "", kind: FindingKind = FindingKind.VIOLATION
    ) -> None:
        key = (rule, where.split(" line ")[0])
        self.counts[key] += 1
        if self.counts[key] > MAX_FINDINGS_PER_RULE:
            return
        log.debug("%s %s: %s", rule, where, message)
        self.findings.append(Finding(rule=rule, where=where, message=message, kind=kind))

    def close(self) -> list[Finding]:
        for (rule, part), n in self.counts.items():
            if n > MAX_FINDINGS_PER_RULE:
                self.findings.append(
                    Finding(
                        rule="odf:more-findings",
                        where=part,
                        message=f"{n - MAX_FINDINGS_PER_RULE} more {rule} findings not listed",
                        kind=FindingKind.NOTE,
                    )
                )
        return self.findings


@dataclass(frozen=True, slots=True)
class _Part:
    name: str
    root: etree._Element


def _where(part: str, line: int | None) -> str:
    return f"{part} line {line}" if line else part


# --- XML ------------------------------------------------------------------------------------------------

_ROOT_START = re.compile(r"<[A-Za-z_]")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _prolog(data: bytes) -> str:
    head = data[: 1024 * 1024]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:4]:
        text = head.decode("utf-16", errors="replace")
    else:
        # Every ASCII-compatible encoding spells "<!DOCTYPE" the same way; latin-1 never fails.
        text = head.decode("latin-1")
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    m = _ROOT_START.search(text)
    return text[: m.start()] if m else text


def _parser() -> etree.XMLParser:
    # No DTD loading, no entity substitution, no network: a part can neither expand an entity bomb nor
    # read a file or URL. huge_tree stays off, so libxml2's depth and node-size limits apply too.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def _parse(name: str, data: bytes, out: _Collector, *, standard: bool = True) -> etree._Element | None:
    """Parse one XML part safely, reporting a DTD, entity declarations or malformed XML as findings.

    A part ODF does not define (``Configurations2/``, ``Basic/``, ``Dialogs/``: an application's own
    files) is held to safety only: its DTD or bad XML is a note, but an entity declaration still fails.
    """
    lenient = FindingKind.VIOLATION if standard else FindingKind.NOTE
    prolog = _prolog(data)
    doctype = prolog.find("<!DOCTYPE")
    if doctype >= 0:
        line = prolog.count("\n", 0, doctype) + 1
        # ODF parts never need a DTD; one that declares entities is how entity bombs and external
        # entity reads are built, so the part is refused before any parser sees it.
        if "<!ENTITY" in prolog[doctype:]:
            out.add(
                "odf:entity-declaration",
                "the part declares XML entities in a DTD (an entity bomb or external-entity read); "
                "it was not parsed",
                _where(name, line),
            )
        else:
            out.add(
                "odf:doctype",
                "the part has a DTD, which ODF does not use; it was not parsed",
                _where(name, line),
                lenient,
            )
        return None
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        out.add("odf:malformed-xml", f"not well-formed XML: {e.msg}", _where(name, e.lineno), lenient)
        return None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:  # a DOCTYPE the prolog scan missed
        out.add("odf:doctype", "the part has a DTD, which ODF does not use", name, lenient)
        return None
    return root


# --- grammar --------------------------------------------------------------------------------------------


def _check_grammar(
    part: str, root: etree._Element, grammar: Grammar, extended: bool, out: _Collector
) -> None:
    """Walk one part's tree against the grammar tables, reporting each unknown or misplaced name."""
    foreign = FindingKind.NOTE if extended else FindingKind.VIOLATION
    used_uris = _attribute_namespaces(grammar.version)
    children = grammar.children
    attributes = grammar.attributes
    stack: list[tuple[etree._Element, str | None]] = [(root, None)]
    while stack:
        el, parent = stack.pop()
        tag = el.tag
        where = _where(part, el.sourceline)
        uri = tag[1:].partition("}")[0] if tag.startswith("{") else ""
        if not is_odf_namespace(uri) and tag not in children:
            # A foreign element: allowed only in extended documents, and its content is not ODF's to judge.
            out.add(
                "odf:foreign-element",
                f"<{prefixed(tag)}> is not defined by ODF {grammar.version}"
                + ("" if extended else " (allowed only in an extended, not a strict, ODF document)"),
                where,
                foreign,
            )
            continue
        if tag not in children:
            out.add(
                "odf:unknown-element", f"<{prefixed(tag)}> is not an ODF {grammar.version} element", where
            )
            continue
        if parent is not None:
            allowed = children.get(parent)
            if allowed is not None and tag not in allowed:
                out.add(
                    "odf:misplaced-element",
                    f"<{prefixed(tag)}> is not allowed inside <{prefixed(parent)}> in ODF {grammar.version}",
                    where,
                )
        allowed_attrs = attributes.get(tag, frozenset())
        present = set()
        for name in el.attrib:
            present.add(name)
            if allowed_attrs is None or name in allowed_attrs:
                continue
            auri = name[1:].partition("}")[0] if name.startswith("{") else ""
            if auri and not is_odf_namespace(auri) and auri not in used_uris:
                out.add(
                    "odf:foreign-attribute",
                    f"attribute {prefixed(name)} on <{prefixed(tag)}> is not defined by ODF {grammar.version}"
                    + ("" if extended else " (allowed only in an extended, not a strict, ODF document)"),
                    where,
                    foreign,
                )
            else:
                out.add(
                    "odf:unknown-attribute",
                    f"<{prefixed(tag)}> has no attribute {prefixed(name)} in ODF {grammar.version}",
                    where,
                )
        for name in sorted(grammar.required.get(tag, frozenset()) - present):
            if name == _OFFICE_VERSION and parent is None:
                continue  # reported once per part by _check_root_version, grammar or not
            out.add(
                "odf:missing-attribute",
                f"<{prefixed(tag)}> lacks its required attribute {prefixed(name)}",
                where,
            )
        if (
            tag in _IMAGE_DATA
            and _XLINK_HREF not in present
            and _XLINK_HREF not in grammar.required.get(tag, ())  # else reported above
            and el.find(_BINARY_DATA) is None
        ):
            # The schema's choice between a link and inline data, which the tables cannot express;
            # LibreOffice writes such empty images for some PPTX placeholders.
            out.add(
                "odf:missing-attribute",
                f"<{prefixed(tag)}> has neither an xlink:href nor an <office:binary-data> child",
                where,
            )
        if grammar.open_content(tag):
            continue  # MathML, script code, an XForms model: any markup is allowed inside
        if tag not in grammar.text and _has_text(el):
            out.add("odf:unexpected-text", f"<{prefixed(tag)}> may not contain text", where)
        for child in reversed(el):
            if isinstance(child.tag, str):  # skip comments and processing instructions
                stack.append((child, tag))


@functools.cache
def _attribute_namespaces(version: str) -> frozenset[str]:
    # Dublin Core, XLink, XHTML (RDFa) and the like are used by ODF itself: an undefined name there is an
    # unknown attribute, not an extension.
    grammar = grammar_for(version)
    names = (n for allowed in (grammar.attributes.values() if grammar else ()) if allowed for n in allowed)
    return frozenset(n[1:].partition("}")[0] for n in names)


def _has_text(el: etree._Element) -> bool:
    if el.text and el.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in el)


# --- RelaxNG --------------------------------------------------------------------------------------------

_schema_lock = threading.Lock()


@functools.cache
def _compiled(schema_file: Path) -> etree.RelaxNG:
    # Compiling the ODF schema takes a noticeable moment: once per process, then reused.
    log.debug("Compiling RelaxNG schema %s", schema_file)
    return etree.RelaxNG(etree.parse(str(schema_file), _parser()))


def _schema(schema_dir: Path, version: str, kind: str) -> etree.RelaxNG | None:
    for name in _SCHEMA_FILES.get((version, kind), ()):
        candidate = schema_dir / name
        if candidate.is_file():
            with _schema_lock:
                return _compiled(candidate.resolve())
    return None


def _check_schema(
    part: str, root: etree._Element, version: str, kind: str, schema_dir: Path, out: _Collector
) -> None:
    schema = _schema(schema_dir, version, kind)
    if schema is None:
        note = kind == "signatures"
        out.add(
            "odf:schema-unavailable",
            f"no OASIS RelaxNG {kind} schema for ODF {version or '(no version)'} in the schema folder",
            part,
            FindingKind.NOTE if note else FindingKind.UNSUPPORTED,
        )
        return
    for line, message in _relaxng_errors(schema, root):
        out.add("odf:schema", f"RelaxNG: {message}", _where(part, line))


# libxml2's RelaxNG takes time that grows about with the cube of a run of table rows (measured with
# libxml2 2.14 on the ODF 1.3 schema: 1,000 rows 4 s, 2,000 rows 35 s), while text is linear. So long runs
# of rows, columns or cells are validated a chunk at a time: the schema allows any number of them in a
# run and each one's validity does not depend on its neighbours, so the verdicts combine exactly.
_RUN_KIND = {
    f"{{{TABLE_NS}}}table-row": "row",
    f"{{{TABLE_NS}}}table-column": "column",
    f"{{{TABLE_NS}}}table-cell": "cell",
    f"{{{TABLE_NS}}}covered-table-cell": "cell",
}
_SOFT_BREAK = f"{{{TEXT_NS}}}soft-page-break"
_CHUNK = 100

_Units = list[list[etree._Element]]


def _runs_in(parent: etree._Element) -> list[_Units]:
    """Split a parent's children into runs of one kind (rows, columns or cells), each a list of units.

    A unit is one row (or column, or cell) with the soft page breaks before it, which belong to it.
    """
    runs: list[_Units] = []
    units: _Units = []
    kind = None
    breaks: list[etree._Element] = []
    for child in parent:
        child_kind = _RUN_KIND.get(child.tag) if isinstance(child.tag, str) else None
        if child.tag == _SOFT_BREAK:
            breaks.append(child)
            continue
        if child_kind is None or child_kind != kind:
            if units:
                units[-1].extend(breaks)
                runs.append(units)
                breaks = []
            units, kind = [], child_kind
        if child_kind is not None:
            units.append([*breaks, child])
            breaks = []
        else:
            breaks = []
    if units:
        units[-1].extend(breaks)
        runs.append(units)
    return runs


def _long_runs(root: etree._Element) -> list[tuple[etree._Element, _Units]]:
    """Find each outermost run of more than two chunks of rows, columns or cells, as (parent, units)."""
    found: list[tuple[etree._Element, _Units]] = []
    stack = [root]
    while stack:
        parent = stack.pop()
        taken: set[etree._Element] = set()
        for units in _runs_in(parent):
            if len(units) > 2 * _CHUNK:
                found.append((parent, units))
                taken.update(el for unit in units for el in unit)
        stack.extend(c for c in parent if isinstance(c.tag, str) and c not in taken)
    return found


def _relaxng_errors(schema: etree.RelaxNG, root: etree._Element) -> list[tuple[int | None, str]]:
    """Validate a part, a chunk of each long run at a time; return the distinct (line, message) errors."""
    runs = _long_runs(root)
    if not runs:
        if schema.validate(root.getroottree()):
            return []
        return [(e.line, e.message) for e in schema.error_log]
    # Take every long run out, then put back one chunk of each at a time and validate that.
    placed: list[tuple[etree._Element, int, list[_Units]]] = []
    for parent, units in runs:
        start = parent.index(units[0][0])
        for unit in units:
            for el in unit:
                parent.remove(el)
        chunks = [units[i : i + _CHUNK] for i in range(0, len(units), _CHUNK)]
        placed.append((parent, start, chunks))
    errors: dict[tuple[int | None, str], None] = {}
    try:
        for i in range(max(len(chunks) for _, _, chunks in placed)):
            inserted = []
            for parent, start, chunks in placed:
                # A run with fewer chunks repeats its last one: a table must keep at least one row.
                elements = [el for unit in chunks[min(i, len(chunks) - 1)] for el in unit]
                for offset, el in enumerate(elements):
                    parent.insert(start + offset, el)
                inserted.append((parent, elements))
            if not schema.validate(root.getroottree()):
                errors.update(((e.line, e.message), None) for e in schema.error_log)
            for parent, elements in inserted:
                for el in elements:
                    parent.remove(el)
    finally:
        for parent, start, chunks in placed:
            for offset, el in enumerate(el for chunk in chunks for unit in chunk for el in unit):
                parent.insert(start + offset, el)
    return list(errors)


# --- package --------------------------------------------------------------------------------------------


def _unsafe_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    first = name.split("/", 1)[0]
    if len(first) == 2 and first[1] == ":":  # a Windows drive letter
        return True
    return ".." in PurePosixPath(name).parts


def _local_extra_length(fp, info: zipfile.ZipInfo) -> int:
    # zipfile exposes the central directory's extra field; the spec's rule is about the entry's header,
    # so read the local header's extra-field length too (offset 28, little-endian).
    fp.seek(info.header_offset + 28)
    raw = fp.read(2)
    return int.from_bytes(raw, "little") if len(raw) == 2 else 0


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, out: _Collector) -> bytes | None:
    if info.file_size > MAX_PART_BYTES:
        out.add(
            "odf:part-too-large",
            f"the part unpacks to {info.file_size} bytes, over the {MAX_PART_BYTES}-byte limit; not checked",
            info.filename,
            FindingKind.UNSUPPORTED,
        )
        return None
    try:
        with zf.open(info) as f:
            # The header's size can lie: read at most one byte past the limit.
            data = f.read(MAX_PART_BYTES + 1)
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError) as e:
        out.add("odf:zip-corrupt", f"the entry cannot be read: {e}", info.filename)
        return None
    if len(data) > MAX_PART_BYTES:
        out.add("odf:part-too-large", "the part unpacks past the size limit; not checked", info.filename)
        return None
    return data


@dataclass(slots=True)
class _Manifest:
    entries: dict[str, str] = field(default_factory=dict)  # full-path -> media type
    lines: dict[str, int | None] = field(default_factory=dict)
    encrypted: set[str] = field(default_factory=set)
    version: str | None = None
    root: etree._Element | None = None


def _read_manifest(root: etree._Element, out: _Collector) -> _Manifest:
    m = _Manifest(root=root, version=root.get(_MANIFEST_VERSION))
    if root.tag != f"{{{MANIFEST_NS}}}manifest":
        out.add(
            "odf:manifest-root",
            f"the manifest's root is <{prefixed(root.tag)}>, not <manifest:manifest>",
            _MANIFEST,
        )
        return m
    for entry in root.iter(_FILE_ENTRY):
        path = entry.get(_FULL_PATH)
        where = _where(_MANIFEST, entry.sourceline)
        if path is None:
            continue  # reported by the grammar check as a missing attribute
        if path in m.entries:
            out.add("odf:duplicate-manifest-entry", f"{path!r} is listed twice in the manifest", where)
        if path != "/" and _unsafe_name(path.rstrip("/") or path):
            out.add("odf:unsafe-path", f"manifest entry {path!r} points outside the package", where)
        m.entries[path] = entry.get(_MEDIA_TYPE, "")
        m.lines[path] = entry.sourceline
        if entry.find(_ENCRYPTION_DATA) is not None:
            m.encrypted.add(path)
    return m


def _is_odf_part(name: str, media_type: str) -> bool:
    """True for the parts whose XML ODF itself defines: the four document streams, RDF metadata files,
    the manifest and signatures."""
    base = PurePosixPath(name).name
    return (
        base in _PART_ROOTS
        or media_type == "application/rdf+xml"
        or name.endswith(".rdf")
        or name.startswith("META-INF/")
    )


def _check_package(path: Path, extended: bool, schema_dir: Path | None, out: _Collector) -> str | None:
    """Check a zipped ODF package; return the document's ODF version if one was found."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        out.add("odf:zip-corrupt", f"not a readable zip file: {e}", path.name)
        return None
    with zf:
        infos = zf.infolist()
        names = Counter(i.filename for i in infos)
        for name, n in names.items():
            if n > 1:
                out.add("odf:duplicate-entry", f"the zip holds {n} entries named {name!r}", name)
        safe: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if _unsafe_name(info.filename):
                out.add(
                    "odf:unsafe-path",
                    f"zip entry name {info.filename!r} is absolute or climbs out of the package; not read",
                    info.filename,
                )
                continue
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                out.add(
                    "odf:compression-method",
                    f"compressed with zip method {info.compress_type}; ODF allows only stored or deflated",
                    info.filename,
                )
            safe.setdefault(info.filename, info)

        mimetype = _check_mimetype(zf, infos, safe, out)

        manifest = _Manifest()
        if _MANIFEST not in safe:
            out.add("odf:manifest-missing", "the package has no META-INF/manifest.xml", _MANIFEST)
        else:
            data = _read(zf, safe[_MANIFEST], out)
            root = _parse(_MANIFEST, data, out) if data is not None else None
            if root is not None:
                manifest = _read_manifest(root, out)

        if manifest.root is not None:
            _check_manifest_against_zip(manifest, safe, mimetype, out)
        if manifest.encrypted:
            out.add(
                "odf:encrypted",
                f"{len(manifest.encrypted)} part(s) are encrypted; their content cannot be checked",
                _MANIFEST,
                FindingKind.UNSUPPORTED,
            )

        # Parse every XML part (encrypted ones are ciphertext).
        parts: dict[str, _Part] = {}
        for name, info in safe.items():
            if name.endswith("/") or name == _MANIFEST or name in manifest.encrypted:
                continue
            media = manifest.entries.get(name, "")
            if not (name.endswith((".xml", ".rdf")) or media.endswith("xml")):
                continue
            odf_part = _is_odf_part(name, media)
            if not info.file_size and not odf_part:
                continue  # LibreOffice writes an empty Configurations2/accelerator/current.xml
            data = _read(zf, info, out)
            if data is None:
                continue
            root = _parse(name, data, out, standard=odf_part)
            if root is not None:
                parts[name] = _Part(name, root)

    standard = {n: p for n, p in parts.items() if PurePosixPath(n).name in _PART_ROOTS}
    if not any(PurePosixPath(n).name in ("content.xml", "styles.xml") and "/" not in n for n in safe):
        out.add("odf:missing-part", "the package has neither content.xml nor styles.xml", path.name)

    version = _document_version(standard, out)
    grammar = _grammar(version, path.name, out)
    if grammar is not None and mimetype == f"{ODF_MEDIA_TYPE_PREFIX}base":
        # Database front-ends (.odb) use the db: vocabulary, which odfpy's tables do not cover.
        out.add(
            "odf:grammar-unavailable",
            "database documents are checked for package and XML rules only",
            path.name,
            FindingKind.UNSUPPORTED,
        )
        grammar = None
    for name, part in standard.items():
        expected = _PART_ROOTS[PurePosixPath(name).name]
        if part.root.tag == _MATH_ROOT and PurePosixPath(name).name == "content.xml" and "/" in name:
            # ODF embeds formulas as MathML, and a formula object's content.xml holds a <math:math> root
            # (LibreOffice's practice): neither ODF's grammar nor its schema applies there.
            out.add(
                "odf:mathml-not-checked",
                "a MathML formula object; its MathML was not validated",
                name,
                FindingKind.NOTE,
            )
            continue
        if part.root.tag != expected:
            out.add(
                "odf:wrong-root",
                f"the root element is <{prefixed(part.root.tag)}>, expected <{prefixed(expected)}>",
                _where(name, part.root.sourceline),
            )
            continue
        _check_root_version(name, part.root, out)
        if grammar is not None:
            _check_grammar(name, part.root, grammar, extended, out)
        if schema_dir is not None:
            _check_schema(name, part.root, version or "", "document", schema_dir, out)
    if manifest.root is not None:
        if version and version >= "1.2" and manifest.version not in (None, version):
            out.add(
                "odf:version-mismatch",
                f"manifest:version is {manifest.version!r} but the document is ODF {version}",
                _where(_MANIFEST, manifest.root.sourceline),
            )
        if grammar is not None:
            _check_grammar(_MANIFEST, manifest.root, grammar, extended, out)
        if schema_dir is not None:
            _check_schema(_MANIFEST, manifest.root, version or "", "manifest", schema_dir, out)
    if schema_dir is not None:
        for name, part in parts.items():
            if name.startswith("META-INF/") and "signatures" in name:
                _check_schema(name, part.root, version or "", "signatures", schema_dir, out)
    return version


def _check_mimetype(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], safe: dict[str, zipfile.ZipInfo], out: _Collector
) -> str | None:
    info = safe.get("mimetype")
    if info is None:
        out.add("odf:mimetype-missing", "the package has no mimetype entry", "mimetype")
        return None
    first = min(infos, key=lambda i: i.header_offset)
    if first is not info or infos[0] is not info:
        out.add(
            "odf:mimetype-not-first",
            f"mimetype must be the first zip entry, but {first.filename!r} comes first",
            "mimetype",
        )
    if info.compress_type != zipfile.ZIP_STORED:
        out.add("odf:mimetype-compressed", "the mimetype entry is compressed; it must be stored", "mimetype")
    if info.extra or (zf.fp is not None and _local_extra_length(zf.fp, info)):
        out.add(
            "odf:mimetype-extra-field",
            "the mimetype entry has a zip extra field; it must have none",
            "mimetype",
        )
    data = _read(zf, info, out)
    if data is None:
        return None
    try:
        mimetype = data.decode("ascii")
    except UnicodeDecodeError:
        out.add("odf:mimetype-invalid", "the mimetype entry is not ASCII text", "mimetype")
        return None
    if not mimetype.startswith(ODF_MEDIA_TYPE_PREFIX):
        out.add("odf:mimetype-invalid", f"{mimetype!r} is not an ODF media type", "mimetype")
    return mimetype


def _check_manifest_against_zip(
    manifest: _Manifest, safe: dict[str, zipfile.ZipInfo], mimetype: str | None, out: _Collector
) -> None:
    root_type = manifest.entries.get("/")
    if root_type is None:
        out.add(
            "odf:missing-root-entry", "the manifest has no entry for the document itself ('/')", _MANIFEST
        )
    elif mimetype is not None and root_type != mimetype:
        out.add(
            "odf:mimetype-mismatch",
            f"mimetype says {mimetype!r} but the manifest's root entry says {root_type!r}",
            _where(_MANIFEST, manifest.lines.get("/")),
        )
    for name in safe:
        if name.endswith("/") or name in ("mimetype", _MANIFEST):
            continue
        if name.startswith("META-INF/") and "signatures" in PurePosixPath(name).name:
            continue  # signature files are the one thing ODF keeps out of the manifest
        if name not in manifest.entries:
            out.add("odf:undeclared-part", f"{name!r} is in the package but not in the manifest", name)
    for entry, line in manifest.lines.items():
        if entry == "/" or entry.endswith("/"):
            continue  # the document itself and sub-document directories have no zip entry of their own
        if entry not in safe and not _unsafe_name(entry):
            out.add(
                "odf:missing-part",
                f"the manifest lists {entry!r} but the package lacks it",
                _where(_MANIFEST, line),
            )


def _document_version(parts: dict[str, _Part], out: _Collector) -> str | None:
    versions = {}
    for name in sorted(parts, key=lambda n: (n.count("/"), n != "content.xml")):
        v = parts[name].root.get(_OFFICE_VERSION)
        if v is not None:
            versions[name] = v
    root_level = {n: v for n, v in versions.items() if "/" not in n}
    distinct = set(root_level.values())
    if len(distinct) > 1:
        out.add(
            "odf:version-mismatch",
            "the parts disagree on office:version: "
            + ", ".join(f"{n} {v}" for n, v in sorted(root_level.items())),
        )
    return next(iter(root_level.values()), None) if root_level else next(iter(versions.values()), None)


def _check_root_version(part: str, root: etree._Element, out: _Collector) -> None:
    # Required on every root since ODF 1.2; a document without it cannot say which grammar applies.
    if root.get(_OFFICE_VERSION) is None:
        out.add(
            "odf:missing-version",
            f"the root <{prefixed(root.tag)}> has no office:version",
            _where(part, root.sourceline),
        )


def _grammar(version: str | None, where: str, out: _Collector) -> Grammar | None:
    if not version:
        return None  # reported as odf:missing-version, the one thing a grammar check could say here
    grammar = grammar_for(version)
    if grammar is None and version in ("1.0", "1.1"):
        out.add(
            "odf:version-unsupported",
            f"ODF {version} predates the grammars qujat checks (1.2, 1.3); only the package and XML were "
            "checked",
            where,
            FindingKind.UNSUPPORTED,
        )
    elif grammar is None:
        out.add(
            "odf:version-unsupported",
            f"ODF {version} is newer than the grammars qujat knows (1.2, 1.3); elements were not checked",
            where,
            FindingKind.UNSUPPORTED,
        )
    return grammar


# --- flat ODF -------------------------------------------------------------------------------------------


def _check_flat(path: Path, data: bytes, extended: bool, schema_dir: Path | None, out: _Collector) -> None:
    name = path.name
    root = _parse(name, data, out)
    if root is None:
        return
    if root.tag != _FLAT_ROOT:
        out.add("odf:wrong-root", f"the root element is <{prefixed(root.tag)}>, not <office:document>", name)
        return
    _check_root_version(name, root, out)
    version = root.get(_OFFICE_VERSION)
    mimetype = root.get(f"{{{OFFICE_NS}}}mimetype", "")
    if mimetype and not mimetype.startswith(ODF_MEDIA_TYPE_PREFIX):
        out.add("odf:mimetype-invalid", f"office:mimetype {mimetype!r} is not an ODF media type", name)
    grammar = _grammar(version, name, out)
    if grammar is not None:
        _check_grammar(name, root, grammar, extended, out)
    if schema_dir is not None:
        _check_schema(name, root, version or "", "document", schema_dir, out)


# --- entry point ----------------------------------------------------------------------------------------


def validate_odf(
    path: str | Path, *, schema_dir: str | Path | None = None, extended: bool = False
) -> ValidationReport:
    """Check an ODF package (``.odt``, ``.ods``, ``.odp``, ...) or flat ODF file (``.fodt``, ...).

    Every check runs and every finding is collected; the file passes only if none fails it.

    Args:
        path: The file to check. Its kind is taken from its bytes: a zip is a package, XML is flat ODF.
        schema_dir: A folder with the OASIS RelaxNG schemas (``OpenDocument-v1.3-schema.rng``,
            ``OpenDocument-v1.3-manifest-schema.rng`` and the 1.2 ones). When given, every part is also
            validated against the schema of the document's ``office:version``.
        extended: Accept *extended* ODF: markup from foreign namespaces (``loext:`` and the like) becomes
            a note instead of a violation. Strict, the default, is what qujat writes.

    Returns:
        The verdict (kind ``"odf"``), listing every finding.

    Raises:
        FileNotFoundError: If ``schema_dir`` is given but is not a folder.
        lxml.etree.RelaxNGParseError: If a schema in ``schema_dir`` cannot be compiled.
    """
    path = Path(path)
    schemas = None
    if schema_dir is not None:
        schemas = Path(schema_dir)
        if not schemas.is_dir():
            raise FileNotFoundError(f"ODF schema folder not found: {schemas}")
    out = _Collector()
    try:
        with path.open("rb") as f:
            head = f.read(4)
    except OSError as e:
        out.add("file:unreadable", f"cannot read the file: {e.strerror or e}", str(path))
        return ValidationReport.from_findings(path, "odf", out.close())
    if head.startswith(b"PK\x03\x04") or zipfile.is_zipfile(path):
        _check_package(path, extended, schemas, out)
    else:
        try:
            data = path.read_bytes() if path.stat().st_size <= MAX_PART_BYTES else None
        except OSError as e:
            out.add("file:unreadable", f"cannot read the file: {e.strerror or e}", str(path))
            return ValidationReport.from_findings(path, "odf", out.close())
        if data is None:
            out.add(
                "odf:part-too-large",
                "the flat ODF file is over the size limit",
                path.name,
                FindingKind.UNSUPPORTED,
            )
        else:
            _check_flat(path, data, extended, schemas, out)
    report = ValidationReport.from_findings(path, "odf", out.close())
    log.info("ODF %s: %s (%d findings)", "passed" if report.passed else "failed", path, len(report.findings))
    return report
