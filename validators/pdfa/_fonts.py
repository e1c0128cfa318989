"""Unicode mapping of the fonts used for text, for PDF/A level U (ISO 19005-2 6.2.11.7.2).

Level U asks that every character code a content stream shows can be mapped to Unicode: through the
font's /ToUnicode CMap, or, without one, through the glyph names of a simple font's encoding (standard
encodings and /Differences names the Adobe Glyph List knows; for a Type 3 font, only names it lists
verbatim, as veraPDF reads them), or, for a composite font, through one of the Adobe character
collections (GB1, CNS1, Japan1, Korea1), which have public Unicode maps. A mapped value must not be
U+0000, U+FEFF or U+FFFE (test 2).

Only codes actually shown are checked, as veraPDF does: a font listed in resources but never used, or a
code never shown, cannot break the rule. Text is looked for in page contents, form XObjects, tiling
patterns, annotation appearance streams and the glyph procedures of the Type 3 fonts used.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field

import pikepdf
from fontTools import agl
from fontTools.cffLib import CFFFontSet
from fontTools.encodings.StandardEncoding import StandardEncoding

log = logging.getLogger(__name__)

_RULE_MAPPED = "6.2.11.7.2-1"
_RULE_VALUES = "6.2.11.7.2-2"
_FORBIDDEN = frozenset("\x00\ufeff\ufffe")
# Adobe character collections whose CIDs have published Unicode maps
_KNOWN_ORDERINGS = frozenset({"GB1", "CNS1", "Japan1", "Korea1"})
# Python codecs that agree with the PDF simple encodings on the codes 32..255 they define
_CODECS = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman"}
_SHOW = frozenset({"Tj", "TJ", "'", '"'})
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_MAX_DEPTH = 32
# Type 3 glyphs showing text in Type 3 fonts: how deep their glyph procedures are followed
_MAX_TYPE3_NESTING = 4
_DINGBAT_NAME = re.compile(r"a[1-9][0-9]{0,2}")
_T1_ENCODING = re.compile(rb"dup\s+(\d+)\s*/([^\s/\[\]()<>{}%]+)\s+put")


@dataclass(frozen=True, slots=True)
class FontProblem:
    """A font whose shown codes cannot all be mapped to Unicode."""

    clause: str
    where: str
    message: str


@dataclass(slots=True)
class _Use:
    font: pikepdf.Dictionary
    name: str
    codes: set[bytes] = field(default_factory=set)


def _to_unicode_map(stream: pikepdf.Object) -> dict[bytes, str] | None:
    """Read the bfchar and bfrange mappings of a ToUnicode CMap, by source code bytes."""
    try:
        data = stream.read_bytes()
    except (pikepdf.PdfError, AttributeError) as e:
        log.debug("Cannot read ToUnicode CMap: %s", e)
        return None
    out: dict[bytes, str] = {}

    def hexbytes(h: bytes) -> bytes:
        h = re.sub(rb"\s", b"", h)
        if len(h) % 2:
            h += b"0"
        return bytes.fromhex(h.decode("ascii"))

    def text(b: bytes) -> str:
        return b.decode("utf-16-be", errors="replace")

    for section in re.finditer(rb"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        codes = _HEX.findall(section.group(1))
        for src, dst in zip(codes[0::2], codes[1::2], strict=False):
            out[hexbytes(src)] = text(hexbytes(dst))
    for section in re.finditer(rb"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        body = section.group(1)
        for m in re.finditer(
            rb"<([0-9A-Fa-f\s]*)>\s*<([0-9A-Fa-f\s]*)>\s*(<[0-9A-Fa-f\s]*>|\[[^\]]*\])", body
        ):
            lo, hi = hexbytes(m.group(1)), hexbytes(m.group(2))
            if len(lo) != len(hi):
                continue
            start, end = int.from_bytes(lo, "big"), int.from_bytes(hi, "big")
            if end < start or end - start > 65535:
                continue
            dst = m.group(3)
            if dst.startswith(b"["):
                values = [hexbytes(h) for h in _HEX.findall(dst)]
                for i, value in enumerate(values[: end - start + 1]):
                    out[(start + i).to_bytes(len(lo), "big")] = text(value)
            else:
                base = hexbytes(dst[1:-1])
                if not base:
                    continue
                head, last = base[:-1], base[-1]
                for i in range(end - start + 1):
                    # The last byte of the destination increments across the range
                    out[(start + i).to_bytes(len(lo), "big")] = text(head + bytes([(last + i) & 0xFF]))
    return out


def _glyph_unicode(font: pikepdf.Dictionary, code: int) -> str:
    """Unicode for a simple font's code from its glyph name, or "" if the name gives none."""
    encoding = font.get("/Encoding")
    base: str | None = None
    if isinstance(encoding, pikepdf.Dictionary):
        differences = encoding.get("/Differences")
        if isinstance(differences, pikepdf.Array):
            current = None
            for item in differences:
                if isinstance(item, pikepdf.Name):
                    if current == code:
                        return _listed_name_unicode(str(item)[1:])
                    if current is not None:
                        current += 1
                    continue
                try:
                    current = int(item)  # a code: the names that follow are for it and the next codes
                except (TypeError, ValueError):
                    current = None
        base_enc = encoding.get("/BaseEncoding")
        base = str(base_enc) if isinstance(base_enc, pikepdf.Name) else None
    elif isinstance(encoding, pikepdf.Name):
        base = str(encoding)
    if code < 32:
        return ""
    if base in _CODECS:
        try:
            return bytes([code]).decode(_CODECS[base])
        except UnicodeDecodeError:
            return ""
    if base == "/MacExpertEncoding":
        # Its glyph names (small capitals, old-style figures) all have Adobe Glyph List values
        return "\ue000"
    if font.get("/Subtype") == "/Type3":
        return ""  # a Type 3 font's names come only from /Differences
    if base is None:
        flags = 0
        descriptor = font.get("/FontDescriptor")
        if isinstance(descriptor, pikepdf.Dictionary):
            try:
                flags = int(descriptor.get("/Flags", 0))
            except (TypeError, ValueError):
                flags = 0
        basefont = _label(font.get("/BaseFont", ""))
        if basefont.endswith(("Symbol", "ZapfDingbats", "Dingbats")):
            # The Symbol and ZapfDingbats sets name every glyph they encode
            return "\ue000"
        if flags & 4:
            # Symbolic: the encoding is the font program's own
            names = _builtin_names(font)
            name = names.get(code) if names else None
            return _listed_name_unicode(name) if name and name != ".notdef" else ""
    name = StandardEncoding[code] if 0 <= code < 256 else ".notdef"
    return _listed_name_unicode(name) if name != ".notdef" else ""


def _listed_name_unicode(name: str) -> str:
    """Unicode for a simple font's glyph name as veraPDF reads one: only a name the Adobe Glyph List lists.

    veraPDF maps a glyph name only if the list has it verbatim (no ``uniXXXX`` forms, no ``.suffix``
    or ``_`` ligature parts, which the list's naming conventions would allow), or takes it as mapped
    if the ZapfDingbats set (``a1`` to ``a191``) names it.
    """
    values = agl.LEGACY_AGL2UV.get(name)
    if values:
        return "".join(map(chr, values))
    if _DINGBAT_NAME.fullmatch(name) and 1 <= int(name[1:]) <= 191:
        return "\ue000"
    return ""


def _builtin_names(font: pikepdf.Dictionary) -> dict[int, str] | None:
    """The built-in encoding of an embedded Type 1 or CFF font program: code -> glyph name."""
    descriptor = font.get("/FontDescriptor")
    if not isinstance(descriptor, pikepdf.Dictionary):
        return None
    try:
        if isinstance(descriptor.get("/FontFile"), pikepdf.Stream):
            program = descriptor.FontFile
            data = program.read_bytes()
            clear = data[: int(program.get("/Length1", len(data)))]
            if re.search(rb"/Encoding\s+StandardEncoding", clear):
                return dict(enumerate(StandardEncoding))
            return {int(m.group(1)): m.group(2).decode("latin-1") for m in _T1_ENCODING.finditer(clear)}
        if isinstance(descriptor.get("/FontFile3"), pikepdf.Stream):
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(descriptor.FontFile3.read_bytes()), None)
            encoding = cff[cff.fontNames[0]].Encoding
            if encoding == "StandardEncoding":
                return dict(enumerate(StandardEncoding))
            if isinstance(encoding, list):
                return dict(enumerate(encoding))
    except Exception as e:  # noqa: BLE001 - a font program fontTools cannot read maps nothing
        log.debug("Cannot read the built-in encoding of %s: %s", _label(font.get("/BaseFont")), e)
    return None


def _lookup(container: object, key: object) -> pikepdf.Object | None:
    """``container[key]`` for a resource dictionary and a name operand, else None."""
    if isinstance(container, pikepdf.Dictionary) and isinstance(key, pikepdf.Name):
        return container.get(key)
    return None


def _label(obj: object) -> str:
    """A name for messages, even one that is not UTF-8 (font names in legacy encodings)."""
    try:
        return str(obj)
    except UnicodeDecodeError:
        return obj.unparse().decode("ascii", "replace") if isinstance(obj, pikepdf.Object) else repr(obj)


class _Collector:
    """Walk content streams and note which codes each font shows."""

    def __init__(self) -> None:
        self.uses: dict[tuple[int, int] | int, _Use] = {}
        # (stream, resources or 0[, the font the form inherits]) walked already
        self.seen_forms: set[tuple[object, ...]] = set()

    def font_use(self, font: pikepdf.Object | None, name: str) -> _Use | None:
        if not isinstance(font, pikepdf.Dictionary):
            return None
        key = font.objgen if font.is_indirect else id(font)
        use = self.uses.get(key)
        if use is None:
            use = self.uses[key] = _Use(font=font, name=name)
        return use

    def walk(
        self,
        content: pikepdf.Object,
        resources: pikepdf.Object | None,
        depth: int = 0,
        inherited: _Use | None = None,
    ) -> None:
        """Note the codes *content* shows; a Form XObject starts with its caller's font (*inherited*)."""
        if depth > _MAX_DEPTH:
            return
        if not isinstance(resources, pikepdf.Dictionary):
            resources = pikepdf.Dictionary()
        fonts = resources.get("/Font", pikepdf.Dictionary())
        try:
            instructions = pikepdf.parse_content_stream(content)
        except (pikepdf.PdfError, TypeError, ValueError, IndexError) as e:
            # A content stream that cannot be parsed is pikepdf.pdfa's to report (ISO 19005 6.2.2)
            log.debug("Cannot parse content stream: %s", e)
            return
        # Tiling patterns draw text too, from whichever resources name them (a form's, an appearance's,
        # a glyph's, another pattern's): each is walked once, as the page's are
        self.patterns(resources, depth)
        current: _Use | None = inherited
        stack: list[_Use | None] = []
        for instruction in instructions:
            # An inline image is an instruction without operands that matter here
            operands: list[pikepdf.Object] = (
                list(instruction.operands)
                if isinstance(instruction, pikepdf.ContentStreamInstruction)
                else []
            )
            op = _label(instruction.operator)
            if op == "q":
                stack.append(current)
            elif op == "Q":
                current = stack.pop() if stack else None
            elif op == "Tf" and operands:
                key = operands[0]
                font = _lookup(fonts, key)
                current = self.font_use(font, _label(key))
            elif op == "gs" and operands:
                gstates = resources.get("/ExtGState", pikepdf.Dictionary())
                key = operands[0]
                gs = _lookup(gstates, key)
                gs_font = gs.get("/Font") if isinstance(gs, pikepdf.Dictionary) else None
                if isinstance(gs_font, pikepdf.Array) and len(gs_font) > 0:
                    current = self.font_use(gs_font[0], "(ExtGState font)")
                # A soft mask's transparency group is a Form XObject whose text is text of the page
                mask = gs.get("/SMask") if isinstance(gs, pikepdf.Dictionary) else None
                if isinstance(mask, pikepdf.Dictionary):
                    self.form(mask.get("/G"), resources, depth)
            elif op in _SHOW and operands and current is not None:
                arg = operands[-1]
                strings = arg if isinstance(arg, pikepdf.Array) else [arg]
                for s in strings:
                    if isinstance(s, pikepdf.String):
                        current.codes.add(bytes(s))
            elif op == "Do" and operands:
                xobjects = resources.get("/XObject", pikepdf.Dictionary())
                key = operands[0]
                xobj = _lookup(xobjects, key)
                self.form(xobj, resources, depth, current)

    def form(
        self,
        xobj: pikepdf.Object | None,
        parent_resources: pikepdf.Object,
        depth: int,
        inherited: _Use | None = None,
    ) -> None:
        if not isinstance(xobj, pikepdf.Stream) or xobj.get("/Subtype") != "/Form":
            return
        # Text a form shows before its own Tf is in the font of the caller (as veraPDF and pikepdf
        # read it): a form drawn with another font current is walked again
        key = (
            xobj.objgen,
            id(parent_resources) if not xobj.is_indirect else 0,
            id(inherited) if inherited is not None else 0,
        )
        if xobj.is_indirect and key in self.seen_forms:
            return
        self.seen_forms.add(key)
        self.walk(xobj, xobj.get("/Resources", parent_resources), depth + 1, inherited)

    def patterns(self, resources: pikepdf.Object | None, depth: int) -> None:
        if not isinstance(resources, pikepdf.Dictionary):
            return
        patterns = resources.get("/Pattern")
        if isinstance(patterns, pikepdf.Dictionary):
            for _name, pattern in patterns.items():
                if isinstance(pattern, pikepdf.Stream) and pattern.get("/PatternType") == 1:
                    self.form_like(pattern, depth)

    def form_like(self, stream: pikepdf.Stream, depth: int) -> None:
        key = (stream.objgen, 0)
        if stream.is_indirect and key in self.seen_forms:
            return
        self.seen_forms.add(key)
        self.walk(stream, stream.get("/Resources"), depth + 1)

    def type3_glyphs(self, font: pikepdf.Dictionary) -> None:
        """Walk the glyph procedures of a Type 3 font: text they show is text of the document."""
        charprocs = font.get("/CharProcs")
        if not isinstance(charprocs, pikepdf.Dictionary):
            return
        font_resources = font.get("/Resources")
        for _name, proc in charprocs.items():
            if not isinstance(proc, pikepdf.Stream):
                continue
            key = (proc.objgen, 0)
            if proc.is_indirect and key in self.seen_forms:
                continue
            self.seen_forms.add(key)
            own = proc.get("/Resources")
            self.walk(proc, own if isinstance(own, pikepdf.Dictionary) else font_resources, 1)

    def appearances(self, page: pikepdf.Page) -> None:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            return
        for annot in annots:
            if not isinstance(annot, pikepdf.Dictionary):
                continue
            ap = annot.get("/AP")
            if not isinstance(ap, pikepdf.Dictionary):
                continue
            for _key, entry in ap.items():
                streams = (
                    [entry]
                    if isinstance(entry, pikepdf.Stream)
                    else ([v for _k, v in entry.items()] if isinstance(entry, pikepdf.Dictionary) else [])
                )
                for stream in streams:
                    if isinstance(stream, pikepdf.Stream):
                        self.form_like(stream, 0)


def _decode_codes(use: _Use) -> list[bytes]:
    """Split the shown strings of a font into character codes (one byte, or two for Identity CMaps)."""
    font = use.font
    codes: set[bytes] = set()
    if font.get("/Subtype") == "/Type0":
        two = str(font.get("/Encoding", "")) in ("/Identity-H", "/Identity-V")
        for s in use.codes:
            if two:
                codes.update(s[i : i + 2] for i in range(0, len(s) - 1, 2))
            else:
                codes.add(s)  # another CMap: the string as a whole stands for its codes
    else:
        for s in use.codes:
            codes.update(bytes([b]) for b in s)
    return sorted(codes)


def _check_font(use: _Use, where: str) -> list[FontProblem]:
    font = use.font
    problems: list[FontProblem] = []
    cmap = _to_unicode_map(font.ToUnicode) if isinstance(font.get("/ToUnicode"), pikepdf.Stream) else None
    codes = _decode_codes(use)
    composite = font.get("/Subtype") == "/Type0"
    if composite and cmap is None:
        descendants = font.get("/DescendantFonts")
        info = None
        if (
            isinstance(descendants, pikepdf.Array)
            and len(descendants)
            and isinstance(descendants[0], pikepdf.Dictionary)
        ):
            info = descendants[0].get("/CIDSystemInfo")
        ordering = str(info.get("/Ordering", "")) if isinstance(info, pikepdf.Dictionary) else ""
        registry = str(info.get("/Registry", "")) if isinstance(info, pikepdf.Dictionary) else ""
        if not (registry == "Adobe" and ordering in _KNOWN_ORDERINGS):
            problems.append(
                FontProblem(
                    _RULE_MAPPED,
                    where,
                    "composite font has no /ToUnicode and its character collection "
                    f"({registry}-{ordering}) has no public Unicode map",
                )
            )
        return problems
    unmapped: list[str] = []
    bad_values: list[str] = []
    for code in codes:
        value = cmap.get(code) if cmap is not None else None
        if value is None and composite and cmap is not None and len(code) > 2:
            continue  # codes of a non-Identity CMap cannot be split here; the map's values are checked below
        if value is None and not composite:
            value = _glyph_unicode(font, code[0]) or None
        if value is None:
            unmapped.append(code.hex())
        elif _FORBIDDEN.intersection(value):
            bad_values.append(code.hex())
    if composite and cmap is not None and any(len(c) > 2 for c in codes):
        bad_values.extend(k.hex() for k, v in cmap.items() if _FORBIDDEN.intersection(v))
    if unmapped:
        problems.append(
            FontProblem(
                _RULE_MAPPED,
                where,
                f"character code(s) {', '.join(unmapped[:8])} shown with this font have no Unicode mapping "
                "(no /ToUnicode entry and no glyph name the Adobe Glyph List knows)",
            )
        )
    if bad_values:
        problems.append(
            FontProblem(
                _RULE_VALUES,
                where,
                f"the ToUnicode CMap maps code(s) {', '.join(bad_values[:8])} to U+0000, U+FEFF or U+FFFE",
            )
        )
    return problems


def _collect(pdf: pikepdf.Pdf) -> _Collector:
    """Every font's shown codes: in pages, forms, patterns, appearances, and used Type 3 glyphs."""
    collector = _Collector()
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        collector.walk(page.obj, resources)
        collector.patterns(resources, 0)
        collector.appearances(page)
    expanded: set[tuple[int, int] | int] = set()
    for _round in range(_MAX_TYPE3_NESTING):
        pending = [
            (key, use)
            for key, use in collector.uses.items()
            if key not in expanded and use.font.get("/Subtype") == "/Type3"
        ]
        if not pending:
            break
        for key, use in pending:
            expanded.add(key)
            collector.type3_glyphs(use.font)
    return collector


def shown_codes(pdf: pikepdf.Pdf) -> dict[tuple[int, int], set[int]]:
    """The codes shown with each simple font (by the font dictionary's object), in every content stream."""
    shown: dict[tuple[int, int], set[int]] = {}
    for key, use in _collect(pdf).uses.items():
        if isinstance(key, tuple) and use.codes and use.font.get("/Subtype") != "/Type0":
            shown.setdefault(key, set()).update(code[0] for code in _decode_codes(use))
    return shown


def unmapped_fonts(pdf: pikepdf.Pdf) -> list[FontProblem]:
    """Check that every code shown with every font maps to a valid Unicode value.

    Args:
        pdf: The open document.

    Returns:
        One problem per font and rule broken.
    """
    collector = _collect(pdf)
    problems: list[FontProblem] = []
    for key, use in collector.uses.items():
        if not use.codes:
            continue
        where = f"obj {key[0]} {key[1]} font {use.name}" if isinstance(key, tuple) else f"font {use.name}"
        where += f" ({_label(use.font.get('/BaseFont', '?'))})"
        problems.extend(_check_font(use, where))
    return problems
