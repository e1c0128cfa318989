"""The ODF element grammar per version: which children, attributes and required attributes each element has.

Built on odfpy's tables (`odf.grammar`), which were generated from the OASIS ODF 1.2 RelaxNG schema, and
corrected where they differ from the published schemas: the ODF 1.3 additions (found by comparing the
OASIS 1.2 and 1.3 RelaxNG schemas element by element), a few 1.2 entries odfpy lacks, and the LibreOffice
extension attributes odfpy lists as if they were ODF (they belong to the ``loext`` namespace and are
foreign in strict ODF).

The tables say what may appear, not in which order or how often, and check no attribute values: the
RelaxNG check in `validators.odf` (given the schemas) is the complete one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from odf import grammar as _odfpy
from odf.namespaces import nsdict as _URI_TO_PREFIX

__all__ = ["ODF_NS_PREFIX", "Grammar", "grammar_for", "is_odf_namespace", "prefixed"]

# Every namespace OASIS defines for ODF shares this prefix. A name the schema does not define is foreign
# markup in any other namespace, but in these it can only be a mistake: OASIS alone adds names here.
ODF_NS_PREFIX = "urn:oasis:names:tc:opendocument:xmlns:"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_PREFIX_TO_URI = {prefix: uri for uri, prefix in _URI_TO_PREFIX.items()}
_PREFIX_TO_URI["xml"] = XML_NS

# Elements whose whole content is open: MathML inside math:math, script code in office:script and the
# XForms model are defined outside ODF, and the schema admits any markup there.
_OPEN_CONTENT = ("math:math", "office:script", "xforms:model")


def _clark(prefixed_name: str) -> str:
    prefix, _, local = prefixed_name.partition(":")
    return f"{{{_PREFIX_TO_URI[prefix]}}}{local}"


def prefixed(clark: str) -> str:
    """Turn ``{uri}local`` into ``prefix:local`` for messages, using ODF's customary prefixes."""
    if not clark.startswith("{"):
        return clark
    uri, _, local = clark[1:].partition("}")
    prefix = "xml" if uri == XML_NS else _URI_TO_PREFIX.get(uri)
    return f"{prefix}:{local}" if prefix else clark


def is_odf_namespace(uri: str) -> bool:
    """True for the namespaces the ODF schema owns (OASIS's, plus ``xml:`` which it uses for ``xml:id``)."""
    return uri.startswith(ODF_NS_PREFIX) or uri == XML_NS


# Namespaces from other standards that the ODF schema itself uses (Dublin Core, XLink, XHTML for RDFa,
# GRDDL, MathML, XForms; SMIL's is OASIS-owned already).
_ODF_USED = frozenset(
    _PREFIX_TO_URI[p] for p in ("dc", "xlink", "xhtml", "grddl", "math", "xforms") if p in _PREFIX_TO_URI
)


# --- corrections, in prefixed names -------------------------------------------------------------------

# Present in ODF 1.2 already, missing from odfpy's tables.
_V12_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    **{
        f"text:{name}-count": ("style:num-format", "style:num-letter-sync")
        for name in ("character", "image", "page", "paragraph", "table", "word")
    },
    "text:reference-ref": ("text:ref-name", "text:reference-format"),
    "form:list-value": (
        "office:boolean-value",
        "office:currency",
        "office:date-value",
        "office:string-value",
        "office:time-value",
        "office:value",
    ),
    "manifest:manifest": ("manifest:version",),
    "manifest:key-derivation": ("manifest:key-size",),
    "manifest:start-key-generation": ("manifest:key-size", "manifest:start-key-generation-name"),
}
_V12_CHILDREN: dict[str, tuple[str, ...]] = {
    "manifest:encryption-data": ("manifest:start-key-generation",),
    "manifest:start-key-generation": (),
}
_V12_REQUIRED: dict[str, tuple[str, ...]] = {
    "form:list-value": (),  # one of the value attributes, not office:string-value in particular
    "table:table-template": (
        "table:name",
        "table:first-row-end-column",
        "table:first-row-start-column",
        "table:last-row-end-column",
        "table:last-row-start-column",
    ),
    "manifest:manifest": ("manifest:version",),
    "manifest:start-key-generation": ("manifest:start-key-generation-name",),
}

_DRAW_SHAPES = (
    "dr3d:scene",
    "draw:a",
    "draw:caption",
    "draw:circle",
    "draw:connector",
    "draw:control",
    "draw:custom-shape",
    "draw:ellipse",
    "draw:frame",
    "draw:g",
    "draw:line",
    "draw:measure",
    "draw:page-thumbnail",
    "draw:path",
    "draw:polygon",
    "draw:polyline",
    "draw:rect",
    "draw:regular-polygon",
)
_NUMBER_STYLES = ("currency", "date", "number", "percentage", "text", "time")
_INDEX_TEMPLATES = ("illustration", "object", "table", "user")
_TEXT_WITH_DROP_DOWN = ("a", "h", "meta", "meta-field", "p", "ruby-base", "span")

# Added by ODF 1.3 (new elements carry their own attribute lists below).
_V13_CHILDREN: dict[str, tuple[str, ...]] = {
    "chart:chart": _DRAW_SHAPES,
    "chart:plot-area": ("chart:coordinate-region",),
    "chart:coordinate-region": (),
    "draw:fill-image": ("office:binary-data",),
    **{f"number:{kind}-style": ("number:fill-character",) for kind in _NUMBER_STYLES},
    "number:fill-character": (),
    "office:annotation": ("meta:creator-initials",),
    "meta:creator-initials": (),
    "style:master-page": ("style:header-first", "style:footer-first"),
    **{f"text:{name}": ("text:drop-down",) for name in _TEXT_WITH_DROP_DOWN},
    "text:drop-down": ("text:label",),
    "text:label": (),
    **{
        f"text:{name}-index-entry-template": ("text:index-entry-link-start", "text:index-entry-link-end")
        for name in _INDEX_TEMPLATES
    },
    # The OpenPGP key transport in the 1.3 manifest.
    "manifest:manifest": ("manifest:encrypted-key",),
    "manifest:encrypted-key": ("manifest:encryption-method", "manifest:keyinfo", "manifest:CipherData"),
    "manifest:encryption-method": (),
    "manifest:keyinfo": ("manifest:PGPData",),
    "manifest:PGPData": ("manifest:PGPKeyID", "manifest:PGPKeyPacket"),
    "manifest:PGPKeyID": (),
    "manifest:PGPKeyPacket": (),
    "manifest:CipherData": ("manifest:CipherValue",),
    "manifest:CipherValue": (),
}
_V13_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "chart:coordinate-region": ("svg:x", "svg:y", "svg:width", "svg:height"),
    "chart:legend": ("svg:width", "svg:height"),
    "draw:image": ("draw:mime-type",),
    "number:fraction": ("number:max-denominator-value",),
    "number:number": ("number:min-decimal-places",),
    "number:scientific-number": (
        "number:exponent-interval",
        "number:forced-exponent-sign",
        "number:min-decimal-places",
    ),
    "style:chart-properties": (
        "chart:data-label-series",
        "chart:regression-force-intercept",
        "chart:regression-intercept-value",
        "chart:regression-max-degree",
        "chart:regression-moving-type",
        "chart:regression-name",
        "chart:regression-period",
    ),
    "style:page-layout-properties": ("style:scale-to-X", "style:scale-to-Y"),
    "style:paragraph-properties": ("style:contextual-spacing",),
    "style:table-properties": ("table:tab-color",),
    "table:source-cell-range": ("table:name",),
    "style:header-first": ("style:display",),
    "style:footer-first": ("style:display",),
    "text:drop-down": ("text:name",),
    "text:label": ("text:current-selected", "text:value"),
    "manifest:encryption-method": ("manifest:PGPAlgorithm",),
}
_V13_REQUIRED: dict[str, tuple[str, ...]] = {
    "draw:fill-image": ("draw:name",),  # the image may now be inline (office:binary-data), not linked
    "table:data-pilot-groups": ("table:source-field-name",),
    "table:source-cell-range": (),  # a named range may replace the address
    "text:drop-down": ("text:name",),
    "manifest:encryption-method": ("manifest:PGPAlgorithm",),
    "manifest:key-derivation": ("manifest:key-derivation-name",),
}
_V13_TEXT = (
    "meta:creator-initials",
    "number:fill-character",
    "text:label",
    "manifest:PGPKeyID",
    "manifest:PGPKeyPacket",
    "manifest:CipherValue",
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Grammar:
    """What one ODF version allows, keyed by Clark names (``{uri}local``).

    Attributes:
        version: The ODF version these tables describe (``"1.2"``, ``"1.3"``).
        children: Allowed child elements per element; None means any content (MathML, scripts).
        attributes: Allowed attributes per element; None means any.
        required: Required attributes per element.
        text: Elements that may hold character data.
    """

    version: str
    children: dict[str, frozenset[str] | None]
    attributes: dict[str, frozenset[str] | None]
    required: dict[str, frozenset[str]]
    text: frozenset[str]

    def open_content(self, element: str) -> bool:
        return element in self.children and self.children[element] is None


def _from_odfpy(table: dict, *, drop_foreign: bool) -> dict[str, set[str] | None]:
    out: dict[str, set[str] | None] = {}
    for (uri, local), names in table.items():
        if names is None:
            out[f"{{{uri}}}{local}"] = None
            continue
        # odfpy lists a few LibreOffice extension attributes (loext:contextual-spacing, ...); in
        # strict ODF they are foreign, so they are never part of the grammar.
        out[f"{{{uri}}}{local}"] = {
            f"{{{u}}}{n}" for u, n in names if not drop_foreign or is_odf_namespace(u) or u in _ODF_USED
        }
    return out


def _merge(table: dict[str, set[str] | None], extra: dict[str, tuple[str, ...]]) -> None:
    for element, names in extra.items():
        key = _clark(element)
        current = table.get(key, set())
        if current is None:
            continue
        current |= {_clark(n) for n in names}
        table[key] = current


@functools.cache
def grammar_for(version: str) -> Grammar | None:
    """Return the grammar for an ODF version, or None if qujat has none for it.

    ODF 1.0 and 1.1 differ from 1.2 in both directions (1.2 moved and dropped some attributes), so
    qujat has no tables for them rather than wrong ones.

    Args:
        version: The document's ``office:version`` (``"1.3"``), or ``""`` when it has none.

    Returns:
        The grammar, or None for versions other than 1.2 and 1.3.
    """
    if version not in ("1.2", "1.3"):
        return None
    children = _from_odfpy(_odfpy.allowed_children, drop_foreign=True)
    attributes = _from_odfpy(_odfpy.allowed_attributes, drop_foreign=True)
    required: dict[str, set[str]] = {
        k: set(v or ()) for k, v in _from_odfpy(_odfpy.required_attributes, drop_foreign=False).items()
    }
    text = {f"{{{uri}}}{local}" for uri, local in _odfpy.allows_text}
    children[_clark("office:script")] = None
    _merge(children, _V12_CHILDREN)
    _merge(attributes, _V12_ATTRIBUTES)
    required.update({_clark(k): {_clark(n) for n in v} for k, v in _V12_REQUIRED.items()})
    if version == "1.3":
        _merge(children, _V13_CHILDREN)
        # The new first-page header and footer hold what the ordinary ones hold.
        for new, like in (("style:header-first", "style:header"), ("style:footer-first", "style:footer")):
            children[_clark(new)] = set(children[_clark(like)] or ())
        _merge(attributes, _V13_ATTRIBUTES)
        required.update({_clark(k): {_clark(n) for n in v} for k, v in _V13_REQUIRED.items()})
        text |= {_clark(n) for n in _V13_TEXT}
    for element in _OPEN_CONTENT:
        children[_clark(element)] = None
    return Grammar(
        version=version,
        children={k: (None if v is None else frozenset(v)) for k, v in children.items()},
        attributes={k: (None if v is None else frozenset(v)) for k, v in attributes.items()},
        required={k: frozenset(v) for k, v in required.items()},
        text=frozenset(text),
    )
