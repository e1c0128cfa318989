"""Pattern colour (ISO 32000-1 8.7), which pikepdf.pdfa refuses wherever it meets it.

PDF/A permits patterns; what it asks of them is what it asks of what they draw. A coloured tiling
pattern is a content stream with its own resources, checked as a Form XObject would be; a shading
pattern is a shading (see `_shading`) with an optional graphics state. pikepdf refuses the /Pattern
resource entry (and checks nothing else in that resource dictionary), the ``cs /Pattern`` that
selects pattern colour and the ``scn`` that names a pattern.

`hand_over_patterns` prepares a copy of the document for a second pikepdf check: in each content
stream pikepdf refused for patterns, the operators that select a pattern are taken out; each coloured
tiling pattern it used becomes a Form XObject of the same resources, each shading pattern's shading is
checked here and its graphics state joins the resources; and /Pattern leaves every resource
dictionary. Uncoloured tiling patterns, whose colour comes from the content stream, are not checked
and stay refused.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import pikepdf

from validators.pdfa import _shading

log = logging.getLogger(__name__)

RESOURCES_MESSAGE = "patterns are not supported"
_CS_WHERE = re.compile(r"^(obj (\d+) (\d+) \((Page|FormXObject)\) content) (cs|CS) (/\S+)$")
_SCN_WHERE = re.compile(r"^obj (\d+) (\d+) \((Page|FormXObject)\) content$")
_SCN_MESSAGE = re.compile(r"^(scn|SCN) with a pattern (/\S+)$")
_PATTERN_PREFIX = "QujatPattern"
_TILING_KEYS = ("/PatternType", "/PaintType", "/TilingType", "/XStep", "/YStep")


def stream_where(rule: str, where: str, message: str) -> str | None:
    """The content stream location of pikepdf's refusal of pattern colour or of a pattern, or None."""
    if rule == "pikepdf:colour-space" and message == "pattern colour is not supported":
        m = _CS_WHERE.match(where)
        return m.group(1) if m is not None else None
    if rule == "pikepdf:pattern" and _SCN_MESSAGE.match(message) is not None and _SCN_WHERE.match(where):
        return where
    return None


def is_pattern_finding(rule: str, message: str) -> bool:
    """True for pikepdf's refusals of pattern colour, of a pattern, and of /Pattern resources."""
    return (
        (rule == "pikepdf:colour-space" and message == "pattern colour is not supported")
        or (rule == "pikepdf:pattern" and _SCN_MESSAGE.match(message) is not None)
        or (rule == "pikepdf:schema-Resources" and message == RESOURCES_MESSAGE)
    )


@dataclass(slots=True)
class PatternVerdict:
    """Problems found, and the streams (by pikepdf's location of their content) handed over."""

    problems: list[_shading.ShadingProblem] = field(default_factory=list)
    streams: set[str] = field(default_factory=set)


def _stream_of(pdf: pikepdf.Pdf, where: str) -> tuple[pikepdf.Object, bool] | None:
    m = _SCN_WHERE.match(where)
    if m is None:
        return None
    try:
        obj = pdf.get_object(int(m.group(1)), int(m.group(2)))
    except (pikepdf.PdfError, ValueError):
        return None
    is_page = m.group(3) == "Page"
    if not isinstance(obj, pikepdf.Dictionary if is_page else pikepdf.Stream):
        return None
    return obj, is_page


def _is_pattern_space(value: object) -> bool | None:
    """True for a coloured pattern space, None for an uncoloured one, False for any other space."""
    if isinstance(value, pikepdf.Name):
        return bool(value == "/Pattern")
    if isinstance(value, pikepdf.Array) and len(value) > 0 and value[0] == "/Pattern":
        return True if len(value) == 1 else None
    return False


def hand_over_patterns(
    pdf: pikepdf.Pdf, part: int, output_intent: str | None, wheres: list[str]
) -> tuple[PatternVerdict, list[tuple[pikepdf.Dictionary, pikepdf.Object]]]:
    """Check the patterns of the content streams pikepdf refused, and prepare the copy *pdf*.

    Args:
        pdf: The copy of the document; it is modified.
        part: ISO 19005 part.
        output_intent: pikepdf's reading of the OutputIntent colour space.
        wheres: Content stream locations of pikepdf's pattern findings (``obj 7 0 (Page) content``).

    Returns:
        The verdict, and the colour spaces of shading patterns for pikepdf to check (as
        `_shading.without_shading_resources` takes them).
    """
    verdict = PatternVerdict()
    checker = _shading._Checker(pdf, part, output_intent)
    for where in dict.fromkeys(wheres):
        found = _stream_of(pdf, where)
        if found is None:
            continue
        owner, is_page = found
        resources = owner.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            # Inherited or missing resources: not handed over, so pikepdf's refusals stand
            continue
        patterns = resources.get("/Pattern")
        spaces = resources.get("/ColorSpace")
        try:
            content = list(pikepdf.parse_content_stream(pikepdf.Page(owner) if is_page else owner))
        except (pikepdf.PdfError, ValueError, TypeError):
            continue
        kept: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
        ok = True
        used: list[str] = []
        for instruction in content:
            if isinstance(instruction, pikepdf.ContentStreamInstruction):
                op = str(instruction.operator)
                operands = list(instruction.operands)
                if op in ("cs", "CS") and len(operands) == 1 and isinstance(operands[0], pikepdf.Name):
                    value: object = operands[0]
                    if operands[0] != "/Pattern" and isinstance(spaces, pikepdf.Dictionary):
                        value = spaces.get(operands[0], operands[0])
                    kind = _is_pattern_space(value)
                    if kind is None:
                        ok = False
                    if kind is not False:
                        continue
                if op in ("scn", "SCN") and operands and isinstance(operands[-1], pikepdf.Name):
                    if len(operands) != 1:
                        ok = False
                    used.append(str(operands[-1]))
                    continue
            kept.append(instruction)
        if not ok:
            verdict.problems.append(
                _shading.ShadingProblem("pikepdf:pattern", where, "uncoloured patterns are not checked", True)
            )
            continue
        for name in dict.fromkeys(used):
            pattern = patterns.get(name) if isinstance(patterns, pikepdf.Dictionary) else None
            pattern_where = f"{where} pattern {name}"
            if pattern is None:
                verdict.problems.append(
                    _shading.ShadingProblem(
                        checker.rule("pikepdf:resource-missing", "6.2.2-2"),
                        where,
                        f"pattern {name} is not in the content stream's resources",
                    )
                )
                continue
            verdict.problems.extend(_hand_over(pdf, checker, pattern, resources, pattern_where))
        data = pikepdf.unparse_content_stream(kept)
        if is_page:
            owner["/Contents"] = pdf.make_stream(data)
        else:
            owner.write(data)
        verdict.streams.add(where)
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream) and "/Resources" in obj:
            held = obj.get("/Resources")
            if isinstance(held, pikepdf.Dictionary) and "/Pattern" in held:
                del held["/Pattern"]
    return verdict, checker.injections


def _fresh(table: pikepdf.Dictionary, prefix: str) -> pikepdf.Name:
    index = len(table)
    while pikepdf.Name(f"/{prefix}{index}") in table:
        index += 1
    return pikepdf.Name(f"/{prefix}{index}")


def _table(resources: pikepdf.Dictionary, key: str) -> pikepdf.Dictionary | None:
    table = resources.get(key)
    if table is None:
        table = resources[key] = pikepdf.Dictionary()
    return table if isinstance(table, pikepdf.Dictionary) else None


def _hand_over(
    pdf: pikepdf.Pdf,
    checker: _shading._Checker,
    pattern: object,
    resources: pikepdf.Dictionary,
    where: str,
) -> list[_shading.ShadingProblem]:
    """Check one pattern, or prepare it for pikepdf; return the problems found."""

    def bad(message: str, unsupported: bool = False) -> list[_shading.ShadingProblem]:
        return [_shading.ShadingProblem("pikepdf:schema-Pattern", where, message, unsupported)]

    if not isinstance(pattern, pikepdf.Dictionary | pikepdf.Stream):
        return bad("the pattern is not a dictionary or stream")
    kind = pattern.get("/PatternType")
    if kind == 1:
        if not isinstance(pattern, pikepdf.Stream) or not pattern.is_indirect:
            return bad("a tiling pattern is not an indirect stream")
        if pattern.get("/PaintType") != 1:
            return bad("uncoloured tiling patterns are not checked", True)
        if not isinstance(pattern.get("/Resources"), pikepdf.Dictionary):
            return bad("a tiling pattern has no /Resources", True)
        xobjects = _table(resources, "/XObject")
        if xobjects is None:
            return bad("the /XObject resources are malformed", True)
        # The pattern cell is checked as a Form XObject: the same content, resources and bounding box
        for key in _TILING_KEYS:
            if key in pattern:
                del pattern[key]
        pattern["/Type"] = pikepdf.Name.XObject
        pattern["/Subtype"] = pikepdf.Name.Form
        xobjects[_fresh(xobjects, _PATTERN_PREFIX)] = pattern
        return []
    if kind == 2:
        problems: list[_shading.ShadingProblem] = []
        if "/Matrix" in pattern and not _shading._numbers(pattern.get("/Matrix"), 6):
            problems.extend(bad("/Matrix is not six numbers"))
        state = pattern.get("/ExtGState")
        if state is not None:
            states = _table(resources, "/ExtGState")
            if states is None or not isinstance(state, pikepdf.Dictionary):
                return [*problems, *bad("the pattern's graphics state cannot be checked", True)]
            states[_fresh(states, _PATTERN_PREFIX)] = state
        shading = pattern.get("/Shading")
        if shading is None:
            return [*problems, *bad("a shading pattern has no /Shading")]
        problems.extend(checker.shading(shading, resources, f"{where} /Shading"))
        return problems
    return bad(f"/PatternType {kind} is not 1 or 2")
