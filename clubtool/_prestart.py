"""The report worker's process started as soon as `clubtool export` starts: before the
command line is parsed and before clubtool's modules and typer are imported (~0.09 s
earlier than `cli.main` could), so that its own imports (matplotlib, docxtpl) are done by
the time the export hands it the report (`report.worker.ReportWorker.started` takes it).

This module imports nothing of clubtool's and nothing slow: it runs first (`_entry.main`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import subprocess
import sys
from collections.abc import Sequence

#: `CLUBTOOL_REPORT_WORKER=0` turns the worker off. On by default: with a second CPU it takes
#: the report off the export's way (1,000 workbooks, one changed: 1.8 → 1.2 s; the full run
#: 6.6 → 6.2 s), for ~0.5 s of the other CPU's time and one more process's memory (~100 MB)
#: while the export runs. On a machine whose second CPU is busy it can cost more than it saves.
SWITCH = "CLUBTOOL_REPORT_WORKER"
OFF = ("0", "false", "no", "off")
#: Formats whose rendering is worth a process (matplotlib, docxtpl, a row per club).
HEAVY = frozenset({"docx", "html", "xlsx"})
#: The formats the early worker gets ready for: the settings' default (`Settings.formats`;
#: a test keeps them equal). It renders the formats it is later given, whatever they are.
DEFAULT_FORMATS = ("docx", "html")

#: (No garbage collection while the worker imports: its imports make nothing to collect, and
#: the collections would walk all they made again and again, ~20 ms; `serve` turns it on.)
BOOT = ("import gc, pickle, sys; gc.disable(); sys.path[:] = pickle.load(sys.stdin.buffer); "
        "from clubtool.report.worker import serve; serve()")


def cpus() -> int:
    if hasattr(os, "sched_getaffinity"):  # the CPUs this process may use (Linux)
        with contextlib.suppress(OSError):
            return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worth_starting(formats: Sequence[str], jobs: int | None) -> bool:
    """Unless switched off (`SWITCH`), with a heavy format, a second CPU, and when not
    asked for one process (`jobs = 1`, `--jobs 1`)."""
    if os.environ.get(SWITCH, "").strip().lower() in OFF:
        return False
    if jobs == 1 or not HEAVY.intersection(formats):
        return False
    return cpus() > 1


def spawn(formats: Sequence[str]) -> subprocess.Popen[bytes] | None:
    """A worker process that imports what `formats` need at once; None if it cannot start
    (an embedded Python has no interpreter to start). Portable: a plain `subprocess` of the
    same Python, no fork."""
    if not sys.executable:
        return None
    try:
        proc = subprocess.Popen([sys.executable, "-c", BOOT], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except (OSError, ValueError):
        return None
    try:  # small: fits the pipe's buffer, never blocks
        assert proc.stdin is not None
        pickle.dump(list(sys.path), proc.stdin)
        pickle.dump(tuple(formats), proc.stdin)
        proc.stdin.flush()
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            proc.kill()
        proc.wait()
        return None
    return proc


_EARLY: list[subprocess.Popen[bytes]] = []


def early(argv: Sequence[str]) -> None:
    """Start the worker now when `argv` is an `export` that may use it: not for its help,
    nor with `CLUBTOOL_JOBS=1` (`jobs = 1` in clubtool.toml stops it once the settings are
    read). Not taken (`take`), it ends when this process ends (its input closes)."""
    if _EARLY or list(argv[1:2]) != ["export"] or {"--help", "-h"} & set(argv):
        return
    if os.environ.get("CLUBTOOL_JOBS", "").strip() == "1":
        return
    if worth_starting(DEFAULT_FORMATS, None):
        proc = spawn(DEFAULT_FORMATS)
        if proc is not None:
            _EARLY.append(proc)


def take() -> subprocess.Popen[bytes] | None:
    """The worker `early` started, if any (once)."""
    return _EARLY.pop() if _EARLY else None
