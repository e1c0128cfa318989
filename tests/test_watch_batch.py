"""``qujat batch`` as users run it, over real LibreOffice: interrupted with Ctrl-C, killed with SIGKILL,
run again until done; finished documents are never converted again and the summary counts the inputs.
"""

from __future__ import annotations

import csv
import json
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from converter import ExitCode
from tests.test_watch import QUJAT, converted_events, journal_rows, partial_files, variant, wait_for

pytestmark = pytest.mark.soffice


def _tree(samples: dict[str, Path], src: Path, n: int) -> int:
    names = ("letter-kk", "letter-ru", "letter-en", "memo-en")
    for i in range(n):
        s = samples[names[i % len(names)]]
        variant(s, src / f"бөлім-{i % 3}" / f"{i:03d}-{s.name}", i)
    for bad in ("bad-truncated", "bad-encrypted"):
        shutil.copyfile(samples[bad], src / samples[bad].name)
    shutil.copyfile(src / "бөлім-0" / f"000-{samples['letter-kk'].name}", src / "көшірме.docx")  # same bytes
    return n + 3


def _start(src: Path, dst: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [QUJAT, "batch", str(src), str(dst), "--profile", "working", "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _done(db: Path) -> int:
    if not db.exists():
        return 0
    return sum(1 for r in journal_rows(db) if r["state"] in ("placed", "quarantined"))


def test_batch_interrupted_killed_and_resumed(samples: dict[str, Path], tmp_path: Path) -> None:
    src, dst = tmp_path / "src", tmp_path / "dst"
    total = _tree(samples, src, 14)
    db = dst / ".qujat" / "journal.sqlite"

    # Ctrl-C: the documents in hand finish, the run says so and exits 130.
    p = _start(src, dst)
    wait_for(lambda: _done(db) >= 2, 120, "two documents done")
    p.send_signal(signal.SIGINT)
    _out, err = p.communicate(timeout=120)
    assert p.returncode == int(ExitCode.ctrl_c), err
    assert "interrupted" in err.lower()

    # kill -9 in the middle of the next run.
    p = _start(src, dst)
    before = _done(db)
    wait_for(lambda: _done(db) >= before + 3, 120, "three more documents done")
    p.kill()
    p.wait(30)
    finished = {r["id"]: r for r in journal_rows(db) if r["state"] == "placed"}
    stamps = {
        out: Path(out).stat().st_mtime_ns for r in finished.values() for out in json.loads(str(r["outputs"]))
    }
    assert stamps

    p = _start(src, dst)
    _out, err = p.communicate(timeout=300)
    assert p.returncode == int(ExitCode.batch_incomplete), err  # two broken inputs were quarantined
    for out, mtime in stamps.items():
        assert Path(out).stat().st_mtime_ns == mtime, f"{out} was written again"
    assert set(converted_events(db).values()) == {1}, "no document converted twice"
    rows = journal_rows(db)
    assert len(rows) == total and all(r["state"] in ("placed", "quarantined") for r in rows)
    assert not partial_files(dst)
    summary = {
        (row["kind"], row["key"]): int(row["count"])
        for row in csv.DictReader((dst / "reports" / "summary.csv").open(encoding="utf-8"))
    }
    assert summary[("total", "inputs")] == total
    outcomes = sum(v for (kind, _k), v in summary.items() if kind == "outcome")
    assert outcomes == total
    assert summary[("outcome", "quarantined")] == 2 and summary[("outcome", "duplicate")] == 1
    assert (dst / "бөлім-1" / f"001-{samples['letter-ru'].stem}.odt").is_file()
    assert (dst / "quarantine" / samples["bad-truncated"].name).is_file()
    assert (dst / "reports" / "summary.html").is_file()
    # Nothing left to do: a further run converts nothing and starts no engine.
    again = subprocess.run(
        [QUJAT, "batch", str(src), str(dst), "--profile", "working"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == int(ExitCode.batch_incomplete)
    assert f"{total} finished by an earlier run" in again.stderr


def test_batch_all_good_exits_0(samples: dict[str, Path], tmp_path: Path) -> None:
    src = tmp_path / "src"
    variant(samples["letter-en"], src / "a" / "one.docx", 1)
    variant(samples["letter-ru"], src / "b" / "екі.docx", 2)
    p = subprocess.run(
        [QUJAT, "batch", str(src), str(tmp_path / "dst"), "--profile", "final", "--workers", "2"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "dst" / "b" / "екі.pdf").is_file() and (tmp_path / "dst" / "a" / "one.odt").is_file()
    assert "converted 2" in p.stderr


@pytest.mark.slow
@pytest.mark.corpus
def test_batch_over_real_documents_killed_and_resumed(tmp_path: Path) -> None:
    from tests.conftest import CORPUS

    files = sorted(p for p in (CORPUS / "office").rglob("*") if p.is_file())[::3][:300]
    src, dst = tmp_path / "src", tmp_path / "dst"
    for f in files:
        dest = src / f.relative_to(CORPUS / "office")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, dest)
    db = dst / ".qujat" / "journal.sqlite"
    p = _start(src, dst)
    wait_for(lambda: _done(db) >= len(files) // 3, 1800, "a third of the documents", interval=1.0)
    p.kill()
    p.wait(30)
    done_before = {r["id"] for r in journal_rows(db) if r["state"] in ("placed", "quarantined")}
    p = _start(src, dst)
    _out, err = p.communicate(timeout=3600)
    assert p.returncode in (0, int(ExitCode.batch_incomplete)), err
    assert set(converted_events(db).values()) <= {1}, "no document converted twice"
    assert done_before <= {r["id"] for r in journal_rows(db)}
    summary = {
        (row["kind"], row["key"]): int(row["count"])
        for row in csv.DictReader((dst / "reports" / "summary.csv").open(encoding="utf-8"))
    }
    assert summary[("total", "inputs")] == len(files)
    assert sum(v for (kind, _k), v in summary.items() if kind == "outcome") == len(files)
    assert ("outcome", "unfinished") not in summary
    assert not partial_files(dst)
