"""The PDF route without OCR: born-digital PDFs, PDFs that are already PDF/A, and the hostile inputs.

Also the helpers the OCR tests share: generated scans (Kazakh, Russian and English text rendered at 300
dpi with DejaVu, speckle noise and a slight skew) and word recall over normalised words.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont

from converter import _ocr
from converter._pdfinput import PdfRouteError, PdfRouteResult, pdf_to_pdfa
from converter.exceptions import ExitCode
from validators import validate_pdfa

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

TEXTS = {
    "kk": (
        "Қазақстан Республикасының мемлекеттік органдары құжаттарды электрондық түрде сақтайды. "
        "Бұл хат облыс әкімдігіне жіберілді және оған тіркеу нөмірі берілді. Өтініш бойынша шешім "
        "он жұмыс күні ішінде қабылданады. Қызметкерлер құжаттардың көшірмелерін мұрағатқа тапсырады. "
        "Азаматтардың үндеулері заңда белгіленген тәртіппен қаралады."
    ),
    "ru": (
        "Государственные органы Республики Казахстан хранят документы в электронном виде. Это письмо "
        "направлено в областной акимат и получило регистрационный номер. Решение по заявлению "
        "принимается в течение десяти рабочих дней. Сотрудники передают копии документов в архив. "
        "Обращения граждан рассматриваются в порядке, установленном законом."
    ),
    "en": (
        "Public bodies of the Republic of Kazakhstan keep their records in electronic form. This letter "
        "was sent to the regional administration and received a registration number. A decision on the "
        "application is taken within ten working days. Staff hand copies of the documents to the archive. "
        "Appeals from citizens are considered in the order established by law."
    ),
}


def words(text: str) -> list[str]:
    """Normalised words: NFC, lower case, letters and digits only."""
    return re.findall(r"\w+", unicodedata.normalize("NFC", text).lower())


def word_recall(expected: str, got: str) -> float:
    """Share of the expected words (as a multiset) found in *got*."""
    want, have = Counter(words(expected)), Counter(words(got))
    return sum((want & have).values()) / sum(want.values())


def render_scan(text: str, dest: Path, *, dpi: int = 300, seed: int = 0, skew: float = 0.6) -> Path:
    """Render *text* as a scanned page: serif 12 pt at *dpi*, speckle noise, rotated by *skew* degrees."""
    rnd = random.Random(seed)
    width = int(8.27 * dpi)
    margin = dpi
    font = ImageFont.truetype(str(DEJAVU / "DejaVuSerif.ttf"), round(12 / 72 * dpi))
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if probe.textlength(candidate, font=font) > width - 2 * margin:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    step = round(font.size * 1.6)
    img = Image.new("L", (width, 2 * margin + step * len(lines)), 255)
    draw = ImageDraw.Draw(img)
    for i, ln in enumerate(lines):
        draw.text((margin, margin + i * step), ln, font=font, fill=rnd.randint(0, 40))
    img = img.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
    px = img.load()
    assert px is not None
    for _ in range(img.width * img.height // 250):
        px[rnd.randrange(img.width), rnd.randrange(img.height)] = rnd.choice((0, 80, 160, 220))
    img.save(dest, dpi=(dpi, dpi))
    return dest


def born_digital_pdf(dest: Path, pages: int = 2) -> Path:
    """A born-digital PDF with an embedded, Unicode-mapped DejaVu font (fpdf2, which ocrmypdf brings)."""
    from fpdf import FPDF

    doc = FPDF()
    doc.add_font("dejavu", fname=str(DEJAVU / "DejaVuSans.ttf"))
    doc.set_font("dejavu", size=11)
    for i in range(pages):
        doc.add_page()
        doc.multi_cell(0, 6, TEXTS[("kk", "ru", "en")[i % 3]])
    doc.output(str(dest))
    return dest


def pdftotext(path: Path) -> list[str]:
    run = _ocr.run_bounded(["pdftotext", "-enc", "UTF-8", str(path), "-"], timeout_s=60)
    return run.stdout.decode("utf-8").split("\f")[:-1]


def convert(src: Path, tmp: Path, fmt: str = "pdf", flavour: str = "2b", **kw: Any) -> PdfRouteResult:
    return pdf_to_pdfa(
        src, tmp / "out" / f"{src.stem}.pdf", input_format=fmt, flavour=flavour, work_dir=tmp / "work", **kw
    )


def route_error(src: Path, tmp: Path, fmt: str = "pdf", **kw: Any) -> PdfRouteError:
    with pytest.raises(PdfRouteError) as info:
        convert(src, tmp, fmt, **kw)
    return info.value


# -- born-digital and already PDF/A --------------------------------------------------------------------


@pytest.mark.parametrize("flavour", ["1b", "2b", "2u", "3b"])
def test_born_digital_pdf_needs_no_ocr(tmp_path: Path, flavour: str) -> None:
    src = born_digital_pdf(tmp_path / "letter.pdf", pages=3)
    before = src.read_bytes()
    r = convert(src, tmp_path, flavour=flavour)
    assert (r.route, r.kept_original, r.ocr_pages, r.ocr_confidence) == ("born_digital", False, 0, None)
    assert (r.pages, r.text_pages_after) == (3, 3)
    assert validate_pdfa(r.dest, flavour).passed
    assert r.validation.passed and r.flavour == flavour
    text = pdftotext(r.dest)
    assert word_recall(TEXTS["kk"], text[0]) == 1.0
    assert src.read_bytes() == before
    assert not list((tmp_path / "work").iterdir())  # the private work folder is gone


def test_pdfa_input_keeps_its_bytes(tmp_path: Path) -> None:
    first = convert(born_digital_pdf(tmp_path / "a.pdf"), tmp_path, flavour="2b")
    again = tmp_path / "again"
    again.mkdir()
    src = again / "already.pdf"
    shutil.copyfile(first.dest, src)
    r = convert(src, again, flavour="2b")
    assert r.kept_original and r.route == "kept"
    assert r.dest.read_bytes() == src.read_bytes()
    assert (r.pages, r.text_pages_after) == (2, 2)


def test_pdfa_of_another_flavour_is_rewritten(tmp_path: Path) -> None:
    first = convert(born_digital_pdf(tmp_path / "a.pdf"), tmp_path, flavour="1b")
    r = convert(first.dest, tmp_path / "again", flavour="2u")
    assert not r.kept_original and r.route == "born_digital"
    assert validate_pdfa(r.dest, "2u").passed


# -- hostile inputs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("user_password", ["secret", ""])
def test_encrypted_pdf(tmp_path: Path, user_password: str) -> None:
    src = born_digital_pdf(tmp_path / "plain.pdf")
    enc = tmp_path / "locked.pdf"
    with pikepdf.open(src) as pdf:
        pdf.save(enc, encryption=pikepdf.Encryption(owner="owner", user=user_password))
    err = route_error(enc, tmp_path)
    assert err.code == "pdf_encrypted"
    assert err.exit_code == ExitCode.encrypted_input == 8
    assert not (tmp_path / "out" / "locked.pdf").exists()


@pytest.mark.parametrize("keep", [0.35, 0.8, 0.99])
def test_truncated_pdf(tmp_path: Path, keep: float) -> None:
    data = born_digital_pdf(tmp_path / "whole.pdf").read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: int(len(data) * keep)])
    err = route_error(cut, tmp_path)
    assert err.code == "pdf_damaged" and err.exit_code == ExitCode.input_file
    assert "truncated" in err.message


def test_garbage_after_header(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    err = route_error(bad, tmp_path)
    assert err.code == "pdf_damaged"


@pytest.mark.parametrize(
    ("base_font", "raw_name", "shown"),
    [
        ("/Helvetica", b"/Helvetica", "Helvetica"),
        ("/QQSong", b"/\xcb\xceSong", "Song"),  # a Chinese font named in GBK: not UTF-8
    ],
)
def test_unembedded_font_is_refused_with_a_reason(
    tmp_path: Path, base_font: str, raw_name: bytes, shown: str
) -> None:
    src = tmp_path / "unembedded.pdf"
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name(base_font)
        )
    )
    page = pdf.add_blank_page(page_size=(595, 842))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Not embedded) Tj ET")
    pdf.save(src, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    assert len(raw_name) == len(base_font)  # same length: the cross-reference offsets stay right
    src.write_bytes(src.read_bytes().replace(base_font.encode(), raw_name))
    err = route_error(src, tmp_path)
    assert err.code == "fonts_not_embedded" and shown in err.message
    assert err.exit_code == ExitCode.pdfa_conversion_failed


def _sign(src: Path, dest: Path) -> None:
    """A signed-looking PDF: an AcroForm /Sig field with a signature value (not a real signature)."""
    with pikepdf.open(src) as pdf:
        sig = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Sig,
                Filter=pikepdf.Name("/Adobe.PPKLite"),
                SubFilter=pikepdf.Name("/adbe.pkcs7.detached"),
                ByteRange=pikepdf.Array([0, 100, 200, 300]),
                Contents=pikepdf.String(b"\x00" * 64),
            )
        )
        field = pdf.make_indirect(
            pikepdf.Dictionary(
                FT=pikepdf.Name.Sig,
                T=pikepdf.String("Signature1"),
                V=sig,
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Widget,
                Rect=pikepdf.Array([0, 0, 0, 0]),
                F=132,
                P=pdf.pages[0].obj,
            )
        )
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([field]))
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]), SigFlags=3)
        pdf.save(dest)


def test_signed_pdf_converted_copy_and_finding(tmp_path: Path) -> None:
    signed = tmp_path / "signed.pdf"
    _sign(born_digital_pdf(tmp_path / "plain.pdf"), signed)
    before = signed.read_bytes()
    r = convert(signed, tmp_path, flavour="2b")
    assert "signature_not_carried" in [f[0] for f in r.findings]
    assert signed.read_bytes() == before  # the signed original is untouched
    assert r.validation.passed
    with pikepdf.open(r.dest) as pdf:
        assert "/AcroForm" not in pdf.Root  # no signature that could only fail to verify


def test_unknown_format_and_flavour_are_caller_errors(tmp_path: Path) -> None:
    src = born_digital_pdf(tmp_path / "a.pdf")
    with pytest.raises(ValueError):
        convert(src, tmp_path, fmt="gif")
    with pytest.raises(ValueError):
        convert(src, tmp_path, flavour="1a")


@pytest.mark.parametrize("fmt", ["png", "jpeg", "tiff"])
def test_damaged_image(tmp_path: Path, fmt: str) -> None:
    img = Image.new("L", (600, 400), 255)
    whole = tmp_path / f"whole.{fmt}"
    img.save(whole, format=fmt.upper())
    cut = tmp_path / f"cut.{fmt}"
    cut.write_bytes(whole.read_bytes()[:200])
    err = route_error(cut, tmp_path, fmt=fmt)
    assert err.code == "image_damaged" and err.exit_code == ExitCode.input_file


# -- the OCR module without OCR ------------------------------------------------------------------------


def _group_alive(pgid: int) -> list[int]:
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(int(entry))
    return alive


def test_run_bounded_kills_the_whole_group(tmp_path: Path) -> None:
    pidfile = tmp_path / "pid"
    t = time.monotonic()
    with pytest.raises(TimeoutError):
        # the shell leads the group; its background child stands in for a hung Tesseract
        _ocr.run_bounded(["sh", "-c", f"sleep 60 & echo $$ > {pidfile}; wait"], timeout_s=1)
    assert time.monotonic() - t < 10
    # SIGKILL is delivered, and the orphan reaped, a moment after killpg returns
    pgid = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _group_alive(pgid) == []


def test_probe_answers_without_a_document() -> None:
    tools = _ocr.probe()
    if tools.tesseract is None:
        pytest.skip("tesseract is not installed")
    assert tools.ocrmypdf and "eng" in tools.languages
    assert tools.missing_languages("eng+xx1") == ["xx1"]


def test_confidence_summary(tmp_path: Path) -> None:
    hocr = tmp_path / "p.hocr"
    hocr.write_text(
        "<span class='ocrx_word' id='w1' title='bbox 1 2 3 4; x_wconf 96'>a</span>"
        "<span class='ocrx_word' id='w2' title='bbox 1 2 3 4; x_wconf 40'>b</span>"
        "<span class='ocr_line' title='x_wconf 10'></span>"
    )
    s = _ocr.confidence_summary([hocr])
    assert s == {"pages": 1, "words": 2, "mean": 68.0, "median": 68.0, "low_share": 0.5}
    assert _ocr.confidence_summary([]) is None


@pytest.mark.parametrize(
    ("size", "dpi", "usable"),
    [
        ((2480, 3508), (300, 300), True),
        ((1728, 1100), (204, 98), True),  # fax normal resolution: not square, still believed
        ((4000, 3000), (72, 72), False),  # a camera's default: a page over 55 inches wide
        ((2480, 3508), (1, 1), False),
        ((2480, 3508), None, False),
    ],
)
def test_recorded_resolution_is_believed_when_plausible(
    size: tuple[int, int], dpi: tuple[int, int] | None, usable: bool
) -> None:
    from converter._pdfinput import _frame_dpi

    img = Image.new("L", size)
    if dpi:
        img.info["dpi"] = dpi
    assert (_frame_dpi(img) is not None) is usable


def test_dpi_argument_repeats_what_ocrmypdf_would_doubt() -> None:
    from converter._pdfinput import _dpi_argument

    assert _dpi_argument(None, 300) == 300
    assert _dpi_argument((72.0, 72.0), 300) == 72  # believed, but ocrmypdf refuses it unless told
    assert _dpi_argument((204.0, 98.0), 300) is None
    assert _dpi_argument((300.0, 300.0), 300) is None
