"""Fidelity on real conversions: the samples converted by LibreOffice, and a source paired with the
outputs of a different document (which really lack its tables, pictures and footnotes)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.test_fidelity_docs import LINKED_IMAGE, make_docx, para
from validators.fidelity import FidelityFinding, FidelitySeverity, compare_files

pytestmark = pytest.mark.soffice

_CACHE: dict[str, dict[str, Path]] = {}


def _convert(engine: Any, src: Path, out_dir: Path) -> dict[str, Path]:
    key = str(src)
    if key not in _CACHE:
        out_dir.mkdir(parents=True, exist_ok=True)
        result = engine.convert(src, output_dir=out_dir)
        assert result.outputs, result.message
        _CACHE[key] = {o.format: o.path for o in result.outputs}
    return _CACHE[key]


def _by_severity(findings: list[FidelityFinding], severity: FidelitySeverity) -> list[str]:
    return [f"{f.code}: {f.message}" for f in findings if f.severity is severity]


@pytest.mark.parametrize("name", ["letter-kk", "letter-ru", "letter-en"])
def test_clean_letters_lose_nothing(
    engine: Any, samples: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    outputs = _convert(engine, samples[name], tmp_path_factory.mktemp(name))
    findings = compare_files(samples[name], outputs, profile="final")
    assert _by_severity(findings, FidelitySeverity.ERROR) == []
    assert _by_severity(findings, FidelitySeverity.WARNING) == []


@pytest.mark.parametrize("name", ["report-ru", "memo-en", "budget", "presentation"])
def test_richer_samples_have_no_errors(
    engine: Any, samples: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    outputs = _convert(engine, samples[name], tmp_path_factory.mktemp(name))
    findings = compare_files(samples[name], outputs, profile="final")
    assert _by_severity(findings, FidelitySeverity.ERROR) == []
    codes = {f.code for f in findings}
    if name == "memo-en":  # the memo keeps three comments and tracked changes on purpose
        assert {"comments_in_final", "tracked_changes_in_final"} <= codes
    if name == "budget":  # cell by cell: every stored value came through, every formula stayed a formula
        assert not codes & {"cell_value_changed", "formula_lost", "chart_lost", "sheet_lost"}


def test_outputs_of_another_document_show_the_losses(
    engine: Any, samples: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The report's tables, pictures and footnotes are not in the letter's outputs: each is named."""
    letter = _convert(engine, samples["letter-ru"], tmp_path_factory.mktemp("letter-ru"))
    findings = compare_files(samples["report-ru"], letter, profile="final")
    serious = {f.code for f in findings if f.severity is not FidelitySeverity.INFO}
    assert {"table_lost", "image_lost", "footnote_lost", "text_changed"} <= serious
    [text] = [f for f in findings if f.code == "text_changed" and f.where.endswith(".odt")]
    assert text.severity is FidelitySeverity.ERROR


def test_linked_picture_is_reported_blocked(engine: Any, tmp_path: Path) -> None:
    src = make_docx(tmp_path / "linked.docx", para("Логотип ниже.") + LINKED_IMAGE)
    outputs = _convert(engine, src, tmp_path / "out")
    findings = compare_files(src, outputs, profile="final")
    assert any(
        f.code == "external_content_blocked" and f.severity is FidelitySeverity.WARNING for f in findings
    ), findings
