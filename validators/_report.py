"""Verdict types shared by every validator: a finding, and a report that collects them.

A non-conformant file is a *result* (``ValidationReport(passed=False)``), never an exception; only a
missing or broken tool raises.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


class FindingKind(StrEnum):
    """How a finding bears on the verdict."""

    VIOLATION = "violation"  # breaks the standard: the file fails
    UNSUPPORTED = "unsupported"  # may be valid, but could not be checked: the file fails (allowlist)
    NOTE = "note"  # worth knowing, does not affect the verdict


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One reason a file was not approved, or one thing worth knowing about it.

    Attributes:
        rule: Where the rule comes from: an ISO 19005 clause id (``ISO_19005_2:6.1.2-1``), an ODF
            rule (``odf:package-mimetype-first``), or an input-safety reason code
            (``input:zip-bomb``).
        message: What was wrong, in words a records clerk can act on.
        where: Location in the file (object number, part name and line, zip entry).
        kind: Whether it fails the file (see `FindingKind`).
    """

    rule: str
    message: str
    where: str = ""
    kind: FindingKind = FindingKind.VIOLATION

    def to_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "where": self.where, "message": self.message, "kind": str(self.kind)}


@dataclass(frozen=True, slots=True, kw_only=True)
class ValidationReport:
    """The verdict on one file.

    Attributes:
        path: The file checked.
        kind: What it was checked as: ``"pdfa"``, ``"odf"`` or ``"input"``.
        flavour: The PDF/A flavour checked (``"2b"``), or None for other kinds.
        passed: True only if no finding fails the file.
        findings: Every finding, in the order found.
    """

    path: Path
    kind: str
    passed: bool
    flavour: str | None = None
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @classmethod
    def from_findings(
        cls, path: Path, kind: str, findings: list[Finding] | tuple[Finding, ...], flavour: str | None = None
    ) -> ValidationReport:
        """Build a report whose verdict follows from its findings (any non-note finding fails)."""
        found = tuple(findings)
        passed = not any(f.kind is not FindingKind.NOTE for f in found)
        return cls(path=Path(path), kind=kind, passed=passed, flavour=flavour, findings=found)

    @property
    def failures(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind is not FindingKind.NOTE)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = str(self.path)
        d["findings"] = [f.to_dict() for f in self.findings]
        return d
