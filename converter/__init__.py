"""qujat's converter: one document in, strict ODF and verified PDF/A out, with a report.

Public API::

    from converter import convert, Converter
    result = convert("letter.docx", profile="final", pdfa="2b", output_dir="out")
    with Converter(workers=2) as c:
        for r in c.convert_many(paths, output_dir="out"):
            ...

Modules and objects behind an underscore are private.
"""

from __future__ import annotations

from converter.api import Converter, convert
from converter.exceptions import (
    BadArgsError,
    ConfigError,
    EncryptedInputError,
    EngineFailedError,
    ExitCode,
    InputFileError,
    InvalidOutputError,
    MissingDependencyError,
    OutputFileError,
    PdfaFailedError,
    QujatError,
)
from converter.files import atomic_writer, place_file, sha256_file, write_bytes_atomic
from converter.options import ConvertOptions, Flavour, OdfDialect, Profile
from converter.result import ConversionResult, OutputFile, ReportFinding, Severity, Status

__all__ = [
    "BadArgsError",
    "ConfigError",
    "ConversionResult",
    "ConvertOptions",
    "Converter",
    "EncryptedInputError",
    "EngineFailedError",
    "ExitCode",
    "Flavour",
    "InputFileError",
    "InvalidOutputError",
    "MissingDependencyError",
    "OdfDialect",
    "OutputFile",
    "OutputFileError",
    "PdfaFailedError",
    "Profile",
    "QujatError",
    "ReportFinding",
    "atomic_writer",
    "place_file",
    "sha256_file",
    "write_bytes_atomic",
    "Severity",
    "Status",
    "convert",
]
