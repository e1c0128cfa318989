"""Embedded files in PDF/A-2 (ISO 19005-2 6.8), which pikepdf.pdfa declines to check.

PDF/A-2 permits a file specification with an /EF entry if the file it embeds is itself a PDF/A-1 or
PDF/A-2 file (6.8-5), and if the file specification has both /F and /UF (6.8-2). pikepdf reports every
embedded file stream and every object holding an /EF entry as unchecked, and refuses the
/EmbeddedFiles name tree, below which it checks nothing. The tree holds only file specifications and
the streams they embed; this module checks both, and each embedded file is checked by qujat's own
validator (the caller's *validate*), so that it is as strict as the file around it.

What is not recognised here (related files, collection items, URL file systems, files embedded
anywhere but the name tree and its file specifications) stays refused.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pikepdf

from validators.pdfa._problem import Problem, object_at

log = logging.getLogger(__name__)

FILE_RULE = "pikepdf:embedded-file"
TREE_RULE = "pikepdf:schema-EmbeddedFiles"
TREE_MESSAGE = "embedded files are not supported"
# The catalog's name tree, indirect or direct in its name dictionary (itself indirect or direct)
_TREE_WHERE = re.compile(
    r"^obj \d+ \d+ (?:(?:\(Catalog\) /Names )?\(NameDictionary\) /EmbeddedFiles )?\(EmbeddedFiles\)$"
)

# Keys of a file specification (ISO 32000-1 Table 44) that need no check of their own: strings and
# names, which the object checks of pikepdf see wherever they are. /AFRelationship is PDF/A-3's, and
# writers put it in PDF/A-2 files too; ISO 19005-2 says nothing of it.
_FILESPEC_KEYS = frozenset(
    {"/Type", "/FS", "/F", "/UF", "/DOS", "/Mac", "/Unix", "/ID", "/V", "/EF", "/Desc", "/AFRelationship"}
)
# The keys of an /EF dictionary (ISO 32000-1 Table 44), each naming an embedded file stream
EF_KEYS = frozenset({"/F", "/UF", "/DOS", "/Mac", "/Unix"})
_MAX_TREE_DEPTH = 32
_MAX_TREE_VALUES = 10_000


EmbeddedProblem = Problem


@dataclass(slots=True)
class EmbeddedVerdict:
    """What `check_embedded_files` found.

    Attributes:
        problems: Violations, and embedded files that could not be checked.
        settled: Locations of pikepdf's findings that these checks settle in full.
    """

    problems: list[EmbeddedProblem] = field(default_factory=list)
    settled: set[str] = field(default_factory=set)


# Checks an embedded file's bytes: returns None if it is PDF/A-1 or PDF/A-2, or why not, and
# whether that reason is a violation (False) or something that could not be checked (True)
Validate = Callable[[bytes, str], tuple[str, bool] | None]


class Checker:
    """Checks file specifications and the files they embed, once each; collects the problems."""

    def __init__(self, validate: Validate):
        self.validate = validate
        # Verdicts on embedded file streams and file specifications, by object: True if approved
        self.streams: dict[tuple[int, int], bool] = {}
        self.specs: dict[tuple[int, int], bool] = {}
        self.problems: list[EmbeddedProblem] = []

    def stream(self, stream: object, where: str) -> bool:
        """Check one embedded file stream; True if it is a PDF/A-1 or PDF/A-2 file."""
        if not isinstance(stream, pikepdf.Stream) or not stream.is_indirect:
            self.problems.append(
                EmbeddedProblem("pikepdf:schema-EmbeddedFile", where, "not an indirect stream")
            )
            return False
        key = stream.objgen
        if key in self.streams:
            return self.streams[key]
        where = f"obj {key[0]} {key[1]}"
        ok = False
        try:
            data = stream.read_bytes()
        except pikepdf.PdfError as e:
            self.problems.append(
                EmbeddedProblem(FILE_RULE, where, f"cannot read the embedded file: {e}", True)
            )
        else:
            outcome = self.validate(data, where)
            if outcome is None:
                ok = True
            else:
                message, unsupported = outcome
                self.problems.append(EmbeddedProblem("6.8-5", where, message, unsupported))
        self.streams[key] = ok
        return ok

    def filespec(self, spec: object, where: str) -> bool:
        """Check a file specification with /EF and every file it embeds; True if all is well."""
        key = spec.objgen if isinstance(spec, pikepdf.Dictionary) and spec.is_indirect else None
        if key is not None:
            if key not in self.specs:
                self.specs[key] = self._filespec(spec, where)
            return self.specs[key]
        return self._filespec(spec, where)

    def _filespec(self, spec: object, where: str) -> bool:
        if not isinstance(spec, pikepdf.Dictionary):
            self.problems.append(
                EmbeddedProblem(FILE_RULE, where, "file specification is not a dictionary", True)
            )
            return False
        unknown = sorted(set(spec.keys()) - _FILESPEC_KEYS)
        if unknown:
            self.problems.append(
                EmbeddedProblem(
                    FILE_RULE, where, f"file specification keys {', '.join(unknown)} not checked", True
                )
            )
            return False
        if "/FS" in spec:
            self.problems.append(
                EmbeddedProblem(FILE_RULE, where, "a file system (/FS) is not checked", True)
            )
            return False
        ok = True
        if "/F" not in spec or "/UF" not in spec:
            # ISO 19005-2 6.8-2
            self.problems.append(EmbeddedProblem("6.8-2", where, "the file specification lacks /F or /UF"))
            ok = False
        ef = spec.get("/EF")
        if not isinstance(ef, pikepdf.Dictionary) or not ef.keys():
            self.problems.append(EmbeddedProblem(FILE_RULE, where, "/EF is not a dictionary of files", True))
            return False
        for name, stream in ef.items():
            if name not in EF_KEYS:
                self.problems.append(EmbeddedProblem(FILE_RULE, where, f"/EF key {name} not checked", True))
                ok = False
                continue
            ok = self.stream(stream, f"{where} /EF {name}") and ok
        return ok


def _filespecs_in(obj: pikepdf.Object, depth: int = 0) -> list[pikepdf.Object] | None:
    """The dictionaries with /EF in *obj* and its direct parts, or None if nested too deep."""
    if depth > 32:
        return None
    found: list[pikepdf.Object] = []
    if isinstance(obj, pikepdf.Stream):
        items = list(obj.stream_dict.items())
    elif isinstance(obj, pikepdf.Dictionary):
        if "/EF" in obj:
            found.append(obj)
        items = list(obj.items())
    elif isinstance(obj, pikepdf.Array):
        items = [(str(i), v) for i, v in enumerate(obj)]
    else:
        return found
    for _key, value in items:
        if (
            isinstance(value, pikepdf.Object)
            and not value.is_indirect
            and isinstance(value, pikepdf.Dictionary | pikepdf.Array)
        ):
            inner = _filespecs_in(value, depth + 1)
            if inner is None:
                return None
            found.extend(inner)
    return found


def _tree_values(node: object, depth: int, out: list[tuple[object, str]]) -> bool:
    """Collect the values of a name tree; False if it is malformed or too large."""
    if depth > _MAX_TREE_DEPTH or not isinstance(node, pikepdf.Dictionary):
        return False
    names = node.get("/Names")
    if names is not None:
        if not isinstance(names, pikepdf.Array) or len(names) % 2:
            return False
        for i in range(0, len(names), 2):
            out.append((names[i + 1], f"/EmbeddedFiles {names[i]!s}"))
    kids = node.get("/Kids")
    if kids is not None:
        if not isinstance(kids, pikepdf.Array):
            return False
        for kid in kids:
            if not _tree_values(kid, depth + 1, out):
                return False
    return len(out) <= _MAX_TREE_VALUES


def check_embedded_files(
    pdf: pikepdf.Pdf, findings: list[tuple[str, str, str]], validate: Validate
) -> EmbeddedVerdict:
    """Check what pikepdf refused about embedded files in a PDF/A-2 document.

    Args:
        pdf: The document.
        findings: pikepdf's findings as (rule, where, message).
        validate: Checks an embedded file's bytes (see `Validate`).

    Returns:
        The problems found, and which of the findings are settled.
    """
    checker = Checker(validate)
    verdict = EmbeddedVerdict()
    for rule, where, message in findings:
        if rule == TREE_RULE and message == TREE_MESSAGE and _TREE_WHERE.match(where):
            names = pdf.Root.get("/Names")
            tree = names.get("/EmbeddedFiles") if isinstance(names, pikepdf.Dictionary) else None
            values: list[tuple[object, str]] = []
            if not _tree_values(tree, 0, values):
                continue
            ok = True
            for value, value_where in values:
                # ISO 32000-1 Table 44: the file specification of an embedded file is indirect
                if not isinstance(value, pikepdf.Dictionary) or not value.is_indirect:
                    checker.problems.append(
                        EmbeddedProblem(TREE_RULE, value_where, "not an indirect file specification", True)
                    )
                    ok = False
                    continue
                ok = checker.filespec(value, f"obj {value.objgen[0]} {value.objgen[1]}") and ok
            if ok:
                verdict.settled.add(where)
        elif rule == FILE_RULE:
            objgen = object_at(where)
            if objgen is None:
                continue
            try:
                obj = pdf.get_object(objgen)
            except (pikepdf.PdfError, ValueError):
                continue
            if isinstance(obj, pikepdf.Stream) and obj.stream_dict.get("/Type") == "/EmbeddedFile":
                if checker.stream(obj, where):
                    verdict.settled.add(where)
                continue
            specs = _filespecs_in(obj)
            if not specs:
                continue
            # Every file specification is checked, so that every problem is reported
            if all([checker.filespec(spec, where) for spec in specs]):  # noqa: C419
                verdict.settled.add(where)
    verdict.problems = checker.problems
    return verdict
