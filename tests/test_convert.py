"""End-to-end conversions through the real LibreOffice engine: outputs, validation gates, metadata,
reports, profiles and refusals."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from odf import teletype
from odf.opendocument import load as odf_load
from odf.text import P

from converter import ExitCode, Status
from validators import claimed_flavour, validate_pdfa

pytestmark = pytest.mark.soffice

KAZAKH = "әғқңөұүһі"


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def _odf_text(path: Path) -> str:
    doc = odf_load(str(path))
    return "\n".join(teletype.extractText(p) for p in doc.getElementsByType(P))


def _relaxng_errors(path: Path, schema_dir: Path) -> list[str]:
    rng = etree.RelaxNG(etree.parse(str(schema_dir / "OpenDocument-v1.3-schema.rng")))
    errors = []
    with zipfile.ZipFile(path) as z:
        for part in ("content.xml", "styles.xml", "meta.xml", "settings.xml"):
            if part in z.namelist() and not rng.validate(etree.fromstring(z.read(part))):
                errors.append(f"{part}: {rng.error_log.last_error}")
    return errors


def test_final_profile_kazakh_letter(engine, sample, tmp_path: Path, odf_schema: Path) -> None:
    src = sample("letter-kk")
    out = tmp_path / "out"
    r = engine.convert(src, output_dir=out)
    assert r.status is Status.CONVERTED and r.exit_code is ExitCode.ok, r.findings
    odt, pdf = r.output("odt"), r.output("pdf")
    assert odt is not None and pdf is not None
    assert odt.path == out / "хат-қазақша.odt" and pdf.path == out / "хат-қазақша.pdf"
    # Every PDF labelled PDF/A passes the validator for its flavour.
    assert pdf.pdfa_flavour == "2b" and pdf.valid
    assert validate_pdfa(pdf.path, "2b").passed
    assert claimed_flavour(pdf.path) == "2b"
    # Strict ODF 1.3 that odfpy opens and the OASIS schema accepts.
    assert _relaxng_errors(odt.path, odf_schema) == []
    # Kazakh letters survive into both outputs' text.
    for text in (_odf_text(odt.path), _pdf_text(pdf.path)):
        assert all(ch in text.lower() for ch in KAZAKH), text[:300]
    # The report is written beside the outputs and says the same.
    report = json.loads((out / "хат-қазақша.qujat.json").read_text(encoding="utf-8"))
    assert report["schema_version"] == 1 and report["status"] == "converted" and report["exit_code"] == 0
    assert report["input"]["kind"] == "text" and report["input"]["format"] == "docx"
    assert {o["format"] for o in report["outputs"]} == {"odt", "pdf"}
    assert report["engine"]["name"] == "LibreOffice" and report["engine"]["version"].startswith(
        "LibreOffice 7"
    )
    assert report["timings"]["total"] > 0 and "engine_load" in report["timings"]


def test_metadata_carried_consistently(engine, sample, tmp_path: Path) -> None:
    src = sample("report-ru")
    r = engine.convert(src, output_dir=tmp_path)
    assert r.ok, r.findings
    title = r.metadata["title"]
    assert title and any("а" <= ch <= "я" for ch in title.lower())
    with pikepdf.open(r.output("pdf").path) as pdf:
        xmp = pdf.open_metadata()
        assert xmp["dc:title"] == title
        assert str(pdf.docinfo["/Title"]) == title
        assert r.metadata["author"] in xmp["dc:creator"]
        assert xmp["xmp:CreateDate"].startswith(r.metadata["created"][:10])
    meta = zipfile.ZipFile(r.output("odt").path).read("meta.xml").decode()
    assert title in meta


@pytest.mark.parametrize("flavour", ["1b", "2u", "3b"])
def test_flavours(engine, sample, tmp_path: Path, flavour: str) -> None:
    r = engine.convert(sample("letter-ru"), output_dir=tmp_path, pdfa=flavour)
    assert r.ok, r.findings
    pdf = r.output("pdf")
    assert pdf.pdfa_flavour == flavour and validate_pdfa(pdf.path, flavour).passed
    assert claimed_flavour(pdf.path) == flavour
    if flavour == "3b":
        with pikepdf.open(pdf.path) as p:
            spec = p.attachments["письмо-по-русски.odt"]
            assert spec.obj.AFRelationship == "/Source"
            assert spec.get_file().read_bytes() == r.output("odt").path.read_bytes()


def test_working_and_archive_profiles(engine, sample, tmp_path: Path) -> None:
    sheet = engine.convert(sample("budget"), output_dir=tmp_path / "w", profile="working")
    assert sheet.ok and [o.format for o in sheet.outputs] == ["ods"]
    deck = engine.convert(sample("presentation"), output_dir=tmp_path / "w", profile="working")
    assert deck.ok and [o.format for o in deck.outputs] == ["odp"]
    arch = engine.convert(sample("letter-en"), output_dir=tmp_path / "a", profile="archive")
    assert arch.ok and [o.format for o in arch.outputs] == ["pdf"]
    assert not list((tmp_path / "a").glob("*.odt"))


def test_document_with_comments_and_tracked_changes(engine, sample, tmp_path: Path) -> None:
    # LibreOffice's -nogui packages crash loading such a document over UNO; set-up installs the full ones.
    r = engine.convert(sample("memo-en"), output_dir=tmp_path)
    # Converted, but a final with tracked changes and comments goes to review (exit 11), outputs listed.
    assert r.status is Status.CONVERTED and r.exit_code is ExitCode.fidelity_below_threshold
    assert {"tracked_changes_in_final", "comments_in_final"} <= {f.code for f in r.findings}
    content = zipfile.ZipFile(r.output("odt").path).read("content.xml").decode()
    assert "office:annotation" in content and "text:tracked-changes" in content
    working = engine.convert(sample("memo-en"), output_dir=tmp_path / "w", profile="working")
    assert working.ok, working.findings  # still being edited: changes and comments are expected


@pytest.mark.parametrize(
    ("name", "code", "reason"),
    [
        ("bad-encrypted", ExitCode.encrypted_input, "encrypted"),
        ("bad-encrypted-xlsx", ExitCode.encrypted_input, "encrypted"),
        ("bad-truncated", ExitCode.input_file, "corrupt"),
        ("bad-fake-docx", ExitCode.input_file, "unknown_format"),
    ],
)
def test_bad_inputs_refused_before_the_engine(engine, sample, tmp_path: Path, name, code, reason) -> None:
    src = sample(name)
    before = src.read_bytes()
    r = engine.convert(src, output_dir=tmp_path)
    assert r.status is Status.QUARANTINED and r.exit_code is code
    assert r.findings[-1].code == reason and src.name in r.message
    assert r.outputs == () and "engine" not in r.timings
    assert src.read_bytes() == before  # the original is untouched
    report = json.loads((tmp_path / f"{src.stem}.qujat.json").read_text(encoding="utf-8"))
    assert report["status"] == "quarantined" and report["exit_code"] == int(code)


def test_existing_output_needs_overwrite(engine, sample, tmp_path: Path) -> None:
    src = sample("letter-en")
    assert engine.convert(src, output_dir=tmp_path).ok
    again = engine.convert(src, output_dir=tmp_path)
    assert again.exit_code is ExitCode.file_access_error and "overwrite" in again.message
    assert engine.convert(src, output_dir=tmp_path, overwrite=True).ok


def test_convert_many_in_parallel(engine, samples, tmp_path: Path) -> None:
    names = ["letter-kk", "letter-ru", "letter-en", "report-ru", "budget", "presentation"]
    results = list(engine.convert_many([samples[n] for n in names], output_dir=tmp_path))
    assert sorted(r.input.name for r in results) == sorted(samples[n].name for n in names)
    assert all(r.ok for r in results), [(r.input.name, r.message) for r in results if not r.ok]


def test_csv_input(engine, tmp_path: Path) -> None:
    src = tmp_path / "тізім.csv"
    src.write_text("Аты;Саны\nқағаз;12\nқалам;7\n", encoding="utf-8")
    r = engine.convert(src, output_dir=tmp_path / "out", profile="working")
    assert r.ok, r.findings
    content = zipfile.ZipFile(r.output("ods").path).read("content.xml").decode()
    assert "қағаз" in content and 'office:value="12"' in content


def test_output_stem_and_reasons(engine, sample, tmp_path: Path) -> None:
    r = engine.convert(sample("letter-en"), output_dir=tmp_path, output_stem="2026-001 хат")
    assert r.ok and {o.path.name for o in r.outputs} == {"2026-001 хат.odt", "2026-001 хат.pdf"}
    assert r.report_path == tmp_path / "2026-001 хат.qujat.json" and r.reason is None
    enc = engine.convert(sample("bad-encrypted"), output_dir=tmp_path)
    assert enc.reason == "encrypted" and not enc.retryable
    with pytest.raises(ValueError):
        engine.convert(sample("letter-en"), output_dir=tmp_path, output_stem="../escape")


def test_full_disk_is_retryable(engine, sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import converter._pipeline as pipeline

    def no_space(src: Path, dest: Path, *, overwrite: bool = True) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pipeline, "place_file", no_space)
    r = engine.convert(sample("letter-ru"), output_dir=tmp_path)
    assert r.reason == "disk_full" and r.retryable and r.exit_code is ExitCode.file_access_error
    assert not list(tmp_path.glob("*.odt")) and not list(tmp_path.glob("*.pdf"))


@pytest.mark.ocr
def test_scans_and_pdfs_through_convert(engine, tmp_path: Path) -> None:
    from tests.test_pdfinput import born_digital_pdf, render_scan, word_recall

    text = "Құрметті әріптестер, мұрағат құжаттары сканерленді. Уважаемые коллеги."
    scan = render_scan(text, tmp_path / "скан.png")
    born = born_digital_pdf(tmp_path / "born.pdf")
    out = tmp_path / "out"
    results = {r.input.name: r for r in engine.convert_many([scan, born], output_dir=out, profile="archive")}
    r_scan, r_born = results["скан.png"], results["born.pdf"]
    assert r_scan.ok and r_born.ok, (r_scan.findings, r_born.findings)
    for r in (r_scan, r_born):
        pdf = r.output("pdf")
        assert pdf.pdfa_flavour == "2b" and validate_pdfa(pdf.path, "2b").passed
    assert any(f.code == "ocr_applied" for f in r_scan.findings) and r_scan.metadata["ocr_confidence"]
    assert word_recall(text, _pdf_text(r_scan.output("pdf").path)) >= 0.9
    assert r_born.engine["route"] == "born_digital"
    # Converted beside itself, a PDF must never replace its input, overwrite or not.
    before = born.read_bytes()
    same = engine.convert(born, output_dir=tmp_path, profile="archive", overwrite=True)
    assert same.reason == "output_is_input" and born.read_bytes() == before
