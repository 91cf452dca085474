"""Files read in worker processes, each within bounds of memory and time (issue 18).

python-calamine is Rust code: a crafted workbook can make it end the whole process (a Rust
panic or a failed allocation is an abort, not an exception), crash it, loop, or ask for
gigabytes. So the process that runs a command never parses a file: `read_all` hands the
files to worker processes in small batches. A worker publishes which file it is on, and
since when, in a slot of shared memory, and sends a batch's results together (one pickle:
what the files share — names, layouts — crosses once). So the parent always knows which
file a worker is on, and a worker that dies, or spends more than `Bounds.max_seconds` on
one file, or more than `Bounds.max_mb` of memory, costs that one file (a `Failure`), never
the run: a fresh worker reads the rest of its batch again.

Memory, on Linux: each worker limits its own address space (RLIMIT_AS) to what it holds
at start plus `max_mb`; an allocation past that fails — a MemoryError in Python, an abort
in Rust, told apart by the message Rust writes on stderr (the parent reads each worker's
stderr). macOS does not enforce RLIMIT_AS and Windows has none: there the parent looks at
each worker's resident memory every `_WATCH_EVERY` seconds (psutil) and ends a worker
past its bound.

Time: the parent ends a worker whose file has run past `max_seconds`. On POSIX a worker
also arms an alarm per file (twice the bound, plus a margin) that ends it if nobody
else does — when the parent itself was killed, say.

Workers are forked on Linux (cheap, nothing to import again) and spawned elsewhere (fork is
unsafe on macOS and absent on Windows): what they run is importable at module level.
"""

from __future__ import annotations

import copyreg
import faulthandler
import functools
import gc
import io
import itertools
import mmap
import os
import pickle
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing import connection, get_context
from typing import Any, NamedTuple, TypeVar

if sys.platform.startswith("linux"):
    import resource

T = TypeVar("T")


class Bounds(NamedTuple):
    """What reading one file may take (a club workbook needs < 100 MB and < 2 s)."""

    max_mb: int = 200  # memory a worker may use above what it held at start
    max_seconds: float = 3.0  # wall time for one file

    def time_detail(self) -> str:
        return f"đọc quá {_number(self.max_seconds)} giây"

    def memory_detail(self) -> str:
        return f"cần hơn {self.max_mb} MB bộ nhớ"


DEFAULT_BOUNDS = Bounds()


class Failure(NamedTuple):
    """Why a file gave no result: `code` is an issue code, `detail` in Vietnamese."""

    code: str  # "file-unreadable" (the worker died) or "file-too-large" (past a bound)
    detail: str


Progress = Callable[[int, int, str], None]
#: A second worker is worth its start (a fork, ~5 ms of warming up) from 2 × this many files.
FILES_PER_WORKER = 4

#: Linux: workers are forked and limit their own address space; elsewhere they are spawned
#: and the parent watches their memory.
_LINUX = sys.platform.startswith("linux")
_CONTEXT = get_context("fork") if _LINUX else get_context("spawn")
_SELF_LIMITED = _LINUX  # (tests set it to False to run the parent's watch on Linux)
_WATCH_EVERY = 0.1  # seconds between two looks at the workers' memory, where watched
_START_SECONDS = 120.0  # a worker not ready by then will never be (spawn on a slow machine)
_FOREVER = float("inf")
_MAX_CHUNK = 64  # files in a batch, at most (smaller as the end nears)
_AHEAD = 2  # batches a worker holds: the one it reads and the next
_TRIES = 3  # a file held by this many workers that died between files is given up
_STDERR_HELD = 64 * 1024  # what is kept of a worker's stderr while it reads one batch
_IDLE = -1.0  # in a worker's slot: reading no file
_RUST_OOM = b"memory allocation of "  # what Rust writes before aborting on a failed allocation
#: The parent's ends of the workers' pipes: a forked worker closes its copies at once, so
#: that a worker sees the end of its pipe when the parent is gone.
_PARENT_FDS: set[int] = set()
#: The `shared` objects of the runs under way, by run.
_SHARED: dict[int, tuple[object, ...]] = {}
_RUNS = itertools.count(1)


def read_all(read: Callable[[str], T], items: Sequence[str], *, jobs: int,
             failed: Callable[[str, Failure], T], bounds: Bounds = DEFAULT_BOUNDS,
             on_progress: Progress | None = None, init: Callable[[], None] | None = None,
             shared: Sequence[object] = ()) -> list[T]:
    """`[read(item) for item in items]`, each call in one of `jobs` worker processes (one
    per `FILES_PER_WORKER` items at most: a worker costs a fork and a few ms of warming up).

    A file whose worker dies, or that goes past `bounds`, gives `failed(item, why)` instead,
    and the run goes on with a fresh worker. An exception `read` raises is a programming
    error: it is raised here. `read`, its results and `init` (run once in each worker) must
    be picklable: module-level functions, instances of module-level classes.
    `on_progress(done, total, item)` is called as results come in.

    `shared`: objects `read` holds that its results hold again (a club's figures say which
    plan they are for): they cross back as a reference to this process's own object, not
    as a copy each time. Only instances of classes (no str, tuple, date…): the test is by
    identity, on every object of their class.
    """
    workers = max(1, min(jobs, len(items) // FILES_PER_WORKER))
    return _Run(read, items, workers, failed, bounds, on_progress, init, tuple(shared)).run()


# --- in the worker ----------------------------------------------------------------------


_READY = "ready"  # a worker's first message: it is set up and reads from now on


class _Lost(NamedTuple):
    """In place of a result: the file gave none (memory, a Rust panic)."""

    failure: Failure


class _Raised(NamedTuple):
    """Sent instead of results: `read` raised (a programming error, raised by the parent)."""

    error: BaseException | None  # None when it cannot be pickled
    trace: str

    @classmethod
    def of(cls, exc: BaseException) -> _Raised:
        import traceback

        trace = "".join(traceback.format_exception(exc))
        try:
            pickle.dumps(exc)
        except Exception:  # noqa: BLE001 - any exception that does not pickle
            return cls(None, trace)
        return cls(exc, trace)


# long: the worker's loop: receive, bound, read, answer; split, its state would have to travel
def _serve(conn: Any, read: Callable[[str], Any], items: Sequence[str], bounds: Bounds,
           init: Callable[[], None] | None, stderr: int | None, run: int,
           shared: tuple[object, ...], slot: Any) -> None:
    """A worker: read the batches of indexes that come in; for each file, say in `slot`
    which it is and since when; send each batch's results in one message, in order."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C: the parent ends its workers
    for fd in _PARENT_FDS:  # (forked: the parent's ends of all the pipes, inherited)
        try:
            os.close(fd)
        except OSError:
            pass
    if stderr is not None:
        os.dup2(stderr, 2)
        os.close(stderr)
        if faulthandler.is_enabled():  # (pytest, -X faulthandler): its dump goes there too
            faulthandler.enable(2)
    gc.freeze()  # what the parent had is never walked by this worker's collections
    gc.enable()  # (the parent reads with its GC off; a fork inherits that)
    if init is not None:
        init()
    if _SELF_LIMITED:
        _limit_address_space(bounds.max_mb * 2**20)
    arm = getattr(signal, "setitimer", None)
    if arm is not None:  # the alarm's default action ends the process, even inside Rust
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
    backstop = 2 * bounds.max_seconds + 5
    too_large = _Lost(Failure("file-too-large", bounds.memory_detail()))
    dumps = _dumps(run, shared)
    send_bytes = conn.send_bytes
    clock = time.monotonic
    send_bytes(dumps(_READY))
    while True:
        try:
            indexes = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        if indexes is None:
            return
        out: list[Any] = []
        for i in indexes:
            slot[1] = clock()
            slot[0] = i
            if arm is not None:
                arm(signal.ITIMER_REAL, backstop)
            try:
                out.append(read(items[i]))
            except MemoryError:
                out.append(too_large)
            except Exception as exc:  # noqa: BLE001 - raised again by the parent
                slot[0] = _IDLE
                send_bytes(dumps(_Raised.of(exc)))
                return
            except BaseException as exc:
                # calamine panics are pyo3's PanicException, a BaseException: that file's
                if type(exc).__name__ != "PanicException":
                    raise
                out.append(_Lost(Failure("file-unreadable", _crash_detail(_short(exc)))))
            if arm is not None:
                arm(signal.ITIMER_REAL, 0)
        slot[0] = _IDLE
        try:
            _send_results(send_bytes, dumps, out, too_large)
        except OSError:  # the parent is gone
            return


def _send_results(send_bytes: Callable[[bytes], None], dumps: Callable[[Any], bytes],
                  out: list[Any], too_large: _Lost) -> None:
    """A batch's results in one message; one by one if that one is too large to make."""
    try:
        data = dumps(out)
    except MemoryError:
        data = None
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        data = dumps(_Raised.of(exc))
    if data is not None:
        send_bytes(data)
        return
    for result in out:
        try:
            data = dumps([result])
        except MemoryError:
            data = dumps([too_large])
        send_bytes(data)


def _dumps(run: int, shared: tuple[object, ...]) -> Callable[[Any], bytes]:
    """A worker's pickling of what it sends: copyreg's reducers (the records' compact form),
    and `shared` objects as references to the parent's (`_shared_object`)."""
    table = copyreg.dispatch_table.copy()
    by_type: dict[type, list[tuple[int, object]]] = {}
    for i, obj in enumerate(shared):
        by_type.setdefault(type(obj), []).append((i, obj))
    for cls, known in by_type.items():
        table[cls] = functools.partial(_reduce_shared, run, known, table.get(cls))
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = table

    def dumps(obj: Any) -> bytes:
        buffer.seek(0)
        buffer.truncate()
        pickler.clear_memo()
        pickler.dump(obj)
        return buffer.getvalue()

    return dumps


def _reduce_shared(run: int, known: list[tuple[int, object]],
                   otherwise: Callable[[Any], Any] | None, obj: Any) -> Any:
    for i, shared in known:
        if obj is shared:
            return _shared_object, (run, i)
    return otherwise(obj) if otherwise is not None else obj.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


def _shared_object(run: int, i: int) -> object:
    """(In the parent, unpickling a worker's message) the run's `shared[i]` itself."""
    return _SHARED[run][i]


def _limit_address_space(extra: int) -> None:
    """At most `extra` bytes of address space more than this process has now (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as f:
        size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = size + extra
    if hard != resource.RLIM_INFINITY:
        want = min(want, hard)
    if soft == resource.RLIM_INFINITY or want < soft:
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))


def _crash_detail(how: str) -> str:
    return f"tệp hỏng hoặc cố ý gây lỗi: {how}"


def _short(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:160]


def _number(x: float) -> str:
    """3 → "3", 0.5 → "0,5" (Vietnamese decimal comma)."""
    return f"{x:g}".replace(".", ",")


# --- in the parent ----------------------------------------------------------------------


def _new_slot() -> tuple[Any, Any]:
    """Two doubles both processes see: the index of the file a worker reads (or `_IDLE`)
    and when it began. Forked: an anonymous shared mapping (no file descriptor); spawned:
    multiprocessing's shared memory, handed over at start. (what to close, the slot)"""
    if _CONTEXT.get_start_method() == "fork":
        block = mmap.mmap(-1, 16)
        view = memoryview(block).cast("d")
        view[0] = _IDLE
        return (view, block), view
    array = _CONTEXT.RawArray("d", 2)
    array[0] = _IDLE
    return None, array


class _Worker:
    """One worker process, the pipe to it, its slot, and the indexes it holds, in order, in
    batches (`batches`: their sizes)."""

    def __init__(self, run: _Run):
        self.conn, child = _CONTEXT.Pipe()
        err_r, err_w = os.pipe() if _LINUX else (None, None)
        self.err = err_r
        self.held = bytearray()  # its stderr since its last results
        self.mapped, self.slot = _new_slot()
        ours = [self.conn.fileno()] + ([err_r] if err_r is not None else [])
        _PARENT_FDS.update(ours)
        self.process = _CONTEXT.Process(
            target=_serve, args=(child, run.read, run.items, run.bounds, run.init, err_w,
                                 run.run_id, run.shared, self.slot),
            daemon=True, name="clubtool-reader")
        try:
            self.process.start()
        except BaseException:
            _PARENT_FDS.difference_update(ours)
            self.conn.close()
            if err_r is not None:
                os.close(err_r)
            self._unmap()
            raise
        finally:
            child.close()
            if err_w is not None:
                os.close(err_w)
        self.queue: deque[int] = deque()
        self.batches: deque[int] = deque()
        self.ready = False
        self.started = time.monotonic()
        self.baseline = 0
        self.watch: Any = None

    def reading(self) -> int | None:
        """The index of the file it reads now, if any."""
        i = self.slot[0]
        return int(i) if self.ready and i >= 0 else None

    def read_stderr(self) -> None:
        if self.err is None:
            return
        try:
            data = os.read(self.err, 65536)
        except (BlockingIOError, InterruptedError):
            return
        if not data:  # its end is closed: the worker is gone
            self._close_stderr()
            return
        self.held += data
        if len(self.held) > _STDERR_HELD:  # keep the start, where Rust says why it aborts
            _forward(self.held[_STDERR_HELD // 2:])
            del self.held[_STDERR_HELD // 2:]

    def drain_stderr(self) -> None:
        """All it wrote, once it is gone."""
        while self.err is not None:
            self.read_stderr()

    def release_stderr(self) -> None:
        if self.held:
            _forward(self.held)
            self.held.clear()

    def stop(self) -> None:
        """Tell it to end once it has sent all it holds."""
        try:
            self.conn.send(None)
        except OSError:
            pass

    def close(self, *, kill: bool) -> None:
        """End the process (at once with `kill`, else it is told to stop) and free all."""
        if self.process.exitcode is None:
            if kill:
                self.process.kill()
            else:
                self.stop()
            self.process.join(1.0)
            if self.process.exitcode is None:  # stuck: never wait for it
                self.process.kill()
                self.process.join()
        _PARENT_FDS.discard(self.conn.fileno())
        self.conn.close()
        self._close_stderr()
        self._unmap()
        self.process.close()

    def _close_stderr(self) -> None:
        if self.err is not None:
            _PARENT_FDS.discard(self.err)
            os.close(self.err)
            self.err = None

    def _unmap(self) -> None:
        if self.mapped is not None:
            view, block = self.mapped
            view.release()
            block.close()
            self.mapped = None


def _held(w: _Worker) -> int:
    return len(w.queue)


def _forward(data: bytes | bytearray) -> None:
    """What a worker wrote on stderr, on ours."""
    try:
        sys.stderr.write(bytes(data).decode("utf-8", "replace"))
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # no stderr (pythonw), or closed
        pass


class _Run:
    """One `read_all`: the workers, the files not yet handed out, the results so far."""

    def __init__(self, read: Callable[[str], Any], items: Sequence[str], workers: int,
                 failed: Callable[[str, Failure], Any], bounds: Bounds,
                 on_progress: Progress | None, init: Callable[[], None] | None,
                 shared: tuple[object, ...]):
        self.read, self.items, self.n_workers = read, list(items), workers
        self.failed, self.bounds, self.on_progress, self.init = failed, bounds, on_progress, init
        self.run_id, self.shared = next(_RUNS), shared
        self.total = len(self.items)
        self.results: list[Any] = [None] * self.total
        self.fresh = 0  # the first index never handed out
        self.again: list[int] = []  # held by a worker that died before sending them
        self.tries: dict[int, int] = {}  # index → workers that died holding it
        self.done = 0
        self.workers: list[_Worker] = []
        self.start_failures = 0
        self.last: str | None = None  # the item whose result came in last
        self.rss = _rss_reader() if not _SELF_LIMITED else None
        self.next_watch = 0.0
        # the longest the parent sleeps: a file's time is checked at least this often
        self.tick = max(0.05, min(1.0, bounds.max_seconds / 4))

    def run(self) -> list[Any]:
        if not self.total:
            return []
        finished = False
        _SHARED[self.run_id] = self.shared
        try:
            while self.done < self.total:
                self._staff()
                self._round()
            finished = True
        finally:
            if finished:  # all told to stop first: they end side by side
                for w in self.workers:
                    w.stop()
            for w in self.workers:
                w.release_stderr()
                w.close(kill=not finished)
            self.workers.clear()
            del _SHARED[self.run_id]
        return self.results

    # handing out work

    def _left(self) -> int:
        return self.total - self.fresh + len(self.again)

    def _staff(self) -> None:
        """Enough workers for the work nobody holds; each with the batch it reads and the
        next, smaller ones as the end nears (so that all finish together)."""
        while len(self.workers) < self.n_workers and self._left():
            self.workers.append(_Worker(self))
        while self.workers and self._left():
            w = min(self.workers, key=_held)  # the one with the fewest, in turn
            if len(w.batches) >= _AHEAD:
                break
            self._hand(w)

    def _hand(self, w: _Worker) -> None:
        size = max(1, min(_MAX_CHUNK, self._left() // (2 * self.n_workers)))
        batch: Sequence[int]
        if self.again:  # first what a dead worker left, in order
            batch, self.again = self.again[:size], self.again[size:]
        else:
            first, self.fresh = self.fresh, min(self.total, self.fresh + size)
            batch = range(first, self.fresh)
        w.queue.extend(batch)
        w.batches.append(len(batch))
        try:
            w.conn.send(batch)
        except OSError:  # it died: its sentinel says so in the next round
            pass

    # one round: wait for results, deaths, deadlines

    def _round(self) -> None:
        done = self.done
        now = time.monotonic()
        timeout = min([self.tick] + [self._deadline(w) - now for w in self.workers])
        if self.rss is not None:
            timeout = min(timeout, max(0.0, self.next_watch - now))
        objects: list[Any] = []
        for w in self.workers:
            objects += (w.conn, w.process.sentinel)
            if w.err is not None:
                objects.append(w.err)
        ready = set(connection.wait(objects, max(0.0, timeout)))
        for w in list(self.workers):
            if w.err is not None and w.err in ready:
                w.read_stderr()
            if w.conn in ready:
                self._receive(w)
            if w.process.sentinel in ready:
                self._receive(w)
                self._died(w)
        now = time.monotonic()
        for w in list(self.workers):
            if now >= self._deadline(w) and not w.conn.poll():
                self._overrun(w)
        if self.rss is not None and now >= self.next_watch:
            self.next_watch = now + _WATCH_EVERY
            self._watch_memory()
        if self.done != done and self.on_progress is not None and self.last is not None:
            self.on_progress(self.done, self.total, self.last)

    def _deadline(self, w: _Worker) -> float:
        if not w.ready:
            return w.started + _START_SECONDS
        if w.reading() is not None:
            return w.slot[1] + self.bounds.max_seconds
        return _FOREVER

    def _receive(self, w: _Worker) -> None:
        """Every message waiting from `w`: results of its batches, in order."""
        try:
            while w.conn.poll():
                message = w.conn.recv()
                if not w.ready:
                    w.ready = True
                    if self.rss is not None:
                        w.baseline = self._rss_of(w)
                    continue
                if type(message) is _Raised:
                    self._raise(message)
                for result in message:
                    i = w.queue.popleft()
                    self.results[i] = (self.failed(self.items[i], result.failure)
                                       if type(result) is _Lost else result)
                    self.done += 1
                    self.last = self.items[i]
                    self.tries.pop(i, None)
                w.batches.popleft()
                w.release_stderr()
        except (EOFError, OSError):  # it is gone (or going): its sentinel tells
            pass

    def _raise(self, message: _Raised) -> None:
        error = message.error or RuntimeError("lỗi trong tiến trình đọc tệp")
        error.__cause__ = _RemoteTraceback(message.trace)
        raise error

    def _died(self, w: _Worker) -> None:
        """`w` ended by itself: the file it was reading gave no result."""
        w.process.join()
        code = w.process.exitcode
        w.drain_stderr()
        if not w.ready:
            self.start_failures += 1
            if self.start_failures >= 3:
                said = bytes(w.held[-4000:]).decode("utf-8", "replace")
                raise RuntimeError(f"Không khởi động được tiến trình đọc tệp (mã thoát {code})."
                                   + (f"\n{said}" if said else ""))
        self._retire(w, self._why(code, w.held), kill=False)

    def _why(self, code: int | None, said: bytes | bytearray) -> Failure:
        if _RUST_OOM in said:
            return Failure("file-too-large", self.bounds.memory_detail())
        if code is not None and code < 0:
            if -code == getattr(signal, "SIGALRM", None):  # the worker's own backstop
                return Failure("file-too-large", self.bounds.time_detail())
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = str(-code)
            how = f"tín hiệu {name}"
        elif code is not None and code > 255:  # Windows: an NTSTATUS, 0xC0000005 and the like
            how = f"mã thoát {code:#010X}".replace("0X", "0x")
        else:
            how = f"mã thoát {code}"
        return Failure("file-unreadable",
                       _crash_detail(f"tiến trình đọc tệp dừng đột ngột ({how})"))

    def _overrun(self, w: _Worker) -> None:
        """`w` went past its time: ended; the file it was on is too large."""
        if not w.ready:
            self.start_failures += 1
            if self.start_failures >= 3:
                raise RuntimeError("Không khởi động được tiến trình đọc tệp (quá thời gian).")
        self._retire(w, Failure("file-too-large", self.bounds.time_detail()), kill=True)

    def _watch_memory(self) -> None:
        limit = self.bounds.max_mb * 2**20
        for w in list(self.workers):
            if (w.reading() is not None and self._rss_of(w) - w.baseline > limit
                    and not w.conn.poll()):
                self._retire(w, Failure("file-too-large", self.bounds.memory_detail()),
                             kill=True)

    def _rss_of(self, w: _Worker) -> int:
        assert self.rss is not None
        try:
            return self.rss(w)
        except Exception:  # noqa: BLE001 - a process that just ended, a denied look
            return 0

    def _retire(self, w: _Worker, why: Failure, *, kill: bool) -> None:
        """`w` is done for: the file it was reading is `why`; what else it held is handed
        out again, in order. (A worker that died reading no file, between two, blames none:
        a file held by `_TRIES` such workers is given up.)"""
        culprit = w.reading()
        if kill:
            w.process.kill()
        w.process.join()
        w.held.clear()  # what it said as it died is in the issue
        for i in w.queue:
            if i == culprit:
                self._fail(i, why)
                continue
            if culprit is None and w.ready:
                self.tries[i] = self.tries.get(i, 0) + 1
                if self.tries[i] >= _TRIES:
                    self._fail(i, why)
                    continue
            self.again.append(i)
        self.again.sort()
        w.queue.clear()
        w.close(kill=kill)
        self.workers.remove(w)

    def _fail(self, i: int, why: Failure) -> None:
        self.results[i] = self.failed(self.items[i], why)
        self.done += 1
        self.last = self.items[i]


class _RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker (as concurrent.futures shows it)."""

    def __init__(self, trace: str):
        super().__init__(trace)
        self.trace = trace

    def __str__(self) -> str:
        return f'\n"""\n{self.trace}"""'


def _rss_reader(proc: bool = _LINUX) -> Callable[[_Worker], int] | None:
    """How the parent reads a worker's resident memory (from /proc, else with psutil);
    None when it cannot."""
    if proc:
        page = os.sysconf("SC_PAGE_SIZE")

        def from_proc(w: _Worker) -> int:
            with open(f"/proc/{w.process.pid}/statm", encoding="ascii") as f:
                return int(f.read().split()[1]) * page

        return from_proc
    try:
        import psutil
    except ImportError:  # pragma: no cover - a dependency off Linux; only time is bounded then
        return None

    def from_psutil(w: _Worker) -> int:
        if w.watch is None:
            w.watch = psutil.Process(w.process.pid)
        return int(w.watch.memory_info().rss)

    return from_psutil
