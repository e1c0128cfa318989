"""pikepdf.pdfa's refusals of graphics and images, settled by `_overprint`, `_halftones`, `_jpx`, `_images`.

Each refusal is settled as `validators.pdfa._recheck` settles the others: a check of ours covers the
rules the refused construct is subject to, and the copy of the document that pikepdf checks again
is edited so that the refusal no longer arises:

- overprint mode 1 with overprinting on (ISO 19005-2 6.2.4.2-2): `_overprint` checks every use of
  colour; in the copy every /OPM is 0;
- halftones (/HT, 6.2.5): `_halftones` checks them; in the copy graphics states have no /HT;
- JPEG 2000 images (6.2.8.3, PDF/A-2 and PDF/A-3 only): `_jpx` checks their header boxes; in the
  copy they lose the JPXDecode filter, and gain a stand-in colour space if they have none (so
  pikepdf's "image has no /ColorSpace" on them is settled too, their colour being `_jpx`'s to check);
- image metadata streams and file specification thumbnails: `_images` hands them over.

`settle` makes these edits and checks for the refusals among the findings it is given; it may be
called again with the findings of the second check, which walks below refusals the first stopped at.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import pikepdf
import pikepdf.pdfa

from validators.pdfa import _embedded, _halftones, _images, _jpx, _overprint

log = logging.getLogger(__name__)

_OPM_RULES = frozenset({"ISO_19005_2:6.2.4.2-2", "ISO_19005_3:6.2.4.2-2", "pikepdf:overprint-mode"})
_JPX_WHERE = re.compile(r"^obj (\d+) (\d+) \(ImageXObject\) /Filter$")

# (clause or rule id, where, message, unsupported), as `_recheck` collects problems
Problem = tuple[str, str, str, bool]
Key = tuple[str, str, str]


@dataclass(slots=True)
class Settlement:
    """What `settle` found and did.

    Attributes:
        problems: Violations found, and constructs that could not be checked.
        candidates: pikepdf's findings settled if the check of the edited copy does not make them again.
        handed_over: Findings that stand in for settled ones, for a later check of ours (an image's
            metadata stream, handed to the object metadata checks).
    """

    problems: list[Problem] = field(default_factory=list)
    candidates: set[Key] = field(default_factory=set)
    handed_over: list[pikepdf.pdfa.Finding] = field(default_factory=list)


def _opm(f: pikepdf.pdfa.Finding) -> bool:
    return f.rule in _OPM_RULES and f.message == _overprint.MESSAGE


def _halftone(f: pikepdf.pdfa.Finding) -> bool:
    return f.rule == _halftones.RULE and f.message == _halftones.MESSAGE


def _jpeg2000(f: pikepdf.pdfa.Finding, part: int) -> bool:
    return part != 1 and f.rule == _jpx.RULE and f.message == _jpx.MESSAGE


def _image_metadata(f: pikepdf.pdfa.Finding) -> bool:
    return f.rule == _images.METADATA_RULE and f.message == _images.METADATA_MESSAGE


def _thumbnail(f: pikepdf.pdfa.Finding) -> bool:
    return f.rule == _images.THUMB_RULE and f.message == _images.THUMB_MESSAGE


def is_refusal(f: pikepdf.pdfa.Finding, part: int) -> bool:
    """True for a refusal `settle` may settle."""
    return _opm(f) or _halftone(f) or _jpeg2000(f, part) or _image_metadata(f) or _thumbnail(f)


def settle(
    pdf: pikepdf.Pdf, part: int, output_intent: str | None, findings: list[pikepdf.pdfa.Finding]
) -> Settlement:
    """Check what these refusals hid and edit the copy *pdf* so that they no longer arise."""
    done = Settlement()

    def keys(match: object) -> set[Key]:
        return {(f.rule, f.where, f.message) for f in findings if match(f)}  # type: ignore[operator]

    if any(_opm(f) for f in findings):
        done.problems.extend(
            (p.clause, p.where, p.message, p.unsupported) for p in _overprint.check_overprint(pdf, part)
        )
        _overprint.neutralise(pdf)
        done.candidates |= keys(_opm)
    if any(_halftone(f) for f in findings):
        done.problems.extend(
            (p.clause, p.where, p.message, p.unsupported) for p in _halftones.check_halftones(pdf, part)
        )
        _halftones.remove_halftones(pdf)
        done.candidates |= keys(_halftone)
    if any(_jpeg2000(f, part) for f in findings):
        prepared: set[tuple[int, int]] = set()
        for image in _jpx.jpx_images(pdf):
            where = f"obj {image.objgen[0]} {image.objgen[1]} (ImageXObject)"
            problems = _jpx.check_image(image, where, output_intent) if _jpx.is_jpx(image) else []
            done.problems.extend((p.clause, p.where, p.message, p.unsupported) for p in problems)
            if (
                _jpx.is_jpx(image)
                and not any(p.unsupported for p in problems)
                and _jpx.prepare_image(pdf, image)
            ):
                prepared.add(image.objgen)
        for f in findings:
            m = _JPX_WHERE.match(f.where) if _jpeg2000(f, part) else None
            if m is not None and (int(m.group(1)), int(m.group(2))) in prepared:
                done.candidates.add((f.rule, f.where, f.message))
        if prepared:
            # Only the images prepared have a stand-in colour space: the finding on any other
            # image without one is made again
            done.candidates |= keys(lambda f: f.rule == _jpx.RULE and f.message == _jpx.NO_COLOUR_SPACE)
    for f in findings:
        if _image_metadata(f):
            stand_in = _images.hand_over_metadata(pdf, f.where)
            if stand_in is not None:
                done.handed_over.append(stand_in)
                done.candidates.add((f.rule, f.where, f.message))
        elif _thumbnail(f) and _images.hand_over_thumbnail(pdf, f.where):
            done.candidates.add((f.rule, f.where, f.message))
            if part == 3:
                # pikepdf walked nothing below the file specification: the embedded files it then
                # refused as not reached by its walk are settled if the walk of the copy reaches them
                done.candidates |= keys(lambda f: f.rule == _embedded.FILE_RULE)
    return done
