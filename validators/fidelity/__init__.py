"""Fidelity: what a conversion lost or changed (DESIGN §5).

`inventory` describes a file (DOCX, XLSX, PPTX, ODT/ODS/ODP, PDF) in one vocabulary; `compare` turns a
source's inventory and an output's into findings; `compare_files` does both for a source and its
outputs; `ReviewPolicy` says which findings send a document to a person. See docs/fidelity.md.
"""

from __future__ import annotations

from validators.fidelity._compare import compare, compare_files, dedupe, sort_findings
from validators.fidelity._fonts import METRIC_COMPATIBLE, resolve_font
from validators.fidelity._inventory import RefusedInput, UnsupportedFormat, inventory
from validators.fidelity._model import Cell, FidelityFinding, FidelitySeverity, Inventory, Sheet
from validators.fidelity._policy import DEFAULT_WARNING_CODES, ReviewPolicy

__all__ = [
    "DEFAULT_WARNING_CODES",
    "METRIC_COMPATIBLE",
    "Cell",
    "FidelityFinding",
    "FidelitySeverity",
    "Inventory",
    "RefusedInput",
    "ReviewPolicy",
    "Sheet",
    "UnsupportedFormat",
    "compare",
    "compare_files",
    "dedupe",
    "inventory",
    "resolve_font",
    "sort_findings",
]
