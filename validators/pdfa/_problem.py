"""What the settling modules report: a problem found, and the place it is named by."""

from __future__ import annotations

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
