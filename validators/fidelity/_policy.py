"""`ReviewPolicy`: which findings send a document to a person for review, from defaults or a TOML file."""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from validators.fidelity._model import FidelitySeverity

log = logging.getLogger(__name__)

#: Codes whose warnings already need a person: what they describe changes what the record says or
#: who can trust it, not just how it looks.
DEFAULT_WARNING_CODES: frozenset[str] = frozenset(
    {
        "text_changed",
        "comments_in_final",
        "tracked_changes_in_final",
        "tracked_changes_lost",
        "comment_lost",
        "macros_dropped",
        "external_content_blocked",
        "font_fallback",
        "formula_lost",
        "hidden_text",
        "sheet_lost",
        "hidden_sheet_shown",
    }
)


def _severity(value: Any, what: str) -> FidelitySeverity:
    try:
        return FidelitySeverity(str(value).lower())
    except ValueError:
        raise ValueError(f"{what}: {value!r} is not one of info, warning, error") from None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewPolicy:
    """Which findings send a document to review.

    A finding sends its document to review when its severity is at least the threshold for its code:
    ``codes[code]`` if set, else ``min_severity``. Codes in ``ignore`` never do.

    Attributes:
        min_severity: Threshold for codes not listed in ``codes`` (default: error).
        codes: Code -> threshold (default: warning for the codes in `DEFAULT_WARNING_CODES`).
        ignore: Codes that never send a document to review.
    """

    min_severity: FidelitySeverity = FidelitySeverity.ERROR
    codes: Mapping[str, FidelitySeverity] = field(
        default_factory=lambda: dict.fromkeys(sorted(DEFAULT_WARNING_CODES), FidelitySeverity.WARNING)
    )
    ignore: frozenset[str] = frozenset()

    @classmethod
    def from_toml(cls, path: str | Path) -> ReviewPolicy:
        """Read a policy from TOML; anything not set keeps its default.

        The settings live in a ``[review]`` table (or at the top level)::

            [review]
            min_severity = "error"          # for codes not listed below
            ignore = ["page_count_changed"]

            [review.codes]
            font_substituted = "warning"    # review even metric-compatible substitutions? no: "warning"
            comments_in_final = "error"     # only if comments_in_final ever becomes an error

        Args:
            path: The TOML file.

        Returns:
            The policy.

        Raises:
            OSError: The file cannot be read.
            ValueError: The file is not valid TOML or names an unknown severity.
        """
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise ValueError(f"{path}: not valid TOML: {e}") from e
        return cls.from_mapping(data.get("review", data))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ReviewPolicy:
        """Build a policy from a mapping shaped like the TOML ``[review]`` table."""
        default = cls()
        codes = dict(default.codes)
        for code, sev in dict(data.get("codes", {})).items():
            codes[str(code)] = _severity(sev, f"codes.{code}")
        ignore = data.get("ignore", [])
        if isinstance(ignore, str) or not isinstance(ignore, Iterable):
            raise ValueError("ignore: expected a list of codes")
        return cls(
            min_severity=_severity(data.get("min_severity", default.min_severity), "min_severity"),
            codes=codes,
            ignore=frozenset(str(c) for c in ignore),
        )

    def threshold(self, code: str) -> FidelitySeverity:
        """The lowest severity at which a finding of *code* sends its document to review."""
        return self.codes.get(code, self.min_severity)

    def review_reasons(self, findings: Iterable[Any]) -> list[Any]:
        """The findings that send the document to review.

        Args:
            findings: `FidelityFinding` objects, the conversion report's findings, or their dictionaries
                (anything with ``code`` and ``severity``).
        """
        out = []
        for f in findings:
            code = f.get("code") if isinstance(f, Mapping) else getattr(f, "code", None)
            sev = f.get("severity") if isinstance(f, Mapping) else getattr(f, "severity", None)
            if not code or code in self.ignore:
                continue
            try:
                severity = FidelitySeverity(str(sev))
            except ValueError:
                continue
            if severity.rank >= self.threshold(str(code)).rank:
                out.append(f)
        return out

    def needs_review(self, findings: Iterable[Any]) -> bool:
        """Whether any of *findings* sends the document to review (see `review_reasons`)."""
        return bool(self.review_reasons(findings))
