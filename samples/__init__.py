"""Sample documents for tests and the demo: Kazakh, Russian and English office files, good and bad.

`generate` writes them all, deterministically: good files under ``OUT/good/``, inputs the pipeline must
refuse under ``OUT/bad/``. The mapping it returns uses stable names (``"letter-kk"``, ``"report-ru"``,
``"bad-encrypted"``...), so callers never depend on the (partly Cyrillic) file names.
"""

from __future__ import annotations

from samples._generate import BAD, GOOD, generate

__all__ = ["BAD", "GOOD", "generate"]
