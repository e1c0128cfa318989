"""The PDF version of a PDF/A-1 file, which pikepdf.pdfa refuses above PDF 1.4.

ISO 19005-1 6.1.2 asks only for a header of the form ``%PDF-n.m`` (veraPDF's test 6.1.2-1 is
``/%PDF-\\d\\.\\d/``): a PDF/A-1 file may say it is PDF 1.7 or 2.0, as long as it uses nothing PDF/A-1
forbids. pikepdf refuses any version above 1.4 and then checks nothing else, and refuses a catalog
/Version above 1.4 (checking nothing below the catalog). The refusal is settled by checking, in full,
a copy that says 1.4: the header rewritten in place (same length, so no offset moves), and a catalog
/Version set to 1.4 in the second check's copy. The header's form is `_syntax`'s to check.
"""

from __future__ import annotations

import re

import pikepdf.pdfa

VERSION_RULE = "pikepdf:pdf-version"
CATALOG_RULE = "pikepdf:schema-Catalog"
CATALOG_MESSAGE = "PDF/A-1 files are limited to PDF 1.4"
_CATALOG_WHERE = re.compile(r"^obj \d+ \d+ \(Catalog\) /Version$")
# A header version as ISO 19005-1 allows it: one digit, a dot, one digit
_HEADER = re.compile(rb"%PDF-\d\.\d(?![0-9])")


def version_refused(findings: list[pikepdf.pdfa.Finding]) -> bool:
    """True if pikepdf refused the file's header version (and so checked nothing else)."""
    return any(f.rule == VERSION_RULE and f.kind == "unsupported" for f in findings)


def as_pdf14(data: bytes) -> bytes | None:
    """*data* with a header ``%PDF-1.4`` in place of its own, or None if its header is not ``%PDF-n.m``."""
    if _HEADER.match(data) is None:
        return None
    return b"%PDF-1.4" + data[8:]


def catalog_version_finding(f: pikepdf.pdfa.Finding) -> bool:
    """True for pikepdf's refusal of a PDF/A-1 catalog /Version above 1.4."""
    return (
        f.rule == CATALOG_RULE and f.message == CATALOG_MESSAGE and _CATALOG_WHERE.match(f.where) is not None
    )


def catalog_as_pdf14(pdf: pikepdf.Pdf) -> bool:
    """Set the catalog /Version of the copy *pdf* to 1.4; False if it has none."""
    if "/Version" not in pdf.Root:
        return False
    pdf.Root.Version = pikepdf.Name("/1.4")
    return True
