"""Faster drop-ins for the two pure-Python hot spots of `pikepdf.pdfa`, giving the same answers.

Profiling `validate_pdfa` on PDF/A conformance files puts most of the time in two places:

- **Role schemas.** pikepdf checks the shallow JSON encoding of each object against a JSON Schema
  for its role (`SchemaSet.check`), through `jsonschema`, whose ``$ref`` resolution costs more than
  the checks themselves. The result depends only on the flavour, the role and the shallow encoding,
  and documents repeat encodings a lot (pages, resources, fonts and outline items from one producer
  differ in a few values at most), so the schema errors of each (flavour, role, encoding) are
  remembered, in a bounded cache, and replayed: the same findings, in the same order, at the place
  of the object being checked.
- **Font programs.** Each embedded font program is parsed with fontTools (TrueType tables, CFF,
  a PostScript interpreter for Type 1) whenever pikepdf meets it: in the first check, again in the
  second check of an edited copy (see `validators.pdfa._recheck`), and in every document that
  embeds the same program. The parsed program (or the refusal its parse ended in) is a function of
  the program's bytes and the parser, so it is kept per thread, keyed by a digest of the bytes, in a
  small cache bounded by count and by bytes.
- **Type 1 decryption.** A Type 1 font program and each of its glyph programs are decrypted byte by
  byte by `fontTools.misc.eexec.decrypt`, which makes two function calls and a bytes object per
  byte. `_decrypt` computes the same cipher-feedback recurrence (Adobe Type 1 Font Format, 7.2)
  in one loop over a bytearray.

`install()` applies all three, once, and only to the code it was written against: the patched function
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
from typing import Any

log = logging.getLogger(__name__)

# A shallow encoding longer than this is checked afresh (its key would cost memory for little gain)
_MAX_KEY_CHARS = 8192
_MAX_ENTRIES = 16384

# Font programs remembered per thread: how many, and how many bytes of program in all
_MAX_PROGRAMS = 32
_MAX_PROGRAM_BYTES = 64 * 1024 * 1024

_installed = False
_lock = threading.Lock()


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

    def __init__(self, limit: int = _MAX_ENTRIES) -> None:
        self._limit = limit
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
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._limit:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


schema_errors = _SchemaErrors()


def _remembering_check(
    original: Callable[..., bool], format_path: Callable[[Any], str]
) -> Callable[..., bool]:
    """Wrap `SchemaSet.check` so that its findings for one encoding are computed once."""

    def check(self: Any, role: str, shallow: Any, ctx: Any, where: str) -> bool:
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

    check.__doc__ = original.__doc__
    check.__wrapped__ = original  # type: ignore[attr-defined]
    return check


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
    _schemas.SchemaSet.check = _remembering_check(original, format_path)  # type: ignore[method-assign]
    return True


class _Programs(threading.local):
    """Per thread: parsed font programs (or the refusal their parse ended in) by digest of the bytes.

    Per thread because a parsed program reads its tables lazily, which is not safe to share.
    """

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple[Any, bytes], tuple[Any, BaseException | None, int]] = OrderedDict()
        self.size = 0


programs = _Programs()


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

    program.__doc__ = original.__doc__
    program.__wrapped__ = original  # type: ignore[attr-defined]
    return program


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


def install() -> None:
    """Apply both drop-ins (idempotent)."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
        cached = _install_schema_cache()
        fonts = _install_program_cache()
        decrypt = _install_decrypt()
        log.debug(
            "pikepdf.pdfa speed-ups: schema cache %s, font program cache %s, Type 1 decryption %s",
            cached,
            fonts,
            decrypt,
        )
