"""Tests of the TrueType speed-ups in `validators.pdfa._accel`: outlines read one at a time
(`validators.pdfa._glyf`) and glyph names from the cmap must answer as pikepdf and fontTools do.

Each font, whole or broken in one of the ways fontTools' glyf read reacts to, is read twice: by
pikepdf's own ``has_gid`` and by the lazy one, each in a fresh program, asked the same glyph ids in
the same order (repeats included, since a failed glyph can answer differently the second time).
"""

from __future__ import annotations

import io
import random
import struct
from collections.abc import Callable

import pikepdf
import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from pikepdf.pdfa import _fontprogram

import validators.pdfa  # noqa: F401 - installs the speed-ups under test
from tests.conftest import CORPUS

original_has_gid: Callable[..., bool] = _fontprogram.TrueTypeProgram.has_gid.__wrapped__  # type: ignore[attr-defined]


def _box(pen: TTGlyphPen, x: int) -> None:
    pen.moveTo((x, 0))
    pen.lineTo((x, 500))
    pen.lineTo((x + 400, 500))
    pen.lineTo((x + 400, 0))
    pen.closePath()


def _font(glyphs: int = 40, *, post_names: bool = False, extra_cmap: dict[int, int] | None = None) -> bytes:
    """A TrueType font of *glyphs* glyphs: boxes, an empty glyph, and a composite of two others."""
    order = [".notdef"] + [f"g{i}" for i in range(1, glyphs)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(order)
    cmap = {0x40 + i: order[i] for i in range(1, min(glyphs, 27))}  # A to Z
    for code, gid in (extra_cmap or {}).items():
        cmap[code] = order[gid]
    builder.setupCharacterMap(cmap)
    outlines = {}
    for i, name in enumerate(order):
        pen = TTGlyphPen(outlines)
        if i == 5:
            pass  # an empty glyph
        elif i == 6:
            pen.addComponent(order[1], (1, 0, 0, 1, 0, 0))
            pen.addComponent(order[2], (1, 0, 0, 1, 300, 0))
        else:
            _box(pen, i % 7)
        outlines[name] = pen.glyph()
    builder.setupGlyf(outlines)
    builder.setupHorizontalMetrics({name: (600, 0) for name in order})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupOS2()
    builder.setupPost(keepGlyphNames=post_names)
    builder.setupHead(unitsPerEm=1000)
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def _tables(data: bytes) -> dict[bytes, tuple[int, int, int]]:
    """Table tag -> (directory record offset, table offset, table length)."""
    (count,) = struct.unpack_from(">H", data, 4)
    found = {}
    for i in range(count):
        record = 12 + 16 * i
        tag, _checksum, offset, length = struct.unpack_from(">4sLLL", data, record)
        found[tag] = (record, offset, length)
    return found


def _long_loca(data: bytes) -> bool:
    _, head, _ = _tables(data)[b"head"]
    return struct.unpack_from(">h", data, head + 50)[0] == 1


def _set_loca(data: bytes, index: int, value: int) -> bytes:
    """*data* with loca entry *index* set to the byte offset *value*."""
    _, loca, _ = _tables(data)[b"loca"]
    out = bytearray(data)
    if _long_loca(data):
        struct.pack_into(">L", out, loca + 4 * index, value)
    else:
        struct.pack_into(">H", out, loca + 2 * index, value // 2)
    return bytes(out)


def _loca(data: bytes, index: int) -> int:
    _, loca, _ = _tables(data)[b"loca"]
    if _long_loca(data):
        return int(struct.unpack_from(">L", data, loca + 4 * index)[0])
    return 2 * int(struct.unpack_from(">H", data, loca + 2 * index)[0])


def _set_length(data: bytes, tag: bytes, length: int) -> bytes:
    record, _, _ = _tables(data)[tag]
    out = bytearray(data)
    struct.pack_into(">L", out, record + 12, length)
    return bytes(out)


def _poke_glyph(data: bytes, gid: int, raw: bytes) -> bytes:
    """*data* with the first bytes of glyph *gid*'s outline replaced by *raw*."""
    _, glyf, _ = _tables(data)[b"glyf"]
    start = glyf + _loca(data, gid)
    return data[:start] + raw + data[start + len(raw) :]


def _variants() -> dict[str, bytes]:
    base = _font()
    glyf_length = _tables(base)[b"glyf"][2]
    return {
        "whole": base,
        "many glyphs": _font(600),
        "post names": _font(30, post_names=True),
        "offset past the data at glyph 9": _set_loca(base, 10, glyf_length + 64),
        "offsets going back at glyph 12": _set_loca(base, 13, _loca(base, 12) - 8),
        "last offset past the data": _set_loca(base, 40, glyf_length + 200),
        "glyph 20 ending the data, then offsets going back": _set_loca(
            _set_loca(base, 21, glyf_length), 22, _loca(base, 5)
        ),
        "glyf table cut short": _set_length(base, b"glyf", _loca(base, 20) + 3),
        "glyf table running past the end of the file": _set_length(base, b"glyf", len(base) * 2),
        "loca of odd length": _set_length(_font(), b"loca", _tables(base)[b"loca"][2] - 1),
        "loca empty": _set_length(base, b"loca", 0),
        "loca shorter than maxp": _set_length(base, b"loca", _tables(base)[b"loca"][2] // 2),
        "contour count beyond the data at glyph 7": _poke_glyph(base, 7, struct.pack(">h", 0x3FFF)),
        "glyph 8 header cut": _set_loca(base, 9, _loca(base, 8) + 4),
        "component naming glyph 9999 at glyph 6": _poke_glyph(
            base, 6, struct.pack(">hhhhhHH", -1, 0, 0, 700, 500, 0x0002, 9999)
        ),
        "composite with bad flags at glyph 6": _poke_glyph(
            base, 6, struct.pack(">hhhhhHH", -1, 0, 0, 700, 500, 0xFFFF, 1)
        ),
    }


def _questions(count: int, seed: str) -> list[int]:
    rng = random.Random(seed)
    ids = list(range(-1, count + 2))
    shuffled = ids[:]
    rng.shuffle(shuffled)
    return ids + ids + shuffled + [rng.randrange(count) for _ in range(50)]


def _answers(data: bytes, ask: Callable[..., bool], questions: list[int]) -> list[bool] | str:
    try:
        program = _fontprogram.TrueTypeProgram(data)
    except _fontprogram.FontProgramError as e:
        return f"refused: {e}"
    return [ask(program, gid) for gid in questions]


def test_installed() -> None:
    assert hasattr(_fontprogram.TrueTypeProgram.has_gid, "__wrapped__")
    assert _fontprogram.TTFont is not TTFont and issubclass(_fontprogram.TTFont, TTFont)


@pytest.mark.parametrize("name", list(_variants()))
def test_outlines_answer_as_pikepdf_answers(name: str) -> None:
    data = _variants()[name]
    count = TTFont(io.BytesIO(data), lazy=True)["maxp"].numGlyphs
    questions = _questions(count, name)
    expected = _answers(data, original_has_gid, questions)
    assert _answers(data, _fontprogram.TrueTypeProgram.has_gid, questions) == expected
    if name == "whole":
        assert expected == [0 <= gid < count for gid in questions]


def test_the_broken_fonts_are_broken_in_the_ways_meant() -> None:
    """The variants reach the paths they are named for (else the comparison above shows little)."""
    variants = _variants()

    def answers(name: str) -> list[bool] | str:
        return _answers(variants[name], original_has_gid, list(range(40)) * 2)

    cut = answers("offset past the data at glyph 9")
    assert cut[0] is False and cut[1:9] == [True] * 8 and not any(cut[9:40])  # read stops at glyph 9
    assert not any(answers("loca of odd length")) and not any(answers("loca empty"))
    bad = answers("contour count beyond the data at glyph 7")
    assert bad[7] is False and bad[47] is True  # a glyph that failed once answers True after
    assert answers("glyph 8 header cut")[8] is False
    assert answers("component naming glyph 9999 at glyph 6")[6] is False


def test_only_the_glyphs_asked_for_are_made() -> None:
    program = _fontprogram.TrueTypeProgram(_font(600))
    assert program.has_gid(3) and program.has_gid(400) and program.has_gid(3)
    assert len(program._qujat_glyf._table.glyphs._made) == 2
    assert "glyf" not in program._font.tables  # fontTools' own table was never read


@pytest.mark.parametrize("post_names", [False, True])
def test_glyph_names_from_the_cmap_are_fonttools_names(post_names: bool) -> None:
    # A second code for a glyph (the lower one names it), a code beyond the BMP, Kazakh letters,
    # and a named non-letter
    extra = {0x0421: 3, 0x1F600: 31, 0x4B3: 32, 0x4E8: 33, 0x49B: 34, 0x20AC: 35}
    data = _font(60, post_names=post_names, extra_cmap=extra)
    plain = TTFont(io.BytesIO(data), lazy=True).getGlyphOrder()
    quick = _fontprogram.TTFont(io.BytesIO(data), lazy=True).getGlyphOrder()
    assert quick == plain
    if not post_names:
        assert plain[3] == "C"
        assert plain[31:36] == ["u1F600", "uni04B3", "uni04E8", "uni049B", "Euro"]


def _corpus_truetype_programs() -> list[bytes]:
    programs: dict[bytes, None] = {}
    for path in sorted((CORPUS / "pdfa").rglob("*.pdf")):
        try:
            with pikepdf.open(path) as pdf:
                for obj in pdf.objects:
                    if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj:
                        stream = obj.FontFile2
                        if isinstance(stream, pikepdf.Stream):
                            programs[stream.read_bytes()] = None
        except Exception:  # noqa: BLE001 - files the corpus means to be unreadable
            continue
    return list(programs)


@pytest.mark.corpus
def test_corpus_fonts_answer_as_pikepdf_answers() -> None:
    programs = _corpus_truetype_programs()
    assert len(programs) >= 10
    for data in programs:
        try:
            count = TTFont(io.BytesIO(data), lazy=True)["maxp"].numGlyphs
        except Exception:  # noqa: BLE001 - pikepdf refuses these before any glyph is asked for
            count = 10
        questions = _questions(min(count, 400), str(len(data)))
        assert _answers(data, _fontprogram.TrueTypeProgram.has_gid, questions) == _answers(
            data, original_has_gid, questions
        )
        try:
            plain = TTFont(io.BytesIO(data), lazy=True).getGlyphOrder()
        except Exception:  # noqa: BLE001
            continue
        assert _fontprogram.TTFont(io.BytesIO(data), lazy=True).getGlyphOrder() == plain
