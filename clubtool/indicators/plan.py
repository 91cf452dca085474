"""The commune's plan as data: phases, targets, the NCT age and the club standard.

The plan is a TOML file. Mai Hoa's (`plans/mai_hoa_2026.toml`) ships with the package;
`load_plan(path)` reads another commune's and checks it, so that a typing mistake in the
file gives a clear Vietnamese message (`PlanError`), never a wrong figure. No target or
threshold lives in the code.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from ..i18n import Msg, msg

Unit = Literal["ratio", "count"]
RATIO: Unit = "ratio"
COUNT: Unit = "count"

DEFAULT_PLAN = "mai_hoa_2026.toml"


class PlanError(ValueError):
    """The plan file cannot be used; the message (an `i18n.Msg`: Vietnamese text, said in
    the officer's language by `i18n.tr`) says why."""


@dataclass(frozen=True, slots=True)
class Target:
    """A minimum (`value ≥ min`); `shown_max` is the plan's upper figure, never enforced."""

    min: float | int
    shown_max: float | int | None = None

    def met(self, value: Fraction | int) -> bool:
        return value >= exact(self.min)

    def to_dict(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {"min": self.min}
        if self.shown_max is not None:
            out["shown_max"] = self.shown_max
        return out


@dataclass(frozen=True, slots=True)
class PhaseIndicator:
    """What a phase of the plan says about one indicator."""

    target: Target | None = None
    name: str | None = None  # the plan's short wording in this phase
    text: str | None = None  # the plan's full sentence
    # The target is for the phase as a whole ("thành lập mới từ 1 đến 2 CLB" in five
    # years): judged at the phase's last year; before it the indicator is in progress.
    cumulative: bool = False


@dataclass(frozen=True, slots=True)
class Phase:
    first_year: int
    last_year: int
    title: str
    indicators: Mapping[str, PhaseIndicator] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """"2026-2030", as in the indicators' JSON."""
        return f"{self.first_year}-{self.last_year}"

    def target(self, indicator_id: str) -> Target | None:
        pi = self.indicators.get(indicator_id)
        return pi.target if pi else None

    def covers(self, year: int) -> bool:
        return self.first_year <= year <= self.last_year

    def cumulative(self, indicator_id: str) -> bool:
        """The indicator's target is for the whole phase (judged at its last year)."""
        pi = self.indicators.get(indicator_id)
        return bool(pi and pi.cumulative)


@dataclass(frozen=True, slots=True)
class Standard:
    """Tiêu chí câu lạc bộ đạt chuẩn (shares over the club's active members, inclusive)."""

    members_min: int
    members_max: int
    older_share_min: float
    women_share_min: float
    female_older_share_min: float
    female_older_share_max: float
    fund_balance_above: float
    member_contribution_receipt: bool


@dataclass(frozen=True, slots=True)
class Plan:
    commune: str
    title: str
    nct_age: int
    age_bands: tuple[int, ...]
    standard: Standard
    phases: tuple[Phase, ...]
    province: str | None = None
    issuer: str | None = None
    source: str = DEFAULT_PLAN  # where the plan was read from

    def phase_for(self, year: int) -> Phase:
        """The phase holding `year` (PlanError when the plan has none)."""
        for p in self.phases:
            if p.covers(year):
                return p
        spans = ", ".join(p.id for p in self.phases)
        raise PlanError(msg("plan.no_phase", year=year, spans=spans))


@lru_cache(maxsize=256)
def exact(x: float | int) -> Fraction:
    """A plan figure as an exact fraction (0.6 → 3/5), for inclusive comparisons."""
    return Fraction(x) if isinstance(x, int) else Fraction(repr(x))


# --- loading -------------------------------------------------------------------------

def load_plan(path: Path | str | None = None) -> Plan:
    """Read and check a plan TOML file; without a path, the plan shipped with the package."""
    if path is None:
        return default_plan()
    p = Path(path)
    where = msg("plan.file", path=p)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise PlanError(msg("plan.not_found", path=p)) from None
    except OSError as exc:
        raise PlanError(msg("plan.unreadable", path=p, error=exc.strerror or exc)) from None
    return _parse(raw, where, str(p))


@lru_cache(maxsize=1)
def default_plan() -> Plan:
    """Mai Hoa's plan 2026–2035, shipped in `clubtool/indicators/plans/`."""
    raw = resources.files(__package__).joinpath("plans", DEFAULT_PLAN).read_bytes()
    return _parse(raw, msg("plan.default", name=DEFAULT_PLAN), DEFAULT_PLAN)


def _parse(raw: bytes, where: str, source: str) -> Plan:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlanError(msg("plan.not_utf8", where=where)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(msg("plan.syntax", where=where, error=exc)) from None
    return _Checker(where).plan(data, source)


# Keys of each table: (key, required). The checker refuses any other key, so that a
# misspelt key ("mim = 0.8") is an error, not a silently missing target.
_TOP = {"commune": True, "title": True, "nct_age": True, "age_bands": True, "standard": True,
        "phases": True, "province": False, "issuer": False}
_STANDARD = {"members_min": True, "members_max": True, "older_share_min": True,
             "women_share_min": True, "female_older_share_min": True,
             "female_older_share_max": True, "fund_balance_above": True,
             "member_contribution_receipt": True}
_PHASE = {"first_year": True, "last_year": True, "title": False, "targets": False}
_TARGET = {"min": False, "shown_max": False, "name": False, "text": False, "cumulative": False}

_TYPE_WORDS = {str: "plan.type_str", int: "plan.type_int", float: "plan.type_float",
               bool: "plan.type_bool", list: "plan.type_list", dict: "plan.type_dict"}


def _field(at: str, name: str) -> str:
    """"standard.members_min"; a place that is a message ("giai đoạn 2026-2030") stays one."""
    return msg("plan.field", at=at, name=name) if isinstance(at, Msg) else f"{at}.{name}"


class _Checker:
    def __init__(self, where: str):
        self.where = where

    def fail(self, at: str, problem: str) -> PlanError:
        """The error at the place `at` of the file ("" for the file as a whole)."""
        if at:
            return PlanError(msg("plan.field_error", where=self.where, at=at, problem=problem))
        return PlanError(msg("plan.file_error", where=self.where, problem=problem))

    def keys(self, table: Mapping[str, Any], allowed: Mapping[str, bool], at: str) -> None:
        for k in table:
            if k not in allowed:
                known = ", ".join(allowed)
                raise self.fail(at, msg("plan.unknown_key", key=k, known=known))
        for k, required in allowed.items():
            if required and k not in table:
                raise self.fail(at, msg("plan.missing_key", key=k))

    def typed(self, value: Any, kind: type, at: str) -> Any:
        ok = isinstance(value, kind) and not (kind is not bool and isinstance(value, bool))
        if kind is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if ok and not math.isfinite(value):
                ok = False
        if not ok:
            raise self.fail(at, msg("plan.type", kind=msg(_TYPE_WORDS[kind]), value=repr(value)))
        if kind is str and not value.strip():
            raise self.fail(at, msg("plan.empty"))
        return value

    def share(self, value: Any, at: str) -> float:
        v = self.typed(value, float, at)
        if not 0 <= v <= 1:
            hint = msg("plan.share_hint", fraction=f"{v / 100:g}", percent=f"{v:g}") \
                if 1 < v <= 100 else ""
            raise self.fail(at, msg("plan.share", value=repr(v), hint=hint))
        return v

    def count(self, value: Any, at: str) -> int:
        if isinstance(value, float) and value.is_integer() and not isinstance(value, bool):
            raise self.fail(at, msg("plan.count_float", whole=int(value), value=repr(value)))
        v = self.typed(value, int, at)
        if v < 0:
            raise self.fail(at, msg("plan.negative", value=v))
        return v

    # -- tables --

    def plan(self, data: dict[str, Any], source: str) -> Plan:
        self.keys(data, _TOP, "")
        nct_age = self.count(data["nct_age"], "nct_age")
        if not 40 <= nct_age <= 100:
            raise self.fail("nct_age", msg("plan.nct_age", value=nct_age))
        bands_raw = self.typed(data["age_bands"], list, "age_bands")
        bands = tuple(self.count(b, f"age_bands[{i}]") for i, b in enumerate(bands_raw))
        if not bands or list(bands) != sorted(set(bands)):
            raise self.fail("age_bands", msg("plan.age_bands"))
        phases_raw = data["phases"]
        if not isinstance(phases_raw, list) or not all(isinstance(p, dict) for p in phases_raw):
            raise self.fail("phases", msg("plan.phases_tables"))
        if not phases_raw:
            raise self.fail("phases", msg("plan.no_phases"))
        phases = sorted((self.phase(p, i) for i, p in enumerate(phases_raw)),
                        key=lambda p: p.first_year)
        for a, b in zip(phases, phases[1:], strict=False):
            if b.first_year <= a.last_year:
                raise self.fail("phases", msg("plan.overlap", first=a.id, second=b.id))
        return Plan(
            commune=self.typed(data["commune"], str, "commune"),
            title=self.typed(data["title"], str, "title"),
            nct_age=nct_age,
            age_bands=bands,
            standard=self.standard(self.typed(data["standard"], dict, "standard")),
            phases=tuple(phases),
            province=self.typed(data["province"], str, "province") if "province" in data else None,
            issuer=self.typed(data["issuer"], str, "issuer") if "issuer" in data else None,
            source=source,
        )

    def standard(self, t: dict[str, Any]) -> Standard:
        at = "standard"
        self.keys(t, _STANDARD, at)
        lo = self.count(t["members_min"], f"{at}.members_min")
        hi = self.count(t["members_max"], f"{at}.members_max")
        if lo > hi:
            raise self.fail(at, msg("plan.members", low=lo, high=hi))
        flo = self.share(t["female_older_share_min"], f"{at}.female_older_share_min")
        fhi = self.share(t["female_older_share_max"], f"{at}.female_older_share_max")
        if flo > fhi:
            raise self.fail(at, msg("plan.female_older"))
        return Standard(
            members_min=lo, members_max=hi,
            older_share_min=self.share(t["older_share_min"], f"{at}.older_share_min"),
            women_share_min=self.share(t["women_share_min"], f"{at}.women_share_min"),
            female_older_share_min=flo, female_older_share_max=fhi,
            fund_balance_above=self.typed(t["fund_balance_above"], float, f"{at}.fund_balance_above"),
            member_contribution_receipt=self.typed(t["member_contribution_receipt"], bool,
                                                   f"{at}.member_contribution_receipt"),
        )

    def phase(self, t: dict[str, Any], index: int) -> Phase:
        at = f"phases[{index + 1}]"
        self.keys(t, _PHASE, at)
        first = self.count(t["first_year"], f"{at}.first_year")
        last = self.count(t["last_year"], f"{at}.last_year")
        if not 2000 <= first <= last <= 2100:
            raise self.fail(at, msg("plan.years", first=first, last=last))
        title = self.typed(t["title"], str, f"{at}.title") if "title" in t else f"Giai đoạn {first} - {last}"
        at = msg("plan.phase_at", first=first, last=last)
        targets = self.typed(t.get("targets", {}), dict, _field(at, "targets"))
        from .registry import UNITS  # the ids and units of the indicators

        indicators = {}
        for ind_id, spec in targets.items():
            where = _field(_field(at, "targets"), ind_id)
            if ind_id not in UNITS:
                raise self.fail(where, msg("plan.no_indicator", id=ind_id, known=", ".join(UNITS)))
            indicators[ind_id] = self.phase_indicator(self.typed(spec, dict, where), UNITS[ind_id], where)
        return Phase(first, last, title, indicators)

    def phase_indicator(self, t: dict[str, Any], unit: Unit, at: str) -> PhaseIndicator:
        self.keys(t, _TARGET, at)
        target = None
        if "min" in t:
            conv = self.share if unit == RATIO else self.count
            lo = conv(t["min"], _field(at, "min"))
            hi = conv(t["shown_max"], _field(at, "shown_max")) if "shown_max" in t else None
            if hi is not None and hi < lo:
                raise self.fail(at, msg("plan.shown_max_below", high=hi, low=lo))
            target = Target(lo, hi)
        elif "shown_max" in t:
            raise self.fail(at, msg("plan.shown_max_alone"))
        name = self.typed(t["name"], str, _field(at, "name")) if "name" in t else None
        text = self.typed(t["text"], str, _field(at, "text")) if "text" in t else None
        cumulative = self.typed(t.get("cumulative", False), bool, _field(at, "cumulative"))
        if cumulative and target is None:
            raise self.fail(at, msg("plan.cumulative_alone"))
        return PhaseIndicator(target, name, text, cumulative)
