"""The officer's working folder: `clubtool init` (settings, commune workbook, folders) and
the report year its data shows when none is configured."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import _fsutil as fsutil
from .settings import CONFIG_NAME, CONFIG_TEMPLATE, load_settings
from .text import fold


@dataclass(frozen=True, slots=True)
class Created:
    path: Path
    created: bool  # False: it was there already and was left as it was
    note: str = ""  # what the officer should know about it (an i18n.Msg), if anything


def commune_file_name(commune: str, year: int) -> str:
    # Letters and digits only: a name with "/", "\\" or ".." never leaves the folder.
    slug = "_".join(re.findall(r"[a-z0-9]+", fold(commune))) or "xa"
    return f"xa_{slug}_{year}.xlsx"


def _toml_text(text: str) -> str:
    """`text` inside a TOML "…" string (a JSON string escapes the same way)."""
    return json.dumps(text, ensure_ascii=False)[1:-1].replace("\x7f", "\\u007f")


def init_workspace(folder: Path | str, *, commune: str = "", province: str = "",
                   year: int | None = None) -> list[Created]:
    """Create `clubtool.toml`, `du_lieu/` with the commune workbook in it, and `bao_cao/`.

    The commune workbook lies in the data folder, where every command looks, and
    `clubtool.toml` names it (`commune_file`) and the year (`year`: `year`, else this year).
    Never overwrites: what exists already is reported as not created.
    """
    from .workbook.template import check_year, commune_workbook, save_workbook

    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    out: list[Created] = []
    config = root / CONFIG_NAME
    existing = load_settings(config, env={}, cwd=root) if config.exists() else None
    asked = year
    if existing is not None:  # a second `init` completes what is missing, as configured
        commune = commune or existing.commune
        province = province or existing.province
        year = year or existing.year
    year = check_year(year or dt.date.today().year)
    for name in ("du_lieu", "bao_cao"):
        d = root / name
        existed = d.exists()
        d.mkdir(exist_ok=True)
        out.append(Created(d, not existed))
    workbook = root / "du_lieu" / commune_file_name(commune, year)
    if existing is not None and existing.commune_file is not None:
        workbook = existing.commune_file
    if workbook.exists():
        out.append(Created(workbook, False))
    else:
        save_workbook(commune_workbook(year=year, commune=commune or None,
                                       province=province or None), workbook)
        out.append(Created(workbook, True))
    if config.exists():
        note = ""
        if existing is not None and asked is not None and existing.year != asked:
            from .i18n import msg

            note = msg("msg.init_config_kept", config=CONFIG_NAME, asked=asked,
                       has=f"year = {existing.year}" if existing.year
                       else msg("msg.init_no_year"))
        out.append(Created(config, False, note))
    else:
        text = CONFIG_TEMPLATE.format(
            commune=_toml_text(commune), province=_toml_text(province), year=year,
            commune_file=_toml_text(workbook.relative_to(root).as_posix()))
        fsutil.write_text_atomic(config, text, force=False)
        out.append(Created(config, True))
    return out


# --- the report year the data shows ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DataYear:
    """The latest year with club workbooks, and how many workbooks each year has."""

    year: int
    counts: dict[int, int]  # year → club workbooks of that year, latest first
    where: str  # the folders or files searched, as the officer knows them

    def message(self, config: Path | None, *, how_to_change: str = "") -> str:
        """The line that says which year was chosen and why (`config`: the clubtool.toml
        read, None when there is none)."""
        from .i18n import Joined, msg

        why = (msg("msg.year_no_config", config=CONFIG_NAME) if config is None
               else msg("msg.year_not_in_config", config=config.name))
        counts = Joined(", ", [msg("msg.year_count", n=n, year=y) for y, n in self.counts.items()])
        if how_to_change:
            return msg("msg.year_chosen_change", year=self.year, where=self.where, why=why,
                       counts=counts, change=how_to_change)
        return msg("msg.year_chosen", year=self.year, where=self.where, why=why, counts=counts)


def latest_data_year(paths: Sequence[Path | str], *, where: str | None = None) -> DataYear | None:
    """The latest `Năm báo cáo` among the club workbooks of `paths` (files or folders), or
    None when no club workbook there has a year of the plan. Only that one cell is read.
    `where`: how the message names the place searched (default: the paths)."""
    from .workbook._years import club_years

    counts = club_years(paths)
    if not counts:
        return None
    return DataYear(max(counts), dict(sorted(counts.items(), reverse=True)),
                    where if where is not None else shown_paths(paths))


def shown_paths(paths: Iterable[Path | str]) -> str:
    """`du_lieu`, or `du_lieu, khac/clb.xlsx`: the paths as short as the officer wrote them."""
    shown = [p.name if p.is_absolute() and p.name else str(p) for p in map(Path, paths)]
    return ", ".join(shown) or "."
