"""One engine worker process, seen from the parent: start, request with a deadline, kill, close.

The process (normally a bubblewrap sandbox holding `unoworker.py` and its ``soffice``) speaks JSON lines
over its stdin and stdout. Every request has a deadline; a worker that misses it is killed with its whole
process group, and with it, through the sandbox's PID namespace, every process it started.
"""

from __future__ import annotations

import collections
import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from converter._engine.launcher import Engine

log = logging.getLogger(__name__)


class EngineError(Exception):
    """The engine failed; `code` says how (``timeout``, ``engine_crashed``, ``load_failed`` ...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class EngineTimeout(EngineError):
    """A request overran its deadline; the worker was killed."""


class EngineCrashed(EngineError):
    """The worker process died or lost its bridge to soffice."""


class EngineStartFailed(EngineError):
    """The worker could not be started (or did not become ready in time)."""


class DocumentRejected(EngineError):
    """The engine is healthy but could not handle this document (it would not load, wrong kind)."""


class WorkerProcess:
    """A started engine worker. Not thread-safe: one slot thread drives it."""

    def __init__(self, engine: Engine, workdir: Path, index: int) -> None:
        self.engine = engine
        self.workdir = workdir
        self.index = index
        self.jobs_done = 0
        self.version = ""
        self.sandboxed = False
        self.last_used = time.monotonic()
        self._proc: subprocess.Popen[bytes] | None = None
        self._buf = b""
        self._stderr_tail: collections.deque[str] = collections.deque(maxlen=40)
        self.inner_root = str(workdir)

    # -- life cycle -----------------------------------------------------------------------------------

    def start(self, timeout: float) -> None:
        """Start the process and wait for its ready message (the readiness probe)."""
        if self.workdir.exists():
            shutil.rmtree(self.workdir, ignore_errors=True)
        self.workdir.mkdir(parents=True)
        self.engine.prepare(self.workdir)
        self.sandboxed = self.engine.sandboxed
        argv, self.inner_root = self.engine.command(self.workdir, f"qujat-{uuid.uuid4().hex[:12]}")
        log.debug("worker %d: starting %s", self.index, " ".join(argv))
        t0 = time.monotonic()
        try:
            self._proc = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group: one killpg ends it all
                close_fds=True,
            )
        except OSError as e:
            raise EngineStartFailed("engine_missing", f"cannot start the engine: {e}") from e
        threading.Thread(target=self._drain_stderr, name=f"qujat-w{self.index}-stderr", daemon=True).start()
        try:
            ready = self._read_message(timeout)
        except EngineError as e:
            self.kill()
            raise EngineStartFailed("engine_start", f"engine worker did not start: {e}") from e
        self.version = str(ready.get("version", ""))
        self.jobs_done = 0
        self.last_used = time.monotonic()
        log.debug("worker %d: ready in %.1fs (%s)", self.index, time.monotonic() - t0, self.version)

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def kill(self) -> None:
        """Kill the worker's whole process group at once and reap it."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not ignorable
            log.error("worker %d: process %d did not die", self.index, proc.pid)
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream:
                    stream.close()
            except OSError:
                pass
        self._buf = b""

    def signal_kill(self) -> None:
        """Kill the process group from any thread; the owning thread sees end-of-file and cleans up."""
        proc = self._proc
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def close(self, timeout: float = 15.0) -> None:
        """Ask the worker to quit (soffice terminates cleanly); kill it if it does not in time."""
        if self.alive:
            try:
                self.request({"op": "quit"}, timeout)
            except EngineError:
                pass
            if self._proc is not None:
                try:
                    self._proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    pass
        self.kill()

    def cleanup(self) -> None:
        shutil.rmtree(self.workdir, ignore_errors=True)

    # -- requests -------------------------------------------------------------------------------------

    def engine_path(self, host_path: Path) -> str:
        """The path under which the worker sees *host_path* (which must be inside the work folder)."""
        return str(Path(self.inner_root) / host_path.relative_to(self.workdir))

    def request(self, msg: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and return its reply.

        Raises:
            EngineTimeout: No reply within *timeout* seconds; the worker has been killed.
            EngineCrashed: The worker died, or reported that soffice did.
        """
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise EngineCrashed("engine_crashed", "engine worker is not running")
        try:
            proc.stdin.write((json.dumps(msg, ensure_ascii=False) + "\n").encode())
            proc.stdin.flush()
        except (BrokenPipeError, OSError) as e:
            self.kill()
            raise EngineCrashed("engine_crashed", f"engine worker is gone: {e} {self.stderr_tail()}") from e
        reply = self._read_message(timeout)
        self.last_used = time.monotonic()
        if reply.get("error") == "engine_crashed":
            self.kill()
            raise EngineCrashed("engine_crashed", f"LibreOffice crashed: {reply.get('message', '')}")
        return reply

    def _read_message(self, timeout: float) -> dict[str, Any]:
        proc = self._proc
        if proc is None or proc.stdout is None:
            raise EngineCrashed("engine_crashed", "engine worker is not running")
        fd = proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buf:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.kill()
                    raise EngineTimeout("timeout", f"no answer from the engine within {timeout:.0f}s")
                if not sel.select(remaining):
                    continue
                chunk = os.read(fd, 65536)
                if not chunk:
                    code = proc.wait(timeout=5)
                    tail = self.stderr_tail()
                    self.kill()
                    raise EngineCrashed("engine_crashed", f"engine worker exited with status {code}. {tail}")
                self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        try:
            msg: dict[str, Any] = json.loads(line)
        except ValueError as e:
            self.kill()
            raise EngineCrashed("engine_crashed", f"engine worker sent garbage: {line[:200]!r}") from e
        return msg

    def _drain_stderr(self) -> None:
        proc = self._proc
        if proc is None or proc.stderr is None:
            return
        for raw in proc.stderr:
            line = raw.decode("utf-8", errors="replace").rstrip()
            if line:
                self._stderr_tail.append(line)
                log.debug("worker %d: %s", self.index, line)

    def stderr_tail(self, lines: int = 5) -> str:
        tail = list(self._stderr_tail)[-lines:]
        return ("Engine said: " + " | ".join(tail)) if tail else ""
