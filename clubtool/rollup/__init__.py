"""Roll-up: communes → province → nation (docs/rollup.md).

    from clubtool.rollup import rollup, render_rollup
    result = rollup(["tong_hop/"], year=2027, plan="ha_tinh.toml", expect="xa.csv")
    result.indicators[0].numerator          # Σ of the communes' numerators
    paths = render_rollup(result, formats=("json", "docx"), out_dir="bao_cao")

Inputs are commune summaries (`tong_hop_<xã>_<năm>.json`, clubtool.summary), province
roll-ups (this package's own `--format json`, format `clubtool-rollup`), folders of them,
or commune data folders (summarised on the fly). Ratios pool numerators and denominators;
counts add up; statuses are judged against the plan given. A file that cannot be used is
listed with its reason (`RollupResult.excluded`), never silently skipped; `RollupError` when
nothing can be rolled up. No CLI or rich here; renderers: `clubtool.render` kind "rollup".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from ..i18n import msg
from ._core import rollup
from ._expect import Expected, read_expect
from ._json import FORMAT, VERSION, RollupFileError, load_rollup_schema, to_dict, validate_rollup
from ._match import place_key
from ._model import (
    NATION,
    PROVINCE,
    Excluded,
    Missing,
    NotCounted,
    PooledIndicator,
    Reporting,
    RollupError,
    RollupResult,
    Unit,
    UnitIndicator,
)

__all__ = ["FILE_FORMATS", "FORMAT", "FORMATS", "NATION", "PROVINCE", "VERSION", "Excluded",
           "Expected", "Missing", "NotCounted", "PooledIndicator", "Reporting", "RollupError",
           "RollupFileError", "RollupResult", "Unit", "UnitIndicator", "load_rollup_schema",
           "parse_formats", "place_key", "read_expect", "render_rollup", "rollup",
           "rollup_name", "to_dict", "validate_rollup"]

#: What `clubtool rollup --format` takes: the terminal's table, then the files.
FORMATS = ("table", "json", "csv", "docx", "html", "xlsx", "md")
FILE_FORMATS = FORMATS[1:]
_ALIASES = {"markdown": "md", "htm": "html", "word": "docx", "excel": "xlsx"}


def parse_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """"table,json" → ("table", "json"): checked, aliases as the report's, no repeats;
    RollupError naming the formats there are."""
    items = formats.split(",") if isinstance(formats, str) else list(formats)
    out: list[str] = []
    for item in items:
        f = _ALIASES.get(item.strip().lower().lstrip("."), item.strip().lower().lstrip("."))
        if not f:
            continue
        if f not in FORMATS:
            raise RollupError(msg("rollup_msg.bad_format", value=item.strip(),
                                  choices=", ".join(FORMATS)))
        if f not in out:
            out.append(f)
    if not out:
        raise RollupError(msg("rollup_msg.no_format", choices=", ".join(FORMATS)))
    return tuple(out)


def rollup_name(result: RollupResult, fmt: str) -> str:
    """tong_hop_tinh_ha_tinh_2027.<ext> for a province; tong_hop_toan_quoc_2027.<ext> for
    the nation (the province's name as the report's file names write a commune's)."""
    from ..report import slug

    if result.level == NATION:
        return f"tong_hop_toan_quoc_{result.year}.{fmt}"
    place = slug(result.province) if result.province else "chua_ro"
    return f"tong_hop_tinh_{place}_{result.year}.{fmt}"


def render_rollup(result: RollupResult, *, formats: Iterable[str], out_dir: Path | str,
                  date: dt.date | None = None, force: bool = False,
                  today: dt.date | None = None,
                  templates: Path | str | None = None) -> tuple[list[Path], list[str]]:
    """Write the roll-up in each file format into `out_dir`: (paths written, warnings on the
    signing date of the documents). Everything is rendered in memory first, then written atomically; an
    existing file is kept unless `force` (RollupError)."""
    from .._fsutil import write_bytes_atomic
    from ..render import Options, renderer
    from .document import build_document

    fmts = [f for f in parse_formats(list(formats)) if f != "table"]
    out = Path(out_dir)
    targets = [out / rollup_name(result, f) for f in fmts]
    if not force:
        existing = [str(t) for t in targets if t.exists()]
        if existing:
            raise RollupError(msg("rollup_msg.exists", files=", ".join(existing)))
    doc = build_document(result, date=date, today=today)
    opts = Options(templates=templates)
    rendered = [(t, renderer("rollup", f)(doc, opts)) for f, t in zip(fmts, targets, strict=True)]
    for target, data in rendered:
        write_bytes_atomic(target, data if isinstance(data, bytes) else data.encode("utf-8"),
                           force=True)
    dated = {"docx", "html", "md", "xlsx"} & set(fmts)  # what carries the signing date
    return targets, list(doc.warnings) if dated else []
