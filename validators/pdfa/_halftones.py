"""Halftones set by graphics states (/HT, ISO 19005-2 6.2.5), which pikepdf.pdfa refuses.

ISO 19005-2 6.2.5, as veraPDF tests it on each halftone a graphics state sets and on each component
halftone of a type 5 halftone (named by its colourant):

- 6.2.5-4: /HalftoneType is 1 or 5 (the name /Default stands for the device's type 1 halftone);
- 6.2.5-5: there is no /HalftoneName;
- 6.2.5-6: /TransferFunction is used only as ISO 32000-1 Table 130 requires it: absent in a
  halftone of its own and in the components for the primary colourants (Cyan, Magenta, Yellow,
  Black), present in the components for any other colourant, free in the /Default component.

ISO 19005-1 has no rule on halftones (its 6.2.8 forbids /TR and /TR2 other than /Default, which
pikepdf checks in every part, as it checks /HTP). `check_halftones` checks every graphics state
with /HT; `remove_halftones` takes /HT out of the copy pikepdf checks again, so that nothing else
in those graphics states goes unchecked.
"""

from __future__ import annotations

import logging

import pikepdf

from validators.pdfa._problem import Problem, dictionaries_with
from validators.pdfa._shading import function_problem

log = logging.getLogger(__name__)

RULE = "pikepdf:schema-ExtGState"
MESSAGE = "halftones (/HT) are not supported"
_PRIMARY = frozenset({"/Cyan", "/Magenta", "/Yellow", "/Black"})
# Keys of a type 5 halftone that are not colourants (ISO 32000-1 Table 133)
_TYPE5_KEYS = frozenset({"/Type", "/HalftoneType", "/HalftoneName"})
_MAX_DEPTH = 16
_MAX_COMPONENTS = 256


HalftoneProblem = Problem


def _graphics_states(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Dictionary, str]]:
    """Every dictionary of *pdf* holding /HT (a key of graphics states only), with where it is."""
    return dictionaries_with(pdf, "/HT", _MAX_DEPTH)


def _halftone(
    value: object, colourant: str | None, where: str, depth: int, problems: list[HalftoneProblem]
) -> None:
    """Check one halftone (a component of a type 5 one if *colourant* is its key)."""

    def bad(clause: str, message: str) -> None:
        problems.append(HalftoneProblem(clause, where, message))

    if isinstance(value, pikepdf.Name):
        if value != "/Default":
            bad("6.2.5-4", f"the halftone is the name {value}, not a halftone of type 1 or 5")
        return
    if not isinstance(value, pikepdf.Dictionary | pikepdf.Stream):
        bad(RULE, "the halftone is not a dictionary, stream or /Default")
        return
    kind = value.get("/HalftoneType")
    if isinstance(kind, bool) or kind not in (1, 5):
        bad("6.2.5-4", f"/HalftoneType is {kind}, not 1 or 5")
    if "/HalftoneName" in value:
        bad("6.2.5-5", "the halftone has a /HalftoneName")
    transfer = value.get("/TransferFunction")
    if colourant != "/Default":
        if colourant is None or colourant in _PRIMARY:
            if transfer is not None:
                whose = "a halftone of its own" if colourant is None else f"the {colourant[1:]} component"
                bad("6.2.5-6", f"{whose} has a /TransferFunction")
        elif transfer is None:
            bad("6.2.5-6", f"the component for colourant {colourant[1:]} has no /TransferFunction")
    if transfer is not None and transfer != "/Identity":
        problem = function_problem(transfer, 1)
        if problem is not None:
            bad(RULE, f"/TransferFunction: {problem}")
    if kind != 5 or isinstance(value, pikepdf.Stream):
        return
    if depth >= _MAX_DEPTH or len(value) > _MAX_COMPONENTS:
        problems.append(HalftoneProblem(RULE, where, "halftone nested too deep or too large to check", True))
        return
    for key, component in value.items():
        if key in _TYPE5_KEYS or not isinstance(component, pikepdf.Dictionary | pikepdf.Stream):
            continue
        _halftone(component, key, f"{where} {key}", depth + 1, problems)


def check_halftones(pdf: pikepdf.Pdf, part: int) -> list[HalftoneProblem]:
    """Check the halftone of every graphics state of *pdf* against ISO 19005-*part*."""
    problems: list[HalftoneProblem] = []
    if part == 1:
        return problems
    for state, where in _graphics_states(pdf):
        _halftone(state.get("/HT"), None, f"{where} /HT", 0, problems)
    return problems


def remove_halftones(pdf: pikepdf.Pdf) -> int:
    """Take /HT out of every graphics state of the copy *pdf*; return how many were changed."""
    states = _graphics_states(pdf)
    for state, _where in states:
        # One dictionary may be met twice (a shading pattern's graphics state also put in resources)
        if "/HT" in state:
            del state["/HT"]
    return len(states)
