"""What a conversion returns: `ConversionResult`, its outputs and findings, and the report's JSON shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, TypedDict

from converter.exceptions import ExitCode

SCHEMA_VERSION = 1
# Failures of the machine rather than the document: a full or unwritable disk, an unreadable input (a
# network share that went away), an engine that could not start or was shut down.
_RETRYABLE = frozenset(
    {"disk_full", "output_unwritable", "input_unreadable", "engine_start", "engine_missing"}
)


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Status(StrEnum):
    CONVERTED = "converted"
    QUARANTINED = "quarantined"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportFinding:
    """Something a reviewer should know about one conversion (lost, changed, blocked or refused).

    Attributes:
        code: Stable identifier (``pdfa_failed``, ``macros_dropped``, ``engine_timeout`` ...).
        severity: `Severity`.
        message: What happened and what to do, in plain words.
        where: Which output or part it concerns.
        source_value: The value in the source, where one applies.
        output_value: The value in the output, where one applies.
    """

    code: str
    severity: Severity
    message: str
    where: str = ""
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


@dataclass(frozen=True, slots=True, kw_only=True)
class OutputFile:
    """One placed output.

    Attributes:
        path: Where it was placed.
        sha256: Of the placed bytes.
        format: ``odt``, ``ods``, ``odp``, ``odg`` or ``pdf``.
        pdfa_flavour: The flavour it passed validation for, or None (ODF, or not PDF/A).
        valid: Whether the written bytes passed their validator.
        validation: The validator's findings.
    """

    path: Path
    sha256: str
    size: int
    format: str
    pdfa_flavour: str | None
    valid: bool
    validation: tuple[dict[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "sha256": self.sha256,
            "size": self.size,
            "format": self.format,
            "pdfa_flavour": self.pdfa_flavour,
            "valid": self.valid,
            "validation": list(self.validation),
        }


class InputJSON(TypedDict):
    path: str
    sha256: str | None
    size: int
    kind: str
    format: str
    encrypted: bool
    macros: bool
    signed: bool


class ReportJSON(TypedDict):
    """The shape of ``<stem>.qujat.json``."""

    schema_version: int
    status: str
    exit_code: int
    exit_name: str
    message: str
    profile: str
    pdfa_flavour: str | None
    input: InputJSON
    outputs: list[dict[str, Any]]
    quarantined: list[str]
    findings: list[dict[str, Any]]
    metadata: dict[str, Any]
    timings: dict[str, float]
    engine: dict[str, Any]
    versions: dict[str, str]
    created: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ConversionResult:
    """The outcome of converting one document.

    ``status`` is ``converted`` when every requested output was placed and passed its validator, and
    ``quarantined`` otherwise; ``exit_code`` is what the CLI exits with for this document.
    """

    input: Path
    status: Status
    exit_code: ExitCode
    message: str
    profile: str
    pdfa_flavour: str | None
    input_sha256: str | None = None
    input_size: int = 0
    input_format: str = "unknown"
    kind: str = "unknown"
    encrypted: bool = False
    macros: bool = False
    signed: bool = False
    outputs: tuple[OutputFile, ...] = ()
    quarantined: tuple[Path, ...] = ()
    findings: tuple[ReportFinding, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    engine: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    report_path: Path | None = None
    created: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code is ExitCode.ok

    @property
    def reason(self) -> str | None:
        """The code of the error that stopped or spoiled the conversion (``encrypted``, ``disk_full`` ...)."""
        return next((f.code for f in self.findings if f.severity is Severity.ERROR), None)

    @property
    def retryable(self) -> bool:
        """True when the machine, not the document, was at fault: the same input may convert later."""
        return self.reason in _RETRYABLE

    def output(self, fmt: str) -> OutputFile | None:
        """The output of format *fmt* (``"pdf"``, ``"odt"`` ...), or None."""
        return next((o for o in self.outputs if o.format == fmt), None)

    def to_report(self) -> ReportJSON:
        return {
            "schema_version": SCHEMA_VERSION,
            "status": str(self.status),
            "exit_code": int(self.exit_code),
            "exit_name": self.exit_code.name,
            "message": self.message,
            "profile": self.profile,
            "pdfa_flavour": self.pdfa_flavour,
            "input": {
                "path": str(self.input),
                "sha256": self.input_sha256,
                "size": self.input_size,
                "kind": self.kind,
                "format": self.input_format,
                "encrypted": self.encrypted,
                "macros": self.macros,
                "signed": self.signed,
            },
            "outputs": [o.to_dict() for o in self.outputs],
            "quarantined": [str(p) for p in self.quarantined],
            "findings": [f.to_dict() for f in self.findings],
            "metadata": dict(self.metadata),
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
            "engine": dict(self.engine),
            "versions": dict(self.versions),
            "created": self.created,
        }
