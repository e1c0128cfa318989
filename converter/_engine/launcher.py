"""How an engine worker process is started: the LibreOffice launcher and its bubblewrap sandbox.

An *engine* is anything with ``name``, ``prepare(workdir)`` and ``command(workdir, pipe)``: the pool
passes one in, so tests can substitute a fake that crashes or hangs without monkeypatching.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from converter._engine.profile import ODF_EXTENDED_13, ODF_STRICT_13, registry_xml, write_profile

log = logging.getLogger(__name__)

SOFFICE_BIN = "/usr/lib/libreoffice/program/soffice.bin"
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python3-uno imports only here
INNER_ROOT = "/w"  # where a sandboxed worker sees its work folder
_WORKER_SCRIPT = Path(__file__).with_name("unoworker.py")


class Engine(Protocol):
    """What the pool needs to know about an engine."""

    @property
    def name(self) -> str: ...

    def prepare(self, workdir: Path) -> None: ...

    def command(self, workdir: Path, pipe: str) -> tuple[list[str], str]:
        """Return the argv of a worker process and the path under which it sees *workdir*."""
        ...

    @property
    def sandboxed(self) -> bool: ...


@functools.cache
def bwrap_works() -> str | None:
    """Return None if a bubblewrap sandbox starts here, otherwise the reason it does not."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed"
    try:
        proc = subprocess.run(
            [bwrap, "--unshare-all", "--ro-bind", "/usr", "/usr", *_usr_links(), "--", "/usr/bin/true"],
            capture_output=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"bwrap failed to start: {e}"
    if proc.returncode != 0:
        return "bwrap cannot create namespaces here: " + proc.stderr.decode(errors="replace").strip()
    return None


def _usr_links() -> list[str]:
    # Debian 12 has a merged /usr: /bin, /lib, /lib64 and /sbin are links into it.
    args: list[str] = []
    for name in ("bin", "lib", "lib64", "sbin"):
        p = Path("/") / name
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), str(p)]
        elif p.is_dir():
            args += ["--ro-bind", str(p), str(p)]
    return args


@dataclass(frozen=True, slots=True, kw_only=True)
class LibreOffice:
    """LibreOffice run by `unoworker.py`, inside a bubblewrap sandbox where one can start.

    Attributes:
        soffice: The ``soffice.bin`` binary.
        python: The interpreter that can import ``uno``.
        sandbox: ``"auto"`` (sandbox if bwrap works), ``"require"`` or ``"off"``.
        odf_dialect: ``"strict"`` (ODF 1.3) or ``"extended"`` (LibreOffice's default dialect).
        startup_timeout_s: Time allowed for soffice to start accepting UNO connections.
        memory_limit_mb: Address-space limit of each soffice (0: none). LibreOffice reserves about 1 GiB
            converting ordinary documents.
    """

    soffice: str = SOFFICE_BIN
    python: str = SYSTEM_PYTHON
    sandbox: str = "auto"
    odf_dialect: str = "strict"
    startup_timeout_s: float = 90.0
    memory_limit_mb: int = 4096
    name: str = "libreoffice"

    @property
    def sandboxed(self) -> bool:
        if self.sandbox == "off":
            return False
        reason = bwrap_works()
        if reason is not None and self.sandbox == "require":
            raise RuntimeError(f"sandbox required but unavailable: {reason}")
        return reason is None

    def _odf_version(self) -> int:
        return ODF_EXTENDED_13 if self.odf_dialect == "extended" else ODF_STRICT_13

    def _template(self) -> Path | None:
        """Where an initialised profile for this LibreOffice and this hardening is cached, if anywhere."""
        root = os.environ.get("QUJAT_CACHE_DIR") or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "qujat"
        )
        try:
            st = os.stat(self.soffice)
        except OSError:
            return None
        key = hashlib.sha256(
            f"{st.st_size}:{st.st_mtime_ns}:{registry_xml(odf_version=self._odf_version())}".encode()
        ).hexdigest()[:16]
        return Path(root) / f"lo-profile-{key}"

    def prepare(self, workdir: Path) -> None:
        profile = workdir / "profile"
        template = self._template()
        if template is not None and template.is_dir():
            # A fresh profile costs soffice a second start (it exits 81 after creating one).
            shutil.copytree(template, profile, symlinks=True)
        # Always written last: the hardening is qujat's, never whatever a cached profile holds.
        write_profile(profile, odf_version=self._odf_version())
        (workdir / "job").mkdir(exist_ok=True)

    def started(self, workdir: Path) -> None:
        """Keep a worker's initialised profile (once) as the template later workers start from."""
        template = self._template()
        if template is None or template.exists():
            return
        tmp = template.with_name(f"{template.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            template.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(
                workdir / "profile", tmp, symlinks=True, ignore=shutil.ignore_patterns("*.lock", ".lock")
            )
            os.rename(tmp, template)
        except OSError as e:  # another process won the race, or the cache is not writable: no harm
            log.debug("profile template not kept: %s", e)
            shutil.rmtree(tmp, ignore_errors=True)

    def command(self, workdir: Path, pipe: str) -> tuple[list[str], str]:
        sandboxed = self.sandboxed
        root = INNER_ROOT if sandboxed else str(workdir)
        script = "/opt/qujat/unoworker.py" if sandboxed else str(_WORKER_SCRIPT)
        worker = [
            self.python,
            "-I",  # isolated: no user site, no PYTHONPATH; the script needs only stdlib and uno
            script,
            "--soffice",
            self.soffice,
            "--profile-url",
            Path(root, "profile").as_uri(),
            "--pipe",
            pipe,
            "--startup-timeout",
            str(self.startup_timeout_s),
            "--memory-limit-mb",
            str(self.memory_limit_mb),
        ]
        if not sandboxed:
            return worker, root
        return [*self._bwrap_args(workdir), "--", *worker], root

    def _bwrap_args(self, workdir: Path) -> list[str]:
        # No network at all (own namespace), own PIDs (killing the sandbox kills every process in it),
        # a private /tmp (the UNO pipe lives there), the system read-only, and of the host's data only
        # this worker's folder: never the inbox, other jobs or home folders.
        args = [
            shutil.which("bwrap") or "bwrap",
            "--unshare-all",
            "--die-with-parent",
            "--new-session",
            "--clearenv",
            "--ro-bind",
            "/usr",
            "/usr",
            *_usr_links(),
        ]
        for ro in (
            "/etc/fonts",
            "/etc/libreoffice",
            "/etc/ld.so.cache",
            "/etc/localtime",
            "/var/cache/fontconfig",
        ):
            args += ["--ro-bind-try", ro, ro]
        args += [
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--tmpfs",
            "/tmp",
            "--bind",
            str(workdir),
            INNER_ROOT,
            "--ro-bind",
            str(_WORKER_SCRIPT),
            "/opt/qujat/unoworker.py",
            "--chdir",
            INNER_ROOT,
            "--setenv",
            "HOME",
            "/tmp",
            "--setenv",
            "PATH",
            "/usr/bin:/bin",
            "--setenv",
            "LANG",
            "C.UTF-8",
            "--setenv",
            "SAL_USE_VCLPLUGIN",
            "svp",
            "--setenv",
            "PYTHONDONTWRITEBYTECODE",
            "1",
        ]
        return args
