"""The data fidelity speaks: an `Inventory` of one file, and a `FidelityFinding` about a pair of them.

An inventory uses one vocabulary across formats (DOCX, ODT and PDF all say ``tables``, ``images``,
``comments``...), and holds only what its format can express: a PDF inventory has no ``comments`` count,
so comparing a DOCX with its PDF never claims comments were lost there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["Cell", "FidelityFinding", "FidelitySeverity", "Inventory", "Sheet"]


class FidelitySeverity(StrEnum):
    """How much a finding matters (the same words as the conversion report's severities)."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


#: One cell: its type (``n`` number, ``s`` text, ``b`` true/false, ``e`` error) and value. Dates and times
#: are numbers (days since 1899-12-30, as spreadsheets count them), so DOCX-era serials and ODF dates compare.
Cell = tuple[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class Sheet:
    """One worksheet of a spreadsheet inventory.

    Attributes:
        name: Sheet name as shown on its tab.
        hidden: Hidden (or very hidden) in the source.
        cells: Address (``B4``) -> `Cell`, for every cell holding a value. For a formula cell of a source
            that stored no result, the cell is absent and the address is in ``not_stored``.
        formulas: Address -> formula text as written in the file.
        not_stored: Formula cells whose result the file does not store (openpyxl-written workbooks).
        volatile: Formula cells whose result legitimately changes on recalculation (TODAY, NOW, RAND...).
        merged: Number of merged ranges.
        pivot_ranges: Where pivot tables put their output (``A3:C20``): the converter rebuilds them.
        truncated: True if the sheet was larger than the bound and only its start was read.
    """

    name: str
    hidden: bool = False
    cells: Mapping[str, Cell] = field(default_factory=dict)
    formulas: Mapping[str, str] = field(default_factory=dict)
    not_stored: tuple[str, ...] = ()
    volatile: tuple[str, ...] = ()
    merged: int = 0
    pivot_ranges: tuple[str, ...] = ()
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "hidden": self.hidden,
            "cells": {k: list(v) for k, v in self.cells.items()},
            "formulas": dict(self.formulas),
            "not_stored": list(self.not_stored),
            "volatile": list(self.volatile),
            "merged": self.merged,
            "pivot_ranges": list(self.pivot_ranges),
            "truncated": self.truncated,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Inventory:
    """What one file holds, in a vocabulary shared by every format.

    Attributes:
        path: The file.
        format: What its bytes say it is: ``docx``, ``xlsx``, ``pptx``, ``odt``, ``ods``, ``odp``, ``pdf``.
        kind: ``text``, ``spreadsheet``, ``presentation`` or ``pdf``.
        text: Visible text, normalised (Unicode NFC, one space between words; deleted tracked text,
            comments and hidden text left out).
        paragraphs: Non-empty paragraphs' text, in order (bounded), to quote where text went missing.
        counts: Name -> count, only for the things this format can hold (``tables``, ``images``,
            ``comments``, ``tracked_insertions`` ...; see docs/fidelity.md for the list).
        tables: Rows x columns of each table, in document order.
        fonts: Requested font family (theme fonts resolved) -> the distinct characters set in it.
        embedded_fonts: Families the file carries itself (DOCX embedded fonts; PDF embedded fonts).
        pdf_fonts: For PDFs, base font name -> embedded.
        pages: Page count: the PDF's pages, or the count the authoring program recorded (Word's
            ``docProps/app.xml``, ODF ``meta:page-count``), or None.
        page_texts: For PDFs, the normalised text of each page.
        macros: The file carries macros.
        external: Targets of content the file links rather than holds (linked images and objects,
            remote templates, external workbook references).
        hidden_text: Text formatted as hidden (not in ``text``).
        deleted_text: Passages deleted with change tracking on and not yet accepted, one a line (not in
            ``text``).
        sheets: For spreadsheets, each sheet.
        notes: What could not be read, or bounds that were hit.
    """

    path: str
    format: str
    kind: str
    text: str = ""
    paragraphs: tuple[str, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)
    tables: tuple[tuple[int, int], ...] = ()
    fonts: Mapping[str, str] = field(default_factory=dict)
    embedded_fonts: tuple[str, ...] = ()
    pdf_fonts: Mapping[str, bool] = field(default_factory=dict)
    pages: int | None = None
    page_texts: tuple[str, ...] = ()
    macros: bool = False
    external: tuple[str, ...] = ()
    hidden_text: str = ""
    deleted_text: str = ""
    sheets: tuple[Sheet, ...] = ()
    notes: tuple[str, ...] = ()

    def count(self, name: str) -> int | None:
        """The count of *name*, or None when this format cannot hold that thing."""
        return self.counts.get(name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary of everything in the inventory."""
        return {
            "path": self.path,
            "format": self.format,
            "kind": self.kind,
            "text": self.text,
            "paragraphs": list(self.paragraphs),
            "counts": dict(self.counts),
            "tables": [list(t) for t in self.tables],
            "fonts": dict(self.fonts),
            "embedded_fonts": list(self.embedded_fonts),
            "pdf_fonts": dict(self.pdf_fonts),
            "pages": self.pages,
            "page_texts": list(self.page_texts),
            "macros": self.macros,
            "external": list(self.external),
            "hidden_text": self.hidden_text,
            "deleted_text": self.deleted_text,
            "sheets": [s.to_dict() for s in self.sheets],
            "notes": list(self.notes),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class FidelityFinding:
    """Something lost or changed between a source and one of its outputs.

    The shape matches the conversion report's findings, so the pipeline can copy these across as they
    are.

    Attributes:
        code: Stable snake_case identifier (``table_lost``, ``font_substituted`` ...).
        severity: `FidelitySeverity`.
        where: The output (and the place in it) the finding concerns; empty for the source as a whole.
        message: What happened, in plain words.
        source_value: The value in the source, where one applies (JSON-ready).
        output_value: The value in the output, where one applies (JSON-ready).
    """

    code: str
    severity: FidelitySeverity
    where: str
    message: str
    source_value: Any = None
    output_value: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "where": self.where,
            "source_value": self.source_value,
            "output_value": self.output_value,
        }
