"""``qujat report``: the HTML review page built from a folder of ``.qujat.json`` reports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from converter.review import PAGE_NAME, load_reports, main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _report(folder: Path, name: str, findings: list[dict[str, Any]], *, status: str = "converted") -> Path:
    stem = name.rsplit(".", 1)[0]
    outputs = []
    for fmt in ("odt", "pdf"):
        out = folder / f"{stem}.{fmt}"
        out.write_bytes(b"placeholder")
        outputs.append(
            {
                "path": str(out),
                "sha256": "0" * 64,
                "size": 11,
                "format": fmt,
                "valid": True,
                "pdfa_flavour": "2b" if fmt == "pdf" else None,
                "validation": [],
            }
        )
    data = {
        "schema_version": 1,
        "status": status,
        "exit_code": 0,
        "exit_name": "ok",
        "message": f"{name} → {stem}.odt, {stem}.pdf",
        "profile": "final",
        "pdfa_flavour": "2b",
        "input": {
            "path": str(folder.parent / "in" / name),
            "sha256": None,
            "size": 1,
            "kind": "text",
            "format": "docx",
            "encrypted": False,
            "macros": False,
            "signed": False,
        },
        "outputs": outputs,
        "quarantined": [],
        "findings": findings,
        "created": "2026-01-01T00:00:00+00:00",
    }
    path = folder / f"{stem}.qujat.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _finding(code: str, severity: str, message: str = "m", **kw: Any) -> dict[str, Any]:
    return {
        "code": code,
        "severity": severity,
        "message": message,
        "where": kw.get("where", ""),
        "source_value": kw.get("source_value"),
        "output_value": kw.get("output_value"),
    }


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "in").mkdir()
    _report(out, "хат-қазақша.docx", [_finding("font_substituted", "info", "Arial → Liberation Sans")])
    _report(
        out,
        "отчёт-2025.docx",
        [
            _finding("table_lost", "error", "2 таблицы пропали", source_value=2, output_value=0),
            _finding("comments_in_final", "warning", "3 comments"),
        ],
    )
    _report(out, "memo.docx", [_finding("tracked_changes_in_final", "warning", "5 tracked changes")])
    _report(
        out, "<img src=x onerror=alert(1)>.docx", [_finding("text_changed", "warning", "<b>bold</b> & co")]
    )
    sub = out / "nested"
    sub.mkdir()
    (sub / "broken.qujat.json").write_text("{not json", encoding="utf-8")
    return out


def test_page_lists_documents_worst_first(run_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(run_dir)]) == 0
    page = run_dir / PAGE_NAME
    assert capsys.readouterr().out.strip() == str(page)
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    order = [html.index(n) for n in ("broken", "отчёт-2025.docx", "memo.docx", "хат-қазақша.docx")]
    assert order == sorted(order)  # unreadable and errors, then warnings, then clean
    assert "2 таблицы пропали" in html and "table_lost" in html


def test_page_is_escaped_and_self_contained(run_dir: Path) -> None:
    main([str(run_dir)])
    html = (run_dir / PAGE_NAME).read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;.docx" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html
    assert not re.search(r"""(src|href)=["'](https?:|//)""", html)  # no external assets
    assert "<link" not in html and "<img" not in html


def test_links_are_relative_and_resolve(run_dir: Path) -> None:
    main([str(run_dir)])
    html = (run_dir / PAGE_NAME).read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert "%D0%BE%D1%82%D1%87%D1%91%D1%82-2025.pdf" in hrefs  # отчёт-2025.pdf, percent-encoded
    assert "../in/%D0%BE%D1%82%D1%87%D1%91%D1%82-2025.docx" in hrefs
    from urllib.parse import unquote

    for h in hrefs:
        assert not h.startswith("/")
        if not h.startswith("../in/"):  # the sources are not in this test's folder
            assert (run_dir / unquote(h)).exists(), h


def test_policy_marks_documents_for_review(run_dir: Path, tmp_path: Path) -> None:
    docs = {d.name: d for d in load_reports(run_dir)}
    assert docs["memo.docx"].review_reasons  # tracked changes in a final need a person by default
    assert not docs["хат-қазақша.docx"].review_reasons
    policy = tmp_path / "policy.toml"
    policy.write_text('[review]\nignore = ["tracked_changes_in_final"]\n', encoding="utf-8")
    assert main([str(run_dir), "--policy", str(policy)]) == 0
    policy.write_text("[review\n", encoding="utf-8")
    assert main([str(run_dir), "--policy", str(policy)]) == 9


def test_bad_arguments(tmp_path: Path) -> None:
    assert main([str(tmp_path / "missing")]) == 1
    assert main([]) == 1
    assert main([str(tmp_path)]) == 0  # an empty folder still gets a page saying so
    assert "No conversion reports" in (tmp_path / PAGE_NAME).read_text(encoding="utf-8")


def test_report_subcommand_runs_as_a_process(run_dir: Path) -> None:
    qujat = Path(sys.executable).with_name("qujat")
    if not qujat.exists():
        pytest.skip("the qujat console script is not installed")
    run = subprocess.run([str(qujat), "report", str(run_dir)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(run_dir / PAGE_NAME)


def _chromium(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,900",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_page_renders_in_chromium_without_console_errors(run_dir: Path, tmp_path: Path) -> None:
    main([str(run_dir)])
    page = (run_dir / PAGE_NAME).resolve()
    # A control page first: it proves console messages reach this log, so their absence means something.
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><script>console.error("qujat-control")</script>', encoding="utf-8")
    ctl = _chromium(control.as_uri(), tmp_path / "profile", "--dump-dom")
    assert ":CONSOLE" in ctl.stderr and "qujat-control" in ctl.stderr

    shot = tmp_path / "review.png"
    run = _chromium(page.as_uri(), tmp_path / "profile", f"--screenshot={shot}")
    assert run.returncode == 0, run.stderr[-2000:]
    assert ":CONSOLE" not in run.stderr, run.stderr[-2000:]
    assert shot.is_file() and shot.stat().st_size > 10_000
    assert shot.read_bytes().startswith(b"\x89PNG")

    dom = _chromium(page.as_uri(), tmp_path / "profile", "--dump-dom")
    assert "отчёт-2025.docx" in dom.stdout and "хат-қазақша.docx" in dom.stdout
    assert ":CONSOLE" not in dom.stderr
