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

from ._schema import SchemaError, Violation, check, load_schema

if TYPE_CHECKING:
    from ..indicators import IndicatorResult, IndicatorValue, Plan
    from ..validation import ValidationReport

__all__ = ["FORMAT", "VERSION", "SchemaError", "SummaryError", "canonical_bytes",
           "content_hash", "load_schema", "parse_summary", "read_summary", "summary_name",
           "summary_of", "validate_summary", "write_summary"]

FORMAT = "clubtool-commune-summary"
VERSION = 1  # the version this clubtool writes and the only one it reads

_NOT_A_SUMMARY = ("không phải tệp tổng hợp của xã do clubtool ghi "
                  "(tệp tong_hop_<xã>_<năm>.json của clubtool report --format json hoặc export)")


class SummaryError(ValueError):
    """A summary that cannot be used; the message (Vietnamese) names the file and why."""


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
        raise SummaryError(f"{path}: không đọc được tệp ({exc.strerror or exc}).") from None
    return parse_summary(raw, where=str(path))


def parse_summary(raw: bytes | str, *, where: str = "tệp tổng hợp") -> dict[str, Any]:
    """`read_summary` of a file's content already read (`where` names it in messages)."""
    try:
        text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        obj = json.loads(text, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError):
        raise SummaryError(f"{where}: {_NOT_A_SUMMARY}: nội dung không phải JSON.") from None
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise SummaryError(f"{where}: {_NOT_A_SUMMARY}.")
    validate_summary(obj, where=where)
    return obj


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not JSON


def validate_summary(obj: Any, *, where: str = "tệp tổng hợp") -> None:
    """SummaryError unless `obj` is a summary of this version that follows the schema, whose
    hash matches its content and whose figures hold together."""
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise SummaryError(f"{where}: {_NOT_A_SUMMARY}.")
    version = obj.get("version")
    if version != VERSION or isinstance(version, bool):
        raise SummaryError(f"{where}: {_version_problem(version)}")
    try:
        check(obj)
    except Violation as exc:
        raise SummaryError(f"{where}: tệp tổng hợp sai cấu trúc ở trường {exc.where or '(gốc)'}: "
                           f"{exc.why}.") from None
    if obj["sha256"] != content_hash(obj):
        raise SummaryError(f"{where}: mã SHA-256 không khớp với nội dung: tệp đã bị sửa bằng "
                           "tay sau khi clubtool ghi. Hãy xuất lại tệp tổng hợp bằng clubtool "
                           "từ dữ liệu của xã, không sửa trực tiếp tệp này.")
    problem = _figures_problem(obj)
    if problem:
        raise SummaryError(f"{where}: {problem}")


def _version_problem(version: Any) -> str:
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        return (f"tệp tổng hợp theo định dạng phiên bản {version}, do một clubtool mới hơn ghi; "
                f"clubtool này chỉ đọc phiên bản {VERSION}. Hãy cập nhật clubtool.")
    return (f"phiên bản định dạng {json.dumps(version, ensure_ascii=False)} không được hỗ trợ "
            f"(clubtool này đọc phiên bản {VERSION}).")


def _figures_problem(obj: dict[str, Any]) -> str | None:
    """What the schema cannot say: figures that contradict each other."""
    try:
        as_of = dt.date.fromisoformat(obj["as_of"])
    except ValueError:
        return f"ngày chốt số liệu {obj['as_of']} không phải một ngày."
    if as_of.year != obj["year"]:
        return f"ngày chốt số liệu {obj['as_of']} không thuộc năm {obj['year']}."
    seen: set[str] = set()
    for v in obj["indicators"]:
        where = f"chỉ tiêu {v['id']}"
        if v["id"] in seen:
            return f"{where} có hai lần."
        seen.add(v["id"])
        problem = _indicator_problem(v)
        if problem:
            return f"{where}: {problem}"
    return None


def _indicator_problem(v: dict[str, Any]) -> str | None:
    num, den, value = v["numerator"], v["denominator"], v["value"]
    if v["unit"] == "count":
        if den is not None:
            return "là số đếm nhưng có mẫu số."
        if value != num:
            return f"giá trị {value} khác số đếm {num}."
        return None
    if (num is None) != (den is None):
        return "có tử số mà không có mẫu số (hoặc ngược lại)."
    if num is not None and num > den:
        return f"tử số {num} lớn hơn mẫu số {den}."
    expected = num / den if num is not None and den else None
    if value != expected:
        return (f"giá trị {value} khác tử số chia mẫu số "
                f"({'không có' if expected is None else expected}).")
    return None
