"""OCR through ocrmypdf and Tesseract: the one module that runs them.

Two halves, kept apart as OCRmyPDF keeps its own ``_exec`` modules: `probe` answers "is it installed,
which versions, which languages?" without touching a document, and `run_ocrmypdf` runs it on one.

Every call is bounded. ocrmypdf runs in a child process of its own session, so its worker processes,
Tesseract and (on its PDF/A fallback) Ghostscript share one process group; on timeout the whole group is
killed and waited for, and no process outlives the call. ocrmypdf's own ``--tesseract-timeout`` only
gives up on a page and copies it without text, which would pass silently; the group kill is the bound
that counts.

The confidence summary comes from the hOCR files Tesseract writes for ocrmypdf (``x_wconf`` per word):
ocrmypdf is asked to keep its temporary folder, which is made inside the caller's work folder and
removed here after reading, so OCR runs once.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata as importlib_metadata
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = [
    "OcrError",
    "OcrRun",
    "OcrTools",
    "ToolRun",
    "confidence_summary",
    "probe",
    "run_bounded",
    "run_ocrmypdf",
]

# ocrmypdf's exit codes (its ExitCode enum) that mean something specific to the caller
_OCRMYPDF_EXIT = {
    2: "ocr_input",  # input file: damaged, or an image it cannot take
    3: "ocr_missing",  # missing dependency, or a configuration it refuses (Ghostscript regressions)
    6: "ocr_prior_text",  # a page already has text
    8: "ocr_encrypted",
    10: "ocr_pdfa_failed",
}
_WCONF = re.compile(r"class=['\"]ocrx_word['\"][^>]*?x_wconf (\d+)")
_LOW_CONFIDENCE = 60  # Tesseract word confidence below which a word is more likely wrong than right


class OcrError(Exception):
    """ocrmypdf or Tesseract failed, refused the document, or overran its timeout.

    Attributes:
        code: ``ocr_timeout``, ``ocr_failed``, ``ocr_missing``, ``ocr_input``, ``ocr_prior_text``,
            ``ocr_encrypted`` or ``ocr_pdfa_failed``.
        message: What happened, in words for a report.
        returncode: ocrmypdf's exit code, or None if it did not exit by itself.
        stderr: The tool's last output lines.
    """

    def __init__(self, code: str, message: str, *, returncode: int | None = None, stderr: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.returncode = returncode
        self.stderr = stderr


@dataclass(frozen=True, slots=True, kw_only=True)
class OcrTools:
    """What the machine offers for OCR.

    Attributes:
        ocrmypdf: ocrmypdf's version, or None if it is not importable.
        tesseract: Tesseract's version, or None if it is not on PATH.
        ghostscript: Ghostscript's version, or None if it is not on PATH.
        languages: Tesseract's installed language packs (``kaz``, ``rus``, ``eng`` ...).
    """

    ocrmypdf: str | None
    tesseract: str | None
    ghostscript: str | None
    languages: frozenset[str] = field(default_factory=frozenset)

    @property
    def usable(self) -> bool:
        return self.ocrmypdf is not None and self.tesseract is not None

    def missing_languages(self, languages: str) -> list[str]:
        """The packs in a ``kaz+rus+eng`` string that are not installed."""
        return [lang for lang in languages.split("+") if lang and lang not in self.languages]

    def versions(self) -> dict[str, str]:
        out = {"ocrmypdf": self.ocrmypdf, "tesseract": self.tesseract, "ghostscript": self.ghostscript}
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True, slots=True, kw_only=True)
class ToolRun:
    """A finished external command."""

    returncode: int
    stdout: bytes
    stderr: str
    seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class OcrRun:
    """A successful ocrmypdf run.

    Attributes:
        output: The PDF written.
        confidence: `confidence_summary` of the words Tesseract read (zero words and pages when it
            wrote no hOCR, as for blank pages).
        seconds: Wall time.
        stderr: ocrmypdf's log (also logged at DEBUG).
    """

    output: Path
    confidence: dict[str, float | int]
    seconds: float
    stderr: str


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_bounded(
    args: Sequence[str],
    *,
    timeout_s: float,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> ToolRun:
    """Run a command in its own process group; on timeout kill the whole group.

    Args:
        args: The command.
        timeout_s: Wall-clock limit for the command and everything it starts.
        env: Environment (default: this process's).
        cwd: Working folder.

    Returns:
        The exit code and output; a non-zero exit is the caller's to judge.

    Raises:
        TimeoutError: The command overran; it and its children were killed and reaped.
        FileNotFoundError: The program does not exist.
    """
    t = time.monotonic()
    log.debug("Running %s (timeout %.0fs)", " ".join(args), timeout_s)
    # start_new_session: the child leads a new process group, so killpg reaches the grandchildren
    # (Tesseract, Ghostscript, ocrmypdf's worker pool) that a plain kill would orphan.
    proc = subprocess.Popen(
        list(args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=max(timeout_s, 0.1))
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        out, err = proc.communicate()
        stderr = err.decode("utf-8", "replace")
        log.debug("%s timed out after %.0fs; stderr:\n%s", args[0], timeout_s, stderr)
        raise TimeoutError(f"{Path(args[0]).name} overran its {timeout_s:.0f}s timeout") from None
    except BaseException:  # KeyboardInterrupt included: leave nothing running behind us
        _kill_group(proc)
        proc.wait()
        raise
    # The leader exited; anything it left running in its group is killed too.
    _kill_group(proc)
    return ToolRun(
        returncode=proc.returncode,
        stdout=out,
        stderr=err.decode("utf-8", "replace"),
        seconds=time.monotonic() - t,
    )


def _version_line(args: list[str], pattern: str) -> str | None:
    exe = shutil.which(args[0])
    if exe is None:
        return None
    try:
        run = run_bounded([exe, *args[1:]], timeout_s=20)
    except (OSError, TimeoutError) as e:
        log.debug("%s did not answer: %s", args[0], e)
        return None
    m = re.search(pattern, run.stdout.decode("utf-8", "replace") + run.stderr)
    return m.group(1) if m else None


@functools.lru_cache(maxsize=1)
def _probe() -> OcrTools:
    try:
        ocrmypdf = importlib_metadata.version("ocrmypdf")
    except importlib_metadata.PackageNotFoundError:
        ocrmypdf = None
    tesseract = _version_line(["tesseract", "--version"], r"tesseract\s+v?([\d.]+\S*)")
    languages: frozenset[str] = frozenset()
    exe = shutil.which("tesseract")
    if exe is not None:
        try:
            run = run_bounded([exe, "--list-langs"], timeout_s=20)
            lines = (run.stdout.decode("utf-8", "replace") + run.stderr).splitlines()
            languages = frozenset(ln.strip() for ln in lines if ln.strip() and " " not in ln.strip())
        except (OSError, TimeoutError) as e:
            log.debug("tesseract --list-langs did not answer: %s", e)
    ghostscript = _version_line(["gs", "--version"], r"([\d.]+)")
    return OcrTools(ocrmypdf=ocrmypdf, tesseract=tesseract, ghostscript=ghostscript, languages=languages)


def probe(*, refresh: bool = False) -> OcrTools:
    """Find ocrmypdf, Tesseract (with its language packs) and Ghostscript; no document is touched.

    Args:
        refresh: Look again instead of answering from this process's cache.

    Returns:
        What was found; a missing tool is None, never an exception.
    """
    if refresh:
        _probe.cache_clear()
    return _probe()


def confidence_summary(hocr_files: Sequence[Path]) -> dict[str, float | int] | None:
    """Summarise Tesseract's word confidences (0-100) from its hOCR files.

    Args:
        hocr_files: One hOCR file per OCR'd page.

    Returns:
        ``pages``, ``words``, ``mean``, ``median`` and ``low_share`` (the share of words under 60), or
        None if there were no files.
    """
    if not hocr_files:
        return None
    confs: list[int] = []
    for path in hocr_files:
        try:
            confs.extend(int(m) for m in _WCONF.findall(path.read_text("utf-8", "replace")))
        except OSError as e:
            log.debug("Cannot read %s: %s", path, e)
    if not confs:
        return {"pages": len(hocr_files), "words": 0, "mean": 0.0, "median": 0.0, "low_share": 0.0}
    return {
        "pages": len(hocr_files),
        "words": len(confs),
        "mean": round(statistics.fmean(confs), 1),
        "median": float(statistics.median(confs)),
        "low_share": round(sum(c < _LOW_CONFIDENCE for c in confs) / len(confs), 3),
    }


def _tail(text: str, lines: int = 6) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def run_ocrmypdf(
    src: Path,
    dest: Path,
    *,
    output_type: str,
    languages: str,
    timeout_s: float,
    work_dir: Path,
    image_dpi: int | None = None,
    pages: Sequence[int] | None = None,
    jobs: int | None = None,
    deskew: bool = False,
    extra_args: Sequence[str] = (),
) -> OcrRun:
    """OCR *src* (a PDF or an image) into *dest* with ocrmypdf, bounded by *timeout_s*.

    Only ocrmypdf's default mode is used: it OCRs pages without text and refuses pages with text. Its
    ``--skip-text``/``--redo-ocr`` modes are never used (with Ghostscript 10.0.0 through 10.02.0 they
    corrupt pages with text, and ocrmypdf 17 refuses them there), nor ``--force-ocr`` (it rasterises
    born-digital text). Pages are rasterised with pypdfium2, not Ghostscript.

    Args:
        src: Input PDF or image.
        dest: Output PDF.
        output_type: ``pdfa-1``, ``pdfa-2``, ``pdfa-3`` or ``pdf`` (no Ghostscript at all).
        languages: Tesseract languages, ``kaz+rus+eng``.
        timeout_s: Wall-clock limit for the whole run.
        work_dir: A folder for ocrmypdf's temporary files (removed again before returning).
        image_dpi: For an image without a usable resolution, the one to assume.
        pages: For a PDF, OCR only these pages (1-based); the others are copied unchanged.
        jobs: Worker processes for ocrmypdf (default: one per CPU).
        deskew: Straighten each OCR'd page first; the output then shows the straightened image.
        extra_args: Further ocrmypdf options.

    Returns:
        The run, with a confidence summary from Tesseract's hOCR.

    Raises:
        OcrError: ocrmypdf failed (``code`` says how) or overran (``ocr_timeout``).
    """
    tmp = Path(tempfile.mkdtemp(prefix="ocr-", dir=work_dir))
    # Tesseract writes hOCR beside its text-only PDF when this variable is set: the confidences come
    # from the same recognition that made the text layer.
    hocr_config = tmp / "qujat-hocr.cfg"
    hocr_config.write_text("tessedit_create_hocr 1\n")
    args = [
        sys.executable,
        "-m",
        "ocrmypdf",
        "--output-type",
        output_type,
        "-l",
        languages,
        "--rasterizer",
        "pypdfium",
        # Tesseract's own text-only PDF, not the default fpdf2 renderer: measured on generated
        # Kazakh/Russian/English scans, poppler's pdftotext split words inside fpdf2's text layer
        # (word recall down to 0.92) and not inside this one (1.0); pdfminer and pdfium read both fully.
        "--pdf-renderer",
        "sandwich",
        "--tesseract-config",
        str(hocr_config),
        # Tesseract's own per-page limit only drops a page's text silently; keep it above ours.
        "--tesseract-timeout",
        str(int(timeout_s) + 60),
        "--keep-temporary-files",
    ]
    if image_dpi:
        args += ["--image-dpi", str(image_dpi)]
    if pages:
        args += ["--pages", ",".join(str(p) for p in pages)]
    if jobs:
        args += ["--jobs", str(jobs)]
    if deskew:
        args.append("--deskew")
    args += [*extra_args, "--", str(src), str(dest)]
    # ocrmypdf makes its temporary folder with tempfile, so TMPDIR puts it where we can read the hOCR.
    env = {**os.environ, "TMPDIR": str(tmp)}
    try:
        try:
            run = run_bounded(args, timeout_s=timeout_s, env=env, cwd=tmp)
        except TimeoutError as e:
            raise OcrError(
                "ocr_timeout",
                f"OCR overran its {timeout_s:.0f}s timeout; ocrmypdf and Tesseract were stopped",
            ) from e
        except OSError as e:
            raise OcrError("ocr_missing", f"ocrmypdf could not start: {e}") from e
        log.debug("ocrmypdf exited %d in %.1fs; stderr:\n%s", run.returncode, run.seconds, run.stderr)
        if run.returncode != 0 or not dest.is_file():
            code = _OCRMYPDF_EXIT.get(run.returncode, "ocr_failed")
            log.error("ocrmypdf failed (exit %d): %s", run.returncode, _tail(run.stderr))
            raise OcrError(
                code,
                f"ocrmypdf failed with exit code {run.returncode}: {_tail(run.stderr, 1) or 'no message'}",
                returncode=run.returncode,
                stderr=_tail(run.stderr, 20),
            )
        # no hOCR at all: ocrmypdf found nothing to read (blank or vector-only pages)
        hocr = sorted(tmp.glob("ocrmypdf.io.*/*.hocr"))
        confidence = confidence_summary(hocr) or {
            "pages": 0,
            "words": 0,
            "mean": 0.0,
            "median": 0.0,
            "low_share": 0.0,
        }
        return OcrRun(output=dest, confidence=confidence, seconds=run.seconds, stderr=run.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
