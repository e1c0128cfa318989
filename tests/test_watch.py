"""Watched folders without LibreOffice: configuration, the journal, file-system rules, and the daemon and
batch in-process over a fake engine (a full output disk injected through the placer seam, or a real
small tmpfs when one can be mounted).

Also the helpers the other ``test_watch_*`` files use to run qujat as users do.
"""

from __future__ import annotations

import dataclasses
import errno
import io
import json
import os
import shutil
import sqlite3
import subprocess
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from converter import Converter, ExitCode, Profile, place_file
from converter.cli import main as qujat_main
from tests.conftest import REPO
from tests.fake_engine import FakeEngine, fake_outputs
from watch import Daemon, JobState, Journal, load_config
from watch._fs import free_name, is_ignored, lock_file_beside, move_durably, sweep_partials
from watch.batch import BatchOptions, run_batch

QUJAT = str(REPO / ".venv" / "bin" / "qujat")
GOOD = ("letter-kk", "letter-ru", "letter-en", "report-ru", "memo-en", "budget", "presentation")
BAD = ("bad-encrypted", "bad-encrypted-xlsx", "bad-truncated", "bad-fake-docx")


# -- helpers shared with the other watch tests -------------------------------------------------------


def variant(src: Path, dest: Path, n: int) -> Path:
    """A copy of the OOXML *src* with different bytes (a comment in docProps/core.xml), as a new document."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/core.xml":
                data = data.rstrip() + f"<!-- qujat test variant {n} -->".encode()
            zout.writestr(info, data)
    tmp.rename(dest)
    return dest


def wait_for(cond: Callable[[], bool], timeout: float, what: str, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


def partial_files(root: Path) -> list[Path]:
    """Temp files `converter.files` writes before renaming; none may be left in a user-visible folder."""
    return [
        p for p in root.rglob("*.part") if p.is_file() and ".qujat" not in p.parts and "state" not in p.parts
    ]


def journal_rows(db: Path) -> list[dict[str, object]]:
    with sqlite3.connect(db, timeout=30) as c:
        c.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in c.execute("SELECT * FROM jobs ORDER BY id")]
        except sqlite3.OperationalError:  # polled before the daemon or batch made its tables
            return []


def converted_events(db: Path) -> dict[int, int]:
    """How many times each job recorded a finished conversion."""
    with sqlite3.connect(db, timeout=30) as c:
        rows = c.execute("SELECT job_id, COUNT(*) FROM events WHERE event = 'converted' GROUP BY job_id")
        return {r[0]: r[1] for r in rows}


@pytest.fixture
def fake_converter(tmp_path: Path) -> Iterator[Converter]:
    odt, pdf = fake_outputs(tmp_path / "fake")
    plan = tmp_path / "fake" / "plan.json"
    plan.write_text(json.dumps({"jobs": [], "odf": str(odt), "pdf": str(pdf), "counter": str(plan) + ".n"}))
    with Converter(workers=2, engine=FakeEngine(plan)) as c:
        yield c


def working_site(root: Path, **daemon: object) -> Path:
    """A configuration with one 'working' route (ODF only: what the fake engine's ODT passes)."""
    root.mkdir(parents=True, exist_ok=True)
    settings = {"stability_seconds": 0.5, "scan_interval_seconds": 1, "retry_interval_seconds": 0.5, **daemon}
    lines = "\n".join(f"{k} = {json.dumps(v)}" for k, v in settings.items())
    cfg = root / "qujat.toml"
    cfg.write_text(
        f"""[paths]
originals = "originals"
quarantine = "quarantine"
reports = "reports"
state = "state"

[[route]]
name = "working"
inbox = "inbox"
output = "out"
profile = "working"

[daemon]
{lines}
""",
        encoding="utf-8",
    )
    return cfg


class _DaemonThread:
    def __init__(self, cfg: Path, converter: Converter, placer: Callable[[Path, Path], None] | None = None):
        kwargs = {"placer": placer} if placer is not None else {}
        self.stop = threading.Event()
        self.daemon = Daemon(load_config(cfg), converter=converter, stop=self.stop, **kwargs)  # type: ignore[arg-type]
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.daemon.run()
        except BaseException as e:  # noqa: BLE001 - reported by the test
            self.error = e

    def __enter__(self) -> _DaemonThread:
        self.thread.start()
        assert self.daemon.ready.wait(30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(60)
        assert not self.thread.is_alive()
        assert self.error is None, self.error


# -- configuration -----------------------------------------------------------------------------------


def test_init_writes_a_commented_config_and_the_layout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert qujat_main(["init", str(tmp_path / "site")]) == 0
    site = tmp_path / "site"
    text = (site / "qujat.toml").read_text(encoding="utf-8")
    assert text.count("#") > 10  # commented
    for folder in (
        "inbox/working",
        "inbox/final",
        "inbox/archive",
        "out/working",
        "out/final",
        "out/archive",
        "originals",
        "quarantine",
        "reports",
        "state",
    ):
        assert (site / folder).is_dir(), folder
    cfg = load_config(site / "qujat.toml")
    assert {r.name: str(r.profile) for r in cfg.routes} == {
        "working": "working",
        "final": "final",
        "archive": "archive",
    }
    # A second init does not clobber the user's configuration.
    assert qujat_main(["init", str(site)]) == int(ExitCode.invalid_config)
    assert "exists" in capsys.readouterr().err


_ROUTE = '[[route]]\nname = "w"\ninbox = "in"\noutput = "out"\nprofile = "working"\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[route]]\nname = "w"\ninbox = "in"\noutput = "in/out"\nprofile = "working"\n', "converted again"),
        (
            '[paths]\noriginals = "in/orig"\n[[route]]\nname = "w"\ninbox = "in"\noutput = "out"\n'
            'profile = "working"\n',
            "converted again",
        ),
        (
            '[[route]]\nname = "w"\ninbox = "in"\noutput = "out"\nprofile = "draft"\n',
            "working, final, archive",
        ),
        ('[[route]]\nname = "w"\ninbox = "in"\noutput = "out"\nprofile = "final"\npdfa = "4x"\n', "1b, 2b"),
        (_ROUTE + '[daemon]\nworkers = "two"\n', "number"),
        (_ROUTE + "[daemon]\nstability = 2\n", "unknown key"),
        (_ROUTE + "[daemon]\ntimeout_seconds = 600\n", "claim_timeout_seconds"),
        ("[paths]\n", "nothing to watch"),
        ("[[route]\n", "not valid TOML"),
    ],
)
def test_bad_config_exits_9_with_a_clear_message(
    tmp_path: Path, body: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = tmp_path / "qujat.toml"
    cfg.write_text(body, encoding="utf-8")
    assert qujat_main(["watch", "--config", str(cfg)]) == int(ExitCode.invalid_config)
    err = capsys.readouterr().err
    assert "ERROR:" in err and message in err


def test_watch_loop_refused_as_a_subprocess(tmp_path: Path) -> None:
    cfg = tmp_path / "qujat.toml"
    cfg.write_text('[[route]]\nname = "final"\ninbox = "in"\noutput = "in/out"\n', encoding="utf-8")
    p = subprocess.run([QUJAT, "watch", "--config", str(cfg)], capture_output=True, text=True, timeout=60)
    assert p.returncode == int(ExitCode.invalid_config), p.stderr
    assert "converted again" in p.stderr and "TIP:" in p.stderr


def test_missing_config_exits_9(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert qujat_main(["watch", "--config", str(tmp_path / "nope.toml")]) == int(ExitCode.invalid_config)
    assert "qujat init" in capsys.readouterr().err


# -- file-system rules -------------------------------------------------------------------------------


def test_lock_files_and_temp_files_are_recognised(tmp_path: Path) -> None:
    doc = tmp_path / "document.docx"
    doc.write_bytes(b"x")
    assert lock_file_beside(doc) is None
    (tmp_path / "~$cument.docx").write_bytes(b"")  # Word drops the first two characters of long names
    assert lock_file_beside(doc) == tmp_path / "~$cument.docx"
    sheet = tmp_path / "бюджет.ods"
    sheet.write_bytes(b"x")
    (tmp_path / ".~lock.бюджет.ods#").write_bytes(b"")
    assert lock_file_beside(sheet) is not None
    for name in ("~$cument.docx", ".~lock.бюджет.ods#", ".hidden.docx", "x.docx.part", "x.tmp", "Thumbs.db"):
        assert is_ignored(name), name
    assert not is_ignored("хат-қазақша.docx")


def test_move_durably_never_overwrites_and_is_idempotent(tmp_path: Path) -> None:
    a, b = tmp_path / "a.docx", tmp_path / "kept" / "a.docx"
    a.write_bytes(b"one")
    move_durably(a, b)
    assert not a.exists() and b.read_bytes() == b"one"
    move_durably(a, b)  # a restart after the move finds it done
    move_durably(b, b)  # moving a file onto itself keeps it
    assert b.read_bytes() == b"one"
    a.write_bytes(b"two")
    with pytest.raises(FileExistsError):
        move_durably(a, b)
    assert free_name(b, Path.exists) == b.with_name("a (2).docx")


def test_sweep_removes_only_atomic_writer_temp_files(tmp_path: Path) -> None:
    (tmp_path / ".report.pdf.k2j4h5l9.part").write_bytes(b"half")
    (tmp_path / "mine.part").write_bytes(b"user file")
    assert sweep_partials([tmp_path]) == 1
    assert (tmp_path / "mine.part").exists()


# -- journal -----------------------------------------------------------------------------------------


def test_journal_claims_expire_and_export_provenance(tmp_path: Path) -> None:
    with Journal(tmp_path / "j.sqlite") as j:
        job = j.add(
            sha256="ab" * 32,
            source=tmp_path / "a.docx",
            rel="a.docx",
            route="working",
            profile="working",
            pdfa="2b",
            size=3,
            mtime_ns=1,
        )
        assert job.state is JobState.PENDING
        claimed = j.claim_next("me", ttl_s=-1)  # born expired
        assert claimed is not None and claimed.state is JobState.CLAIMED and claimed.attempts == 1
        assert j.claim_next("other", ttl_s=60) is None
        assert j.reclaim() == 1
        again = j.claim_next("other", ttl_s=60)
        assert again is not None and again.attempts == 2
        j.converted(
            again.id,
            {"kind": "place", "files": []},
            exit_name="ok",
            message="m",
            findings=["x"],
            events=[("converted", "ok", {}, {"engine": "LibreOffice 7.4"})],
        )
        j.finish(again.id, JobState.PLACED, outputs=["o.odt"], original="orig/a.docx")
        buf = io.StringIO()
        assert j.export_jsonl(buf) == 4
        events = [json.loads(line) for line in buf.getvalue().splitlines()]
        assert [e["event"] for e in events] == ["received", "reclaimed", "converted", "placed"]
        conv = next(e for e in events if e["event"] == "converted")
        assert (
            conv["versions"] == {"engine": "LibreOffice 7.4"} and conv["sha256"] == "ab" * 32 and conv["time"]
        )


# -- the daemon in-process over a fake engine --------------------------------------------------------


def _drop(samples: dict[str, Path], inbox: Path, names: list[str]) -> list[Path]:
    out = []
    for i, n in enumerate(names):
        src = samples[n]
        dest = inbox / f"{i:02d}-{src.name}"
        tmp = inbox.parent / (dest.name + ".incoming")
        shutil.copyfile(src, tmp)
        os.replace(tmp, dest)  # appear whole, as a copy tool's rename would
        out.append(dest)
    return out


def test_daemon_converts_quarantines_and_keeps_originals(
    samples: dict[str, Path], tmp_path: Path, fake_converter: Converter
) -> None:
    cfg = working_site(tmp_path / "site")
    site = cfg.parent
    (site / "inbox").mkdir(exist_ok=True)
    with _DaemonThread(cfg, fake_converter):
        dropped = _drop(samples, site / "inbox", ["letter-kk", "letter-ru", "bad-truncated", "bad-encrypted"])
        # Same bytes under a new name: one conversion, outputs copied under the new name.
        twin = site / "inbox" / "егіз.docx"
        shutil.copyfile(samples["letter-kk"], twin)
        wait_for(lambda: not any((site / "inbox").iterdir()), 30, "the inbox to empty")
    out = sorted(p.name for p in (site / "out").iterdir())
    assert out == sorted(
        [
            "00-хат-қазақша.odt",
            "00-хат-қазақша.qujat.json",
            "01-письмо-по-русски.odt",
            "01-письмо-по-русски.qujat.json",
            "егіз.odt",
            "егіз.qujat.json",
        ]
    )
    kept = list((site / "originals").rglob("*.docx"))
    assert sorted(p.name for p in kept) == sorted([dropped[0].name, dropped[1].name, twin.name])
    for bad in (dropped[2], dropped[3]):
        reason = json.loads((site / "quarantine" / (bad.name + ".reason.json")).read_text(encoding="utf-8"))
        assert (site / "quarantine" / bad.name).is_file()
        assert reason["exit_name"] in ("input_file", "encrypted_input") and reason["findings"]
    rows = journal_rows(site / "state" / "journal.sqlite")
    assert sorted(r["state"] for r in rows) == ["placed"] * 3 + ["quarantined"] * 2
    twin_row = next(r for r in rows if r["rel"] == "егіз.docx")
    assert twin_row["duplicate_of"] is not None
    assert converted_events(site / "state" / "journal.sqlite").get(twin_row["id"]) is None  # not reconverted
    report = json.loads((site / "out" / "егіз.qujat.json").read_text(encoding="utf-8"))
    assert report["job"]["duplicate_of"] == twin_row["duplicate_of"]
    assert report["outputs"][0]["path"].endswith("егіз.odt")


def test_daemon_waits_for_lock_files_and_slow_writers(
    samples: dict[str, Path], tmp_path: Path, fake_converter: Converter
) -> None:
    cfg = working_site(tmp_path / "site", stability_seconds=1.5)
    inbox = cfg.parent / "inbox"
    inbox.mkdir(exist_ok=True)
    data = samples["letter-ru"].read_bytes()
    with _DaemonThread(cfg, fake_converter):
        locked = inbox / "open-in-word.docx"
        lock = inbox / "~$en-in-word.docx"
        lock.write_bytes(b"owner")
        locked.write_bytes(samples["letter-en"].read_bytes())
        slow = inbox / "slow.docx"
        with slow.open("wb") as f:  # over ~3 s, longer than the window between two writes
            for i in range(0, len(data), len(data) // 6 + 1):
                f.write(data[i : i + len(data) // 6 + 1])
                f.flush()
                time.sleep(0.5)
        wait_for(lambda: (cfg.parent / "out" / "slow.odt").exists(), 20, "the slowly written file")
        time.sleep(2)
        assert locked.exists() and lock.exists(), "a file with a lock beside it must wait"
        assert not (cfg.parent / "out" / "open-in-word.odt").exists()
        lock.unlink()  # the editor closes the document
        wait_for(lambda: (cfg.parent / "out" / "open-in-word.odt").exists(), 20, "the unlocked file")
    assert not any(p.name.startswith("~$") for p in (cfg.parent / "originals").rglob("*"))
    assert converted_events(cfg.parent / "state" / "journal.sqlite") == {1: 1, 2: 1}


def test_full_output_disk_pauses_intake_and_resumes(
    samples: dict[str, Path], tmp_path: Path, fake_converter: Converter, caplog: pytest.LogCaptureFixture
) -> None:
    full = threading.Event()
    full.set()
    attempts = []

    def placer(src: Path, dest: Path) -> None:
        if full.is_set() and dest.is_relative_to(tmp_path / "site" / "out"):
            attempts.append(dest)
            # What a full disk does half-way through a copy: the temp file is cleaned away by the writer.
            raise OSError(errno.ENOSPC, "No space left on device", str(dest))
        place_file(src, dest, overwrite=True)

    cfg = working_site(tmp_path / "site")
    inbox = cfg.parent / "inbox"
    inbox.mkdir(exist_ok=True)
    caplog.set_level("INFO")
    with _DaemonThread(cfg, fake_converter, placer=placer):
        _drop(samples, inbox, ["letter-kk", "letter-ru", "letter-en"])
        paused = lambda: any("intake paused" in r.getMessage() for r in caplog.records)  # noqa: E731
        wait_for(paused, 20, "intake to pause")
        n = len(attempts)
        time.sleep(1.5)
        assert len(attempts) <= n + 4, "while paused, one job tries again per retry interval"
        assert len(list(inbox.iterdir())) == 3, "originals stay in the inbox while nothing is placed"
        assert not list((cfg.parent / "out").iterdir()), "nothing partial on the full disk"
        full.clear()  # space returns
        wait_for(lambda: not any(inbox.iterdir()), 30, "the inbox to empty after space returned")
    assert any("resumed" in r.getMessage() for r in caplog.records)
    assert len(list((cfg.parent / "out").glob("*.odt"))) == 3
    assert set(converted_events(cfg.parent / "state" / "journal.sqlite").values()) == {1}


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    try:
        p = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return p.returncode == 0


def test_real_full_tmpfs_pauses_and_resumes(
    samples: dict[str, Path], tmp_path: Path, fake_converter: Converter
) -> None:
    cfg = working_site(tmp_path / "site")
    out = cfg.parent / "out"
    if not _mount_tmpfs(out, "256k"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        filler = out / "filler.bin"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:  # fill the disk to the last block
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        inbox = cfg.parent / "inbox"
        inbox.mkdir(exist_ok=True)
        with _DaemonThread(cfg, fake_converter):
            _drop(samples, inbox, ["letter-kk", "letter-en"])
            time.sleep(4)
            assert len(list(inbox.iterdir())) == 2
            assert sorted(p.name for p in out.iterdir()) == ["filler.bin"], "nothing partial on a full disk"
            filler.unlink()
            wait_for(lambda: not any(inbox.iterdir()), 30, "the inbox to empty after space returned")
        assert len(list(out.glob("*.odt"))) == 2 and not partial_files(out)
    finally:
        subprocess.run(["umount", "-l", str(out)], capture_output=True, timeout=30)


def test_retry_sends_a_quarantined_job_back(
    samples: dict[str, Path], tmp_path: Path, fake_converter: Converter, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = working_site(tmp_path / "site")
    inbox = cfg.parent / "inbox"
    inbox.mkdir(exist_ok=True)
    with _DaemonThread(cfg, fake_converter):
        _drop(samples, inbox, ["bad-truncated"])
        wait_for(lambda: not any(inbox.iterdir()), 20, "quarantine")
    q = cfg.parent / "quarantine" / "00-truncated-report.docx"
    assert q.exists()
    assert qujat_main(["retry", "--config", str(cfg), "--all"]) == 0
    assert not q.with_name(q.name + ".reason.json").exists()
    assert list((cfg.parent / "reports" / "retried").iterdir())
    with _DaemonThread(cfg, fake_converter):
        wait_for(lambda: q.with_name(q.name + ".reason.json").exists(), 20, "the retried job to end")
    rows = journal_rows(cfg.parent / "state" / "journal.sqlite")
    assert [r["state"] for r in rows] == ["quarantined"] and q.exists()  # still damaged: quarantined in place
    buf = io.StringIO()
    with Journal(cfg.parent / "state" / "journal.sqlite") as j:
        j.export_jsonl(buf)
    assert "retried" in buf.getvalue()

    capsys.readouterr()
    assert qujat_main(["journal", "list", "--config", str(cfg)]) == 0
    assert "quarantined" in capsys.readouterr().out


# -- batch in-process over a fake engine -------------------------------------------------------------


def test_batch_mirrors_the_tree_and_resumes(
    samples: dict[str, Path], tmp_path: Path, fake_converter: Converter
) -> None:
    src = tmp_path / "src"
    for i, n in enumerate(GOOD[:3]):
        variant(samples[n], src / ("sub" if i % 2 else "") / f"{i}-{samples[n].name}", i)
    for n in BAD[:2]:
        shutil.copyfile(samples[n], src / samples[n].name)
    shutil.copyfile(src / f"0-{samples['letter-kk'].name}", src / "sub" / "same-bytes.docx")
    opts = BatchOptions(src=src, dst=tmp_path / "dst", profile=Profile.WORKING)
    r1 = run_batch(opts, converter=fake_converter)
    s = r1.summary
    assert s.total == 6 and s.outcomes == {"converted": 3, "duplicate": 1, "quarantined": 2}
    assert not s.complete
    assert (tmp_path / "dst" / "sub" / "1-письмо-по-русски.odt").is_file()
    assert (tmp_path / "dst" / "sub" / "same-bytes.odt").is_file()
    csv_text = (tmp_path / "dst" / "reports" / "summary.csv").read_text(encoding="utf-8")
    assert "outcome,converted,3" in csv_text and "total,inputs,6" in csv_text
    assert "<h1>" in (tmp_path / "dst" / "reports" / "summary.html").read_text(encoding="utf-8")
    before = converted_events(tmp_path / "dst" / ".qujat" / "journal.sqlite")
    r2 = run_batch(opts, converter=fake_converter)
    assert r2.resumed == 6 and r2.summary.outcomes == s.outcomes
    assert converted_events(tmp_path / "dst" / ".qujat" / "journal.sqlite") == before
    # Retrying the failures converts them again; still broken, they stay quarantined under the same name.
    r3 = run_batch(dataclasses.replace(opts, retry_failed=True), converter=fake_converter)
    assert r3.resumed == 4 and r3.summary.outcomes == s.outcomes
    assert not list((tmp_path / "dst" / "quarantine").rglob("* (2)*"))


def test_json_logs_name_the_document(tmp_path: Path) -> None:
    import logging

    from watch import _log

    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    levels = {n: logging.getLogger(n).level for n in ("converter", "pikepdf", "fontTools", "watchdog", "PIL")}
    try:
        _log.configure(json_logs=True, log_file=tmp_path / "reports" / "qujat.log")
        with _log.document("хат-қазақша.docx"):
            logging.getLogger("watch.jobs").warning("quarantined [%s]", "input_file")
        for h in root.handlers:
            h.flush()
    finally:
        for h in root.handlers:
            h.close()
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
        for n, lv in levels.items():
            logging.getLogger(n).setLevel(lv)
    line = json.loads((tmp_path / "reports" / "qujat.log").read_text(encoding="utf-8").splitlines()[-1])
    assert line["document"] == "хат-қазақша.docx" and line["level"] == "warning"
    assert line["message"] == "quarantined [input_file]" and line["time"].endswith("+00:00")


def test_full_journal_disk_pauses_without_stopping(
    samples: dict[str, Path], tmp_path: Path, fake_converter: Converter, caplog: pytest.LogCaptureFixture
) -> None:
    # Everything qujat writes (journal, staging, outputs, originals) on one small disk that fills up; the
    # inbox elsewhere, so documents can still arrive.
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "1m"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        cfg = disk / "qujat.toml"
        cfg.write_text(
            f'[[route]]\nname = "working"\ninbox = "{inbox}"\noutput = "out"\n'
            "[daemon]\nstability_seconds = 0.5\nscan_interval_seconds = 1\nretry_interval_seconds = 0.5\n",
            encoding="utf-8",
        )
        caplog.set_level("INFO")
        with _DaemonThread(cfg, fake_converter) as d:
            filler = disk / "filler.bin"
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
            try:
                while True:
                    os.write(fd, b"\0" * 4096)
            except OSError:
                pass
            finally:
                os.close(fd)
            _drop(samples, inbox, ["letter-kk", "letter-en"])
            time.sleep(3)
            assert d.thread.is_alive(), "a full disk must not stop the daemon"
            assert len(list(inbox.iterdir())) == 2
            filler.unlink()
            wait_for(lambda: not any(inbox.iterdir()), 30, "the inbox to empty after space returned")
        assert len(list((disk / "out").glob("*.odt"))) == 2 and not partial_files(disk)
        messages = " ".join(r.getMessage() for r in caplog.records)
        assert "cannot be written" in messages or "intake paused" in messages
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, timeout=30)
