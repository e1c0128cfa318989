"""Which font this system draws a requested font with (fontconfig's ``fc-match``), whether that is a
metric-compatible stand-in, and which characters the font it picks cannot draw.

LibreOffice asks fontconfig for the fonts a document names, so ``fc-match`` answers what the converted
document will actually be set in. A character the chosen font lacks is drawn from another font
(fallback): the letters then look different from their neighbours, and line breaks move.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass

log = logging.getLogger(__name__)

__all__ = ["METRIC_COMPATIBLE", "Resolved", "resolve_font"]

#: Requested family (lower case) -> families drawn with the same widths, so lines and pages break
#: where they did: Google's Croscore/Crosextra fonts and Red Hat's Liberation fonts for Microsoft's,
#: URW's base-35 clones for Adobe's PostScript fonts.
METRIC_COMPATIBLE: dict[str, frozenset[str]] = {
    "calibri": frozenset({"carlito"}),
    "cambria": frozenset({"caladea"}),
    "arial": frozenset({"liberation sans", "arimo"}),
    "helvetica": frozenset({"liberation sans", "arimo", "nimbus sans", "nimbus sans l"}),
    "times new roman": frozenset({"liberation serif", "tinos"}),
    "times": frozenset({"liberation serif", "tinos", "nimbus roman", "nimbus roman no9 l"}),
    "courier new": frozenset({"liberation mono", "cousine"}),
    "courier": frozenset({"liberation mono", "cousine", "nimbus mono ps", "nimbus mono l"}),
    "arial narrow": frozenset({"liberation sans narrow"}),
    "georgia": frozenset({"gelasio"}),
    "century schoolbook": frozenset({"c059"}),
    "palatino": frozenset({"p052"}),
    "palatino linotype": frozenset({"p052"}),
    "bookman old style": frozenset({"urw bookman"}),
    "symbol": frozenset({"standard symbols ps"}),
}
_TIMEOUT_S = 10
# Controls, format characters (zero-width space, joiners, direction marks) and separators.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


@dataclass(frozen=True, slots=True)
class Resolved:
    """What fontconfig gives for a requested family.

    Attributes:
        requested: The family the document asked for.
        family: The family fontconfig chose ('' when fontconfig is unavailable).
        ranges: Code-point ranges the chosen font covers (inclusive).
    """

    requested: str
    family: str
    ranges: tuple[tuple[int, int], ...]

    @property
    def available(self) -> bool:
        return bool(self.family)

    @property
    def exact(self) -> bool:
        return self.family.casefold() == self.requested.casefold()

    @property
    def metric_compatible(self) -> bool:
        return self.family.casefold() in METRIC_COMPATIBLE.get(self.requested.casefold(), frozenset())

    def missing(self, chars: str) -> str:
        """The characters of *chars* this font cannot draw (invisible ones, which no font draws, aside)."""
        return "".join(
            ch
            for ch in chars
            if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES and not self._covers(ord(ch))
        )

    def _covers(self, cp: int) -> bool:
        lo, hi = 0, len(self.ranges)
        while lo < hi:
            mid = (lo + hi) // 2
            a, b = self.ranges[mid]
            if cp < a:
                hi = mid
            elif cp > b:
                lo = mid + 1
            else:
                return True
        return False


def _parse_charset(text: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in text.split():
        a, _, b = part.partition("-")
        try:
            out.append((int(a, 16), int(b or a, 16)))
        except ValueError:
            continue
    return tuple(sorted(out))


@functools.lru_cache(maxsize=512)
def resolve_font(family: str) -> Resolved:
    """The font fontconfig draws *family* with, and what it covers.

    Args:
        family: A font family name as a document requests it (``Calibri``).

    Returns:
        The resolution; ``available`` is False when ``fc-match`` is missing or fails.
    """
    exe = shutil.which("fc-match")
    if exe is None:
        return Resolved(family, "", ())
    try:
        run = subprocess.run(
            [exe, "-f", "%{family[0]}\t%{charset}", family],
            capture_output=True,
            timeout=_TIMEOUT_S,
            check=False,
        )
    except (subprocess.TimeoutExpired, OSError) as e:
        log.warning("fc-match %s failed: %s", family, e)
        return Resolved(family, "", ())
    if run.returncode != 0:
        return Resolved(family, "", ())
    chosen, _, charset = run.stdout.decode("utf-8", "replace").partition("\t")
    return Resolved(family, chosen.strip(), _parse_charset(charset))
