"""What the settling modules share: the problem record, the place names, and a walk over dictionaries."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pikepdf


@dataclass(frozen=True, slots=True)
class Problem:
    """A violation of *clause* (an ISO 19005 clause, or a rule id with its own prefix), or, if
    *unsupported*, something the module could not check, which fails the file as unchecked."""

    clause: str
    where: str
    message: str
    unsupported: bool = False


def where_of(obj: object, fallback: str) -> str:
    """``obj N G`` for an indirect object, as pikepdf names places; *fallback* for a direct one."""
    if isinstance(obj, pikepdf.Object) and obj.is_indirect:
        return f"obj {obj.objgen[0]} {obj.objgen[1]}"
    return fallback


_OBJECT_PLACE = re.compile(r"^obj (\d+) (\d+)$")


def object_at(where: str) -> tuple[int, int] | None:
    """The object a place names, if the place is a whole object (``obj N G``), else None."""
    m = _OBJECT_PLACE.match(where)
    return (int(m.group(1)), int(m.group(2))) if m else None


def dictionaries_with(pdf: pikepdf.Pdf, key: str, max_depth: int) -> list[tuple[pikepdf.Dictionary, str]]:
    """Every dictionary of *pdf* holding *key*, indirect or written in place in another object (a
    stream's dictionary included), with the indirect object it is in (``obj N G``)."""
    found: list[tuple[pikepdf.Dictionary, str]] = []

    def visit(obj: object, where: str, depth: int) -> None:
        if depth > max_depth:
            return
        if isinstance(obj, pikepdf.Dictionary):
            if key in obj:
                found.append((obj, where))
            children = list(obj.values())
        elif isinstance(obj, pikepdf.Stream):
            # A stream's dictionary holds direct resources (a Form XObject's, a Type 3 font's)
            children = list(obj.stream_dict.values())
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            return
        for child in children:
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect:
                visit(child, where, depth + 1)

    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
            visit(obj, f"obj {obj.objgen[0]} {obj.objgen[1]}", 0)
    return found
