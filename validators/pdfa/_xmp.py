"""XMP properties of the document metadata: predefined or declared, and of the right value type.

ISO 19005-1 6.7.8/6.7.9 and ISO 19005-2/3 6.6.2.3 admit a property in the document's XMP packet if a
predefined schema (`validators.pdfa._xmp_schemas`) holds it, or if the packet declares it through a PDF/A
extension schema (``pdfaExtension:schemas``, a Bag of ``pdfaSchema`` structures listing
``pdfaProperty`` and ``pdfaType`` descriptions); in both cases its value must have the declared type. The
extension schemas must themselves follow the extension schema description schema.

`pikepdf.pdfa` knows only the commonest predefined properties and no extension schemas, so it rejects
many valid packets. This module checks every top-level property the same way veraPDF's rules read them,
so that `validators.pdfa` can replace pikepdf's verdict on exactly those rules.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cache

from lxml import etree

from validators.pdfa import _xmp_schemas as S

log = logging.getLogger(__name__)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_RDF_ABOUT = f"{{{RDF}}}about"
_RDF_RESOURCE = f"{{{RDF}}}resource"
_RDF_PARSETYPE = f"{{{RDF}}}parseType"
_RDF_VALUE = (RDF, "value")
_ARRAYS = {f"{{{RDF}}}Bag": "Bag", f"{{{RDF}}}Seq": "Seq", f"{{{RDF}}}Alt": "Alt"}
_CLARK = re.compile(r"^\{([^}]*)\}(.*)$")
_CHOICE = re.compile(r"(?:open |closed )?(?:choice |choice$)(?:of )?")
_ARRAY_OF = re.compile(r"^(bag|seq|alt)\s+(.+)$")

# Rule ids by topic: (ISO 19005-1 clause-test, ISO 19005-2/3 clause-test)
RULES = {
    "undeclared": ("6.7.9-2", "6.6.2.3.1-1"),
    "type": ("6.7.9-3", "6.6.2.3.1-2"),
    "undefined-field": ("6.7.8-1", "6.6.2.3.2-1"),
    "container": ("6.7.8-2", "6.6.2.3.3-1"),
    "schema.schema": ("6.7.8-3", "6.6.2.3.3-2"),
    "schema.namespaceURI": ("6.7.8-4", "6.6.2.3.3-3"),
    "schema.prefix": ("6.7.8-5", "6.6.2.3.3-4"),
    "schema.property": ("6.7.8-6", "6.6.2.3.3-5"),
    "schema.valueType": ("6.7.8-7", "6.6.2.3.3-6"),
    "property.name": ("6.7.8-8", "6.6.2.3.3-7"),
    "property.valueType": ("6.7.8-9", "6.6.2.3.3-8"),
    "property.category": ("6.7.8-10", "6.6.2.3.3-9"),
    "property.description": ("6.7.8-11", "6.6.2.3.3-10"),
    "type.type": ("6.7.8-12", "6.6.2.3.3-11"),
    "type.namespaceURI": ("6.7.8-13", "6.6.2.3.3-12"),
    "type.prefix": ("6.7.8-14", "6.6.2.3.3-13"),
    "type.description": ("6.7.8-15", "6.6.2.3.3-14"),
    "type.field": ("6.7.8-16", "6.6.2.3.3-15"),
    "field.name": ("6.7.8-17", "6.6.2.3.3-16"),
    "field.valueType": ("6.7.8-18", "6.6.2.3.3-17"),
    "field.description": ("6.7.8-19", "6.6.2.3.3-18"),
    "conformance": ("6.7.11-3", "6.6.4-3"),
}

# The fields of each structure of the extension schema description schema: (namespace, prefix, required
# fields, optional array fields)
_EXT_STRUCTS = {
    "schema": (S.PDFA_SCHEMA, "pdfaSchema", ("schema", "namespaceURI", "prefix"), ("property", "valueType")),
    "property": (S.PDFA_PROPERTY, "pdfaProperty", ("name", "valueType", "category", "description"), ()),
    "type": (S.PDFA_TYPE, "pdfaType", ("type", "namespaceURI", "prefix", "description"), ("field",)),
    "field": (S.PDFA_FIELD, "pdfaField", ("name", "valueType", "description"), ()),
}


# Value types by simplified name: structure types as (namespace of their fields, field -> type); a
# declared type without fields is Text
Types = dict[str, tuple[str, dict[str, str]]]

# The value types veraPDF knows in a schema that declares no properties: the simple ones, without
# Locale and GPSCoordinate, and no structures
_BASIC_TYPES = frozenset(S.SIMPLE_TYPES) - {"locale", "gpscoordinate"}


@dataclass(slots=True)
class Node:
    """An XMP value as RDF/XML states it.

    Attributes:
        form: ``simple``, ``Bag``, ``Seq``, ``Alt``, ``struct``, or ``invalid`` for RDF that XMP does
            not allow (which never has the right type).
        text: The text of a simple value.
        items: The items of an array.
        fields: The fields of a structure: (namespace, name, prefix, value).
        lang: The ``xml:lang`` qualifier, if any.
    """

    form: str
    text: str = ""
    items: list[Node] = field(default_factory=list)
    fields: list[tuple[str, str, str | None, Node]] = field(default_factory=list)
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class XmpProblem:
    """A breach of an XMP rule: ``clause`` is the clause-test number in the flavour's part."""

    clause: str
    where: str
    message: str


@dataclass(frozen=True, slots=True)
class XmpVerdict:
    """What the XMP checks found.

    Attributes:
        parsed: False if the packet is not XML this module can read; then nothing was checked and
            pikepdf's findings on these rules stand.
        problems: Every breach found.
        part: ``pdfaid:part`` as written, or None.
        conformance: ``pdfaid:conformance`` as written, or None.
        declared: Properties the packet's extension schemas declare: namespace -> name -> type.
        types: For each namespace an extension schema declares properties of, the value types those
            properties may use: the predefined ones and those its schema declares.
        every_description_about: True if every top-level rdf:Description has an rdf:about.
    """

    parsed: bool
    problems: tuple[XmpProblem, ...] = ()
    part: str | None = None
    conformance: str | None = None
    declared: dict[str, dict[str, str]] = field(default_factory=dict)
    types: dict[str, Types] = field(default_factory=dict)
    every_description_about: bool = True


def _split(tag: str) -> tuple[str, str]:
    m = _CLARK.match(tag)
    return (m.group(1), m.group(2)) if m else ("", tag)


def _elements(node: etree._Element) -> list[etree._Element]:
    return [c for c in node if isinstance(c.tag, str)]


def _prefix_of(elem: etree._Element, uri: str) -> str | None:
    for prefix, ns in elem.nsmap.items():
        if ns == uri:
            return prefix
    return None


def _struct(elem: etree._Element, children: list[etree._Element], lang: str | None) -> Node:
    """A structure from a property element's attributes and child elements; an rdf:value makes it a
    qualified simple value, whose qualifiers XMP lets a reader ignore."""
    node = Node("struct", lang=lang)
    for key, text in elem.attrib.items():
        uri, name = _split(str(key))
        if uri in (RDF, "http://www.w3.org/XML/1998/namespace") or not uri:
            continue
        node.fields.append((uri, name, _prefix_of(elem, uri), Node("simple", text=str(text))))
    for child in children:
        uri, name = _split(child.tag)
        if (uri, name) == _RDF_VALUE:
            value = parse_value(child)
            value.lang = value.lang or lang
            return value
        if uri == RDF:
            return Node("invalid")
        node.fields.append((uri, name, child.prefix, parse_value(child)))
    return node


def parse_value(elem: etree._Element) -> Node:
    """Read the value of a property (or field, or array item) element."""
    attrib = elem.attrib
    lang = attrib.get(XML_LANG)
    children = _elements(elem)
    if _RDF_RESOURCE in attrib:
        return Node("simple", text=str(attrib[_RDF_RESOURCE]), lang=lang) if not children else Node("invalid")
    parse_type = attrib.get(_RDF_PARSETYPE)
    if parse_type is not None:
        if parse_type != "Resource":
            return Node("invalid")
        return _struct(elem, children, lang)
    qualifiers = [k for k in attrib if not str(k).startswith(f"{{{RDF}}}") and k != XML_LANG]
    if children:
        if len(children) != 1 or qualifiers or (elem.text or "").strip():
            return Node("invalid")
        child = children[0]
        kind = _ARRAYS.get(child.tag)
        if kind is not None:
            if child.attrib:
                return Node("invalid")  # XMP gives an array no attributes (and no qualifiers)
            items = []
            for li in _elements(child):
                if li.tag != f"{{{RDF}}}li":
                    return Node("invalid")
                items.append(parse_value(li))
            return Node(kind, items=items, lang=lang)
        if child.tag == f"{{{RDF}}}Description":
            return _struct(child, _elements(child), lang)
        return Node("invalid")
    if qualifiers:
        if (elem.text or "").strip():
            return Node("invalid")
        return _struct(elem, [], lang)
    return Node("simple", text=elem.text or "", lang=lang)


_ARRAY_FORMS = ("Bag", "Seq", "Alt")


def _array_items(node: Node | None) -> list[Node]:
    """The items of an array (of any kind; a wrong kind is reported on its own), or none."""
    return node.items if node is not None and node.form in _ARRAY_FORMS else []


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    # ASCII: veraPDF's expressions are Java ones, whose \d and \w are ASCII only
    return re.compile(pattern, re.ASCII)


def simplified_type(value_type: str) -> str:
    """A value type as veraPDF compares it: lower case, single-spaced, without "closed choice of" and the
    like, and an array with no item type an array of Text."""
    t = _CHOICE.sub("", " ".join(value_type.split()).lower()).strip()
    if not t:
        return "text"
    if not t.endswith("lang alt") and t.endswith(("bag", "seq", "alt")):
        return f"{t} text"
    return t


class _Checker:
    def __init__(self, part: int, main: XmpVerdict | None = None):
        self.part = part
        self.properties = S.PROPERTIES_1 if part == 1 else S.PROPERTIES_2
        self.predefined: Types = dict(S.STRUCTS_1 if part == 1 else S.STRUCTS_2)
        # What this packet declares, and (for a packet other than the catalog's) what the catalog's does
        self.declared: dict[str, dict[str, str]] = {}
        self.types: dict[str, Types] = {}
        self.main_declared = main.declared if main is not None else {}
        self.main_types = main.types if main is not None else {}
        self.problems: list[XmpProblem] = []

    def rule(self, topic: str) -> str:
        part1, part23 = RULES[topic]
        return part1 if self.part == 1 else part23

    def report(self, topic: str, where: str, message: str) -> None:
        log.debug("XMP %s at %s: %s", topic, where, message)
        self.problems.append(XmpProblem(self.rule(topic), where, message))

    # -- value types -------------------------------------------------------------------------------

    @staticmethod
    def type_defined(value_type: str, types: Types | None) -> bool:
        """Whether *value_type* is known where *types* are (None: where only the basic types are)."""
        t = simplified_type(value_type)
        while (array := _ARRAY_OF.match(t)) is not None:
            t = array.group(2)
        if types is None:
            return t == "lang alt" or t in _BASIC_TYPES
        return t == "lang alt" or t in S.SIMPLE_TYPES or t in types

    def type_problem(self, node: Node, value_type: str, types: Types) -> str | None:
        """Return why *node* is not a value of *value_type* (one of *types*), or None if it is."""
        if node.form == "invalid":
            return "is not a valid XMP value"
        raw = value_type.strip()
        t = simplified_type(raw)
        if t == "any":
            return None
        if t == "lang alt":
            # An Alt is language alternatives if any item has an xml:lang (XMP marks the array so
            # when it reads it); an empty Alt is one too
            if node.form != "Alt" or (node.items and not any(i.lang for i in node.items)):
                return "is not a Lang Alt"
            return None
        m = _ARRAY_OF.match(t)
        if m:
            kind = m.group(1).capitalize()
            if node.form != kind:
                return f"is not a {kind}"
            for item in node.items:
                why = self.type_problem(item, m.group(2), types)
                if why is not None:
                    return f"has an item that {why}"
            return None
        if t in S.SIMPLE_TYPES:
            if node.form != "simple":
                return f"is not a simple {raw} value"
            pattern = S.SIMPLE_TYPES[t]
            if t == "gpscoordinate":
                pattern = S.GPS_COORDINATE[1 if self.part == 1 else 2]
            if pattern is not None and not _compiled(pattern).fullmatch(node.text):
                return f"{node.text!r} is not a valid {raw}"
            return None
        struct = types.get(t)
        if struct is None:
            return f"has value type {raw!r}, which is not defined"
        if not struct[1]:
            return None if node.form == "simple" else f"is not a simple {raw} value"
        if node.form != "struct":
            return f"is not a {raw} structure"
        ns, fields = struct
        for uri, name, _prefix, value in node.fields:
            if uri != ns or name not in fields:
                return f"has field {name!r} ({uri}), which a {raw} does not have"
            why = self.type_problem(value, fields[name], types)
            if why is not None:
                return f"field {name} {why}"
        return None

    # -- extension schemas -------------------------------------------------------------------------

    def ext_struct(self, node: Node, kind: str, where: str) -> dict[str, Node]:
        """Check one structure of the extension schema description schema; return its fields."""
        ns, prefix, required, arrays = _EXT_STRUCTS[kind]
        allowed = set(required) | set(arrays)
        found: dict[str, Node] = {}
        if node.form != "struct":
            self.report("undefined-field", where, f"a pdfa{kind.capitalize()} entry is not a structure")
            return found
        for uri, name, pfx, value in node.fields:
            if uri != ns or name not in allowed:
                self.report(
                    "undefined-field",
                    where,
                    f"{pfx or uri}:{name} is not a field of the PDF/A {kind} value type",
                )
                continue
            found[name] = value
            if pfx != prefix:
                self.report(f"{kind}.{name}", where, f"field {name} uses prefix {pfx!r}, not {prefix!r}")
        for name in required:
            text = found.get(name)
            if text is None:
                self.report(f"{kind}.{name}", where, f"{prefix}:{name} is missing")
            elif text.form != "simple":
                self.report(f"{kind}.{name}", where, f"{prefix}:{name} is not Text")
        for name in arrays:
            seq = found.get(name)
            if seq is not None and (seq.form != "Seq" or any(i.form != "struct" for i in seq.items)):
                self.report(f"{kind}.{name}", where, f"{prefix}:{name} is not a Seq of structures")
        return found

    def read_extensions(self, container: Node, prefix: str | None) -> None:
        """Check the extension schemas and record what they declare, as veraPDF reads them.

        Each schema with a namespace and a property array declares value types for its own properties
        only: those properties may use the predefined types, the types the same schema declares (and,
        in a packet other than the catalog's, the types the catalog's schema of that namespace
        declares), and no others. A property whose type is not known there is not declared. A later
        schema of the same namespace replaces an earlier one. A schema that declares no properties
        has only the basic simple types for its fields.
        """
        where = "XMP pdfaExtension:schemas"
        if container.form != "Bag" or prefix != "pdfaExtension":
            self.report(
                "container",
                where,
                "the extension schema container must be a Bag with prefix pdfaExtension "
                f"(found a {container.form} with prefix {prefix!r})",
            )
        schemas = container.items if container.form in _ARRAY_FORMS else []
        # (namespace, where, property descriptions, field descriptions) of each schema
        read: list[
            tuple[str | None, list[tuple[str, dict[str, Node]]], list[tuple[str, dict[str, Node]]]]
        ] = []
        for i, schema_node in enumerate(schemas, start=1):
            swhere = f"{where} schema {i}"
            fields = self.ext_struct(schema_node, "schema", swhere)
            ns_node = fields.get("namespaceURI")
            ns = ns_node.text.strip() if ns_node is not None and ns_node.form == "simple" else None
            own: Types = {}
            field_checks: list[tuple[str, dict[str, Node]]] = []
            for j, type_node in enumerate(_array_items(fields.get("valueType")), 1):
                twhere = f"{swhere} valueType {j}"
                tfields = self.ext_struct(type_node, "type", twhere)
                name, tns = tfields.get("type"), tfields.get("namespaceURI")
                declared: dict[str, str] = {}
                for k, field_node in enumerate(_array_items(tfields.get("field")), 1):
                    fwhere = f"{twhere} field {k}"
                    ffields = self.ext_struct(field_node, "field", fwhere)
                    fname, ftype = ffields.get("name"), ffields.get("valueType")
                    if fname is not None and ftype is not None and fname.form == ftype.form == "simple":
                        declared[fname.text.strip()] = ftype.text.strip()
                    field_checks.append((fwhere, ffields))
                if name is None or name.form != "simple":
                    continue
                if not declared:
                    own[simplified_type(name.text)] = ("", {})  # a type without fields is Text
                elif tns is not None and tns.form == "simple":
                    own[simplified_type(name.text)] = (tns.text.strip(), declared)
            property_checks = [
                (f"{swhere} property {j}", self.ext_struct(prop_node, "property", f"{swhere} property {j}"))
                for j, prop_node in enumerate(_array_items(fields.get("property")), 1)
            ]
            read.append((ns, property_checks, field_checks))
            prop_array = fields.get("property")
            if ns is None or prop_array is None or prop_array.form not in _ARRAY_FORMS:
                continue
            types = {**self.main_types.get(ns, self.predefined), **own}
            props: dict[str, str] = {}
            for _pwhere, pfields in property_checks:
                pname, ptype = pfields.get("name"), pfields.get("valueType")
                if pname is None or ptype is None or pname.form != "simple" or ptype.form != "simple":
                    continue
                if self.type_defined(ptype.text, types):
                    props.setdefault(pname.text.strip(), ptype.text.strip())
            self.types[ns] = types
            self.declared[ns] = props
        for ns, property_checks, field_checks in read:
            known = self.types.get(ns) if ns is not None else None
            for pwhere, pfields in property_checks:
                ptype = pfields.get("valueType")
                if ptype is not None and ptype.form == "simple" and not self.type_defined(ptype.text, known):
                    self.report("property.valueType", pwhere, f"value type {ptype.text!r} is not defined")
                category = pfields.get("category")
                if (
                    category is not None
                    and category.form == "simple"
                    and category.text not in ("internal", "external")
                ):
                    self.report(
                        "property.category", pwhere, f"category {category.text!r} is not internal or external"
                    )
            for fwhere, ffields in field_checks:
                ftype = ffields.get("valueType")
                if ftype is not None and ftype.form == "simple" and not self.type_defined(ftype.text, known):
                    self.report("field.valueType", fwhere, f"value type {ftype.text!r} is not defined")

    # -- the packet --------------------------------------------------------------------------------

    def lookup(self, uri: str, name: str) -> tuple[str, Types] | None:
        """The type of property *name* of namespace *uri* and the types it may use, or None if it is
        neither declared nor predefined. A declaration comes first, even of a predefined property:
        this packet's, then (for a packet other than the catalog's) the catalog's."""
        for declared, types in ((self.declared, self.types), (self.main_declared, self.main_types)):
            value_type = declared.get(uri, {}).get(name)
            if value_type is not None:
                return value_type, types[uri]
        value_type = self.properties.get(uri, {}).get(name)
        return (value_type, self.predefined) if value_type is not None else None

    def check(self, props: list[tuple[str, str, str | None, Node]]) -> None:
        for uri, name, prefix, node in props:
            if (uri, name) == (S.PDFA_EXTENSION, "schemas"):
                self.read_extensions(node, prefix)
        for uri, name, prefix, node in props:
            label = f"{prefix or uri}:{name}"
            if uri == S.PDFA_EXTENSION and name == "schemas":
                continue
            found = self.lookup(uri, name)
            if found is None:
                self.report(
                    "undeclared",
                    f"XMP {label}",
                    f"XMP property {label} is neither predefined nor declared by an extension schema",
                )
                continue
            value_type, types = found
            why = self.type_problem(node, value_type, types)
            if why is not None:
                self.report("type", f"XMP {label}", f"XMP property {label} {why} (expected {value_type})")


def _find_rdf(root: etree._Element) -> etree._Element | None:
    if root.tag == f"{{{RDF}}}RDF":
        return root
    for elem in root.iter(f"{{{RDF}}}RDF"):
        return elem
    return None


def top_level_properties(rdf: etree._Element) -> list[tuple[str, str, str | None, Node]]:
    """Every property of every top-level rdf:Description, as (namespace, name, prefix, value)."""
    props: list[tuple[str, str, str | None, Node]] = []
    for desc in _elements(rdf):
        if desc.tag != f"{{{RDF}}}Description":
            continue
        for key, text in desc.attrib.items():
            uri, name = _split(str(key))
            if uri in (RDF, "http://www.w3.org/XML/1998/namespace") or not uri:
                continue
            props.append((uri, name, _prefix_of(desc, uri), Node("simple", text=str(text))))
        for child in _elements(desc):
            uri, name = _split(child.tag)
            if uri == RDF:
                continue
            props.append((uri, name, child.prefix, parse_value(child)))
    return props


# The byte patterns an XMP packet may start with, and the encoding each implies (XMP Specification,
# packet wrapper: the first character is "<" or a byte order mark)
_ENCODINGS = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)
_XML_DECL_ENCODING = re.compile(r"^(<\?xml[^>]*?)\s+encoding\s*=\s*(['\"])[^'\"]*\2")


def reencode_packet(raw: bytes) -> bytes | None:
    """Return a UTF-16 or UTF-32 XMP packet as UTF-8, or None if it is not cleanly one of those.

    The packet must decode without error in the encoding its first bytes imply, start with the
    packet header (after an optional byte order mark), and its ``begin`` attribute must be the byte
    order mark in that same encoding, so that a packet whose parts disagree about their encoding is
    not repaired into a valid one.
    """
    encoding = next((enc for prefix, enc in _ENCODINGS if raw.startswith(prefix)), None)
    if encoding is None:
        return None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    text = text.removeprefix("\ufeff")
    header = re.match(r"<\?xpacket\s+begin\s*=\s*(['\"])(.*?)\1", text)
    if header is None or header.group(2) != "\ufeff":
        return None
    text = _XML_DECL_ENCODING.sub(r"\1", text)
    return text.encode("utf-8")


def check_xmp(raw: bytes, part: int, conformances: frozenset[str]) -> XmpVerdict:
    """Check the properties of an XMP packet against ISO 19005 part *part*.

    Args:
        raw: The packet as stored in the catalog's metadata stream.
        part: The ISO 19005 part (1, 2 or 3).
        conformances: The ``pdfaid:conformance`` values the flavour accepts.

    Returns:
        The verdict; ``parsed`` is False if the packet could not be read as XML.
    """
    parser = etree.XMLParser(
        recover=False, resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )
    try:
        root = etree.fromstring(raw, parser)
    except (etree.XMLSyntaxError, ValueError) as e:
        log.debug("XMP packet is not well-formed: %s", e)
        return XmpVerdict(parsed=False)
    rdf = _find_rdf(root)
    if rdf is None:
        return XmpVerdict(parsed=False)
    props = top_level_properties(rdf)
    checker = _Checker(part)
    checker.check(props)
    part_value = conformance = None
    for uri, name, _prefix, node in props:
        if uri == S.PDFAID and node.form == "simple":
            if name == "part":
                part_value = node.text.strip()
            elif name == "conformance":
                conformance = node.text.strip()
    if part_value is not None and conformance not in conformances:
        checker.report(
            "conformance",
            "XMP pdfaid:conformance",
            f"pdfaid:conformance is {conformance!r}; this flavour needs {' or '.join(sorted(conformances))}",
        )
    return XmpVerdict(
        parsed=True,
        problems=tuple(checker.problems),
        part=part_value,
        conformance=conformance,
        declared=checker.declared,
        types=checker.types,
        every_description_about=all(
            d.get(_RDF_ABOUT) is not None for d in _elements(rdf) if d.tag == f"{{{RDF}}}Description"
        ),
    )


def read_identification(raw: bytes) -> tuple[str | None, str | None]:
    """Return (``pdfaid:part``, ``pdfaid:conformance``) as a packet states them, or None for each.

    Reads UTF-8, UTF-16 and UTF-32 packets; a packet that cannot be read states nothing.
    """
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        reencoded = reencode_packet(raw)
        if reencoded is None:
            return None, None
        raw = reencoded
    parser = etree.XMLParser(
        recover=False, resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )
    try:
        rdf = _find_rdf(etree.fromstring(raw, parser))
    except (etree.XMLSyntaxError, ValueError):
        return None, None
    if rdf is None:
        return None, None
    found: dict[str, str] = {}
    for uri, name, _prefix, node in top_level_properties(rdf):
        if uri == S.PDFAID and node.form == "simple" and name in ("part", "conformance"):
            found.setdefault(name, node.text.strip())
    return found.get("part"), found.get("conformance")


_PACKET_HEADER = re.compile(rb"<\?xpacket\s+(?!end\s*=)(.*?)\?>", re.DOTALL)
_PACKET_RULES = {
    "bytes": ("6.7.5-1", "6.6.2.1-2"),
    "encoding": ("6.7.5-2", "6.6.2.1-3"),
    "syntax": ("6.7.9-1", "6.6.2.1-4"),
    "utf8": ("6.7.9-1", "6.6.2.1-5"),
}


def check_object_xmp(raw: bytes, part: int, main: XmpVerdict, where: str) -> list[XmpProblem]:
    """Check the XMP packet of a metadata stream other than the catalog's (a page's, an image's).

    Every metadata stream must be a well-formed packet (ISO 19005-1 6.7.5, 6.7.9; ISO 19005-2/3
    6.6.2.1); in PDF/A-2 and PDF/A-3 its properties must be predefined, or declared by an extension
    schema in the document's main packet or in this one (6.6.2.3.1), and of their declared types.
    veraPDF reads the properties of no packet but the catalog's in PDF/A-1, and neither does this.

    Args:
        raw: The stream's data.
        part: The ISO 19005 part.
        main: The verdict on the catalog's packet, whose declarations apply here too.
        where: The stream, for findings.

    Returns:
        Every breach found.
    """

    def rule(topic: str) -> str:
        return _PACKET_RULES[topic][0 if part == 1 else 1]

    problems: list[XmpProblem] = []
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        reencoded = reencode_packet(raw) if part == 1 else None
        if reencoded is None:
            return [XmpProblem(rule("utf8"), where, "the XMP packet is not UTF-8")]
        raw = reencoded
    header = _PACKET_HEADER.search(raw)
    if header is not None:
        for attribute in ("bytes", "encoding"):
            if re.search(rb"\b%s\s*=" % attribute.encode(), header.group(1)):
                problems.append(
                    XmpProblem(rule(attribute), where, f"the packet header has a {attribute} attribute")
                )
    parser = etree.XMLParser(
        recover=False, resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )
    try:
        root = etree.fromstring(raw, parser)
    except (etree.XMLSyntaxError, ValueError) as e:
        return [*problems, XmpProblem(rule("syntax"), where, f"the XMP packet is not well-formed XML: {e}")]
    rdf = _find_rdf(root)
    if rdf is None or root.getroottree().docinfo.doctype:
        return [*problems, XmpProblem(rule("syntax"), where, "the XMP packet has no rdf:RDF, or a DOCTYPE")]
    if root.tag not in (f"{{{RDF}}}RDF", "{adobe:ns:meta/}xmpmeta"):
        problems.append(XmpProblem(rule("syntax"), where, f"the XMP packet's root element is {root.tag}"))
    for child in _elements(rdf):
        if child.tag != f"{{{RDF}}}Description":
            problems.append(
                XmpProblem(rule("syntax"), where, f"rdf:RDF holds {child.tag}, not rdf:Description")
            )
    if part == 1:
        return problems
    checker = _Checker(part, main)
    checker.check(top_level_properties(rdf))
    problems.extend(XmpProblem(p.clause, f"{where} {p.where}", p.message) for p in checker.problems)
    return problems
