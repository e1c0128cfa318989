"""`inventory`: identify a file by its bytes and hand it to the reader for its format."""

from __future__ import annotations

import logging
from pathlib import Path

from validators.fidelity._model import Inventory
from validators.inputs import InputFormat, check_input

log = logging.getLogger(__name__)

_WORD = {InputFormat.DOCX, InputFormat.DOCM, InputFormat.DOTX, InputFormat.DOTM}
_EXCEL = {InputFormat.XLSX, InputFormat.XLSM, InputFormat.XLTX, InputFormat.XLTM}
_POWERPOINT = {InputFormat.PPTX, InputFormat.PPTM, InputFormat.POTX, InputFormat.PPSX, InputFormat.PPSM}
_ODF = {
    InputFormat.ODT,
    InputFormat.OTT,
    InputFormat.ODS,
    InputFormat.OTS,
    InputFormat.ODP,
    InputFormat.OTP,
    InputFormat.ODG,
    InputFormat.FODT,
    InputFormat.FODS,
    InputFormat.FODP,
}


class UnsupportedFormat(ValueError):
    """The file is of a format fidelity cannot inventory (legacy binary Office, RTF, images...)."""


class RefusedInput(UnsupportedFormat):
    """The input safety checks refuse the file (entity declarations, zip bomb...): it is not parsed."""


def inventory(path: str | Path) -> Inventory:
    """Inventory a file: its text, structure, fonts and linked content, in one vocabulary for all formats.

    The format is identified from the file's bytes, never its name.

    Args:
        path: A DOCX/DOCM/DOTX, XLSX/XLSM/XLTX, PPTX/PPTM/PPSX/POTX, ODT/ODS/ODP (packaged or flat), RTF
            or PDF file.

    Returns:
        The `Inventory`. Parts that could not be read, and bounds that were hit, are listed in its
        ``notes``.

    Raises:
        UnsupportedFormat: The format has no inventory reader (legacy binary Office, images, CSV).
        RefusedInput: The input safety checks refuse the file (a subclass of `UnsupportedFormat`).
        ValueError: The file is damaged in a way that leaves nothing to inventory.
        OSError: The file cannot be read.
    """
    path = Path(path)
    report = check_input(path)
    fmt = report.format
    if not report.passed and fmt is not InputFormat.PDF:
        reason = report.reason
        raise RefusedInput(f"{path.name}: {reason.message if reason else 'refused'}")
    if fmt in _WORD:
        from validators.fidelity._docx import inventory_docx

        return inventory_docx(path, fmt.value)
    if fmt in _EXCEL:
        from validators.fidelity._xlsx import inventory_xlsx

        return inventory_xlsx(path, fmt.value)
    if fmt in _POWERPOINT:
        from validators.fidelity._pptx import inventory_pptx

        return inventory_pptx(path, fmt.value)
    if fmt in _ODF:
        from validators.fidelity._odf import inventory_odf

        return inventory_odf(path)
    if fmt is InputFormat.RTF:
        from validators.fidelity._rtf import inventory_rtf

        return inventory_rtf(path)
    if fmt is InputFormat.PDF:
        from validators.fidelity._pdf import inventory_pdf

        return inventory_pdf(path)
    raise UnsupportedFormat(f"{path.name}: no fidelity inventory for {fmt.value} files")
