"""Reading Type 1 font programs with the glyph entries taken a run at a time, giving the same result.

pikepdf reads an embedded Type 1 program (/FontFile) by running its decrypted text through fontTools'
PostScript interpreter, which handles each token with a few Python calls. Almost all of a program is
two runs of entries of one shape (Adobe Type 1 Font Format, 2.5 and 7.3)::

    dup 5 23 RD <23 bytes> NP          % the Subrs array
    /Agrave 83 RD <83 bytes> ND        % the CharStrings dictionary

where ``RD``, ``ND`` and ``NP`` (or ``-|``, ``|-`` and ``|``) are procedures the program defines. Token
by token that is about a tenth of a millisecond an entry, so a font of a few hundred glyphs costs tens
of milliseconds, most of the time a font-heavy file takes to check.

`Type1Interpreter` is pikepdf's interpreter with one addition: where the interpreter's main loop meets
the first token of such an entry (a literal name, or ``dup``), it reads the entries that follow with
one regular expression each and makes their effect directly, the very ``def`` or ``put`` the
procedures would make, of the same string with the same access, recorded as pikepdf records it. That
is the same as running the tokens only if each name means what the standard layout means, so before
it does so it resolves, in the dictionaries in force at that moment, every name the entry would run:

- the reading procedure is ``{string currentfile exch readstring pop}``;
- the defining one is ``{noaccess def}`` (or ``readonly``, ``executeonly``, or plain ``def``), and the
  storing one the same with ``put``;
- each of those names (and ``dup``) is the interpreter's own operator, not something the program
  redefined.

Tokens are delimited exactly as fontTools' tokenizer delimits them (its whitespace, its special
characters), the binary data starts one byte after the reading procedure's name, as ``readstring``
starts it, and must be there in full. An entry that differs in any way (a comment inside it, another
shape, a glyph named like one of the names above, a Subrs index beyond the array, data running past
the end) ends the run, and the interpreter reads on token by token from there, as it would have
anyway. So fonts of unusual or hostile layout are read by the plain interpreter; fonts of the usual
layout are read five to ten times faster.
"""

from __future__ import annotations

import re
from typing import Any

from fontTools.misc.psOperators import ps_integer, ps_literal, ps_string

# A byte that continues a token: anything but fontTools' special characters and whitespace. Each token
# pattern ends in a look-ahead, so that no match can end a token before a byte that continues it.
_T = rb"[^\]\[(){}<>/%\s]"
_END = rb"(?!" + _T + rb")"
_NUMBER = rb"[0-9]+" + _END
# The length of an entry's data and the name that reads it
_READ = rb"\s*(?P<length>" + _NUMBER + rb")\s*(?P<reader>" + _T + rb"+" + _END + rb")"
# A glyph entry up to its data (the first one's name is read by the interpreter)
_GLYPH_FIRST = re.compile(_READ)
_GLYPH = re.compile(rb"\s*/(?P<name>" + _T + rb"*" + _END + rb")" + _READ)
# A Subrs entry up to its data (the first one's ``dup`` is read by the interpreter)
_SUBR_FIRST = re.compile(rb"\s*(?P<index>" + _NUMBER + rb")" + _READ)
_SUBR = re.compile(rb"\s*dup" + _END + rb"\s*(?P<index>" + _NUMBER + rb")" + _READ)
# The defining or storing name after the data
_AFTER = re.compile(rb"\s*(" + _T + rb"+" + _END + rb")")

_READ_BODY = ("string", "currentfile", "exch", "readstring", "pop")
_ACCESS = {"readonly": 1, "executeonly": 2, "noaccess": 3}
# Names an entry runs, whose meaning a glyph of the same name would change for the entries after it
_RUN_NAMES = frozenset(_READ_BODY) | frozenset(_ACCESS) | {"def", "put", "dup"}


class Type1Interpreter:
    """Mixin for pikepdf's bounded interpreter (see the module docstring); built by `make_interpreter`."""

    stack: list[Any]
    dictstack: list[dict[str, Any]]
    proclevel: int
    tokenizer: Any

    def _init_runs(self) -> None:
        self._nesting = 0
        # The reading and closing names last found to mean the standard procedures, and the access set
        self._checked: tuple[str, str] | None = None
        self._access = 0
        # The interpreter's own operators, as they were before the program ran
        self._ops = {name: self.dictstack[0][name] for name in (*_READ_BODY, *_ACCESS, "def", "put", "dup")}

    def handle_object(self, obj: Any) -> None:
        if not self._nesting and not self.proclevel and self.tokenizer is not None:
            kind = obj.type
            if kind == "literaltype" and self._glyph_run(obj.value):
                return
            if kind == "nametype" and obj.value == "dup" and self._subr_run():
                return
        self._nesting += 1
        try:
            super().handle_object(obj)  # type: ignore[misc]
        finally:
            self._nesting -= 1

    # -- names --------------------------------------------------------------------------------------

    def _resolve(self, name: str) -> Any:
        for d in reversed(self.dictstack):
            if name in d:
                return d[name]
        return None

    def _is_op(self, item: Any, name: str) -> bool:
        op = self._ops[name]
        if item is op:
            return True
        return item.type == "nametype" and item.value == name and self._resolve(name) is op

    def _reads(self, token: str) -> bool:
        """True if running *token* is ``string currentfile exch readstring pop``."""
        proc = self._resolve(token)
        if proc is None or proc.type != "proceduretype" or len(proc.value) != len(_READ_BODY):
            return False
        return all(self._is_op(item, name) for item, name in zip(proc.value, _READ_BODY, strict=True))

    def _access_then(self, token: str, last: str) -> int | None:
        """The access level set if running *token* is ``[noaccess|readonly|executeonly] last``, else None."""
        proc = self._resolve(token)
        if proc is None or proc.type != "proceduretype" or not 1 <= len(proc.value) <= 2:
            return None
        *access, final = proc.value
        if not self._is_op(final, last):
            return None
        if not access:
            return 0
        for name, level in _ACCESS.items():
            if self._is_op(access[0], name):
                return level
        return None

    # -- runs ---------------------------------------------------------------------------------------

    def _entry(self, buf: bytes, m: re.Match[bytes], last: str) -> tuple[bytes, int, int] | None:
        """An entry's data, the access its closing name sets and where the entry ends.

        None if the data is not there in full or the names do not mean what the standard layout
        means (*last* is the operator the closing procedure ends with: ``def`` or ``put``).
        """
        start = m.end() + 1  # readstring skips one byte after the reading name
        end = start + int(m["length"])
        if end > len(buf):
            return None
        after = _AFTER.match(buf, end)
        if after is None:
            return None
        names = (m["reader"].decode("latin-1"), after.group(1).decode("latin-1"))
        if names != self._checked:
            if not self._reads(names[0]):
                return None
            level = self._access_then(names[1], last)
            if level is None:
                return None
            self._checked, self._access = names, level
        return buf[start:end], self._access, after.end()

    def _string(self, data: bytes, access: int) -> Any:
        string = ps_string(data)
        if access:
            string.access = access
        return string

    def _glyph_run(self, first: str) -> bool:
        """Define the glyph entries starting with the literal *first*, just read; False if none was."""
        tok = self.tokenizer
        buf, pos = tok.buf, tok.pos
        literal = b"/" + first.encode("latin-1")
        if buf[pos - len(literal) : pos] != literal:
            return False
        self._checked = None
        define = self._ops["def"].function
        name, m = first, _GLYPH_FIRST.match(buf, pos)
        done = False
        while m is not None:
            entry = self._entry(buf, m, "def")
            # A glyph named like a name the entries run would change what the next entry means
            if entry is None or name in _RUN_NAMES or name in self._checked:  # type: ignore[operator]
                break
            data, access, end = entry
            self.stack.append(ps_literal(name))
            self.stack.append(self._string(data, access))
            define()
            tok.pos, done = end, True
            m = _GLYPH.match(buf, end)
            if m is not None:
                name = m["name"].decode("latin-1")
        return done

    def _subr_run(self) -> bool:
        """Store the Subrs entries starting with the ``dup`` just read; False if none was."""
        tok = self.tokenizer
        buf, pos = tok.buf, tok.pos
        if buf[pos - 3 : pos] != b"dup" or self._resolve("dup") is not self._ops["dup"]:
            return False
        if not self.stack or self.stack[-1].type != "arraytype":
            return False
        array = self.stack[-1]
        self._checked = None
        store = self._ops["put"].function
        m = _SUBR_FIRST.match(buf, pos)
        done = False
        while m is not None:
            index = int(m["index"])
            entry = self._entry(buf, m, "put") if index < len(array.value) else None
            if entry is None:
                break
            data, access, end = entry
            self.stack.append(array)
            self.stack.append(ps_integer(index))
            self.stack.append(self._string(data, access))
            store()
            tok.pos, done = end, True
            m = _SUBR.match(buf, end)
        return done


def make_interpreter(base: type) -> type:
    """*base* (pikepdf's bounded interpreter class) with glyph entries read a run at a time."""

    class Interpreter(Type1Interpreter, base):
        __doc__ = base.__doc__

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._init_runs()

    Interpreter.__wrapped__ = base
    Interpreter.__name__ = Interpreter.__qualname__ = base.__name__
    Interpreter.__module__ = __name__
    return Interpreter


# A small decrypted program of the standard layout, with the entry shapes the runs read
_SAMPLE = (
    b"/FontType 1 def /FontName /Sample def /FontMatrix [0.001 0 0 0.001 0 0] def\n"
    b"/Encoding StandardEncoding def currentdict end\n"
    b"dup /Private 8 dict dup begin\n"
    b"/RD{string currentfile exch readstring pop}executeonly def\n"
    b"/ND{noaccess def}executeonly def /NP{noaccess put}executeonly def\n"
    b"/lenIV 4 def /Subrs 2 array\n"
    b"dup 0 6 RD \x0b\x00 )%/ NP\ndup 1 3 RD  \n\r\t NP\nND\n"
    b"2 index /CharStrings 3 dict dup begin\n"
    b"/.notdef 4 RD \x00\xff{} ND\n/a 0 RD  ND\n/b 2 RD ]/ ND\nend\nend\nreadonly put\nnoaccess put\n"
    b"dup /FontName get exch definefont pop\n"
)


def agrees(base: type) -> bool:
    """True if the interpreter `make_interpreter` builds on *base* reads a sample program as *base* does."""

    def read(cls: type) -> Any:
        interpreter = cls(encoding="latin-1")
        try:
            interpreter.interpret(b"11 dict begin\n" + _SAMPLE)
            fonts = interpreter.dictstack[0]["FontDirectory"].value
            private = next(iter(fonts.values())).value["Private"].value
            return (
                _plain(fonts),
                [(key, _plain(value)) for _, key, value in interpreter.assignments],
                private["Subrs"].value[0].access,
            )
        finally:
            interpreter.close()

    try:
        return bool(read(base) == read(make_interpreter(base)))
    except Exception:  # noqa: BLE001 - an interpreter that cannot read the sample is not the one expected
        return False


def _plain(item: Any) -> Any:
    """*item* (an interpreter object or value) as plain data, with each object's type and access."""
    if isinstance(item, dict):
        return {key: _plain(value) for key, value in item.items()}
    if isinstance(item, list):
        return [_plain(value) for value in item]
    if hasattr(item, "type") and hasattr(item, "access"):
        value = item.name if item.type == "operatortype" else _plain(item.value)
        return (item.type, item.access, value)
    return item
