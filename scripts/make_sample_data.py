"""Regenerate `sample_data/`: the Mai Hoa commune workbook and its clubs' workbooks.

With the default seed and year it also writes `sample_data/tinh_ha_tinh/`: the summaries
`tong_hop_<xã>_2027.json` of Mai Hoa and of its three neighbouring communes, and the list
of communes the province expects (`scripts/clubtool_province.py`).

    python scripts/make_sample_data.py [--out DIR] [--seed 2027] [--year 2027]

The files are byte-reproducible for the same seed and year (fixed timestamps), so running
this twice leaves `git status` clean. `sample_data/README.md` describes the files and the
mistakes they hold on purpose; `tests/test_sample.py` checks that the committed files are
what this script makes now.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # clubtool itself, when it is not installed

import clubtool_province as province  # noqa: E402
import clubtool_sample as sample  # noqa: E402  (beside this script: scripts/ is on sys.path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "sample_data",
                    help="output folder (default: sample_data/ of the repository)")
    ap.add_argument("--seed", type=int, default=sample.DEFAULT_SEED)
    ap.add_argument("--year", type=int, default=sample.DEFAULT_YEAR)
    args = ap.parse_args(argv)

    paths = sample.write_sample_data(args.out, seed=args.seed, year=args.year)
    written = {p.name for p in paths}
    # Files a previous version wrote under another name would be stale: remove them.
    for old in sorted(args.out.glob("*.xlsx")):
        if old.name not in written and old.name.startswith(("clb_", "xa_")):
            old.unlink()
            print(f"removed {old.name}")
    # The province's part (issue 15): the summaries of Mai Hoa and of its neighbours (their
    # workbooks generated in a temporary folder), and the communes the province expects.
    if args.year == province.YEAR and args.seed == sample.DEFAULT_SEED:
        sub = args.out / province.SAMPLE_SUBFOLDER
        paths += province.write_summaries(sub, args.out)
        paths.append(province.write_expected(sub / province.EXPECTED_FILE))
    for p in paths:
        print(f"{p.stat().st_size:>8,} B  {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
