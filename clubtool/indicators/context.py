"""What every indicator is computed from: the period, the plan, the reported clubs' figures,
the commune workbook and the *known* clubs (reported clubs united with the registry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from ..model import Club, Commune
from .figures import ClubFigures, MemberCounts, Period, club_figures, club_key
from .plan import Phase, Plan


@dataclass(frozen=True, slots=True)
class KnownClub:
    """A club the commune knows of: reported, in the registry, or both.

    A reported club's own information (name, village, founding date) wins; the dissolution
    date only exists in the registry.
    """

    club_id: str
    name: str | None
    village: str | None
    founded: dt.date | None
    dissolved: dt.date | None
    reported: bool
    in_registry: bool

    def exists_at(self, day: dt.date) -> bool:
        """Founded by `day` (a registry row without a founding date counts as founded) and
        not dissolved by `day`."""
        founded = self.founded is None or self.founded <= day
        dissolved = self.dissolved is not None and self.dissolved <= day
        return founded and not dissolved


@dataclass
class Context:
    period: Period
    plan: Plan
    phase: Phase
    clubs: list[ClubFigures]  # reported clubs, by club code
    commune: Commune | None

    @classmethod
    def build(cls, clubs: Sequence[Club], commune: Commune | None, period: Period,
              plan: Plan, known: Mapping[str, ClubFigures] | None = None) -> Context:
        """`known`: figures already computed for this period and plan, by club path."""
        ordered = sorted(clubs, key=lambda c: (club_key(c.info.club_id), c.path))
        known = known or {}
        figures = [f if (f := known.get(c.path)) is not None else club_figures(c, period, plan)
                   for c in ordered]
        return cls(period, plan, plan.phase_for(period.year), figures, commune)

    @property
    def as_of(self) -> dt.date:
        return self.period.as_of

    @cached_property
    def people(self) -> MemberCounts:
        """Active members of all reported clubs, pooled."""
        total = MemberCounts()
        for c in self.clubs:
            total.add(c.people)
        return total

    @cached_property
    def known(self) -> list[KnownClub]:
        """Reported clubs united with the commune's registry by `Mã CLB`, by club code."""
        out: dict[str, KnownClub] = {}
        registry = {}
        if self.commune is not None:
            for r in self.commune.registry:
                k = club_key(r.club_id)
                if k and k not in registry:
                    registry[k] = r
        for c in self.clubs:
            if c.club_id in out:
                continue  # a second workbook of the same club (validation flags it)
            reg = registry.get(c.club_id)
            out[c.club_id] = KnownClub(
                c.club_id, c.name or (reg.name if reg else None),
                c.village or (reg.village if reg else None),
                c.founded or (reg.founded if reg else None),
                reg.dissolved if reg else None, reported=True, in_registry=reg is not None)
        for k, r in registry.items():
            if k not in out:
                out[k] = KnownClub(k, r.name, r.village, r.founded, r.dissolved,
                                   reported=False, in_registry=True)
        return [out[k] for k in sorted(out)]

    @cached_property
    def known_by_id(self) -> dict[str, KnownClub]:
        return {k.club_id: k for k in self.known}

    @cached_property
    def expected(self) -> list[KnownClub]:
        """Known clubs founded ≤ A and not dissolved by A (those that owe a report)."""
        return [k for k in self.known if k.exists_at(self.as_of)]

    @cached_property
    def missing(self) -> list[str]:
        """Registry clubs expected to report that have no valid workbook."""
        return [k.club_id for k in self.expected if not k.reported]

    @cached_property
    def new_clubs(self) -> list[KnownClub]:
        """Known clubs founded from 01/01 of the phase's first year to A."""
        start = dt.date(self.phase.first_year, 1, 1)
        return [k for k in self.known if k.founded is not None and start <= k.founded <= self.as_of]
