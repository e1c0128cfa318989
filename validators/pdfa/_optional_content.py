"""Optional content (ISO 19005-2/3 6.9), which pikepdf.pdfa refuses.

pikepdf refuses a catalog with /OCProperties (checking nothing below the catalog), and the /OC key of
images, forms and annotations (checking nothing below them). PDF/A-1 forbids optional content
(ISO 19005-1 6.1.13-1, which pikepdf reports); PDF/A-2 and PDF/A-3 allow it, and ask, in veraPDF's
rules, of each optional content configuration dictionary (/D and each element of /Configs):

- it has a /Name (6.9-1), which no other configuration dictionary has (6.9-2);
- if it has an /Order array, every optional content group (by its /Name) is in it (6.9-3);
- it has no /AS (6.9-4).

What an /OC entry says (which group or membership dictionary hides the object) is not constrained.
`check_properties` checks the configurations; the copy for pikepdf's second check goes without
/OCProperties and without /OC entries. An /OC entry in a document without /OCProperties stays refused.
"""

from __future__ import annotations

import pikepdf

from validators.pdfa._problem import Problem

CATALOG_RULE = "pikepdf:schema-Catalog"
CATALOG_MESSAGE = "optional content (/OCProperties) is not supported"
_UNCHECKED = "pikepdf:schema-OCProperties"
_MAX_ORDER = 100_000
_MAX_DEPTH = 32


OptionalContentProblem = Problem


def properties_finding(rule: str, message: str) -> bool:
    """True for pikepdf's refusal of a catalog with /OCProperties."""
    return rule == CATALOG_RULE and message == CATALOG_MESSAGE


def _name(d: pikepdf.Dictionary) -> str | None:
    value = d.get("/Name")
    return str(value) if isinstance(value, pikepdf.String) else None


def _order_names(order: pikepdf.Array) -> set[str]:
    """The /Name of every group dictionary in an /Order array and its nested arrays."""
    names: set[str] = set()
    pending: list[tuple[object, int]] = [(order, 0)]
    count = 0
    while pending and count < _MAX_ORDER:
        node, depth = pending.pop()
        count += 1
        if isinstance(node, pikepdf.Array) and depth <= _MAX_DEPTH:
            pending.extend((e, depth + 1) for e in node)
        elif isinstance(node, pikepdf.Dictionary):
            name = _name(node)
            if name is not None:
                names.add(name)
    return names


def check_properties(pdf: pikepdf.Pdf, part: int) -> list[OptionalContentProblem]:
    """Check the optional content configuration dictionaries of *pdf* against ISO 19005-2 6.9."""
    props = pdf.Root.get("/OCProperties")
    if part == 1 or props is None:
        return []
    if not isinstance(props, pikepdf.Dictionary):
        return [
            OptionalContentProblem(_UNCHECKED, "/OCProperties", "/OCProperties is not a dictionary", True)
        ]
    groups = props.get("/OCGs")
    group_names = (
        {n for g in groups if isinstance(g, pikepdf.Dictionary) and (n := _name(g)) is not None}
        if isinstance(groups, pikepdf.Array)
        else set()
    )
    configs: list[tuple[pikepdf.Dictionary, str]] = []
    default = props.get("/D")
    if isinstance(default, pikepdf.Dictionary):
        configs.append((default, "/OCProperties /D"))
    others = props.get("/Configs")
    if isinstance(others, pikepdf.Array):
        configs.extend(
            (c, f"/OCProperties /Configs[{i}]")
            for i, c in enumerate(others)
            if isinstance(c, pikepdf.Dictionary)
        )
    problems: list[OptionalContentProblem] = []
    seen: set[str] = set()
    for config, where in configs:
        if config.is_indirect:
            where = f"obj {config.objgen[0]} {config.objgen[1]}"
        name = _name(config)
        if not name:
            problems.append(
                OptionalContentProblem("6.9-1", where, "an optional content configuration has no /Name")
            )
        elif name in seen:
            problems.append(
                OptionalContentProblem(
                    "6.9-2", where, f"optional content configuration name {name!r} is not unique"
                )
            )
        if name:
            seen.add(name)
        order = config.get("/Order")
        if isinstance(order, pikepdf.Array):
            missing = group_names - _order_names(order)
            if missing:
                problems.append(
                    OptionalContentProblem(
                        "6.9-3",
                        where,
                        f"/Order leaves out optional content groups {', '.join(sorted(missing))}",
                    )
                )
        if "/AS" in config:
            problems.append(
                OptionalContentProblem("6.9-4", where, "an optional content configuration has /AS")
            )
    return problems


def remove_oc_entries(pdf: pikepdf.Pdf) -> int:
    """Take every /OC entry (of images, forms and annotations) out of the copy *pdf*; return how many.

    pikepdf walks nothing below the catalog while it refuses /OCProperties, so the /OC entries it
    would refuse next are taken out before its second check.
    """
    removed = 0
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream) and "/OC" in obj:
            del obj["/OC"]
            removed += 1
    return removed


_OC_TYPES = ("/OCG", "/OCMD")


def _marks_optional_content(instruction: object) -> bool:
    if not isinstance(instruction, pikepdf.ContentStreamInstruction) or str(instruction.operator) != "BDC":
        return False
    operands = list(instruction.operands)
    return len(operands) == 2 and operands[0] == pikepdf.Name("/OC")


def unmark_optional_content(pdf: pikepdf.Pdf) -> int:
    """In the copy *pdf*, write each ``/OC /name BDC`` as ``/OC BMC`` and drop the groups from /Properties.

    pikepdf refuses optional content marked in content streams, and the /Properties resources that
    name its groups. Marking content as optional hides it or not, and changes nothing else that is
    drawn, nor anything ISO 19005-2 asks of it. Returns the number of content streams rewritten.
    """
    owners: list[pikepdf.Object] = [page.obj for page in pdf.pages]
    owners.extend(o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form")
    changed = 0
    for owner in owners:
        resources = owner.get("/Resources")
        if isinstance(resources, pikepdf.Dictionary):
            properties = resources.get("/Properties")
            if isinstance(properties, pikepdf.Dictionary):
                for name, value in list(properties.items()):
                    if isinstance(value, pikepdf.Dictionary) and value.get("/Type") in _OC_TYPES:
                        del properties[name]
                if not properties.keys():
                    del resources["/Properties"]
        try:
            target = pikepdf.Page(owner) if not isinstance(owner, pikepdf.Stream) else owner
            content = pikepdf.parse_content_stream(target)
        except (pikepdf.PdfError, ValueError, TypeError):
            continue
        if not any(_marks_optional_content(i) for i in content):
            continue
        rewritten = [
            pikepdf.ContentStreamInstruction([pikepdf.Name("/OC")], pikepdf.Operator("BMC"))
            if _marks_optional_content(i)
            else i
            for i in content
        ]
        data = pikepdf.unparse_content_stream(rewritten)
        if isinstance(owner, pikepdf.Stream):
            owner.write(data)
        else:
            owner["/Contents"] = pdf.make_stream(data)
        changed += 1
    return changed
