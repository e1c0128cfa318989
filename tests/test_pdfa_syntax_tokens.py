"""Tests of the object tokeniser of `validators.pdfa._syntax`: runs of numbers read at once, same tokens."""

from __future__ import annotations

import re

import pytest

from validators.pdfa import _syntax

CASES = [
    b"<< /W [0 [750 0] 2 3 278 4 [333 474] 6 7 556] /DW 1000 >>",
    b"<< /Widths [ 250 333 408 500 500 833 778 180 333 333 ] /FirstChar 32 /LastChar 41 >>",
    b"<< /Kids [ 3 0 R 4 0 R ] /Count 2 /MediaBox [0 0 612.0 792] >>",
    b"<< /A [[1 2] [3 [4 5]] 6] /B [1 2.5 -3 +4 .5 5.] /C true >>",
    b"<< /A [1 2 3abc 4 /N 5 (s) <41> 6] /B [1%comment\n2\x003] >>",
    b"<< /A [1 2 3]>>",
    b"<< /A [ 1 [ 2 ] ] /B 7 0 R >>",
    b"[1 2 [3 4] 5]",
    b"[ [ 1 2 ] ( ) ]",
    b"<< /A [1 2 3",
    b"<< /Decode [0 1 0 1] /H [0.0 -1.5e3 1] >>",
]


def tokens(data: bytes) -> tuple[int, dict[bytes, list[bytes]] | None, list[bytes]]:
    scanner = _syntax._Scanner(data, 2)
    end, d, simple = scanner.parse_value_tokens(0, "obj 1 0", stop=lambda _t: False)
    return end, (dict(d.keys) if d is not None else None), simple


@pytest.mark.parametrize("data", CASES)
def test_number_runs_give_the_tokens_read_one_by_one(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    fast = tokens(data)
    monkeypatch.setattr(_syntax, "_NUMBER_RUN", re.compile(rb"(?!)"))
    assert tokens(data) == fast


def test_a_long_widths_array_is_collected() -> None:
    widths = b" ".join(str(500 + i % 7).encode() for i in range(3000))
    end, keys, _ = tokens(b"<< /W [1 [" + widths + b"] 3001 3005 250] /DW 1000 >>")
    assert keys is not None
    assert keys[b"/W"][:3] == [b"[", b"1", b"["]
    assert keys[b"/W"][-5:] == [b"]", b"3001", b"3005", b"250", b"]"]
    assert len(keys[b"/W"]) == 3000 + 8
    assert keys[b"/DW"] == [b"1000"]
