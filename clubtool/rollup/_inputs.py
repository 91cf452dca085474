"""What a roll-up reads: summary files, folders of them, commune data folders.

- a file named: a `.json` is a summary (a commune's, or a province's roll-up); a workbook is
  commune data;
- a folder: the `tong_hop_*.json` files in it and its sub-folders (the names clubtool gives
  summaries and roll-ups; any other `.json` there — a report's JSON, an export's manifest —
  is not read, and a note says so), and its club and commune workbooks (commune data,
  found as every command finds them: `job.find_inputs`). The roll-up's own documents
  (`tong_hop_tinh_*`, `tong_hop_toan_quoc_*` other than a province's JSON) are never read.

Commune data is summarised on the fly through the job API (`resolve`, `read`, `compute`)
and `summary.summary_of`, one summary per commune found, with the plan of the settings
(clubtool.toml, else the shipped one): the commune's own plan, not the province's.

Every file that cannot be used becomes an `Excluded` with a Vietnamese reason; nothing here
raises for a bad file.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import Msg, message, msg
from ..indicators.registry import UNITS
from ..summary import FORMAT as SUMMARY_FORMAT
from ..summary import SummaryError, validate_summary
from ._json import FORMAT as ROLLUP_FORMAT
from ._json import RollupFileError, validate_rollup
from ._model import Excluded, Missing, RollupError, Unit, UnitIndicator
from ._pool import commune_counts, overall

__all__ = ["COMMUNE", "PROVINCE_FILE", "Inputs", "Source", "gather"]

COMMUNE = "commune"
PROVINCE_FILE = "province"

_NOT_A_SUMMARY = msg("rollup_msg.not_a_summary")
_OWN_DOCUMENTS = ("tong_hop_tinh_", "tong_hop_toan_quoc_")
#: No summary is this large (a province's roll-up of 150 communes: ~0.2 MB): a larger file is
#: not read into memory.
MAX_BYTES = 64 * 2**20


@dataclass(slots=True)
class Source:
    """One usable input: a commune's summary, or a province's roll-up."""

    kind: str  # COMMUNE | PROVINCE_FILE
    path: str  # as found (messages)
    mtime: float
    unit: Unit  # the commune; or the province, its figures pooled
    unit_of: dict[str, str]  # indicator id → "ratio" | "count"
    carried: list[Unit] = field(default_factory=list)  # a province's communes
    carried_missing: list[Missing] = field(default_factory=list)


@dataclass(slots=True)
class Inputs:
    sources: list[Source] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def gather(paths: Sequence[Path | str], *, year: int, skip: Iterable[Path] = (),
           today: dt.date | None = None) -> Inputs:
    """Read every input for `year`. RollupError (exit 2) only when a path does not exist;
    `skip`: files never read (the --expect list)."""
    found = Inputs()
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise RollupError(msg("rollup_msg.not_found", paths=", ".join(missing)))
    skipped = {Path(p).resolve() for p in skip}
    summaries, workbooks, other = _discover([Path(p) for p in paths], skipped)
    if other:
        shown: str = ", ".join(str(p) for p in other[:3])
        if len(other) > 3:
            shown = msg("rollup_msg.and_more_files", shown=shown, n=len(other) - 3)
        found.notes.append(msg("rollup_msg.json_skipped", n=len(other), shown=shown))
    for path in summaries:
        _read_json(path, year, found)
    if workbooks:
        _summarise_data(workbooks, year, today, found)
    return found


# --- finding --------------------------------------------------------------------------------


def _discover(paths: Sequence[Path], skipped: set[Path]
              ) -> tuple[list[Path], list[Path], list[Path]]:
    """(summary files, workbooks, other .json files not read), each in a stable order."""
    from ..job import find_inputs
    from ..workbook._files import READ_SUFFIXES, is_ignored

    summaries: dict[Path, None] = {}
    workbooks: dict[Path, None] = {}
    other: dict[Path, None] = {}
    for target in paths:
        if target.is_file():
            if target.resolve() in skipped:
                continue
            kind = workbooks if target.suffix.lower() in READ_SUFFIXES else summaries
            kind.setdefault(target, None)
            continue
        for p in sorted(target.rglob("*.json")):
            rel = p.relative_to(target)
            if any(part.startswith(".") for part in rel.parts) or is_ignored(p) \
                    or not p.is_file():
                continue
            name = p.name.lower()
            if name.startswith("tong_hop_toan_quoc_"):
                other.setdefault(p, None)
            elif name.startswith("tong_hop_"):
                summaries.setdefault(p, None)
            else:
                other.setdefault(p, None)
        files, _aside = find_inputs([target])
        for p in files:
            if p.resolve() not in skipped and not p.name.lower().startswith(_OWN_DOCUMENTS):
                workbooks.setdefault(p, None)
    return list(summaries), list(workbooks), list(other)


# --- summaries ------------------------------------------------------------------------------


def _read_json(path: Path, year: int, found: Inputs) -> None:
    where = str(path)
    try:
        st = path.stat()
        if st.st_size > MAX_BYTES:
            found.excluded.append(Excluded(where, msg(
                "rollup_msg.too_large", not_a_summary=_NOT_A_SUMMARY,
                mb=f"{st.st_size / 1e6:.0f}")))
            return
        raw = path.read_bytes()
    except OSError as exc:
        found.excluded.append(Excluded(where, msg("rollup_msg.unreadable",
                                                  error=exc.strerror or exc)))
        return
    mtime = st.st_mtime
    try:
        obj = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        found.excluded.append(Excluded(where, msg("rollup_msg.not_json",
                                                  not_a_summary=_NOT_A_SUMMARY)))
        return
    kind = obj.get("format") if isinstance(obj, dict) else None
    if kind == SUMMARY_FORMAT:
        _commune_summary(obj, where, mtime, year, found, checked=False)
    elif kind == ROLLUP_FORMAT:
        _province_file(obj, where, mtime, year, found)
    else:
        found.excluded.append(Excluded(where, f"{_NOT_A_SUMMARY}."))


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not JSON


def _names(obj: dict[str, Any], commune_key: str = "commune") -> dict[str, Any]:
    """The province and commune a file names, when it names them as text (for messages)."""
    def text(key: str) -> str | None:
        value = obj.get(key)
        return value if isinstance(value, str) and value else None

    return {"province": text("province"), "commune": text(commune_key)}


def _commune_summary(obj: dict[str, Any], where: str, mtime: float, year: int, found: Inputs,
                     *, checked: bool) -> None:
    """A commune's summary: checked (unless clubtool just built it), then one Source."""
    if not checked:
        try:
            validate_summary(obj, where=where)
        except SummaryError as exc:
            found.excluded.append(Excluded(where, _without(message(exc), where), **_names(obj)))
            return
    if obj["year"] != year:
        found.excluded.append(Excluded(
            where, msg("rollup_msg.other_year", theirs=obj["year"], year=year), **_names(obj)))
        return
    unit_of, problem = _units(obj["indicators"])
    if problem:
        found.excluded.append(Excluded(where, problem, **_names(obj)))
        return
    indicators = [UnitIndicator(v["id"], v["numerator"], v["denominator"], v["value"],
                                v["status"]) for v in obj["indicators"]]
    status, met, judged = overall(v.status for v in indicators)
    unit = Unit(obj["province"], obj["commune"], obj["as_of"], indicators, status, met, judged,
                source=where, counts=commune_counts(obj["counts"]))
    found.sources.append(Source(COMMUNE, where, mtime, unit, unit_of))


def _units(indicators: list[dict[str, Any]]) -> tuple[dict[str, str], str | None]:
    """id → unit, or the problem: an indicator whose unit is not the one clubtool knows (its
    figures cannot be pooled with the others')."""
    out: dict[str, str] = {}
    for v in indicators:
        known = UNITS.get(v["id"])
        if known is not None and v["unit"] != known:
            return out, msg("rollup_msg.unit_mismatch", id=v["id"], unit=v["unit"], known=known)
        out[v["id"]] = v["unit"]
    return out, None


def _without(text: str, where: str) -> str:
    """The summary module's message without the file name it starts with (its problem, a
    message said in the officer's language)."""
    if isinstance(text, Msg) and text.key == "summary_msg.in_file" and text.kw["where"] == where:
        problem: str = text.kw["problem"]  # (a Msg: not str() of it, that drops the key)
        return problem
    prefix = f"{where}: "
    return text[len(prefix):] if text.startswith(prefix) else text


def _province_file(obj: dict[str, Any], where: str, mtime: float, year: int,
                   found: Inputs) -> None:
    names = _names(obj, "none")
    try:
        validate_rollup(obj)
    except RollupFileError as exc:
        found.excluded.append(Excluded(where, message(exc), **names))
        return
    if obj["year"] != year:
        found.excluded.append(Excluded(
            where, msg("rollup_msg.other_year", theirs=obj["year"], year=year), **names))
        return
    unit_of, problem = _units(obj["indicators"])
    if problem:
        found.excluded.append(Excluded(where, problem, **names))
        return
    indicators = [UnitIndicator(v["id"], v["numerator"], v["denominator"], v["value"],
                                v["status"], v["communes_with_data"])
                  for v in obj["indicators"]]
    status, met, judged = overall(v.status for v in indicators)
    unit = Unit(obj["province"], obj["province"], obj["as_of"], indicators, status, met,
                judged, source=where, communes=len(obj["communes"]),
                counts=obj["counts"])
    carried = [_carried(c, where) for c in obj["communes"]]
    lost = [Missing(m["province"] or obj["province"], m["commune"], m["reason"])
            for m in obj["missing"]]
    lost += [Missing(e["province"] or obj["province"], e["commune"],
                     msg("rollup_msg.excluded_at_province", reason=e["reason"]))
             for e in obj["excluded"] if e["commune"]]
    found.sources.append(Source(PROVINCE_FILE, where, mtime, unit, unit_of, carried, lost))


def _carried(c: dict[str, Any], where: str) -> Unit:
    indicators = [UnitIndicator(v["id"], v["numerator"], v["denominator"], v["value"],
                                v["status"]) for v in c["indicators"]]
    return Unit(c["province"], c["commune"], c["as_of"], indicators, c["status"], c["met"],
                c["judged"], source=where)


# --- commune data, summarised on the fly ----------------------------------------------------


def _summarise_data(workbooks: list[Path], year: int, today: dt.date | None,
                    found: Inputs) -> None:
    """One summary per commune of the workbooks (job API + `summary_of`)."""
    from ..job import JobError, compute, read, resolve
    from ..summary import summary_of

    where = _folders(workbooks)
    try:
        job = resolve(workbooks, options={"year": year}, today=today)
        report = read(job, keep_records=False, require=False)
        computed = compute(job, report)
    except JobError as exc:
        found.excluded.append(Excluded(where, msg("rollup_msg.data_failed", error=message(exc))))
        return
    if not report.checked:
        found.excluded.append(Excluded(where, msg("rollup_msg.no_reports", year=year)))
        return
    for c in computed:
        commune = c.report.commune_result
        if commune is None:
            n = len(c.report.valid_clubs())
            found.excluded.append(Excluded(where, msg("rollup_msg.no_commune_workbook", n=n,
                                                      year=year)))
            continue
        result = c.indicators
        path = Path(commune.path)
        label = f"{path.parent} (xã {result.commune}, tổng hợp từ dữ liệu)"
        if result.excluded:
            found.warnings.append(msg("rollup_msg.data_excluded", commune=result.commune,
                                      folder=path.parent, n=len(result.excluded)))
        obj = summary_of(result, validation=c.report)
        found.notes.append(msg("rollup_msg.from_data", commune=result.commune,
                               folder=path.parent))
        _commune_summary(obj, label, _mtime(path), year, found, checked=True)


def _folders(workbooks: list[Path]) -> str:
    folders = list(dict.fromkeys(str(p.parent) for p in workbooks))
    shown = ", ".join(folders[:3])
    return msg("rollup_msg.and_more_folders", shown=shown, n=len(folders) - 3) \
        if len(folders) > 3 else shown


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
