"""Shared helpers of the inventories: safe XML parsing of package parts, bounds, and text normalisation."""

from __future__ import annotations

import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterable

from lxml import etree

log = logging.getLogger(__name__)

#: Largest part read from a package; a bigger one is left out with a note (the input checks already
#: refuse zip bombs; this keeps a merely large file from holding the pipeline).
MAX_PART_BYTES = 256 * 1024 * 1024
#: Most characters of text kept per inventory.
MAX_TEXT_CHARS = 4_000_000
#: Most paragraphs kept for quoting.
MAX_PARAGRAPHS = 50_000
#: Most cells read per workbook.
MAX_CELLS = 1_000_000
#: Most PDF pages read.
MAX_PAGES = 5_000

_SPACE = re.compile(r"\s+")
# Characters that vary between formats without changing what a reader sees: soft hyphens, zero-width
# joiners and spaces, byte-order marks, word joiners.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)


def parser() -> etree.XMLParser:
    """An lxml parser that never resolves entities, loads a DTD or touches the network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def read_part(zf: zipfile.ZipFile, name: str, notes: list[str]) -> bytes | None:
    """A package member's bytes, or None (with a note) when absent or over the bound."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        notes.append(f"{name} is {info.file_size // 2**20} MiB; left out")
        return None
    try:
        return zf.read(info)
    except (zipfile.BadZipFile, OSError, NotImplementedError) as e:
        notes.append(f"{name} could not be read: {e}")
        return None


def parse_part(zf: zipfile.ZipFile, name: str, notes: list[str]) -> etree._Element | None:
    """A package member parsed safely, or None (with a note) when absent, too large or not XML."""
    data = read_part(zf, name, notes)
    if data is None:
        return None
    try:
        return etree.fromstring(data, parser())
    except etree.XMLSyntaxError as e:
        notes.append(f"{name} is not well-formed XML: {e}")
        return None


def normalise(text: str) -> str:
    """NFC, invisible characters removed, typographic variants unified, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return _SPACE.sub(" ", text).strip()


def join_text(parts: Iterable[str]) -> str:
    """Normalised paragraphs joined by one space, bounded to `MAX_TEXT_CHARS`."""
    out: list[str] = []
    size = 0
    for p in parts:
        if not p:
            continue
        out.append(p)
        size += len(p) + 1
        if size > MAX_TEXT_CHARS:
            break
    return " ".join(out)[:MAX_TEXT_CHARS]


def local(tag: object) -> str:
    """The local name of an lxml tag (comments and processing instructions give '')."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def col_letters(col: int) -> str:
    """1 -> A, 27 -> AA."""
    s = ""
    while col > 0:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


_ADDR = re.compile(r"^([A-Z]+)(\d+)$")


def split_address(addr: str) -> tuple[int, int]:
    """``B4`` -> (row 4, column 2)."""
    m = _ADDR.match(addr.upper())
    if not m:
        raise ValueError(addr)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col
