"""Resources no content stream uses, which ISO 19005 as veraPDF applies it does not reach.

A resource dictionary names the fonts, graphics states, colour spaces, patterns, shadings, XObjects and
property lists that the operators of its content stream may use (ISO 32000-1 7.8.3). veraPDF checks a
resource when an operator uses it (``Tf``, ``gs``, ``cs``, ``scn``, ``sh``, ``Do``, ``BDC``...): a
Form XObject that sits in a resource dictionary without being drawn is not part of what the page shows,
and its content is not checked (the veraPDF corpus has conforming files whose unused forms break the
nesting limit, use an undefined operator or device colour against the OutputIntent). pikepdf.pdfa
walks every resource dictionary entry whether used or not.

`find_unused` reads every content stream reachable from the pages (page contents, Form XObjects,
tiling patterns, Type 3 glyph procedures, soft mask groups and annotation appearances, each with the
resources it looks names up in) and lists the resource entries none of them uses. `prune` takes
those entries out of a copy of the document, for a second pikepdf check: a finding of the first check
on an object that only unused resources lead to is settled if that check no longer makes it.

Device colour spaces' defaults (/DefaultRGB, /DefaultCMYK, /DefaultGray) are used implicitly and are
never unused. If any content stream cannot be read, or the walk exceeds its bounds, nothing is
reported unused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import pikepdf

log = logging.getLogger(__name__)

# Resource categories whose entries operators name, and the operators (with the operand index) that do
_CATEGORIES = ("/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/XObject", "/Font", "/Properties")
_IMPLICIT = {"/ColorSpace": frozenset({"/DefaultRGB", "/DefaultCMYK", "/DefaultGray"})}
_DEVICE_SPACES = frozenset({"/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/Pattern"})
_OPERATORS = "Tf gs cs CS scn SCN sh Do BDC DP"

_MAX_STREAMS = 5000
_MAX_DEPTH = 24
_MAX_REACHABLE = 20000


# A resource dictionary, by its object (or, for a direct one, its owner's)
_Key = tuple[object, ...]


class _GiveUp(Exception):
    """A content stream could not be read, or the walk went past its bounds."""


@dataclass(slots=True)
class _Dict:
    """One resource dictionary: the object, and the (category, name) pairs its streams use."""

    resources: pikepdf.Dictionary
    used: set[tuple[str, str]] = field(default_factory=set)


@dataclass(slots=True)
class Unused:
    """Resource entries no content stream uses: (resource dictionary, category, name, value)."""

    entries: list[tuple[pikepdf.Dictionary, str, str, pikepdf.Object | None]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.entries)


def _key(resources: pikepdf.Dictionary, owner: tuple[int, int]) -> _Key:
    if resources.is_indirect:
        return ("indirect", resources.objgen)
    return ("direct", owner)


class _Walk:
    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.dicts: dict[_Key, _Dict] = {}
        self.seen: set[tuple[tuple[int, int], _Key | None]] = set()
        self.streams = 0

    def register(self, resources: object, owner: tuple[int, int]) -> _Key | None:
        if not isinstance(resources, pikepdf.Dictionary):
            return None
        key = _key(resources, owner)
        if key not in self.dicts:
            self.dicts[key] = _Dict(resources)
        return key

    def use(self, key: _Key | None, category: str, name: object) -> pikepdf.Object | None:
        """Record a use of *name* in *category*; return the resource it names, if any."""
        if key is None or not isinstance(name, pikepdf.Name):
            return None
        entry = self.dicts[key]
        entry.used.add((category, str(name)))
        group = entry.resources.get(category)
        if not isinstance(group, pikepdf.Dictionary):
            return None
        return group.get(str(name))

    def stream(self, stream: object, key: _Key | None, depth: int) -> None:
        """Walk one content stream whose names are looked up in the resources *key*."""
        if not isinstance(stream, pikepdf.Stream):
            return
        mark = (stream.objgen, key)
        if mark in self.seen:
            return
        self.seen.add(mark)
        self.streams += 1
        if self.streams > _MAX_STREAMS or depth > _MAX_DEPTH:
            raise _GiveUp("too many content streams")
        try:
            instructions = pikepdf.parse_content_stream(stream, _OPERATORS)
        except (pikepdf.PdfError, ValueError) as e:
            raise _GiveUp(f"content stream {stream.objgen} cannot be read: {e}") from e
        for instruction in instructions:
            if isinstance(instruction, pikepdf.ContentStreamInstruction):
                self.operator(str(instruction.operator), list(instruction.operands), key, depth)

    def contents(self, contents: object, key: _Key | None, depth: int) -> None:
        if isinstance(contents, pikepdf.Array):
            for part in contents:
                self.stream(part, key, depth)
        else:
            self.stream(contents, key, depth)

    def own_resources(self, obj: pikepdf.Object, inherited: _Key | None) -> _Key | None:
        """The resources a form, pattern or glyph looks names up in: its own, else those it inherits."""
        own = obj.get("/Resources") if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream) else None
        if own is None:
            return inherited
        return self.register(own, obj.objgen)

    def operator(self, op: str, operands: list[object], key: _Key | None, depth: int) -> None:
        if not operands:
            return
        if op == "Do":
            xobject = self.use(key, "/XObject", operands[0])
            if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                self.stream(xobject, self.own_resources(xobject, key), depth + 1)
        elif op == "Tf":
            font = self.use(key, "/Font", operands[0])
            if isinstance(font, pikepdf.Dictionary) and font.get("/Subtype") == "/Type3":
                glyphs = font.get("/CharProcs")
                if isinstance(glyphs, pikepdf.Dictionary):
                    inner = self.own_resources(font, key)
                    for name in list(glyphs.keys()):
                        self.stream(glyphs.get(name), inner, depth + 1)
        elif op == "gs":
            state = self.use(key, "/ExtGState", operands[0])
            mask = state.get("/SMask") if isinstance(state, pikepdf.Dictionary) else None
            group = mask.get("/G") if isinstance(mask, pikepdf.Dictionary) else None
            if isinstance(group, pikepdf.Stream):
                self.stream(group, self.own_resources(group, key), depth + 1)
        elif op in ("cs", "CS"):
            if isinstance(operands[0], pikepdf.Name) and str(operands[0]) not in _DEVICE_SPACES:
                self.use(key, "/ColorSpace", operands[0])
        elif op in ("scn", "SCN"):
            pattern = self.use(key, "/Pattern", operands[-1])
            if isinstance(pattern, pikepdf.Stream) and pattern.get("/PatternType") == 1:
                self.stream(pattern, self.own_resources(pattern, key), depth + 1)
        elif op == "sh":
            self.use(key, "/Shading", operands[0])
        elif op in ("BDC", "DP") and len(operands) > 1:
            self.use(key, "/Properties", operands[1])

    def appearances(self, page: pikepdf.Dictionary, key: _Key | None) -> None:
        annots = page.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            return
        for annot in annots:
            ap = annot.get("/AP") if isinstance(annot, pikepdf.Dictionary) else None
            if not isinstance(ap, pikepdf.Dictionary):
                continue
            for which in ("/N", "/R", "/D"):
                value = ap.get(which)
                states = [value] if isinstance(value, pikepdf.Stream) else []
                if isinstance(value, pikepdf.Dictionary) and not isinstance(value, pikepdf.Stream):
                    states = [
                        state for k in list(value.keys()) if isinstance(state := value.get(k), pikepdf.Stream)
                    ]
                for state in states:
                    if isinstance(state, pikepdf.Stream):
                        self.stream(state, self.own_resources(state, key), 1)


def _page_resources(page: pikepdf.Dictionary) -> object:
    node: object = page
    for _ in range(_MAX_DEPTH):
        if not isinstance(node, pikepdf.Dictionary):
            return None
        if "/Resources" in node:
            return node.get("/Resources")
        node = node.get("/Parent")
    return None


def find_unused(pdf: pikepdf.Pdf) -> Unused:
    """List the resource entries no content stream of *pdf* uses (nothing, if that cannot be told)."""
    walk = _Walk(pdf)
    try:
        for page in pdf.pages:
            obj = page.obj
            key = walk.register(_page_resources(obj), obj.objgen)
            walk.contents(obj.get("/Contents"), key, 0)
            walk.appearances(obj, key)
    except _GiveUp as e:
        log.debug("Resource use not worked out: %s", e)
        return Unused()
    except (pikepdf.PdfError, ValueError, TypeError, RecursionError) as e:
        log.debug("Resource use not worked out: %s", e)
        return Unused()
    unused = Unused()
    for entry in walk.dicts.values():
        for category in _CATEGORIES:
            group = entry.resources.get(category)
            if not isinstance(group, pikepdf.Dictionary):
                continue
            for name in list(group.keys()):
                if (category, name) in entry.used or name in _IMPLICIT.get(category, ()):
                    continue
                unused.entries.append((entry.resources, category, name, group.get(name)))
    return unused


def reachable(values: list[pikepdf.Object | None]) -> set[tuple[int, int]]:
    """The indirect objects *values* lead to (themselves included), within a bound."""
    found: set[tuple[int, int]] = set()
    stack: list[object] = list(values)
    steps = 0
    while stack and steps < _MAX_REACHABLE:
        steps += 1
        obj = stack.pop()
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in found:
                continue
            found.add(obj.objgen)
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            stack.extend(obj.get(k) for k in list(obj.keys()) if k != "/Parent")
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)
    return found


def prune(unused: Unused) -> None:
    """Take the unused entries out of their resource dictionaries (in the copy being edited)."""
    for resources, category, name, _value in unused.entries:
        group = resources.get(category)
        if isinstance(group, pikepdf.Dictionary) and name in group:
            del group[name]
