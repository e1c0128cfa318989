"""The LibreOffice side of one engine worker: the only module in qujat that imports `uno`.

It runs as a standalone script under Debian's ``/usr/bin/python3`` (the only interpreter where
``python3-uno`` imports), normally inside the worker's bubblewrap sandbox, so it imports nothing from
qujat. It starts one ``soffice.bin`` with the profile the parent wrote, connects to it over a UNO pipe,
and then serves requests from the parent: one JSON object per line on stdin, one reply per line on the
protocol channel (the original stdout; fd 1 itself is pointed at stderr so that nothing LibreOffice or
a library prints can corrupt the channel).

Requests:
    {"op": "ping"}                       -> {"ok": true, "rss_kb": N}
    {"op": "convert", "input": PATH, "import_filter": NAME|null, "filter_options": STR|null,
     "outputs": [{"target": "odf"|"pdf", "path": PATH, "pdf_version": 1|2|3}]}
                                         -> {"ok": true, "kind": ..., "metadata": {...}, "stats": {...},
                                             "timings": {...}}
    {"op": "quit"}                       -> soffice terminated, the script exits
A failure is {"ok": false, "error": CODE, "message": TEXT}; after "engine_crashed" the script exits.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import time
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException, IllegalArgumentException
from com.sun.star.uno import RuntimeException as UnoRuntimeException

try:  # IOException lives in different modules across LibreOffice versions
    from com.sun.star.io import IOException as UnoIOException
except ImportError:  # pragma: no cover
    UnoIOException = UnoRuntimeException

_PR_SET_PDEATHSIG = 1
# soffice.bin exits with this status after creating a fresh profile and expects to be started again
# (the oosplash launcher normally does that; we start soffice.bin directly).
_EXIT_RESTART = 81

# Store filters by target and document kind (LibreOffice's internal filter names).
_FILTERS = {
    "odf": {"text": "writer8", "spreadsheet": "calc8", "presentation": "impress8", "drawing": "draw8"},
    "pdf": {
        "text": "writer_pdf_Export",
        "spreadsheet": "calc_pdf_Export",
        "presentation": "impress_pdf_Export",
        "drawing": "draw_pdf_Export",
    },
}
_KINDS = (
    ("com.sun.star.text.WebDocument", "web"),
    ("com.sun.star.text.GlobalDocument", "text"),
    ("com.sun.star.text.TextDocument", "text"),
    ("com.sun.star.sheet.SpreadsheetDocument", "spreadsheet"),
    ("com.sun.star.presentation.PresentationDocument", "presentation"),
    ("com.sun.star.drawing.DrawingDocument", "drawing"),
)


def _die_with_parent() -> None:
    # soffice.bin must not outlive this script even when it is SIGKILLed (outside a sandbox there is
    # no PID namespace to collapse).
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


_MEMORY_LIMIT_MB = 0


def _soffice_preexec() -> None:
    _die_with_parent()
    if _MEMORY_LIMIT_MB:
        # A bound on address space: a decompression-bomb image or an absurd sheet makes this soffice fail
        # its allocations (and crash, which the parent contains) instead of exhausting the machine.
        limit = _MEMORY_LIMIT_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _props(**kwargs: Any) -> tuple[PropertyValue, ...]:
    out = []
    for name, value in kwargs.items():
        p = PropertyValue()
        p.Name = name
        p.Value = value
        out.append(p)
    return tuple(out)


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _iso(dt: Any) -> str | None:
    if dt is None or not getattr(dt, "Year", 0):
        return None
    return f"{dt.Year:04d}-{dt.Month:02d}-{dt.Day:02d}T{dt.Hours:02d}:{dt.Minutes:02d}:{dt.Seconds:02d}"


class Engine:
    def __init__(self, soffice: str, profile_url: str, pipe: str, startup_timeout: float) -> None:
        self.pipe = pipe
        self.cmd = [
            soffice,
            f"-env:UserInstallation={profile_url}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ]
        self.proc = self._spawn()
        self.ctx = self._connect(startup_timeout)
        smgr = self.ctx.ServiceManager
        self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        self.version = self._product_version()

    def _spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.cmd,
            stdin=subprocess.DEVNULL,
            stdout=sys.stderr,
            stderr=sys.stderr,
            preexec_fn=_soffice_preexec,
        )

    def _connect(self, timeout: float) -> Any:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + timeout
        delay = 0.02
        restarts = 0
        # Readiness probe under a time budget: the pipe exists only once soffice has initialised.
        while True:
            if self.proc.poll() == _EXIT_RESTART and restarts < 2:
                restarts += 1
                self.proc = self._spawn()
            elif self.proc.poll() is not None:
                raise SystemExit(f"soffice exited with status {self.proc.returncode} during start-up")
            try:
                return resolver.resolve(url)
            except NoConnectException:
                if time.monotonic() > deadline:
                    raise SystemExit(
                        f"soffice did not accept UNO connections within {timeout:.0f}s"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 1.5, 0.25)

    def _product_version(self) -> str:
        provider = self.ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", self.ctx
        )
        node = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationAccess", _props(nodepath="/org.openoffice.Setup/Product")
        )
        name = node.getByName("ooName")
        version = node.getByName("ooSetupVersionAboutBox")
        return f"{name} {version}"

    def ping(self) -> dict[str, Any]:
        # Exercises the bridge, not just the process: a wedged soffice does not answer this.
        self.desktop.getComponents()
        return {"ok": True, "rss_kb": _rss_kb(self.proc.pid), "version": self.version}

    def convert(self, req: dict[str, Any]) -> dict[str, Any]:
        timings: dict[str, float] = {}
        t0 = time.monotonic()
        load = dict(
            Hidden=True,
            ReadOnly=True,
            UpdateDocMode=0,  # com.sun.star.document.UpdateDocMode.NO_UPDATE: never update links
            MacroExecutionMode=0,  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
            Silent=True,
        )
        if req.get("import_filter"):
            load["FilterName"] = req["import_filter"]
        if req.get("filter_options"):
            load["FilterOptions"] = req["filter_options"]
        url = uno.systemPathToFileUrl(req["input"])
        try:
            doc = self.desktop.loadComponentFromURL(url, "_blank", 0, _props(**load))
        except (IllegalArgumentException, UnoIOException) as e:
            return {"ok": False, "error": "load_failed", "message": e.Message or type(e).__name__}
        if doc is None:
            return {"ok": False, "error": "load_failed", "message": "LibreOffice could not open the document"}
        try:
            timings["engine_load"] = time.monotonic() - t0
            kind = next((k for service, k in _KINDS if doc.supportsService(service)), "unknown")
            if kind not in _FILTERS["odf"]:
                return {"ok": False, "error": "wrong_kind", "message": f"LibreOffice opened it as {kind}"}
            metadata = self._metadata(doc)
            stats = self._stats(doc, kind)
            for out in req["outputs"]:
                t = time.monotonic()
                self._store(doc, kind, out)
                timings[f"engine_store_{out['target']}"] = time.monotonic() - t
        finally:
            try:
                doc.close(True)
            except Exception:  # noqa: BLE001 - a document that will not close is disposed with soffice
                pass
        return {"ok": True, "kind": kind, "metadata": metadata, "stats": stats, "timings": timings}

    def _store(self, doc: Any, kind: str, out: dict[str, Any]) -> None:
        target = out["target"]
        props: dict[str, Any] = {"FilterName": _FILTERS[target][kind], "Overwrite": True}
        if target == "pdf":
            data = _props(
                SelectPdfVersion=int(out.get("pdf_version", 2)),  # 1, 2, 3: PDF/A-1b, -2b, -3b
                UseTaggedPDF=True,
                ExportBookmarks=True,
                EmbedStandardFonts=True,  # PDF/A needs every font embedded, the 14 standard ones too
                ExportNotes=False,
                ExportNotesPages=False,
                ExportFormFields=False,
                ReduceImageResolution=False,
                Quality=90,
            )
            props["FilterData"] = uno.Any("[]com.sun.star.beans.PropertyValue", data)
        doc.storeToURL(uno.systemPathToFileUrl(out["path"]), _props(**props))

    @staticmethod
    def _metadata(doc: Any) -> dict[str, Any]:
        try:
            p = doc.getDocumentProperties()
        except AttributeError:
            return {}
        lang = p.Language
        language = "-".join(x for x in (lang.Language, lang.Country) if x) if lang is not None else ""
        return {
            "title": p.Title or "",
            "subject": p.Subject or "",
            "description": p.Description or "",
            "author": p.Author or "",
            "keywords": list(p.Keywords or ()),
            "created": _iso(p.CreationDate),
            "modified": _iso(p.ModificationDate),
            "language": language,
        }

    @staticmethod
    def _stats(doc: Any, kind: str) -> dict[str, Any]:
        stats: dict[str, Any] = {}
        try:
            for nv in doc.getDocumentProperties().DocumentStatistics:
                stats[nv.Name] = nv.Value
        except Exception:  # noqa: BLE001 - statistics are informative only
            pass
        if kind == "spreadsheet":
            stats["SheetCount"] = doc.Sheets.getCount()
        elif kind in ("presentation", "drawing"):
            stats["PageCount"] = doc.DrawPages.getCount()
        return stats

    def quit(self) -> None:
        try:
            self.desktop.terminate()
        except Exception:  # noqa: BLE001 - terminate always drops the bridge
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _serve(engine: Engine, channel: Any) -> int:
    def reply(msg: dict[str, Any]) -> None:
        channel.write(json.dumps(msg, ensure_ascii=False) + "\n")
        channel.flush()

    reply({"event": "ready", "version": engine.version, "soffice_pid": engine.proc.pid})
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        op = req.get("op")
        try:
            if op == "ping":
                reply(engine.ping())
            elif op == "convert":
                reply(engine.convert(req))
            elif op == "quit":
                engine.quit()
                reply({"ok": True})
                return 0
            else:
                reply({"ok": False, "error": "bad_request", "message": f"unknown op {op!r}"})
        except (DisposedException, UnoRuntimeException) as e:
            # The bridge is gone or soffice crashed: this worker is finished; the parent starts another.
            reply({"ok": False, "error": "engine_crashed", "message": getattr(e, "Message", str(e))})
            return 3
        except Exception as e:  # noqa: BLE001 - report, keep serving
            reply({"ok": False, "error": "engine_error", "message": f"{type(e).__name__}: {e}"})
    engine.quit()
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--soffice", required=True)
    ap.add_argument("--profile-url", required=True)
    ap.add_argument("--pipe", required=True)
    ap.add_argument("--startup-timeout", type=float, default=60.0)
    ap.add_argument("--memory-limit-mb", type=int, default=0)
    args = ap.parse_args()
    global _MEMORY_LIMIT_MB
    _MEMORY_LIMIT_MB = args.memory_limit_mb
    _die_with_parent()
    # Keep the real stdout as the protocol channel and point fd 1 at stderr.
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    engine = Engine(args.soffice, args.profile_url, args.pipe, args.startup_timeout)
    return _serve(engine, channel)


if __name__ == "__main__":
    sys.exit(main())
