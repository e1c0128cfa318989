"""`qujat doctor`: check the installation and say how to fix each gap."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from converter._engine.launcher import SOFFICE_BIN, SYSTEM_PYTHON, bwrap_works

_APT = "apt-get install -y --no-install-recommends"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True


def _run(argv: list[str], timeout: float = 60) -> tuple[int, str]:
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        return -1, str(e)
    return p.returncode, (p.stdout + p.stderr).strip()


def _fc_match(family: str) -> str:
    code, out = _run(["fc-match", "-f", "%{family}", family], 10)
    return out.split(",")[0] if code == 0 else ""


def checks() -> list[Check]:
    """Run every check; slow ones (starting soffice) take a few seconds."""
    out: list[Check] = []
    if Path(SOFFICE_BIN).exists():
        code, text = _run([str(Path(SOFFICE_BIN).with_name("soffice")), "--version"])
        out.append(Check("LibreOffice", code == 0, text.splitlines()[0] if text else "no version"))
    else:
        out.append(
            Check(
                "LibreOffice",
                False,
                "not installed",
                f"{_APT} libreoffice-writer libreoffice-calc libreoffice-impress libreoffice-math",
            )
        )
    code, text = _run([SYSTEM_PYTHON, "-c", "import uno; print('ok')"])
    out.append(
        Check(
            "python3-uno",
            code == 0,
            "uno imports in " + SYSTEM_PYTHON if code == 0 else text[-200:],
            f"{_APT} python3-uno",
        )
    )
    reason = bwrap_works()
    out.append(
        Check(
            "sandbox (bubblewrap)",
            reason is None,
            "starts" if reason is None else reason,
            f"{_APT} bubblewrap, and allow user namespaces (kernel.unprivileged_userns_clone=1)",
            required=False,
        )
    )
    code, text = _run(["fc-list", ":lang=kk", "family"], 20)
    families = sorted({ln.split(",")[0] for ln in text.splitlines() if ln.strip()}) if code == 0 else []
    out.append(
        Check(
            "fonts covering Kazakh",
            bool(families),
            ", ".join(families[:6]) + (" ..." if len(families) > 6 else "") if families else "none",
            f"{_APT} fonts-dejavu-core fonts-noto-core fonts-liberation2",
        )
    )
    for wanted, substitute in (
        ("Calibri", "Carlito"),
        ("Cambria", "Caladea"),
        ("Arial", "Liberation Sans"),
        ("Times New Roman", "Liberation Serif"),
    ):
        got = _fc_match(wanted)
        out.append(
            Check(
                f"{wanted} substitute",
                got == substitute,
                f"{wanted} → {got or '?'}",
                f"{_APT} fonts-crosextra-carlito fonts-crosextra-caladea fonts-liberation2",
                required=False,
            )
        )
    if shutil.which("tesseract"):
        _, text = _run(["tesseract", "--list-langs"])
        langs = set(text.split())
        missing = {"kaz", "rus", "eng"} - langs
        out.append(
            Check(
                "Tesseract languages",
                not missing,
                "kaz, rus, eng" if not missing else f"missing {', '.join(sorted(missing))}",
                f"{_APT} tesseract-ocr-kaz tesseract-ocr-rus tesseract-ocr-eng",
                required=False,
            )
        )
    else:
        out.append(
            Check(
                "Tesseract",
                False,
                "not installed",
                f"{_APT} tesseract-ocr tesseract-ocr-kaz tesseract-ocr-rus tesseract-ocr-eng",
                required=False,
            )
        )
    for tool, pkg in (("gs", "ghostscript"), ("qpdf", "qpdf"), ("pdftotext", "poppler-utils")):
        found = shutil.which(tool)
        out.append(Check(tool, bool(found), found or "not installed", f"{_APT} {pkg}", required=False))
    return out


def run() -> int:
    """Print the checks; return 0 when every required one passed, 3 otherwise."""
    results = checks()
    width = max(len(c.name) for c in results)
    for c in results:
        mark = "ok  " if c.ok else ("FAIL" if c.required else "warn")
        print(f"{mark}  {c.name:<{width}}  {c.detail}")
        if not c.ok and c.fix:
            print(f"      {'':<{width}}  fix: {c.fix}")
    return 0 if all(c.ok for c in results if c.required) else 3
