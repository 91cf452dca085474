"""The files behind the report, as a report sent upward may name them: by file name only,
and the reasons a file was left out reduced to counts and the catalogue's titles (an
issue's message may quote a cell holding a member's name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...indicators import IndicatorResult
    from ...validation import ValidationReport


@dataclass(frozen=True, slots=True)
class FileNote:
    """A file left out of the figures: its name (no folder) and why."""

    path: str
    reason: str


class ValidatedFiles:
    """The validation's files by path (looked up once per excluded file, not scanned)."""

    def __init__(self, validation: ValidationReport | None):
        self.failed: dict[str, Any] = {}  # the first file of a path with errors
        self.first: dict[str, Any] = {}  # the first file of a path
        if validation is not None:
            for f in validation.files:
                self.first.setdefault(f.path, f)
                if f.errors:
                    self.failed.setdefault(f.path, f)

    def reason(self, path: str, reason: str) -> str:
        """Why a file was left out, without quoting any cell (a cell may hold a member's name)."""
        f = self.failed.get(path)
        if f is not None:
            from ...issues import CATALOGUE

            titles: list[str] = []
            for issue in f.issues:
                if issue.is_error:
                    code = CATALOGUE.get(issue.code)
                    title = code.title[0] if code else issue.code
                    if title not in titles:
                        titles.append(title)
            shown = ", ".join(t.lower() for t in titles[:4]) + ("…" if len(titles) > 4 else "")
            return f"{f.errors} lỗi ({shown})"
        m = re.match(r"\s*(\d+)\s+lỗi", reason or "")
        return f"{m.group(1)} lỗi" if m else "có lỗi"

    def club_id(self, path: str) -> str | None:
        f = self.first.get(path)
        return f.club_id if f is not None else None


def excluded_files(result: IndicatorResult, files: ValidatedFiles) -> list[FileNote]:
    """Files left out for errors, in the result's order."""
    return [FileNote(Path(p).name, files.reason(p, r)) for p, r in result.excluded]


def not_counted_files(result: IndicatorResult) -> list[FileNote]:
    """Valid files not counted: an earlier copy of a club's workbook (the copy saved last counts)."""
    return [FileNote(Path(p).name, r) for p, r in result.not_counted]


def excluded_codes(result: IndicatorResult, files: ValidatedFiles) -> set[str]:
    """Codes of the clubs whose workbook was left out for errors (when validation says)."""
    return {c for p, _ in result.excluded if (c := files.club_id(p))}


def public_payload(result: IndicatorResult, excluded: list[FileNote],
                   not_counted: list[FileNote]) -> dict[str, Any]:
    """The indicators' JSON (`IndicatorResult.to_dict()`) the report carries, with file names only.

    This is the JSON report's copy of the result, never read for display: the sections
    read the typed result. `to_dict()` builds fresh containers, so it is edited in place.
    """
    payload = result.to_dict()
    payload["excluded"] = [{"path": e.path, "reason": e.reason} for e in excluded]
    payload["not_counted"] = [{"path": e.path, "reason": e.reason} for e in not_counted]
    names = {c.club_id: Path(c.figures.path).name for c in result.clubs}
    # Editing the JSON, not reading it: each club's figures get the file's name.
    payload["club_figures"] = {code: {**fig, "path": names[code]}
                               for code, fig in payload["club_figures"].items()}
    return payload
