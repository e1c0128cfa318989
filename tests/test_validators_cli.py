"""Tests for ``qujat validate`` (`validators.cli`): output lines, JSON lines and exact exit codes.

Run in-process through `main` (returns the exit code) and, for the real entry point, as
``python -m validators`` in a subprocess.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest

from validators.cli import ExitCode, main
from validators.pdfa import validate_pdfa

REPO = Path(__file__).parents[1]


# --- files ----------------------------------------------------------------------------------------------


def _odt(path: Path, *, broken: bool = False) -> Path:
    """A valid ODF text document from odfpy (given the manifest version odfpy leaves out), or a broken one."""
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    doc = OpenDocumentText()
    doc.text.addElement(P(text="Сәлем"))
    raw = path.with_suffix(".raw")
    doc.save(str(raw))
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(path, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(b"<manifest:manifest ", b'<manifest:manifest manifest:version="1.2" ', 1)
            zout.writestr(info, data)
        if broken:
            zout.writestr("undeclared.txt", b"not in the manifest")
    raw.unlink()
    return path


def _pdf(path: Path, *, claim: str | None, output_intent: bool = True) -> Path:
    """A one-page PDF, claiming a PDF/A flavour (``"2b"``) or none."""
    from PIL import ImageCms

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    # A red square in DeviceRGB: allowed in PDF/A only with an RGB output intent (ISO 19005-2, 6.2.4.3).
    pdf.pages[0].Contents = pdf.make_stream(b"1 0 0 rg 10 10 50 50 re f")
    if output_intent:
        icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        pdf.Root.OutputIntents = pikepdf.Array(
            [
                pikepdf.Dictionary(
                    Type=pikepdf.Name.OutputIntent,
                    S=pikepdf.Name.GTS_PDFA1,
                    OutputConditionIdentifier="sRGB",
                    DestOutputProfile=pdf.make_stream(icc, N=3),
                )
            ]
        )
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = "Есеп"
        if claim:
            meta["pdfaid:part"] = claim[0]
            meta["pdfaid:conformance"] = claim[1].upper()
    pdf.save(path)
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    d = tmp_path / "in"
    d.mkdir()
    text = d / "notes.txt"
    text.write_text("plain text, neither PDF nor ODF")
    return {
        "odt": _odt(d / "good.odt"),
        "bad_odt": _odt(d / "bad.odt", broken=True),
        "pdf_plain": _pdf(d / "plain.pdf", claim=None),
        "pdfa_broken": _pdf(d / "broken-2b.pdf", claim="2b", output_intent=False),
        "text": text,
    }


@pytest.fixture
def pdfa(tmp_path: Path) -> Path:
    path = _pdf(tmp_path / "good-2b.pdf", claim="2b")
    if not validate_pdfa(path, "2b").passed:
        pytest.skip("the PDF/A validator does not approve the hand-made PDF/A-2b")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


# --- verdicts and lines ---------------------------------------------------------------------------------


def test_passing_odf_exits_0(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _run(capsys, str(files["odt"]), "--workers", "1")
    assert code == ExitCode.OK == 0
    assert lines == [f"PASS {files['odt']} (ODF)"]
    assert "1 files checked" in err and "1 passed, 0 failed, 0 errors" in err


def test_failing_odf_exits_4_with_first_finding(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = _run(capsys, str(files["bad_odt"]), str(files["odt"]), "--workers", "1")
    assert code == ExitCode.ODF_FAILED == 4
    assert lines[0] == (
        f"FAIL {files['bad_odt']} (ODF): odf:undeclared-part: 'undeclared.txt' is in the package but not in "
        "the manifest [undeclared.txt]"
    )
    assert lines[1].startswith("PASS ")


def test_passing_pdfa_exits_0(pdfa: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _run(capsys, str(pdfa), "--workers", "1")
    assert (code, lines) == (0, [f"PASS {pdfa} (PDF/A-2b)"])


def test_pdf_claiming_no_flavour_is_not_pdfa(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = _run(capsys, str(files["pdf_plain"]), "--workers", "1")
    assert code == ExitCode.PDFA_FAILED == 10
    assert lines[0].startswith(f"FAIL {files['pdf_plain']} (not PDF/A): pdfa:no-claim: not PDF/A")


def test_damaged_pdf_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\nnothing else")
    code, lines, _ = _run(capsys, str(damaged), "--workers", "1")
    assert code == 10
    assert lines[0].startswith(f"FAIL {damaged} (not PDF/A): pdfa:unreadable: the PDF cannot be read")


def test_level_a_claim_is_checked_as_level_b(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    claims_2a = _pdf(tmp_path / "claims-2a.pdf", claim="2a")
    code, lines, _ = _run(capsys, str(claims_2a), "--json", "--workers", "1")
    record = json.loads(lines[0])
    assert record["flavour"] == "2b"
    assert {"rule": "pdfa:claim-checked-as-b", "kind": "note"}.items() <= record["findings"][-1].items()


def test_failing_pdfa_counts_more_findings(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = _run(capsys, str(files["pdfa_broken"]), "--workers", "1")
    assert code == 10
    assert lines[0].startswith(f"FAIL {files['pdfa_broken']} (PDF/A-2b): ")


def test_explicit_flavour_overrides_the_claim(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = _run(capsys, str(files["pdf_plain"]), "--flavour", "1b", "--workers", "1")
    assert code == 10
    assert lines[0].startswith(f"FAIL {files['pdf_plain']} (PDF/A-1b): ")


def test_pdfa_failure_outranks_odf_failure(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = _run(capsys, str(files["bad_odt"]), str(files["pdf_plain"]), "--workers", "1")
    assert code == 10


def test_unknown_file_exits_2_and_outranks_failures(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _ = _run(capsys, str(files["text"]), "--workers", "1")
    assert code == ExitCode.INPUT_FILE == 2
    assert lines == [f"ERROR {files['text']}: neither a PDF nor an ODF file (judged by its bytes)"]
    code, _, _ = _run(
        capsys, str(files["text"]), str(files["pdf_plain"]), str(files["bad_odt"]), "--workers", "1"
    )
    assert code == 2


def test_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _run(capsys, str(tmp_path / "absent.pdf"), "--workers", "1")
    assert code == 2
    assert lines[0].startswith(f"ERROR {tmp_path / 'absent.pdf'}: cannot read the file")


def test_detection_ignores_the_extension(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    disguised = files["odt"].with_name("looks-like.pdf")
    disguised.write_bytes(files["odt"].read_bytes())
    code, lines, _ = _run(capsys, str(disguised), "--workers", "1")
    assert (code, lines) == (0, [f"PASS {disguised} (ODF)"])


def test_json_lines(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _run(capsys, str(files["odt"]), str(files["pdf_plain"]), "--json", "--workers", "1")
    assert code == 10
    records = [json.loads(line) for line in lines]
    assert [set(r) for r in records] == [{"path", "kind", "flavour", "passed", "findings"}] * 2
    assert records[0] == {
        "path": str(files["odt"]),
        "kind": "odf",
        "flavour": None,
        "passed": True,
        "findings": [],
    }
    assert records[1]["kind"] == "pdfa" and records[1]["passed"] is False
    assert records[1]["findings"][0]["rule"] == "pdfa:no-claim"
    assert set(records[1]["findings"][0]) == {"rule", "where", "message", "kind"}


# --- folders, arguments, workers ------------------------------------------------------------------------


def test_folder_needs_recursive(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    folder = files["odt"].parent
    code, lines, err = _run(capsys, str(folder))
    assert code == ExitCode.BAD_ARGS == 1
    assert lines == []
    assert "add --recursive" in err


def test_recursive_walk_in_a_process_pool(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    folder = files["odt"].parent
    sub = folder / "sub" / "deeper"
    sub.mkdir(parents=True)
    _odt(sub / "nested.odt")
    code, lines, err = _run(capsys, "--recursive", str(folder), "--workers", "2")
    assert code == 2  # notes.txt is neither PDF nor ODF
    assert len(lines) == 6
    assert f"PASS {sub / 'nested.odt'} (ODF)" in lines
    assert "6 files checked" in err and "2 passed, 3 failed, 1 errors" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--flavour", "1a", "x.pdf"],
        ["--workers", "0", "x.pdf"],
        ["--workers", "many", "x.pdf"],
        ["--odf-schema", "/nonexistent-schema-folder", "x.odt"],
        ["--no-such-option", "x.pdf"],
        [],
    ],
)
def test_bad_arguments_exit_1(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = _run(capsys, *argv)
    assert code == 1
    assert lines == []
    assert "ERROR:" in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, _ = _run(capsys, "--help")
    assert code == 0
    assert lines[0].startswith("usage: qujat validate")


def test_odf_schema_option(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    schemas = REPO.parent / "shared" / "odf-schema"
    if not schemas.is_dir():
        pytest.skip("OASIS ODF schemas not available")
    code, lines, _ = _run(capsys, str(files["odt"]), "--odf-schema", str(schemas), "--workers", "1")
    assert (code, lines) == (0, [f"PASS {files['odt']} (ODF)"])


def test_extended_accepts_foreign_markup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    flat = tmp_path / "ext.fodt"
    flat.write_text(
        '<?xml version="1.0"?><office:document '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0" '
        'office:version="1.3" '
        'office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text><loext:x/>'
        "</office:text></office:body></office:document>",
        encoding="utf-8",
    )
    assert _run(capsys, str(flat), "--workers", "1")[0] == 4
    assert _run(capsys, str(flat), "--workers", "1", "--extended")[0] == 0


# --- as users run it ------------------------------------------------------------------------------------


def _module(*argv: str, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "validators", *argv],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        **kw,
    )


def test_python_m_validators(files: dict[str, Path]) -> None:
    done = _module(str(files["odt"]), str(files["bad_odt"]), "--workers", "2")
    assert done.returncode == 4, done.stderr
    assert sorted(line.split()[0] for line in done.stdout.splitlines()) == ["FAIL", "PASS"]
    assert "2 files checked" in done.stderr
    assert "\r" not in done.stderr  # no progress bar when stderr is not a terminal


def test_qujat_validate_dispatches_here(files: dict[str, Path]) -> None:
    qujat = Path(sys.executable).parent / "qujat"
    if not qujat.exists():
        pytest.skip("the qujat console script is not installed")
    done = subprocess.run(
        [str(qujat), "validate", str(files["bad_odt"]), "--json", "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 4, done.stderr
    assert json.loads(done.stdout)["findings"][0]["rule"] == "odf:undeclared-part"


def test_ctrl_c_exits_130(tmp_path: Path) -> None:
    fifo = tmp_path / "blocks.pdf"
    os.mkfifo(fifo)  # opening it blocks until a writer comes: the run is surely still going
    proc = subprocess.Popen(
        [sys.executable, "-m", "validators", str(fifo), "--workers", "1"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait until it is blocked opening the FIFO (Linux shows that as "wait_for_partner"), so the signal
    # lands inside the run and not during start-up on a busy machine.
    wchan = Path(f"/proc/{proc.pid}/wchan")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if wchan.read_text() == "wait_for_partner":
                break
        except OSError:
            time.sleep(5)  # no /proc: give start-up a generous moment instead
            break
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == ExitCode.INTERRUPTED == 130, err
    assert "(interrupted)" in err


def test_the_line_shows_a_broken_rule_before_a_construct_not_checked() -> None:
    from validators.cli import _line

    result = {
        "path": "a.pdf",
        "kind": "pdfa",
        "flavour": "3b",
        "status": "checked",
        "passed": False,
        "findings": [
            {
                "rule": "pikepdf:schema-FileSpec",
                "where": "obj 9 0",
                "message": "/Thumb not checked",
                "kind": "unsupported",
            },
            {
                "rule": "ISO_19005_3:6.8-4",
                "where": "obj 9 0",
                "message": "not an associated file",
                "kind": "violation",
            },
        ],
    }
    assert (
        _line(result)
        == "FAIL a.pdf (PDF/A-3b): ISO_19005_3:6.8-4: not an associated file [obj 9 0] (+1 more)"
    )
    result["findings"] = result["findings"][:1]  # only what was not checked: that is what it says
    assert _line(result) == "FAIL a.pdf (PDF/A-3b): pikepdf:schema-FileSpec: /Thumb not checked [obj 9 0]"
