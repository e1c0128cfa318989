"""One TrueType outline read without reading all the others: pikepdf's ``has_gid``, same answers.

pikepdf asks whether each glyph a text shows has an outline (`TrueTypeProgram.has_gid`) by looking
the glyph up in fontTools' ``glyf`` table. The first look-up decompiles that table, which makes a
fontTools ``Glyph`` for every glyph of the font: a subset a word processor embeds often keeps all
3,000 to 4,000 glyph ids of the original font, so that is a few milliseconds for the handful of
glyphs the text uses. `LazyGlyf` makes the ``Glyph`` of a glyph id when it is first asked for, from
the same bytes, and expands it with fontTools' own code. What the whole-table read decides is
decided the same way, before any glyph is looked up:

- the ``loca`` table is read through the font (a failure there, or an empty ``loca``, makes every
  look-up fail, as it leaves fontTools' ``glyf`` table without glyphs);
- the glyph at the first offset pair that does not slice the ``glyf`` data exactly (an offset past
  the end, or going backwards) is where fontTools' read stops: that look-up fails, and later ones
  find only the glyphs before it;
- a glyph is found by name, the last of equal names winning, and ids beyond the glyph order get
  fontTools' ``ttxautoglyph`` names.

A ``Glyph`` once made is kept, so a glyph whose outline failed to expand answers later look-ups as
fontTools' kept glyph does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class _Broken(Exception):
    """The whole-table read failed before any glyph was made."""


class _Glyphs:
    """Glyph by name, made from its slice of the ``glyf`` data when first asked for."""

    def __init__(self, data: bytes, offsets: list[int], index: dict[str, int], make: Callable[[bytes], Any]):
        self._data = data
        self._offsets = offsets
        self._index = index
        self._make = make
        self._made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        glyph = self._made.get(name)
        if glyph is None:
            i = self._index[name]  # KeyError, as the glyphs dictionary raises
            glyph = self._make(self._data[self._offsets[i] : self._offsets[i + 1]])
            self._made[name] = glyph
        return glyph


def _whole_glyphs(offsets: list[int], size: int) -> int:
    """How many glyphs fontTools' read makes before an offset pair that does not slice the data exactly.

    ``data[start:end]`` has ``end - start`` bytes when ``start == end``, or ``start < end <= size``.
    """
    count = len(offsets) - 1
    # The usual font: offsets never go back and the last is within the data; all glyphs are made
    if count <= 0 or (offsets[-1] <= size and offsets == sorted(offsets)):
        return max(count, 0)
    for i in range(count):
        start, end = offsets[i], offsets[i + 1]
        if start != end and not start < end <= size:
            return i
    return count


class LazyGlyf:
    """What fontTools' ``glyf`` table of *font* would give, one glyph at a time.

    *table_class* is fontTools' ``glyf`` table class and *glyph_class* its ``Glyph``: the table object
    made here holds the font's glyph order (component glyphs are named through it) and the lazy
    glyphs, and its own ``__getitem__`` expands each glyph, as for a table read in full.
    """

    def __init__(self, font: Any, table_class: type, glyph_class: Callable[[bytes], Any]) -> None:
        self._font = font
        self._table_class = table_class
        self._glyph_class = glyph_class
        self._table: Any = None

    def _read(self) -> None:
        """The whole-table read's decisions; raises where fontTools' decompile raises."""
        font = self._font
        data = font.reader["glyf"]  # a failure here keeps no table: the next look-up reads again
        table = self._table_class("glyf")
        self._table = table  # as fontTools keeps a table whose decompile failed
        # A failure from here to the glyphs leaves the table without glyphs, so every look-up fails
        loca = font["loca"]
        int(loca[0])  # an empty loca fails here, as fontTools' read does
        order = font.getGlyphOrder()
        table.glyphOrder = order
        table._reverseGlyphOrder = {}
        locations = getattr(loca, "locations", None)  # what loca[i] reads, without a call per glyph
        offsets = list(locations) if locations is not None else [int(loca[i]) for i in range(len(loca))]
        count = len(offsets) - 1
        made = _whole_glyphs(offsets, len(data))
        names = order[: min(made, len(order))] + [f"ttxautoglyph{i}" for i in range(len(order), made)]
        table.glyphs = _Glyphs(data, offsets, dict(zip(names, range(made), strict=True)), self._glyph_class)
        if made < count:
            raise ValueError("not enough 'glyf' table data")

    def has_outline(self, name: str) -> bool:
        """pikepdf's ``has_gid`` past its range and CFF tests: the glyph named *name* expands."""
        try:
            if self._table is None:
                self._read()
            self._table[name]  # the table's look-up expands the glyph (pikepdf expands it again: a no-op)
        except Exception:  # noqa: BLE001 - pikepdf's has_gid answers False to any failure here
            return False
        return True
