"""PDF/A verdicts: `validate_pdfa` checks a written file against one ISO 19005 flavour (1b, 2b, 2u, 3b).

One verdict is made from:

- `pikepdf.pdfa`, an allowlist validator for 1b, 2b and 3b: it approves only what it recognises, but it
  reads the file through qpdf, which repairs byte-level syntax before anyone sees it;
- `_syntax`, a scanner of the raw bytes for the file-structure rules of clause 6.1 (header,
  cross-reference tables, trailers, stream and object syntax) that a parser cannot see;
- `_xmp`, which reads XMP properties as ISO 19005 does (the predefined schemas of `_xmp_schemas` and
  PDF/A extension schemas), in the catalog's packet and in every other metadata stream;
- `_transparency`, the one rule (ISO 19005-2/3 6.2.10-2) that pikepdf stands in for by refusing any
  file without an OutputIntent;
- `_fonts`, for 2u: the Unicode mapping of every font used for text (ISO 19005-2 6.2.11.7.2);
- `_shading`, `_colourants`, `_forms` and `_normalise`, for what pikepdf refuses unchecked although PDF/A
  allows it: shadings, Separation and DeviceN colour spaces, interactive forms and their widgets, keys
  ISO 32000-1 does not define, opacities a millionth away from 1.0, fonts set by graphics states;
- `_type3`, for Type 3 fonts, which pikepdf refuses: their dictionaries and glyph rules, and their glyph
  procedures handed to pikepdf as Form XObjects;
- `_embedded`, for PDF/A-2: each embedded file is checked by this validator in turn (6.8);
- `_fontprograms` and `_cmaps`, for fonts pikepdf refuses: compact programs with their own FontMatrix,
  multiple master instances, CIDSets of TrueType CIDFonts, vertical writing, CMaps using predefined ones;
- `_version`, `_signatures`, `_actions`, `_output_intents` and `_optional_content`, for what pikepdf
  refuses in the catalog and the trailer: a PDF/A-1 file that says it is PDF 1.5 or later (checked in
  full as PDF 1.4), permissions and signatures, the open action and actions with keys pikepdf does not
  know, PDF/X and PDF/E output intents, optional content, and private trailer keys;
- `_graphics` (with `_overprint`, `_halftones`, `_jpx` and `_images`), for graphics pikepdf refuses:
  overprint mode 1 (a fault only with ICCBased CMYK colour), halftones, JPEG 2000 images (their box
  structure), image metadata streams and PDF/A-3 file specification thumbnails;
- `_annots`, for the annotation types PDF/A permits and pikepdf refuses (FreeText, Redact, Watermark,
  PrinterMark, TrapNet, and in PDF/A-2 and PDF/A-3 FileAttachment), checked as markup annotations;
- `_associated`, for PDF/A-3 associated files listed by an /AF array other than the catalog's (a
  page's, an annotation's, an XObject's), which pikepdf refuses: their file specifications are checked
  from the catalog's /AF, which associates nothing that was not associated before;
- `_unused`, for resources no content stream uses: veraPDF reaches resources through the operators
  that use them, so the content of an unused Form XObject is not checked (file-structure rules still
  apply to it);
- `_charset`, for the /CharSet of a PDF/A-1 Type 1 subset, which veraPDF checks against the glyphs
  the text uses.

`_thread_warnings` makes pikepdf's parse checks record only their own thread's warnings (a warning
from another thread is no parse problem of this file). `_accel` makes pikepdf.pdfa faster without
changing its answers (role-schema results remembered per
encoding, parsed font programs per thread, Type 1 decryption in one loop, Type 1 glyph entries read a
run at a time). `prepare` readies a process for a long run of checks (`_prepare`).

pikepdf's findings stand, except those a check of ours settles in full: its XMP property, value type
and conformance findings when `_xmp` could read the packet, its refusal of metadata streams outside
the catalog, of UTF-16/32 packets in PDF/A-1 and of a missing OutputIntent, and its refusals of the
things above. pikepdf checks nothing below an object whose schema failed, so a refusal of an object's
schema is settled only through a second pikepdf check, of a copy of the document edited so that the
refusal no longer arises (`_recheck`): whatever pikepdf finds there, below that object, stands.

2u is checked as 2b, plus `_fonts` and a conformance claim of U (or A, which includes U).
"""

from __future__ import annotations

import io
import logging
import re
from enum import StrEnum
from pathlib import Path

import pikepdf
import pikepdf.pdfa

from validators._report import Finding, FindingKind, ValidationReport
from validators.pdfa import (
    _accel,
    _actions,
    _annots,
    _associated,
    _charset,
    _cmaps,
    _colourants,
    _embedded,
    _fontprograms,
    _fonts,
    _forms,
    _graphics,
    _normalise,
    _optional_content,
    _output_intents,
    _patterns,
    _prepare,
    _shading,
    _signatures,
    _syntax,
    _thread_warnings,
    _transparency,
    _type3,
    _unused,
    _version,
    _xmp,
)
from validators.pdfa._problem import object_at

log = logging.getLogger(__name__)

_accel.install()
_thread_warnings.install()

__all__ = ["Flavour", "claimed_flavour", "prepare", "validate_pdfa"]


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

    @property
    def spec(self) -> str:
        """Prefix of rule ids for this flavour's part: ``ISO_19005_2``."""
        return f"ISO_19005_{self.part}"


# The pdfaid:conformance values each flavour accepts: a level A file also meets levels B and U
# (ISO 19005-1 6.7.11, ISO 19005-2 6.6.4 as veraPDF tests them)
_CONFORMANCES = {
    Flavour.PDFA_1B: frozenset({"A", "B"}),
    Flavour.PDFA_2B: frozenset({"A", "B", "U"}),
    Flavour.PDFA_2U: frozenset({"A", "U"}),
    Flavour.PDFA_3B: frozenset({"A", "B", "U"}),
}

# pikepdf.pdfa's rules that `_xmp` checks in full: on a packet `_xmp` could read, its verdict on these
# replaces pikepdf's (which rejects every property outside a short allowlist)
_XMP_RULES = {
    1: frozenset({"6.7.9-2", "6.7.9-3", "6.7.11-3"}),
    2: frozenset({"6.6.2.3.1-1", "6.6.2.3.1-2", "6.6.4-3"}),
    3: frozenset({"6.6.2.3.1-1", "6.6.2.3.1-2", "6.6.4-3"}),
}


def _flavour(flavour: str | Flavour) -> Flavour:
    try:
        return Flavour(str(flavour).lower())
    except ValueError:
        raise ValueError(f"PDF/A-{flavour} is not supported; choose 1b, 2b, 2u or 3b") from None


def claimed_flavour(path: str | Path) -> str | None:
    """Return the flavour a PDF claims in its XMP metadata.

    Args:
        path: The PDF file.

    Returns:
        The claim as written, lower-cased (``"2b"``, ``"1a"``), or None if the file claims none or
        cannot be read. A claim is not a verdict: check it with `validate_pdfa`.
    """
    try:
        with pikepdf.open(path) as pdf:
            raw = _metadata_bytes(pdf)
    except (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError) as e:
        log.debug("No PDF/A claim readable in %s: %s", path, e)
        return None
    if raw is None:
        return None
    part, conformance = _xmp.read_identification(raw)
    if not part or not conformance:
        return None
    return f"{part}{conformance.lower()}"


def _metadata_bytes(pdf: pikepdf.Pdf) -> bytes | None:
    metadata = pdf.Root.get("/Metadata")
    if not isinstance(metadata, pikepdf.Stream):
        return None
    try:
        return metadata.read_bytes()
    except pikepdf.PdfError as e:
        log.debug("Cannot read the XMP metadata stream: %s", e)
        return None


def _utf8_packet(pdf: pikepdf.Pdf, raw: bytes, pike_findings: list[pikepdf.pdfa.Finding]) -> bytes:
    """For PDF/A-1, read an XMP packet written in UTF-16 or UTF-32, which ISO 19005-1 allows.

    pikepdf.pdfa reads only UTF-8 and stops its metadata checks at any other encoding. If the packet
    is cleanly UTF-16 or UTF-32, run pikepdf's metadata checks again on the packet re-encoded as
    UTF-8 and put their findings in place of its encoding finding (*pike_findings* is edited). Return
    the packet to check further: the UTF-8 one, or *raw* unchanged.
    """
    encoding_finding = [
        f for f in pike_findings if f.rule == "ISO_19005_1:6.7.9-1" and "not valid UTF-8" in f.message
    ]
    if not encoding_finding:
        return raw
    utf8 = _xmp.reencode_packet(raw)
    if utf8 is None:
        return raw
    try:
        pdf.Root.Metadata.write(utf8)
        recheck = pikepdf.pdfa.check(pdf, "1b")
    except (pikepdf.PdfError, ValueError) as e:
        log.debug("Cannot recheck the re-encoded XMP packet: %s", e)
        return raw
    for f in encoding_finding:
        pike_findings.remove(f)
    known = {(f.rule, f.message) for f in pike_findings}
    # Only the metadata rules: everything else was checked on the file as written
    pike_findings.extend(
        f
        for f in recheck.findings
        if (f.rule.startswith("ISO_19005_1:6.7.") or f.rule.startswith("pikepdf:xmp"))
        and (f.rule, f.message) not in known
    )
    log.debug("XMP packet read as UTF-16/32 and checked again as UTF-8")
    return utf8


_OBJECT_METADATA_WHERE = re.compile(r"^obj (\d+) (\d+) \(ObjectMetadata\)$")


def _object_metadata(
    pdf: pikepdf.Pdf, fl: Flavour, main: _xmp.XmpVerdict, pike_findings: list[pikepdf.pdfa.Finding]
) -> tuple[list[pikepdf.pdfa.Finding], list[_xmp.XmpProblem]]:
    """Check the metadata streams of pages, images and other objects, which pikepdf leaves unchecked.

    Returns pikepdf's findings without the "not checked" ones this settles, and the problems found in
    those streams (each stream is a leaf for pikepdf: nothing else went unchecked behind it).
    """
    kept: list[pikepdf.pdfa.Finding] = []
    problems: list[_xmp.XmpProblem] = []
    for f in pike_findings:
        m = _OBJECT_METADATA_WHERE.match(f.where) if f.rule == "pikepdf:schema-ObjectMetadata" else None
        stream = None
        if m is not None:
            try:
                stream = pdf.get_object(int(m.group(1)), int(m.group(2)))
            except (pikepdf.PdfError, ValueError):
                stream = None
        if not isinstance(stream, pikepdf.Stream):
            kept.append(f)
            continue
        try:
            raw = stream.read_bytes()
        except pikepdf.PdfError as e:
            log.debug("Cannot read metadata stream %s: %s", f.where, e)
            kept.append(f)
            continue
        problems.extend(_xmp.check_object_xmp(raw, fl.part, main, f.where))
    return kept, problems


def _no_output_intent(f: pikepdf.pdfa.Finding) -> bool:
    """True for pikepdf's stand-in for ISO 19005-2/3 6.2.10-2 on a file without an OutputIntent.

    pikepdf reports the absence itself as unchecked, to cover the rule that pages with transparency
    then name a blending colour space; `_transparency` checks that rule. ISO 19005-1 has no such rule
    (it forbids transparency outright, which pikepdf checks), and device colour without an
    OutputIntent is a violation in pikepdf's colour checks in every part.
    """
    if f.rule == "pikepdf:output-intent" and f.message.startswith("no OutputIntents;"):
        return True
    # An empty /OutputIntents array is no OutputIntent, not a broken one
    return f.rule == "pikepdf:schema-OutputIntents" and f.message == "[] should be non-empty"


def _about_only(f: pikepdf.pdfa.Finding) -> bool:
    """True for pikepdf's note that a Description's rdf:about differs from the others'.

    veraPDF reads every top-level Description whatever its rdf:about (its corpus has a conforming
    file whose Descriptions differ). pikepdf leaves such a Description's properties out of its
    reading and says so; `_xmp` reads and checks them all, and pikepdf's other metadata checks only
    get stricter without them (identification and document information must still be found). A
    Description with no rdf:about at all is not settled.
    """
    return (
        f.kind == "unsupported"
        and f.rule.endswith((":6.7.9-1", ":6.6.2.1-4"))
        and (
            f.message.startswith("rdf:Description with ")
            or f.message.endswith("is in a Description that is dropped")
        )
    )


def _shading_finding(f: pikepdf.pdfa.Finding) -> bool:
    """True for pikepdf's refusal of an ``sh`` operator or of a resource dictionary with /Shading."""
    if f.rule == _shading.SH_RULE:
        return True
    return f.rule == _shading.RESOURCES_RULE and f.message == _shading.RESOURCES_MESSAGE


def _alpha_finding(f: pikepdf.pdfa.Finding) -> bool:
    """True for a pikepdf finding on an opacity value (/CA or /ca) of a graphics state object."""
    return f.where.startswith("obj ") and f.where.endswith(("(ExtGState) /CA", "(ExtGState) /ca"))


_ANNOT_WHERE = re.compile(r"^obj (\d+) (\d+) \(Annot\) /Subtype$")


def _gs_font_finding(f: pikepdf.pdfa.Finding) -> bool:
    """True for pikepdf's refusal of a graphics state that sets a font."""
    return f.rule == "pikepdf:schema-ExtGState" and f.message == _normalise.GS_FONT_MESSAGE


def _form_finding(f: pikepdf.pdfa.Finding) -> bool:
    """True for pikepdf's refusal of a catalog with an interactive form."""
    return f.rule == _forms.RULE and f.message == _forms.MESSAGE


def _type3_finding(f: pikepdf.pdfa.Finding) -> bool:
    """True for pikepdf's refusal of a Type 3 font."""
    return _type3.is_type3_finding(f.rule, f.message)


def _colourant_finding(f: pikepdf.pdfa.Finding) -> bool:
    """True for pikepdf's refusal of a Separation or DeviceN colour space."""
    return f.rule == _colourants.RULE and f.message in _colourants.MESSAGES


def _document_finding(f: pikepdf.pdfa.Finding) -> bool:
    """True for pikepdf's refusals in the catalog and the trailer that a second check may settle."""
    return (
        _signatures.perms_finding(f.rule, f.message)
        or _actions.open_action_finding(f.rule, f.message)
        or f.rule == _actions.ACTION_RULE
        or _output_intents.other_intent_finding(f.rule, f.message)
        or _optional_content.properties_finding(f.rule, f.message)
        or _version.catalog_version_finding(f)
        or _normalise.trailer_private_keys(f.rule, f.where, f.message) is not None
    )


def _neutral_document_edit(pdf: pikepdf.Pdf, fl: Flavour, f: pikepdf.pdfa.Finding) -> bool:
    """Edit the copy *pdf* so that *f* (a PDF/A-1 catalog /Version, a private trailer key) cannot arise."""
    if fl.part == 1 and _version.catalog_version_finding(f):
        return _version.catalog_as_pdf14(pdf)
    keys = _normalise.trailer_private_keys(f.rule, f.where, f.message)
    return keys is not None and _normalise.remove_trailer_keys(pdf, keys)


def _settle_document(
    pdf: pikepdf.Pdf,
    fl: Flavour,
    pike_findings: list[pikepdf.pdfa.Finding],
    signatures: _signatures.SignatureChecker,
) -> tuple[set[tuple[str, str, str]], list[_Problem]]:
    """Check what pikepdf refused in the catalog and the trailer, and edit the copy *pdf* to match.

    Returns:
        The findings to settle if the second check does not make them again, and the problems found.
    """
    candidates: set[tuple[str, str, str]] = set()
    problems: list[_Problem] = []
    intents: list[_output_intents.IntentProblem] | None = None
    intents_settled = False
    for f in pike_findings:
        key = (f.rule, f.where, f.message)
        if _signatures.perms_finding(f.rule, f.message):
            problems.extend((p.clause, p.where, p.message, p.unsupported) for p in signatures.permissions())
            del pdf.Root["/Perms"]
            candidates.add(key)
        elif _actions.open_action_finding(f.rule, f.message):
            found = _actions.check_open_action(pdf, fl.part)
            problems.extend((p.clause, p.where, p.message, p.unsupported) for p in found)
            del pdf.Root["/OpenAction"]
            candidates.add(key)
        elif _actions.settle_refused_action(pdf, f.rule, f.where, f.message):
            candidates.add(key)
        elif _output_intents.other_intent_finding(f.rule, f.message):
            if intents is None:
                # Checked once, for all of them; the copy is left as it is without a GTS_PDFA1 intent
                intents = _output_intents.check_other_intents(pdf, fl.part) or []
                problems.extend((p.clause, p.where, p.message, p.unsupported) for p in intents)
                intents_settled = _output_intents.only_pdfa_intents(pdf)
            if intents_settled:
                candidates.add(key)
        elif fl.part > 1 and _optional_content.properties_finding(f.rule, f.message):
            found_oc = _optional_content.check_properties(pdf, fl.part)
            problems.extend((p.clause, p.where, p.message, p.unsupported) for p in found_oc)
            del pdf.Root["/OCProperties"]
            _optional_content.remove_oc_entries(pdf)
            _optional_content.unmark_optional_content(pdf)
            candidates.add(key)
        elif _neutral_document_edit(pdf, fl, f):
            candidates.add(key)
    return candidates, problems


# A problem our checks found: clause (or rule id), where, message, and whether it is "unsupported"
_Problem = tuple[str, str, str, bool]


# Further checks of the copy for the graphics refusals that a check of it brings to light
_GRAPHICS_ROUNDS = 2


def _recheck(
    data: bytes,
    fl: Flavour,
    output_intent: str | None,
    pike_findings: list[pikepdf.pdfa.Finding],
    unused: frozenset[tuple[int, int]] = frozenset(),
    depth: int = 0,
    permitted: frozenset[str] = frozenset(),
) -> tuple[list[pikepdf.pdfa.Finding], list[_Problem]]:
    """Check what pikepdf declined to check, and have pikepdf check what it skipped because of it.

    pikepdf checks nothing below an object whose schema failed. For the refusals our checks answer,
    a copy of the document is edited so that they no longer arise (`_shading`: /Shading taken out of
    resource dictionaries, the shadings' colour spaces put among the colour space resources;
    `_normalise`: private keys and PDF/A-1 page /Tabs removed, graphics state opacities within a millionth
    of 1.0 written as 1, indirect document information strings written in place, fonts set by graphics
    states set by Tf; `_colourants`: each Separation and DeviceN space replaced by its alternate space;
    `_forms`: the interactive form taken out of the catalog, widgets handed over; `_patterns`: pattern
    colour taken out of content streams, tiling patterns drawn as Form XObjects; `_fontprograms`: compact
    font programs rewritten in the default FontMatrix, multiple master instances made Type 1, CIDSets of
    TrueType CIDFonts removed; `_cmaps`: vertical fonts written horizontal, a CMap's reference to a
    predefined CMap dropped; `_settle_document`: /Perms, /OpenAction, /OCProperties (with /OC entries
    and BDC /OC), other than GTS_PDFA1 output intents, private trailer keys and a PDF/A-1 catalog
    /Version taken out or set to 1.4, refused keys of actions taken out; `_type3`: Type 3 text taken out
    of content streams, Type 3 glyphs listed as Form XObjects; `_associated`: PDF/A-3 /AF arrays of
    pages, annotations and XObjects moved to the catalog's) and pikepdf checks the copy;
    its new findings join the others. A refusal is settled only if that second check ran and did not
    make the same finding.

    Returns:
        pikepdf's findings (the settled ones removed, those of the second check added) and the
        problems our checks found.
    """
    base = "2b" if fl is Flavour.PDFA_2U else fl.value
    sh_wheres = [f.where for f in pike_findings if f.rule == _shading.SH_RULE]
    # pikepdf findings settled if the second check does not make them again
    candidates: set[tuple[str, str, str]] = set()
    problems: list[_Problem] = []
    settled_sh: set[str] = set()
    substituted = False
    handed_annots: dict[str, str] = {}
    referred: dict[str, str] = {}
    try:
        # As pikepdf.pdfa opens a written file: inherited page attributes stay where they are
        with pikepdf.open(io.BytesIO(data), inherit_page_attributes=False) as pdf:
            # The parts whose /AF associates, as the document is before any edit below
            counted = _associated.holders(pdf) if fl.part == 3 else set()
            for where in permitted:
                if _actions.hand_over_permitted(pdf, where, fl.part):
                    # The action's own findings are pikepdf's schema refusals of keys it does not know
                    action = where.removesuffix(" /S")
                    candidates.update(
                        (f.rule, f.where, f.message)
                        for f in pike_findings
                        if f.where == action or f.where.startswith(action + " ")
                    )
            if unused:
                # First, before other edits add resources of their own
                _unused.prune(_unused.find_unused(pdf))
                candidates.update(
                    (f.rule, f.where, f.message) for f in pike_findings if _in_unused(f, unused)
                )
            if any(_shading_finding(f) for f in pike_findings):
                verdict, injections = _shading.check_shadings(pdf, fl.part, output_intent, sh_wheres)
                _shading.without_shading_resources(pdf, injections)
                problems.extend((p.clause, p.where, p.message, p.unsupported) for p in verdict.problems)
                settled_sh = verdict.settled
                candidates.update(
                    (f.rule, f.where, f.message)
                    for f in pike_findings
                    if f.rule == _shading.RESOURCES_RULE and f.message == _shading.RESOURCES_MESSAGE
                )
            for f in pike_findings:
                private = _normalise.private_keys(f.rule, f.where, f.message)
                if private is None and fl.part == 1:
                    private = _normalise.later_key(f.rule, f.where, f.message)
                if private is not None and _normalise.remove_keys(pdf, *private):
                    candidates.add((f.rule, f.where, f.message))
                info_key = _normalise.indirect_info_key(f.rule, f.where, f.message)
                if info_key is not None and _normalise.inline_info_string(pdf, info_key):
                    candidates.add((f.rule, f.where, f.message))
            if any(_gs_font_finding(f) for f in pike_findings) and _normalise.fonts_from_graphics_states(pdf):
                candidates.update(
                    (f.rule, f.where, f.message)
                    for f in pike_findings
                    if _gs_font_finding(f) or f.rule == "pikepdf:text-no-font"
                )
            if any(_alpha_finding(f) for f in pike_findings):
                rounded = _normalise.round_alpha(pdf)
                candidates.update(
                    (f.rule, f.where, f.message)
                    for f in pike_findings
                    if _alpha_finding(f) and any(f.where.startswith(f"obj {n} {g} ") for n, g in rounded)
                )
            if any(_colourant_finding(f) for f in pike_findings):
                found = _colourants.find_spaces(pdf)
                checked = _colourants.check_colourants(found, fl.part, output_intent)
                problems.extend((p.clause, p.where, p.message, p.unsupported) for p in checked)
                if not _colourants.inject_colorant_alternates(pdf, found):
                    problems.append(
                        (_colourants.RULE, "document", "Colorants alternates with no place to check", True)
                    )
                substituted = _colourants.substitute_alternates(found) > 0
                candidates.update(
                    (f.rule, f.where, f.message) for f in pike_findings if _colourant_finding(f)
                )
            if any(_patterns.is_pattern_finding(f.rule, f.message) for f in pike_findings):
                wheres = [
                    w for f in pike_findings if (w := _patterns.stream_where(f.rule, f.where, f.message))
                ]
                patterns, pattern_spaces = _patterns.hand_over_patterns(pdf, fl.part, output_intent, wheres)
                _shading.inject_colour_spaces(pattern_spaces)
                problems.extend((p.clause, p.where, p.message, p.unsupported) for p in patterns.problems)
                candidates.update(
                    (f.rule, f.where, f.message)
                    for f in pike_findings
                    if _patterns.stream_where(f.rule, f.where, f.message) in patterns.streams
                    or (f.rule == _shading.RESOURCES_RULE and f.message == _patterns.RESOURCES_MESSAGE)
                )
            # Embedded files pikepdf refused as not reached by its walk, that an edit below lets it reach
            embedded_reached: set[tuple[int, int]] = set()
            if fl.part == 3:
                refusing = {
                    f: objgen
                    for f in pike_findings
                    if (objgen := _associated.refused_object(f.rule, f.where, f.message)) is not None
                }
                associated, moved_specs = _associated.to_catalog(pdf, set(refusing.values()), counted)
                candidates.update(
                    (f.rule, f.where, f.message) for f, objgen in refusing.items() if objgen in associated
                )
                embedded_reached |= _associated.reached(moved_specs)
            if any(_annots.is_annot_finding(f.rule, f.message) for f in pike_findings):
                handed_annots, annot_problems, attached = _annots.hand_over(
                    pdf,
                    [f.where for f in pike_findings if _annots.is_annot_finding(f.rule, f.message)],
                    fl.part,
                    lambda embedded, where: _embedded_verdict(embedded, where, depth),
                )
                problems.extend((p.clause, p.where, p.message, p.unsupported) for p in annot_problems)
                candidates.update(
                    (f.rule, f.where, f.message)
                    for f in pike_findings
                    if _annots.is_annot_finding(f.rule, f.message) and f.where in handed_annots
                )
                embedded_reached |= _associated.reached(attached)
            if embedded_reached:
                # File specifications pikepdf now meets as such: its refusals of them and of the files
                # they embed, as not reached by its walk, are settled if the second check does not
                # repeat them
                candidates.update(
                    (f.rule, f.where, f.message)
                    for f in pike_findings
                    if f.rule == _embedded.FILE_RULE and object_at(f.where) in embedded_reached
                )
            signatures = _signatures.SignatureChecker(pdf, fl.part, data)
            if any(_document_finding(f) for f in pike_findings):
                settled, document_problems = _settle_document(pdf, fl, pike_findings, signatures)
                candidates.update(settled)
                problems.extend(document_problems)
            if any(_form_finding(f) for f in pike_findings):
                form_problems = _forms.check_form(pdf, fl.part, signatures.field)
                problems.extend((p.clause, p.where, p.message, p.unsupported) for p in form_problems)
                del pdf.Root["/AcroForm"]
                widget_problems, widgets = _forms.hand_over_widgets(pdf, fl.part, output_intent)
                problems.extend((p.clause, p.where, p.message, p.unsupported) for p in widget_problems)
                candidates.update(
                    (f.rule, f.where, f.message)
                    for f in pike_findings
                    if f.rule == _forms.ANNOT_RULE
                    and f.message == _forms.ANNOT_MESSAGE
                    and (m := _ANNOT_WHERE.match(f.where)) is not None
                    and (int(m.group(1)), int(m.group(2))) in widgets
                )
                # pikepdf walked nothing below the catalog: the embedded files it then refused as
                # not reached by its walk are settled if the walk of the copy reaches them
                candidates.update(
                    (f.rule, f.where, f.message)
                    for f in pike_findings
                    if _form_finding(f) or (fl.part == 3 and f.rule == _embedded.FILE_RULE)
                )
            if any(_fontprograms.is_refusal(f.rule, f.message) for f in pike_findings):
                fonts = _fontprograms.settle(pdf, [(f.rule, f.where, f.message) for f in pike_findings])
                problems.extend((p.clause, p.where, p.message, p.unsupported) for p in fonts.problems)
                candidates.update(fonts.candidates)
            if any(_cmaps.is_refusal(f.rule, f.message) for f in pike_findings):
                cmaps = _cmaps.settle(pdf, fl.part, [(f.rule, f.where, f.message) for f in pike_findings])
                candidates.update(cmaps.candidates)
                referred = cmaps.referred
            graphics = _graphics.settle(pdf, fl.part, output_intent, pike_findings)
            problems.extend(graphics.problems)
            candidates.update(graphics.candidates)
            handed_over = list(graphics.handed_over)
            if any(_type3_finding(f) for f in pike_findings):
                type3 = _type3.hand_over_type3(pdf, fl.part)
                problems.extend((p.clause, p.where, p.message, p.unsupported) for p in type3.problems)
                if type3.complete:
                    candidates.update(
                        (f.rule, f.where, f.message) for f in pike_findings if _type3_finding(f)
                    )
            if any(rule == _embedded.FILE_RULE for rule, _, _ in candidates):
                # A refusal of an embedded file is settled by the second check's walk reaching the file:
                # not by an edit that took it out of the copy (the second check would not repeat it)
                present = _unused.reachable([pdf.Root, pdf.trailer.get("/Info")])
                candidates = {
                    c for c in candidates if c[0] != _embedded.FILE_RULE or object_at(c[1]) in present
                }
            recheck = pikepdf.pdfa.check(pdf, base)
            # The second check walks below refusals the first stopped at, and may meet more of
            # these: settled the same way, with a further check of the copy edited again
            for _ in range(_GRAPHICS_ROUNDS):
                known_now = {(f.rule, f.where, f.message) for f in pike_findings}
                fresh = [
                    f
                    for f in recheck.findings
                    if _graphics.is_refusal(f, fl.part) and (f.rule, f.where, f.message) not in known_now
                ]
                if not fresh:
                    break
                graphics = _graphics.settle(pdf, fl.part, output_intent, fresh)
                if not graphics.candidates and not graphics.problems:
                    break
                problems.extend(graphics.problems)
                handed_over.extend(graphics.handed_over)
                recheck = pikepdf.pdfa.check(pdf, base)
    except (pikepdf.PdfError, ValueError) as e:
        log.debug("Cannot check the document again: %s", e)
        return pike_findings, []
    if any(f.rule == "pikepdf:internal" for f in recheck.findings):
        log.debug("pikepdf could not check the edited document; its refusals stand")
        return pike_findings, []
    again = {(f.rule, f.where, f.message) for f in recheck.findings}
    kept = [
        f
        for f in pike_findings
        if not (f.rule == _shading.SH_RULE and f.where in settled_sh)
        and ((f.rule, f.where, f.message) not in candidates or (f.rule, f.where, f.message) in again)
    ]
    known = {(f.rule, f.where, f.message) for f in pike_findings}

    def new(f: pikepdf.pdfa.Finding) -> bool:
        if (f.rule, f.where, f.message) in known:
            return False
        unmapped = _cmaps.through_referred(f.rule, f.where, f.message, referred) if referred else None
        if unmapped is not None:
            # A code the embedded CMap leaves to the predefined CMap it uses: not checked, not broken
            problems.append((unmapped.clause, unmapped.where, unmapped.message, unmapped.unsupported))
            return False
        if f.rule == _shading.SH_RULE and f.where in settled_sh:
            # A stream whose shadings `_shading` checked. Any other sh the second check meets (in a
            # stream the first did not walk, such as a tiling pattern or a widget's appearance)
            # stays refused
            return False
        # Colour operands counted against an alternate space that stands in for a Separation or
        # DeviceN space: pikepdf's own check, which the first check could not make, and no PDF/A rule
        return not (substituted and f.rule == "pikepdf:content-operands" and "components" in f.message)

    kept.extend(
        f._replace(message=_annots.in_own_words(f.where, f.message, handed_annots)) if handed_annots else f
        for f in recheck.findings
        if new(f)
    )
    kept.extend(handed_over)
    # A construct met again in a later round is reported once
    return kept, list(dict.fromkeys(problems))


_LOCATED = re.compile(r"^obj (\d+) (\d+) ")


# pikepdf names the in-memory copy it was given where it cannot open it: "stream <_io.BytesIO ...>"
_MEMORY_STREAM = re.compile(r"(?:stream )?<_io\.BytesIO object at 0x[0-9a-fA-F]+>")


def _named_file(text: str) -> str:
    """*text* with pikepdf's name for the in-memory copy of the file replaced by "the file"."""
    return _MEMORY_STREAM.sub("the file", text) if "<_io.BytesIO" in text else text


def _located(f: pikepdf.pdfa.Finding) -> tuple[int, int] | None:
    """The object pikepdf's finding is about (``obj 12 0 (FormXObject) content``), if it names one."""
    m = _LOCATED.match(f.where)
    return (int(m.group(1)), int(m.group(2))) if m is not None else None


def _in_unused(f: pikepdf.pdfa.Finding, unused: frozenset[tuple[int, int]]) -> bool:
    """True for a finding on the operators of a content stream that only unused resources lead to.

    The file-structure rules of clause 6.1 (stream keys, limits on strings and numbers) apply to every
    object of the file, used or not, and stay; of them only the graphics state nesting limit is about
    the operators a content stream runs.
    """
    if not unused or ") content" not in f.where or _located(f) not in unused:
        return False
    _, _, clause = f.rule.partition(":")
    return not clause.startswith("6.1.") or "q/Q nesting" in f.message


def _unused_objects(data: bytes, pike_findings: list[pikepdf.pdfa.Finding]) -> frozenset[tuple[int, int]]:
    """The objects that only resources no content stream uses lead to, if pikepdf found anything there."""
    located = {loc for f in pike_findings if ") content" in f.where and (loc := _located(f)) is not None}
    if not located:
        return frozenset()
    with pikepdf.open(io.BytesIO(data), inherit_page_attributes=False) as pdf:
        unused = _unused.find_unused(pdf)
        if not unused:
            return frozenset()
        objects = _unused.reachable([value for *_, value in unused.entries])
    return frozenset(objects) if objects & located else frozenset()


def _rejected_anyway(
    fl: Flavour,
    pike_findings: list[pikepdf.pdfa.Finding],
    unused: frozenset[tuple[int, int]] = frozenset(),
    permitted: frozenset[str] = frozenset(),
) -> bool:
    """True if pikepdf found a violation of ISO 19005 that no check of ours can settle.

    Such a file fails whatever a second check would settle, so it is not made (its refusals stand in
    the report, saying what went unchecked).
    """
    for f in pike_findings:
        spec, _, clause = f.rule.partition(":")
        if (
            f.kind == "violation"
            and spec == fl.spec
            and clause not in _XMP_RULES[fl.part]
            and not _alpha_finding(f)
            and not _in_unused(f, unused)
            and not (fl.part == 1 and _charset.is_charset_finding(f.rule, f.message))
            and not (f.message == _actions.TYPE_MESSAGE and f.where in permitted)
        ):
            return True
    return False


def _permitted_actions(data: bytes, pike_findings: list[pikepdf.pdfa.Finding], part: int) -> frozenset[str]:
    """Where pikepdf refused, as not permitted, an action type ISO 19005 permits."""
    if not any(f.message == _actions.TYPE_MESSAGE for f in pike_findings):
        return frozenset()
    with pikepdf.open(io.BytesIO(data), inherit_page_attributes=False) as pdf:
        return frozenset(
            f.where
            for f in pike_findings
            if _actions.permitted_but_refused(pdf, f.rule, f.where, f.message, part)
        )


def _needs_recheck(pike_findings: list[pikepdf.pdfa.Finding], part: int) -> bool:
    return any(
        _shading_finding(f)
        or _alpha_finding(f)
        or _colourant_finding(f)
        or _form_finding(f)
        or _annots.is_annot_finding(f.rule, f.message)
        or _gs_font_finding(f)
        or _document_finding(f)
        or _type3_finding(f)
        or _patterns.is_pattern_finding(f.rule, f.message)
        or _fontprograms.is_refusal(f.rule, f.message)
        or _cmaps.is_refusal(f.rule, f.message)
        or _graphics.is_refusal(f, part)
        or _normalise.private_keys(f.rule, f.where, f.message) is not None
        or _normalise.later_key(f.rule, f.where, f.message) is not None
        or _normalise.indirect_info_key(f.rule, f.where, f.message) is not None
        or (part == 3 and _associated.refused_object(f.rule, f.where, f.message) is not None)
        for f in pike_findings
    )


# An embedded file is checked by this validator in turn (ISO 19005-2 6.8-5), within these bounds
_MAX_EMBEDDING_DEPTH = 2
_MAX_EMBEDDED_BYTES = 64 * 1024 * 1024


def _embedded_finding(f: pikepdf.pdfa.Finding) -> bool:
    """True for pikepdf's refusal of an embedded file, or of the /EmbeddedFiles name tree."""
    if f.rule == _embedded.FILE_RULE:
        return True
    return f.rule == _embedded.TREE_RULE and f.message == _embedded.TREE_MESSAGE


def _embedded_verdict(data: bytes, where: str, depth: int) -> tuple[str, bool] | None:
    """None if *data* is a PDF/A-1 or PDF/A-2 file, else why not and whether that was unchecked."""
    if depth >= _MAX_EMBEDDING_DEPTH:
        return f"files embedded more than {_MAX_EMBEDDING_DEPTH} deep are not checked", True
    if len(data) > _MAX_EMBEDDED_BYTES:
        return f"embedded files over {_MAX_EMBEDDED_BYTES // (1024 * 1024)} MiB are not checked", True
    part = None
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            raw = _metadata_bytes(pdf)
            if raw is not None:
                part, _conformance = _xmp.read_identification(raw)
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as e:
        log.debug("Embedded file %s is not a readable PDF: %s", where, e)
        return "the embedded file is not a readable PDF", False
    if str(part) not in ("1", "2"):
        return "the embedded file does not claim PDF/A-1 or PDF/A-2", False
    # Checked against level B of the part it claims, as veraPDF checks embedded files (with the PDF/A-1B
    # and PDF/A-2B profiles): 6.8 asks for PDF/A-1 or PDF/A-2, at any level
    fl = Flavour(f"{part}b")
    failures = [
        f for f in _findings(data, f"embedded {where}", fl, depth + 1) if f.kind is not FindingKind.NOTE
    ]
    if not failures:
        return None
    first = failures[0]
    unchecked = all(f.kind is FindingKind.UNSUPPORTED for f in failures)
    count = len(failures)
    return (
        f"the embedded file is not PDF/A-{fl.value}: {first.rule} {first.message} ({count} finding(s))",
        unchecked,
    )


def _settle_embedded(
    data: bytes, depth: int, pike_findings: list[pikepdf.pdfa.Finding]
) -> tuple[list[pikepdf.pdfa.Finding], list[_embedded.EmbeddedProblem]]:
    """Check the embedded files of a PDF/A-2 document, settling pikepdf's refusals they answer."""
    with pikepdf.open(io.BytesIO(data), inherit_page_attributes=False) as pdf:
        verdict = _embedded.check_embedded_files(
            pdf,
            [(f.rule, f.where, f.message) for f in pike_findings],
            lambda embedded, where: _embedded_verdict(embedded, where, depth),
        )
    kept = [f for f in pike_findings if not (_embedded_finding(f) and f.where in verdict.settled)]
    return kept, verdict.problems


def _rule(fl: Flavour, clause: str) -> str:
    return clause if ":" in clause else f"{fl.spec}:{clause}"


def validate_pdfa(path: str | Path, flavour: str | Flavour) -> ValidationReport:
    """Check a PDF file against a PDF/A flavour, collecting every finding.

    Args:
        path: The PDF to check.
        flavour: ``"1b"``, ``"2b"``, ``"2u"`` or ``"3b"``.

    Returns:
        The verdict. Findings carry ISO 19005 rule ids (``ISO_19005_2:6.1.7.1-1``) where a clause
        applies; ``kind`` says whether the finding breaks the standard or could not be checked.

    Raises:
        ValueError: If the flavour is not one qujat checks (1a and 2a are not supported).
    """
    fl = _flavour(flavour)
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        unreadable = Finding(
            rule="file:unreadable", where=str(path), message=str(e), kind=FindingKind.VIOLATION
        )
        return ValidationReport.from_findings(path, "pdfa", [unreadable], flavour=fl.value)
    findings = _findings(data, path.name, fl, 0)
    report = ValidationReport.from_findings(path, "pdfa", findings, flavour=fl.value)
    if report.passed:
        log.debug("PDF/A-%s approved: %s", fl.value, path)
    return report


def prepare(*, freeze: bool = True) -> None:
    """Ready this process for a long run of checks; call it once, before the first file.

    Checks one small generated document per flavour and compiles every role schema, so that loading
    each flavour's schemas and the font readers is not charged to the first real files, and then
    (with *freeze*) moves every object
    then alive out of the garbage collector's full collections (`gc.freeze`). `qujat validate` calls it
    in each worker. Calling it again does nothing; not calling it changes no verdict.
    """
    _prepare.prepare(
        validate_pdfa,
        tuple(f.value for f in Flavour),
        freeze=freeze,
        also=lambda: _accel.compile_role_predicates(("1b", "2b", "3b")),
    )


def _early_faults(data: bytes, fl: Flavour) -> tuple[_xmp.XmpVerdict | None, list[_fonts.FontProblem]] | None:
    """The XMP verdict and (2u) the fonts' Unicode problems, or None if the file cannot be read here."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            raw = _metadata_bytes(pdf)
            verdict = _xmp.check_xmp(raw, fl.part, _CONFORMANCES[fl]) if raw is not None else None
            fonts = _fonts.unmapped_fonts(pdf) if fl is Flavour.PDFA_2U else []
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError) as e:
        log.debug("Cannot read the file for its metadata and fonts: %s", e)
        return None
    return verdict, fonts


def _file_specifications(
    pdf: pikepdf.Pdf, fl: Flavour, pike_findings: list[pikepdf.pdfa.Finding]
) -> list[tuple[str, str, str, bool]]:
    """PDF/A-3 6.8-3 and 6.8-4 for every file specification, wherever it is, less what pikepdf found."""
    try:
        found = _associated.unassociated(pdf)
    except Exception as e:  # noqa: BLE001 - a fault of ours must neither approve the file nor stop a batch
        log.warning("File specification check failed: %s", e, exc_info=True)
        return [("qujat:internal", "file specifications", f"{type(e).__name__}: {e}", True)]
    return [
        problem
        for problem in found
        if not any(
            f.rule == _rule(fl, problem[0])
            and (f.where == problem[1] or f.where.startswith(problem[1] + " ("))
            for f in pike_findings
        )
    ]


def _fails(verdict: _xmp.XmpVerdict | None, fonts: list[_fonts.FontProblem]) -> bool:
    return bool(fonts) or (verdict is not None and verdict.parsed and bool(verdict.problems))


def _findings(data: bytes, name: str, fl: Flavour, depth: int) -> list[Finding]:
    """Every finding on the PDF *data* (named *name* in log messages); *depth* counts embedding."""
    findings: list[Finding] = []

    def add(rule: str, where: str, message: str, kind: FindingKind = FindingKind.VIOLATION) -> None:
        log.debug("PDF/A-%s %s: [%s] %s at %s: %s", fl.value, name, kind, rule, where, message)
        findings.append(Finding(rule=rule, where=where, message=message, kind=kind))

    try:
        for problem in _syntax.scan(data, fl.part):
            add(_rule(fl, problem.clause), problem.where, problem.message)
    except Exception as e:  # noqa: BLE001 - a fault of ours must neither approve the file nor stop a batch
        log.warning("PDF/A syntax scan of %s failed: %s", name, e, exc_info=True)
        add("qujat:internal", "file structure", f"{type(e).__name__}: {e}", FindingKind.UNSUPPORTED)

    base = "2b" if fl is Flavour.PDFA_2U else fl.value
    pike = pikepdf.pdfa.validate_written(io.BytesIO(data), base)
    if fl.part == 1 and _version.version_refused(pike.findings):
        # ISO 19005-1 does not limit the version: check, in full, the file as if it said 1.4
        as_pdf14 = _version.as_pdf14(data)
        if as_pdf14 is not None:
            data = as_pdf14
            pike = pikepdf.pdfa.validate_written(io.BytesIO(data), base)

    pike_findings = list(pike.findings)
    recheck_problems: list[_Problem] = []
    violated = any(f.kind is FindingKind.VIOLATION for f in findings)
    unused: frozenset[tuple[int, int]] = frozenset()
    permitted: frozenset[str] = frozenset()
    if pike_findings and not violated:
        try:
            unused = _unused_objects(data, pike_findings)
            permitted = _permitted_actions(data, pike_findings, fl.part)
        except (pikepdf.PdfError, ValueError) as e:
            log.debug("Resource use or actions in %s not worked out: %s", name, e)
    early: tuple[_xmp.XmpVerdict | None, list[_fonts.FontProblem]] | None = None
    second_check = (
        (unused or permitted or _needs_recheck(pike_findings, fl.part))
        and not violated
        and not _rejected_anyway(fl, pike_findings, unused, permitted)
    )
    if second_check and fl.part != 1:
        # The metadata's faults and the Unicode mapping's are found without a second check: a file
        # they fail needs none (PDF/A-1 packets may first need re-encoding, so part 1 waits)
        early = _early_faults(data, fl)
        if early is not None and _fails(*early):
            log.debug("PDF/A-%s %s fails on its metadata or fonts: no second check", fl.value, name)
            second_check = False
    if second_check:
        try:
            pike_findings, recheck_problems = _recheck(
                data, fl, pike.output_intent, pike_findings, unused, depth, permitted
            )
        except Exception as e:  # noqa: BLE001 - a fault of ours must neither approve the file nor stop a batch
            log.warning("Second check of %s failed: %s", name, e, exc_info=True)
            add("qujat:internal", "document", f"{type(e).__name__}: {e}", FindingKind.UNSUPPORTED)
    embedded_problems: list[_embedded.EmbeddedProblem] = []
    if fl.part == 2 and any(_embedded_finding(f) for f in pike_findings):
        try:
            pike_findings, embedded_problems = _settle_embedded(data, depth, pike_findings)
        except Exception as e:  # noqa: BLE001 - a fault of ours must neither approve the file nor stop a batch
            log.warning("Embedded file check of %s failed: %s", name, e, exc_info=True)
            add("qujat:internal", "embedded files", f"{type(e).__name__}: {e}", FindingKind.UNSUPPORTED)
    verdict: _xmp.XmpVerdict | None = None
    spec_problems: list[tuple[str, str, str, bool]] = []
    font_problems: list[_fonts.FontProblem] = []
    blending: list[_transparency.TransparencyProblem] = []
    charset_problems: list[_charset.CharSetProblem] = []
    object_xmp: list[_xmp.XmpProblem] = []
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            raw = _metadata_bytes(pdf)
            if raw is not None and fl.part == 1:
                raw = _utf8_packet(pdf, raw, pike_findings)
            if early is not None:
                verdict, font_problems = early
            elif raw is not None:
                verdict = _xmp.check_xmp(raw, fl.part, _CONFORMANCES[fl])
            if verdict is not None and verdict.parsed:
                pike_findings, object_xmp = _object_metadata(pdf, fl, verdict, pike_findings)
            if fl is Flavour.PDFA_2U and early is None:
                font_problems = _fonts.unmapped_fonts(pdf)
            if fl.part == 3:
                spec_problems = _file_specifications(pdf, fl, pike_findings)
            charset_wheres = [
                f.where for f in pike_findings if _charset.is_charset_finding(f.rule, f.message)
            ]
            if fl.part == 1 and charset_wheres:
                settled_charsets, charset_problems = _charset.check(
                    pdf, charset_wheres, _fonts.shown_codes(pdf)
                )
                pike_findings = [
                    f
                    for f in pike_findings
                    if not (_charset.is_charset_finding(f.rule, f.message) and f.where in settled_charsets)
                ]
            if any(_no_output_intent(f) for f in pike_findings):
                blending = [] if fl.part == 1 else _transparency.pages_without_blending_space(pdf)
                pike_findings = [f for f in pike_findings if not _no_output_intent(f)]
    except (pikepdf.PdfError, pikepdf.PasswordError) as e:
        # pikepdf.pdfa has already reported the file as unreadable (pikepdf:internal)
        log.debug("pikepdf cannot open %s: %s", name, e)
    except Exception as e:  # noqa: BLE001 - a fault of ours must neither approve the file nor stop a batch
        log.warning("PDF/A check of %s failed: %s", name, e, exc_info=True)
        add("qujat:internal", "document", f"{type(e).__name__}: {e}", FindingKind.UNSUPPORTED)

    settled = _XMP_RULES[fl.part] if verdict is not None and verdict.parsed else frozenset()
    for f in pike_findings:
        spec, _, clause = f.rule.partition(":")
        if spec == fl.spec and clause in settled:
            continue
        if verdict is not None and verdict.parsed and verdict.every_description_about and _about_only(f):
            continue
        kind = FindingKind.UNSUPPORTED if f.kind == "unsupported" else FindingKind.VIOLATION
        add(f.rule, _named_file(f.where), _named_file(f.message), kind)
    if verdict is not None:
        for xp in verdict.problems:
            add(_rule(fl, xp.clause), xp.where, xp.message)
    for fp in font_problems:
        add(_rule(fl, fp.clause), fp.where, fp.message)
    for xp in object_xmp:
        add(_rule(fl, xp.clause), xp.where, xp.message)
    for tp in blending:
        add(_rule(fl, "6.2.10-2"), tp.where, tp.message)
    for cp in charset_problems:
        add(_charset.RULE, cp.where, cp.message)
    for clause, where, message, unsupported in [*recheck_problems, *spec_problems]:
        add(
            _rule(fl, clause),
            where,
            message,
            FindingKind.UNSUPPORTED if unsupported else FindingKind.VIOLATION,
        )
    for ep in embedded_problems:
        kind = FindingKind.UNSUPPORTED if ep.unsupported else FindingKind.VIOLATION
        add(_rule(fl, ep.clause), ep.where, ep.message, kind)
    return findings
