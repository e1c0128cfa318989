"""Output intents other than PDF/A's (ISO 19005-1 6.2.2, ISO 19005-2/3 6.2.3), which pikepdf.pdfa refuses.

A file may be PDF/A and, at the same time, PDF/X or PDF/E: its /OutputIntents array then holds a
GTS_PDFX or ISO_PDFE1 output intent beside the GTS_PDFA1 one. pikepdf refuses every output intent but
GTS_PDFA1 and checks nothing below it. What PDF/A asks of the others, in veraPDF's rules:

- every entry with a /DestOutputProfile has the same indirect object as its value, a valid output
  profile (6.2.2-2, 6.2.3-2); pikepdf checks that over the whole array before it refuses an entry,
  and checks the one profile (6.2.2-1, 6.2.3-1) below the GTS_PDFA1 intent;
- a PDF/X output intent has no /DestOutputProfileRef (ISO 19005-2/3 6.2.3-3).

`check_other_intents` checks the last; the copy for pikepdf's second check keeps only the GTS_PDFA1
output intents. A file with no GTS_PDFA1 output intent stays refused.
"""

from __future__ import annotations

import pikepdf

from validators.pdfa._problem import Problem

RULE = "pikepdf:schema-OutputIntent"
MESSAGE = "only GTS_PDFA1 output intents are supported"


IntentProblem = Problem


def other_intent_finding(rule: str, message: str) -> bool:
    """True for pikepdf's refusal of an output intent that is not GTS_PDFA1."""
    return rule == RULE and message == MESSAGE


def _is_pdfa(intent: object) -> bool:
    return isinstance(intent, pikepdf.Dictionary) and intent.get("/S") == "/GTS_PDFA1"


def check_other_intents(pdf: pikepdf.Pdf, part: int) -> list[IntentProblem] | None:
    """Check the output intents that are not GTS_PDFA1 and take them out of the copy *pdf*.

    Returns:
        The problems, or None if the document has no GTS_PDFA1 output intent (nothing is changed).
    """
    intents = pdf.Root.get("/OutputIntents")
    if not isinstance(intents, pikepdf.Array) or not any(_is_pdfa(i) for i in intents):
        return None
    problems: list[IntentProblem] = []
    for index, intent in enumerate(intents):
        if _is_pdfa(intent) or not isinstance(intent, pikepdf.Dictionary):
            continue
        where = (
            f"obj {intent.objgen[0]} {intent.objgen[1]}" if intent.is_indirect else f"/OutputIntents[{index}]"
        )
        if part > 1 and intent.get("/S") == "/GTS_PDFX" and "/DestOutputProfileRef" in intent:
            problems.append(
                IntentProblem("6.2.3-3", where, "a PDF/X output intent has /DestOutputProfileRef")
            )
    pdf.Root.OutputIntents = pikepdf.Array(
        [i for i in intents if _is_pdfa(i) or not isinstance(i, pikepdf.Dictionary)]
    )
    return problems


def only_pdfa_intents(pdf: pikepdf.Pdf) -> bool:
    """True if the copy *pdf* has GTS_PDFA1 output intents and no others."""
    intents = pdf.Root.get("/OutputIntents")
    return isinstance(intents, pikepdf.Array) and len(intents) > 0 and all(_is_pdfa(i) for i in intents)
