"""The watched-folder configuration: the TOML file, its validation at start-up, and ``qujat init``'s layout.

A bad configuration is refused before anything runs (`converter.ConfigError`, exit 9) with a message
naming the key and what to write instead; in particular an output, originals, quarantine, reports or
state folder inside a watched folder is refused, because whatever lands there would be taken as a new
input and converted again, endlessly.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from converter import ConfigError, Flavour, Profile, write_bytes_atomic

__all__ = ["Config", "DaemonSettings", "Route", "EXAMPLE_CONFIG", "init_layout", "load_config"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Route:
    """One watched folder and what its documents become.

    Attributes:
        name: The route's name (``working``, ``final``, ``archive`` or the user's own).
        inbox: The watched folder.
        output: Where outputs and per-document reports go (subfolders of the inbox are mirrored).
        profile: The conversion `Profile`.
        pdfa: The PDF/A `Flavour` for profiles that make PDF.
        recursive: Whether files in subfolders of the inbox are taken too.
    """

    name: str
    inbox: Path
    output: Path
    profile: Profile
    pdfa: Flavour
    recursive: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class DaemonSettings:
    """How the daemon behaves.

    Attributes:
        stability_s: A file is taken when its size and mtime stayed the same this long.
        scan_interval_s: Seconds between reconciliation scans of every inbox.
        workers: LibreOffice workers (0: CPU count).
        timeout_s: Seconds LibreOffice may spend on one document.
        claim_timeout_s: A claim older than this is stale and may be taken over.
        max_attempts: Claims per job before it is quarantined as one that never finishes.
        shutdown_grace_s: On SIGTERM, how long to let documents in hand finish before releasing them.
        retry_interval_s: While paused (output disk full), how often to try again.
        polling: Use a polling observer (SMB/NFS shares, where inotify sees nothing).
        sandbox: LibreOffice sandbox mode (``auto``, ``require``, ``off``).
    """

    stability_s: float = 2.0
    scan_interval_s: float = 10.0
    workers: int = 0
    timeout_s: float = 120.0
    claim_timeout_s: float = 900.0
    max_attempts: int = 5
    shutdown_grace_s: float = 60.0
    retry_interval_s: float = 10.0
    polling: bool = False
    sandbox: str = "auto"


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """A validated configuration; every path is absolute.

    Attributes:
        source: The TOML file it came from.
        routes: The watched folders.
        originals: Originals are kept in ``originals/<date>/`` once their outputs are durable.
        quarantine: Inputs that could not be converted, each with ``<name>.reason.json``.
        reports: Journal exports and the run's logs.
        state: The journal (``journal.sqlite``), the daemon's lock and its private staging area.
        daemon: `DaemonSettings`.
    """

    source: Path
    routes: tuple[Route, ...]
    originals: Path
    quarantine: Path
    reports: Path
    state: Path
    daemon: DaemonSettings

    @property
    def journal_path(self) -> Path:
        return self.state / "journal.sqlite"

    def route_of(self, path: Path) -> Route | None:
        """The route whose inbox holds *path*, or None."""
        for r in self.routes:
            if path.is_relative_to(r.inbox):
                return r
        return None


EXAMPLE_CONFIG = """\
# qujat watched folders: drop office files into an inbox, find ODF and PDF/A in out/.
# Relative paths are resolved against the folder holding this file. Check it with:
#   qujat watch --config qujat.toml --check
# Outputs, originals, quarantine, reports and state must NOT be inside an inbox: anything written there
# would be taken as a new document and converted again, endlessly (qujat refuses to start).

[paths]
originals = "originals"     # originals move to originals/<date>/ once outputs and report are durable
quarantine = "quarantine"   # files that could not be converted, each with <name>.reason.json
reports = "reports"         # journal exports, logs
state = "state"             # the journal (SQLite) and a private staging area; keep it on local disk

# One [[route]] per watched folder. profile: working (ODF), final (ODF + PDF/A), archive (PDF/A).
[[route]]
name = "working"
inbox = "inbox/working"
output = "out/working"
profile = "working"

[[route]]
name = "final"
inbox = "inbox/final"
output = "out/final"
profile = "final"
pdfa = "2b"                 # 1b, 2b, 2u or 3b (3b embeds the ODF working copy)

[[route]]
name = "archive"
inbox = "inbox/archive"
output = "out/archive"
profile = "archive"
pdfa = "2b"

[daemon]
stability_seconds = 2       # size and mtime unchanged this long before a file is taken
scan_interval_seconds = 10  # reconciliation scan: finds what file-system events missed
workers = 0                 # LibreOffice workers; 0 = one per CPU
timeout_seconds = 120       # per document, in LibreOffice
max_attempts = 5            # a job whose conversion never finishes (crashes qujat) is quarantined after this
shutdown_grace_seconds = 60 # on SIGTERM, documents in hand may finish this long, then go back to the queue
retry_interval_seconds = 10 # while the output disk is full, try again this often
polling = false             # true for SMB/NFS shares (or pass --polling)
sandbox = "auto"            # LibreOffice sandbox: auto, require, off
"""

_DAEMON_KEYS = {
    "stability_seconds": ("stability_s", float),
    "scan_interval_seconds": ("scan_interval_s", float),
    "workers": ("workers", int),
    "timeout_seconds": ("timeout_s", float),
    "claim_timeout_seconds": ("claim_timeout_s", float),
    "max_attempts": ("max_attempts", int),
    "shutdown_grace_seconds": ("shutdown_grace_s", float),
    "retry_interval_seconds": ("retry_interval_s", float),
    "polling": ("polling", bool),
    "sandbox": ("sandbox", str),
}
_TIP = "see the commented example that 'qujat init DIR' writes"


def _bad(message: str) -> ConfigError:
    return ConfigError(message, tip=_TIP)


def _path(base: Path, table: dict[str, Any], key: str, where: str, default: str | None = None) -> Path:
    value = table.get(key, default)
    if not isinstance(value, str) or not value:
        raise _bad(f"{where}: '{key}' must be a folder path (a non-empty string), not {value!r}")
    p = Path(value).expanduser()
    return (p if p.is_absolute() else base / p).resolve()


def _daemon(table: Any) -> DaemonSettings:
    if not isinstance(table, dict):
        raise _bad("[daemon] must be a table")
    unknown = set(table) - set(_DAEMON_KEYS)
    if unknown:
        raise _bad(f"[daemon]: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(_DAEMON_KEYS)}")
    values: dict[str, Any] = {}
    for key, raw in table.items():
        field_name, kind = _DAEMON_KEYS[key]
        # bool is an int in Python; a boolean where a number belongs is a typo, not a value.
        if kind is bool and not isinstance(raw, bool):
            raise _bad(f"[daemon] {key} must be true or false, not {raw!r}")
        if kind in (int, float) and (isinstance(raw, bool) or not isinstance(raw, int | float)):
            raise _bad(f"[daemon] {key} must be a number, not {raw!r}")
        if kind is int and isinstance(raw, float) and not raw.is_integer():
            raise _bad(f"[daemon] {key} must be a whole number, not {raw!r}")
        if kind is str and not isinstance(raw, str):
            raise _bad(f"[daemon] {key} must be a string, not {raw!r}")
        values[field_name] = kind(raw)
    s = DaemonSettings(**values)
    if s.stability_s < 0 or s.scan_interval_s <= 0 or s.timeout_s <= 0 or s.retry_interval_s <= 0:
        raise _bad("[daemon]: stability_seconds must be >= 0; scan, timeout and retry intervals > 0")
    if s.workers < 0 or s.max_attempts < 1 or s.shutdown_grace_s < 0:
        raise _bad("[daemon]: workers must be >= 0, max_attempts >= 1, shutdown_grace_seconds >= 0")
    if s.claim_timeout_s <= s.timeout_s * 2:
        raise _bad(
            f"[daemon]: claim_timeout_seconds ({s.claim_timeout_s:g}) must exceed twice timeout_seconds "
            f"({s.timeout_s:g}): a document may be tried twice before its claim could look stale"
        )
    if s.sandbox not in ("auto", "require", "off"):
        raise _bad(f"[daemon] sandbox must be auto, require or off, not {s.sandbox!r}")
    return s


def _route(base: Path, raw: Any, index: int) -> Route:
    where = f"[[route]] #{index + 1}"
    if not isinstance(raw, dict):
        raise _bad(f"{where} must be a table")
    known = {"name", "inbox", "output", "profile", "pdfa", "recursive"}
    unknown = set(raw) - known
    if unknown:
        raise _bad(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
    name = raw.get("name", "")
    if not isinstance(name, str) or not name or "/" in name:
        raise _bad(f"{where}: 'name' must be a short name such as \"final\", not {name!r}")
    where = f"route {name!r}"
    try:
        profile = Profile(str(raw.get("profile", name)).lower())
    except ValueError:
        raise _bad(
            f"{where}: profile {raw.get('profile', name)!r} is not one of working, final, archive"
        ) from None
    try:
        pdfa = Flavour(str(raw.get("pdfa", "2b")).lower())
    except ValueError:
        raise _bad(f"{where}: pdfa {raw.get('pdfa')!r} is not one of 1b, 2b, 2u, 3b") from None
    recursive = raw.get("recursive", True)
    if not isinstance(recursive, bool):
        raise _bad(f"{where}: recursive must be true or false")
    return Route(
        name=name,
        inbox=_path(base, raw, "inbox", where),
        output=_path(base, raw, "output", where),
        profile=profile,
        pdfa=pdfa,
        recursive=recursive,
    )


def _nested(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def _check_no_watch_loop(cfg: Config) -> None:
    """Refuse any written-to folder inside (or around) a watched folder, and overlapping inboxes."""
    written: list[tuple[str, Path]] = [
        ("originals", cfg.originals),
        ("quarantine", cfg.quarantine),
        ("reports", cfg.reports),
        ("state", cfg.state),
    ]
    written += [(f"route {r.name!r} output", r.output) for r in cfg.routes]
    for r in cfg.routes:
        for label, folder in written:
            if _nested(folder, r.inbox):
                raise ConfigError(
                    f"{label} folder {folder} overlaps the watched folder {r.inbox} of route {r.name!r}: "
                    "whatever qujat writes there would be taken as a new document and converted again, "
                    "endlessly",
                    tip="give outputs, originals, quarantine, reports and state folders outside every inbox",
                )
    for i, a in enumerate(cfg.routes):
        for b in cfg.routes[i + 1 :]:
            if _nested(a.inbox, b.inbox):
                raise ConfigError(
                    f"the inboxes of routes {a.name!r} and {b.name!r} overlap ({a.inbox}, {b.inbox}): "
                    "a file would belong to two profiles",
                    tip="give each route its own folder, side by side",
                )


def load_config(path: Path, *, create_folders: bool = True) -> Config:
    """Read and validate a ``qujat.toml``.

    Args:
        path: The TOML file; relative paths inside it resolve against its folder.
        create_folders: Create missing inboxes and output folders (the daemon needs them).

    Returns:
        The validated `Config`.

    Raises:
        ConfigError: The file is missing, not TOML, or describes an unsafe or incomplete set-up.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"configuration file {path} not found", tip="write one with 'qujat init DIR'"
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read configuration file {path}: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path} is not valid TOML: {e}", tip="fix the line named above") from e
    base = path.resolve().parent
    unknown = set(data) - {"paths", "route", "daemon"}
    if unknown:
        raise _bad(f"{path}: unknown section(s) {', '.join(sorted(unknown))}; known: paths, route, daemon")
    paths = data.get("paths", {})
    if not isinstance(paths, dict):
        raise _bad("[paths] must be a table")
    bad_keys = set(paths) - {"originals", "quarantine", "reports", "state"}
    if bad_keys:
        raise _bad(f"[paths]: unknown key(s) {', '.join(sorted(bad_keys))}")
    raw_routes = data.get("route", [])
    if not isinstance(raw_routes, list) or not raw_routes:
        raise _bad(f"{path}: no [[route]] tables: nothing to watch")
    routes = tuple(_route(base, r, i) for i, r in enumerate(raw_routes))
    names = [r.name for r in routes]
    if len(set(names)) != len(names):
        raise _bad(f"{path}: route names must be unique, got {', '.join(names)}")
    cfg = Config(
        source=path.resolve(),
        routes=routes,
        originals=_path(base, paths, "originals", "[paths]", "originals"),
        quarantine=_path(base, paths, "quarantine", "[paths]", "quarantine"),
        reports=_path(base, paths, "reports", "[paths]", "reports"),
        state=_path(base, paths, "state", "[paths]", "state"),
        daemon=_daemon(data.get("daemon", {})),
    )
    _check_no_watch_loop(cfg)
    if create_folders:
        folders = [cfg.originals, cfg.quarantine, cfg.reports, cfg.state]
        folders += [p for r in routes for p in (r.inbox, r.output)]
        for folder in folders:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise ConfigError(f"cannot create folder {folder}: {e.strerror or e}") from e
    return cfg


def init_layout(root: Path, *, overwrite: bool = False) -> Path:
    """Write a commented ``qujat.toml`` into *root* and make the folders it names.

    Args:
        root: The folder to set up (created if missing).
        overwrite: Replace an existing ``qujat.toml``.

    Returns:
        The path of the configuration file.

    Raises:
        ConfigError: ``qujat.toml`` exists and *overwrite* is False.
    """
    root.mkdir(parents=True, exist_ok=True)
    cfg_path = root / "qujat.toml"
    if cfg_path.exists() and not overwrite:
        raise ConfigError(f"{cfg_path} exists; not replaced", tip="pass --force to replace it")
    write_bytes_atomic(cfg_path, EXAMPLE_CONFIG.encode("utf-8"))
    load_config(cfg_path, create_folders=True)
    return cfg_path
