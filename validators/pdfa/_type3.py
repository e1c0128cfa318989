"""Type 3 fonts (ISO 32000-1 9.6.5), which pikepdf.pdfa refuses wherever it meets one.

PDF/A permits Type 3 fonts. A Type 3 font has no font program to embed: each glyph is a content
stream (a glyph procedure in /CharProcs), and what ISO 19005 asks of it is what it asks of every
content stream (operators, colour against the OutputIntent, transparency, images, nested fonts and
XObjects), plus what it asks of every font:

- the font dictionary conforms to ISO 32000-1 9.6.5 (ISO 19005-1 6.3.2, ISO 19005-2/3 6.2.11.2):
  /FontBBox a rectangle, /FontMatrix six numbers, /CharProcs a dictionary of streams, /Encoding an
  encoding dictionary, /FirstChar and /LastChar integers, /Widths an array of LastChar - FirstChar + 1
  numbers (veraPDF's tests 4 to 6 of that clause);
- every glyph shown for rendering (text rendering mode other than 3) is defined: the name the encoding
  gives its code has a glyph procedure (ISO 19005-1 6.3.5-1, ISO 19005-2/3 6.2.11.4.1-2);
- the width of such a glyph in /Widths (or the descriptor's /MissingWidth, else 0) and the width its
  glyph procedure sets with d0 or d1 differ by at most 1 (ISO 19005-1 6.3.6-1, ISO 19005-2/3
  6.2.11.5-1): veraPDF compares them in glyph space, unscaled;
- PDF/A-2 and 3: no text shows a code the encoding names ``.notdef`` (6.2.11.8-1). PDF/A-1 has no such
  rule; a ``.notdef`` without a glyph procedure still fails 6.3.5-1.

Font embedding (ISO 19005-1 6.3.4, ISO 19005-2 6.2.11.4.1-1) does not apply to Type 3 fonts. The
Unicode mapping that level U asks for is `_fonts`'s check, which covers Type 3 fonts.

`hand_over_type3` checks the above and prepares a copy of the document for a second pikepdf check:

- every content stream reached (pages, Form XObjects, annotation appearances, tiling patterns, glyph
  procedures) loses the ``Tf`` operators that select a Type 3 font and the text showing operators
  (``Tj``, ``TJ``, ``'``, ``"``) that show text with one; the codes they showed are the ones checked
  here. The text positioning and state operators around them stay: they mean the same without it;
- every glyph procedure, without its leading d0 or d1 and without the Type 3 text it shows itself
  (a glyph may show text in another Type 3 font, which is then checked in turn), becomes a Form
  XObject with the font's bounding box, listed in the /XObject resources of each resource dictionary
  that held the font: pikepdf walks every Form XObject it meets in resources, so it checks each glyph
  as a content stream, with its resources;
- the resources of a glyph are those of its procedure's stream (a PDF 1.1 form veraPDF honours), else
  the font's /Resources. A font without /Resources names its glyphs' resources in the resources of
  the stream that shows the text (ISO 32000-1 9.6.5): for PDF/A-1 the glyph gets that resource
  dictionary; PDF/A-2 and 3 ask every content stream for an explicitly associated resource dictionary
  (6.2.2-2), so the glyph gets an empty one and any resource it names is refused there;
- every Type 3 font leaves every font resource dictionary, so pikepdf no longer meets one.

Uncertain cases (a base encoding without a table, glyph text inherited by a Form XObject drawn from
Type 3 text and also drawn otherwise, and the bounds on fonts, glyphs, nesting and stream sizes) are
reported as unchecked, and the refusal stands.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal

import pikepdf

from validators.pdfa._problem import Problem

log = logging.getLogger(__name__)

RULE = "pikepdf:font-type3"
MESSAGE = "Type 3 fonts are not supported"

_GLYPH_PREFIX = "QujatType3Glyph"
_BASE_ENCODINGS = frozenset({"/WinAnsiEncoding", "/MacRomanEncoding", "/MacExpertEncoding"})
_SHOW = frozenset({"Tj", "TJ", "'", '"'})
_Instruction = pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage
# Bounds on hostile input: beyond them the fonts are not checked and pikepdf's refusal stands
_MAX_FONTS = 256
_MAX_GLYPHS = 8192
_MAX_GLYPH_BYTES = 32 * 1024 * 1024
_MAX_CONTENT_BYTES = 128 * 1024 * 1024
_MAX_STREAMS = 20_000
_MAX_DEPTH = 12
_MAX_OBJECTS = 500_000
_MAX_OWNERS = 16
_MAX_ENTRIES = 200_000
# Type 3 glyphs showing Type 3 text: how deep the glyph procedures are followed
_MAX_GLYPH_NESTING = 4


def is_type3_finding(rule: str, message: str) -> bool:
    """True for pikepdf's refusal of a Type 3 font."""
    return rule == RULE and message == MESSAGE


Type3Problem = Problem


@dataclass(slots=True)
class Type3Verdict:
    """Problems found, and whether every Type 3 font left the copy with its glyphs handed over."""

    problems: list[Type3Problem] = field(default_factory=list)
    complete: bool = False


@dataclass(slots=True)
class _Font:
    """A Type 3 font found in the font resources of the document."""

    font: pikepdf.Dictionary
    where: str
    # The resource dictionaries whose /Font holds it (each once, by *owner_keys*)
    owners: list[pikepdf.Dictionary] = field(default_factory=list)
    owner_keys: set[object] = field(default_factory=set)
    # Character code -> shown for rendering (a text rendering mode other than 3) at least once
    codes: dict[int, bool] = field(default_factory=dict)
    nesting: int = 0
    glyphs_walked: bool = False
    # Glyph name -> glyph content as rewritten (without Type 3 text), leading d0/d1 included
    glyphs: dict[str, list[_Instruction]] = field(default_factory=dict)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return float(value)


def _numbers(value: object, count: int) -> list[float] | None:
    if not isinstance(value, pikepdf.Array) or len(value) != count:
        return None
    out = [_number(v) for v in value]
    return None if any(v is None for v in out) else [v for v in out if v is not None]


def _integer(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _font_key(font: pikepdf.Dictionary) -> object:
    # A direct font dictionary has no identity of its own: identical ones are one font for the checks
    return font.objgen if font.is_indirect else ("direct", bytes(font.unparse()))


def _resources_key(resources: pikepdf.Dictionary, holder: object) -> object:
    return resources.objgen if resources.is_indirect else ("in", holder)


def _base_table(name: str) -> dict[int, str] | None:
    """Code -> glyph name of a base encoding a Type 3 font may name (ISO 32000-1 Table 114)."""
    table_name = {"/WinAnsiEncoding": "WinAnsiEncoding", "/MacRomanEncoding": "MacRomanEncoding"}.get(name)
    if table_name is None:
        return None  # MacExpertEncoding, or not a base encoding at all
    try:
        # pikepdf.pdfa's reading of ISO 32000-1 Annex D, the tables its own font checks use
        from pikepdf.pdfa._encodings import encoding_table
    except ImportError:  # pragma: no cover - a pikepdf without it: those codes are not checked
        return None
    return dict(encoding_table(table_name))


class _Encoding:
    """Glyph names of a Type 3 font's codes, as veraPDF reads its encoding dictionary."""

    def __init__(self, font: pikepdf.Dictionary) -> None:
        self.differences: dict[int, str] = {}
        self.base: dict[int, str] | None = None
        self.base_unknown = False
        encoding = font.get("/Encoding")
        base = None
        if isinstance(encoding, pikepdf.Name):
            base = str(encoding)
        elif isinstance(encoding, pikepdf.Dictionary):
            base_name = encoding.get("/BaseEncoding")
            base = str(base_name) if isinstance(base_name, pikepdf.Name) else None
            differences = encoding.get("/Differences")
            if isinstance(differences, pikepdf.Array):
                code = None
                for item in differences:
                    if isinstance(item, pikepdf.Name):
                        if code is not None:
                            self.differences[code] = str(item)[1:]
                            code += 1
                    elif (value := _integer(item)) is not None:
                        code = value
        if base is not None:
            self.base = _base_table(base)
            # veraPDF knows only WinAnsi, MacRoman and MacExpert as bases; any other base names nothing
            self.base_unknown = self.base is None and base in _BASE_ENCODINGS

    def name(self, code: int) -> str | None:
        """The glyph name of *code*, or None if the encoding names none."""
        if code in self.differences:
            return self.differences[code]
        if self.base is not None:
            return self.base.get(code, ".notdef")
        return None


def _glyph_width(instructions: list[_Instruction]) -> tuple[float | None, bool]:
    """The width the leading d0 or d1 of a glyph procedure sets, and whether it leads with one."""
    if not instructions:
        return None, False
    first = instructions[0]
    if not isinstance(first, pikepdf.ContentStreamInstruction):
        return None, False
    op = str(first.operator)
    operands = list(first.operands)
    shape = (op == "d0" and len(operands) == 2) or (op == "d1" and len(operands) == 6)
    if shape and all(_number(v) is not None for v in operands):
        return _number(operands[0]), True
    return None, False


class _Walker:
    """Walk content streams, take Type 3 text out of them and note what it showed."""

    def __init__(self, pdf: pikepdf.Pdf, fonts: dict[object, _Font], problems: list[Type3Problem]) -> None:
        self.pdf = pdf
        self.fonts = fonts
        self.problems = problems
        self.streams = 0
        self.content_bytes = 0
        self.failed = False
        # Stream object -> its content as rewritten by the first walk (compared on later walks)
        self.rewritten: dict[tuple[int, int], bytes | None] = {}
        self.walked: set[tuple[object, ...]] = set()

    def unchecked(self, where: str, message: str) -> None:
        self.failed = True
        self.problems.append(Type3Problem(RULE, where, message, True))

    def type3(self, resources: pikepdf.Dictionary | None, name: object) -> _Font | None | bool:
        """The Type 3 font *name* selects in *resources*; False for another font, None if none."""
        if resources is None or not isinstance(name, pikepdf.Name):
            return None
        table = resources.get("/Font")
        font = table.get(name) if isinstance(table, pikepdf.Dictionary) else None
        if not isinstance(font, pikepdf.Dictionary):
            return None
        if font.get("/Subtype") != "/Type3":
            return False
        return self.fonts.get(_font_key(font))

    def filter(
        self,
        instructions: list[_Instruction],
        resources: pikepdf.Dictionary | None,
        font: _Font | None | bool,
        tr: int,
        depth: int,
        where: str,
        nesting: int,
    ) -> tuple[list[_Instruction], bool]:
        """The instructions without Type 3 text, and whether any were taken out."""
        kept: list[_Instruction] = []
        changed = False
        stack: list[tuple[_Font | None | bool, int]] = []
        for instruction in instructions:
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                kept.append(instruction)
                continue
            op = str(instruction.operator)
            operands = list(instruction.operands)
            if op == "q":
                stack.append((font, tr))
            elif op == "Q":
                if stack:
                    font, tr = stack.pop()
            elif op == "Tf" and operands:
                font = self.type3(resources, operands[0])
                if isinstance(font, _Font):
                    changed = True
                    continue
                if font is None and isinstance(operands[0], pikepdf.Name):
                    table = resources.get("/Font") if resources is not None else None
                    entry = table.get(operands[0]) if isinstance(table, pikepdf.Dictionary) else None
                    if isinstance(entry, pikepdf.Dictionary) and entry.get("/Subtype") == "/Type3":
                        # A Type 3 font the resource scan did not reach: it stays, and so does the refusal
                        self.unchecked(where, f"Type 3 font {operands[0]} was not found among the resources")
            elif op == "Tr" and operands:
                mode = _integer(operands[0])
                if mode is not None:
                    tr = mode
            elif op in _SHOW and isinstance(font, _Font):
                arg = operands[-1] if operands else None
                strings = list(arg) if isinstance(arg, pikepdf.Array) else [arg]
                for s in strings:
                    if isinstance(s, pikepdf.String):
                        for code in bytes(s):
                            font.codes[code] = font.codes.get(code, False) or tr != 3
                font.nesting = max(font.nesting, nesting)
                changed = True
                continue
            elif op == "Do" and operands and isinstance(operands[0], pikepdf.Name) and resources is not None:
                table = resources.get("/XObject")
                xobject = table.get(operands[0]) if isinstance(table, pikepdf.Dictionary) else None
                if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                    own = xobject.get("/Resources")
                    self.stream(
                        xobject,
                        own if isinstance(own, pikepdf.Dictionary) else resources,
                        font,
                        tr,
                        depth + 1,
                        nesting,
                    )
            kept.append(instruction)
        return kept, changed

    def parse(self, owner: pikepdf.Object | pikepdf.Page, where: str) -> list[_Instruction] | None:
        self.streams += 1
        if self.streams > _MAX_STREAMS:
            self.unchecked(where, f"more than {_MAX_STREAMS} content streams are not checked for Type 3 text")
            return None
        try:
            if isinstance(owner, pikepdf.Stream):
                self.content_bytes += len(owner.read_raw_bytes())
            if self.content_bytes > _MAX_CONTENT_BYTES:
                self.unchecked(where, "content streams too large to check for Type 3 text")
                return None
            return list(pikepdf.parse_content_stream(owner))
        except (pikepdf.PdfError, ValueError, TypeError) as e:
            # pikepdf.pdfa reports what it cannot parse; a Type 3 font used there stays refused
            log.debug("Cannot parse %s for Type 3 text: %s", where, e)
            return None

    def stream(
        self,
        stream: pikepdf.Stream,
        resources: pikepdf.Dictionary | None,
        font: _Font | None | bool,
        tr: int,
        depth: int,
        nesting: int,
    ) -> None:
        """Take the Type 3 text out of a Form XObject, tiling pattern or appearance stream."""
        if not stream.is_indirect:
            return
        where = f"obj {stream.objgen[0]} {stream.objgen[1]}"
        if depth > _MAX_DEPTH:
            self.unchecked(
                where, f"Form XObjects nested deeper than {_MAX_DEPTH} are not checked for Type 3 text"
            )
            return
        inherited = font if isinstance(font, _Font) else None
        key = (stream.objgen, id(inherited), tr)
        if key in self.walked:
            return
        self.walked.add(key)
        instructions = self.parse(stream, where)
        if instructions is None:
            return
        kept, changed = self.filter(instructions, resources, font, tr, depth, where, nesting)
        data = pikepdf.unparse_content_stream(kept) if changed else None
        if stream.objgen in self.rewritten:
            if self.rewritten[stream.objgen] != data:
                # The same stream drawn once with Type 3 text current and once without
                self.unchecked(
                    where, "a Form XObject shows text in a Type 3 font it inherits, and in another"
                )
            return
        self.rewritten[stream.objgen] = data

    def page(self, page: pikepdf.Dictionary, where: str) -> None:
        resources = _page_resources(page)
        if "/Contents" in page:
            instructions = self.parse(pikepdf.Page(page), where)
            if instructions is not None:
                kept, changed = self.filter(instructions, resources, None, 0, 0, where, 0)
                if changed:
                    page["/Contents"] = self.pdf.make_stream(pikepdf.unparse_content_stream(kept))
        annots = page.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            for annot in annots:
                ap = annot.get("/AP") if isinstance(annot, pikepdf.Dictionary) else None
                if not isinstance(ap, pikepdf.Dictionary):
                    continue
                for _key, entry in ap.items():
                    streams = (
                        [entry]
                        if isinstance(entry, pikepdf.Stream)
                        else [v for _k, v in entry.items()]
                        if isinstance(entry, pikepdf.Dictionary)
                        else []
                    )
                    for stream in streams:
                        if isinstance(stream, pikepdf.Stream):
                            own = stream.get("/Resources")
                            self.stream(
                                stream, own if isinstance(own, pikepdf.Dictionary) else None, None, 0, 1, 0
                            )

    def apply(self) -> None:
        """Write the rewritten Form XObjects, patterns and appearance streams into the copy."""
        for objgen, data in self.rewritten.items():
            if data is not None:
                self.pdf.get_object(objgen).write(data)


def _page_resources(page: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    node: pikepdf.Object | None = page
    for _ in range(64):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        resources = node.get("/Resources")
        if isinstance(resources, pikepdf.Dictionary):
            return resources
        node = node.get("/Parent")
    return None


def _find_fonts(pdf: pikepdf.Pdf, problems: list[Type3Problem]) -> tuple[dict[object, _Font], bool]:
    """Every Type 3 font of the font resources of the document, with the dictionaries that hold it."""
    fonts: dict[object, _Font] = {}
    for count, obj in enumerate(pdf.objects):
        if count > _MAX_OBJECTS:
            problems.append(
                Type3Problem(RULE, "document", "too many objects to find every Type 3 font", True)
            )
            return fonts, False
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        holders: list[tuple[pikepdf.Dictionary, object]] = []
        if isinstance(obj, pikepdf.Dictionary) and isinstance(obj.get("/Font"), pikepdf.Dictionary):
            holders.append((obj, obj.objgen))
        resources = obj.get("/Resources")
        if isinstance(resources, pikepdf.Dictionary):
            holders.append((resources, (obj.objgen, "/Resources")))
        for resources, holder in holders:
            table = resources.get("/Font")
            if not isinstance(table, pikepdf.Dictionary):
                continue
            for key, font in table.items():
                if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != "/Type3":
                    continue
                font_key = _font_key(font)
                record = fonts.get(font_key)
                if record is None:
                    if len(fonts) >= _MAX_FONTS:
                        problems.append(
                            Type3Problem(
                                RULE, "document", f"more than {_MAX_FONTS} Type 3 fonts are not checked", True
                            )
                        )
                        return fonts, False
                    where = (
                        f"obj {font.objgen[0]} {font.objgen[1]} (Font)"
                        if font.is_indirect
                        else f"font {key} of the resources of obj {obj.objgen[0]} {obj.objgen[1]}"
                    )
                    record = fonts[font_key] = _Font(font=font, where=where)
                owner_key = _resources_key(resources, holder)
                if owner_key not in record.owner_keys:
                    record.owner_keys.add(owner_key)
                    record.owners.append(resources)
    return fonts, True


def _check_dictionary(record: _Font, part: int) -> list[Type3Problem]:
    """ISO 32000-1 Table 112, as ISO 19005-1 6.3.2 and ISO 19005-2/3 6.2.11.2 ask of every font."""
    font = record.font
    clause = "6.3.2" if part == 1 else "6.2.11.2"
    problems: list[Type3Problem] = []

    def bad(test: str, message: str) -> None:
        problems.append(Type3Problem(f"{clause}{test}", record.where, message))

    if _numbers(font.get("/FontBBox"), 4) is None:
        bad("", "the Type 3 font's /FontBBox is not a rectangle of four numbers")
    if _numbers(font.get("/FontMatrix"), 6) is None:
        bad("", "the Type 3 font's /FontMatrix is not an array of six numbers")
    charprocs = font.get("/CharProcs")
    if not isinstance(charprocs, pikepdf.Dictionary):
        bad("", "the Type 3 font has no /CharProcs dictionary")
    elif any(not isinstance(v, pikepdf.Stream) for _k, v in charprocs.items()):
        bad("", "a /CharProcs entry of the Type 3 font is not a stream")
    encoding = font.get("/Encoding")
    if not isinstance(encoding, pikepdf.Dictionary):
        bad("", "the Type 3 font's /Encoding is not an encoding dictionary")
    else:
        differences = encoding.get("/Differences")
        if differences is not None and not (
            isinstance(differences, pikepdf.Array)
            and all(isinstance(v, pikepdf.Name) or _integer(v) is not None for v in differences)
        ):
            bad("", "the /Differences of the Type 3 font's encoding are not codes and names")
    for key, expected in (("/Resources", pikepdf.Dictionary), ("/FontDescriptor", pikepdf.Dictionary)):
        if key in font and not isinstance(font.get(key), expected):
            bad("", f"the Type 3 font's {key} is not a dictionary")
    if "/ToUnicode" in font and not isinstance(font.get("/ToUnicode"), pikepdf.Stream):
        bad("", "the Type 3 font's /ToUnicode is not a stream")
    first = _integer(font.get("/FirstChar"))
    last = _integer(font.get("/LastChar"))
    if first is None:
        bad("-4", "the Type 3 font has no integer /FirstChar")
    if last is None:
        bad("-5", "the Type 3 font has no integer /LastChar")
    widths = font.get("/Widths")
    if not isinstance(widths, pikepdf.Array):
        bad("-6", "the Type 3 font has no /Widths array")
    else:
        if first is not None and last is not None and len(widths) != last - first + 1:
            bad("-6", f"/Widths has {len(widths)} entries, not LastChar - FirstChar + 1 = {last - first + 1}")
        if any(_number(v) is None for v in widths):
            bad("", "an entry of the Type 3 font's /Widths is not a number")
    return problems


def _dictionary_width(font: pikepdf.Dictionary, code: int) -> float:
    """The width of *code* in the font dictionary, as veraPDF reads it (0 when it finds none)."""
    widths = font.get("/Widths")
    first = _integer(font.get("/FirstChar"))
    last = _integer(font.get("/LastChar"))
    if isinstance(widths, pikepdf.Array) and first is not None and last is not None and first <= code <= last:
        index = code - first
        value = _number(widths[index]) if 0 <= index < len(widths) else None
        return value if value is not None else 0.0
    descriptor = font.get("/FontDescriptor")
    if isinstance(descriptor, pikepdf.Dictionary):
        missing = _number(descriptor.get("/MissingWidth"))
        if missing is not None:
            return missing
    return 0.0


def _check_glyphs(record: _Font, part: int, encoding: _Encoding) -> list[Type3Problem]:
    """The glyph rules over the codes shown with the font."""
    font = record.font
    charprocs = font.get("/CharProcs")
    if not isinstance(charprocs, pikepdf.Dictionary):
        charprocs = pikepdf.Dictionary()
    notdef: list[int] = []
    missing: list[int] = []
    widths: list[str] = []
    problems: list[Type3Problem] = []
    descriptor = font.get("/FontDescriptor")
    default = _number(descriptor.get("/MissingWidth")) if isinstance(descriptor, pikepdf.Dictionary) else None
    for code, rendered in sorted(record.codes.items()):
        name = encoding.name(code)
        if name is None and encoding.base_unknown and code not in encoding.differences:
            problems.append(
                Type3Problem(
                    RULE, record.where, f"code {code} is named by a base encoding that is not checked", True
                )
            )
            continue
        if name == ".notdef":
            notdef.append(code)
        if not rendered:
            continue
        if name is None or pikepdf.Name(f"/{name}") not in charprocs:
            missing.append(code)
            continue
        glyph = record.glyphs.get(name)
        program, _leads = _glyph_width(glyph) if glyph is not None else (None, False)
        if program is None:
            program = default if default is not None else 0.0
        expected = _dictionary_width(font, code)
        if abs(program - expected) > 1:
            widths.append(f"{code} ({expected:g} in /Widths, {program:g} in its glyph procedure)")
    if notdef and part != 1:
        problems.append(
            Type3Problem(
                "6.2.11.8-1",
                record.where,
                f"text shows code(s) {', '.join(map(str, notdef[:8]))} of a Type 3 font, which name .notdef",
            )
        )
    if missing:
        problems.append(
            Type3Problem(
                "6.3.5-1" if part == 1 else "6.2.11.4.1-2",
                record.where,
                f"code(s) {', '.join(map(str, missing[:8]))} shown for rendering have no glyph procedure "
                "in the Type 3 font's /CharProcs",
            )
        )
    if widths:
        problems.append(
            Type3Problem(
                "6.3.6-1" if part == 1 else "6.2.11.5-1",
                record.where,
                f"glyph widths of the Type 3 font disagree for code(s) {'; '.join(widths[:4])}",
            )
        )
    return problems


def _walk_glyphs(walker: _Walker, record: _Font, part: int) -> None:
    """Read every glyph procedure of the font, taking out the Type 3 text it shows."""
    record.glyphs_walked = True
    charprocs = record.font.get("/CharProcs")
    if not isinstance(charprocs, pikepdf.Dictionary):
        return
    font_resources = record.font.get("/Resources")
    for name, proc in charprocs.items():
        if not isinstance(proc, pikepdf.Stream):
            continue
        where = f"{record.where} glyph {name}"
        try:
            data = proc.read_bytes()
        except pikepdf.PdfError as e:
            walker.unchecked(where, f"the glyph procedure cannot be read: {e}")
            continue
        walker.content_bytes += len(data)
        if walker.content_bytes > _MAX_CONTENT_BYTES:
            walker.unchecked(where, "content streams too large to check for Type 3 text")
            return
        try:
            instructions = list(pikepdf.parse_content_stream(proc))
        except (pikepdf.PdfError, ValueError, TypeError) as e:
            walker.unchecked(where, f"the glyph procedure cannot be parsed: {e}")
            continue
        own = proc.get("/Resources")
        if isinstance(own, pikepdf.Dictionary):
            resources: pikepdf.Dictionary | None = own
        elif isinstance(font_resources, pikepdf.Dictionary):
            resources = font_resources
        else:
            # Part 1 looks names up where the font is used; for the walk, its first holder
            resources = record.owners[0] if part == 1 and record.owners else None
        kept, _changed = walker.filter(instructions, resources, None, 0, 0, where, record.nesting + 1)
        record.glyphs[str(name)[1:]] = kept


def hand_over_type3(pdf: pikepdf.Pdf, part: int) -> Type3Verdict:
    """Check the Type 3 fonts of the document, and prepare the copy *pdf* for a second pikepdf check.

    Args:
        pdf: The copy of the document; it is modified.
        part: ISO 19005 part.

    Returns:
        The problems found; ``complete`` is True if every Type 3 font left the copy, its text taken out
        of every content stream found and its glyphs handed over as Form XObjects.
    """
    verdict = Type3Verdict()
    problems = verdict.problems
    fonts, found_all = _find_fonts(pdf, problems)
    walker = _Walker(pdf, fonts, problems)
    for number, page in enumerate(pdf.pages, start=1):
        walker.page(page.obj, f"page {number}")
    # Streams no page reached (pikepdf walks every Form XObject it meets in resources)
    for count, obj in enumerate(pdf.objects):
        if count > _MAX_OBJECTS:
            walker.unchecked("document", "too many objects to find every content stream")
            break
        if not isinstance(obj, pikepdf.Stream) or obj.objgen in walker.rewritten:
            continue
        if obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1:
            own = obj.get("/Resources")
            walker.stream(obj, own if isinstance(own, pikepdf.Dictionary) else None, None, 0, 1, 0)
    # Glyph procedures, and those of the Type 3 fonts they show in turn
    glyph_count = 0
    glyph_bytes = 0
    for _round in range(_MAX_GLYPH_NESTING + 1):
        pending = [r for r in fonts.values() if not r.glyphs_walked]
        if not pending:
            break
        for record in pending:
            charprocs = record.font.get("/CharProcs")
            if isinstance(charprocs, pikepdf.Dictionary):
                glyph_count += len(charprocs)
                glyph_bytes += sum(
                    len(v.read_raw_bytes()) for _k, v in charprocs.items() if isinstance(v, pikepdf.Stream)
                )
            if glyph_count > _MAX_GLYPHS or glyph_bytes > _MAX_GLYPH_BYTES:
                walker.unchecked(record.where, "too many or too large Type 3 glyph procedures to check")
                return verdict
            _walk_glyphs(walker, record, part)
    else:
        if any(not r.glyphs_walked for r in fonts.values()):
            walker.unchecked(
                "document", f"Type 3 glyphs nested deeper than {_MAX_GLYPH_NESTING} are not checked"
            )
    walker.apply()
    for record in fonts.values():
        problems.extend(_check_dictionary(record, part))
        problems.extend(_check_glyphs(record, part, _Encoding(record.font)))
    # The fonts leave their resource dictionaries before the glyphs are listed there, so that no
    # glyph's resources (a copy, where they are direct) still hold a Type 3 font
    for record in fonts.values():
        key = _font_key(record.font)
        for resources in record.owners:
            table = resources.get("/Font")
            if isinstance(table, pikepdf.Dictionary):
                for name in [
                    k for k, v in table.items() if isinstance(v, pikepdf.Dictionary) and _font_key(v) == key
                ]:
                    del table[name]
    for record in fonts.values():
        _glyph_forms(pdf, record, part, walker)
    verdict.complete = found_all and not walker.failed
    log.debug("Type 3 fonts handed over: %d (complete: %s)", len(fonts), verdict.complete)
    return verdict


# Operators whose name operands (after the first, for marked content) are looked up in resources
_RESOURCE_OPERATORS = {
    "gs": 0,
    "Do": 0,
    "Tf": 0,
    "sh": 0,
    "cs": 0,
    "CS": 0,
    "scn": 0,
    "SCN": 0,
    "BDC": 1,
    "DP": 1,
}
_DEVICE_NAMES = frozenset(
    {"/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/Pattern", "/G", "/RGB", "/CMYK", "/I", "/Indexed"}
)


def _names_resources(instructions: list[_Instruction]) -> bool:
    """True if a content stream names a resource (a graphics state, XObject, font, colour space...)."""
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            image = instruction.iimage.obj
            for key in ("/CS", "/ColorSpace"):
                space = image.get(key)
                if isinstance(space, pikepdf.Name) and str(space) not in _DEVICE_NAMES:
                    return True
                if isinstance(space, pikepdf.Array):
                    return True
            continue
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue
        skip = _RESOURCE_OPERATORS.get(str(instruction.operator))
        if skip is None:
            continue
        for operand in list(instruction.operands)[skip:]:
            if isinstance(operand, pikepdf.Name) and str(operand) not in _DEVICE_NAMES:
                return True
    return False


def _glyph_forms(pdf: pikepdf.Pdf, record: _Font, part: int, walker: _Walker) -> None:
    """List each glyph of the font as a Form XObject in the resources that hold the font."""
    font = record.font
    charprocs = font.get("/CharProcs")
    if not isinstance(charprocs, pikepdf.Dictionary):
        return
    bbox = font.get("/FontBBox")
    if _numbers(bbox, 4) is None:
        bbox = pikepdf.Array([0, 0, 1, 1])
    font_resources = font.get("/Resources")
    bodies: dict[str, tuple[bytes, pikepdf.Dictionary | None]] = {}
    for name, kept in record.glyphs.items():
        _width, leads = _glyph_width(kept)
        if not leads:
            walker.problems.append(
                Type3Problem(
                    "6.3.2" if part == 1 else "6.2.11.2",
                    f"{record.where} glyph /{name}",
                    "the glyph procedure does not begin with d0 or d1 (ISO 32000-1 9.6.5)",
                )
            )
        proc = charprocs.get(pikepdf.Name(f"/{name}"))
        own = proc.get("/Resources") if isinstance(proc, pikepdf.Stream) else None
        if not isinstance(own, pikepdf.Dictionary):
            own = font_resources if isinstance(font_resources, pikepdf.Dictionary) else None
        if own is None and part == 1 and not _names_resources(kept):
            # Where it is shown does not matter to a glyph that names no resource
            own = pikepdf.Dictionary()
        bodies[name] = (pikepdf.unparse_content_stream(kept[1:] if leads else kept), own)
    owners = record.owners
    # A PDF/A-1 glyph without resources of its own is checked once per holder, with its resources
    if part == 1 and any(own is None for _body, own in bodies.values()) and len(owners) > _MAX_OWNERS:
        walker.unchecked(record.where, f"a Type 3 font held by more than {_MAX_OWNERS} resource dictionaries")
        owners = owners[:_MAX_OWNERS]
    if len(owners) * len(bodies) > _MAX_ENTRIES:
        walker.unchecked(
            record.where, "a Type 3 font with too many glyphs held by too many resource dictionaries"
        )
        return
    shared: dict[str, pikepdf.Stream] = {}
    reused: set[str] = set()
    # Every holder lists the glyphs, since pikepdf may not reach every one of them
    for owner in owners:
        xobjects = owner.get("/XObject")
        if xobjects is None:
            xobjects = owner["/XObject"] = pikepdf.Dictionary()
        if not isinstance(xobjects, pikepdf.Dictionary):
            walker.unchecked(record.where, "the /XObject resources that would hold the glyphs are malformed")
            continue
        for name, (body, own) in bodies.items():
            form = shared.get(name)
            if form is None or (own is None and part == 1):
                # Without resources of its own, a PDF/A-1 glyph uses those of the stream showing it;
                # PDF/A-2 and 3 ask for explicitly associated ones (6.2.2-2), so it gets none
                resources = own if own is not None else owner if part == 1 else pikepdf.Dictionary()
                proc = charprocs.get(pikepdf.Name(f"/{name}"))
                if isinstance(proc, pikepdf.Stream) and proc.is_indirect and name not in reused:
                    # The glyph procedure itself becomes the form, so that pikepdf's findings name its object
                    reused.add(name)
                    for key in list(proc.keys()):
                        if key != "/Length":
                            del proc[key]
                    proc.write(body)
                    form = proc
                    form.Type = pikepdf.Name.XObject
                    form.Subtype = pikepdf.Name.Form
                    form.BBox = bbox
                    form.Resources = resources
                else:
                    form = pdf.make_stream(
                        body,
                        Type=pikepdf.Name.XObject,
                        Subtype=pikepdf.Name.Form,
                        BBox=bbox,
                        Resources=resources,
                    )
                shared[name] = form
            index = len(xobjects)
            while pikepdf.Name(f"/{_GLYPH_PREFIX}{index}") in xobjects:
                index += 1
            xobjects[pikepdf.Name(f"/{_GLYPH_PREFIX}{index}")] = form
