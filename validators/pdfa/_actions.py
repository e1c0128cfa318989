"""Actions (ISO 19005-1 6.6.1, ISO 19005-2/3 6.5.1) where pikepdf.pdfa refuses to follow them.

pikepdf refuses the catalog's /OpenAction, and so checks nothing below the catalog; and it refuses an
action with a key its schema does not know (a file specification dictionary as /F, a /JS on an action
that is not JavaScript), and so checks nothing below that action. What PDF/A asks of an action, in
veraPDF's rules, is only its type, for the action and each action of its /Next chain:

- its /S is GoTo, GoToR, Thread, URI, Named or SubmitForm, and in PDF/A-2 and PDF/A-3 also GoToE
  (6.6.1-1, 6.5.1-1): Launch, Sound, Movie, ResetForm, ImportData, Hide, SetOCGState, Rendition, Trans,
  GoTo3DView, JavaScript, set-state and no-op actions are not permitted;
- a named action is NextPage, PrevPage, FirstPage or LastPage (6.6.1-2, 6.5.1-2).

`check_open_action` checks the catalog's /OpenAction (a destination, or an action) and the copy for
pikepdf's second check goes without it. pikepdf takes the permitted Thread, SubmitForm and (PDF/A-2,
PDF/A-3) GoToE actions for forbidden ones (its allowlist does not know them): `permitted_but_refused`
tells such a finding, and `hand_over_permitted` makes each of them, in the copy, a URI action with the
same /Next chain, which pikepdf then checks; their own keys hold nothing PDF/A constrains but a file
specification, which must not embed or refer to file data. `settle_refused_action` checks a refused
action and takes out of the copy what pikepdf refused in it: keys that mean nothing for the action's
type, and a file specification dictionary (replaced by its file name) that neither embeds nor refers to
file data. pikepdf then checks the action and its /Next chain as for any other.
"""

from __future__ import annotations

import logging
import re

import pikepdf

from validators.pdfa._problem import Problem, where_of

log = logging.getLogger(__name__)

OPEN_ACTION_RULE = "pikepdf:schema-Catalog"
OPEN_ACTION_MESSAGE = "/OpenAction is not supported"
ACTION_RULE = "pikepdf:schema-Action"
FILE_SPEC_MESSAGE = "file specification dictionaries are not supported"
_UNRECOGNISED = re.compile(r"^unrecognized key\(s\) (.*) are not checked$")
_ACTION_WHERE = re.compile(r"^obj (\d+) (\d+) \(Action\)(?: (/F))?$")
_UNCHECKED = "pikepdf:schema-Action"

_ALLOWED = {
    1: frozenset({"/GoTo", "/GoToR", "/Thread", "/URI", "/Named", "/SubmitForm"}),
    2: frozenset({"/GoTo", "/GoToR", "/GoToE", "/Thread", "/URI", "/Named", "/SubmitForm"}),
}
_NAMED = frozenset({"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"})
# ISO 32000-1 Tables 193, 199, 200 and 202: the keys of the action types pikepdf's schema knows
_KEYS = {
    "/GoTo": frozenset({"/Type", "/S", "/Next", "/D"}),
    "/GoToR": frozenset({"/Type", "/S", "/Next", "/F", "/D", "/NewWindow"}),
    "/URI": frozenset({"/Type", "/S", "/Next", "/URI", "/IsMap"}),
    "/Named": frozenset({"/Type", "/S", "/Next", "/N"}),
}
# File specification keys (Table 44) that embed or refer to file data: such a file specification stays refused
_FILE_DATA_KEYS = ("/EF", "/RF")
_MAX_ACTIONS = 10_000
# pikepdf's finding on an action whose type its allowlist does not have
TYPE_MESSAGE = "action type not permitted or not supported"
_TYPE_RULES = {1: "ISO_19005_1:6.6.1-1", 2: "ISO_19005_2:6.5.1-1", 3: "ISO_19005_3:6.5.1-1"}
# Permitted types pikepdf does not know, by part
_UNKNOWN_TO_PIKEPDF = {
    1: frozenset({"/Thread", "/SubmitForm"}),
    2: frozenset({"/Thread", "/SubmitForm", "/GoToE"}),
}
_STEP = re.compile(r" \([A-Za-z]+\)| (/[^\s\[]+)|\[(\d+)\]")
_PLACE = re.compile(r"^obj (\d+) (\d+)((?: \([A-Za-z]+\)| /[^\s\[]+|\[\d+\])*) /S$")


ActionProblem = Problem


def open_action_finding(rule: str, message: str) -> bool:
    """True for pikepdf's refusal of a catalog with /OpenAction."""
    return rule == OPEN_ACTION_RULE and message == OPEN_ACTION_MESSAGE


def check_actions(action: object, part: int, where: str) -> list[ActionProblem]:
    """Check an action and every action of its /Next chain against ISO 19005-*part*."""
    allowed = _ALLOWED[min(part, 2)]
    type_clause, named_clause = ("6.6.1-1", "6.6.1-2") if part == 1 else ("6.5.1-1", "6.5.1-2")
    problems: list[ActionProblem] = []
    seen: set[tuple[int, int]] = set()
    pending: list[tuple[object, str]] = [(action, where)]
    count = 0
    while pending:
        node, node_where = pending.pop()
        count += 1
        if count > _MAX_ACTIONS:
            problems.append(ActionProblem(_UNCHECKED, where, "the /Next chain is too long to check", True))
            break
        if not isinstance(node, pikepdf.Dictionary):
            problems.append(ActionProblem(_UNCHECKED, node_where, "an action is not a dictionary", True))
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        node_where = where_of(node, node_where)
        kind = node.get("/S")
        if not isinstance(kind, pikepdf.Name) or str(kind) not in allowed:
            problems.append(ActionProblem(type_clause, node_where, f"action type {kind} is not permitted"))
        elif kind == "/Named" and str(node.get("/N")) not in _NAMED:
            problems.append(
                ActionProblem(named_clause, node_where, f"named action {node.get('/N')} is not permitted")
            )
        spec = node.get("/F")
        if isinstance(spec, pikepdf.Dictionary) and any(k in spec for k in _FILE_DATA_KEYS):
            # An embedded file pikepdf's walk would not reach: stays refused
            problems.append(
                ActionProblem(_UNCHECKED, node_where, "an action's file specification embeds a file", True)
            )
        following = node.get("/Next")
        if isinstance(following, pikepdf.Array):
            pending.extend((a, f"{node_where} /Next[{i}]") for i, a in enumerate(following))
        elif following is not None:
            pending.append((following, f"{node_where} /Next"))
    return problems


def check_open_action(pdf: pikepdf.Pdf, part: int) -> list[ActionProblem]:
    """Check the catalog's /OpenAction: a destination (which PDF/A does not constrain) or an action."""
    value = pdf.Root.get("/OpenAction")
    if value is None or isinstance(value, pikepdf.Array):
        return []
    if isinstance(value, pikepdf.Dictionary):
        return check_actions(value, part, "/OpenAction")
    return [
        ActionProblem(_UNCHECKED, "/OpenAction", "/OpenAction is neither a destination nor an action", True)
    ]


def _action_at(pdf: pikepdf.Pdf, where: str) -> pikepdf.Dictionary | None:
    """The action dictionary pikepdf's *where* (``obj 8 0 (LinkAnnot) /A (Action) /S``) names."""
    m = _PLACE.match(where)
    if m is None:
        return None
    try:
        node: object = pdf.get_object(int(m.group(1)), int(m.group(2)))
    except (pikepdf.PdfError, ValueError):
        return None
    for step in _STEP.finditer(m.group(3)):
        key, index = step.group(1), step.group(2)
        if key is not None:
            node = node.get(key) if isinstance(node, pikepdf.Dictionary) else None
        elif index is not None:
            node = node[int(index)] if isinstance(node, pikepdf.Array) and int(index) < len(node) else None
        if node is None:
            return None
    return node if isinstance(node, pikepdf.Dictionary) else None


def permitted_but_refused(pdf: pikepdf.Pdf, rule: str, where: str, message: str, part: int) -> bool:
    """True for pikepdf's finding that an action's type is not permitted, when ISO 19005 permits it."""
    if message != TYPE_MESSAGE or rule != _TYPE_RULES.get(part):
        return False
    action = _action_at(pdf, where)
    return action is not None and str(action.get("/S")) in _UNKNOWN_TO_PIKEPDF[min(part, 2)]


def hand_over_permitted(pdf: pikepdf.Pdf, where: str, part: int) -> bool:
    """Make the permitted action at *where* a URI action with its /Next chain, in the copy *pdf*.

    Returns False (the finding stands) if the action is not one pikepdf refuses for its type only, or
    if its file specification embeds or refers to file data.
    """
    action = _action_at(pdf, where)
    if action is None or str(action.get("/S")) not in _UNKNOWN_TO_PIKEPDF[min(part, 2)]:
        return False
    spec = action.get("/F")
    if isinstance(spec, pikepdf.Dictionary) and any(k in spec for k in _FILE_DATA_KEYS):
        return False
    for key in list(action.keys()):
        if key not in ("/Type", "/Next"):
            del action[key]
    action.S = pikepdf.Name.URI
    action.URI = pikepdf.String("")
    return True


def settle_refused_action(pdf: pikepdf.Pdf, rule: str, where: str, message: str) -> bool:
    """Take out of the copy *pdf* what pikepdf refused in an action, if that changes nothing PDF/A asks.

    Returns:
        True if the refusal was taken out (pikepdf is then to check the action again), False if the
        finding is of another kind, about a direct action, or about something that stays refused.
    """
    m = _ACTION_WHERE.match(where)
    if rule != ACTION_RULE or m is None:
        return False
    try:
        action = pdf.get_object(int(m.group(1)), int(m.group(2)))
    except (pikepdf.PdfError, ValueError):
        return False
    if not isinstance(action, pikepdf.Dictionary):
        return False
    kind = str(action.get("/S"))
    if kind not in _KEYS:
        # An action type pikepdf's schema does not know: its refusal of /S stands anyway
        return False
    if m.group(3) == "/F" and message == FILE_SPEC_MESSAGE:
        spec = action.get("/F")
        if not isinstance(spec, pikepdf.Dictionary) or any(k in spec for k in _FILE_DATA_KEYS):
            return False
        name = spec.get("/UF", spec.get("/F"))
        action.F = name if isinstance(name, pikepdf.String) else pikepdf.String("")
        return True
    found = _UNRECOGNISED.match(message)
    if m.group(3) is None and found is not None and not found.group(1).endswith("..."):
        keys = found.group(1).split(", ")
        if any(k in _KEYS[kind] or not k.startswith("/") for k in keys):
            return False
        for k in keys:
            if k in action:
                del action[k]
        return True
    return False
