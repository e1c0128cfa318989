"""The catalogue of samples: which builder makes which file under which name, and writing them out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from samples import _bad, _docx, _pptx, _report, _text, _xlsx
from samples._zip import write_atomic

#: Stable name -> file name under ``good/``. File names are partly Cyrillic on purpose.
GOOD: dict[str, str] = {
    "letter-kk": "хат-қазақша.docx",
    "letter-ru": "письмо-по-русски.docx",
    "letter-en": "letter-english.docx",
    "report-ru": "отчёт-2025.docx",
    "memo-en": "memo-retention-review.docx",
    "budget": "бюджет-2025.xlsx",
    "presentation": "таныстырылым-2025.pptx",
}

#: Stable name -> file name under ``bad/``.
BAD: dict[str, str] = {
    "bad-encrypted": "құпия-хат.docx",
    "bad-encrypted-xlsx": "құпия-бюджет.xlsx",
    "bad-truncated": "truncated-report.docx",
    "bad-fake-docx": "not-really-a-document.docx",
}


def _builders() -> dict[str, Callable[[], bytes]]:
    return {
        "letter-kk": lambda: _docx.letter(_text.LETTER_KK),
        "letter-ru": lambda: _docx.letter(_text.LETTER_RU),
        "letter-en": lambda: _docx.letter(_text.LETTER_EN),
        "report-ru": _report.report,
        "memo-en": lambda: _docx.memo(_text.MEMO),
        "budget": _xlsx.budget,
        "presentation": _pptx.presentation,
    }


def generate(out_dir: Path) -> dict[str, Path]:
    """Write every sample document.

    Args:
        out_dir: Folder to write into; ``good/`` and ``bad/`` are created inside it. Existing samples of
            the same names are replaced.

    Returns:
        Stable sample name (``"letter-kk"``, ``"bad-encrypted"``...) -> path of the written file, good
        files first.
    """
    out_dir = Path(out_dir)
    good_dir, bad_dir = out_dir / "good", out_dir / "bad"
    good_dir.mkdir(parents=True, exist_ok=True)
    bad_dir.mkdir(parents=True, exist_ok=True)

    made: dict[str, bytes] = {name: build() for name, build in _builders().items()}
    written = {name: write_atomic(good_dir / GOOD[name], data) for name, data in made.items()}

    broken = {
        "bad-encrypted": _bad.encrypted(made["letter-kk"]),
        "bad-encrypted-xlsx": _bad.encrypted(made["budget"]),
        "bad-truncated": _bad.truncated(made["report-ru"]),
        "bad-fake-docx": _bad.html_page(),
    }
    written.update({name: write_atomic(bad_dir / BAD[name], data) for name, data in broken.items()})
    return written
