"""Rules across files (docs/workbooks.md#across-files): which commune each club belongs to, and which copy of a
club's workbook counts when it was sent more than once.

Both decide by a documented rule and say so as an issue of the files concerned; nothing
is ever dropped or narrowed without a word.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import schema as S
from ..issues import Issue, make
from ..model import Club, Commune
from ..text import fold, key
from .checks import _at
from .report import FileResult

# --- communes ----------------------------------------------------------------------------

_PREFIXES = re.compile(r"^(xa|phuong|thi tran|dac khu|tinh|thanh pho|tp\.?)\s+")


@functools.lru_cache(maxsize=4096)  # a few names, asked for each file (and each row of a merge)
def place_key(name: str | None) -> str:
    """How two writings of a commune or province name are compared: without diacritics,
    case or spacing, and without a leading `Xã`/`Phường`/`Tỉnh`/`Thành phố` ("Xã Mai Hoa"
    and "mai hoa" are one commune)."""
    if not name:
        return ""
    return _PREFIXES.sub("", fold(name)).strip()


def _same_place(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and place_key(a) == place_key(b)


@dataclass(slots=True)
class CommuneGroup:
    """One commune of the inputs: its commune workbook (None when the inputs hold none) and
    the club workbooks that belong to it."""

    name: str  # as its commune workbook writes it
    province: str | None
    result: FileResult | None
    clubs: list[FileResult] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (place_key(self.province), place_key(self.name))

    @property
    def commune(self) -> Commune | None:
        r = self.result
        return r.loaded.commune if r is not None and r.loaded is not None else None

    @property
    def label(self) -> str:
        """"Mai Hoa (Hà Tĩnh)": how the commune is named in messages."""
        name = self.name or (Path(self.result.path).name if self.result is not None else "?")
        return f"{name} ({self.province})" if self.province else name

    def registered(self, club_id: str) -> bool:
        commune = self.commune
        return commune is not None and any(
            r.club_id and key(r.club_id) == key(club_id) for r in commune.registry)


def group_of(result: FileResult) -> CommuneGroup:
    commune = result.loaded.commune if result.loaded is not None else None
    info = commune.info if commune is not None else None
    # no name (a `required` error of its own): the commune is known only by its file
    name = (info.commune if info is not None else None) or ""
    return CommuneGroup(name, info.province if info is not None else None, result)


def _names(groups: Sequence[CommuneGroup]) -> str:
    return ", ".join(f"xã {g.label}" for g in groups)


def assign(club: Club, groups: Sequence[CommuneGroup]) -> tuple[CommuneGroup | None, Issue | None]:
    """The commune a club belongs to, or the error that says why none (docs/workbooks.md#across-files).

    By the club's own `Xã` (and `Tỉnh`, when both sides give one); a club that names none
    belongs to the only commune present, or to the one whose registry lists its code."""
    info = club.info
    if len(groups) == 1 and not groups[0].name:
        return groups[0], None  # a commune workbook without its name: nothing to compare
    if info.commune:
        found = [g for g in groups if _same_place(info.commune, g.name)
                 and not (info.province and g.province and not _same_place(info.province, g.province))]
        if len(found) > 1 and info.club_id:  # one name in two provinces: the registry decides
            found = [g for g in found if g.registered(info.club_id)] or found
        if len(found) == 1:
            return found[0], None
        if not found:
            return None, make("wrong-commune", club.path, **_at(club, S.CLUB_INFO, "commune"),
                              value=info.commune, communes=_names(groups))
    else:
        if len(groups) == 1:
            return groups[0], None
        found = [g for g in groups if info.club_id and g.registered(info.club_id)]
        if len(found) == 1:
            return found[0], None
    where = _at(club, S.CLUB_INFO, "commune")
    if where["cell"] is None:
        where = {"sheet": S.CLUB_INFO.name, "column": S.CLUB_INFO.field("commune").header}
    return None, make("unknown-commune", club.path, **where, value=info.commune,
                      club_id=info.club_id or "?", communes=_names(found or groups))


def unregistered(club: Club, group: CommuneGroup) -> Iterator[Issue]:
    """A club whose code the commune's registry lacks: counted, with a warning."""
    club_id = club.info.club_id
    if club_id and group.commune is not None and not group.registered(club_id):
        yield make("unregistered-club", club.path, **_at(club, S.CLUB_INFO, "club_id"),
                   value=club_id, commune=group.label, registry_sheet=S.REGISTRY.name)


# --- copies of one club's workbook --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Copy:
    """What tells two copies of a workbook apart: the cells read, and when it was saved."""

    cells_sha256: str
    saved_at: dt.datetime  # aware (UTC)
    saved_by_workbook: bool  # from docProps/core.xml (else the file's modification time)

    @property
    def shown(self) -> str:
        local = self.saved_at.astimezone()
        return local.strftime("%H:%M:%S %d/%m/%Y")


_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>\s*([0-9T:.+\-Z ]{10,40})\s*</dcterms:modified>")


def saved_time(path: Path) -> tuple[dt.datetime, bool]:
    """When the workbook was last saved: its own `dcterms:modified` (docProps/core.xml of an
    .xlsx; Excel, LibreOffice and WPS all write it), else the file's modification time."""
    try:
        with zipfile.ZipFile(path) as zf, zf.open("docProps/core.xml") as fh:
            m = _MODIFIED.search(fh.read(65536))
        if m:
            text = m.group(1).decode("ascii").strip().replace("Z", "+00:00")
            when = dt.datetime.fromisoformat(text)
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            return when.astimezone(dt.UTC), True
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError):
        pass
    stamp = path.stat().st_mtime
    return dt.datetime.fromtimestamp(stamp, dt.UTC).replace(microsecond=0), False


def cells_sha256(path: Path) -> str:
    """SHA-256 of the cell values of the sheets clubtool reads (a re-save by another
    program changes the file's bytes but not this)."""
    import python_calamine as pc

    from ..text import Matcher

    h = hashlib.sha256()
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    by_name = Matcher({n: n for n in wb.sheet_names})
    for sheet in S.CLUB.read_sheets:
        actual = by_name.find(sheet.name)
        h.update(repr(sheet.name).encode())
        if actual is not None:
            rows = wb.get_sheet_by_name(actual).to_python(skip_empty_area=True)
            h.update(repr(rows).encode())
    return h.hexdigest()


def copy_of(path: str) -> Copy:
    p = Path(path)
    when, own = saved_time(p)
    return Copy(cells_sha256(p), when, own)


def resolve_copies(clubs: Sequence[FileResult], group_key: dict[int, object]) -> None:
    """Several files of one club for one year: the copy saved last counts (docs/workbooks.md#across-files).

    Identical cells → `duplicate-file` on the others; different → `superseded-submission`
    naming the copy used and both times. Different copies saved at the very same time
    cannot be told apart: each gets `duplicate-submission` (error) and none counts."""
    by_club: dict[tuple[object, str, int], list[FileResult]] = defaultdict(list)
    for r in clubs:
        if r.club_id and r.year is not None:
            by_club[(group_key.get(id(r)), key(r.club_id), r.year)].append(r)
    for group in by_club.values():
        if len(group) < 2:
            continue
        copies = {id(r): copy_of(r.path) for r in group}
        ordered = sorted(group, key=lambda r: (copies[id(r)].saved_at, r.path), reverse=True)
        used = ordered[0]
        cu = copies[id(used)]
        tied = [r for r in ordered if copies[id(r)].saved_at == cu.saved_at
                and copies[id(r)].cells_sha256 != cu.cells_sha256]
        if tied:
            for r in group:
                others = ", ".join(Path(o.path).name for o in group if o is not r)
                r.issues.append(make("duplicate-submission", r.path, club_id=used.club_id,
                                     year=used.year, others=others, time=cu.shown))
            continue
        for r in ordered[1:]:
            c = copies[id(r)]
            r.superseded_by = used.path
            if c.cells_sha256 == cu.cells_sha256:
                r.issues.append(make("duplicate-file", r.path, club_id=used.club_id,
                                     year=used.year, used=Path(used.path).name))
            else:
                r.issues.append(make("superseded-submission", r.path, club_id=used.club_id,
                                     year=used.year, used=Path(used.path).name,
                                     used_time=cu.shown, this_time=c.shown))


def resolve_commune_copies(copies: Sequence[FileResult]) -> None:
    """Several commune workbooks of one commune: the one saved last is used, the others are
    set aside saying which one is used and when each was saved."""
    times = {id(r): saved_time(Path(r.path))[0] for r in copies}
    ordered = sorted(copies, key=lambda r: (times[id(r)], r.path), reverse=True)
    used = ordered[0]
    shown = Copy("", times[id(used)], True).shown
    for r in ordered[1:]:
        r.superseded_by = used.path
        r.skipped = (f"bản khác của mẫu xã; dùng tệp {Path(used.path).name} (lưu lúc {shown}), "
                     f"tệp này lưu lúc {Copy('', times[id(r)], True).shown}")
