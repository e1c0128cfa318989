"""Verdicts on files: PDF/A (`validate_pdfa`), ODF (`validate_odf`) and input safety (`check_input`).

This package is a leaf: it imports nothing from `converter` or `watch`, so existing files can be checked
on a machine without LibreOffice.
"""

from __future__ import annotations

from validators._odf_grammar import Grammar, grammar_for
from validators._report import Finding, FindingKind, ValidationReport
from validators.inputs import InputLimits, InputReport, check_input
from validators.odf import validate_odf
from validators.pdfa import Flavour, claimed_flavour, validate_pdfa

__all__ = [
    "Finding",
    "FindingKind",
    "Flavour",
    "Grammar",
    "InputLimits",
    "InputReport",
    "ValidationReport",
    "check_input",
    "claimed_flavour",
    "grammar_for",
    "validate_odf",
    "validate_pdfa",
]
