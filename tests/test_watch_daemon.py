"""``qujat watch`` as users run it: a subprocess over real LibreOffice; files dropped, written slowly,
locked, doubled, broken; the daemon killed with SIGKILL mid-conversion and restarted; stopped with SIGTERM.

What must hold after every scenario: each input ends converted (outputs placed, original kept in
originals/) or quarantined (file plus reason), none lost, none converted twice, no partial file anywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_watch import QUJAT, converted_events, journal_rows, partial_files, variant, wait_for

pytestmark = pytest.mark.soffice

GOOD_FAST = ("letter-kk", "letter-ru", "letter-en", "memo-en")


def site(root: Path, stability: float = 1.0) -> Path:
    """A site as ``qujat init`` makes it, with a short stability window and two workers."""
    p = subprocess.run([QUJAT, "init", str(root)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    cfg = root / "qujat.toml"
    text = cfg.read_text(encoding="utf-8")
    text = text.replace("stability_seconds = 2 ", f"stability_seconds = {stability} ")
    text = text.replace("workers = 0 ", "workers = 2 ").replace(
        "scan_interval_seconds = 10", "scan_interval_seconds = 2"
    )
    cfg.write_text(text, encoding="utf-8")
    return cfg


class DaemonProcess:
    """``qujat watch`` in a subprocess, logging to a file the test reads."""

    def __init__(self, cfg: Path) -> None:
        self.cfg = cfg
        self.log = cfg.parent / "reports" / "daemon.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> DaemonProcess:
        offset = self.log.stat().st_size if self.log.exists() else 0
        self.proc = subprocess.Popen(
            [QUJAT, "watch", "--config", str(self.cfg), "--log-file", str(self.log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_for(
            lambda: "watching" in self._log_since(offset) or self.proc.poll() is not None, 60, "start-up"
        )
        assert self.proc.poll() is None, self.proc.stderr.read() if self.proc.stderr else ""
        return self

    def _log_since(self, offset: int) -> str:
        try:
            with self.log.open("rb") as f:
                f.seek(offset)
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(30)

    def terminate(self, timeout: float = 90) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def text(self) -> str:
        return self._log_since(0)


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for d in started:
        if d.proc is not None and d.proc.poll() is None:
            d.proc.kill()
            d.proc.wait(30)


def drop(src: Path, dest: Path) -> Path:
    """Copy into the inbox under a temporary hidden name, then rename: how copy tools deliver."""
    tmp = dest.with_name(f".{dest.name}.incoming")
    shutil.copyfile(src, tmp)
    os.replace(tmp, dest)
    return dest


def make_inputs(samples: dict[str, Path], folder: Path, n: int, offset: int = 0) -> list[Path]:
    """*n* distinct documents (same samples, different bytes) with Cyrillic names."""
    out = []
    for i in range(n):
        name = GOOD_FAST[i % len(GOOD_FAST)]
        src = samples[name]
        out.append(variant(src, folder / f"{offset + i:03d}-{src.stem}{src.suffix}", offset + i))
    return out


def check_invariants(root: Path, inputs: dict[str, str]) -> list[dict[str, object]]:
    """Every input (name → route) converted or quarantined, none lost, none twice, nothing partial."""
    db = root / "state" / "journal.sqlite"
    rows = journal_rows(db)
    by_name = {}
    for r in rows:
        assert r["rel"] not in by_name, f"{r['rel']} taken twice"
        by_name[r["rel"]] = r
    assert set(by_name) == set(inputs), "every input has exactly one job"
    conv = converted_events(db)
    for name, route in inputs.items():
        r = by_name[name]
        assert r["state"] in ("placed", "quarantined"), (name, r["state"])
        if r["state"] == "placed":
            stem = Path(name).stem
            outs = sorted(p.name for p in (root / "out" / route).iterdir() if p.name.startswith(stem))
            exts = {"working": [".odt"], "final": [".odt", ".pdf"], "archive": [".pdf"]}[route]
            assert outs == sorted([stem + e for e in exts] + [stem + ".qujat.json"]), outs
            assert len(list((root / "originals").rglob(name))) == 1, f"original of {name} kept once"
            if not r["duplicate_of"]:
                assert conv.get(r["id"]) == 1, f"{name} converted {conv.get(r['id'])} times"
        else:
            assert (root / "quarantine" / name).is_file()
            reason = json.loads((root / "quarantine" / (name + ".reason.json")).read_text(encoding="utf-8"))
            assert reason["exit_name"] and "findings" in reason
    for inbox in (root / "inbox").iterdir():
        assert not [p for p in inbox.iterdir() if not p.name.startswith(("~$", ".~lock"))], "inbox emptied"
    assert not partial_files(root), partial_files(root)
    assert not list((root / "out").rglob("* (2).*")), "nothing placed twice under a second name"
    return rows


def test_daemon_end_to_end(samples: dict[str, Path], tmp_path: Path, daemons: list[DaemonProcess]) -> None:
    cfg = site(tmp_path / "site")
    root = cfg.parent
    d = DaemonProcess(cfg).start()
    daemons.append(d)
    staging = tmp_path / "prepared"
    good = make_inputs(samples, staging, 14)
    inputs: dict[str, str] = {}
    routes = ["working"] * 10 + ["final"] * 2 + ["archive"] * 2
    t_drop = time.monotonic()
    for p, route in zip(good, routes, strict=True):
        drop(p, root / "inbox" / route / p.name)
        inputs[p.name] = route
    for name in ("bad-truncated", "bad-encrypted", "bad-fake-docx"):
        drop(samples[name], root / "inbox" / "working" / samples[name].name)
        inputs[samples[name].name] = "working"
    # The same bytes twice: converted once, outputs copied under the second name.
    drop(good[0], root / "inbox" / "working" / "қайталау.docx")
    inputs["қайталау.docx"] = "working"
    # A file open in Word (its lock file beside it) waits, and the lock file is never touched.
    locked = drop(samples["report-ru"], root / "inbox" / "working" / "ашық-құжат.docx")
    lock = root / "inbox" / "working" / "~$ық-құжат.docx"
    lock.write_bytes(b"owner")
    inputs[locked.name] = "working"
    # A file written slowly, over about four seconds.
    slow = root / "inbox" / "final" / "баяу-жазылған.docx"
    data = variant(samples["letter-kk"], staging / "slow.docx", 999).read_bytes()
    step = len(data) // 8 + 1
    with slow.open("wb") as f:
        for i in range(0, len(data), step):
            f.write(data[i : i + step])
            f.flush()
            time.sleep(0.5)
    inputs[slow.name] = "final"
    wait_for(lambda: (root / "out" / "final" / "баяу-жазылған.pdf").exists(), 120, "the slowly written file")
    first_latency = time.monotonic() - t_drop
    assert locked.exists() and lock.exists(), "the locked file waits while its lock file is there"
    lock.unlink()
    wait_for(
        lambda: (
            all(
                r["state"] in ("placed", "quarantined")
                for r in journal_rows(root / "state" / "journal.sqlite")
            )
            and len(journal_rows(root / "state" / "journal.sqlite")) == len(inputs)
        ),
        180,
        "every input to end",
    )
    assert d.terminate() == 0
    rows = check_invariants(root, inputs)
    twin = next(r for r in rows if r["rel"] == "қайталау.docx")
    assert twin["duplicate_of"] and twin["state"] == "placed"
    assert {r["rel"] for r in rows if r["state"] == "quarantined"} == {
        samples[n].name for n in ("bad-truncated", "bad-encrypted", "bad-fake-docx")
    }
    log = d.text()
    assert "is open in an editor" in log and "stopped" in log
    export = subprocess.run(
        [QUJAT, "journal", "export", "--config", str(cfg)], capture_output=True, text=True, timeout=60
    )
    events = [json.loads(line) for line in export.stdout.splitlines()]
    kinds = {e["event"] for e in events}
    assert {"received", "identified", "converted", "validated", "placed", "quarantined"} <= kinds
    conv = next(e for e in events if e["event"] == "converted" and e["outcome"] == "ok")
    assert conv["versions"]["engine"].startswith("LibreOffice") and conv["time"] and conv["sha256"]
    assert first_latency < 120


def test_kill9_twice_mid_run_loses_and_repeats_nothing(
    samples: dict[str, Path], tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    cfg = site(tmp_path / "site")
    root = cfg.parent
    db = root / "state" / "journal.sqlite"
    inputs: dict[str, str] = {}
    # Dropped before the first start: the start-up scan finds the backlog.
    for p in make_inputs(samples, tmp_path / "prepared", 10):
        route = "final" if len(inputs) % 4 == 0 else "working"
        drop(p, root / "inbox" / route / p.name)
        inputs[p.name] = route
    drop(samples["bad-truncated"], root / "inbox" / "working" / "бүлінген.docx")
    inputs["бүлінген.docx"] = "working"

    def placed() -> int:
        return (
            sum(1 for r in journal_rows(db) if r["state"] in ("placed", "quarantined")) if db.exists() else 0
        )

    def in_hand() -> int:
        return (
            sum(1 for r in journal_rows(db) if r["state"] in ("claimed", "converted")) if db.exists() else 0
        )

    for target in (2, 5):
        d = DaemonProcess(cfg).start()
        daemons.append(d)
        # Killed with documents in hand: between two documents none is, so wait for a moment when one is
        wait_for(
            lambda t=target: placed() >= t and in_hand() > 0,  # type: ignore[misc]
            120,
            f"{target} documents done and another in hand",
        )
        d.kill9()
    # SIGTERM with documents in hand: they finish (or go back to the queue), nothing stays claimed.
    d = DaemonProcess(cfg).start()
    daemons.append(d)
    wait_for(lambda: placed() >= 7, 120, "7 documents done")
    assert d.terminate() == 0
    assert not [r for r in journal_rows(db) if r["claimed_by"]], "no claim survives a graceful stop"
    d = DaemonProcess(cfg).start()
    daemons.append(d)
    wait_for(lambda: placed() == len(inputs), 180, "every input to end after two crashes and a stop")
    assert d.terminate() == 0
    check_invariants(root, inputs)
    assert "resuming" in d.text()


@pytest.mark.slow
def test_two_hundred_files_at_once(
    samples: dict[str, Path], tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    cfg = site(tmp_path / "site")
    root = cfg.parent
    d = DaemonProcess(cfg).start()
    daemons.append(d)
    inputs = {}
    for p in make_inputs(samples, tmp_path / "prepared", 200):
        drop(p, root / "inbox" / "working" / p.name)
        inputs[p.name] = "working"
    db = root / "state" / "journal.sqlite"
    wait_for(
        lambda: sum(1 for r in journal_rows(db) if r["state"] in ("placed", "quarantined")) == 200,
        1200,
        "200 documents",
        interval=1.0,
    )
    assert d.terminate() == 0
    check_invariants(root, inputs)
