"""Byte-level checks of PDF/A file structure: ISO 19005-1 clause 6.1 and ISO 19005-2/3 clause 6.1.

A PDF parser repairs what it reads (qpdf reconstructs a broken cross-reference table, finds a stream's end
when /Length is wrong, ignores junk after ``%%EOF``), so a validator built on a parser cannot see the
syntax rules of clause 6.1. This module reads the raw bytes instead: the header, every cross-reference
section on the ``startxref`` / ``/Prev`` chain, the trailers, and each object the cross-reference data
points at (as veraPDF does, an object that no cross-reference entry points at is not checked).

It is pure bytes and regular expressions over a file read once; it never raises on malformed input, it
reports it.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

_WS = b"\x00\t\n\x0c\r "
_EOL = re.compile(rb"\r\n|\r|\n")
_HEADER = re.compile(rb"%PDF-(\d)\.(\d+)")
_STARTXREF = re.compile(rb"startxref[\x00\t\n\x0c\r ]+(\d+)")
# One cross-reference entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, 2-byte EOL
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)")
_SUBSECTION = re.compile(rb"(\d+)([\x00\t\x0c ]+)(\d+)([\x00\t\x0c ]*)(\r\n|\r|\n)")
_OBJ_HEADER = re.compile(rb"(\d+)([\x00\t\n\x0c\r ]+)(\d+)([\x00\t\n\x0c\r ]+)obj")
_DIGITS = re.compile(rb"[+-]?\d+")
_LINEARIZED = re.compile(rb"/Linearized\b")
# Tokens of the PDF object syntax outside stream data. Literal strings are handled by hand (they nest).
_TOKEN = re.compile(
    # White-space before a token is consumed with it: "ws" matches only at the end of the data
    rb"[\x00\t\n\x0c\r ]*(?:"
    rb"(?P<comment>%[^\r\n]*)"
    rb"|(?P<dopen><<)|(?P<dclose>>>)"
    rb"|(?P<hex><[^<>]*>?)"
    rb"|(?P<lit>\()"
    rb"|(?P<name>/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*)"
    rb"|(?P<delim>[\[\]{}])"
    rb"|(?P<regular>[^\x00\t\n\x0c\r ()<>\[\]{}/%]+)"
    rb"|(?P<other>.)"
    rb"|(?P<ws>\Z))",
    re.DOTALL,
)
_COMMENT = re.compile(rb"%[^\r\n]*")
# A run of plain numbers (each a whole regular token), as in a long /W or /Widths array
# (the look-ahead keeps a number from ending before a byte of the same token; every number byte is one)
_NUMBER_RUN = re.compile(rb"(?:[\x00\t\n\x0c\r ]*[0-9+\-.]+(?![^\x00\t\n\x0c\r ()<>\[\]{}/%]))+")
_NUMBER = re.compile(rb"[0-9+\-.]+")
_LOOSE_XREF_ENTRY = re.compile(rb"[\x00\t\x0c ]*(\d+)[\x00\t\x0c ]+(\d+)[\x00\t\x0c ]+([nf])[ \r\n]*")
_LITERAL_STOP = re.compile(rb"[()\\]")
_HEX_WS = re.compile(rb"[\x00\t\n\x0c\r ]")
_NOT_HEX = re.compile(rb"[^0-9A-Fa-f]")
_ENDSTREAM = b"endstream"
_MAX_TOKENS_PER_OBJECT = 2_000_000


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """One breach of a file-structure rule.

    Attributes:
        clause: ``"6.1.2-1"`` style clause and test number in the flavour's part, or a ``pdf:`` id for a
            rule of the PDF format itself that ISO 19005 has no test number for.
        where: Location: ``header``, ``offset 1234``, ``obj 12 0``, ``trailer``.
        message: What was wrong.
    """

    clause: str
    where: str
    message: str


@dataclass(slots=True)
class _Section:
    """What one cross-reference section (table or stream) and its trailer said."""

    offset: int
    entries: dict[int, tuple[int, int]] = field(default_factory=dict)  # objnum -> (offset, gen)
    trailer_keys: dict[bytes, list[bytes]] = field(default_factory=dict)
    prev: int | None = None
    xref_stm: int | None = None
    is_stream: bool = False


@dataclass(slots=True)
class _Dict:
    """The top-level keys of a dictionary, each with the tokens of its value."""

    keys: dict[bytes, list[bytes]] = field(default_factory=dict)
    end: int = 0


class _Scanner:
    """One pass over the bytes of one file, for one ISO 19005 part."""

    def __init__(self, data: bytes, part: int):
        self.data = data
        self.part = part
        self.problems: list[SyntaxProblem] = []
        self._reported: set[tuple[str, str]] = set()
        self._headers: dict[tuple[int, int], int] | None = None

    # -- helpers -----------------------------------------------------------------------------------

    def clause(self, part1: str, part23: str) -> str:
        return part1 if self.part == 1 else part23

    def report(self, clause: str, where: str, message: str) -> None:
        if (clause, where) in self._reported:
            return
        self._reported.add((clause, where))
        log.debug("PDF/A syntax %s at %s: %s", clause, where, message)
        self.problems.append(SyntaxProblem(clause, where, message))

    def skip_ws(self, pos: int) -> int:
        data = self.data
        n = len(data)
        while pos < n:
            c = data[pos]
            if c in _WS:
                pos += 1
            elif c == 0x25:  # a comment counts as white space between tokens
                m = _COMMENT.match(data, pos)
                pos = m.end() if m else pos + 1
            else:
                break
        return pos

    # -- literal and hex strings -------------------------------------------------------------------

    def skip_literal(self, pos: int) -> int:
        """Return the offset after the literal string opening at *pos* (balanced parentheses)."""
        data = self.data
        depth = 0
        n = len(data)
        i = pos
        while i < n:
            m = _LITERAL_STOP.search(data, i)
            if m is None:
                return n
            i = m.start()
            c = data[i]
            if c == 0x5C:  # backslash escapes the next byte
                i += 2
                continue
            if c == 0x28:
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return n

    def check_hex(self, token: bytes, where: str) -> None:
        body = token[1:-1] if token.endswith(b">") else token[1:]
        digits = _HEX_WS.sub(b"", body)
        # ISO 19005-1 6.1.6 / ISO 19005-2 6.1.6: even count, and hex digits only
        if len(digits) % 2:
            self.report(
                self.clause("6.1.6-1", "6.1.6-1"),
                where,
                f"hexadecimal string has an odd number ({len(digits)}) of digits",
            )
        if _NOT_HEX.search(digits):
            self.report(
                self.clause("6.1.6-2", "6.1.6-2"),
                where,
                "hexadecimal string contains a non-hexadecimal character",
            )

    # -- dictionaries and objects ------------------------------------------------------------------

    def parse_value_tokens(
        self, pos: int, where: str, stop: Callable[[bytes], bool] | None = None
    ) -> tuple[int, _Dict | None, list[bytes]]:
        """Tokenise one object (a dictionary, array or simple value) starting at *pos*.

        Checks every hex string met. Returns the offset after it, the dictionary's keys (each with every
        token of its value) if it is a dictionary, and the tokens of a simple value otherwise.
        """
        data = self.data
        n = len(data)
        depth = 0
        result: _Dict | None = None
        simple: list[bytes] = []
        key: bytes | None = None
        tokens = 0
        while pos < n:
            if depth >= 2 or (depth and result is None):
                # Inside an array: a run of numbers is only collected (or, outside a dictionary, passed)
                run = _NUMBER_RUN.match(data, pos)
                if run is not None:
                    numbers = _NUMBER.findall(run.group())
                    if tokens + len(numbers) <= _MAX_TOKENS_PER_OBJECT:
                        tokens += len(numbers)
                        if result is not None and key is not None:
                            result.keys[key].extend(numbers)
                        pos = run.end()
                        continue
            m = _TOKEN.match(data, pos)
            if m is None:  # pragma: no cover - the pattern matches any byte
                break
            kind = m.lastgroup or "other"
            tokens += 1
            if tokens > _MAX_TOKENS_PER_OBJECT:
                break
            if kind == "ws":
                pos = m.end()
                break
            if kind == "comment":
                pos = m.end()
                continue
            start = m.start(kind)
            if kind == "lit":
                end = self.skip_literal(start)
                tok = data[start:end]
            else:
                end = m.end()
                tok = m.group(kind)
                if kind == "hex":
                    self.check_hex(tok, where)
            opens = kind == "dopen" or tok in (b"[", b"{")
            closes = kind == "dclose" or tok in (b"]", b"}")
            if depth == 0:
                if opens:
                    result = _Dict() if kind == "dopen" else None
                    depth = 1
                    pos = end
                    continue
                if stop is not None and stop(tok):
                    return start, result, simple
                simple.append(tok)
                pos = end
                if stop is None or len(simple) >= 16:
                    return pos, result, simple
                continue
            if closes:
                depth -= 1
                if depth == 0:
                    if result is not None:
                        result.end = end
                    return end, result, simple
                if key is not None and result is not None:
                    result.keys[key].append(tok)
                    if depth == 1:
                        key = None
                pos = end
                continue
            if result is not None:
                if depth == 1 and key is None:
                    if kind == "name":
                        key = tok
                        result.keys[key] = []
                elif key is not None:
                    value = result.keys[key]
                    if depth == 1 and kind == "name" and value and _DIGITS.fullmatch(value[-1]):
                        key = tok  # a number ended the previous value: this is the next key
                        result.keys[key] = []
                    else:
                        value.append(tok)
                        if depth == 1 and not opens and not _DIGITS.fullmatch(tok):
                            key = None  # a name, string, R, boolean or null completes the value
            if opens:
                depth += 1
            pos = end
        return pos, result, simple

    # -- the file header and end -------------------------------------------------------------------

    def check_header(self) -> None:
        data = self.data
        # ISO 19005-1 6.1.2: "%" at byte 0 and a %PDF-n.m header; ISO 19005-2/3 6.1.2: exactly
        # "%PDF-1.n" (n in 0..7) followed by a single EOL
        m = _EOL.search(data, 0, 1024)
        line_end = m.start() if m else min(len(data), 1024)
        header = data[:line_end]
        if self.part == 1:
            ok = header.startswith(b"%") and _HEADER.match(header) is not None
        else:
            ok = re.fullmatch(rb"%PDF-1\.[0-7]", header) is not None
        if not ok:
            self.report(
                self.clause("6.1.2-1", "6.1.2-1"),
                "header",
                f"the file does not begin with a valid header line (found {header[:16]!r})",
            )
        if m is None:
            self.report(
                self.clause("6.1.2-2", "6.1.2-2"), "header", "the header line has no end-of-line marker"
            )
            return
        # The header's EOL must be followed immediately by a comment of at least four bytes > 127
        comment = data[m.end() : m.end() + 5]
        if len(comment) < 5 or comment[0] != 0x25 or any(b <= 127 for b in comment[1:5]):
            self.report(
                self.clause("6.1.2-2", "6.1.2-2"),
                "header",
                "the header line is not followed by a comment of four bytes above 127 (binary marker)",
            )

    def check_eof(self) -> None:
        data = self.data
        idx = data.rfind(b"%%EOF")
        if idx < 0:
            self.report(self.clause("6.1.3-3", "6.1.3-3"), "end of file", "the file has no %%EOF marker")
            return
        rest = data[idx + 5 :]
        if rest not in (b"", b"\n", b"\r", b"\r\n"):
            self.report(
                self.clause("6.1.3-3", "6.1.3-3"),
                "end of file",
                f"{len(rest)} byte(s) follow the last %%EOF marker; only one end-of-line marker may",
            )

    # -- cross-reference data ----------------------------------------------------------------------

    def read_xref_table(self, pos: int) -> _Section | None:
        """Read the ``xref`` table at *pos* and its trailer, checking 6.1.4."""
        data = self.data
        section = _Section(offset=pos)
        where = f"xref at offset {pos}"
        p = pos + 4
        # ISO 19005 6.1.4-2: the xref keyword and the subsection header are separated by a single EOL
        m = _EOL.match(data, p)
        if m is None or p + (m.end() - m.start()) >= len(data) or not data[m.end() : m.end() + 1].isdigit():
            self.report(
                self.clause("6.1.4-2", "6.1.4-2"),
                where,
                "the xref keyword is not followed by a single end-of-line marker and a subsection header",
            )
        p = self.skip_ws(p)
        while True:
            m = _SUBSECTION.match(data, p)
            if m is None:
                break
            start, count = int(m.group(1)), int(m.group(3))
            if self.part == 1 and m.group(2) != b" ":
                # ISO 19005-1 6.1.4-1: start and count separated by a single SPACE
                self.report(
                    "6.1.4-1",
                    where,
                    f"subsection header {m.group(0).strip()!r} does not separate its numbers by one space",
                )
            p = m.end()
            for i in range(count):
                e = _XREF_ENTRY.match(data, p)
                if e is None:
                    self.report(
                        "pdf:xref-entry",
                        where,
                        f"entry {i} of subsection {start} is not a 20-byte cross-reference entry",
                    )
                    # Recover by lines, as readers do
                    line = _LOOSE_XREF_ENTRY.match(data, p)
                    if line is None:
                        return section
                    off, gen, typ = int(line.group(1)), int(line.group(2)), line.group(3)
                    p = line.end()
                else:
                    off, gen, typ = int(e.group(1)), int(e.group(2)), e.group(3)
                    p = e.end()
                if typ == b"n" and (start + i) not in section.entries:
                    section.entries[start + i] = (off, gen)
            p = self.skip_ws(p)
        if not data.startswith(b"trailer", p):
            self.report("pdf:xref-entry", where, "the cross-reference table is not followed by a trailer")
            return section
        p = self.skip_ws(p + 7)
        _end, d, _simple = self.parse_value_tokens(p, "trailer")
        if d is not None:
            section.trailer_keys = d.keys
            section.prev = _int_value(d.keys.get(b"/Prev"))
            section.xref_stm = _int_value(d.keys.get(b"/XRefStm"))
        return section

    def read_xref_stream(self, pos: int) -> _Section | None:
        """Read the cross-reference stream whose object starts at *pos*."""
        obj = self.read_object(pos, check=True)
        if obj is None or obj.stream is None or obj.dict is None:
            return None
        keys = obj.dict.keys
        if keys.get(b"/Type", [b""])[0] != b"/XRef":
            return None
        section = _Section(offset=pos, trailer_keys=keys, is_stream=True)
        section.prev = _int_value(keys.get(b"/Prev"))
        try:
            entries = _decode_xref_stream(self.data[obj.stream[0] : obj.stream[1]], keys)
        except (ValueError, zlib.error) as e:
            log.debug("Cannot decode cross-reference stream at %d: %s", pos, e)
            return section
        section.entries = entries
        return section

    def read_section(self, pos: int) -> _Section | None:
        if self.data.startswith(b"xref", pos):
            return self.read_xref_table(pos)
        return self.read_xref_stream(pos)

    def find_nearby_xref(self, pos: int, window: int = 4096) -> int | None:
        data = self.data
        best: int | None = None
        for m in re.finditer(
            rb"(?<![A-Za-z])xref[\x00\t\n\x0c\r ]", data[max(0, pos - window) : pos + window]
        ):
            at = max(0, pos - window) + m.start()
            if best is None or abs(at - pos) < abs(best - pos):
                best = at
        return best

    def read_sections(self) -> list[_Section]:
        data = self.data
        sections: list[_Section] = []
        # The last startxref wins; search the whole file only when the tail has none (rare, slow path)
        matches = list(_STARTXREF.finditer(data, max(0, len(data) - 4096))) or list(_STARTXREF.finditer(data))
        if not matches:
            self.report("pdf:xref-entry", "end of file", "the file has no startxref")
            return sections
        m = matches[-1]
        pos: int | None = int(m.group(1))
        seen: set[int] = set()
        while pos is not None and pos not in seen and 0 <= pos < len(data):
            seen.add(pos)
            section = self.read_section(pos)
            if section is None:
                # Readers forgive an offset that is a little out; so does veraPDF. Look nearby.
                near = self.find_nearby_xref(pos)
                section = self.read_section(near) if near is not None else None
            if section is None:
                log.debug("startxref or /Prev offset %d does not point at cross-reference data", pos)
                break
            sections.append(section)
            if section.xref_stm is not None and section.xref_stm not in seen:
                seen.add(section.xref_stm)
                hybrid = self.read_xref_stream(section.xref_stm)
                if hybrid is not None:
                    for num, entry in hybrid.entries.items():
                        section.entries.setdefault(num, entry)
            pos = section.prev
        return sections

    # -- indirect objects --------------------------------------------------------------------------

    def read_object(
        self, pos: int, *, check: bool, expect: tuple[int, int] | None = None, value_only: bool = False
    ) -> _Obj | None:
        data = self.data
        m = _OBJ_HEADER.match(data, pos)
        if m is None:
            return None
        num, gen = int(m.group(1)), int(m.group(3))
        if expect is not None and (num, gen) != expect:
            return None
        where = f"obj {num} {gen}"
        if check:
            # ISO 19005-1 6.1.8 / ISO 19005-2 6.1.9: "n g obj" with single white-space separators, the
            # object number preceded by an EOL and obj followed by one
            if len(m.group(2)) != 1 or len(m.group(4)) != 1:
                self.report(
                    self.clause("6.1.8-1", "6.1.9-1"),
                    where,
                    "object number, generation and obj keyword are not separated by single white-space",
                )
            if pos > 0 and data[pos - 1] not in b"\r\n":
                self.report(
                    self.clause("6.1.8-1", "6.1.9-1"), where, "the object number is not preceded by an EOL"
                )
            if data[m.end() : m.end() + 1] not in (b"\r", b"\n"):
                self.report(
                    self.clause("6.1.8-1", "6.1.9-1"), where, "the obj keyword is not followed by an EOL"
                )
        p = self.skip_ws(m.end())
        end, d, simple = self.parse_value_tokens(p, where, stop=lambda t: t in (b"endobj", b"stream"))
        obj = _Obj(num=num, gen=gen, dict=d, simple=simple)
        if value_only:
            return obj
        p = self.skip_ws(end)
        if data.startswith(b"stream", p) and not data.startswith(_ENDSTREAM, p):
            obj.stream = self.check_stream(p, d, where, check=check)
            if obj.stream is None:
                return obj
            p = self.skip_ws(obj.stream[2])
        if not data.startswith(b"endobj", p):
            if check:
                self.report(self.clause("6.1.8-1", "6.1.9-1"), where, "the object does not end with endobj")
            return obj
        if check:
            if data[p - 1] not in b"\r\n":
                self.report(
                    self.clause("6.1.8-1", "6.1.9-1"), where, "the endobj keyword is not preceded by an EOL"
                )
            after = data[p + 6 : p + 7]
            if after not in (b"\r", b"\n") and p + 6 < len(data):
                self.report(
                    self.clause("6.1.8-1", "6.1.9-1"), where, "the endobj keyword is not followed by an EOL"
                )
        return obj

    def check_stream(
        self, p: int, d: _Dict | None, where: str, *, check: bool
    ) -> tuple[int, int, int] | None:
        """Check the stream starting at keyword offset *p*; return (data start, data end, after endstream)."""
        data = self.data
        after = p + 6
        # ISO 19005-1 6.1.7-2 / ISO 19005-2 6.1.7.1-2: stream followed by CRLF or LF, nothing else
        if data.startswith(b"\r\n", after):
            start = after + 2
        elif data.startswith(b"\n", after):
            start = after + 1
        else:
            if check:
                self.report(
                    self.clause("6.1.7-2", "6.1.7.1-2"),
                    where,
                    "the stream keyword is not followed by CR LF or LF alone",
                )
            start = after + (1 if data.startswith(b"\r", after) else 0)
        length = self.resolve_length(d)
        if length is not None and 0 <= length <= len(data) - start:
            tail = _EOL.match(data, start + length)
            if tail is not None and data.startswith(_ENDSTREAM, tail.end()):
                return start, start + length, tail.end() + 9
            if data.startswith(_ENDSTREAM, start + length):
                if check:
                    self.report(
                        self.clause("6.1.7-2", "6.1.7.1-2"),
                        where,
                        "the endstream keyword is not preceded by an EOL",
                    )
                return start, start + length, start + length + 9
        # /Length is wrong or unreadable: find the real end, as a reader would
        e = data.find(_ENDSTREAM, start)
        if e < 0:
            if check:
                self.report(self.clause("6.1.7-1", "6.1.7.1-1"), where, "the stream has no endstream keyword")
            return None
        if data[e - 2 : e] == b"\r\n":
            real = e - 2 - start
        elif data[e - 1 : e] in (b"\r", b"\n"):
            real = e - 1 - start
        else:
            real = e - start
            if check:
                self.report(
                    self.clause("6.1.7-2", "6.1.7.1-2"),
                    where,
                    "the endstream keyword is not preceded by an EOL",
                )
        if check:
            shown = "missing or unreadable" if length is None else str(length)
            self.report(
                self.clause("6.1.7-1", "6.1.7.1-1"),
                where,
                f"stream /Length is {shown} but the stream holds {max(real, 0)} bytes",
            )
        return start, start + max(real, 0), e + 9

    def resolve_length(self, d: _Dict | None) -> int | None:
        if d is None:
            return None
        value = d.keys.get(b"/Length")
        if not value:
            return None
        if len(value) >= 3 and value[2] == b"R":
            try:
                num, gen = int(value[0]), int(value[1])
            except ValueError:
                return None
            entry = self.xref.get(num)
            if entry is None or entry[1] != gen:
                return None
            # Only the value: a stream here would have a /Length of its own (and could point back)
            target = self.read_object(entry[0], check=False, expect=(num, gen), value_only=True)
            if target is None or len(target.simple) != 1:
                return None
            return _int_value(target.simple)
        return _int_value(value[:1])

    # -- the whole file ----------------------------------------------------------------------------

    xref: dict[int, tuple[int, int]]

    def run(self) -> list[SyntaxProblem]:
        data = self.data
        self.xref = {}
        self.check_header()
        self.check_eof()
        sections = self.read_sections()
        # Newest section first: its entries win
        for section in sections:
            for num, entry in section.entries.items():
                self.xref.setdefault(num, entry)
        if sections:
            self.check_trailers(sections)
        if not self.xref:
            # No readable cross-reference data: check every object header found, as a reader that
            # reconstructs the table would see them
            for m in _OBJ_HEADER.finditer(data):
                if m.start() == 0 or data[m.start() - 1] in b"\r\n":
                    self.xref.setdefault(int(m.group(1)), (m.start(), int(m.group(3))))
        for num, (offset, gen) in sorted(self.xref.items(), key=lambda kv: kv[1][0]):
            obj = self.read_object(offset, check=True, expect=(num, gen)) if 0 <= offset < len(data) else None
            if obj is None:
                # A wrong offset does not hide an object from a reader, which finds it by its header;
                # so it must not hide it from these checks either
                found = self.header_index().get((num, gen))
                if found is None:
                    log.debug("obj %d %d is not in the file", num, gen)
                    continue
                log.debug("obj %d %d is at %d, not at its cross-reference offset %d", num, gen, found, offset)
                obj = self.read_object(found, check=True, expect=(num, gen))
            if (
                obj is not None
                and obj.stream is not None
                and obj.dict is not None
                and obj.dict.keys.get(b"/Type", [b""])[0] == b"/ObjStm"
            ):
                self.check_object_stream(obj)
        return self.problems

    def header_index(self) -> dict[tuple[int, int], int]:
        """Where each "n g obj" header is, the last one winning (built once, on first need)."""
        if self._headers is None:
            self._headers = {}
            for m in _OBJ_HEADER.finditer(self.data):
                if m.start() == 0 or self.data[m.start() - 1] in b"\r\n\t\x0c\x00 ":
                    self._headers[(int(m.group(1)), int(m.group(3)))] = m.start()
        return self._headers

    def check_object_stream(self, obj: _Obj) -> None:
        """Check the hex strings of the objects compressed in an object stream (ISO 19005 6.1.6)."""
        assert obj.stream is not None and obj.dict is not None
        filters = [f for f in obj.dict.keys.get(b"/Filter", []) if f.startswith(b"/")]
        raw = self.data[obj.stream[0] : obj.stream[1]]
        try:
            if filters == [b"/FlateDecode"]:
                body = zlib.decompress(raw)
            elif not filters:
                body = raw
            else:
                log.debug("Object stream %d with filters %r not checked for hex strings", obj.num, filters)
                return
        except zlib.error as e:
            log.debug("Cannot decompress object stream %d: %s", obj.num, e)
            return
        inner = _Scanner(body, self.part)
        inner.problems = self.problems
        inner._reported = self._reported
        where = f"object stream obj {obj.num} {obj.gen}"
        pos = 0
        while pos < len(body):
            pos, _d, _s = inner.parse_value_tokens(pos, where, stop=lambda _t: False)

    def check_trailers(self, sections: list[_Section]) -> None:
        last = sections[0]
        # ISO 19005-1 6.1.3-1 reads the first-page trailer of a linearized file; that is the trailer
        # startxref points at, as it is for any other file
        id_value = last.trailer_keys.get(b"/ID")
        if not id_value:
            self.report(self.clause("6.1.3-1", "6.1.3-1"), "trailer", "the trailer has no /ID")
        linearized = _LINEARIZED.search(self.data, 0, 2048) is not None and len(sections) > 1
        if self.part != 1 and linearized:
            # ISO 19005-2/3 6.1.3-1 name "the" trailer; of a linearized file's two, require both
            final = max(sections, key=lambda s: s.offset)
            if not final.trailer_keys.get(b"/ID"):
                self.report("6.1.3-1", "last trailer", "the last trailer of the linearized file has no /ID")
        if self.part == 1 and id_value and linearized:
            # ISO 19005-1 6.1.3-4: both IDs of a linearized file, where present, are identical
            main = sections[-1].trailer_keys.get(b"/ID")
            if main and _id_strings(main) != _id_strings(id_value):
                self.report(
                    "6.1.3-4", "trailer", "the first-page and last trailers have different /ID values"
                )
        for section in sections:
            if b"/Encrypt" in section.trailer_keys:
                self.report(self.clause("6.1.3-2", "6.1.3-2"), "trailer", "the trailer has /Encrypt")


@dataclass(slots=True)
class _Obj:
    num: int
    gen: int
    dict: _Dict | None
    simple: list[bytes]
    stream: tuple[int, int, int] | None = None


def _int_value(tokens: list[bytes] | None) -> int | None:
    if not tokens:
        return None
    try:
        return int(tokens[0])
    except ValueError:
        return None


def _id_strings(tokens: list[bytes]) -> list[bytes]:
    """The byte values of the strings of an /ID array, so that <AB> and <ab> compare equal."""
    values = []
    for t in tokens:
        if t.startswith(b"<"):
            digits = re.sub(rb"[^0-9A-Fa-f]", b"", t)
            values.append(bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode("ascii")))
        elif t.startswith(b"("):
            values.append(t[1:-1])
    return values


def _png_unpredict(raw: bytes, columns: int) -> bytes:
    """Undo PNG predictors (ISO 32000-1 7.4.4.4) row by row, as cross-reference streams use them."""
    out = bytearray()
    prev = bytearray(columns)
    stride = columns + 1
    for r in range(0, len(raw) - columns, stride):
        ft = raw[r]
        row = bytearray(raw[r + 1 : r + stride])
        if ft == 1:
            for i in range(1, len(row)):
                row[i] = (row[i] + row[i - 1]) & 0xFF
        elif ft == 2:
            for i in range(len(row)):
                row[i] = (row[i] + prev[i]) & 0xFF
        elif ft == 3:
            for i in range(len(row)):
                left = row[i - 1] if i else 0
                row[i] = (row[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ft == 4:
            for i in range(len(row)):
                a = row[i - 1] if i else 0
                b = prev[i]
                c = prev[i - 1] if i else 0
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                row[i] = (row[i] + pred) & 0xFF
        elif ft != 0:
            raise ValueError(f"unknown PNG predictor {ft}")
        out += row
        prev = row
    return bytes(out)


def _decode_xref_stream(raw: bytes, keys: dict[bytes, list[bytes]]) -> dict[int, tuple[int, int]]:
    """Return objnum -> (offset, gen) for the uncompressed objects a cross-reference stream lists."""
    filters = keys.get(b"/Filter", [])
    names = [f for f in filters if f.startswith(b"/")]
    if names and names != [b"/FlateDecode"]:
        raise ValueError(f"unsupported filter {names!r}")
    body = zlib.decompress(raw) if names else raw
    parms = keys.get(b"/DecodeParms", [])
    if b"/Predictor" in b" ".join(parms):
        # /DecodeParms is nested: its tokens are only collected by the opening <<, so read it again
        columns = 0
        m = re.search(rb"/Columns\s+(\d+)", b" ".join(parms))
        if m:
            columns = int(m.group(1))
        if columns:
            body = _png_unpredict(body, columns)
    widths = [int(t) for t in keys.get(b"/W", []) if t.isdigit()]
    if len(widths) != 3:
        raise ValueError("bad /W")
    size = _int_value(keys.get(b"/Size")) or 0
    index_tokens = [int(t) for t in keys.get(b"/Index", []) if t.lstrip(b"+-").isdigit()] or [0, size]
    entries: dict[int, tuple[int, int]] = {}
    rec = sum(widths)
    if rec == 0:
        return entries
    pos = 0
    for k in range(0, len(index_tokens) - 1, 2):
        first, count = index_tokens[k], index_tokens[k + 1]
        for i in range(count):
            if pos + rec > len(body):
                return entries
            fields = []
            q = pos
            for w in widths:
                fields.append(int.from_bytes(body[q : q + w], "big") if w else None)
                q += w
            pos += rec
            typ = 1 if widths[0] == 0 else fields[0]
            if typ == 1:
                entries.setdefault(first + i, (fields[1] or 0, fields[2] or 0))
    return entries


def scan(data: bytes, part: int) -> list[SyntaxProblem]:
    """Check the file-structure rules of ISO 19005 clause 6.1 on the raw bytes of a file.

    Args:
        data: The whole file.
        part: The ISO 19005 part (1, 2 or 3) whose rules and clause numbers apply.

    Returns:
        Every breach found, in file order (header, end, cross-reference data, trailers, objects).
    """
    return _Scanner(data, part).run()
