"""How `validate()` reads its files in worker processes: the pool, the GC, the pickling.

Not API (`clubtool.validation` re-exports what callers use). What is read from each file,
and how it is checked, is `validation._Reading`; this module only runs it over many files
in `workbook.isolation.read_all`'s workers and makes that cheap:

- records cross the process boundary in a compact pickled form (`_compact_pickling`, done
  once on import);
- the workers' cyclic GC runs seldom (`_worker_init`);
- this process's cyclic GC is off while records come in, and what came in is moved to the
  oldest generation before it is back on (`read_in_workers`).
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from ..issues import make
from ..model import RECORDS, Club, Commune, SheetLayout, compact_pickling
from ..workbook.isolation import (
    DEFAULT_BOUNDS,
    FILES_PER_WORKER,
    Bounds,
    Failure,
    Progress,
    read_all,
)
from ..workbook.reader import Loaded

__all__ = ["POOL_THRESHOLD", "default_jobs", "held_by", "read_in_workers"]

#: Below this many files one worker reads them all: a second one costs more than it saves.
POOL_THRESHOLD = 2 * FILES_PER_WORKER

#: A worker's cyclic GC runs every 50,000 new objects instead of 700: reading a file makes
#: ~1,500 objects that live until it is sent, so with the default the young collections
#: walk them again and again (~3 % of a worker's time).
_WORKER_GC_THRESHOLD = (50_000, 20, 100)


def _worker_init() -> None:
    gc.set_threshold(*_WORKER_GC_THRESHOLD)


def _compact_pickling() -> None:
    """Records cross the process boundary as (class, field values) (`model.compact_pickling`):
    the typed records, Club/Commune, their layouts and Loaded."""
    compact_pickling(*{*RECORDS.values(), Club, Commune, SheetLayout, Loaded})


_compact_pickling()


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


def read_in_workers(read: Callable[[str], Loaded], paths: Sequence[Path], *,
                    jobs: int | None = None, bounds: Bounds = DEFAULT_BOUNDS,
                    on_progress: Progress | None = None,
                    shared: Sequence[object] = ()) -> list[Loaded]:
    """`[read(path) for path in paths]`, in order, in `jobs` worker processes (default: one
    per CPU; `read_all` uses one below `POOL_THRESHOLD` files); this process parses nothing.

    A file whose worker dies is `file-unreadable`; one that needs more than `bounds` allows
    is `file-too-large` (`_failed`). `shared`: as in `read_all` (see `held_by`)."""
    jobs = default_jobs() if jobs is None else max(1, jobs)
    gc_was_enabled = gc.isenabled()
    # No cyclic GC in this process while it receives records (workers turn theirs on):
    # records hold no reference cycles, and the GC would walk all those received so far
    # again and again (5.5 s of a 30 s run at 20,000 files, 0.15 s at 1,000).
    gc.disable()
    try:
        return read_all(read, [str(p) for p in paths], jobs=jobs, failed=_failed,
                        bounds=bounds, on_progress=on_progress, init=_worker_init,
                        shared=shared)
    finally:
        if gc_was_enabled:
            gc_after_loading(len(paths))


def held_by(summarise: object) -> tuple[object, ...]:
    """What `summarise` holds (the fields of a dataclass, those that are dataclasses too):
    its results may hold them again (a club's figures say which period and plan they are
    for), and cross back from the workers as references to these very objects."""
    if summarise is None or not dataclasses.is_dataclass(summarise):
        return ()
    values = (getattr(summarise, f.name) for f in dataclasses.fields(summarise))
    return tuple(v for v in values if dataclasses.is_dataclass(v) and not isinstance(v, type))


def _failed(path: str, why: Failure) -> Loaded:
    """What is known of a file that gave no result: its issue, and its bytes' SHA-256."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        digest = h.hexdigest()
    except OSError:
        digest = ""
    return Loaded(path, None, issues=[make(why.code, path, detail=why.detail)], sha256=digest)


#: From this many files loaded at once (read, or taken from the cache), what is alive then
#: stays frozen (`gc_after_loading`).
KEEP_FROZEN_FROM = 200


def gc_after_loading(files: int = 0) -> None:
    """Cyclic GC back on, the records loaded moved to the oldest generation first: freeze +
    unfreeze does it without walking them, so the young generations' collections that
    follow do not each walk them all once more.

    From `KEEP_FROZEN_FROM` files, and after such a load (unfreezing would thaw it too),
    they stay frozen: the full collections that follow (merging, the report) do not walk
    them either — in the export of 1,000 files taken from the cache, three full
    collections walked ~200,000 objects each: 0.29 s, 0.05 s frozen. Records hold no
    reference cycles and are freed by reference counting, frozen or not; only cyclic
    garbage alive at that moment is never freed, hence not for small loads (a process
    running many small commands, tests). (`gc.get_freeze_count` is not asked: it walks
    every frozen object, ~20 ms.)"""
    global _kept_frozen
    gc.freeze()
    if files >= KEEP_FROZEN_FROM:
        _kept_frozen = True
    elif not _kept_frozen:
        gc.unfreeze()
    gc.enable()


_kept_frozen = False  # a large load was left frozen in this process
