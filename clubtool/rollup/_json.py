"""The roll-up's own file (`--format json`): format `clubtool-rollup`, version 1.

The indicators JSON's shape at the top (id, name, numerator, denominator, value, target,
status) plus `level`, `province`, `communes`, `missing`, `excluded` (docs/rollup.md), a JSON
Schema shipped beside this module (`schema.json`, checked on every read with the summary's
small validator) and, last, the SHA-256 of the canonical content, as the commune's summary
(`clubtool.summary.content_hash`). A province's file is itself an input of the nation's
roll-up: `validate_rollup` is what reading one checks (docs/rollup.md#reading).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from ..i18n import Msg, msg
from ..summary import as_of_problem, content_hash, indicators_problem, version_problem
from ..summary._schema import Violation, check
from ._model import NATION, RollupResult

__all__ = ["FORMAT", "VERSION", "RollupFileError", "load_rollup_schema", "to_dict",
           "validate_rollup"]

FORMAT = "clubtool-rollup"
VERSION = 1  # the version this clubtool writes and the only one it reads


class RollupFileError(ValueError):
    """A roll-up file that cannot be used as an input (the message, an `i18n.Msg`, says
    why)."""


@lru_cache(maxsize=1)
def load_rollup_schema() -> Mapping[str, Any]:
    """The JSON Schema of the roll-up's file (`clubtool/rollup/schema.json`)."""
    raw = resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(raw)
    return schema


def to_dict(r: RollupResult) -> dict[str, Any]:
    """The roll-up as its JSON file holds it, `sha256` filled in."""
    from .. import __version__

    obj: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "tool": f"clubtool {__version__}",
        "level": r.level,
        "province": r.province,
        "year": r.year,
        "as_of": r.as_of.isoformat(),
        "as_of_first": r.as_of_first.isoformat(),
        "plan": {"title": r.plan.title, "file": re.split(r"[\\/]", r.plan.source)[-1],
                 "phase": r.phase.id, "given": r.plan_given},
        "indicators": [v.to_dict() for v in r.indicators],
        "counts": r.counts,
        "reporting": r.reporting.to_dict(),
        "communes": [u.to_dict() for u in r.communes],
        "provinces": [u.to_province_dict() for u in r.provinces],
        "missing": [m.to_dict() for m in r.missing],
        "excluded": [e.to_dict() for e in r.excluded],
        "not_counted": [{"file": n.file, "kept": n.kept, "reason": n.reason}
                        for n in r.not_counted],
        "warnings": list(r.warnings),
        "notes": list(r.notes),
    }
    obj["sha256"] = content_hash(obj)
    return obj


def validate_rollup(obj: dict[str, Any]) -> None:
    """RollupFileError unless `obj` (whose `format` is FORMAT) is a province's roll-up of
    this version that follows the schema, whose hash matches and whose figures hold."""
    version = obj.get("version")
    if version != VERSION or isinstance(version, bool):
        raise RollupFileError(version_problem(version, VERSION))
    try:
        check(obj, load_rollup_schema())
    except Violation as exc:
        raise RollupFileError(msg("summary_msg.structure", field=exc.where or msg(
            "summary_msg.root"), why=exc.why)) from None
    if obj["sha256"] != content_hash(obj):
        raise RollupFileError(msg("rollup_msg.file_edited"))
    if obj["level"] == NATION:
        raise RollupFileError(msg("rollup_msg.nation_file"))
    problem = _figures_problem(obj)
    if problem:
        raise RollupFileError(problem)


def _figures_problem(obj: dict[str, Any]) -> Msg | None:
    """What the schema cannot say: figures that contradict each other or their communes."""
    for key in ("as_of", "as_of_first"):
        problem = as_of_problem(obj[key], obj["year"])
        if problem:
            return problem
    if not obj["province"]:
        return msg("rollup_msg.no_province_name")
    sums: dict[str, list[int]] = {}
    for c in obj["communes"]:
        for v in c["indicators"]:
            if v["numerator"] is not None and v["denominator"] is not None \
                    and v["numerator"] > v["denominator"]:
                return msg("rollup_msg.commune_above", commune=c["commune"], id=v["id"],
                           num=v["numerator"], den=v["denominator"])
            if v["numerator"] is not None:
                acc = sums.setdefault(v["id"], [0, 0])
                acc[0] += v["numerator"]
                acc[1] += v["denominator"] or 0
    problem = indicators_problem(obj["indicators"])
    if problem:
        return problem
    for v in obj["indicators"]:
        num, den = sums.get(v["id"], [None, None])
        if (v["numerator"], v["denominator"] if v["unit"] != "count" else None) != \
                (num, den if v["unit"] != "count" else None):
            return msg("rollup_msg.sum_mismatch", id=v["id"], num=v["numerator"],
                       den=v["denominator"], sum_num=num, sum_den=den)
    return None
