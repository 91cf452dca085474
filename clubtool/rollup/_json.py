"""The roll-up's own file (`--format json`): format `clubtool-rollup`, version 1.

The indicators JSON's shape at the top (id, name, numerator, denominator, value, target,
status) plus `level`, `province`, `communes`, `missing`, `excluded` (docs/rollup.md), a JSON
Schema shipped beside this module (`schema.json`, checked on every read with the summary's
small validator) and, last, the SHA-256 of the canonical content, as the commune's summary
(`clubtool.summary.content_hash`). A province's file is itself an input of the nation's
roll-up: `validate_rollup` is what reading one checks (docs/rollup.md#reading).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

from ..summary import content_hash
from ..summary._schema import Violation, check
from ._model import NATION, RollupResult

__all__ = ["FORMAT", "VERSION", "RollupFileError", "load_rollup_schema", "to_dict",
           "validate_rollup"]

FORMAT = "clubtool-rollup"
VERSION = 1  # the version this clubtool writes and the only one it reads


class RollupFileError(ValueError):
    """A roll-up file that cannot be used as an input (the message names why)."""


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
        raise RollupFileError(_version_problem(version))
    try:
        check(obj, load_rollup_schema())
    except Violation as exc:
        raise RollupFileError(f"tệp tổng hợp sai cấu trúc ở trường {exc.where or '(gốc)'}: "
                              f"{exc.why}.") from None
    if obj["sha256"] != content_hash(obj):
        raise RollupFileError("mã SHA-256 không khớp với nội dung: tệp đã bị sửa bằng tay "
                              "sau khi clubtool ghi. Hãy lập lại tệp bằng clubtool rollup, "
                              "không sửa trực tiếp tệp này.")
    if obj["level"] == NATION:
        raise RollupFileError("là tệp tổng hợp toàn quốc: không tổng hợp tiếp được (chỉ tổng "
                              "hợp các tệp tổng hợp của tỉnh, hoặc tệp tổng hợp của xã).")
    problem = _figures_problem(obj)
    if problem:
        raise RollupFileError(problem)


def _version_problem(version: Any) -> str:
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        return (f"tệp tổng hợp theo định dạng phiên bản {version}, do một clubtool mới hơn ghi; "
                f"clubtool này chỉ đọc phiên bản {VERSION}. Hãy cập nhật clubtool.")
    return (f"phiên bản định dạng {json.dumps(version, ensure_ascii=False)} không được hỗ trợ "
            f"(clubtool này đọc phiên bản {VERSION}).")


def _figures_problem(obj: dict[str, Any]) -> str | None:
    """What the schema cannot say: figures that contradict each other or their communes."""
    for key in ("as_of", "as_of_first"):
        try:
            day = dt.date.fromisoformat(obj[key])
        except ValueError:
            return f"ngày chốt số liệu {obj[key]} không phải một ngày."
        if day.year != obj["year"]:
            return f"ngày chốt số liệu {obj[key]} không thuộc năm {obj['year']}."
    if not obj["province"]:
        return "tệp tổng hợp của tỉnh không ghi tên tỉnh."
    sums: dict[str, list[int]] = {}
    for c in obj["communes"]:
        for v in c["indicators"]:
            if v["numerator"] is not None and v["denominator"] is not None \
                    and v["numerator"] > v["denominator"]:
                return (f"xã {c['commune']}, chỉ tiêu {v['id']}: tử số {v['numerator']} lớn "
                        f"hơn mẫu số {v['denominator']}.")
            if v["numerator"] is not None:
                acc = sums.setdefault(v["id"], [0, 0])
                acc[0] += v["numerator"]
                acc[1] += v["denominator"] or 0
    seen: set[str] = set()
    for v in obj["indicators"]:
        where = f"chỉ tiêu {v['id']}"
        if v["id"] in seen:
            return f"{where} có hai lần."
        seen.add(v["id"])
        problem = indicator_problem(v["unit"], v["numerator"], v["denominator"], v["value"])
        if problem:
            return f"{where}: {problem}"
        num, den = sums.get(v["id"], [None, None])
        if (v["numerator"], v["denominator"] if v["unit"] != "count" else None) != \
                (num, den if v["unit"] != "count" else None):
            return (f"{where}: số liệu của tỉnh ({v['numerator']}/{v['denominator']}) không "
                    f"bằng tổng của các xã trong tệp ({num}/{den}).")
    return None


def indicator_problem(unit: str, num: int | None, den: int | None,
                      value: float | int | None) -> str | None:
    """A figure that cannot be: a numerator above its denominator, a value other than
    numerator / denominator, a count with a denominator."""
    if unit == "count":
        if den is not None:
            return "là số đếm nhưng có mẫu số."
        if value != num:
            return f"giá trị {value} khác số đếm {num}."
        return None
    if (num is None) != (den is None):
        return "có tử số mà không có mẫu số (hoặc ngược lại)."
    if num is not None and den is not None and num > den:
        return f"tử số {num} lớn hơn mẫu số {den}."
    expected = num / den if num is not None and den else None
    if value != expected:
        return (f"giá trị {value} khác tử số chia mẫu số "
                f"({'không có' if expected is None else expected}).")
    return None
