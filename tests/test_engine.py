"""The engine pool's failure paths and process hygiene.

Hangs and crashes come from a fake engine speaking the worker protocol (a real LibreOffice cannot be
made to hang on demand); process cleanup is checked on the real engine, as users run it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from converter import Converter, ExitCode, Status
from converter._engine.profile import registry_xml
from tests.conftest import REPO, descendants, soffice_pids
from tests.fake_engine import FakeEngine
from tests.fake_engine import fake_outputs as make_fake_outputs


@pytest.fixture
def fake_outputs(tmp_path: Path) -> tuple[Path, Path]:
    return make_fake_outputs(tmp_path / "fake")


def _plan(tmp_path: Path, outputs: tuple[Path, Path], jobs: list[str]) -> Path:
    plan = tmp_path / "plan.json"
    plan.write_text(
        json.dumps(
            {
                "jobs": jobs,
                "odf": str(outputs[0]),
                "pdf": str(outputs[1]),
                "counter": str(tmp_path / "counter"),
            }
        )
    )
    return plan


def _pids_alive(pids: list[int]) -> list[int]:
    alive = []
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        alive.append(pid)
    return alive


def test_hang_times_out_worker_replaced_next_converts(sample, tmp_path: Path, fake_outputs) -> None:
    # Both attempts on the first document hang (it is retried once on a fresh worker), the next is fine.
    plan = _plan(tmp_path, fake_outputs, ["hang", "hang", "ok"])
    with Converter(workers=1, engine=FakeEngine(plan), timeout_s=1.5, profile="working", fidelity=False) as c:
        first_pids = c.pool.worker_pids()
        hung = c.convert(sample("letter-en"), output_dir=tmp_path / "out")
        assert hung.status is Status.QUARANTINED and hung.exit_code is ExitCode.child_process_error
        assert hung.findings[-1].code == "engine_timeout"
        assert c.pool.restarts >= 1
        assert _pids_alive(first_pids) == []  # the hung worker was killed, not left behind
        ok = c.convert(sample("letter-ru"), output_dir=tmp_path / "out")
        assert ok.ok and ok.output("odt") is not None


def test_crash_is_retried_once_on_a_fresh_worker(sample, tmp_path: Path, fake_outputs) -> None:
    plan = _plan(tmp_path, fake_outputs, ["crash", "ok"])
    with Converter(workers=1, engine=FakeEngine(plan), profile="working", fidelity=False) as c:
        r = c.convert(sample("letter-en"), output_dir=tmp_path / "out")
        assert r.ok and r.engine["attempts"] == 2


def test_crash_twice_quarantines(sample, tmp_path: Path, fake_outputs) -> None:
    plan = _plan(tmp_path, fake_outputs, ["crash", "crash"])
    with Converter(workers=1, engine=FakeEngine(plan), profile="working", fidelity=False) as c:
        r = c.convert(sample("letter-en"), output_dir=tmp_path / "out")
        assert r.exit_code is ExitCode.child_process_error and r.findings[-1].code == "engine_crashed"
        assert not (tmp_path / "out" / "letter-english.odt").exists()


def test_workers_recycled_after_max_jobs(sample, tmp_path: Path, fake_outputs) -> None:
    plan = _plan(tmp_path, fake_outputs, [])
    with Converter(
        workers=1, engine=FakeEngine(plan), profile="working", max_jobs_per_worker=2, fidelity=False
    ) as c:
        for _ in range(5):
            assert c.convert(sample("letter-en"), output_dir=tmp_path / "out", overwrite=True).ok
        assert c.pool.restarts == 2  # started for jobs 1, 3 and 5


def test_profile_is_hardened() -> None:
    xml = registry_xml()
    for needle in (
        '"MacroSecurityLevel" oor:op="fuse"><value>3<',
        '"DisableMacrosExecution" oor:op="fuse"><value>true',
        '"BlockUntrustedRefererLinks" oor:op="fuse"><value>true',
        '"GenerateThumbnail" oor:op="fuse"><value>false',
        '"DefaultVersion" oor:op="fuse"><value>10<',
    ):
        assert needle in xml


# -- real engine: no soffice survives ----------------------------------------------------------------


def _wait_gone(pids: set[int], timeout: float = 15.0) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = pids & soffice_pids()
        if not alive:
            return set()
        time.sleep(0.2)
    return pids & soffice_pids()


def _spawn_converter_script(tmp_path: Path, body: str) -> subprocess.Popen[str]:
    script = tmp_path / "driver.py"
    script.write_text(textwrap.dedent(body))
    return subprocess.Popen([sys.executable, str(script)], cwd=REPO, stdout=subprocess.PIPE, text=True)


@pytest.mark.soffice
@pytest.mark.parametrize("how", ["sigkill", "sigterm"])
def test_no_soffice_survives_the_parent(tmp_path: Path, how: str) -> None:
    proc = _spawn_converter_script(
        tmp_path,
        """
        import sys, time
        from converter import Converter
        c = Converter(workers=2)
        c.pool.wait_ready()
        print("ready", flush=True)
        time.sleep(600)
    """,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    mine = descendants(proc.pid) & soffice_pids()
    assert len(mine) == 2
    proc.send_signal(signal.SIGKILL if how == "sigkill" else signal.SIGTERM)
    proc.wait(timeout=30)
    assert _wait_gone(mine) == set()


@pytest.mark.soffice
def test_cli_leaves_no_soffice(sample, tmp_path: Path) -> None:
    srcs = [sample("letter-kk"), sample("letter-en"), sample("budget")]
    proc = subprocess.Popen(
        [
            str(REPO / ".venv/bin/qujat"),
            "convert",
            *map(str, srcs),
            "--out",
            str(tmp_path / "o"),
            "--workers",
            "2",
            "--json",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    seen: set[int] = set()
    while proc.poll() is None:
        seen |= descendants(proc.pid) & soffice_pids()
        time.sleep(0.05)
    assert proc.returncode == 0
    assert seen, "the CLI should have run soffice"
    assert _wait_gone(seen, timeout=2) == set()
    lines = [json.loads(x) for x in proc.stdout.read().splitlines()] if proc.stdout else []
    assert sorted(x["status"] for x in lines) == ["converted"] * 3


@pytest.mark.soffice
def test_cli_sigterm_mid_run_stops_promptly(samples, tmp_path: Path) -> None:
    srcs = [str(p) for name, p in samples.items() if not name.startswith("bad")] * 3
    proc = subprocess.Popen(
        [
            str(REPO / ".venv/bin/qujat"),
            "convert",
            *srcs,
            "--out",
            str(tmp_path / "o"),
            "--overwrite",
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("converted")  # the pool is up and working
    seen = descendants(proc.pid) & soffice_pids()
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 130
    assert time.monotonic() - t0 < 15, "in-flight documents should be abandoned, not finished"
    assert seen and _wait_gone(seen, timeout=5) == set()
    assert not [p for p in (tmp_path / "o").iterdir() if p.name.endswith(".part")], "a partial file was left"


def test_cached_profile_cannot_weaken_hardening(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from converter._engine.launcher import LibreOffice

    monkeypatch.setenv("QUJAT_CACHE_DIR", str(tmp_path / "cache"))
    lo = LibreOffice()
    template = lo._template()
    assert template is not None
    (template / "user").mkdir(parents=True)
    (template / "user" / "registrymodifications.xcu").write_text("<tampered/>")
    (template / "user" / "extensions").mkdir()
    lo.prepare(tmp_path / "w")
    written = (tmp_path / "w" / "profile" / "user" / "registrymodifications.xcu").read_text()
    assert written == registry_xml() and "tampered" not in written
    assert (tmp_path / "w" / "profile" / "user" / "extensions").is_dir()  # the rest of the template is used


@pytest.mark.soffice
def test_soffice_memory_is_bounded() -> None:
    with Converter(workers=1, memory_limit_mb=3072) as c:
        c.wait_ready()
        (worker,) = c.pool.worker_pids()
        (soffice,) = descendants(worker) & soffice_pids()
        limits = Path(f"/proc/{soffice}/limits").read_text()
    line = next(ln for ln in limits.splitlines() if ln.startswith("Max address space"))
    assert line.split()[3] == str(3072 * 1024 * 1024)
