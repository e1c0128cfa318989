"""Pages that may hold transparency, for a file without a PDF/A OutputIntent (ISO 19005-2/3 6.2.10-2).

Without an OutputIntent, every page that contains transparency must name its blending colour space: a
page /Group with a /CS entry. pikepdf.pdfa does not look for transparency and reports any file without
an OutputIntent as unchecked ("device colour cannot be checked"); this is the check it stands for. Its
device colour checks do not depend on it: device colour without an OutputIntent (and without a
/Default* space) is a violation there anyway.

"May hold transparency" errs on the safe side: any soft mask, constant alpha other than 1, blend mode
other than Normal, or transparency group found anywhere the page reaches (resources, form XObjects,
patterns, annotations and their appearances) counts, used or not.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pikepdf

log = logging.getLogger(__name__)

# Keys that lead away from the page (to its parents, other pages or the document structure)
_SKIP_KEYS = frozenset(
    {"/Parent", "/P", "/Pg", "/Dest", "/A", "/AA", "/Next", "/Prev", "/First", "/Last", "/StructParent"}
)
_NORMAL_BLEND = frozenset({"/Normal", "/Compatible"})
_MAX_OBJECTS = 200_000


@dataclass(frozen=True, slots=True)
class TransparencyProblem:
    """A page that may hold transparency but names no blending colour space."""

    where: str
    message: str


def _marker(obj: pikepdf.Dictionary) -> str | None:
    """Why *obj* may make its page transparent, or None."""
    smask = obj.get("/SMask")
    if smask is not None and not (isinstance(smask, pikepdf.Name) and smask == "/None"):
        return "a soft mask (/SMask)"
    for key in ("/CA", "/ca"):
        value = obj.get(key)
        if value is not None:
            try:
                if float(value) != 1.0:
                    return f"constant alpha {key} {float(value)}"
            except (TypeError, ValueError):
                return f"an unreadable {key}"
    blend = obj.get("/BM")
    if blend is not None:
        names = list(blend) if isinstance(blend, pikepdf.Array) else [blend]
        if not names or str(names[0]) not in _NORMAL_BLEND:
            return f"blend mode {blend}"
    if obj.get("/SMaskInData") not in (None, 0):
        return "an image with /SMaskInData"
    group = obj.get("/Group")
    if isinstance(group, pikepdf.Dictionary) and group.get("/S") == "/Transparency":
        return "a transparency group"
    return None


def _page_marker(page: pikepdf.Dictionary) -> str | None:
    seen: set[tuple[int, int]] = set()
    stack: list[pikepdf.Object] = [v for k, v in page.items() if k not in _SKIP_KEYS and k != "/Group"]
    visited = 0
    while stack:
        obj = stack.pop()
        visited += 1
        if visited > _MAX_OBJECTS:
            return "too many objects to rule transparency out"
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            if obj.get("/Type") in ("/Page", "/Pages", "/Catalog"):
                continue
            why = _marker(obj)
            if why is not None:
                return why
            stack.extend(v for k, v in obj.items() if k not in _SKIP_KEYS)
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)
    return None


def pages_without_blending_space(pdf: pikepdf.Pdf) -> list[TransparencyProblem]:
    """Pages that may hold transparency and have no page group /CS.

    Args:
        pdf: The open document (one without a PDF/A OutputIntent).

    Returns:
        One problem per such page.
    """
    problems: list[TransparencyProblem] = []
    for number, page in enumerate(pdf.pages, start=1):
        group = page.obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and "/CS" in group:
            continue
        why = "a page group" if group is not None else _page_marker(page.obj)
        if why is not None:
            problems.append(
                TransparencyProblem(
                    f"page {number}",
                    f"the page may hold transparency ({why}) but, with no PDF/A OutputIntent, "
                    "has no page group /CS naming its blending colour space",
                )
            )
    return problems
