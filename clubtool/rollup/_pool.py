"""Pooling: a province's figures from its communes' (a nation's from its provinces').

Ratios pool their numerators and denominators — Σ numerators / Σ denominators, never an
average of percentages — over the communes that have the figure; counts add up. Statuses
are those of `compute_indicators`, against the roll-up's plan. Pure functions of the
figures: nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from ..indicators.compute import (
    CHUA_DAT,
    DANG_THUC_HIEN,
    DAT,
    KHONG_CO_CHI_TIEU,
    KHONG_CO_DU_LIEU,
    status_of,
)
from ..indicators.plan import COUNT, Phase
from ..indicators.registry import INDICATORS
from ._model import PooledIndicator, UnitIndicator

__all__ = ["add_counts", "commune_counts", "indicator_order", "overall", "pool"]


def pool(units: Sequence[Mapping[str, UnitIndicator]], unit_of: Mapping[str, str], *,
         phase: Phase, year: int, count_targets: bool = True,
         names: Mapping[str, str] | None = None) -> list[PooledIndicator]:
    """Each indicator pooled over `units` (one mapping id → figure per commune), judged
    against `phase`'s targets. `unit_of`: id → "ratio" | "count". count_targets=False: count
    targets are not applied (a commune's plan says how many clubs a commune founds, not a
    province): those indicators read "khong_co_chi_tieu"."""
    out = []
    for ind_id in indicator_order(unit_of):
        unit = unit_of[ind_id]
        figures = [u[ind_id] for u in units if ind_id in u and u[ind_id].numerator is not None]
        num: int | None = sum(f.numerator or 0 for f in figures) if figures else None
        den: int | None = None
        value: float | int | None = num
        exact: Fraction | int | None = num
        if unit != COUNT:
            den = sum(f.denominator or 0 for f in figures) if figures else None
            value = num / den if num is not None and den else None
            exact = Fraction(num, den) if num is not None and den else None
        pi = phase.indicators.get(ind_id)
        target = pi.target if pi is not None else None
        if unit == COUNT and not count_targets:
            target = None
        cumulative = bool(pi and pi.cumulative and target is not None)
        status = status_of(exact, target, in_progress=cumulative and year < phase.last_year)
        name = (names or {}).get(ind_id) or _default_name(ind_id)
        out.append(PooledIndicator(
            id=ind_id, name=name, unit=unit, numerator=num, denominator=den, value=value,
            target=target, status=status, cumulative=cumulative,
            with_data=sum(f.with_data for f in figures),
            text=pi.text if pi is not None and names else None))
    return out


def _default_name(ind_id: str) -> str:
    for ind in INDICATORS:
        if ind.id == ind_id:
            return ind.name
    return ind_id


def indicator_order(ids: Iterable[str]) -> list[str]:
    """The registry's order (the plan's section II.3), then any other id as first met."""
    known = [i.id for i in INDICATORS]
    given = list(dict.fromkeys(ids))
    return [i for i in known if i in given] + [i for i in given if i not in known]


def overall(statuses: Iterable[str]) -> tuple[str, int, int]:
    """(overall status, indicators met, indicators judged) of one commune or province.

    chua_dat when an indicator is not met; else khong_co_du_lieu when one with a target has
    no figure; else dat when at least one is met (phase targets may still be in progress);
    else dang_thuc_hien when only phase targets are left; else khong_co_chi_tieu.
    """
    s = list(statuses)
    met = s.count(DAT)
    judged = met + s.count(CHUA_DAT)
    for status in (CHUA_DAT, KHONG_CO_DU_LIEU, DAT, DANG_THUC_HIEN):
        if status in s:
            return status, met, judged
    return KHONG_CO_CHI_TIEU, met, judged


def commune_counts(counts: Mapping[str, Any]) -> dict[str, Any]:
    """A commune summary's `counts` as a roll-up pools them: the clubs' and members' numbers,
    new clubs as numbers (their codes stay in the commune's file)."""
    return {"clubs": dict(counts["clubs"]),
            "new_clubs": {k: len(v) for k, v in counts["new_clubs"].items()},
            "members": _copy(counts["members"])}


def _copy(value: Any) -> Any:
    return {k: _copy(v) for k, v in value.items()} if isinstance(value, dict) else value


def add_counts(total: dict[str, Any], more: Mapping[str, Any]) -> dict[str, Any]:
    """`more` added into `total` key by key (nested; a key only one side has is kept)."""
    for k, v in more.items():
        if isinstance(v, Mapping):
            add_counts(total.setdefault(k, {}), v)
        else:
            total[k] = total.get(k, 0) + v
    return total
