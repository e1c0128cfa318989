"""Separation and DeviceN colour spaces (ISO 19005-1 6.2.3, ISO 19005-2 6.2.4.4), which pikepdf refuses.

What PDF/A asks of these spaces:

- their alternate space is used like any other colour space: a device alternate needs an OutputIntent
  of its family (veraPDF's corpus fails a DeviceCMYK alternate under an RGB OutputIntent), a
  CIE-based or ICCBased one must be valid;
- in PDF/A-2, every spot colourant of a DeviceN space has an entry in its Colorants dictionary
  (6.2.4.4-1; as veraPDF reads it, /None, the process colourants Cyan, Magenta, Yellow and Black, and
  the /Components of the attributes' /Process dictionary need none), and all Separation arrays of the
  file (those in Colorants dictionaries too) that name the same colourant have the same tint transform
  and alternate space (6.2.4.4-2);
- a DeviceN space has at most 8 colourants in PDF/A-1 (6.1.12-9) and 32 in PDF/A-2 (6.1.13-9);
- in PDF/A-2, colourant names (of Separation spaces and of DeviceN spaces) are valid UTF-8 once their
  ``#`` escapes are read (6.1.8-1, which veraPDF applies to them as to every name it reads as text);
- the Separation spaces of a DeviceN space's Colorants dictionary are colour spaces too, whose
  alternates veraPDF checks as it checks the alternate of any Separation space (device colour against
  the OutputIntent, ISO 19005-1 6.2.3.3, ISO 19005-2 6.2.4.3), and so is the /ColorSpace of the
  attributes' /Process dictionary. /MixingHints is read for its /Solidities and /PrintingOrder; a
  /DotGain (functions) is not checked, and stays refused.

`check_colourants` checks the structure and these rules for every such space in the file, used or
not. The alternate spaces are checked by pikepdf itself: `substitute_alternates` puts each space's
alternate in its place, in a copy of the document that pikepdf checks again, where it checks the
alternate as it checks any colour space at that place (with the resources' /Default* spaces and the
OutputIntent). A DeviceN space so replaced takes its Colorants dictionary with it: the device
alternates of the Separation spaces there are checked here, and their CIE-based and ICCBased ones are
put among the colour space resources of the copy (`inject_colorant_alternates`) for pikepdf to check,
as are the Process colour spaces that are not device spaces.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import pikepdf

from validators.pdfa._problem import Problem
from validators.pdfa._shading import _Checker as _ColourUse
from validators.pdfa._shading import function_problem, inject_colour_spaces, space_family

log = logging.getLogger(__name__)

RULE = "pikepdf:colour-space"
MESSAGES = frozenset(
    {"/DeviceN colour spaces are not supported", "/Separation colour spaces are not supported"}
)
_SPECIAL = frozenset({"/Separation", "/DeviceN"})
_DEVICE_COMPONENTS = {"/DeviceGray": 1, "/DeviceRGB": 3, "/DeviceCMYK": 4}
# Colourants a DeviceN space names without a Colorants entry (veraPDF's reading of 6.2.4.4-1)
_PROCESS_COLOURANTS = frozenset({"/Cyan", "/Magenta", "/Yellow", "/Black"})
_MIXING_HINTS_CHECKED = frozenset({"/Solidities", "/PrintingOrder"})
_CIE_COMPONENTS = {"/CalGray": 1, "/CalRGB": 3, "/Lab": 3}
_MAX_DEPTH = 12
_MAX_SPACES = 10_000


ColourantProblem = Problem


@dataclass(slots=True)
class Occurrences:
    """Every Separation and DeviceN space of a document, and where each is written.

    Attributes:
        spaces: Each space once, with the object it was found in.
        places: (container, key or index, space) for each place a space is written.
        complete: False if the document was too deep or too large to search in full.
    """

    spaces: list[tuple[pikepdf.Array, str]] = field(default_factory=list)
    places: list[tuple[pikepdf.Object, str | int, pikepdf.Array]] = field(default_factory=list)
    complete: bool = True


_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _name_bytes(name: pikepdf.Name) -> bytes:
    """The bytes of a name, its ``#`` escapes read (ISO 32000-1 7.3.5), without the leading slash."""
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name.unparse()[1:])


def _name_text(name: pikepdf.Name) -> str:
    """A name as text for keys and messages, whether or not its bytes are UTF-8."""
    return "/" + _name_bytes(name).decode("utf-8", errors="backslashreplace")


def _is_utf8(name: pikepdf.Name) -> bool:
    try:
        _name_bytes(name).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _key(value: pikepdf.Object) -> object:
    """Identity of a value: its object number if indirect, else its serialisation."""
    if value.is_indirect:
        return value.objgen
    return value.unparse()


def find_spaces(pdf: pikepdf.Pdf) -> Occurrences:
    """Find every Separation and DeviceN array of *pdf* and every place one is written."""
    found = Occurrences()
    seen: set[object] = set()

    def note(space: pikepdf.Array, where: str) -> None:
        key = space.objgen if space.is_indirect else id(space)
        if key not in seen:
            seen.add(key)
            found.spaces.append((space, where))

    def visit(obj: pikepdf.Object, where: str, depth: int) -> None:
        if depth > _MAX_DEPTH:
            found.complete = False
            return
        if isinstance(obj, pikepdf.Stream):
            items: list[tuple[str | int, object]] = list(obj.stream_dict.items())
        elif isinstance(obj, pikepdf.Dictionary):
            items = list(obj.items())
        elif isinstance(obj, pikepdf.Array):
            items = list(enumerate(obj))
        else:
            return
        for key, value in items:
            if not isinstance(value, pikepdf.Array | pikepdf.Dictionary | pikepdf.Stream):
                continue
            if isinstance(value, pikepdf.Array) and space_family(value) in _SPECIAL:
                found.places.append((obj, key, value))
                if not value.is_indirect:
                    note(value, where)
            if not value.is_indirect:
                visit(value, where, depth + 1)

    for obj in pdf.objects:
        if len(found.places) > _MAX_SPACES:
            found.complete = False
            break
        if not isinstance(obj, pikepdf.Array | pikepdf.Dictionary | pikepdf.Stream):
            continue
        where = f"obj {obj.objgen[0]} {obj.objgen[1]}"
        if isinstance(obj, pikepdf.Array) and space_family(obj) in _SPECIAL:
            note(obj, where)
        visit(obj, where, 0)
    return found


def _alternate_components(alternate: object) -> int | None:
    """Components of an alternate space, or None if it is not a device, CIE-based or ICCBased space."""
    family = space_family(alternate)
    if isinstance(alternate, pikepdf.Name):
        return _DEVICE_COMPONENTS.get(family or "")
    if not isinstance(alternate, pikepdf.Array) or len(alternate) != 2:
        return None
    if family == "/ICCBased" and isinstance(alternate[1], pikepdf.Stream):
        n = alternate[1].get("/N")
        return int(n) if isinstance(n, int) and not isinstance(n, bool) else None
    if family in _CIE_COMPONENTS and isinstance(alternate[1], pikepdf.Dictionary):
        return _CIE_COMPONENTS[family]
    return None


def check_colourants(
    found: Occurrences, part: int, output_intent: str | None = None
) -> list[ColourantProblem]:
    """Check every Separation and DeviceN space of a document against ISO 19005-*part*.

    *output_intent* is pikepdf's reading of the OutputIntent colour space (``"RGB"``), None if the
    file has no valid one: the device alternates of Colorants dictionaries are checked against it.
    """
    problems: list[ColourantProblem] = []
    use = _ColourUse(None, part, output_intent)  # type: ignore[arg-type]
    if not found.complete:
        problems.append(
            ColourantProblem(RULE, "document", "too many or too deep colour spaces to check", True)
        )
    # Colourant name -> (tint transform, alternate) of the first Separation with it, for 6.2.4.4-2
    separations: dict[str, tuple[object, object]] = {}

    def bad(where: str, message: str, clause: str = "pikepdf:schema-ColorSpace") -> None:
        problems.append(ColourantProblem(clause, where, message))

    def alternate_and_tint(space: pikepdf.Array, inputs: int, where: str) -> bool:
        components = _alternate_components(space[2])
        if components is None:
            bad(
                where,
                f"the alternate space {space_family(space[2])} is not a device, CIE-based or ICCBased space",
            )
            return False
        problem = function_problem(space[3], components)
        if problem is None:
            domain = (
                space[3].get("/Domain") if isinstance(space[3], pikepdf.Dictionary | pikepdf.Stream) else None
            )
            if isinstance(domain, pikepdf.Array) and len(domain) // 2 != inputs:
                problem = f"the tint transform takes {len(domain) // 2} inputs; {inputs} are given"
        if problem is not None:
            bad(where, f"tint transform: {problem}")
            return False
        return True

    def utf8(name: pikepdf.Name, where: str) -> None:
        if part != 1 and not _is_utf8(name):
            bad(where, f"colourant name {_name_text(name)} is not valid UTF-8", "6.1.8-1")

    def separation(space: pikepdf.Array, where: str) -> None:
        if len(space) != 4 or not isinstance(space[1], pikepdf.Name):
            bad(where, "a Separation space is not [/Separation name alternate tintTransform]")
            return
        utf8(space[1], where)
        if not alternate_and_tint(space, 1, where):
            return
        name = _name_text(space[1])
        if part == 1 or name in ("/All", "/None"):
            return
        identity = (_key(space[3]), _key(space[2]) if isinstance(space[2], pikepdf.Object) else space[2])
        first = separations.setdefault(name, identity)
        if first != identity:
            bad(
                where,
                f"Separation {name} differs in tint transform or alternate space from another",
                "6.2.4.4-2",
            )

    for space, where in found.spaces:
        family = space_family(space)
        if family == "/Separation":
            separation(space, where)
            continue
        if len(space) not in (4, 5) or not isinstance(space[1], pikepdf.Array):
            bad(where, "a DeviceN space is not [/DeviceN names alternate tintTransform attributes]")
            continue
        name_objects = [n for n in space[1] if isinstance(n, pikepdf.Name)]
        if len(name_objects) != len(space[1]) or not name_objects:
            bad(where, "the colourants of a DeviceN space are not names")
            continue
        for n in name_objects:
            utf8(n, where)
        names = [_name_text(n) for n in name_objects]
        limit = 8 if part == 1 else 32
        if len(names) > limit:
            bad(where, f"DeviceN space with {len(names)} colourants", "6.1.12-9" if part == 1 else "6.1.13-9")
        if not alternate_and_tint(space, len(names), where):
            continue
        attributes = space[4] if len(space) == 5 else None
        if attributes is not None and not isinstance(attributes, pikepdf.Dictionary):
            bad(where, "the DeviceN attributes are not a dictionary")
            continue
        hints = attributes.get("/MixingHints") if attributes is not None else None
        if hints is not None and (
            not isinstance(hints, pikepdf.Dictionary) or set(hints.keys()) - _MIXING_HINTS_CHECKED
        ):
            problems.append(
                ColourantProblem(RULE, where, "DeviceN /MixingHints /DotGain is not checked", True)
            )
            continue
        process = attributes.get("/Process") if attributes is not None else None
        process_names: set[str] = set()
        if process is not None:
            components = process.get("/Components") if isinstance(process, pikepdf.Dictionary) else None
            process_space = process.get("/ColorSpace") if isinstance(process, pikepdf.Dictionary) else None
            if not isinstance(components, pikepdf.Array) or process_space is None:
                bad(where, "the DeviceN /Process dictionary lacks /ColorSpace or /Components")
                continue
            process_names = {_name_text(c) for c in components if isinstance(c, pikepdf.Name)}
            family = space_family(process_space)
            if isinstance(process_space, pikepdf.Name) and family in _DEVICE_COMPONENTS:
                device = use.device_use(family, None, f"{where} /Process")
                if device is not None:
                    problems.append(ColourantProblem(device.clause, device.where, device.message))
        colorants = attributes.get("/Colorants") if attributes is not None else None
        if colorants is not None and not isinstance(colorants, pikepdf.Dictionary):
            bad(where, "/Colorants is not a dictionary")
            continue
        for name, name_object in zip(names, name_objects, strict=True):
            if name == "/None" or part == 1:
                continue
            if (colorants is None or name_object not in colorants) and (
                name in _PROCESS_COLOURANTS or name in process_names
            ):
                continue
            entry = colorants.get(name_object) if colorants is not None else None
            if entry is None:
                bad(where, f"colourant {name} has no entry in /Colorants", "6.2.4.4-1")
            elif space_family(entry) != "/Separation" or not isinstance(entry, pikepdf.Array):
                bad(where, f"/Colorants {name} is not a Separation space")
        for key, entry in list(colorants.items()) if colorants is not None else ():
            # Each is a Separation space of its own, checked with the others above; its alternate
            # is not checked by pikepdf, which sees only the DeviceN space's alternate in its place
            alternate = entry[2] if isinstance(entry, pikepdf.Array) and len(entry) == 4 else None
            family = space_family(alternate)
            if isinstance(alternate, pikepdf.Name) and family in _DEVICE_COMPONENTS:
                label = key.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                device = use.device_use(family, None, f"{where} /Colorants {label}")
                if device is not None:
                    problems.append(ColourantProblem(device.clause, device.where, device.message))
    return problems


def inject_colorant_alternates(pdf: pikepdf.Pdf, found: Occurrences) -> bool:
    """Put the CIE-based and ICCBased alternates of Colorants dictionaries among the copy's resources.

    They join the /ColorSpace resources of the first page, where pikepdf checks their structure
    (ICC profile, CIE parameters) as it checks any colour space resource. Returns False if there
    is one and no place for it (the first page has no resources of its own).
    """
    alternates: list[pikepdf.Object] = []
    for space, _where in found.spaces:
        if (
            space_family(space) != "/DeviceN"
            or len(space) != 5
            or not isinstance(space[4], pikepdf.Dictionary)
        ):
            continue
        process = space[4].get("/Process")
        process_space = process.get("/ColorSpace") if isinstance(process, pikepdf.Dictionary) else None
        if isinstance(process_space, pikepdf.Array):
            alternates.append(process_space)
        colorants = space[4].get("/Colorants")
        if not isinstance(colorants, pikepdf.Dictionary):
            continue
        for entry in list(colorants.values()):
            if isinstance(entry, pikepdf.Array) and len(entry) == 4 and isinstance(entry[2], pikepdf.Array):
                alternates.append(entry[2])
    if not alternates:
        return True
    resources = pdf.pages[0].obj.get("/Resources") if len(pdf.pages) > 0 else None
    if not isinstance(resources, pikepdf.Dictionary) or not isinstance(
        resources.get("/ColorSpace", pikepdf.Dictionary()), pikepdf.Dictionary
    ):
        return False
    inject_colour_spaces([(resources, alternate) for alternate in alternates])
    return True


def substitute_alternates(found: Occurrences) -> int:
    """Write each Separation and DeviceN space's alternate in its place; return the places changed."""
    changed = 0
    for container, key, space in found.places:
        if len(space) < 3 or _alternate_components(space[2]) is None:
            continue
        target = container.stream_dict if isinstance(container, pikepdf.Stream) else container
        if key == "/CS" and isinstance(target, pikepdf.Dictionary) and target.get("/S") == "/Transparency":
            # A transparency group's colour space may not be a special one (ISO 32000-1 11.6.6):
            # left in place, pikepdf's refusal stands
            continue
        if isinstance(key, int):
            target[key] = space[2]
        else:
            try:
                target[pikepdf.Name(key)] = space[2]
            except (TypeError, ValueError, UnicodeError):
                # A key that is not UTF-8 (a colourant name in a Colorants dictionary): left in
                # place, pikepdf's refusal stands
                continue
        changed += 1
    return changed
