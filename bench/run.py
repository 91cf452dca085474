"""`make bench`: clubtool's speed and memory from one commune to the whole country.

Generates N club workbooks (~70 members each) with the sample-data generator (cached in
bench/cache/), then measures, in one run and on the same files:

- the floor: reading every sheet of every file with python-calamine alone;
- the baseline a user would write: `pandas.read_excel(sheet_name=None)` (openpyxl engine);
- clubtool's `validate`, `indicators`, `merge`, `report` and `export` (as a user runs them);
- `clubtool indicators` on the bundled sample_data/ (one commune, 10 files: the everyday run);
- `clubtool --help` start-up;
- the cache and the archive (issue 14): `indicators` twice on a fresh cache (`cache`: cold,
  then warm), a nightly `export` where 1 of N files changed (`nightly`), and a province of N
  clubs × 5 years (2026–2030, generated once into bench/cache/years_n<N>/) stored by
  `clubtool archive`, then its phase report and `indicators --years` when the CLI has them
  (`archive`).

The steps that existed before the cache (commune, validate, indicators, merge, report,
export) run with the cache off (`CLUBTOOL_CACHE=0`): with --repeat, repetitions 2–R would
otherwise be cache hits; their figures stay first-pass figures, comparable with earlier
runs. `export` also writes into an empty output folder each time (its archive, too, starts
empty). The new steps start each repetition from an empty cache folder (`XDG_CACHE_HOME`
inside the run's temporary folder): nothing is read from or written to the user's cache.

Each measured command runs in its own process tree; wall time, CPU time (all processes)
and peak RSS (the sum over the process tree, sampled every 20 ms) are recorded. With
--repeat R each step runs R times and the fastest run is kept (peak RSS: the highest of
the R runs), which tames a machine shared with other work.

The figures of each N are kept in bench/results.json (a full run replaces those of its own
N only; a run with --only replaces only the steps it ran, keeps the others of that N and
says in results.md which steps come from which run), and bench/results.md shows every N
measured side by side with the targets of bench/results.md, linearity included once 1,000
and 20,000 are both there.

    python bench/run.py [--n 1000] [--jobs 2] [--repeat 3] [--baseline-sample 1000]
                        [--skip-baseline] [--fresh] [--only cache,nightly,archive]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / "cache"
YEAR = 2027
YEARS = range(2026, 2031)  # the phase of the archive step
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass
class Measure:
    name: str
    wall: float
    cpu: float
    peak_mb: float
    returncode: int
    note: str = ""
    files: int | None = None  # what "per file" divides by: None = N, 0 = no per-file figure
    file_mb: float | None = None  # size of the file the step wrote (the archive)


def _tree(pid: int) -> list[int]:
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def _rss(pids: list[int]) -> int:
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except OSError:
            continue
    return total


def run(name: str, cmd: list[str], *, note: str = "", env: dict[str, str] | None = None,
        repeat: int = 1, before: Callable[[], None] | None = None,
        cwd: Path | None = None, files: int | None = None) -> Measure:
    """The fastest of `repeat` runs of `cmd` (peak RSS: the highest of them); a run that
    failed (exit other than 0 or 1) is never the one kept, and its exit code is shown.
    `before()` runs (untimed) before each repetition."""
    runs = []
    for _ in range(max(1, repeat)):
        if before is not None:
            before()
        runs.append(_run_once(name, cmd, note=note, env=env, cwd=cwd))
    best = _best(runs)
    best.files = files
    return best


def _best(runs: list[Measure]) -> Measure:
    """The fastest run that did not fail, with the highest peak RSS of all and the exit
    code of a failed run if there was one."""
    ok = [m for m in runs if m.returncode in (0, 1)]
    best = min(ok or runs, key=lambda m: m.wall)
    best.peak_mb = max(m.peak_mb for m in runs)
    failed = [m.returncode for m in runs if m.returncode not in (0, 1)]
    if failed:
        best.returncode = failed[0]
    return best


def _run_once(name: str, cmd: list[str], *, note: str = "",
              env: dict[str, str] | None = None, cwd: Path | None = None,
              stdout: Path | None = None) -> Measure:
    """Run `cmd`, sampling the RSS of its whole process tree; CPU from the kernel's accounting.
    `stdout`: a file to keep what the command printed (else it is discarded)."""
    out = stdout.open("wb") if stdout is not None else subprocess.DEVNULL
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=cwd,
                            env={**os.environ, **(env or {})})
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _rss(_tree(proc.pid)))
            stop.wait(0.02)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    stop.set()
    t.join()
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if stdout is not None:
        out.close()  # type: ignore[union-attr]
    if proc.returncode not in (0, 1):
        sys.stderr.write(f"[{name}] exit {proc.returncode}: {err.decode(errors='replace')[-800:]}\n")
    return Measure(name, wall, cpu, peak / 2**20, proc.returncode, note)


def generate(n: int, jobs: int) -> Path:
    folder = CACHE / f"n{n}"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]  # clubtool, and its sample generator
    from clubtool_sample import write_many

    shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    write_many(folder, n, seed=1, year=YEAR, jobs=jobs)
    marker.write_text(f"{n} workbooks in {time.perf_counter() - t:.1f} s\n")
    return folder


def generate_years(n: int, jobs: int) -> Path:
    """N club workbooks for each year of YEARS in bench/cache/years_n<N>/<year>/ (each
    year's folder cached with its own `.complete`, like `generate`)."""
    root = CACHE / f"years_n{n}"
    for year in YEARS:
        folder = root / str(year)
        marker = folder / ".complete"
        if marker.exists():
            continue
        sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
        from clubtool_sample import write_many

        print(f"  generating {n} workbooks of {year} …", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        t = time.perf_counter()
        write_many(folder, n, seed=1, year=year, jobs=jobs)
        marker.write_text(f"{n} workbooks in {time.perf_counter() - t:.1f} s\n")
    return root


def _changed_workbook(work: Path, original: Path) -> Path:
    """Another valid workbook of the same club as `original` (clb_b-00001.xlsx, written
    with seed 2 instead of 1): different content, so an export must run again."""
    sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]
    from clubtool_sample import write_many

    (path,) = write_many(work / "changed", 1, seed=2, year=YEAR)
    if path.name != original.name or path.read_bytes() == original.read_bytes():
        raise SystemExit(f"bench: {path} is not a different version of {original.name}")
    return path


def _link_copy(src: Path, dst: Path) -> None:
    """The workbooks of `src` into `dst`, as hard links where the file system allows."""
    dst.mkdir(parents=True)
    for f in sorted(src.glob("*.xlsx")):
        try:
            os.link(f, dst / f.name)
        except OSError:
            shutil.copy2(f, dst / f.name)


def _code_stamp() -> str:
    """What clubtool's cache fingerprints of its code (each module's name, size and time;
    `clubtool.archive.code_fingerprint`): if it moves between a cold and a warm run
    (someone editing clubtool/ meanwhile), the warm run was not warm."""
    h = hashlib.sha256()
    pkg = ROOT / "clubtool"
    for f in sorted(pkg.rglob("*.py")):
        st = f.stat()
        h.update(f"{f.relative_to(pkg).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _sql(db: Path, query: str) -> list[tuple]:
    """Rows of a read-only query on an SQLite file ([] when it cannot be read)."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return conn.execute(query).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def _db_mb(db: Path) -> float:
    """Size of an SQLite file with its -wal and -shm, in MB."""
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"))
               if p.exists()) / 2**20


def has_option(clubtool: str, command: str, option: str) -> bool:
    """Whether `clubtool COMMAND --help` lists `option` (the CLI grows while this runs)."""
    proc = subprocess.run([clubtool, command, "--help"], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
    return proc.returncode == 0 and re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])",
                                              proc.stdout) is not None


FLOOR = """
import sys, python_calamine as pc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
def read(p):
    wb = pc.CalamineWorkbook.from_path(p)
    return sum(len(wb.get_sheet_by_name(s).to_python()) for s in wb.sheet_names)
files = sorted(str(p) for p in Path(sys.argv[1]).glob("*.xlsx"))
jobs = int(sys.argv[2])
if jobs == 1:
    rows = sum(map(read, files))
else:
    with ProcessPoolExecutor(jobs) as ex:
        rows = sum(ex.map(read, files, chunksize=16))
print(rows)
"""

BASELINE = """
import sys, pandas as pd
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
def read(p):
    return sum(len(df) for df in pd.read_excel(p, sheet_name=None, engine="openpyxl").values())
files = sorted(str(p) for p in Path(sys.argv[1]).glob("*.xlsx"))[: int(sys.argv[3])]
jobs = int(sys.argv[2])
if jobs == 1:
    rows = sum(map(read, files))
else:
    with ProcessPoolExecutor(jobs) as ex:
        rows = sum(ex.map(read, files, chunksize=4))
print(rows)
"""


def has_command(clubtool: str, command: str) -> bool:
    return subprocess.run([clubtool, command, "--help"], capture_output=True).returncode == 0


HELP = "clubtool --help"
STARTUP = "clubtool --version (start-up of every command)"
VALIDATE = "clubtool validate"
INDICATORS = "clubtool indicators (validate + indicators)"
MERGE = "clubtool merge"
COMMUNE = "clubtool indicators, sample_data/ (one commune, 10 files)"
FLOOR_1 = "floor: calamine read, 1 process"
REPORT = "clubtool report (docx, html)"
EXPORT = "clubtool export"
CACHE_OFF = "indicators, cache off (same repetitions)"
CACHE_COLD = "indicators, cache cold (first run)"
CACHE_WARM = "indicators, cache warm (second run)"
NIGHTLY_FULL = "export, full run (cache cold)"
NIGHTLY_ONE = "export, 1 of {n:,} changed"
NIGHTLY_NONE = "export, nothing changed"
ARCHIVE = "archive, {n:,} clubs × 5 years"
PHASE = "phase report 2026-2030 (docx, html)"
YEARS_JSON = "indicators --years 2026-2030 (archive, json)"
MERGE_XLSX = "merge -o x.xlsx, {n:,} files"
MERGE_CSV = "merge --format csv, {n:,} files"
MERGE_SCALE = 5000  # the merge steps run at N and at this many files (linearity)
ROLLUP = "rollup, {n:,} commune summaries of {p} provinces (json)"
SUMMARIES, SUMMARY_PROVINCES = 3300, 63  # the nation's communes and provinces
PROVINCE, NATION = 1000, 20000
STEPS = ("help", "commune", "floor", "baseline", "validate", "indicators", "merge", "report",
         "export", "cache", "nightly", "archive", "rollup", "mergescale")
#: The steps read with the cache off: they measure a first reading, as before the cache.
NO_CACHE_NOTE = "cache off"


def _load() -> float | None:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def _say(name: str) -> None:
    load = _load()
    print(f"  {name} …" + (f" (1-min load {load:.2f})" if load is not None else ""), flush=True)


def cache_steps(clubtool: str, data: Path, n: int, work: Path, jobs: int,
                repeat: int) -> list[Measure]:
    """`indicators` twice on the same files from an empty cache folder: the first run reads
    every file and fills the cache, the second finds them all there. Each repetition starts
    from a new, empty cache folder; the fastest of each kind is kept. Each repetition first
    runs the same command with the cache off: what the cold run costs more than no cache,
    in the same minutes (the machine may be shared)."""
    cmd = [clubtool, "indicators", str(data), "--year", str(YEAR), "--as-of", f"{YEAR}-12-31",
           "--format", "json", "--jobs", str(jobs)]
    pairs: list[tuple[Measure, Measure, bool]] = []
    offs: list[Measure] = []
    notes: list[str] = []
    for k in range(max(1, repeat)):
        xdg = work / f"cache{k}"
        _say(f"{CACHE_OFF} [{k + 1}/{repeat}]")
        offs.append(_run_once(CACHE_OFF, cmd, cwd=work, note=NO_CACHE_NOTE,
                              env={"XDG_CACHE_HOME": str(xdg), "CLUBTOOL_CACHE": "0"}))
        if xdg.exists():
            raise SystemExit(f"bench: CLUBTOOL_CACHE=0 still wrote a cache into {xdg}")
        env = {"XDG_CACHE_HOME": str(xdg), "CLUBTOOL_CACHE": "1"}
        stamp = _code_stamp()
        _say(f"{CACHE_COLD} [{k + 1}/{repeat}]")
        cold = _run_once(CACHE_COLD, cmd, env=env, cwd=work, stdout=work / f"cold{k}.json")
        db = xdg / "clubtool" / "cache.sqlite"
        entries = (_sql(db, "SELECT COUNT(*) FROM cache") or [(0,)])[0][0]
        cold.file_mb = _db_mb(db)
        cold.note = f"cache filled: {entries:,} entries, {cold.file_mb:.0f} MB"
        _say(f"{CACHE_WARM} [{k + 1}/{repeat}]")
        warm = _run_once(CACHE_WARM, cmd, env=env, cwd=work, stdout=work / f"warm{k}.json")
        same = (work / f"cold{k}.json").read_bytes() == (work / f"warm{k}.json").read_bytes()
        warm.note = "output identical to the cold run's" if same else \
            "**output differs from the cold run's**"
        clean = stamp == _code_stamp()
        if not clean:
            notes.append(f"repetition {k + 1}: clubtool/ changed between its runs, not counted")
        pairs.append((cold, warm, clean))
        shutil.rmtree(xdg, ignore_errors=True)
    kept = [p for p in pairs if p[2]]
    if not kept:
        kept, notes = pairs, ["**clubtool/ changed during every repetition**: the warm runs "
                              "may have been cold"]
    cold = _best([c for c, _, _ in kept])
    warm = _best([w for _, w, _ in kept])
    cold.peak_mb = max(c.peak_mb for c, _, _ in pairs)
    warm.peak_mb = max(w.peak_mb for _, w, _ in pairs)
    if not all(w.note.startswith("output identical") for _, w, _ in pairs):
        warm.note = "**output differs from the cold run's** in a repetition"
    warm.note = "; ".join([warm.note, *notes])
    return [_best(offs), cold, warm]


def nightly_steps(clubtool: str, data: Path, n: int, work: Path, repeat: int) -> list[Measure]:
    """The nightly `export`: a full run on a copy of the N files with an empty cache, then
    one file replaced by another version of the same club's workbook and the same export
    again (it must run again: the inputs changed), then once more with nothing changed.
    Each repetition starts from a new copy, cache and output folder."""
    original = data / "clb_b-00001.xlsx"
    changed = _changed_workbook(work, original)
    full_runs: list = []
    one_runs: list = []
    none_runs: list = []
    dropped: list[str] = []
    for k in range(max(1, repeat)):
        stamp = _code_stamp()
        base = work / f"nightly{k}"
        folder, out = base / "data", base / "out"
        _link_copy(data, folder)
        env = {"XDG_CACHE_HOME": str(base / "cache"), "CLUBTOOL_CACHE": "1"}
        cmd = [clubtool, "export", "--data", str(folder), "--out", str(out), "--year", str(YEAR)]
        manifest = out / str(YEAR) / "manifest.json"
        _say(f"{NIGHTLY_FULL} [{k + 1}/{repeat}]")
        full = _run_once(NIGHTLY_FULL, cmd, env=env, cwd=base)
        full.note = "a fresh copy, empty cache, empty output folder"
        before = manifest.read_bytes() if manifest.exists() else b""
        target = folder / original.name
        target.unlink()  # a hard link to bench/cache/: replaced, never written through
        shutil.copyfile(changed, target)
        name = NIGHTLY_ONE.format(n=n)
        _say(f"{name} [{k + 1}/{repeat}]")
        one = _run_once(name, cmd, env=env, cwd=base)
        after = manifest.read_bytes() if manifest.exists() else b""
        one.note = f"{original.name} replaced by another version; " + (
            "outputs rewritten" if after and after != before else "**outputs not rewritten**")
        one.files = 0
        _say(f"{NIGHTLY_NONE} [{k + 1}/{repeat}]")
        none = _run_once(NIGHTLY_NONE, cmd, env=env, cwd=base)
        none.note = "nothing rewritten" if manifest.read_bytes() == after \
            else "**outputs rewritten**"
        none.files = 0
        shutil.rmtree(base, ignore_errors=True)
        clean = stamp == _code_stamp()  # else the cache of the full run was not used
        if not clean:
            dropped.append(f"repetition {k + 1}: clubtool/ changed between its runs, not counted")
        full_runs.append((full, clean))
        one_runs.append((one, clean))
        none_runs.append((none, clean))

    def kept(group: list[tuple[Measure, bool]]) -> list[Measure]:
        return [m for m, ok in group if ok] or [m for m, _ in group]

    if len(dropped) == len(full_runs):
        dropped = ["**clubtool/ changed during every repetition**: the cache may not have "
                   "been used"]
    full_runs, one_runs, none_runs = kept(full_runs), kept(one_runs), kept(none_runs)
    out_ = [_best(full_runs), _best(one_runs), _best(none_runs)]
    for m, group in zip(out_, (full_runs, one_runs, none_runs), strict=True):
        bad = [x.note for x in group if "**" in x.note]
        if bad:
            m.note = bad[0]
    out_[1].note = "; ".join([out_[1].note, *dropped])
    return out_


def archive_steps(clubtool: str, n: int, work: Path, jobs: int, repeat: int) -> list[Measure]:
    """A province (N clubs × 5 years) into an empty archive with `clubtool archive`, each
    repetition into a new file; then, when the CLI has them, the phase report and
    `indicators --years` from the last archive."""
    print(f"generating/caching {n} workbooks × {len(YEARS)} years …", flush=True)
    years = generate_years(n, jobs)
    files = sum(1 for _ in years.glob("*/*.xlsx"))
    name = ARCHIVE.format(n=n)
    runs: list[Measure] = []
    db = work / "province.sqlite"
    for k in range(max(1, repeat)):
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
        env = {"XDG_CACHE_HOME": str(work / f"archive-cache{k}"), "CLUBTOOL_CACHE": "1"}
        _say(f"{name} [{k + 1}/{repeat}]")
        m = _run_once(name, [clubtool, "archive", str(years), "--archive", str(db),
                             "--jobs", str(jobs)], env=env, cwd=work)
        m.file_mb = _db_mb(db)
        stored = _sql(db, "SELECT year, COUNT(*) FROM files GROUP BY year ORDER BY year")
        m.note = f"file {m.file_mb:.0f} MB; " + (
            ", ".join(f"{y}: {c:,}" for y, c in stored) + " files stored" if stored
            else "**nothing stored**")
        runs.append(m)
    best = _best(runs)
    best.files = files
    best.file_mb = max(m.file_mb or 0 for m in runs)
    out = [best]
    env = {"XDG_CACHE_HOME": str(work / "archive-cache-report"), "CLUBTOOL_CACHE": "1"}
    if has_option(clubtool, "report", "--phase"):
        phase = work / "phase"
        _say(PHASE)
        m = run(PHASE, [clubtool, "report", "--phase", f"{YEARS[0]}-{YEARS[-1]}", "--archive",
                        str(db), "-o", str(phase), "--format", "docx,html",
                        "--date", f"{YEARS[-1]}-12-20"],
                env=env, cwd=work, repeat=repeat, files=0,
                before=lambda: shutil.rmtree(phase, ignore_errors=True))
        written = sorted(p.suffix for p in phase.glob("*") if p.is_file())
        m.note = "wrote " + (", ".join(written) if written else "**nothing**")
        out.append(m)
    else:
        print("  phase report: `clubtool report --phase` not available yet, skipped", flush=True)
    if has_option(clubtool, "indicators", "--years"):
        _say(YEARS_JSON)
        out.append(run(YEARS_JSON, [clubtool, "indicators", "--years",
                                    f"{YEARS[0]}-{YEARS[-1]}", "--archive", str(db),
                                    "--format", "json"],
                       env=env, cwd=work, repeat=repeat, files=0))
    else:
        print("  indicators --years: not available yet, skipped", flush=True)
    return out


def generate_summaries(n: int = SUMMARIES, provinces: int = SUMMARY_PROVINCES) -> Path:
    """N commune summaries of `provinces` provinces in bench/cache/summaries_n<N>_v<version>/
    (cached like `generate`): sample_data/'s commune summarised through the job API, then
    varied commune by commune (names, figures, counts) and written with the summary
    module's own writer, which checks each one and computes its hash."""
    sys.path[:0] = [str(ROOT)]
    import random
    from fractions import Fraction

    from clubtool.job import compute, read, resolve
    from clubtool.summary import VERSION, summary_name, summary_of, write_summary

    folder = CACHE / f"summaries_n{n}_v{VERSION}"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    job = resolve([ROOT / "sample_data"], options={"year": YEAR, "as_of": f"{YEAR}-12-31",
                                                    "cache": False}, env={})
    report = read(job)
    base = summary_of(compute(job, report).communes[0].indicators, validation=report)
    rng = random.Random(1)
    for i in range(n):
        obj = json.loads(json.dumps(base))
        k = rng.uniform(0.5, 2.0)  # a commune larger or smaller than Mai Hoa
        obj["province"] = f"Tỉnh Thử {i % provinces + 1:02d}"
        obj["commune"] = f"Xã Thử {i + 1:04d}"
        for v in obj["indicators"]:
            if v["numerator"] is None:
                continue
            if v["unit"] == "count":
                v["numerator"] = v["value"] = rng.randint(0, 4)
            else:
                den = max(1, round(v["denominator"] * k))
                v["denominator"], v["numerator"] = den, rng.randint(den // 2, den)
                v["value"] = v["numerator"] / den
            if v["target"] is not None and v["status"] in ("dat", "chua_dat"):
                met = Fraction(v["numerator"], v["denominator"] or 1) >= Fraction(
                    repr(v["target"]["min"]))
                v["status"] = "dat" if met else "chua_dat"
        members = obj["counts"]["members"]
        for key, value in members.items():
            if isinstance(value, int):
                members[key] = round(value * k)
        write_summary(folder / summary_name(obj["commune"], YEAR), obj)
    marker.write_text(f"{n} summaries in {time.perf_counter() - t:.1f} s\n")
    return folder


def rollup_steps(clubtool: str, work: Path, repeat: int) -> list[Measure]:
    """`clubtool rollup` of the nation's 3,300 commune summaries (63 provinces) to JSON."""
    print(f"generating/caching {SUMMARIES} commune summaries …", flush=True)
    folder = generate_summaries()
    name = ROLLUP.format(n=SUMMARIES, p=SUMMARY_PROVINCES)
    out = work / "rollup"
    _say(name)
    m = run(name, [clubtool, "rollup", str(folder), "--year", str(YEAR), "--format", "json",
                   "-o", str(out), "--force"], cwd=work, repeat=repeat, files=SUMMARIES)
    written = sorted(p.name for p in out.glob("*.json"))
    m.note = "wrote " + (", ".join(written) if written else "**nothing**")
    return [m]


def _scale_data(n: int, jobs: int) -> Path:
    """bench/cache/n<N>: hard links to the first N files of a larger set already generated
    (the generator writes the same file for the same number whatever the set's size), else
    generated as `generate` does."""
    folder = CACHE / f"n{n}"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    bigger = sorted((int(p.parent.name[1:]), p.parent) for p in CACHE.glob("n*/.complete")
                    if p.parent.name[1:].isdigit() and int(p.parent.name[1:]) > n)
    if not bigger:
        return generate(n, jobs)
    source = bigger[0][1]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(1, n + 1):
        name = f"clb_b-{i:05d}.xlsx"
        try:
            os.link(source / name, folder / name)
        except OSError:
            shutil.copy2(source / name, folder / name)
    marker.write_text(f"{n} workbooks: the first {n} of {source.name}\n")
    return folder


def merge_scale_steps(clubtool: str, n: int, work: Path, jobs: int,
                      repeat: int) -> list[Measure]:
    """`merge -o x.xlsx` and `merge --format csv` on N files and on MERGE_SCALE files (issue
    17: linear, xlsx at most 2× csv), the four commands interleaved in each repetition; the
    fastest of each kept. Cache off, as the `merge` step."""
    sizes = sorted({n, MERGE_SCALE})
    folders = {k: _scale_data(k, jobs) for k in sizes}
    env = {"CLUBTOOL_CACHE": "0", "XDG_CACHE_HOME": str(work / "no-cache")}
    runs: dict[str, list[Measure]] = {}
    size_of: dict[str, int] = {}
    for k in range(max(1, repeat)):
        for size in sizes:
            base = [clubtool, "merge", str(folders[size]), "--year", str(YEAR), "--as-of",
                    f"{YEAR}-12-31", "--force", "--jobs", str(jobs)]
            for name, extra in ((MERGE_XLSX, ["-o", str(work / "scale.xlsx")]),
                                (MERGE_CSV, ["--format", "csv", "-o", str(work / "scale_csv")])):
                label = name.format(n=size)
                size_of[label] = size
                _say(f"{label} [{k + 1}/{repeat}]")
                runs.setdefault(label, []).append(
                    _run_once(label, base + extra, env=env, note=NO_CACHE_NOTE))
    out = []
    for label, group in runs.items():
        best = _best(group)
        best.files = size_of[label]
        out.append(best)
    return out


def _merge_targets(by: dict[str, Measure]) -> list[str]:
    """Issue 17's targets of the merge steps: xlsx at most 2× csv; ×4.5–5.5 from 1,000 to
    5,000 files."""
    out = []

    def mark(ok: bool) -> str:
        return "met" if ok else "**not met**"

    sizes = sorted({m.files for k, m in by.items() if k.startswith("merge -o") and m.files})
    for size in sizes:
        x, c = by.get(MERGE_XLSX.format(n=size)), by.get(MERGE_CSV.format(n=size))
        if x and c:
            r = x.wall / c.wall
            out.append(f"- {size:,}: `merge -o x.xlsx` {x.wall:.2f} s vs `merge --format csv` "
                       f"{c.wall:.2f} s: ×{r:.2f} (target ≤ 2×: {mark(r <= 2)}; in CPU time "
                       f"{x.cpu:.2f} s / {c.cpu:.2f} s = ×{x.cpu / c.cpu:.2f})")
    if PROVINCE in sizes and MERGE_SCALE in sizes:
        for name in (MERGE_XLSX, MERGE_CSV):
            a, b = by.get(name.format(n=PROVINCE)), by.get(name.format(n=MERGE_SCALE))
            if a and b:
                r = b.wall / a.wall
                out.append(f"- linearity, `{name.split(',')[0]}`: {b.wall:.2f} s at "
                           f"{MERGE_SCALE:,} / {a.wall:.2f} s at {PROVINCE:,} = ×{r:.2f} "
                           f"(target ×4.5–5.5: {mark(4.5 <= r <= 5.5)}; CPU "
                           f"×{b.cpu / a.cpu:.2f})")
    return out


def _key(step: dict) -> str:
    """The STEPS key of a stored figure (figures stored before keys were kept: by name)."""
    if step.get("step"):
        return step["step"]
    name = step["name"]
    known = {HELP: "help", STARTUP: "help", COMMUNE: "commune", VALIDATE: "validate", INDICATORS: "indicators",
             MERGE: "merge", REPORT: "report", EXPORT: "export"}
    if name in known:
        return known[name]
    for prefix, key in (("floor:", "floor"), ("baseline:", "baseline"),
                        ("clubtool report", "report"), ("clubtool export", "export")):
        if name.startswith(prefix):
            return key
    return ""


#: Where bench/fuzz.py's section of results.md begins.
FUZZ_HEADING = "## Hostile files (`make fuzz`"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="number of club workbooks (default 1000)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each step R times, keep the fastest (default 1)")
    ap.add_argument("--baseline-sample", type=int, default=1000,
                    help="files read by the pandas baseline (scaled to N when smaller)")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--only", default=",".join(STEPS),
                    help=f"steps to run, comma-separated (default: all of {','.join(STEPS)})")
    ap.add_argument("--fresh", action="store_true",
                    help="forget the figures of other N kept in bench/results.json")
    ap.add_argument("--out", type=Path, default=HERE / "results.md")
    args = ap.parse_args(argv)

    py = sys.executable
    clubtool = str(Path(py).with_name("clubtool"))
    # clubtool as a user has it: `pip install` compiles the package's bytecode, an editable
    # install does not (and PYTHONDONTWRITEBYTECODE may forbid writing it on the fly)
    subprocess.run([py, "-m", "compileall", "-q", str(ROOT / "clubtool")], check=True)
    print(f"generating/caching {args.n} workbooks …", flush=True)
    data = generate(args.n, args.jobs)
    n = len(list(data.glob("*.xlsx")))
    load = _load()
    results: list[tuple[str, Measure]] = []  # (step key, figure)
    work = Path(tempfile.mkdtemp(prefix="clubtool-bench-"))
    r = args.repeat
    only = {x.strip() for x in args.only.split(",") if x.strip()}
    unknown = only - set(STEPS)
    if unknown:
        ap.error(f"unknown step(s): {', '.join(sorted(unknown))}")
    if args.skip_baseline:
        only.discard("baseline")
    # the steps that existed before the cache read with it off (first-pass figures, as
    # before); a cache folder of the run's own, so the user's is never touched
    no_cache = {"CLUBTOOL_CACHE": "0", "XDG_CACHE_HOME": str(work / "no-cache")}

    def step(key: str, name: str, cmd: list[str], **kw: object) -> None:
        print(f"  {name} …", flush=True)
        results.append((key, run(name, cmd, repeat=r, **kw)))  # type: ignore[arg-type]

    def wanted(key: str, command: str | None = None) -> bool:
        return key in only and (command is None or has_command(clubtool, command))

    try:
        if wanted("help"):
            step("help", HELP, [clubtool, "--help"])
            step("help", STARTUP, [clubtool, "--version"], files=0)
        if wanted("commune", "indicators"):
            step("commune", COMMUNE, [clubtool, "indicators", str(ROOT / "sample_data"), "--year",
                                      str(YEAR), "--as-of", f"{YEAR}-12-31", "--format", "json",
                                      "--jobs", str(args.jobs)],
                 env=no_cache, note=NO_CACHE_NOTE)
        if wanted("floor"):
            step("floor", FLOOR_1, [py, "-c", FLOOR, str(data), "1"])
            step("floor", f"floor: calamine read, {args.jobs} processes",
                 [py, "-c", FLOOR, str(data), str(args.jobs)])
        if wanted("baseline"):
            sample = min(n, args.baseline_sample)
            print("  baseline …", flush=True)
            m = run(f"baseline: pandas.read_excel (openpyxl), {args.jobs} processes",
                    [py, "-c", BASELINE, str(data), str(args.jobs), str(sample)], repeat=r)
            if sample < n:
                m.note = f"measured on {sample} files, times scaled ×{n / sample:.1f}"
                m.wall *= n / sample
                m.cpu *= n / sample
            results.append(("baseline", m))
        jobs = ["--jobs", str(args.jobs)]
        if wanted("validate"):
            step("validate", VALIDATE, [clubtool, "validate", str(data), "--year", str(YEAR),
                                        "--format", "json", *jobs],
                 env=no_cache, note=NO_CACHE_NOTE)
        if wanted("indicators", "indicators"):
            step("indicators", INDICATORS, [clubtool, "indicators", str(data), "--year", str(YEAR),
                                            "--as-of", f"{YEAR}-12-31", "--format", "json", *jobs],
                 env=no_cache, note=NO_CACHE_NOTE)
        if wanted("merge", "merge"):
            step("merge", MERGE, [clubtool, "merge", str(data), "--year", str(YEAR),
                                  "-o", str(work / "tong_hop.xlsx"), "--force", *jobs],
                 env=no_cache, note=NO_CACHE_NOTE)
        if wanted("report", "report"):
            step("report", REPORT,
                 [clubtool, "report", str(data), "--year", str(YEAR), "--as-of",
                  f"{YEAR}-12-31", "-o", str(work / "bao_cao"), "--force", *jobs],
                 env=no_cache, note=NO_CACHE_NOTE)
        if wanted("export", "export"):
            # an empty output folder each time: export now also adds its inputs to
            # <out>/clubtool.sqlite, which a repetition would find already there
            step("export", EXPORT, [clubtool, "export", "--data", str(data), "--year",
                                    str(YEAR), "--out", str(work / "export"), "--force"],
                 env=no_cache, note=NO_CACHE_NOTE + "; empty output folder each run",
                 before=lambda: shutil.rmtree(work / "export", ignore_errors=True))
        if wanted("cache", "indicators"):
            results += [("cache", m) for m in cache_steps(clubtool, data, n, work, args.jobs, r)]
        if wanted("nightly", "export"):
            results += [("nightly", m) for m in nightly_steps(clubtool, data, n, work, r)]
        if wanted("archive", "archive"):
            if n > PROVINCE:
                print(f"  archive: skipped (a province is {PROVINCE:,} clubs × 5 years; "
                      f"run with --n {PROVINCE})", flush=True)
            else:
                results += [("archive", m) for m in archive_steps(clubtool, n, work, args.jobs, r)]
        if wanted("rollup", "rollup"):
            results += [("rollup", m) for m in rollup_steps(clubtool, work, r)]
        if wanted("mergescale", "merge"):
            results += [("mergescale", m)
                        for m in merge_scale_steps(clubtool, n, work, args.jobs, r)]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    store = HERE / "results.json"
    runs: dict[str, dict] = {}
    if store.exists() and not args.fresh:
        try:
            runs = json.loads(store.read_text(encoding="utf-8"))
        except ValueError:
            runs = {}
    partial = only | {"baseline"} != set(STEPS)
    this = {"date": dt.date.today().isoformat(), "jobs": args.jobs, "repeat": r,
            "load_before": load, "only": [k for k in STEPS if k in only] if partial else None}
    measured = [{**asdict(m), "step": key} for key, m in results]
    old = runs.get(str(n))
    if partial and old is not None:
        # a run of some steps: they replace those steps' figures, the others are kept
        order = {k: i for i, k in enumerate(STEPS)}
        kept = [m for m in old["steps"] if _key(m) not in only]
        steps = sorted(kept + measured, key=lambda m: order.get(_key(m), len(order)))
        later = [{**x, "only": [k for k in x["only"] if k not in only]}
                 for x in old.get("later", [])]
        later = [x for x in later if x["only"]]
        runs[str(n)] = {**old, "steps": steps, "later": later + [this]}
    else:
        runs[str(n)] = {
            "n": n, **this,
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
            "baseline_skipped": args.skip_baseline, "steps": measured,
        }
    store.write_text(json.dumps(runs, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    text = render(runs)
    print(text)
    # the hostile files' section (bench/fuzz.py) is kept as it is
    old = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    kept = old.find(FUZZ_HEADING)
    args.out.write_text(text + ("\n" + old[kept:] if kept >= 0 else ""), encoding="utf-8")
    print(f"written: {args.out} (figures kept in {store})")
    return 0


_FIELDS = frozenset(f.name for f in fields(Measure))


def _steps(entry: dict) -> dict[str, Measure]:
    return {m["name"]: Measure(**{k: v for k, v in m.items() if k in _FIELDS})
            for m in entry["steps"]}


def _command(n: int, run_: dict) -> str:
    return f"python bench/run.py --n {n}" \
        + (f" --repeat {run_['repeat']}" if run_["repeat"] > 1 else "") \
        + (" --skip-baseline" if run_.get("baseline_skipped") else "") \
        + (f" --only {','.join(run_['only'])}" if run_.get("only") else "")


def render(runs: dict[str, dict]) -> str:
    entries = sorted(runs.values(), key=lambda e: e["n"])
    lines = ["# clubtool benchmark", "",
             "Written by `bench/run.py` (`make bench`). What was changed for speed, what each "
             "change gained and why a target is missed: [notes.md](notes.md).", ""]
    for e in entries:
        n, jobs = e["n"], e["jobs"]
        cmd = _command(n, e)
        load = f"; 1-min load average before the run {e['load_before']:.2f}" if e.get("load_before") is not None else ""
        best = f"; best of {e['repeat']} runs" if e["repeat"] > 1 else ""
        lines += [
            f"## {n:,} club workbooks (~70 members each)",
            "",
            f"{e['date']}. Machine: {e['machine']}; jobs = {jobs}{best}{load}. Command: `{cmd}`.",
            "",
        ]
        for later in e.get("later", []):
            lbest = f"; best of {later['repeat']} runs" if later["repeat"] > 1 else ""
            lload = f"; 1-min load average before the run {later['load_before']:.2f}" \
                if later.get("load_before") is not None else ""
            lines += [f"Steps {', '.join(later['only'])}: measured in a later run, "
                      f"{later['date']}; jobs = {later['jobs']}{lbest}{lload}. Command: "
                      f"`{_command(n, later)}`.", ""]
        keys = {_key(m) for m in e["steps"]}
        about = []
        if any(m.note.startswith(NO_CACHE_NOTE) for m in _steps(e).values()):
            about.append("The rows noted \"cache off\" read every file (`CLUBTOOL_CACHE=0`): "
                         "first-pass figures, comparable with runs before the cache.")
        if keys & {"cache", "nightly"}:
            about.append("Rows `indicators, cache …` and `export, …` use the cache, each "
                         "repetition from an empty cache folder (and, for `export`, a fresh "
                         "copy of the files and an empty output folder).")
        if "archive" in keys:
            about.append(f"The archive row's per-file figure is over its {len(YEARS)} years' "
                         "files; the rows after it read the archive, not files.")
        if about:
            lines += [" ".join(about), ""]
        lines += [
            "| step | wall (s) | CPU (s) | peak RSS (MB) | per file (ms) | exit | note |",
            "|---|---:|---:|---:|---:|---:|---|",
        ]
        for m in _steps(e).values():
            files = n if m.files is None else m.files
            per = "" if m.name.startswith(HELP) or m.name == COMMUNE or not files \
                else f"{1000 * m.wall / files:.2f}"
            lines.append(f"| {m.name} | {m.wall:.2f} | {m.cpu:.2f} | {m.peak_mb:.0f} | {per} | "
                         f"{m.returncode} | {m.note} |")
        lines.append("")
    lines += ["## Targets", ""]
    by_n = {e["n"]: e for e in entries}
    for e in entries:
        lines += _targets(e, by_n)
    lines.append("")
    return "\n".join(lines)


def _targets(e: dict, by_n: dict[int, dict]) -> list[str]:
    n, jobs = e["n"], e["jobs"]
    by = _steps(e)
    out: list[str] = []
    vi = by.get(INDICATORS) or by.get(VALIDATE)
    floor = by.get(f"floor: calamine read, {jobs} processes")
    base = next((m for k, m in by.items() if k.startswith("baseline")), None)

    def mark(ok: bool) -> str:
        return "met" if ok else "**not met**"

    if n == PROVINCE or n not in (PROVINCE, NATION):
        if vi and base:
            x = base.wall / vi.wall
            out.append(f"- {n:,}: validate + indicators {vi.wall:.2f} s vs pandas baseline {base.wall:.2f} s: "
                       f"{x:.1f}× faster (target ≥ 10×: {mark(x >= 10)})")
        if vi and floor:
            x = vi.wall / floor.wall
            out.append(f"- {n:,}: validate + indicators vs calamine floor ({jobs} processes, {floor.wall:.2f} s): "
                       f"{x:.2f}× the floor (target ≤ 2×: {mark(x <= 2)})")
        merge = by.get(MERGE)
        if merge and n == PROVINCE:
            out.append(f"- {n:,}: merge {merge.wall:.1f} s, peak {merge.peak_mb:.0f} MB "
                       f"(target < 20 s: {mark(merge.wall < 20)})")
        helpm, startm = by.get(HELP), by.get(STARTUP)
        if helpm:
            out.append(f"- `clubtool --help`: {helpm.wall:.3f} s (target < 0.3 s: {mark(helpm.wall < 0.3)}; "
                       f"issue 17: ≤ 0.12 s: {mark(helpm.wall <= 0.12)})")
        if startm:
            out.append(f"- `clubtool --version`, the start-up of every command: {startm.wall:.3f} s "
                       f"(issue 17: ≤ 0.12 s: {mark(startm.wall <= 0.12)})")
    cold, warm, off = by.get(CACHE_COLD), by.get(CACHE_WARM), by.get(CACHE_OFF)
    if cold and warm:
        x = cold.wall / warm.wall
        out.append(f"- {n:,}: `indicators` a second time, cache warm, {warm.wall:.2f} s vs the first, "
                   f"cache cold, {cold.wall:.2f} s: {x:.1f}× faster (target ≥ 5×: {mark(x >= 5)}; "
                   f"in CPU time {cold.cpu:.2f} s / {warm.cpu:.2f} s = {cold.cpu / warm.cpu:.1f}×)"
                   + (f"; with the cache off, same repetitions, {off.wall:.2f} s: the warm run "
                      f"{off.wall / warm.wall:.1f}× faster" if off else ""))
    full, one = by.get(NIGHTLY_FULL), by.get(NIGHTLY_ONE.format(n=n))
    if full and one:
        x = one.wall / full.wall
        out.append(f"- {n:,}: nightly `export`, 1 of {n:,} files changed, {one.wall:.2f} s vs a full "
                   f"run {full.wall:.2f} s: {x:.2f} of it, {1 / x:.1f}× faster "
                   f"(target < 1/5 = 0.20: {mark(x < 0.2)}; in CPU time "
                   f"{one.cpu / full.cpu:.2f})")
    arch = by.get(ARCHIVE.format(n=n))
    if arch:
        verdict = n == PROVINCE
        t = f" (target < 120 s: {mark(arch.wall < 120)})" if verdict else ""
        size = arch.file_mb or 0
        ts = f" (target < 1 GB: {mark(size < 1024)})" if verdict else ""
        out.append(f"- {n:,} clubs × {len(YEARS)} years archived: {arch.wall:.1f} s{t}; "
                   f"archive file {size:.0f} MB{ts}")
        phase = by.get(PHASE)
        if phase:
            t = f" (target < 15 s: {mark(phase.wall < 15)})" if verdict else ""
            out.append(f"- {n:,} clubs × {len(YEARS)} years: phase report {YEARS[0]}–{YEARS[-1]} "
                       f"(docx, html) {phase.wall:.2f} s{t}")
        else:
            out.append(f"- phase report {YEARS[0]}–{YEARS[-1]} (target < 15 s): not measured, "
                       "`clubtool report --phase` did not exist at the time of the run")
    out += _merge_targets(by)
    roll = by.get(ROLLUP.format(n=SUMMARIES, p=SUMMARY_PROVINCES))
    if roll:
        out.append(f"- {SUMMARIES:,} commune summaries rolled up in {roll.wall:.2f} s, CPU "
                   f"{roll.cpu:.2f} s (target < 10 s: {mark(roll.wall < 10)})")
    if n == NATION:
        if vi:
            out.append(f"- {n:,}: validate + indicators {vi.wall:.1f} s (target < 180 s: {mark(vi.wall < 180)}), "
                       f"peak RSS {vi.peak_mb:.0f} MB (target < 1,536 MB: {mark(vi.peak_mb < 1536)})")
            v = by.get(VALIDATE)
            if v and v is not vi:
                out.append(f"- {n:,}: validate alone {v.wall:.1f} s, peak RSS {v.peak_mb:.0f} MB")
        small = by_n.get(PROVINCE)
        if small:
            sby = _steps(small)
            for name in (INDICATORS, VALIDATE, MERGE, f"floor: calamine read, {jobs} processes"):
                a, b = sby.get(name), by.get(name)
                if a and b:
                    ratio = b.wall / a.wall
                    scale = n / PROVINCE
                    ok = 0.75 * scale <= ratio <= 1.25 * scale
                    target = f" (target {0.75 * scale:.0f}–{1.25 * scale:.0f}: {mark(ok)})" \
                        if name in (INDICATORS, VALIDATE) else ""
                    out.append(f"- linearity, {name}: {b.wall:.1f} s at {n:,} / {a.wall:.2f} s at "
                               f"{PROVINCE:,} = ×{ratio:.1f}{target}")
    return out


if __name__ == "__main__":
    raise SystemExit(main())

