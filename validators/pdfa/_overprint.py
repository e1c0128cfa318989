"""Overprint mode with ICCBased CMYK colour (ISO 19005-2 6.2.4.2-2), which pikepdf.pdfa refuses.

ISO 19005-2 6.2.4.2: overprint mode (the /OPM of a graphics state parameter dictionary) shall not be
1 when an ICCBased CMYK colour space is used for stroking and stroke overprinting (/OP) is on, or
used for filling and fill overprinting (/op) is on. veraPDF tests this at each use of colour: a path
painted, or text shown (filled, stroked or both, by the text rendering mode), with an ICCBased space
of four components, either named or standing in for DeviceCMYK as the resources' /DefaultCMYK, under
the overprint parameters in force. Images and shadings carry their own colour and are not such uses.
ISO 19005-1 has no such rule.

pikepdf refuses any graphics state that sets overprint mode 1 with overprinting on, whatever colour
follows. `check_overprint` tracks the graphics state through every content stream of the document
(pages, Form XObjects, tiling patterns, Type 3 glyphs, soft mask groups, annotation appearances,
each with the state it is drawn in, and every Form XObject, tiling pattern and Type 3 glyph once
more from the initial state, as a reader of the file's objects meets them) and reports each use
that breaks the rule; `neutralise` writes /OPM 0 in every graphics state of the copy pikepdf checks
again, so that nothing else goes unchecked behind the refusal.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

import pikepdf

from validators.pdfa._problem import Problem, dictionaries_with

log = logging.getLogger(__name__)

RULE_PART23 = "ISO_19005_2:6.2.4.2-2"
MESSAGE = "overprint mode 1 with overprinting on is not supported (PDF/A forbids it for ICCBased CMYK colour)"
CLAUSE = "6.2.4.2-2"

_FILL_OPS = frozenset({"f", "F", "f*", "B", "B*", "b", "b*"})
_STROKE_OPS = frozenset({"S", "s", "B", "B*", "b", "b*"})
_TEXT_OPS = frozenset({"Tj", "TJ", "'", '"'})
# Text rendering modes that fill, and that stroke (ISO 32000-1 Table 106)
_TEXT_FILL = frozenset({0, 2, 4, 6})
_TEXT_STROKE = frozenset({1, 2, 5, 6})
_DEVICE_FAMILIES = frozenset({"/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/Pattern"})
_MAX_DEPTH = 16
_MAX_INSTRUCTIONS = 2_000_000
_MAX_STREAMS = 20_000
_MAX_PARENTS = 64


OverprintProblem = Problem


@dataclass(frozen=True, slots=True)
class _State:
    """What the rule needs of the graphics state."""

    fill_cmyk: bool = False
    stroke_cmyk: bool = False
    fill_pattern: bool = False
    stroke_pattern: bool = False
    op_fill: bool = False
    op_stroke: bool = False
    opm: int = 0
    render: int = 0
    # The current font if it is a Type 3 font: its key in `_Walk.fonts`
    type3: object = None


@dataclass(slots=True)
class _Walk:
    part: int
    problems: list[OverprintProblem] = field(default_factory=list)
    instructions: int = 0
    streams: int = 0
    # (stream, state) pairs already walked: a form drawn many times in one state is walked once
    seen: set[tuple[object, _State]] = field(default_factory=set)
    reported: set[tuple[str, str]] = field(default_factory=set)
    incomplete: bool = False
    fonts: dict[object, pikepdf.Object] = field(default_factory=dict)

    def unsupported(self, where: str, message: str) -> None:
        self.incomplete = True
        self.problems.append(OverprintProblem("pikepdf:overprint-mode", where, message, True))

    def violation(self, where: str, what: str) -> None:
        if (where, what) in self.reported:
            return
        self.reported.add((where, what))
        self.problems.append(
            OverprintProblem(
                CLAUSE,
                where,
                f"overprint mode 1 with {what} overprinting on, "
                f"and an ICCBased CMYK colour space used for {what}",
            )
        )


def _name(value: object) -> str | None:
    if not isinstance(value, pikepdf.Name):
        return None
    try:
        return str(value)
    except UnicodeDecodeError:
        return None


def _icc_cmyk(value: object) -> bool:
    """True for an [/ICCBased stream] colour space array of four components."""
    if not isinstance(value, pikepdf.Array) or len(value) < 2 or _name(value[0]) != "/ICCBased":
        return False
    stream = value[1]
    return isinstance(stream, pikepdf.Stream) and stream.get("/N") == 4


def _lookup(resources: list[pikepdf.Dictionary], category: str, name: object) -> object:
    """A named resource, from the stream's own resources first, then those it inherits."""
    if not isinstance(name, pikepdf.Name):
        return None
    for held in resources:
        table = held.get(category)
        if isinstance(table, pikepdf.Dictionary) and name in table:
            return table.get(name)
    return None


def _space(operand: object, resources: list[pikepdf.Dictionary]) -> tuple[bool, bool]:
    """(ICCBased CMYK?, pattern?) for a colour space selected by cs or CS."""
    family = _name(operand)
    value: object = operand
    if family is not None and family not in _DEVICE_FAMILIES:
        value = _lookup(resources, "/ColorSpace", operand)
        family = _name(value)
    if family == "/DeviceCMYK":
        return _icc_cmyk(_lookup(resources, "/ColorSpace", pikepdf.Name.DefaultCMYK)), False
    if family == "/Pattern":
        return False, True
    if isinstance(value, pikepdf.Array) and len(value) > 1 and _name(value[0]) == "/Pattern":
        # An uncoloured pattern takes its colour from the underlying space
        return _underlying_cmyk(value[1], resources), True
    return _icc_cmyk(value), False


def _underlying_cmyk(base: object, resources: list[pikepdf.Dictionary]) -> bool:
    if _name(base) == "/DeviceCMYK":
        return _icc_cmyk(_lookup(resources, "/ColorSpace", pikepdf.Name.DefaultCMYK))
    return _icc_cmyk(base)


def _apply_gs(state: _State, params: pikepdf.Dictionary) -> _State:
    op_stroke, op_fill, opm = state.op_stroke, state.op_fill, state.opm
    if "/OP" in params:
        op_stroke = params.get("/OP") is True
        # ISO 32000-1 Table 58: /op defaults to the value of /OP
        op_fill = op_stroke
    if "/op" in params:
        op_fill = params.get("/op") is True
    if "/OPM" in params:
        value = params.get("/OPM")
        opm = 0 if not isinstance(value, bool) and value == 0 else 1
    return replace(state, op_stroke=op_stroke, op_fill=op_fill, opm=opm)


def _where(obj: pikepdf.Object, kind: str) -> str:
    if obj.is_indirect:
        return f"obj {obj.objgen[0]} {obj.objgen[1]} ({kind}) content"
    return f"{kind} content"


def _resources_of(owner: pikepdf.Object, inherited: list[pikepdf.Dictionary]) -> list[pikepdf.Dictionary]:
    own = owner.get("/Resources")
    if isinstance(own, pikepdf.Dictionary):
        return [own, *inherited]
    return inherited


def _page_resources(page: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    node: object = page
    for _ in range(_MAX_PARENTS):
        if not isinstance(node, pikepdf.Dictionary):
            break
        own = node.get("/Resources")
        if isinstance(own, pikepdf.Dictionary):
            return [own]
        node = node.get("/Parent")
    return []


def _walk(
    walk: _Walk,
    content: pikepdf.Object,
    resources: list[pikepdf.Dictionary],
    state: _State,
    where: str,
    depth: int,
) -> None:
    """Walk one content stream (a page, given as its dictionary, or a stream) from *state*."""
    if walk.incomplete:
        return
    key = (content.objgen if content.is_indirect else id(content), state)
    if key in walk.seen:
        return
    walk.seen.add(key)
    walk.streams += 1
    if depth > _MAX_DEPTH or walk.streams > _MAX_STREAMS:
        walk.unsupported(where, "content nested too deep or too many content streams to check overprint")
        return
    try:
        target = pikepdf.Page(content) if not isinstance(content, pikepdf.Stream) else content
        instructions = pikepdf.parse_content_stream(target)
    except (pikepdf.PdfError, ValueError, TypeError) as e:
        walk.unsupported(where, f"cannot parse content to check overprint: {e}")
        return
    walk.instructions += len(instructions)
    if walk.instructions > _MAX_INSTRUCTIONS:
        walk.unsupported(where, "too many content instructions to check overprint")
        return
    saved: list[_State] = []
    for instruction in instructions:
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue
        op = str(instruction.operator)
        operands = list(instruction.operands)
        if op == "q":
            saved.append(state)
        elif op == "Q":
            if saved:
                state = saved.pop()
        elif op == "gs" and operands:
            params = _lookup(resources, "/ExtGState", operands[0])
            if isinstance(params, pikepdf.Dictionary):
                state = _apply_gs(state, params)
                mask = params.get("/SMask")
                group = mask.get("/G") if isinstance(mask, pikepdf.Dictionary) else None
                if isinstance(group, pikepdf.Stream):
                    _walk(
                        walk,
                        group,
                        _resources_of(group, resources),
                        state,
                        _where(group, "FormXObject"),
                        depth + 1,
                    )
        elif op in ("cs", "CS") and operands:
            cmyk, pattern = _space(operands[0], resources)
            if op == "cs":
                state = replace(state, fill_cmyk=cmyk, fill_pattern=pattern)
            else:
                state = replace(state, stroke_cmyk=cmyk, stroke_pattern=pattern)
        elif op in ("k", "K"):
            cmyk = _icc_cmyk(_lookup(resources, "/ColorSpace", pikepdf.Name.DefaultCMYK))
            state = replace(
                state,
                **(
                    {"fill_cmyk": cmyk, "fill_pattern": False}
                    if op == "k"
                    else {"stroke_cmyk": cmyk, "stroke_pattern": False}
                ),
            )
        elif op in ("g", "rg"):
            state = replace(state, fill_cmyk=False, fill_pattern=False)
        elif op in ("G", "RG"):
            state = replace(state, stroke_cmyk=False, stroke_pattern=False)
        elif op in ("scn", "SCN") and operands and isinstance(operands[-1], pikepdf.Name):
            if state.fill_pattern if op == "scn" else state.stroke_pattern:
                tile = _lookup(resources, "/Pattern", operands[-1])
                if isinstance(tile, pikepdf.Stream) and tile.get("/PatternType") == 1:
                    _walk(
                        walk,
                        tile,
                        _resources_of(tile, []),
                        state,
                        _where(tile, "Pattern"),
                        depth + 1,
                    )
        elif op == "Tr" and operands and isinstance(operands[0], int):
            state = replace(state, render=int(operands[0]))
        elif op == "Tf" and operands:
            font = _lookup(resources, "/Font", operands[0])
            type3 = None
            if isinstance(font, pikepdf.Dictionary) and font.get("/Subtype") == "/Type3":
                type3 = font.objgen if font.is_indirect else id(font)
                walk.fonts[type3] = font
            state = replace(state, type3=type3)
        elif op == "Do" and operands:
            xobject = _lookup(resources, "/XObject", operands[0])
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                _walk(
                    walk,
                    xobject,
                    _resources_of(xobject, resources),
                    state,
                    _where(xobject, "FormXObject"),
                    depth + 1,
                )
        if op in _FILL_OPS and state.op_fill and state.opm == 1 and state.fill_cmyk:
            walk.violation(where, "fill")
        if op in _STROKE_OPS and state.op_stroke and state.opm == 1 and state.stroke_cmyk:
            walk.violation(where, "stroke")
        if op in _TEXT_OPS:
            if state.render in _TEXT_FILL and state.op_fill and state.opm == 1 and state.fill_cmyk:
                walk.violation(where, "fill")
            if state.render in _TEXT_STROKE and state.op_stroke and state.opm == 1 and state.stroke_cmyk:
                walk.violation(where, "stroke")
            if state.type3 is not None:
                _glyphs(walk, walk.fonts[state.type3], resources, state, depth)


def _glyphs(
    walk: _Walk, font: pikepdf.Object, resources: list[pikepdf.Dictionary], state: _State, depth: int
) -> None:
    """Walk every glyph description of a Type 3 font, drawn in *state*."""
    procs = font.get("/CharProcs")
    if not isinstance(procs, pikepdf.Dictionary):
        return
    glyph_resources = _resources_of(font, resources)
    glyph_state = replace(state, type3=None)
    for proc in procs.values():
        if isinstance(proc, pikepdf.Stream):
            _walk(walk, proc, glyph_resources, glyph_state, _where(proc, "Type3Glyph"), depth + 1)


def _appearances(annotation: object) -> list[pikepdf.Stream]:
    if not isinstance(annotation, pikepdf.Dictionary):
        return []
    ap = annotation.get("/AP")
    if not isinstance(ap, pikepdf.Dictionary):
        return []
    found: list[pikepdf.Stream] = []
    for key in ("/N", "/R", "/D"):
        value = ap.get(key)
        if isinstance(value, pikepdf.Stream):
            found.append(value)
        elif isinstance(value, pikepdf.Dictionary):
            found.extend(v for v in value.values() if isinstance(v, pikepdf.Stream))
    return found


def check_overprint(pdf: pikepdf.Pdf, part: int) -> list[OverprintProblem]:
    """Check every use of colour in *pdf* against ISO 19005-2 6.2.4.2-2 (nothing for part 1)."""
    if part == 1:
        return []
    walk = _Walk(part)
    for page in pdf.pages:
        obj = page.obj
        resources = _page_resources(obj)
        _walk(walk, obj, resources, _State(), _where(obj, "Page"), 0)
        annots = obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            for annotation in annots:
                for appearance in _appearances(annotation):
                    _walk(
                        walk,
                        appearance,
                        _resources_of(appearance, []),
                        _State(),
                        _where(appearance, "FormXObject"),
                        1,
                    )
        if walk.incomplete:
            break
    # Streams no page reaches, or reaches only in another state, as a reader of the file's objects
    # meets them: from the initial graphics state, with their own resources
    for found in pdf.objects:
        if walk.incomplete:
            break
        if isinstance(found, pikepdf.Stream) and (
            found.get("/Subtype") == "/Form" or found.get("/PatternType") == 1
        ):
            kind = "FormXObject" if found.get("/Subtype") == "/Form" else "Pattern"
            _walk(walk, found, _resources_of(found, []), _State(), _where(found, kind), 1)
        elif isinstance(found, pikepdf.Dictionary) and found.get("/Subtype") == "/Type3":
            _glyphs(walk, found, [], _State(), 1)
    return walk.problems


def neutralise(pdf: pikepdf.Pdf) -> int:
    """Write /OPM 0 in every graphics state of the copy *pdf*; return how many were changed.

    /OPM is a key of graphics state parameter dictionaries only (ISO 32000-1 Table 58), so every
    dictionary holding it, indirect or written in place in another, is one.
    """
    changed = 0
    for state, _where in dictionaries_with(pdf, "/OPM", _MAX_DEPTH):
        value = state.get("/OPM")
        if isinstance(value, bool) or value != 0:
            state["/OPM"] = 0
            changed += 1
    return changed
