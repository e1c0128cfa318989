"""Faster drop-ins for the pure-Python hot spots of `pikepdf.pdfa`, giving the same answers.

Profiling `validate_pdfa` on PDF/A conformance files puts most of the time in these places:

- **Role schemas.** pikepdf checks the shallow JSON encoding of each object against a JSON Schema
  for its role (`SchemaSet.check`), through `jsonschema`, whose ``$ref`` resolution costs more than
  the checks themselves. Almost every object satisfies its role, and then there is nothing to
  report: a predicate compiled from the role's schema (`validators.pdfa._schema_predicate`, about
  fifteen times faster) gives `jsonschema`'s yes, and the check ends there. For the rest, the
  result depends only on the flavour, the role and the shallow encoding, and documents repeat
  encodings a lot (pages, resources, fonts and outline items from one producer differ in a few
  values at most), so the schema errors of each (flavour, role, encoding) are remembered, in a
  bounded cache, and replayed: the same findings, in the same order, at the place of the object
  being checked.
- **Schema references.** Checking one encoding that is not remembered still resolves every ``$ref``
  of the role's schema through `referencing` (a URL join, a registry look-up and a JSON pointer walk
  each time). pikepdf's schemas use no dynamic references, so a reference resolves to the same
  schema wherever it is met: resolutions within pikepdf's schema registry are remembered.
- **Font programs.** Each embedded font program is parsed with fontTools (TrueType tables, CFF,
  a PostScript interpreter for Type 1) whenever pikepdf meets it: in the first check, again in the
  second check of an edited copy (see `validators.pdfa._recheck`), and in every document that
  embeds the same program. The parsed program (or the refusal its parse ended in) is a function of
  the program's bytes and the parser, so it is kept per thread, keyed by a digest of the bytes, in a
  small cache bounded by count and by bytes.
- **Type 1 glyph programs.** pikepdf decrypts every glyph program and subroutine of a Type 1 font
  when it reads the font, though it draws only the glyphs the text uses (for their widths).
  `_LazyCharStrings` and `_LazySubrs` keep each encrypted until it is first asked for; the checks
  made on reading the font (the glyph names, lenIV, the types of the entries) are made as before.
- **Type 1 decryption.** A Type 1 font program and each of its glyph programs are decrypted byte by
  byte by `fontTools.misc.eexec.decrypt`, which makes two function calls and a bytes object per
  byte. `_decrypt` computes the same cipher-feedback recurrence (Adobe Type 1 Font Format, 7.2)
  in one loop over a bytearray.
- **Type 1 programs.** pikepdf runs each Type 1 program through fontTools' PostScript interpreter,
  token by token, though almost all of it is glyph and subroutine entries of one shape.
  `validators.pdfa._type1_reader` reads a run of such entries at once, where every name they run
  means what the standard layout means, and makes the very definitions the interpreter would.

- **TrueType outlines.** pikepdf asks whether each glyph the text uses has an outline, and the
  first question makes fontTools read every glyph of the font (thousands, in a subset that keeps
  the original glyph ids). `validators.pdfa._glyf` reads the glyphs asked for, deciding what the
  whole-table read decides (where it stops, what it finds) the same way.

- **TrueType glyph names.** A TrueType font whose post table names no glyphs gets names from its
  cmap, and fontTools' `TTFont._makeGlyphName` imports the Adobe Glyph List module once per glyph;
  pikepdf's font reader is given a TTFont subclass that binds it once.

- **Role annotations.** The walker asks pikepdf's schema set, for every object, which keys lead to
  children, which kind of object the role expects and whether it dispatches to a narrower role;
  each answer is rebuilt from the role's schema nodes every time. They depend on the role alone, so
  each is read once per role.

`install()` applies all nine, once, and only to the code it was written against: the patched function
must have the signature expected, else it is left alone (and the validator is only slower).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from validators.pdfa import _glyf, _schema_predicate

log = logging.getLogger(__name__)

# A shallow encoding longer than this is checked afresh (its key would cost memory for little gain)
_MAX_KEY_CHARS = 8192
_MAX_ENTRIES = 16384
# ...and at most this many characters of encodings in all (a few tens of megabytes at the worst)
_MAX_CHARS = 16 * 1024 * 1024

# Font programs remembered per thread: how many, and how many bytes of program in all
_MAX_PROGRAMS = 8
_MAX_PROGRAM_BYTES = 64 * 1024 * 1024

_installed = False
_lock = threading.Lock()


_F = TypeVar("_F", bound=Callable[..., Any])


def _stands_in_for(original: Callable[..., Any], replacement: _F) -> _F:
    """*replacement*, documented as *original* and pointing to it (``__wrapped__``: installed once)."""
    replacement.__doc__ = original.__doc__
    replacement.__wrapped__ = original  # type: ignore[attr-defined]
    return replacement


def _decrypt(cipher: bytes, key: int) -> tuple[bytes, int]:
    """Decrypt Type 1 ciphertext with initial *key*; return the plaintext and the final key."""
    plain = bytearray(len(cipher))
    r = key
    for i, c in enumerate(cipher):
        plain[i] = c ^ (r >> 8)
        r = ((c + r) * 52845 + 22719) & 0xFFFF
    return bytes(plain), r


# One schema error as replayed: rule, kind, message, and the path within the object (None: the object)
_Error = tuple[str, str, str, str | None]


class _SchemaErrors:
    """A bounded LRU map from (flavour, role, shallow encoding) to the findings its check made.

    Each finding is kept as (rule, kind, message, path suffix); the place of the object checked is
    put in front of the suffix when the finding is replayed, as `SchemaSet.check` does.
    """

    def __init__(self, limit: int = _MAX_ENTRIES, chars: int = _MAX_CHARS) -> None:
        self._limit = limit
        self._max_chars = chars
        self._chars = 0
        self._entries: OrderedDict[tuple[str, str, str], tuple[_Error, ...]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[str, str, str]) -> tuple[_Error, ...] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: tuple[str, str, str], value: tuple[_Error, ...]) -> None:
        with self._lock:
            if key not in self._entries:
                self._chars += len(key[2])
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._limit or self._chars > self._max_chars:
                old, _ = self._entries.popitem(last=False)
                self._chars -= len(old[2])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._chars = 0
            self.hits = self.misses = 0


schema_errors = _SchemaErrors()
# The compiled role predicates in use (None until installed, or where they cannot be)
role_predicates: _schema_predicate.RolePredicates | None = None


def _remembering_check(
    original: Callable[..., bool],
    format_path: Callable[[Any], str],
    predicates: _schema_predicate.RolePredicates | None = None,
) -> Callable[..., bool]:
    """Wrap `SchemaSet.check` so that its findings for one encoding are computed once.

    An encoding its role's compiled predicate accepts (see `validators.pdfa._schema_predicate`) has
    no findings, and is neither encoded nor remembered; the findings of any other are jsonschema's.
    """

    def check(self: Any, role: str, shallow: Any, ctx: Any, where: str) -> bool:
        if predicates is not None and _satisfies(predicates.get(self, role), shallow):
            return True  # no errors, so no findings: what the original returns
        try:
            # Key order matters (messages list unexpected keys in the object's order), and json
            # tells 1 from 1.0 and from true, as jsonschema does
            encoded = json.dumps(shallow, ensure_ascii=False, allow_nan=True)
        except (TypeError, ValueError):
            return original(self, role, shallow, ctx, where)
        if len(encoded) > _MAX_KEY_CHARS:
            return original(self, role, shallow, ctx, where)
        key = (str(self.flavour), role, encoded)
        found = schema_errors.get(key)
        if found is None:
            errors = list(self._validator(role).iter_errors(shallow))
            found = tuple(
                (*self._interpret(role, error), _path(format_path, error.absolute_path)) for error in errors
            )
            schema_errors.put(key, found)
        for rule_id, kind, message, path in found:
            ctx.deny(rule_id, where if path is None else f"{where} {path}", message, kind)
        return not found

    return _stands_in_for(original, check)


def _satisfies(predicate: Callable[[Any], bool] | None, shallow: Any) -> bool:
    if predicate is None:
        return False
    try:
        return predicate(shallow)
    except Exception:  # noqa: BLE001 - an instance the predicate cannot read is left to jsonschema
        return False


def _path(format_path: Callable[[Any], str], path: Any) -> str | None:
    return format_path(path) if path else None


def _install_schema_cache() -> bool:
    try:
        from pikepdf.pdfa import _schemas
    except ImportError:
        return False
    original = getattr(_schemas.SchemaSet, "check", None)
    format_path = getattr(_schemas, "_format_path", None)
    if original is None or format_path is None or hasattr(original, "__wrapped__"):
        return False
    expected = ["self", "role", "shallow", "ctx", "where"]
    if list(inspect.signature(original).parameters) != expected or not all(
        hasattr(_schemas.SchemaSet, name) for name in ("_validator", "_interpret")
    ):
        log.debug("pikepdf's SchemaSet.check is not the one expected; schema results are not cached")
        return False
    global role_predicates
    role_predicates = _role_predicates(_schemas)
    _schemas.SchemaSet.check = _remembering_check(original, format_path, role_predicates)  # type: ignore[method-assign]
    return True


def compile_role_predicates(flavours: tuple[str, ...]) -> int:
    """Compile the predicate of every role of pikepdf's schemas for *flavours* now; return how many.

    Each is otherwise compiled when its role is first met, a fraction of a millisecond each.
    """
    if role_predicates is None:
        return 0
    from pikepdf.pdfa import _schemas

    compiled = 0
    for flavour in flavours:
        schema_set = _schemas.SchemaSet.for_flavour(flavour)
        for role in sorted(schema_set.roles()):
            compiled += role_predicates.get(schema_set, role) is not None
    return compiled


# The jsonschema modules whose reading `_schema_predicate` reproduces (keywords, equality, types, the
# draft 2020-12 validator), by the SHA-256 of their source: another version gets no predicates.
_JSONSCHEMA_SOURCES = {
    "jsonschema._keywords": "afcfc3aea01f9fa40bc109e65c4820bde89253e51a20bda9da7b8f20d7a57c57",
    "jsonschema._utils": "5efebfc0a2ac941265c328fdfa3d9cf090c5c3ee33e1a5859d57b6a57f21ed4e",
    "jsonschema._types": "7ff9e44c36eb8dadc4ddfb083530bbdf2fe03174d4db5d08fc7eea2b434ddf47",
    "jsonschema.validators": "97f171b995b4b0ca05530a9366a1252fb1753f99f3cb7b1068b6d9aab1096fa5",
}


def _role_predicates(schemas: Any) -> _schema_predicate.RolePredicates | None:
    """Compiled role predicates, if jsonschema and pikepdf's schema set are the ones they were written for."""
    try:
        import importlib

        from jsonschema._utils import equal

        found = {name: _source_digest(importlib.import_module(name)) for name in _JSONSCHEMA_SOURCES}
    except ImportError:
        return None
    if found != _JSONSCHEMA_SOURCES:
        log.debug("jsonschema is not the version the schema predicates reproduce; every object goes to it")
        return None
    if not hasattr(schemas.SchemaSet, "_role_uri"):
        return None
    return _schema_predicate.RolePredicates(equal)


class _Programs(threading.local):
    """Per thread: parsed font programs (or the refusal their parse ended in) by digest of the bytes.

    Per thread because a parsed program reads its tables lazily, which is not safe to share.
    """

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple[Any, bytes], tuple[Any, BaseException | None, int]] = OrderedDict()
        self.size = 0


programs = _Programs()


def forget() -> None:
    """Drop what was kept from the files checked so far (schema findings, this thread's font programs).

    The next files are then checked as files never seen, which is what a benchmark that times the
    same files more than once wants; what is kept per process (compiled schemas) stays.
    """
    schema_errors.clear()
    programs.entries.clear()
    programs.size = 0


def _remembering_program(
    original: Callable[..., Any], refusals: tuple[type[BaseException], ...]
) -> Callable[..., Any]:
    """Wrap `_Loader.program` so that a program's bytes are parsed once per thread."""

    def program(self: Any, factory: Callable[[bytes], Any], data: bytes, what: str) -> Any:
        if len(data) > _MAX_PROGRAM_BYTES // 4:
            return original(self, factory, data, what)
        key = (factory, hashlib.blake2b(data, digest_size=20).digest())
        entries = programs.entries
        found = entries.get(key)
        if found is None:
            parsed: Any = None
            refusal: BaseException | None = None
            try:
                parsed = factory(data)
            except refusals as e:
                refusal = e
            found = (parsed, refusal, len(data))
            entries[key] = found
            programs.size += len(data)
            while entries and (len(entries) > _MAX_PROGRAMS or programs.size > _MAX_PROGRAM_BYTES):
                _, (_, _, size) = entries.popitem(last=False)
                programs.size -= size
        else:
            entries.move_to_end(key)
        parsed, refusal, _ = found
        if refusal is None:
            return parsed
        # Let pikepdf turn the refusal into its finding, as it does for a fresh parse
        return original(self, _raiser(refusal), data, what)

    return _stands_in_for(original, program)


def _raiser(refusal: BaseException) -> Callable[[bytes], Any]:
    def factory(data: bytes) -> Any:
        raise type(refusal)(*refusal.args)

    return factory


def _install_program_cache() -> bool:
    try:
        from pikepdf.pdfa import _fontprogram, _fonts
    except ImportError:
        return False
    loader = getattr(_fonts, "_Loader", None)
    original = getattr(loader, "program", None)
    refusals: tuple[type[BaseException], ...] = tuple(
        r
        for name in ("FontProgramError", "FontProgramAmbiguity")
        if isinstance(r := getattr(_fontprogram, name, None), type) and issubclass(r, BaseException)
    )
    if original is None or hasattr(original, "__wrapped__") or len(refusals) != 2:
        return False
    if list(inspect.signature(original).parameters) != ["self", "factory", "data", "what"]:
        log.debug("pikepdf's font program loader is not the one expected; programs are not cached")
        return False
    loader.program = _remembering_program(original, refusals)  # type: ignore[union-attr]
    return True


_PIKEPDF_SCHEMAS = "https://pikepdf.invalid/pdfa/"
_MAX_RESOLUTIONS = 4096


def _remembering_lookup(original: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap `referencing.Resolver.lookup`: within pikepdf's schemas, each reference is resolved once."""
    resolved: dict[tuple[int, str, str], tuple[Any, Any]] = {}

    def lookup(self: Any, ref: str) -> Any:
        base = self._base_uri
        if not base.startswith(_PIKEPDF_SCHEMAS):
            return original(self, ref)
        registry = self._registry
        key = (id(registry), base, ref)
        found = resolved.get(key)
        if found is not None and found[0] is registry:
            return found[1]
        result = original(self, ref)
        if len(resolved) >= _MAX_RESOLUTIONS:
            resolved.clear()
        resolved[key] = (registry, result)
        return result

    return _stands_in_for(original, lookup)


def _install_lookup() -> bool:
    try:
        from pikepdf.pdfa import _schemas
        from referencing import _core
    except ImportError:
        return False
    original = getattr(_core.Resolver, "lookup", None)
    if (
        original is None
        or hasattr(original, "__wrapped__")
        or getattr(_schemas, "BASE_URI", None) != _PIKEPDF_SCHEMAS
    ):
        return False
    schemas = json.dumps(
        [
            _schemas._load_schema(name)
            for name in ("common.json", "pdfa-1b.json", "pdfa-2b.json", "pdfa-3b.json")
        ]
    )
    if "$dynamicRef" in schemas or "$recursiveRef" in schemas:
        log.debug("pikepdf's schemas use dynamic references; their resolutions are not remembered")
        return False
    _core.Resolver.lookup = _remembering_lookup(original)  # type: ignore[method-assign]
    return True


_CHARSTRING_KEY = 4330


class _LazyCharStrings(dict[str, Any]):
    """A Type 1 font's glyph programs by name, each decrypted when first looked up by name.

    Only ``name in``, iteration over the names, ``len`` and ``[name]`` are used on it, as on the
    dictionary it stands in for.
    """

    def __init__(self, encrypted: dict[str, bytes], len_iv: int, subrs: list[Any], make: Callable[..., Any]):
        super().__init__(encrypted)
        self._len_iv = len_iv
        self._subrs = subrs
        self._make = make

    def __getitem__(self, name: str) -> Any:
        value = super().__getitem__(name)
        if isinstance(value, bytes):
            code, _ = _decrypt(value, _CHARSTRING_KEY)
            value = self._make(code[self._len_iv :], subrs=self._subrs)
            super().__setitem__(name, value)
        return value


class _LazySubrs(list[Any]):
    """A Type 1 font's subroutines, each decrypted when a glyph program first calls it.

    Glyph programs reach subroutines only by index (``callsubr``); iteration decrypts every one.
    """

    def __init__(self, encrypted: list[bytes], len_iv: int, make: Callable[..., Any]):
        super().__init__(encrypted)
        self._len_iv = len_iv
        self._make = make

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        value = super().__getitem__(index)
        if isinstance(value, bytes):
            code, _ = _decrypt(value, _CHARSTRING_KEY)
            value = self._make(code[self._len_iv :], subrs=self)
            super().__setitem__(index, value)
        return value

    def __iter__(self) -> Any:
        return (self[i] for i in range(len(self)))


def _lazy_decrypt_charstrings(
    error: type[Exception], make: Callable[..., Any]
) -> Callable[[dict[str, Any]], Any]:
    def decrypt_charstrings(font: dict[str, Any]) -> Any:
        private = font["Private"]
        len_iv = private.get("lenIV", 4)
        if not isinstance(len_iv, int) or len_iv < 0:
            raise error(f"Type 1 lenIV {len_iv!r}")
        raw_subrs = private.get("Subrs", [])
        subrs: list[Any]
        if isinstance(raw_subrs, list) and all(type(subr) is bytes for subr in raw_subrs):
            subrs = _LazySubrs(raw_subrs, len_iv, make)
        else:  # as pikepdf does it, with whatever error that ends in
            subrs = []
            for subr in raw_subrs:
                code, _ = _decrypt(subr, _CHARSTRING_KEY)
                subrs.append(make(code[len_iv:], subrs=subrs))
        encrypted: dict[str, bytes] = {}
        for name, charstring in font["CharStrings"].items():
            if not isinstance(name, str) or not isinstance(charstring, bytes):
                raise error("malformed Type 1 CharStrings entry")
            encrypted[name] = charstring
        return _LazyCharStrings(encrypted, len_iv, subrs, make)

    return decrypt_charstrings


def _install_lazy_charstrings() -> bool:
    try:
        from pikepdf.pdfa import _fontprogram
    except ImportError:
        return False
    program = getattr(_fontprogram, "Type1Program", None)
    original = inspect.getattr_static(program, "_decrypt_charstrings", None) if program else None
    make = getattr(_fontprogram, "T1CharString", None)
    error = getattr(_fontprogram, "FontProgramError", None)
    if not isinstance(original, staticmethod) or make is None or not isinstance(error, type):
        return False
    if list(inspect.signature(original.__func__).parameters) != ["font"]:
        log.debug("pikepdf's Type 1 reader is not the one expected; glyph programs are read eagerly")
        return False
    replacement = _lazy_decrypt_charstrings(error, make)
    replacement.__wrapped__ = original.__func__  # type: ignore[attr-defined]
    program._decrypt_charstrings = staticmethod(replacement)  # type: ignore[union-attr]
    return True


def _install_decrypt() -> bool:
    try:
        from fontTools.misc import eexec
    except ImportError:
        return False
    original = getattr(eexec, "decrypt", None)
    if original is None or original is _decrypt:
        return False
    sample = bytes(range(256)) * 3
    if original(sample, 4330) != _decrypt(sample, 4330):
        log.debug("fontTools' eexec.decrypt does not match ours; left alone")
        return False
    eexec.decrypt = _decrypt
    return True


def _install_type1_reader() -> bool:
    try:
        from fontTools.misc import psLib
        from pikepdf.pdfa import _fontprogram

        from validators.pdfa import _type1_reader
    except ImportError:
        return False
    base = getattr(_fontprogram, "_BoundedPSInterpreter", None)
    if not isinstance(base, type) or not issubclass(base, psLib.PSInterpreter):
        return False
    if issubclass(base, _type1_reader.Type1Interpreter):
        return False
    if list(inspect.signature(psLib.PSInterpreter.handle_object).parameters) != ["self", "object"]:
        log.debug("fontTools' interpreter is not the one expected; Type 1 programs are read token by token")
        return False
    if not _type1_reader.agrees(base):
        log.debug("Type 1 entry runs do not read the sample as pikepdf does; left alone")
        return False
    setattr(_fontprogram, "_BoundedPSInterpreter", _type1_reader.make_interpreter(base))  # noqa: B010
    return True


# The code `_glyf` reproduces or relies on, by the SHA-256 of its source: pikepdf's has_gid and the
# lazy TTFont its programs open; fontTools' table read (which keeps a table whose decompile failed),
# glyf read and look-up, loca read and look-up, and Glyph. Any other version is left alone.
_GLYF_SOURCES = {
    "has_gid": "23e1b45fbd1b09687676c4939454830443e47ac4d7e99c11234102b08b615878",
    "program": "23a923402c995d09dca518308b4a62e16a6a4cf920894a2a8c1fe1561376614d",
    "read table": "f3586ffce8708c918f4200696956df5a90da1a6313cfa99e3e800a82e31365a7",
    "decompile": "b3253c97741c68b8b154ecb060dd197804231f5d64d4aa8a3132c7dcbb6e0932",
    "__getitem__": "c7a2f62d9c2e7c8c780dc93ca92a8571ad640f0eb1c23a9fa52e1933fc6c716d",
    "loca": "4d54e8f27c5db6bc2cdfbcd79bd53b069a8a2e8134a7cca241e09c239b8d0389",
    "loca[i]": "7e8d9a9c439c4b8be71877fe73c997999bf75526e96faa2c43415700d46de33e",
    "Glyph": "ae5d45be3e71040b4299f7443a1c14f260dc5081b320f63397c2f1472e71d0fb",
}


def _source_digest(function: Any) -> str | None:
    try:
        return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()
    except (OSError, TypeError):
        return None


def _lazy_has_gid(original: Callable[..., bool], table_class: type, glyph_class: type) -> Callable[..., bool]:
    """`TrueTypeProgram.has_gid` reading only the outlines asked for (see `validators.pdfa._glyf`)."""

    def has_gid(self: Any, gid: int) -> bool:
        if not 0 <= gid < self._num_glyphs:
            return False
        if self._cff is not None:
            return bool(self._cff.has_gid(gid))
        lazy = getattr(self, "_qujat_glyf", None)
        if lazy is None:
            lazy = self._qujat_glyf = _glyf.LazyGlyf(self._font, table_class, glyph_class)
        return lazy.has_outline(self._order[gid])

    return _stands_in_for(original, has_gid)


def _install_lazy_glyf() -> bool:
    try:
        from fontTools.ttLib import ttFont
        from fontTools.ttLib.tables import _g_l_y_f, _l_o_c_a
        from pikepdf.pdfa import _fontprogram
    except ImportError:
        return False
    program = getattr(_fontprogram, "TrueTypeProgram", None)
    table = getattr(_g_l_y_f, "table__g_l_y_f", None)
    glyph = getattr(_g_l_y_f, "Glyph", None)
    loca = getattr(_l_o_c_a, "table__l_o_c_a", None)
    if program is None or table is None or glyph is None or loca is None:
        return False
    original = inspect.getattr_static(program, "has_gid", None)
    if original is None or hasattr(original, "__wrapped__"):
        return False
    found = {
        "has_gid": _source_digest(original),
        "program": _source_digest(getattr(program, "__init__", None)),
        "read table": _source_digest(getattr(ttFont.TTFont, "_readTable", None)),
        "decompile": _source_digest(getattr(table, "decompile", None)),
        "__getitem__": _source_digest(getattr(table, "__getitem__", None)),
        "loca": _source_digest(getattr(loca, "decompile", None)),
        "loca[i]": _source_digest(getattr(loca, "__getitem__", None)),
        "Glyph": _source_digest(getattr(glyph, "__init__", None)),
    }
    if found != _GLYF_SOURCES:
        log.debug("pikepdf's has_gid or fontTools' glyf table is not the one expected; glyf read whole")
        return False
    program.has_gid = _lazy_has_gid(original, table, glyph)
    return True


def _remembered_per_role(original: Callable[..., Any], name: str) -> Callable[..., Any]:
    """Wrap a `SchemaSet` annotation reader (children, kind, dispatch) to read each role once.

    Every caller gets the same answer object (pikepdf builds a new one each time); pikepdf's walker,
    the only caller, reads them and changes none.
    """
    attribute = f"_qujat_{name}"

    def read(self: Any, role: str) -> Any:
        memo = self.__dict__.get(attribute)
        if memo is None:
            memo = self.__dict__.setdefault(attribute, {})
        try:
            return memo[role]
        except KeyError:
            found = memo[role] = original(self, role)
            return found

    return _stands_in_for(original, read)


def _install_role_annotations() -> bool:
    try:
        from pikepdf.pdfa import _schemas
    except ImportError:
        return False
    schema_set = _schemas.SchemaSet
    readers = {
        name: inspect.getattr_static(schema_set, name, None) for name in ("children", "kind", "dispatch")
    }
    if any(
        not inspect.isfunction(reader)
        or hasattr(reader, "__wrapped__")
        or list(inspect.signature(reader).parameters) != ["self", "role"]
        for reader in readers.values()
    ):
        return False
    for name, reader in readers.items():
        setattr(schema_set, name, _remembered_per_role(reader, name))
    return True


_MAKE_GLYPH_NAME_SOURCE = "3daaaa15f14927d2e2970b780a5e06c5e73dbbf8d1210a4450863d97d86bc14c"


def _install_glyph_names() -> bool:
    """Give pikepdf a TTFont whose glyph names from the cmap skip an import per glyph.

    A TrueType font without glyph names in its post table gets them from its cmap, one
    `TTFont._makeGlyphName` call per mapped glyph; that static method imports the Adobe Glyph List
    module on every call. The subclass pikepdf's font reader is given looks the list up the same way
    with the module bound once. Other users of fontTools keep the TTFont they had.
    """
    try:
        from fontTools import agl
        from fontTools.ttLib import TTFont
        from pikepdf.pdfa import _fontprogram
    except ImportError:
        return False
    if getattr(_fontprogram, "TTFont", None) is not TTFont:
        return False
    if _source_digest(inspect.getattr_static(TTFont, "_makeGlyphName").__func__) != _MAKE_GLYPH_NAME_SOURCE:
        log.debug("fontTools' _makeGlyphName is not the one expected; left alone")
        return False
    by_codepoint = agl.UV2AGL

    class _TTFont(TTFont):
        @staticmethod
        def _makeGlyphName(codepoint: int) -> str:
            if codepoint in by_codepoint:
                return by_codepoint[codepoint]
            if codepoint <= 0xFFFF:
                return f"uni{codepoint:04X}"
            return f"u{codepoint:X}"

    _fontprogram.TTFont = _TTFont
    return True


def install() -> None:
    """Apply the drop-ins (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
        cached = _install_schema_cache()
        lookups = _install_lookup()
        fonts = _install_program_cache()
        lazy = _install_lazy_charstrings()
        decrypt = _install_decrypt()
        type1 = _install_type1_reader()
        glyf = _install_lazy_glyf()
        names = _install_glyph_names()
        annotations = _install_role_annotations()
        log.debug(
            "pikepdf.pdfa speed-ups: schema cache %s, reference cache %s, font program cache %s, "
            "lazy Type 1 glyphs %s, Type 1 decryption %s, Type 1 entry runs %s, TrueType outlines %s, "
            "TrueType glyph names %s, role annotations %s",
            cached,
            lookups,
            fonts,
            lazy,
            decrypt,
            type1,
            glyf,
            names,
            annotations,
        )
