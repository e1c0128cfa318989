"""Tests of `validators.pdfa._type1_reader`: reading entries a run at a time must change nothing.

Every program here is read twice, by pikepdf's interpreter and by the one with entry runs, and the two
must leave the same fonts, the same recorded assignments (which pikepdf's ambiguity checks read) and the
same dictionary sizes, or fail with the same error. Programs of the usual layout must also really be
read in runs, so that a reader that never engages cannot pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pikepdf.pdfa import _fontprogram

from validators.pdfa import _type1_reader

BASE = getattr(_fontprogram._BoundedPSInterpreter, "__wrapped__", _fontprogram._BoundedPSInterpreter)
FAST: Any = _type1_reader.make_interpreter(BASE)
URW = sorted(Path("/usr/share/fonts/type1/urw-base35").glob("*.t1"))

HEAD = (
    b"11 dict begin /FontType 1 def /FontName /T def /FontMatrix [0.001 0 0 0.001 0 0] def\n"
    b"/Encoding 256 array 0 1 255 {1 index exch /.notdef put} for dup 65 /A put readonly def\n"
    b"currentdict end\ndup /Private 8 dict dup begin\n"
)
PROCS = (
    b"/RD{string currentfile exch readstring pop}executeonly def\n"
    b"/ND{noaccess def}executeonly def\n/NP{noaccess put}executeonly def\n"
)
SUBRS = (
    b"/lenIV 4 def\n/Subrs 3 array\ndup 0 4 RD \x01\x02\x03\x04 NP\ndup 1 2 RD ND NP\ndup 2 1 RD / NP\nND\n"
)
GLYPHS = (
    b"2 index /CharStrings 4 dict dup begin\n"
    b"/.notdef 4 RD \x00\xff{} ND\n/A 5 RD /x 3 ND\n/B 0 RD  ND\n/C 2 RD ]% ND\nend\n"
)
TAIL = b"end\nreadonly put\nnoaccess put\ndup /FontName get exch definefont pop\n"


def program(procs: bytes = PROCS, subrs: bytes = SUBRS, glyphs: bytes = GLYPHS, tail: bytes = TAIL) -> bytes:
    return HEAD + procs + subrs + glyphs + tail


class Counting:
    """Counts the runs the fast interpreter reads."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.glyphs = self.subrs = 0
        glyph_run, subr_run = FAST._glyph_run, FAST._subr_run

        def glyphs(interpreter: Any, first: str) -> bool:
            done = glyph_run(interpreter, first)
            self.glyphs += done
            return done

        def subrs(interpreter: Any) -> bool:
            done = subr_run(interpreter)
            self.subrs += done
            return done

        monkeypatch.setattr(FAST, "_glyph_run", glyphs)
        monkeypatch.setattr(FAST, "_subr_run", subrs)


def read(cls: type, text: bytes) -> Any:
    interpreter = cls(encoding="latin-1")
    try:
        interpreter.interpret(text)
    except Exception as e:  # noqa: BLE001 - the error is part of what must agree
        return ("error", type(e).__name__, str(e))
    try:
        fonts = interpreter.dictstack[0]["FontDirectory"].value
        return (
            _type1_reader._plain(fonts),
            [(key, _type1_reader._plain(value)) for _, key, value in interpreter.assignments],
            sorted(size for _, size in interpreter.dict_sizes.values()),
            len(interpreter.stack),
        )
    finally:
        interpreter.close()


def same(text: bytes) -> Any:
    expected = read(BASE, text)
    assert read(FAST, text) == expected
    return expected


def test_the_sample_agrees() -> None:
    assert _type1_reader.agrees(BASE)


def test_the_validator_reads_type1_programs_in_runs() -> None:
    import validators.pdfa  # noqa: F401 - installs the speed-ups

    assert issubclass(_fontprogram._BoundedPSInterpreter, _type1_reader.Type1Interpreter)


def test_usual_layout_is_read_in_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = Counting(monkeypatch)
    fonts, assignments, _, _ = same(program())
    assert counting.glyphs == 1 and counting.subrs == 1
    charstrings = fonts["T"][2]["CharStrings"][2]
    assert list(charstrings) == [".notdef", "A", "B", "C"]
    assert charstrings["A"] == ("stringtype", 3, b"/x 3 ")
    subrs = fonts["T"][2]["Private"][2]["Subrs"][2]
    assert [s[2] for s in subrs] == [b"\x01\x02\x03\x04", b"ND", b"/"]


@pytest.mark.parametrize(
    "procs",
    [
        pytest.param(
            b"/-|{string currentfile exch readstring pop}executeonly def\n"
            b"/|-{noaccess def}executeonly def\n/|{noaccess put}executeonly def\n",
            id="bar-names",
        ),
        pytest.param(
            b"/RD{string currentfile exch readstring pop}bind def\n"
            b"/ND{noaccess def}bind def\n/NP{noaccess put}bind def\n",
            id="bound",
        ),
        pytest.param(
            b"/RD{string currentfile exch readstring pop}def\n/ND{readonly def}def\n/NP{put}def\n",
            id="other-access",
        ),
        pytest.param(
            b"/RD{string currentfile exch readstring pop}def\n/ND{def}def\n/NP{put}def\n", id="no-access"
        ),
    ],
)
def test_other_spellings_of_the_procedures(monkeypatch: pytest.MonkeyPatch, procs: bytes) -> None:
    counting = Counting(monkeypatch)
    if procs.startswith(b"/-|"):
        text = program(
            procs,
            SUBRS.replace(b" RD ", b" -| ").replace(b"NP", b"|").replace(b"\nND\n", b"\n|-\n"),
            GLYPHS.replace(b" RD ", b" -| ").replace(b" ND", b" |-"),
        )
    else:
        text = program(procs)
    assert same(text)[0] != "error"
    assert counting.glyphs == 1 and counting.subrs == 1


@pytest.mark.parametrize(
    "text",
    [
        # Procedures that do something else: the entries must be run token by token
        pytest.param(
            program(PROCS.replace(b"readstring pop}", b"readstring pop dup}")), id="reader-leaves-more"
        ),
        pytest.param(program(PROCS.replace(b"{noaccess def}", b"{pop pop}")), id="nd-drops"),
        pytest.param(program(PROCS.replace(b"{noaccess put}", b"{pop pop pop}")), id="np-drops"),
        pytest.param(program(PROCS + b"currentdict /def {pop pop} put\n"), id="def-redefined"),
        pytest.param(program(PROCS + b"/noaccess {pop 7} def\n"), id="noaccess-redefined"),
        pytest.param(program(PROCS + b"/pop {} def\n"), id="pop-redefined"),
        # A glyph named like a name the entries run: later entries mean something else
        pytest.param(program(glyphs=GLYPHS.replace(b"/B 0 RD  ND", b"/ND 0 RD  ND")), id="glyph-ND"),
        pytest.param(program(glyphs=GLYPHS.replace(b"/B 0 RD  ND", b"/def 1 RD x ND")), id="glyph-def"),
        pytest.param(program(glyphs=GLYPHS.replace(b"/B 0 RD  ND", b"/RD 1 RD x ND")), id="glyph-RD"),
        # Entries of another shape
        pytest.param(program(glyphs=GLYPHS.replace(b"/A 5 RD", b"/A 5 % note\n RD")), id="comment"),
        pytest.param(program(glyphs=GLYPHS.replace(b"/A 5 RD", b"/A +5 RD")), id="signed-length"),
        pytest.param(program(glyphs=GLYPHS.replace(b"/A 5 RD", b"/A 5.0 RD")), id="real-length"),
        pytest.param(program(glyphs=GLYPHS.replace(b"/A 5 RD", b"/A 16#5 RD")), id="radix-length"),
        pytest.param(program(glyphs=GLYPHS.replace(b"/A 5 RD", b"/A 5RD")), id="glued-length"),
        pytest.param(program(glyphs=GLYPHS.replace(b"/A 5 RD", b"/A 6 RD")), id="longer-data"),
        pytest.param(program(glyphs=GLYPHS.replace(b"/C 2 RD ]% ND", b"/C 2 RD ]%{ND")), id="glued-nd"),
        pytest.param(program(glyphs=GLYPHS.replace(b"/B 0 RD  ND", b"/B 0 RD ND")), id="no-space"),
        pytest.param(program(glyphs=GLYPHS.replace(b"/B 0 RD  ND", b"/B0 RD  ND")), id="glued-name"),
        pytest.param(
            program(glyphs=GLYPHS.replace(b"/A 5 RD /x 3 ND", b"/A 55 RD /x 3 ND")), id="short-data"
        ),
        pytest.param(program(glyphs=GLYPHS.replace(b"/B 0 RD  ND", b"/B 0 RD\r\nND")), id="crlf"),
        pytest.param(
            program(glyphs=GLYPHS.replace(b"/C 2 RD ]% ND\nend", b"/C 999 RD ]% ND\nend")), id="data-past-end"
        ),
        pytest.param(
            HEAD + PROCS + SUBRS + b"2 index /CharStrings 4 dict dup begin\n/.notdef 3 RD ", id="truncated"
        ),
        pytest.param(program(subrs=SUBRS.replace(b"dup 2 1 RD", b"dup 3 1 RD")), id="subr-index-beyond"),
        pytest.param(program(subrs=SUBRS.replace(b"/Subrs 3 array", b"/Subrs 3 dict")), id="subrs-dict"),
        pytest.param(program(subrs=SUBRS.replace(b"dup 1 2 RD", b"dup  1   2 RD")), id="spaces"),
        # What pikepdf's ambiguity checks look for must be recorded as before
        pytest.param(program(glyphs=GLYPHS.replace(b"4 dict", b"2 dict")), id="charstrings-overflow"),
        pytest.param(
            program(glyphs=GLYPHS.replace(b"/B 0 RD  ND", b"/B 0 RD  ND /lenIV 0 def")), id="lenIV-between"
        ),
        pytest.param(
            program(glyphs=GLYPHS.replace(b"/C 2 RD ]% ND\nend", b"/C 2 RD ]% ND\nend\n/lenIV 1 def")),
            id="lenIV-after",
        ),
        pytest.param(program(glyphs=GLYPHS.replace(b"/B 0 RD  ND", b"/A 1 RD x ND")), id="duplicate-glyph"),
        pytest.param(program(glyphs=GLYPHS.replace(b"/B 0 RD  ND", b"/ 1 RD x ND")), id="empty-name"),
        pytest.param(program(glyphs=GLYPHS.replace(b"/B 0 RD  ND", b"/B\xe9 1 RD x ND")), id="latin-1-name"),
    ],
)
def test_unusual_programs_read_as_before(text: bytes) -> None:
    same(text)


def test_a_redefined_operator_stops_the_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    counting = Counting(monkeypatch)
    expected = same(program(PROCS.replace(b"{noaccess def}", b"{pop pop}")))
    assert counting.glyphs == 0
    assert "CharStrings" in str(expected)


@pytest.mark.skipif(not URW, reason="no URW base 35 Type 1 fonts on this machine")
@pytest.mark.parametrize("path", URW[:12], ids=lambda p: p.stem)
def test_real_fonts_read_as_before(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    counting = Counting(monkeypatch)
    text = _fontprogram._decrypt_eexec(path.read_bytes())
    assert same(text)[0] != "error"
    assert counting.glyphs >= 1
