"""qujat's watched folders and batches: folders in, folders out.

``qujat init``, ``qujat watch`` (the daemon), ``qujat batch`` (a tree into a mirrored tree), ``qujat retry``
and ``qujat journal``; the SQLite job journal that makes all of them crash-safe and resumable; routing
rules and their TOML configuration. Uses only the public API of `converter`; nothing imports `watch`.
Usage: ``docs/watch.md``.
"""

from __future__ import annotations

from watch.batch import BatchOptions, BatchResult, run_batch
from watch.config import Config, DaemonSettings, Route, init_layout, load_config
from watch.daemon import Daemon
from watch.jobs import Outcome, Processor, Target
from watch.journal import Job, JobState, Journal
from watch.summary import Summary, summarize, write_summary

__all__ = [
    "BatchOptions",
    "BatchResult",
    "Config",
    "Daemon",
    "DaemonSettings",
    "Job",
    "JobState",
    "Journal",
    "Outcome",
    "Processor",
    "Route",
    "Summary",
    "Target",
    "init_layout",
    "load_config",
    "run_batch",
    "summarize",
    "write_summary",
]
