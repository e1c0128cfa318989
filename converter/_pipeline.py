"""One document's way through qujat, top to bottom like its data (DESIGN §1):

identify → pre-check → engine → post-process → validate → route.

Each stage takes the job context and returns what the next needs; a stage that refuses the document
raises `_Stop`, which turns into a quarantined result with a reason. Outputs are staged in a temporary
folder and placed only once every output passed its gate, so nothing partial ever appears.
"""

from __future__ import annotations

import errno
import json
import logging
import platform
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import pikepdf

from converter._engine.pool import EngineJob, EnginePool, EngineResult
from converter._engine.worker import DocumentRejected, EngineError, EngineStartFailed
from converter._pdfinput import PdfRouteError, pdf_to_pdfa
from converter.exceptions import ExitCode
from converter.files import atomic_writer, place_file, sha256_file
from converter.logs import document
from converter.odffix import remove_script_links, repair_strict_odf
from converter.options import ConvertOptions, Flavour, OdfDialect
from converter.postprocess import make_pdfa
from converter.result import ConversionResult, OutputFile, ReportFinding, Severity, Status
from validators import ValidationReport, validate_odf, validate_pdfa
from validators.fidelity import ReviewPolicy, compare_files
from validators.inputs import DocKind, InputFormat, InputReport, check_input

log = logging.getLogger(__name__)

_ODF_EXT = {"text": "odt", "spreadsheet": "ods", "presentation": "odp", "drawing": "odg"}
_ENGINE_SUFFIX = {
    InputFormat.FODT: ".fodt",
    InputFormat.FODS: ".fods",
    InputFormat.FODP: ".fodp",
}
# LibreOffice's CSV import: separator (as a character code), text delimiter '"', encoding 76 (UTF-8),
# first line 1; column types left to detection.
_CSV_FILTER = "Text - txt - csv (StarCalc)"
_ENGINE_RETRIES = 1
# Outcomes whose outputs were placed: the document is converted, perhaps with a flag for review.
_CONVERTED = (ExitCode.ok, ExitCode.invalid_output, ExitCode.fidelity_below_threshold)


class _Stop(Exception):
    def __init__(self, code: ExitCode, reason: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message


@dataclass(slots=True)
class _Job:
    src: Path
    opts: ConvertOptions
    out_dir: Path
    quarantine_dir: Path
    staging: Path
    t0: float = field(default_factory=time.monotonic)
    timings: dict[str, float] = field(default_factory=dict)
    findings: list[ReportFinding] = field(default_factory=list)
    inp: InputReport | None = None
    sha256: str | None = None
    engine: dict[str, Any] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    outputs: list[OutputFile] = field(default_factory=list)
    quarantined: list[Path] = field(default_factory=list)

    @property
    def stem(self) -> str:
        """The name outputs and the report take: the input's, unless the caller chose one."""
        return self.opts.output_stem or self.src.stem

    def stage(self, name: str, since: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + time.monotonic() - since

    def find(self, code: str, severity: Severity, message: str, where: str = "", **values: Any) -> None:
        self.findings.append(
            ReportFinding(code=code, severity=severity, message=message, where=where, **values)
        )


def versions() -> dict[str, str]:
    """Versions of qujat and the libraries whose behaviour shapes its outputs."""
    out = {
        "python": platform.python_version(),
        "pikepdf": pikepdf.__version__,
        "qpdf": pikepdf.__libqpdf_version__,
    }
    for dist in ("qujat", "odfpy", "python-docx", "openpyxl"):
        try:
            out[dist] = importlib_metadata.version(dist)
        except importlib_metadata.PackageNotFoundError:
            pass
    return out


def output_paths(src: Path, opts: ConvertOptions) -> tuple[Path, Path]:
    out_dir = opts.output_dir or src.parent
    return out_dir, opts.quarantine_dir or out_dir / "quarantine"


def run_one(
    src: Path, opts: ConvertOptions, pool: EnginePool | None, qujat_versions: dict[str, str]
) -> ConversionResult:
    """Convert one document; never raises for a problem with the document itself."""
    out_dir, qdir = output_paths(src, opts)
    # Staging lives in the pool's work folder (the caller's work_dir), so nothing leaks elsewhere.
    staging = Path(tempfile.mkdtemp(prefix="stage-", dir=pool.root if pool is not None else None))
    job = _Job(src=src, opts=opts, out_dir=out_dir, quarantine_dir=qdir, staging=staging)
    with document(src.name):
        return _run(job, pool, qujat_versions)


def _run(job: _Job, pool: EnginePool | None, qujat_versions: dict[str, str]) -> ConversionResult:
    staging = job.staging
    try:
        try:
            _identify(job)
            _plan(job)
            assert job.inp is not None
            if job.inp.kind in (DocKind.PDF, DocKind.IMAGE):
                # PDFs and images: OCR where there is no text, PDF/A, the gate; no LibreOffice.
                _route(job, [_pdf_route(job, pool)])
                code, message = _verdict(job)
                return _finish(job, code, message, qujat_versions)
            # Without the sandbox, LibreOffice 7.4 embeds a local file an SVG picture points to; the profile
            # cannot stop it. Such a document waits for a machine where the sandbox starts.
            if pool is not None and not pool.engine.sandboxed and any("SVG" in k for k in job.inp.external):
                raise _Stop(
                    ExitCode.input_file,
                    "external_content_unsandboxed",
                    f"{job.src.name}: an SVG picture in it points to files or addresses outside the "
                    "document, and LibreOffice cannot be sandboxed here; convert it where the sandbox "
                    "starts (see qujat doctor)",
                )
            if pool is None:
                raise _Stop(
                    ExitCode.missing_dependency, "engine_missing", "no conversion engine is available"
                )
            produced = _convert(job, pool)
            staged = _postprocess(job, produced)
            _fidelity(job, staged)
            _route(job, staged)
            code, message = _verdict(job)
        except _Stop as stop:
            job.find(stop.reason, Severity.ERROR, stop.message)
            code, message = stop.code, stop.message
        return _finish(job, code, message, qujat_versions)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# -- identify and pre-check ----------------------------------------------------------------------------


def _identify(job: _Job) -> None:
    t = time.monotonic()
    try:
        inp = check_input(job.src, job.opts.limits)
        job.sha256 = sha256_file(job.src)
    except OSError as e:
        raise _Stop(
            ExitCode.input_file, "input_unreadable", f"cannot read the input: {e.strerror or e}"
        ) from e
    finally:
        job.stage("identify", t)
    job.inp = inp
    for note in inp.findings:
        if note.rule == "input:macros":
            job.find("macros_dropped", Severity.WARNING, note.message)
        elif note.rule == "input:signed":
            job.find("signature_not_carried", Severity.WARNING, note.message)
        elif note.rule == "input:external-content":
            job.find("external_content_blocked", Severity.WARNING, note.message)
        elif note.rule == "input:script-links":
            job.find("script_links_removed", Severity.WARNING, note.message)
    reason = inp.reason
    if reason is not None:
        code = ExitCode.encrypted_input if (inp.encrypted or inp.irm) else ExitCode.input_file
        raise _Stop(
            code, reason.rule.removeprefix("input:").replace("-", "_"), f"{job.src.name}: {reason.message}"
        )
    if inp.kind in (DocKind.PDF, DocKind.IMAGE) and "pdf" not in job.opts.profile.targets:
        raise _Stop(
            ExitCode.input_file,
            "unsupported_input",
            f"{job.src.name}: a {inp.format.value.upper()} input has no ODF target; use the final or archive "
            "profile to make it PDF/A",
        )


def _plan(job: _Job) -> None:
    """Fail before any work if an output would be the input itself, or exists without overwrite."""
    assert job.inp is not None
    stem = job.stem
    exts = []
    if "odf" in job.opts.profile.targets and job.inp.kind not in (DocKind.PDF, DocKind.IMAGE):
        exts.append(_ODF_EXT.get(job.inp.kind.value, "odt"))
    if "pdf" in job.opts.profile.targets:
        exts.append("pdf")
    for ext in exts:
        p = job.out_dir / f"{stem}.{ext}"
        if p.exists() and p.resolve() == job.src.resolve():
            # x.pdf converted beside itself: even with overwrite, the original must never be replaced.
            raise _Stop(
                ExitCode.file_access_error,
                "output_is_input",
                f"{p} would replace the input itself; choose another output folder (--out)",
            )
        if p.exists() and not job.opts.overwrite:
            raise _Stop(
                ExitCode.file_access_error,
                "output_exists",
                f"{p} already exists; pass --overwrite (overwrite=True) to replace it",
            )


# -- engine --------------------------------------------------------------------------------------------


def _engine_job(job: _Job) -> EngineJob:
    inp = job.inp
    assert inp is not None
    source, import_filter, options = job.src, None, None
    if inp.format is InputFormat.CSV:
        if inp.text_encoding != "utf-8":
            # LibreOffice's CSV filter takes one encoding; hand it UTF-8 always.
            source = job.staging / "input.csv"
            source.write_text(
                job.src.read_bytes().decode(inp.text_encoding or "cp1251", errors="replace"), "utf-8"
            )
        import_filter = _CSV_FILTER
        options = f"{ord(inp.csv_delimiter or ',')},34,76,1"
    suffix = _ENGINE_SUFFIX.get(inp.format, "." + inp.format.value)
    return EngineJob(
        source=source,
        suffix=suffix,
        targets=job.opts.profile.targets,
        pdf_version={"1b": 1, "2b": 2, "2u": 2, "3b": 3}[job.opts.pdfa.value],
        import_filter=import_filter,
        filter_options=options,
        timeout_s=job.opts.timeout_s,
    )


def _convert(job: _Job, pool: EnginePool) -> EngineResult:
    ejob = _engine_job(job)
    t = time.monotonic()
    last: EngineError | None = None
    try:
        for attempt in range(_ENGINE_RETRIES + 1):
            try:
                result = pool.run(ejob)
                break
            except DocumentRejected as e:
                raise _Stop(
                    ExitCode.input_file,
                    "engine_rejected",
                    f"{job.src.name}: LibreOffice could not open this document ({e.code}: {e}); "
                    "it is damaged "
                    "or not the kind of file its content suggests",
                ) from e
            except EngineStartFailed as e:
                raise _Stop(
                    ExitCode.missing_dependency, "engine_start", f"the engine could not start: {e}"
                ) from e
            except EngineError as e:
                last = e
                log.warning("%s: engine %s on attempt %d: %s", job.src.name, e.code, attempt + 1, e)
        else:
            assert last is not None
            code = "engine_timeout" if last.code == "timeout" else "engine_crashed"
            raise _Stop(
                ExitCode.child_process_error,
                code,
                f"{job.src.name}: LibreOffice {'timed out' if code == 'engine_timeout' else 'failed'} twice "
                f"on this document ({last}); it was quarantined and the engine restarted",
            )
    finally:
        job.stage("engine", t)
    for k, v in result.timings.items():
        job.timings[k] = v
    job.engine = {
        "name": "LibreOffice",
        "version": result.engine_version,
        "sandboxed": result.sandboxed,
        "attempts": attempt + 1,
    }
    if not result.sandboxed:
        job.find(
            "engine_not_sandboxed",
            Severity.WARNING,
            "LibreOffice ran without its sandbox ("
            + ("turned off" if getattr(pool.engine, "sandbox", "") == "off" else "bubblewrap unavailable")
            + "): linked content was blocked by configuration only",
        )
    job.metadata = result.metadata
    return result


# -- post-process and validate -------------------------------------------------------------------------


@dataclass(slots=True)
class _Staged:
    path: Path
    fmt: str
    flavour: str | None
    report: ValidationReport | None
    passed: bool


def _postprocess(job: _Job, produced: EngineResult) -> list[_Staged]:
    staged: list[_Staged] = []
    stem = job.stem
    odf_path: Path | None = None
    if "odf" in produced.files:
        ext = _ODF_EXT[produced.kind]
        odf_path = job.staging / f"{stem}.{ext}"
        produced.files["odf"].rename(odf_path)
        staged.append(_check_odf(job, odf_path, ext))
    if "pdf" in produced.files:
        staged.append(_make_pdfa(job, produced.files["pdf"], odf_path))
    shutil.rmtree(produced.staging, ignore_errors=True)
    return staged


def _check_odf(job: _Job, path: Path, ext: str) -> _Staged:
    if job.inp is not None and job.inp.script_links:
        remove_script_links(path)  # reported as script_links_removed at identification
    if job.opts.odf_dialect is OdfDialect.STRICT:
        t = time.monotonic()
        for change in repair_strict_odf(path):
            job.find("odf_repaired", Severity.INFO, change, where=path.name)
        job.stage("postprocess_odf", t)
    t = time.monotonic()
    report = validate_odf(path, extended=job.opts.odf_dialect is OdfDialect.EXTENDED)
    job.stage("validate_odf", t)
    if not report.passed:
        first = report.failures[0]
        job.find(
            "odf_invalid",
            Severity.ERROR,
            f"the {ext.upper()} output does not pass ODF validation: {first.message} ({first.where})",
            where=f"{job.stem}.{ext}",
        )
    return _Staged(path=path, fmt=ext, flavour=None, report=report, passed=report.passed)


def _make_pdfa(job: _Job, raw_pdf: Path, odf_path: Path | None) -> _Staged:
    flavour: Flavour = job.opts.pdfa
    dest = job.staging / f"{job.stem}.pdf"
    producer = f"qujat {job.engine.get('version', '')}".strip()
    t = time.monotonic()
    try:
        changes = make_pdfa(
            raw_pdf, dest, flavour, metadata=job.metadata, producer=producer, attachment=odf_path
        )
    except pikepdf.PdfError as e:
        raise _Stop(
            ExitCode.child_process_error, "engine_bad_pdf", f"LibreOffice wrote an unreadable PDF: {e}"
        ) from e
    finally:
        job.stage("postprocess_pdf", t)
    for change in changes:
        job.find("pdf_postprocessed", Severity.INFO, change, where=dest.name)
    t = time.monotonic()
    report = validate_pdfa(dest, flavour)  # the gate: judge the bytes that will be placed
    job.stage("validate_pdf", t)
    if not report.passed:
        _pdfa_failed(job, report)
    return _Staged(
        path=dest,
        fmt="pdf",
        flavour=flavour.value if report.passed else None,
        report=report,
        passed=report.passed,
    )


def _pdf_route(job: _Job, pool: EnginePool | None) -> _Staged:
    """PDF and image inputs through `converter._pdfinput`; its own checks stand in for fidelity."""
    assert job.inp is not None
    dest = job.staging / f"{job.stem}.pdf"
    t = time.monotonic()
    try:
        r = pdf_to_pdfa(
            job.src,
            dest,
            input_format=job.inp.format.value,
            flavour=job.opts.pdfa.value,
            # OCR of a dense page in three languages takes far longer than LibreOffice's load and store.
            timeout_s=max(job.opts.timeout_s, 600.0),
            work_dir=job.staging / "pdfroute",
            producer="qujat",
            # Several documents at once: one CPU each, instead of every document taking every CPU.
            jobs=1 if pool is not None and pool.size > 1 else None,
        )
    except PdfRouteError as e:
        for code, severity, message in e.findings:
            if not any(f.code == code for f in job.findings):
                job.find(code, Severity(severity), message)
        if e.candidate is not None and e.report is not None:  # not PDF/A: keep the candidate aside
            e.candidate.rename(dest)
            _pdfa_failed(job, e.report)
            return _Staged(path=dest, fmt="pdf", flavour=None, report=e.report, passed=False)
        raise _Stop(e.exit_code, e.code, f"{job.src.name}: {e.message}") from e
    finally:
        job.stage("pdf_route", t)
    for k, v in r.timings.items():
        job.timings[f"pdf_route_{k}"] = v
    job.engine = {"name": "ocrmypdf" if r.ocr_pages else "pikepdf", "route": r.route, **r.tools}
    for code, severity, message in r.findings:
        if not any(f.code == code for f in job.findings):  # identification already notes signatures
            job.find(code, Severity(severity), message)
    if r.ocr_pages:
        job.find(
            "ocr_applied",
            Severity.INFO,
            f"{r.ocr_pages} of {r.pages} page(s) OCR'd; {r.text_pages_after} page(s) have text",
            source_value=r.pages,
            output_value=r.text_pages_after,
        )
        job.metadata["ocr_confidence"] = r.ocr_confidence
    if "odf" in job.opts.profile.targets:
        job.find("odf_not_made", Severity.INFO, "a PDF or image input has no ODF output; PDF/A only")
    return _Staged(path=dest, fmt="pdf", flavour=r.flavour, report=r.validation, passed=True)


def _pdfa_failed(job: _Job, report: ValidationReport) -> None:
    failures = report.failures
    first = failures[0] if failures else None
    detail = f"{first.rule}: {first.message}" if first else "no detail"
    job.find(
        "pdfa_failed",
        Severity.ERROR,
        f"the PDF does not pass PDF/A-{report.flavour} validation ({detail}; {len(failures)} finding(s)); "
        "it was kept aside, not archived",
        where=f"{job.stem}.pdf",
    )


# -- route ---------------------------------------------------------------------------------------------


def _route(job: _Job, staged: list[_Staged]) -> None:
    """Place passing outputs in the output folder and failed PDFs in quarantine, each atomically."""
    t = time.monotonic()
    try:
        for s in staged:
            rejected = s.fmt == "pdf" and not s.passed
            dest_dir = job.quarantine_dir if rejected else job.out_dir
            dest = dest_dir / s.path.name
            try:
                place_file(s.path, dest, overwrite=job.opts.overwrite or rejected)
            except FileExistsError as e:
                raise _Stop(
                    ExitCode.file_access_error,
                    "output_exists",
                    f"{dest} appeared while converting; not replaced",
                ) from e
            except OSError as e:
                if e.errno == errno.ENOSPC:
                    raise _Stop(
                        ExitCode.file_access_error, "disk_full", f"no space left to write {dest}"
                    ) from e
                raise _Stop(
                    ExitCode.file_access_error, "output_unwritable", f"cannot write {dest}: {e}"
                ) from e
            findings = tuple(f.to_dict() for f in s.report.findings) if s.report else ()
            if rejected:
                job.quarantined.append(dest)
                _write_json(
                    dest.with_name(dest.name + ".reason.json"),
                    {
                        "exit_name": ExitCode.pdfa_conversion_failed.name,
                        "exit_code": int(ExitCode.pdfa_conversion_failed),
                        "input": str(job.src),
                        "message": f"not PDF/A-{job.opts.pdfa.value}: kept aside, not for the archive",
                        "findings": list(findings),
                    },
                )
                continue
            job.outputs.append(
                OutputFile(
                    path=dest,
                    sha256=sha256_file(dest),
                    size=dest.stat().st_size,
                    format=s.fmt,
                    pdfa_flavour=s.flavour,
                    valid=s.passed,
                    validation=findings,
                )
            )
    finally:
        job.stage("route", t)


def _fidelity(job: _Job, staged: list[_Staged]) -> None:
    """Compare the source with each output that passed its gate; every loss or change is a finding."""
    outputs = {s.fmt: s.path for s in staged if s.passed}
    if not outputs or not job.opts.fidelity:
        return
    t = time.monotonic()
    try:
        already = {f.code for f in job.findings}  # identification reported macros and external content
        # compare_files never raises: what it cannot read or compare comes back as a finding.
        for f in compare_files(job.src, outputs, profile=job.opts.profile.value):
            if f.code in already:
                continue
            job.find(
                f.code,
                Severity(str(f.severity)),
                f.message,
                where=f.where,
                source_value=f.source_value,
                output_value=f.output_value,
            )
    finally:
        job.stage("fidelity", t)


def _verdict(job: _Job) -> tuple[ExitCode, str]:
    if job.quarantined:
        return (
            ExitCode.pdfa_conversion_failed,
            f"{job.src.name}: the PDF failed PDF/A-{job.opts.pdfa} validation",
        )
    if any(not o.valid for o in job.outputs):
        return ExitCode.invalid_output, f"{job.src.name}: an ODF output failed validation"
    names = ", ".join(o.path.name for o in job.outputs)
    if (job.opts.review_policy or ReviewPolicy()).needs_review(job.findings):
        return ExitCode.fidelity_below_threshold, f"{job.src.name} → {names}; needs review (see its findings)"
    return ExitCode.ok, f"{job.src.name} → {names}"


def _finish(job: _Job, code: ExitCode, message: str, qujat_versions: dict[str, str]) -> ConversionResult:
    job.timings["total"] = time.monotonic() - job.t0
    inp = job.inp
    converted = code in _CONVERTED and bool(job.outputs)
    result = ConversionResult(
        input=job.src,
        status=Status.CONVERTED if converted else Status.QUARANTINED,
        exit_code=code,
        message=message,
        profile=job.opts.profile.value,
        pdfa_flavour=job.opts.pdfa.value if "pdf" in job.opts.profile.targets else None,
        input_sha256=job.sha256,
        input_size=inp.size if inp else 0,
        input_format=inp.format.value if inp else "unknown",
        kind=inp.kind.value if inp else "unknown",
        encrypted=bool(inp and inp.encrypted),
        macros=bool(inp and inp.macros),
        signed=bool(inp and inp.signed),
        outputs=tuple(job.outputs),
        quarantined=tuple(job.quarantined),
        findings=tuple(job.findings),
        metadata=job.metadata,
        timings=dict(job.timings),
        engine=job.engine,
        versions=qujat_versions,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    if job.opts.write_report:
        report_path = job.out_dir / f"{job.stem}.qujat.json"
        try:
            _write_json(report_path, dict(result.to_report()))
        except OSError as e:
            log.error("cannot write the report %s: %s", report_path, e)
        else:
            from dataclasses import replace

            result = replace(result, report_path=report_path)
    return result


def _write_json(dest: Path, data: dict[str, Any]) -> None:
    with atomic_writer(dest) as f:
        f.write(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
