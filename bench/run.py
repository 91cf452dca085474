"""`make bench`: clubtool's speed and memory from one commune to the whole country.

Generates N club workbooks (~70 members each) with the sample-data generator (cached in
bench/cache/), then measures, in one run and on the same files:

- the floor: reading every sheet of every file with python-calamine alone;
- the baseline a user would write: `pandas.read_excel(sheet_name=None)` (openpyxl engine);
- clubtool's `validate`, `indicators`, `merge`, `report` and `export` (as a user runs them);
- `clubtool --help` start-up.

Each measured command runs in its own process tree; wall time, CPU time (all processes)
and peak RSS (the sum over the process tree, sampled every 20 ms) are recorded. Prints a
table and writes bench/results.md.

    python bench/run.py [--n 1000] [--jobs 2] [--baseline-sample 1000] [--skip-baseline]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / "cache"
YEAR = 2027
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass
class Measure:
    name: str
    wall: float
    cpu: float
    peak_mb: float
    returncode: int
    note: str = ""


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


def run(name: str, cmd: list[str], *, note: str = "", env: dict[str, str] | None = None) -> Measure:
    """Run `cmd`, sampling the RSS of its whole process tree; CPU from the kernel's accounting."""
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
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
    if proc.returncode not in (0, 1):
        sys.stderr.write(f"[{name}] exit {proc.returncode}: {err.decode(errors='replace')[-800:]}\n")
    return Measure(name, wall, cpu, peak / 2**20, proc.returncode, note)


def generate(n: int, jobs: int) -> Path:
    folder = CACHE / f"n{n}"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    sys.path.insert(0, str(ROOT))
    from clubtool.sample import write_many

    shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    write_many(folder, n, seed=1, year=YEAR, jobs=jobs)
    marker.write_text(f"{n} workbooks in {time.perf_counter() - t:.1f} s\n")
    return folder


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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="number of club workbooks (default 1000)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--baseline-sample", type=int, default=1000,
                    help="files read by the pandas baseline (scaled to N when smaller)")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--out", type=Path, default=HERE / "results.md")
    args = ap.parse_args(argv)

    py = sys.executable
    clubtool = str(Path(py).with_name("clubtool"))
    print(f"generating/caching {args.n} workbooks …", flush=True)
    data = generate(args.n, args.jobs)
    n = len(list(data.glob("*.xlsx")))
    results: list[Measure] = []
    work = Path(tempfile.mkdtemp(prefix="clubtool-bench-"))
    try:
        results.append(run("clubtool --help", [clubtool, "--help"]))
        results.append(run("floor: calamine read, 1 process", [py, "-c", FLOOR, str(data), "1"]))
        results.append(run(f"floor: calamine read, {args.jobs} processes",
                           [py, "-c", FLOOR, str(data), str(args.jobs)]))
        if not args.skip_baseline:
            sample = min(n, args.baseline_sample)
            m = run(f"baseline: pandas.read_excel (openpyxl), {args.jobs} processes",
                    [py, "-c", BASELINE, str(data), str(args.jobs), str(sample)])
            if sample < n:
                m.note = f"measured on {sample} files, times scaled ×{n / sample:.1f}"
                m.wall *= n / sample
                m.cpu *= n / sample
            results.append(m)
        jobs = ["--jobs", str(args.jobs)]
        results.append(run("clubtool validate", [clubtool, "validate", str(data), "--year", str(YEAR),
                                                 "--format", "json", *jobs]))
        if has_command(clubtool, "indicators"):
            results.append(run("clubtool indicators (validate + indicators)",
                               [clubtool, "indicators", str(data), "--year", str(YEAR),
                                "--as-of", f"{YEAR}-12-31", "--format", "json", *jobs]))
        if has_command(clubtool, "merge"):
            results.append(run("clubtool merge", [clubtool, "merge", str(data), "--year", str(YEAR),
                                                  "-o", str(work / "tong_hop.xlsx"), "--force", *jobs]))
        if has_command(clubtool, "report"):
            results.append(run("clubtool report (docx, html)",
                               [clubtool, "report", str(data), "--year", str(YEAR), "--as-of",
                                f"{YEAR}-12-31", "-o", str(work / "bao_cao"), *jobs]))
        if has_command(clubtool, "export"):
            results.append(run("clubtool export", [clubtool, "export", "--data", str(data), "--year",
                                                   str(YEAR), "--out", str(work / "export"), "--force"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    text = render(results, n, args.jobs)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    print(f"written: {args.out}")
    return 0


def render(results: list[Measure], n: int, jobs: int) -> str:
    by = {m.name: m for m in results}
    lines = [
        f"# clubtool benchmark — {n} club workbooks (~70 members each)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"jobs = {jobs}. Command: `python bench/run.py --n {n}` (`make bench`).",
        "",
        "| step | wall (s) | CPU (s) | peak RSS (MB) | per file (ms) | exit | note |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for m in results:
        per = "" if m.name.startswith("clubtool --help") else f"{1000 * m.wall / n:.1f}"
        lines.append(f"| {m.name} | {m.wall:.2f} | {m.cpu:.2f} | {m.peak_mb:.0f} | {per} | "
                     f"{m.returncode} | {m.note} |")
    lines += ["", "## Targets", ""]
    vi = by.get("clubtool indicators (validate + indicators)") or by.get("clubtool validate")
    floor = by.get(f"floor: calamine read, {jobs} processes")
    base = next((m for k, m in by.items() if k.startswith("baseline")), None)
    if vi and base:
        lines.append(f"- validate + indicators vs pandas baseline: {base.wall / vi.wall:.1f}× faster "
                     f"(target ≥ 10×)")
    if vi and floor:
        lines.append(f"- validate + indicators vs calamine floor ({jobs} processes): "
                     f"{vi.wall / floor.wall:.2f}× the floor (target ≤ 2×)")
    helpm = by.get("clubtool --help")
    if helpm:
        lines.append(f"- `clubtool --help`: {helpm.wall:.2f} s (target < 0.3 s)")
    merge = by.get("clubtool merge")
    if merge:
        lines.append(f"- merge of {n} workbooks: {merge.wall:.1f} s, peak {merge.peak_mb:.0f} MB "
                     f"(target < 20 s at 1,000)")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

