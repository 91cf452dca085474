"""Small factories that build club and commune workbooks for tests (never binary fixtures).

Headers come from `clubtool.schema`; values are written raw, so a test can put any text,
number or date into any cell, reorder or drop columns, add unknown ones, insert blank rows.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from clubtool import schema as S

D = dt.date


def club_data(year: int = 2027, club_id: str = "MH-01", village: str = "Thôn Đông",
              members: int = 60) -> dict[str, Any]:
    """A valid club that meets the standard: 60 members, 36 older women (60%)…

    Returns {"info": {...}, "members": [...], ...} keyed by schema field keys.
    """
    board = [("Nguyễn Thị Lan", "Chủ nhiệm"), ("Trần Văn Hùng", "Phó chủ nhiệm"),
             ("Lê Thị Hoa", "Thư ký"), ("Phan Thị Mai", "Thủ quỹ"), ("Hoàng Văn Nam", "Ủy viên")]
    rows: list[dict[str, Any]] = []
    for i in range(members):
        if i < len(board):
            name, role = board[i]
        else:
            name, role = f"Thành viên Số {i + 1:03d}", None
        female = i % 10 < 7 if i >= len(board) else "Thị" in name
        older = i % 5 != 4
        rows.append({
            "stt": i + 1, "name": name, "gender": "Nữ" if female else "Nam",
            "birth_year": year - (65 if older else 40), "village": village,
            "joined": D(2019, 5, 1), "role": role,
            "initial_training_year": 2020 if role else None,
            "needs_livelihood": i % 4 == 0, "got_livelihood": i % 8 == 0,
            "health_check": True, "volunteer": i % 6 == 0,
        })
    meetings = []
    for month in range(1, 13):
        m: dict[str, Any] = {"date": D(year, month, 10), "attendance": 40,
                             "summary": f"Sinh hoạt tháng {month}"}
        m[S.CONTENT_CODES[(month - 1) % 8]] = True
        m["chuyen_doi_so"] = month == 3
        meetings.append(m)
    trainings = [{"date": D(year, 3, 15), "name": name, "kind": "Nhắc lại",
                  "organiser": "Hội NCT xã"} for name, _ in board]
    outreach = [{"date": D(year, 4, 2), "form": "Họp thôn", "content": "Giới thiệu CLB",
                 "reached": 80}]
    fund = [
        {"date": D(year, 1, 10), "fund": "Hoạt động", "direction": "Thu",
         "source": "Thành viên đóng góp", "amount": 600000, "description": "Đóng góp tháng 1"},
        {"date": D(year, 2, 10), "fund": "Hoạt động", "direction": "Chi", "amount": 300000,
         "description": "Mua nước"},
        {"date": D(year, 3, 10), "fund": "Tăng thu nhập", "direction": "Thu",
         "source": "Thành viên đóng góp", "amount": 1000000},
        {"date": D(year, 4, 10), "fund": "Tăng thu nhập", "direction": "Chi", "amount": 5000000,
         "description": "Cho vay"},
    ]
    info = {"version": S.CLUB_TEMPLATE_VERSION, "club_id": club_id,
            "name": f"CLB liên thế hệ tự giúp nhau {village}", "village": village, "year": year,
            "founded": D(2019, 5, 1), "chair": "Nguyễn Thị Lan", "phone": "0912 345 678",
            "opening_activity": 1000000, "opening_income": 20000000,
            "prepared_by": "Lê Thị Hoa", "prepared_on": D(year, 12, 5)}
    return {"info": info, "members": rows, "meetings": meetings, "trainings": trainings,
            "outreach": outreach, "fund": fund}


def commune_data(year: int = 2027) -> dict[str, Any]:
    villages = ["Thôn Đông", "Thôn Tây", "Thôn Nam", "Thôn Bắc"]
    return {
        "info": {"version": S.COMMUNE_TEMPLATE_VERSION, "commune": "Mai Hoa",
                 "province": "Hà Tĩnh", "year": year, "doc_number": "125/BC-UBND",
                 "signing_authority": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH",
                 "signer": "Trần Văn An", "recipients": "UBND tỉnh\nLưu: VT, VHXH"},
        "villages": [{"name": v, "older_people": 200, "outreach_target": 300,
                      "outreach_reached": 250} for v in villages],
        "registry": [{"club_id": "MH-01", "name": "CLB Thôn Đông", "village": "Thôn Đông",
                      "founded": D(2019, 5, 1)},
                     {"club_id": "MH-02", "name": "CLB Thôn Tây", "village": "Thôn Tây",
                      "founded": D(2020, 6, 1)}],
        "officials": [{"name": "Võ Văn Bình", "position": "Chủ tịch Hội NCT", "unit": "Hội NCT xã",
                       "trained": True, "trained_on": D(year, 3, 1)},
                      {"name": "Đặng Thị Cúc", "position": "Công chức VHXH", "unit": "UBND xã",
                       "trained": False}],
        "awards": [],
    }


def _cell_value(value: Any) -> Any:
    if value is True:
        return S.YES_MARK
    if value is False:
        return None
    return value


def write_workbook(path: Path, wschema: S.WorkbookSchema, data: Mapping[str, Any], *,
                   columns: Mapping[str, Sequence[str]] | None = None,
                   extra_headers: Mapping[str, Sequence[str]] | None = None,
                   drop_sheets: Sequence[str] = (), drop_labels: Sequence[str] = (),
                   sheet_names: Mapping[str, str] | None = None,
                   blank_rows_before: Mapping[str, Sequence[int]] | None = None) -> Path:
    """Write `data` as a workbook of `wschema`.

    columns: per table sheet key, the field keys in the order wanted (default: all, in order);
    extra_headers: extra header texts appended per sheet key; drop_sheets / drop_labels: keys
    to leave out; sheet_names: other names for sheets (by key); blank_rows_before: indexes of
    records before which a blank row is inserted.
    """
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in wschema.sheets:
        if sheet.key in drop_sheets:
            continue
        ws = wb.create_sheet((sheet_names or {}).get(sheet.key, sheet.name))
        if sheet.layout is S.Layout.NOTES:
            ws["A1"] = "Hướng dẫn"
            continue
        if sheet.layout is S.Layout.LABELS:
            values = data.get(sheet.key, {})
            r = 1
            for f in sheet.fields:
                if f.key in drop_labels:
                    continue
                ws.cell(r, 1, f.header)
                v = _cell_value(values.get(f.key))
                if v is not None:
                    ws.cell(r, 2, v)
                r += 1
            continue
        keys = list((columns or {}).get(sheet.key, [f.key for f in sheet.fields]))
        extras = list((extra_headers or {}).get(sheet.key, []))
        for c, k in enumerate(keys, start=1):
            ws.cell(1, c, sheet.field(k).header)
        for j, text in enumerate(extras, start=len(keys) + 1):
            ws.cell(1, j, text)
        r = 2
        blanks = set((blank_rows_before or {}).get(sheet.key, []))
        for idx, rec in enumerate(data.get(sheet.key, [])):
            if idx in blanks:
                r += 1
            for c, k in enumerate(keys, start=1):
                v = _cell_value(rec.get(k))
                if v is not None:
                    cell = ws.cell(r, c, v)
                    if isinstance(v, str) and v.startswith("="):
                        cell.data_type = "s"
            for j, text in enumerate(extras, start=len(keys) + 1):
                if text in rec:
                    ws.cell(r, j, rec[text])
            r += 1
    wb.save(path)
    return path


def write_club(path: Path, data: Mapping[str, Any] | None = None, **kw: Any) -> Path:
    return write_workbook(path, S.CLUB, data if data is not None else club_data(), **kw)


def write_commune(path: Path, data: Mapping[str, Any] | None = None, **kw: Any) -> Path:
    return write_workbook(path, S.COMMUNE, data if data is not None else commune_data(), **kw)


def changed(data: Mapping[str, Any], sheet: str, index: int | None = None, **values: Any) -> dict[str, Any]:
    """A deep copy of `data` with fields of one record (or of `info` when index is None) set."""
    out = copy.deepcopy(dict(data))
    target = out[sheet] if index is None else out[sheet][index]
    target.update(values)
    return out


# --- post-processing a written workbook, and raw containers (for hostile inputs) -----------


def set_cells(path: Path, cells: Mapping[str, Mapping[str, Any]]) -> Path:
    """Set cells of a written workbook by sheet name and A1 reference.

    Values go in as openpyxl takes them: text starting with "=" becomes a formula (saved
    without a cached value, as by a program that does not calculate), True/False booleans.
    """
    wb = openpyxl.load_workbook(path)
    for sheet, values in cells.items():
        ws = wb[sheet]
        for ref, value in values.items():
            ws[ref] = value
    wb.save(path)
    return path


def insert_rows(path: Path, sheet: str, before: int, amount: int = 1) -> Path:
    """Insert empty rows before row `before` of a sheet (cells below move down)."""
    wb = openpyxl.load_workbook(path)
    wb[sheet].insert_rows(before, amount)
    wb.save(path)
    return path


def insert_cols(path: Path, sheet: str, before: int, amount: int = 1) -> Path:
    """Insert empty columns before column `before` (1-based) of a sheet."""
    wb = openpyxl.load_workbook(path)
    wb[sheet].insert_cols(before, amount)
    wb.save(path)
    return path


def write_sheets(path: Path, sheets: Mapping[str, Sequence[Sequence[Any]]]) -> Path:
    """A workbook of raw rows per sheet name (for workbooks that are no template)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return path


def zip_members(path: Path) -> dict[str, bytes]:
    """The members of a zip container (an .xlsx), by name, in order."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_zip(path: Path, members: Mapping[str, bytes]) -> Path:
    """A zip container holding `members` (deflated)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def write_zip_bomb(path: Path, base: Path, unzipped_bytes: int,
                   member: str = "xl/media/image1.bin") -> Path:
    """`base` (an .xlsx) with one more member that inflates to `unzipped_bytes` zeros.

    Streamed, so the zeros are never all in memory; deflate packs zeros ~1000:1.
    """
    import zipfile

    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in zip_members(base).items():
            zf.writestr(name, data)
        with zf.open(member, "w", force_zip64=True) as fh:
            left = unzipped_bytes
            while left > 0:
                n = min(left, len(chunk))
                fh.write(chunk[:n] if n < len(chunk) else chunk)
                left -= n
    return path


def ole_bytes(*payload: bytes, size: int = 4096) -> bytes:
    """An OLE compound-file lookalike: the signature, zero padding, then `payload`."""
    signature = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    body = signature + bytes(512 - len(signature)) + b"".join(payload)
    return body + bytes(max(0, size - len(body)))


def set_saved(path: Path, when: dt.datetime) -> Path:
    """Set the time the workbook says it was last saved (docProps/core.xml
    `dcterms:modified`, what Excel, LibreOffice and WPS write), as a re-save would."""
    import re

    members = zip_members(path)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    members["docProps/core.xml"] = re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rb"\g<1>" + stamp + rb"\g<2>",
        members["docProps/core.xml"])
    path.unlink()
    return write_zip(path, members)
