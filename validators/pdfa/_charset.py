"""The /CharSet of a Type 1 font subset in PDF/A-1, read as veraPDF reads ISO 19005-1 6.3.5.

ISO 19005-1 6.3.5 asks that the /CharSet of an embedded Type 1 subset list the glyphs of the program.
veraPDF, whose reading the conformance corpus records, applies it in part 1 to the glyphs the document
uses: a glyph a content stream shows with the font, present in the program, must be listed; names
listed beyond the program's, and glyphs of the program that nothing shows, are no fault. (In parts 2
and 3, 6.2.11.4.2 asks for exactly the program's glyphs, as pikepdf.pdfa checks.) pikepdf checks the
exact match in every part; `check` replaces its finding in part 1 with the reading above.

The glyph a code names is found as pikepdf finds it: the font's /Differences over its base encoding,
over the program's built-in encoding (or StandardEncoding).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import pikepdf

log = logging.getLogger(__name__)

RULE = "ISO_19005_1:6.3.5-2"
MESSAGE_PREFIX = "/CharSet does not list exactly the glyphs of the program"
_WHERE = re.compile(r"^obj (\d+) (\d+) \(Font\)")


@dataclass(frozen=True, slots=True)
class CharSetProblem:
    where: str
    message: str


def is_charset_finding(rule: str, message: str) -> bool:
    """True for pikepdf's finding that a /CharSet is not exactly the program's glyphs."""
    return rule == RULE and message.startswith(MESSAGE_PREFIX)


def _program_and_table(font: pikepdf.Dictionary) -> tuple[set[str], dict[int, str]] | None:
    """The program's glyph names and the font's code-to-name table, or None if either cannot be read."""
    try:
        from pikepdf.pdfa import _encodings, _fontprogram
    except ImportError:
        return None
    descriptor = font.get("/FontDescriptor")
    if not isinstance(descriptor, pikepdf.Dictionary):
        return None
    program: _fontprogram.Type1Program | _fontprogram.CFFProgram
    try:
        if isinstance(descriptor.get("/FontFile"), pikepdf.Stream):
            program = _fontprogram.Type1Program(descriptor.FontFile.read_bytes())
        elif isinstance(descriptor.get("/FontFile3"), pikepdf.Stream):
            program = _fontprogram.CFFProgram(descriptor.FontFile3.read_bytes())
        else:
            return None
        builtin = program.builtin_encoding()
        table = dict(builtin if builtin is not None else _encodings.encoding_table(_encodings.STANDARD))
        encoding = font.get("/Encoding")
        if isinstance(encoding, pikepdf.Dictionary):
            base = encoding.get("/BaseEncoding")
            if isinstance(base, pikepdf.Name):
                table = dict(_encodings.encoding_table(str(base)[1:]))
            table.update(_encodings.parse_differences(encoding.get("/Differences")))
        elif isinstance(encoding, pikepdf.Name):
            table = dict(_encodings.encoding_table(str(encoding)[1:]))
        return set(program.glyph_names()), table
    except Exception as e:  # noqa: BLE001 - a program or encoding we cannot read settles nothing
        log.debug("Cannot read the glyphs of %s: %s", font.get("/BaseFont"), e)
        return None


def check(
    pdf: pikepdf.Pdf, wheres: list[str], shown: dict[tuple[int, int], set[int]]
) -> tuple[set[str], list[CharSetProblem]]:
    """Check the fonts pikepdf found at *wheres* by glyphs used; *shown* are the codes each font shows.

    Returns the locations whose finding is settled and the problems found instead.
    """
    settled: set[str] = set()
    problems: list[CharSetProblem] = []
    for where in wheres:
        m = _WHERE.match(where)
        if m is None:
            continue
        objgen = (int(m.group(1)), int(m.group(2)))
        try:
            font = pdf.get_object(*objgen)
        except (pikepdf.PdfError, ValueError):
            continue
        if not isinstance(font, pikepdf.Dictionary):
            continue
        read = _program_and_table(font)
        charset = font.FontDescriptor.get("/CharSet") if read is not None else None
        if read is None or not isinstance(charset, pikepdf.String):
            continue
        glyphs, table = read
        listed = {name for name in bytes(charset).decode("latin-1").split("/") if name}
        used = {table[code] for code in shown.get(objgen, ()) if code in table}
        lacking = sorted(name for name in used if name in glyphs and name not in listed)
        settled.add(where)
        if lacking:
            problems.append(
                CharSetProblem(
                    where, f"/CharSet does not list glyphs the text uses: {' '.join(lacking[:10])}"
                )
            )
    return settled, problems
