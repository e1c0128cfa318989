"""Tests of `validators.pdfa._thread_warnings`: a parse check records only its own thread's warnings."""

from __future__ import annotations

import sys
import threading
import warnings
from pathlib import Path

from tests.test_validators_pdfa import _check, _write_pdfa
from validators.pdfa import _thread_warnings


def test_installed_in_pikepdfs_parsers() -> None:
    from pikepdf.pdfa import _cmap, _content

    assert _content.warnings is not warnings
    assert _content.warnings.catch_warnings is _thread_warnings._Recorder
    assert _cmap.warnings.catch_warnings is _thread_warnings._Recorder
    assert warnings.catch_warnings is not _thread_warnings._Recorder  # the standard module is untouched


def test_another_threads_warning_is_not_recorded() -> None:
    opened, warned = threading.Event(), threading.Event()
    elsewhere: list[str] = []

    def other() -> None:
        opened.wait(5)
        warnings.warn("a spreadsheet reader's warning", UserWarning, stacklevel=1)
        warned.set()

    previous = warnings.showwarning
    warnings.showwarning = lambda message, *args, **kwargs: elsewhere.append(str(message))
    try:
        thread = threading.Thread(target=other)
        thread.start()
        with _thread_warnings.recording() as log:
            opened.set()
            assert warned.wait(5)
            warnings.warn("this parse's own warning", UserWarning, stacklevel=1)
        thread.join(5)
    finally:
        warnings.showwarning = previous
    assert [str(w.message) for w in log] == ["this parse's own warning"]
    assert elsewhere == ["a spreadsheet reader's warning"]


def test_validation_is_not_failed_by_warnings_from_other_threads(tmp_path: Path) -> None:
    data = _write_pdfa("2b", b"0 0 10 10 re f")
    stop = threading.Event()
    overlapped: list[str] = []

    def noisy() -> None:
        while not stop.is_set():
            warnings.warn("noise from another thread", UserWarning, stacklevel=1)

    interval = sys.getswitchinterval()
    previous = warnings.showwarning
    with warnings.catch_warnings():
        # Outside the parse checks the noise is dropped; inside them (where every warning is shown)
        # it reaches this sink, which shows the threads did overlap
        warnings.simplefilter("ignore")
        warnings.showwarning = lambda message, *args, **kwargs: overlapped.append(str(message))
        sys.setswitchinterval(1e-6)  # the threads take turns often, inside the parse checks too
        thread = threading.Thread(target=noisy, daemon=True)
        thread.start()
        try:
            verdicts = [_check(tmp_path, data, "2b").passed for _ in range(30)]
        finally:
            stop.set()
            thread.join(5)
            sys.setswitchinterval(interval)
            warnings.showwarning = previous
    assert all(verdicts)
    assert overlapped, "the noise never fell inside a parse check: the test proved nothing"
