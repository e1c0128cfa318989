"""Shared fixtures: generated samples, a session-wide engine, and the opt-in flags for slow/corpus tests.

Tests copy inputs into tmp_path and never modify samples/. Real-tool tests skip with a reason when the
tool is missing; CI installs the tools, so there they run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
ODF_SCHEMA = SHARED / "odf-schema"
SOFFICE_BIN = Path("/usr/lib/libreoffice/program/soffice.bin")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="run tests marked slow")
    parser.addoption(
        "--run-corpus", action="store_true", help="run the long corpus tests (needs ../shared/corpus)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "slow" in item.keywords and not config.getoption("--run-slow"):
            item.add_marker(pytest.mark.skip(reason="slow: run with --run-slow"))
        if "corpus" in item.keywords and not CORPUS.is_dir():
            item.add_marker(pytest.mark.skip(reason="../shared/corpus is absent"))
        if "soffice" in item.keywords and not SOFFICE_BIN.exists():
            item.add_marker(pytest.mark.skip(reason="LibreOffice is not installed"))


@pytest.fixture(scope="session")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The generated sample documents, by name (letter-kk, report-ru, bad-encrypted ...)."""
    from samples import generate

    return generate(tmp_path_factory.mktemp("samples"))


@pytest.fixture
def sample(samples: dict[str, Path], tmp_path: Path):  # type: ignore[no-untyped-def]
    """Copy a sample into tmp_path (tests never touch the generated originals)."""

    def _copy(name: str) -> Path:
        src = samples[name]
        dest = tmp_path / "in" / src.name
        dest.parent.mkdir(exist_ok=True)
        shutil.copyfile(src, dest)
        return dest

    return _copy


@pytest.fixture(scope="session")
def engine() -> Iterator[object]:
    """One real two-worker Converter shared by the tests that only need conversions."""
    if not SOFFICE_BIN.exists():
        pytest.skip("LibreOffice is not installed")
    from converter import Converter

    with Converter(workers=2) as c:
        yield c


@pytest.fixture
def odf_schema() -> Path:
    if not (ODF_SCHEMA / "OpenDocument-v1.3-schema.rng").is_file():
        pytest.skip("../shared/odf-schema is absent")
    return ODF_SCHEMA


def soffice_pids() -> set[int]:
    """PIDs of every soffice.bin process on the machine."""
    pids = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmd = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if cmd.split(b"\0", 1)[0].endswith(b"soffice.bin"):
                pids.add(int(entry))
    return pids


def descendants(pid: int) -> set[int]:
    """Every living process below *pid*."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    out: set[int] = set()
    todo = [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


@pytest.fixture(scope="session")
def pdfa1b() -> bytes:
    """A one-page PDF/A-1b file written and approved by pikepdf.pdfa (for tests to break)."""
    from tests.test_validators_pdfa import _write_pdfa

    return _write_pdfa("1b")


@pytest.fixture(scope="session")
def pdfa2b() -> bytes:
    """A one-page PDF/A-2b file written and approved by pikepdf.pdfa (for tests to break)."""
    from tests.test_validators_pdfa import _write_pdfa

    return _write_pdfa("2b")
