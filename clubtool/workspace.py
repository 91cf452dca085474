"""`clubtool init`: a working folder for the officer — settings, commune workbook, folders."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from . import fsutil
from .settings import CONFIG_NAME, CONFIG_TEMPLATE, load_settings
from .text import fold


@dataclass(frozen=True, slots=True)
class Created:
    path: Path
    created: bool  # False: it was there already and was left as it was


def commune_file_name(commune: str, year: int) -> str:
    # Letters and digits only: a name with "/", "\\" or ".." never leaves the folder.
    slug = "_".join(re.findall(r"[a-z0-9]+", fold(commune))) or "xa"
    return f"xa_{slug}_{year}.xlsx"


def _toml_text(text: str) -> str:
    """`text` inside a TOML "…" string (a JSON string escapes the same way)."""
    return json.dumps(text, ensure_ascii=False)[1:-1].replace("\x7f", "\\u007f")


def init_workspace(folder: Path | str, *, commune: str = "", province: str = "",
                   year: int | None = None) -> list[Created]:
    """Create `clubtool.toml`, the commune workbook, `du_lieu/` and `bao_cao/` in `folder`.

    Never overwrites: what exists already is reported as not created.
    """
    from .workbook.template import commune_workbook, save_workbook

    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    year = year or dt.date.today().year
    out: list[Created] = []
    config = root / CONFIG_NAME
    existing = load_settings(config, env={}, cwd=root) if config.exists() else None
    if existing is not None:  # a second `init` completes what is missing, as configured
        commune = commune or existing.commune
        province = province or existing.province
    for name in ("du_lieu", "bao_cao"):
        d = root / name
        existed = d.exists()
        d.mkdir(exist_ok=True)
        out.append(Created(d, not existed))
    workbook = root / commune_file_name(commune, year)
    if existing is not None and existing.commune_file is not None:
        workbook = existing.commune_file
    if workbook.exists():
        out.append(Created(workbook, False))
    else:
        save_workbook(commune_workbook(year=year, commune=commune or None,
                                       province=province or None), workbook)
        out.append(Created(workbook, True))
    if config.exists():
        out.append(Created(config, False))
    else:
        text = CONFIG_TEMPLATE.format(commune=_toml_text(commune),
                                      province=_toml_text(province),
                                      commune_file=_toml_text(workbook.name))
        fsutil.write_text_atomic(config, text, force=False)
        out.append(Created(config, True))
    return out
