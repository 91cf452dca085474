"""pandas DataFrames of what clubtool has read and computed, for analysts.

    from clubtool.validation import validate
    from clubtool.indicators import compute_indicators

    report = validate(["sample_data/"], year=2027)
    members = report.to_pandas("members")        # = records_frame(report, "members")
    result = compute_indicators(report.valid_clubs(), report.usable_commune, year=2027)
    table = indicators_frame(result)

pandas is imported when a frame is made, never when this module is: the CLI does not pay
for it (a test keeps `import clubtool.cli` free of pandas).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from . import schema as S

if TYPE_CHECKING:
    import pandas as pd

    from .indicators import IndicatorResult
    from .model import Club, Commune
    from .validation import ValidationReport

__all__ = ["CLUB_KINDS", "COMMUNE_KINDS", "RECORD_KINDS", "indicators_frame", "records_frame"]

#: The kinds of records of a club workbook, each the key of its sheet in the schema, but
#: `clubs` for its information sheet (one row per club).
CLUB_KINDS: dict[str, S.Sheet] = {"clubs": S.CLUB_INFO, **{
    s.key: s for s in S.CLUB.read_sheets if s.layout is S.Layout.TABLE}}
#: The same for the commune workbook: `communes` for its information sheet.
COMMUNE_KINDS: dict[str, S.Sheet] = {"communes": S.COMMUNE_INFO, **{
    s.key: s for s in S.COMMUNE.read_sheets if s.layout is S.Layout.TABLE}}
RECORD_KINDS: tuple[str, ...] = (*CLUB_KINDS, *COMMUNE_KINDS)

_INTEGERS = (S.Kind.INTEGER, S.Kind.YEAR)


def records_frame(report: ValidationReport, kind: str, *, valid_only: bool = True) -> pd.DataFrame:
    """One row per record of `kind` (`RECORD_KINDS`: "members", "meetings", "fund"…,
    "clubs" for the club information sheets; "villages", "registry"…, "communes" for the
    commune workbook's), over the workbooks of `report`.

    Columns: `file` (the workbook's path); for a club's records its `club_id`, for a
    commune's its `commune`, then `row` (the Excel row) for a table's records; then each
    field of the sheet under its key in the schema (`clubtool.schema`), typed: dates as
    datetime64[ns], whole numbers as Int64, amounts as float64, flags as bool, text as object,
    an empty cell as NA.

    `valid_only` (the default): the workbooks the figures count, i.e. the clubs of
    `report.valid_clubs()` (in club-code order) and each commune's workbook without errors.
    Otherwise every workbook checked (not those set aside: another year, a merged
    workbook), errors, superseded copies and all: a cell that failed its check is NA.
    A report made with `validate(keep_records=False)` kept no club's table rows: asking for
    them raises RuntimeError.
    """
    import pandas as pd

    books: Sequence[Club | Commune]
    if kind in CLUB_KINDS:
        sheet, books, owner = CLUB_KINDS[kind], _clubs(report, valid_only), "club_id"
    elif kind in COMMUNE_KINDS:
        sheet, books, owner = COMMUNE_KINDS[kind], _communes(report, valid_only), "commune"
    else:
        raise ValueError(f"unknown kind of record {kind!r}; the kinds are: "
                         f"{', '.join(RECORD_KINDS)}")
    table = sheet.layout is S.Layout.TABLE
    keys = [f.key for f in sheet.fields]
    columns: dict[str, list[Any]] = {k: [] for k in ["file", *([owner, "row"] if table else []),
                                                     *keys]}
    for book in books:
        records: Iterable[Any] = getattr(book, sheet.key) if table else [book.info]
        for rec in records:
            columns["file"].append(book.path)
            if table:
                columns[owner].append(getattr(book.info, owner))
                columns["row"].append(rec.row)
            for k in keys:
                columns[k].append(getattr(rec, k))
    kinds = {"row": S.Kind.INTEGER, **{f.key: f.kind for f in sheet.fields}}
    return pd.DataFrame({name: _typed(pd, values, kinds.get(name, S.Kind.TEXT))
                         for name, values in columns.items()})


def _typed(pd: Any, values: list[Any], kind: S.Kind) -> Any:
    """A column of `values`, those of a field of this `kind`."""
    if kind in _INTEGERS:
        return pd.array(values, dtype="Int64")
    if kind is S.Kind.DATE:
        return pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[ns]")
    if kind is S.Kind.NUMBER:
        return pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    if kind is S.Kind.FLAG:
        return pd.Series([bool(v) for v in values], dtype=bool)
    return pd.Series(values, dtype=object)


def _clubs(report: ValidationReport, valid_only: bool) -> list[Club]:
    if valid_only:
        return report.valid_clubs()
    return [f.loaded.club for f in report.checked if f.loaded is not None and f.loaded.club]


def _communes(report: ValidationReport, valid_only: bool) -> list[Commune]:
    if valid_only:
        return [c for g in report.communes
                if g.result is not None and g.result.errors == 0 and (c := g.commune) is not None]
    results = [*report.files, *([report.commune_result] if report.commune_result else [])]
    found: dict[int, Commune] = {}
    for f in results:
        if not f.skipped and f.loaded is not None and f.loaded.commune is not None:
            found.setdefault(id(f.loaded.commune), f.loaded.commune)
    return list(found.values())


_INDICATOR_COLUMNS: Sequence[tuple[str, str, Callable[[Any, Any], Any]]] = (
    ("province", "object", lambda r, v: r.province),
    ("commune", "object", lambda r, v: r.commune),
    ("year", "Int64", lambda r, v: r.year),
    ("id", "object", lambda r, v: v.id),
    ("name", "object", lambda r, v: v.name),
    ("unit", "object", lambda r, v: v.unit),
    ("numerator", "Int64", lambda r, v: v.numerator),
    ("denominator", "Int64", lambda r, v: v.denominator),
    ("value", "float64", lambda r, v: v.value),
    ("target_min", "float64", lambda r, v: v.target.min if v.target else None),
    ("target_max", "float64", lambda r, v: v.target.shown_max if v.target else None),
    ("status", "object", lambda r, v: v.status),
    ("commune_level", "bool", lambda r, v: v.commune_level),
    ("cumulative", "bool", lambda r, v: v.cumulative),
)


def indicators_frame(result: IndicatorResult | Iterable[IndicatorResult]) -> pd.DataFrame:
    """One row per indicator of the plan (several results, e.g. one per commune: their rows
    one after the other).

    Columns: `province`, `commune`, `year` of the result; the indicator's `id`, `name`,
    `unit` ("ratio" or "count"), `numerator`, `denominator` (NA for a count), `value`
    (unrounded: a share between 0 and 1, or the count; NaN without data), `target_min`,
    `target_max` (the plan's upper figure, never enforced; NaN without one), `status`
    (`indicators.STATUSES`: "dat", "chua_dat"…), `commune_level` and `cumulative`.
    """
    import pandas as pd

    from .indicators import IndicatorResult

    results = [result] if isinstance(result, IndicatorResult) else list(result)
    rows = [(r, v) for r in results for v in r.indicators]
    data = {}
    for name, dtype, get in _INDICATOR_COLUMNS:
        values = [get(r, v) for r, v in rows]
        if dtype == "float64":
            values = [float("nan") if x is None else float(x) for x in values]
        data[name] = pd.array(values, dtype=dtype) if dtype != "object" \
            else pd.Series(values, dtype=object)
    return pd.DataFrame(data, columns=[name for name, _, _ in _INDICATOR_COLUMNS])
