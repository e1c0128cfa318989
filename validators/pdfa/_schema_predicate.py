"""jsonschema's yes-or-no answer for pikepdf's role schemas, compiled to plain Python closures.

pikepdf checks the shallow encoding of every object against the JSON Schema of its role with
`jsonschema`, which makes a validator object and resolves references at every keyword it meets.
Almost every object satisfies its role, and for those only the answer matters: there are no
findings to make. `compile_role` turns a role's schema into a predicate that gives the answer
`jsonschema` gives, at a fraction of the cost; the caller asks `jsonschema` itself for the errors
when the answer is no, so every finding is still `jsonschema`'s own.

The predicate reads each keyword as `jsonschema` 4 reads it under draft 2020-12:

- a keyword applies only to instances of its type (``properties`` to objects, ``items`` to arrays,
  ``minimum`` to numbers, ``pattern`` to strings), and unknown or annotation keywords (``x-*``,
  ``$comment``) are ignored;
- ``type``: a bool is neither a number nor an integer, and a float with no fraction is an integer;
- ``const`` and ``enum`` compare with `jsonschema`'s own equality (``True`` is not ``1``; ``1`` is
  ``1.0``);
- ``items`` applies to the elements after ``prefixItems``; ``if`` without ``then`` or ``else`` asks
  nothing; ``then`` and ``else`` without ``if`` are ignored;
- ``unevaluatedProperties`` counts as evaluated the keys `jsonschema` counts (``properties`` of the
  node and of every ``$ref``, whether or not their values are right; ``additionalProperties`` keys
  whose values satisfy it; and the keys of ``allOf``, ``anyOf`` and ``if``/``then`` branches the
  instance satisfies).

A schema using a keyword not listed in `_KEYWORDS` is not compiled (`compile_role` returns None),
so a future pikepdf schema this module does not know is checked by `jsonschema` alone.
"""

from __future__ import annotations

import numbers
import re
import threading
from collections.abc import Callable, Set
from fractions import Fraction
from typing import Any

Predicate = Callable[[Any], bool]
# The keys of an object that count as evaluated under a schema node (the instance is a dict)
Evaluated = Callable[[dict[str, Any]], Set[str]]

_KEYWORDS = frozenset(
    {
        "$ref",
        "type",
        "const",
        "enum",
        "properties",
        "additionalProperties",
        "required",
        "items",
        "prefixItems",
        "contains",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
        "multipleOf",
        "pattern",
        "allOf",
        "anyOf",
        "not",
        "if",
        "then",
        "else",
        "unevaluatedProperties",
    }
)
# Keywords that assert nothing under draft 2020-12 without a format checker or vocabulary of their own.
# Not among them: $schema (jsonschema reads the subschema in that draft) and $id (it moves the base
# that references inside resolve against), so a node holding either is left to jsonschema.
_ANNOTATIONS = frozenset({"$comment", "$defs", "title", "description", "default", "examples"})


class Unsupported(Exception):
    """The schema uses something this compiler does not reproduce."""


def _always(_instance: Any) -> bool:
    return True


def _never(_instance: Any) -> bool:
    return False


def _is_number(value: Any) -> bool:
    kind = type(value)
    if kind is int or kind is float:
        return True
    return not isinstance(value, bool) and isinstance(value, numbers.Number)


def _is_integer(value: Any) -> bool:
    kind = type(value)
    if kind is int:
        return True
    if kind is float:
        return value.is_integer()
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPES: dict[str, Predicate] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": _is_integer,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _type_check(types: Any) -> Predicate:
    names = [types] if isinstance(types, str) else list(types)
    if not names or not all(isinstance(n, str) and n in _TYPES for n in names):
        raise Unsupported(f"type {types!r}")
    checks = [_TYPES[n] for n in names]
    if len(checks) == 1:
        return checks[0]
    return lambda v: any(check(v) for check in checks)


def _multiple_of(divisor: Any) -> Predicate:
    if not _is_number(divisor):
        raise Unsupported(f"multipleOf {divisor!r}")

    def check(value: Any) -> bool:
        if not _is_number(value):
            return True
        if isinstance(divisor, float):
            quotient = value / divisor
            try:
                return int(quotient) == quotient
            except OverflowError:
                return (Fraction(value) / Fraction(divisor)).denominator == 1
        return not value % divisor

    return check


class _Compiler:
    """Compiles schema nodes reached from one registry; each node once (references may recur)."""

    def __init__(self, equal: Callable[[Any, Any], bool]) -> None:
        self._equal = equal
        # id(node) -> [predicate]; a node belongs to one resource, so its id also fixes its base URI
        self._predicates: dict[int, list[Any]] = {}
        self._evaluators: dict[int, list[Any]] = {}
        self._nodes: list[Any] = []  # keeps every memoised node alive, so ids are not reused

    def predicate(self, node: Any, resolver: Any) -> Predicate:
        if node is True:
            return _always
        if node is False:
            return _never
        if not isinstance(node, dict):
            raise Unsupported(f"schema {type(node).__name__}")
        return self._memoised(self._predicates, node, lambda: self._build(node, resolver))

    def evaluated(self, node: Any, resolver: Any) -> Evaluated:
        """The keys `jsonschema` counts as evaluated by *node*, for unevaluatedProperties."""
        if isinstance(node, bool):
            return lambda _obj: set()
        if not isinstance(node, dict):
            raise Unsupported(f"schema {type(node).__name__}")
        return self._memoised(self._evaluators, node, lambda: self._build_evaluated(node, resolver))

    def _memoised(self, table: dict[int, list[Any]], node: dict[str, Any], build: Callable[[], Any]) -> Any:
        """What *build* makes for *node*, made once (by id, the node being kept alive)."""
        cell = table.get(id(node))
        if cell is None:
            cell = [None]
            table[id(node)] = cell
            self._nodes.append(node)
            cell[0] = build()
        built = cell[0]
        if built is not None:
            return built
        # A reference back to a node still being built: look it up when called
        return lambda value: cell[0](value)

    def _resolve(self, ref: Any, resolver: Any) -> tuple[Any, Any]:
        if not isinstance(ref, str):
            raise Unsupported(f"$ref {ref!r}")
        resolved = resolver.lookup(ref)
        return resolved.contents, resolved.resolver

    def _build(self, node: dict[str, Any], resolver: Any) -> Predicate:
        for key in node:
            if key not in _KEYWORDS and key not in _ANNOTATIONS and not key.startswith("x-"):
                raise Unsupported(f"keyword {key!r}")
        for key in ("minContains", "maxContains", "patternProperties", "dependentSchemas", "$dynamicRef"):
            if key in node:
                raise Unsupported(f"keyword {key!r}")
        checks: list[Predicate] = []
        # Cheap checks first: the answer is the same in any order, only the time differs
        if "type" in node:
            checks.append(_type_check(node["type"]))
        if "const" in node:
            checks.append(self._const(node["const"]))
        if "enum" in node:
            checks.append(self._enum(node["enum"]))
        if "required" in node:
            checks.append(self._required(node["required"]))
        checks.extend(self._array_checks(node, resolver))
        checks.extend(self._number_checks(node))
        if "pattern" in node:
            search = re.compile(node["pattern"]).search
            checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
        if "properties" in node or "additionalProperties" in node:
            checks.append(self._object_check(node, resolver))
        if "$ref" in node:
            checks.append(self.predicate(*self._resolve(node["$ref"], resolver)))
        if "allOf" in node:
            checks.append(_every(self._subschemas(node["allOf"], resolver)))
        if "anyOf" in node:
            checks.append(_some(self._subschemas(node["anyOf"], resolver)))
        if "not" in node:
            negated = self.predicate(node["not"], resolver)
            checks.append(lambda v: not negated(v))
        if "if" in node:
            checks.append(self._conditional(node, resolver))
        if "unevaluatedProperties" in node:
            checks.append(self._unevaluated(node, resolver))
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]
        return _every(tuple(checks))

    def _subschemas(self, subschemas: Any, resolver: Any) -> tuple[Predicate, ...]:
        if not isinstance(subschemas, list) or not subschemas:
            raise Unsupported("allOf/anyOf must be a non-empty list")
        return tuple(self.predicate(sub, resolver) for sub in subschemas)

    def _const(self, expected: Any) -> Predicate:
        if isinstance(expected, str):
            return lambda v: isinstance(v, str) and v == expected
        equal = self._equal
        return lambda v: equal(v, expected)

    def _enum(self, options: Any) -> Predicate:
        if not isinstance(options, list):
            raise Unsupported("enum must be a list")
        if all(isinstance(option, str) for option in options):
            names = frozenset(options)
            return lambda v: isinstance(v, str) and v in names
        equal = self._equal
        return lambda v: any(equal(option, v) for option in options)

    @staticmethod
    def _required(keys: Any) -> Predicate:
        if not isinstance(keys, list):
            raise Unsupported("required must be a list")
        wanted = tuple(keys)
        return lambda v: not isinstance(v, dict) or all(key in v for key in wanted)

    def _array_checks(self, node: dict[str, Any], resolver: Any) -> list[Predicate]:
        checks: list[Predicate] = []
        if "minItems" in node:
            low = node["minItems"]
            checks.append(lambda v: not isinstance(v, list) or len(v) >= low)
        if "maxItems" in node:
            high = node["maxItems"]
            checks.append(lambda v: not isinstance(v, list) or len(v) <= high)
        prefix: tuple[Predicate, ...] = ()
        if "prefixItems" in node:
            prefix = self._subschemas(node["prefixItems"], resolver)
            checks.append(
                lambda v: (
                    not isinstance(v, list) or all(sub(item) for sub, item in zip(prefix, v, strict=False))
                )
            )
        if "items" in node:
            start = len(prefix)
            each = self.predicate(node["items"], resolver)
            if each is _never:
                checks.append(lambda v: not isinstance(v, list) or len(v) <= start)
            elif start:
                checks.append(lambda v: not isinstance(v, list) or all(each(item) for item in v[start:]))
            else:
                checks.append(lambda v: not isinstance(v, list) or all(each(item) for item in v))
        if "contains" in node:
            member = self.predicate(node["contains"], resolver)
            checks.append(lambda v: not isinstance(v, list) or any(member(item) for item in v))
        return checks

    @staticmethod
    def _number_checks(node: dict[str, Any]) -> list[Predicate]:
        checks: list[Predicate] = []
        if "minimum" in node:
            low = node["minimum"]
            checks.append(lambda v: not _is_number(v) or not v < low)
        if "maximum" in node:
            high = node["maximum"]
            checks.append(lambda v: not _is_number(v) or not v > high)
        if "multipleOf" in node:
            checks.append(_multiple_of(node["multipleOf"]))
        return checks

    def _object_check(self, node: dict[str, Any], resolver: Any) -> Predicate:
        properties = node.get("properties", {})
        if not isinstance(properties, dict):
            raise Unsupported("properties must be an object")
        compiled = {key: self.predicate(sub, resolver) for key, sub in properties.items()}
        extra: Predicate | None = None
        if "additionalProperties" in node:
            extra = self.predicate(node["additionalProperties"], resolver)

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for key, item in value.items():
                sub = compiled.get(key, extra)
                if sub is not None and not sub(item):
                    return False
            return True

        return check

    def _conditional(self, node: dict[str, Any], resolver: Any) -> Predicate:
        condition = self.predicate(node["if"], resolver)
        then = self.predicate(node["then"], resolver) if "then" in node else _always
        otherwise = self.predicate(node["else"], resolver) if "else" in node else _always
        return lambda v: then(v) if condition(v) else otherwise(v)

    def _unevaluated(self, node: dict[str, Any], resolver: Any) -> Predicate:
        rest = self.predicate(node["unevaluatedProperties"], resolver)
        evaluated = self.evaluated(node, resolver)

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            seen = evaluated(value)
            return all(rest(item) for key, item in value.items() if key not in seen)

        return check

    def _build_evaluated(self, node: dict[str, Any], resolver: Any) -> Evaluated:
        # Mirrors jsonschema's find_evaluated_property_keys_by_schema, keyword by keyword
        parts: list[Evaluated] = []
        if "$ref" in node:
            parts.append(self.evaluated(*self._resolve(node["$ref"], resolver)))
        properties = node.get("properties")
        if isinstance(properties, dict):
            listed = frozenset(properties)
            parts.append(lambda obj: listed & obj.keys())
        for key in ("additionalProperties", "unevaluatedProperties"):
            if key in node:
                parts.append(_accepted_keys(self.predicate(node[key], resolver)))
        for key in ("allOf", "anyOf"):
            for sub in node.get(key, ()):
                parts.append(_keys_if_valid(self.predicate(sub, resolver), self.evaluated(sub, resolver)))
        if "if" in node:
            condition = self.predicate(node["if"], resolver)
            if_keys = self.evaluated(node["if"], resolver)
            then_keys = self.evaluated(node["then"], resolver) if "then" in node else None
            else_keys = self.evaluated(node["else"], resolver) if "else" in node else None

            def conditional(obj: dict[str, Any]) -> Set[str]:
                if condition(obj):
                    found = set(if_keys(obj))
                    if then_keys is not None:
                        found |= then_keys(obj)
                    return found
                return set(else_keys(obj)) if else_keys is not None else set()

            parts.append(conditional)
        parts_tuple = tuple(parts)

        def union(obj: dict[str, Any]) -> set[str]:
            found: set[str] = set()
            for part in parts_tuple:
                found |= part(obj)
            return found

        return union


def _every(checks: tuple[Predicate, ...]) -> Predicate:
    def every(value: Any) -> bool:
        for check in checks:  # noqa: SIM110 - a loop costs less than all() over a generator, per call
            if not check(value):
                return False
        return True

    return every


def _some(checks: tuple[Predicate, ...]) -> Predicate:
    return lambda value: any(check(value) for check in checks)


def _accepted_keys(accepts: Predicate) -> Evaluated:
    return lambda obj: {key for key, item in obj.items() if accepts(item)}


def _keys_if_valid(valid: Predicate, keys: Evaluated) -> Evaluated:
    return lambda obj: keys(obj) if valid(obj) else set()


def compile_role(root: dict[str, Any], resolver: Any, equal: Callable[[Any, Any], bool]) -> Predicate | None:
    """A predicate giving `jsonschema`'s answer for *root*, or None if the schema is not one it can give.

    *resolver* is the `referencing` resolver *root* is read with; *equal* is `jsonschema`'s equality.
    """
    try:
        return _Compiler(equal).predicate(root, resolver)
    except Unsupported:
        return None
    except Exception:  # noqa: BLE001 - a schema we cannot read is left to jsonschema
        return None


class RolePredicates:
    """Compiled predicates by (flavour, role) of pikepdf's `SchemaSet`, each made when first asked for.

    None stands for a role whose schema cannot be compiled (its objects go to `jsonschema` alone).
    """

    def __init__(self, equal: Callable[[Any, Any], bool]) -> None:
        self._equal = equal
        self._made: dict[tuple[str, str], Predicate | None] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        """How many roles have a compiled predicate."""
        return sum(made is not None for made in list(self._made.values()))

    def get(self, schema_set: Any, role: str) -> Predicate | None:
        key = (str(schema_set.flavour), role)
        try:
            return self._made[key]
        except KeyError:
            pass
        with self._lock:
            if key not in self._made:
                self._made[key] = self._compile(schema_set, role)
            return self._made[key]

    def _compile(self, schema_set: Any, role: str) -> Predicate | None:
        try:
            root = {"$ref": schema_set._role_uri(role)}
            resolver = schema_set._registry.resolver()
        except Exception:  # noqa: BLE001 - not the SchemaSet this was written for
            return None
        return compile_role(root, resolver, self._equal)
