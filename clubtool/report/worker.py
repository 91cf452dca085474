"""The report rendered in a second process, beside the export's other work.

The annual report costs the export mostly imports (matplotlib, docxtpl) and drawing the
chart, none of which needs the merged workbook. Unless switched off (`SWITCH`), `clubtool
export` starts a worker when it starts (its imports overlap with reading the files), hands
it the report's context once the indicators are computed, writes the merged workbook
meanwhile, and then collects the files' bytes:

    with ReportWorker.started(("docx", "html")) as worker:   # None: render in-process
        ...
        worker.submit(ctx, formats, templates, files)
        ...
        files = worker.result()   # [bytes, …] in the order of `formats`; None on any failure
        worker.wrote()            # True: the worker wrote each of `files` (below)

`files` (`SideFile`): other outputs of the same run, rendered by the worker from a value
it is handed (the export's indicator JSON, from its object `IndicatorResult.to_dict()`) and
written by it atomically where they go; the caller only checks they are there (`wrote`),
or writes them itself (`write_side_files`, the same function the worker runs).

The worker runs the same renderers on the same values, so its bytes are those the export
would render itself. Whatever goes wrong with it (cannot start, a value cannot be pickled,
a renderer raises, the process dies or is killed) `result()` is None (and `wrote` False)
and the caller renders in-process: an error is then raised there, as without a worker.
Portable: a plain `subprocess` of the same
Python (no fork, no POSIX call); the worker is killed when the `with` block ends, however it
ends (an error, Ctrl-C), and it exits by itself when the export's process disappears (its
input pipe closes).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..render import Options

__all__ = ["ReportWorker", "SideFile", "serve", "worth_starting", "write_side_files"]

#: Formats whose rendering is worth a process (matplotlib, docxtpl, a row per club).
HEAVY = frozenset({"docx", "html", "xlsx"})
#: `CLUBTOOL_REPORT_WORKER=0` turns the worker off. On by default: with a second CPU it takes
#: the report off the export's way (1,000 workbooks, one changed: 1.8 → 1.2 s; the full run
#: 6.6 → 6.2 s), for ~0.5 s of the other CPU's time and one more process's memory (~100 MB)
#: while the export runs. On a machine whose second CPU is busy it can cost more than it saves.
SWITCH = "CLUBTOOL_REPORT_WORKER"
_OFF = ("0", "false", "no", "off")

#: (No garbage collection while the worker imports: its imports make nothing to collect, and
#: the collections would walk all they made again and again, ~20 ms; `serve` turns it on.)
_BOOT = ("import gc, pickle, sys; gc.disable(); sys.path[:] = pickle.load(sys.stdin.buffer); "
         "from clubtool.report.worker import serve; serve()")


def worth_starting(formats: Sequence[str], jobs: int | None) -> bool:
    """Unless switched off (`SWITCH`), with a heavy format, a second CPU, and when not
    asked for one process (`jobs = 1`, `--jobs 1`)."""
    if os.environ.get(SWITCH, "").strip().lower() in _OFF:
        return False
    if jobs == 1 or not HEAVY.intersection(formats):
        return False
    return _cpus() > 1


def _cpus() -> int:
    if hasattr(os, "sched_getaffinity"):  # the CPUs this process may use (Linux)
        with contextlib.suppress(OSError):
            return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class ReportWorker:
    """One worker process rendering one report (see the module's docstring)."""

    def __init__(self, proc: subprocess.Popen[bytes]):
        self._proc = proc
        self._sender: threading.Thread | None = None
        self._formats: tuple[str, ...] = ()
        self._files: tuple[SideFile, ...] = ()
        self._written: list[int] | None = None  # the sizes of `_files` the worker wrote

    @classmethod
    @contextlib.contextmanager
    def started(cls, formats: Sequence[str], *, jobs: int | None = None
                ) -> Iterator[ReportWorker | None]:
        """A running worker for `formats` (None when not worth it or it cannot start);
        killed when the block ends. The one `prestart` began is taken when there is one."""
        worker = _PRESTARTED.pop() if _PRESTARTED else None
        if not worth_starting(formats, jobs):
            if worker is not None:
                worker.close()
            worker = None
        elif worker is None:
            worker = cls.start(formats)
        try:
            yield worker
        finally:
            if worker is not None:
                worker.close()

    @classmethod
    def prestart(cls, formats: Sequence[str]) -> None:
        """Start the worker as the command starts, before its options and settings are
        read (`cli.main` for `export`: its imports then overlap with the command's own
        start, ~0.1 s), for `started` to take. Not taken, it ends when this process ends
        (its input closes)."""
        if not _PRESTARTED and worth_starting(formats, None):
            worker = cls.start(formats)
            if worker is not None:
                _PRESTARTED.append(worker)

    @classmethod
    def start(cls, formats: Sequence[str]) -> ReportWorker | None:
        """Start a worker that imports what `formats` need at once; None if it cannot."""
        if not sys.executable:  # an embedded Python: no interpreter to start
            return None
        try:
            proc = subprocess.Popen([sys.executable, "-c", _BOOT], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except (OSError, ValueError):
            return None
        worker = cls(proc)
        try:  # small: fits the pipe's buffer, never blocks
            assert proc.stdin is not None
            pickle.dump(list(sys.path), proc.stdin)
            pickle.dump(tuple(formats), proc.stdin)
            proc.stdin.flush()
        except (OSError, ValueError):
            worker.close()
            return None
        return worker

    def submit(self, ctx: Any, formats: Sequence[str], templates: Path | str | None,
               files: Sequence[SideFile] = ()) -> None:
        """Hand the worker the report's context and the `files` to write beside it; returns
        at once (a thread writes it while the worker may still be importing). Something
        that cannot be pickled: nothing is sent, `result()` is None (render in-process)."""
        self._formats, self._files = tuple(formats), tuple(files)
        try:  # (one pickle: a value shared by several files is sent once)
            data = pickle.dumps((ctx, self._formats, templates, self._files),
                                protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a value of a kind pickle refuses: render here
            self.close()
            return
        self._sender = threading.Thread(target=_send, args=(self._proc.stdin, data),
                                        name="clubtool-report-worker", daemon=True)
        self._sender.start()

    def result(self) -> list[bytes] | None:
        """The files' bytes, in the order of the formats submitted; None when the worker
        failed in any way (the caller then renders in-process). The worker has ended when
        it returns: it writes nothing more."""
        if self._sender is None:
            return None
        try:
            assert self._proc.stdout is not None
            size = int.from_bytes(_read_exactly(self._proc.stdout, 8), "little")
            reply = pickle.loads(_read_exactly(self._proc.stdout, size))
            self._sender.join()
        except Exception:  # noqa: BLE001 - a dead worker, a cut reply: render in-process
            return None
        finally:
            self.close()
        if (not isinstance(reply, tuple) or len(reply) != 3 or reply[0] != "ok"
                or not isinstance(reply[1], list) or len(reply[1]) != len(self._formats)
                or not all(isinstance(b, bytes) for b in reply[1])
                or not isinstance(reply[2], list) or len(reply[2]) != len(self._files)
                or not all(isinstance(n, int) for n in reply[2])):
            return None
        self._written = reply[2]
        return reply[1]

    def wrote(self) -> bool:
        """After `result()`: whether the worker wrote each of the files submitted, each now
        there with the size it said. False: the caller writes them (`write_side_files`)."""
        if self._written is None:
            return False
        try:
            return all(f.path.stat().st_size == n
                       for f, n in zip(self._files, self._written, strict=True))
        except OSError:
            return False

    def close(self) -> None:
        """Stop the worker (killed if still running) and release its pipes."""
        proc = self._proc
        if proc.poll() is None:
            with contextlib.suppress(OSError):
                proc.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


#: The worker `prestart` began, until `started` takes it.
_PRESTARTED: list[ReportWorker] = []


@dataclass(frozen=True, slots=True, eq=False)  # (eq: never compare the data, a province)
class SideFile:
    """A file written beside the report: `renderer(kind, fmt)(data, opts)` (text: UTF-8)
    written atomically at `path`, by the worker or, without one, by the caller."""

    path: Path
    kind: str
    fmt: str
    data: Any
    opts: Options


def write_side_files(files: Sequence[SideFile], *, after_worker: bool = False) -> list[int]:
    """Render and write each file (atomically); return their sizes in bytes. The same bytes
    in the worker and here: the same renderer on the same value. `after_worker`: a worker
    given them has failed (and ended); a temporary file it left half-written is removed."""
    from .._fsutil import write_bytes_atomic
    from ..render import renderer

    sizes = []
    for f in files:
        if after_worker:
            _remove_leftovers(f.path)
        out = renderer(f.kind, f.fmt)(f.data, f.opts)
        data = out.encode("utf-8") if isinstance(out, str) else out
        write_bytes_atomic(f.path, data, force=True)
        sizes.append(len(data))
    return sizes


def _remove_leftovers(path: Path) -> None:
    """The temporary files `_fsutil.atomic_path` makes for `path` (".<name>.<random>.tmp"
    beside it), left by a worker killed while it wrote."""
    import glob

    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()


def _read_exactly(pipe: IO[bytes], size: int) -> bytes:
    """`size` bytes of the reply (its length first: the reply is taken as soon as it is
    written, without waiting for the worker to exit, which takes a tenth of a second)."""
    data = pipe.read(size)
    if len(data) != size:
        raise EOFError("the worker's reply is cut")
    return data


def _send(pipe: IO[bytes] | None, data: bytes) -> None:
    with contextlib.suppress(OSError, ValueError):  # a worker gone: result() says so
        assert pipe is not None
        pipe.write(data)
        pipe.close()


# --- the worker's side ----------------------------------------------------------------------


def serve() -> None:
    """The worker: import, read one request, render, reply, exit (run by `_BOOT`)."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # a library's stray print never corrupts the reply
    try:
        formats = pickle.load(sys.stdin.buffer)
        _warm_up(formats)
        # What the imports made lives until the worker exits: the collections run while the
        # request is unpickled and rendered skip it (~30 ms less for 1,000 clubs).
        gc.freeze()
        gc.enable()
        ctx, formats, templates, files = pickle.load(sys.stdin.buffer)
    except (EOFError, KeyboardInterrupt, OSError):  # the export ended first
        return
    try:
        reply: tuple[Any, ...] = ("ok", _render(ctx, formats, templates),
                                  write_side_files(files))
    except BaseException as exc:  # noqa: BLE001 - the export renders in-process and says it
        reply = ("error", repr(exc))
    with contextlib.suppress(OSError, KeyboardInterrupt):
        data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(len(data).to_bytes(8, "little") + data)
        out.flush()


def _warm_up(formats: Sequence[str]) -> None:
    """Import what the formats will need while the export reads its files."""
    import importlib

    modules = {"docx": ["docxtpl", "matplotlib.figure", "matplotlib.backends.backend_agg"],
               "html": ["jinja2", "matplotlib.figure", "matplotlib.backends.backend_agg"]}
    for fmt in formats:
        for name in [*modules.get(fmt, []), f"clubtool.report.formats.{_module(fmt)}"]:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)


def _module(fmt: str) -> str:
    return {"md": "markdown"}.get(fmt, fmt)


def _render(ctx: Any, formats: Sequence[str], templates: Path | str | None) -> list[bytes]:
    from ..render import Options, renderer

    opts = Options(templates=templates)
    out = []
    for fmt in formats:
        data = renderer("report", fmt)(ctx, opts)
        assert isinstance(data, bytes)
        out.append(data)
    return out
