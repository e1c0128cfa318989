"""Conversion choices: profiles, PDF/A flavours and the immutable, picklable `ConvertOptions`."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from validators.fidelity import ReviewPolicy
from validators.inputs import InputLimits
from validators.pdfa import Flavour

__all__ = ["ConvertOptions", "Flavour", "OdfDialect", "Profile"]


class Profile(StrEnum):
    """What a conversion produces (DESIGN §4)."""

    WORKING = "working"  # ODF only: documents still being edited
    FINAL = "final"  # ODF + PDF/A: finished records
    ARCHIVE = "archive"  # PDF/A only: legacy batches

    @property
    def targets(self) -> tuple[str, ...]:
        return {"working": ("odf",), "final": ("odf", "pdf"), "archive": ("pdf",)}[self.value]


class OdfDialect(StrEnum):
    STRICT = "strict"  # ODF 1.3 as OASIS defines it: validates against the 1.3 schema
    EXTENDED = "extended"  # LibreOffice's default: 1.3 plus its own extension elements


@dataclass(frozen=True, slots=True, kw_only=True)
class ConvertOptions:
    """How to convert one document.

    Attributes:
        profile: `Profile` (working, final, archive).
        pdfa: PDF/A flavour for PDF outputs (1b, 2b, 2u, 3b).
        output_dir: Where outputs and the report go (default: beside the input).
        quarantine_dir: Where a PDF that failed PDF/A validation is kept aside (default:
            ``output_dir/quarantine``).
        timeout_s: Deadline for the engine's load-and-store of one document.
        overwrite: Replace existing outputs; without it an existing output is an error.
        odf_dialect: `OdfDialect`; only the pool's engine setting decides, this records it.
        limits: Input size and zip limits.
        write_report: Write ``<stem>.qujat.json`` beside the outputs.
        output_stem: The name outputs and the report take (default: the input's stem).
        fidelity: Compare the source with each output and report losses (default on).
        review_policy: Which findings send a document to review (exit 11); default `ReviewPolicy()`.
    """

    profile: Profile = Profile.FINAL
    pdfa: Flavour = Flavour.PDFA_2B
    output_dir: Path | None = None
    quarantine_dir: Path | None = None
    timeout_s: float = 120.0
    overwrite: bool = False
    odf_dialect: OdfDialect = OdfDialect.STRICT
    limits: InputLimits = field(default_factory=InputLimits)
    write_report: bool = True
    output_stem: str | None = None
    fidelity: bool = True
    review_policy: ReviewPolicy | None = None

    @classmethod
    def make(
        cls,
        *,
        profile: str | Profile = Profile.FINAL,
        pdfa: str | Flavour = Flavour.PDFA_2B,
        output_dir: str | Path | None = None,
        quarantine_dir: str | Path | None = None,
        timeout_s: float = 120.0,
        overwrite: bool = False,
        odf_dialect: str | OdfDialect = OdfDialect.STRICT,
        limits: InputLimits | None = None,
        write_report: bool = True,
        output_stem: str | None = None,
        fidelity: bool = True,
        review_policy: ReviewPolicy | None = None,
    ) -> ConvertOptions:
        """Build options from plain values, rejecting unknown choices with a clear ValueError."""
        try:
            prof = Profile(str(profile).lower())
        except ValueError:
            raise ValueError(f"unknown profile {profile!r}: choose working, final or archive") from None
        try:
            flav = Flavour(str(pdfa).lower())
        except ValueError:
            raise ValueError(f"unknown PDF/A flavour {pdfa!r}: choose 1b, 2b, 2u or 3b") from None
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        if output_stem is not None and (not output_stem or "/" in output_stem or output_stem in (".", "..")):
            raise ValueError(f"output_stem must be a plain file name, not {output_stem!r}")
        return cls(
            profile=prof,
            pdfa=flav,
            output_dir=Path(output_dir) if output_dir is not None else None,
            quarantine_dir=Path(quarantine_dir) if quarantine_dir is not None else None,
            timeout_s=float(timeout_s),
            overwrite=overwrite,
            odf_dialect=OdfDialect(str(odf_dialect).lower()),
            limits=limits or InputLimits(),
            write_report=write_report,
            output_stem=output_stem,
            fidelity=fidelity,
            review_policy=review_policy,
        )
