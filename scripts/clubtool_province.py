"""Mai Hoa's neighbouring communes in Hà Tĩnh, 2027: the province roll-up's sample (issue 15).

A province officer rolls up the summaries (`tong_hop_<xã>_<năm>.json`, docs/summary.md) its
communes send. `sample_data/` holds one commune, Mai Hoa; this module adds three small,
fictitious neighbours of the same province, each a commune workbook and its clubs'
workbooks, every one valid, with outcomes unlike Mai Hoa's so that the province's tables
have something to show (`COMMUNES`):

| commune    | clubs (members)                            | what it shows                                   |
|------------|--------------------------------------------|-------------------------------------------------|
| Thạch Xuân | TX-01 (56), TX-02 (30), TX-03 (52, new)     | every club reports; TX-01 meets the standard; all officials trained |
| Hòa Lâm    | HL-01 (24), HL-02 (28, founded 09/2026)     | small clubs, none meets the standard; a month without meeting, a refresher missed, 3 of 5 officials trained, outreach under 80% |
| Phúc Đồng  | PD-01 (22), PD-02 (26), PD-03 (18); PD-04 silent | PD-04 sends nothing (reporting 3/4); PD-02 never holds ND3, PD-03 women of NCT age above 60%, no new club |

TX-03 is the club whose workbook strayed into Mai Hoa's folder
(`sample_data/clb_tx-03_hung-nhan.xlsx`, `wrong-commune` there): here, in its own commune,
it counts. It is the same file, byte for byte (`clubtool_sample.neighbour_club_data`),
members living on both sides of the communes' border included.

Deterministic like `clubtool_sample` (whose building functions it reuses, as
`clubtool_years` does): every value comes from a `random.Random` seeded from (seed, year,
commune, what is generated), saved times are fixed, so the same seed gives the same bytes.
The data is made for 2027 (the year of `sample_data/`; founding dates are fixed).

The committed part is small: `scripts/make_sample_data.py` writes each commune's summary
(`write_summaries`: the four communes' `tong_hop_<xã>_2027.json`, Mai Hoa's from the
`sample_data/` workbooks) and the list of communes the province expects (`write_expected`,
`xa_du_kien_ha_tinh.csv`, one of which sends nothing) into `sample_data/tinh_ha_tinh/`;
the workbooks themselves are written where asked (`make demo`: `out/tinh_2027/`). They
cannot live under `sample_data/`: the reader looks into sub-folders, and Mai Hoa's figures
must stay Mai Hoa's.

Usage: `python scripts/clubtool_province.py OUT_DIR [--seed N] [--summaries]` writes
`OUT_DIR/<xã>/xa_<xã>_2027.xlsx` and `OUT_DIR/<xã>/clb_<mã>_<thôn>.xlsx` (with
`--summaries`, also each commune's `OUT_DIR/tong_hop_<xã>_2027.json`); from Python
`write_province(folder)` (`scripts/` on `sys.path`, as for `clubtool_sample`).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

try:
    import clubtool_sample as sample
except ModuleNotFoundError:  # imported from elsewhere than scripts/ or the tests
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import clubtool_sample as sample

from clubtool import schema
from clubtool._fsutil import write_bytes_atomic

YEAR = 2027
DEFAULT_SEED = sample.DEFAULT_SEED
PROVINCE = sample.PROVINCE
AS_OF = dt.date(YEAR, 12, 31)

#: The committed sub-folder of `sample_data/` (summaries and the expected communes).
SAMPLE_SUBFOLDER = "tinh_ha_tinh"
EXPECTED_FILE = "xa_du_kien_ha_tinh.csv"
#: A commune the province expects that sends nothing: the roll-up lists it as missing.
SILENT_COMMUNE = "Hương Bình"

_TREASURER, _BOARD_MEMBER = schema.BOARD_ROLES[3], schema.BOARD_ROLES[4]
_ND3 = schema.CONTENT_CODES[2]


@dataclass(frozen=True)
class Club:
    """One club of a neighbouring commune: its code, founding date and year's profile."""

    code: str
    founded: dt.date
    profile: sample.ClubProfile  # index unused; village, members, shares, what goes wrong

    @property
    def village(self) -> str:
        return self.profile.village


@dataclass(frozen=True)
class Commune:
    """A neighbouring commune: villages, clubs, officials (the last `untrained` of them not
    yet trained), the share of each village's outreach target reached, and its report's
    heading."""

    name: str
    villages: tuple[str, ...]
    clubs: tuple[Club, ...]
    officials: int
    untrained: int
    outreach: tuple[float, float]
    doc_number: str
    awards: tuple[tuple[str, str, str, str], ...] = ()  # (target, name, form, level) of YEAR

    @property
    def folder(self) -> str:
        """'Thạch Xuân' → 'thach_xuan' (the commune's sub-folder)."""
        return sample._ascii_slug(self.name).replace("-", "_")

    def commune_file_name(self) -> str:
        return f"xa_{self.folder}_{YEAR}.xlsx"

    def club(self, code: str) -> Club:
        return next(c for c in self.clubs if c.code == code)


def _profile(village: str, members: int, women: float, older: float, female_older: float,
             **kw: Any) -> sample.ClubProfile:
    return sample.ClubProfile(0, village, members, women, older, female_older, **kw)


_TX_VILLAGES = ("Thôn Xuân Hòa", "Thôn Tân Lộc", sample.NEIGHBOUR_VILLAGE, "Thôn Phúc Sơn",
                "Thôn Đồng Tâm", "Thôn Bình Minh", "Thôn Kim Lũ", "Thôn Nam Tiến")
_HL_VILLAGES = ("Thôn An Lạc", "Thôn Đông Lâm", "Thôn Trung Lương", "Thôn Hòa Bình",
                "Thôn Lâm Xuân", "Thôn Thượng Sơn")
_PD_VILLAGES = ("Thôn Phúc Lộc", "Thôn Đồng Văn", "Thôn Yên Thịnh", "Thôn Hạ Vàng",
                "Thôn Tiền Phong", "Thôn Quyết Tiến", "Thôn Hồng Lam", "Thôn Trảo Nha",
                "Thôn Bắc Hà", "Thôn Tân Thành")

#: Mai Hoa's neighbours, in the order of the expected communes' list.
COMMUNES: tuple[Commune, ...] = (
    Commune(
        "Thạch Xuân", _TX_VILLAGES,
        (Club("TX-01", dt.date(2019, 5, 12),
              _profile(_TX_VILLAGES[0], 56, 0.70, 0.75, 0.55, recognised=True, standard=True)),
         Club("TX-02", dt.date(2021, 10, 3),
              _profile(_TX_VILLAGES[1], 30, 0.67, 0.70, 0.53, failed=("so_thanh_vien",))),
         # the club of sample_data/clb_tx-03_hung-nhan.xlsx, written from its own data
         Club(sample.NEIGHBOUR_ID, dt.date(YEAR, 4, 15),
              replace(sample.PROFILES[7], index=30, village=sample.NEIGHBOUR_VILLAGE))),
        officials=5, untrained=0, outreach=(0.84, 0.95), doc_number="212/BC-UBND",
        awards=(("Tập thể", sample._club_name(_TX_VILLAGES[0]), "Giấy khen", "xã"),),
    ),
    Commune(
        "Hòa Lâm", _HL_VILLAGES,
        (Club("HL-01", dt.date(2022, 3, 8),
              _profile(_HL_VILLAGES[0], 24, 0.67, 0.71, 0.46, missing_months=(7,),
                       transformation=False,
                       failed=("so_thanh_vien", "nu_nct", "sinh_hoat_hang_thang"))),
         Club("HL-02", dt.date(2026, 9, 10),
              _profile(_HL_VILLAGES[1], 28, 0.64, 0.68, 0.54, skip_refresher_role=_TREASURER,
                       failed=("so_thanh_vien", "bcn_tap_huan")))),
        officials=5, untrained=2, outreach=(0.62, 0.76), doc_number="58/BC-UBND",
    ),
    Commune(
        "Phúc Đồng", _PD_VILLAGES,
        (Club("PD-01", dt.date(2018, 8, 20),
              _profile(_PD_VILLAGES[0], 22, 0.68, 0.73, 0.55, failed=("so_thanh_vien",))),
         Club("PD-02", dt.date(2020, 4, 2),
              _profile(_PD_VILLAGES[1], 26, 0.65, 0.69, 0.50, missing_contents=(_ND3,),
                       failed=("so_thanh_vien", "du_8_noi_dung"))),
         Club("PD-03", dt.date(2023, 11, 15),
              _profile(_PD_VILLAGES[2], 18, 0.67, 0.67, 0.61, transformation=False,
                       failed=("so_thanh_vien", "nu_nct"))),
         Club("PD-04", dt.date(2024, 6, 1),  # in the registry, sends nothing
              _profile(_PD_VILLAGES[3], 25, 0.68, 0.72, 0.52, produced=False))),
        officials=6, untrained=0, outreach=(0.78, 0.90), doc_number="97/BC-UBND",
    ),
)


def commune(name: str) -> Commune:
    return next(c for c in COMMUNES if c.name == name)


# --- the data ------------------------------------------------------------------------------


def club_data(where: Commune, club: Club, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The club's year 2027, shaped as `clubtool_sample.club_data` (records keyed by
    `schema.Field.key`); its members live in the commune's villages."""
    year = YEAR
    if club.code == sample.NEIGHBOUR_ID:
        return sample.neighbour_club_data(seed, year)
    p = club.profile
    rng = sample._rng(seed, year, "province", where.name, club.code)
    others = [v for v in where.villages if v != p.village]
    people = sample._people(rng, p, year, club.founded, others)
    start = club.founded if club.founded.year == year else dt.date(year, 1, 1)
    info = sample._info(rng, p, year, club.founded, people)
    info.update(club_id=club.code, commune=where.name, province=PROVINCE)
    trainings = sample._training_records(rng, people, p, year)
    local = f"Hội Người cao tuổi xã {where.name}"
    for t in trainings:  # the commune's own association trains, not Mai Hoa's
        if t["organiser"] == sample._TRAINERS[1]:
            t["organiser"] = local
    return {
        "info": info,
        "members": sample._member_records(rng, people, year),
        "meetings": sample._meeting_records(rng, p, year, club.founded, p.members),
        "trainings": trainings,
        "outreach": sample._outreach_records(rng, year, start),
        "fund": sample._fund_records(rng, year, start, p.members, info["opening_activity"],
                                     info["opening_income"]),
        "extra_columns": {},
    }


_POSITIONS = (
    ("Phó Chủ tịch UBND xã", "UBND xã {}", False),
    ("Chủ tịch Hội Người cao tuổi xã", "Hội Người cao tuổi xã", False),
    ("Công chức Văn hóa - Xã hội", "Phòng Văn hóa - Xã hội", True),
    ("Phó Chủ tịch Hội Người cao tuổi xã", "Hội Người cao tuổi xã", True),
    ("Chủ tịch Hội Liên hiệp Phụ nữ xã", "Hội Liên hiệp Phụ nữ xã", True),
    ("Trưởng Trạm Y tế xã", "Trạm Y tế xã", False),
)


def commune_data(where: Commune, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The commune workbook's data for 2027, shaped as `clubtool_sample.commune_data`."""
    year = YEAR
    rng = sample._rng(seed, year, "province", where.name, "commune")
    used: set[str] = set()
    officials = []
    for i, (position, unit, female) in enumerate(_POSITIONS[:where.officials]):
        rec: dict[str, Any] = {"name": sample._person_name(rng, female, False, used),
                               "position": position, "unit": unit.format(where.name)}
        if i < where.officials - where.untrained:
            rec["trained"] = schema.YES_MARK
            rec["trained_on"] = sample._random_date(rng, dt.date(year - 1, 3, 1),
                                                    dt.date(year, 6, 30))
        officials.append(rec)
    info = {
        "version": schema.COMMUNE_TEMPLATE_VERSION, "commune": where.name,
        "province": PROVINCE, "year": year,
        "issuer": f"ỦY BAN NHÂN DÂN XÃ {where.name.upper()}",
        "doc_number": where.doc_number, "signing_authority": "KT. CHỦ TỊCH",
        "signer_title": "PHÓ CHỦ TỊCH", "signer": officials[0]["name"],
        "recipients": "\n".join((f"UBND tỉnh {PROVINCE} (b/c)", "Hội NCT tỉnh",
                                 "Đảng ủy, HĐND xã", "Lưu: VT, VHXH")),
    }
    with_club = {c.village for c in where.clubs}
    low, high = where.outreach
    villages = []
    for name in where.villages:
        older = rng.randint(90, 320)
        target = older + rng.randint(30, 120)
        share = rng.uniform(low, high) if name in with_club else rng.uniform(low - 0.1, high - 0.1)
        villages.append({"name": name, "older_people": older, "outreach_target": target,
                         "outreach_reached": round(target * share)})
    registry = [{"club_id": c.code, "name": sample._club_name(c.village), "village": c.village,
                 "founded": c.founded} for c in where.clubs]
    awards = [{"year": year, "target": t, "name": n, "form": f, "level": lv}
              for t, n, f, lv in where.awards]
    return {"info": info, "villages": villages, "registry": registry, "officials": officials,
            "awards": awards}


# --- writing --------------------------------------------------------------------------------


def club_file_name(club: Club) -> str:
    """'TX-01', 'Thôn Xuân Hòa' → 'clb_tx-01_xuan-hoa.xlsx' (as in sample_data/)."""
    return sample.club_file_name(club.code, club.village)


def write_commune(folder: Path | str, where: Commune, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write the commune workbook and the workbook of every club that reports into
    `folder` (byte-reproducible). Returns the paths written."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = [sample.write_commune(commune_data(where, seed), out / where.commune_file_name())]
    for club in where.clubs:
        if not club.profile.produced:
            continue
        # TX-03 keeps the drop-down of Mai Hoa's villages: the very file of sample_data/
        villages = sample.VILLAGES if club.code == sample.NEIGHBOUR_ID else where.villages
        paths.append(sample.write_club(club_data(where, club, seed),
                                       out / club_file_name(club), villages))
    return paths


def write_province(folder: Path | str, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write each neighbouring commune into `folder/<xã>/` (`thach_xuan/`, `hoa_lam/`,
    `phuc_dong/`). Returns the paths written."""
    return [p for c in COMMUNES for p in write_commune(Path(folder) / c.folder, c, seed)]


# --- the summaries and the expected communes -------------------------------------------------


def commune_summary(folder: Path | str, year: int = YEAR,
                    as_of: dt.date = AS_OF) -> dict[str, Any]:
    """The summary `clubtool report --format json --as-of <as_of>` writes for the one
    commune of `folder` (through the job API, the shipped plan, no settings file, no
    cache)."""
    from clubtool.job import compute, read, resolve
    from clubtool.summary import summary_of

    where = Path(folder)
    job = resolve([where], options={"year": year, "as_of": as_of.isoformat(), "cache": False,
                                    "jobs": 1}, env={}, cwd=where)
    report = read(job)
    (only,) = compute(job, report, one_commune=True).communes
    return summary_of(only.indicators, validation=only.report)


def write_summaries(out_dir: Path | str, mai_hoa: Path | str,
                    seed: int = DEFAULT_SEED) -> list[Path]:
    """Write `tong_hop_<xã>_2027.json` of Mai Hoa (its workbooks in `mai_hoa`:
    `sample_data/`) and of each neighbour (generated in a temporary folder) into `out_dir`.
    Returns the paths written."""
    from clubtool.summary import summary_name, write_summary

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    objs = [commune_summary(mai_hoa)]
    with tempfile.TemporaryDirectory(prefix="clubtool-province-") as tmp:
        for c in COMMUNES:
            write_commune(Path(tmp) / c.folder, c, seed)
            objs.append(commune_summary(Path(tmp) / c.folder))
    return [write_summary(out / summary_name(o["commune"], o["year"]), o) for o in objs]


def expected_communes() -> list[tuple[str, str]]:
    """(province, commune) of every commune the province waits for: Mai Hoa, its
    neighbours, and one that sends nothing."""
    names = [sample.COMMUNE, *(c.name for c in COMMUNES), SILENT_COMMUNE]
    return [(PROVINCE, n) for n in names]


def expected_csv() -> bytes:
    """`xa_du_kien_ha_tinh.csv`: columns `province,commune`, UTF-8 with a byte-order mark
    (Excel then opens it with its diacritics), CRLF line ends."""
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\r\n")
    w.writerow(("province", "commune"))
    w.writerows(expected_communes())
    return text.getvalue().encode("utf-8-sig")


def write_expected(path: Path | str) -> Path:
    write_bytes_atomic(Path(path), expected_csv())
    return Path(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Write Mai Hoa's three neighbouring communes (Hà Tĩnh, 2027), valid "
                    "sample workbooks: OUT_DIR/<xã>/xa_<xã>_2027.xlsx and clb_<mã>_<thôn>.xlsx.")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--summaries", action="store_true",
                        help="also write each neighbour's OUT_DIR/tong_hop_<xã>_2027.json")
    args = parser.parse_args(argv)
    write_province(args.out_dir, seed=args.seed)
    if args.summaries:
        from clubtool.summary import summary_name, write_summary

        for c in COMMUNES:
            obj = commune_summary(args.out_dir / c.folder)
            write_summary(args.out_dir / summary_name(obj["commune"], obj["year"]), obj)
    for c in COMMUNES:
        print(args.out_dir / c.folder)
    return 0


__all__ = [
    "AS_OF",
    "COMMUNES",
    "EXPECTED_FILE",
    "PROVINCE",
    "SAMPLE_SUBFOLDER",
    "SILENT_COMMUNE",
    "YEAR",
    "Club",
    "Commune",
    "club_data",
    "club_file_name",
    "commune",
    "commune_data",
    "commune_summary",
    "expected_communes",
    "expected_csv",
    "write_commune",
    "write_expected",
    "write_province",
    "write_summaries",
]


if __name__ == "__main__":
    raise SystemExit(main())
