"""`rollup()`: read the inputs, settle the level and the province, pool, judge, list who is
missing. The rules are those of docs/rollup.md; each decision taken is said in `notes`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ..i18n import Joined, Msg, message, msg
from ..indicators.plan import Phase, Plan, PlanError, default_plan, load_plan
from ..text import fold
from ._expect import Expected, read_expect
from ._inputs import COMMUNE, PROVINCE_FILE, Inputs, Source, gather
from ._match import place_key, same_folded
from ._model import (
    NATION,
    PROVINCE,
    Excluded,
    Level,
    Missing,
    NotCounted,
    Reporting,
    RollupError,
    RollupResult,
    Unit,
    UnitIndicator,
)
from ._pool import add_counts, overall, pool

__all__ = ["rollup"]


# long: the steps of the roll-up in order, each a call; the docstring says every rule
def rollup(inputs: Sequence[Path | str], *, year: int, plan: Plan | Path | str | None = None,
           expect: Path | str | None = None, issuer: str | None = None,
           level: Level | None = None, today: dt.date | None = None) -> RollupResult:
    """Roll communes up to their province, or provinces (or communes of several provinces)
    up to the nation.

    `inputs`: commune summaries, province roll-ups (`--format json` of this command),
    folders of them, commune data folders. `plan`: the province's (or the nation's) plan,
    for the targets (default: the shipped plan's ratio targets; its count targets are a
    commune's and are not applied). `expect`: CSV/XLSX of the communes expected (province,
    commune). `level`: "province" or "nation" (default: from the inputs, docs/rollup.md).

    Bad files are `excluded` (each with its reason) and the rest rolled up; RollupError
    (exit 2) when nothing is usable, inputs of both levels are mixed, a path or the plan
    or the expect list cannot be read.
    """
    plan_, given = _plan(plan)
    try:
        phase = plan_.phase_for(year)
    except PlanError as exc:
        raise RollupError(message(exc)) from None
    expected = read_expect(expect) if expect is not None else None
    found = gather(inputs, year=year, skip=[Path(expect)] if expect is not None else [],
                   today=today)
    level_, province = _level(found, level, plan_ if given else None, expected)
    if level_ == PROVINCE:
        _other_provinces(found, province)
    else:
        _no_province(found)
    kept, not_counted = _dedupe(found)
    if not kept:
        raise RollupError(msg("rollup_msg.all_excluded" if found.excluded
                              else "rollup_msg.nothing_usable"), found.excluded)
    names = _indicator_names(plan_, phase) if given else None
    units = [s.unit for s in kept]
    unit_of: dict[str, str] = {}
    for s in kept:
        unit_of.update(s.unit_of)
    indicators = pool([{v.id: v for v in u.indicators} for u in units], unit_of, phase=phase,
                      year=year, count_targets=given, names=names)
    counts: dict[str, object] = {}
    for u in units:
        add_counts(counts, u.counts)
    communes, provinces = _members(kept, level_, unit_of, phase, year, given)
    reporting, missing = _expected(expected, communes, found, kept, level_, province)
    dates = [dt.date.fromisoformat(c.as_of) for c in communes] or \
        [dt.date.fromisoformat(u.as_of) for u in units]
    notes = list(found.notes)
    notes += _target_notes(given, plan_)
    warnings = list(found.warnings) + _near_names(communes)
    if reporting.unexpected:
        warnings.append(msg("rollup_msg.unexpected", n=len(reporting.unexpected),
                            names=", ".join(reporting.unexpected)))
    for n in not_counted:
        warnings.append(n.reason)
    return RollupResult(
        level=level_, province=province, year=year, as_of=max(dates), as_of_first=min(dates),
        plan=plan_, phase=phase, plan_given=given, indicators=indicators,
        counts=_ordered_counts(counts), communes=communes, provinces=provinces,
        reporting=reporting, missing=missing,
        excluded=sorted(found.excluded, key=lambda e: e.file), not_counted=not_counted,
        warnings=warnings, notes=notes, issuer=issuer)


def _plan(plan: Plan | Path | str | None) -> tuple[Plan, bool]:
    if plan is None:
        return default_plan(), False
    if isinstance(plan, Plan):
        return plan, True
    try:
        return load_plan(plan), True
    except PlanError as exc:
        raise RollupError(message(exc)) from None


def _indicator_names(plan: Plan, phase: Phase) -> dict[str, str]:
    return {k: pi.name for k, pi in phase.indicators.items() if pi.name}


# --- level and province ---------------------------------------------------------------------


def _level(found: Inputs, level: Level | None, plan: Plan | None,
           expected: list[Expected] | None) -> tuple[Level, str | None]:
    """The level and the province (None: the nation). Commune summaries and province files
    are never mixed; province files roll up to the nation; commune summaries to their
    province — the plan's `province` (--plan), else the one province of --expect, else the
    one province the summaries name — or, naming several, to the nation."""
    kinds = {s.kind for s in found.sources}
    if kinds == {COMMUNE, PROVINCE_FILE}:
        one = {k: next(s.path for s in found.sources if s.kind == k) for k in kinds}
        raise RollupError(msg("rollup_msg.mixed_levels", commune=one[COMMUNE],
                              province=one[PROVINCE_FILE]), found.excluded)
    if PROVINCE_FILE in kinds:
        if level == PROVINCE:
            raise RollupError(msg("rollup_msg.province_files_only"), found.excluded)
        found.notes.append(msg("rollup_msg.nation_from_provinces", n=len(found.sources)))
        return NATION, None
    if level == NATION:
        found.notes.append(msg("rollup_msg.nation_from_communes"))
        return NATION, None
    fixed = _fixed_province(plan, expected)
    if fixed is not None:
        found.notes.append(msg("rollup_msg.province_fixed", province=fixed[0], why=fixed[1]))
        return PROVINCE, fixed[0]
    seen: dict[str, list[str]] = {}
    for s in found.sources:
        if s.unit.province:
            seen.setdefault(place_key(s.unit.province), []).append(s.unit.province)
    if len(seen) > 1 and level != PROVINCE:
        listed = [msg("rollup_msg.province_communes", province=v[0], n=len(v)) for v in
                  sorted(seen.values(), key=lambda v: (-len(v), fold(v[0])))]
        found.notes.append(msg("rollup_msg.several_to_nation", n=len(seen),
                               listed=Joined("; ", listed)))
        return NATION, None
    if len(seen) > 1:
        raise RollupError(msg("rollup_msg.several_provinces", n=len(seen)), found.excluded)
    if not seen:
        return PROVINCE, None
    writings = next(iter(seen.values()))
    name = max(set(writings), key=lambda w: (writings.count(w), w))
    found.notes.append(msg("rollup_msg.province_named", province=name))
    return PROVINCE, name


def _fixed_province(plan: Plan | None, expected: list[Expected] | None
                    ) -> tuple[str, Msg] | None:
    if plan is not None and plan.province:
        return plan.province, msg("rollup_msg.by_plan", file=Path(plan.source).name)
    if expected:
        provinces = {place_key(e.province): e.province for e in expected if e.province}
        if len(provinces) == 1:
            return next(iter(provinces.values())), msg("rollup_msg.by_expect")
    return None


def _other_provinces(found: Inputs, province: str | None) -> None:
    """Province roll-up: a commune of another province is excluded; one naming none is
    counted, with a warning."""
    if province is None:
        return
    key = place_key(province)
    kept = []
    for s in found.sources:
        theirs = s.unit.province
        if theirs and place_key(theirs) != key:
            found.excluded.append(Excluded(
                s.path, msg("rollup_msg.other_province", commune=s.unit.name, theirs=theirs,
                            province=province), theirs, s.unit.name))
            continue
        if not theirs:
            found.warnings.append(msg("rollup_msg.no_province_counted", path=s.path,
                                      commune=s.unit.name, province=province))
        kept.append(s)
    found.sources = kept


# --- the same commune twice -----------------------------------------------------------------


def _identity(s: Source) -> tuple[str, str]:
    if s.kind == PROVINCE_FILE:
        return place_key(s.unit.province), ""
    return place_key(s.unit.province), place_key(s.unit.name)


def _dedupe(found: Inputs) -> tuple[list[Source], list[NotCounted]]:
    """One source per commune (per province at the nation's level): the later `as_of`, then
    the later file (modification time, then path) counts; each other is not counted."""
    groups: dict[tuple[str, str], list[Source]] = {}
    for s in found.sources:
        groups.setdefault(_identity(s), []).append(s)
    kept, dropped = [], []
    for group in groups.values():
        group.sort(key=lambda s: (s.unit.as_of, s.mtime, s.path), reverse=True)
        kept.append(group[0])
        for other in group[1:]:
            what = (msg("rollup_msg.the_province", name=group[0].unit.province or "?")
                    if group[0].kind == PROVINCE_FILE
                    else msg("rollup_msg.the_commune", name=group[0].unit.name))
            dropped.append(NotCounted(other.path, group[0].path, msg(
                "rollup_msg.two_files", what=what, kept=group[0].path,
                kept_as_of=_day(group[0].unit.as_of), other=other.path,
                other_as_of=_day(other.unit.as_of))))
    kept.sort(key=lambda s: _sort_key(s.unit))
    dropped.sort(key=lambda n: n.file)
    return kept, dropped


def _day(iso: str) -> str:
    from ..vnformat import short_date

    return short_date(dt.date.fromisoformat(iso))


def _sort_key(u: Unit) -> tuple[str, str, str, str]:
    return fold(u.province or ""), fold(u.name), u.province or "", u.name


# --- communes and provinces -----------------------------------------------------------------


def _no_province(found: Inputs) -> None:
    """The nation's roll-up of communes: a commune naming no province is excluded (it could
    not be added to any province)."""
    kept = []
    for s in found.sources:
        if s.kind == COMMUNE and not s.unit.province:
            found.excluded.append(Excluded(s.path, msg("rollup_msg.no_province",
                                                       commune=s.unit.name), None, s.unit.name))
        else:
            kept.append(s)
    found.sources = kept


def _members(kept: list[Source], level: Level, unit_of: dict[str, str], phase: Phase,
             year: int, given: bool) -> tuple[list[Unit], list[Unit]]:
    """(every commune, every province): a province roll-up lists its communes; the nation's
    lists its provinces (from their files, or pooled here from their communes) and every
    commune."""
    if level == PROVINCE:
        return [s.unit for s in kept], []
    if kept and kept[0].kind == PROVINCE_FILE:
        communes = [c for s in kept for c in s.carried]
        return sorted(communes, key=_sort_key), [s.unit for s in kept]
    by_province: dict[str, list[Unit]] = {}
    for s in kept:
        by_province.setdefault(place_key(s.unit.province), []).append(s.unit)
    provinces = []
    for group in by_province.values():
        pooled = pool([{v.id: v for v in u.indicators} for u in group], unit_of, phase=phase,
                      year=year, count_targets=given)
        figures = [UnitIndicator(v.id, v.numerator, v.denominator, v.value, v.status,
                                 v.with_data) for v in pooled]
        status, met, judged = overall(v.status for v in figures)
        name = group[0].province or ""
        provinces.append(Unit(name, name, max(u.as_of for u in group), figures, status, met,
                              judged, communes=len(group)))
    communes = [u for g in by_province.values() for u in g]
    return sorted(communes, key=_sort_key), sorted(provinces, key=_sort_key)


def _near_names(communes: list[Unit]) -> list[str]:
    """Two communes of a province whose names differ only by diacritics: counted as two,
    said (a typing slip would count one commune twice)."""
    out: list[str] = []
    by_folded: dict[tuple[str, str], list[Unit]] = {}
    for c in communes:
        by_folded.setdefault((fold(c.province or ""), fold(c.name)), []).append(c)
    for group in by_folded.values():
        names = list(dict.fromkeys(c.name for c in group))
        if len(names) > 1 and same_folded(place_key(names[0]), place_key(names[1])):
            out.append(msg("rollup_msg.near_names", names=", ".join(names)))
    return out


# --- expected communes ----------------------------------------------------------------------


def _expected(expected: list[Expected] | None, communes: list[Unit], found: Inputs,
              kept: list[Source], level: Level, province: str | None
              ) -> tuple[Reporting, list[Missing]]:
    """The commune reporting rate and the communes missing. Without a list: the communes
    counted; at the nation's level from province files, the communes those files miss."""
    if expected is None:
        carried = [m for s in kept for m in s.carried_missing]
        return Reporting(len(communes), None, None), carried
    if level == PROVINCE and province is not None:
        key = place_key(province)
        expected = [e for e in expected if place_key(e.province) == key]
    from ..text import Matcher

    counted = {(place_key(c.province), place_key(c.name)): c for c in communes}
    keys_by_province: dict[str, list[tuple[str, str]]] = {}
    for k in counted:
        keys_by_province.setdefault(k[0], []).append(k)
    by_province = {prov: Matcher((k[1], k) for k in keys)
                   for prov, keys in keys_by_province.items()}
    matched: set[tuple[str, str]] = set()
    missing = []
    for e in expected:
        finder = by_province.get(place_key(e.province))
        hit = finder.find(place_key(e.commune)) if finder is not None else None
        if hit is not None:
            matched.add(hit)
            continue
        missing.append(Missing(e.province, e.commune, _why_missing(e, found)))
    unexpected = [f"{c.name} ({c.province})" if level == NATION else c.name
                  for k, c in counted.items() if k not in matched]
    return Reporting(len(communes), len(expected), len(matched), unexpected), missing


def _why_missing(e: Expected, found: Inputs) -> str:
    key = e.key
    for x in found.excluded:
        if x.commune and (place_key(x.province) in ("", key[0])) \
                and place_key(x.commune) == key[1]:
            return msg("rollup_msg.missing_excluded", file=x.file, reason=x.reason)
    return msg("rollup_msg.missing_not_sent")


# --- notes ----------------------------------------------------------------------------------


def _target_notes(given: bool, plan: Plan) -> list[str]:
    if given:
        return [msg("rollup_msg.targets_plan", file=Path(plan.source).name)]
    return [msg("rollup_msg.targets_default")]


def _ordered_counts(counts: dict[str, object]) -> dict[str, object]:
    """The pooled counts, in the order of the file: clubs, new clubs, members."""
    return {k: counts.get(k, {}) for k in ("clubs", "new_clubs", "members")}
