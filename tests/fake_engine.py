"""A fake engine worker speaking the unoworker protocol, for the failure paths a real one can't be made
to take on demand: it hangs or crashes on the jobs its plan says, and otherwise copies prepared outputs.

The plan is a JSON file: {"jobs": ["hang", "crash", "ok", ...], "odf": PATH, "pdf": PATH, "counter": PATH};
the counter file survives the worker being killed and restarted.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FakeEngine:
    """An `Engine` for `converter.Converter(engine=...)`."""

    plan: Path
    name: str = "fake"
    sandboxed: bool = False

    def prepare(self, workdir: Path) -> None:
        (workdir / "job").mkdir(exist_ok=True)

    def command(self, workdir: Path, pipe: str) -> tuple[list[str], str]:
        return [sys.executable, __file__, str(self.plan)], str(workdir)


def fake_outputs(folder: Path) -> tuple[Path, Path]:
    """A valid ODT and a plain PDF for the fake engine to hand back."""
    folder.mkdir(parents=True, exist_ok=True)
    odt = folder / "fake.odt"
    import pikepdf
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    doc = OpenDocumentText()
    doc.text.addElement(P(text="fake"))
    doc.save(str(odt))
    # odfpy's manifest lacks the manifest:version ODF 1.2 requires; the engine's output would have it.
    raw = odt.with_suffix(".raw")
    odt.rename(raw)
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(odt, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(b"<manifest:manifest ", b'<manifest:manifest manifest:version="1.2" ', 1)
            zout.writestr(info, data)
    pdf = folder / "fake.pdf"
    p = pikepdf.new()
    p.add_blank_page()
    p.save(pdf)
    return odt, pdf


def _next_behaviour(plan: dict) -> str:
    counter = Path(plan["counter"])
    n = int(counter.read_text()) if counter.exists() else 0
    counter.write_text(str(n + 1))
    jobs = plan["jobs"]
    return jobs[n] if n < len(jobs) else "ok"


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    out = sys.stdout
    out.write(json.dumps({"event": "ready", "version": "FakeOffice 0.1"}) + "\n")
    out.flush()
    for line in sys.stdin:
        req = json.loads(line)
        if req["op"] == "ping":
            reply: dict = {"ok": True, "rss_kb": 1000}
        elif req["op"] == "quit":
            out.write(json.dumps({"ok": True}) + "\n")
            out.flush()
            return
        else:
            behaviour = _next_behaviour(plan)
            if behaviour == "hang":
                time.sleep(3600)
            if behaviour == "crash":
                os._exit(1)
            for o in req["outputs"]:
                shutil.copyfile(plan[o["target"]], o["path"])
            reply = {"ok": True, "kind": "text", "metadata": {"title": "fake"}, "stats": {}, "timings": {}}
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
