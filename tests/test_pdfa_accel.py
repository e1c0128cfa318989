"""Tests of `validators.pdfa._accel`: the speed-ups must give the answers pikepdf.pdfa gives without them."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pikepdf
import pytest
from fontTools.misc import eexec

from tests.test_validators_pdfa import _check, _edited, _write_pdfa
from validators.pdfa import _accel


def _reference_decrypt(cipher: bytes, key: int) -> tuple[bytes, int]:
    """The Type 1 cipher-feedback decryption as Adobe's Type 1 Font Format states it (7.2)."""
    r = key
    out = []
    for c in cipher:
        out.append(c ^ (r >> 8))
        r = ((c + r) * 52845 + 22719) % 65536
    return bytes(out), r


@pytest.mark.parametrize("key", [55665, 4330, 0, 65535])
def test_decrypt_matches_the_type1_algorithm(key: int) -> None:
    cipher = os.urandom(4096)
    assert _accel._decrypt(cipher, key) == _reference_decrypt(cipher, key)
    assert _accel._decrypt(b"", key) == (b"", key)


def test_installed_once_and_in_place() -> None:
    from pikepdf.pdfa import _fonts, _schemas

    assert eexec.decrypt is _accel._decrypt
    assert hasattr(_schemas.SchemaSet.check, "__wrapped__")
    assert hasattr(_fonts._Loader.program, "__wrapped__")
    _accel.install()  # a second call changes nothing
    assert not hasattr(_schemas.SchemaSet.check.__wrapped__, "__wrapped__")


def _two_bad_graphics_states(pdf: pikepdf.Pdf) -> None:
    # Two graphics states with the same encoding, each with a transfer function (ISO 19005-2 6.2.5-1):
    # the second is answered from the cache, and its finding must name it, not the first
    page = pdf.pages[0].obj
    first = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, TR=pikepdf.Name.Identity))
    second = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, TR=pikepdf.Name.Identity))
    page.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(GS1=first, GS2=second))
    page.Contents = pdf.make_stream(b"/GS1 gs /GS2 gs")


def _findings(report) -> list[tuple[str, str, str, str]]:
    return sorted((f.rule, f.where, f.message, str(f.kind)) for f in report.findings)


def test_schema_cache_replays_findings_at_each_object(tmp_path: Path) -> None:
    data = _edited(_write_pdfa("2b"), _two_bad_graphics_states)
    _accel.schema_errors.clear()
    fresh = _check(tmp_path, data, "2b")
    misses = _accel.schema_errors.misses
    replayed = _check(tmp_path, data, "2b")
    assert _accel.schema_errors.hits >= misses  # every object of the second run came from the cache
    assert not fresh.passed
    assert _findings(replayed) == _findings(fresh)
    where = {f.where for f in fresh.failures if f.rule == "ISO_19005_2:6.2.5-1"}
    assert len(where) == 2, fresh.findings


def test_forget_drops_what_was_kept_from_files(tmp_path: Path) -> None:
    data = _edited(_write_pdfa("2b"), _two_bad_graphics_states)
    _accel.forget()
    first = _check(tmp_path, data, "2b")
    looked_up = (_accel.schema_errors.hits, _accel.schema_errors.misses)
    assert len(_accel.schema_errors._entries) > 0 and looked_up[1] > 0
    _accel.forget()
    assert len(_accel.schema_errors._entries) == 0 and not _accel.programs.entries
    assert _accel.programs.size == 0
    again = _check(tmp_path, data, "2b")
    # Met as a file never seen: the same look-ups found and missed as the first time
    assert (_accel.schema_errors.hits, _accel.schema_errors.misses) == looked_up
    assert _findings(again) == _findings(first)


def test_schema_cache_off_gives_the_same_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pikepdf.pdfa import _fonts, _schemas
    from referencing._core import Resolver

    data = _edited(_write_pdfa("2b"), _two_bad_graphics_states)
    cached = _check(tmp_path, data, "2b")
    monkeypatch.setattr(_schemas.SchemaSet, "check", _schemas.SchemaSet.check.__wrapped__)
    monkeypatch.setattr(_fonts._Loader, "program", _fonts._Loader.program.__wrapped__)
    monkeypatch.setattr(Resolver, "lookup", Resolver.lookup.__wrapped__)
    assert _findings(_check(tmp_path, data, "2b")) == _findings(cached)


def _with_truetype(program: bytes) -> bytes:
    def edit(pdf: pikepdf.Pdf) -> None:
        descriptor = pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor,
            FontName=pikepdf.Name("/QujatTest"),
            Flags=32,
            FontBBox=[0, -200, 1000, 800],
            ItalicAngle=0,
            Ascent=800,
            Descent=-200,
            CapHeight=700,
            StemV=80,
            FontFile2=pdf.make_stream(program),
        )
        font = pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.TrueType,
            BaseFont=pikepdf.Name("/QujatTest"),
            FirstChar=97,
            LastChar=98,
            Widths=[600, 600],
            Encoding=pikepdf.Name.WinAnsiEncoding,
            FontDescriptor=pdf.make_indirect(descriptor),
        )
        page = pdf.pages[0].obj
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(font)))
        page.Contents = pdf.make_stream(b"BT /F1 12 Tf 10 10 Td (ab) Tj ET")

    return _edited(_write_pdfa("2b"), edit)


def _small_truetype() -> bytes:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "a", "b"])
    fb.setupCharacterMap({97: "a", 98: "b"})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((500, 0))
    pen.lineTo((500, 500))
    pen.closePath()
    box = pen.glyph()
    fb.setupGlyf({".notdef": box, "a": box, "b": box})
    fb.setupHorizontalMetrics({name: (600, 0) for name in (".notdef", "a", "b")})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "QujatTest", "styleName": "Regular"})
    fb.setupOS2()
    fb.setupPost()
    buf = io.BytesIO()
    fb.save(buf)
    TTFont(io.BytesIO(buf.getvalue()))  # it reads back
    return buf.getvalue()


@pytest.mark.parametrize("broken", [False, True], ids=["font", "unreadable-font"])
def test_program_cache_gives_the_same_findings(tmp_path: Path, broken: bool) -> None:
    program = _small_truetype()
    if broken:
        program = program[:12] + os.urandom(len(program) - 12)
    data = _with_truetype(program)
    first = _check(tmp_path, data, "2b")
    size = len(_accel.programs.entries)
    again = _check(tmp_path, data, "2b")
    assert len(_accel.programs.entries) == size  # the program came from the cache
    assert _findings(again) == _findings(first)
    refused = {f.rule for f in first.findings} & {"pikepdf:font-program"}
    assert bool(refused) == broken, first.findings
    assert len(_accel.programs.entries) <= _accel._MAX_PROGRAMS


_TYPE1_FONTS = sorted(Path("/usr/share/fonts/type1").rglob("*.t1"))[:6]


@pytest.mark.skipif(not _TYPE1_FONTS, reason="no Type 1 fonts installed (Debian's fonts-urw-base35)")
@pytest.mark.parametrize("path", _TYPE1_FONTS, ids=[p.stem for p in _TYPE1_FONTS])
def test_lazy_type1_glyphs_read_as_eager_ones(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pikepdf.pdfa import _fontprogram

    def read(data: bytes) -> list[object]:
        program = _fontprogram.Type1Program(data)
        return [
            program.glyph_names(),
            program.builtin_encoding(),
            [(program.has_gid(g), program.advance_1000(g)) for g in range(program.num_glyphs + 1)],
        ]

    data = path.read_bytes()
    lazy = read(data)
    eager = staticmethod(_fontprogram.Type1Program._decrypt_charstrings.__wrapped__)
    monkeypatch.setattr(_fontprogram.Type1Program, "_decrypt_charstrings", eager)
    assert read(data) == lazy


def _decrypted(function: object, font: dict[str, object]) -> object:
    try:
        charstrings = function(font)  # type: ignore[operator]
    except Exception as e:  # noqa: BLE001 - the error is what is compared
        return f"{type(e).__name__}: {e}"
    subrs = charstrings[".notdef"].subrs
    return (
        [subrs[i].bytecode for i in range(len(subrs))],
        [subrs[-1].bytecode] if subrs else [],
        [s.bytecode for s in subrs],
        {name: charstrings[name].bytecode for name in charstrings},
    )


@pytest.mark.parametrize(
    "subrs",
    [
        [os.urandom(n) for n in (5, 0, 3, 40, 12)],
        [],
        [b"abcdef", 7, b"xyz"],  # not a string: pikepdf's own reading, and its error
        {0: b"abcdef"},
        "not an array",
    ],
    ids=["strings", "none", "a number among them", "a dictionary", "a name"],
)
def test_lazy_type1_subroutines_read_as_eager_ones(subrs: object) -> None:
    from pikepdf.pdfa import _fontprogram

    font = {"Private": {"lenIV": 4, "Subrs": subrs}, "CharStrings": {".notdef": os.urandom(9), "a": b"12345"}}
    lazy = _fontprogram.Type1Program._decrypt_charstrings
    eager = _fontprogram.Type1Program._decrypt_charstrings.__wrapped__
    assert _decrypted(lazy, font) == _decrypted(eager, font)


def test_schema_cache_is_bounded_by_count_and_by_characters() -> None:
    cache = _accel._SchemaErrors(limit=3, chars=23)
    for i in range(5):
        cache.put(("2b", "Page", f"{i:02d}"), ())
    assert len(cache._entries) == 3 and cache.get(("2b", "Page", "00")) is None
    cache.put(("2b", "Page", "x" * 20), ())  # 20 characters: only one other entry fits beside it
    assert len(cache._entries) == 2 and cache._chars <= 23
    assert cache.get(("2b", "Page", "x" * 20)) == ()


# --- prepare ---------------------------------------------------------------------------------------------

_PREPARE = """
import gc, json, sys
import validators.pdfa as v
from validators.pdfa import _accel, _prepare
from pikepdf.pdfa import _schemas

def verdict(path, flavour):
    r = v.validate_pdfa(path, flavour)
    return [r.passed, sorted((f.rule, f.where, f.message) for f in r.findings)]

def _write():
    path = paths[0] + ".prepared.pdf"
    open(path, "wb").write(_prepare._document("2b"))
    return path

paths = sys.argv[1:]
before = [verdict(p, "2b") for p in paths]
loaded_before = "fontTools.ttLib.tables._h_m_t_x" in sys.modules
compiled_before = len(_accel.role_predicates)
v.prepare()
compiled = len(_accel.role_predicates)
frozen = gc.get_freeze_count()
v.prepare()  # a second call does nothing
after = [verdict(p, "2b") for p in paths]
print(json.dumps({
    "same": before == after,
    "loaded_before": loaded_before,
    "loaded": all(m in sys.modules for m in (
        "fontTools.ttLib.tables._h_m_t_x", "fontTools.ttLib.tables._c_m_a_p", "fontTools.cffLib")),
    "compiled_before": compiled_before,
    "compiled": compiled,
    "roles": sum(len(_schemas.SchemaSet.for_flavour(f).roles()) for f in ("1b", "2b", "3b")),
    "frozen": frozen,
    "frozen_again": gc.get_freeze_count(),
    "prepared": sorted({f.message for f in v.validate_pdfa(_write(), "2b").findings}),
}))
"""


def test_prepare_readies_the_process_and_changes_no_verdict(tmp_path: Path, pdfa2b: bytes) -> None:
    import json
    import subprocess
    import sys

    good = tmp_path / "good.pdf"
    good.write_bytes(pdfa2b)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(pdfa2b.replace(b"%PDF-", b"%PDF-9", 1))
    done = subprocess.run(
        [sys.executable, "-c", _PREPARE, str(good), str(broken)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    result = json.loads(done.stdout)
    assert result["same"]
    assert not result["loaded_before"]  # else this test shows nothing about what prepare loads
    assert result["loaded"]
    assert result["frozen"] > 0 and result["frozen_again"] == result["frozen"]
    # Every role schema of every flavour compiled, not only those the two files met
    assert result["compiled_before"] < result["compiled"] == result["roles"]
    # The generated document's TrueType and CFF programs are read without a refusal
    assert result["prepared"] == ["Type 1 font has no /FontDescriptor, so it is not embedded"]


def test_prepare_never_fails_its_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    from validators.pdfa import _prepare

    def no_temp(*_a: object, **_k: object) -> None:
        raise OSError(28, "No space left on device")

    checked: list[str] = []
    monkeypatch.setattr(_prepare, "_done", False)
    monkeypatch.setattr(_prepare.tempfile, "TemporaryDirectory", no_temp)
    _prepare.prepare(lambda _p, f: checked.append(f), ("2b",), freeze=False)  # no exception
    assert checked == []

    monkeypatch.undo()  # the temporary folder works again
    monkeypatch.setattr(_prepare, "_done", False)

    def broken(_path: Path, flavour: str) -> None:
        checked.append(flavour)
        raise RuntimeError("a checker that crashes")

    def also() -> None:
        checked.append("also")
        raise RuntimeError("more readying that crashes")

    _prepare.prepare(broken, ("1b", "2b"), freeze=False, also=also)  # each step tried, none raises
    assert checked == ["1b", "2b", "also"]


def test_role_annotations_are_read_once_and_as_pikepdf_reads_them() -> None:
    from pikepdf.pdfa import _schemas

    for name in ("children", "kind", "dispatch"):
        assert hasattr(getattr(_schemas.SchemaSet, name), "__wrapped__")
    for flavour in ("1b", "2b", "3b"):
        fresh = _schemas.SchemaSet(_schemas.Flavour(flavour))
        for role in sorted(fresh.roles()):
            for name in ("children", "kind", "dispatch"):
                remembered = getattr(fresh, name)
                original = getattr(_schemas.SchemaSet, name).__wrapped__
                assert remembered(role) == original(fresh, role)
                assert remembered(role) is remembered(role)  # read once, then the same answer
