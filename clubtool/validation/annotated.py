"""Marked-up copies of the faulty workbooks, to send back to the clubs (`--annotate DIR`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .report import ValidationReport

#: Inputs whose marked-up copy is an .xlsx (openpyxl cannot write these formats).
REBUILT_SUFFIXES = (".xls", ".ods")


@dataclass(frozen=True, slots=True)
class AnnotatedCopy:
    """One marked-up copy: where it was written, and the file it is a copy of."""

    path: Path
    source: Path

    @property
    def converted_from(self) -> str | None:
        """".xls" or ".ods" when the copy is an .xlsx made from such a file."""
        suffix = self.source.suffix.lower()
        if suffix in REBUILT_SUFFIXES and self.path.suffix.lower() != suffix:
            return suffix
        return None

    def note(self, lang: str = "vi") -> str:
        """" (tệp gốc là .ods nên bản đánh dấu được ghi dạng .xlsx)", or "" for a copy in
        the source's own format."""
        fmt = self.converted_from
        if fmt is None:
            return ""
        if lang == "en":
            return f" (the original is an {fmt} file, so the marked-up copy is an .xlsx)"
        return f" (tệp gốc là {fmt} nên bản đánh dấu được ghi dạng {self.path.suffix.lower()})"


def annotate_report(report: ValidationReport, out_dir: Path | str, *,
                    lang: str | None = None) -> Iterator[Path]:
    """Write, for each file with issues, a marked-up copy into `out_dir` (same file name;
    an .xls or .ods gets an .xlsx copy). Yields the paths written (see `annotate_files`)."""
    for copy in annotate_files(report, out_dir, lang=lang, mark=False):
        yield copy.path


def annotate_files(report: ValidationReport, out_dir: Path | str, *,
                   lang: str | None = None, mark: bool = True) -> Iterator[AnnotatedCopy]:
    """Write, for each file with issues, a marked-up copy into `out_dir`; yield each copy.

    Same file name, except that an .xls or .ods gets an .xlsx copy (`AnnotatedCopy.note`
    says so). Files that cannot be opened as a workbook (empty, encrypted, not Excel) get
    no copy: their problem is in the report. Two inputs whose copies would have the same
    name (the same name in different folders; `clb.ods` beside `clb.xlsx`) get
    `name (2).xlsx`, …

    mark: the folder is marked as the tool's outputs (`clubtool.outputs.write_marker`), so
    that no command reads the copies back as club workbooks (an export's folder has its
    manifest instead).
    """
    out = Path(out_dir)
    used: set[str] = set()
    for f in report.files:
        if f.skipped or not f.issues or f.loaded is None or f.loaded.kind is None:
            continue
        # (imported here: openpyxl, and numpy under it, cost ~0.1 s a run with nothing to mark)
        from ..workbook._annotate import annotate

        source = Path(f.path)
        stem, suffix = source.stem, source.suffix
        final = ".xlsx" if suffix.lower() in REBUILT_SUFFIXES else suffix
        label, n = stem, 2
        while (label + final).casefold() in used:
            label = f"{stem} ({n})"
            n += 1
        used.add((label + final).casefold())
        written = annotate(source, f.issues, out / (label + suffix), lang=lang)
        if written is not None:
            if mark:
                from ..outputs import write_marker

                write_marker(out, "validate --annotate")
                mark = False
            yield AnnotatedCopy(Path(written), source)
