"""Inventory of a PDF: pages, text per page (poppler's ``pdftotext``), fonts and whether each is embedded,
images, annotations (links, comments), and attached files (pikepdf).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf

from validators.fidelity._model import Inventory
from validators.fidelity._util import MAX_PAGES, MAX_PARAGRAPHS, join_text, normalise

log = logging.getLogger(__name__)

_PDFTOTEXT_TIMEOUT_S = 120
_MAX_OBJECTS = 200_000


def page_texts(path: Path, pages: int, notes: list[str]) -> list[str]:
    """The text of each page, from ``pdftotext`` (raw reading order), or [] when it is missing."""
    exe = shutil.which("pdftotext")
    if exe is None:
        notes.append("pdftotext is not installed: the PDF's text was not read")
        return []
    last = min(pages, MAX_PAGES)
    try:
        run = subprocess.run(
            [exe, "-enc", "UTF-8", "-f", "1", "-l", str(last), str(path), "-"],
            capture_output=True,
            timeout=_PDFTOTEXT_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        notes.append(f"pdftotext took over {_PDFTOTEXT_TIMEOUT_S} s: the PDF's text was not read")
        return []
    if run.returncode != 0:
        log.debug("pdftotext: %s", run.stderr.decode("utf-8", "replace"))
        notes.append("pdftotext could not read the PDF's text")
        return []
    raw = run.stdout.decode("utf-8", "replace").split("\f")
    return [normalise(p) for p in raw[:last]]


def _font_embedded(font: pikepdf.Object) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are drawn by the font's own content streams
    if font.get("/Subtype") == "/Type0":
        desc = font.get("/DescendantFonts")
        if desc is None or len(desc) == 0:
            return False
        font = desc[0]
    fd = font.get("/FontDescriptor")
    if fd is None:
        return False
    return any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _walk_resources(
    res: pikepdf.Object, fonts: dict[str, bool], images: set[tuple[int, int]], seen: set[tuple[int, int]]
) -> None:
    """Fonts and image XObjects of a resource dictionary, following form XObjects (each once)."""
    if len(seen) > _MAX_OBJECTS:
        return
    font_dict = res.get("/Font")
    if isinstance(font_dict, pikepdf.Dictionary):
        for _, font in font_dict.items():
            if not isinstance(font, pikepdf.Dictionary):
                continue
            name = str(font.get("/BaseFont", "/(unnamed)"))[1:]
            name = name.split("+", 1)[1] if len(name) > 7 and name[6] == "+" else name
            fonts[name] = fonts.get(name, True) and _font_embedded(font)
    xobjects = res.get("/XObject")
    if isinstance(xobjects, pikepdf.Dictionary):
        for _, xo in xobjects.items():
            if not isinstance(xo, pikepdf.Stream):
                continue
            og = xo.objgen
            if og in seen and og != (0, 0):
                continue
            seen.add(og)
            sub = xo.get("/Subtype")
            if sub == "/Image":
                images.add(og)
            elif sub == "/Form" and isinstance(xo.get("/Resources"), pikepdf.Dictionary):
                _walk_resources(xo.Resources, fonts, images, seen)


def inventory_pdf(path: Path) -> Inventory:
    """Inventory a PDF. See `validators.fidelity.inventory`."""
    notes: list[str] = []
    counts: Counter[str] = Counter()
    fonts: dict[str, bool] = {}
    images: set[tuple[int, int]] = set()
    seen: set[tuple[int, int]] = set()
    with pikepdf.open(path) as pdf:
        n_pages = len(pdf.pages)
        for i, page in enumerate(pdf.pages):
            if i >= MAX_PAGES:
                notes.append(f"stopped after {MAX_PAGES} pages")
                break
            res = page.obj.get("/Resources")
            if isinstance(res, pikepdf.Dictionary):
                _walk_resources(res, fonts, images, seen)
            for annot in page.obj.get("/Annots", []) or []:
                if not isinstance(annot, pikepdf.Dictionary):
                    continue
                sub = str(annot.get("/Subtype", ""))
                if sub == "/Link":
                    action = annot.get("/A")
                    uri = isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/URI"
                    counts["hyperlinks_external" if uri else "hyperlinks_internal"] += 1
                elif sub in ("/Text", "/FreeText", "/Highlight", "/Underline", "/StrikeOut", "/Squiggly"):
                    counts["comments"] += 1
                elif sub == "/FileAttachment":
                    counts["attachments"] += 1
                elif sub not in ("/Popup", "/Widget"):
                    counts["annotations"] += 1
        try:
            names = pdf.Root.get("/Names")
            if isinstance(names, pikepdf.Dictionary) and "/EmbeddedFiles" in names:
                counts["attachments"] += len(pikepdf.NameTree(names.EmbeddedFiles))
        except (pikepdf.PdfError, KeyError, TypeError) as e:
            notes.append(f"attachments could not be listed: {e}")
    texts = page_texts(path, n_pages, notes)
    counts["images"] = len(images)
    counts["pages"] = n_pages
    for key in ("hyperlinks_external", "hyperlinks_internal", "attachments", "annotations", "comments"):
        counts.setdefault(key, 0)
    return Inventory(
        path=str(path),
        format="pdf",
        kind="pdf",
        text=join_text(texts),
        paragraphs=tuple(p for p in texts if p)[:MAX_PARAGRAPHS],
        counts=dict(counts),
        embedded_fonts=tuple(sorted(n for n, e in fonts.items() if e)),
        pdf_fonts=dict(sorted(fonts.items())),
        pages=n_pages,
        page_texts=tuple(texts),
        notes=tuple(notes),
    )
