"""Tests of `validators.pdfa._schema_predicate`: its answer must be jsonschema's, instance by instance.

Three sources of instances, each compared with `Draft202012Validator.is_valid`:
- small schemas built around the places where JSON Schema's reading is easy to get wrong;
- every role of pikepdf's schemas in every flavour, with instances made from the schema's own
  property names and constants, then altered at random (fixed seed);
- the objects pikepdf really checks in generated PDF/A documents, and alterations of them.
"""

from __future__ import annotations

import copy
import io
import json
import random
from collections.abc import Iterator
from typing import Any

import pikepdf
import pytest
from jsonschema import Draft202012Validator
from jsonschema._utils import equal
from pikepdf.pdfa import _schemas
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.conftest import CORPUS
from validators.pdfa import _accel, validate_pdfa
from validators.pdfa._schema_predicate import RolePredicates, compile_role

FLAVOURS = ("1b", "2b", "3b")
URI = "https://example.invalid/s.json"

# Values of every JSON type, with the look-alikes jsonschema tells apart (True/1, 1/1.0, "1"/1)
POOL: list[Any] = [
    0,
    1,
    -1,
    2,
    90,
    180,
    1.0,
    0.5,
    -2.5,
    180.0,
    1e300,
    float("nan"),
    True,
    False,
    None,
    "",
    "1",
    "/Name",
    "/Type",
    "/Font",
    "u:text",
    "b:00ff",
    "12 0 R",
    [],
    [0],
    [1, 2, 3, 4],
    [0.0, 0, 612, 792],
    ["/X", 1],
    [[1, 2], 3],
    {},
    {"/Type": "/Font"},
    {"stream": {"dict": {}}},
    {"/S": "/JavaScript"},
]


def _pair(schema: dict[str, Any]) -> tuple[Any, Draft202012Validator]:
    """The compiled predicate and jsonschema's validator for *schema*, read as pikepdf reads a role."""
    registry = Registry().with_resource(
        URI, Resource.from_contents(schema, default_specification=DRAFT202012)
    )
    root = {"$ref": f"{URI}#/$defs/root"}
    predicate = compile_role(root, registry.resolver(), equal)
    assert predicate is not None
    return predicate, Draft202012Validator(root, registry=registry)


def _same(schema: dict[str, Any], instances: list[Any]) -> tuple[int, int]:
    predicate, validator = _pair(schema)
    valid = invalid = 0
    for instance in instances:
        try:
            expected = validator.is_valid(instance)
        except Exception:  # noqa: BLE001 - then the predicate must not say yes, so jsonschema is asked
            try:
                assert not predicate(instance), (schema, instance)
            except (ValueError, OverflowError, TypeError):
                pass
            continue
        assert predicate(instance) is expected, (schema, instance)
        valid += expected
        invalid += not expected
    return valid, invalid


CASES: list[tuple[str, dict[str, Any], list[Any]]] = [
    ("integer is no bool, 1.0 is one", {"type": "integer"}, [1, 1.0, 1.5, True, False, "1", None]),
    ("number is no bool", {"type": ["number", "null"]}, [0, 0.5, True, None, "0", float("nan")]),
    ("const tells True from 1", {"const": 1}, [1, 1.0, True, "1", [1]]),
    ("const true", {"const": True}, [True, 1, 1.0, False, "true"]),
    ("const list", {"const": [1, "/A"]}, [[1, "/A"], [True, "/A"], [1.0, "/A"], [1], (1, "/A")]),
    ("enum of names", {"enum": ["/A", "/B"]}, ["/A", "/C", 1, None, ["/A"]]),
    ("enum mixed", {"enum": [0, False, "/A"]}, [0, 0.0, False, True, 1, "/A", None]),
    (
        "items after prefixItems",
        {"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "number"}},
        [["a"], ["a", 1, 2], ["a", "b"], [1], [], "a"],
    ),
    ("items false", {"prefixItems": [{}, {}], "items": False}, [[1], [1, 2], [1, 2, 3], "x"]),
    ("min and max items", {"minItems": 2, "maxItems": 3}, [[1], [1, 2], [1, 2, 3, 4], "abcd", {}]),
    ("contains", {"contains": {"const": "/JPXDecode"}}, [[], ["/JPXDecode"], ["/X"], "/JPXDecode"]),
    (
        "not contains",
        {"not": {"anyOf": [{"const": "/J"}, {"type": "array", "contains": {"const": "/J"}}]}},
        ["/J", ["/A", "/J"], ["/A"], "/A", None],
    ),
    ("minimum and maximum", {"minimum": 0, "maximum": 10}, [0, -1, 10, 10.5, True, "5", float("nan")]),
    ("multipleOf int", {"type": "integer", "multipleOf": 90}, [0, 90, 180.0, 45, -270, 1e300, True]),
    ("multipleOf float", {"multipleOf": 0.5}, [1, 1.5, 1.25, 1e308, True, "x"]),
    ("pattern searches", {"pattern": "^b:"}, ["b:00", "xb:00", 7, None]),
    ("pattern unanchored", {"pattern": "[0-9]"}, ["a1", "abc", ""]),
    ("required", {"required": ["/Type", "/S"]}, [{"/Type": 1, "/S": 2}, {"/Type": 1}, [], "x"]),
    (
        "properties and closed",
        {"properties": {"/A": {"type": "integer"}}, "additionalProperties": False},
        [{}, {"/A": 1}, {"/A": "x"}, {"/B": 1}, {"/A": 1, "/B": 2}, [1]],
    ),
    (
        "additionalProperties schema",
        {"properties": {"/A": {}}, "additionalProperties": {"type": "string"}},
        [{"/A": 1, "/B": "x"}, {"/B": 2}, {}],
    ),
    (
        "if without then or else",
        {"if": {"required": ["/A"]}},
        [{}, {"/A": 1}, 3],
    ),
    (
        "then without if is ignored",
        {"then": False, "else": False},
        [{}, 1, None],
    ),
    (
        "if then else",
        {
            "if": {"required": ["/S"], "properties": {"/S": {"const": "/Named"}}},
            "then": {"required": ["/N"]},
            "else": {"not": {"required": ["/N"]}},
        },
        [{"/S": "/Named", "/N": 1}, {"/S": "/Named"}, {"/S": "/GoTo", "/N": 1}, {"/S": "/GoTo"}, {}],
    ),
    (
        "allOf and anyOf",
        {"allOf": [{"type": "object"}, {"anyOf": [{"required": ["/A"]}, {"required": ["/B"]}]}]},
        [{"/A": 1}, {"/B": 1}, {}, []],
    ),
    ("not empty: never", {"not": {}}, [None, 1, {}, []]),
    ("boolean schemas", {"properties": {"/A": True, "/B": False}}, [{"/A": 1}, {"/B": 1}, {}]),
]


@pytest.mark.parametrize("name,schema,instances", CASES, ids=[c[0] for c in CASES])
def test_keyword_reads_as_jsonschema_reads_it(
    name: str, schema: dict[str, Any], instances: list[Any]
) -> None:
    _same({"$defs": {"root": schema}}, instances + POOL)


def test_unevaluated_properties_count_what_jsonschema_counts() -> None:
    schema = {
        "$defs": {
            "common": {"properties": {"/Type": {"const": "/Annot"}, "/Rect": {"type": "array"}}},
            "flagged": {"properties": {"/F": {"type": "integer"}}, "required": ["/F"]},
            "either": {"anyOf": [{"properties": {"/X": {}}, "required": ["/X"]}, {"properties": {"/Y": {}}}]},
            "root": {
                "type": "object",
                "allOf": [{"$ref": "#/$defs/common"}, {"$ref": "#/$defs/either"}],
                "anyOf": [
                    {"$ref": "#/$defs/flagged"},
                    {"properties": {"/G": {}}},
                    {"properties": {"/Own": {}}, "additionalProperties": {"type": "integer"}},
                ],
                "if": {"properties": {"/C": {"const": 1}}, "required": ["/C"]},
                "then": {"properties": {"/D": {}}},
                "else": {"properties": {"/E": {}}},
                "properties": {"/Own": {}},
                "unevaluatedProperties": False,
            },
        }
    }
    rng = random.Random(5)
    keys = ["/Type", "/Rect", "/F", "/X", "/Y", "/G", "/C", "/D", "/E", "/Own", "/Zzz"]
    values: list[Any] = ["/Annot", [0, 0, 1, 1], 4, 1, "x", None, True]
    instances = [
        {key: rng.choice(values) for key in rng.sample(keys, rng.randint(0, len(keys)))} for _ in range(3000)
    ]
    valid, invalid = _same(schema, instances)
    assert valid > 100 and invalid > 100


def test_a_schema_that_refers_to_itself() -> None:
    schema = {
        "$defs": {
            "root": {
                "type": "object",
                "properties": {
                    "/Kids": {"type": "array", "items": {"$ref": "#/$defs/root"}},
                    "/N": {"type": "integer"},
                },
                "additionalProperties": False,
            }
        }
    }
    deep: dict[str, Any] = {"/N": 1}
    for _ in range(20):
        deep = {"/Kids": [deep, {"/N": 2}]}
    _same(schema, [deep, {"/Kids": [{"/N": "x"}]}, {"/Kids": [{"/Kids": [{"/M": 1}]}]}, {"/Kids": []}])


@pytest.mark.parametrize(
    "schema",
    [
        {"oneOf": [{}, {}]},
        {"patternProperties": {"^/": {}}},
        {"uniqueItems": True},
        {"type": "widget"},
        {"minLength": 1},
        {"$dynamicRef": "#x"},
        {"contains": {}, "minContains": 2},
        {"$schema": "http://json-schema.org/draft-04/schema#", "type": "integer"},
        {"$id": "https://example.invalid/inner.json", "$defs": {"x": {}}, "$ref": "#/$defs/x"},
    ],
)
def test_keywords_it_does_not_reproduce_leave_the_schema_to_jsonschema(schema: dict[str, Any]) -> None:
    registry = Registry().with_resource(
        URI,
        Resource.from_contents(
            {"$defs": {"root": {"allOf": [{"type": "object"}, schema]}}}, default_specification=DRAFT202012
        ),
    )
    assert compile_role({"$ref": f"{URI}#/$defs/root"}, registry.resolver(), equal) is None


# -- pikepdf's own role schemas -----------------------------------------------------------------


def _names_and_constants(node: Any, out: tuple[set[str], list[Any]], depth: int = 0) -> None:
    """Every property name and every const/enum value anywhere in a schema document."""
    names, constants = out
    if depth > 40:
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if key.startswith("x-") or key == "$comment":
                continue
            if key in ("properties", "$defs") and isinstance(value, dict):
                if key == "properties":
                    names.update(value)
                for sub in value.values():
                    _names_and_constants(sub, out, depth + 1)
            elif key == "const":
                constants.append(value)
            elif key == "enum" and isinstance(value, list):
                constants.extend(value)
            elif key == "required" and isinstance(value, list):
                names.update(value)
            else:
                _names_and_constants(value, out, depth + 1)
    elif isinstance(node, list):
        for item in node:
            _names_and_constants(item, out, depth + 1)


def _role_instances(
    names: list[str], constants: list[Any], rng: random.Random, count: int
) -> Iterator[dict[str, Any]]:
    values = constants + POOL
    for _ in range(count):
        chosen = rng.sample(names, min(len(names), rng.randint(0, 6)))
        yield {name: rng.choice(values) for name in chosen}


def _altered(instance: Any, rng: random.Random) -> Iterator[Any]:
    """*instance*, then copies with one key dropped, one value replaced, or a key added."""
    yield instance
    if isinstance(instance, dict):
        for key in list(instance):
            dropped = dict(instance)
            del dropped[key]
            yield dropped
            for value in rng.sample(POOL, 4):
                yield {**instance, key: value}
            if isinstance(instance[key], dict | list):
                for inner in list(_altered(instance[key], rng))[1:4]:
                    yield {**instance, key: inner}
        yield {**instance, "/Zzz": 1}
    elif isinstance(instance, list):
        for index in range(min(len(instance), 4)):
            for value in rng.sample(POOL, 3):
                changed = list(instance)
                changed[index] = value
                yield changed
        yield instance[:-1]
        yield [*instance, instance[-1] if instance else 0]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_role_compiles_and_answers_as_jsonschema(flavour: str) -> None:
    schema_set = _schemas.SchemaSet.for_flavour(flavour)
    predicates = RolePredicates(equal)
    found: tuple[set[str], list[Any]] = (set(), [])
    for defs in schema_set._defs.values():
        _names_and_constants(defs, found)
    names, constants = sorted(found[0]), found[1]
    rng = random.Random(flavour)
    roles = sorted(schema_set.roles())
    valid_roles = 0
    checked = 0
    for role in roles:
        predicate = predicates.get(schema_set, role)
        assert predicate is not None, role
        validator = schema_set._validator(role)
        role_names = sorted(
            {n for n in names if rng.random() < 0.15} | set(_names_and_constants_of_role(schema_set, role))
        )
        any_valid = False
        for instance in _role_instances(role_names, constants, rng, 60):
            for candidate in _altered(instance, rng):
                expected = validator.is_valid(candidate)
                assert predicate(candidate) is expected, (role, candidate)
                any_valid |= expected
                checked += 1
        valid_roles += any_valid
    assert checked > 10_000
    # Many roles were met with instances that satisfy them, so both answers were compared (the
    # objects of real documents below, and the corpus test, reach the rest)
    assert valid_roles >= 20


def _names_and_constants_of_role(schema_set: Any, role: str) -> set[str]:
    """The property names of a role's own schema nodes (pikepdf follows its ``$ref`` and ``allOf``)."""
    found: tuple[set[str], list[Any]] = (set(), [])
    for node in schema_set._nodes(role):
        _names_and_constants(node, found)
    return found[0]


def _checked_objects(data: bytes, flavour: str) -> list[tuple[Any, str, Any]]:
    """(schema set, role, shallow encoding) of every object pikepdf checks in *data*."""
    seen: dict[tuple[str, str], tuple[Any, str, Any]] = {}
    original = _schemas.SchemaSet.check

    def recording(self: Any, role: str, shallow: Any, ctx: Any, where: str) -> bool:
        seen.setdefault((role, json.dumps(shallow)), (self, role, copy.deepcopy(shallow)))
        return original(self, role, shallow, ctx, where)

    _schemas.SchemaSet.check = recording  # type: ignore[method-assign]
    try:
        pikepdf.pdfa.validate_written(io.BytesIO(data), flavour)
    finally:
        _schemas.SchemaSet.check = original  # type: ignore[method-assign]
    return list(seen.values())


@pytest.mark.parametrize("fixture,flavour", [("pdfa1b", "1b"), ("pdfa2b", "2b"), ("pdfa2b", "3b")])
def test_objects_of_real_documents_and_their_alterations(
    fixture: str, flavour: str, request: pytest.FixtureRequest
) -> None:
    objects = _checked_objects(request.getfixturevalue(fixture), flavour)
    assert len(objects) > 10
    predicates = RolePredicates(equal)
    rng = random.Random(fixture + flavour)
    answers = {True: 0, False: 0}
    for schema_set, role, shallow in objects:
        predicate = predicates.get(schema_set, role)
        assert predicate is not None, role
        validator = schema_set._validator(role)
        assert predicate(shallow) is validator.is_valid(shallow)
        for candidate in _altered(shallow, rng):
            expected = validator.is_valid(candidate)
            assert predicate(candidate) is expected, (role, candidate)
            answers[expected] += 1
    assert answers[True] > 20 and answers[False] > 100


@pytest.mark.corpus
def test_objects_of_the_conformance_corpus_and_their_alterations() -> None:
    folders = {"1b": "PDF_A-1b", "2b": "PDF_A-2b", "2u": "PDF_A-2b", "3b": "PDF_A-3b"}
    predicates = RolePredicates(equal)
    rng = random.Random(19005)
    answers = {True: 0, False: 0}
    roles: set[str] = set()
    for flavour, folder in folders.items():
        files = sorted((CORPUS / "pdfa" / folder).rglob("*.pdf"))[:: 4 if flavour != "3b" else 1]
        for path in files:
            for schema_set, role, shallow in _checked_objects(
                path.read_bytes(), flavour if flavour != "2u" else "2b"
            ):
                predicate = predicates.get(schema_set, role)
                assert predicate is not None, role
                validator = schema_set._validator(role)
                roles.add(role)
                for candidate in _altered(shallow, rng):
                    expected = validator.is_valid(candidate)
                    assert predicate(candidate) is expected, (path.name, role, candidate)
                    answers[expected] += 1
    assert len(roles) > 40
    assert answers[True] > 5000 and answers[False] > 5000


def test_installed_and_in_use(pdfa2b: bytes, tmp_path: Any) -> None:
    assert _accel.role_predicates is not None
    path = tmp_path / "ok.pdf"
    path.write_bytes(pdfa2b)
    _accel.schema_errors.clear()
    assert validate_pdfa(path, "2b").passed
    schema_set = _schemas.SchemaSet.for_flavour("2b")
    assert _accel.role_predicates.get(schema_set, "Catalog") is not None
    # Objects the predicates accept are not encoded for the findings cache: a valid file leaves
    # no more than the few objects with findings (the first check's, settled later) in it
    assert _accel.schema_errors.misses < len(_checked_objects(pdfa2b, "2b"))


def test_another_jsonschema_gets_no_predicates(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _accel._role_predicates(_schemas) is not None
    changed = dict(_accel._JSONSCHEMA_SOURCES, **{"jsonschema._keywords": "0" * 64})
    monkeypatch.setattr(_accel, "_JSONSCHEMA_SOURCES", changed)
    assert _accel._role_predicates(_schemas) is None
