"""The `qujat` CLI, in-process (returns the exit code) and as a subprocess, asserting exact exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from converter.cli import main
from tests.conftest import REPO

QUJAT = str(REPO / ".venv" / "bin" / "qujat")


def test_no_command_is_bad_args(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 1
    assert main(["convert", "--profile", "nonsense", "x.docx"]) == 1


def test_missing_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(tmp_path / "nope.docx"), "--out", str(tmp_path)]) == 2
    assert "ERROR:" in capsys.readouterr().err


@pytest.mark.soffice
def test_encrypted_exits_8_naming_the_file(sample, tmp_path: Path) -> None:
    src = sample("bad-encrypted")
    p = subprocess.run(
        [QUJAT, "convert", str(src), "--out", str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert p.returncode == 8
    assert src.name in p.stdout and "password" in p.stdout


@pytest.mark.soffice
def test_corrupt_exits_2(sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["convert", str(sample("bad-truncated")), "--out", str(tmp_path)]) == 2
    assert main(["convert", str(sample("bad-fake-docx")), "--out", str(tmp_path)]) == 2


@pytest.mark.soffice
def test_json_lines_and_first_failure_wins(
    sample, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, bad = sample("letter-kk"), sample("bad-truncated")
    code = main(["convert", str(bad), str(good), "--out", str(tmp_path), "--json", "--pdfa", "3b"])
    assert code == 2
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    by_name = {Path(x["input"]["path"]).name: x for x in lines}
    assert by_name[good.name]["status"] == "converted"
    assert {o["pdfa_flavour"] for o in by_name[good.name]["outputs"]} == {None, "3b"}
    assert by_name[bad.name]["status"] == "quarantined" and by_name[bad.name]["exit_code"] == 2


def test_help_lists_exit_codes() -> None:
    p = subprocess.run([QUJAT, "convert", "--help"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0 and "exit codes:" in p.stdout and "8 encrypted" in p.stdout


def test_doctor_runs() -> None:
    p = subprocess.run([QUJAT, "doctor"], capture_output=True, text=True, timeout=120)
    assert p.returncode in (0, 3)
    assert "LibreOffice" in p.stdout and "fonts covering Kazakh" in p.stdout
