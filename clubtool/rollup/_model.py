"""The roll-up as plain data: what `rollup()` returns and every renderer shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from ..indicators.plan import Phase, Plan, Target

Level = Literal["province", "nation"]
PROVINCE: Level = "province"
NATION: Level = "nation"

__all__ = ["NATION", "PROVINCE", "Excluded", "Level", "Missing", "NotCounted", "PooledIndicator",
           "Reporting", "RollupError", "RollupResult", "Unit", "UnitIndicator"]


class RollupError(ValueError):
    """The roll-up cannot run (exit code 2): the message is for the officer. `excluded`:
    the files refused on the way (each with its reason), to be shown as well."""

    def __init__(self, message: str, excluded: list[Excluded] | None = None):
        super().__init__(message)
        self.excluded = list(excluded or [])


@dataclass(frozen=True, slots=True)
class UnitIndicator:
    """One indicator of one commune (or province) as its own file gives it."""

    id: str
    numerator: int | None
    denominator: int | None
    value: float | int | None
    status: str
    #: How many communes the figure pools: 1 for a commune's own; a province's: its
    #: `communes_with_data` (so that the nation counts communes, not provinces).
    with_data: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "numerator": self.numerator, "denominator": self.denominator,
                "value": self.value, "status": self.status}


@dataclass(slots=True)
class Unit:
    """One commune (province roll-up) or one province (nation roll-up) that counts."""

    province: str | None
    name: str  # the commune's name; for a province: the province's name
    as_of: str  # YYYY-MM-DD
    indicators: list[UnitIndicator]
    status: str  # overall (docs/rollup.md#overall-status)
    met: int  # indicators met
    judged: int  # indicators with a target this year
    source: str = ""  # the file it comes from, as found (messages; not in the JSON)
    communes: int = 1  # a province: how many communes it rolls up
    counts: dict[str, Any] = field(default_factory=dict, repr=False)  # pooled, not shown

    def to_dict(self) -> dict[str, Any]:
        """An entry of `communes` in the roll-up's JSON."""
        return {"province": self.province, "commune": self.name, "as_of": self.as_of,
                "status": self.status, "met": self.met, "judged": self.judged,
                "indicators": [v.to_dict() for v in self.indicators]}

    def to_province_dict(self) -> dict[str, Any]:
        """An entry of `provinces` in the nation's JSON."""
        return {"province": self.name, "as_of": self.as_of, "status": self.status,
                "met": self.met, "judged": self.judged, "communes": self.communes,
                "indicators": [v.to_dict() for v in self.indicators]}


@dataclass(frozen=True, slots=True)
class PooledIndicator:
    """An indicator of the province (or the nation): its communes' figures pooled."""

    id: str
    name: str
    unit: str  # "ratio" | "count"
    numerator: int | None
    denominator: int | None
    value: float | int | None
    target: Target | None
    status: str
    cumulative: bool
    with_data: int  # how many communes gave a figure
    text: str | None = None  # the plan's full sentence

    def to_dict(self) -> dict[str, Any]:
        target = None if self.target is None else {"min": self.target.min,
                                                   "shown_max": self.target.shown_max}
        return {"id": self.id, "name": self.name, "unit": self.unit,
                "numerator": self.numerator, "denominator": self.denominator,
                "value": self.value, "target": target, "status": self.status,
                "communes_with_data": self.with_data}


@dataclass(frozen=True, slots=True)
class Excluded:
    """A file left out, and why (Vietnamese)."""

    file: str
    reason: str
    province: str | None = None
    commune: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "province": self.province, "commune": self.commune,
                "reason": self.reason}


@dataclass(frozen=True, slots=True)
class NotCounted:
    """A second file of a commune (or province) already counted: the later one counts."""

    file: str
    kept: str
    reason: str


@dataclass(frozen=True, slots=True)
class Missing:
    """An expected commune without a usable file."""

    province: str | None
    commune: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"province": self.province, "commune": self.commune, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Reporting:
    """Communes that reported, against those expected (`--expect`; None: no list given)."""

    reported: int  # communes counted
    expected: int | None
    expected_reported: int | None  # of the expected, those counted
    unexpected: list[str] = field(default_factory=list)  # counted, not on the list

    @property
    def rate(self) -> float | None:
        if not self.expected or self.expected_reported is None:
            return None
        return self.expected_reported / self.expected

    def to_dict(self) -> dict[str, Any]:
        return {"communes": self.reported, "expected": self.expected,
                "expected_reported": self.expected_reported, "rate": self.rate,
                "unexpected": list(self.unexpected)}


@dataclass(slots=True)
class RollupResult:
    """A province's (or the nation's) roll-up: pooled indicators and counts, each commune
    (and at the nation's level each province), who is missing, what was left out."""

    level: Level
    province: str | None  # None for the nation
    year: int
    as_of: dt.date  # the latest as-of date of the communes
    as_of_first: dt.date  # the earliest
    plan: Plan
    phase: Phase
    plan_given: bool  # False: the shipped plan's targets (count targets not applied)
    indicators: list[PooledIndicator]
    counts: dict[str, Any]
    communes: list[Unit]
    provinces: list[Unit]  # the nation: one per province; a province: empty
    reporting: Reporting
    missing: list[Missing]
    excluded: list[Excluded]
    not_counted: list[NotCounted]
    warnings: list[str]
    notes: list[str]  # how the level, the province and the targets were decided
    issuer: str | None = None

    @property
    def has_problems(self) -> bool:
        """A file was left out or not counted (exit code 1)."""
        return bool(self.excluded or self.not_counted)

    def indicator(self, indicator_id: str) -> PooledIndicator:
        for v in self.indicators:
            if v.id == indicator_id:
                return v
        raise KeyError(indicator_id)
