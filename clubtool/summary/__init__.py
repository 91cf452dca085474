"""The commune's summary `tong_hop_<xã>_<năm>.json`: the figures a commune sends upward.

    from clubtool.summary import summary_of, summary_name, write_summary, read_summary
    obj = summary_of(result, validation=report)     # result: an IndicatorResult
    write_summary(out_dir / summary_name(obj["commune"], obj["year"]), obj)
    again = read_summary(path)                       # or SummaryError, for the officer

A versioned format (docs/summary.md) with a JSON Schema shipped beside this module
(`schema.json`, checked on every read): format name and version, tool version, province,
commune, year, as-of date, plan, every indicator (numerator, denominator, value, target,
status), the counts behind the report's general section, and per club its code, village,
members, standard status and failed criteria. Never a person's name, phone or birth year:
only counts and club codes, villages, criteria ids leave the commune.

The last key, `sha256`, is the SHA-256 of the object's canonical form without it
(`canonical_bytes`): a reader tells a file edited by hand from one clubtool wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..i18n import Msg, msg
from ._schema import SchemaError, Violation, check, load_schema

if TYPE_CHECKING:
    from ..indicators import IndicatorResult, IndicatorValue, Plan
    from ..validation import ValidationReport

__all__ = ["FORMAT", "VERSION", "SchemaError", "SummaryError", "as_of_problem", "canonical_bytes",
           "content_hash", "indicator_problem", "indicators_problem", "load_schema",
           "parse_summary", "read_summary", "summary_name", "summary_of", "validate_summary",
           "version_problem", "write_summary"]

FORMAT = "clubtool-commune-summary"
VERSION = 1  # the version this clubtool writes and the only one it reads

_NOT_A_SUMMARY = msg("summary_msg.not_a_summary")
#: How messages name a summary given without a file name.
_THE_FILE = msg("summary_msg.the_file")


class SummaryError(ValueError):
    """A summary that cannot be used; the message names the file and why: an `i18n.Msg`
    `summary_msg.in_file` (`where`, `problem`), Vietnamese text said in the officer's
    language by `i18n.tr`."""


def _error(where: str, problem: str) -> SummaryError:
    return SummaryError(msg("summary_msg.in_file", where=where, problem=problem))


# --- building ------------------------------------------------------------------------------


def summary_of(result: IndicatorResult, *, plan: Plan | None = None,
               validation: ValidationReport | None = None) -> dict[str, Any]:
    """The summary of one commune's indicators (`compute(job, read(job)).communes[i]
    .indicators`), its `sha256` filled in. plan: default the result's own; validation: the
    report the result was computed from (`read(job)`, or that commune's view of it), for
    the codes of the clubs whose workbook was left out for errors (without it that list
    is empty; the number of files left out is still given)."""
    from .. import __version__

    plan = plan or result.plan
    figures = result.commune_figures()
    obj: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "tool": f"clubtool {__version__}",
        "province": result.province or plan.province,
        "commune": result.commune,
        "year": result.year,
        "as_of": result.as_of.isoformat(),
        "plan": {"title": plan.title, "file": re.split(r"[\\/]", plan.source)[-1],
                 "phase": result.phase.id},
        "indicators": [_indicator(v) for v in result.indicators],
        "counts": _counts(result, figures, validation),
        "clubs": [{"club_id": c.club_id, "village": c.village, "members": c.members,
                   "dat_chuan": c.dat_chuan, "criteria_failed": list(c.criteria_failed)}
                  for c in result.clubs],
    }
    obj["sha256"] = content_hash(obj)
    return obj


def _indicator(v: IndicatorValue) -> dict[str, Any]:
    target = None if v.target is None else {"min": v.target.min,
                                            "shown_max": v.target.shown_max}
    return {"id": v.id, "unit": v.unit, "numerator": v.numerator,
            "denominator": v.denominator, "value": v.value, "target": target,
            "status": v.status}


def _counts(result: IndicatorResult, figures: dict[str, Any],
            validation: ValidationReport | None) -> dict[str, Any]:
    """The general section's counts: clubs, new clubs, missing and excluded codes, members
    (the same numbers as `commune_figures()`, the indicators JSON's)."""
    clubs = figures["clubs"]
    excluded: list[str] = []
    if validation is not None:
        from ..report.context.files import ValidatedFiles, excluded_codes

        excluded = sorted(excluded_codes(result, ValidatedFiles(validation)))
    return {
        "clubs": {"known": clubs["known"], "expected": clubs["expected"],
                  "reported": clubs["reported"], "missing": clubs["missing"],
                  "excluded_files": len(result.excluded), "dissolved": clubs["dissolved"],
                  "standard": clubs["standard"]},
        "new_clubs": {"in_phase": list(clubs["new_in_phase"]),
                      "in_year": list(clubs["new_in_year"])},
        "missing_clubs": list(result.missing),
        "excluded_clubs": excluded,
        "members": figures["members"],
    }


def summary_name(commune: str, year: int) -> str:
    """"tong_hop_mai_hoa_2027.json" (the commune's name as in the report's file names)."""
    from ..report import slug

    return f"tong_hop_{slug(commune)}_{year}.json"


# --- the canonical form and the hash --------------------------------------------------------


def canonical_bytes(obj: dict[str, Any]) -> bytes:
    """The object without `sha256`, keys sorted, no spaces, UTF-8 (not \\u escapes)."""
    body = {k: v for k, v in obj.items() if k != "sha256"}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def content_hash(obj: dict[str, Any]) -> str:
    """The SHA-256 (hex, lower case) of `canonical_bytes(obj)`."""
    return hashlib.sha256(canonical_bytes(obj)).hexdigest()


# --- writing and reading --------------------------------------------------------------------


def write_summary(path: Path | str, obj: dict[str, Any], *, force: bool = True) -> Path:
    """Write `obj` to `path` atomically, as clubtool writes JSON (`_jsonout`), its `sha256`
    computed afresh; the object is checked first (schema, figures), so clubtool never writes
    a summary it would refuse to read (SummaryError). force=False: an existing file is
    `_fsutil.OutputExists`."""
    from .._fsutil import write_text_atomic
    from .._jsonout import dumps

    body = {k: v for k, v in obj.items() if k != "sha256"}
    final = {**body, "sha256": content_hash(body)}
    validate_summary(final, where=str(path))
    write_text_atomic(path, dumps(final), force=force)
    return Path(path)


def read_summary(path: Path | str) -> dict[str, Any]:
    """The summary in `path`, checked: SummaryError when the file cannot be read, is not a
    summary, has another format version, breaks the schema, was edited by hand (the hash
    does not match) or holds figures that cannot be (a numerator above its denominator)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise _error(str(path), msg("summary_msg.unreadable",
                                    error=exc.strerror or exc)) from None
    return parse_summary(raw, where=str(path))


def parse_summary(raw: bytes | str, *, where: str = _THE_FILE) -> dict[str, Any]:
    """`read_summary` of a file's content already read (`where` names it in messages)."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        obj = json.loads(text, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError):
        raise _error(where, msg("summary_msg.not_json", not_a_summary=_NOT_A_SUMMARY)) \
            from None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise _error(where, msg("summary_msg.is_not_summary", not_a_summary=_NOT_A_SUMMARY))
    validate_summary(obj, where=where)
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not JSON


def validate_summary(obj: Any, *, where: str = _THE_FILE) -> None:
    """SummaryError unless `obj` is a summary of this version that follows the schema, whose
    hash matches its content and whose figures hold together."""
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise _error(where, msg("summary_msg.is_not_summary", not_a_summary=_NOT_A_SUMMARY))
    version = obj.get("version")
    if version != VERSION or isinstance(version, bool):
        raise _error(where, version_problem(version, VERSION))
    try:
        check(obj)
    except Violation as exc:
        raise _error(where, msg("summary_msg.structure", field=exc.where or msg(
            "summary_msg.root"), why=exc.why)) from None
    if obj["sha256"] != content_hash(obj):
        raise _error(where, msg("summary_msg.edited"))
    problem = _figures_problem(obj)
    if problem:
        raise _error(where, problem)


def version_problem(version: Any, supported: int) -> Msg:
    """Why a file of format version `version` is not read (a newer one: update clubtool);
    also the roll-up file's."""
    if isinstance(version, int) and not isinstance(version, bool) and version > supported:
        return msg("summary_msg.version_newer", version=version, supported=supported)
    return msg("summary_msg.version_other", version=json.dumps(version, ensure_ascii=False),
               supported=supported)


def as_of_problem(as_of: Any, year: int) -> Msg | None:
    """An as-of date that is no date or not in the file's year (also the roll-up file's)."""
    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError:
        return msg("summary_msg.as_of_not_date", as_of=as_of)
    if day.year != year:
        return msg("summary_msg.as_of_other_year", as_of=as_of, year=year)
    return None


def _figures_problem(obj: dict[str, Any]) -> Msg | None:
    """What the schema cannot say: figures that contradict each other."""
    return as_of_problem(obj["as_of"], obj["year"]) or indicators_problem(obj["indicators"])


def indicators_problem(indicators: list[dict[str, Any]]) -> Msg | None:
    """An indicator listed twice, or whose figures contradict each other (`indicator_problem`);
    a commune summary's and a province roll-up's list alike."""
    seen: set[str] = set()
    for v in indicators:
        if v["id"] in seen:
            return msg("summary_msg.indicator_twice", id=v["id"])
        seen.add(v["id"])
        problem = indicator_problem(v["unit"], v["numerator"], v["denominator"], v["value"])
        if problem:
            return msg("summary_msg.indicator", id=v["id"], problem=problem)
    return None


def indicator_problem(unit: str, num: int | None, den: int | None,
                      value: float | int | None) -> Msg | None:
    """A figure that cannot be: a numerator above its denominator, a value other than
    numerator / denominator, a count with a denominator (also the roll-up file's)."""
    if unit == "count":
        if den is not None:
            return msg("summary_msg.count_with_denominator")
        if value != num:
            return msg("summary_msg.count_value", value=value, num=num)
        return None
    if (num is None) != (den is None):
        return msg("summary_msg.half_fraction")
    if num is not None and den is not None and num > den:
        return msg("summary_msg.above_denominator", num=num, den=den)
    expected = num / den if num is not None and den else None
    if value != expected:
        return msg("summary_msg.value_not_ratio", value=value,
                   expected=msg("summary_msg.no_value") if expected is None else expected)
    return None
