"""The PDF route with OCR: generated Kazakh, Russian and English scans, images and mixed PDFs.

Each test runs ocrmypdf and Tesseract for real. The scans are rendered by `tests.test_pdfinput`
(300 dpi, noise, a slight skew); the bar is 90% word recall over normalised words in the text layer
and a PDF/A that passes `validators.pdfa`.
"""

from __future__ import annotations

import os
from pathlib import Path

import img2pdf
import pikepdf
import pytest
from PIL import Image

from converter import _ocr
from converter._pdfinput import PdfRouteResult
from tests.conftest import descendants
from tests.test_pdfinput import (
    TEXTS,
    born_digital_pdf,
    convert,
    pdftotext,
    render_scan,
    route_error,
    word_recall,
)
from validators import validate_pdfa

_TOOLS = _ocr.probe()
pytestmark = [
    pytest.mark.ocr,
    pytest.mark.skipif(not _TOOLS.usable, reason="ocrmypdf or tesseract is not installed"),
    pytest.mark.skipif(
        bool(_TOOLS.missing_languages("kaz+rus+eng")), reason="tesseract lacks kaz, rus or eng"
    ),
]
RECALL = 0.9


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One generated 300 dpi scan per language (PNG with its resolution recorded)."""
    folder = tmp_path_factory.mktemp("scans")
    return {
        lang: render_scan(text, folder / f"{lang}.png", seed=i, skew=(0.6, -0.8, 0.9)[i])
        for i, (lang, text) in enumerate(TEXTS.items())
    }


def _assert_ocr_output(r: PdfRouteResult, flavour: str, pages: int) -> list[str]:
    assert r.validation.passed and r.flavour == flavour
    assert validate_pdfa(r.dest, flavour).passed
    assert (r.pages, r.ocr_pages, r.text_pages_after) == (pages, pages, pages)
    assert r.ocr_confidence is not None and r.ocr_confidence["words"] > 20
    with pikepdf.open(r.dest) as pdf:
        assert len(pdf.pages) == pages
    return pdftotext(r.dest)


def test_scanned_pdf_in_three_languages(scans: dict[str, Path], tmp_path: Path) -> None:
    src = tmp_path / "scan.pdf"
    src.write_bytes(img2pdf.convert([str(p) for p in scans.values()]))
    r = convert(src, tmp_path, flavour="2b", timeout_s=300)
    assert r.route == "ocr" and not r.kept_original
    assert "pages_deskewed" in [f[0] for f in r.findings]
    text = _assert_ocr_output(r, "2b", 3)
    for (lang, expected), page in zip(TEXTS.items(), text, strict=True):
        recall = word_recall(expected, page)
        print(f"word recall {lang}: {recall:.3f}")
        assert recall >= RECALL, (lang, recall, page)
    assert r.ocr_confidence["mean"] > 80  # type: ignore[index]


def test_multipage_g4_tiff(scans: dict[str, Path], tmp_path: Path) -> None:
    frames = [Image.open(scans[lang]).convert("1") for lang in ("kk", "ru")]
    src = tmp_path / "fax.tiff"
    frames[0].save(src, compression="group4", save_all=True, append_images=frames[1:], dpi=(300, 300))
    r = convert(src, tmp_path, fmt="tiff", flavour="3b", timeout_s=300)
    text = _assert_ocr_output(r, "3b", 2)
    assert word_recall(TEXTS["kk"], text[0]) >= RECALL
    assert word_recall(TEXTS["ru"], text[1]) >= RECALL


def test_png_with_alpha(scans: dict[str, Path], tmp_path: Path) -> None:
    img = Image.open(scans["en"]).convert("RGBA")
    img.putalpha(230)
    src = tmp_path / "alpha.png"
    img.save(src, dpi=(300, 300))
    r = convert(src, tmp_path, fmt="png", flavour="2u", timeout_s=300)
    assert "image_alpha_flattened" in [f[0] for f in r.findings]
    text = _assert_ocr_output(r, "2u", 1)
    assert word_recall(TEXTS["en"], text[0]) >= RECALL
    with pikepdf.open(r.dest) as pdf:  # the flattened copy kept the image's 300 dpi
        assert 590 < float(pdf.pages[0].mediabox[2]) < 600


def test_jpeg_without_resolution(scans: dict[str, Path], tmp_path: Path) -> None:
    src = tmp_path / "photo.jpg"
    Image.open(scans["ru"]).convert("RGB").save(src, quality=85)  # no dpi recorded
    r = convert(src, tmp_path, fmt="jpeg", flavour="1b", timeout_s=300)
    assert "image_dpi_assumed" in [f[0] for f in r.findings]
    text = _assert_ocr_output(r, "1b", 1)
    assert word_recall(TEXTS["ru"], text[0]) >= RECALL
    with pikepdf.open(r.dest) as pdf:  # 300 dpi assumed: an A4-wide page, not a metre-wide one
        assert 590 < float(pdf.pages[0].mediabox[2]) < 600


def test_mixed_pdf_ocrs_only_pages_without_text(scans: dict[str, Path], tmp_path: Path) -> None:
    born = born_digital_pdf(tmp_path / "born.pdf", pages=2)
    scan = tmp_path / "kk-scan.pdf"
    scan.write_bytes(img2pdf.convert(str(scans["kk"])))
    src = tmp_path / "mixed.pdf"
    with pikepdf.open(born) as b, pikepdf.open(scan) as s, pikepdf.new() as m:
        m.pages.extend([b.pages[0], s.pages[0], b.pages[1]])
        m.save(src)
    born_text = pdftotext(born)
    r = convert(src, tmp_path, flavour="2b", timeout_s=300)
    assert (r.route, r.pages, r.ocr_pages, r.text_pages_after) == ("mixed", 3, 1, 3)
    assert validate_pdfa(r.dest, "2b").passed
    text = pdftotext(r.dest)
    assert text[0] == born_text[0] and text[2] == born_text[1]  # born-digital pages untouched
    assert word_recall(TEXTS["kk"], text[1]) >= RECALL


def test_ocr_timeout_leaves_no_process(scans: dict[str, Path], tmp_path: Path) -> None:
    src = tmp_path / "scan.pdf"
    src.write_bytes(img2pdf.convert([str(p) for p in scans.values()]))
    before = descendants(os.getpid())
    err = route_error(src, tmp_path, timeout_s=1.5)
    assert err.code == "ocr_timeout" and int(err.exit_code) == 7
    assert descendants(os.getpid()) - before == set()
    assert not (tmp_path / "out" / "scan.pdf").exists()


def test_missing_language_pack(scans: dict[str, Path], tmp_path: Path) -> None:
    err = route_error(scans["en"], tmp_path, fmt="png", languages="eng+xyz")
    assert err.code == "ocr_language_missing" and int(err.exit_code) == 3


@pytest.mark.slow
@pytest.mark.parametrize("lang", list(TEXTS))
def test_word_recall_per_language_at_200_dpi(lang: str, tmp_path: Path) -> None:
    """Lower resolution, more skew: the harder end of what an office scanner sends."""
    png = render_scan(TEXTS[lang] + " " + TEXTS[lang], tmp_path / f"{lang}.png", dpi=200, seed=7, skew=2.0)
    r = convert(png, tmp_path, fmt="png", flavour="2b", timeout_s=300)
    text = _assert_ocr_output(r, "2b", 1)
    recall = word_recall(TEXTS[lang] + " " + TEXTS[lang], text[0])
    print(f"word recall {lang} at 200 dpi: {recall:.3f}")
    assert recall >= RECALL


def test_degenerate_scan_falls_back_to_ocr_without_deskew(tmp_path: Path) -> None:
    """Deskewing a 2x2 pixel page fails inside ocrmypdf; OCR without it succeeds and finds no text."""
    png = tmp_path / "dot.png"
    Image.new("1", (2, 2), 1).save(png, dpi=(1, 1))
    src = tmp_path / "dot.pdf"
    src.write_bytes(img2pdf.convert(str(png)))
    r = convert(src, tmp_path, flavour="2b", timeout_s=300)
    codes = [f[0] for f in r.findings]
    assert r.validation.passed and r.text_pages_after == 0
    assert "pages_without_text" in codes and "pages_deskewed" not in codes


def test_cmyk_image_is_converted_to_rgb(scans: dict[str, Path], tmp_path: Path) -> None:
    """ocrmypdf keeps CMYK under an sRGB output intent; the gate refuses that, so colour is converted."""
    src = tmp_path / "cmyk.jpg"
    Image.open(scans["en"]).crop((250, 250, 1400, 420)).convert("CMYK").save(src, dpi=(300, 300))
    r = convert(src, tmp_path, fmt="jpeg", flavour="2b", timeout_s=300)
    assert "colour_converted" in [f[0] for f in r.findings]
    assert r.validation.passed and validate_pdfa(r.dest, "2b").passed
