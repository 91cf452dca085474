"""`--expect FILE`: the communes a roll-up expects, one a row (CSV or XLSX: province, commune).

The header row names the two columns, in English or Vietnamese, in any order and case:
`province` / `Tỉnh` / `Tỉnh/thành phố`, and `commune` / `Xã` / `Xã/phường` / `Tên xã`.
Blank rows are skipped, a commune listed twice counts once. A CSV is UTF-8 (a BOM is fine),
its separator `,` or `;`; an XLSX is read with python-calamine (its first sheet), after the
same safety checks as every workbook.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import msg
from ..text import Matcher
from ._match import place_key
from ._model import RollupError

__all__ = ["Expected", "read_expect"]

_COLUMNS = Matcher([("province", "province"), ("tỉnh", "province"),
                    ("tỉnh/thành phố", "province"), ("tỉnh, thành phố", "province"),
                    ("tỉnh/thành", "province"), ("commune", "commune"), ("xã", "commune"),
                    ("xã/phường", "commune"), ("xã, phường", "commune"),
                    ("tên xã", "commune"), ("xã/phường/đặc khu", "commune")])


@dataclass(frozen=True, slots=True)
class Expected:
    """One expected commune, as the list writes it."""

    province: str
    commune: str

    @property
    def key(self) -> tuple[str, str]:
        return place_key(self.province), place_key(self.commune)


def read_expect(path: Path | str) -> list[Expected]:
    """The communes listed in `path`, in the list's order; RollupError (exit 2) when the file
    cannot be read or has no province and commune columns."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise RollupError(msg("rollup_msg.expect_unreadable", path=p,
                              error=exc.strerror or exc)) from None
    suffix = p.suffix.lower()
    rows = _xlsx_rows(p, data) if suffix in (".xlsx", ".xlsm", ".xls", ".ods") \
        else _csv_rows(p, data)
    return _communes(p, rows)


def _csv_rows(p: Path, data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RollupError(msg("rollup_msg.expect_not_utf8", path=p)) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(p: Path, data: bytes) -> list[list[Any]]:
    import python_calamine as pc

    from ..workbook._files import Rejected, check_bytes

    try:
        check_bytes(data, p.suffix.lower())
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows: list[list[Any]] = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Rejected as exc:
        raise RollupError(msg("rollup_msg.expect_unreadable", path=p, error=exc.detail)) \
            from None
    except Exception as exc:  # noqa: BLE001 - calamine raises several kinds for bad files
        raise RollupError(msg("rollup_msg.expect_unreadable", path=p, error=exc)) from None
    return rows


def _communes(p: Path, rows: list[list[Any]]) -> list[Expected]:
    rows = [[("" if c is None else str(c)).strip() for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    head = rows[0] if rows else []
    where = {col: i for i, cell in enumerate(head) if (col := _COLUMNS.find(cell))}
    if "province" not in where or "commune" not in where:
        raise RollupError(msg("rollup_msg.expect_columns", path=p, head=", ".join(
            h for h in head if h) or msg("rollup_msg.expect_empty_head")))
    out: dict[tuple[str, str], Expected] = {}
    for n, row in enumerate(rows[1:], start=2):
        cells = row + [""] * (len(head) - len(row))
        province, commune = cells[where["province"]], cells[where["commune"]]
        if commune and not province:
            raise RollupError(msg("rollup_msg.expect_no_province", path=p, commune=commune,
                                  n=n))
        if commune:
            e = Expected(province, commune)
            out.setdefault(e.key, e)
    if not out:
        raise RollupError(msg("rollup_msg.expect_no_commune", path=p))
    return list(out.values())
