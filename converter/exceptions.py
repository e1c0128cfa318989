"""qujat's exit codes and its one exception tree; each exception class carries its exit code.

The numbers follow OCRmyPDF's where the meaning matches, and qujat's own come after them.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of the ``qujat`` CLI (documented in the README)."""

    ok = 0
    bad_args = 1
    input_file = 2
    missing_dependency = 3
    invalid_output = 4
    file_access_error = 5
    child_process_error = 7
    encrypted_input = 8
    invalid_config = 9
    pdfa_conversion_failed = 10
    fidelity_below_threshold = 11
    batch_incomplete = 12
    other_error = 15
    ctrl_c = 130


class QujatError(Exception):
    """Base of qujat's errors. ``exit_code`` is what the CLI exits with."""

    exit_code = ExitCode.other_error

    def __init__(self, message: str, *, tip: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.tip = tip


class BadArgsError(QujatError):
    exit_code = ExitCode.bad_args


class InputFileError(QujatError):
    """The input is missing, unreadable, of an unknown kind, damaged or unsafe."""

    exit_code = ExitCode.input_file


class MissingDependencyError(QujatError):
    exit_code = ExitCode.missing_dependency


class OutputFileError(QujatError):
    """An output exists and ``overwrite`` was not given, or cannot be written."""

    exit_code = ExitCode.file_access_error


class EngineFailedError(QujatError):
    """LibreOffice failed, crashed or overran its timeout."""

    exit_code = ExitCode.child_process_error


class EncryptedInputError(QujatError):
    exit_code = ExitCode.encrypted_input


class ConfigError(QujatError):
    exit_code = ExitCode.invalid_config


class PdfaFailedError(QujatError):
    """The PDF did not pass PDF/A validation for the requested flavour."""

    exit_code = ExitCode.pdfa_conversion_failed


class InvalidOutputError(QujatError):
    """An output (ODF) failed validation."""

    exit_code = ExitCode.invalid_output
