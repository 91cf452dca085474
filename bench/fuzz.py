"""`make fuzz`: the hostile-file corpus at full size, through `clubtool validate` (issue 18).

Builds the big variant of every file of tests/security/corpus.py (the sizes that took a
whole run down: a far cell at XFD1048576, 100 million ODS cells, 10,000 cells × a 4 MB
shared string, a looping compound file…; cached in bench/cache/fuzz/), then runs
`clubtool validate --format json`:

- on each file alone, in a process of its own: wall time, peak memory, exit code and the
  file's issue;
- on all of them together with a few good club workbooks: the run's time and peak memory,
  and whether the good workbooks' results are exactly those of a run without the hostile
  files.

Peak memory: the memory of the run's process tree, sampled every 20 ms (the sum of the
processes' proportional set sizes: a page shared by forked workers counts once); and the
largest single process (`ru_maxrss` from `wait4`, which catches the
peaks sampling misses). A run past `--timeout` is killed. Appends a dated
section with the table to bench/results.md (target: each file gets its own error, or is
read, in < 5 s and < 300 MB for the whole run).

Run it bounded, so that a hole cannot take the machine: `ulimit -v 8000000; make fuzz`.

    python bench/fuzz.py [--only NAME ...] [--timeout 60] [--good 4] [--no-write] [--fresh]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / "cache" / "fuzz"
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
TARGET_SECONDS = 5.0
TARGET_MB = 300.0

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))  # clubtool_sample, the sample generator
sys.path.insert(0, str(HERE))
from run import _tree  # noqa: E402 - the process tree of a command, as the benchmark walks it


@dataclass
class Run:
    wall: float
    peak_mb: float  # sampled sum over the process tree
    max_rss_mb: float  # the largest single process (wait4)
    returncode: int
    out: str
    err: str
    killed: bool = False


def _rss(pids: list[int]) -> int:
    """Memory of these processes together: the sum of their proportional set sizes (a page
    shared by forked workers counts once), or of their resident sizes where PSS is unknown."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            continue
        except OSError:
            pass
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1]) * PAGE
        except OSError:
            continue
    return total


#: Runs a command and writes its exit code and `ru_maxrss` (KB: its largest process, its
#: children included) to a file. A process forked from this script would start with this
#: script's own high-water mark (Linux keeps it across exec): the small wrapper does not.
_WRAPPER = r"""
import json, os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
code = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as fh:
    json.dump({"code": code, "maxrss_kb": usage.ru_maxrss}, fh)
sys.exit(code if code >= 0 else 128 - code)
"""


def run(cmd: list[str], timeout: float) -> Run:
    """`cmd` in a process group of its own: wall time, peak memory, output; killed (with its
    group) after `timeout` seconds."""
    import tempfile

    fd, report = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", _WRAPPER, report, *cmd], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT, start_new_session=True)
    peak = 0
    stop = threading.Event()
    killed = False

    def sample() -> None:
        nonlocal peak, killed
        while not stop.is_set():
            peak = max(peak, _rss(_tree(proc.pid)[1:]))  # (not the wrapper)
            if time.perf_counter() - start > timeout and not killed:
                killed = True
                os.killpg(proc.pid, 9)
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [threading.Thread(target=lambda s, b: b.append(s.read()), args=(s, b), daemon=True)
               for s, b in ((proc.stdout, out), (proc.stderr, err))]
    for r in readers:
        r.start()
    proc.wait()
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    for r in readers:
        r.join()
    try:
        with open(report) as fh:
            got = json.load(fh)
        code, max_rss = got["code"], got["maxrss_kb"] / 1024
    except (OSError, ValueError, KeyError):
        code, max_rss = proc.returncode, 0.0  # killed before the wrapper could tell
    os.unlink(report)
    return Run(wall, peak / 2**20, max_rss, code, b"".join(out).decode("utf-8", "replace"),
               b"".join(err).decode("utf-8", "replace"), killed)


def validate(paths: list[Path], timeout: float) -> Run:
    return run([sys.executable, "-m", "clubtool", "validate", *map(str, paths), "--format", "json",
                "--year", "2027"], timeout)


def by_file(r: Run) -> dict[str, dict]:
    try:
        return {f["path"]: f for f in json.loads(r.out)["files"]}
    except (ValueError, KeyError, TypeError):
        return {}


def build(names: list[str], fresh: bool) -> dict[str, Path]:
    from tests.security import corpus

    CACHE.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name in names:
        h = corpus.CORPUS[name]
        path = CACHE / f"{name}{h.suffix}"
        stamp = CACHE / f"{name}.size"
        if fresh or not path.exists() or not stamp.exists() or stamp.read_text() != str(h.big):
            started = time.perf_counter()
            path.write_bytes(h.build(h.big))
            stamp.write_text(str(h.big))
            print(f"  built {path.name} ({path.stat().st_size / 1e6:.1f} MB) in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
        paths[name] = path
    return paths


def good_files(n: int) -> list[Path]:
    from clubtool_sample import write_many  # scripts/clubtool_sample.py (on sys.path above)

    folder = CACHE / "good"
    have = sorted(folder.glob("*.xlsx"))
    if len(have) < n:
        shutil.rmtree(folder, ignore_errors=True)
        have = write_many(folder, n)
    return sorted(have)[:n]


def outcome(r: Run, path: Path) -> str:
    if r.killed:
        return "killed (time)"
    if r.returncode not in (0, 1):
        return f"run died (exit {r.returncode})"
    f = by_file(r).get(str(path))
    if f is None:
        return "no result"
    codes = sorted({i["code"] for i in f["issues"] if i["severity"] == "error"})
    if not codes:
        return "read"
    return ", ".join(codes)


def main(argv: list[str] | None = None) -> int:
    from tests.security import corpus

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="corpus entries to run (default: all)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds before a run is killed")
    ap.add_argument("--good", type=int, default=4, help="good club workbooks in the joint run")
    ap.add_argument("--no-write", action="store_true", help="print the table, leave results.md")
    ap.add_argument("--fresh", action="store_true", help="build the files again")
    args = ap.parse_args(argv)
    names = args.only or sorted(corpus.CORPUS)
    print(f"building {len(names)} hostile files (cache: {CACHE.relative_to(ROOT)})", flush=True)
    paths = build(names, args.fresh)
    goods = good_files(args.good)

    rows = []
    for name in names:
        h, path = corpus.CORPUS[name], paths[name]
        r = validate([path], args.timeout)
        got = outcome(r, path)
        ok = (not r.killed and r.returncode in (0, 1) and got != "no result"
              and r.wall < TARGET_SECONDS and max(r.peak_mb, r.max_rss_mb) < TARGET_MB)
        rows.append((name, h, path, r, got, ok))
        print(f"  {name:38s} {r.wall:6.2f} s {r.peak_mb:7.0f} MB {r.max_rss_mb:7.0f} MB  {got}"
              f"{'' if ok else '  ← over target'}", flush=True)
        if r.returncode not in (0, 1):
            print("    " + r.err.strip().splitlines()[-1][:200] if r.err.strip() else "", flush=True)

    alone = validate(goods, args.timeout)
    together = validate([*paths.values(), *goods], args.timeout * 3)
    expected, got_all = by_file(alone), by_file(together)
    same = bool(expected) and all(got_all.get(k) == v for k, v in expected.items())
    joint = {n: outcome(together, p) for n, p in paths.items()}
    print(f"joint run: {together.wall:.2f} s, peak {together.peak_mb:.0f} MB (largest process "
          f"{together.max_rss_mb:.0f} MB), exit {together.returncode}; good workbooks "
          f"{'identical' if same else 'DIFFERENT'} to a run without the hostile files", flush=True)

    text = render(rows, goods, alone, together, same, joint, args)
    print(text)
    if not args.no_write:
        # one hostile-files section, the latest: bench/run.py keeps it when it rewrites the rest
        path = HERE / "results.md"
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        at = old.find("## Hostile files (`make fuzz`")
        head = (old[:at] if at >= 0 else old).rstrip("\n")
        path.write_text(head + "\n\n" + text.lstrip("\n"), encoding="utf-8")
        print(f"written to {path.relative_to(ROOT)}")
    return 0 if all(ok for *_, ok in rows) and same else 1


def render(rows: list, goods: list[Path], alone: Run, together: Run, same: bool,
           joint: dict[str, str], args: argparse.Namespace) -> str:
    try:
        load = f"{os.getloadavg()[0]:.2f}"
    except OSError:
        load = "?"
    limit = ""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_AS)[0]
        limit = "none" if soft == resource.RLIM_INFINITY else f"{soft / 2**30:.1f} GB"
    except (ImportError, ValueError):
        pass
    over = [name for name, *_, ok in rows if not ok]
    out = [
        "## Hostile files (`make fuzz`, issue 18)",
        "",
        f"{dt.date.today().isoformat()}. Machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; address-space limit of the run: {limit}; 1-min load "
        f"average at the end {load}. Command: `python bench/fuzz.py` (built by "
        "`tests/security/corpus.py`). Each file alone through `clubtool validate --format json`; "
        "peak = memory of the process tree (sampled, PSS summed) / resident size of its largest "
        "process (`ru_maxrss`).",
        "",
        "| file | size | what | wall (s) | peak tree (MB) | largest process (MB) | exit | result "
        "| in the joint run |",
        "|---|---:|---|---:|---:|---:|---:|---|---|",
    ]
    for name, h, path, r, got, ok in rows:
        mark = "" if ok else " **over target**"
        together_got = joint.get(name, "")
        out.append(f"| {name}{h.suffix} | {path.stat().st_size / 1e6:.2f} MB | {h.what(h.big)} | "
                   f"{r.wall:.2f} | {r.peak_mb:.0f} | {r.max_rss_mb:.0f} | {r.returncode} | "
                   f"{got}{mark} | {'same' if together_got == got else together_got} |")
    out += [
        "",
        f"All {len(rows)} hostile files and {len(goods)} good club workbooks in one run: "
        f"{together.wall:.2f} s, peak {together.peak_mb:.0f} MB (largest process "
        f"{together.max_rss_mb:.0f} MB), exit {together.returncode}. The good workbooks' results "
        f"are {'identical to' if same else '**not** identical to'} those of a run without the "
        f"hostile files ({alone.wall:.2f} s, {alone.peak_mb:.0f} MB).",
        "",
        (f"Over target (< {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB): " + ", ".join(over) + "."
         if over else f"Every file within target (< {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB)."),
    ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
