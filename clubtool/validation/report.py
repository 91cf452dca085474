"""The validation report: one result per file, and its JSON form (docs/workbooks.md#validation)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import schema as S
from ..issues import CATALOGUE, WARNING, Issue
from ..model import Club, Commune
from ..workbook.reader import Loaded

if TYPE_CHECKING:
    import pandas as pd

_SHEET_ORDER = {s.name: i for w in S.SCHEMAS for i, s in enumerate(w.sheets)}


def issue_order(issue: Issue) -> tuple[int, int, int, int, str]:
    """File-level first, then by sheet (template order), row, column."""
    if issue.sheet is None:
        return (0, 0, 0, 0, issue.code)
    col = 0
    if issue.cell:
        for ch in issue.cell:
            if ch.isalpha():
                col = col * 26 + ord(ch.upper()) - 64
    return (1, _SHEET_ORDER.get(issue.sheet, 99), issue.row or 0, col, issue.code)


@dataclass(slots=True)
class FileResult:
    path: str
    kind: str | None
    issues: list[Issue] = field(default_factory=list)
    loaded: Loaded | None = None
    skipped: str | None = None  # why the file was left aside (another year, a merged workbook)
    strict: bool = False
    superseded_by: str | None = None  # another copy of this club's workbook counts instead
    #: The commune this club workbook was counted for (from its commune workbook; docs/workbooks.md#across-files)
    commune: str | None = None
    province: str | None = None

    @property
    def club_id(self) -> str | None:
        return self.loaded.club_id if self.loaded else None

    @property
    def year(self) -> int | None:
        return self.loaded.year if self.loaded else None

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == WARNING)

    @property
    def valid(self) -> bool:
        """No error (with --strict: no warning either)."""
        if self.skipped:
            return True
        return self.errors == 0 and not (self.strict and self.warnings)

    @property
    def name(self) -> str:
        return Path(self.path).name

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.path, "kind": self.kind, "club_id": self.club_id, "year": self.year,
            "valid": self.valid, "errors": self.errors, "warnings": self.warnings,
            "issues": [i.to_dict(lang) for i in self.issues],
        }
        if self.skipped:
            out["skipped"] = self.skipped
        if self.superseded_by:
            out["superseded_by"] = self.superseded_by
        club = self.loaded.club if self.loaded is not None else None
        if club is not None:  # a club's identity is (province, commune, code): docs/workbooks.md#across-files
            out["province"] = club.info.province
            out["commune"] = club.info.commune
        if self.commune:
            out["counted_for"] = {"province": self.province, "commune": self.commune}
        return out


@dataclass(slots=True)
class ValidationReport:
    files: list[FileResult] = field(default_factory=list)
    commune_result: FileResult | None = None
    year: int | None = None
    #: The communes of the inputs (`validation._across.CommuneGroup`), each with its commune
    #: workbook and its clubs; empty when the inputs hold no commune workbook.
    communes: list[Any] = field(default_factory=list)
    #: Situations every output must mention (no commune workbook, clubs of several
    #: communes counted together…), in Vietnamese.
    notices: list[str] = field(default_factory=list)

    @property
    def commune(self) -> Commune | None:
        """The commune workbook as read, errors or not (its head lines serve the report)."""
        r = self.commune_result
        return r.loaded.commune if r and r.loaded else None

    @property
    def usable_commune(self) -> Commune | None:
        """The commune workbook for figures: like a club's, left out when it has errors."""
        r = self.commune_result
        return self.commune if r is not None and r.errors == 0 else None

    @property
    def checked(self) -> list[FileResult]:
        return [f for f in self.files if not f.skipped]

    @property
    def has_errors(self) -> bool:
        return any(not f.valid for f in self.checked)

    @property
    def valid(self) -> bool:
        return not self.has_errors

    def valid_clubs(self) -> list[Club]:
        """Clubs with a valid workbook (no error), in club-code order."""
        clubs = [f.loaded.club for f in self.checked
                 if f.kind == "club" and f.errors == 0 and f.loaded and f.loaded.club
                 and not f.superseded_by]
        return sorted(clubs, key=lambda c: (c.info.club_id or "", c.path))

    def excluded(self, lang: str = "vi") -> list[tuple[str, str]]:
        """Files left out of the figures, each with the reason (in Vietnamese, the words of
        the reports; the terminal's in `lang`)."""
        checked = self.checked
        r = self.commune_result
        if r is not None and r.errors and r not in checked:
            checked = [r, *checked]
        return [(f.path, _reason(f, lang)) for f in checked if f.errors and not f.superseded_by]

    def not_counted(self, lang: str = "vi") -> list[tuple[str, str]]:
        """Valid files that do not count because another copy of the same club's workbook
        does (docs/workbooks.md#across-files), each with the reason."""
        return [(f.path, _superseded_reason(f, lang)) for f in self.checked if f.superseded_by]

    def for_commune(self, group: Any) -> ValidationReport:
        """The report seen from one commune: its commune workbook, its clubs, and the files
        that belong to no commune (unreadable ones, clubs of a commune not present…), which
        are listed with every commune so that none goes unmentioned."""
        mine = {id(r) for r in group.clubs}
        if group.result is not None:
            mine.add(id(group.result))
        others = {id(r) for g in self.communes if g is not group for r in g.clubs}
        others |= {id(g.result) for g in self.communes if g is not group and g.result is not None}
        files = [f for f in self.files if id(f) in mine or id(f) not in others]
        return ValidationReport(files=files, commune_result=group.result, year=self.year,
                                communes=[group], notices=list(self.notices))

    def summary(self) -> dict[str, int]:
        checked = self.checked
        return {
            "files": len(checked),
            "valid": sum(1 for f in checked if f.valid),
            "errors": sum(f.errors for f in checked),
            "warnings": sum(f.warnings for f in checked),
        }

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "valid": self.valid,
            "summary": self.summary(),
            "files": [f.to_dict(lang) for f in self.files],
        }
        return out

    def to_pandas(self, kind: str, *, valid_only: bool = True) -> pd.DataFrame:
        """The records of `kind` ("members", "meetings", "clubs", "villages"…) as a pandas
        DataFrame, one row per record: `clubtool.analysis.records_frame`, which says
        which columns and which workbooks. pandas is imported here, when it is called."""
        from ..analysis import records_frame

        return records_frame(self, kind, valid_only=valid_only)


def _superseded_reason(f: FileResult, lang: str = "vi") -> str:
    from ..i18n import t

    first = next((i for i in f.issues if i.code in ("duplicate-file", "superseded-submission")),
                 None)
    if first is not None:
        return first.message(lang)
    return t("validate.superseded", lang, used=Path(f.superseded_by or "").name)


def _reason(f: FileResult, lang: str = "vi") -> str:
    """Why a file is left out, without the values found: these reasons go into outputs sent
    upward (indicators, report), which must hold no member's name."""
    from ..i18n import LANGS, t

    first = next(i for i in f.issues if i.is_error)
    title = CATALOGUE[first.code].text("title", lang if lang in LANGS else "vi")
    where = ", ".join(x for x in (t("validate.sheet_ref", lang, sheet=first.sheet)
                                  if first.sheet else "",
                                  t("validate.cell_ref", lang, cell=first.cell)
                                  if first.cell else "") if x)
    return (t("validate.reason", lang, n=f.errors, title=title)
            + (f" ({where})" if where else ""))
