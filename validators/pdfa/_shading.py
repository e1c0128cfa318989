"""Shadings painted with the ``sh`` operator, which pikepdf.pdfa declines to check.

ISO 19005 permits shadings. What it asks of them is what it asks of every colour: a device colour
space needs a PDF/A OutputIntent of the same family, or (ISO 19005-2/3 6.2.4.3) a device independent
``/Default*`` colour space in the resources of the content stream (ISO 19005-1 6.2.3.3, ISO 19005-2
6.2.4.3); ICCBased, Indexed and CIE-based spaces must be valid (6.2.3.2, 6.2.4.2); and a content stream
must find its resources in the dictionary explicitly associated with it (ISO 19005-2 6.2.2-2). The
veraPDF profiles have no rule on the shading dictionary itself: its colour space is checked as any
other use of colour, and its streams and functions by the rules every object meets (filters, limits),
which pikepdf applies to every object of the file whether or not it walked there.

pikepdf reports each content stream with an ``sh`` as unchecked, and refuses any resource dictionary
with a ``/Shading`` entry. A refused resource dictionary is a leaf for pikepdf: it checks none of the
fonts, graphics states, colour spaces and XObjects it holds. So this module does two things:

- `check_shadings` reads the ``sh`` operators of each content stream pikepdf named, checks each
  shading's dictionary, function and colour space use, and says which of pikepdf's findings that
  settles;
- `without_shading_resources` gives a copy of the document with the ``/Shading`` entries taken out of
  every resource dictionary, and the colour spaces of the shadings put in the ``/ColorSpace`` entry of
  the same resources, for pikepdf to check again: what it skipped below those dictionaries, and the
  structure of those colour spaces (ICC profile, Indexed lookup table, CIE parameters).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

import pikepdf

from validators.pdfa._problem import Problem

log = logging.getLogger(__name__)

# pikepdf's finding on a content stream with sh, and on a resource dictionary with /Shading
SH_RULE = "pikepdf:shading"
RESOURCES_RULE = "pikepdf:schema-Resources"
RESOURCES_MESSAGE = "shadings are not supported"
# Where pikepdf reports an sh: the page or Form XObject whose content it walked
_SH_WHERE = re.compile(r"^obj (\d+) (\d+) \((Page|FormXObject)\) content$")
# Name under which a shading's colour space is handed to pikepdf's colour space checks
INJECTED_PREFIX = "/QujatShadingCS"

_DEVICE_COMPONENTS = {"/DeviceGray": 1, "/DeviceRGB": 3, "/DeviceCMYK": 4}
_DEFAULT_SPACES = {"/DeviceGray": "/DefaultGray", "/DeviceRGB": "/DefaultRGB", "/DeviceCMYK": "/DefaultCMYK"}
_CIE_COMPONENTS = {"/CalGray": 1, "/CalRGB": 3, "/Lab": 3}
# Output intent colour space (ICC header field, trailing blanks removed) each device family needs
_INTENT_FOR = {"/DeviceRGB": "RGB", "/DeviceCMYK": "CMYK"}
_MAX_FUNCTION_DEPTH = 4
_MAX_NESTING = 4
# Mesh shadings (types 4 to 7) are streams; the others dictionaries (ISO 32000-1 8.7.4.5)
_MESH_TYPES = frozenset({4, 5, 6, 7})
_BITS_PER_COORDINATE = frozenset({1, 2, 4, 8, 12, 16, 24, 32})
_BITS_PER_COMPONENT = frozenset({1, 2, 4, 8, 12, 16})
_BITS_PER_FLAG = frozenset({2, 4, 8})
_BITS_PER_SAMPLE = frozenset({1, 2, 4, 8, 12, 16, 24, 32})


ShadingProblem = Problem


@dataclass(slots=True)
class ShadingVerdict:
    """What `check_shadings` found.

    Attributes:
        problems: Violations, and shadings this module could not check.
        settled: pikepdf ``sh`` findings (by their location) whose every shading was checked here.
    """

    problems: list[ShadingProblem] = field(default_factory=list)
    settled: set[str] = field(default_factory=set)


def _is_number(value: object) -> bool:
    # pikepdf hands back scalars as Python values; a boolean is not a number
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float | Decimal | pikepdf.Integer | pikepdf.Real)


def _numbers(value: object, length: int | None = None) -> bool:
    """True for an array of numbers (of *length* items, or an even number if length is -2)."""
    if not isinstance(value, pikepdf.Array) or not all(_is_number(v) for v in value):
        return False
    if length == -2:
        return len(value) > 0 and len(value) % 2 == 0
    return length is None or len(value) == length


def _int(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | pikepdf.Integer):
        return None
    return int(value)


def space_family(value: object) -> str | None:
    """The family name of a colour space (``/DeviceN`` for ``[/DeviceN ...]``), or None."""
    if isinstance(value, pikepdf.Array) and len(value) > 0:
        value = value[0]
    if not isinstance(value, pikepdf.Name):
        return None
    try:
        return str(value)
    except UnicodeDecodeError:
        return None


def function_problem(fn: object, outputs: int | None, depth: int = 0) -> str | None:
    """Why a function (ISO 32000-1 7.10) is malformed, or None.

    Args:
        fn: The function dictionary or stream.
        outputs: Number of outputs it must have, if known (Range, C0/C1, N of samples).
        depth: Nesting of stitching functions.
    """
    if depth > _MAX_FUNCTION_DEPTH:
        return f"functions nested deeper than {_MAX_FUNCTION_DEPTH}"
    if not isinstance(fn, pikepdf.Dictionary | pikepdf.Stream):
        return "a function is not a dictionary or stream"
    kind = _int(fn.get("/FunctionType"))
    domain = fn.get("/Domain")
    if not isinstance(domain, pikepdf.Array) or not _numbers(domain, -2):
        return "a function has no valid /Domain"
    inputs = len(domain) // 2
    rng = fn.get("/Range")
    if rng is not None and not _numbers(rng, -2):
        return "a function has a malformed /Range"
    n_range = len(rng) // 2 if rng is not None else None
    if kind in (0, 4):
        if not isinstance(fn, pikepdf.Stream):
            return f"a type {kind} function is not a stream"
        if n_range is None:
            return f"a type {kind} function has no /Range"
    if kind == 0:
        size = fn.get("/Size")
        if not (isinstance(size, pikepdf.Array) and len(size) == inputs):
            return "a sampled function's /Size does not match its /Domain"
        if not all(_int(s) is not None and int(s) > 0 for s in size):
            return "a sampled function's /Size is not positive integers"
        bits = _int(fn.get("/BitsPerSample"))
        if bits not in _BITS_PER_SAMPLE:
            return f"a sampled function has /BitsPerSample {fn.get('/BitsPerSample')}"
        for key, count in (("/Encode", inputs), ("/Decode", n_range)):
            if key in fn and not _numbers(fn.get(key), 2 * (count or 0)):
                return f"a sampled function's {key} is malformed"
        produced = n_range
    elif kind == 2:
        if isinstance(fn, pikepdf.Stream):
            return "a type 2 function is a stream"
        if inputs != 1 or not _is_number(fn.get("/N")):
            return "an exponential function needs one input and a number /N"
        c0, c1 = fn.get("/C0"), fn.get("/C1")
        lengths = {len(c) for c in (c0, c1) if c is not None and _numbers(c)}
        if any(c is not None and not _numbers(c) for c in (c0, c1)) or len(lengths) > 1:
            return "an exponential function's /C0 and /C1 are malformed"
        produced = lengths.pop() if lengths else 1
        if n_range is not None and n_range != produced:
            return "an exponential function's /Range does not match /C0 and /C1"
    elif kind == 3:
        if isinstance(fn, pikepdf.Stream):
            return "a type 3 function is a stream"
        if inputs != 1:
            return "a stitching function needs one input"
        functions = fn.get("/Functions")
        if not isinstance(functions, pikepdf.Array) or len(functions) == 0:
            return "a stitching function has no /Functions"
        k = len(functions)
        if not _numbers(fn.get("/Bounds"), k - 1) or not _numbers(fn.get("/Encode"), 2 * k):
            return "a stitching function's /Bounds or /Encode is malformed"
        produced = n_range if n_range is not None else outputs
        for sub in functions:
            problem = function_problem(sub, produced, depth + 1)
            if problem is not None:
                return problem
    elif kind == 4:
        produced = n_range
    else:
        return f"/FunctionType {fn.get('/FunctionType')} is not 0, 2, 3 or 4"
    if outputs is not None and produced is not None and produced != outputs:
        return f"a function has {produced} outputs; {outputs} are needed"
    return None


class _Checker:
    """Check the shadings of one document against one part of ISO 19005."""

    def __init__(self, pdf: pikepdf.Pdf, part: int, output_intent: str | None):
        self.pdf = pdf
        self.part = part
        self.output_intent = output_intent
        # Colour spaces pikepdf must check for structure: (resources, value)
        self.injections: list[tuple[pikepdf.Dictionary, pikepdf.Object]] = []

    def rule(self, part1: str, part23: str) -> str:
        return part1 if self.part == 1 else part23

    # --- functions ------------------------------------------------------------------------------

    def functions_problem(self, value: object, components: int | None, inputs: int) -> str | None:
        """Check a shading's /Function: one n-output function or an array of n 1-output ones."""
        if isinstance(value, pikepdf.Array):
            if components is not None and len(value) != components:
                return f"/Function has {len(value)} functions; the colour space has {components} components"
            for item in value:
                problem = function_problem(item, 1)
                if problem is not None:
                    return problem
            fns: list[object] = list(value)
        else:
            problem = function_problem(value, components)
            if problem is not None:
                return problem
            fns = [value]
        for fn in fns:
            domain = fn.get("/Domain") if isinstance(fn, pikepdf.Dictionary | pikepdf.Stream) else None
            if domain is not None and len(domain) // 2 != inputs:
                return f"a function of the shading takes {len(domain) // 2} inputs; {inputs} are given"
        return None

    # --- colour -----------------------------------------------------------------------------------

    def device_use(
        self, family: str, colour_spaces: pikepdf.Dictionary | None, where: str
    ) -> ShadingProblem | None:
        """Check a use of a device colour space against the OutputIntent or a /Default* space."""
        default_key = _DEFAULT_SPACES[family]
        if self.part != 1 and colour_spaces is not None and default_key in colour_spaces:
            # ISO 19005-2 6.2.4.3: a device independent default replaces the device space; its own
            # structure is checked by pikepdf, which walks the /ColorSpace resources
            default = colour_spaces.get(default_key)
            components = self.independent_components(default)
            if components is None:
                return ShadingProblem(
                    "pikepdf:colour-space", where, f"{default_key} is not device independent", True
                )
            if components != _DEVICE_COMPONENTS[family]:
                return ShadingProblem(
                    "pikepdf:schema-ColorSpace",
                    where,
                    f"{default_key} has {components} components, not {_DEVICE_COMPONENTS[family]}",
                )
            return None
        needed = _INTENT_FOR.get(family)
        if self.output_intent is None or (needed is not None and self.output_intent != needed):
            clause = {
                "/DeviceGray": self.rule("6.2.3.3-3", "6.2.4.3-4"),
                "/DeviceRGB": self.rule("6.2.3.3-1", "6.2.4.3-2"),
                "/DeviceCMYK": self.rule("6.2.3.3-2", "6.2.4.3-3"),
            }[family]
            intent = self.output_intent or "no PDF/A OutputIntent"
            return ShadingProblem(clause, where, f"shading in {family[1:]} with {intent}")
        return None

    @staticmethod
    def independent_components(value: object) -> int | None:
        """Components of a device independent colour space array, or None if it is not one."""
        family = space_family(value)
        if not isinstance(value, pikepdf.Array) or len(value) != 2:
            return None
        if family == "/ICCBased" and isinstance(value[1], pikepdf.Stream):
            return _int(value[1].get("/N"))
        if family in _CIE_COMPONENTS and isinstance(value[1], pikepdf.Dictionary):
            return _CIE_COMPONENTS[family]
        return None

    def colour_space(
        self, value: object, colour_spaces: pikepdf.Dictionary | None, where: str, depth: int = 0
    ) -> tuple[int | None, ShadingProblem | None]:
        """Resolve a shading's colour space as used in a content stream with these colour spaces.

        Returns:
            The number of components (None if unknown) and the problem found, if any.
        """
        if depth > _MAX_NESTING:
            return None, ShadingProblem("pikepdf:colour-space", where, "colour spaces nested too deep", True)
        family = space_family(value)
        if family in _DEVICE_COMPONENTS and (isinstance(value, pikepdf.Name) or depth > 0):
            if isinstance(value, pikepdf.Array):
                return None, ShadingProblem("pikepdf:colour-space", where, f"colour space [{family}]", True)
            return _DEVICE_COMPONENTS[family], self.device_use(family, colour_spaces, where)
        if isinstance(value, pikepdf.Name):
            # A shading names a colour space family, never a resource; Pattern is not permitted
            # (ISO 32000-1 8.7.4.5.1)
            return None, ShadingProblem(
                "pikepdf:schema-Shading", where, f"/ColorSpace {family} is not a colour space for a shading"
            )
        if not isinstance(value, pikepdf.Array) or family is None:
            return None, ShadingProblem("pikepdf:schema-Shading", where, "/ColorSpace is malformed")
        if family in ("/ICCBased", *_CIE_COMPONENTS):
            components = self.independent_components(value)
            if components is None:
                return None, ShadingProblem("pikepdf:schema-ColorSpace", where, f"{family} is malformed")
            return components, None
        if family == "/Indexed":
            if len(value) != 4:
                return None, ShadingProblem("pikepdf:schema-ColorSpace", where, "Indexed is malformed")
            base_family = space_family(value[1])
            if base_family in ("/Indexed", "/Pattern"):
                return None, ShadingProblem(
                    "pikepdf:schema-ColorSpace", where, f"the base of Indexed is {base_family}"
                )
            _, problem = self.colour_space(value[1], colour_spaces, f"{where} Indexed base", depth + 1)
            return 1, problem
        # Separation and DeviceN need the tint transform and colorant checks of ISO 19005-2 6.2.4.4
        return None, ShadingProblem(
            "pikepdf:colour-space", where, f"{family} colour spaces in shadings are not checked", True
        )

    # --- shadings ---------------------------------------------------------------------------------

    def shading(self, shading: object, resources: pikepdf.Dictionary, where: str) -> list[ShadingProblem]:
        """Check one shading dictionary or stream (ISO 32000-1 8.7.4.5) painted with *resources*."""

        def bad(message: str) -> list[ShadingProblem]:
            return [ShadingProblem("pikepdf:schema-Shading", where, message)]

        colour_spaces = resources.get("/ColorSpace")
        colour_spaces = colour_spaces if isinstance(colour_spaces, pikepdf.Dictionary) else None

        if not isinstance(shading, pikepdf.Dictionary | pikepdf.Stream):
            return bad("the shading is not a dictionary or stream")
        kind = _int(shading.get("/ShadingType"))
        if kind is None or not 1 <= kind <= 7:
            return bad(f"/ShadingType {shading.get('/ShadingType')} is not 1 to 7")
        if (kind in _MESH_TYPES) != isinstance(shading, pikepdf.Stream):
            return bad(f"a type {kind} shading is {'not ' if kind in _MESH_TYPES else ''}a stream")
        if "/ColorSpace" not in shading:
            return bad("the shading has no /ColorSpace")
        cs = shading.get("/ColorSpace")
        components, problem = self.colour_space(cs, colour_spaces, f"{where} /ColorSpace")
        problems = [problem] if problem is not None else []
        if problem is None and isinstance(cs, pikepdf.Array):
            # pikepdf checks the structure of the space (ICC profile, lookup table, CIE parameters)
            self.injections.append((resources, cs))
        is_indexed = space_family(cs) == "/Indexed"
        if "/Background" in shading and not _numbers(shading.get("/Background"), components):
            problems.extend(bad("/Background does not match the colour space"))
        if "/BBox" in shading and not _numbers(shading.get("/BBox"), 4):
            problems.extend(bad("/BBox is not four numbers"))
        for key in ("/AntiAlias",):
            if key in shading and not isinstance(shading.get(key), bool):
                problems.extend(bad(f"{key} is not a boolean"))
        function = shading.get("/Function")
        if kind in (1, 2, 3) and function is None:
            return [*problems, *bad(f"a type {kind} shading has no /Function")]
        if function is not None and is_indexed:
            # ISO 32000-1 8.7.4.5: with a function, the colour space shall not be Indexed
            problems.extend(bad("a shading with a /Function has an Indexed colour space"))
        inputs = 2 if kind == 1 else 1
        if function is not None:
            message = self.functions_problem(function, components, inputs)
            if message is not None:
                problems.extend(bad(message))
        if kind == 1:
            if "/Domain" in shading and not _numbers(shading.get("/Domain"), 4):
                problems.extend(bad("/Domain is not four numbers"))
            if "/Matrix" in shading and not _numbers(shading.get("/Matrix"), 6):
                problems.extend(bad("/Matrix is not six numbers"))
        elif kind in (2, 3):
            if not _numbers(shading.get("/Coords"), 4 if kind == 2 else 6):
                problems.extend(bad("/Coords is malformed"))
            if "/Domain" in shading and not _numbers(shading.get("/Domain"), 2):
                problems.extend(bad("/Domain is not two numbers"))
            extend = shading.get("/Extend")
            if extend is not None and not (
                isinstance(extend, pikepdf.Array)
                and len(extend) == 2
                and all(isinstance(e, bool) for e in extend)
            ):
                problems.extend(bad("/Extend is not two booleans"))
        elif isinstance(shading, pikepdf.Stream):
            mesh = _mesh_problems(shading, kind, components, function is not None)
            problems.extend(ShadingProblem("pikepdf:schema-Shading", where, m) for m in mesh)
        return problems


def _mesh_problems(
    shading: pikepdf.Stream, kind: int, components: int | None, has_function: bool
) -> list[str]:
    """What is wrong with the entries of a mesh shading stream (ISO 32000-1 Tables 83 to 86)."""
    problems: list[str] = []
    if _int(shading.get("/BitsPerCoordinate")) not in _BITS_PER_COORDINATE:
        problems.append("/BitsPerCoordinate is missing or invalid")
    if _int(shading.get("/BitsPerComponent")) not in _BITS_PER_COMPONENT:
        problems.append("/BitsPerComponent is missing or invalid")
    if kind != 5 and _int(shading.get("/BitsPerFlag")) not in _BITS_PER_FLAG:
        problems.append("/BitsPerFlag is missing or invalid")
    if kind == 5 and (_int(shading.get("/VerticesPerRow")) or 0) < 2:
        problems.append("/VerticesPerRow is missing or below 2")
    colour_values = 1 if has_function else components
    if colour_values is None or not _numbers(shading.get("/Decode"), 4 + 2 * colour_values):
        problems.append("/Decode does not match the coordinates and colour components")
    return problems


def _content_shadings(obj: pikepdf.Object, page: bool) -> tuple[list[pikepdf.Object], bool]:
    """The operands of the sh operators of a page or form, and whether one is inside BT/ET."""
    target = pikepdf.Page(obj) if page else obj
    operands: list[pikepdf.Object] = []
    in_text = False
    nested = False
    for instruction in pikepdf.parse_content_stream(target, "sh BT ET"):
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue
        op, operand_list = str(instruction.operator), list(instruction.operands)
        if op == "BT":
            in_text = True
        elif op == "ET":
            in_text = False
        else:
            nested = nested or in_text
            operands.append(operand_list[0] if len(operand_list) == 1 else pikepdf.Array(operand_list))
    return operands, nested


def _inherited_resources(page: object) -> object:
    node: object = page
    for _ in range(64):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if "/Resources" in node:
            return node.get("/Resources")
        node = node.get("/Parent")
    return None


def check_shadings(
    pdf: pikepdf.Pdf, part: int, output_intent: str | None, sh_wheres: list[str]
) -> tuple[ShadingVerdict, list[tuple[pikepdf.Dictionary, pikepdf.Object]]]:
    """Check the shadings painted by the content streams pikepdf reported with ``sh``.

    Args:
        pdf: The document.
        part: ISO 19005 part (1, 2 or 3).
        output_intent: pikepdf's reading of the PDF/A OutputIntent colour space (``"RGB"``,
            ``"CMYK"``, ``"GRAY"``), None if the file has no valid one.
        sh_wheres: Locations of pikepdf's ``sh`` findings.

    Returns:
        The verdict, and the colour space arrays used by shadings with the /ColorSpace resources
        of the stream that painted them, for pikepdf to check their structure.
    """
    checker = _Checker(pdf, part, output_intent)
    verdict = ShadingVerdict()
    for where in sh_wheres:
        m = _SH_WHERE.match(where)
        if m is None:
            continue
        try:
            obj = pdf.get_object(int(m.group(1)), int(m.group(2)))
        except (pikepdf.PdfError, ValueError):
            continue
        is_page = m.group(3) == "Page"
        if not isinstance(obj, pikepdf.Stream if not is_page else pikepdf.Dictionary):
            continue
        try:
            operands, in_text = _content_shadings(obj, is_page)
        except (pikepdf.PdfError, ValueError, TypeError) as e:
            log.debug("Cannot read the sh operators of %s: %s", where, e)
            continue
        if in_text:
            verdict.problems.append(ShadingProblem("pikepdf:content-syntax", where, "sh inside BT/ET", True))
            continue
        explicit = "/Resources" in obj
        resources: object = obj.get("/Resources") if explicit else None
        if not explicit and is_page and part == 1:
            # PDF/A-1 has no rule on inherited resources
            resources = _inherited_resources(obj)
            explicit = True
        if not explicit and part == 1:
            # A PDF/A-1 form without resources takes those of whatever draws it
            verdict.problems.append(
                ShadingProblem("pikepdf:resource-missing", where, "sh in a form without /Resources", True)
            )
            continue
        resources = resources if isinstance(resources, pikepdf.Dictionary) else None
        shadings = resources.get("/Shading") if resources is not None else None
        shadings = shadings if isinstance(shadings, pikepdf.Dictionary) else None
        for operand in operands:
            if not isinstance(operand, pikepdf.Name):
                verdict.problems.append(
                    ShadingProblem("pikepdf:content-operands", where, "sh has an operand other than a name")
                )
                continue
            name = str(operand)
            shading = shadings.get(name) if shadings is not None else None
            if shading is None or resources is None:
                verdict.problems.append(
                    ShadingProblem(
                        checker.rule("pikepdf:resource-missing", "6.2.2-2"),
                        where,
                        f"shading {name} is not in the content stream's resources",
                    )
                )
                continue
            verdict.problems.extend(checker.shading(shading, resources, f"{where} sh {name}"))
        verdict.settled.add(where)
    return verdict, checker.injections


def without_shading_resources(
    pdf: pikepdf.Pdf, injections: list[tuple[pikepdf.Dictionary, pikepdf.Object]]
) -> int:
    """Take the ``/Shading`` entries out of every resource dictionary of *pdf*, which is modified.

    Each colour space in *injections* is added to the ``/ColorSpace`` entry of its resources, so that
    pikepdf checks its structure as it checks any colour space resource.

    Returns:
        The number of resource dictionaries changed.
    """
    inject_colour_spaces(injections)
    changed = 0
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream) or "/Resources" not in obj:
            continue
        held = obj.get("/Resources")
        if isinstance(held, pikepdf.Dictionary) and "/Shading" in held:
            del held["/Shading"]
            changed += 1
    return changed


def inject_colour_spaces(injections: list[tuple[pikepdf.Dictionary, pikepdf.Object]]) -> None:
    """Add each colour space to the /ColorSpace entry of its resources, for pikepdf to check."""
    for index, (resources, value) in enumerate(injections):
        colour_spaces = resources.get("/ColorSpace")
        if not isinstance(colour_spaces, pikepdf.Dictionary):
            if colour_spaces is not None:
                # A malformed /ColorSpace entry: pikepdf reports it; leave it as it is
                continue
            colour_spaces = resources["/ColorSpace"] = pikepdf.Dictionary()
        name = pikepdf.Name(f"{INJECTED_PREFIX}{index}")
        while name in colour_spaces:
            name = pikepdf.Name(f"{name}_")
        colour_spaces[name] = value
